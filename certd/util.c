/*
 * util.c: base64, hex, clocks and bounded file reads for certd.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char b64std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
certd_b64_encode(const uint8_t *in, size_t len, int url, struct sk_buf *out)
{
	const char *abc = url ? b64url : b64std;
	size_t need, i, o, groups;
	uint8_t *p;
	uint32_t v;
	int rc;

	groups = len / 3 + (len % 3 != 0);
	if (__builtin_mul_overflow(groups, (size_t)4, &need) ||
	    __builtin_add_overflow(need, (size_t)1, &need))
		return SK_ERR_LIMIT;
	if ((rc = sk_buf_extend(out, need, &p)) != 0)
		return rc;
	for (i = 0, o = 0; i + 3 <= len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		p[o++] = (uint8_t)abc[v >> 18];
		p[o++] = (uint8_t)abc[(v >> 12) & 63];
		p[o++] = (uint8_t)abc[(v >> 6) & 63];
		p[o++] = (uint8_t)abc[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		p[o++] = (uint8_t)abc[v >> 18];
		p[o++] = (uint8_t)abc[(v >> 12) & 63];
		if (!url) {
			p[o++] = '=';
			p[o++] = '=';
		}
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		p[o++] = (uint8_t)abc[v >> 18];
		p[o++] = (uint8_t)abc[(v >> 12) & 63];
		p[o++] = (uint8_t)abc[(v >> 6) & 63];
		if (!url)
			p[o++] = '=';
	}
	p[o] = '\0';
	out->len -= need - o;
	return 0;
}

static int
b64val(char c)
{
	const char *q;

	if (c == '\0' || (q = strchr(b64std, c)) == NULL)
		return -1;
	return (int)(q - b64std);
}

int
certd_b64_decode(const char *in, size_t len, struct sk_buf *out)
{
	size_t i, pad = 0, start = out->len;
	uint32_t v;
	int a, b, c, d, rc;

	if (len == 0 || len % 4 != 0)
		return SK_ERR_FORMAT;
	if (in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		a = b64val(in[i]);
		b = b64val(in[i + 1]);
		c = (i + 4 == len && pad == 2) ? 0 : b64val(in[i + 2]);
		d = (i + 4 == len && pad >= 1) ? 0 : b64val(in[i + 3]);
		if (a < 0 || b < 0 || c < 0 || d < 0)
			goto bad;
		v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 |
		    (uint32_t)d;
		if (i + 4 == len && pad == 2 && (v & 0xffff) != 0)
			goto bad;
		if (i + 4 == len && pad == 1 && (v & 0xff) != 0)
			goto bad;
		if ((rc = sk_buf_putc(out, (uint8_t)(v >> 16))) != 0 ||
		    (!(i + 4 == len && pad == 2) &&
		    (rc = sk_buf_putc(out, (uint8_t)(v >> 8))) != 0) ||
		    (!(i + 4 == len && pad >= 1) &&
		    (rc = sk_buf_putc(out, (uint8_t)v)) != 0)) {
			out->len = start;
			return rc;
		}
	}
	return 0;
bad:
	out->len = start;
	return SK_ERR_FORMAT;
}

void
certd_hex(const uint8_t *in, size_t len, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int64_t
certd_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec;
}

uint64_t
certd_mono_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int
certd_read_file(const char *path, size_t max, int secret, struct sk_buf *out)
{
	struct stat sb;
	uint8_t *p;
	ssize_t n;
	int fd, rc = 0;

	if (secret)
		sk_buf_init_secret(out, max);
	else
		sk_buf_init(out, max);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return SK_ERR_IO;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return SK_ERR_IO;
	}
	for (;;) {
		if ((rc = sk_buf_extend(out, 4096, &p)) != 0)
			break;
		n = read(fd, p, 4096);
		if (n < 0 && errno == EINTR) {
			out->len -= 4096;
			continue;
		}
		out->len -= 4096 - (n > 0 ? (size_t)n : 0);
		if (n <= 0) {
			rc = n < 0 ? SK_ERR_IO : 0;
			break;
		}
	}
	close(fd);
	if (rc != 0)
		sk_buf_free(out);
	return rc;
}

int
certd_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
		i += n + 1;
	}
	return 1;
}
