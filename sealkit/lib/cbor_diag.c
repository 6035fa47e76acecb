/*
 * CBOR diagnostic notation (RFC 8949 section 8), for people and tests.
 * Encoding indicators (_0 .. _3) are not printed; indefinite lengths are
 * (section 8.1: "(_ ", "[_ ", "{_ ").
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "cbor_int.h"

#define CD_NUM_MAX	64	/* longest number we print, with room */
#define CD_DIGITS_MAX	17	/* digits that identify any double */

static int	cd_item(const struct sk_cbor_item *, struct sk_buf *, unsigned);

static int
cd_str(struct sk_buf *out, const char *s)
{
	return sk_buf_append(out, s, strlen(s));
}

static int
cd_u64(struct sk_buf *out, const char *prefix, uint64_t v)
{
	char b[CD_NUM_MAX];

	if (snprintf(b, sizeof(b), "%s%" PRIu64, prefix, v) >= (int)sizeof(b))
		return SK_ERR_INTERNAL;
	return cd_str(out, b);
}

static int
cd_hex(struct sk_buf *out, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t *dst;
	size_t i, n;
	int rc;

	if (__builtin_mul_overflow(len, 2, &n) ||
	    __builtin_add_overflow(n, 3, &n))
		return SK_ERR_LIMIT;
	if ((rc = sk_buf_extend(out, n, &dst)) != 0)
		return rc;
	*dst++ = 'h';
	*dst++ = '\'';
	for (i = 0; i < len; i++) {
		*dst++ = (uint8_t)digits[p[i] >> 4];
		*dst++ = (uint8_t)digits[p[i] & 0xf];
	}
	*dst = '\'';
	return 0;
}

/* JSON-style string escapes (section 8: "as in JSON"). */
static int
cd_text(struct sk_buf *out, const uint8_t *p, size_t len)
{
	char esc[8];
	size_t i;
	int rc = 0;

	if ((rc = sk_buf_putc(out, '"')) != 0)
		return rc;
	for (i = 0; i < len && rc == 0; i++) {
		switch (p[i]) {
		case '"':
			rc = cd_str(out, "\\\"");
			break;
		case '\\':
			rc = cd_str(out, "\\\\");
			break;
		case '\n':
			rc = cd_str(out, "\\n");
			break;
		case '\r':
			rc = cd_str(out, "\\r");
			break;
		case '\t':
			rc = cd_str(out, "\\t");
			break;
		default:
			if (p[i] >= 0x20) {
				rc = sk_buf_putc(out, p[i]);
				break;
			}
			(void)snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
			rc = cd_str(out, esc);
			break;
		}
	}
	if (rc != 0)
		return rc;
	return sk_buf_putc(out, '"');
}

/* Next chunk of the raw encoding of an indefinite string. */
static int
cd_next_chunk(const uint8_t **p, const uint8_t *end, const uint8_t **c,
    size_t *clen)
{
	uint64_t arg;
	size_t n, i;
	unsigned ai;

	if (*p >= end)
		return SK_ERR_ARG;
	ai = **p & 0x1fu;
	(*p)++;
	if (ai > SK_CBOR_AI_8BYTE)
		return SK_ERR_ARG;
	arg = ai;
	if (ai >= SK_CBOR_AI_1BYTE) {
		n = (size_t)1 << (ai - SK_CBOR_AI_1BYTE);
		if ((size_t)(end - *p) < n)
			return SK_ERR_ARG;
		for (arg = 0, i = 0; i < n; i++)
			arg = arg << 8 | *(*p)++;
	}
	if (arg > (uint64_t)(end - *p))
		return SK_ERR_ARG;
	*c = *p;
	*clen = (size_t)arg;
	*p += *clen;
	return 0;
}

/* "(_ chunk, chunk)" from the item's own encoding (section 8.1). */
static int
cd_chunks(const struct sk_cbor_item *it, struct sk_buf *out)
{
	const uint8_t *p, *end, *c;
	size_t clen;
	int rc, first = 1;

	if (it->raw == NULL || it->rawlen < 2)
		return SK_ERR_ARG;
	p = it->raw + 1;
	end = it->raw + it->rawlen;
	if ((rc = cd_str(out, "(_ ")) != 0)
		return rc;
	while (p < end && *p != SK_CBOR_BREAK) {
		if ((rc = cd_next_chunk(&p, end, &c, &clen)) != 0)
			return rc;
		if (!first && (rc = cd_str(out, ", ")) != 0)
			return rc;
		first = 0;
		rc = it->type == SK_CBOR_BSTR ? cd_hex(out, c, clen) :
		    cd_text(out, c, clen);
		if (rc != 0)
			return rc;
	}
	return sk_buf_putc(out, ')');
}

/*
 * The other p-digit neighbour of v, for when printf's correctly rounded
 * digits do not read back: 2^-24 prints as 5.960464477539062e-08 (a tie,
 * rounded to even) but only ...063 reads back.  0 if the carry or borrow
 * would change the exponent.
 */
static int
cd_neighbour(char *b, int up)
{
	const char *e;
	size_t i;

	if ((e = strchr(b, 'e')) == NULL)
		return 0;
	for (i = (size_t)(e - b); i-- > 0;) {
		if (b[i] == '.')
			continue;
		if (up && b[i] < '9') {
			b[i]++;
			return 1;
		}
		if (!up && b[i] > '0') {
			b[i]--;
			return b[0] != '0';
		}
		b[i] = up ? '0' : '9';
	}
	return 0;
}

/* Fewest digits "d.ddde+x" that read back as the positive finite v. */
static int
cd_digits(double v, char *b, size_t blen)
{
	char *c;
	double r;
	int p;

	for (p = 1; p <= CD_DIGITS_MAX; p++) {
		(void)snprintf(b, blen, "%.*e", p - 1, v);
		if ((c = strchr(b, ',')) != NULL)
			*c = '.';	/* a locale with a decimal comma */
		if ((r = strtod(b, NULL)) == v)
			return 0;
		if (cd_neighbour(b, r < v) && strtod(b, NULL) == v)
			return 0;
	}
	return SK_ERR_INTERNAL;
}

/* Plain notation for exponents -4..15: "100000.0", "0.0001", "1.5". */
static int
cd_fixed(struct sk_buf *out, const char *dig, size_t n, int x)
{
	size_t i, ipart;
	int rc = 0;

	if (x < 0) {
		rc = cd_str(out, "0.");
		for (i = 1; rc == 0 && i < (size_t)-x; i++)
			rc = sk_buf_putc(out, '0');
		return rc != 0 ? rc : sk_buf_append(out, dig, n);
	}
	ipart = (size_t)x + 1;
	for (i = 0; rc == 0 && i < ipart; i++)
		rc = sk_buf_putc(out, (uint8_t)(i < n ? dig[i] : '0'));
	if (rc == 0)
		rc = sk_buf_putc(out, '.');
	if (rc == 0)
		rc = n > ipart ? sk_buf_append(out, dig + ipart, n - ipart) :
		    sk_buf_putc(out, '0');
	return rc;
}

/*
 * Shortest digits that read back as v, laid out like the RFC's examples
 * (and like Python's repr): "100000.0", "1.5", "1.0e+300",
 * "5.960464477539063e-08".
 */
static int
cd_finite(struct sk_buf *out, double v)
{
	char b[CD_NUM_MAX], dig[CD_NUM_MAX];
	const char *e;
	size_t i, n = 0;
	int x, rc;

	if (signbit(v)) {
		if ((rc = sk_buf_putc(out, '-')) != 0)
			return rc;
		v = -v;
	}
	if ((rc = cd_digits(v, b, sizeof(b))) != 0)
		return rc;
	if ((e = strchr(b, 'e')) == NULL)
		return SK_ERR_INTERNAL;
	for (i = 0; b + i < e; i++)
		if (b[i] != '.')
			dig[n++] = b[i];
	x = (int)strtol(e + 1, NULL, 10);
	if (x >= -4 && x < 16)
		return cd_fixed(out, dig, n, x);
	if ((rc = sk_buf_putc(out, (uint8_t)dig[0])) != 0 ||
	    (rc = sk_buf_putc(out, '.')) != 0)
		return rc;
	rc = n > 1 ? sk_buf_append(out, dig + 1, n - 1) : sk_buf_putc(out, '0');
	return rc != 0 ? rc : cd_str(out, e);
}

static int
cd_float(struct sk_buf *out, double v)
{
	uint64_t b;

	memcpy(&b, &v, sizeof(b));
	if ((b >> 52 & 0x7ff) != 0x7ff)
		return cd_finite(out, v);
	if ((b & ((UINT64_C(1) << 52) - 1)) != 0)
		return cd_str(out, "NaN");
	return cd_str(out, b >> 63 ? "-Infinity" : "Infinity");
}

static int
cd_simple(struct sk_buf *out, uint64_t v)
{
	char b[CD_NUM_MAX];

	switch (v) {
	case SK_CBOR_FALSE:
		return cd_str(out, "false");
	case SK_CBOR_TRUE:
		return cd_str(out, "true");
	case SK_CBOR_NULL:
		return cd_str(out, "null");
	case SK_CBOR_UNDEF:
		return cd_str(out, "undefined");
	default:
		(void)snprintf(b, sizeof(b), "simple(%" PRIu64 ")", v);
		return cd_str(out, b);
	}
}

/* Members of an array or map: "[1, 2]", "{_ 1: 2}". */
static int
cd_members(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	const struct sk_cbor_item *c;
	int map = it->type == SK_CBOR_MAP, rc;
	size_t n, i;

	if (map && __builtin_mul_overflow(it->len, 2, &n))
		return SK_ERR_ARG;
	if (!map)
		n = it->len;
	if ((rc = sk_buf_putc(out, map ? '{' : '[')) != 0)
		return rc;
	if (it->indefinite && (rc = cd_str(out, "_ ")) != 0)
		return rc;
	for (c = it->child, i = 0; i < n; c = c->next, i++) {
		if (c == NULL)
			return SK_ERR_ARG;
		if (i > 0)
			rc = cd_str(out, map && i % 2 ? ": " : ", ");
		if (rc != 0 || (rc = cd_item(c, out, depth + 1)) != 0)
			return rc;
	}
	return sk_buf_putc(out, map ? '}' : ']');
}

static int
cd_tag(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	int rc;

	if (it->child == NULL)
		return SK_ERR_ARG;
	if ((rc = cd_u64(out, "", it->u)) != 0 ||
	    (rc = sk_buf_putc(out, '(')) != 0 ||
	    (rc = cd_item(it->child, out, depth + 1)) != 0)
		return rc;
	return sk_buf_putc(out, ')');
}

static int
cd_item(const struct sk_cbor_item *it, struct sk_buf *out, unsigned depth)
{
	if (it == NULL)
		return SK_ERR_ARG;
	if (depth > SK_CBOR_DEPTH_HARD)
		return SK_ERR_LIMIT;
	switch (it->type) {
	case SK_CBOR_UINT:
		return cd_u64(out, "", it->u);
	case SK_CBOR_NINT:
		if (it->u == UINT64_MAX)
			return cd_str(out, "-18446744073709551616");
		return cd_u64(out, "-", it->u + 1);
	case SK_CBOR_BSTR:
	case SK_CBOR_TSTR:
		if (it->indefinite)
			return cd_chunks(it, out);
		if (it->ptr == NULL && it->len > 0)
			return SK_ERR_ARG;
		if (it->type == SK_CBOR_BSTR)
			return cd_hex(out, it->ptr, it->len);
		return cd_text(out, it->ptr, it->len);
	case SK_CBOR_ARRAY:
	case SK_CBOR_MAP:
		return cd_members(it, out, depth);
	case SK_CBOR_TAG:
		return cd_tag(it, out, depth);
	case SK_CBOR_SIMPLE:
		return cd_simple(out, it->u);
	case SK_CBOR_FLOAT:
		return cd_float(out, it->f);
	default:
		return SK_ERR_ARG;
	}
}

int
sk_cbor_diag(const struct sk_cbor_item *it, struct sk_buf *out)
{
	struct sk_buf tmp;
	int rc;

	if (out == NULL || out->len > out->max)
		return SK_ERR_ARG;
	/* Build aside so that a failure leaves out unchanged. */
	sk_buf_init(&tmp, out->max - out->len);
	if ((rc = cd_item(it, &tmp, 0)) == 0 &&
	    (rc = sk_buf_putc(&tmp, '\0')) == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}
