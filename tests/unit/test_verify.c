/*
 * test_verify.c: the QR text container and every verdict reason of
 * sk_verify_credential() (include/sealkit/verify.h), on credentials
 * crafted here and signed with keys and certificates made at test time by
 * the openssl command line tool (as in test_trust.c).  Expected dates are
 * computed by hand from the calendar, not by the code under test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZLIB_CONST
#include <zlib.h>

#include "sealkit/base45.h"
#include "sealkit/cbor.h"
#include "sealkit/compress.h"
#include "sealkit/cose.h"
#include "sealkit/ident.h"
#include "sealkit/licence.h"
#include "sealkit/qr.h"
#include "sealkit/verify.h"
#include "skpki.h"
#include "sktest.h"


#define NOW	INT64_C(1893456000)	/* 2030-01-01T00:00:00Z */
#define DAY	INT64_C(86400)
#define IAT	(NOW - DAY)
#define NEXT	(NOW + 7 * DAY)
#define USCC_A	"11990100000000019F"

/* The shared test PKI (tests/lib/skpki.h). */
#define pki(name)		skt_pki(name)
#define sh(cmd)			skt_pki_sh(cmd)
#define cert(name)		skt_pki_cert(name)
#define signer(key, crt)	skt_pki_signer(key, crt)

#define USCC_B	"11990100000000027A"
#define TYPE	"11990000000000107Q001"
#define URI	"https://certd.example/v1/status/1"
#define IDX	4242u

static struct sk_trust *trust;

static const char licence_json[] =
    "{\"name\":\"营业执照\",\"type_code\":\"" TYPE "\","
    "\"number\":\"91990100MA000004XB\",\"identifier\":"
    "\"1.2.156.3005.2." TYPE "." USCC_A ".2024000123.001.L\","
    "\"issuer_name\":\"示例市市场监督管理局\",\"issuer_code\":\"" USCC_A "\","
    "\"issue_date\":\"2024-03-15\",\"holder_name\":\"示例科技有限公司\","
    "\"holder_code\":\"91990100MA000004XB\",\"holder_type\":\"001\","
    "\"valid_from\":\"2019-06-18\",\"items\":[{\"key\":\"法定代表人\","
    "\"value\":\"李明\"}],\"iat\":1772409600}";

/* Knobs for one crafted licence; zero is the default. */
struct spec {
	const char	*uscc;		/* issuer_code; NULL: USCC_A */
	int64_t		 iat;		/* 0: NOW - DAY */
	int		 has_nbf, has_exp, has_status;
	int64_t		 nbf, exp;
	const char	*valid_from, *valid_until;
};

static void
set(char **field, const char *v)
{
	free(*field);
	*field = v == NULL ? NULL : strdup(v);
}

static struct sk_licence *
licence(const struct spec *sp)
{
	struct sk_licence *lic = NULL;
	const char *why, *uscc = sp->uscc ? sp->uscc : USCC_A;
	struct sk_buf id;

	if (sk_licence_from_json(licence_json, sizeof(licence_json) - 1,
	    &lic, NULL) != 0)
		exit(1);
	sk_buf_init(&id, SK_IDENT_MAX + 1);
	if (sk_ident_make(TYPE, uscc, "2024000123", 1, &id, &why) != 0 ||
	    sk_buf_putc(&id, 0) != 0)
		exit(1);
	set(&lic->identifier, (char *)id.data);
	sk_buf_free(&id);
	set(&lic->issuer_code, uscc);
	lic->iat = sp->iat != 0 ? sp->iat : NOW - DAY;
	lic->has_nbf = sp->has_nbf;
	lic->nbf = sp->nbf;
	lic->has_exp = sp->has_exp;
	lic->exp = sp->exp;
	if (sp->valid_from != NULL)
		set(&lic->valid_from, sp->valid_from);
	set(&lic->valid_until, sp->valid_until);
	if (sp->has_status) {
		lic->has_status = 1;
		lic->status_idx = IDX;
		set(&lic->status_uri, URI);
	}
	return lic;
}

/* COSE_Sign1 over a payload, signed by name's key with its kid. */
static void
sign(const char *name, const uint8_t *p, size_t len, unsigned flags,
    struct sk_buf *cose)
{
	struct sk_signer *s = signer(name, name);

	sk_buf_init(cose, SK_COSE_MAX_BYTES);
	if (sk_cose_sign1_sign(s, p, len, NULL, 0, flags, cose) != 0)
		exit(1);
	sk_signer_free(s);
}

static void
credential(const char *name, const struct spec *sp, struct sk_buf *cose)
{
	struct sk_licence *lic = licence(sp);
	struct sk_buf claims;

	sk_buf_init(&claims, SK_LICENCE_MAX_CLAIMS);
	if (sk_licence_encode_claims(lic, &claims) != 0)
		exit(1);
	sign(name, claims.data, claims.len, 0, cose);
	sk_buf_free(&claims);
	sk_licence_free(lic);
}

static void
qrtext(const struct sk_buf *cose, struct sk_buf *text)
{
	sk_buf_init(text, SK_QRTEXT_MAX);
	if (sk_qrtext_encode(SK_QRTEXT_PREFIX, cose->data, cose->len,
	    text) != 0)
		exit(1);
}

/* Status stub: answers from ctx, checks what it is asked. */
struct stub {
	int		rc;
	unsigned	status;
	int		calls;
};

static int
stub_lookup(void *ctx, const char *uri, uint64_t idx, int64_t at,
    unsigned *status)
{
	struct stub *st = ctx;

	st->calls++;
	SKT_CHECK(strcmp(uri, URI) == 0);
	SKT_EQ(idx, IDX);
	SKT_EQ(at, NOW);
	*status = st->status;
	return st->rc;
}

static unsigned
run(int kind, const uint8_t *in, size_t len, const struct sk_status_source
    *status, int64_t at, struct sk_verdict *v)
{
	struct sk_verify_opts o;

	memset(&o, 0, sizeof(o));
	o.trust = trust;
	o.status = status;
	o.at = at;
	SKT_RC(sk_verify_credential(kind, in, len, &o, v), 0);
	SKT_EQ(v->valid, v->reasons == 0);
	return v->reasons;
}

/* Verify a licence credential made by name from sp; the reasons. */
static unsigned
verdict_of(const char *name, const struct spec *sp,
    const struct sk_status_source *status, int64_t at)
{
	struct sk_verdict v;
	struct sk_buf cose, text;
	unsigned r;

	credential(name, sp, &cose);
	qrtext(&cose, &text);
	r = run(SK_INPUT_QRTEXT, text.data, text.len, status, at, &v);
	sk_verdict_free(&v);
	sk_buf_free(&cose);
	sk_buf_free(&text);
	return r;
}

static void
test_valid_algs(void)
{
	static const struct {
		const char *name, *uscc, *cn;
		int alg;
	} t[] = {
		{ "iss-ec", USCC_A, "CN=iss-ec", SK_ALG_ES256 },
		{ "iss-sm2", USCC_B, "CN=iss-sm2", SK_ALG_SM2_SM3 },
		{ "iss-ed", USCC_A, "CN=iss-ed", SK_ALG_EDDSA },
	};
	struct spec sp;
	struct sk_verdict v;
	struct sk_buf cose, text;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&sp, 0, sizeof(sp));
		sp.uscc = t[i].uscc;
		credential(t[i].name, &sp, &cose);
		qrtext(&cose, &text);
		SKT_CHECK(memcmp(text.data, "LC1:", 4) == 0);
		SKT_EQ(run(SK_INPUT_QRTEXT, text.data, text.len, NULL, NOW,
		    &v), 0);
		SKT_EQ(v.valid, 1);
		SKT_EQ(v.alg, t[i].alg);
		SKT_EQ(v.kidlen, SK_KID_LEN);
		SKT_CHECK(v.licence != NULL &&
		    strcmp(v.licence->issuer_code, t[i].uscc) == 0);
		SKT_CHECK(v.issuer_subject != NULL &&
		    strstr(v.issuer_subject, t[i].cn) != NULL);
		SKT_EQ(v.status_not_checked, 0);
		sk_verdict_free(&v);
		SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v),
		    0);
		sk_verdict_free(&v);
		sk_buf_free(&cose);
		sk_buf_free(&text);
	}
}

static void
test_png(void)
{
	struct spec sp = { 0 };
	struct sk_verdict v;
	struct sk_buf cose, text, png;
	struct sk_qr *qr = NULL;

	credential("iss-ec", &sp, &cose);
	qrtext(&cose, &text);
	sk_buf_init(&png, SK_QR_PNG_MAX_BYTES);
	SKT_RC(sk_qr_encode((char *)text.data, text.len, SK_QR_ECC_M, &qr), 0);
	SKT_RC(sk_qr_write_png(qr, 4, 4, &png), 0);
	SKT_EQ(run(SK_INPUT_PNG, png.data, png.len, NULL, NOW, &v), 0);
	sk_verdict_free(&v);
	SKT_EQ(run(SK_INPUT_PNG, cose.data, cose.len, NULL, NOW, &v),
	    SK_REASON_MALFORMED);
	SKT_EQ(v.stage, SK_STAGE_IMAGE);
	sk_verdict_free(&v);
	sk_qr_free(qr);
	sk_buf_free(&png);
	sk_buf_free(&cose);
	sk_buf_free(&text);
}

/* A QR text from arbitrary bytes: prefix + base45(zlib(bytes)). */
static void
wrap(const char *prefix, const uint8_t *p, size_t len, struct sk_buf *t)
{
	sk_buf_init(t, SK_QRTEXT_MAX);
	if (sk_qrtext_encode(prefix, p, len, t) != 0)
		exit(1);
}

static void
expect_malformed(const uint8_t *in, size_t len, enum sk_stage stage)
{
	struct sk_verdict v;

	SKT_EQ(run(SK_INPUT_QRTEXT, in, len, NULL, NOW, &v),
	    SK_REASON_MALFORMED);
	SKT_EQ(v.stage, stage);
	SKT_CHECK(v.licence == NULL && v.err < 0 && v.detail[0] != '\0');
	sk_verdict_free(&v);
}

static void
test_malformed(void)
{
	static const uint8_t notcose[] = { 0x82, 0x01, 0x02 };
	static const uint8_t notlic[] = { 0xa1, 0x01, 0x61, 0x78 };
	struct spec sp = { 0 };
	struct sk_verdict v;
	struct sk_buf cose, text, t2, b;
	uint8_t tmp[16];

	credential("iss-ec", &sp, &cose);
	qrtext(&cose, &text);
	/* prefix */
	memcpy(tmp, text.data, 4);
	text.data[2] = '2';
	expect_malformed(text.data, text.len, SK_STAGE_PREFIX);
	text.data[0] = 'l';
	text.data[2] = '1';
	expect_malformed(text.data, text.len, SK_STAGE_PREFIX);
	memcpy(text.data, tmp, 4);
	expect_malformed(text.data + 1, text.len - 1, SK_STAGE_PREFIX);
	expect_malformed((const uint8_t *)"", 0, SK_STAGE_PREFIX);
	/* one line end is fine, two are not */
	sk_buf_init(&t2, SK_QRTEXT_MAX + 4);
	SKT_RC(sk_buf_append(&t2, text.data, text.len), 0);
	SKT_RC(sk_buf_append(&t2, "\r\n", 2), 0);
	SKT_EQ(run(SK_INPUT_QRTEXT, t2.data, t2.len, NULL, NOW, &v), 0);
	sk_verdict_free(&v);
	SKT_RC(sk_buf_append(&t2, "\n", 1), 0);
	expect_malformed(t2.data, t2.len, SK_STAGE_BASE45);
	sk_buf_free(&t2);
	/* base45: lower case, bad length */
	text.data[10] = 'a';
	expect_malformed(text.data, text.len, SK_STAGE_BASE45);
	memcpy(text.data, tmp, 4);
	sk_buf_free(&text);
	qrtext(&cose, &text);
	expect_malformed(text.data, text.len - 1, SK_STAGE_BASE45);
	sk_buf_free(&text);
	/* zlib: not zlib; a bomb; a valid but non-canonical stream */
	sk_buf_init(&b, SK_QRTEXT_MAX);
	SKT_RC(sk_buf_append(&b, "LC1:", 4), 0);
	SKT_RC(sk_base45_encode(notcose, sizeof(notcose), &b), 0);
	expect_malformed(b.data, b.len, SK_STAGE_ZLIB);
	sk_buf_free(&b);
	/* 128 KiB of zeros: past the 64 KiB cap. */
	{
		uint8_t *zeros = calloc(1, 128 * 1024), zb[1024];
		uLongf n = sizeof(zb);

		SKT_CHECK(zeros != NULL && compress2(zb, &n, zeros,
		    128 * 1024, 9) == Z_OK);
		sk_buf_init(&b, SK_QRTEXT_MAX);
		SKT_RC(sk_buf_append(&b, "LC1:", 4), 0);
		SKT_RC(sk_base45_encode(zb, n, &b), 0);
		expect_malformed(b.data, b.len, SK_STAGE_ZLIB);
		sk_buf_free(&b);
		free(zeros);
	}
	{
		uint8_t zb[SK_COSE_MAX_BYTES];
		uLongf n = sizeof(zb);

		/* zlib's default level writes 78 9C: valid, not canonical. */
		SKT_CHECK(compress2(zb, &n, cose.data, cose.len, 6) == Z_OK);
		SKT_EQ(zb[1], 0x9c);
		sk_buf_init(&b, SK_QRTEXT_MAX);
		SKT_RC(sk_buf_append(&b, "LC1:", 4), 0);
		SKT_RC(sk_base45_encode(zb, n, &b), 0);
		expect_malformed(b.data, b.len, SK_STAGE_ZLIB);
		sk_buf_free(&b);
		wrap("LC1:", cose.data, cose.len, &b);
		SKT_EQ(run(SK_INPUT_QRTEXT, b.data, b.len, NULL, NOW, &v), 0);
		sk_verdict_free(&v);
		sk_buf_free(&b);
	}
	/* not COSE; untagged COSE; claims that are no licence */
	wrap("LC1:", notcose, sizeof(notcose), &b);
	expect_malformed(b.data, b.len, SK_STAGE_COSE);
	sk_buf_free(&b);
	sk_buf_free(&cose);
	{
		struct spec s0 = { 0 };
		struct sk_licence *lic = licence(&s0);
		struct sk_buf claims;

		sk_buf_init(&claims, SK_LICENCE_MAX_CLAIMS);
		SKT_RC(sk_licence_encode_claims(lic, &claims), 0);
		sign("iss-ec", claims.data, claims.len, SK_COSE_UNTAGGED,
		    &cose);
		wrap("LC1:", cose.data, cose.len, &b);
		expect_malformed(b.data, b.len, SK_STAGE_COSE);
		sk_buf_free(&b);
		sk_buf_free(&cose);
		sk_buf_free(&claims);
		sk_licence_free(lic);
	}
	sign("iss-ec", notlic, sizeof(notlic), 0, &cose);
	wrap("LC1:", cose.data, cose.len, &b);
	expect_malformed(b.data, b.len, SK_STAGE_CLAIMS);
	sk_buf_free(&b);
	sk_buf_free(&cose);
}

static uint8_t *
find(uint8_t *p, size_t len, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, s, n) == 0)
			return p + i;
	return NULL;
}

static void
test_kid_and_signature(void)
{
	struct spec sp = { 0 };
	struct sk_verdict v;
	struct sk_buf cose;
	size_t i;
	uint8_t *p;

	/* A signer from another hierarchy: kid unknown. */
	SKT_EQ(verdict_of("iss-foreign", &sp, NULL, NOW),
	    SK_REASON_UNKNOWN_KID);
	credential("iss-ec", &sp, &cose);
	/* Last byte of the signature. */
	cose.data[cose.len - 1] ^= 0x01;
	SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v),
	    SK_REASON_BAD_SIGNATURE);
	SKT_CHECK(v.licence == NULL && v.err == SK_ERR_SIGNATURE);
	sk_verdict_free(&v);
	cose.data[cose.len - 1] ^= 0x01;
	/* A letter of the licence text in the payload. */
	p = find(cose.data, cose.len, "MA000004XB", 10);
	SKT_CHECK(p != NULL);
	if (p != NULL) {
		p[0] = 'N';
		SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v),
		    SK_REASON_BAD_SIGNATURE);
		SKT_CHECK(v.licence == NULL);
		sk_verdict_free(&v);
		p[0] = 'M';
	}
	/* Protected header a1.. {1: -7 (0x26), 4: kid}: alg -7 to -8. */
	p = find(cose.data, cose.len, "\x01\x26\x04\x48", 4);
	SKT_CHECK(p != NULL);
	if (p != NULL) {
		p[1] = 0x27;
		SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v),
		    SK_REASON_BAD_SIGNATURE);
		sk_verdict_free(&v);
		p[1] = 0x26;
		p[4] ^= 0x01;	/* the kid */
		SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v),
		    SK_REASON_UNKNOWN_KID);
		sk_verdict_free(&v);
		p[4] ^= 0x01;
	}
	SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, NULL, NOW, &v), 0);
	sk_verdict_free(&v);
	for (i = 0; i < cose.len; i++) {
		static const uint8_t x[] = { 0x01, 0x80, 0xff };
		size_t j;

		for (j = 0; j < sizeof(x); j++) {
			cose.data[i] ^= x[j];
			(void)run(SK_INPUT_COSE, cose.data, cose.len, NULL,
			    NOW, &v);
			if (v.valid)
				skt_fail(__FILE__, __LINE__,
				    "COSE byte %zu ^ %02x verifies", i, x[j]);
			sk_verdict_free(&v);
			cose.data[i] ^= x[j];
		}
	}
	sk_buf_free(&cose);
}

/* Every single-character change of a whole QR text fails closed. */
static void
test_qrtext_every_char(void)
{
	static const char alpha[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    " $%*+-./:a\n";
	struct spec sp = { 0 };
	struct sk_verdict v;
	struct sk_buf cose, text;
	size_t i, j, tried = 0;
	uint8_t c;

	sp.uscc = USCC_B;
	credential("iss-sm2", &sp, &cose);
	qrtext(&cose, &text);
	for (i = 0; i < text.len; i++) {
		c = text.data[i];
		for (j = 0; j < sizeof(alpha) - 1; j++) {
			if ((uint8_t)alpha[j] == c)
				continue;
			text.data[i] = (uint8_t)alpha[j];
			(void)run(SK_INPUT_QRTEXT, text.data, text.len, NULL,
			    NOW, &v);
			tried++;
			if (v.valid)
				skt_fail(__FILE__, __LINE__,
				    "char %zu -> '%c' verifies", i, alpha[j]);
			sk_verdict_free(&v);
		}
		text.data[i] = c;
	}
	SKT_CHECK(tried > 40 * text.len);
	SKT_EQ(run(SK_INPUT_QRTEXT, text.data, text.len, NULL, NOW, &v), 0);
	sk_verdict_free(&v);
	sk_buf_free(&cose);
	sk_buf_free(&text);
}

/*
 * zlib ignores the padding bits after the final deflate block; LC1 text
 * must have them zero, so setting one is caught (a lenient prefix shows
 * that the stream is otherwise fine).
 */
static void
test_zlib_padding(void)
{
	struct sk_verify_opts o;
	struct sk_verdict v;
	struct sk_buf cose, z, t;
	struct spec sp = { 0 };
	unsigned bit;
	int found = 0, k;

	for (k = 0; k < 16 && !found; k++) {
		sp.iat = NOW - DAY - k;
		credential("iss-ec", &sp, &cose);
		sk_buf_init(&z, SK_QRTEXT_MAX);
		SKT_RC(sk_zlib_deflate(cose.data, cose.len, &z), 0);
		for (bit = 0x80; bit != 0 && !found; bit >>= 1) {
			/* The last deflate byte is before the Adler-32. */
			if (z.data[z.len - 5] & bit)
				break;
			z.data[z.len - 5] |= (uint8_t)bit;
			sk_buf_init(&t, SK_QRTEXT_MAX);
			SKT_RC(sk_buf_append(&t, "XX1:", 4), 0);
			SKT_RC(sk_base45_encode(z.data, z.len, &t), 0);
			memset(&o, 0, sizeof(o));
			o.prefix = "XX1:";
			o.trust = trust;
			o.at = NOW;
			SKT_RC(sk_verify_credential(SK_INPUT_QRTEXT, t.data,
			    t.len, &o, &v), 0);
			if (v.valid) {
				found = 1;
				memcpy(t.data, "LC1:", 4);
				expect_malformed(t.data, t.len, SK_STAGE_ZLIB);
			}
			sk_verdict_free(&v);
			sk_buf_free(&t);
			z.data[z.len - 5] &= (uint8_t)~bit;
		}
		sk_buf_free(&z);
		sk_buf_free(&cose);
	}
	SKT_CHECK(found);
}

static void
test_issuer_cert(void)
{
	struct spec sp = { 0 };

	/* iss-old is valid 2010-01-01 .. 2015-12-31 (UTC). */
	SKT_EQ(verdict_of("iss-old", &sp, NULL, NOW), SK_REASON_ISSUER_CERT);
	/* Issued while valid: still verifiable in 2030. */
	sp.iat = INT64_C(1420070400);		/* 2015-01-01 */
	SKT_EQ(verdict_of("iss-old", &sp, NULL, NOW), 0);
	sp.iat = INT64_C(1451606400);		/* 2016-01-01 */
	SKT_EQ(verdict_of("iss-old", &sp, NULL, NOW), SK_REASON_ISSUER_CERT);
	/* iss claim of another authority than the certificate's USCC. */
	memset(&sp, 0, sizeof(sp));
	sp.uscc = USCC_B;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW),
	    SK_REASON_ISSUER_MISMATCH);
}

static void
test_times(void)
{
	/* 2030-01-02 00:00 CST = 2030-01-01T16:00:00Z = 1893513600. */
	const int64_t cst_0102 = INT64_C(1893513600);
	/* 2030-01-01 00:00 CST = 2029-12-31T16:00:00Z. */
	const int64_t cst_0101 = INT64_C(1893427200);
	struct spec sp = { 0 };

	sp.has_nbf = 1;
	sp.nbf = NOW + 1;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW), SK_REASON_NOT_YET_VALID);
	sp.nbf = NOW;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW), 0);
	memset(&sp, 0, sizeof(sp));
	sp.iat = NOW + 10;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW), SK_REASON_NOT_YET_VALID);
	memset(&sp, 0, sizeof(sp));
	sp.has_exp = 1;
	sp.exp = NOW;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW), SK_REASON_EXPIRED);
	sp.exp = NOW + 1;
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, NOW), 0);
	/* Licence dates are CST calendar days, valid_until inclusive. */
	memset(&sp, 0, sizeof(sp));
	sp.iat = NOW - 30 * DAY;
	sp.valid_from = "2030-01-02";
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, cst_0102 - 1),
	    SK_REASON_NOT_YET_VALID);
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, cst_0102), 0);
	sp.valid_from = "2019-01-01";
	sp.valid_until = "2029-12-31";
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, cst_0101 - 1), 0);
	SKT_EQ(verdict_of("iss-ec", &sp, NULL, cst_0101), SK_REASON_EXPIRED);
}

static void
test_status(void)
{
	struct stub st = { 0, 0, 0 };
	struct sk_status_source src = { stub_lookup, &st };
	struct spec sp = { 0 };
	struct sk_verdict v;
	struct sk_buf cose, text;

	sp.has_status = 1;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW), 0);
	SKT_EQ(st.calls, 1);
	st.status = SK_STATUS_INVALID;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW), SK_REASON_REVOKED);
	st.status = SK_STATUS_SUSPENDED;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW), SK_REASON_SUSPENDED);
	st.status = 3;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW),
	    SK_REASON_STATUS_UNKNOWN);
	st.status = 0;
	st.rc = SK_ERR_NOTFOUND;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW),
	    SK_REASON_STATUS_UNKNOWN);
	st.rc = SK_ERR_EXPIRED;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW),
	    SK_REASON_STATUS_UNKNOWN | SK_REASON_STATUS_LIST_INVALID);
	/* All reasons are collected: expired and revoked. */
	st.rc = 0;
	st.status = SK_STATUS_INVALID;
	sp.has_exp = 1;
	sp.exp = NOW - 1;
	SKT_EQ(verdict_of("iss-ec", &sp, &src, NOW),
	    SK_REASON_EXPIRED | SK_REASON_REVOKED);
	/* No source: valid, but flagged as not checked. */
	sp.has_exp = 0;
	credential("iss-ec", &sp, &cose);
	qrtext(&cose, &text);
	SKT_EQ(run(SK_INPUT_QRTEXT, text.data, text.len, NULL, NOW, &v), 0);
	SKT_EQ(v.status_not_checked, 1);
	sk_verdict_free(&v);
	/* The status source is never asked before the signature verified. */
	st.calls = 0;
	cose.data[cose.len - 1] ^= 0x01;
	SKT_EQ(run(SK_INPUT_COSE, cose.data, cose.len, &src, NOW, &v),
	    SK_REASON_BAD_SIGNATURE);
	SKT_EQ(st.calls, 0);
	sk_verdict_free(&v);
	sk_buf_free(&cose);
	sk_buf_free(&text);
}

static void
test_generic(void)
{
	/* {1: "x", 4: exp, 6: iat}, a CWT of some other scheme. */
	uint8_t claims[32];
	struct sk_buf cw, cose, text;
	struct sk_verify_opts o;
	struct sk_verdict v;
	struct sk_cert *c = cert("iss-ed"), *other = cert("iss-ec");

	sk_buf_init(&cw, sizeof(claims));
	SKT_RC(sk_cbor_put_map(&cw, 3), 0);
	SKT_RC(sk_cbor_put_uint(&cw, 1), 0);
	SKT_RC(sk_cbor_put_cstr(&cw, "x"), 0);
	SKT_RC(sk_cbor_put_uint(&cw, 4), 0);
	SKT_RC(sk_cbor_put_int(&cw, NOW + DAY), 0);
	SKT_RC(sk_cbor_put_uint(&cw, 6), 0);
	SKT_RC(sk_cbor_put_int(&cw, NOW - DAY), 0);
	sign("iss-ed", cw.data, cw.len, SK_COSE_UNTAGGED, &cose);
	wrap("HC1:", cose.data, cose.len, &text);
	memset(&o, 0, sizeof(o));
	o.prefix = "HC1:";
	o.cert = c;
	o.at = NOW;
	o.flags = SK_VERIFY_GENERIC;
	SKT_RC(sk_verify_credential(SK_INPUT_QRTEXT, text.data, text.len, &o,
	    &v), 0);
	SKT_EQ(v.valid, 1);
	SKT_MEMEQ(v.payload, v.paylen, cw.data, cw.len);
	SKT_CHECK(v.licence == NULL);
	sk_verdict_free(&v);
	o.at = NOW + DAY;
	SKT_RC(sk_verify_credential(SK_INPUT_QRTEXT, text.data, text.len, &o,
	    &v), 0);
	SKT_EQ(v.reasons, SK_REASON_EXPIRED);
	sk_verdict_free(&v);
	o.at = NOW;
	o.cert = other;
	SKT_RC(sk_verify_credential(SK_INPUT_QRTEXT, text.data, text.len, &o,
	    &v), 0);
	SKT_EQ(v.reasons, SK_REASON_BAD_SIGNATURE);
	SKT_CHECK(v.payload == NULL);
	sk_verdict_free(&v);
	/* Bad options are errors, never verdicts. */
	o.cert = NULL;
	SKT_RC(sk_verify_credential(SK_INPUT_QRTEXT, text.data, text.len, &o,
	    &v), SK_ERR_ARG);
	SKT_EQ(v.valid, 0);
	sk_buf_free(&cw);
	sk_buf_free(&cose);
	sk_buf_free(&text);
	sk_cert_free(c);
	sk_cert_free(other);
}

static void
test_names(void)
{
	static const char *const want[] = { "malformed", "unknown_kid",
	    "bad_signature", "issuer_cert", "issuer_mismatch",
	    "not_yet_valid", "expired", "revoked", "suspended",
	    "status_unknown", "status_list_invalid" };
	unsigned i;

	for (i = 0; i < SK_REASON_COUNT; i++)
		SKT_CHECK(strcmp(sk_reason_name(1u << i), want[i]) == 0);
	SKT_CHECK(sk_reason_name(0) == NULL);
	SKT_CHECK(sk_reason_name(3) == NULL);
	SKT_CHECK(strcmp(sk_stage_name(SK_STAGE_ZLIB), "zlib") == 0);
	SKT_CHECK(strcmp(sk_stage_name(SK_STAGE_CLAIMS), "claims") == 0);
	sk_verdict_free(NULL);
}

static void
setup_trust(void)
{
	static const char *const names[] = { "iss-ec", "iss-sm2", "iss-ed",
	    "iss-old" };
	const struct sk_cert *cs[4];
	struct sk_cert *own[4];
	struct sk_signer *s = signer("anchor-ec", "anchor-ec");
	struct sk_buf l;
	size_t i;

	for (i = 0; i < 4; i++)
		cs[i] = own[i] = cert(names[i]);
	sk_buf_init(&l, SK_TRUST_MAX_BYTES);
	if (sk_trust_new_file(pki("anchors.pem"), &trust) != 0 ||
	    sk_trustlist_build(s, cs, 4, NOW - DAY, NOW + 365 * DAY, &l) != 0 ||
	    sk_trust_load_list(trust, l.data, l.len, NOW) != 0)
		exit(1);
	for (i = 0; i < 4; i++)
		sk_cert_free(own[i]);
	sk_signer_free(s);
	sk_buf_free(&l);
}

int
main(void)
{
	skt_pki_make("verify");
	setup_trust();
	SKT_RUN(test_names);
	SKT_RUN(test_valid_algs);
	SKT_RUN(test_png);
	SKT_RUN(test_malformed);
	SKT_RUN(test_kid_and_signature);
	SKT_RUN(test_qrtext_every_char);
	SKT_RUN(test_zlib_padding);
	SKT_RUN(test_issuer_cert);
	SKT_RUN(test_times);
	SKT_RUN(test_status);
	SKT_RUN(test_generic);
	sk_trust_free(trust);
	skt_pki_cleanup();
	return skt_done();
}
