/*
 * key_int.h: library-internal access to keys, certificates and raw
 * signature primitives (sealkit/lib/key.c, sealkit/lib/signer.c).
 * Not installed; tests and other modules of libsealkit may use it.
 */
#ifndef SEALKIT_KEY_INT_H
#define SEALKIT_KEY_INT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sealkit/common.h"
#include "sealkit/key.h"

/* Key kinds after normalisation (an EC key on the SM2 curve is SK_KIND_SM2). */
enum sk_key_kind {
	SK_KIND_OTHER = 0,
	SK_KIND_EC,		/* ECDSA key on a curve other than SM2 */
	SK_KIND_SM2,		/* key on the SM2 curve, OpenSSL type "SM2" */
	SK_KIND_ED25519,
	SK_KIND_ED448,
	SK_KIND_RSA		/* RSA or RSA-PSS */
};

/* The EVP_PKEY behind a key (borrowed until sk_key_free). */
EVP_PKEY	*sk_key_pkey(const struct sk_key *key);
/* The key's kind. */
int		 sk_key_kind(const struct sk_key *key);
/*
 * Bytes of the curve's field for EC and SM2 keys (32 for P-256 and SM2,
 * 48 for P-384, 66 for P-521); 0 for other kinds.
 */
size_t		 sk_key_field_len(const struct sk_key *key);
/* 1 if an EC key is on the NIST P-256 curve. */
int		 sk_key_is_p256(const struct sk_key *key);

/*
 * Wrap an EVP_PKEY.  Takes ownership of pkey (freed on failure too).  An EC
 * key on the SM2 curve is re-imported as an OpenSSL "SM2" key, because
 * OpenSSL 3.0 signs an EC-typed SM2 key with plain ECDSA.
 * @return 0, SK_ERR_UNSUPPORTED (key type), SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
int		 sk_key_wrap(EVP_PKEY *pkey, struct sk_key **out);

/*
 * A key from JWK-style raw components (RFC 7518 section 6.2, RFC 8037):
 * crv "P-256", "P-384", "P-521", "SM2" (x, y: big-endian coordinates of
 * the field size), or "Ed25519", "Ed448" (x: the raw public key, y NULL).
 * d (may be NULL) is the private scalar or raw private key; when given,
 * it must match x (pairwise check).
 * @return 0, SK_ERR_ARG, SK_ERR_UNSUPPORTED, SK_ERR_KEY, SK_ERR_NOMEM.
 */
int		 sk_key_from_raw(const char *crv, const uint8_t *x,
		    size_t xlen, const uint8_t *y, size_t ylen,
		    const uint8_t *d, size_t dlen, struct sk_key **out);

/* The X509 behind a certificate (borrowed until sk_cert_free). */
X509		*sk_cert_x509(const struct sk_cert *cert);
/* Wrap an X509; takes ownership (freed on failure too). */
int		 sk_cert_wrap_x509(X509 *x509, struct sk_cert **out);

/*
 * Read a whole regular file of at most max bytes into out (which should be
 * a secret buffer for key material).  Appends; nothing on failure.
 * @return 0, SK_ERR_IO, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int		 sk_keyfile_read(const char *path, size_t max,
		    struct sk_buf *out);

/*
 * ECDSA / SM2 signature forms: DER SEQUENCE { r, s } and the fixed-width
 * r||s of COSE (RFC 9053 section 2.1), each integer width bytes.  Append
 * to out; nothing on failure.
 * @return 0, SK_ERR_SIGNATURE (malformed or too wide), SK_ERR_LIMIT,
 *         SK_ERR_NOMEM.
 */
int		 sk_ecsig_der_to_raw(const uint8_t *der, size_t len,
		    size_t width, struct sk_buf *out);
int		 sk_ecsig_raw_to_der(const uint8_t *raw, size_t len,
		    struct sk_buf *out);

#endif /* SEALKIT_KEY_INT_H */
