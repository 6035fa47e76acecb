/*
 * sktest.h: the small harness every C test uses.  A test program runs its
 * cases with SKT_RUN, prints one line per failed check (file:line and the
 * expression), and exits 1 if any check failed, 77 if it skipped.
 */
#ifndef SKTEST_H
#define SKTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sealkit/common.h"

extern int skt_failures;
extern int skt_checks;

void	skt_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Run one case; prints "ok NAME" or "FAIL NAME". */
void	skt_run(const char *name, void (*fn)(void));
/* Summary line; returns the exit code for main. */
int	skt_done(void);
/* Read a whole file (at most 16 MiB).  Free with free().  NULL on error. */
uint8_t	*skt_read_file(const char *path, size_t *len);
/* Path under $SK_VECTORS_DIR; static buffer.  Exits 77 if unset/missing. */
const char *skt_vector(const char *rel);
/* Path under $SK_SOURCE_DIR/tests/data; static buffer. */
const char *skt_data(const char *rel);
/* Decode hex (upper or lower case) into a new buffer; NULL if malformed. */
uint8_t	*skt_unhex(const char *hex, size_t *len);

#define SKT_RUN(fn)	skt_run(#fn, fn)

#define SKT_CHECK(c) do {						\
	skt_checks++;							\
	if (!(c))							\
		skt_fail(__FILE__, __LINE__, "%s", #c);			\
} while (0)

#define SKT_EQ(a, b) do {						\
	long long skt_a_ = (long long)(a), skt_b_ = (long long)(b);	\
	skt_checks++;							\
	if (skt_a_ != skt_b_)						\
		skt_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)",	\
		    #a, #b, skt_a_, skt_b_);				\
} while (0)

/* An SK_ERR_* result equal to the expected code, with names on failure. */
#define SKT_RC(expr, want) do {						\
	int skt_r_ = (expr), skt_w_ = (want);				\
	skt_checks++;							\
	if (skt_r_ != skt_w_)						\
		skt_fail(__FILE__, __LINE__, "%s -> %s (%d), want %s",	\
		    #expr, sk_errname(skt_r_), skt_r_, sk_errname(skt_w_)); \
} while (0)

#define SKT_MEMEQ(a, alen, b, blen) do {				\
	size_t skt_al_ = (alen), skt_bl_ = (blen);			\
	skt_checks++;							\
	if (skt_al_ != skt_bl_ || memcmp((a), (b), skt_al_) != 0)	\
		skt_fail(__FILE__, __LINE__, "%s != %s (len %zu, %zu)",	\
		    #a, #b, skt_al_, skt_bl_);				\
} while (0)

#endif
