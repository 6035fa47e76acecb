/*
 * COSE_Sign1 sign, parse and verify (sealkit/cose.h, api/FORMATS.md
 * section 2): round trips per algorithm with the exact header bytes,
 * tampering, and every profile rule (RFC 9052 sections 3, 4.2, 4.4).
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sktest.h"

#define PAYLOAD	"This is the content."
#define PLEN	(sizeof(PAYLOAD) - 1)

struct ctx {
	struct sk_signer	*s;
	struct sk_key		*pub;
};

static void
ctx_new(struct ctx *c, int alg)
{
	struct sk_key *key;
	struct sk_buf pem;

	memset(c, 0, sizeof(*c));
	sk_buf_init(&pem, 4096);
	if (sk_key_generate(alg, &key) != 0 ||
	    sk_key_write_public_pem(key, &pem) != 0 ||
	    sk_pubkey_load_mem(pem.data, pem.len, &c->pub) != 0 ||
	    sk_signer_from_key(key, alg, NULL, &c->s) != 0) {
		fprintf(stderr, "cannot make a key for alg %d\n", alg);
		exit(1);
	}
	sk_buf_free(&pem);
}

static void
ctx_free(struct ctx *c)
{
	sk_signer_free(c->s);
	sk_key_free(c->pub);
}

static uint8_t *
unhex(const char *hex, size_t *len)
{
	uint8_t *p = skt_unhex(hex, len);

	if (p == NULL) {
		fprintf(stderr, "bad hex %s\n", hex);
		exit(1);
	}
	return p;
}

/*
 * Hand-build [prot, unprot, payload / nil, signature] (tag 0: untagged),
 * the signature made by c->s over the Sig_structure with aad "".
 */
static void
build(const struct ctx *c, uint64_t tag, const char *prot_hex,
    const char *unprot_hex, int detached, struct sk_buf *out)
{
	struct sk_buf tbs, sig;
	uint8_t *prot, *unprot;
	size_t protlen, unprotlen;
	int rc;

	prot = unhex(prot_hex, &protlen);
	unprot = unhex(unprot_hex, &unprotlen);
	sk_buf_init(&tbs, 4096);
	sk_buf_init(&sig, SK_SIG_MAX);
	rc = sk_cose_sig_structure(prot, protlen, NULL, 0,
	    (const uint8_t *)PAYLOAD, PLEN, &tbs);
	if (rc == 0)
		rc = sk_signer_sign(c->s, tbs.data, tbs.len, &sig);
	if (rc == 0 && tag != 0)
		rc = sk_cbor_put_tag(out, tag);
	if (rc == 0)
		rc = sk_cbor_put_array(out, 4);
	if (rc == 0)
		rc = sk_cbor_put_bstr(out, prot, protlen);
	if (rc == 0)
		rc = sk_buf_append(out, unprot, unprotlen);
	if (rc == 0)
		rc = detached ? sk_cbor_put_null(out) :
		    sk_cbor_put_bstr(out, PAYLOAD, PLEN);
	if (rc == 0)
		rc = sk_cbor_put_bstr(out, sig.data, sig.len);
	SKT_RC(rc, 0);
	sk_buf_free(&tbs);
	sk_buf_free(&sig);
	free(prot);
	free(unprot);
}

/* Parse with flags, then verify with key and aad: the first error. */
static int
check(const uint8_t *in, size_t len, unsigned flags, const struct sk_key *key,
    const char *aad)
{
	struct sk_cose_sign1 *msg;
	int rc;

	if ((rc = sk_cose_sign1_parse(in, len, flags, &msg)) != 0) {
		SKT_CHECK(msg == NULL);
		return rc;
	}
	rc = sk_cose_sign1_verify(msg, key, (const uint8_t *)aad,
	    aad == NULL ? 0 : strlen(aad), NULL, 0);
	sk_cose_sign1_free(msg);
	return rc;
}

static int
check_built(const struct ctx *c, uint64_t tag, const char *prot,
    const char *unprot)
{
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	build(c, tag, prot, unprot, 0, &b);
	rc = check(b.data, b.len, 0, c->pub, NULL);
	sk_buf_free(&b);
	return rc;
}

/* Round trip per algorithm, with the exact bytes of the header. */
static void
test_round_trip(void)
{
	static const struct {
		int		 alg;
		const char	*prot;	/* {1: alg} as we must write it */
	} algs[] = {
		{ SK_ALG_ES256, "A10126" },
		{ SK_ALG_EDDSA, "A10127" },
		{ SK_ALG_SM2_SM3, "A1013A00010000" },	/* -65537 */
	};
	struct sk_cose_sign1 *msg;
	const uint8_t *p, *kid;
	struct sk_buf b;
	struct ctx c;
	uint8_t *want;
	size_t i, len, wantlen;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		ctx_new(&c, algs[i].alg);
		sk_buf_init(&b, SK_COSE_MAX_BYTES);
		SKT_RC(sk_cose_sign1_sign(c.s, (const uint8_t *)PAYLOAD, PLEN,
		    NULL, 0, 0, &b), 0);
		/* 18([h'..', {}, h'payload', h'sig']) */
		want = unhex(algs[i].prot, &wantlen);
		SKT_CHECK(b.len > 4 + wantlen && b.data[0] == 0xd2 &&
		    b.data[1] == 0x84 && b.data[2] == 0x40 + wantlen &&
		    memcmp(b.data + 3, want, wantlen) == 0 &&
		    b.data[3 + wantlen] == 0xa0);
		free(want);
		SKT_RC(sk_cose_sign1_parse(b.data, b.len, SK_COSE_REQUIRE_TAG,
		    &msg), 0);
		if (msg == NULL)
			continue;
		SKT_EQ(sk_cose_sign1_alg(msg), algs[i].alg);
		sk_cose_sign1_kid(msg, &kid, &len);
		SKT_CHECK(kid == NULL && len == 0);
		SKT_RC(sk_cose_sign1_payload(msg, &p, &len), 0);
		SKT_MEMEQ(p, len, PAYLOAD, PLEN);
		sk_cose_sign1_signature(msg, &p, &len);
		SKT_EQ(len, 64);
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0, NULL, 0), 0);
		sk_cose_sign1_free(msg);
		sk_buf_free(&b);
		ctx_free(&c);
	}
	sk_cose_sign1_free(NULL);
}

/* A signer with a kid writes {1: alg, 4: kid}, keys in that order. */
static void
test_kid_header(void)
{
	static const uint8_t kid8[SK_KID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t prot[] = { 0xa2, 0x01, 0x26, 0x04, 0x48, 1, 2,
	    3, 4, 5, 6, 7, 8 };
	struct sk_cose_sign1 *msg;
	const uint8_t *p;
	struct sk_buf b;
	struct ctx c;
	size_t len;

	ctx_new(&c, SK_ALG_ES256);
	memcpy(c.s->kid, kid8, SK_KID_LEN);
	c.s->has_kid = 1;
	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	SKT_RC(sk_cose_sign1_sign(c.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, 0, &b), 0);
	SKT_RC(sk_cose_sign1_parse(b.data, b.len, 0, &msg), 0);
	if (msg != NULL) {
		sk_cose_sign1_protected(msg, &p, &len);
		SKT_MEMEQ(p, len, prot, sizeof(prot));
		sk_cose_sign1_kid(msg, &p, &len);
		SKT_MEMEQ(p, len, kid8, sizeof(kid8));
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0, NULL, 0), 0);
	}
	sk_cose_sign1_free(msg);
	/* The kid from the unprotected bucket when not protected. */
	sk_buf_reset(&b);
	build(&c, 18, "A10126", "A1044431323334", 0, &b);
	SKT_RC(sk_cose_sign1_parse(b.data, b.len, 0, &msg), 0);
	if (msg != NULL) {
		sk_cose_sign1_kid(msg, &p, &len);
		SKT_MEMEQ(p, len, "1234", 4);
	}
	sk_cose_sign1_free(msg);
	sk_buf_free(&b);
	ctx_free(&c);
}

/* Flip one byte in each part: protected, payload, signature, tag. */
static void
test_tamper(void)
{
	struct sk_buf b;
	struct ctx c;
	size_t protoff = 3 + 5 + 2, payoff, sigoff;

	ctx_new(&c, SK_ALG_ES256);
	c.s->has_kid = 1;
	memset(c.s->kid, 0x11, SK_KID_LEN);
	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	SKT_RC(sk_cose_sign1_sign(c.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, 0, &b), 0);
	/* d2 84 4d [a2 01 26 04 48 kid*8] a0 54 payload 58 40 sig */
	payoff = 3 + 13 + 1 + 1;
	sigoff = payoff + PLEN + 2;
	SKT_EQ(b.len, sigoff + 64);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), 0);
	b.data[protoff] ^= 1;			/* a kid byte */
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_SIGNATURE);
	b.data[protoff] ^= 1;
	b.data[payoff + 3] ^= 1;
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_SIGNATURE);
	b.data[payoff + 3] ^= 1;
	b.data[sigoff + 10] ^= 1;
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_SIGNATURE);
	b.data[sigoff + 10] ^= 1;
	b.data[0] = 0xd1;			/* tag 17 */
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_TYPE);
	b.data[0] = 0xd2;
	b.data[5] = 0x27;			/* alg EdDSA: key mismatch */
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_KEY);
	b.data[5] = 0x26;
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), 0);
	sk_buf_free(&b);
	ctx_free(&c);
}

/* Profile rules on the headers (FORMATS.md section 2, RFC 9052 3). */
static void
test_headers(void)
{
	struct ctx c;

	ctx_new(&c, SK_ALG_ES256);
	/* alg only unprotected: h'' and h'A0' protected buckets. */
	SKT_RC(check_built(&c, 18, "", "A10126"), SK_ERR_MISSING);
	SKT_RC(check_built(&c, 18, "A0", "A10126"), SK_ERR_MISSING);
	SKT_RC(check_built(&c, 18, "A0", "A0"), SK_ERR_MISSING);
	SKT_RC(check_built(&c, 18, "A10126", "A0"), 0);
	/* crit, protected (as RFC 9052 3.1 wants) or not. */
	SKT_RC(check_built(&c, 18, "A2012602811863", "A0"),
	    SK_ERR_UNSUPPORTED);
	SKT_RC(check_built(&c, 18, "A10126", "A102811863"),
	    SK_ERR_UNSUPPORTED);
	/* A label in both buckets. */
	SKT_RC(check_built(&c, 18, "A10126", "A10126"), SK_ERR_DUPLICATE);
	SKT_RC(check_built(&c, 18, "A2012603616A", "A103616A"),
	    SK_ERR_DUPLICATE);
	/* Duplicate key inside one bucket (the CBOR decoder). */
	SKT_RC(check_built(&c, 18, "A201260126", "A0"), SK_ERR_DUPLICATE);
	/* alg as text, out of int range, unknown. */
	SKT_RC(check_built(&c, 18, "A101654553323536", "A0"),
	    SK_ERR_UNSUPPORTED);
	SKT_RC(check_built(&c, 18, "A1013B0000000100000000", "A0"),
	    SK_ERR_UNSUPPORTED);
	SKT_RC(check_built(&c, 18, "A1013903E6", "A0"), SK_ERR_UNSUPPORTED);
	SKT_RC(check_built(&c, 18, "A101F6", "A0"), SK_ERR_TYPE);
	/* kid: a bstr of at most SK_COSE_MAX_KID bytes. */
	SKT_RC(check_built(&c, 18, "A10126", "A10463313131"), SK_ERR_TYPE);
	SKT_RC(check_built(&c, 18, "A10126", "A1045841"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "00"),
	    SK_ERR_LIMIT);
	/* Labels: integers or text only; at most SK_COSE_MAX_HEADERS. */
	SKT_RC(check_built(&c, 18, "A10126", "A14100F6"), SK_ERR_TYPE);
	SKT_RC(check_built(&c, 18, "A10126", "B1"
	    "0A000B000C000D000E000F0010001100120013001400150016001700181800"
	    "181900181A00"), SK_ERR_LIMIT);
	SKT_RC(check_built(&c, 18, "A10126", "B0"
	    "0A000B000C000D000E000F0010001100120013001400150016001700181800"
	    "181900"), 0);
	/* Protected bucket: a map, whole, definite, nothing after it. */
	SKT_RC(check_built(&c, 18, "830126F6", "A0"), SK_ERR_TYPE);
	SKT_RC(check_built(&c, 18, "A1012600", "A0"), SK_ERR_TRAILING);
	SKT_RC(check_built(&c, 18, "A201", "A0"), SK_ERR_TRUNCATED);
	/* Indefinite: refused (which code is the CBOR module's choice). */
	SKT_CHECK(check_built(&c, 18, "BF0126FF", "A0") < 0);
	/* Unprotected bucket must be a map. */
	SKT_RC(check_built(&c, 18, "A10126", "40"), SK_ERR_TYPE);
	ctx_free(&c);
}

/* The outer structure: tag, array shape, element types, trailing bytes. */
static void
test_structure(void)
{
	static const char *bad[] = {
		"D283430A0126A040",		/* 3 elements */
		"D28543A10126A0404040",		/* 5 elements */
		"D2A0",				/* a map */
		"D28443A10126A0F640",		/* fine but nil: detached */
		"D284A10126A04040",		/* protected not a bstr */
		"D28443A10126A00140",		/* payload an integer */
		"D28443A10126A040F6",		/* signature nil */
		"D2D28443A10126A04040",		/* tag in tag */
	};
	static const int want[] = { SK_ERR_TYPE, SK_ERR_TYPE, SK_ERR_TYPE, 0,
	    SK_ERR_TYPE, SK_ERR_TYPE, SK_ERR_TYPE, SK_ERR_TYPE };
	struct sk_cose_sign1 *msg;
	struct sk_buf b;
	struct ctx c;
	uint8_t *in, *big;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = unhex(bad[i], &len);
		SKT_RC(sk_cose_sign1_parse(in, len, 0, &msg), want[i]);
		sk_cose_sign1_free(msg);
		free(in);
	}
	ctx_new(&c, SK_ALG_ES256);
	sk_buf_init(&b, SK_COSE_MAX_BYTES + 1);
	/* Untagged: accepted unless SK_COSE_REQUIRE_TAG. */
	SKT_RC(sk_cose_sign1_sign(c.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, SK_COSE_UNTAGGED, &b), 0);
	SKT_EQ(b.data[0], 0x84);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), 0);
	SKT_RC(check(b.data, b.len, SK_COSE_REQUIRE_TAG, c.pub, NULL),
	    SK_ERR_TYPE);
	/* Trailing bytes after the message. */
	SKT_RC(sk_buf_putc(&b, 0x00), 0);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_TRAILING);
	SKT_RC(check(b.data, b.len - 2, 0, c.pub, NULL), SK_ERR_TRUNCATED);
	sk_buf_reset(&b);
	/* Other tags: 98 (COSE_Sign), 17 (COSE_Mac0), 61 (CWT). */
	build(&c, 98, "A10126", "A0", 0, &b);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_TYPE);
	sk_buf_reset(&b);
	build(&c, 61, "A10126", "A0", 0, &b);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_TYPE);
	sk_buf_reset(&b);
	build(&c, 0, "A10126", "A0", 0, &b);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), 0);
	sk_buf_free(&b);
	/* Over SK_COSE_MAX_BYTES: refused before decoding. */
	if ((big = calloc(1, SK_COSE_MAX_BYTES + 1)) != NULL) {
		SKT_RC(sk_cose_sign1_parse(big, SK_COSE_MAX_BYTES + 1, 0,
		    &msg), SK_ERR_LIMIT);
		SKT_RC(sk_cose_sign1_sign(c.s, big, SK_COSE_MAX_BYTES, NULL, 0,
		    0, &b), SK_ERR_LIMIT);
		SKT_EQ(b.len, 0);
		free(big);
	}
	ctx_free(&c);
}

/* Verifying with a key of the wrong type for the alg is SK_ERR_KEY. */
static void
test_wrong_key(void)
{
	struct ctx es, sm2, ed;
	struct sk_buf b;

	ctx_new(&es, SK_ALG_ES256);
	ctx_new(&sm2, SK_ALG_SM2_SM3);
	ctx_new(&ed, SK_ALG_EDDSA);
	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	SKT_RC(sk_cose_sign1_sign(es.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, 0, &b), 0);
	SKT_RC(check(b.data, b.len, 0, sm2.pub, NULL), SK_ERR_KEY);
	SKT_RC(check(b.data, b.len, 0, ed.pub, NULL), SK_ERR_KEY);
	sk_buf_reset(&b);
	SKT_RC(sk_cose_sign1_sign(sm2.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, 0, &b), 0);
	SKT_RC(check(b.data, b.len, 0, es.pub, NULL), SK_ERR_KEY);
	SKT_RC(check(b.data, b.len, 0, sm2.pub, NULL), 0);
	/* Right type, other key. */
	sk_buf_reset(&b);
	SKT_RC(sk_cose_sign1_sign(ed.s, (const uint8_t *)PAYLOAD, PLEN, NULL,
	    0, 0, &b), 0);
	ctx_free(&sm2);
	ctx_new(&sm2, SK_ALG_EDDSA);
	SKT_RC(check(b.data, b.len, 0, sm2.pub, NULL), SK_ERR_SIGNATURE);
	sk_buf_free(&b);
	ctx_free(&es);
	ctx_free(&sm2);
	ctx_free(&ed);
}

/* External AAD (RFC 9052 section 4.3) must match. */
static void
test_external_aad(void)
{
	struct sk_buf b;
	struct ctx c;

	ctx_new(&c, SK_ALG_EDDSA);
	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	SKT_RC(sk_cose_sign1_sign(c.s, (const uint8_t *)PAYLOAD, PLEN,
	    (const uint8_t *)"aad", 3, 0, &b), 0);
	SKT_RC(check(b.data, b.len, 0, c.pub, "aad"), 0);
	SKT_RC(check(b.data, b.len, 0, c.pub, "aae"), SK_ERR_SIGNATURE);
	SKT_RC(check(b.data, b.len, 0, c.pub, NULL), SK_ERR_SIGNATURE);
	sk_buf_free(&b);
	ctx_free(&c);
}

/* Detached payload (nil): supplied by the caller at verify time. */
static void
test_detached(void)
{
	struct sk_cose_sign1 *msg;
	const uint8_t *p;
	struct sk_buf b;
	struct ctx c;
	size_t len;

	ctx_new(&c, SK_ALG_ES256);
	sk_buf_init(&b, SK_COSE_MAX_BYTES);
	build(&c, 18, "A10126", "A0", 1, &b);
	SKT_RC(sk_cose_sign1_parse(b.data, b.len, 0, &msg), 0);
	if (msg != NULL) {
		SKT_RC(sk_cose_sign1_payload(msg, &p, &len), SK_ERR_MISSING);
		SKT_CHECK(p == NULL && len == 0);
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0, NULL, 0),
		    SK_ERR_MISSING);
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0,
		    (const uint8_t *)PAYLOAD, PLEN), 0);
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0,
		    (const uint8_t *)PAYLOAD, PLEN - 1), SK_ERR_SIGNATURE);
	}
	sk_cose_sign1_free(msg);
	sk_buf_reset(&b);
	build(&c, 18, "A10126", "A0", 0, &b);
	SKT_RC(sk_cose_sign1_parse(b.data, b.len, 0, &msg), 0);
	if (msg != NULL)
		SKT_RC(sk_cose_sign1_verify(msg, c.pub, NULL, 0,
		    (const uint8_t *)PAYLOAD, PLEN), SK_ERR_ARG);
	sk_cose_sign1_free(msg);
	sk_buf_free(&b);
	ctx_free(&c);
}

/* Sig_structure bytes, and nothing appended on failure. */
static void
test_sig_structure(void)
{
	struct sk_buf b;
	uint8_t *want;
	size_t wantlen;

	/* ["Signature1", h'', h'', h''] */
	want = unhex("846A5369676E617475726531404040", &wantlen);
	sk_buf_init(&b, 64);
	SKT_RC(sk_cose_sig_structure(NULL, 0, NULL, 0, NULL, 0, &b), 0);
	SKT_MEMEQ(b.data, b.len, want, wantlen);
	free(want);
	/* cose-wg sign-pass-02 ToBeSign_hex, with external AAD. */
	want = unhex("846A5369676E61747572653143A101264C11AA22BB33CC44DD"
	    "5500669954546869732069732074686520636F6E74656E742E", &wantlen);
	sk_buf_reset(&b);
	SKT_RC(sk_cose_sig_structure((const uint8_t *)"\xa1\x01\x26", 3,
	    (const uint8_t *)"\x11\xaa\x22\xbb\x33\xcc\x44\xdd\x55\x00\x66"
	    "\x99", 12, (const uint8_t *)PAYLOAD, PLEN, &b), 0);
	SKT_MEMEQ(b.data, b.len, want, wantlen);
	free(want);
	sk_buf_free(&b);
	sk_buf_init(&b, 20);
	SKT_RC(sk_cose_sig_structure(NULL, 0, NULL, 0,
	    (const uint8_t *)PAYLOAD, PLEN, &b), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	sk_buf_free(&b);
}

int
main(void)
{
	SKT_RUN(test_round_trip);
	SKT_RUN(test_kid_header);
	SKT_RUN(test_tamper);
	SKT_RUN(test_headers);
	SKT_RUN(test_structure);
	SKT_RUN(test_wrong_key);
	SKT_RUN(test_external_aad);
	SKT_RUN(test_detached);
	SKT_RUN(test_sig_structure);
	return skt_done();
}
