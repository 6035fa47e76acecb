/*
 * presentations.c: presentation codes (presentations.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/verify.h"

#include "presentations.h"
#include "util.h"

struct certd_presenter {
	struct sk_signer	*signer;
	struct sk_cert		*cert;
	struct sk_key		*pub;
	uint8_t			 kid[SK_KID_LEN];
};

void
certd_presenter_free(struct certd_presenter *p)
{
	if (p == NULL)
		return;
	sk_signer_free(p->signer);
	sk_cert_free(p->cert);
	sk_key_free(p->pub);
	free(p);
}

/* The first line of a password file, NUL-terminated, in a secret buffer. */
static int
read_password(const char *path, struct sk_buf *pw)
{
	size_t i;
	int rc;

	if ((rc = certd_read_file(path, 1024, 1, pw)) != 0)
		return rc;
	for (i = 0; i < pw->len; i++)
		if (pw->data[i] == '\n' || pw->data[i] == '\r' ||
		    pw->data[i] == '\0')
			break;
	pw->len = i;
	if ((rc = sk_buf_putc(pw, '\0')) != 0)
		sk_buf_free(pw);
	return rc;
}

static int
load_key(const char *keypath, const char *password_file,
    struct sk_key **key)
{
	struct sk_buf pw;
	int rc;

	if (password_file == NULL)
		return sk_key_load_file(keypath, NULL, key);
	if ((rc = read_password(password_file, &pw)) != 0)
		return rc;
	rc = sk_key_load_file(keypath, (const char *)pw.data, key);
	sk_buf_free(&pw);
	return rc;
}

int
certd_presenter_load(const char *keypath, const char *certpath,
    const char *password_file, struct certd_presenter **out, char *err,
    size_t errlen)
{
	struct certd_presenter *p;
	struct sk_key *key = NULL;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return SK_ERR_NOMEM;
	if ((rc = sk_cert_load_file(certpath, &p->cert)) != 0) {
		(void)snprintf(err, errlen, "%s: %s", certpath,
		    sk_strerror(rc));
		goto fail;
	}
	if ((rc = load_key(keypath, password_file, &key)) != 0) {
		(void)snprintf(err, errlen, "%s: %s", keypath,
		    sk_strerror(rc));
		goto fail;
	}
	/* Takes key; refuses a certificate that does not carry it. */
	if ((rc = sk_signer_from_key(key, SK_ALG_NONE, p->cert,
	    &p->signer)) != 0) {
		(void)snprintf(err, errlen, "%s: %s", keypath,
		    rc == SK_ERR_CERT ? "the key is not the certificate's" :
		    sk_strerror(rc));
		goto fail;
	}
	if ((rc = sk_cert_pubkey(p->cert, &p->pub)) != 0 ||
	    (rc = sk_cert_kid(p->cert, p->kid)) != 0) {
		(void)snprintf(err, errlen, "%s: %s", certpath,
		    sk_strerror(rc));
		goto fail;
	}
	*out = p;
	return 0;
fail:
	certd_presenter_free(p);
	return rc;
}

static int
copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || n >= cap || memchr(src, '\0', n) != NULL)
		return SK_ERR_ARG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* The same fields, bounds and order (CERTD_ID_MAX is the library's). */
static void
pres_to_sk(const struct certd_pres *c, struct sk_pres *s)
{
	_Static_assert(sizeof(c->licence) == sizeof(s->licence) &&
	    sizeof(c->holder) == sizeof(s->holder) &&
	    sizeof(c->id) == sizeof(s->id), "certd_pres is not sk_pres");
	memcpy(s->licence, c->licence, sizeof(s->licence));
	memcpy(s->holder, c->holder, sizeof(s->holder));
	memcpy(s->id, c->id, sizeof(s->id));
	s->iat = c->iat;
	s->exp = c->exp;
}

static void
pres_from_sk(const struct sk_pres *s, struct certd_pres *c)
{
	memcpy(c->licence, s->licence, sizeof(c->licence));
	memcpy(c->holder, s->holder, sizeof(c->holder));
	memcpy(c->id, s->id, sizeof(c->id));
	c->iat = s->iat;
	c->exp = s->exp;
}

int
certd_pres_make(struct certd_presenter *p, const char *licence,
    const char *holder, int64_t now, unsigned ttl, struct certd_pres *pres,
    struct sk_buf *text)
{
	struct sk_buf claims, cose;
	struct sk_pres sp;
	int rc;

	memset(pres, 0, sizeof(*pres));
	if (p == NULL || ttl < CERTD_PRES_TTL_MIN || ttl > CERTD_PRES_TTL_MAX ||
	    copy_str(pres->licence, sizeof(pres->licence), licence,
	    strlen(licence)) != 0 || copy_str(pres->holder,
	    sizeof(pres->holder), holder, strlen(holder)) != 0)
		return SK_ERR_ARG;
	if (RAND_bytes(pres->id, sizeof(pres->id)) != 1)
		return SK_ERR_CRYPTO;
	pres->iat = now;
	pres->exp = now + (int64_t)ttl;
	pres_to_sk(pres, &sp);
	sk_buf_init(&claims, CERTD_PRES_COSE_MAX);
	sk_buf_init(&cose, CERTD_PRES_COSE_MAX);
	if ((rc = sk_pres_claims_encode(&sp, &claims)) == 0 &&
	    (rc = sk_cose_sign1_sign(p->signer, claims.data, claims.len, NULL,
	    0, 0, &cose)) == 0)
		rc = sk_qrtext_encode(CERTD_PRES_PREFIX, cose.data, cose.len,
		    text);
	sk_buf_free(&claims);
	sk_buf_free(&cose);
	return rc;
}

int
certd_pres_verify(const struct certd_presenter *p, const char *text,
    size_t len, int64_t at, struct certd_pres *pres)
{
	struct sk_pres sp;
	int rc;

	memset(pres, 0, sizeof(*pres));
	rc = sk_pres_verify_key(text, len, p->pub, p->kid, sizeof(p->kid),
	    at, &sp);
	if (rc == 0)
		pres_from_sk(&sp, pres);
	return rc;
}

int
certd_pres_verify_trust(const struct sk_trust *t, const struct sk_cert *pc,
    const char *text, size_t len, int64_t at, struct certd_pres *pres)
{
	struct sk_pres sp;
	int rc;

	memset(pres, 0, sizeof(*pres));
	if ((rc = sk_pres_verify(text, len, t, pc, at, &sp)) == 0)
		pres_from_sk(&sp, pres);
	return rc;
}

void
certd_pres_id_hex(const struct certd_pres *pres, char out[33])
{
	certd_hex(pres->id, sizeof(pres->id), out);
}

struct redeem {
	const struct certd_pres		*pres;
	const struct certd_access	*e;
};

/* The used record, then the access entry: both or neither. */
static int
redeem_tx(struct certd_wtx *tx, void *arg)
{
	const struct redeem *rd = arg;
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = sk_cbor_put_array(&b, 5)) == 0 &&
	    (rc = sk_cbor_put_uint(&b, CERTD_RECORD_VERSION)) == 0 &&
	    (rc = sk_cbor_put_int(&b, rd->e->time)) == 0 &&
	    (rc = sk_cbor_put_cstr(&b, rd->pres->licence)) == 0 &&
	    (rc = sk_cbor_put_cstr(&b, rd->e->client)) == 0 &&
	    (rc = sk_cbor_put_cstr(&b, rd->e->reqid)) == 0)
		rc = certd_wtx_put(tx, CERTD_XDB_PRESENTATIONS, rd->pres->id,
		    sizeof(rd->pres->id), b.data, b.len, 1);
	sk_buf_free(&b);
	if (rc == 0)
		rc = certd_wtx_access(tx, rd->pres->holder, rd->e, 1);
	return rc;
}

int
certd_pres_redeem(struct certd_store *st, const struct certd_pres *p,
    const struct certd_access *e)
{
	struct redeem rd = { p, e };

	return certd_store_ext_write(st, redeem_tx, &rd);
}
