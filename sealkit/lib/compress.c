/*
 * zlib (RFC 1950) with an output cap (sealkit/compress.h).  Both directions
 * stream through a small stack chunk, so neither the input length nor the
 * cap ever has to fit zlib's 32-bit uInt counters.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "sealkit/compress.h"

#define SK_ZLIB_CHUNK	(16u * 1024u)
#define SK_ZLIB_LEVEL	9

/* Hand zlib the next piece of input once it has used up the last one. */
static void
z_feed(z_stream *z, const uint8_t **in, size_t *left)
{
	uInt n;

	if (z->avail_in != 0 || *left == 0)
		return;
	n = *left > UINT_MAX ? UINT_MAX : (uInt)*left;
	z->next_in = *in;
	z->avail_in = n;
	*in += n;
	*left -= n;
}

/* Undo a failed append: drop (and wipe) everything past off. */
static void
z_rollback(struct sk_buf *b, size_t off)
{
	if (b->len > off) {
		sk_wipe(b->data + off, b->len - off);
		b->len = off;
	}
}

static int
z_init_err(int zrc)
{
	return zrc == Z_MEM_ERROR ? SK_ERR_NOMEM : SK_ERR_INTERNAL;
}

static int
deflate_loop(z_stream *z, const uint8_t *in, size_t len, struct sk_buf *out,
    uint8_t *chunk)
{
	size_t produced;
	int flush, rc, zrc;

	for (;;) {
		z_feed(z, &in, &len);
		flush = len == 0 ? Z_FINISH : Z_NO_FLUSH;
		z->next_out = chunk;
		z->avail_out = SK_ZLIB_CHUNK;
		zrc = deflate(z, flush);
		/* With fresh output space every call makes progress. */
		if (zrc != Z_OK && zrc != Z_STREAM_END)
			return SK_ERR_INTERNAL;
		produced = SK_ZLIB_CHUNK - z->avail_out;
		if ((rc = sk_buf_append(out, chunk, produced)) != 0)
			return rc;
		if (zrc == Z_STREAM_END)
			return 0;
	}
}

int
sk_zlib_deflate(const uint8_t *in, size_t len, struct sk_buf *out)
{
	uint8_t chunk[SK_ZLIB_CHUNK];
	z_stream z;
	size_t off;
	int rc, zrc;

	if (out == NULL || (in == NULL && len > 0))
		return SK_ERR_ARG;
	memset(&z, 0, sizeof(z));
	if ((zrc = deflateInit(&z, SK_ZLIB_LEVEL)) != Z_OK)
		return z_init_err(zrc);
	off = out->len;
	rc = deflate_loop(&z, in, len, out, chunk);
	(void)deflateEnd(&z);
	if (rc != 0)
		z_rollback(out, off);
	if (out->secret)
		sk_wipe(chunk, sizeof(chunk));
	return rc;
}

static int
inflate_err(int zrc)
{
	switch (zrc) {
	case Z_DATA_ERROR:
	case Z_NEED_DICT:	/* FDICT set: no preset dictionary is agreed */
		return SK_ERR_FORMAT;
	case Z_MEM_ERROR:
		return SK_ERR_NOMEM;
	default:
		return SK_ERR_INTERNAL;
	}
}

/*
 * Inflate until Z_STREAM_END.  Each call may write at most one byte past
 * the cap, which is how passing the cap is detected without first
 * producing a whole chunk of it.
 */
static int
inflate_loop(z_stream *z, const uint8_t *in, size_t len, size_t max,
    struct sk_buf *out, uint8_t *chunk)
{
	size_t total = 0, room, produced;
	uInt avail;
	int rc, zrc;

	for (;;) {
		z_feed(z, &in, &len);
		room = max - total;
		avail = room < SK_ZLIB_CHUNK ? (uInt)room + 1 : SK_ZLIB_CHUNK;
		z->next_out = chunk;
		z->avail_out = avail;
		zrc = inflate(z, Z_NO_FLUSH);
		produced = avail - z->avail_out;
		if (produced > room)
			return SK_ERR_LIMIT;
		if ((rc = sk_buf_append(out, chunk, produced)) != 0)
			return rc;
		total += produced;
		if (zrc == Z_STREAM_END) {
			if (z->avail_in != 0 || len != 0)
				return SK_ERR_TRAILING;
			return 0;
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR)
			return inflate_err(zrc);
		/* All input used and room left over: the stream stops short. */
		if (z->avail_in == 0 && len == 0 && z->avail_out != 0)
			return SK_ERR_TRUNCATED;
		if (zrc == Z_BUF_ERROR)
			return SK_ERR_INTERNAL;
	}
}

int
sk_zlib_inflate(const uint8_t *in, size_t len, size_t max, struct sk_buf *out)
{
	uint8_t chunk[SK_ZLIB_CHUNK];
	z_stream z;
	size_t off;
	int rc, zrc;

	if (out == NULL || (in == NULL && len > 0))
		return SK_ERR_ARG;
	memset(&z, 0, sizeof(z));
	/* inflateInit, not inflateInit2: only the zlib wrapper is accepted. */
	if ((zrc = inflateInit(&z)) != Z_OK)
		return z_init_err(zrc);
	off = out->len;
	rc = inflate_loop(&z, in, len, max, out, chunk);
	(void)inflateEnd(&z);
	if (rc != 0)
		z_rollback(out, off);
	if (out->secret)
		sk_wipe(chunk, sizeof(chunk));
	return rc;
}
