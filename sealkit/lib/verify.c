/*
 * verify.c: offline verification of licence credentials and of generic
 * base45/zlib/COSE_Sign1 credentials (include/sealkit/verify.h,
 * docs/TRUST.md section 4).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/qr.h"
#include "sealkit/verify.h"

#include "trust_int.h"

#include "key_int.h"

/* China Standard Time, UTC+8: licence dates are CST calendar dates. */
#define SK_CST_OFFSET	(8 * 3600)
#define SK_DAY		86400

static const char *const sk_reason_names[SK_REASON_COUNT] = {
	"malformed", "unknown_kid", "bad_signature", "issuer_cert",
	"issuer_mismatch", "not_yet_valid", "expired", "revoked",
	"suspended", "status_unknown", "status_list_invalid"
};

const char *
sk_reason_name(unsigned reason)
{
	unsigned i;

	for (i = 0; i < SK_REASON_COUNT; i++)
		if (reason == 1u << i)
			return sk_reason_names[i];
	return NULL;
}

const char *
sk_stage_name(int stage)
{
	switch (stage) {
	case SK_STAGE_IMAGE:
		return "image";
	case SK_STAGE_PREFIX:
		return "prefix";
	case SK_STAGE_BASE45:
		return "base45";
	case SK_STAGE_ZLIB:
		return "zlib";
	case SK_STAGE_COSE:
		return "cose";
	case SK_STAGE_CLAIMS:
		return "claims";
	default:
		return "";
	}
}

void
sk_verdict_free(struct sk_verdict *v)
{
	if (v == NULL)
		return;
	free(v->issuer_subject);
	sk_licence_free(v->licence);
	free(v->payload);
	memset(v, 0, sizeof(*v));
}

/* Add a reason; the first failure also sets err and detail. */
static void
sk_fail(struct sk_verdict *v, unsigned reason, int err, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
sk_fail(struct sk_verdict *v, unsigned reason, int err, const char *fmt,
    ...)
{
	va_list ap;

	if (v->reasons == 0) {
		v->err = err;
		va_start(ap, fmt);
		(void)vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
		va_end(ap);
	}
	v->reasons |= reason;
	v->valid = 0;
}

static void
sk_malformed(struct sk_verdict *v, enum sk_stage stage, int err)
{
	v->stage = stage;
	sk_fail(v, SK_REASON_MALFORMED, err, "malformed at %s: %s",
	    sk_stage_name(stage), sk_strerror(err));
}

/* Internal state of one verification. */
struct sk_vctx {
	const struct sk_verify_opts	*o;
	struct sk_verdict		*v;
	struct sk_buf			 cose;	/* decoded COSE bytes */
	struct sk_cose_sign1		*msg;
	const uint8_t			*payload; /* borrowed from msg */
	size_t				 paylen;
	const struct sk_cert		*signer; /* cert that verified */
};

/* Stage 1: the COSE bytes.  0, or 1 when the verdict is final. */
static int
sk_v_qrtext(struct sk_vctx *c, const char *text, size_t len)
{
	const char *prefix = c->o->prefix ? c->o->prefix : SK_QRTEXT_PREFIX;
	enum sk_stage stage;
	unsigned fl = 0;
	int rc;

	if (strcmp(prefix, SK_QRTEXT_PREFIX) == 0)
		fl |= SK_QRTEXT_STRICT_ZLIB;
	rc = sk_qrtext_decode(text, len, prefix, fl, &c->cose, &stage);
	if (rc == SK_ERR_ARG || rc == SK_ERR_NOMEM)
		return rc;
	if (rc != 0) {
		sk_malformed(c->v, stage, rc);
		return 1;
	}
	return 0;
}

static int
sk_v_input(struct sk_vctx *c, int kind, const uint8_t *in, size_t len)
{
	struct sk_buf text;
	int rc;

	switch (kind) {
	case SK_INPUT_QRTEXT:
		return sk_v_qrtext(c, (const char *)in, len);
	case SK_INPUT_COSE:
		if (len > SK_COSE_MAX_BYTES) {
			sk_malformed(c->v, SK_STAGE_COSE, SK_ERR_LIMIT);
			return 1;
		}
		return sk_buf_append(&c->cose, in, len);
	case SK_INPUT_PNG:
		sk_buf_init(&text, SK_QRTEXT_MAX);
		if ((rc = sk_qr_decode_png(in, len, &text)) != 0) {
			sk_buf_free(&text);
			if (rc == SK_ERR_NOMEM)
				return rc;
			sk_malformed(c->v, SK_STAGE_IMAGE, rc);
			return 1;
		}
		rc = sk_v_qrtext(c, (const char *)text.data, text.len);
		sk_buf_free(&text);
		return rc;
	default:
		return SK_ERR_ARG;
	}
}

/* Stage 2: the COSE_Sign1 structure. */
static int
sk_v_cose(struct sk_vctx *c)
{
	const uint8_t *kid;
	unsigned fl;
	int rc;

	/* Licence credentials are always tagged (api/FORMATS.md 2). */
	fl = (c->o->flags & SK_VERIFY_GENERIC) ? 0 : SK_COSE_REQUIRE_TAG;
	if ((rc = sk_cose_sign1_parse(c->cose.data, c->cose.len, fl,
	    &c->msg)) == 0)
		rc = sk_cose_sign1_payload(c->msg, &c->payload, &c->paylen);
	if (rc == SK_ERR_NOMEM)
		return rc;
	if (rc != 0) {
		sk_malformed(c->v, SK_STAGE_COSE, rc);
		return 1;
	}
	c->v->alg = sk_cose_sign1_alg(c->msg);
	sk_cose_sign1_kid(c->msg, &kid, &c->v->kidlen);
	if (c->v->kidlen > sizeof(c->v->kid))
		return SK_ERR_INTERNAL;
	if (c->v->kidlen > 0)
		memcpy(c->v->kid, kid, c->v->kidlen);
	return 0;
}

static int
sk_v_try(struct sk_vctx *c, const struct sk_cert *cert)
{
	const struct sk_key *listed;
	struct sk_key *key = NULL;
	int rc;

	if ((listed = sk_trust_issuer_key(c->o->trust, cert)) == NULL) {
		if ((rc = sk_cert_pubkey(cert, &key)) != 0)
			return rc;
		listed = key;
	}
	rc = sk_cose_sign1_verify(c->msg, listed, NULL, 0, NULL, 0);
	sk_key_free(key);
	if (rc == 0)
		c->signer = cert;
	return rc;
}

/* Stage 3: the signature, with every certificate that has the kid. */
static int
sk_v_signature(struct sk_vctx *c)
{
	const struct sk_cert *cert;
	size_t i;
	int rc = SK_ERR_NOTFOUND;

	if (c->o->flags & SK_VERIFY_GENERIC)
		rc = sk_v_try(c, c->o->cert);
	else
		for (i = 0; sk_trust_lookup(c->o->trust, c->v->kid,
		    c->v->kidlen, i, &cert) == 0; i++)
			if ((rc = sk_v_try(c, cert)) == 0 ||
			    rc == SK_ERR_NOMEM)
				break;
	if (rc == SK_ERR_NOMEM)
		return rc;
	if (rc == SK_ERR_NOTFOUND) {
		sk_fail(c->v, SK_REASON_UNKNOWN_KID, rc,
		    "no issuer certificate with this kid");
		return 1;
	}
	if (rc != 0) {
		sk_fail(c->v, SK_REASON_BAD_SIGNATURE, rc,
		    "signature does not verify: %s", sk_strerror(rc));
		return 1;
	}
	return 0;
}

static int
sk_v_subject(struct sk_vctx *c)
{
	struct sk_buf b;
	const char *listed;
	uint8_t *p;
	size_t n;
	int rc;

	listed = sk_trust_issuer_subject(c->o->trust, c->signer);
	if (listed != NULL) {
		if ((c->v->issuer_subject = strdup(listed)) == NULL)
			return SK_ERR_NOMEM;
		return 0;
	}
	sk_buf_init(&b, SK_TRUST_MAX_SUBJECT);
	if ((rc = sk_cert_subject_text(c->signer, &b)) == 0) {
		sk_buf_take(&b, &p, &n);
		c->v->issuer_subject = (char *)p;
	}
	sk_buf_free(&b);
	return rc;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
sk_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Start (00:00 CST) of a "YYYY-MM-DD" date checked by sk_licence_check. */
static int64_t
sk_cst_day_start(const char *s)
{
	int64_t y, m, d;

	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return sk_days_from_civil(y, m, d) * SK_DAY - SK_CST_OFFSET;
}

static void
sk_v_times(struct sk_verdict *v, int64_t at, int64_t iat, int has_nbf,
    int64_t nbf, int has_exp, int64_t exp)
{
	if (iat > at)
		sk_fail(v, SK_REASON_NOT_YET_VALID, SK_ERR_EXPIRED,
		    "issued after the verification time");
	if (has_nbf && nbf > at)
		sk_fail(v, SK_REASON_NOT_YET_VALID, SK_ERR_EXPIRED,
		    "not valid before nbf");
	if (has_exp && exp <= at)
		sk_fail(v, SK_REASON_EXPIRED, SK_ERR_EXPIRED,
		    "expired (exp)");
}

static void
sk_v_dates(struct sk_verdict *v, const struct sk_licence *lic, int64_t at)
{
	if (lic->valid_from != NULL && at < sk_cst_day_start(lic->valid_from))
		sk_fail(v, SK_REASON_NOT_YET_VALID, SK_ERR_EXPIRED,
		    "licence valid from %s (CST)", lic->valid_from);
	/* valid_until is inclusive: the licence ends at 24:00 CST. */
	if (lic->valid_until != NULL &&
	    at >= sk_cst_day_start(lic->valid_until) + SK_DAY)
		sk_fail(v, SK_REASON_EXPIRED, SK_ERR_EXPIRED,
		    "licence valid until %s (CST)", lic->valid_until);
}

static void
sk_v_status(struct sk_vctx *c, const struct sk_licence *lic)
{
	const struct sk_status_source *src = c->o->status;
	unsigned st = 0;
	int rc;

	if (!lic->has_status)
		return;
	if (src == NULL || src->lookup == NULL) {
		c->v->status_not_checked = 1;
		return;
	}
	rc = src->lookup(src->ctx, lic->status_uri, lic->status_idx,
	    c->o->at, &st);
	if (rc == SK_ERR_EXPIRED || rc == SK_ERR_SIGNATURE ||
	    rc == SK_ERR_FORMAT)
		sk_fail(c->v, SK_REASON_STATUS_LIST_INVALID |
		    SK_REASON_STATUS_UNKNOWN, rc, "status list invalid: %s",
		    sk_strerror(rc));
	else if (rc != 0)
		sk_fail(c->v, SK_REASON_STATUS_UNKNOWN, rc,
		    "status unknown: %s", sk_strerror(rc));
	else if (st == SK_STATUS_INVALID)
		sk_fail(c->v, SK_REASON_REVOKED, 0, "revoked");
	else if (st == SK_STATUS_SUSPENDED)
		sk_fail(c->v, SK_REASON_SUSPENDED, 0, "suspended");
	else if (st != SK_STATUS_VALID)
		sk_fail(c->v, SK_REASON_STATUS_UNKNOWN, 0,
		    "status value %u unknown", st);
}

/* Stage 4, licence mode: claims, issuer, times, status. */
static int
sk_v_licence(struct sk_vctx *c)
{
	char uscc[SK_TRUST_USCC_LEN + 1];
	struct sk_licence_err e;
	struct sk_licence *lic;
	int rc;

	if ((rc = sk_licence_decode_claims(c->payload, c->paylen, &lic,
	    &e)) != 0) {
		if (rc == SK_ERR_NOMEM)
			return rc;
		c->v->stage = SK_STAGE_CLAIMS;
		sk_fail(c->v, SK_REASON_MALFORMED, rc,
		    "malformed at claims: %s: %s", e.field,
		    e.reason != NULL ? e.reason : sk_strerror(rc));
		return 1;
	}
	c->v->licence = lic;
	if ((rc = sk_trust_check_at(c->o->trust, c->signer, lic->iat)) != 0) {
		if (rc == SK_ERR_NOMEM)
			return rc;
		sk_fail(c->v, SK_REASON_ISSUER_CERT, rc,
		    "issuer certificate not valid at iat: %s",
		    sk_strerror(rc));
	}
	if (sk_cert_subject_uscc(c->signer, uscc) != 0 ||
	    strcmp(uscc, lic->issuer_code) != 0)
		sk_fail(c->v, SK_REASON_ISSUER_MISMATCH, SK_ERR_CERT,
		    "iss %s is not the certificate's USCC", lic->issuer_code);
	sk_v_times(c->v, c->o->at, lic->iat, lic->has_nbf, lic->nbf,
	    lic->has_exp, lic->exp);
	sk_v_dates(c->v, lic, c->o->at);
	sk_v_status(c, lic);
	return 0;
}

static int
sk_v_cwt_time(const struct sk_cbor_item *map, int64_t key, int *has,
    int64_t *t)
{
	const struct sk_cbor_item *it;

	*has = 0;
	*t = 0;
	if ((it = sk_cbor_map_int(map, key)) == NULL)
		return 0;
	if (it->type == SK_CBOR_FLOAT) {
		/* RFC 8392 2: NumericDate may be a float; whole seconds. */
		if (!(it->f >= -9.2e18 && it->f <= 9.2e18))
			return SK_ERR_TYPE;
		*t = (int64_t)it->f;
	} else if (sk_cbor_int(it, t) != 0)
		return SK_ERR_TYPE;
	*has = 1;
	return 0;
}

static int
sk_cert_valid_at(const struct sk_cert *cert, int64_t at)
{
	X509 *x = sk_cert_x509(cert);
	int a, b;

	a = ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), (time_t)at);
	b = ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), (time_t)at);
	return a != -2 && b != -2 && a <= 0 && b >= 0;
}

/* Stage 4, generic mode: a CWT-like map; times checked when present. */
static int
sk_v_generic(struct sk_vctx *c)
{
	const struct sk_cbor_item *root;
	struct sk_cbor_doc *doc;
	int64_t iat, nbf, exp;
	int hi, hn, he, rc;

	if ((c->v->payload = malloc(c->paylen > 0 ? c->paylen : 1)) == NULL)
		return SK_ERR_NOMEM;
	if (c->paylen > 0)
		memcpy(c->v->payload, c->payload, c->paylen);
	c->v->paylen = c->paylen;
	if ((rc = sk_cbor_decode(c->payload, c->paylen, NULL, &doc)) != 0 ||
	    (root = sk_cbor_root(doc))->type != SK_CBOR_MAP ||
	    (rc = sk_v_cwt_time(root, SK_CWT_IAT, &hi, &iat)) != 0 ||
	    (rc = sk_v_cwt_time(root, SK_CWT_NBF, &hn, &nbf)) != 0 ||
	    (rc = sk_v_cwt_time(root, SK_CWT_EXP, &he, &exp)) != 0) {
		if (rc == 0)
			rc = SK_ERR_TYPE;
		sk_cbor_free(doc);
		if (rc == SK_ERR_NOMEM)
			return rc;
		sk_malformed(c->v, SK_STAGE_CLAIMS, rc);
		return 1;
	}
	sk_cbor_free(doc);
	if (!sk_cert_valid_at(c->signer, hi ? iat : c->o->at))
		sk_fail(c->v, SK_REASON_ISSUER_CERT, SK_ERR_EXPIRED,
		    "signer certificate not valid at %s",
		    hi ? "iat" : "the verification time");
	sk_v_times(c->v, c->o->at, hi ? iat : INT64_MIN, hn, nbf, he, exp);
	return 0;
}

static int
sk_v_opts_ok(const struct sk_verify_opts *o)
{
	if (o == NULL)
		return 0;
	if (o->flags & ~SK_VERIFY_GENERIC)
		return 0;
	if (o->flags & SK_VERIFY_GENERIC)
		return o->cert != NULL;
	return o->trust != NULL;
}

static int
sk_v_run(struct sk_vctx *c, int kind, const uint8_t *in, size_t len)
{
	int rc;

	if ((rc = sk_v_input(c, kind, in, len)) != 0 ||
	    (rc = sk_v_cose(c)) != 0 ||
	    (rc = sk_v_signature(c)) != 0)
		return rc;
	/* Only now may the payload be read. */
	if ((rc = sk_v_subject(c)) != 0)
		return rc;
	if (c->o->flags & SK_VERIFY_GENERIC)
		return sk_v_generic(c);
	return sk_v_licence(c);
}

int
sk_verify_credential(int kind, const uint8_t *in, size_t len,
    const struct sk_verify_opts *opts, struct sk_verdict *v)
{
	struct sk_vctx c;
	int rc;

	if (v == NULL)
		return SK_ERR_ARG;
	memset(v, 0, sizeof(*v));
	if (!sk_v_opts_ok(opts) || (in == NULL && len > 0)) {
		v->err = SK_ERR_ARG;
		return SK_ERR_ARG;
	}
	memset(&c, 0, sizeof(c));
	c.o = opts;
	c.v = v;
	sk_buf_init(&c.cose, SK_COSE_MAX_BYTES);
	rc = sk_v_run(&c, kind, in, len);
	sk_cose_sign1_free(c.msg);
	sk_buf_free(&c.cose);
	if (rc < 0) {
		sk_verdict_free(v);
		v->err = rc;
		return rc;
	}
	v->valid = v->reasons == 0;
	return 0;
}
