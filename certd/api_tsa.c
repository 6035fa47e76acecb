/*
 * api_tsa.c: POST /v1/tsa, certd as an RFC 3161 time-stamping authority
 * over HTTP (RFC 3161 section 3.4: application/timestamp-query in,
 * application/timestamp-reply out).  Public, like any TSA.
 */
#include <string.h>
#include <strings.h>

#include "api.h"
#include "log.h"
#include "seals.h"

#define TSQ_TYPE	"application/timestamp-query"
#define TSR_TYPE	"application/timestamp-reply"

static int
is_tsq(const char *ct)
{
	size_t n = strlen(TSQ_TYPE);

	return ct != NULL && strncasecmp(ct, TSQ_TYPE, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

void
api_tsa(struct certd_req *r)
{
	struct certd_app *app = certd_req_app(r);
	struct sk_tsa_outcome oc;
	struct sk_buf reply;
	const uint8_t *p;
	size_t len;
	int rc;

	if (!certd_seals_have_tsa(app->seals)) {
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "no TSA key is "
		    "configured (certd init --tsa)");
		return;
	}
	if (!is_tsq(certd_req_header(r, "Content-Type"))) {
		certd_reply_problem(r, CERTD_P_MEDIA_TYPE, "send "
		    TSQ_TYPE);
		return;
	}
	certd_req_body(r, &p, &len);
	if (len > SK_TSA_MAX_QUERY) {
		certd_reply_problem(r, CERTD_P_TOO_LARGE, "a time-stamp query "
		    "is at most %u bytes", SK_TSA_MAX_QUERY);
		return;
	}
	sk_buf_init(&reply, SK_TSA_MAX_REPLY);
	if ((rc = certd_seals_tsa(app->seals, app->store, p, len, &reply,
	    &oc)) != 0) {
		certd_log(CERTD_LOG_ERR, certd_req_id(r), "tsa: %s",
		    sk_strerror(rc));
		certd_reply_problem(r, CERTD_P_INTERNAL, "time-stamping "
		    "failed");
	} else {
		certd_log(CERTD_LOG_DEBUG, certd_req_id(r), "tsa: status %d "
		    "failinfo 0x%x", oc.status, (unsigned)oc.failinfo);
		certd_reply_bytes(r, 200, TSR_TYPE, reply.data, reply.len);
	}
	sk_buf_free(&reply);
}
