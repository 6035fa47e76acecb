/*
 * sealkit/key.h: algorithms, keys, certificates and the signer interface.
 *
 * Private key material lives only inside OpenSSL EVP_PKEY objects and
 * buffers that are wiped before release (OPENSSL_clear_free); passwords
 * passed in are never copied.  Signing goes through struct sk_signer only,
 * so that a key can live in another process or in a PKCS#11 token: code
 * that signs never needs to know where the key is.
 */
#ifndef SEALKIT_KEY_H
#define SEALKIT_KEY_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * COSE algorithm identifiers (IANA "COSE Algorithms"), plus one
 * private-use value for SM2 with SM3 (api/FORMATS.md section 1: there is
 * no registered COSE value for SM2; values below -65536 are private use).
 */
enum sk_alg {
	SK_ALG_NONE	= 0,
	SK_ALG_ES256	= -7,	/* ECDSA P-256, SHA-256; sign and verify */
	SK_ALG_EDDSA	= -8,	/* EdDSA (Ed25519 signs; Ed448 verifies) */
	SK_ALG_ES384	= -35,	/* verify only */
	SK_ALG_ES512	= -36,	/* verify only */
	SK_ALG_PS256	= -37,	/* RSASSA-PSS SHA-256; verify only */
	SK_ALG_SM2_SM3	= -65537 /* SM2 with SM3, ID 1234567812345678,
				   signature r||s (64 bytes) */
};

/* The SM2 distinguishing identifier (GM/T 0009, GB/T 35276 default). */
#define SK_SM2_ID	"1234567812345678"
#define SK_SM2_ID_LEN	16u

/* Cap on any key, certificate or PKCS#12 file we read. */
#define SK_KEYFILE_MAX	(256u * 1024u)
/* Bytes of a COSE key identifier (PRODUCT.md: SHA-256(cert DER)[0..7]). */
#define SK_KID_LEN	8u
/* Largest signature any supported algorithm produces (RSA-4096 PSS). */
#define SK_SIG_MAX	512u

/* "ES256", "EdDSA", "SM2-SM3", ...; NULL for an unknown value. */
SK_API const char *sk_alg_name(int alg);
/* Parse a name (case-insensitive; also "ed25519", "sm2", "es256").
 * @return the alg, or SK_ALG_NONE. */
SK_API int sk_alg_from_name(const char *name);

struct sk_key;		/* a private or public key */
struct sk_cert;		/* an X.509 certificate */

/*
 * Generate a fresh private key: ES256 gives P-256, EDDSA gives Ed25519,
 * SM2_SM3 gives a key on the SM2 curve.
 * @return 0, SK_ERR_UNSUPPORTED, SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
SK_API int sk_key_generate(int alg, struct sk_key **out) SK_WUR;

/*
 * Load a private key: PEM (PKCS#8, encrypted PKCS#8 or traditional), DER
 * PKCS#8, or PKCS#12 (the key of the first bag).  password may be NULL;
 * an encrypted input without one is SK_ERR_PASSWORD.
 * @return 0, SK_ERR_IO, SK_ERR_LIMIT, SK_ERR_FORMAT, SK_ERR_PASSWORD,
 *         SK_ERR_UNSUPPORTED (a key type we cannot sign with), SK_ERR_NOMEM.
 */
SK_API int sk_key_load_file(const char *path, const char *password,
    struct sk_key **out) SK_WUR;
SK_API int sk_key_load_mem(const uint8_t *in, size_t len,
    const char *password, struct sk_key **out) SK_WUR;

/*
 * Load a public key: PEM or DER SubjectPublicKeyInfo, or the key of a
 * certificate (PEM or DER).
 */
SK_API int sk_pubkey_load_file(const char *path, struct sk_key **out) SK_WUR;
SK_API int sk_pubkey_load_mem(const uint8_t *in, size_t len,
    struct sk_key **out) SK_WUR;

/*
 * Write the private key as PKCS#8 PEM, encrypted (AES-256-CBC, PBKDF2) when
 * password is not NULL.  The buffer should be a secret one
 * (sk_buf_init_secret) when password is NULL.
 */
SK_API int sk_key_write_private_pem(const struct sk_key *key,
    const char *password, struct sk_buf *out) SK_WUR;
/* Write the public key as SubjectPublicKeyInfo PEM. */
SK_API int sk_key_write_public_pem(const struct sk_key *key,
    struct sk_buf *out) SK_WUR;

/* The COSE algorithm this key signs with by default (SK_ALG_NONE if none). */
SK_API int sk_key_default_alg(const struct sk_key *key);
/* 1 if the key holds private material. */
SK_API int sk_key_is_private(const struct sk_key *key);
/* 1 if the key can be used with alg (key type and curve match). */
SK_API int sk_key_fits_alg(const struct sk_key *key, int alg);
/* Free; wipes private material.  NULL is ok. */
SK_API void sk_key_free(struct sk_key *key);

/* Load one certificate, PEM or DER. */
SK_API int sk_cert_load_file(const char *path, struct sk_cert **out) SK_WUR;
SK_API int sk_cert_load_mem(const uint8_t *in, size_t len,
    struct sk_cert **out) SK_WUR;
/*
 * Load the key and certificate from a PKCS#12 file; either output pointer
 * may be NULL if not wanted.
 */
SK_API int sk_pkcs12_load_file(const char *path, const char *password,
    struct sk_key **key, struct sk_cert **cert) SK_WUR;
/* kid: the first SK_KID_LEN bytes of SHA-256 over the certificate's DER. */
SK_API int sk_cert_kid(const struct sk_cert *cert,
    uint8_t kid[SK_KID_LEN]) SK_WUR;
/* A new public key object from the certificate's subject public key. */
SK_API int sk_cert_pubkey(const struct sk_cert *cert,
    struct sk_key **out) SK_WUR;
/* The certificate's DER (borrowed until sk_cert_free). */
SK_API void sk_cert_der(const struct sk_cert *cert, const uint8_t **der,
    size_t *len);
SK_API void sk_cert_free(struct sk_cert *cert);

/*
 * The signer interface: the one narrow door to a private key.
 * sign() receives the exact bytes to be signed (for COSE, the encoded
 * Sig_structure) and appends the signature in COSE form: r||s for ECDSA and
 * SM2 (fixed width), the raw signature for EdDSA.  Implementations: an
 * in-process key (sk_signer_from_key); certd's signer process and PKCS#11
 * provide their own with the same shape.
 */
struct sk_signer {
	int	 alg;				/* enum sk_alg */
	uint8_t	 kid[SK_KID_LEN];		/* valid if has_kid */
	int	 has_kid;
	int	(*sign)(void *ctx, const uint8_t *tbs, size_t len,
		    struct sk_buf *sig);
	void	(*free)(void *ctx);
	void	*ctx;
};

/*
 * A signer over an in-process key.  Takes ownership of key (freed with the
 * signer, also on failure).  alg SK_ALG_NONE picks the key's default; a
 * mismatching alg is SK_ERR_KEY.  cert, if not NULL, sets the kid.
 */
SK_API int sk_signer_from_key(struct sk_key *key, int alg,
    const struct sk_cert *cert, struct sk_signer **out) SK_WUR;
SK_API int sk_signer_sign(struct sk_signer *s, const uint8_t *tbs,
    size_t len, struct sk_buf *sig) SK_WUR;
SK_API void sk_signer_free(struct sk_signer *s);

/*
 * Verify a COSE-form signature (as sk_signer produces) over msg with a
 * public (or private) key, for alg.  SM2 uses SK_SM2_ID.
 * @return 0, SK_ERR_SIGNATURE, SK_ERR_KEY (key does not fit alg),
 *         SK_ERR_UNSUPPORTED, SK_ERR_CRYPTO.
 */
SK_API int sk_verify_signature(const struct sk_key *key, int alg,
    const uint8_t *msg, size_t msglen, const uint8_t *sig,
    size_t siglen) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif
