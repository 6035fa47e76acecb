/*
 * Error strings, the bounded buffer and secret wiping (sealkit/common.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sealkit/common.h"

static const struct {
	int		 code;
	const char	*name;
	const char	*text;
} sk_errors[] = {
	{ SK_OK,		"ok",		"success" },
	{ SK_ERR_NOMEM,		"nomem",	"out of memory" },
	{ SK_ERR_ARG,		"arg",		"invalid argument" },
	{ SK_ERR_LIMIT,		"limit",	"input exceeds a limit" },
	{ SK_ERR_TRUNCATED,	"truncated",	"input is truncated" },
	{ SK_ERR_TRAILING,	"trailing",	"trailing bytes after the data" },
	{ SK_ERR_FORMAT,	"format",	"malformed encoding" },
	{ SK_ERR_NONCANONICAL,	"noncanonical",	"not in canonical encoding" },
	{ SK_ERR_DUPLICATE,	"duplicate",	"duplicate map key" },
	{ SK_ERR_TYPE,		"type",		"unexpected data type" },
	{ SK_ERR_MISSING,	"missing",	"required field missing" },
	{ SK_ERR_UNSUPPORTED,	"unsupported",	"unsupported algorithm or feature" },
	{ SK_ERR_SIGNATURE,	"signature",	"signature does not verify" },
	{ SK_ERR_KEY,		"key",		"key unusable for this operation" },
	{ SK_ERR_CERT,		"cert",		"certificate unusable or invalid" },
	{ SK_ERR_CRYPTO,	"crypto",	"cryptographic library failure" },
	{ SK_ERR_IO,		"io",		"input/output error" },
	{ SK_ERR_PASSWORD,	"password",	"password missing or wrong" },
	{ SK_ERR_CHECKSUM,	"checksum",	"check character does not match" },
	{ SK_ERR_NOTFOUND,	"notfound",	"no matching entry" },
	{ SK_ERR_EXPIRED,	"expired",	"outside the validity period" },
	{ SK_ERR_INTERNAL,	"internal",	"internal error" },
};

const char *
sk_strerror(int err)
{
	size_t i;

	for (i = 0; i < sizeof(sk_errors) / sizeof(sk_errors[0]); i++)
		if (sk_errors[i].code == err)
			return sk_errors[i].text;
	return "unknown error";
}

const char *
sk_errname(int err)
{
	size_t i;

	for (i = 0; i < sizeof(sk_errors) / sizeof(sk_errors[0]); i++)
		if (sk_errors[i].code == err)
			return sk_errors[i].name;
	return "unknown";
}

void
sk_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}

int
sk_ct_memcmp(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) != 0;
}

void
sk_buf_init(struct sk_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
sk_buf_init_secret(struct sk_buf *b, size_t max)
{
	sk_buf_init(b, max);
	b->secret = 1;
}

/* Grow so that at least need bytes fit; doubling, capped at max. */
static int
sk_buf_reserve(struct sk_buf *b, size_t need)
{
	uint8_t *p;
	size_t ncap;

	if (need <= b->cap)
		return 0;
	if (need > b->max)
		return SK_ERR_LIMIT;
	ncap = b->cap < 64 ? 64 : b->cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (ncap > b->max)
		ncap = b->max;
	if (b->secret) {
		/* Never leave a copy of a secret in freed memory. */
		if ((p = malloc(ncap)) == NULL)
			return SK_ERR_NOMEM;
		if (b->len > 0)
			memcpy(p, b->data, b->len);
		if (b->data != NULL)
			OPENSSL_clear_free(b->data, b->cap);
	} else if ((p = realloc(b->data, ncap)) == NULL)
		return SK_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
sk_buf_extend(struct sk_buf *b, size_t len, uint8_t **out)
{
	size_t need;
	int rc;

	*out = NULL;
	if (__builtin_add_overflow(b->len, len, &need))
		return SK_ERR_LIMIT;
	if ((rc = sk_buf_reserve(b, need == 0 ? 1 : need)) != 0)
		return rc;
	*out = b->data + b->len;
	b->len = need;
	return 0;
}

int
sk_buf_append(struct sk_buf *b, const void *p, size_t len)
{
	uint8_t *dst;
	int rc;

	if (len == 0)
		return 0;
	if ((rc = sk_buf_extend(b, len, &dst)) != 0)
		return rc;
	memcpy(dst, p, len);
	return 0;
}

int
sk_buf_putc(struct sk_buf *b, uint8_t c)
{
	return sk_buf_append(b, &c, 1);
}

void
sk_buf_reset(struct sk_buf *b)
{
	if (b->secret && b->data != NULL)
		OPENSSL_cleanse(b->data, b->cap);
	b->len = 0;
}

void
sk_buf_free(struct sk_buf *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL) {
		if (b->secret)
			OPENSSL_clear_free(b->data, b->cap);
		else
			free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}

void
sk_buf_take(struct sk_buf *b, uint8_t **out, size_t *outlen)
{
	if (b->len == 0) {
		sk_buf_free(b);
		*out = NULL;
		*outlen = 0;
		return;
	}
	*out = b->data;
	*outlen = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
}
