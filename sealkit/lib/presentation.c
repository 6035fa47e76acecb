/*
 * presentation.c: presentation codes, parsing and offline verification
 * (sealkit/presentation.h, api/presentation.cddl).
 */
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/presentation.h"
#include "sealkit/verify.h"

static int
copy_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || n >= cap || memchr(src, '\0', n) != NULL)
		return SK_ERR_ARG;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

/* Claims in deterministic order: 2, 4, 6, 7, then -65538. */
int
sk_pres_claims_encode(const struct sk_pres *c, struct sk_buf *b)
{
	size_t hl, ll;
	int rc;

	hl = strnlen(c->holder, sizeof(c->holder));
	ll = strnlen(c->licence, sizeof(c->licence));
	if (hl == 0 || hl == sizeof(c->holder) || ll == 0 ||
	    ll == sizeof(c->licence))
		return SK_ERR_ARG;
	if ((rc = sk_cbor_put_map(b, 5)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 2)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, c->holder)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 4)) != 0 ||
	    (rc = sk_cbor_put_int(b, c->exp)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 6)) != 0 ||
	    (rc = sk_cbor_put_int(b, c->iat)) != 0 ||
	    (rc = sk_cbor_put_uint(b, 7)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, c->id, sizeof(c->id))) != 0 ||
	    (rc = sk_cbor_put_int(b, SK_PRES_CWT_LICENCE)) != 0)
		return rc;
	return sk_cbor_put_cstr(b, c->licence);
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
dec_claims(const uint8_t *p, size_t len, struct sk_pres *c)
{
	struct sk_cbor_limits lim;
	const struct sk_cbor_item *root, *it;
	struct sk_cbor_doc *doc;
	int rc;

	sk_cbor_limits_default(&lim);
	lim.max_bytes = SK_PRES_COSE_MAX;
	lim.max_items = SK_PRES_MAX_ITEMS;
	if ((rc = sk_cbor_decode(p, len, &lim, &doc)) != 0)
		return rc;
	root = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (root->type != SK_CBOR_MAP || root->len != 5)
		goto out;
	if ((rc = claim_str(sk_cbor_map_int(root, 2), c->holder,
	    sizeof(c->holder))) != 0 ||
	    (rc = claim_str(sk_cbor_map_int(root, SK_PRES_CWT_LICENCE),
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
	if (len > SK_PRES_TEXT_MAX)
		return SK_ERR_LIMIT;
	if ((rc = sk_qrtext_decode(text, len, SK_PRES_PREFIX,
	    SK_QRTEXT_STRICT_ZLIB, cose, &stage)) != 0)
		return rc == SK_ERR_LIMIT ? rc : SK_ERR_FORMAT;
	return sk_cose_sign1_parse(cose->data, cose->len, 0, msg);
}

static int
check_times(const struct sk_pres *c, int64_t at)
{
	if (at >= c->exp || c->iat > at + SK_PRES_SKEW)
		return SK_ERR_EXPIRED;
	return 0;
}

/* Verify msg with key, then decode and check its claims. */
static int
finish(const struct sk_cose_sign1 *msg, const struct sk_key *key,
    int64_t at, struct sk_pres *pres)
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
sk_pres_verify_key(const char *text, size_t len, const struct sk_key *key,
    const uint8_t *kid, size_t kidlen, int64_t at, struct sk_pres *pres)
{
	struct sk_cose_sign1 *msg = NULL;
	struct sk_buf cose;
	const uint8_t *mkid;
	size_t mkidlen;
	int rc;

	memset(pres, 0, sizeof(*pres));
	if (text == NULL || key == NULL || kid == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&cose, SK_PRES_COSE_MAX);
	if ((rc = parse_text(text, len, &cose, &msg)) == 0) {
		sk_cose_sign1_kid(msg, &mkid, &mkidlen);
		if (mkidlen != kidlen || memcmp(mkid, kid, kidlen) != 0)
			rc = SK_ERR_SIGNATURE;
		else
			rc = finish(msg, key, at, pres);
	}
	sk_cose_sign1_free(msg);
	sk_buf_free(&cose);
	if (rc != 0)
		memset(pres, 0, sizeof(*pres));
	return rc;
}

/* One candidate: verify, then its chain valid at the code's iat. */
static int
try_cert(const struct sk_trust *t, const struct sk_cert *cert,
    const struct sk_cose_sign1 *msg, int64_t at, struct sk_pres *pres)
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
sk_pres_verify(const char *text, size_t len, const struct sk_trust *t,
    const struct sk_cert *pc, int64_t at, struct sk_pres *pres)
{
	struct sk_cose_sign1 *msg = NULL;
	const struct sk_cert *cert;
	struct sk_buf cose;
	const uint8_t *kid;
	size_t i, kidlen;
	int rc;

	memset(pres, 0, sizeof(*pres));
	if (text == NULL || t == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&cose, SK_PRES_COSE_MAX);
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
sk_pres_id_hex(const struct sk_pres *pres, char out[33])
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < sizeof(pres->id); i++) {
		out[2 * i] = hx[pres->id[i] >> 4];
		out[2 * i + 1] = hx[pres->id[i] & 15];
	}
	out[2 * sizeof(pres->id)] = '\0';
}
