/*
 * base45 (RFC 9285): the RFC's vectors and edge cases (STANDARDS.md §3.1),
 * every rejection the header promises, limits, and a random round trip
 * checked against a reference decoder written from the RFC formula.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/base45.h"
#include "sktest.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Encode and compare with the expected text. */
static void
check_encode(const void *in, size_t len, const char *want)
{
	struct sk_buf b;

	sk_buf_init(&b, 1024);
	SKT_RC(sk_base45_encode(in, len, &b), 0);
	SKT_MEMEQ(b.data, b.len, want, strlen(want));
	SKT_EQ(sk_base45_encoded_len(len), strlen(want));
	sk_buf_free(&b);
}

/* Decode and compare with the expected bytes. */
static void
check_decode(const char *text, const void *want, size_t wantlen)
{
	struct sk_buf b;

	sk_buf_init(&b, 1024);
	SKT_RC(sk_base45_decode(text, strlen(text), &b), 0);
	SKT_MEMEQ(b.data, b.len, want, wantlen);
	sk_buf_free(&b);
}

/* Decoding must fail with want and leave a non-empty buffer untouched. */
static void
check_reject(const char *text, size_t len, int want)
{
	struct sk_buf b;

	sk_buf_init(&b, 1024);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_base45_decode(text, len, &b), want);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
}

static void
test_rfc_vectors(void)
{
	check_encode("AB", 2, "BB8");
	check_encode("Hello!!", 7, "%69 VD92EX0");
	check_encode("base-45", 7, "UJCLQE7W581");
	check_decode("QED8WEX0", "ietf!", 5);
	check_decode("BB8", "AB", 2);
	check_decode("%69 VD92EX0", "Hello!!", 7);
	check_decode("UJCLQE7W581", "base-45", 7);
}

static void
test_edges(void)
{
	struct sk_buf b;

	check_encode("\x00", 1, "00");
	check_encode("\x00\x00", 2, "000");
	check_encode("\xff", 1, "U5");
	check_encode("\xff\xff", 2, "FGW");
	check_decode("00", "\x00", 1);
	check_decode("000", "\x00\x00", 2);
	check_decode("U5", "\xff", 1);
	check_decode("FGW", "\xff\xff", 2);

	/* Empty in both directions appends nothing, NULL pointer allowed. */
	sk_buf_init(&b, 16);
	SKT_RC(sk_base45_encode(NULL, 0, &b), 0);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_base45_decode(NULL, 0, &b), 0);
	SKT_RC(sk_base45_decode("", 0, &b), 0);
	SKT_EQ(b.len, 0);
	SKT_EQ(sk_base45_encoded_len(0), 0);

	/* Appends after what is already there; text need not end in NUL. */
	SKT_RC(sk_buf_append(&b, "==", 2), 0);
	SKT_RC(sk_base45_decode("BB8BB8", 3, &b), 0);
	SKT_MEMEQ(b.data, b.len, "==AB", 4);
	SKT_RC(sk_base45_encode((const uint8_t *)"AB", 2, &b), 0);
	SKT_MEMEQ(b.data, b.len, "==ABBB8", 7);
	sk_buf_free(&b);

	SKT_RC(sk_base45_encode(NULL, 1, &b), SK_ERR_ARG);
	SKT_RC(sk_base45_decode(NULL, 3, &b), SK_ERR_ARG);
	SKT_RC(sk_base45_encode((const uint8_t *)"A", 1, NULL), SK_ERR_ARG);
	SKT_RC(sk_base45_decode("BB8", 3, NULL), SK_ERR_ARG);
}

static void
test_reject(void)
{
	/* Lower case is outside the alphabet (RFC 9285 §4.2). */
	check_reject("bb8", 3, SK_ERR_FORMAT);
	check_reject("BB8bb8", 6, SK_ERR_FORMAT);
	check_reject("u5", 2, SK_ERR_FORMAT);
	/* Other characters, including NUL, high-bit and near neighbours. */
	check_reject("BB8BB!", 6, SK_ERR_FORMAT);
	check_reject("B_8", 3, SK_ERR_FORMAT);
	check_reject("B\0008", 3, SK_ERR_FORMAT);
	check_reject("B\3008", 3, SK_ERR_FORMAT);
	check_reject("B#8", 3, SK_ERR_FORMAT);
	check_reject("B,8", 3, SK_ERR_FORMAT);
	check_reject("B=8", 3, SK_ERR_FORMAT);
	check_reject("B;8", 3, SK_ERR_FORMAT);
	check_reject("B@8", 3, SK_ERR_FORMAT);
	check_reject("B[8", 3, SK_ERR_FORMAT);
	check_reject("BB8 \n", 5, SK_ERR_FORMAT);
	/* Length 1 mod 3. */
	check_reject("B", 1, SK_ERR_FORMAT);
	check_reject("BB8B", 4, SK_ERR_FORMAT);
	check_reject("BB8BB8B", 7, SK_ERR_FORMAT);
	/* Triplet above 65535: GGW = 65536; ::: = 91124. */
	check_reject("GGW", 3, SK_ERR_FORMAT);
	check_reject(":::", 3, SK_ERR_FORMAT);
	check_reject("BB8GGW", 6, SK_ERR_FORMAT);
	/* Final pair above 255: V5 = 256; :: = 2024. */
	check_reject("V5", 2, SK_ERR_FORMAT);
	check_reject("::", 2, SK_ERR_FORMAT);
	check_reject("BB8::", 5, SK_ERR_FORMAT);
	/* A bad group late in a long text still appends nothing. */
	check_reject("BB8BB8BB8BB8BB8::", 17, SK_ERR_FORMAT);
}

static void
test_limits(void)
{
	struct sk_buf b;
	uint8_t *bytes;
	char *text;
	size_t n;

	n = SK_BASE45_MAX_TEXT + 3;
	SKT_CHECK((text = malloc(n)) != NULL);
	SKT_CHECK((bytes = calloc(1, SK_BASE45_MAX_BYTES + 1)) != NULL);
	if (text == NULL || bytes == NULL)
		goto out;
	memset(text, '0', n);

	/* The longest accepted text is MAX_TEXT (minus one for mod 3). */
	sk_buf_init(&b, SIZE_MAX);
	SKT_EQ(SK_BASE45_MAX_TEXT % 3, 1);
	SKT_RC(sk_base45_decode(text, SK_BASE45_MAX_TEXT - 1, &b), 0);
	SKT_EQ(b.len, (SK_BASE45_MAX_TEXT - 1) / 3 * 2);
	sk_buf_reset(&b);
	SKT_RC(sk_base45_decode(text, SK_BASE45_MAX_TEXT, &b), SK_ERR_FORMAT);
	SKT_RC(sk_base45_decode(text, SK_BASE45_MAX_TEXT + 1, &b),
	    SK_ERR_LIMIT);
	SKT_RC(sk_base45_decode(text, SK_BASE45_MAX_TEXT + 2, &b),
	    SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);

	SKT_RC(sk_base45_encode(bytes, SK_BASE45_MAX_BYTES, &b), 0);
	SKT_EQ(b.len, sk_base45_encoded_len(SK_BASE45_MAX_BYTES));
	SKT_CHECK(b.len <= SK_BASE45_MAX_TEXT);
	sk_buf_reset(&b);
	SKT_RC(sk_base45_encode(bytes, SK_BASE45_MAX_BYTES + 1, &b),
	    SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	sk_buf_free(&b);

	/* The output buffer's own max: refused whole, nothing appended. */
	sk_buf_init(&b, 5);
	SKT_RC(sk_base45_encode((const uint8_t *)"Hell", 4, &b),
	    SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_base45_encode((const uint8_t *)"He", 2, &b), 0);
	SKT_RC(sk_base45_encode((const uint8_t *)"He", 2, &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 3);
	sk_buf_reset(&b);
	SKT_RC(sk_base45_decode("%69 VD92EX0", 11, &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_base45_decode("%69 VD", 6, &b), 0);
	SKT_MEMEQ(b.data, b.len, "Hell", 4);
	sk_buf_free(&b);

	SKT_EQ(sk_base45_encoded_len(SIZE_MAX), SIZE_MAX);
	SKT_EQ(sk_base45_encoded_len(7), 11);
out:
	free(text);
	free(bytes);
}

/* RFC 9285 §4 decoding written out directly, for comparison. */
static int
ref_decode(const uint8_t *t, size_t len, uint8_t *out)
{
	const char *p;
	uint32_t n, mul;
	size_t i, j, k, o = 0;

	for (i = 0; i < len; i += 3) {
		k = len - i >= 3 ? 3 : len - i;
		for (n = 0, mul = 1, j = 0; j < k; j++, mul *= 45) {
			if (t[i + j] == 0 ||
			    (p = strchr(alphabet, t[i + j])) == NULL)
				return -1;
			n += (uint32_t)(p - alphabet) * mul;
		}
		if (k == 3) {
			out[o++] = (uint8_t)(n / 256);
			out[o++] = (uint8_t)(n % 256);
		} else
			out[o++] = (uint8_t)n;
	}
	return (int)o;
}

static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
test_round_trip(void)
{
	struct sk_buf t, d;
	uint8_t in[300], ref[300];
	uint32_t seed = 0x9285u;
	size_t len, i;
	int iter, bad;

	sk_buf_init(&t, SK_BASE45_MAX_TEXT);
	sk_buf_init(&d, SK_BASE45_MAX_BYTES);
	for (iter = 0; iter < 2000; iter++) {
		len = iter <= 300 ? (size_t)iter : xorshift(&seed) % 301;
		for (i = 0; i < len; i++)
			in[i] = (uint8_t)xorshift(&seed);
		sk_buf_reset(&t);
		sk_buf_reset(&d);
		SKT_RC(sk_base45_encode(in, len, &t), 0);
		SKT_EQ(t.len, len / 2 * 3 + len % 2 * 2);
		for (bad = 0, i = 0; i < t.len; i++)
			bad |= memchr(alphabet, t.data[i], 45) == NULL;
		SKT_EQ(bad, 0);
		SKT_EQ(ref_decode(t.data, t.len, ref), (int)len);
		SKT_RC(sk_base45_decode((const char *)t.data, t.len, &d), 0);
		SKT_EQ(d.len, len);
		if (len == 0)
			continue;
		SKT_MEMEQ(ref, len, in, len);
		SKT_MEMEQ(d.data, d.len, in, len);
	}
	sk_buf_free(&t);
	sk_buf_free(&d);
}

int
main(void)
{
	SKT_RUN(test_rfc_vectors);
	SKT_RUN(test_edges);
	SKT_RUN(test_reject);
	SKT_RUN(test_limits);
	SKT_RUN(test_round_trip);
	return skt_done();
}
