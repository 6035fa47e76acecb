/*
 * sealkit/compress.h: zlib (RFC 1950) compression with an output cap.
 *
 * Inflation stops with SK_ERR_LIMIT as soon as the output would pass the
 * caller's cap, so a decompression bomb costs at most that much memory and
 * the time to produce it.  Trailing bytes after the zlib stream are
 * rejected (SK_ERR_TRAILING); a stream that ends early is SK_ERR_TRUNCATED;
 * a corrupt one (bad header, bad Adler-32) is SK_ERR_FORMAT.
 */
#ifndef SEALKIT_COMPRESS_H
#define SEALKIT_COMPRESS_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default cap for inflated QR payloads (a COSE credential is < 4 KiB). */
#define SK_INFLATE_DEFAULT_MAX	(64u * 1024u)

/*
 * Compress len bytes at level 9 into out (appended).
 * @return 0, SK_ERR_LIMIT (out's max), SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
SK_API int sk_zlib_deflate(const uint8_t *in, size_t len,
    struct sk_buf *out) SK_WUR;

/*
 * Inflate one zlib stream of exactly len bytes, appending at most max
 * bytes to out.  On error nothing is appended.
 * @return 0, SK_ERR_LIMIT, SK_ERR_TRUNCATED, SK_ERR_TRAILING,
 *         SK_ERR_FORMAT, SK_ERR_NOMEM.
 */
SK_API int sk_zlib_inflate(const uint8_t *in, size_t len, size_t max,
    struct sk_buf *out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif
