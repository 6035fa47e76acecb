/*
 * qrtext.c: the QR text container prefix + base45(zlib(COSE))
 * (include/sealkit/verify.h, docs/TRUST.md section 3).
 */
#include <limits.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "sealkit/base45.h"
#include "sealkit/compress.h"
#include "sealkit/verify.h"

/* What sk_zlib_deflate writes: CM 8, 32 KiB window, level 9, no dict. */
#define SK_QRTEXT_ZHDR0		0x78u
#define SK_QRTEXT_ZHDR1		0xdau

static int
sk_qrtext_prefix_ok(const char *prefix)
{
	static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    " $%*+-./:";
	size_t i, n;

	if (prefix == NULL)
		return 0;
	n = strnlen(prefix, SK_QRTEXT_MAX_PREFIX + 1);
	if (n > SK_QRTEXT_MAX_PREFIX)
		return 0;
	for (i = 0; i < n; i++)
		if (memchr(alnum, prefix[i], sizeof(alnum) - 1) == NULL)
			return 0;
	return 1;
}

int
sk_qrtext_encode(const char *prefix, const uint8_t *cose, size_t len,
    struct sk_buf *out)
{
	struct sk_buf z, txt;
	int rc;

	if (out == NULL || (cose == NULL && len > 0) ||
	    !sk_qrtext_prefix_ok(prefix))
		return SK_ERR_ARG;
	sk_buf_init(&z, SK_BASE45_MAX_BYTES);
	sk_buf_init(&txt, SK_QRTEXT_MAX);
	if ((rc = sk_buf_append(&txt, prefix, strlen(prefix))) == 0 &&
	    (rc = sk_zlib_deflate(cose, len, &z)) == 0 &&
	    (rc = sk_base45_encode(z.data, z.len, &txt)) == 0)
		rc = sk_buf_append(out, txt.data, txt.len);
	sk_buf_free(&z);
	sk_buf_free(&txt);
	return rc;
}

/*
 * At a deflate block boundary with nbits (< 8) unread bits left in the
 * last byte read: a stored block must have zero padding up to the next
 * byte (RFC 1951 3.2.4), and so must the end of the final block.  zlib
 * ignores these bits, so without this check they could be changed
 * without changing the COSE bytes.
 */
static int
sk_qrtext_boundary(const uint8_t *in, size_t len, size_t used,
    unsigned nbits, int final)
{
	unsigned v, pad;

	if (nbits >= 8)
		return SK_ERR_NONCANONICAL;
	if (final)
		return nbits == 0 || (in[used - 1] >> (8 - nbits)) == 0 ? 0 :
		    SK_ERR_NONCANONICAL;
	if (nbits >= 3) {
		v = (unsigned)in[used - 1] >> (8 - nbits);
		pad = v >> 3;
	} else {
		if (used >= len)
			return 0;	/* truncated: inflate reports it */
		v = (nbits > 0 ? (unsigned)in[used - 1] >> (8 - nbits) : 0) |
		    (unsigned)in[used] << nbits;
		pad = (unsigned)in[used] >> (3 - nbits);
	}
	/* BTYPE (bits 1-2 of the header) 00: stored. */
	if (((v >> 1) & 3u) != 0)
		return 0;
	return pad == 0 ? 0 : SK_ERR_NONCANONICAL;
}

static int
sk_qrtext_zerr(int zr)
{
	switch (zr) {
	case Z_MEM_ERROR:
		return SK_ERR_NOMEM;
	case Z_BUF_ERROR:
		return SK_ERR_TRUNCATED;
	default:
		return SK_ERR_FORMAT;
	}
}

/*
 * Strict zlib: inflate in and check its canonical form in the same pass
 * (one pass matters: this is on the path of every verification), appending
 * at most SK_INFLATE_DEFAULT_MAX bytes to out.  The errors are those of
 * sk_zlib_inflate plus SK_ERR_NONCANONICAL.  On error nothing is appended.
 */
static int
sk_qrtext_inflate_strict(const uint8_t *in, size_t len, struct sk_buf *out)
{
	uint8_t chunk[4096];
	z_stream z;
	size_t off = out->len, produced, total = 0;
	int zr, rc = 0, final = 0;

	if (len < 2 || len > UINT_MAX)
		return len < 2 ? SK_ERR_TRUNCATED : SK_ERR_LIMIT;
	if (in[0] != SK_QRTEXT_ZHDR0 || in[1] != SK_QRTEXT_ZHDR1)
		return SK_ERR_NONCANONICAL;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return SK_ERR_NOMEM;
	z.next_in = in;
	z.avail_in = (uInt)len;
	for (;;) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_BLOCK);
		produced = sizeof(chunk) - z.avail_out;
		if (produced > SK_INFLATE_DEFAULT_MAX - total) {
			rc = SK_ERR_LIMIT;
			break;
		}
		if ((rc = sk_buf_append(out, chunk, produced)) != 0)
			break;
		total += produced;
		if (zr == Z_STREAM_END) {
			rc = z.avail_in != 0 ? SK_ERR_TRAILING : 0;
			break;
		}
		if (zr != Z_OK) {
			rc = sk_qrtext_zerr(zr);
			break;
		}
		/* At each block boundary up to the end of the final block. */
		if (!final && (z.data_type & 128)) {
			if ((rc = sk_qrtext_boundary(in, len, len - z.avail_in,
			    (unsigned)z.data_type & 63u,
			    (z.data_type & 64) != 0)) != 0)
				break;
			final = (z.data_type & 64) != 0;
		}
		if (z.avail_in == 0 && produced == 0) {
			rc = SK_ERR_TRUNCATED;
			break;
		}
	}
	inflateEnd(&z);
	sk_wipe(chunk, sizeof(chunk));
	if (rc != 0 && out->len > off) {
		sk_wipe(out->data + off, out->len - off);
		out->len = off;
	}
	return rc;
}

static int
sk_qrtext_fail(enum sk_stage *stage, enum sk_stage s, int rc)
{
	*stage = s;
	return rc;
}

int
sk_qrtext_decode(const char *text, size_t len, const char *prefix,
    unsigned flags, struct sk_buf *out, enum sk_stage *stage)
{
	struct sk_buf z, cose;
	size_t plen;
	int rc;

	if (stage == NULL)
		return SK_ERR_ARG;
	*stage = SK_STAGE_NONE;
	if (out == NULL || (text == NULL && len > 0) ||
	    !sk_qrtext_prefix_ok(prefix))
		return SK_ERR_ARG;
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len > 0 && text[len - 1] == '\r')
		len--;
	if (len > SK_QRTEXT_MAX)
		return sk_qrtext_fail(stage, SK_STAGE_PREFIX, SK_ERR_LIMIT);
	plen = strlen(prefix);
	if (len < plen || memcmp(text, prefix, plen) != 0)
		return sk_qrtext_fail(stage, SK_STAGE_PREFIX, SK_ERR_FORMAT);
	sk_buf_init(&z, SK_BASE45_MAX_BYTES);
	sk_buf_init(&cose, SK_INFLATE_DEFAULT_MAX);
	if ((rc = sk_base45_decode(text + plen, len - plen, &z)) != 0)
		*stage = SK_STAGE_BASE45;
	else if ((flags & SK_QRTEXT_STRICT_ZLIB) ?
	    (rc = sk_qrtext_inflate_strict(z.data, z.len, &cose)) != 0 :
	    (rc = sk_zlib_inflate(z.data, z.len, SK_INFLATE_DEFAULT_MAX,
	    &cose)) != 0)
		*stage = SK_STAGE_ZLIB;
	else if ((rc = sk_buf_append(out, cose.data, cose.len)) != 0)
		*stage = SK_STAGE_ZLIB;
	sk_buf_free(&z);
	sk_buf_free(&cose);
	return rc;
}
