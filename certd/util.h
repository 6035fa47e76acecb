/*
 * util.h: small helpers shared by the certd modules: base64 (RFC 4648,
 * strict), hex, time and bounded file reads.
 */
#ifndef CERTD_UTIL_H
#define CERTD_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"

/* Longest file certd_read_file() is ever asked to read. */
#define CERTD_FILE_MAX		(4u * 1024u * 1024u)

/*
 * Append base64 of len bytes to out, NUL-terminated (the NUL is not
 * counted in out->len).  url: the URL-safe alphabet without padding
 * (RFC 4648 section 5); else the standard alphabet with padding.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	certd_b64_encode(const uint8_t *in, size_t len, int url,
	    struct sk_buf *out) SK_WUR;

/*
 * Decode standard base64 with padding (RFC 4648 section 4), strictly: no
 * white space, no missing or extra padding, zero pad bits.  Appends to out.
 * @return 0, SK_ERR_FORMAT, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	certd_b64_decode(const char *in, size_t len, struct sk_buf *out) SK_WUR;

/* Lower-case hex of len bytes into out, which holds 2 * len + 1 bytes. */
void	certd_hex(const uint8_t *in, size_t len, char *out);

/* Seconds since the epoch (realtime) and a monotonic microsecond clock. */
int64_t	certd_now(void);
uint64_t certd_mono_us(void);

/*
 * Read a whole regular file of at most max bytes into out (initialised
 * here with that max; secret if secret is set).
 * @return 0, SK_ERR_IO, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	certd_read_file(const char *path, size_t max, int secret,
	    struct sk_buf *out) SK_WUR;

/* 1 if s (len bytes) is valid UTF-8 without control characters. */
int	certd_text_ok(const char *s, size_t len);

#endif /* CERTD_UTIL_H */
