/*
 * The licence as a CWT claims set (RFC 8392) in deterministic CBOR
 * (RFC 8949 section 4.2.1).  The bytes are specified in api/licence.cddl;
 * keep the two in step.
 *
 * issuer_code, holder_code and identifier travel only as iss, sub and cti,
 * never again inside the private claim, so the claims cannot disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/licence.h"
#include "licence_int.h"

/* Keys of the private licence map (api/licence.cddl). */
#define LK_NAME		1
#define LK_TYPE_CODE	2
#define LK_NUMBER	3
#define LK_ISSUER_NAME	4
#define LK_ISSUE_DATE	5
#define LK_HOLDER_NAME	6
#define LK_HOLDER_TYPE	7
#define LK_VALID_FROM	8
#define LK_VALID_UNTIL	9
#define LK_ITEMS	10
#define LK_MAX		10

/* RFC 8943: days since 1970-01-01. */
#define TAG_DAYS	100u

/* Nesting: claims, licence map, items array, pair array, leaf. */
#define LICENCE_CBOR_DEPTH	6u
#define LICENCE_CBOR_ITEMS	512u

/* Names of the private map's fields, by key, for error messages. */
static const char *const lk_field[LK_MAX + 1] = {
	"", "name", "type_code", "number", "issuer_name", "issue_date",
	"holder_name", "holder_type", "valid_from", "valid_until", "items"
};

static int
put_date(struct sk_buf *b, const char *date)
{
	int64_t days;
	int rc;

	if ((rc = licence_date_to_days(date, strlen(date), &days)) != 0)
		return rc;
	if ((rc = sk_cbor_put_tag(b, TAG_DAYS)) != 0)
		return rc;
	return sk_cbor_put_int(b, days);
}

static int
put_items(struct sk_buf *b, const struct sk_licence *lic)
{
	size_t i;
	int rc;

	if ((rc = sk_cbor_put_array(b, lic->nitems)) != 0)
		return rc;
	for (i = 0; i < lic->nitems; i++) {
		if ((rc = sk_cbor_put_array(b, 2)) != 0 ||
		    (rc = sk_cbor_put_cstr(b, lic->items[i].key)) != 0 ||
		    (rc = sk_cbor_put_cstr(b, lic->items[i].value)) != 0)
			return rc;
	}
	return 0;
}

/* The private claim's map; keys 1..10 are written in order. */
static int
put_licence_map(struct sk_buf *b, const struct sk_licence *lic)
{
	uint64_t n = 8;
	int rc;

	n += lic->valid_until != NULL;
	n += lic->nitems > 0;
	if ((rc = sk_cbor_put_map(b, n)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_NAME)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->name)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_TYPE_CODE)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->type_code)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_NUMBER)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->number)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_ISSUER_NAME)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->issuer_name)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_ISSUE_DATE)) != 0 ||
	    (rc = put_date(b, lic->issue_date)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_HOLDER_NAME)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->holder_name)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_HOLDER_TYPE)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->holder_type)) != 0 ||
	    (rc = sk_cbor_put_uint(b, LK_VALID_FROM)) != 0 ||
	    (rc = put_date(b, lic->valid_from)) != 0)
		return rc;
	if (lic->valid_until != NULL &&
	    ((rc = sk_cbor_put_uint(b, LK_VALID_UNTIL)) != 0 ||
	    (rc = put_date(b, lic->valid_until)) != 0))
		return rc;
	if (lic->nitems > 0 &&
	    ((rc = sk_cbor_put_uint(b, LK_ITEMS)) != 0 ||
	    (rc = put_items(b, lic)) != 0))
		return rc;
	return 0;
}

/* draft-ietf-oauth-status-list: {"status_list": {"idx": n, "uri": s}}. */
static int
put_status(struct sk_buf *b, const struct sk_licence *lic)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, 1)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, "status_list")) != 0 ||
	    (rc = sk_cbor_put_map(b, 2)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, "idx")) != 0 ||
	    (rc = sk_cbor_put_uint(b, lic->status_idx)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, "uri")) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->status_uri)) != 0)
		return rc;
	return 0;
}

/* Claims in bytewise order of their keys: 1 2 4 5 6 7 65535 -65537. */
static int
put_claims(struct sk_buf *b, const struct sk_licence *lic)
{
	uint64_t n = 5;
	int rc;

	n += lic->has_exp != 0;
	n += lic->has_nbf != 0;
	n += lic->has_status != 0;
	if ((rc = sk_cbor_put_map(b, n)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_CWT_ISS)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->issuer_code)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_CWT_SUB)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, lic->holder_code)) != 0)
		return rc;
	if (lic->has_exp && ((rc = sk_cbor_put_uint(b, SK_CWT_EXP)) != 0 ||
	    (rc = sk_cbor_put_int(b, lic->exp)) != 0))
		return rc;
	if (lic->has_nbf && ((rc = sk_cbor_put_uint(b, SK_CWT_NBF)) != 0 ||
	    (rc = sk_cbor_put_int(b, lic->nbf)) != 0))
		return rc;
	if ((rc = sk_cbor_put_uint(b, SK_CWT_IAT)) != 0 ||
	    (rc = sk_cbor_put_int(b, lic->iat)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_CWT_CTI)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, lic->identifier,
	    strlen(lic->identifier))) != 0)
		return rc;
	if (lic->has_status && ((rc = sk_cbor_put_uint(b,
	    SK_CWT_STATUS)) != 0 || (rc = put_status(b, lic)) != 0))
		return rc;
	if ((rc = sk_cbor_put_int(b, SK_CWT_LICENCE)) != 0 ||
	    (rc = put_licence_map(b, lic)) != 0)
		return rc;
	return 0;
}

int
sk_licence_encode_claims(const struct sk_licence *lic, struct sk_buf *out)
{
	struct sk_buf b;
	int rc;

	if (lic == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_licence_check(lic, NULL)) != 0)
		return rc;
	sk_buf_init(&b, SK_LICENCE_MAX_CLAIMS);
	if ((rc = put_claims(&b, lic)) == 0)
		rc = sk_buf_append(out, b.data, b.len);
	sk_buf_free(&b);
	return rc;
}

/* Decoding. */

/* A tstr item as a new C string of at most max bytes. */
static int
get_text(const struct sk_cbor_item *it, size_t max, char **out,
    const char *field, struct sk_licence_err *err)
{
	if (it->type != SK_CBOR_TSTR)
		return licence_err(err, SK_ERR_TYPE, field,
		    "not a text string");
	if (it->len > max)
		return licence_err(err, SK_ERR_LIMIT, field, "too long");
	if (it->len > 0 && memchr(it->ptr, '\0', it->len) != NULL)
		return licence_err(err, SK_ERR_FORMAT, field, "NUL in text");
	if ((*out = licence_strndup((const char *)it->ptr, it->len)) == NULL)
		return licence_err(err, SK_ERR_NOMEM, field, NULL);
	return 0;
}

/* #6.100(int) as "YYYY-MM-DD" (RFC 8943). */
static int
get_date(const struct sk_cbor_item *it, char **out, const char *field,
    struct sk_licence_err *err)
{
	char buf[LICENCE_DATE_LEN + 1];
	int64_t days;

	if (it->type != SK_CBOR_TAG || it->u != TAG_DAYS)
		return licence_err(err, SK_ERR_TYPE, field,
		    "not a tag 100 date");
	if (sk_cbor_int(it->child, &days) != 0)
		return licence_err(err, SK_ERR_TYPE, field,
		    "tag 100 without an integer");
	if (licence_days_to_date(days, buf) != 0)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "date outside 1900-01-01..9999-12-31");
	if ((*out = licence_strndup(buf, LICENCE_DATE_LEN)) == NULL)
		return licence_err(err, SK_ERR_NOMEM, field, NULL);
	return 0;
}

/* A NumericDate: an unsigned integer (RFC 8392 section 2, no tag 1). */
static int
get_time(const struct sk_cbor_item *it, int64_t *out, const char *field,
    struct sk_licence_err *err)
{
	if (it->type != SK_CBOR_UINT)
		return licence_err(err, SK_ERR_TYPE, field,
		    "not an unsigned integer");
	if (it->u > (uint64_t)SK_LICENCE_MAX_TIME)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "NumericDate out of range");
	*out = (int64_t)it->u;
	return 0;
}

static int
get_items(const struct sk_cbor_item *arr, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	const struct sk_cbor_item *pair, *k;
	size_t i;
	int rc;

	if (arr->type != SK_CBOR_ARRAY)
		return licence_err(err, SK_ERR_TYPE, "items", "not an array");
	/* Absent when empty: one licence, one encoding. */
	if (arr->len == 0)
		return licence_err(err, SK_ERR_NONCANONICAL, "items",
		    "empty array must be omitted");
	if (arr->len > SK_LICENCE_MAX_ITEMS)
		return licence_err(err, SK_ERR_LIMIT, "items", "too many");
	if ((lic->items = calloc(arr->len, sizeof(*lic->items))) == NULL)
		return licence_err(err, SK_ERR_NOMEM, "items", NULL);
	for (i = 0, pair = arr->child; i < arr->len; i++, pair = pair->next) {
		lic->nitems = i + 1;
		if (pair->type != SK_CBOR_ARRAY || pair->len != 2)
			return licence_err_idx(err, SK_ERR_TYPE, "items", i, "",
			    "not a [key, value] pair");
		k = pair->child;
		if ((rc = get_text(k, SK_LICENCE_MAX_KEY, &lic->items[i].key,
		    "", err)) != 0)
			return licence_err_idx(err, rc, "items", i, ".key",
			    err != NULL ? err->reason : NULL);
		if ((rc = get_text(k->next, SK_LICENCE_MAX_VALUE,
		    &lic->items[i].value, "", err)) != 0)
			return licence_err_idx(err, rc, "items", i, ".value",
			    err != NULL ? err->reason : NULL);
	}
	return 0;
}

static int
get_licence_field(int64_t key, const struct sk_cbor_item *v,
    struct sk_licence *lic, struct sk_licence_err *err)
{
	const char *f = lk_field[key];

	switch (key) {
	case LK_NAME:
		return get_text(v, SK_LICENCE_MAX_NAME, &lic->name, f, err);
	case LK_TYPE_CODE:
		return get_text(v, SK_LICENCE_MAX_NUMBER, &lic->type_code, f,
		    err);
	case LK_NUMBER:
		return get_text(v, SK_LICENCE_MAX_NUMBER, &lic->number, f, err);
	case LK_ISSUER_NAME:
		return get_text(v, SK_LICENCE_MAX_NAME, &lic->issuer_name, f,
		    err);
	case LK_ISSUE_DATE:
		return get_date(v, &lic->issue_date, f, err);
	case LK_HOLDER_NAME:
		return get_text(v, SK_LICENCE_MAX_NAME, &lic->holder_name, f,
		    err);
	case LK_HOLDER_TYPE:
		return get_text(v, SK_LICENCE_MAX_NUMBER, &lic->holder_type, f,
		    err);
	case LK_VALID_FROM:
		return get_date(v, &lic->valid_from, f, err);
	case LK_VALID_UNTIL:
		return get_date(v, &lic->valid_until, f, err);
	default:
		return get_items(v, lic, err);
	}
}

static int
get_licence(const struct sk_cbor_item *map, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	const struct sk_cbor_item *k;
	int64_t key;
	size_t i;
	int rc;

	if (map->type != SK_CBOR_MAP)
		return licence_err(err, SK_ERR_TYPE, "licence", "not a map");
	for (i = 0, k = map->child; i < map->len; i++, k = k->next->next) {
		if (k->type != SK_CBOR_UINT || k->u < 1 || k->u > LK_MAX)
			return licence_err(err, SK_ERR_FORMAT, "licence",
			    "unknown key in the licence map");
		key = (int64_t)k->u;
		if ((rc = get_licence_field(key, k->next, lic, err)) != 0)
			return rc;
	}
	return 0;
}

static int
get_status(const struct sk_cbor_item *v, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	const struct sk_cbor_item *sl, *idx;
	const char *f = "status.status_list";

	if (v->type != SK_CBOR_MAP || v->len != 1)
		return licence_err(err, SK_ERR_FORMAT, "status",
		    "not a map holding status_list only");
	if ((sl = sk_cbor_map_str(v, "status_list")) == NULL)
		return licence_err(err, SK_ERR_FORMAT, "status",
		    "not a map holding status_list only");
	if (sl->type != SK_CBOR_MAP || sl->len != 2 ||
	    (idx = sk_cbor_map_str(sl, "idx")) == NULL ||
	    sk_cbor_map_str(sl, "uri") == NULL)
		return licence_err(err, SK_ERR_FORMAT, f,
		    "not a map of idx and uri");
	if (idx->type != SK_CBOR_UINT)
		return licence_err(err, SK_ERR_TYPE, "status.status_list.idx",
		    "not an unsigned integer");
	if (idx->u > SK_LICENCE_MAX_STATUS_IDX)
		return licence_err(err, SK_ERR_LIMIT, "status.status_list.idx",
		    "too large");
	lic->has_status = 1;
	lic->status_idx = idx->u;
	return get_text(sk_cbor_map_str(sl, "uri"), SK_LICENCE_MAX_URI,
	    &lic->status_uri, "status.status_list.uri", err);
}

static int
get_claim(int64_t key, const struct sk_cbor_item *v, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	switch (key) {
	case SK_CWT_ISS:
		return get_text(v, SK_LICENCE_MAX_NUMBER, &lic->issuer_code,
		    "iss", err);
	case SK_CWT_SUB:
		return get_text(v, SK_LICENCE_MAX_NUMBER, &lic->holder_code,
		    "sub", err);
	case SK_CWT_EXP:
		lic->has_exp = 1;
		return get_time(v, &lic->exp, "exp", err);
	case SK_CWT_NBF:
		lic->has_nbf = 1;
		return get_time(v, &lic->nbf, "nbf", err);
	case SK_CWT_IAT:
		return get_time(v, &lic->iat, "iat", err);
	case SK_CWT_CTI:
		if (v->type != SK_CBOR_BSTR)
			return licence_err(err, SK_ERR_TYPE, "cti",
			    "not a byte string");
		if (v->len > SK_LICENCE_MAX_IDENT)
			return licence_err(err, SK_ERR_LIMIT, "cti",
			    "too long");
		if (v->len > 0 && memchr(v->ptr, '\0', v->len) != NULL)
			return licence_err(err, SK_ERR_FORMAT, "cti", "NUL");
		lic->identifier = licence_strndup((const char *)v->ptr,
		    v->len);
		return lic->identifier == NULL ?
		    licence_err(err, SK_ERR_NOMEM, "cti", NULL) : 0;
	case SK_CWT_STATUS:
		return get_status(v, lic, err);
	default:
		return get_licence(v, lic, err);
	}
}

/* Claim keys we accept; fail closed on any other (docs/LICENCE.md). */
static int
known_claim(int64_t key)
{
	switch (key) {
	case SK_CWT_ISS:
	case SK_CWT_SUB:
	case SK_CWT_EXP:
	case SK_CWT_NBF:
	case SK_CWT_IAT:
	case SK_CWT_CTI:
	case SK_CWT_STATUS:
	case SK_CWT_LICENCE:
		return 1;
	default:
		return 0;
	}
}

static int
get_claims(const struct sk_cbor_item *root, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	const struct sk_cbor_item *k;
	int64_t key;
	size_t i;
	int rc;

	if (root->type != SK_CBOR_MAP)
		return licence_err(err, SK_ERR_TYPE, "claims", "not a map");
	for (i = 0, k = root->child; i < root->len; i++, k = k->next->next) {
		if (sk_cbor_int(k, &key) != 0 || !known_claim(key))
			return licence_err(err, SK_ERR_FORMAT, "claims",
			    "unknown claim key");
		if ((rc = get_claim(key, k->next, lic, err)) != 0)
			return rc;
	}
	if (lic->issuer_code == NULL)
		return licence_err(err, SK_ERR_MISSING, "iss", "required");
	if (lic->holder_code == NULL)
		return licence_err(err, SK_ERR_MISSING, "sub", "required");
	if (lic->identifier == NULL)
		return licence_err(err, SK_ERR_MISSING, "cti", "required");
	if (sk_cbor_map_int(root, SK_CWT_IAT) == NULL)
		return licence_err(err, SK_ERR_MISSING, "iat", "required");
	if (sk_cbor_map_int(root, SK_CWT_LICENCE) == NULL)
		return licence_err(err, SK_ERR_MISSING, "licence", "required");
	return 0;
}

int
sk_licence_decode_claims(const uint8_t *in, size_t len,
    struct sk_licence **out, struct sk_licence_err *err)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc = NULL;
	struct sk_licence *lic;
	int rc;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (out == NULL)
		return licence_err(err, SK_ERR_ARG, "", "NULL out");
	*out = NULL;
	if (in == NULL && len > 0)
		return licence_err(err, SK_ERR_ARG, "", "NULL input");
	if (len > SK_LICENCE_MAX_CLAIMS)
		return licence_err(err, SK_ERR_LIMIT, "claims", "too long");
	sk_cbor_limits_default(&lim);
	lim.max_bytes = SK_LICENCE_MAX_CLAIMS;
	lim.max_depth = LICENCE_CBOR_DEPTH;
	lim.max_items = LICENCE_CBOR_ITEMS;
	lim.flags = SK_CBOR_CANONICAL;
	if ((rc = sk_cbor_decode(in, len, &lim, &doc)) != 0)
		return licence_err(err, rc, "claims", "CBOR not accepted");
	if ((lic = licence_new()) == NULL) {
		sk_cbor_free(doc);
		return licence_err(err, SK_ERR_NOMEM, "", NULL);
	}
	rc = get_claims(sk_cbor_root(doc), lic, err);
	sk_cbor_free(doc);
	if (rc == 0)
		rc = sk_licence_check(lic, err);
	if (rc != 0) {
		sk_licence_free(lic);
		return rc;
	}
	*out = lic;
	return 0;
}
