/*
 * RFC 9285 base45 (sealkit/base45.h).  Strict: every text that decodes has
 * exactly one encoding, so decode-then-encode gives the input back.
 */
#include <stddef.h>
#include <stdint.h>

#include "sealkit/base45.h"

static const char b45_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/*
 * One plus the value of each byte as a base45 character (RFC 9285
 * section 4 table); 0 for bytes outside the alphabet.  A constant table
 * because decoding sits on the hot path of every verification.
 */
static const uint8_t b45_table[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['G'] = 17,
	['H'] = 18, ['I'] = 19, ['J'] = 20, ['K'] = 21, ['L'] = 22,
	['M'] = 23, ['N'] = 24, ['O'] = 25, ['P'] = 26, ['Q'] = 27,
	['R'] = 28, ['S'] = 29, ['T'] = 30, ['U'] = 31, ['V'] = 32,
	['W'] = 33, ['X'] = 34, ['Y'] = 35, ['Z'] = 36, [' '] = 37,
	['$'] = 38, ['%'] = 39, ['*'] = 40, ['+'] = 41, ['-'] = 42,
	['.'] = 43, ['/'] = 44, [':'] = 45
};

static int
b45_value(unsigned char c)
{
	return (int)b45_table[c] - 1;
}

static int
b45_group(const char *s, size_t n, uint32_t *v)
{
	uint32_t acc = 0, mul = 1;
	size_t i;
	int d;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((d = b45_value((unsigned char)s[i])) < 0)
			return SK_ERR_FORMAT;
		acc += (uint32_t)d * mul;
		mul *= 45;
	}
	if (acc > (n == 3 ? 0xffffu : 0xffu))
		return SK_ERR_FORMAT;
	*v = acc;
	return 0;
}

size_t
sk_base45_encoded_len(size_t len)
{
	size_t n;

	if (__builtin_mul_overflow(len / 2, 3, &n) ||
	    __builtin_add_overflow(n, (len % 2) * 2, &n))
		return SIZE_MAX;
	return n;
}

int
sk_base45_encode(const uint8_t *in, size_t len, struct sk_buf *out)
{
	uint8_t *p;
	uint32_t v;
	size_t i;
	int rc;

	if (out == NULL || (in == NULL && len > 0))
		return SK_ERR_ARG;
	if (len > SK_BASE45_MAX_BYTES)
		return SK_ERR_LIMIT;
	if (len == 0)
		return 0;
	if ((rc = sk_buf_extend(out, sk_base45_encoded_len(len), &p)) != 0)
		return rc;
	for (i = 0; i + 1 < len; i += 2) {
		v = (uint32_t)in[i] << 8 | in[i + 1];
		*p++ = (uint8_t)b45_alphabet[v % 45];
		*p++ = (uint8_t)b45_alphabet[v / 45 % 45];
		*p++ = (uint8_t)b45_alphabet[v / (45 * 45)];
	}
	if (i < len) {
		v = in[i];
		*p++ = (uint8_t)b45_alphabet[v % 45];
		*p = (uint8_t)b45_alphabet[v / 45];
	}
	return 0;
}

int
sk_base45_decode(const char *text, size_t len, struct sk_buf *out)
{
	uint8_t *p;
	uint32_t v;
	size_t i, n;
	int rc;

	if (out == NULL || (text == NULL && len > 0))
		return SK_ERR_ARG;
	if (len > SK_BASE45_MAX_TEXT)
		return SK_ERR_LIMIT;
	if (len % 3 == 1)
		return SK_ERR_FORMAT;
	if (len == 0)
		return 0;
	n = len / 3 * 2 + (len % 3 == 2);
	if ((rc = sk_buf_extend(out, n, &p)) != 0)
		return rc;
	for (i = 0; i + 3 <= len; i += 3) {
		if ((rc = b45_group(text + i, 3, &v)) != 0)
			goto fail;
		*p++ = (uint8_t)(v >> 8);
		*p++ = (uint8_t)v;
	}
	if (i < len) {
		if ((rc = b45_group(text + i, 2, &v)) != 0)
			goto fail;
		*p = (uint8_t)v;
	}
	return 0;
fail:
	/* Nothing is appended on error: drop (and wipe) what was written. */
	sk_wipe(out->data + out->len - n, n);
	out->len -= n;
	return rc;
}
