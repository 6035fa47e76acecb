/*
 * zlib with an output cap: known streams (a hand-built RFC 1950/1951
 * stored block, streams made by other zlib writers), round trips, the
 * level-9 output against zlib's own compress2(), a decompression bomb,
 * and every rejection the header promises, each leaving the output alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "sealkit/compress.h"
#include "sktest.h"

#define BOMB_LEN	(10u * 1024u * 1024u)

/* RFC 1950 §9: Adler-32, written out from the RFC's sample code. */
static uint32_t
ref_adler32(const uint8_t *p, size_t len)
{
	uint32_t a = 1, b = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Bytes that compress somewhat: random words from a small vocabulary. */
static uint8_t *
make_text(size_t len, uint32_t seed)
{
	static const struct {
		const char	*s;
		size_t		 n;
	} words[] = { { "licence ", 8 }, { "seal ", 5 }, { "SM2 ", 4 },
	    { "OFD ", 4 }, { "base45 ", 7 }, { "\x00\x01", 2 },
	    { "COSE_Sign1 ", 11 }, { "\xff", 1 } };
	uint8_t *p;
	size_t i = 0, j, w;

	if ((p = malloc(len == 0 ? 1 : len)) == NULL)
		return NULL;
	while (i < len) {
		w = xorshift(&seed) % (sizeof(words) / sizeof(words[0]));
		for (j = 0; j < words[w].n && i < len; j++)
			p[i++] = (uint8_t)words[w].s[j];
	}
	return p;
}

/* A stream made by zlib's one-shot compress2() at the given level. */
static uint8_t *
zcompress(const uint8_t *in, size_t len, int level, size_t *outlen)
{
	uLongf n = compressBound((uLong)len);
	uint8_t *p;

	*outlen = 0;
	if ((p = malloc(n)) == NULL)
		return NULL;
	if (compress2(p, &n, in, (uLong)len, level) != Z_OK) {
		free(p);
		return NULL;
	}
	*outlen = n;
	return p;
}

/* A stream made with other window bits (raw deflate, gzip). */
static size_t
zcompress2(const uint8_t *in, size_t len, int wbits, uint8_t *out,
    size_t outlen)
{
	z_stream z;
	size_t n = 0;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return 0;
	z.next_in = in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)outlen;
	if (deflate(&z, Z_FINISH) == Z_STREAM_END)
		n = outlen - z.avail_out;
	(void)deflateEnd(&z);
	return n;
}

/* Inflating in must fail with want, leaving a prefilled buffer as it was. */
static void
check_reject(const uint8_t *in, size_t len, size_t max, int want)
{
	struct sk_buf b;

	sk_buf_init(&b, SIZE_MAX);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_zlib_inflate(in, len, max, &b), want);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
}

static void
check_inflate(const uint8_t *in, size_t len, const void *want, size_t wlen)
{
	struct sk_buf b;

	sk_buf_init(&b, SIZE_MAX);
	SKT_RC(sk_zlib_inflate(in, len, SK_INFLATE_DEFAULT_MAX, &b), 0);
	SKT_EQ(b.len, wlen);
	if (wlen > 0)
		SKT_MEMEQ(b.data, b.len, want, wlen);
	sk_buf_free(&b);
}

static void
test_known_streams(void)
{
	/* Hand-built: stored block (RFC 1951 §3.2.4), Adler-32 062c0215. */
	static const uint8_t stored[] = { 0x78, 0x01, 0x01, 0x05, 0x00, 0xfa,
	    0xff, 'h', 'e', 'l', 'l', 'o', 0x06, 0x2c, 0x02, 0x15 };
	/* python3 zlib.compress(b"hello") and level 9. */
	static const uint8_t fixed6[] = { 0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9,
	    0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15 };
	static const uint8_t fixed9[] = { 0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9,
	    0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15 };
	/* python3 zlib.compress(b"") */
	static const uint8_t empty[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00,
	    0x00, 0x01 };
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	uint8_t *z;
	size_t zlen;

	check_inflate(stored, sizeof(stored), "hello", 5);
	check_inflate(fixed6, sizeof(fixed6), "hello", 5);
	check_inflate(fixed9, sizeof(fixed9), "hello", 5);
	check_inflate(empty, sizeof(empty), "", 0);
	/* The published Adler-32 of the fox sentence, in zlib's trailer. */
	SKT_EQ(ref_adler32((const uint8_t *)fox, 43), 0x5bdc0fdau);
	z = zcompress((const uint8_t *)fox, 43, 1, &zlen);
	SKT_CHECK(z != NULL && zlen > 4);
	if (z == NULL)
		return;
	SKT_MEMEQ(z + zlen - 4, 4, "\x5b\xdc\x0f\xda", 4);
	check_inflate(z, zlen, fox, 43);
	free(z);
}

/* sk_zlib_deflate's output: RFC 1950 framing, compress2(9) bytes, inflates. */
static void
check_round_trip(const uint8_t *in, size_t len)
{
	struct sk_buf c, d;
	uint8_t *ref;
	uint32_t adler;
	size_t reflen;

	sk_buf_init(&c, SIZE_MAX);
	sk_buf_init(&d, SIZE_MAX);
	SKT_RC(sk_zlib_deflate(in, len, &c), 0);
	SKT_CHECK(c.len >= 6);
	if (c.len < 6)
		goto out;
	/* CMF 0x78: deflate, 32K window; FLG 0xda: FLEVEL 3, FCHECK ok. */
	SKT_EQ(c.data[0], 0x78);
	SKT_EQ(c.data[1], 0xda);
	SKT_EQ((c.data[0] << 8 | c.data[1]) % 31, 0);
	adler = ref_adler32(in, len);
	SKT_EQ(c.data[c.len - 4], adler >> 24);
	SKT_EQ(c.data[c.len - 3], (adler >> 16) & 0xff);
	SKT_EQ(c.data[c.len - 2], (adler >> 8) & 0xff);
	SKT_EQ(c.data[c.len - 1], adler & 0xff);
	ref = zcompress(in, len, 9, &reflen);
	SKT_CHECK(ref != NULL);
	if (ref != NULL)
		SKT_MEMEQ(c.data, c.len, ref, reflen);
	free(ref);

	/* Exactly len fits; one byte less does not. */
	SKT_RC(sk_zlib_inflate(c.data, c.len, len, &d), 0);
	SKT_EQ(d.len, len);
	if (len > 0) {
		SKT_MEMEQ(d.data, d.len, in, len);
		check_reject(c.data, c.len, len - 1, SK_ERR_LIMIT);
	}
out:
	sk_buf_free(&c);
	sk_buf_free(&d);
}

static void
test_round_trip(void)
{
	static const size_t lens[] = { 0, 1, 2, 100, 16383, 16384, 16385,
	    65536, 300000 };
	uint8_t *p;
	uint32_t seed = 1950;
	size_t i, j;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		p = make_text(lens[i], (uint32_t)i + 1);
		SKT_CHECK(p != NULL);
		if (p == NULL)
			continue;
		check_round_trip(p, lens[i]);
		/* Incompressible input makes stored blocks. */
		for (j = 0; j < lens[i]; j++)
			p[j] = (uint8_t)xorshift(&seed);
		check_round_trip(p, lens[i]);
		free(p);
	}
	check_round_trip(NULL, 0);
}

/* Streams from other levels and strategies inflate to the same bytes. */
static void
test_other_writers(void)
{
	static const int levels[] = { 0, 1, 6 };
	struct sk_buf b;
	uint8_t *p, *z;
	size_t zlen, i, len = 200000;

	SKT_CHECK((p = make_text(len, 77)) != NULL);
	if (p == NULL)
		return;
	sk_buf_init(&b, SIZE_MAX);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		z = zcompress(p, len, levels[i], &zlen);
		SKT_CHECK(z != NULL);
		if (z == NULL)
			continue;
		sk_buf_reset(&b);
		SKT_RC(sk_zlib_inflate(z, zlen, len, &b), 0);
		SKT_MEMEQ(b.data, b.len, p, len);
		free(z);
	}
	sk_buf_free(&b);
	free(p);
}

static void
test_bomb(void)
{
	struct sk_buf b;
	uint8_t *zeros, *z;
	size_t zlen;

	SKT_CHECK((zeros = calloc(1, BOMB_LEN)) != NULL);
	if (zeros == NULL)
		return;
	z = zcompress(zeros, BOMB_LEN, 9, &zlen);
	free(zeros);
	SKT_CHECK(z != NULL && zlen < 16 * 1024);
	if (z == NULL)
		return;
	check_reject(z, zlen, SK_INFLATE_DEFAULT_MAX, SK_ERR_LIMIT);
	check_reject(z, zlen, 0, SK_ERR_LIMIT);
	check_reject(z, zlen, BOMB_LEN - 1, SK_ERR_LIMIT);

	/* The buffer's own max stops it too, and the allocation stays small. */
	sk_buf_init(&b, 4096);
	SKT_RC(sk_zlib_inflate(z, zlen, SIZE_MAX, &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_CHECK(b.cap <= 4096);
	sk_buf_free(&b);

	sk_buf_init_secret(&b, BOMB_LEN);
	SKT_RC(sk_zlib_inflate(z, zlen, BOMB_LEN, &b), 0);
	SKT_EQ(b.len, BOMB_LEN);
	sk_buf_free(&b);
	free(z);
}

/* 1 when inflating the first n bytes says truncated and appends nothing. */
static int
prefix_truncated(const uint8_t *z, size_t n, size_t max)
{
	struct sk_buf b;
	int ok;

	sk_buf_init(&b, SIZE_MAX);
	ok = sk_zlib_inflate(z, n, max, &b) == SK_ERR_TRUNCATED && b.len == 0;
	sk_buf_free(&b);
	return ok;
}

static void
test_truncated(void)
{
	uint8_t *p, *z;
	size_t zlen, i, len = 40000;
	int bad = 0;

	SKT_CHECK((p = make_text(len, 5)) != NULL);
	if (p == NULL)
		return;
	z = zcompress(p, len, 9, &zlen);
	SKT_CHECK(z != NULL);
	if (z != NULL) {
		/* Every proper prefix, the empty one included. */
		for (i = 0; i < zlen; i++)
			bad += !prefix_truncated(z, i, len);
		SKT_EQ(bad, 0);
		check_reject(z, zlen - 1, len, SK_ERR_TRUNCATED);
		check_reject(z, 0, len, SK_ERR_TRUNCATED);
		check_reject(NULL, 0, len, SK_ERR_TRUNCATED);
	}
	free(z);
	free(p);
}

static void
test_trailing(void)
{
	uint8_t s[64];
	size_t n;

	n = zcompress2((const uint8_t *)"hello", 5, 15, s, sizeof(s));
	SKT_CHECK(n > 0 && 2 * n < sizeof(s));
	if (n == 0 || 2 * n >= sizeof(s))
		return;
	s[n] = 0;
	check_reject(s, n + 1, 64, SK_ERR_TRAILING);
	/* Two whole streams back to back are still one too many. */
	memcpy(s + n, s, n);
	check_reject(s, 2 * n, 64, SK_ERR_TRAILING);
	check_inflate(s, n, "hello", 5);
}

static void
test_corrupt(void)
{
	uint8_t s[64], bad[64];
	size_t n;

	n = zcompress2((const uint8_t *)"hello", 5, 15, s, sizeof(s));
	SKT_CHECK(n > 6);
	if (n <= 6)
		return;
	/* Adler-32 off by one bit, in each of its bytes. */
	memcpy(bad, s, n);
	bad[n - 1] ^= 0x01;
	check_reject(bad, n, 64, SK_ERR_FORMAT);
	memcpy(bad, s, n);
	bad[n - 4] ^= 0x80;
	check_reject(bad, n, 64, SK_ERR_FORMAT);
	/* FCHECK wrong (CMF*256+FLG not a multiple of 31). */
	memcpy(bad, s, n);
	bad[1] ^= 0x01;
	check_reject(bad, n, 64, SK_ERR_FORMAT);
	/* CM 7 (reserved), CINFO 8 (window > 32K), FDICT set. */
	check_reject((const uint8_t *)"\x77\x09\x03\x00", 4, 64, SK_ERR_FORMAT);
	check_reject((const uint8_t *)"\x88\x1c\x03\x00", 4, 64, SK_ERR_FORMAT);
	check_reject((const uint8_t *)"\x78\xbb\x00\x00\x00\x01", 6, 64,
	    SK_ERR_FORMAT);
	/* Reserved block type 3, and a stored block whose NLEN is wrong. */
	check_reject((const uint8_t *)"\x78\x01\x07\x00", 4, 64, SK_ERR_FORMAT);
	check_reject((const uint8_t *)"\x78\x01\x01\x05\x00\xfa\xfe", 7, 64,
	    SK_ERR_FORMAT);

	/* Raw deflate (no RFC 1950 header) and gzip are not zlib. */
	n = zcompress2((const uint8_t *)"hello", 5, -15, s, sizeof(s));
	SKT_CHECK(n > 0);
	check_reject(s, n, 64, SK_ERR_FORMAT);
	n = zcompress2((const uint8_t *)"hello", 5, 31, s, sizeof(s));
	SKT_CHECK(n > 0);
	check_reject(s, n, 64, SK_ERR_FORMAT);
}

static void
test_deflate_limits(void)
{
	struct sk_buf b, c;
	uint8_t *p;
	size_t len = 100000;

	SKT_CHECK((p = make_text(len, 9)) != NULL);
	if (p == NULL)
		return;
	/* Output max too small: refused, prefix intact, nothing added. */
	sk_buf_init(&b, 40);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_zlib_deflate(p, len, &b), SK_ERR_LIMIT);
	SKT_MEMEQ(b.data, b.len, "xy", 2);

	/* Both append after what the buffer already holds. */
	sk_buf_init(&c, 64);
	SKT_RC(sk_zlib_deflate((const uint8_t *)"abc", 3, &c), 0);
	SKT_RC(sk_zlib_inflate(c.data, c.len, 3, &b), 0);
	SKT_MEMEQ(b.data, b.len, "xyabc", 5);
	SKT_RC(sk_zlib_deflate((const uint8_t *)"abc", 3, &c), 0);
	SKT_EQ(c.len % 2, 0);
	SKT_MEMEQ(c.data, c.len / 2, c.data + c.len / 2, c.len / 2);
	sk_buf_free(&b);
	sk_buf_free(&c);

	SKT_RC(sk_zlib_deflate(NULL, 1, &b), SK_ERR_ARG);
	SKT_RC(sk_zlib_deflate(p, 1, NULL), SK_ERR_ARG);
	SKT_RC(sk_zlib_inflate(NULL, 1, 1, &b), SK_ERR_ARG);
	SKT_RC(sk_zlib_inflate(p, 1, 1, NULL), SK_ERR_ARG);
	free(p);
}

/* Bigger than one internal chunk and incompressible: fails mid-stream. */
static void
test_deflate_midway(void)
{
	struct sk_buf b;
	uint8_t *p;
	uint32_t seed = 42;
	size_t i, len = 100000;

	SKT_CHECK((p = malloc(len)) != NULL);
	if (p == NULL)
		return;
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)xorshift(&seed);
	sk_buf_init_secret(&b, 50000);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_zlib_deflate(p, len, &b), SK_ERR_LIMIT);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
	free(p);
}

int
main(void)
{
	SKT_RUN(test_known_streams);
	SKT_RUN(test_round_trip);
	SKT_RUN(test_other_writers);
	SKT_RUN(test_bomb);
	SKT_RUN(test_truncated);
	SKT_RUN(test_trailing);
	SKT_RUN(test_corrupt);
	SKT_RUN(test_deflate_limits);
	SKT_RUN(test_deflate_midway);
	return skt_done();
}
