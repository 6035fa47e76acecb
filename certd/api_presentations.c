/*
 * api_presentations.c: presentation codes (亮证码): made for the holder
 * portal, redeemed once by an approval system (presentations.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/qr.h"

#include "api.h"
#include "metrics.h"
#include "presentations.h"
#include "util.h"

/* The code (text NUL-terminated) as QR text, PNG (base64) and SVG. */
static json_t *
code_json(const struct certd_pres *p, const struct sk_buf *text)
{
	struct sk_buf png, svg, b64;
	struct sk_qr *qr = NULL;
	char id[33];
	json_t *o = NULL;

	sk_buf_init(&png, CERTD_REPLY_MAX);
	sk_buf_init(&svg, CERTD_REPLY_MAX);
	sk_buf_init(&b64, CERTD_REPLY_MAX);
	certd_pres_id_hex(p, id);
	/* The QR holds the code without its terminating NUL. */
	if (text->len > 0 && sk_qr_encode((const char *)text->data,
	    text->len - 1, SK_QR_ECC_DEFAULT, &qr) == 0 &&
	    sk_qr_write_png(qr, SK_QR_DEFAULT_SCALE, SK_QR_DEFAULT_MARGIN,
	    &png) == 0 &&
	    sk_qr_write_svg(qr, SK_QR_DEFAULT_SCALE, SK_QR_DEFAULT_MARGIN,
	    &svg) == 0 &&
	    certd_b64_encode(png.data, png.len, 0, &b64) == 0)
		o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s%}",
		    "id", id, "licence", p->licence, "holder", p->holder,
		    "iat", (json_int_t)p->iat, "exp", (json_int_t)p->exp,
		    "qr_text", (const char *)text->data,
		    "png", (const char *)b64.data,
		    "svg", (const char *)svg.data, svg.len);
	sk_qr_free(qr);
	sk_buf_free(&png);
	sk_buf_free(&svg);
	sk_buf_free(&b64);
	return o;
}

void
api_presentation_create(struct certd_req *r)
{
	struct certd_app *app = certd_req_app(r);
	struct certd_licence_rec rec;
	struct certd_pres p;
	struct sk_buf text;
	json_t *o;
	int rc;

	if (app->presenter == NULL) {
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "no presentation "
		    "key configured (presentation_key)");
		return;
	}
	if ((rc = certd_store_get_licence(app->store, certd_req_param(r),
	    &rec)) != 0) {
		api_store_error(r, rc);
		return;
	}
	if (rec.state != CERTD_STATE_VALID) {
		certd_reply_problem(r, CERTD_P_CONFLICT, "the licence is %s",
		    api_state_name(rec.state));
		certd_licence_rec_clear(&rec);
		return;
	}
	sk_buf_init(&text, CERTD_PRES_TEXT_MAX + 1);
	rc = certd_pres_make(app->presenter, rec.id, rec.holder, certd_now(),
	    app->presentation_ttl_s, &p, &text);
	if (rc == 0)
		rc = sk_buf_putc(&text, '\0');
	if (rc != 0 || (o = code_json(&p, &text)) == NULL)
		certd_reply_problem(r, CERTD_P_INTERNAL, "presentation code: "
		    "%s", sk_strerror(rc));
	else
		certd_reply_json(r, 201, o);
	sk_buf_free(&text);
	certd_licence_rec_clear(&rec);
}

/* {"code", "purpose", "matter", "licence"?}; replies and -1 if bad. */
static int
redeem_input(struct certd_req *r, json_t *o, const char **code,
    const char **purpose, const char **matter, const char **licence)
{
	const char *k;
	json_t *v;

	*code = *purpose = *matter = *licence = NULL;
	json_object_foreach(o, k, v) {
		if (!json_is_string(v))
			break;
		if (strcmp(k, "code") == 0)
			*code = json_string_value(v);
		else if (strcmp(k, "purpose") == 0)
			*purpose = json_string_value(v);
		else if (strcmp(k, "matter") == 0)
			*matter = json_string_value(v);
		else if (strcmp(k, "licence") == 0)
			*licence = json_string_value(v);
		else
			break;
	}
	if (k != NULL || *code == NULL || *purpose == NULL || *matter == NULL) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "send {\"code\": "
		    "\"LP1:...\", \"purpose\", \"matter\"} and optionally "
		    "\"licence\", all strings");
		return -1;
	}
	if (strlen(*purpose) == 0 || strlen(*purpose) > CERTD_PURPOSE_MAX ||
	    !certd_text_ok(*purpose, strlen(*purpose)) ||
	    !api_code_ok(*matter, CERTD_MATTER_MAX)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "purpose: 1 to %u "
		    "bytes of text; matter: 1 to %u of [0-9A-Za-z.-]",
		    CERTD_PURPOSE_MAX, CERTD_MATTER_MAX);
		return -1;
	}
	return 0;
}

/* Verify the code and load its licence; replies and -1 if refused. */
static int
redeem_check(struct certd_req *r, const char *code, const char *licence,
    struct certd_pres *p, struct certd_licence_rec *rec)
{
	struct certd_app *app = certd_req_app(r);
	int rc;

	rc = certd_pres_verify(app->presenter, code, strlen(code),
	    certd_now(), p);
	if (rc == SK_ERR_EXPIRED) {
		certd_reply_problem(r, CERTD_P_PRES_EXPIRED, "the code expired "
		    "or is not yet valid; ask the holder for a new one");
		return -1;
	}
	if (rc != 0) {
		certd_reply_problem(r, CERTD_P_PRES_INVALID, "not a code of "
		    "this certd: %s", sk_strerror(rc));
		return -1;
	}
	if (licence != NULL && strcmp(licence, p->licence) != 0) {
		certd_reply_problem(r, CERTD_P_PRES_INVALID, "the code is for "
		    "another licence");
		return -1;
	}
	rc = certd_store_get_licence(app->store, p->licence, rec);
	if (rc == 0 && strcmp(rec->holder, p->holder) == 0)
		return 0;
	if (rc == 0 || rc == SK_ERR_NOTFOUND)
		certd_reply_problem(r, CERTD_P_PRES_INVALID, "the code's "
		    "licence and holder are not a record here");
	else
		api_store_error(r, rc);
	certd_licence_rec_clear(rec);
	return -1;
}

void
api_presentation_redeem(struct certd_req *r)
{
	struct certd_app *app = certd_req_app(r);
	const struct certd_client *c = certd_req_client(r);
	const char *code, *purpose, *matter, *licence;
	struct certd_licence_rec rec;
	struct certd_access e;
	struct certd_pres p;
	char id[33];
	json_t *o, *body;
	int rc;

	if ((body = api_body_json(r, 0)) == NULL)
		return;
	if (app->presenter == NULL) {
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "no presentation "
		    "key configured (presentation_key)");
		goto out;
	}
	if (redeem_input(r, body, &code, &purpose, &matter, &licence) != 0 ||
	    redeem_check(r, code, licence, &p, &rec) != 0)
		goto out;
	certd_pres_id_hex(&p, id);
	memset(&e, 0, sizeof(e));
	e.time = certd_now();
	(void)snprintf(e.client, sizeof(e.client), "%s", c->name);
	(void)snprintf(e.purpose, sizeof(e.purpose), "%s", purpose);
	(void)snprintf(e.matter, sizeof(e.matter), "%s", matter);
	(void)snprintf(e.licence, sizeof(e.licence), "%s", rec.id);
	(void)snprintf(e.reqid, sizeof(e.reqid), "%s", certd_req_id(r));
	/* The pull is recorded with the presentation it redeemed. */
	(void)snprintf(e.presentation, sizeof(e.presentation), "%s", id);
	rc = certd_pres_redeem(app->store, &p, &e);
	if (rc == SK_ERR_DUPLICATE)
		certd_reply_problem(r, CERTD_P_PRES_USED, "presentation %s "
		    "was redeemed before", id);
	else if (rc != 0)
		api_store_error(r, rc);
	else if ((o = api_record_json(r, &rec)) == NULL ||
	    json_object_set_new(o, "presentation", json_string(id)) != 0) {
		json_decref(o);
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
	} else {
		certd_metrics_access(1);
		certd_reply_json(r, 200, o);
	}
	certd_licence_rec_clear(&rec);
out:
	json_decref(body);
}
