/*
 * The test harness (sktest.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sktest.h"

int skt_failures;
int skt_checks;
static int skt_case_failures;

void
skt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	skt_failures++;
	skt_case_failures++;
	fprintf(stderr, "%s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
skt_run(const char *name, void (*fn)(void))
{
	skt_case_failures = 0;
	fn();
	printf("%s %s\n", skt_case_failures == 0 ? "ok  " : "FAIL", name);
	fflush(stdout);
}

int
skt_done(void)
{
	printf("%d checks, %d failed\n", skt_checks, skt_failures);
	if (skt_checks == 0) {
		fprintf(stderr, "no checks ran: a test that checks nothing "
		    "cannot fail\n");
		return 1;
	}
	return skt_failures == 0 ? 0 : 1;
}

uint8_t *
skt_read_file(const char *path, size_t *len)
{
	FILE *f;
	uint8_t *p = NULL;
	struct stat st;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) == -1 || st.st_size < 0 ||
	    st.st_size > 16 * 1024 * 1024)
		goto out;
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		goto out;
	if (fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(p);
		p = NULL;
		goto out;
	}
	p[st.st_size] = '\0';
	*len = (size_t)st.st_size;
out:
	fclose(f);
	return p;
}

static const char *
skt_join(const char *env, const char *mid, const char *rel, int skip)
{
	static char path[4096];
	const char *dir = getenv(env);
	struct stat st;
	int n;

	if (dir == NULL || *dir == '\0') {
		fprintf(stderr, "%s is not set\n", env);
		exit(skip ? 77 : 1);
	}
	n = snprintf(path, sizeof(path), "%s%s/%s", dir, mid, rel);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "path too long\n");
		exit(1);
	}
	if (skip && stat(path, &st) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
	return path;
}

const char *
skt_vector(const char *rel)
{
	/* Vectors are required: a missing shared/ is a failure, not a skip,
	 * because CI always has it and silence would hide lost coverage. */
	return skt_join("SK_VECTORS_DIR", "", rel, 1);
}

const char *
skt_data(const char *rel)
{
	return skt_join("SK_SOURCE_DIR", "/tests/data", rel, 0);
}

static int
skt_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint8_t *
skt_unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i;
	uint8_t *p;
	int hi, lo;

	*len = 0;
	if (n % 2 != 0 || (p = malloc(n / 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n / 2; i++) {
		hi = skt_nibble(hex[2 * i]);
		lo = skt_nibble(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(p);
			return NULL;
		}
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return p;
}
