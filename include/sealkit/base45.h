/*
 * sealkit/base45.h: RFC 9285 base45, strict.
 *
 * Alphabet "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" (45 symbols).
 * Two bytes become three characters, little-endian: n = c0 + c1*45 + c2*45^2.
 * The decoder rejects, with SK_ERR_FORMAT: characters outside the alphabet
 * (lower case included), a length of 1 mod 3, a triplet above 65535 and a
 * final pair above 255.  Nothing is decoded partially.
 */
#ifndef SEALKIT_BASE45_H
#define SEALKIT_BASE45_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text sk_base45_decode accepts (a QR code holds < 4,300). */
#define SK_BASE45_MAX_TEXT	(64u * 1024u)
/* Longest input sk_base45_encode accepts. */
#define SK_BASE45_MAX_BYTES	(SK_BASE45_MAX_TEXT / 3u * 2u)

/* Characters needed to encode len bytes (no terminator). */
SK_API size_t sk_base45_encoded_len(size_t len);

/*
 * Encode len bytes; appends the text (not NUL-terminated) to out.
 * @return 0, SK_ERR_LIMIT (len > SK_BASE45_MAX_BYTES or out's max),
 *         SK_ERR_NOMEM.
 */
SK_API int sk_base45_encode(const uint8_t *in, size_t len,
    struct sk_buf *out) SK_WUR;

/*
 * Decode len characters of text (need not be NUL-terminated); appends the
 * bytes to out.  On error nothing is appended.
 * @return 0, SK_ERR_FORMAT, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_base45_decode(const char *text, size_t len,
    struct sk_buf *out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif
