/*
 * licence_int.h: helpers shared by licence.c, licence_json.c and
 * licence_cwt.c.  Not part of the public API.
 */
#ifndef SEALKIT_LICENCE_INT_H
#define SEALKIT_LICENCE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/licence.h"

/* Days since 1970-01-01 of 1900-01-01 and of 9999-12-31 (RFC 8943 tag 100). */
#define LICENCE_DAYS_MIN	INT64_C(-25567)
#define LICENCE_DAYS_MAX	INT64_C(2932896)
/* "YYYY-MM-DD" plus NUL. */
#define LICENCE_DATE_LEN	10u

/* Fill err (if not NULL) and return code. */
int	licence_err(struct sk_licence_err *err, int code, const char *field,
	    const char *reason);
/* As licence_err, field "<prefix>[<idx>]<suffix>". */
int	licence_err_idx(struct sk_licence_err *err, int code,
	    const char *prefix, size_t idx, const char *suffix,
	    const char *reason);

/* A NUL-terminated copy of len bytes; NULL on allocation failure. */
char	*licence_strndup(const char *s, size_t len);

/*
 * Check that len bytes are UTF-8 text without control characters (C0, DEL,
 * C1) and without NUL.  0 or SK_ERR_FORMAT.
 */
int	licence_text_ok(const char *s, size_t len);

/* "YYYY-MM-DD" (exactly 10 bytes) to days since 1970-01-01, in range. */
int	licence_date_to_days(const char *s, size_t len, int64_t *days);
/* Days since 1970-01-01 (in range) to "YYYY-MM-DD" in out (11 bytes). */
int	licence_days_to_date(int64_t days, char out[LICENCE_DATE_LEN + 1]);

/* A zeroed licence; NULL on allocation failure. */
struct sk_licence *licence_new(void);

#endif
