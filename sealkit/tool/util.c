/*
 * Helpers shared by the sealkit commands: diagnostics, bounded reads,
 * atomic writes, passwords and hex (tool.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/common.h"
#include "sealkit/key.h"

#include "tool.h"

#define TOOL_READ_CHUNK	8192u

static const struct tool_group	*cur_group;
static const struct tool_verb	*cur_verb;

void
tool_set_command(const struct tool_group *g, const struct tool_verb *v)
{
	cur_group = g;
	cur_verb = v;
}

static void vwarn(const char *, va_list, const char *)
    __attribute__((format(printf, 1, 0)));

static void
vwarn(const char *fmt, va_list ap, const char *suffix)
{
	fputs("sealkit: ", stderr);
	if (cur_group != NULL) {
		fputs(cur_group->name, stderr);
		if (cur_verb != NULL)
			fprintf(stderr, " %s", cur_verb->name);
		fputs(": ", stderr);
	}
	vfprintf(stderr, fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, ": %s", suffix);
	fputc('\n', stderr);
}

void
tool_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap, NULL);
	va_end(ap);
}

void
tool_warn_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap, sk_strerror(err));
	va_end(ap);
}

int
tool_exit_for(int err)
{
	switch (err) {
	case SK_OK:
		return TOOL_EXIT_OK;
	case SK_ERR_SIGNATURE:
		return TOOL_EXIT_INVALID;
	case SK_ERR_NOMEM:
	case SK_ERR_ARG:
	case SK_ERR_CRYPTO:
	case SK_ERR_INTERNAL:
		return TOOL_EXIT_INTERNAL;
	default:
		return TOOL_EXIT_INPUT;
	}
}

static void
help_hint(void)
{
	if (cur_group == NULL)
		fputs("Try 'sealkit --help'.\n", stderr);
	else if (cur_verb == NULL)
		fprintf(stderr, "Try 'sealkit %s --help'.\n", cur_group->name);
	else
		fprintf(stderr, "Try 'sealkit %s %s --help'.\n",
		    cur_group->name, cur_verb->name);
}

int
tool_verb_help(void)
{
	if (cur_verb != NULL)
		fputs(cur_verb->usage, stdout);
	return TOOL_EXIT_OK;
}

int
tool_bad_option(char **argv, int c)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		tool_warnx("option %s needs a value", arg);
	else if (optopt != 0)
		tool_warnx("unknown option -%c", optopt);
	else
		tool_warnx("unknown option %s", arg);
	help_hint();
	return TOOL_EXIT_USAGE;
}

int
tool_extra_args(int argc, char **argv)
{
	if (optind >= argc)
		return TOOL_EXIT_OK;
	tool_warnx("unexpected argument '%s'", argv[optind]);
	help_hint();
	return TOOL_EXIT_USAGE;
}

int
tool_missing(const char *option)
{
	tool_warnx("%s is required", option);
	help_hint();
	return TOOL_EXIT_USAGE;
}

static int
is_stdio(const char *path)
{
	return strcmp(path, "-") == 0;
}

static int
open_input(const char *path, int *fd)
{
	struct stat st;

	if (is_stdio(path)) {
		*fd = STDIN_FILENO;
		return 0;
	}
	if ((*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		tool_warnx("%s: %s", path, strerror(errno));
		return SK_ERR_IO;
	}
	if (fstat(*fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		tool_warnx("%s: is a directory", path);
		close(*fd);
		return SK_ERR_IO;
	}
	return 0;
}

static int
read_all(int fd, const char *path, const char *limit, struct sk_buf *out)
{
	uint8_t chunk[TOOL_READ_CHUNK];
	ssize_t n;
	int rc = 0;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			tool_warnx("%s: %s", path, strerror(errno));
			rc = SK_ERR_IO;
			break;
		}
		if ((rc = sk_buf_append(out, chunk, (size_t)n)) != 0) {
			if (rc == SK_ERR_LIMIT)
				tool_warnx("%s: input exceeds %s (%zu bytes)",
				    path, limit, out->max);
			else
				tool_warn_err(rc, "%s", path);
			break;
		}
	}
	sk_wipe(chunk, sizeof(chunk));
	return rc;
}

int
tool_read(const char *path, size_t max, const char *limit, int secret,
    struct sk_buf *out)
{
	const char *name = is_stdio(path) ? "<stdin>" : path;
	int fd, rc;

	if (secret)
		sk_buf_init_secret(out, max);
	else
		sk_buf_init(out, max);
	if ((rc = open_input(path, &fd)) != 0)
		return rc;
	rc = read_all(fd, name, limit, out);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0)
		sk_buf_free(out);
	return rc;
}

const uint8_t *
tool_bytes(const struct sk_buf *b)
{
	static const uint8_t empty[1];

	return b->data != NULL ? b->data : empty;
}

static int
write_all(int fd, const void *p, size_t len)
{
	const uint8_t *q = p;
	ssize_t n;

	while (len > 0) {
		n = write(fd, q, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		q += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
write_stdout(const void *p, size_t len, unsigned flags)
{
	if (flags & TOOL_W_PRIVATE) {
		tool_warnx("refusing to write private key material to stdout");
		return SK_ERR_IO;
	}
	if (fflush(stdout) != 0 || write_all(STDOUT_FILENO, p, len) != 0) {
		tool_warnx("<stdout>: %s", strerror(errno));
		return SK_ERR_IO;
	}
	return 0;
}

/* "<path>.XXXXXX" for mkstemp: same directory, so rename is atomic. */
static char *
temp_name(const char *path)
{
	static const char suffix[] = ".XXXXXX";
	size_t len;
	char *t;

	if (__builtin_add_overflow(strlen(path), sizeof(suffix), &len) ||
	    (t = malloc(len)) == NULL)
		return NULL;
	memcpy(t, path, len - sizeof(suffix));
	memcpy(t + len - sizeof(suffix), suffix, sizeof(suffix));
	return t;
}

/* Fill, sync and close the temporary, then put it in place. */
static int
commit_temp(int fd, const char *tmp, const char *path, const void *p,
    size_t len, unsigned flags)
{
	mode_t mask;
	int saved;

	if (!(flags & TOOL_W_PRIVATE)) {
		mask = umask(077);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0)
			goto fail;
	}
	if (write_all(fd, p, len) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0)
		return -1;
	if (flags & TOOL_W_FORCE)
		return rename(tmp, path);
	if (link(tmp, path) != 0)
		return -1;
	return unlink(tmp);
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
tool_write(const char *path, const void *p, size_t len, unsigned flags)
{
	char *tmp;
	int fd, rc = 0;

	if (is_stdio(path))
		return write_stdout(p, len, flags);
	if ((tmp = temp_name(path)) == NULL) {
		tool_warnx("%s: out of memory", path);
		return SK_ERR_NOMEM;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		tool_warnx("%s: cannot create a temporary file: %s", path,
		    strerror(errno));
		free(tmp);
		return SK_ERR_IO;
	}
	if (commit_temp(fd, tmp, path, p, len, flags) != 0) {
		if (errno == EEXIST)
			tool_warnx("%s: exists (use --force to replace it)",
			    path);
		else
			tool_warnx("%s: %s", path, strerror(errno));
		unlink(tmp);
		rc = SK_ERR_IO;
	}
	free(tmp);
	return rc;
}

int
tool_check_new(const char *path, unsigned flags)
{
	struct stat st;

	if (path == NULL || is_stdio(path) || (flags & TOOL_W_FORCE))
		return 0;
	if (lstat(path, &st) == 0) {
		tool_warnx("%s: exists (use --force to replace it)", path);
		return SK_ERR_IO;
	}
	if (errno != ENOENT) {
		tool_warnx("%s: %s", path, strerror(errno));
		return SK_ERR_IO;
	}
	return 0;
}

int
tool_pwopt_check(const struct tool_pwopt *o)
{
	if (o->file != NULL && o->env != NULL) {
		tool_warnx("--password-file and --password-env exclude each "
		    "other");
		help_hint();
		return TOOL_EXIT_USAGE;
	}
	return TOOL_EXIT_OK;
}

/* Copy len bytes of password into pw, NUL-terminated; refuse NUL and "". */
static int
password_set(struct sk_buf *pw, const void *p, size_t len, const char *src)
{
	int rc;

	if (len == 0) {
		tool_warnx("%s: the password is empty", src);
		return SK_ERR_PASSWORD;
	}
	if (memchr(p, '\0', len) != NULL) {
		tool_warnx("%s: the password contains a NUL byte", src);
		return SK_ERR_PASSWORD;
	}
	if ((rc = sk_buf_append(pw, p, len)) != 0 ||
	    (rc = sk_buf_putc(pw, '\0')) != 0) {
		tool_warn_err(rc, "%s", src);
		return rc;
	}
	return 0;
}

static int
password_file(const char *path, struct sk_buf *pw)
{
	struct sk_buf raw;
	size_t len;
	int rc;

	rc = tool_read(path, SK_TOOL_MAX_PASSWORD, "SK_TOOL_MAX_PASSWORD", 1,
	    &raw);
	if (rc != 0)
		return rc;
	len = raw.len;
	if (len > 0 && raw.data[len - 1] == '\n')
		len--;
	if (len > 0 && raw.data[len - 1] == '\r')
		len--;
	rc = password_set(pw, raw.data, len, path);
	sk_buf_free(&raw);
	return rc;
}

static int
password_env(const char *name, struct sk_buf *pw)
{
	const char *v;
	size_t len;
	int rc;

	if ((v = getenv(name)) == NULL) {
		tool_warnx("environment variable %s is not set", name);
		return SK_ERR_PASSWORD;
	}
	len = strlen(v);
	if (len > SK_TOOL_MAX_PASSWORD) {
		tool_warnx("%s: password exceeds SK_TOOL_MAX_PASSWORD (%u "
		    "bytes)", name, SK_TOOL_MAX_PASSWORD);
		return SK_ERR_LIMIT;
	}
	rc = password_set(pw, v, len, name);
	/* Children we might start must not inherit it. */
	unsetenv(name);
	return rc;
}

int
tool_password(const struct tool_pwopt *o, struct sk_buf *pw,
    const char **pass)
{
	int rc = 0;

	*pass = NULL;
	sk_buf_init_secret(pw, SK_TOOL_MAX_PASSWORD + 1);
	if (o->file != NULL)
		rc = password_file(o->file, pw);
	else if (o->env != NULL)
		rc = password_env(o->env, pw);
	if (rc != 0)
		sk_buf_free(pw);
	else if (pw->len > 0)
		*pass = (const char *)pw->data;
	return rc;
}

int
tool_load_key(const char *path, const struct tool_pwopt *o,
    struct sk_key **out)
{
	struct sk_buf pw;
	const char *pass;
	int rc;

	*out = NULL;
	if ((rc = tool_password(o, &pw, &pass)) != 0)
		return rc;
	rc = sk_key_load_file(path, pass, out);
	sk_buf_free(&pw);
	if (rc == SK_ERR_PASSWORD && pass == NULL)
		tool_warnx("%s: the key is encrypted: give --password-file "
		    "or --password-env", path);
	else if (rc != 0)
		tool_warn_err(rc, "%s", path);
	return rc;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
tool_unhex(const char *hex, size_t max, const char *what, struct sk_buf *out)
{
	size_t i, len = strlen(hex);
	int hi, lo, rc;

	sk_buf_init(out, max);
	if (len % 2 != 0) {
		tool_warnx("%s: odd number of hex digits", what);
		return SK_ERR_FORMAT;
	}
	if (len / 2 > max) {
		tool_warnx("%s: longer than %zu bytes", what, max);
		return SK_ERR_LIMIT;
	}
	for (i = 0; i < len; i += 2) {
		hi = hexval(hex[i]);
		lo = hexval(hex[i + 1]);
		if (hi < 0 || lo < 0) {
			tool_warnx("%s: not hex at offset %zu", what, i);
			sk_buf_free(out);
			return SK_ERR_FORMAT;
		}
		if ((rc = sk_buf_putc(out, (uint8_t)(hi << 4 | lo))) != 0) {
			tool_warn_err(rc, "%s", what);
			sk_buf_free(out);
			return rc;
		}
	}
	return 0;
}

void
tool_hex(const uint8_t *p, size_t len, char *dst, size_t dstlen)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (dstlen == 0)
		return;
	for (i = 0; i < len && 2 * i + 2 < dstlen; i++) {
		dst[2 * i] = digits[p[i] >> 4];
		dst[2 * i + 1] = digits[p[i] & 0x0f];
	}
	dst[2 * i] = '\0';
}

int
tool_getopt(int argc, char **argv, const struct option *opts,
    int (*one)(void *, int), void *arg)
{
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return TOOL_HELP;
		if (c == '?' || c == ':')
			return tool_bad_option(argv, c);
		if ((rc = one(arg, c)) != 0)
			return rc;
	}
	return tool_extra_args(argc, argv);
}
