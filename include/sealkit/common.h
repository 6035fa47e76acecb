/*
 * sealkit/common.h: error codes, export and attribute macros, and the
 * bounded byte buffer that every encoder in libsealkit writes into.
 *
 * Conventions (docs/HACKING.md):
 *  - Fallible functions return int: 0 on success, a negative SK_ERR_* on
 *    failure.  Outputs are cleared on entry, so on failure they hold nothing
 *    the caller must free.
 *  - Every *_free() accepts NULL.
 *  - "Borrowed" pointers stay valid only as long as the object they come
 *    from; everything else is owned by the caller once returned.
 */
#ifndef SEALKIT_COMMON_H
#define SEALKIT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SK_BUILDING_LIBRARY)
#define SK_API __attribute__((visibility("default")))
#else
#define SK_API
#endif
#define SK_WUR __attribute__((warn_unused_result))

/* Error codes.  Values are stable: they appear in --json output. */
enum sk_err {
	SK_OK = 0,
	SK_ERR_NOMEM = -1,	/* allocation failed */
	SK_ERR_ARG = -2,	/* invalid argument (programming error) */
	SK_ERR_LIMIT = -3,	/* input exceeds a named limit */
	SK_ERR_TRUNCATED = -4,	/* input ends early */
	SK_ERR_TRAILING = -5,	/* bytes after a complete item */
	SK_ERR_FORMAT = -6,	/* malformed encoding */
	SK_ERR_NONCANONICAL = -7, /* valid but not in the required encoding */
	SK_ERR_DUPLICATE = -8,	/* duplicate map key */
	SK_ERR_TYPE = -9,	/* wrong type for this field */
	SK_ERR_MISSING = -10,	/* a required field is absent */
	SK_ERR_UNSUPPORTED = -11, /* algorithm or feature not supported */
	SK_ERR_SIGNATURE = -12,	/* signature does not verify */
	SK_ERR_KEY = -13,	/* key unusable for this operation */
	SK_ERR_CERT = -14,	/* certificate unusable or invalid */
	SK_ERR_CRYPTO = -15,	/* cryptographic library failure */
	SK_ERR_IO = -16,	/* file read or write failed */
	SK_ERR_PASSWORD = -17,	/* password missing or wrong */
	SK_ERR_CHECKSUM = -18,	/* check digit / check character wrong */
	SK_ERR_NOTFOUND = -19,	/* no matching entry (kid, key, record) */
	SK_ERR_EXPIRED = -20,	/* outside its validity period */
	SK_ERR_INTERNAL = -21	/* an invariant failed: a bug */
};
#define SK_ERR_MIN (-21)

/*
 * sk_strerror: a short English description of an SK_ERR_* code.
 * @return a static string; never NULL (unknown codes give "unknown error").
 */
SK_API const char *sk_strerror(int err);

/*
 * sk_errname: the stable identifier of an error code, e.g. "SK_ERR_FORMAT"
 * becomes "format".  Used in --json output and problem types.
 */
SK_API const char *sk_errname(int err);

/*
 * struct sk_buf: a growable byte buffer with a hard maximum set at init
 * (the curl dynbuf shape).  Appending past max fails with SK_ERR_LIMIT and
 * leaves the buffer unchanged.  Fields may be read directly; change them
 * only through the functions below.
 */
struct sk_buf {
	uint8_t	*data;	/* owned; NULL while empty */
	size_t	 len;	/* bytes in use */
	size_t	 cap;	/* bytes allocated */
	size_t	 max;	/* hard limit on len */
	int	 secret; /* wipe on every realloc and on free */
};

/* Initialise an empty buffer that will never hold more than max bytes. */
SK_API void sk_buf_init(struct sk_buf *b, size_t max);
/* As sk_buf_init, but the contents are wiped on growth and on free. */
SK_API void sk_buf_init_secret(struct sk_buf *b, size_t max);
/* Append len bytes; len 0 is a no-op.  SK_ERR_LIMIT past max. */
SK_API int sk_buf_append(struct sk_buf *b, const void *p, size_t len) SK_WUR;
/* Append one byte. */
SK_API int sk_buf_putc(struct sk_buf *b, uint8_t c) SK_WUR;
/* Make room for len more bytes; *out points at them (len is added). */
SK_API int sk_buf_extend(struct sk_buf *b, size_t len, uint8_t **out) SK_WUR;
/* Empty the buffer, keeping its allocation (wiped if secret). */
SK_API void sk_buf_reset(struct sk_buf *b);
/* Free the storage (wiped if secret) and empty the buffer.  NULL is ok. */
SK_API void sk_buf_free(struct sk_buf *b);
/*
 * Hand the storage to the caller: *out gets the bytes (free with free(), or
 * OPENSSL_clear_free() if secret), *outlen their count.  The buffer is left
 * empty.  An empty buffer gives *out == NULL.
 */
SK_API void sk_buf_take(struct sk_buf *b, uint8_t **out, size_t *outlen);

/* Wipe len bytes at p in a way the compiler cannot remove. */
SK_API void sk_wipe(void *p, size_t len);

/* Constant-time comparison: 0 when equal. */
SK_API int sk_ct_memcmp(const void *a, const void *b, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_COMMON_H */
