/*
 * api_status.c: GET /v1/status/{list}, the signed Token Status Lists
 * (statuslists.h), public and cacheable by any HTTP cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "statuslists.h"
#include "util.h"

/* List numbers: 1..CERTD_SL_LISTS_MAX in decimal, no leading zero. */
static int
list_number(const char *s, uint32_t *n)
{
	uint32_t v = 0;
	size_t i, len = strlen(s);

	if (len == 0 || len > 5 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10u + (uint32_t)(s[i] - '0');
	}
	if (v > CERTD_SL_LISTS_MAX)
		return -1;
	*n = v;
	return 0;
}

/* 1 if the If-None-Match value names etag (or is "*"). */
static int
etag_match(const char *inm, const char *etag)
{
	if (inm == NULL)
		return 0;
	/* A list of tags or a weak W/"..." form still names it. */
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

void
api_status_list(struct certd_req *r)
{
	struct certd_app *app = certd_req_app(r);
	char etag[CERTD_SL_ETAG_LEN], cc[64];
	struct sk_buf tok;
	int64_t now = certd_now(), iat, left;
	uint64_t ttl;
	uint32_t n;
	int rc;

	if (app->status == NULL || list_number(certd_req_param(r), &n) != 0) {
		certd_reply_problem(r, CERTD_P_NOT_FOUND, "no such status "
		    "list");
		return;
	}
	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	rc = certd_statuslists_token(app->status, n, now, &tok, etag, &iat,
	    &ttl);
	if (rc == SK_ERR_NOTFOUND) {
		certd_reply_problem(r, CERTD_P_NOT_FOUND, "no such status "
		    "list");
		goto out;
	}
	if (rc != 0) {
		api_store_error(r, rc);
		goto out;
	}
	/* Until certd would re-sign anyway (half the ttl): a cached copy is
	 * then never more than ttl / 2 old, leaving verifiers the rest. */
	left = iat + (int64_t)(ttl / 2) - now;
	(void)snprintf(cc, sizeof(cc), "public, max-age=%lld",
	    (long long)(left > 0 ? left : 0));
	certd_reply_header(r, "ETag", etag);
	certd_reply_header(r, "Cache-Control", cc);
	if (etag_match(certd_req_header(r, "If-None-Match"), etag))
		certd_reply_bytes(r, 304, SK_STATUSLIST_TYP, "", 0);
	else
		certd_reply_bytes(r, 200, SK_STATUSLIST_TYP, tok.data,
		    tok.len);
out:
	sk_buf_free(&tok);
}
