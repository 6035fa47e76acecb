/*
 * problem.h: RFC 9457 problem details (application/problem+json) with a
 * stable type per error: CERTD_PROBLEM_BASE + name, e.g.
 * "https://certd.example/problems/not-found".  The names are an API
 * contract (api/openapi.yaml, docs/CERTD.md): never rename one.
 */
#ifndef CERTD_PROBLEM_H
#define CERTD_PROBLEM_H

#include "sealkit/common.h"

#define CERTD_PROBLEM_BASE	"https://certd.example/problems/"
#define CERTD_PROBLEM_CTYPE	"application/problem+json"
/* Longest detail text kept. */
#define CERTD_PROBLEM_DETAIL_MAX 512u

enum certd_problem {
	CERTD_P_BAD_REQUEST = 0,	/* 400 */
	CERTD_P_UNAUTHORIZED,		/* 401 */
	CERTD_P_FORBIDDEN,		/* 403 */
	CERTD_P_NOT_FOUND,		/* 404 */
	CERTD_P_METHOD,			/* 405 */
	CERTD_P_CONFLICT,		/* 409 */
	CERTD_P_LENGTH_REQUIRED,	/* 411 */
	CERTD_P_TOO_LARGE,		/* 413 */
	CERTD_P_MEDIA_TYPE,		/* 415 */
	CERTD_P_INVALID_LICENCE,	/* 422 */
	CERTD_P_UNKNOWN_ISSUER,		/* 422 */
	CERTD_P_INTERNAL,		/* 500 */
	CERTD_P_UNAVAILABLE,		/* 503 */
	CERTD_P_PRES_INVALID,		/* 422 presentations.h */
	CERTD_P_PRES_EXPIRED,		/* 410 */
	CERTD_P_PRES_USED,		/* 409 */
	CERTD_P_COUNT
};

/* The stable name ("not-found"), HTTP status and title of a problem. */
const char *certd_problem_name(enum certd_problem p);
unsigned certd_problem_status(enum certd_problem p);
const char *certd_problem_title(enum certd_problem p);

/*
 * Append the problem document to out: {"type", "title", "status",
 * "detail" (if not NULL), "instance" (if not NULL), "request_id" (if not
 * NULL)}.  Strings are JSON-escaped.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	certd_problem_json(enum certd_problem p, const char *detail,
	    const char *instance, const char *reqid, struct sk_buf *out)
	    SK_WUR;

#endif /* CERTD_PROBLEM_H */
