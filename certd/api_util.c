/*
 * api_util.c: helpers shared by the handlers.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sealkit/cose.h"
#include "sealkit/verify.h"

#include "api.h"
#include "log.h"
#include "util.h"

const char *
api_state_name(unsigned state)
{
	switch (state) {
	case CERTD_STATE_VALID:
		return "valid";
	case CERTD_STATE_SUSPENDED:
		return "suspended";
	case CERTD_STATE_REVOKED:
		return "revoked";
	}
	return "unknown";
}

json_t *
api_licence_json(const uint8_t *cred, size_t len)
{
	struct sk_cose_sign1 *msg = NULL;
	struct sk_licence *lic = NULL;
	const uint8_t *p;
	struct sk_buf b;
	json_t *o = NULL;
	size_t plen;

	sk_buf_init(&b, SK_LICENCE_MAX_JSON);
	if (sk_cose_sign1_parse(cred, len, 0, &msg) == 0 &&
	    sk_cose_sign1_payload(msg, &p, &plen) == 0 &&
	    sk_licence_decode_claims(p, plen, &lic, NULL) == 0 &&
	    sk_licence_to_json(lic, 0, &b) == 0)
		o = json_loadb((const char *)b.data, b.len, 0, NULL);
	sk_buf_free(&b);
	sk_licence_free(lic);
	sk_cose_sign1_free(msg);
	return o;
}

static int
set_new(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

static json_t *
links(struct certd_req *r, const char *id)
{
	const char *base = certd_req_app(r)->public_url;
	char buf[CERTD_ID_MAX + 1024];
	json_t *o;

	if ((o = json_object()) == NULL)
		return NULL;
	(void)snprintf(buf, sizeof(buf), "%s/v1/licences/%s", base, id);
	if (set_new(o, "self", json_string(buf)) != 0)
		goto fail;
	(void)snprintf(buf, sizeof(buf), "%s/v1/licences/%s/qr.png", base, id);
	if (set_new(o, "qr_png", json_string(buf)) != 0)
		goto fail;
	(void)snprintf(buf, sizeof(buf), "%s/v1/licences/%s/qr.svg", base, id);
	if (set_new(o, "qr_svg", json_string(buf)) != 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
api_record_json(struct certd_req *r, const struct certd_licence_rec *rec)
{
	struct sk_buf b64, qr;
	json_t *o;
	int ok;

	if ((o = json_object()) == NULL)
		return NULL;
	sk_buf_init(&b64, CERTD_REPLY_MAX);
	sk_buf_init(&qr, SK_QRTEXT_MAX);
	ok = certd_b64_encode(rec->cred, rec->credlen, 0, &b64) == 0 &&
	    sk_qrtext_encode(SK_QRTEXT_PREFIX, rec->cred, rec->credlen,
	    &qr) == 0 &&
	    set_new(o, "id", json_string(rec->id)) == 0 &&
	    set_new(o, "status", json_string(api_state_name(rec->state))) ==
	    0 &&
	    set_new(o, "issued_at", json_integer(rec->issued)) == 0 &&
	    set_new(o, "updated_at", json_integer(rec->updated)) == 0 &&
	    set_new(o, "licence", api_licence_json(rec->cred,
	    rec->credlen)) == 0 &&
	    set_new(o, "credential", json_string((const char *)b64.data)) ==
	    0 &&
	    set_new(o, "qr_text", json_stringn((const char *)qr.data,
	    qr.len)) == 0 &&
	    set_new(o, "links", links(r, rec->id)) == 0;
	sk_buf_free(&b64);
	sk_buf_free(&qr);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
api_code_ok(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

int
api_purpose(struct certd_req *r, const char **purpose, const char **matter)
{
	*purpose = certd_req_query(r, "purpose");
	*matter = certd_req_query(r, "matter");
	if (*purpose == NULL || *matter == NULL) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "purpose and "
		    "matter (事项编码) are required");
		return -1;
	}
	if (strlen(*purpose) == 0 || strlen(*purpose) > CERTD_PURPOSE_MAX ||
	    !certd_text_ok(*purpose, strlen(*purpose))) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "purpose: 1 to %u "
		    "bytes of UTF-8 text", CERTD_PURPOSE_MAX);
		return -1;
	}
	if (!api_code_ok(*matter, CERTD_MATTER_MAX)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "matter: 1 to %u "
		    "characters of [0-9A-Za-z.-]", CERTD_MATTER_MAX);
		return -1;
	}
	return 0;
}

int
api_limit(struct certd_req *r, size_t *limit)
{
	const char *s = certd_req_query(r, "limit");
	unsigned long v;
	char *end;

	*limit = CERTD_PAGE_DEFAULT;
	if (s == NULL)
		return 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v == 0 ||
	    v > CERTD_PAGE_MAX) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "limit: 1 to %u",
		    CERTD_PAGE_MAX);
		return -1;
	}
	*limit = v;
	return 0;
}

void
api_store_error(struct certd_req *r, int rc)
{
	switch (rc) {
	case SK_ERR_NOTFOUND:
		certd_reply_problem(r, CERTD_P_NOT_FOUND, "no such licence");
		return;
	case CERTD_ERR_CONFLICT:
		certd_reply_problem(r, CERTD_P_CONFLICT, "%s",
		    certd_store_strerror(rc));
		return;
	case CERTD_ERR_CLOSED:
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "shutting down");
		return;
	default:
		certd_log(CERTD_LOG_ERR, certd_req_id(r), "store: %s",
		    certd_store_strerror(rc));
		certd_reply_problem(r, CERTD_P_INTERNAL, "store failure");
	}
}

static int
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	return ct != NULL && strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

json_t *
api_body_json(struct certd_req *r, int optional)
{
	const uint8_t *p;
	json_error_t e;
	json_t *o;
	size_t len;

	certd_req_body(r, &p, &len);
	if (len == 0 && optional)
		return json_object();
	if (!is_json_type(certd_req_header(r, "Content-Type"))) {
		certd_reply_problem(r, CERTD_P_MEDIA_TYPE, "send "
		    "application/json");
		return NULL;
	}
	o = json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "the body is not "
		    "a JSON object");
		return NULL;
	}
	return o;
}
