/*
 * Algorithms, signature primitives and the in-process signer
 * (sealkit/key.h).  Signatures are in COSE form (RFC 9053 section 2.1):
 * ECDSA and SM2 as fixed-width r||s, EdDSA raw, RSASSA-PSS as the modulus-
 * sized octet string (RFC 8230 section 2).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "sealkit/key.h"
#include "key_int.h"

/* Widest ECDSA integer we handle: P-521. */
#define SK_EC_WIDTH_MAX		66u
/* Largest DER ECDSA-Sig-Value for P-521 (2 + 3 + 2 * (2 + 67)). */
#define SK_ECSIG_DER_MAX	144u
/* RFC 8230 section 2: PS256 keys of at least 2048 bits. */
#define SK_RSA_BITS_MIN		2048
#define SK_PS256_SALTLEN	32
#define SK_ED25519_SIGLEN	64u
#define SK_ED448_SIGLEN		114u

struct sk_key_signer {
	struct sk_key	*key;
	int		 alg;
};

static const struct {
	int		 alg;
	const char	*name;
} sk_algs[] = {
	{ SK_ALG_ES256,		"ES256" },
	{ SK_ALG_EDDSA,		"EdDSA" },
	{ SK_ALG_ES384,		"ES384" },
	{ SK_ALG_ES512,		"ES512" },
	{ SK_ALG_PS256,		"PS256" },
	{ SK_ALG_SM2_SM3,	"SM2-SM3" },
};

const char *
sk_alg_name(int alg)
{
	size_t i;

	for (i = 0; i < sizeof(sk_algs) / sizeof(sk_algs[0]); i++)
		if (sk_algs[i].alg == alg)
			return sk_algs[i].name;
	return NULL;
}

int
sk_alg_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return SK_ALG_NONE;
	for (i = 0; i < sizeof(sk_algs) / sizeof(sk_algs[0]); i++)
		if (strcasecmp(sk_algs[i].name, name) == 0)
			return sk_algs[i].alg;
	if (strcasecmp(name, "ed25519") == 0)
		return SK_ALG_EDDSA;
	if (strcasecmp(name, "sm2") == 0)
		return SK_ALG_SM2_SM3;
	return SK_ALG_NONE;
}

int
sk_key_default_alg(const struct sk_key *key)
{
	if (key == NULL)
		return SK_ALG_NONE;
	switch (sk_key_kind(key)) {
	case SK_KIND_EC:
		return sk_key_is_p256(key) ? SK_ALG_ES256 : SK_ALG_NONE;
	case SK_KIND_ED25519:
		return SK_ALG_EDDSA;
	case SK_KIND_SM2:
		return SK_ALG_SM2_SM3;
	default:
		return SK_ALG_NONE;
	}
}

/*
 * RFC 9053 section 2.1 only recommends a curve per hash, and the cose-wg
 * vector ecdsa-sig-04 (ES512 on P-256) is a pass, so ES384/ES512 take any
 * EC curve; the r||s length is checked against the curve on verify.
 * ES256 is our signing algorithm and stays on P-256.  SM2 keys never
 * verify as ECDSA, nor ECDSA keys as SM2 (api/FORMATS.md section 1).
 */
int
sk_key_fits_alg(const struct sk_key *key, int alg)
{
	int bits;

	if (key == NULL)
		return 0;
	switch (alg) {
	case SK_ALG_ES256:
		return sk_key_is_p256(key);
	case SK_ALG_ES384:
	case SK_ALG_ES512:
		return sk_key_kind(key) == SK_KIND_EC &&
		    sk_key_field_len(key) > 0 &&
		    sk_key_field_len(key) <= SK_EC_WIDTH_MAX;
	case SK_ALG_EDDSA:
		return sk_key_kind(key) == SK_KIND_ED25519 ||
		    sk_key_kind(key) == SK_KIND_ED448;
	case SK_ALG_PS256:
		bits = EVP_PKEY_get_bits(sk_key_pkey(key));
		return sk_key_kind(key) == SK_KIND_RSA &&
		    bits >= SK_RSA_BITS_MIN && bits <= (int)SK_SIG_MAX * 8;
	case SK_ALG_SM2_SM3:
		return sk_key_kind(key) == SK_KIND_SM2;
	default:
		return 0;
	}
}

static const char *
sk_alg_md(int alg)
{
	switch (alg) {
	case SK_ALG_ES256:
	case SK_ALG_PS256:
		return "SHA256";
	case SK_ALG_ES384:
		return "SHA384";
	case SK_ALG_ES512:
		return "SHA512";
	case SK_ALG_SM2_SM3:
		return "SM3";
	default:
		return NULL;	/* EdDSA hashes internally (RFC 8032) */
	}
}

static int
sk_alg_is_ecdsa(int alg)
{
	return alg == SK_ALG_ES256 || alg == SK_ALG_ES384 ||
	    alg == SK_ALG_ES512 || alg == SK_ALG_SM2_SM3;
}

int
sk_ecsig_der_to_raw(const uint8_t *der, size_t len, size_t width,
    struct sk_buf *out)
{
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;
	uint8_t raw[2 * SK_EC_WIDTH_MAX];
	int rc = SK_ERR_SIGNATURE;

	if (width == 0 || width > SK_EC_WIDTH_MAX || len > SK_ECSIG_DER_MAX)
		return SK_ERR_SIGNATURE;
	if ((sig = d2i_ECDSA_SIG(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return SK_ERR_SIGNATURE;
	}
	if ((size_t)(p - der) != len)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, (int)width) < 0 ||
	    BN_bn2binpad(s, raw + width, (int)width) < 0)
		goto out;
	rc = sk_buf_append(out, raw, 2 * width);
out:
	ECDSA_SIG_free(sig);
	ERR_clear_error();
	return rc;
}

int
sk_ecsig_raw_to_der(const uint8_t *raw, size_t len, struct sk_buf *out)
{
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *sig = NULL;
	unsigned char *der = NULL;
	size_t half = len / 2;
	int derlen, rc = SK_ERR_NOMEM;

	if (len == 0 || len % 2 != 0 || half > SK_EC_WIDTH_MAX)
		return SK_ERR_SIGNATURE;
	if ((r = BN_bin2bn(raw, (int)half, NULL)) == NULL ||
	    (s = BN_bin2bn(raw + half, (int)half, NULL)) == NULL ||
	    (sig = ECDSA_SIG_new()) == NULL)
		goto out;
	if (!ECDSA_SIG_set0(sig, r, s))
		goto out;
	r = s = NULL;
	if ((derlen = i2d_ECDSA_SIG(sig, &der)) <= 0) {
		rc = SK_ERR_CRYPTO;
		goto out;
	}
	rc = sk_buf_append(out, der, (size_t)derlen);
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	BN_free(r);
	BN_free(s);
	ERR_clear_error();
	return rc;
}

/*
 * A digest-sign/verify context for alg.  SM2 needs its distinguishing ID
 * set on the EVP_PKEY_CTX before init: OpenSSL 3.0 otherwise uses an empty
 * ID (STANDARDS.md section 0 fact 8, section 1.7).  *pctx is owned by the
 * caller then, because EVP_MD_CTX_set_pkey_ctx does not transfer it.
 */
static int
sk_md_init(EVP_PKEY *pkey, int alg, int verify, EVP_MD_CTX **mctx,
    EVP_PKEY_CTX **own)
{
	EVP_PKEY_CTX *pctx = NULL;
	const char *md = sk_alg_md(alg);
	int ok;

	*own = NULL;
	if ((*mctx = EVP_MD_CTX_new()) == NULL)
		return SK_ERR_NOMEM;
	if (alg == SK_ALG_SM2_SM3) {
		if ((*own = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) ==
		    NULL ||
		    EVP_PKEY_CTX_set1_id(*own, SK_SM2_ID, SK_SM2_ID_LEN) != 1)
			return SK_ERR_CRYPTO;
		EVP_MD_CTX_set_pkey_ctx(*mctx, *own);
	}
	if (verify)
		ok = EVP_DigestVerifyInit_ex(*mctx, &pctx, md, NULL, NULL,
		    pkey, NULL);
	else
		ok = EVP_DigestSignInit_ex(*mctx, &pctx, md, NULL, NULL, pkey,
		    NULL);
	if (ok != 1)
		return SK_ERR_KEY;
	/* RFC 8230 section 2: PSS with MGF1 of the same hash, salt 32. */
	if (alg == SK_ALG_PS256 &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, SK_PS256_SALTLEN) != 1))
		return SK_ERR_KEY;
	return 0;
}

static void
sk_md_free(EVP_MD_CTX *mctx, EVP_PKEY_CTX *own)
{
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_CTX_free(own);
	ERR_clear_error();
}

/* Sign tbs with a private key; append the COSE-form signature to out. */
static int
sk_sign_raw(const struct sk_key *key, int alg, const uint8_t *tbs,
    size_t len, struct sk_buf *out)
{
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *own = NULL;
	uint8_t sig[SK_SIG_MAX];
	size_t siglen = sizeof(sig);
	int rc;

	if (tbs == NULL)
		tbs = (const uint8_t *)"";
	if ((rc = sk_md_init(sk_key_pkey(key), alg, 0, &mctx, &own)) != 0)
		goto out;
	if (EVP_DigestSign(mctx, NULL, &siglen, tbs, len) != 1 ||
	    siglen > sizeof(sig) ||
	    EVP_DigestSign(mctx, sig, &siglen, tbs, len) != 1) {
		rc = SK_ERR_CRYPTO;
		goto out;
	}
	if (sk_alg_is_ecdsa(alg)) {
		rc = sk_ecsig_der_to_raw(sig, siglen, sk_key_field_len(key),
		    out);
		if (rc == SK_ERR_SIGNATURE)
			rc = SK_ERR_CRYPTO;
	} else
		rc = sk_buf_append(out, sig, siglen);
out:
	sk_md_free(mctx, own);
	return rc;
}

/* The signature length alg requires with key; 0 if none fits. */
static size_t
sk_sig_len(const struct sk_key *key, int alg)
{
	int size;

	if (sk_alg_is_ecdsa(alg))
		return 2 * sk_key_field_len(key);
	if (alg == SK_ALG_EDDSA)
		return sk_key_kind(key) == SK_KIND_ED448 ? SK_ED448_SIGLEN :
		    SK_ED25519_SIGLEN;
	if (alg == SK_ALG_PS256 &&
	    (size = EVP_PKEY_get_size(sk_key_pkey(key))) > 0)
		return (size_t)size;
	return 0;
}

int
sk_verify_signature(const struct sk_key *key, int alg, const uint8_t *msg,
    size_t msglen, const uint8_t *sig, size_t siglen)
{
	struct sk_buf der;
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *own = NULL;
	int rc;

	if (key == NULL || (msg == NULL && msglen > 0) ||
	    (sig == NULL && siglen > 0))
		return SK_ERR_ARG;
	if (sk_alg_name(alg) == NULL)
		return SK_ERR_UNSUPPORTED;
	if (!sk_key_fits_alg(key, alg))
		return SK_ERR_KEY;
	if (siglen == 0 || siglen != sk_sig_len(key, alg))
		return SK_ERR_SIGNATURE;
	if (msg == NULL)
		msg = (const uint8_t *)"";
	sk_buf_init(&der, SK_ECSIG_DER_MAX);
	if (sk_alg_is_ecdsa(alg) &&
	    (rc = sk_ecsig_raw_to_der(sig, siglen, &der)) != 0)
		goto out;
	if ((rc = sk_md_init(sk_key_pkey(key), alg, 1, &mctx, &own)) != 0)
		goto out;
	if (sk_alg_is_ecdsa(alg))
		rc = EVP_DigestVerify(mctx, der.data, der.len, msg, msglen);
	else
		rc = EVP_DigestVerify(mctx, sig, siglen, msg, msglen);
	/* 0 is a bad signature; negative a malformed one: both reject. */
	rc = rc == 1 ? 0 : SK_ERR_SIGNATURE;
out:
	sk_md_free(mctx, own);
	sk_buf_free(&der);
	return rc;
}

static int
sk_key_signer_sign(void *ctx, const uint8_t *tbs, size_t len,
    struct sk_buf *sig)
{
	const struct sk_key_signer *ks = ctx;

	return sk_sign_raw(ks->key, ks->alg, tbs, len, sig);
}

static void
sk_key_signer_free(void *ctx)
{
	struct sk_key_signer *ks = ctx;

	if (ks == NULL)
		return;
	sk_key_free(ks->key);
	free(ks);
}

/* Which algorithms we sign with, and with which key kind. */
static int
sk_signer_check(const struct sk_key *key, int alg)
{
	if (alg != SK_ALG_ES256 && alg != SK_ALG_EDDSA &&
	    alg != SK_ALG_SM2_SM3)
		return sk_alg_name(alg) == NULL || sk_key_fits_alg(key, alg) ?
		    SK_ERR_UNSUPPORTED : SK_ERR_KEY;
	if (!sk_key_fits_alg(key, alg) || !sk_key_is_private(key))
		return SK_ERR_KEY;
	/* Ed448 verifies only (api/FORMATS.md section 1). */
	if (sk_key_kind(key) == SK_KIND_ED448)
		return SK_ERR_UNSUPPORTED;
	return 0;
}

/* The kid names a certificate: it must carry this very key. */
static int
sk_signer_set_kid(struct sk_signer *s, const struct sk_key *key,
    const struct sk_cert *cert)
{
	EVP_PKEY *certkey;
	int rc;

	if ((certkey = X509_get0_pubkey(sk_cert_x509(cert))) == NULL ||
	    EVP_PKEY_eq(certkey, sk_key_pkey(key)) != 1) {
		ERR_clear_error();
		return SK_ERR_CERT;
	}
	if ((rc = sk_cert_kid(cert, s->kid)) != 0)
		return rc;
	s->has_kid = 1;
	return 0;
}

int
sk_signer_from_key(struct sk_key *key, int alg, const struct sk_cert *cert,
    struct sk_signer **out)
{
	struct sk_key_signer *ks = NULL;
	struct sk_signer *s = NULL;
	int rc;

	*out = NULL;
	if (key == NULL)
		return SK_ERR_ARG;
	if (alg == SK_ALG_NONE && (alg = sk_key_default_alg(key)) ==
	    SK_ALG_NONE) {
		rc = SK_ERR_KEY;
		goto fail;
	}
	if ((rc = sk_signer_check(key, alg)) != 0)
		goto fail;
	rc = SK_ERR_NOMEM;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (ks = calloc(1, sizeof(*ks))) == NULL)
		goto fail;
	if (cert != NULL && (rc = sk_signer_set_kid(s, key, cert)) != 0)
		goto fail;
	ks->key = key;
	ks->alg = alg;
	s->alg = alg;
	s->sign = sk_key_signer_sign;
	s->free = sk_key_signer_free;
	s->ctx = ks;
	*out = s;
	return 0;
fail:
	free(ks);
	free(s);
	sk_key_free(key);
	return rc;
}

int
sk_signer_sign(struct sk_signer *s, const uint8_t *tbs, size_t len,
    struct sk_buf *sig)
{
	struct sk_buf tmp;
	int rc;

	if (s == NULL || s->sign == NULL || sig == NULL ||
	    (tbs == NULL && len > 0))
		return SK_ERR_ARG;
	/* Whatever the implementation does, append nothing on failure. */
	sk_buf_init(&tmp, SK_SIG_MAX);
	if ((rc = s->sign(s->ctx, tbs, len, &tmp)) == 0)
		rc = tmp.len == 0 ? SK_ERR_INTERNAL :
		    sk_buf_append(sig, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}

void
sk_signer_free(struct sk_signer *s)
{
	if (s == NULL)
		return;
	if (s->free != NULL)
		s->free(s->ctx);
	free(s);
}
