/*
 * test_presentation.c: libsealkit's presentation codes (sealkit/
 * presentation.h).  The claims encoding is checked against hand-written
 * CBOR (api/presentation.cddl, RFC 8949 deterministic encoding); a code
 * signed with the keys-example presentation key verifies offline with
 * the anchors and the presentation certificate and with the key; an
 * expired code, a change of any single character, a code signed by
 * another key, another prefix, an over-long text and claims outside the
 * CDDL fail, each with its own error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/presentation.h"
#include "sealkit/trust.h"
#include "sealkit/verify.h"

#include "sktest.h"

#define NOW	INT64_C(1767225600)	/* 2026-01-01 */
#define LIC	"11990100000000019F2026000001"
#define HOLDER	"110101199003074477"

static const char *
kpath(const char *name)
{
	static char buf[4][512];
	static int i;
	const char *src = getenv("SK_SOURCE_DIR");

	i = (i + 1) % 4;
	(void)snprintf(buf[i], sizeof(buf[i]), "%s/keys-example/%s",
	    src != NULL ? src : "..", name);
	return buf[i];
}

static struct sk_signer *
signer(const char *key, const char *crt)
{
	struct sk_signer *s = NULL;
	struct sk_key *k = NULL;
	struct sk_cert *c = NULL;

	SKT_RC(sk_cert_load_file(kpath(crt), &c), 0);
	SKT_RC(sk_key_load_file(kpath(key), NULL, &k), 0);
	SKT_RC(sk_signer_from_key(k, SK_ALG_NONE, c, &s), 0);
	sk_cert_free(c);
	if (s == NULL)
		exit(1);
	return s;
}

/* Sign arbitrary claims bytes as a code with prefix. */
static void
sign_raw(struct sk_signer *s, const char *prefix, const uint8_t *claims,
    size_t len, struct sk_buf *text)
{
	struct sk_buf cose;

	sk_buf_init(text, SK_PRES_TEXT_MAX);
	sk_buf_init(&cose, SK_PRES_COSE_MAX);
	SKT_RC(sk_cose_sign1_sign(s, claims, len, NULL, 0, 0, &cose), 0);
	SKT_RC(sk_qrtext_encode(prefix, cose.data, cose.len, text), 0);
	sk_buf_free(&cose);
}

static void
fill(struct sk_pres *p, int64_t iat, unsigned ttl)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->licence, LIC, sizeof(LIC));
	memcpy(p->holder, HOLDER, sizeof(HOLDER));
	memset(p->id, 0x5a, sizeof(p->id));
	p->id[0] = 0x01;
	p->iat = iat;
	p->exp = iat + (int64_t)ttl;
}

static void
make(struct sk_signer *s, const char *prefix, int64_t iat,
    struct sk_pres *p, struct sk_buf *text)
{
	struct sk_buf claims;

	fill(p, iat, 300);
	sk_buf_init(&claims, SK_PRES_COSE_MAX);
	SKT_RC(sk_pres_claims_encode(p, &claims), 0);
	sign_raw(s, prefix, claims.data, claims.len, text);
	sk_buf_free(&claims);
}

/* Known answer: the CDDL's map in deterministic order. */
static void
test_claims_encode(void)
{
	static const char want[] =
	    "a5" "02" "624831" "04" "1903e8" "06" "1864"
	    "07" "50" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "3a00010001" "624c31";
	struct sk_pres p;
	struct sk_buf b;
	uint8_t *w;
	size_t wlen;

	memset(&p, 0, sizeof(p));
	memcpy(p.holder, "H1", 3);
	memcpy(p.licence, "L1", 3);
	memset(p.id, 0xaa, sizeof(p.id));
	p.iat = 100;
	p.exp = 1000;
	w = skt_unhex(want, &wlen);
	sk_buf_init(&b, SK_PRES_COSE_MAX);
	SKT_RC(sk_pres_claims_encode(&p, &b), 0);
	SKT_MEMEQ(b.data, b.len, w, wlen);
	sk_buf_free(&b);
	free(w);
	p.holder[0] = '\0';
	sk_buf_init(&b, SK_PRES_COSE_MAX);
	SKT_RC(sk_pres_claims_encode(&p, &b), SK_ERR_ARG);
	SKT_EQ(b.len, 0);
	memset(p.holder, 'x', sizeof(p.holder));	/* unterminated */
	SKT_RC(sk_pres_claims_encode(&p, &b), SK_ERR_ARG);
	sk_buf_free(&b);
}

struct env {
	struct sk_signer	*s;
	struct sk_trust		*t;
	struct sk_cert		*pc;
	struct sk_key		*key;
	uint8_t			 kid[SK_KID_LEN];
};

static void
env_open(struct env *e)
{
	memset(e, 0, sizeof(*e));
	e->s = signer("presentation.key.pem", "presentation.crt.pem");
	SKT_RC(sk_trust_new_file(kpath("trust-anchors.pem"), &e->t), 0);
	SKT_RC(sk_cert_load_file(kpath("presentation.crt.pem"), &e->pc), 0);
	SKT_RC(sk_cert_pubkey(e->pc, &e->key), 0);
	SKT_RC(sk_cert_kid(e->pc, e->kid), 0);
	if (e->t == NULL || e->pc == NULL || e->key == NULL)
		exit(1);
}

static void
env_close(struct env *e)
{
	sk_signer_free(e->s);
	sk_trust_free(e->t);
	sk_cert_free(e->pc);
	sk_key_free(e->key);
}

static int
vt(const struct env *e, const struct sk_buf *text, int64_t at,
    struct sk_pres *p)
{
	return sk_pres_verify((const char *)text->data, text->len, e->t,
	    e->pc, at, p);
}

static int
vk(const struct env *e, const struct sk_buf *text, int64_t at,
    struct sk_pres *p)
{
	return sk_pres_verify_key((const char *)text->data, text->len,
	    e->key, e->kid, sizeof(e->kid), at, p);
}

static void
test_genuine(void)
{
	struct env e;
	struct sk_pres c, v;
	struct sk_buf text;
	char hex[33];

	env_open(&e);
	make(e.s, SK_PRES_PREFIX, NOW, &c, &text);
	SKT_CHECK(memcmp(text.data, "LP1:", 4) == 0);
	SKT_RC(vt(&e, &text, NOW + 10, &v), 0);
	SKT_CHECK(strcmp(v.licence, LIC) == 0 &&
	    strcmp(v.holder, HOLDER) == 0 && v.iat == NOW &&
	    v.exp == NOW + 300 && memcmp(v.id, c.id, sizeof(v.id)) == 0);
	sk_pres_id_hex(&v, hex);
	SKT_CHECK(strcmp(hex, "015a5a5a5a5a5a5a5a5a5a5a5a5a5a5a") == 0);
	SKT_RC(vk(&e, &text, NOW + 10, &v), 0);
	SKT_CHECK(strcmp(v.licence, LIC) == 0 && v.exp == NOW + 300);
	/* The example certificate is not a trust-list issuer. */
	SKT_RC(sk_pres_verify((const char *)text.data, text.len, e.t, NULL,
	    NOW + 10, &v), SK_ERR_NOTFOUND);
	SKT_CHECK(v.licence[0] == '\0' && v.exp == 0);
	/* Chain checked at iat: before the certificate's notBefore. */
	sk_buf_free(&text);
	make(e.s, SK_PRES_PREFIX, NOW - 86400 * 30, &c, &text);
	SKT_RC(vt(&e, &text, NOW - 86400 * 30 + 10, &v), SK_ERR_CERT);
	SKT_RC(vk(&e, &text, NOW - 86400 * 30 + 10, &v), 0);
	sk_buf_free(&text);
	env_close(&e);
}

static void
test_expired(void)
{
	struct env e;
	struct sk_pres c, v;
	struct sk_buf text;

	env_open(&e);
	make(e.s, SK_PRES_PREFIX, NOW, &c, &text);
	SKT_RC(vt(&e, &text, NOW + 299, &v), 0);
	SKT_RC(vt(&e, &text, NOW + 300, &v), SK_ERR_EXPIRED);
	SKT_CHECK(v.licence[0] == '\0');
	SKT_RC(vk(&e, &text, NOW + 86400, &v), SK_ERR_EXPIRED);
	/* iat in the future beyond the allowed skew. */
	SKT_RC(vt(&e, &text, NOW - SK_PRES_SKEW, &v), 0);
	SKT_RC(vt(&e, &text, NOW - SK_PRES_SKEW - 1, &v), SK_ERR_EXPIRED);
	sk_buf_free(&text);
	env_close(&e);
}

/* Every single character changed to another of the base45 set fails. */
static void
test_tampered(void)
{
	static const char set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ "
	    "$%*+-./:";
	struct env e;
	struct sk_pres c, v;
	struct sk_buf text;
	size_t i, bad = 0;
	char *s;

	env_open(&e);
	make(e.s, SK_PRES_PREFIX, NOW, &c, &text);
	if ((s = malloc(text.len)) == NULL)
		exit(1);
	for (i = 0; i < text.len; i++) {
		memcpy(s, text.data, text.len);
		s[i] = set[(size_t)(strchr(set, s[i]) - set + 1) %
		    (sizeof(set) - 1)];
		if (sk_pres_verify(s, text.len, e.t, e.pc, NOW + 10,
		    &v) == 0 || sk_pres_verify_key(s, text.len, e.key,
		    e.kid, sizeof(e.kid), NOW + 10, &v) == 0)
			bad++;
	}
	SKT_EQ(bad, 0);
	/* Truncated by one character. */
	SKT_CHECK(sk_pres_verify((const char *)text.data, text.len - 1, e.t,
	    e.pc, NOW + 10, &v) != 0);
	free(s);
	sk_buf_free(&text);
	env_close(&e);
}

static void
test_forged(void)
{
	struct env e;
	struct sk_signer *f;
	struct sk_pres c, v;
	struct sk_buf text;

	env_open(&e);
	f = signer("issuer-a.key.pem", "issuer-a.crt.pem");
	make(f, SK_PRES_PREFIX, NOW, &c, &text);
	/* Another kid: no such certificate, and not the presenter's. */
	SKT_RC(vt(&e, &text, NOW + 10, &v), SK_ERR_NOTFOUND);
	SKT_RC(vk(&e, &text, NOW + 10, &v), SK_ERR_SIGNATURE);
	sk_buf_free(&text);
	sk_signer_free(f);
	env_close(&e);
}

static void
test_malformed(void)
{
	/* Claims outside the CDDL: a sixth key; exp as a string. */
	static const char six[] =
	    "a6" "02" "624831" "04" "1a6956c180" "06" "1a6955e800"
	    "07" "50" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "08" "00" "3a00010001" "624c31";
	static const char sexp[] =
	    "a5" "02" "624831" "04" "6131" "06" "1a6955e800"
	    "07" "50" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "3a00010001" "624c31";
	struct env e;
	struct sk_pres c, v;
	struct sk_buf text, big;
	uint8_t *raw;
	size_t len;

	env_open(&e);
	make(e.s, "LC1:", NOW, &c, &text);
	SKT_RC(vt(&e, &text, NOW + 10, &v), SK_ERR_FORMAT);
	SKT_RC(vk(&e, &text, NOW + 10, &v), SK_ERR_FORMAT);
	SKT_RC(sk_pres_verify("LP1", 3, e.t, e.pc, NOW, &v), SK_ERR_FORMAT);
	SKT_RC(sk_pres_verify("", 0, e.t, e.pc, NOW, &v), SK_ERR_FORMAT);
	sk_buf_free(&text);
	sk_buf_init(&big, SK_PRES_TEXT_MAX + 2);
	SKT_RC(sk_buf_append(&big, "LP1:", 4), 0);
	while (big.len < SK_PRES_TEXT_MAX + 1)
		SKT_RC(sk_buf_putc(&big, 'A'), 0);
	SKT_RC(vt(&e, &big, NOW, &v), SK_ERR_LIMIT);
	sk_buf_free(&big);
	raw = skt_unhex(six, &len);
	sign_raw(e.s, SK_PRES_PREFIX, raw, len, &text);
	SKT_RC(vt(&e, &text, NOW + 10, &v), SK_ERR_FORMAT);
	free(raw);
	sk_buf_free(&text);
	raw = skt_unhex(sexp, &len);
	sign_raw(e.s, SK_PRES_PREFIX, raw, len, &text);
	SKT_RC(vk(&e, &text, NOW + 10, &v), SK_ERR_FORMAT);
	free(raw);
	sk_buf_free(&text);
	env_close(&e);
}

int
main(void)
{
	SKT_RUN(test_claims_encode);
	SKT_RUN(test_genuine);
	SKT_RUN(test_expired);
	SKT_RUN(test_tampered);
	SKT_RUN(test_forged);
	SKT_RUN(test_malformed);
	return skt_done();
}
