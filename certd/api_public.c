/*
 * api_public.c: the routes without authentication: verification, the
 * trust list, health and metrics.
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cose.h"
#include "sealkit/verify.h"

#include "api.h"
#include "metrics.h"
#include "statuslists.h"
#include "util.h"

/* What the store says about the credential being verified. */
struct known {
	int		 found;
	unsigned	 state;
	int		 has_idx;
	uint64_t	 idx;
	int		 list_err;	/* its list entry could not be read */
};

/*
 * The status source verification consults: the licence's state in this
 * store.  Any other list entry is unknown here, which fails closed.
 */
static int
store_status(void *ctx, const char *uri, uint64_t idx, int64_t at,
    unsigned *status)
{
	const struct known *k = ctx;

	(void)uri;
	(void)at;
	if (!k->found || k->list_err || (k->has_idx && k->idx != idx))
		return SK_ERR_NOTFOUND;
	*status = k->state;
	return 0;
}

/*
 * A record with a status slot: the state is its status list entry (the
 * same transaction writes both, so they agree), and the index checked is
 * the one within the list, as the credential's claim carries it.
 */
static void
list_entry(struct certd_req *r, struct known *k)
{
	struct certd_statuslists *sl = certd_req_app(r)->status;
	uint32_t list, idx;

	if (!k->has_idx || sl == NULL)
		return;
	if (certd_sl_split(k->idx, &list, &idx) != 0 ||
	    certd_statuslists_get(sl, k->idx, &k->state) != 0) {
		k->list_err = 1;
		return;
	}
	k->idx = idx;
}

/*
 * Look the credential up by its (not yet verified) identifier.  The
 * record only counts if it holds these very bytes, and its state is only
 * applied after the signature has verified.
 */
static void
lookup(struct certd_req *r, const struct sk_buf *cose, struct known *k)
{
	struct certd_licence_rec rec;
	struct sk_cose_sign1 *msg = NULL;
	struct sk_licence *lic = NULL;
	const uint8_t *p;
	size_t len;

	memset(k, 0, sizeof(*k));
	if (sk_cose_sign1_parse(cose->data, cose->len, 0, &msg) != 0 ||
	    sk_cose_sign1_payload(msg, &p, &len) != 0 ||
	    sk_licence_decode_claims(p, len, &lic, NULL) != 0)
		goto out;
	if (certd_store_get_licence(certd_req_app(r)->store, lic->identifier,
	    &rec) != 0)
		goto out;
	if (rec.credlen == cose->len &&
	    memcmp(rec.cred, cose->data, cose->len) == 0) {
		k->found = 1;
		k->state = rec.state;
		k->has_idx = rec.has_status_idx;
		k->idx = rec.status_idx;
		list_entry(r, k);
	}
	certd_licence_rec_clear(&rec);
out:
	sk_licence_free(lic);
	sk_cose_sign1_free(msg);
}

/* The credential bytes from {"qr_text"} or {"credential"}; -1: replied. */
static int
verify_input(struct certd_req *r, json_t *o, struct sk_buf *cose)
{
	json_t *qr = json_object_get(o, "qr_text");
	json_t *cr = json_object_get(o, "credential");
	enum sk_stage stage;
	const char *s;

	if (json_object_size(o) != 1 || (qr == NULL) == (cr == NULL) ||
	    !json_is_string(qr != NULL ? qr : cr)) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "send "
		    "{\"qr_text\": \"LC1:...\"} or {\"credential\": "
		    "\"<base64>\"}");
		return -1;
	}
	if (qr != NULL) {
		s = json_string_value(qr);
		/* Malformed text is a verdict, reached by the pipeline. */
		if (sk_qrtext_decode(s, json_string_length(qr),
		    SK_QRTEXT_PREFIX, SK_QRTEXT_STRICT_ZLIB, cose,
		    &stage) != 0)
			sk_buf_reset(cose);
		return 0;
	}
	s = json_string_value(cr);
	if (certd_b64_decode(s, json_string_length(cr), cose) != 0) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "credential: not "
		    "base64 of at most %u bytes", SK_COSE_MAX_BYTES);
		return -1;
	}
	return 0;
}

static json_t *
reasons_json(unsigned reasons)
{
	json_t *a = json_array();
	unsigned i;

	for (i = 0; a != NULL && i < SK_REASON_COUNT; i++)
		if ((reasons & (1u << i)) != 0 &&
		    json_array_append_new(a, json_string(
		    sk_reason_name(1u << i))) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
verdict_json(const struct sk_verdict *v, const struct known *k)
{
	char kid[2 * SK_COSE_MAX_KID + 1];

	certd_hex(v->kid, v->kidlen, kid);
	return json_pack("{s:b, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s}",
	    "valid", v->valid, "reasons", reasons_json(v->reasons),
	    "stage", v->stage != SK_STAGE_NONE ? sk_stage_name(v->stage) :
	    NULL, "detail", v->detail[0] != '\0' ? v->detail : NULL,
	    "alg", sk_alg_name(v->alg), "kid", v->kidlen > 0 ? kid : NULL,
	    "signer", v->issuer_subject,
	    "record", k->found ? api_state_name(k->state) : "unknown");
}

/*
 * The verdict, then the licence as its last member: the licence's JSON
 * text (compact, in order, as certd_reply_json writes) is spliced in
 * rather than parsed back into an object.  No licence (or one that
 * cannot be written) is null.
 */
static void
verdict_reply(struct certd_req *r, const struct sk_verdict *v,
    const struct known *k)
{
	static const char member[] = ",\"licence\":";
	struct sk_buf lic, out;
	json_t *o;
	char *text;
	size_t n;

	if ((o = verdict_json(v, k)) == NULL || (text = json_dumps(o,
	    JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
		json_decref(o);
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		return;
	}
	json_decref(o);
	n = strlen(text);
	sk_buf_init(&lic, SK_LICENCE_MAX_JSON);
	if (v->licence == NULL ||
	    sk_licence_to_json(v->licence, 0, &lic) != 0) {
		sk_buf_reset(&lic);
		if (sk_buf_append(&lic, "null", 4) != 0)
			n = 0;
	}
	sk_buf_init(&out, CERTD_REPLY_MAX);
	/* text is a compact object: "{...}" with at least one member. */
	if (n < 2 || text[n - 1] != '}' ||
	    sk_buf_append(&out, text, n - 1) != 0 ||
	    sk_buf_append(&out, member, sizeof(member) - 1) != 0 ||
	    sk_buf_append(&out, lic.data, lic.len) != 0 ||
	    sk_buf_append(&out, "}", 1) != 0)
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
	else
		certd_reply_bytes(r, 200, "application/json", out.data,
		    out.len);
	sk_buf_free(&out);
	sk_buf_free(&lic);
	free(text);
}

void
api_verify(struct certd_req *r)
{
	struct sk_status_source src;
	struct sk_verify_opts opts;
	struct sk_verdict v;
	struct sk_buf cose;
	struct known k;
	json_t *o, *qr;
	unsigned extra = 0;
	int rc;

	if ((o = api_body_json(r, 0)) == NULL)
		return;
	if (json_object_get(o, "seal_signature") != NULL) {
		api_seal_verify(r, o);
		json_decref(o);
		return;
	}
	sk_buf_init(&cose, SK_COSE_MAX_BYTES);
	if (verify_input(r, o, &cose) != 0)
		goto out;
	lookup(r, &cose, &k);
	src.lookup = store_status;
	src.ctx = &k;
	memset(&opts, 0, sizeof(opts));
	opts.trust = certd_req_app(r)->trust;
	opts.status = k.found ? &src : NULL;
	opts.at = certd_now();
	/*
	 * The text decoded once, above; only text that did not decode goes
	 * through the pipeline again, for its malformed verdict.
	 */
	qr = json_object_get(o, "qr_text");
	if (qr != NULL && cose.len == 0)
		rc = sk_verify_credential(SK_INPUT_QRTEXT, (const uint8_t *)
		    json_string_value(qr), json_string_length(qr), &opts, &v);
	else
		rc = sk_verify_credential(SK_INPUT_COSE, cose.data, cose.len,
		    &opts, &v);
	if (rc != 0) {
		certd_reply_problem(r, CERTD_P_INTERNAL, "verification: %s",
		    sk_strerror(rc));
		sk_verdict_free(&v);
		goto out;
	}
	/* A credential without a status claim still has a state here. */
	if (k.found && v.licence != NULL && k.state != CERTD_STATE_VALID)
		extra = k.state == CERTD_STATE_REVOKED ? SK_REASON_REVOKED :
		    SK_REASON_SUSPENDED;
	if ((v.reasons & extra) == 0 && extra != 0) {
		v.reasons |= extra;
		v.valid = 0;
	}
	certd_metrics_verify(v.valid);
	verdict_reply(r, &v, &k);
	sk_verdict_free(&v);
out:
	sk_buf_free(&cose);
	json_decref(o);
}

void
api_trust(struct certd_req *r)
{
	struct certd_app *app = certd_req_app(r);
	const char *inm = certd_req_header(r, "If-None-Match");

	certd_reply_header(r, "ETag", app->trust_etag);
	certd_reply_header(r, "Cache-Control", "public, max-age=300");
	if (inm != NULL && strcmp(inm, app->trust_etag) == 0) {
		certd_reply_bytes(r, 304, "application/cose", "", 0);
		return;
	}
	certd_reply_bytes(r, 200, "application/cose", app->trust_list,
	    app->trust_list_len);
}

void
api_healthz(struct certd_req *r)
{
	if (certd_store_ping(certd_req_app(r)->store) != 0) {
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "store unreadable");
		return;
	}
	certd_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void
api_metrics(struct certd_req *r)
{
	struct certd_store_stats st;
	struct sk_buf b;

	certd_store_stats(certd_req_app(r)->store, &st);
	sk_buf_init(&b, CERTD_METRICS_TEXT_MAX);
	if (certd_metrics_render(&st, &b) != 0)
		certd_reply_problem(r, CERTD_P_INTERNAL, "metrics too large");
	else
		certd_reply_bytes(r, 200, "text/plain; version=0.0.4; "
		    "charset=utf-8", b.data, b.len);
	sk_buf_free(&b);
}
