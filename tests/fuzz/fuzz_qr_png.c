/*
 * libFuzzer target for sk_qr_decode_png: arbitrary bytes as a PNG.  The
 * result must be one of the documented codes, a failure must leave the
 * output buffer as it was, and a success may only append.  Each input is
 * also tried with every chunk CRC repaired, or mutations would rarely get
 * past libpng's CRC checks to the image data, transforms and zbar.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "sealkit/qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Recompute the CRC of each complete chunk after the 8-byte signature. */
static void
fix_crcs(uint8_t *p, size_t size)
{
	size_t off = 8, len;

	while (off + 12 <= size) {
		len = (size_t)p[off] << 24 | (size_t)p[off + 1] << 16 |
		    (size_t)p[off + 2] << 8 | p[off + 3];
		if (len > size - off - 12)
			break;
		put_be32(p + off + 8 + len,
		    (uint32_t)crc32(0, p + off + 4, (uInt)(len + 4)));
		off += 12 + len;
	}
}

static void
check(const uint8_t *data, size_t size)
{
	struct sk_buf out;
	int rc;

	sk_buf_init(&out, 8192);
	if (sk_buf_append(&out, "x", 1) != 0)
		abort();
	rc = sk_qr_decode_png(data, size, &out);
	switch (rc) {
	case 0:
		if (out.len < 1 || out.data[0] != 'x')
			abort();
		break;
	case SK_ERR_LIMIT:
	case SK_ERR_TRUNCATED:
	case SK_ERR_FORMAT:
	case SK_ERR_NOTFOUND:
	case SK_ERR_NOMEM:
		if (out.len != 1 || out.data[0] != 'x')
			abort();
		break;
	default:
		abort();
	}
	sk_buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	check(data, size);
	if (size < 8 || size > SK_QR_PNG_MAX_BYTES)
		return 0;
	if ((copy = malloc(size)) == NULL)
		abort();
	memcpy(copy, data, size);
	fix_crcs(copy, size);
	if (memcmp(copy, data, size) != 0)
		check(copy, size);
	free(copy);
	return 0;
}
