/*
 * api_licences.c: issuance, pulls (recorded in the access log), status
 * changes, QR images and the holder's access log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/qr.h"
#include "sealkit/verify.h"

#include "api.h"
#include "log.h"
#include "metrics.h"
#include "statuslists.h"
#include "util.h"

static void
actor(struct certd_req *r, struct certd_actor *who)
{
	const struct certd_client *c = certd_req_client(r);

	who->client = c != NULL ? c->name : "";
	who->reqid = certd_req_id(r);
	who->time = certd_now();
}

static int
copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static int
parse_licence(struct certd_req *r, struct sk_licence **lic)
{
	struct sk_licence_err e;
	const uint8_t *p;
	json_t *o;
	size_t len;
	int rc;

	memset(&e, 0, sizeof(e));
	certd_req_body(r, &p, &len);
	if ((o = api_body_json(r, 0)) == NULL)	/* type and syntax first */
		return -1;
	json_decref(o);
	rc = sk_licence_from_json((const char *)p, len, lic, &e);
	if (rc == 0) {
		/* PRODUCT.md: certd sets iat; nbf and exp are the client's. */
		(*lic)->iat = certd_now();
		rc = sk_licence_check(*lic, &e);
	}
	if (rc != 0) {
		certd_reply_problem(r, CERTD_P_INVALID_LICENCE, "%s%s%s",
		    e.field, e.field[0] != '\0' ? ": " : "",
		    e.reason != NULL ? e.reason : sk_strerror(rc));
		sk_licence_free(*lic);
		*lic = NULL;
		return -1;
	}
	return 0;
}

static int
make_record(const struct sk_licence *lic, struct sk_buf *cose,
    struct certd_licence_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (copy_field(rec->id, sizeof(rec->id), lic->identifier) != 0 ||
	    copy_field(rec->holder, sizeof(rec->holder),
	    lic->holder_code) != 0 ||
	    copy_field(rec->type, sizeof(rec->type), lic->type_code) != 0 ||
	    copy_field(rec->issuer, sizeof(rec->issuer),
	    lic->issuer_code) != 0)
		return -1;
	rec->state = CERTD_STATE_VALID;
	rec->issued = rec->updated = lic->iat;
	rec->has_status_idx = lic->has_status;
	rec->status_idx = lic->status_idx;
	rec->cred = cose->data;
	rec->credlen = cose->len;
	return 0;
}

/*
 * Give the licence its status list entry (statuslists.h) before it is
 * signed: the claim carries idx and uri.  *slot stays 0 without lists or
 * for an issuer certd holds no key for (signing then refuses it).
 */
static int
assign_status(struct certd_req *r, struct sk_licence *lic, uint64_t *slot)
{
	struct certd_app *app = certd_req_app(r);
	char uri[SK_STATUSLIST_MAX_URI + 1];
	uint64_t idx;
	int rc;

	*slot = 0;
	if (app->status == NULL || !certd_signers_has(app->signers,
	    lic->issuer_code))
		return 0;
	if ((rc = certd_statuslists_assign(app->status, lic->issuer_code,
	    slot, &idx, uri)) != 0) {
		api_store_error(r, rc);
		return -1;
	}
	free(lic->status_uri);
	if ((lic->status_uri = strdup(uri)) == NULL) {
		lic->has_status = 0;
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		return -1;
	}
	lic->has_status = 1;
	lic->status_idx = idx;
	return 0;
}

static void
issue_reply(struct certd_req *r, const struct certd_licence_rec *rec)
{
	char loc[CERTD_ID_MAX + 1024];
	json_t *o;

	if ((o = api_record_json(r, rec)) == NULL) {
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		return;
	}
	(void)snprintf(loc, sizeof(loc), "%s/v1/licences/%s",
	    certd_req_app(r)->public_url, rec->id);
	certd_reply_header(r, "Location", loc);
	certd_reply_json(r, 201, o);
}

/* An issuance waiting for its write (certd_req_defer). */
struct issuing {
	struct certd_licence_rec rec;	/* cred borrowed from cose */
	struct certd_actor	 who;
	struct sk_buf		 cose;
};

static void
issuing_free(void *arg)
{
	struct issuing *is = arg;

	sk_buf_free(&is->cose);
	free(is);
}

static void
issue_done(struct certd_req *r, int rc, void *arg)
{
	struct issuing *is = arg;

	if (rc == SK_ERR_DUPLICATE)
		certd_reply_problem(r, CERTD_P_CONFLICT, "a licence with "
		    "this identifier exists");
	else if (rc != 0)
		api_store_error(r, rc);
	else
		issue_reply(r, &is->rec);
	certd_metrics_issue(rc == 0);
}

/* Store the signed licence; the reply follows when it is durable. */
static void
issue_store(struct certd_req *r, struct issuing *is, uint64_t slot)
{
	int rc;

	/* The record keeps the slot (list and index), see statuslists.h. */
	is->rec.has_status_idx = slot != 0;
	is->rec.status_idx = slot;
	actor(r, &is->who);
	certd_req_defer(r, issue_done, is, issuing_free);
	if ((rc = certd_store_put_licence_async(certd_req_app(r)->store,
	    &is->rec, &is->who, certd_req_write_done, r)) != 0)
		certd_req_write_done(r, rc);
}

void
api_issue(struct certd_req *r)
{
	struct sk_licence *lic = NULL;
	struct issuing *is;
	uint64_t slot;
	int rc;

	if (parse_licence(r, &lic) != 0) {
		certd_metrics_issue(0);
		return;
	}
	if (assign_status(r, lic, &slot) != 0) {
		certd_metrics_issue(0);
		sk_licence_free(lic);
		return;
	}
	if ((is = calloc(1, sizeof(*is))) == NULL) {
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		certd_metrics_issue(0);
		sk_licence_free(lic);
		return;
	}
	sk_buf_init(&is->cose, SK_COSE_MAX_BYTES);
	rc = certd_signers_sign_licence(certd_req_app(r)->signers, lic,
	    &is->cose);
	if (rc == SK_ERR_NOTFOUND)
		certd_reply_problem(r, CERTD_P_UNKNOWN_ISSUER, "no key for "
		    "issuer_code %s", lic->issuer_code);
	else if (rc != 0)
		certd_reply_problem(r, rc == SK_ERR_LIMIT ?
		    CERTD_P_INVALID_LICENCE : CERTD_P_INTERNAL, "signing: %s",
		    sk_strerror(rc));
	else if (make_record(lic, &is->cose, &is->rec) != 0)
		certd_reply_problem(r, CERTD_P_INVALID_LICENCE, "field too "
		    "long");
	else {
		issue_store(r, is, slot);
		sk_licence_free(lic);
		return;
	}
	certd_metrics_issue(0);
	issuing_free(is);
	sk_licence_free(lic);
}

static void
fill_access(struct certd_req *r, struct certd_access *e, const char *purpose,
    const char *matter, const char *licence)
{
	const struct certd_client *c = certd_req_client(r);

	memset(e, 0, sizeof(*e));
	(void)copy_field(e->client, sizeof(e->client), c->name);
	(void)copy_field(e->purpose, sizeof(e->purpose), purpose);
	(void)copy_field(e->matter, sizeof(e->matter), matter);
	(void)copy_field(e->licence, sizeof(e->licence), licence);
	(void)copy_field(e->reqid, sizeof(e->reqid), certd_req_id(r));
	e->time = certd_now();
}

/* A pull waiting for its access entry (certd_req_defer). */
struct pulling {
	struct certd_licence_rec rec;
	struct certd_access	 e;
};

static void
pulling_free(void *arg)
{
	struct pulling *pl = arg;

	certd_licence_rec_clear(&pl->rec);
	free(pl);
}

static void
get_done(struct certd_req *r, int rc, void *arg)
{
	struct pulling *pl = arg;
	json_t *o;

	if (rc != 0)
		api_store_error(r, rc);
	else if ((o = api_record_json(r, &pl->rec)) == NULL)
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
	else {
		certd_metrics_access(1);
		certd_reply_json(r, 200, o);
	}
}

void
api_get(struct certd_req *r)
{
	struct certd_store *st = certd_req_app(r)->store;
	struct pulling *pl;
	const char *purpose, *matter;
	int rc;

	if (api_purpose(r, &purpose, &matter) != 0)
		return;
	if ((pl = calloc(1, sizeof(*pl))) == NULL) {
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		return;
	}
	if ((rc = certd_store_get_licence(st, certd_req_param(r),
	    &pl->rec)) != 0) {
		api_store_error(r, rc);
		pulling_free(pl);
		return;
	}
	/* 用证记录: durable before the licence leaves (get_done). */
	fill_access(r, &pl->e, purpose, matter, pl->rec.id);
	certd_req_defer(r, get_done, pl, pulling_free);
	if ((rc = certd_store_log_access_async(st, pl->rec.holder, &pl->e, 1,
	    certd_req_write_done, r)) != 0)
		certd_req_write_done(r, rc);
}

static void
free_ids(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Records of ids into items; the access entries alongside. */
static int
list_items(struct certd_req *r, char **ids, size_t n, const char *purpose,
    const char *matter, json_t *items, struct certd_access *acc)
{
	struct certd_licence_rec rec;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = certd_store_get_licence(certd_req_app(r)->store, ids[i],
		    &rec);
		if (rc != 0)
			return rc;
		rc = json_array_append_new(items, api_record_json(r, &rec));
		certd_licence_rec_clear(&rec);
		if (rc != 0)
			return SK_ERR_NOMEM;
		fill_access(r, &acc[i], purpose, matter, ids[i]);
	}
	return 0;
}

static int
list_query(struct certd_req *r, const char **holder, const char **type)
{
	*holder = certd_req_query(r, "holder");
	*type = certd_req_query(r, "type");
	if (*holder == NULL || !api_code_ok(*holder, CERTD_HOLDER_MAX)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "holder: the "
		    "holder code is required");
		return -1;
	}
	if (*type != NULL && (!api_code_ok(*type, CERTD_TYPE_MAX) ||
	    strlen(*type) != CERTD_TYPE_MAX)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "type: a licence "
		    "type code of %u characters", CERTD_TYPE_MAX);
		return -1;
	}
	return 0;
}

void
api_list(struct certd_req *r)
{
	char next[CERTD_TYPE_MAX + CERTD_ID_MAX + 2], **ids = NULL;
	const char *holder, *type, *purpose, *matter;
	struct certd_access *acc = NULL;
	json_t *o = NULL, *items = NULL;
	size_t n = 0, limit, nacc;
	int rc;

	if (list_query(r, &holder, &type) != 0 ||
	    api_purpose(r, &purpose, &matter) != 0 || api_limit(r, &limit))
		return;
	rc = certd_store_list_holder(certd_req_app(r)->store, holder, type,
	    certd_req_query(r, "after"), limit, &ids, &n, next);
	if (rc == SK_ERR_FORMAT) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "after: not a "
		    "page token");
		return;
	}
	if (rc != 0) {
		api_store_error(r, rc);
		return;
	}
	rc = SK_ERR_NOMEM;
	if ((acc = calloc(n == 0 ? 1 : n, sizeof(*acc))) == NULL ||
	    (items = json_array()) == NULL ||
	    (rc = list_items(r, ids, n, purpose, matter, items, acc)) != 0)
		goto out;
	/* A query that found nothing is recorded too. */
	nacc = n;
	if (n == 0) {
		fill_access(r, &acc[0], purpose, matter, "");
		nacc = 1;
	}
	if ((rc = certd_store_log_access(certd_req_app(r)->store, holder, acc,
	    nacc)) != 0)
		goto out;
	certd_metrics_access(nacc);
	if ((o = json_object()) == NULL || json_object_set_new(o, "items",
	    items) != 0 || json_object_set_new(o, "next", next[0] != '\0' ?
	    json_string(next) : json_null()) != 0) {
		items = NULL;
		rc = SK_ERR_NOMEM;
		goto out;
	}
	items = NULL;
	certd_reply_json(r, 200, o);
	o = NULL;
out:
	if (rc != 0)
		api_store_error(r, rc == SK_ERR_NOTFOUND ? CERTD_ERR_STORE :
		    rc);
	json_decref(o);
	json_decref(items);
	free(acc);
	free_ids(ids, n);
}

static int
reason_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CERTD_REASON_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

/* The optional {"reason": code} body; replies and -1 if bad. */
static int
status_reason(struct certd_req *r, char reason[CERTD_REASON_MAX + 1])
{
	const char *k;
	json_t *o, *v;

	memcpy(reason, "unspecified", sizeof("unspecified"));
	if ((o = api_body_json(r, 1)) == NULL)
		return -1;
	json_object_foreach(o, k, v) {
		if (strcmp(k, "reason") != 0 || !json_is_string(v) ||
		    !reason_ok(json_string_value(v))) {
			json_decref(o);
			certd_reply_problem(r, CERTD_P_BAD_REQUEST, "the body "
			    "is {\"reason\": \"<[a-z0-9_-]{1,%u}>\"}",
			    CERTD_REASON_MAX);
			return -1;
		}
		(void)copy_field(reason, CERTD_REASON_MAX + 1,
		    json_string_value(v));
	}
	json_decref(o);
	return 0;
}

static void
status_change(struct certd_req *r, enum certd_action act)
{
	char reason[CERTD_REASON_MAX + 1];
	struct certd_actor who;
	unsigned state;
	int changed, rc;
	json_t *o;

	if (status_reason(r, reason) != 0)
		return;
	actor(r, &who);
	rc = certd_store_set_status(certd_req_app(r)->store,
	    certd_req_param(r), act, reason, &who, &state, &changed);
	if (rc == CERTD_ERR_CONFLICT) {
		certd_reply_problem(r, CERTD_P_CONFLICT, "the licence is %s; "
		    "revocation is final", api_state_name(state));
		return;
	}
	if (rc != 0) {
		api_store_error(r, rc);
		return;
	}
	o = json_pack("{s:s, s:s, s:b, s:s}", "id", certd_req_param(r),
	    "status", api_state_name(state), "changed", changed, "reason",
	    reason);
	certd_reply_json(r, 200, o);
}

void
api_suspend(struct certd_req *r)
{
	status_change(r, CERTD_ACT_SUSPEND);
}

void
api_reinstate(struct certd_req *r)
{
	status_change(r, CERTD_ACT_REINSTATE);
}

void
api_revoke(struct certd_req *r)
{
	status_change(r, CERTD_ACT_REVOKE);
}

static void
qr_image(struct certd_req *r, int png)
{
	struct certd_licence_rec rec;
	struct sk_buf text, img;
	struct sk_qr *qr = NULL;
	int rc;

	if ((rc = certd_store_get_licence(certd_req_app(r)->store,
	    certd_req_param(r), &rec)) != 0) {
		api_store_error(r, rc);
		return;
	}
	sk_buf_init(&text, SK_QRTEXT_MAX);
	sk_buf_init(&img, CERTD_REPLY_MAX);
	if ((rc = sk_qrtext_encode(SK_QRTEXT_PREFIX, rec.cred, rec.credlen,
	    &text)) == 0 &&
	    (rc = sk_qr_encode((const char *)text.data, text.len,
	    SK_QR_ECC_DEFAULT, &qr)) == 0)
		rc = png ? sk_qr_write_png(qr, SK_QR_DEFAULT_SCALE,
		    SK_QR_DEFAULT_MARGIN, &img) : sk_qr_write_svg(qr,
		    SK_QR_DEFAULT_SCALE, SK_QR_DEFAULT_MARGIN, &img);
	if (rc != 0)
		certd_reply_problem(r, CERTD_P_INTERNAL, "QR: %s",
		    sk_strerror(rc));
	else
		certd_reply_bytes(r, 200, png ? "image/png" : "image/svg+xml",
		    img.data, img.len);
	sk_qr_free(qr);
	sk_buf_free(&text);
	sk_buf_free(&img);
	certd_licence_rec_clear(&rec);
}

void
api_qr_png(struct certd_req *r)
{
	qr_image(r, 1);
}

void
api_qr_svg(struct certd_req *r)
{
	qr_image(r, 0);
}

static json_t *
access_json(const struct certd_access *e)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s?}", "seq",
	    (json_int_t)e->seq, "time", (json_int_t)e->time, "client",
	    e->client, "purpose", e->purpose, "matter", e->matter, "licence",
	    e->licence[0] != '\0' ? e->licence : NULL, "request_id",
	    e->reqid, "presentation",
	    e->presentation[0] != '\0' ? e->presentation : NULL);
}

void
api_access_log(struct certd_req *r)
{
	const char *holder = certd_req_param(r), *s;
	struct certd_access *e = NULL;
	unsigned long long after = 0;
	size_t i, n = 0, limit;
	uint64_t next;
	json_t *items, *o;
	char *end;
	int rc;

	if (!api_code_ok(holder, CERTD_HOLDER_MAX)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "not a holder "
		    "code");
		return;
	}
	if (api_limit(r, &limit) != 0)
		return;
	if ((s = certd_req_query(r, "after")) != NULL) {
		after = strtoull(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' ||
		    after == UINT64_MAX) {
			certd_reply_problem(r, CERTD_P_BAD_REQUEST, "after: a "
			    "sequence number");
			return;
		}
	}
	if ((rc = certd_store_list_access(certd_req_app(r)->store, holder,
	    after, limit, &e, &n, &next)) != 0) {
		api_store_error(r, rc);
		return;
	}
	items = json_array();
	for (i = 0; items != NULL && i < n; i++)
		if (json_array_append_new(items, access_json(&e[i])) != 0) {
			json_decref(items);
			items = NULL;
		}
	free(e);
	o = items == NULL ? NULL : json_pack("{s:s, s:o, s:o?}", "holder",
	    holder, "items", items, "next", next != 0 ?
	    json_integer((json_int_t)next) : NULL);
	certd_reply_json(r, 200, o);
}
