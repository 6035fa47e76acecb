/*
 * libFuzzer target for capped zlib inflation.  A rejected stream must leave
 * the output buffer as it was; an accepted one must match zlib's one-shot
 * uncompress2() and survive a deflate/inflate round trip; every other
 * verdict must agree with what uncompress2() makes of the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "sealkit/compress.h"

/* Small, so that bombs are found quickly and runs stay fast. */
#define FUZZ_INFLATE_MAX	(64u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* zlib's own verdict: Z_OK and how many bytes it used and produced. */
static int
ref_inflate(const uint8_t *data, size_t size, uint8_t *dst, uLongf *dstlen,
    uLong *used)
{
	*dstlen = FUZZ_INFLATE_MAX + 1;
	*used = (uLong)size;
	return uncompress2(dst, dstlen, data, used);
}

static void
check_round_trip(const uint8_t *p, size_t len)
{
	struct sk_buf c, d;

	sk_buf_init(&c, SIZE_MAX);
	sk_buf_init(&d, SIZE_MAX);
	if (sk_zlib_deflate(p, len, &c) != 0 ||
	    sk_zlib_inflate(c.data, c.len, len, &d) != 0 ||
	    d.len != len || (len > 0 && memcmp(d.data, p, len) != 0))
		abort();
	sk_buf_free(&c);
	sk_buf_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_buf out;
	uint8_t *ref;
	uLongf reflen;
	uLong used;
	int rc, zrc;

	if ((ref = malloc(FUZZ_INFLATE_MAX + 1)) == NULL)
		return 0;
	sk_buf_init(&out, SIZE_MAX);
	if (sk_buf_append(&out, "xy", 2) != 0)
		abort();
	rc = sk_zlib_inflate(data, size, FUZZ_INFLATE_MAX, &out);
	zrc = ref_inflate(data, size, ref, &reflen, &used);
	if (rc != 0 && (out.len != 2 || memcmp(out.data, "xy", 2) != 0))
		abort();
	switch (rc) {
	case 0:
		if (zrc != Z_OK || used != size || reflen != out.len - 2 ||
		    (reflen > 0 && memcmp(ref, out.data + 2, reflen) != 0))
			abort();
		check_round_trip(out.data + 2, out.len - 2);
		break;
	case SK_ERR_TRAILING:
		if (zrc != Z_OK || used >= size)
			abort();
		break;
	case SK_ERR_TRUNCATED:
	case SK_ERR_FORMAT:
		if (zrc == Z_OK)
			abort();
		break;
	case SK_ERR_LIMIT:
		if (zrc == Z_OK && reflen <= FUZZ_INFLATE_MAX)
			abort();
		break;
	default:
		abort();
	}
	sk_buf_free(&out);
	free(ref);
	return 0;
}
