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

/* Most CBOR items in a claims map (5 pairs). */
#define PRES_MAX_ITEMS	16u

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

/* Claims in deterministic order: 2, 4, 6, 7, then -65538. */
static int
enc_claims(const struct certd_pres *c, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, 5)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 2)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, c->holder)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 4)) != 0 ||
	    (rc = sk_cbor_put_int(b, c->exp)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 6)) != 0 ||
	    (rc = sk_cbor_put_int(b, c->iat)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 7)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, c->id, sizeof(c->id))) != 0 ||
	    (rc = sk_cbor_put_int(b, CERTD_CWT_PRES_LICENCE)) != 0)
		return rc;
	return sk_cbor_put_cstr(b, c->licence);
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

int
certd_pres_make(struct certd_presenter *p, const char *licence,
    const char *holder, int64_t now, unsigned ttl, struct certd_pres *pres,
    struct sk_buf *text)
{
	struct sk_buf claims, cose;
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
	sk_buf_init(&claims, CERTD_PRES_COSE_MAX);
	sk_buf_init(&cose, CERTD_PRES_COSE_MAX);
	if ((rc = enc_claims(pres, &claims)) == 0 &&
	    (rc = sk_cose_sign1_sign(p->signer, claims.data, claims.len, NULL,
	    0, 0, &cose)) == 0)
		rc = sk_qrtext_encode(CERTD_PRES_PREFIX, cose.data, cose.len,
		    text);
	sk_buf_free(&claims);
	sk_buf_free(&cose);
	return rc;
}

static int
claim_str(const struct sk_cbor_item *it, char *dst, size_t cap)
{
	if (it == NULL || it->type != SK_CBOR_TSTR)
		return SK_ERR_FORMAT;
	return copy_str(dst, cap, (const char *)it->ptr, it->len) == 0 ? 0 :
	    SK_ERR_FORMAT;
}

static int
claim_time(const struct sk_cbor_item *it, int64_t *t)
{
	if (it == NULL || it->type != SK_CBOR_UINT ||
	    sk_cbor_int(it, t) != 0)
		return SK_ERR_FORMAT;
	return 0;
}

/* Exactly our five claims, each of its type. */
static int
dec_claims(const uint8_t *p, size_t len, struct certd_pres *c)
{
	struct sk_cbor_limits lim;
	const struct sk_cbor_item *root, *it;
	struct sk_cbor_doc *doc;
	int rc;

	sk_cbor_limits_default(&lim);
	lim.max_bytes = CERTD_PRES_COSE_MAX;
	lim.max_items = PRES_MAX_ITEMS;
	if ((rc = sk_cbor_decode(p, len, &lim, &doc)) != 0)
		return rc;
	root = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (root->type != SK_CBOR_MAP || root->len != 5)
		goto out;
	if ((rc = claim_str(sk_cbor_map_int(root, 2), c->holder,
	    sizeof(c->holder))) != 0 ||
	    (rc = claim_str(sk_cbor_map_int(root, CERTD_CWT_PRES_LICENCE),
	    c->licence, sizeof(c->licence))) != 0 ||
	    (rc = claim_time(sk_cbor_map_int(root, 4), &c->exp)) != 0 ||
	    (rc = claim_time(sk_cbor_map_int(root, 6), &c->iat)) != 0)
		goto out;
	it = sk_cbor_map_int(root, 7);
	if (it == NULL || it->type != SK_CBOR_BSTR ||
	    it->len != sizeof(c->id) || c->iat >= c->exp) {
		rc = SK_ERR_FORMAT;
		goto out;
	}
	memcpy(c->id, it->ptr, sizeof(c->id));
out:
	sk_cbor_free(doc);
	return rc;
}

/* Text to a parsed COSE_Sign1; cose keeps the bytes msg borrows. */
static int
parse_text(const char *text, size_t len, struct sk_buf *cose,
    struct sk_cose_sign1 **msg)
{
	enum sk_stage stage;
	int rc;

	*msg = NULL;
	if (len > CERTD_PRES_TEXT_MAX)
		return SK_ERR_LIMIT;
	if ((rc = sk_qrtext_decode(text, len, CERTD_PRES_PREFIX,
	    SK_QRTEXT_STRICT_ZLIB, cose, &stage)) != 0)
		return rc == SK_ERR_LIMIT ? rc : SK_ERR_FORMAT;
	return sk_cose_sign1_parse(cose->data, cose->len, 0, msg);
}

static int
check_times(const struct certd_pres *c, int64_t at)
{
	if (at >= c->exp || c->iat > at + CERTD_PRES_SKEW)
		return SK_ERR_EXPIRED;
	return 0;
}

/* Verify msg with key, then decode and check its claims. */
static int
finish(const struct sk_cose_sign1 *msg, const struct sk_key *key,
    int64_t at, struct certd_pres *pres)
{
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = sk_cose_sign1_verify(msg, key, NULL, 0, NULL, 0)) != 0)
		return rc == SK_ERR_KEY || rc == SK_ERR_UNSUPPORTED ?
		    SK_ERR_SIGNATURE : rc;
	if ((rc = sk_cose_sign1_payload(msg, &p, &len)) != 0 ||
	    (rc = dec_claims(p, len, pres)) != 0)
		return rc;
	return check_times(pres, at);
}

int
certd_pres_verify(const struct certd_presenter *p, const char *text,
    size_t len, int64_t at, struct certd_pres *pres)
{
	struct sk_cose_sign1 *msg = NULL;
	struct sk_buf cose;
	const uint8_t *kid;
	size_t kidlen;
	int rc;

	memset(pres, 0, sizeof(*pres));
	sk_buf_init(&cose, CERTD_PRES_COSE_MAX);
	if ((rc = parse_text(text, len, &cose, &msg)) == 0) {
		sk_cose_sign1_kid(msg, &kid, &kidlen);
		if (kidlen != sizeof(p->kid) ||
		    memcmp(kid, p->kid, kidlen) != 0)
			rc = SK_ERR_SIGNATURE;
		else
			rc = finish(msg, p->pub, at, pres);
	}
	sk_cose_sign1_free(msg);
	sk_buf_free(&cose);
	if (rc != 0)
		memset(pres, 0, sizeof(*pres));
	return rc;
}

/* One trust-list candidate: chain valid at the code's iat, then verify. */
static int
try_cert(const struct sk_trust *t, const struct sk_cert *cert,
    const struct sk_cose_sign1 *msg, int64_t at, struct certd_pres *pres)
{
	struct sk_key *key;
	int rc;

	if ((rc = sk_cert_pubkey(cert, &key)) != 0)
		return rc;
	rc = finish(msg, key, at, pres);
	sk_key_free(key);
	if (rc == 0 && (rc = sk_trust_check_at(t, cert, pres->iat)) != 0)
		rc = rc == SK_ERR_EXPIRED ? SK_ERR_CERT : rc;
	return rc;
}

/* 1 if cert's kid is kid. */
static int
kid_is(const struct sk_cert *cert, const uint8_t *kid, size_t kidlen)
{
	uint8_t k[SK_KID_LEN];

	return sk_cert_kid(cert, k) == 0 && kidlen == sizeof(k) &&
	    memcmp(k, kid, kidlen) == 0;
}

int
certd_pres_verify_trust(const struct sk_trust *t, const struct sk_cert *pc,
    const char *text, size_t len, int64_t at, struct certd_pres *pres)
{
	struct sk_cose_sign1 *msg = NULL;
	const struct sk_cert *cert;
	struct sk_buf cose;
	const uint8_t *kid;
	size_t i, kidlen;
	int rc;

	memset(pres, 0, sizeof(*pres));
	sk_buf_init(&cose, CERTD_PRES_COSE_MAX);
	if ((rc = parse_text(text, len, &cose, &msg)) == 0) {
		sk_cose_sign1_kid(msg, &kid, &kidlen);
		rc = SK_ERR_NOTFOUND;
		if (pc != NULL && kid_is(pc, kid, kidlen))
			rc = try_cert(t, pc, msg, at, pres);
		for (i = 0; pc == NULL && rc != 0 && sk_trust_lookup(t, kid,
		    kidlen, i, &cert) == 0; i++)
			rc = try_cert(t, cert, msg, at, pres);
	}
	sk_cose_sign1_free(msg);
	sk_buf_free(&cose);
	if (rc != 0)
		memset(pres, 0, sizeof(*pres));
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
