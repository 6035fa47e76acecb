/*
 * Token Status List, CWT form (sealkit/statuslist.h, docs/STATUSLIST.md).
 * Section numbers are those of draft-ietf-oauth-status-list.
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/compress.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/licence.h"
#include "sealkit/statuslist.h"
#include "sealkit/trust.h"

struct sk_statuslist {
	unsigned	 bits;
	uint64_t	 entries;
	uint8_t		*raw;	/* entries * bits / 8 bytes */
	size_t		 rawlen;
	char		*uri;		/* owned; NULL if none */
};

struct sk_status_entry {
	struct sk_statuslist		*list;	/* NULL if failed */
	struct sk_statuslist_meta	 meta;	/* meta.uri is the key */
	int				 err;	/* 0, or the failure */
};

struct sk_status_cache {
	struct sk_status_entry	e[SK_STATUS_CACHE_MAX_LISTS];
	size_t			n;
};

/* Room for the protected header {1: alg, 4: kid, 16: typ}. */
#define SK_SL_PROT_MAX		128u
/* Room the Sig_structure adds around protected header and payload. */
#define SK_SL_TBS_OVERHEAD	64u
/* Items and depth of a token's claims and headers (unknown claims too). */
#define SK_SL_MAX_ITEMS		256u
#define SK_SL_MAX_DEPTH		8u

static int
sk_sl_valid_bits(uint64_t bits)
{
	return bits == 1 || bits == 2 || bits == 4 || bits == 8;
}

/* RFC 3986 URIs are ASCII; we also refuse spaces and control bytes. */
static int
sk_sl_valid_uri(const uint8_t *p, size_t len)
{
	size_t i;

	if (len == 0 || len > SK_STATUSLIST_MAX_URI)
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* Bytes of the largest array of this bit size. */
static size_t
sk_sl_max_raw(unsigned bits)
{
	return (size_t)SK_STATUSLIST_MAX_ENTRIES / 8u * bits;
}

static void
sk_sl_limits(struct sk_cbor_limits *lim, size_t max_bytes, size_t items,
    unsigned flags)
{
	sk_cbor_limits_default(lim);
	lim->max_bytes = max_bytes;
	lim->max_depth = SK_SL_MAX_DEPTH;
	lim->max_items = items;
	lim->flags = flags;
}

/*
 * A list over raw (taken: freed here on error) of rawlen bytes; uri of
 * urilen bytes is copied, NULL for none.
 */
static int
sk_sl_make(unsigned bits, uint8_t *raw, size_t rawlen, const void *uri,
    size_t urilen, struct sk_statuslist **out)
{
	struct sk_statuslist *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		goto fail;
	if (uri != NULL) {
		if ((l->uri = malloc(urilen + 1)) == NULL)
			goto fail;
		memcpy(l->uri, uri, urilen);
		l->uri[urilen] = '\0';
	}
	l->bits = bits;
	l->raw = raw;
	l->rawlen = rawlen;
	l->entries = (uint64_t)rawlen * 8u / bits;
	*out = l;
	return 0;
fail:
	free(l);
	free(raw);
	return SK_ERR_NOMEM;
}

int
sk_statuslist_new(unsigned bits, uint64_t entries, const char *uri,
    struct sk_statuslist **out)
{
	uint8_t *raw;
	size_t rawlen, urilen = 0;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (!sk_sl_valid_bits(bits) || entries == 0)
		return SK_ERR_ARG;
	if (uri != NULL && !sk_sl_valid_uri((const uint8_t *)uri,
	    urilen = strnlen(uri, SK_STATUSLIST_MAX_URI + 1)))
		return SK_ERR_ARG;
	if (entries > SK_STATUSLIST_MAX_ENTRIES)
		return SK_ERR_LIMIT;
	/* At most 2^24 * 8 bits: no overflow. */
	rawlen = (size_t)((entries * bits + 7u) / 8u);
	if ((raw = calloc(1, rawlen)) == NULL)
		return SK_ERR_NOMEM;
	return sk_sl_make(bits, raw, rawlen, uri, urilen, out);
}

void
sk_statuslist_free(struct sk_statuslist *l)
{
	if (l == NULL)
		return;
	free(l->raw);
	free(l->uri);
	free(l);
}

unsigned
sk_statuslist_bits(const struct sk_statuslist *l)
{
	return l->bits;
}

uint64_t
sk_statuslist_entries(const struct sk_statuslist *l)
{
	return l->entries;
}

const char *
sk_statuslist_uri(const struct sk_statuslist *l)
{
	return l->uri;
}

void
sk_statuslist_raw(const struct sk_statuslist *l, const uint8_t **p,
    size_t *len)
{
	*p = l->raw;
	*len = l->rawlen;
}

/* Section 4.1: entries are packed from the least significant bit. */
int
sk_statuslist_get(const struct sk_statuslist *l, uint64_t idx,
    unsigned *status)
{
	uint64_t bit;

	if (status == NULL)
		return SK_ERR_ARG;
	*status = 0xffu;	/* not a status we act on, should it leak */
	if (l == NULL)
		return SK_ERR_ARG;
	if (idx >= l->entries)
		return SK_ERR_LIMIT;
	bit = idx * l->bits;
	*status = (l->raw[bit / 8u] >> (bit % 8u)) & ((1u << l->bits) - 1u);
	return 0;
}

int
sk_statuslist_set(struct sk_statuslist *l, uint64_t idx, unsigned status)
{
	unsigned mask, shift;
	uint64_t bit;

	if (l == NULL)
		return SK_ERR_ARG;
	mask = (1u << l->bits) - 1u;
	if (status > mask)
		return SK_ERR_ARG;
	if (idx >= l->entries)
		return SK_ERR_LIMIT;
	bit = idx * l->bits;
	shift = (unsigned)(bit % 8u);
	l->raw[bit / 8u] = (uint8_t)((l->raw[bit / 8u] & ~(mask << shift)) |
	    (status << shift));
	return 0;
}

/* Section 4.3; "lst" sorts before "bits" (RFC 8949 section 4.2.1). */
static int
sk_sl_put_cbor(const struct sk_statuslist *l, struct sk_buf *b)
{
	struct sk_buf z;
	int rc;

	sk_buf_init(&z, SK_STATUSLIST_MAX_TOKEN);
	if ((rc = sk_zlib_deflate(l->raw, l->rawlen, &z)) == 0 &&
	    (rc = sk_cbor_put_map(b, 2)) == 0 &&
	    (rc = sk_cbor_put_cstr(b, "lst")) == 0 &&
	    (rc = sk_cbor_put_bstr(b, z.data, z.len)) == 0 &&
	    (rc = sk_cbor_put_cstr(b, "bits")) == 0)
		rc = sk_cbor_put_uint(b, l->bits);
	sk_buf_free(&z);
	return rc;
}

int
sk_statuslist_encode_cbor(const struct sk_statuslist *l, struct sk_buf *out)
{
	struct sk_buf tmp;
	int rc;

	if (l == NULL || out == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&tmp, SK_STATUSLIST_MAX_TOKEN);
	if ((rc = sk_sl_put_cbor(l, &tmp)) == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}

/* aggregation_uri is optional and unused, but must be of its type. */
static int
sk_sl_check_agg(const struct sk_cbor_item *m)
{
	const struct sk_cbor_item *it;

	if ((it = sk_cbor_map_str(m, "aggregation_uri")) == NULL)
		return 0;
	if (it->type != SK_CBOR_TSTR)
		return SK_ERR_TYPE;
	return sk_sl_valid_uri(it->ptr, it->len) ? 0 : SK_ERR_FORMAT;
}

/* A StatusList map (section 4.3) into a list without uri. */
static int
sk_sl_from_item(const struct sk_cbor_item *m, unsigned flags,
    struct sk_statuslist **out)
{
	const struct sk_cbor_item *bits, *lst;
	struct sk_buf raw;
	uint8_t *p;
	size_t n;
	int rc;

	if (m->type != SK_CBOR_MAP)
		return SK_ERR_TYPE;
	if ((bits = sk_cbor_map_str(m, "bits")) == NULL ||
	    (lst = sk_cbor_map_str(m, "lst")) == NULL)
		return SK_ERR_MISSING;
	if (bits->type != SK_CBOR_UINT || lst->type != SK_CBOR_BSTR)
		return SK_ERR_TYPE;
	if (!sk_sl_valid_bits(bits->u) || lst->len == 0)
		return SK_ERR_FORMAT;
	if ((rc = sk_sl_check_agg(m)) != 0)
		return rc;
	sk_buf_init(&raw, sk_sl_max_raw((unsigned)bits->u));
	if ((rc = sk_zlib_inflate(lst->ptr, lst->len, raw.max, &raw)) != 0) {
		sk_buf_free(&raw);
		return rc;
	}
	sk_buf_take(&raw, &p, &n);
	if (n == 0) {
		free(p);
		return SK_ERR_FORMAT;
	}
	if (!(flags & SK_STATUSLIST_ALLOW_SHORT) &&
	    n * 8u / bits->u < SK_STATUSLIST_MIN_ENTRIES) {
		free(p);
		return SK_ERR_LIMIT;
	}
	return sk_sl_make((unsigned)bits->u, p, n, NULL, 0, out);
}

int
sk_statuslist_decode_cbor(const uint8_t *in, size_t len, unsigned flags,
    struct sk_statuslist **out)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_STATUSLIST_MAX_TOKEN)
		return SK_ERR_LIMIT;
	sk_sl_limits(&lim, SK_STATUSLIST_MAX_TOKEN, SK_SL_MAX_ITEMS, 0);
	if ((rc = sk_cbor_decode(in, len, &lim, &doc)) != 0)
		return rc;
	rc = sk_sl_from_item(sk_cbor_root(doc), flags, out);
	sk_cbor_free(doc);
	return rc;
}

/* Working file: {"raw": bstr, "uri": tstr, "bits": uint}, sorted keys. */
int
sk_statuslist_save(const struct sk_statuslist *l, struct sk_buf *out)
{
	struct sk_buf tmp;
	int rc;

	if (l == NULL || out == NULL || l->uri == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&tmp, SK_STATUSLIST_MAX_FILE);
	if ((rc = sk_cbor_put_map(&tmp, 3)) == 0 &&
	    (rc = sk_cbor_put_cstr(&tmp, "raw")) == 0 &&
	    (rc = sk_cbor_put_bstr(&tmp, l->raw, l->rawlen)) == 0 &&
	    (rc = sk_cbor_put_cstr(&tmp, "uri")) == 0 &&
	    (rc = sk_cbor_put_cstr(&tmp, l->uri)) == 0 &&
	    (rc = sk_cbor_put_cstr(&tmp, "bits")) == 0 &&
	    (rc = sk_cbor_put_uint(&tmp, l->bits)) == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}

static int
sk_sl_load_item(const struct sk_cbor_item *m, struct sk_statuslist **out)
{
	const struct sk_cbor_item *raw, *uri, *bits;
	uint8_t *p;

	if (m->type != SK_CBOR_MAP)
		return SK_ERR_TYPE;
	if ((raw = sk_cbor_map_str(m, "raw")) == NULL ||
	    (uri = sk_cbor_map_str(m, "uri")) == NULL ||
	    (bits = sk_cbor_map_str(m, "bits")) == NULL)
		return SK_ERR_MISSING;
	if (m->len != 3)
		return SK_ERR_FORMAT;
	if (raw->type != SK_CBOR_BSTR || uri->type != SK_CBOR_TSTR ||
	    bits->type != SK_CBOR_UINT)
		return SK_ERR_TYPE;
	if (!sk_sl_valid_bits(bits->u) || raw->len == 0 ||
	    !sk_sl_valid_uri(uri->ptr, uri->len))
		return SK_ERR_FORMAT;
	if (raw->len > sk_sl_max_raw((unsigned)bits->u))
		return SK_ERR_LIMIT;
	if ((p = malloc(raw->len)) == NULL)
		return SK_ERR_NOMEM;
	memcpy(p, raw->ptr, raw->len);
	return sk_sl_make((unsigned)bits->u, p, raw->len, uri->ptr, uri->len,
	    out);
}

int
sk_statuslist_load(const uint8_t *in, size_t len, struct sk_statuslist **out)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_STATUSLIST_MAX_FILE)
		return SK_ERR_LIMIT;
	sk_sl_limits(&lim, SK_STATUSLIST_MAX_FILE, 16, SK_CBOR_CANONICAL);
	if ((rc = sk_cbor_decode(in, len, &lim, &doc)) != 0)
		return rc;
	rc = sk_sl_load_item(sk_cbor_root(doc), out);
	sk_cbor_free(doc);
	return rc;
}

/*
 * Signing.
 */

/* Protected header {1: alg, 4: kid, 16: typ} (section 5.2, RFC 9596). */
static int
sk_sl_put_protected(const struct sk_signer *s, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, s->has_kid ? 3 : 2)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_COSE_HDR_ALG)) != 0 ||
	    (rc = sk_cbor_put_int(b, s->alg)) != 0)
		return rc;
	if (s->has_kid &&
	    ((rc = sk_cbor_put_uint(b, SK_COSE_HDR_KID)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, s->kid, SK_KID_LEN)) != 0))
		return rc;
	if ((rc = sk_cbor_put_uint(b, SK_COSE_HDR_TYP_LABEL)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, SK_STATUSLIST_TYP)) != 0)
		return rc;
	return 0;
}

/* Claims in key order 2, 4, 6, 65533, 65534 (section 5.2). */
static int
sk_sl_put_claims(const struct sk_statuslist *l,
    const struct sk_statuslist_meta *m, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, 3u + (m->has_exp != 0) +
	    (m->has_ttl != 0))) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_CWT_SUB)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, l->uri)) != 0)
		return rc;
	if (m->has_exp && ((rc = sk_cbor_put_uint(b, SK_CWT_EXP)) != 0 ||
	    (rc = sk_cbor_put_uint(b, (uint64_t)m->exp)) != 0))
		return rc;
	if ((rc = sk_cbor_put_uint(b, SK_CWT_IAT)) != 0 ||
	    (rc = sk_cbor_put_uint(b, (uint64_t)m->iat)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_CWT_STATUS_LIST)) != 0 ||
	    (rc = sk_sl_put_cbor(l, b)) != 0)
		return rc;
	if (m->has_ttl && ((rc = sk_cbor_put_uint(b, SK_CWT_TTL)) != 0 ||
	    (rc = sk_cbor_put_uint(b, m->ttl)) != 0))
		return rc;
	return 0;
}

static int
sk_sl_check_sign_args(const struct sk_statuslist *l,
    const struct sk_statuslist_meta *m)
{
	if (l->uri == NULL || m->iat < 0 || m->iat > SK_STATUSLIST_MAX_TIME ||
	    (!m->has_exp && !m->has_ttl))
		return SK_ERR_ARG;
	if (m->has_exp && (m->exp <= m->iat ||
	    m->exp > SK_STATUSLIST_MAX_TIME))
		return SK_ERR_ARG;
	if (m->has_ttl && (m->ttl == 0 ||
	    m->ttl > (uint64_t)SK_STATUSLIST_MAX_TIME))
		return SK_ERR_ARG;
	if (l->entries < SK_STATUSLIST_MIN_ENTRIES)
		return SK_ERR_LIMIT;
	return 0;
}

/* The draft (section 5.2) forbids the COSE and CWT tags: untagged. */
static int
sk_sl_put_message(const struct sk_buf *prot, const struct sk_buf *claims,
    const struct sk_buf *sig, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 4)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, prot->data, prot->len)) != 0 ||
	    (rc = sk_cbor_put_map(b, 0)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, claims->data, claims->len)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, sig->data, sig->len)) != 0)
		return rc;
	return 0;
}

int
sk_statuslist_token_sign(const struct sk_statuslist *l,
    struct sk_signer *signer, const struct sk_statuslist_meta *meta,
    struct sk_buf *out)
{
	struct sk_buf prot, claims, tbs, sig, msg;
	int rc;

	if (l == NULL || signer == NULL || meta == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_sl_check_sign_args(l, meta)) != 0)
		return rc;
	sk_buf_init(&prot, SK_SL_PROT_MAX);
	sk_buf_init(&claims, SK_STATUSLIST_MAX_TOKEN);
	sk_buf_init(&tbs, SK_STATUSLIST_MAX_TOKEN + SK_SL_PROT_MAX +
	    SK_SL_TBS_OVERHEAD);
	sk_buf_init(&sig, SK_SIG_MAX);
	sk_buf_init(&msg, SK_STATUSLIST_MAX_TOKEN);
	if ((rc = sk_sl_put_protected(signer, &prot)) != 0 ||
	    (rc = sk_sl_put_claims(l, meta, &claims)) != 0 ||
	    (rc = sk_cose_sig_structure(prot.data, prot.len, NULL, 0,
	    claims.data, claims.len, &tbs)) != 0 ||
	    (rc = sk_signer_sign(signer, tbs.data, tbs.len, &sig)) != 0 ||
	    (rc = sk_sl_put_message(&prot, &claims, &sig, &msg)) != 0)
		goto out;
	rc = sk_buf_append(out, msg.data, msg.len);
out:
	sk_buf_free(&prot);
	sk_buf_free(&claims);
	sk_buf_free(&tbs);
	sk_buf_free(&sig);
	sk_buf_free(&msg);
	return rc;
}

/*
 * Reading a token.
 */

/* typ (16) must be exactly SK_STATUSLIST_TYP (section 5.2). */
static int
sk_sl_check_typ(const struct sk_cose_sign1 *msg)
{
	const struct sk_cbor_item *typ;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	const uint8_t *p;
	size_t n;
	int rc;

	sk_cose_sign1_protected(msg, &p, &n);
	if (n == 0)
		return SK_ERR_MISSING;
	sk_sl_limits(&lim, n, SK_SL_MAX_ITEMS, 0);
	if ((rc = sk_cbor_decode(p, n, &lim, &doc)) != 0)
		return rc;
	typ = sk_cbor_map_int(sk_cbor_root(doc), SK_COSE_HDR_TYP_LABEL);
	if (typ == NULL)
		rc = SK_ERR_MISSING;
	else if (typ->type != SK_CBOR_TSTR ||
	    typ->len != sizeof(SK_STATUSLIST_TYP) - 1 ||
	    memcmp(typ->ptr, SK_STATUSLIST_TYP, typ->len) != 0)
		rc = SK_ERR_TYPE;
	sk_cbor_free(doc);
	return rc;
}

/* A NumericDate: an unsigned integer, no tag, no float. */
static int
sk_sl_time(const struct sk_cbor_item *it, int64_t *t)
{
	if (it->type != SK_CBOR_UINT)
		return SK_ERR_TYPE;
	if (it->u > (uint64_t)SK_STATUSLIST_MAX_TIME)
		return SK_ERR_LIMIT;
	*t = (int64_t)it->u;
	return 0;
}

static int
sk_sl_opt_time(const struct sk_cbor_item *map, int64_t key, int64_t *t,
    int *has)
{
	const struct sk_cbor_item *it;

	*has = 0;
	if ((it = sk_cbor_map_int(map, key)) == NULL)
		return 0;
	*has = 1;
	return sk_sl_time(it, t);
}

/* sub, iat, exp, nbf, ttl (section 5.2; RFC 8392 section 3.1). */
static int
sk_sl_claims_meta(const struct sk_cbor_item *c, struct sk_statuslist_meta *m)
{
	const struct sk_cbor_item *sub, *iat, *ttl;
	int rc;

	if ((sub = sk_cbor_map_int(c, SK_CWT_SUB)) == NULL ||
	    (iat = sk_cbor_map_int(c, SK_CWT_IAT)) == NULL)
		return SK_ERR_MISSING;
	if (sub->type != SK_CBOR_TSTR)
		return SK_ERR_TYPE;
	if (!sk_sl_valid_uri(sub->ptr, sub->len))
		return SK_ERR_FORMAT;
	memcpy(m->uri, sub->ptr, sub->len);
	m->uri[sub->len] = '\0';
	if ((rc = sk_sl_time(iat, &m->iat)) != 0 ||
	    (rc = sk_sl_opt_time(c, SK_CWT_EXP, &m->exp,
	    &m->has_exp)) != 0 ||
	    (rc = sk_sl_opt_time(c, SK_CWT_NBF, &m->nbf,
	    &m->has_nbf)) != 0)
		return rc;
	if ((ttl = sk_cbor_map_int(c, SK_CWT_TTL)) != NULL) {
		if (ttl->type != SK_CBOR_UINT)
			return SK_ERR_TYPE;
		if (ttl->u == 0)
			return SK_ERR_FORMAT;
		if (ttl->u > (uint64_t)SK_STATUSLIST_MAX_TIME)
			return SK_ERR_LIMIT;
		m->ttl = ttl->u;
		m->has_ttl = 1;
	}
	return 0;
}

static int
sk_sl_claims(const uint8_t *p, size_t n, unsigned flags,
    struct sk_statuslist **list, struct sk_statuslist_meta *m)
{
	const struct sk_cbor_item *root, *sl;
	struct sk_statuslist *l = NULL;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	int rc;

	sk_sl_limits(&lim, n, SK_SL_MAX_ITEMS, 0);
	if ((rc = sk_cbor_decode(p, n, &lim, &doc)) != 0)
		return rc;
	root = sk_cbor_root(doc);
	if (root->type != SK_CBOR_MAP) {
		rc = SK_ERR_TYPE;
		goto out;
	}
	if ((rc = sk_sl_claims_meta(root, m)) != 0)
		goto out;
	if ((sl = sk_cbor_map_int(root, SK_CWT_STATUS_LIST)) == NULL)
		rc = SK_ERR_MISSING;
	else if ((rc = sk_sl_from_item(sl, flags, &l)) == 0 &&
	    (l->uri = strdup(m->uri)) == NULL)
		rc = SK_ERR_NOMEM;
out:
	sk_cbor_free(doc);
	if (rc != 0) {
		sk_statuslist_free(l);
		return rc;
	}
	*list = l;
	return 0;
}

static void
sk_sl_meta_cose(const struct sk_cose_sign1 *msg, struct sk_statuslist_meta *m)
{
	const uint8_t *kid;
	size_t n;

	m->alg = sk_cose_sign1_alg(msg);
	sk_cose_sign1_kid(msg, &kid, &n);
	if (n > SK_COSE_MAX_KID)
		n = SK_COSE_MAX_KID;	/* cose.c already refuses longer */
	if (n > 0)
		memcpy(m->kid, kid, n);
	m->kidlen = n;
}

/* Parse, typ, signature (if key), claims, list, times (if asked). */
static int
sk_sl_read(const uint8_t *in, size_t len, const struct sk_key *key,
    int64_t at, unsigned flags, struct sk_statuslist **list,
    struct sk_statuslist_meta *m)
{
	struct sk_cose_sign1 *msg;
	const uint8_t *p;
	size_t n;
	int rc;

	if (len > SK_STATUSLIST_MAX_TOKEN)
		return SK_ERR_LIMIT;
	if ((rc = sk_cose_sign1_parse(in, len, 0, &msg)) != 0)
		return rc;
	if ((rc = sk_sl_check_typ(msg)) != 0 ||
	    (key != NULL &&
	    (rc = sk_cose_sign1_verify(msg, key, NULL, 0, NULL, 0)) != 0) ||
	    (rc = sk_cose_sign1_payload(msg, &p, &n)) != 0 ||
	    (rc = sk_sl_claims(p, n, flags, list, m)) != 0)
		goto out;
	sk_sl_meta_cose(msg, m);
	if (key != NULL && !(flags & SK_STATUSLIST_NO_TIME))
		rc = sk_statuslist_fresh(m, at);
	else if (key != NULL && !m->has_exp && !m->has_ttl)
		rc = SK_ERR_MISSING;
	if (rc != 0) {
		sk_statuslist_free(*list);
		*list = NULL;
	}
out:
	sk_cose_sign1_free(msg);
	return rc;
}

static int
sk_sl_read_out(const uint8_t *in, size_t len, const struct sk_key *key,
    int64_t at, unsigned flags, struct sk_statuslist **list,
    struct sk_statuslist_meta *meta)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l = NULL;
	int rc;

	if (list != NULL)
		*list = NULL;
	if (meta != NULL)
		memset(meta, 0, sizeof(*meta));
	if (in == NULL || list == NULL)
		return SK_ERR_ARG;
	memset(&m, 0, sizeof(m));
	if ((rc = sk_sl_read(in, len, key, at, flags, &l, &m)) != 0)
		return rc;
	*list = l;
	if (meta != NULL)
		*meta = m;
	return 0;
}

int
sk_statuslist_token_decode(const uint8_t *in, size_t len, unsigned flags,
    struct sk_statuslist **list, struct sk_statuslist_meta *meta)
{
	return sk_sl_read_out(in, len, NULL, 0, flags, list, meta);
}

int
sk_statuslist_token_verify(const uint8_t *in, size_t len,
    const struct sk_key *key, int64_t at, unsigned flags,
    struct sk_statuslist **list, struct sk_statuslist_meta *meta)
{
	if (key == NULL) {
		if (list != NULL)
			*list = NULL;
		if (meta != NULL)
			memset(meta, 0, sizeof(*meta));
		return SK_ERR_ARG;
	}
	return sk_sl_read_out(in, len, key, at, flags, list, meta);
}

/* Section 8.3 (validation) and RFC 8392 section 3.1.4. */
int
sk_statuslist_fresh(const struct sk_statuslist_meta *m, int64_t at)
{
	if (m == NULL)
		return SK_ERR_ARG;
	if (!m->has_exp && !m->has_ttl)
		return SK_ERR_MISSING;
	if (at < m->iat || (m->has_nbf && at < m->nbf))
		return SK_ERR_EXPIRED;
	if (m->has_exp && at >= m->exp)
		return SK_ERR_EXPIRED;
	/* iat and ttl are both at most SK_STATUSLIST_MAX_TIME. */
	if (m->has_ttl && at > m->iat + (int64_t)m->ttl)
		return SK_ERR_EXPIRED;
	return 0;
}

/*
 * The cache behind struct sk_status_source.
 */

int
sk_status_cache_new(struct sk_status_cache **out)
{
	if (out == NULL)
		return SK_ERR_ARG;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return SK_ERR_NOMEM;
	return 0;
}

void
sk_status_cache_free(struct sk_status_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		sk_statuslist_free(c->e[i].list);
	free(c);
}

size_t
sk_status_cache_count(const struct sk_status_cache *c)
{
	return c == NULL ? 0 : c->n;
}

static struct sk_status_entry *
sk_sc_find(struct sk_status_cache *c, const char *uri)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->e[i].meta.uri, uri) == 0)
			return &c->e[i];
	return NULL;
}

/* Takes l.  A newer good list wins; a failed entry yields to a good one. */
static int
sk_sc_put_good(struct sk_status_cache *c, struct sk_statuslist *l,
    const struct sk_statuslist_meta *m)
{
	struct sk_status_entry *e;

	if ((e = sk_sc_find(c, m->uri)) != NULL) {
		if (e->list != NULL && e->meta.iat >= m->iat) {
			sk_statuslist_free(l);
			return 0;
		}
		sk_statuslist_free(e->list);
	} else if (c->n == SK_STATUS_CACHE_MAX_LISTS) {
		sk_statuslist_free(l);
		return SK_ERR_LIMIT;
	} else
		e = &c->e[c->n++];
	e->list = l;
	e->meta = *m;
	e->err = 0;
	return 0;
}

/* Remember a failed token under its (unverified) sub, if it has one. */
static void
sk_sc_put_failed(struct sk_status_cache *c, const uint8_t *in, size_t len,
    int err)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct sk_status_entry *e;

	if (err == SK_ERR_NOMEM || err == SK_ERR_ARG ||
	    sk_statuslist_token_decode(in, len, SK_STATUSLIST_ALLOW_SHORT,
	    &l, &m) != 0)
		return;
	sk_statuslist_free(l);
	if (sk_sc_find(c, m.uri) != NULL ||
	    c->n == SK_STATUS_CACHE_MAX_LISTS)
		return;
	e = &c->e[c->n++];
	e->list = NULL;
	e->meta = m;
	e->err = (err == SK_ERR_SIGNATURE || err == SK_ERR_KEY ||
	    err == SK_ERR_NOTFOUND || err == SK_ERR_CERT ||
	    err == SK_ERR_UNSUPPORTED) ? SK_ERR_SIGNATURE : SK_ERR_FORMAT;
}

int
sk_status_cache_add(struct sk_status_cache *c, const uint8_t *in,
    size_t len, const struct sk_key *key)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	int rc;

	if (c == NULL || in == NULL || key == NULL)
		return SK_ERR_ARG;
	rc = sk_statuslist_token_verify(in, len, key, 0,
	    SK_STATUSLIST_NO_TIME, &l, &m);
	if (rc != 0) {
		sk_sc_put_failed(c, in, len, rc);
		return rc;
	}
	return sk_sc_put_good(c, l, &m);
}

/* Verify with one candidate certificate; 0 with *l and *m set. */
static int
sk_sc_try_cert(const uint8_t *in, size_t len, const struct sk_trust *t,
    const struct sk_cert *cert, struct sk_statuslist **l,
    struct sk_statuslist_meta *m)
{
	struct sk_key *pub;
	int rc;

	if ((rc = sk_cert_pubkey(cert, &pub)) != 0)
		return rc;
	rc = sk_statuslist_token_verify(in, len, pub, 0,
	    SK_STATUSLIST_NO_TIME, l, m);
	sk_key_free(pub);
	if (rc != 0)
		return rc;
	/* The signer's certificate must have been valid when it signed. */
	if ((rc = sk_trust_check_at(t, cert, m->iat)) != 0) {
		sk_statuslist_free(*l);
		*l = NULL;
		return rc == SK_ERR_NOMEM ? rc : SK_ERR_CERT;
	}
	return 0;
}

static int
sk_sc_kid(const uint8_t *in, size_t len, uint8_t *kid, size_t *kidlen)
{
	struct sk_cose_sign1 *msg;
	const uint8_t *p;
	int rc;

	if (len > SK_STATUSLIST_MAX_TOKEN)
		return SK_ERR_LIMIT;
	if ((rc = sk_cose_sign1_parse(in, len, 0, &msg)) != 0)
		return rc;
	sk_cose_sign1_kid(msg, &p, kidlen);
	if (*kidlen > SK_COSE_MAX_KID)
		rc = SK_ERR_LIMIT;
	else if (*kidlen > 0)
		memcpy(kid, p, *kidlen);
	sk_cose_sign1_free(msg);
	return rc;
}

int
sk_status_cache_add_trust(struct sk_status_cache *c, const uint8_t *in,
    size_t len, const struct sk_trust *t)
{
	uint8_t kid[SK_COSE_MAX_KID];
	struct sk_statuslist_meta m;
	struct sk_statuslist *l = NULL;
	const struct sk_cert *cert;
	size_t i, kidlen = 0;
	int rc;

	if (c == NULL || in == NULL || t == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_sc_kid(in, len, kid, &kidlen)) != 0) {
		sk_sc_put_failed(c, in, len, rc);
		return rc;
	}
	rc = SK_ERR_NOTFOUND;
	for (i = 0; sk_trust_lookup(t, kid, kidlen, i, &cert) == 0; i++) {
		rc = sk_sc_try_cert(in, len, t, cert, &l, &m);
		/* Only a key that does not fit calls for the next one. */
		if (rc != SK_ERR_SIGNATURE && rc != SK_ERR_KEY)
			break;
	}
	if (rc != 0) {
		sk_sc_put_failed(c, in, len, rc);
		return rc;
	}
	return sk_sc_put_good(c, l, &m);
}

static int
sk_sc_lookup(void *ctx, const char *uri, uint64_t idx, int64_t at,
    unsigned *status)
{
	struct sk_status_cache *c = ctx;
	struct sk_status_entry *e;
	int rc;

	if (status == NULL)
		return SK_ERR_ARG;
	*status = 0xffu;
	if (c == NULL || uri == NULL)
		return SK_ERR_ARG;
	if ((e = sk_sc_find(c, uri)) == NULL)
		return SK_ERR_NOTFOUND;
	if (e->err != 0)
		return e->err;
	if ((rc = sk_statuslist_fresh(&e->meta, at)) != 0)
		return rc == SK_ERR_MISSING ? SK_ERR_FORMAT : rc;
	return sk_statuslist_get(e->list, idx, status);
}

void
sk_status_cache_source(struct sk_status_cache *c,
    struct sk_status_source *src)
{
	src->lookup = sk_sc_lookup;
	src->ctx = c;
}
