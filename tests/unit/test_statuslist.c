/*
 * Token Status List (sealkit/statuslist.h) against the known answers of
 * draft-ietf-oauth-status-list: the 1-bit and 2-bit byte arrays of
 * section 4.1, their CBOR encodings (section 4.3), the 2^20-entry test
 * vectors of the "Test vectors for Status List encoding" appendix and the
 * Status List Token in CWT format example (section 5.2); then set/get
 * against a shadow array, token round trips, tampering, typ, staleness,
 * short lists, bounds, the working file and the status source.
 */
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/compress.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/statuslist.h"
#include "sealkit/verify.h"
#include "sktest.h"

#define URI	"https://example.com/statuslists/1"

/* Section 4.3 examples (the draft's examples/status_list_encoding*). */
#define DRAFT_1BIT_CBOR "a2646269747301636c73744a78dadbb918000217015d"
#define DRAFT_2BIT_CBOR "a2646269747302636c73744b78da3be9f2130003df0207"
/* The same, re-encoded with "lst" before "bits" (RFC 8949 4.2.1). */
#define OUR_1BIT_CBOR	"a2636c73744a78dadbb918000217015d646269747301"
#define OUR_2BIT_CBOR	"a2636c73744b78da3be9f2130003df0207646269747302"

/* Appendix test vectors, 2^20 entries (examples/status_list_encoding*_long). */
static const char draft_long1[] =
	"a2646269747301636c737458bd78daeddc010dc0200c0041a88249400ad2903e0f4b"
	"ba00bd93f002beb7a2a2010000a91e09000000000000000000000000000000807296"
	"04000000000000000000000000000000000000000000000000000000000000000000"
	"000000000000005c6f4800000000000000fc2c240000000000000000000000be1b12"
	"000000000000000000ecaa4b000000000000000000000000000000009b0b09000000"
	"00000000000038de9400000000000000002a30cc010000000080642f0bd8011b";
static const char draft_long2[] =
	"a2646269747302636c737459013d78daeddb310d00211000412ea1a04004fe5520ed"
	"357c28c81d3312b6df68bc65480000000000406e2101000000000000000000000000"
	"0000000000000000000000000000000000000040795b020000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000"
	"0080f4ba0400000000000000000000000000406d764a000000000000000000000000"
	"000000000000000000e0922101000000000000000000000000000000000000fc1312"
	"00000000000000000000000000000000000000000000000000000000000000c0912e"
	"01000000000000000000000000000000000000c07d4b020000000000000000000000"
	"00000000a8614a0000000000000000000000406a1fcd60010c";
/* Section 5.2 example token (examples/status_list_cwt), ES256 kid "12". */
static const char draft_token[] =
	"d2845820a2012610781a6170706c69636174696f6e2f7374617475736c6973742b63"
	"7774a1044231325850a502782168747470733a2f2f6578616d706c652e636f6d2f73"
	"74617475736c697374732f31061a648c5bea041a8898dfea19fffe19a8c019fffda2"
	"646269747301636c73744a78dadbb918000217015d584093fa4d01032b18c35e2fe1"
	"101b77fd6cc9440022caa4694450c4e4e9feab4e99d1fa6d9772ce2bf3a12e0323de"
	"d7c982c5e101a5e67f0cbc1e2b6f57ce99c279";

static const uint64_t long_idx[11] = {
	0, 1993, 25460, 159495, 495669, 554353, 645645, 723232, 854545,
	934534, 1000345
};
static const unsigned long2_val[11] = { 1, 2, 1, 3, 1, 1, 2, 1, 1, 2, 3 };

struct ctx {
	struct sk_signer	*s;
	struct sk_key		*pub;
	struct sk_key		*other;
};

static uint8_t *
unhex(const char *hex, size_t *len)
{
	uint8_t *p = skt_unhex(hex, len);

	if (p == NULL) {
		fprintf(stderr, "bad hex\n");
		exit(1);
	}
	return p;
}

static struct sk_key *
pubkey_of(const struct sk_key *key)
{
	struct sk_key *pub;
	struct sk_buf pem;

	sk_buf_init(&pem, 4096);
	if (sk_key_write_public_pem(key, &pem) != 0 ||
	    sk_pubkey_load_mem(pem.data, pem.len, &pub) != 0) {
		fprintf(stderr, "cannot export a public key\n");
		exit(1);
	}
	sk_buf_free(&pem);
	return pub;
}

static void
ctx_new(struct ctx *c, int alg)
{
	struct sk_key *key, *k2;

	memset(c, 0, sizeof(*c));
	if (sk_key_generate(alg, &key) != 0 || sk_key_generate(alg, &k2) != 0) {
		fprintf(stderr, "cannot make keys\n");
		exit(1);
	}
	c->pub = pubkey_of(key);
	c->other = pubkey_of(k2);
	sk_key_free(k2);
	if (sk_signer_from_key(key, alg, NULL, &c->s) != 0) {
		fprintf(stderr, "cannot make a signer\n");
		exit(1);
	}
}

static void
ctx_free(struct ctx *c)
{
	sk_signer_free(c->s);
	sk_key_free(c->pub);
	sk_key_free(c->other);
}

static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static int
contains(const uint8_t *h, size_t hlen, const uint8_t *n, size_t nlen)
{
	size_t i;

	for (i = 0; i + nlen <= hlen; i++)
		if (memcmp(h + i, n, nlen) == 0)
			return 1;
	return 0;
}

/* A short draft example: decode, statuses, raw bytes, re-encode. */
static void
check_small(const char *hex, const char *ours, unsigned bits,
    const unsigned *want, size_t n, const uint8_t *raw, size_t rawlen)
{
	struct sk_statuslist *l, *l2;
	const uint8_t *p;
	uint8_t *in, *exp;
	struct sk_buf b;
	size_t len, elen, plen, i;
	unsigned st;

	in = unhex(hex, &len);
	exp = unhex(ours, &elen);
	SKT_RC(sk_statuslist_decode_cbor(in, len, 0, &l), SK_ERR_LIMIT);
	SKT_CHECK(l == NULL);
	SKT_RC(sk_statuslist_decode_cbor(in, len, SK_STATUSLIST_ALLOW_SHORT,
	    &l), 0);
	SKT_EQ(sk_statuslist_bits(l), bits);
	SKT_EQ(sk_statuslist_entries(l), n);
	sk_statuslist_raw(l, &p, &plen);
	SKT_MEMEQ(p, plen, raw, rawlen);
	for (i = 0; i < n; i++) {
		SKT_RC(sk_statuslist_get(l, i, &st), 0);
		SKT_EQ(st, want[i]);
	}
	/* The same list built by set() encodes to the draft's zlib bytes. */
	SKT_RC(sk_statuslist_new(bits, n, NULL, &l2), 0);
	for (i = 0; i < n; i++)
		SKT_RC(sk_statuslist_set(l2, i, want[i]), 0);
	sk_buf_init(&b, 1024);
	SKT_RC(sk_statuslist_encode_cbor(l2, &b), 0);
	SKT_MEMEQ(b.data, b.len, exp, elen);
	sk_buf_free(&b);
	sk_statuslist_free(l);
	sk_statuslist_free(l2);
	free(in);
	free(exp);
}

static void
test_draft_small(void)
{
	static const unsigned s1[16] = {
		1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1
	};
	static const uint8_t r1[2] = { 0xb9, 0xa3 };
	static const unsigned s2[12] = { 1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3 };
	static const uint8_t r2[3] = { 0xc9, 0x44, 0xf9 };

	check_small(DRAFT_1BIT_CBOR, OUR_1BIT_CBOR, 1, s1, 16, r1, 2);
	check_small(DRAFT_2BIT_CBOR, OUR_2BIT_CBOR, 2, s2, 12, r2, 3);
}

static void
check_long(const char *hex, unsigned bits, const unsigned *val)
{
	struct sk_statuslist *l, *l2;
	struct sk_cbor_doc *doc;
	const struct sk_cbor_item *lst;
	struct sk_buf b;
	uint8_t *in;
	size_t len, i, k, nonzero = 0;
	unsigned st;

	in = unhex(hex, &len);
	SKT_RC(sk_statuslist_decode_cbor(in, len, 0, &l), 0);
	if (l == NULL)
		return;
	SKT_EQ(sk_statuslist_entries(l), 1u << 20);
	SKT_RC(sk_statuslist_new(bits, 1u << 20, NULL, &l2), 0);
	for (i = 0; i < (1u << 20); i++) {
		SKT_RC(sk_statuslist_get(l, i, &st), 0);
		for (k = 0; k < 11 && long_idx[k] != i; k++)
			;
		SKT_EQ(st, k < 11 ? val[k] : 0);
		nonzero += st != 0;
		if (st != 0)
			SKT_RC(sk_statuslist_set(l2, i, st), 0);
	}
	SKT_EQ(nonzero, 11);
	/* Our level-9 zlib gives the draft's bytes too. */
	SKT_RC(sk_cbor_decode(in, len, NULL, &doc), 0);
	lst = sk_cbor_map_str(sk_cbor_root(doc), "lst");
	sk_buf_init(&b, 4096);
	SKT_RC(sk_statuslist_encode_cbor(l2, &b), 0);
	SKT_CHECK(lst != NULL && b.len > 4 + lst->len);
	if (lst != NULL && b.len > 4 + lst->len)
		SKT_CHECK(contains(b.data, b.len, lst->ptr, lst->len));
	sk_buf_free(&b);
	sk_cbor_free(doc);
	sk_statuslist_free(l);
	sk_statuslist_free(l2);
	free(in);
}

static void
test_draft_long(void)
{
	static const unsigned ones[11] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

	check_long(draft_long1, 1, ones);
	check_long(draft_long2, 2, long2_val);
}

/* The draft's token: decodes (not verified: we lack its key). */
static void
test_draft_token(void)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct ctx c;
	uint8_t *in;
	size_t len;
	unsigned st;

	in = unhex(draft_token, &len);
	SKT_RC(sk_statuslist_token_decode(in, len, 0, &l, &m), SK_ERR_LIMIT);
	SKT_RC(sk_statuslist_token_decode(in, len, SK_STATUSLIST_ALLOW_SHORT,
	    &l, &m), 0);
	if (l == NULL)
		goto out;
	SKT_CHECK(strcmp(m.uri, URI) == 0);
	SKT_CHECK(strcmp(sk_statuslist_uri(l), URI) == 0);
	SKT_EQ(m.iat, 1686920170);
	SKT_EQ(m.has_exp, 1);
	SKT_EQ(m.exp, 2291720170);
	SKT_EQ(m.has_ttl, 1);
	SKT_EQ(m.ttl, 43200);
	SKT_EQ(m.alg, SK_ALG_ES256);
	SKT_MEMEQ(m.kid, m.kidlen, "12", 2);
	SKT_EQ(sk_statuslist_entries(l), 16);
	SKT_RC(sk_statuslist_get(l, 3, &st), 0);
	SKT_EQ(st, 1);
	SKT_RC(sk_statuslist_fresh(&m, 1686920170 + 43200), 0);
	SKT_RC(sk_statuslist_fresh(&m, 1686920170 + 43201), SK_ERR_EXPIRED);
	sk_statuslist_free(l);
	/* Some other key: the signature must not verify. */
	ctx_new(&c, SK_ALG_ES256);
	SKT_RC(sk_statuslist_token_verify(in, len, c.pub, 1686920171,
	    SK_STATUSLIST_ALLOW_SHORT, &l, &m), SK_ERR_SIGNATURE);
	SKT_CHECK(l == NULL);
	ctx_free(&c);
out:
	free(in);
}

static void
test_set_get(void)
{
	struct sk_statuslist *l;
	uint8_t *shadow;
	uint32_t x = 2463534242u;
	uint64_t n, i;
	unsigned st;
	int k;

	SKT_RC(sk_statuslist_new(2, SK_STATUSLIST_MIN_ENTRIES, URI, &l), 0);
	n = sk_statuslist_entries(l);
	SKT_EQ(n, SK_STATUSLIST_MIN_ENTRIES);
	shadow = calloc(n, 1);
	for (k = 0; k < 200000; k++) {
		i = rnd(&x) % n;
		st = rnd(&x) % 3;
		SKT_RC(sk_statuslist_set(l, i, st), 0);
		shadow[i] = (uint8_t)st;
	}
	for (i = 0; i < n; i++) {
		if (sk_statuslist_get(l, i, &st) != 0 || st != shadow[i]) {
			SKT_CHECK(!"entry differs from the shadow");
			break;
		}
	}
	SKT_RC(sk_statuslist_get(l, n, &st), SK_ERR_LIMIT);
	SKT_EQ(st, 0xff);
	SKT_RC(sk_statuslist_get(l, UINT64_MAX, &st), SK_ERR_LIMIT);
	SKT_RC(sk_statuslist_set(l, n, 1), SK_ERR_LIMIT);
	SKT_RC(sk_statuslist_set(l, 0, 4), SK_ERR_ARG);
	sk_statuslist_free(l);
	free(shadow);

	/* Rounded up to whole bytes; limits; bad arguments. */
	SKT_RC(sk_statuslist_new(2, 5, NULL, &l), 0);
	SKT_EQ(sk_statuslist_entries(l), 8);
	sk_statuslist_free(l);
	SKT_RC(sk_statuslist_new(3, 8, NULL, &l), SK_ERR_ARG);
	SKT_RC(sk_statuslist_new(2, 0, NULL, &l), SK_ERR_ARG);
	SKT_RC(sk_statuslist_new(2, SK_STATUSLIST_MAX_ENTRIES + 1u, NULL, &l),
	    SK_ERR_LIMIT);
	SKT_RC(sk_statuslist_new(2, 8, "has space", &l), SK_ERR_ARG);
	SKT_RC(sk_statuslist_new(2, 8, "", &l), SK_ERR_ARG);
	SKT_CHECK(l == NULL);
	sk_statuslist_free(NULL);
}

static struct sk_statuslist *
sample_list(void)
{
	struct sk_statuslist *l;

	if (sk_statuslist_new(2, SK_STATUSLIST_MIN_ENTRIES, URI, &l) != 0 ||
	    sk_statuslist_set(l, 7, SK_STATUS_INVALID) != 0 ||
	    sk_statuslist_set(l, 131071, SK_STATUS_SUSPENDED) != 0 ||
	    sk_statuslist_set(l, 4000, SK_STATUS_INVALID) != 0) {
		fprintf(stderr, "cannot make a list\n");
		exit(1);
	}
	return l;
}

static void
sign_sample(struct ctx *c, struct sk_buf *tok)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l = sample_list();

	memset(&m, 0, sizeof(m));
	m.iat = 1000;
	m.exp = 2000;
	m.has_exp = 1;
	m.ttl = 500;
	m.has_ttl = 1;
	sk_buf_init(tok, SK_STATUSLIST_MAX_TOKEN);
	if (sk_statuslist_token_sign(l, c->s, &m, tok) != 0) {
		fprintf(stderr, "cannot sign\n");
		exit(1);
	}
	sk_statuslist_free(l);
}

static void
round_trip(int alg)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct sk_buf tok;
	struct ctx c;
	unsigned st;

	ctx_new(&c, alg);
	sign_sample(&c, &tok);
	SKT_CHECK(tok.data[0] == 0x84);	/* untagged array of 4 */
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 1200, 0,
	    &l, &m), 0);
	if (l != NULL) {
		SKT_CHECK(strcmp(m.uri, URI) == 0);
		SKT_EQ(m.iat, 1000);
		SKT_EQ(m.exp, 2000);
		SKT_EQ(m.ttl, 500);
		SKT_EQ(m.alg, alg);
		SKT_EQ(m.kidlen, 0);
		SKT_EQ(sk_statuslist_entries(l), SK_STATUSLIST_MIN_ENTRIES);
		SKT_RC(sk_statuslist_get(l, 7, &st), 0);
		SKT_EQ(st, SK_STATUS_INVALID);
		SKT_RC(sk_statuslist_get(l, 131071, &st), 0);
		SKT_EQ(st, SK_STATUS_SUSPENDED);
		SKT_RC(sk_statuslist_get(l, 8, &st), 0);
		SKT_EQ(st, SK_STATUS_VALID);
		sk_statuslist_free(l);
	}
	/* Stale: before iat, at exp, after iat + ttl; boundaries kept. */
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 999, 0,
	    &l, &m), SK_ERR_EXPIRED);
	SKT_CHECK(l == NULL);
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 1500, 0,
	    &l, &m), 0);
	sk_statuslist_free(l);
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 1501, 0,
	    &l, &m), SK_ERR_EXPIRED);
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 9999,
	    SK_STATUSLIST_NO_TIME, &l, &m), 0);
	sk_statuslist_free(l);
	/* exp decides once ttl reaches past it. */
	m.ttl = 5000;
	SKT_RC(sk_statuslist_fresh(&m, 1999), 0);
	SKT_RC(sk_statuslist_fresh(&m, 2000), SK_ERR_EXPIRED);
	m.has_exp = 0;
	SKT_RC(sk_statuslist_fresh(&m, 2000), 0);
	m.has_ttl = 0;
	SKT_RC(sk_statuslist_fresh(&m, 2000), SK_ERR_MISSING);
	/* Wrong key. */
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.other, 1200, 0,
	    &l, &m), SK_ERR_SIGNATURE);
	sk_buf_free(&tok);
	ctx_free(&c);
}

static void
test_round_trip(void)
{
	round_trip(SK_ALG_ES256);
	round_trip(SK_ALG_EDDSA);
	round_trip(SK_ALG_SM2_SM3);
}

static void
test_tampered(void)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct sk_buf tok;
	struct ctx c;
	size_t i, bad = 0;
	int rc;

	ctx_new(&c, SK_ALG_ES256);
	sign_sample(&c, &tok);
	/* Every single-bit change anywhere must be refused. */
	for (i = 0; i < tok.len; i++) {
		tok.data[i] ^= 0x01;
		rc = sk_statuslist_token_verify(tok.data, tok.len, c.pub,
		    1200, 0, &l, &m);
		if (rc == 0) {
			fprintf(stderr, "accepted with byte %zu changed\n", i);
			sk_statuslist_free(l);
			bad++;
		}
		tok.data[i] ^= 0x01;
	}
	SKT_EQ(bad, 0);
	/* The byte inside the compressed list: a signature failure. */
	tok.data[tok.len - 80] ^= 0x40;
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 1200, 0,
	    &l, &m), SK_ERR_SIGNATURE);
	tok.data[tok.len - 80] ^= 0x40;
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len - 1, c.pub, 1200,
	    0, &l, &m), SK_ERR_TRUNCATED);
	sk_buf_free(&tok);
	ctx_free(&c);
}

/*
 * Hand-built tokens: our encoder for claims and protected header, the
 * COSE Sig_structure and the signer, so that only the rule under test is
 * broken.
 */
static void
hand_token(struct ctx *c, const char *typ, const struct sk_statuslist *l,
    int with_times, struct sk_buf *tok)
{
	struct sk_buf prot, claims, tbs, sig;
	int rc;

	sk_buf_init(&prot, 256);
	sk_buf_init(&claims, SK_STATUSLIST_MAX_TOKEN);
	sk_buf_init(&tbs, 2 * SK_STATUSLIST_MAX_TOKEN);
	sk_buf_init(&sig, SK_SIG_MAX);
	sk_buf_init(tok, SK_STATUSLIST_MAX_TOKEN);
	rc = sk_cbor_put_map(&prot, typ != NULL ? 2 : 1) |
	    sk_cbor_put_uint(&prot, 1) | sk_cbor_put_int(&prot, c->s->alg);
	if (typ != NULL)
		rc |= sk_cbor_put_uint(&prot, 16) |
		    sk_cbor_put_cstr(&prot, typ);
	rc |= sk_cbor_put_map(&claims, with_times ? 5 : 3) |
	    sk_cbor_put_uint(&claims, 2) | sk_cbor_put_cstr(&claims, URI);
	if (with_times)
		rc |= sk_cbor_put_uint(&claims, 4) |
		    sk_cbor_put_uint(&claims, 2000);
	rc |= sk_cbor_put_uint(&claims, 6) | sk_cbor_put_uint(&claims, 1000) |
	    sk_cbor_put_uint(&claims, 65533) |
	    sk_statuslist_encode_cbor(l, &claims);
	if (with_times)
		rc |= sk_cbor_put_uint(&claims, 65534) |
		    sk_cbor_put_uint(&claims, 500);
	rc |= sk_cose_sig_structure(prot.data, prot.len, NULL, 0, claims.data,
	    claims.len, &tbs) |
	    sk_signer_sign(c->s, tbs.data, tbs.len, &sig) |
	    sk_cbor_put_array(tok, 4) |
	    sk_cbor_put_bstr(tok, prot.data, prot.len) |
	    sk_cbor_put_map(tok, 0) |
	    sk_cbor_put_bstr(tok, claims.data, claims.len) |
	    sk_cbor_put_bstr(tok, sig.data, sig.len);
	if (rc != 0) {
		fprintf(stderr, "cannot build a token\n");
		exit(1);
	}
	sk_buf_free(&prot);
	sk_buf_free(&claims);
	sk_buf_free(&tbs);
	sk_buf_free(&sig);
}

static int
verify_hand(struct ctx *c, const char *typ, const struct sk_statuslist *l,
    int with_times)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *out;
	struct sk_buf tok;
	int rc;

	hand_token(c, typ, l, with_times, &tok);
	rc = sk_statuslist_token_verify(tok.data, tok.len, c->pub, 1200, 0,
	    &out, &m);
	sk_statuslist_free(out);
	sk_buf_free(&tok);
	return rc;
}

static void
test_typ_and_claims(void)
{
	struct sk_statuslist *l = sample_list();
	struct ctx c;

	ctx_new(&c, SK_ALG_ES256);
	/* The hand builder itself is right: */
	SKT_RC(verify_hand(&c, SK_STATUSLIST_TYP, l, 1), 0);
	SKT_RC(verify_hand(&c, "statuslist+cwt", l, 1), SK_ERR_TYPE);
	SKT_RC(verify_hand(&c, "application/cwt", l, 1), SK_ERR_TYPE);
	SKT_RC(verify_hand(&c, "application/statuslist+cwt ", l, 1),
	    SK_ERR_TYPE);
	SKT_RC(verify_hand(&c, NULL, l, 1), SK_ERR_MISSING);
	/* Neither exp nor ttl: never stale, so refused. */
	SKT_RC(verify_hand(&c, SK_STATUSLIST_TYP, l, 0), SK_ERR_MISSING);
	ctx_free(&c);
	sk_statuslist_free(l);
}

static void
test_short(void)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct sk_buf tok;
	struct ctx c;

	ctx_new(&c, SK_ALG_ES256);
	/* One byte short of the minimum (4 entries a byte at 2 bits). */
	SKT_RC(sk_statuslist_new(2, SK_STATUSLIST_MIN_ENTRIES - 4, URI, &l),
	    0);
	SKT_RC(verify_hand(&c, SK_STATUSLIST_TYP, l, 1), SK_ERR_LIMIT);
	memset(&m, 0, sizeof(m));
	m.iat = 1000;
	m.ttl = 10;
	m.has_ttl = 1;
	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	SKT_RC(sk_statuslist_token_sign(l, c.s, &m, &tok), SK_ERR_LIMIT);
	SKT_EQ(tok.len, 0);
	sk_statuslist_free(l);
	/* Exactly the minimum is fine; so is 1 bit a status at 131072. */
	SKT_RC(sk_statuslist_new(2, SK_STATUSLIST_MIN_ENTRIES, URI, &l), 0);
	SKT_RC(verify_hand(&c, SK_STATUSLIST_TYP, l, 1), 0);
	sk_statuslist_free(l);
	SKT_RC(sk_statuslist_new(1, SK_STATUSLIST_MIN_ENTRIES, URI, &l), 0);
	SKT_RC(verify_hand(&c, SK_STATUSLIST_TYP, l, 1), 0);
	/* Sign argument checks. */
	m.has_ttl = 0;
	SKT_RC(sk_statuslist_token_sign(l, c.s, &m, &tok), SK_ERR_ARG);
	m.has_exp = 1;
	m.exp = 1000;
	SKT_RC(sk_statuslist_token_sign(l, c.s, &m, &tok), SK_ERR_ARG);
	sk_statuslist_free(l);
	sk_buf_free(&tok);
	ctx_free(&c);
}

/* A list past the cap inflates to SK_ERR_LIMIT, whatever it declares. */
static void
test_bomb(void)
{
	struct sk_statuslist *l;
	struct sk_buf raw, z, cb;
	uint8_t *p;

	sk_buf_init(&raw, SK_STATUSLIST_MAX_ENTRIES / 4 + 1);
	sk_buf_init(&z, SK_STATUSLIST_MAX_TOKEN);
	sk_buf_init(&cb, SK_STATUSLIST_MAX_TOKEN);
	SKT_RC(sk_buf_extend(&raw, raw.max, &p), 0);
	memset(p, 0, raw.max);
	SKT_RC(sk_zlib_deflate(raw.data, raw.len, &z), 0);
	SKT_RC(sk_cbor_put_map(&cb, 2) | sk_cbor_put_cstr(&cb, "bits") |
	    sk_cbor_put_uint(&cb, 2) | sk_cbor_put_cstr(&cb, "lst") |
	    sk_cbor_put_bstr(&cb, z.data, z.len), 0);
	SKT_RC(sk_statuslist_decode_cbor(cb.data, cb.len, 0, &l),
	    SK_ERR_LIMIT);
	/* Exactly the cap decodes. */
	sk_buf_reset(&z);
	sk_buf_reset(&cb);
	SKT_RC(sk_zlib_deflate(raw.data, raw.len - 1, &z), 0);
	SKT_RC(sk_cbor_put_map(&cb, 2) | sk_cbor_put_cstr(&cb, "bits") |
	    sk_cbor_put_uint(&cb, 2) | sk_cbor_put_cstr(&cb, "lst") |
	    sk_cbor_put_bstr(&cb, z.data, z.len), 0);
	SKT_RC(sk_statuslist_decode_cbor(cb.data, cb.len, 0, &l), 0);
	if (l != NULL)
		SKT_EQ(sk_statuslist_entries(l), SK_STATUSLIST_MAX_ENTRIES);
	sk_statuslist_free(l);
	/* bits 3, lst not a bstr, empty lst, not zlib. */
	sk_buf_reset(&cb);
	SKT_RC(sk_cbor_put_map(&cb, 2) | sk_cbor_put_cstr(&cb, "bits") |
	    sk_cbor_put_uint(&cb, 3) | sk_cbor_put_cstr(&cb, "lst") |
	    sk_cbor_put_bstr(&cb, z.data, z.len), 0);
	SKT_RC(sk_statuslist_decode_cbor(cb.data, cb.len, 0, &l),
	    SK_ERR_FORMAT);
	sk_buf_reset(&cb);
	SKT_RC(sk_cbor_put_map(&cb, 2) | sk_cbor_put_cstr(&cb, "bits") |
	    sk_cbor_put_uint(&cb, 2) | sk_cbor_put_cstr(&cb, "lst") |
	    sk_cbor_put_cstr(&cb, "x"), 0);
	SKT_RC(sk_statuslist_decode_cbor(cb.data, cb.len, 0, &l),
	    SK_ERR_TYPE);
	sk_buf_reset(&cb);
	SKT_RC(sk_cbor_put_map(&cb, 2) | sk_cbor_put_cstr(&cb, "bits") |
	    sk_cbor_put_uint(&cb, 2) | sk_cbor_put_cstr(&cb, "lst") |
	    sk_cbor_put_bstr(&cb, "abc", 3), 0);
	SKT_CHECK(sk_statuslist_decode_cbor(cb.data, cb.len, 0, &l) < 0);
	SKT_CHECK(l == NULL);
	sk_buf_free(&raw);
	sk_buf_free(&z);
	sk_buf_free(&cb);
}

static void
test_working_file(void)
{
	struct sk_statuslist *l = sample_list(), *l2;
	const uint8_t *a, *b;
	struct sk_buf f;
	size_t alen, blen;
	unsigned st;

	sk_buf_init(&f, SK_STATUSLIST_MAX_FILE);
	SKT_RC(sk_statuslist_save(l, &f), 0);
	/* {"raw": h'..', "uri": .., "bits": 2}: a3 63 "raw" 59 8000. */
	SKT_CHECK(f.len > 9 && memcmp(f.data, "\xa3\x63raw\x59\x80\x00",
	    8) == 0);
	SKT_RC(sk_statuslist_load(f.data, f.len, &l2), 0);
	if (l2 != NULL) {
		sk_statuslist_raw(l, &a, &alen);
		sk_statuslist_raw(l2, &b, &blen);
		SKT_MEMEQ(a, alen, b, blen);
		SKT_CHECK(strcmp(sk_statuslist_uri(l2), URI) == 0);
		SKT_RC(sk_statuslist_get(l2, 4000, &st), 0);
		SKT_EQ(st, SK_STATUS_INVALID);
	}
	sk_statuslist_free(l2);
	f.data[f.len - 1] = 3;		/* bits 3 */
	SKT_RC(sk_statuslist_load(f.data, f.len, &l2), SK_ERR_FORMAT);
	SKT_RC(sk_statuslist_load(f.data, f.len - 1, &l2), SK_ERR_TRUNCATED);
	sk_buf_free(&f);
	sk_statuslist_free(l);
}

static void
test_cache(void)
{
	struct sk_status_source src;
	struct sk_status_cache *sc;
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	struct sk_buf tok, bad;
	struct ctx c;
	unsigned st;

	ctx_new(&c, SK_ALG_ES256);
	sign_sample(&c, &tok);
	SKT_RC(sk_status_cache_new(&sc), 0);
	sk_status_cache_source(sc, &src);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1200, &st), SK_ERR_NOTFOUND);
	SKT_RC(sk_status_cache_add(sc, tok.data, tok.len, c.other),
	    SK_ERR_SIGNATURE);
	/* A wrongly signed list for URI: status_list_invalid. */
	SKT_RC(src.lookup(src.ctx, URI, 7, 1200, &st), SK_ERR_SIGNATURE);
	SKT_RC(sk_status_cache_add(sc, tok.data, tok.len, c.pub), 0);
	SKT_EQ(sk_status_cache_count(sc), 1);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1200, &st), 0);
	SKT_EQ(st, SK_STATUS_INVALID);
	SKT_RC(src.lookup(src.ctx, URI, 131071, 1200, &st), 0);
	SKT_EQ(st, SK_STATUS_SUSPENDED);
	SKT_RC(src.lookup(src.ctx, URI, 6, 1200, &st), 0);
	SKT_EQ(st, SK_STATUS_VALID);
	SKT_RC(src.lookup(src.ctx, URI, 131072, 1200, &st), SK_ERR_LIMIT);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1501, &st), SK_ERR_EXPIRED);
	SKT_RC(src.lookup(src.ctx, URI, 7, 999, &st), SK_ERR_EXPIRED);
	SKT_RC(src.lookup(src.ctx, URI "x", 7, 1200, &st), SK_ERR_NOTFOUND);
	/* A failed copy later does not displace the good list. */
	SKT_RC(sk_status_cache_add(sc, tok.data, tok.len, c.other),
	    SK_ERR_SIGNATURE);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1200, &st), 0);
	/* A newer list replaces it: entry 7 reinstated. */
	SKT_RC(sk_statuslist_token_verify(tok.data, tok.len, c.pub, 1200, 0,
	    &l, &m), 0);
	SKT_RC(sk_statuslist_set(l, 7, SK_STATUS_VALID), 0);
	m.iat = 1400;
	m.exp = 3000;
	sk_buf_init(&bad, SK_STATUSLIST_MAX_TOKEN);
	SKT_RC(sk_statuslist_token_sign(l, c.s, &m, &bad), 0);
	SKT_RC(sk_status_cache_add(sc, bad.data, bad.len, c.pub), 0);
	SKT_EQ(sk_status_cache_count(sc), 1);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1800, &st), 0);
	SKT_EQ(st, SK_STATUS_VALID);
	/* ... and the older one no longer wins back. */
	SKT_RC(sk_status_cache_add(sc, tok.data, tok.len, c.pub), 0);
	SKT_RC(src.lookup(src.ctx, URI, 7, 1800, &st), 0);
	SKT_EQ(st, SK_STATUS_VALID);
	sk_statuslist_free(l);
	sk_buf_free(&bad);
	sk_buf_free(&tok);
	sk_status_cache_free(sc);
	sk_status_cache_free(NULL);
	ctx_free(&c);
}

int
main(void)
{
	SKT_RUN(test_draft_small);
	SKT_RUN(test_draft_long);
	SKT_RUN(test_draft_token);
	SKT_RUN(test_set_get);
	SKT_RUN(test_round_trip);
	SKT_RUN(test_tampered);
	SKT_RUN(test_typ_and_claims);
	SKT_RUN(test_short);
	SKT_RUN(test_bomb);
	SKT_RUN(test_working_file);
	SKT_RUN(test_cache);
	return skt_done();
}
