/*
 * Keys and certificates (sealkit/key.h): generation, loading, writing.
 * Private material stays inside EVP_PKEY objects; file contents are read
 * into secret buffers; passwords are handed to OpenSSL's callbacks only.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "sealkit/key.h"
#include "key_int.h"

struct sk_key {
	EVP_PKEY	*pkey;
	int		 kind;		/* enum sk_key_kind */
	int		 priv;		/* holds private material */
	/* Fixed once wrapped; cached because every verification asks. */
	size_t		 field_len;	/* EC/SM2: bytes of a coordinate */
	int		 p256;		/* EC on prime256v1 */
};

struct sk_cert {
	X509		*x509;
	uint8_t		*der;		/* i2d_X509: `openssl x509 -outform DER` */
	size_t		 derlen;
};

/* Passes the caller's password to OpenSSL and notes that one was wanted. */
struct sk_pwarg {
	const char	*password;
	int		 asked;
};

#define SK_PEM_PREFIX	"-----BEGIN "

EVP_PKEY *
sk_key_pkey(const struct sk_key *key)
{
	return key->pkey;
}

int
sk_key_kind(const struct sk_key *key)
{
	return key->kind;
}

X509 *
sk_cert_x509(const struct sk_cert *cert)
{
	return cert->x509;
}

static int
sk_pkey_group_is(const EVP_PKEY *pkey, const char *name)
{
	char group[64];
	size_t len = 0;

	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), &len))
		return 0;
	return strcmp(group, name) == 0;
}

static size_t
sk_pkey_field_len(const EVP_PKEY *pkey, int kind)
{
	int bits;

	if (kind != SK_KIND_EC && kind != SK_KIND_SM2)
		return 0;
	/* For the prime curves we accept, order and field have equal size. */
	if ((bits = EVP_PKEY_get_bits(pkey)) <= 0)
		return 0;
	return ((size_t)bits + 7) / 8;
}

size_t
sk_key_field_len(const struct sk_key *key)
{
	return key->field_len;
}

int
sk_key_is_p256(const struct sk_key *key)
{
	return key->p256;
}

static int
sk_pkey_kind(const EVP_PKEY *pkey)
{
	if (EVP_PKEY_is_a(pkey, "SM2"))
		return SK_KIND_SM2;
	if (EVP_PKEY_is_a(pkey, "EC"))
		return sk_pkey_group_is(pkey, "SM2") ? SK_KIND_SM2 : SK_KIND_EC;
	if (EVP_PKEY_is_a(pkey, "ED25519"))
		return SK_KIND_ED25519;
	if (EVP_PKEY_is_a(pkey, "ED448"))
		return SK_KIND_ED448;
	if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS"))
		return SK_KIND_RSA;
	return SK_KIND_OTHER;
}

static int
sk_pkey_has_private(const EVP_PKEY *pkey, int kind)
{
	BIGNUM *bn = NULL;
	size_t len = 0;
	int ok;

	switch (kind) {
	case SK_KIND_ED25519:
	case SK_KIND_ED448:
		return EVP_PKEY_get_raw_private_key(pkey, NULL, &len) == 1 &&
		    len > 0;
	case SK_KIND_RSA:
		ok = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &bn);
		break;
	default:
		ok = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn);
		break;
	}
	BN_clear_free(bn);
	return ok == 1;
}

/*
 * OSSL_PARAM_free only clears its secure-heap block, and OpenSSL 3.0 has
 * no OSSL_PARAM_clear_free: wipe every value before the free.
 */
static void
sk_params_free(OSSL_PARAM *params)
{
	OSSL_PARAM *p;

	if (params == NULL)
		return;
	for (p = params; p->key != NULL; p++)
		if (p->data != NULL)
			sk_wipe(p->data, p->data_size);
	OSSL_PARAM_free(params);
}

/*
 * OpenSSL 3.0 may hand back an SM2-curve key typed "EC" (e.g. from
 * PKCS#12 bags); signing that with "SM3" would be plain ECDSA, so import
 * its parameters into the SM2 key manager.
 */
static int
sk_pkey_to_sm2(EVP_PKEY **pkey)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *sm2 = NULL;
	int rc = SK_ERR_CRYPTO;

	if (EVP_PKEY_is_a(*pkey, "SM2"))
		return 0;
	if (EVP_PKEY_todata(*pkey, EVP_PKEY_KEYPAIR, &params) != 1)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &sm2, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	EVP_PKEY_free(*pkey);
	*pkey = sm2;
	rc = 0;
out:
	sk_params_free(params);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

int
sk_key_wrap(EVP_PKEY *pkey, struct sk_key **out)
{
	struct sk_key *key;
	int kind, rc;

	*out = NULL;
	if (pkey == NULL)
		return SK_ERR_ARG;
	if ((kind = sk_pkey_kind(pkey)) == SK_KIND_OTHER) {
		EVP_PKEY_free(pkey);
		return SK_ERR_UNSUPPORTED;
	}
	if (kind == SK_KIND_SM2 && (rc = sk_pkey_to_sm2(&pkey)) != 0) {
		EVP_PKEY_free(pkey);
		return rc;
	}
	if ((key = calloc(1, sizeof(*key))) == NULL) {
		EVP_PKEY_free(pkey);
		return SK_ERR_NOMEM;
	}
	key->pkey = pkey;
	key->kind = kind;
	key->priv = sk_pkey_has_private(pkey, kind);
	key->field_len = sk_pkey_field_len(pkey, kind);
	key->p256 = kind == SK_KIND_EC &&
	    sk_pkey_group_is(pkey, SN_X9_62_prime256v1);
	*out = key;
	return 0;
}

void
sk_key_free(struct sk_key *key)
{
	if (key == NULL)
		return;
	/* EVP_PKEY_free clears the key material of the built-in providers. */
	EVP_PKEY_free(key->pkey);
	free(key);
}

int
sk_key_is_private(const struct sk_key *key)
{
	return key != NULL && key->priv;
}

int
sk_key_generate(int alg, struct sk_key **out)
{
	EVP_PKEY *pkey;

	*out = NULL;
	switch (alg) {
	case SK_ALG_ES256:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		break;
	case SK_ALG_EDDSA:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
		break;
	case SK_ALG_SM2_SM3:
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
		break;
	default:
		return SK_ERR_UNSUPPORTED;
	}
	if (pkey == NULL)
		return SK_ERR_CRYPTO;
	return sk_key_wrap(pkey, out);
}

/* Keys we load as private keys must be ones we can sign with. */
static int
sk_key_check_signing(struct sk_key *key)
{
	if (!key->priv)
		return SK_ERR_FORMAT;
	if (sk_key_default_alg(key) == SK_ALG_NONE)
		return SK_ERR_UNSUPPORTED;
	return 0;
}

int
sk_keyfile_read(const char *path, size_t max, struct sk_buf *out)
{
	struct sk_buf tmp;
	struct stat st;
	uint8_t chunk[4096];
	ssize_t n;
	int fd, rc = 0;

	if (path == NULL)
		return SK_ERR_ARG;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return SK_ERR_IO;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return SK_ERR_IO;
	}
	sk_buf_init_secret(&tmp, max);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = SK_ERR_IO;
			break;
		}
		if (n == 0)
			break;
		if ((rc = sk_buf_append(&tmp, chunk, (size_t)n)) != 0)
			break;
	}
	close(fd);
	sk_wipe(chunk, sizeof(chunk));
	if (rc == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}

static int
sk_is_pem(const uint8_t *in, size_t len)
{
	size_t i = 0;

	/* Allow leading blank lines and text before the armour (RFC 7468). */
	while (i < len && (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' ||
	    in[i] == '\n'))
		i++;
	return len - i >= sizeof(SK_PEM_PREFIX) - 1 &&
	    memcmp(in + i, SK_PEM_PREFIX, sizeof(SK_PEM_PREFIX) - 1) == 0;
}

static int
sk_pw_cb(char *pass, size_t size, size_t *passlen, const OSSL_PARAM params[],
    void *arg)
{
	struct sk_pwarg *pw = arg;
	size_t len;

	(void)params;
	pw->asked = 1;
	*passlen = 0;
	if (pw->password == NULL)
		return 0;
	if ((len = strlen(pw->password)) > size)
		return 0;
	memcpy(pass, pw->password, len);
	*passlen = len;
	return 1;
}

/*
 * PKCS#12 (RFC 7292).  The MAC is checked first so that a wrong password
 * is told apart from a damaged file.  A NULL password tries both the
 * absent and the empty password, as PKCS12_parse does.
 */
static int
sk_p12_parse(PKCS12 *p12, const char *password, EVP_PKEY **pkey, X509 **x509)
{
	const char *pw = password;

	if (PKCS12_mac_present(p12)) {
		if (password != NULL) {
			if (!PKCS12_verify_mac(p12, password, -1))
				return SK_ERR_PASSWORD;
		} else if (PKCS12_verify_mac(p12, NULL, 0))
			pw = NULL;
		else if (PKCS12_verify_mac(p12, "", 0))
			pw = "";
		else
			return SK_ERR_PASSWORD;
	}
	if (!PKCS12_parse(p12, pw, pkey, x509, NULL))
		return SK_ERR_FORMAT;
	return 0;
}

/* 1 if the input is a whole DER PKCS#12 PFX; *p12 then holds it. */
static int
sk_p12_decode(const uint8_t *in, size_t len, PKCS12 **p12)
{
	const unsigned char *p = in;

	*p12 = NULL;
	if (len == 0 || len > SK_KEYFILE_MAX || in[0] != 0x30)
		return 0;
	if ((*p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return 0;
	}
	if ((size_t)(p - in) != len) {
		PKCS12_free(*p12);
		*p12 = NULL;
		return 0;
	}
	return 1;
}

static int
sk_p12_load(PKCS12 *p12, const char *password, struct sk_key **key,
    struct sk_cert **cert)
{
	EVP_PKEY *pkey = NULL;
	X509 *x509 = NULL;
	int rc;

	if ((rc = sk_p12_parse(p12, password, &pkey, &x509)) != 0)
		goto out;
	if ((key != NULL && pkey == NULL) || (cert != NULL && x509 == NULL)) {
		rc = SK_ERR_MISSING;
		goto out;
	}
	if (key != NULL) {
		rc = sk_key_wrap(pkey, key);
		pkey = NULL;
		if (rc != 0)
			goto out;
	}
	if (cert != NULL) {
		rc = sk_cert_wrap_x509(x509, cert);
		x509 = NULL;
		if (rc != 0 && key != NULL) {
			sk_key_free(*key);
			*key = NULL;
		}
	}
out:
	EVP_PKEY_free(pkey);
	X509_free(x509);
	ERR_clear_error();
	return rc;
}

/* PEM or DER, PKCS#8 (plain or encrypted) or traditional, via decoders. */
static int
sk_pkey_decode_private(const uint8_t *in, size_t len, const char *password,
    EVP_PKEY **pkey)
{
	OSSL_DECODER_CTX *dctx;
	struct sk_pwarg pw = { password, 0 };
	const unsigned char *p = in;
	size_t left = len;
	int ok;

	*pkey = NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(pkey, NULL, NULL, NULL,
	    EVP_PKEY_KEYPAIR, NULL, NULL);
	if (dctx == NULL)
		return SK_ERR_NOMEM;
	if (!OSSL_DECODER_CTX_set_passphrase_cb(dctx, sk_pw_cb, &pw)) {
		OSSL_DECODER_CTX_free(dctx);
		return SK_ERR_CRYPTO;
	}
	ok = OSSL_DECODER_from_data(dctx, &p, &left);
	OSSL_DECODER_CTX_free(dctx);
	ERR_clear_error();
	if (ok && *pkey != NULL)
		return 0;
	EVP_PKEY_free(*pkey);
	*pkey = NULL;
	return pw.asked ? SK_ERR_PASSWORD : SK_ERR_FORMAT;
}

int
sk_key_load_mem(const uint8_t *in, size_t len, const char *password,
    struct sk_key **out)
{
	EVP_PKEY *pkey;
	PKCS12 *p12;
	int rc;

	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_KEYFILE_MAX)
		return SK_ERR_LIMIT;
	if (!sk_is_pem(in, len) && sk_p12_decode(in, len, &p12)) {
		rc = sk_p12_load(p12, password, out, NULL);
		PKCS12_free(p12);
	} else {
		rc = sk_pkey_decode_private(in, len, password, &pkey);
		if (rc != 0)
			return rc;
		rc = sk_key_wrap(pkey, out);
	}
	if (rc == 0 && (rc = sk_key_check_signing(*out)) != 0) {
		sk_key_free(*out);
		*out = NULL;
	}
	return rc;
}

int
sk_key_load_file(const char *path, const char *password, struct sk_key **out)
{
	struct sk_buf b;
	int rc;

	*out = NULL;
	sk_buf_init_secret(&b, SK_KEYFILE_MAX);
	if ((rc = sk_keyfile_read(path, SK_KEYFILE_MAX, &b)) == 0)
		rc = b.len == 0 ? SK_ERR_FORMAT :
		    sk_key_load_mem(b.data, b.len, password, out);
	sk_buf_free(&b);
	return rc;
}

static int
sk_pkey_decode_public(const uint8_t *in, size_t len, EVP_PKEY **pkey)
{
	OSSL_DECODER_CTX *dctx;
	const unsigned char *p = in;
	size_t left = len;
	int ok;

	*pkey = NULL;
	dctx = OSSL_DECODER_CTX_new_for_pkey(pkey, NULL, "SubjectPublicKeyInfo",
	    NULL, EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dctx == NULL)
		return SK_ERR_NOMEM;
	ok = OSSL_DECODER_from_data(dctx, &p, &left);
	OSSL_DECODER_CTX_free(dctx);
	ERR_clear_error();
	if (ok && *pkey != NULL)
		return 0;
	EVP_PKEY_free(*pkey);
	*pkey = NULL;
	return SK_ERR_FORMAT;
}

int
sk_pubkey_load_mem(const uint8_t *in, size_t len, struct sk_key **out)
{
	struct sk_cert *cert;
	EVP_PKEY *pkey;
	int rc;

	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_KEYFILE_MAX)
		return SK_ERR_LIMIT;
	if (sk_pkey_decode_public(in, len, &pkey) == 0)
		return sk_key_wrap(pkey, out);
	if ((rc = sk_cert_load_mem(in, len, &cert)) != 0)
		return rc == SK_ERR_CERT ? SK_ERR_FORMAT : rc;
	rc = sk_cert_pubkey(cert, out);
	sk_cert_free(cert);
	return rc;
}

int
sk_pubkey_load_file(const char *path, struct sk_key **out)
{
	struct sk_buf b;
	int rc;

	*out = NULL;
	sk_buf_init(&b, SK_KEYFILE_MAX);
	if ((rc = sk_keyfile_read(path, SK_KEYFILE_MAX, &b)) == 0)
		rc = b.len == 0 ? SK_ERR_FORMAT :
		    sk_pubkey_load_mem(b.data, b.len, out);
	sk_buf_free(&b);
	return rc;
}

/* Run an encoder and append its output to out; nothing on failure. */
static int
sk_encode(OSSL_ENCODER_CTX *ectx, struct sk_buf *out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if (!OSSL_ENCODER_to_data(ectx, &data, &len)) {
		ERR_clear_error();
		return SK_ERR_CRYPTO;
	}
	rc = sk_buf_append(out, data, len);
	OPENSSL_clear_free(data, len);
	return rc;
}

int
sk_key_write_private_pem(const struct sk_key *key, const char *password,
    struct sk_buf *out)
{
	OSSL_ENCODER_CTX *ectx;
	int rc = SK_ERR_CRYPTO;

	if (key == NULL || out == NULL)
		return SK_ERR_ARG;
	if (!key->priv)
		return SK_ERR_KEY;
	ectx = OSSL_ENCODER_CTX_new_for_pkey(key->pkey, EVP_PKEY_KEYPAIR,
	    "PEM", "PrivateKeyInfo", NULL);
	if (ectx == NULL)
		return SK_ERR_NOMEM;
	/* PKCS#8 encryption in 3.0 is PBES2 with PBKDF2-HMAC-SHA256. */
	if (password != NULL &&
	    (!OSSL_ENCODER_CTX_set_cipher(ectx, "AES-256-CBC", NULL) ||
	    !OSSL_ENCODER_CTX_set_passphrase(ectx,
	    (const unsigned char *)password, strlen(password))))
		goto out;
	rc = sk_encode(ectx, out);
out:
	OSSL_ENCODER_CTX_free(ectx);
	ERR_clear_error();
	return rc;
}

int
sk_key_write_public_pem(const struct sk_key *key, struct sk_buf *out)
{
	OSSL_ENCODER_CTX *ectx;
	int rc;

	if (key == NULL || out == NULL)
		return SK_ERR_ARG;
	ectx = OSSL_ENCODER_CTX_new_for_pkey(key->pkey, EVP_PKEY_PUBLIC_KEY,
	    "PEM", "SubjectPublicKeyInfo", NULL);
	if (ectx == NULL)
		return SK_ERR_NOMEM;
	rc = sk_encode(ectx, out);
	OSSL_ENCODER_CTX_free(ectx);
	return rc;
}

/* Build a key from an OSSL_PARAM array with the named key manager. */
static int
sk_pkey_fromdata(const char *type, int selection, OSSL_PARAM *params,
    EVP_PKEY **pkey)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	*pkey = NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL)
		return SK_ERR_UNSUPPORTED;
	ok = EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, pkey, selection, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : SK_ERR_KEY;
}

static int
sk_pkey_ec_raw(const char *type, const char *group, size_t flen,
    const uint8_t *x, size_t xlen, const uint8_t *y, size_t ylen,
    const uint8_t *d, size_t dlen, EVP_PKEY **pkey)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *priv = NULL;
	uint8_t point[1 + 2 * 66];
	int rc = SK_ERR_NOMEM;

	*pkey = NULL;
	if (xlen != flen || ylen != flen || y == NULL ||
	    (d != NULL && (dlen == 0 || dlen > flen)) ||
	    flen > (sizeof(point) - 1) / 2)
		return SK_ERR_KEY;
	/* SEC 1 section 2.3.3 uncompressed point. */
	point[0] = 0x04;
	memcpy(point + 1, x, flen);
	memcpy(point + 1 + flen, y, flen);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		goto out;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + 2 * flen))
		goto out;
	if (d != NULL) {
		if ((priv = BN_secure_new()) == NULL ||
		    BN_bin2bn(d, (int)dlen, priv) == NULL ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
		    priv))
			goto out;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	rc = sk_pkey_fromdata(type, d != NULL ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params, pkey);
out:
	sk_params_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	return rc;
}

static int
sk_pkey_okp_raw(const char *type, size_t klen, const uint8_t *x,
    size_t xlen, const uint8_t *d, size_t dlen, EVP_PKEY **pkey)
{
	uint8_t pub[57];
	size_t publen = sizeof(pub);

	*pkey = NULL;
	if (xlen != klen || (d != NULL && dlen != klen) || klen > sizeof(pub))
		return SK_ERR_KEY;
	if (d == NULL)
		*pkey = EVP_PKEY_new_raw_public_key_ex(NULL, type, NULL, x,
		    xlen);
	else
		*pkey = EVP_PKEY_new_raw_private_key_ex(NULL, type, NULL, d,
		    dlen);
	if (*pkey == NULL) {
		ERR_clear_error();
		return SK_ERR_KEY;
	}
	/* RFC 8037 section 2: x must be the public key derived from d. */
	if (d != NULL &&
	    (EVP_PKEY_get_raw_public_key(*pkey, pub, &publen) != 1 ||
	    publen != xlen || memcmp(pub, x, xlen) != 0)) {
		EVP_PKEY_free(*pkey);
		*pkey = NULL;
		return SK_ERR_KEY;
	}
	return 0;
}

static int
sk_pkey_check(EVP_PKEY *pkey, int priv)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL)
		return SK_ERR_NOMEM;
	ok = priv ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx);
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ok == 1 ? 0 : SK_ERR_KEY;
}

int
sk_key_from_raw(const char *crv, const uint8_t *x, size_t xlen,
    const uint8_t *y, size_t ylen, const uint8_t *d, size_t dlen,
    struct sk_key **out)
{
	EVP_PKEY *pkey = NULL;
	int rc;

	*out = NULL;
	if (crv == NULL || x == NULL)
		return SK_ERR_ARG;
	if (strcmp(crv, "P-256") == 0)
		rc = sk_pkey_ec_raw("EC", SN_X9_62_prime256v1, 32, x, xlen, y,
		    ylen, d, dlen, &pkey);
	else if (strcmp(crv, "P-384") == 0)
		rc = sk_pkey_ec_raw("EC", SN_secp384r1, 48, x, xlen, y, ylen,
		    d, dlen, &pkey);
	else if (strcmp(crv, "P-521") == 0)
		rc = sk_pkey_ec_raw("EC", SN_secp521r1, 66, x, xlen, y, ylen,
		    d, dlen, &pkey);
	else if (strcmp(crv, "SM2") == 0)
		rc = sk_pkey_ec_raw("SM2", "SM2", 32, x, xlen, y, ylen, d,
		    dlen, &pkey);
	else if (strcmp(crv, "Ed25519") == 0)
		rc = sk_pkey_okp_raw("ED25519", 32, x, xlen, d, dlen, &pkey);
	else if (strcmp(crv, "Ed448") == 0)
		rc = sk_pkey_okp_raw("ED448", 57, x, xlen, d, dlen, &pkey);
	else
		return SK_ERR_UNSUPPORTED;
	if (rc == 0 && (rc = sk_pkey_check(pkey, d != NULL)) != 0) {
		EVP_PKEY_free(pkey);
		return rc;
	}
	if (rc != 0)
		return rc;
	return sk_key_wrap(pkey, out);
}

/* Certificates. */

int
sk_cert_wrap_x509(X509 *x509, struct sk_cert **out)
{
	struct sk_cert *cert;
	unsigned char *der = NULL;
	int len;

	*out = NULL;
	if (x509 == NULL)
		return SK_ERR_ARG;
	if ((len = i2d_X509(x509, &der)) <= 0) {
		X509_free(x509);
		ERR_clear_error();
		return SK_ERR_CERT;
	}
	if ((cert = calloc(1, sizeof(*cert))) == NULL) {
		OPENSSL_free(der);
		X509_free(x509);
		return SK_ERR_NOMEM;
	}
	cert->x509 = x509;
	cert->der = der;
	cert->derlen = (size_t)len;
	*out = cert;
	return 0;
}

void
sk_cert_free(struct sk_cert *cert)
{
	if (cert == NULL)
		return;
	X509_free(cert->x509);
	OPENSSL_free(cert->der);
	free(cert);
}

int
sk_cert_load_mem(const uint8_t *in, size_t len, struct sk_cert **out)
{
	const unsigned char *p = in;
	X509 *x509 = NULL;
	BIO *bio;

	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_KEYFILE_MAX)
		return SK_ERR_LIMIT;
	if (sk_is_pem(in, len)) {
		if ((bio = BIO_new_mem_buf(in, (int)len)) == NULL)
			return SK_ERR_NOMEM;
		x509 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	} else if ((x509 = d2i_X509(NULL, &p, (long)len)) != NULL &&
	    (size_t)(p - in) != len) {
		X509_free(x509);
		return SK_ERR_TRAILING;
	}
	ERR_clear_error();
	if (x509 == NULL)
		return SK_ERR_FORMAT;
	return sk_cert_wrap_x509(x509, out);
}

int
sk_cert_load_file(const char *path, struct sk_cert **out)
{
	struct sk_buf b;
	int rc;

	*out = NULL;
	sk_buf_init(&b, SK_KEYFILE_MAX);
	if ((rc = sk_keyfile_read(path, SK_KEYFILE_MAX, &b)) == 0)
		rc = b.len == 0 ? SK_ERR_FORMAT :
		    sk_cert_load_mem(b.data, b.len, out);
	sk_buf_free(&b);
	return rc;
}

int
sk_pkcs12_load_file(const char *path, const char *password,
    struct sk_key **key, struct sk_cert **cert)
{
	struct sk_buf b;
	PKCS12 *p12;
	int rc;

	if (key != NULL)
		*key = NULL;
	if (cert != NULL)
		*cert = NULL;
	sk_buf_init_secret(&b, SK_KEYFILE_MAX);
	if ((rc = sk_keyfile_read(path, SK_KEYFILE_MAX, &b)) != 0)
		goto out;
	if (!sk_p12_decode(b.data, b.len, &p12)) {
		rc = SK_ERR_FORMAT;
		goto out;
	}
	rc = sk_p12_load(p12, password, key, cert);
	PKCS12_free(p12);
out:
	sk_buf_free(&b);
	return rc;
}

int
sk_cert_kid(const struct sk_cert *cert, uint8_t kid[SK_KID_LEN])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	size_t mdlen = 0;

	memset(kid, 0, SK_KID_LEN);
	if (cert == NULL)
		return SK_ERR_ARG;
	if (!EVP_Q_digest(NULL, "SHA256", NULL, cert->der, cert->derlen, md,
	    &mdlen) || mdlen < SK_KID_LEN)
		return SK_ERR_CRYPTO;
	memcpy(kid, md, SK_KID_LEN);
	return 0;
}

int
sk_cert_pubkey(const struct sk_cert *cert, struct sk_key **out)
{
	EVP_PKEY *pkey;

	*out = NULL;
	if (cert == NULL)
		return SK_ERR_ARG;
	if ((pkey = X509_get_pubkey(cert->x509)) == NULL) {
		ERR_clear_error();
		return SK_ERR_CERT;
	}
	return sk_key_wrap(pkey, out);
}

void
sk_cert_der(const struct sk_cert *cert, const uint8_t **der, size_t *len)
{
	*der = cert->der;
	*len = cert->derlen;
}
