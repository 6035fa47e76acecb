/*
 * RFC 9285 base45 (sealkit/base45.h).  Strict: every text that decodes has
 * exactly one encoding, so decode-then-encode gives the input back.
 */
#include <stddef.h>
#include <stdint.h>

#include "sealkit/base45.h"

static const char b45_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of one base45 character, or -1 (RFC 9285 §4 table). */
static int
b45_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	switch (c) {
	case ' ':
		return 36;
	case '$':
		return 37;
	case '%':
		return 38;
	case '*':
		return 39;
	case '+':
		return 40;
	case '-':
		return 41;
	case '.':
		return 42;
	case '/':
		return 43;
	case ':':
		return 44;
	default:
		return -1;
	}
}

/*
 * Decode one group of n (2 or 3) characters into *v.  RFC 9285 §4.2: a
 * triplet above 65535 or a pair above 255 is an error.
 */
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

/* Check the whole text first so that a failure appends nothing. */
static int
b45_validate(const char *text, size_t len)
{
	uint32_t v;
	size_t i;
	int rc;

	for (i = 0; i < len; i += 3)
		if ((rc = b45_group(text + i, len - i < 3 ? 2 : 3, &v)) != 0)
			return rc;
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
	if ((rc = b45_validate(text, len)) != 0)
		return rc;
	n = len / 3 * 2 + (len % 3 == 2);
	if ((rc = sk_buf_extend(out, n, &p)) != 0)
		return rc;
	for (i = 0; i + 3 <= len; i += 3) {
		(void)b45_group(text + i, 3, &v);
		*p++ = (uint8_t)(v >> 8);
		*p++ = (uint8_t)v;
	}
	if (i < len) {
		(void)b45_group(text + i, 2, &v);
		*p = (uint8_t)v;
	}
	return 0;
}
