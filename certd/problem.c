/*
 * problem.c: RFC 9457 problem documents.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "problem.h"

static const struct {
	const char	*name;
	unsigned	 status;
	const char	*title;
} problems[CERTD_P_COUNT] = {
	[CERTD_P_BAD_REQUEST] = { "bad-request", 400, "Bad request" },
	[CERTD_P_UNAUTHORIZED] = { "unauthorized", 401,
	    "Missing or invalid bearer token" },
	[CERTD_P_FORBIDDEN] = { "forbidden", 403,
	    "The client lacks the scope this route needs" },
	[CERTD_P_NOT_FOUND] = { "not-found", 404, "Not found" },
	[CERTD_P_METHOD] = { "method-not-allowed", 405,
	    "Method not allowed" },
	[CERTD_P_CONFLICT] = { "conflict", 409,
	    "Conflicts with the current state" },
	[CERTD_P_LENGTH_REQUIRED] = { "length-required", 411,
	    "Content-Length required" },
	[CERTD_P_TOO_LARGE] = { "payload-too-large", 413,
	    "Request body too large" },
	[CERTD_P_MEDIA_TYPE] = { "unsupported-media-type", 415,
	    "Unsupported media type" },
	[CERTD_P_INVALID_LICENCE] = { "invalid-licence", 422,
	    "The licence is not valid" },
	[CERTD_P_UNKNOWN_ISSUER] = { "unknown-issuer", 422,
	    "certd holds no key for this issuer" },
	[CERTD_P_INTERNAL] = { "internal", 500, "Internal error" },
	[CERTD_P_UNAVAILABLE] = { "unavailable", 503,
	    "Service unavailable" },
	[CERTD_P_PRES_INVALID] = { "presentation-invalid", 422,
	    "Presentation code invalid" },
	[CERTD_P_PRES_EXPIRED] = { "presentation-expired", 410,
	    "Presentation code expired" },
	[CERTD_P_PRES_USED] = { "presentation-used", 409,
	    "Presentation code already redeemed" },
};

const char *
certd_problem_name(enum certd_problem p)
{
	return (unsigned)p < CERTD_P_COUNT ? problems[p].name : "internal";
}

unsigned
certd_problem_status(enum certd_problem p)
{
	return (unsigned)p < CERTD_P_COUNT ? problems[p].status : 500;
}

const char *
certd_problem_title(enum certd_problem p)
{
	return (unsigned)p < CERTD_P_COUNT ? problems[p].title :
	    "Internal error";
}

static int
set_str(json_t *o, const char *key, const char *val)
{
	json_t *s;

	/* Invalid UTF-8 from a caller never reaches the client raw. */
	if ((s = json_string(val)) == NULL &&
	    (s = json_string("(not UTF-8)")) == NULL)
		return SK_ERR_NOMEM;
	return json_object_set_new(o, key, s) == 0 ? 0 : SK_ERR_NOMEM;
}

int
certd_problem_json(enum certd_problem p, const char *detail,
    const char *instance, const char *reqid, struct sk_buf *out)
{
	char type[96], *text = NULL;
	json_t *o;
	int rc;

	if ((unsigned)p >= CERTD_P_COUNT)
		return SK_ERR_ARG;
	if ((o = json_object()) == NULL)
		return SK_ERR_NOMEM;
	memcpy(type, CERTD_PROBLEM_BASE, sizeof(CERTD_PROBLEM_BASE) - 1);
	memcpy(type + sizeof(CERTD_PROBLEM_BASE) - 1, problems[p].name,
	    strlen(problems[p].name) + 1);
	if ((rc = set_str(o, "type", type)) != 0 ||
	    (rc = set_str(o, "title", problems[p].title)) != 0)
		goto out;
	if (json_object_set_new(o, "status",
	    json_integer(problems[p].status)) != 0) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	if ((detail != NULL && (rc = set_str(o, "detail", detail)) != 0) ||
	    (instance != NULL && (rc = set_str(o, "instance", instance)) !=
	    0) ||
	    (reqid != NULL && (rc = set_str(o, "request_id", reqid)) != 0))
		goto out;
	if ((text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	rc = sk_buf_append(out, text, strlen(text));
out:
	free(text);
	json_decref(o);
	return rc;
}
