/*
 * CBOR (RFC 8949) encoder: preferred serialisation (section 4.1) and, for
 * whole trees, core deterministic encoding (section 4.2.1).
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "cbor_int.h"

#define CE_HEAD_MAX	9	/* initial byte + 8-byte argument */
#define CE_FRAC_BITS	52
#define CE_FRAC_MASK	((UINT64_C(1) << CE_FRAC_BITS) - 1)

/* One map pair encoded into a scratch buffer. */
struct ce_pair {
	size_t		 off;	/* into the scratch buffer */
	size_t		 klen;	/* key bytes */
	size_t		 len;	/* key and value bytes */
	const uint8_t	*p;	/* set once the scratch buffer stops moving */
};

/* Shortest head for major type and argument; returns its length. */
static size_t
ce_head(uint8_t h[CE_HEAD_MAX], unsigned major, uint64_t arg)
{
	size_t n, i;
	unsigned ai;

	if (arg < 24) {
		h[0] = (uint8_t)(major << 5 | arg);
		return 1;
	}
	if (arg <= UINT8_MAX) {
		ai = SK_CBOR_AI_1BYTE;
		n = 1;
	} else if (arg <= UINT16_MAX) {
		ai = SK_CBOR_AI_2BYTE;
		n = 2;
	} else if (arg <= UINT32_MAX) {
		ai = SK_CBOR_AI_4BYTE;
		n = 4;
	} else {
		ai = SK_CBOR_AI_8BYTE;
		n = 8;
	}
	h[0] = (uint8_t)(major << 5 | ai);
	for (i = 0; i < n; i++)
		h[1 + i] = (uint8_t)(arg >> (8 * (n - 1 - i)));
	return 1 + n;
}

static int
ce_put_head(struct sk_buf *out, unsigned major, uint64_t arg)
{
	uint8_t h[CE_HEAD_MAX];

	return sk_buf_append(out, h, ce_head(h, major, arg));
}

/* Head and contents in one extend, so that a failure leaves out as is. */
static int
ce_put_string(struct sk_buf *out, unsigned major, const void *p, size_t len)
{
	uint8_t h[CE_HEAD_MAX], *dst;
	size_t hl, total;
	int rc;

	if (p == NULL && len > 0)
		return SK_ERR_ARG;
	hl = ce_head(h, major, len);
	if (__builtin_add_overflow(hl, len, &total))
		return SK_ERR_LIMIT;
	if ((rc = sk_buf_extend(out, total, &dst)) != 0)
		return rc;
	memcpy(dst, h, hl);
	if (len > 0)
		memcpy(dst + hl, p, len);
	return 0;
}

int
sk_cbor_put_uint(struct sk_buf *out, uint64_t v)
{
	return ce_put_head(out, SK_CBOR_MAJOR_UINT, v);
}

int
sk_cbor_put_nint(struct sk_buf *out, uint64_t n)
{
	return ce_put_head(out, SK_CBOR_MAJOR_NINT, n);
}

int
sk_cbor_put_int(struct sk_buf *out, int64_t v)
{
	if (v >= 0)
		return sk_cbor_put_uint(out, (uint64_t)v);
	/* -1 - n == v, computed without overflow for INT64_MIN. */
	return sk_cbor_put_nint(out, (uint64_t)(-(v + 1)));
}

int
sk_cbor_put_bstr(struct sk_buf *out, const void *p, size_t len)
{
	return ce_put_string(out, SK_CBOR_MAJOR_BSTR, p, len);
}

int
sk_cbor_put_tstr(struct sk_buf *out, const char *s, size_t len)
{
	return ce_put_string(out, SK_CBOR_MAJOR_TSTR, s, len);
}

int
sk_cbor_put_cstr(struct sk_buf *out, const char *s)
{
	if (s == NULL)
		return SK_ERR_ARG;
	return sk_cbor_put_tstr(out, s, strlen(s));
}

int
sk_cbor_put_array(struct sk_buf *out, uint64_t count)
{
	return ce_put_head(out, SK_CBOR_MAJOR_ARRAY, count);
}

int
sk_cbor_put_map(struct sk_buf *out, uint64_t pairs)
{
	return ce_put_head(out, SK_CBOR_MAJOR_MAP, pairs);
}

int
sk_cbor_put_tag(struct sk_buf *out, uint64_t tag)
{
	return ce_put_head(out, SK_CBOR_MAJOR_TAG, tag);
}

int
sk_cbor_put_simple(struct sk_buf *out, uint8_t v)
{
	/* Section 3.3: 24..31 have no valid encoding. */
	if (v >= 24 && v < 32)
		return SK_ERR_ARG;
	return ce_put_head(out, SK_CBOR_MAJOR_SIMPLE, v);
}

int
sk_cbor_put_bool(struct sk_buf *out, int v)
{
	return sk_cbor_put_simple(out, v ? SK_CBOR_TRUE : SK_CBOR_FALSE);
}

int
sk_cbor_put_null(struct sk_buf *out)
{
	return sk_cbor_put_simple(out, SK_CBOR_NULL);
}

/*
 * Half precision holding the finite non-zero double of unbiased exponent
 * e and 53-bit significand m (implicit bit set), if exact.
 */
static int
ce_half(uint64_t sign, int e, uint64_t m, uint64_t *out)
{
	unsigned shift;

	if (e >= -14 && e <= 15) {
		if ((m & ((UINT64_C(1) << 42) - 1)) != 0)
			return 0;
		*out = sign << 15 | (uint64_t)(e + 15) << 10 |
		    (m & CE_FRAC_MASK) >> 42;
		return 1;
	}
	if (e < -24 || e > 15)
		return 0;
	shift = (unsigned)(28 - e);	/* subnormal: m * 2^(e-52) / 2^-24 */
	if ((m & ((UINT64_C(1) << shift) - 1)) != 0)
		return 0;
	*out = sign << 15 | m >> shift;
	return 1;
}

static int
ce_single(uint64_t sign, int e, uint64_t m, uint64_t *out)
{
	unsigned shift;

	if (e >= -126 && e <= 127) {
		if ((m & ((UINT64_C(1) << 29) - 1)) != 0)
			return 0;
		*out = sign << 31 | (uint64_t)(e + 127) << 23 |
		    (m & CE_FRAC_MASK) >> 29;
		return 1;
	}
	if (e < -149 || e > 127)
		return 0;
	shift = (unsigned)(-97 - e);	/* subnormal: units of 2^-149 */
	if ((m & ((UINT64_C(1) << shift) - 1)) != 0)
		return 0;
	*out = sign << 31 | m >> shift;
	return 1;
}

/* Infinities and NaNs: shortest width that keeps the payload (4.1). */
static unsigned
ce_nonfinite(uint64_t b, uint64_t *bits)
{
	uint64_t sign = b >> 63, frac = b & CE_FRAC_MASK;

	if ((frac & ((UINT64_C(1) << 42) - 1)) == 0) {
		*bits = sign << 15 | 0x7c00u | frac >> 42;
		return 2;
	}
	if ((frac & ((UINT64_C(1) << 29) - 1)) == 0) {
		*bits = sign << 31 | UINT64_C(0x7f800000) | frac >> 29;
		return 4;
	}
	*bits = b;
	return 8;
}

unsigned
sk_cbor_float_shortest(double v, uint64_t *bits)
{
	uint64_t b, sign, bexp, m;
	int e;

	memcpy(&b, &v, sizeof(b));
	sign = b >> 63;
	bexp = b >> CE_FRAC_BITS & 0x7ff;
	if (bexp == 0x7ff)
		return ce_nonfinite(b, bits);
	if (bexp == 0) {
		if ((b & CE_FRAC_MASK) == 0) {
			*bits = sign << 15;	/* +-0.0 */
			return 2;
		}
		*bits = b;	/* double subnormals fit nothing smaller */
		return 8;
	}
	e = (int)bexp - 1023;
	m = (b & CE_FRAC_MASK) | UINT64_C(1) << CE_FRAC_BITS;
	if (ce_half(sign, e, m, bits))
		return 2;
	if (ce_single(sign, e, m, bits))
		return 4;
	*bits = b;
	return 8;
}

int
sk_cbor_put_float(struct sk_buf *out, double v)
{
	uint8_t h[CE_HEAD_MAX];
	uint64_t bits;
	unsigned w, i;

	w = sk_cbor_float_shortest(v, &bits);
	h[0] = w == 2 ? 0xf9 : w == 4 ? 0xfa : 0xfb;
	for (i = 0; i < w; i++)
		h[1 + i] = (uint8_t)(bits >> (8 * (w - 1 - i)));
	return sk_buf_append(out, h, 1 + w);
}

/* Count the children of a container, trusting nothing in a built tree. */
static int
ce_children(const struct sk_cbor_item *it, size_t *n)
{
	const struct sk_cbor_item *c;
	size_t want, i = 0;

	*n = 0;
	want = it->len;
	if (it->type == SK_CBOR_MAP &&
	    __builtin_mul_overflow(want, 2, &want))
		return SK_ERR_ARG;
	for (c = it->child; c != NULL && i < want; c = c->next)
		i++;
	if (i != want)
		return SK_ERR_ARG;
	*n = it->len;
	return 0;
}

static int
ce_array(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	const struct sk_cbor_item *c;
	size_t n, i;
	int rc;

	if ((rc = ce_children(it, &n)) != 0)
		return rc;
	if ((rc = sk_cbor_put_array(out, n)) != 0)
		return rc;
	for (c = it->child, i = 0; i < n; c = c->next, i++)
		if ((rc = sk_cbor_enc_item(c, out, depth + 1)) != 0)
			return rc;
	return 0;
}

/* Bytewise order of the key encodings, then of the whole pair. */
static int
ce_cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	int c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
ce_pair_cmp(const void *va, const void *vb)
{
	const struct ce_pair *a = va, *b = vb;
	int c;

	if ((c = ce_cmp_bytes(a->p, a->klen, b->p, b->klen)) != 0)
		return c;
	return ce_cmp_bytes(a->p, a->len, b->p, b->len);
}

/*
 * Encode the n pairs of map (values too when values is set) into tmp and
 * return them sorted by key encoding in *pairs (free()).
 */
static int
ce_pairs(const struct sk_cbor_item *map, unsigned depth, int values,
    struct sk_buf *tmp, struct ce_pair **pairs, size_t *n)
{
	const struct sk_cbor_item *k;
	struct ce_pair *pr;
	size_t i;
	int rc;

	*pairs = NULL;
	if ((rc = ce_children(map, n)) != 0 || *n == 0)
		return rc;
	if ((pr = calloc(*n, sizeof(*pr))) == NULL)
		return SK_ERR_NOMEM;
	for (k = map->child, i = 0; i < *n; k = k->next->next, i++) {
		pr[i].off = tmp->len;
		if ((rc = sk_cbor_enc_item(k, tmp, depth + 1)) != 0)
			goto fail;
		pr[i].klen = tmp->len - pr[i].off;
		if (values &&
		    (rc = sk_cbor_enc_item(k->next, tmp, depth + 1)) != 0)
			goto fail;
		pr[i].len = tmp->len - pr[i].off;
	}
	for (i = 0; i < *n; i++)
		pr[i].p = tmp->data + pr[i].off;
	qsort(pr, *n, sizeof(*pr), ce_pair_cmp);
	*pairs = pr;
	return 0;
fail:
	free(pr);
	return rc;
}

static int
ce_map(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	struct sk_buf tmp;
	struct ce_pair *pr;
	size_t n, i;
	int rc;

	sk_buf_init(&tmp, out->max - out->len);
	if ((rc = ce_pairs(it, depth, 1, &tmp, &pr, &n)) != 0)
		goto out;
	if ((rc = sk_cbor_put_map(out, n)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((rc = sk_buf_append(out, pr[i].p, pr[i].len)) != 0)
			break;
out:
	free(pr);
	sk_buf_free(&tmp);
	return rc;
}

int
sk_cbor_map_unique(const struct sk_cbor_item *map, size_t scratch_max)
{
	struct sk_buf tmp;
	struct ce_pair *pr;
	size_t n, i;
	int rc;

	sk_buf_init(&tmp, scratch_max);
	if ((rc = ce_pairs(map, 0, 0, &tmp, &pr, &n)) != 0)
		goto out;
	for (i = 1; i < n; i++) {
		if (ce_cmp_bytes(pr[i - 1].p, pr[i - 1].klen, pr[i].p,
		    pr[i].klen) == 0) {
			rc = SK_ERR_DUPLICATE;
			break;
		}
	}
out:
	free(pr);
	sk_buf_free(&tmp);
	return rc;
}

static int
ce_tag(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	int rc;

	if (it->child == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_cbor_put_tag(out, it->u)) != 0)
		return rc;
	return sk_cbor_enc_item(it->child, out, depth + 1);
}

int
sk_cbor_enc_item(const struct sk_cbor_item *it, struct sk_buf *out,
    unsigned depth)
{
	if (it == NULL || out == NULL)
		return SK_ERR_ARG;
	if (depth > SK_CBOR_DEPTH_HARD)
		return SK_ERR_LIMIT;
	switch (it->type) {
	case SK_CBOR_UINT:
		return sk_cbor_put_uint(out, it->u);
	case SK_CBOR_NINT:
		return sk_cbor_put_nint(out, it->u);
	case SK_CBOR_BSTR:
		return sk_cbor_put_bstr(out, it->ptr, it->len);
	case SK_CBOR_TSTR:
		return ce_put_string(out, SK_CBOR_MAJOR_TSTR, it->ptr, it->len);
	case SK_CBOR_ARRAY:
		return ce_array(it, out, depth);
	case SK_CBOR_MAP:
		return ce_map(it, out, depth);
	case SK_CBOR_TAG:
		return ce_tag(it, out, depth);
	case SK_CBOR_SIMPLE:
		if (it->u > UINT8_MAX)
			return SK_ERR_ARG;
		return sk_cbor_put_simple(out, (uint8_t)it->u);
	case SK_CBOR_FLOAT:
		return sk_cbor_put_float(out, it->f);
	default:
		return SK_ERR_ARG;
	}
}

int
sk_cbor_encode_item(const struct sk_cbor_item *it, struct sk_buf *out)
{
	struct sk_buf tmp;
	int rc;

	if (out == NULL || out->len > out->max)
		return SK_ERR_ARG;
	/* Build aside so that a failure leaves out unchanged. */
	sk_buf_init(&tmp, out->max - out->len);
	if ((rc = sk_cbor_enc_item(it, &tmp, 0)) == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}
