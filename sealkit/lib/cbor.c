/*
 * CBOR (RFC 8949) decoder into a read-only tree, and its accessors.
 *
 * Two passes over the input with the same parser (docs/CBOR.md): pass 1
 * runs with no item array, checks well-formedness and every limit and
 * counts the items and the bytes of indefinite strings; pass 2 fills one
 * array of exactly that many items, in pre-order, so a container's first
 * child is the slot after it.  Nothing is allocated before pass 1 accepts
 * the whole input, whatever lengths it declares.
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "cbor_int.h"

#define CB_KNOWN_FLAGS	(SK_CBOR_ALLOW_INDEFINITE | SK_CBOR_CANONICAL)

struct sk_cbor_doc {
	struct sk_cbor_item	*items;
	size_t			 nitems;
	uint8_t			*joined;	/* indefinite strings, joined */
	size_t			 joinedlen;
	size_t			 inlen;
};

struct cb_dec {
	const uint8_t			*p;
	const uint8_t			*end;
	const struct sk_cbor_limits	*lim;
	size_t				 nitems;
	size_t				 joined; /* pass 1: bytes needed */
	struct sk_cbor_item		*items;	/* NULL in pass 1 */
	size_t				 nalloc;
	uint8_t				*jbuf;	/* pass 2 */
	size_t				 jlen;
	size_t				 jcap;
};

struct cb_head {
	const uint8_t	*start;
	unsigned	 major;
	unsigned	 ai;
	uint64_t	 arg;
};

static int	cb_item(struct cb_dec *, unsigned, struct sk_cbor_item **);

void
sk_cbor_limits_default(struct sk_cbor_limits *lim)
{
	lim->max_bytes = SK_CBOR_MAX_BYTES;
	lim->max_depth = SK_CBOR_MAX_DEPTH;
	lim->max_items = SK_CBOR_MAX_ITEMS;
	lim->flags = 0;
}

static size_t
cb_left(const struct cb_dec *d)
{
	return (size_t)(d->end - d->p);
}

static int
cb_canonical(const struct cb_dec *d)
{
	return (d->lim->flags & SK_CBOR_CANONICAL) != 0;
}

/* Initial byte and argument (RFC 8949 section 3). */
static int
cb_read_head(struct cb_dec *d, struct cb_head *h)
{
	size_t n, i;
	uint8_t ib;

	if (d->p >= d->end)
		return SK_ERR_TRUNCATED;
	h->start = d->p;
	ib = *d->p++;
	h->major = ib >> 5;
	h->ai = ib & 0x1fu;
	h->arg = h->ai;
	if (h->ai < SK_CBOR_AI_1BYTE || h->ai == SK_CBOR_AI_INDEF)
		return 0;
	if (h->ai > SK_CBOR_AI_8BYTE)
		return SK_ERR_FORMAT;	/* reserved 28-30 */
	n = (size_t)1 << (h->ai - SK_CBOR_AI_1BYTE);
	if (cb_left(d) < n)
		return SK_ERR_TRUNCATED;
	h->arg = 0;
	for (i = 0; i < n; i++)
		h->arg = h->arg << 8 | *d->p++;
	return 0;
}

/* Section 4.2.1: the argument must use its shortest form. */
static int
cb_shortest(const struct cb_head *h)
{
	switch (h->ai) {
	case SK_CBOR_AI_1BYTE:
		return h->arg >= 24;
	case SK_CBOR_AI_2BYTE:
		return h->arg > UINT8_MAX;
	case SK_CBOR_AI_4BYTE:
		return h->arg > UINT16_MAX;
	case SK_CBOR_AI_8BYTE:
		return h->arg > UINT32_MAX;
	default:
		return 1;
	}
}

/* Profile checks on a head before its content is read. */
static int
cb_check_head(const struct cb_dec *d, const struct cb_head *h)
{
	if (h->ai == SK_CBOR_AI_INDEF) {
		if (h->major < SK_CBOR_MAJOR_BSTR ||
		    h->major > SK_CBOR_MAJOR_MAP)
			return SK_ERR_FORMAT;	/* incl. a stray break */
		if ((d->lim->flags & SK_CBOR_ALLOW_INDEFINITE) == 0 ||
		    cb_canonical(d))
			return SK_ERR_NONCANONICAL;
		return 0;
	}
	if (h->major == SK_CBOR_MAJOR_SIMPLE)
		return 0;	/* floats are checked by value */
	if (cb_canonical(d) && !cb_shortest(h))
		return SK_ERR_NONCANONICAL;
	return 0;
}

static int
cb_new(struct cb_dec *d, struct sk_cbor_item *tmp, struct sk_cbor_item **it)
{
	if (d->nitems >= d->lim->max_items)
		return SK_ERR_LIMIT;
	if (d->items == NULL)
		*it = tmp;
	else if (d->nitems >= d->nalloc)
		return SK_ERR_INTERNAL;
	else
		*it = &d->items[d->nitems];
	d->nitems++;
	**it = (struct sk_cbor_item){ .type = SK_CBOR_UINT };
	return 0;
}

/*
 * RFC 3629 section 4: well-formed UTF-8, so no overlong forms, no
 * surrogates (U+D800..DFFF) and nothing above U+10FFFF.
 */
static int
cb_utf8_valid(const uint8_t *s, size_t len)
{
	size_t i = 0, n, k;
	uint8_t c, lo, hi;

	while (i < len) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n + 1;
	}
	return 1;
}

static int
cb_string(struct cb_dec *d, const struct cb_head *h, struct sk_cbor_item *it)
{
	if (h->arg > cb_left(d))
		return SK_ERR_TRUNCATED;
	it->ptr = d->p;
	it->len = (size_t)h->arg;
	if (h->major == SK_CBOR_MAJOR_TSTR && !cb_utf8_valid(d->p, it->len))
		return SK_ERR_FORMAT;
	d->p += it->len;
	return 0;
}

/* One chunk of an indefinite string; *n its length. */
static int
cb_chunk(struct cb_dec *d, unsigned major, size_t *n)
{
	struct cb_head c;
	int rc;

	if ((rc = cb_read_head(d, &c)) != 0)
		return rc;
	/* Section 3.2.3: definite strings of the same major type only. */
	if (c.major != major || c.ai == SK_CBOR_AI_INDEF)
		return SK_ERR_FORMAT;
	if (c.arg > cb_left(d))
		return SK_ERR_TRUNCATED;
	*n = (size_t)c.arg;
	/* Each text chunk is valid UTF-8 by itself (section 3.2.3). */
	if (major == SK_CBOR_MAJOR_TSTR && !cb_utf8_valid(d->p, *n))
		return SK_ERR_FORMAT;
	if (d->items != NULL) {
		if (*n > d->jcap - d->jlen)
			return SK_ERR_INTERNAL;
		if (*n > 0)
			memcpy(d->jbuf + d->jlen, d->p, *n);
		d->jlen += *n;
	}
	d->p += *n;
	return 0;
}

static int
cb_indef_string(struct cb_dec *d, const struct cb_head *h,
    struct sk_cbor_item *it)
{
	size_t total = 0, off = d->jlen, n;
	int rc;

	for (;;) {
		if (d->p >= d->end)
			return SK_ERR_TRUNCATED;
		if (*d->p == SK_CBOR_BREAK) {
			d->p++;
			break;
		}
		if ((rc = cb_chunk(d, h->major, &n)) != 0)
			return rc;
		total += n;	/* cannot wrap: bounded by the input */
	}
	if (d->items == NULL)
		d->joined += total;
	it->ptr = total > 0 && d->jbuf != NULL ? d->jbuf + off : h->start;
	it->len = total;
	it->indefinite = 1;
	return 0;
}

static void
cb_link(const struct cb_dec *d, struct sk_cbor_item *parent,
    struct sk_cbor_item **prev, struct sk_cbor_item *c)
{
	if (d->items == NULL)
		return;
	if (*prev == NULL)
		parent->child = c;
	else
		(*prev)->next = c;
	*prev = c;
}

/* Fail fast on declared counts the input or the limits cannot hold. */
static int
cb_check_count(const struct cb_dec *d, const struct cb_head *h,
    uint64_t *want)
{
	*want = h->arg;
	if (h->major == SK_CBOR_MAJOR_MAP) {
		if (*want > UINT64_MAX / 2)
			return SK_ERR_TRUNCATED;
		*want *= 2;
	}
	/* Every item takes at least one byte. */
	if (*want > cb_left(d))
		return SK_ERR_TRUNCATED;
	if (*want > d->lim->max_items - d->nitems)
		return SK_ERR_LIMIT;
	return 0;
}

static int
cb_container(struct cb_dec *d, const struct cb_head *h, unsigned depth,
    struct sk_cbor_item *it)
{
	struct sk_cbor_item *c, *prev = NULL;
	uint64_t want = 0, got = 0;
	int rc, indef = h->ai == SK_CBOR_AI_INDEF;

	if (!indef && (rc = cb_check_count(d, h, &want)) != 0)
		return rc;
	for (;;) {
		if (indef) {
			if (d->p >= d->end)
				return SK_ERR_TRUNCATED;
			if (*d->p == SK_CBOR_BREAK) {
				d->p++;
				break;
			}
		} else if (got == want)
			break;
		if ((rc = cb_item(d, depth + 1, &c)) != 0)
			return rc;
		cb_link(d, it, &prev, c);
		got++;
	}
	if (h->major == SK_CBOR_MAJOR_MAP) {
		if (got % 2 != 0)
			return SK_ERR_FORMAT;	/* key without a value */
		got /= 2;
	}
	it->len = (size_t)got;
	it->indefinite = indef;
	return 0;
}

static double
cb_double(uint64_t b)
{
	double v;

	memcpy(&v, &b, sizeof(v));
	return v;
}

/* sign * man * 2^lsb for a non-zero man that fits a normal double. */
static double
cb_scaled(uint64_t sign, uint64_t man, int lsb)
{
	int k = 63 - __builtin_clzll(man);
	uint64_t frac = (man << (52 - k)) & ((UINT64_C(1) << 52) - 1);

	return cb_double(sign << 63 | (uint64_t)(k + lsb + 1023) << 52 | frac);
}

/*
 * Widen half or single precision to double by bits, not by the FPU, so
 * that NaN payloads (and signalling NaNs) survive unchanged.
 */
static double
cb_widen(uint64_t raw, unsigned expbits, unsigned fracbits)
{
	uint64_t sign = raw >> (expbits + fracbits) & 1;
	uint64_t emax = (UINT64_C(1) << expbits) - 1;
	uint64_t exp = raw >> fracbits & emax;
	uint64_t frac = raw & ((UINT64_C(1) << fracbits) - 1);
	int bias = (int)(emax >> 1);

	if (exp == 0 && frac == 0)
		return cb_double(sign << 63);
	if (exp == 0)
		return cb_scaled(sign, frac, 1 - bias - (int)fracbits);
	if (exp == emax)
		return cb_double(sign << 63 | UINT64_C(0x7ff) << 52 |
		    frac << (52 - fracbits));
	return cb_double(sign << 63 |
	    (uint64_t)((int)exp - bias + 1023) << 52 | frac << (52 - fracbits));
}

static int
cb_float(const struct cb_dec *d, const struct cb_head *h,
    struct sk_cbor_item *it)
{
	uint64_t bits;

	it->type = SK_CBOR_FLOAT;
	switch (h->ai) {
	case SK_CBOR_AI_2BYTE:
		it->f = cb_widen(h->arg, 5, 10);
		it->fwidth = 2;
		break;
	case SK_CBOR_AI_4BYTE:
		it->f = cb_widen(h->arg, 8, 23);
		it->fwidth = 4;
		break;
	default:
		it->f = cb_double(h->arg);
		it->fwidth = 8;
		break;
	}
	if (cb_canonical(d) &&
	    sk_cbor_float_shortest(it->f, &bits) != it->fwidth)
		return SK_ERR_NONCANONICAL;
	return 0;
}

static int
cb_simple(const struct cb_dec *d, const struct cb_head *h,
    struct sk_cbor_item *it)
{
	switch (h->ai) {
	case SK_CBOR_AI_1BYTE:
		/* Section 3.3: f8 00..f8 1f are not well-formed. */
		if (h->arg < 32)
			return SK_ERR_FORMAT;
		break;
	case SK_CBOR_AI_2BYTE:
	case SK_CBOR_AI_4BYTE:
	case SK_CBOR_AI_8BYTE:
		return cb_float(d, h, it);
	default:
		break;
	}
	it->type = SK_CBOR_SIMPLE;
	it->u = h->arg;
	return 0;
}

static int
cb_tag(struct cb_dec *d, unsigned depth, struct sk_cbor_item *it)
{
	struct sk_cbor_item *c, *prev = NULL;
	int rc;

	if ((rc = cb_item(d, depth + 1, &c)) != 0)
		return rc;
	cb_link(d, it, &prev, c);
	return 0;
}

static int
cb_body(struct cb_dec *d, const struct cb_head *h, unsigned depth,
    struct sk_cbor_item *it)
{
	static const enum sk_cbor_type types[] = {
		SK_CBOR_UINT, SK_CBOR_NINT, SK_CBOR_BSTR, SK_CBOR_TSTR,
		SK_CBOR_ARRAY, SK_CBOR_MAP, SK_CBOR_TAG, SK_CBOR_SIMPLE
	};

	it->type = types[h->major];
	switch (h->major) {
	case SK_CBOR_MAJOR_UINT:
	case SK_CBOR_MAJOR_NINT:
		it->u = h->arg;
		return 0;
	case SK_CBOR_MAJOR_BSTR:
	case SK_CBOR_MAJOR_TSTR:
		if (h->ai == SK_CBOR_AI_INDEF)
			return cb_indef_string(d, h, it);
		return cb_string(d, h, it);
	case SK_CBOR_MAJOR_ARRAY:
	case SK_CBOR_MAJOR_MAP:
		if (depth >= d->lim->max_depth)
			return SK_ERR_LIMIT;
		return cb_container(d, h, depth, it);
	case SK_CBOR_MAJOR_TAG:
		if (depth >= d->lim->max_depth)
			return SK_ERR_LIMIT;
		it->u = h->arg;
		return cb_tag(d, depth, it);
	default:
		return cb_simple(d, h, it);
	}
}

/*
 * One data item.  depth is the number of arrays, maps and tags around it;
 * *out is set in pass 2 only (pass 1 items live on the stack).
 */
static int
cb_item(struct cb_dec *d, unsigned depth, struct sk_cbor_item **out)
{
	struct sk_cbor_item tmp, *it;
	struct cb_head h;
	int rc;

	*out = NULL;
	if ((rc = cb_read_head(d, &h)) != 0)
		return rc;
	if ((rc = cb_check_head(d, &h)) != 0)
		return rc;
	if ((rc = cb_new(d, &tmp, &it)) != 0)
		return rc;
	if ((rc = cb_body(d, &h, depth, it)) != 0)
		return rc;
	it->raw = h.start;
	it->rawlen = (size_t)(d->p - h.start);
	if (d->items != NULL)
		*out = it;
	return 0;
}

static int
cb_run(struct cb_dec *d)
{
	struct sk_cbor_item *root;
	int rc;

	if ((rc = cb_item(d, 0, &root)) != 0)
		return rc;
	return d->p == d->end ? 0 : SK_ERR_TRAILING;
}

/*
 * Map keys: distinct, and under SK_CBOR_CANONICAL in strictly increasing
 * bytewise order of their encodings (section 4.2.1).  In canonical mode
 * the raw bytes of a key are its deterministic encoding.
 */
static int
cb_check_map(const struct sk_cbor_item *m, unsigned flags, size_t scratch)
{
	const struct sk_cbor_item *k, *prev = NULL;
	size_t n;
	int c, sorted = 1;

	if ((flags & SK_CBOR_CANONICAL) == 0)
		return sk_cbor_map_unique(m, scratch);
	for (k = m->child; k != NULL && k->next != NULL; k = k->next->next) {
		if (prev != NULL) {
			n = prev->rawlen < k->rawlen ? prev->rawlen :
			    k->rawlen;
			c = memcmp(prev->raw, k->raw, n);
			if (c > 0 || (c == 0 && prev->rawlen >= k->rawlen))
				sorted = 0;
		}
		prev = k;
	}
	if (sorted)
		return 0;
	/* Out of order: report a duplicate as such. */
	if ((c = sk_cbor_map_unique(m, scratch)) != 0)
		return c;
	return SK_ERR_NONCANONICAL;
}

static int
cb_check_maps(const struct sk_cbor_doc *doc, unsigned flags)
{
	size_t i, scratch;
	int rc;

	/* A canonical encoding is at most about twice the raw one: the
	 * worst case is an indefinite array of 256+ items (2 bytes of
	 * framing become a 3-byte head). */
	if (__builtin_mul_overflow(doc->inlen, 2, &scratch) ||
	    __builtin_add_overflow(scratch, 64, &scratch))
		return SK_ERR_LIMIT;
	for (i = 0; i < doc->nitems; i++) {
		if (doc->items[i].type != SK_CBOR_MAP || doc->items[i].len < 2)
			continue;
		if ((rc = cb_check_map(&doc->items[i], flags, scratch)) != 0)
			return rc;
	}
	return 0;
}

static int
cb_check_limits(const struct sk_cbor_limits *lim)
{
	if (lim->max_depth > SK_CBOR_DEPTH_HARD)
		return SK_ERR_ARG;
	if ((lim->flags & ~CB_KNOWN_FLAGS) != 0)
		return SK_ERR_ARG;
	return 0;
}

static int
cb_doc_new(const struct cb_dec *pass1, size_t inlen, struct sk_cbor_doc **out)
{
	struct sk_cbor_doc *doc;

	*out = NULL;
	if ((doc = calloc(1, sizeof(*doc))) == NULL)
		return SK_ERR_NOMEM;
	doc->inlen = inlen;
	doc->nitems = pass1->nitems;
	if ((doc->items = calloc(doc->nitems, sizeof(*doc->items))) == NULL)
		goto fail;
	doc->joinedlen = pass1->joined;
	if (doc->joinedlen > 0 &&
	    (doc->joined = malloc(doc->joinedlen)) == NULL)
		goto fail;
	*out = doc;
	return 0;
fail:
	sk_cbor_free(doc);
	return SK_ERR_NOMEM;
}

int
sk_cbor_decode(const uint8_t *in, size_t len,
    const struct sk_cbor_limits *lim, struct sk_cbor_doc **out)
{
	struct sk_cbor_limits def;
	struct sk_cbor_doc *doc;
	struct cb_dec d;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (lim == NULL) {
		sk_cbor_limits_default(&def);
		lim = &def;
	}
	if ((rc = cb_check_limits(lim)) != 0)
		return rc;
	if (in == NULL && len > 0)
		return SK_ERR_ARG;
	if (len > lim->max_bytes)
		return SK_ERR_LIMIT;
	if (len == 0)
		return SK_ERR_TRUNCATED;

	d = (struct cb_dec){ .p = in, .end = in + len, .lim = lim };
	if ((rc = cb_run(&d)) != 0)
		return rc;

	if ((rc = cb_doc_new(&d, len, &doc)) != 0)
		return rc;
	d = (struct cb_dec){ .p = in, .end = in + len, .lim = lim,
	    .items = doc->items, .nalloc = doc->nitems, .jbuf = doc->joined,
	    .jcap = doc->joinedlen };
	if ((rc = cb_run(&d)) != 0 || d.nitems != doc->nitems ||
	    d.jlen != doc->joinedlen) {
		sk_cbor_free(doc);
		return rc == SK_ERR_NOMEM ? rc : SK_ERR_INTERNAL;
	}
	if ((rc = cb_check_maps(doc, lim->flags)) != 0) {
		sk_cbor_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

void
sk_cbor_free(struct sk_cbor_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->items);
	free(doc->joined);
	free(doc);
}

const struct sk_cbor_item *
sk_cbor_root(const struct sk_cbor_doc *doc)
{
	if (doc == NULL || doc->nitems == 0)
		return NULL;
	return &doc->items[0];
}

const struct sk_cbor_item *
sk_cbor_array_at(const struct sk_cbor_item *arr, size_t i)
{
	const struct sk_cbor_item *c;

	if (arr == NULL || arr->type != SK_CBOR_ARRAY || i >= arr->len)
		return NULL;
	for (c = arr->child; c != NULL && i > 0; c = c->next)
		i--;
	return c;
}

/* Walk the pairs of a map; match() decides on the key. */
static const struct sk_cbor_item *
cb_map_find(const struct sk_cbor_item *map,
    int (*match)(const struct sk_cbor_item *, const void *), const void *arg)
{
	const struct sk_cbor_item *k;

	if (map == NULL || map->type != SK_CBOR_MAP)
		return NULL;
	for (k = map->child; k != NULL && k->next != NULL; k = k->next->next)
		if (match(k, arg))
			return k->next;
	return NULL;
}

static int
cb_match_int(const struct sk_cbor_item *k, const void *arg)
{
	int64_t key = *(const int64_t *)arg;

	if (key >= 0)
		return k->type == SK_CBOR_UINT && k->u == (uint64_t)key;
	/* -1 - u == key, i.e. u == -(key + 1), never overflowing. */
	return k->type == SK_CBOR_NINT && k->u == (uint64_t)(-(key + 1));
}

static int
cb_match_str(const struct sk_cbor_item *k, const void *arg)
{
	const char *s = arg;
	size_t n = strlen(s);

	return k->type == SK_CBOR_TSTR && k->len == n &&
	    (n == 0 || memcmp(k->ptr, s, n) == 0);
}

const struct sk_cbor_item *
sk_cbor_map_int(const struct sk_cbor_item *map, int64_t key)
{
	return cb_map_find(map, cb_match_int, &key);
}

const struct sk_cbor_item *
sk_cbor_map_str(const struct sk_cbor_item *map, const char *key)
{
	if (key == NULL)
		return NULL;
	return cb_map_find(map, cb_match_str, key);
}

int
sk_cbor_int(const struct sk_cbor_item *it, int64_t *out)
{
	if (out == NULL)
		return SK_ERR_ARG;
	*out = 0;
	if (it == NULL ||
	    (it->type != SK_CBOR_UINT && it->type != SK_CBOR_NINT))
		return SK_ERR_TYPE;
	if (it->u > (uint64_t)INT64_MAX)
		return SK_ERR_LIMIT;
	*out = it->type == SK_CBOR_UINT ? (int64_t)it->u :
	    -1 - (int64_t)it->u;
	return 0;
}
