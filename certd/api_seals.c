/*
 * api_seals.c: the seal registry routes, server-side sealing and seal
 * signature verification (docs/CERTD-SEALS.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/ident.h"
#include "sealkit/verify.h"

#include "api.h"
#include "log.h"
#include "metrics.h"
#include "seals.h"
#include "util.h"

/* Default printed size of a seal picture, mm. */
#define SEAL_SIZE_MM	40
/* Longest certificate text (PEM) in a request. */
#define CERT_TEXT_MAX	(SK_SEAL_MAX_CERT_BYTES * 2u)

static void
actor(struct certd_req *r, struct certd_actor *who)
{
	const struct certd_client *c = certd_req_client(r);

	who->client = c != NULL ? c->name : "";
	who->reqid = certd_req_id(r);
	who->time = certd_now();
}

static struct certd_seals *
seals(struct certd_req *r)
{
	return certd_req_app(r)->seals;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, size_t n, int64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "YYYY-MM-DDThh:mm:ssZ" (RFC 3339, UTC, no fraction) or an integer. */
static int
json_time(const json_t *v, int64_t *t)
{
	const char *s;
	int64_t y, mo, d, h, mi, se;

	if (json_is_integer(v)) {
		*t = json_integer_value(v);
		return *t >= 0 ? 0 : -1;
	}
	if (!json_is_string(v) || json_string_length(v) != 20)
		return -1;
	s = json_string_value(v);
	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z' || digits(s, 4, &y) != 0 ||
	    digits(s + 5, 2, &mo) != 0 || digits(s + 8, 2, &d) != 0 ||
	    digits(s + 11, 2, &h) != 0 || digits(s + 14, 2, &mi) != 0 ||
	    digits(s + 17, 2, &se) != 0 || y < 1970 || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/*
 * Creating a seal.
 */

struct seal_body {
	struct certd_seal_new	 n;
	struct sk_cert		*certs[SK_SEAL_MAX_CERTS];
	const char		*signers[CERTD_SEAL_SIGNERS_MAX];
	struct sk_buf		 png;
};

static void
body_free(struct seal_body *b)
{
	size_t i;

	for (i = 0; i < SK_SEAL_MAX_CERTS; i++)
		sk_cert_free(b->certs[i]);
	sk_buf_free(&b->png);
}

/* One certificate: PEM text, or standard base64 of the DER. */
static int
load_cert(const json_t *v, struct sk_cert **out)
{
	struct sk_buf der;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	int rc;

	if (s == NULL || len == 0 || len > CERT_TEXT_MAX)
		return -1;
	if (strncmp(s, "-----BEGIN", 10) == 0)
		return sk_cert_load_mem((const uint8_t *)s, len, out) == 0 ?
		    0 : -1;
	sk_buf_init(&der, SK_SEAL_MAX_CERT_BYTES);
	rc = certd_b64_decode(s, len, &der) == 0 &&
	    sk_cert_load_mem(der.data, der.len, out) == 0 ? 0 : -1;
	sk_buf_free(&der);
	return rc;
}

static const char *
parse_certs(const json_t *a, struct seal_body *b)
{
	size_t i;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > SK_SEAL_MAX_CERTS)
		return "certs: 1 to 16 certificates";
	for (i = 0; i < json_array_size(a); i++)
		if (load_cert(json_array_get(a, i), &b->certs[i]) != 0)
			return "certs: each a PEM certificate or base64 DER";
	b->n.certs = (const struct sk_cert *const *)b->certs;
	b->n.ncerts = i;
	return NULL;
}

static const char *
parse_signers(const json_t *a, struct seal_body *b)
{
	const char *s;
	size_t i, j, k;

	if (a == NULL)
		return NULL;
	if (!json_is_array(a) || json_array_size(a) > CERTD_SEAL_SIGNERS_MAX)
		return "signers: at most 16 client names";
	for (i = 0; i < json_array_size(a); i++) {
		s = json_string_value(json_array_get(a, i));
		if (s == NULL || strlen(s) == 0 || strlen(s) > CERTD_NAME_MAX)
			return "signers: client names";
		for (k = 0; s[k] != '\0'; k++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    s[k]) == NULL)
				return "signers: client names";
		for (j = 0; j < i; j++)
			if (strcmp(b->signers[j], s) == 0)
				return "signers: a name twice";
		b->signers[i] = s;
	}
	b->n.signers = b->signers;
	b->n.nsigners = i;
	return NULL;
}

static const char *
parse_size(const json_t *v, int64_t *mm)
{
	*mm = SEAL_SIZE_MM;
	if (v == NULL)
		return NULL;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > SK_SEAL_MAX_PICTURE_MM)
		return "width_mm, height_mm: 1 to 1000";
	*mm = json_integer_value(v);
	return NULL;
}

static const char *
parse_strings(const json_t *o, struct seal_body *b)
{
	const json_t *v;
	const char *why = NULL;

	v = json_object_get(o, "owner_uscc");
	if (!json_is_string(v) || json_string_length(v) != SK_USCC_LEN ||
	    sk_uscc_check(json_string_value(v), SK_USCC_LEN, &why) != 0)
		return "owner_uscc: a valid USCC";
	b->n.owner = json_string_value(v);
	v = json_object_get(o, "name");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > SK_SEAL_MAX_STRING ||
	    !certd_text_ok(json_string_value(v), json_string_length(v)))
		return "name: 1 to 256 bytes of text";
	b->n.name = json_string_value(v);
	v = json_object_get(o, "esid");
	b->n.esid = "";
	if (v != NULL && (!json_is_string(v) ||
	    !certd_seal_id_ok(json_string_value(v))))
		return "esid: 1 to 64 of [0-9A-Za-z._-]";
	if (v != NULL)
		b->n.esid = json_string_value(v);
	v = json_object_get(o, "picture");
	sk_buf_init(&b->png, CERTD_SEAL_PICTURE_MAX);
	if (!json_is_string(v) || certd_b64_decode(json_string_value(v),
	    json_string_length(v), &b->png) != 0 || b->png.len == 0)
		return "picture: base64 of a PNG of at most 128 KiB";
	b->n.png = b->png.data;
	b->n.pnglen = b->png.len;
	return NULL;
}

static const char *
parse_seal_body(json_t *o, struct seal_body *b)
{
	static const char *const keys[] = { "owner_uscc", "type", "name",
	    "picture", "certs", "valid_from", "valid_until", "width_mm",
	    "height_mm", "esid", "signers" };
	const char *k, *why;
	json_t *v;
	size_t i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i == sizeof(keys) / sizeof(keys[0]))
			return "unknown member";
	}
	if ((why = parse_strings(o, b)) != NULL)
		return why;
	v = json_object_get(o, "type");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > INT32_MAX)
		return "type: an integer 0 to 2147483647";
	b->n.type = json_integer_value(v);
	if (json_time(json_object_get(o, "valid_from"),
	    &b->n.valid_from) != 0 ||
	    json_time(json_object_get(o, "valid_until"), &b->n.valid_to) != 0 ||
	    b->n.valid_from >= b->n.valid_to)
		return "valid_from < valid_until: YYYY-MM-DDThh:mm:ssZ or "
		    "seconds since the epoch";
	if ((why = parse_size(json_object_get(o, "width_mm"),
	    &b->n.width_mm)) != NULL ||
	    (why = parse_size(json_object_get(o, "height_mm"),
	    &b->n.height_mm)) != NULL ||
	    (why = parse_certs(json_object_get(o, "certs"), b)) != NULL)
		return why;
	return parse_signers(json_object_get(o, "signers"), b);
}

static json_t *
b64_json(const uint8_t *p, size_t len)
{
	struct sk_buf b;
	json_t *s = NULL;

	sk_buf_init(&b, 2 * SK_SES_SIG_MAX_BYTES);
	if (certd_b64_encode(p, len, 0, &b) == 0)
		s = json_stringn((const char *)b.data, b.len);
	sk_buf_free(&b);
	return s;
}

static json_t *
seal_json(const struct certd_seal_rec *rec)
{
	struct sk_seal_fields f;
	struct sk_seal *seal;
	json_t *o, *sg;
	size_t i;

	if (sk_seal_parse(rec->der, rec->derlen, &seal) != 0)
		return NULL;
	sk_seal_get(seal, &f);
	sg = json_array();
	for (i = 0; sg != NULL && i < rec->nsigners; i++)
		(void)json_array_append_new(sg, json_string(rec->signers[i]));
	o = json_pack("{s:s, s:s, s:s, s:s%, s:I, s:I, s:I, s:I, s:I, s:o, "
	    "s:o}", "id", rec->id,
	    "state", rec->state == CERTD_SEAL_REVOKED ? "revoked" : "valid",
	    "owner_uscc", rec->owner, "name", (const char *)f.name.p,
	    f.name.len, "type", (json_int_t)f.type,
	    "valid_from", (json_int_t)f.valid_from,
	    "valid_until", (json_int_t)f.valid_to,
	    "created", (json_int_t)rec->created,
	    "updated", (json_int_t)rec->updated, "signers", sg,
	    "seal", b64_json(rec->der, rec->derlen));
	sk_seal_free(seal);
	return o;
}

static void
make_error(struct certd_req *r, int rc)
{
	switch (rc) {
	case SK_ERR_NOTFOUND:
		certd_reply_problem(r, CERTD_P_UNAVAILABLE, "no seal maker "
		    "key is configured (certd init --seal-maker)");
		return;
	case SK_ERR_DUPLICATE:
		certd_reply_problem(r, CERTD_P_CONFLICT, "a seal with this "
		    "esid exists");
		return;
	case SK_ERR_ARG:
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "certs: every "
		    "certificate must carry owner_uscc as subject "
		    "serialNumber");
		return;
	case SK_ERR_FORMAT:
	case SK_ERR_LIMIT:
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "picture or "
		    "fields: %s", sk_strerror(rc));
		return;
	default:
		api_store_error(r, rc);
	}
}

void
api_seal_create(struct certd_req *r)
{
	struct certd_seal_rec rec;
	struct certd_actor who;
	struct seal_body b;
	const char *why;
	char loc[64 + CERTD_SEAL_ID_MAX];
	json_t *o;
	int rc;

	memset(&b, 0, sizeof(b));
	if ((o = api_body_json(r, 0)) == NULL)
		return;
	if ((why = parse_seal_body(o, &b)) != NULL) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "%s", why);
		goto out;
	}
	actor(r, &who);
	if ((rc = certd_seals_make(seals(r), certd_req_app(r)->store, &b.n,
	    &who, &rec)) != 0) {
		make_error(r, rc);
		goto out;
	}
	(void)snprintf(loc, sizeof(loc), "%s/v1/seals/%s",
	    certd_req_app(r)->public_url, rec.id);
	certd_reply_header(r, "Location", loc);
	certd_reply_json(r, 201, seal_json(&rec));
	certd_seal_rec_clear(&rec);
out:
	body_free(&b);
	json_decref(o);
}

static void
seal_error(struct certd_req *r, int rc)
{
	if (rc == SK_ERR_NOTFOUND)
		certd_reply_problem(r, CERTD_P_NOT_FOUND, "no such seal");
	else
		api_store_error(r, rc);
}

void
api_seal_get(struct certd_req *r)
{
	struct certd_seal_rec rec;
	int rc;

	if ((rc = certd_seal_get(certd_req_app(r)->store, certd_req_param(r),
	    &rec)) != 0) {
		seal_error(r, rc);
		return;
	}
	certd_reply_json(r, 200, seal_json(&rec));
	certd_seal_rec_clear(&rec);
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

void
api_seal_revoke(struct certd_req *r)
{
	struct certd_actor who;
	const char *reason = "unspecified";
	json_t *o, *v;
	int rc, changed;

	if ((o = api_body_json(r, 1)) == NULL)
		return;
	v = json_object_get(o, "reason");
	if (json_object_size(o) > (v != NULL) || (v != NULL &&
	    (!json_is_string(v) || !reason_ok(json_string_value(v))))) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "the body is "
		    "{\"reason\": \"<[a-z0-9_-]{1,%u}>\"}", CERTD_REASON_MAX);
		goto out;
	}
	if (v != NULL)
		reason = json_string_value(v);
	actor(r, &who);
	if ((rc = certd_seal_revoke(certd_req_app(r)->store,
	    certd_req_param(r), reason, &who, &changed)) != 0) {
		seal_error(r, rc);
		goto out;
	}
	certd_reply_json(r, 200, json_pack("{s:s, s:s, s:b, s:s}", "id",
	    certd_req_param(r), "state", "revoked", "changed", changed,
	    "reason", reason));
out:
	json_decref(o);
}

/*
 * Sealing a document's SM3 hash.
 */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
unhex(const char *s, size_t len, uint8_t *out, size_t outlen)
{
	size_t i;
	int hi, lo;

	if (len != 2 * outlen)
		return -1;
	for (i = 0; i < outlen; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void
sign_error(struct certd_req *r, int rc)
{
	switch (rc) {
	case CERTD_ERR_NOT_SIGNER:
		certd_reply_problem(r, CERTD_P_FORBIDDEN, "this client is not "
		    "one of the seal's signers");
		return;
	case CERTD_ERR_CONFLICT:
		certd_reply_problem(r, CERTD_P_CONFLICT, "the seal is "
		    "revoked");
		return;
	case SK_ERR_EXPIRED:
		certd_reply_problem(r, CERTD_P_CONFLICT, "the seal is outside "
		    "its validity period");
		return;
	case SK_ERR_KEY:
		certd_reply_problem(r, CERTD_P_CONFLICT, "certd holds no key "
		    "of the seal's certificates");
		return;
	default:
		seal_error(r, rc);
	}
}

static const char *
parse_sign_body(const json_t *o, uint8_t hash[SK_SM3_LEN],
    const char **property)
{
	const json_t *h = json_object_get(o, "data_sm3");
	const json_t *p = json_object_get(o, "property");

	if (json_object_size(o) != 1u + (p != NULL) || !json_is_string(h) ||
	    unhex(json_string_value(h), json_string_length(h), hash,
	    SK_SM3_LEN) != 0)
		return "the body is {\"data_sm3\": \"<64 hex digits>\", "
		    "\"property\"?: \"<text>\"}";
	*property = "";
	if (p == NULL)
		return NULL;
	if (!json_is_string(p) ||
	    json_string_length(p) > CERTD_SEAL_PROPERTY_MAX ||
	    !certd_text_ok(json_string_value(p), json_string_length(p)))
		return "property: at most 256 bytes of text";
	*property = json_string_value(p);
	return NULL;
}

void
api_seal_sign(struct certd_req *r)
{
	uint8_t hash[SK_SM3_LEN];
	struct certd_actor who;
	struct sk_buf sig;
	const char *why, *property;
	json_t *o;
	int rc;

	if ((o = api_body_json(r, 0)) == NULL)
		return;
	sk_buf_init(&sig, SK_SES_SIG_MAX_BYTES);
	if ((why = parse_sign_body(o, hash, &property)) != NULL) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "%s", why);
		goto out;
	}
	actor(r, &who);
	if ((rc = certd_seals_sign(seals(r), certd_req_app(r)->store,
	    certd_req_param(r), hash, property, &who, &sig)) != 0) {
		sign_error(r, rc);
		goto out;
	}
	certd_log(CERTD_LOG_INFO, certd_req_id(r), "seal %s signed",
	    certd_req_param(r));
	certd_reply_json(r, 200, json_pack("{s:s, s:I, s:o}", "id",
	    certd_req_param(r), "time", (json_int_t)who.time, "signature",
	    b64_json(sig.data, sig.len)));
out:
	sk_buf_free(&sig);
	json_decref(o);
}

/*
 * POST /v1/verify with {"seal_signature", "data_sm3"?}.
 */

struct seal_known {
	int		 found;
	unsigned	 state;
};

/* The seal embedded in sig, if it is exactly a seal of this store. */
static void
seal_lookup(struct certd_req *r, const struct sk_ses_sig *sig,
    struct seal_known *k)
{
	struct sk_ses_sig_fields sf;
	struct sk_seal_fields f;
	struct certd_seal_rec rec;
	char id[CERTD_SEAL_ID_MAX + 1];

	memset(k, 0, sizeof(*k));
	sk_ses_sig_get(sig, &sf);
	sk_seal_get(sf.seal, &f);
	if (f.esid.len == 0 || f.esid.len > CERTD_SEAL_ID_MAX)
		return;
	memcpy(id, f.esid.p, f.esid.len);
	id[f.esid.len] = '\0';
	if (certd_seal_get(certd_req_app(r)->store, id, &rec) != 0)
		return;
	if (rec.derlen == f.der.len && memcmp(rec.der, f.der.p,
	    rec.derlen) == 0) {
		k->found = 1;
		k->state = rec.state;
	}
	certd_seal_rec_clear(&rec);
}

static json_t *
checks_json(const struct sk_seal_report *rep)
{
	json_t *o = json_object();
	int i;

	for (i = 0; o != NULL && i < SK_SEAL_NCHECKS; i++)
		(void)json_object_set_new(o, sk_seal_check_name(i),
		    json_string(rep->result[i] == SK_SEAL_NOT_RUN ?
		    "not-run" : rep->result[i] == 0 ? "passed" :
		    rep->reason[i] != NULL ? rep->reason[i] : "failed"));
	return o;
}

static json_t *
seal_verdict(const struct sk_ses_sig *sig, const struct sk_seal_report *rep,
    int valid, const struct seal_known *k)
{
	struct sk_ses_sig_fields sf;
	struct sk_seal_fields f;

	sk_ses_sig_get(sig, &sf);
	sk_seal_get(sf.seal, &f);
	return json_pack("{s:b, s:o, s:s%, s:s%, s:I, s:s}", "valid", valid,
	    "checks", checks_json(rep), "esid", (const char *)f.esid.p,
	    f.esid.len, "seal_name", (const char *)f.name.p, f.name.len,
	    "time", (json_int_t)(sf.has_time ? sf.time : 0), "record",
	    !k->found ? "unknown" : k->state == CERTD_SEAL_REVOKED ?
	    "revoked" : "valid");
}

static int
verify_input(struct certd_req *r, const json_t *o, struct sk_buf *der,
    uint8_t hash[SK_SM3_LEN], int *has_hash)
{
	const json_t *s = json_object_get(o, "seal_signature");
	const json_t *h = json_object_get(o, "data_sm3");

	*has_hash = h != NULL;
	if (json_object_size(o) != 1u + (h != NULL) || !json_is_string(s) ||
	    certd_b64_decode(json_string_value(s), json_string_length(s),
	    der) != 0 || (h != NULL && (!json_is_string(h) ||
	    unhex(json_string_value(h), json_string_length(h), hash,
	    SK_SM3_LEN) != 0))) {
		certd_reply_problem(r, CERTD_P_BAD_REQUEST, "send "
		    "{\"seal_signature\": \"<base64 DER>\", \"data_sm3\"?: "
		    "\"<64 hex digits>\"}");
		return -1;
	}
	return 0;
}

void
api_seal_verify(struct certd_req *r, const json_t *o)
{
	uint8_t hash[SK_SM3_LEN];
	struct sk_seal_verify_opts opts;
	struct sk_seal_report rep;
	struct seal_known k;
	struct sk_ses_sig *sig;
	struct sk_buf der;
	int has_hash, rc;

	sk_buf_init(&der, SK_SES_SIG_MAX_BYTES);
	if (verify_input(r, o, &der, hash, &has_hash) != 0)
		goto out;
	if ((rc = sk_ses_sig_parse(der.data, der.len, &sig)) != 0) {
		certd_reply_json(r, 200, json_pack("{s:b, s:s, s:s}",
		    "valid", 0, "error", sk_strerror(rc), "record",
		    "unknown"));
		goto out;
	}
	seal_lookup(r, sig, &k);
	sk_seal_verify_opts_init(&opts);
	opts.at = certd_now();
	if (has_hash) {
		opts.data_hash = hash;
		opts.hashlen = SK_SM3_LEN;
	}
	opts.tsa_cert = certd_seals_tsa_cert(seals(r));
	if (k.found)
		opts.status = k.state == CERTD_SEAL_REVOKED ?
		    (int)SK_STATUS_INVALID : (int)SK_STATUS_VALID;
	rc = sk_ses_sig_verify(sig, &opts, &rep);
	if (rc != 0 && rc != SK_ERR_SIGNATURE)
		certd_reply_problem(r, CERTD_P_INTERNAL, "verification: %s",
		    sk_strerror(rc));
	else {
		certd_metrics_verify(rc == 0);
		certd_reply_json(r, 200, seal_verdict(sig, &rep, rc == 0, &k));
	}
	sk_ses_sig_free(sig);
out:
	sk_buf_free(&der);
}
