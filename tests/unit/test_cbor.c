/*
 * Unit tests for the CBOR decoder, accessors and encoder (sealkit/cbor.h).
 * Expected bytes and errors come from RFC 8949 (sections 3, 4.2.1, 8 and
 * Appendix A) and the contract in cbor.h, not from the code under test.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sktest.h"

/* Hex with optional spaces, for readable test inputs. */
static uint8_t *
hexsp(const char *hex, size_t *len)
{
	char buf[4096];
	size_t i, n = 0;

	for (i = 0; hex[i] != '\0' && n + 1 < sizeof(buf); i++)
		if (hex[i] != ' ')
			buf[n++] = hex[i];
	buf[n] = '\0';
	return skt_unhex(buf, len);
}

static int
dec_lim(const char *hex, const struct sk_cbor_limits *lim)
{
	struct sk_cbor_doc *doc = (struct sk_cbor_doc *)&doc;
	uint8_t *in;
	size_t len;
	int rc;

	if ((in = hexsp(hex, &len)) == NULL)
		return 999;
	rc = sk_cbor_decode(in, len, lim, &doc);
	/* Outputs are cleared on failure. */
	if (rc != 0 && doc != NULL)
		rc = 998;
	sk_cbor_free(doc);
	free(in);
	return rc;
}

static int
dec(const char *hex, unsigned flags)
{
	struct sk_cbor_limits lim;

	sk_cbor_limits_default(&lim);
	lim.flags = flags;
	return dec_lim(hex, &lim);
}

#define ENC(expr, hex) do {						\
	struct sk_buf B;						\
	uint8_t *want_;							\
	size_t wlen_;							\
	sk_buf_init(&B, 1024);						\
	SKT_RC((expr), 0);						\
	want_ = hexsp((hex), &wlen_);					\
	SKT_CHECK(want_ != NULL && B.data != NULL);			\
	if (want_ != NULL && B.data != NULL)				\
		SKT_MEMEQ(B.data, B.len, want_, wlen_);			\
	free(want_);							\
	sk_buf_free(&B);						\
} while (0)

static void
test_truncated(void)
{
	SKT_RC(sk_cbor_decode(NULL, 0, NULL,
	    &(struct sk_cbor_doc *){ NULL }), SK_ERR_TRUNCATED);
	SKT_RC(dec("18", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("19 01", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("1a 00 00 01", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("1b 00 00 00 00 00 00 00", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("38", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("d8", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("f9 00", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("fb 00 00 00 00 00 00 00", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("c1", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("82 01", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("a1 01", 0), SK_ERR_TRUNCATED);
	/* Strings shorter than declared. */
	SKT_RC(dec("43 01 02", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("62 61", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("58 20 00", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("5a ff ff ff ff 00", 0), SK_ERR_TRUNCATED);
	SKT_RC(dec("7b ff ff ff ff ff ff ff ff 61", 0), SK_ERR_TRUNCATED);
	/* Unterminated indefinite items. */
	SKT_RC(dec("5f 41 00", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_TRUNCATED);
	SKT_RC(dec("9f 01", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_TRUNCATED);
	SKT_RC(dec("bf", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_TRUNCATED);
}

static void
test_trailing(void)
{
	SKT_RC(dec("01 02", 0), SK_ERR_TRAILING);
	SKT_RC(dec("80 00", 0), SK_ERR_TRAILING);
	SKT_RC(dec("41 00 00", 0), SK_ERR_TRAILING);
	SKT_RC(dec("9f ff ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_TRAILING);
}

static void
test_reserved_ai(void)
{
	static const char *bad[] = {
		"1c", "1d", "1e", "3c", "3d", "3e", "5c", "5d", "5e",
		"7c", "7d", "7e", "9c", "9d", "9e", "bc", "bd", "be",
		"dc", "dd", "de", "fc", "fd", "fe",
		/* 31 on majors without indefinite lengths */
		"1f", "3f", "df 00",
		/* reserved AI inside a container and as a chunk */
		"81 1c", "5f 5c ff"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		SKT_RC(dec(bad[i], SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
}

static void
test_simple_two_byte(void)
{
	char hex[8];
	unsigned v;

	/* Section 3.3: f8 00..f8 1f are not well-formed. */
	for (v = 0; v < 32; v++) {
		(void)snprintf(hex, sizeof(hex), "f8%02x", v);
		SKT_RC(dec(hex, 0), SK_ERR_FORMAT);
	}
	SKT_RC(dec("f8 20", 0), 0);
	SKT_RC(dec("f8 ff", 0), 0);
	SKT_RC(dec("f0", 0), 0);
}

static void
test_break(void)
{
	SKT_RC(dec("ff", 0), SK_ERR_FORMAT);
	SKT_RC(dec("ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("81 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("a1 01 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("c1 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	/* Key without a value before the break. */
	SKT_RC(dec("bf 01 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
}

static void
test_indefinite(void)
{
	static const char *items[] = { "5f ff", "7f ff", "9f ff", "bf ff",
	    "82 01 9f ff" };
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		SKT_RC(dec(items[i], 0), SK_ERR_NONCANONICAL);
		SKT_RC(dec(items[i], SK_CBOR_CANONICAL |
		    SK_CBOR_ALLOW_INDEFINITE), SK_ERR_NONCANONICAL);
		SKT_RC(dec(items[i], SK_CBOR_ALLOW_INDEFINITE), 0);
	}
	/* Chunks must be definite strings of the same major type. */
	SKT_RC(dec("5f 61 61 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("7f 41 61 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("5f 01 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("5f 80 ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("5f 5f ff ff", SK_CBOR_ALLOW_INDEFINITE), SK_ERR_FORMAT);
	SKT_RC(dec("7f 7f 61 61 ff ff", SK_CBOR_ALLOW_INDEFINITE),
	    SK_ERR_FORMAT);
	SKT_RC(dec("5f 41 00 42 01 02 ff", SK_CBOR_ALLOW_INDEFINITE), 0);
}

static void
test_utf8(void)
{
	static const char *bad[] = {
		"61 80",		/* lone continuation byte */
		"61 c3",		/* sequence cut by the string end */
		"62 c0 80",		/* overlong NUL */
		"62 c1 bf",		/* overlong 2-byte */
		"63 e0 80 80",		/* overlong 3-byte */
		"63 e0 9f bf",		/* overlong U+07FF */
		"64 f0 80 80 80",	/* overlong 4-byte */
		"64 f0 8f bf bf",	/* overlong U+FFFF */
		"63 ed a0 80",		/* surrogate U+D800 */
		"63 ed bf bf",		/* surrogate U+DFFF */
		"64 f4 90 80 80",	/* U+110000 */
		"64 f5 80 80 80",	/* above U+10FFFF */
		"61 ff",
		"62 e6 b0",		/* truncated 3-byte */
		"62 c3 41",		/* bad continuation */
		"a1 61 80 00"		/* as a map key */
	};
	static const char *good[] = {
		"62 c2 80", "63 e0 a0 80", "63 ed 9f bf", "63 ee 80 80",
		"64 f0 90 80 80", "64 f4 8f bf bf", "61 00", "63 e6 b0 b4"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		SKT_RC(dec(bad[i], 0), SK_ERR_FORMAT);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		SKT_RC(dec(good[i], SK_CBOR_CANONICAL), 0);
	/* A code point may not be split across chunks (section 3.2.3). */
	SKT_RC(dec("7f 61 c3 61 bc ff", SK_CBOR_ALLOW_INDEFINITE),
	    SK_ERR_FORMAT);
	SKT_RC(dec("7f 62 c3 bc ff", SK_CBOR_ALLOW_INDEFINITE), 0);
}

static void
test_duplicates(void)
{
	SKT_RC(dec("a2 01 00 01 00", 0), SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 01 00 01 00", SK_CBOR_CANONICAL), SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 20 00 20 01", 0), SK_ERR_DUPLICATE);
	/* Same value, different encodings of the argument. */
	SKT_RC(dec("a2 01 00 18 01 00", 0), SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 61 61 00 61 61 01", 0), SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 61 61 00 61 61 01", SK_CBOR_CANONICAL),
	    SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 41 61 00 41 61 01", 0), SK_ERR_DUPLICATE);
	/* Not adjacent, and out of order: still a duplicate. */
	SKT_RC(dec("a3 61 62 00 61 61 00 61 62 00", SK_CBOR_CANONICAL),
	    SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 61 61 00 7f 61 61 ff 01", SK_CBOR_ALLOW_INDEFINITE),
	    SK_ERR_DUPLICATE);
	/* Floats by value; maps by canonical re-encoding. */
	SKT_RC(dec("a2 f9 3c 00 00 fa 3f 80 00 00 00", 0), SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 a2 01 02 03 04 00 a2 03 04 01 02 00", 0),
	    SK_ERR_DUPLICATE);
	SKT_RC(dec("a2 c1 01 00 c1 01 00", 0), SK_ERR_DUPLICATE);
	/* In a nested map. */
	SKT_RC(dec("81 a2 01 00 01 00", 0), SK_ERR_DUPLICATE);
	/* Same value, different types: not duplicates. */
	SKT_RC(dec("a4 01 00 61 31 00 41 31 00 f9 3c 00 00", 0), 0);
	SKT_RC(dec("a2 01 00 21 00", 0), 0);
	SKT_RC(dec("a2 f9 00 00 00 f9 80 00 00", 0), 0);
}

static void
test_depth(void)
{
	struct sk_cbor_limits lim;
	char hex[512];
	size_t i;

	sk_cbor_limits_default(&lim);
	lim.max_depth = 2;
	SKT_RC(dec_lim("81 81 00", &lim), 0);
	SKT_RC(dec_lim("81 81 81 00", &lim), SK_ERR_LIMIT);
	SKT_RC(dec_lim("81 80", &lim), 0);
	/* An empty container is a level too. */
	SKT_RC(dec_lim("81 81 80", &lim), SK_ERR_LIMIT);
	SKT_RC(dec_lim("81 81 a0", &lim), SK_ERR_LIMIT);
	/* Tags count. */
	SKT_RC(dec_lim("c1 81 00", &lim), 0);
	SKT_RC(dec_lim("c1 c1 81 00", &lim), SK_ERR_LIMIT);
	SKT_RC(dec_lim("a1 01 a1 01 c1 00", &lim), SK_ERR_LIMIT);
	lim.max_depth = 0;
	SKT_RC(dec_lim("01", &lim), 0);
	SKT_RC(dec_lim("80", &lim), SK_ERR_LIMIT);

	/* Default: 16 levels pass, 17 do not. */
	for (i = 0; i < 16; i++)
		memcpy(hex + 2 * i, "81", 2);
	memcpy(hex + 32, "00", 3);
	SKT_RC(dec(hex, 0), 0);
	memcpy(hex + 32, "8100", 5);
	SKT_RC(dec(hex, 0), SK_ERR_LIMIT);

	/* The hard cap on max_depth itself. */
	lim.max_depth = SK_CBOR_DEPTH_HARD;
	for (i = 0; i < SK_CBOR_DEPTH_HARD; i++)
		memcpy(hex + 2 * i, "81", 2);
	memcpy(hex + 2 * i, "00", 3);
	SKT_RC(dec_lim(hex, &lim), 0);
	memcpy(hex + 2 * i, "8100", 5);
	SKT_RC(dec_lim(hex, &lim), SK_ERR_LIMIT);
	lim.max_depth = SK_CBOR_DEPTH_HARD + 1;
	SKT_RC(dec_lim("00", &lim), SK_ERR_ARG);
}

static void
test_items(void)
{
	struct sk_cbor_limits lim;
	uint8_t *in;
	size_t i, len = 3 + SK_CBOR_MAX_ITEMS;
	struct sk_cbor_doc *doc;

	sk_cbor_limits_default(&lim);
	lim.max_items = 3;
	SKT_RC(dec_lim("82 01 02", &lim), 0);
	SKT_RC(dec_lim("83 01 02 03", &lim), SK_ERR_LIMIT);
	SKT_RC(dec_lim("a1 01 02", &lim), 0);
	SKT_RC(dec_lim("a2 01 02 03 04", &lim), SK_ERR_LIMIT);
	SKT_RC(dec_lim("9f 01 02 03 ff", &lim), SK_ERR_NONCANONICAL);
	lim.flags = SK_CBOR_ALLOW_INDEFINITE;
	SKT_RC(dec_lim("9f 01 02 ff", &lim), 0);
	SKT_RC(dec_lim("9f 01 02 03 ff", &lim), SK_ERR_LIMIT);

	/* Default cap: an array of SK_CBOR_MAX_ITEMS zeros is one too many. */
	if ((in = calloc(1, len)) == NULL) {
		SKT_CHECK(in != NULL);
		return;
	}
	in[0] = 0x99;
	in[1] = (uint8_t)(SK_CBOR_MAX_ITEMS >> 8);
	in[2] = (uint8_t)SK_CBOR_MAX_ITEMS;
	SKT_RC(sk_cbor_decode(in, len, NULL, &doc), SK_ERR_LIMIT);
	SKT_CHECK(doc == NULL);
	in[1] = (uint8_t)((SK_CBOR_MAX_ITEMS - 1) >> 8);
	in[2] = (uint8_t)(SK_CBOR_MAX_ITEMS - 1);
	SKT_RC(sk_cbor_decode(in, len - 1, NULL, &doc), 0);
	SKT_EQ(sk_cbor_root(doc)->len, SK_CBOR_MAX_ITEMS - 1);
	for (i = 0; i < 3; i++)
		SKT_CHECK(sk_cbor_array_at(sk_cbor_root(doc), i) != NULL);
	sk_cbor_free(doc);
	free(in);
}

static void
test_max_bytes(void)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	uint8_t *in;

	sk_cbor_limits_default(&lim);
	lim.max_bytes = 4;
	SKT_RC(dec_lim("43 01 02 03", &lim), 0);
	SKT_RC(dec_lim("44 01 02 03 04", &lim), SK_ERR_LIMIT);
	/* The default cap, with a well-formed 64 KiB + 1 byte string. */
	if ((in = calloc(1, SK_CBOR_MAX_BYTES + 5)) == NULL) {
		SKT_CHECK(in != NULL);
		return;
	}
	in[0] = 0x5a;
	in[2] = 0x01;	/* 5a 00 01 00 00: 65536 bytes follow */
	SKT_RC(sk_cbor_decode(in, SK_CBOR_MAX_BYTES + 5, NULL, &doc),
	    SK_ERR_LIMIT);
	SKT_RC(sk_cbor_decode(in, SK_CBOR_MAX_BYTES + 1, NULL, &doc),
	    SK_ERR_LIMIT);
	in[2] = 0x00;
	in[3] = 0xff;
	in[4] = 0xfb;	/* 5a 00 00 ff fb: 65531 bytes, 65536 in all */
	SKT_RC(sk_cbor_decode(in, SK_CBOR_MAX_BYTES, NULL, &doc), 0);
	sk_cbor_free(doc);
	free(in);
}

/*
 * Declared lengths far beyond the input must fail before any allocation
 * (libcbor issue #418): with max_items at SIZE_MAX only the check against
 * the bytes left can stop them, and an allocator-first decoder would give
 * SK_ERR_NOMEM or die instead of SK_ERR_TRUNCATED.
 */
static void
test_huge_declared(void)
{
	struct sk_cbor_limits lim;

	sk_cbor_limits_default(&lim);
	lim.max_items = SIZE_MAX;
	SKT_RC(dec_lim("9b ff ff ff ff ff ff ff ff 00", &lim),
	    SK_ERR_TRUNCATED);
	SKT_RC(dec_lim("9b 00 00 00 01 00 00 00 00 00", &lim),
	    SK_ERR_TRUNCATED);
	SKT_RC(dec_lim("bb 7f ff ff ff ff ff ff ff 00 00", &lim),
	    SK_ERR_TRUNCATED);
	SKT_RC(dec_lim("bb ff ff ff ff ff ff ff ff 00 00", &lim),
	    SK_ERR_TRUNCATED);
	SKT_RC(dec_lim("81 9a ff ff ff ff 00", &lim), SK_ERR_TRUNCATED);
	SKT_RC(dec_lim("5b 00 00 00 01 00 00 00 00 41", &lim),
	    SK_ERR_TRUNCATED);
	/* Running out of bytes is reported before the item cap. */
	SKT_RC(dec("99 ff ff 00", 0), SK_ERR_TRUNCATED);
}

static void
test_canonical(void)
{
	static const char *noncanon[] = {
		"18 17", "19 00 ff", "1a 00 00 ff ff",
		"1b 00 00 00 00 ff ff ff ff", "38 00", "39 00 10",
		"58 01 00", "78 01 61", "98 01 00", "b8 01 00 00",
		"d8 01 00", "c1 18 00",
		/* unsorted keys, bytewise order of the encodings */
		"a2 02 00 01 00", "a2 61 62 00 61 61 00",
		"a2 20 00 18 18 00", "a2 62 61 61 00 61 62 00",
		/* floats not in their shortest form */
		"fa 3f 80 00 00", "fb 3f f0 00 00 00 00 00 00",
		"fa 7f c0 00 00", "fb 7f f0 00 00 00 00 00 00",
		"fa 00 00 00 00", "fb 40 f8 6a 00 00 00 00 00"
	};
	static const char *canon[] = {
		"17", "18 18", "19 01 00", "1a 00 01 00 00",
		"1b 00 00 00 01 00 00 00 00", "37", "38 18",
		/* RFC 8949 orders bytewise, not length first (RFC 7049) */
		"a2 18 18 00 20 00", "a2 61 62 00 62 61 61 00",
		"a3 01 00 20 00 61 61 00", "f9 3c 00", "fa 47 c3 50 00",
		"fb 3f f1 99 99 99 99 99 9a", "f9 7e 00", "f9 00 01",
		"fa 00 00 00 01", "f8 20"
	};
	size_t i;

	for (i = 0; i < sizeof(noncanon) / sizeof(noncanon[0]); i++) {
		SKT_RC(dec(noncanon[i], SK_CBOR_CANONICAL),
		    SK_ERR_NONCANONICAL);
		SKT_RC(dec(noncanon[i], 0), 0);
	}
	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++)
		SKT_RC(dec(canon[i], SK_CBOR_CANONICAL), 0);
}

static void
test_args(void)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	uint8_t zero = 0;

	SKT_RC(sk_cbor_decode(&zero, 1, NULL, NULL), SK_ERR_ARG);
	SKT_RC(sk_cbor_decode(NULL, 1, NULL, &doc), SK_ERR_ARG);
	SKT_CHECK(doc == NULL);
	sk_cbor_limits_default(&lim);
	lim.flags = 0x80;
	SKT_RC(sk_cbor_decode(&zero, 1, &lim, &doc), SK_ERR_ARG);
	sk_cbor_free(NULL);
	SKT_CHECK(sk_cbor_root(NULL) == NULL);
}

static struct sk_cbor_doc *
parse(const char *hex, uint8_t **in)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc = NULL;
	size_t len;

	sk_cbor_limits_default(&lim);
	lim.flags = SK_CBOR_ALLOW_INDEFINITE;
	if ((*in = hexsp(hex, &len)) == NULL)
		return NULL;
	if (sk_cbor_decode(*in, len, &lim, &doc) != 0)
		return NULL;
	return doc;
}

static void
test_map_access(void)
{
	const struct sk_cbor_item *m, *v;
	struct sk_cbor_doc *doc;
	uint8_t *in;
	int64_t i;

	/* {1: "a", -1: "hi", "k": h'010203', "big": -2^64,
	 *  2: 18446744073709551615, -9223372036854775808: 0} */
	doc = parse("a6 01 61 61 20 62 68 69 61 6b 43 01 02 03"
	    " 63 62 69 67 3b ff ff ff ff ff ff ff ff"
	    " 02 1b ff ff ff ff ff ff ff ff"
	    " 3b 7f ff ff ff ff ff ff ff 00", &in);
	SKT_CHECK(doc != NULL);
	m = sk_cbor_root(doc);
	SKT_CHECK(m != NULL && m->type == SK_CBOR_MAP && m->len == 6);
	v = sk_cbor_map_int(m, 1);
	SKT_CHECK(v != NULL && v->type == SK_CBOR_TSTR && v->len == 1 &&
	    v->ptr[0] == 'a');
	v = sk_cbor_map_int(m, -1);
	SKT_CHECK(v != NULL && v->len == 2 && memcmp(v->ptr, "hi", 2) == 0);
	SKT_CHECK(sk_cbor_map_int(m, 3) == NULL);
	SKT_CHECK(sk_cbor_map_int(m, INT64_MIN) != NULL);
	v = sk_cbor_map_str(m, "k");
	SKT_CHECK(v != NULL && v->type == SK_CBOR_BSTR && v->len == 3);
	SKT_CHECK(sk_cbor_map_str(m, "") == NULL);
	SKT_CHECK(sk_cbor_map_str(m, "kk") == NULL);
	SKT_CHECK(sk_cbor_map_str(m, NULL) == NULL);
	SKT_CHECK(sk_cbor_map_int(NULL, 1) == NULL);
	SKT_CHECK(sk_cbor_map_str(v, "k") == NULL);

	/* sk_cbor_int: range and type errors. */
	SKT_RC(sk_cbor_int(sk_cbor_map_str(m, "big"), &i), SK_ERR_LIMIT);
	SKT_EQ(i, 0);
	SKT_RC(sk_cbor_int(sk_cbor_map_int(m, 2), &i), SK_ERR_LIMIT);
	SKT_RC(sk_cbor_int(sk_cbor_map_str(m, "k"), &i), SK_ERR_TYPE);
	SKT_RC(sk_cbor_int(m, &i), SK_ERR_TYPE);
	SKT_RC(sk_cbor_int(NULL, &i), SK_ERR_TYPE);
	SKT_RC(sk_cbor_int(sk_cbor_map_int(m, INT64_MIN), &i), 0);
	SKT_EQ(i, 0);
	sk_cbor_free(doc);
	free(in);
}

static void
test_int_range(void)
{
	static const struct {
		const char	*hex;
		int		 rc;
		int64_t		 v;
	} t[] = {
		{ "00", 0, 0 },
		{ "20", 0, -1 },
		{ "1b 7f ff ff ff ff ff ff ff", 0, INT64_MAX },
		{ "1b 80 00 00 00 00 00 00 00", SK_ERR_LIMIT, 0 },
		{ "3b 7f ff ff ff ff ff ff ff", 0, INT64_MIN },
		{ "3b 80 00 00 00 00 00 00 00", SK_ERR_LIMIT, 0 },
		{ "f9 3c 00", SK_ERR_TYPE, 0 },
		{ "f5", SK_ERR_TYPE, 0 },
		{ "c1 01", SK_ERR_TYPE, 0 }
	};
	struct sk_cbor_doc *doc;
	uint8_t *in;
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		doc = parse(t[i].hex, &in);
		SKT_CHECK(doc != NULL);
		v = 42;
		SKT_RC(sk_cbor_int(sk_cbor_root(doc), &v), t[i].rc);
		SKT_EQ(v, t[i].v);
		sk_cbor_free(doc);
		free(in);
	}
}

static void
test_array_access(void)
{
	const struct sk_cbor_item *a, *e;
	struct sk_cbor_doc *doc;
	uint8_t *in;
	int64_t v;

	/* [1, [2], h'a10126', 3] */
	doc = parse("84 01 81 02 43 a1 01 26 03", &in);
	SKT_CHECK(doc != NULL);
	a = sk_cbor_root(doc);
	SKT_CHECK(a != NULL && a->raw == in && a->rawlen == 9);
	SKT_RC(sk_cbor_int(sk_cbor_array_at(a, 0), &v), 0);
	SKT_EQ(v, 1);
	e = sk_cbor_array_at(sk_cbor_array_at(a, 1), 0);
	SKT_RC(sk_cbor_int(e, &v), 0);
	SKT_EQ(v, 2);
	/* raw is the item's own encoding inside the input. */
	e = sk_cbor_array_at(a, 2);
	SKT_CHECK(e != NULL && e->raw == in + 4 && e->rawlen == 4);
	SKT_CHECK(e != NULL && e->ptr == in + 5 && e->len == 3);
	SKT_RC(sk_cbor_int(sk_cbor_array_at(a, 3), &v), 0);
	SKT_EQ(v, 3);
	SKT_CHECK(sk_cbor_array_at(a, 4) == NULL);
	SKT_CHECK(sk_cbor_array_at(a, SIZE_MAX) == NULL);
	SKT_CHECK(sk_cbor_array_at(NULL, 0) == NULL);
	SKT_CHECK(sk_cbor_array_at(sk_cbor_array_at(a, 0), 0) == NULL);
	sk_cbor_free(doc);
	free(in);

	/* Indefinite array; joined indefinite string. */
	doc = parse("9f 01 5f 42 01 02 43 03 04 05 ff ff", &in);
	SKT_CHECK(doc != NULL);
	a = sk_cbor_root(doc);
	SKT_CHECK(a != NULL && a->len == 2 && a->indefinite);
	e = sk_cbor_array_at(a, 1);
	SKT_CHECK(e != NULL && e->type == SK_CBOR_BSTR && e->indefinite &&
	    e->len == 5 && memcmp(e->ptr, "\1\2\3\4\5", 5) == 0);
	SKT_CHECK(e != NULL && e->raw == in + 2 && e->rawlen == 9);
	sk_cbor_free(doc);
	free(in);
}

static void
test_enc_ints(void)
{
	ENC(sk_cbor_put_uint(&B, 0), "00");
	ENC(sk_cbor_put_uint(&B, 23), "17");
	ENC(sk_cbor_put_uint(&B, 24), "18 18");
	ENC(sk_cbor_put_uint(&B, 255), "18 ff");
	ENC(sk_cbor_put_uint(&B, 256), "19 01 00");
	ENC(sk_cbor_put_uint(&B, 65535), "19 ff ff");
	ENC(sk_cbor_put_uint(&B, 65536), "1a 00 01 00 00");
	ENC(sk_cbor_put_uint(&B, UINT32_MAX), "1a ff ff ff ff");
	ENC(sk_cbor_put_uint(&B, (uint64_t)UINT32_MAX + 1),
	    "1b 00 00 00 01 00 00 00 00");
	ENC(sk_cbor_put_uint(&B, UINT64_MAX), "1b ff ff ff ff ff ff ff ff");
	ENC(sk_cbor_put_int(&B, 23), "17");
	ENC(sk_cbor_put_int(&B, -1), "20");
	ENC(sk_cbor_put_int(&B, -24), "37");
	ENC(sk_cbor_put_int(&B, -25), "38 18");
	ENC(sk_cbor_put_int(&B, -256), "38 ff");
	ENC(sk_cbor_put_int(&B, -257), "39 01 00");
	ENC(sk_cbor_put_int(&B, INT64_MAX), "1b 7f ff ff ff ff ff ff ff");
	ENC(sk_cbor_put_int(&B, INT64_MIN), "3b 7f ff ff ff ff ff ff ff");
	ENC(sk_cbor_put_nint(&B, UINT64_MAX), "3b ff ff ff ff ff ff ff ff");
	ENC(sk_cbor_put_nint(&B, 0), "20");
	ENC(sk_cbor_put_tag(&B, 18), "d2");
	ENC(sk_cbor_put_tag(&B, 61), "d8 3d");
	ENC(sk_cbor_put_array(&B, 25), "98 19");
	ENC(sk_cbor_put_map(&B, 0), "a0");
}

static void
test_enc_misc(void)
{
	static const uint8_t b24[24];

	ENC(sk_cbor_put_bstr(&B, "\1\2\3\4", 4), "44 01 02 03 04");
	ENC(sk_cbor_put_bstr(&B, NULL, 0), "40");
	ENC(sk_cbor_put_bstr(&B, b24, sizeof(b24)),
	    "58 18 00 00 00 00 00 00 00 00 00 00 00 00"
	    " 00 00 00 00 00 00 00 00 00 00 00 00");
	ENC(sk_cbor_put_cstr(&B, "IETF"), "64 49 45 54 46");
	ENC(sk_cbor_put_tstr(&B, "\xe6\xb0\xb4", 3), "63 e6 b0 b4");
	ENC(sk_cbor_put_bool(&B, 0), "f4");
	ENC(sk_cbor_put_bool(&B, 7), "f5");
	ENC(sk_cbor_put_null(&B), "f6");
	ENC(sk_cbor_put_simple(&B, 16), "f0");
	ENC(sk_cbor_put_simple(&B, 23), "f7");
	ENC(sk_cbor_put_simple(&B, 32), "f8 20");
	ENC(sk_cbor_put_simple(&B, 255), "f8 ff");
}

static void
test_enc_errors(void)
{
	struct sk_buf b;
	struct sk_cbor_doc *doc;
	uint8_t *in;

	sk_buf_init(&b, 2);
	SKT_RC(sk_cbor_put_uint(&b, 256), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_cbor_put_bstr(&b, "ab", 2), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_cbor_put_simple(&b, 24), SK_ERR_ARG);
	SKT_RC(sk_cbor_put_simple(&b, 31), SK_ERR_ARG);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_cbor_put_uint(&b, 1), 0);
	SKT_EQ(b.len, 1);

	/* A tree that does not fit leaves out as it was. */
	doc = parse("83 01 02 03", &in);
	SKT_CHECK(doc != NULL);
	SKT_RC(sk_cbor_encode_item(sk_cbor_root(doc), &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 1);
	SKT_RC(sk_cbor_diag(sk_cbor_root(doc), &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 1);
	sk_cbor_free(doc);
	free(in);
	sk_buf_free(&b);
}

/* The shortest exact width (section 4.1), NaN and Inf as in 4.2.2. */
static void
test_enc_float(void)
{
	ENC(sk_cbor_put_float(&B, 0.0), "f9 00 00");
	ENC(sk_cbor_put_float(&B, -0.0), "f9 80 00");
	ENC(sk_cbor_put_float(&B, 1.0), "f9 3c 00");
	ENC(sk_cbor_put_float(&B, 1.5), "f9 3e 00");
	ENC(sk_cbor_put_float(&B, -4.0), "f9 c4 00");
	ENC(sk_cbor_put_float(&B, 65504.0), "f9 7b ff");
	ENC(sk_cbor_put_float(&B, 65505.0), "fa 47 7f e1 00");
	ENC(sk_cbor_put_float(&B, 65536.0), "fa 47 80 00 00");
	ENC(sk_cbor_put_float(&B, 100000.0), "fa 47 c3 50 00");
	ENC(sk_cbor_put_float(&B, 3.4028234663852886e+38),
	    "fa 7f 7f ff ff");
	ENC(sk_cbor_put_float(&B, 1.1), "fb 3f f1 99 99 99 99 99 9a");
	ENC(sk_cbor_put_float(&B, 1.0e+300), "fb 7e 37 e4 3c 88 00 75 9c");
	/* Half subnormals: smallest, largest; smallest normal. */
	ENC(sk_cbor_put_float(&B, 5.960464477539063e-08), "f9 00 01");
	ENC(sk_cbor_put_float(&B, 6.097555160522461e-05), "f9 03 ff");
	ENC(sk_cbor_put_float(&B, 6.103515625e-05), "f9 04 00");
	/* 2^-25 is below half's range: single. */
	ENC(sk_cbor_put_float(&B, 2.98023223876953125e-08),
	    "fa 33 00 00 00");
	/* Single subnormal 2^-149; double subnormal 2^-1074. */
	ENC(sk_cbor_put_float(&B, 1.401298464324817e-45), "fa 00 00 00 01");
	ENC(sk_cbor_put_float(&B, 4.9406564584124654e-324),
	    "fb 00 00 00 00 00 00 00 01");
	ENC(sk_cbor_put_float(&B, (double)INFINITY), "f9 7c 00");
	ENC(sk_cbor_put_float(&B, -(double)INFINITY), "f9 fc 00");
	ENC(sk_cbor_put_float(&B, (double)NAN), "f9 7e 00");
}

/* NaN payloads keep their bits and take the shortest width holding them. */
static void
test_enc_nan_payload(void)
{
	static const struct {
		uint64_t	 bits;
		const char	*hex;
	} t[] = {
		{ UINT64_C(0x7ff8000000000000), "f9 7e 00" },
		{ UINT64_C(0xfff8000000000000), "f9 fe 00" },
		{ UINT64_C(0x7ff0040000000000), "f9 7c 01" },
		{ UINT64_C(0x7ff8000020000000), "fa 7f c0 00 01" },
		{ UINT64_C(0x7ff0000000000001), "fb 7f f0 00 00 00 00 00 01" }
	};
	double v;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memcpy(&v, &t[i].bits, sizeof(v));
		ENC(sk_cbor_put_float(&B, v), t[i].hex);
	}
}

static void
reenc(const char *hex, const char *want)
{
	struct sk_cbor_doc *doc;
	struct sk_buf b;
	uint8_t *in, *w;
	size_t wlen;

	sk_buf_init(&b, 4096);
	doc = parse(hex, &in);
	SKT_CHECK(doc != NULL);
	w = hexsp(want, &wlen);
	SKT_RC(sk_cbor_encode_item(sk_cbor_root(doc), &b), 0);
	SKT_CHECK(w != NULL && b.data != NULL);
	if (w != NULL && b.data != NULL)
		SKT_MEMEQ(b.data, b.len, w, wlen);
	free(w);
	sk_cbor_free(doc);
	free(in);
	sk_buf_free(&b);
}

static void
test_encode_item(void)
{
	/* Keys sorted bytewise by encoding (4.2.1): 24, -1, "b". */
	reenc("a3 61 62 00 20 00 18 18 00", "a3 18 18 00 20 00 61 62 00");
	/* Nested maps inside arrays, indefinite to definite. */
	reenc("9f 01 bf 61 62 01 61 61 02 ff ff",
	    "82 01 a2 61 61 02 61 62 01");
	/* Joined strings, shortest heads and floats. */
	reenc("5f 42 01 02 43 03 04 05 ff", "45 01 02 03 04 05");
	reenc("7f 61 61 60 62 62 63 ff", "63 61 62 63");
	reenc("5f ff", "40");
	reenc("83 18 01 39 00 00 fb 3f f8 00 00 00 00 00 00",
	    "83 01 20 f9 3e 00");
	reenc("d8 12 84 40 a0 f6 40", "d2 84 40 a0 f6 40");
	/* NaN payloads survive decoding (no FPU conversion) and shrink
	 * only where the payload fits (section 4.1). */
	reenc("f9 7c 01", "f9 7c 01");
	reenc("fa 7f 80 00 01", "fa 7f 80 00 01");
	reenc("fa ff c0 00 00", "f9 fe 00");
	reenc("fb 7f f0 00 00 00 00 00 01", "fb 7f f0 00 00 00 00 00 01");
	reenc("fb 7f f0 04 00 00 00 00 00", "f9 7c 01");
	/* Keys that are maps sort by their canonical encodings. */
	reenc("a2 a1 02 00 01 a1 01 00 02", "a2 a1 01 00 02 a1 02 00 01");
}

static void
diag_is(const char *hex, const char *want)
{
	struct sk_cbor_doc *doc;
	struct sk_buf b;
	uint8_t *in;

	sk_buf_init(&b, 4096);
	doc = parse(hex, &in);
	SKT_CHECK(doc != NULL);
	SKT_RC(sk_cbor_diag(sk_cbor_root(doc), &b), 0);
	SKT_CHECK(b.data != NULL && b.len > 0 && b.data[b.len - 1] == '\0');
	if (b.data != NULL && strcmp((char *)b.data, want) != 0)
		skt_fail(__FILE__, __LINE__, "diag %s: got %s, want %s",
		    hex, (char *)b.data, want);
	sk_cbor_free(doc);
	free(in);
	sk_buf_free(&b);
}

static void
test_diag(void)
{
	diag_is("3b ff ff ff ff ff ff ff ff", "-18446744073709551616");
	diag_is("1b ff ff ff ff ff ff ff ff", "18446744073709551615");
	diag_is("64 0a 22 5c 01", "\"\\n\\\"\\\\\\u0001\"");
	diag_is("a2 61 61 01 61 62 82 02 03", "{\"a\": 1, \"b\": [2, 3]}");
	diag_is("bf 61 61 01 ff", "{_ \"a\": 1}");
	diag_is("9f ff", "[_ ]");
	diag_is("7f 62 68 69 61 21 ff", "(_ \"hi\", \"!\")");
	diag_is("d8 3d 80", "61([])");
	diag_is("82 f4 f6", "[false, null]");
	diag_is("f9 7b ff", "65504.0");
	diag_is("fa 47 c3 50 00", "100000.0");
	diag_is("fb 7e 37 e4 3c 88 00 75 9c", "1.0e+300");
	diag_is("f9 00 01", "5.960464477539063e-08");
	diag_is("fb c0 10 66 66 66 66 66 66", "-4.1");
	diag_is("f9 80 00", "-0.0");
	diag_is("fa 7f 7f ff ff", "3.4028234663852886e+38");
	/* Python's repr() of the same doubles. */
	diag_is("fb 3f 1a 36 e2 eb 1c 43 2d", "0.0001");
	diag_is("fb 3e e4 f8 b5 88 e3 68 f1", "1.0e-05");
	diag_is("fb 43 41 c3 79 37 e0 80 00", "1.0e+16");
	diag_is("fb 42 dc 12 21 83 77 de 66", "123456789012345.6");
	diag_is("fb 3f b9 99 99 99 99 99 9a", "0.1");
}

int
main(void)
{
	SKT_RUN(test_truncated);
	SKT_RUN(test_trailing);
	SKT_RUN(test_reserved_ai);
	SKT_RUN(test_simple_two_byte);
	SKT_RUN(test_break);
	SKT_RUN(test_indefinite);
	SKT_RUN(test_utf8);
	SKT_RUN(test_duplicates);
	SKT_RUN(test_depth);
	SKT_RUN(test_items);
	SKT_RUN(test_max_bytes);
	SKT_RUN(test_huge_declared);
	SKT_RUN(test_canonical);
	SKT_RUN(test_args);
	SKT_RUN(test_map_access);
	SKT_RUN(test_int_range);
	SKT_RUN(test_array_access);
	SKT_RUN(test_enc_ints);
	SKT_RUN(test_enc_misc);
	SKT_RUN(test_enc_errors);
	SKT_RUN(test_enc_float);
	SKT_RUN(test_enc_nan_payload);
	SKT_RUN(test_encode_item);
	SKT_RUN(test_diag);
	return skt_done();
}
