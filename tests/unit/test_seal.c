/*
 * Seals and signatures (sealkit/seal.h): make -> parse -> sign -> verify
 * with keys-example, every verification failure by name, the named
 * limits, and independent checks with the openssl command line tool:
 * `openssl asn1parse` reads our DER, `openssl pkeyutl -verify` verifies
 * the maker signature over the extracted SES_SealInfo, and the time-stamp
 * tokens are real ones made by `openssl ts -reply` with the example TSA.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sealkit/key.h"
#include "sealkit/seal.h"
#include "sealkit/verify.h"
#include "key_int.h"
#include "seal_int.h"
#include "sktest.h"

#define T_FROM	1767225600LL	/* 2026-01-01 */
#define T_TO	1893456000LL	/* 2030-01-01 */
#define T_SIGN	1780000000LL	/* 2026-05-28 */

/* A 2x2 grey PNG (zlib.compress of two filtered rows). */
static const char png_hex[] =
    "89504e470d0a1a0a0000000d494844520000000200000002080000000057dd52f8"
    "0000000e49444154789c63606060f8ff1f00030301ff3287036a0000000049454e44"
    "ae426082";

static char tmpdir[] = "/tmp/sk-test-seal-XXXXXX";
static int have_openssl;
static uint8_t *png;
static size_t pnglen;
static struct sk_cert *maker_cert, *owner_cert, *tsa_cert, *other_cert;
static struct sk_signer *maker, *owner;

static int	sh(const char *, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	char cmd[2048], full[2200];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	snprintf(full, sizeof(full), "cd %s && (%s) >/dev/null 2>&1", tmpdir,
	    cmd);
	st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static const char *
kpath(const char *name)
{
	static char buf[4][512];
	static int i;
	const char *src = getenv("SK_SOURCE_DIR");

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/keys-example/%s",
	    src != NULL ? src : ".", name);
	return buf[i];
}

static void
put_file(const char *name, const void *p, size_t len)
{
	FILE *f = fopen(tpath(name), "wb");

	if (f == NULL || fwrite(p, 1, len, f) != len) {
		perror(name);
		exit(1);
	}
	fclose(f);
}

static struct sk_signer *
load_signer(const char *key, const struct sk_cert *cert)
{
	struct sk_key *k = NULL;
	struct sk_signer *s = NULL;

	if (sk_key_load_file(kpath(key), NULL, &k) != 0 ||
	    sk_signer_from_key(k, SK_ALG_SM2_SM3, cert, &s) != 0) {
		fprintf(stderr, "cannot load %s\n", key);
		exit(1);
	}
	return s;
}

static struct sk_cert *
load_cert(const char *path)
{
	struct sk_cert *c = NULL;

	if (sk_cert_load_file(path, &c) != 0) {
		fprintf(stderr, "cannot load %s\n", path);
		exit(1);
	}
	return c;
}

static void
params(struct sk_seal_params *p, const struct sk_cert **certs)
{
	memset(p, 0, sizeof(*p));
	certs[0] = owner_cert;
	p->vid = "sealkit-test";
	p->esid = "91990100MA000004XB20260101000000";
	p->type = 1;
	p->name = "示例科技有限公司 合同专用章";
	p->png = png;
	p->pnglen = pnglen;
	p->width_mm = 40;
	p->height_mm = 42;
	p->certs = certs;
	p->ncerts = 1;
	p->created = p->valid_from = T_FROM;
	p->valid_to = T_TO;
}

static void
make_seal(struct sk_buf *seal)
{
	struct sk_seal_params p;
	const struct sk_cert *certs[1];

	params(&p, certs);
	sk_buf_init(seal, SK_SEAL_MAX_BYTES);
	SKT_RC(sk_seal_make(&p, maker, maker_cert, seal), 0);
}

static void
sm3(const char *s, uint8_t out[32])
{
	unsigned int n = 32;

	SKT_CHECK(EVP_Digest(s, strlen(s), out, &n, EVP_sm3(), NULL) == 1);
}

static void
sign_doc(const struct sk_buf *seal, int64_t t, struct sk_buf *out)
{
	struct sk_ses_sign_params p;
	uint8_t h[32];

	sm3("document", h);
	memset(&p, 0, sizeof(p));
	p.seal = seal->data;
	p.seallen = seal->len;
	p.data_hash = h;
	p.hashlen = sizeof(h);
	p.property = "/Doc_0/Signs/Sign_0/Signature.xml";
	p.time = t;
	sk_buf_init(out, SK_SES_SIG_MAX_BYTES);
	SKT_RC(sk_ses_sig_sign(&p, owner, owner_cert, out), 0);
}

/* Verify; every check except those in mask must have passed or not run. */
static int
verify(const uint8_t *der, size_t len, const struct sk_seal_verify_opts *o,
    struct sk_seal_report *r, unsigned failing)
{
	struct sk_ses_sig *sig = NULL;
	int i, rc, bad = 0;

	rc = sk_ses_sig_parse(der, len, &sig);
	if (rc != 0)
		return rc;
	rc = sk_ses_sig_verify(sig, o, r);
	for (i = 0; i < SK_SEAL_NCHECKS; i++) {
		if (failing & (1u << i))
			bad |= r->result[i] == 0 ||
			    r->result[i] == SK_SEAL_NOT_RUN;
		else
			bad |= r->result[i] != 0 &&
			    r->result[i] != SK_SEAL_NOT_RUN;
	}
	sk_ses_sig_free(sig);
	return bad ? SK_ERR_INTERNAL : rc;
}

static void
default_opts(struct sk_seal_verify_opts *o, uint8_t h[32])
{
	sk_seal_verify_opts_init(o);
	sm3("document", h);
	o->data_hash = h;
	o->hashlen = 32;
	o->tsa_cert = tsa_cert;
}

static void
roundtrip(void)
{
	struct sk_buf seal, sig;
	struct sk_seal *s = NULL;
	struct sk_seal_fields f;
	struct sk_seal_cert_entry e;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	const uint8_t *c;
	size_t clen;
	uint8_t h[32];

	make_seal(&seal);
	SKT_RC(sk_seal_parse(seal.data, seal.len, &s), 0);
	if (s == NULL)
		goto out;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 4);
	SKT_EQ(f.header_version, 4);
	SKT_MEMEQ(f.vid.p, f.vid.len, "sealkit-test", 12);
	SKT_MEMEQ(f.name.p, f.name.len, "示例科技有限公司 合同专用章",
	    strlen("示例科技有限公司 合同专用章"));
	SKT_EQ(f.cert_list_type, 1);
	SKT_EQ(f.ncerts, 1);
	SKT_MEMEQ(f.pic_data.p, f.pic_data.len, png, pnglen);
	SKT_EQ(f.pic_width, 40);
	SKT_EQ(f.pic_height, 42);
	SKT_EQ(f.valid_from, T_FROM);
	SKT_EQ(f.valid_to, T_TO);
	SKT_CHECK(f.signature.len >= 70 && f.signature.len <= 72);
	SKT_RC(sk_seal_cert_at(s, 0, &e), 0);
	sk_cert_der(owner_cert, &c, &clen);
	SKT_MEMEQ(e.value.p, e.value.len, c, clen);
	sk_seal_verify_opts_init(&o);
	o.at = T_SIGN;
	SKT_RC(sk_seal_verify(s, &o, &r), 0);
	SKT_EQ(r.maker_sig_raw, 0);
	sign_doc(&seal, T_SIGN, &sig);
	default_opts(&o, h);
	SKT_RC(verify(sig.data, sig.len, &o, &r, 0), 0);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
	SKT_RC(r.result[SK_SEAL_CHK_DATA_HASH], 0);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNER_LISTED], 0);
	SKT_EQ(r.at, T_SIGN);
	/* A signer that is not listed cannot sign (GB/T 38540 generation). */
	sk_buf_free(&sig);
	sk_buf_free(&seal);
out:
	sk_seal_free(s);
}

/* Offset of b's bytes in p (fields point into parsed copies). */
static size_t
find(const uint8_t *p, size_t len, const struct sk_seal_bytes *b)
{
	size_t i;

	for (i = 0; b->len > 0 && i + b->len <= len; i++)
		if (memcmp(p + i, b->p, b->len) == 0)
			return i;
	SKT_CHECK(!"bytes found");
	return 0;
}

static void
fail_maker_signature(void)
{
	struct sk_buf seal, sig;
	struct sk_seal *s = NULL;
	struct sk_seal_fields f;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t h[32];
	size_t off;

	make_seal(&seal);
	SKT_RC(sk_seal_parse(seal.data, seal.len, &s), 0);
	if (s == NULL)
		return;
	sk_seal_get(s, &f);
	off = find(seal.data, seal.len, &f.esid);
	sk_seal_free(s);
	seal.data[off] ^= 0x01;		/* inside SES_SealInfo */
	sign_doc(&seal, T_SIGN, &sig);
	default_opts(&o, h);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_MAKER_SIG), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_MAKER_SIG], SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

static void
fail_seal_expired(void)
{
	struct sk_buf seal, sig;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t h[32];

	make_seal(&seal);
	sign_doc(&seal, T_TO + 1, &sig);
	default_opts(&o, h);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_SEAL_VALIDITY), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_SEAL_VALIDITY], SK_ERR_EXPIRED);
	sk_buf_free(&sig);
	sign_doc(&seal, T_FROM - 1, &sig);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_SEAL_VALIDITY), SK_ERR_SIGNATURE);
	sk_buf_free(&sig);
	sign_doc(&seal, T_TO, &sig);	/* validEnd itself is inside */
	SKT_RC(verify(sig.data, sig.len, &o, &r, 0), 0);
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

/* Re-encode a v4 signature with its cert or timeStamp field replaced. */
static void
swap_outer(struct sk_buf *sig, const uint8_t *cert, size_t certlen,
    const uint8_t *ts, size_t tslen)
{
	const unsigned char *p = sig->data;
	unsigned char *der = NULL;
	SK_SES_SIG_V4 *s;
	int len;

	s = d2i_SK_SES_SIG_V4(NULL, &p, (long)sig->len);
	SKT_CHECK(s != NULL);
	if (s == NULL)
		return;
	if (cert != NULL)
		SKT_CHECK(ASN1_OCTET_STRING_set(s->cert, cert, (int)certlen));
	if (ts != NULL) {
		ASN1_BIT_STRING_free(s->ts);
		s->ts = ASN1_BIT_STRING_new();
		SKT_CHECK(ASN1_BIT_STRING_set(s->ts, (unsigned char *)
		    (uintptr_t)ts, (int)tslen));
		s->ts->flags = ASN1_STRING_FLAG_BITS_LEFT;
	}
	len = i2d_SK_SES_SIG_V4(s, &der);
	SKT_CHECK(len > 0);
	sk_buf_reset(sig);
	SKT_RC(sk_buf_append(sig, der, (size_t)len), 0);
	OPENSSL_free(der);
	SK_SES_SIG_V4_free(s);
}

static void
fail_signer_not_listed(void)
{
	struct sk_buf seal, sig;
	struct sk_ses_sign_params p;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	const uint8_t *c;
	size_t clen;
	uint8_t h[32];

	make_seal(&seal);
	/* Signing refuses a certificate the seal does not list. */
	sm3("document", h);
	memset(&p, 0, sizeof(p));
	p.seal = seal.data;
	p.seallen = seal.len;
	p.data_hash = h;
	p.hashlen = 32;
	p.property = "x";
	p.time = T_SIGN;
	sk_buf_init(&sig, SK_SES_SIG_MAX_BYTES);
	SKT_RC(sk_ses_sig_sign(&p, owner, other_cert, &sig), SK_ERR_NOTFOUND);
	sk_buf_free(&sig);
	if (other_cert == NULL)
		goto out;
	/* A second certificate of the owner's key, not in certList. */
	sign_doc(&seal, T_SIGN, &sig);
	sk_cert_der(other_cert, &c, &clen);
	swap_outer(&sig, c, clen, NULL, 0);
	default_opts(&o, h);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_SIGNER_LISTED), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNER_LISTED], SK_ERR_NOTFOUND);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
	sk_buf_free(&sig);
out:
	sk_buf_free(&seal);
}

static void
fail_tbs_signature(void)
{
	struct sk_buf seal, sig;
	struct sk_ses_sig *s = NULL;
	struct sk_ses_sig_fields f;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t h[32];
	size_t off;

	make_seal(&seal);
	sign_doc(&seal, T_SIGN, &sig);
	SKT_RC(sk_ses_sig_parse(sig.data, sig.len, &s), 0);
	if (s == NULL)
		goto out;
	sk_ses_sig_get(s, &f);
	off = find(sig.data, sig.len, &f.signature) + f.signature.len - 1;
	sk_ses_sig_free(s);
	sig.data[off] ^= 0x01;		/* the last byte of s */
	default_opts(&o, h);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_SIGNATURE), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], SK_ERR_SIGNATURE);
out:
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

static void
fail_data_hash(void)
{
	struct sk_buf seal, sig;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t h[32];

	make_seal(&seal);
	sign_doc(&seal, T_SIGN, &sig);
	default_opts(&o, h);
	sm3("documenT", h);
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_DATA_HASH), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_DATA_HASH], SK_ERR_CHECKSUM);
	o.data_hash = NULL;
	o.hashlen = 0;
	SKT_RC(verify(sig.data, sig.len, &o, &r, 0), 0);
	SKT_EQ(r.result[SK_SEAL_CHK_DATA_HASH], SK_SEAL_NOT_RUN);
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

static const char ts_cnf[] =
    "[ tsa ]\n"
    "default_tsa = tsa1\n"
    "[ tsa1 ]\n"
    "serial = ./tsaserial\n"
    "signer_digest = sha256\n"
    "default_policy = 1.2.3.4.1\n"
    "digests = sha256, sm3\n"
    "accuracy = secs:1\n"
    "ess_cert_id_alg = sha256\n"
    "ordering = no\n"
    "tsa_name = no\n";

/* A real token from `openssl ts -reply` for query file q; 0 on success. */
static int
ts_reply(const char *q, const char *out)
{
	return sh("openssl ts -reply -config ts.cnf -queryfile %s "
	    "-signer %s -inkey %s -token_out -out %s", q,
	    kpath("tsa.crt.pem"), kpath("tsa.key.pem"), out);
}

static void
timestamps(void)
{
	struct sk_buf seal, sig, q, stamped;
	struct sk_ses_sig *s = NULL;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t *tok = NULL, *other = NULL, h[32];
	size_t toklen = 0, otherlen = 0;
	static const uint8_t dummy[] = { 1, 2, 3 };

	if (!have_openssl) {
		printf("skip: no openssl\n");
		return;
	}
	make_seal(&seal);
	sign_doc(&seal, T_SIGN, &sig);
	default_opts(&o, h);
	/* Missing, when required. */
	o.require_timestamp = 1;
	SKT_RC(verify(sig.data, sig.len, &o, &r,
	    1u << SK_SEAL_CHK_TIMESTAMP), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], SK_ERR_MISSING);
	/* A real token over the signature value. */
	SKT_RC(sk_ses_sig_parse(sig.data, sig.len, &s), 0);
	sk_buf_init(&q, SK_SEAL_MAX_TST);
	SKT_RC(sk_ses_sig_ts_query(s, &q), 0);
	sk_ses_sig_free(s);
	put_file("ts.cnf", ts_cnf, strlen(ts_cnf));
	put_file("tsaserial", "01\n", 3);
	put_file("q.tsq", q.data, q.len);
	SKT_EQ(sh("openssl ts -query -in q.tsq -text | grep -q "
	    "'Certificate required: yes'"), 0);
	SKT_EQ(ts_reply("q.tsq", "tok.der"), 0);
	SKT_EQ(sh("echo other > other.txt && openssl ts -query -data "
	    "other.txt -sha256 -cert -out o.tsq"), 0);
	SKT_EQ(ts_reply("o.tsq", "other.der"), 0);
	tok = skt_read_file(tpath("tok.der"), &toklen);
	other = skt_read_file(tpath("other.der"), &otherlen);
	if (tok == NULL || other == NULL)
		goto out;
	sk_buf_init(&stamped, SK_SES_SIG_MAX_BYTES);
	SKT_RC(sk_ses_sig_add_timestamp(sig.data, sig.len, tok, toklen,
	    &stamped), 0);
	SKT_RC(verify(stamped.data, stamped.len, &o, &r, 0), 0);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], 0);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP_BINDING], 0);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);	/* TBS untouched */
	SKT_CHECK(r.ts_time > T_FROM);
	/* Invalid: checked against a certificate that is not the TSA's. */
	o.tsa_cert = other_cert != NULL ? other_cert : maker_cert;
	SKT_RC(verify(stamped.data, stamped.len, &o, &r,
	    1u << SK_SEAL_CHK_TIMESTAMP), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], SK_ERR_SIGNATURE);
	o.tsa_cert = tsa_cert;
	sk_buf_free(&stamped);
	/* Not bound: a valid token over something else. */
	sk_buf_init(&stamped, SK_SES_SIG_MAX_BYTES);
	SKT_RC(sk_ses_sig_add_timestamp(sig.data, sig.len, other, otherlen,
	    &stamped), SK_ERR_CHECKSUM);
	SKT_RC(sk_buf_append(&stamped, sig.data, sig.len), 0);
	swap_outer(&stamped, NULL, 0, other, otherlen);
	SKT_RC(verify(stamped.data, stamped.len, &o, &r,
	    1u << SK_SEAL_CHK_TIMESTAMP_BINDING), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP_BINDING], SK_ERR_CHECKSUM);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], 0);
	/* Not a TimeStampToken at all. */
	swap_outer(&stamped, NULL, 0, dummy, sizeof(dummy));
	SKT_RC(verify(stamped.data, stamped.len, &o, &r,
	    1u << SK_SEAL_CHK_TIMESTAMP), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], SK_ERR_FORMAT);
	sk_buf_free(&stamped);
out:
	free(tok);
	free(other);
	sk_buf_free(&q);
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

static void
status(void)
{
	struct sk_buf seal, sig;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t h[32];

	make_seal(&seal);
	sign_doc(&seal, T_SIGN, &sig);
	default_opts(&o, h);
	o.status = (int)SK_STATUS_VALID;
	SKT_RC(verify(sig.data, sig.len, &o, &r, 0), 0);
	SKT_RC(r.result[SK_SEAL_CHK_STATUS], 0);
	o.status = (int)SK_STATUS_INVALID;
	SKT_RC(verify(sig.data, sig.len, &o, &r, 1u << SK_SEAL_CHK_STATUS),
	    SK_ERR_SIGNATURE);
	o.status = (int)SK_STATUS_SUSPENDED;
	SKT_RC(verify(sig.data, sig.len, &o, &r, 1u << SK_SEAL_CHK_STATUS),
	    SK_ERR_SIGNATURE);
	sk_buf_free(&sig);
	sk_buf_free(&seal);
}

static void
limits(void)
{
	struct sk_seal_params p;
	const struct sk_cert *certs[SK_SEAL_MAX_CERTS + 1];
	struct sk_buf out;
	struct sk_seal *s = NULL;
	uint8_t *big;
	char name[SK_SEAL_MAX_STRING + 2];
	size_t i;

	sk_buf_init(&out, SK_SEAL_MAX_BYTES);
	params(&p, certs);
	/* Picture over SK_SEAL_MAX_PICTURE bytes. */
	big = calloc(1, SK_SEAL_MAX_PICTURE + 1);
	memcpy(big, png, pnglen);
	p.png = big;
	p.pnglen = SK_SEAL_MAX_PICTURE + 1;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	p.pnglen = SK_SEAL_MAX_PICTURE;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), 0);
	sk_buf_reset(&out);
	/* Over SK_SEAL_MAX_PICTURE_PX pixels wide (IHDR width). */
	big[16] = 0;
	big[17] = 0;
	big[18] = (SK_SEAL_MAX_PICTURE_PX + 1) >> 8;
	big[19] = (SK_SEAL_MAX_PICTURE_PX + 1) & 0xff;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	big[1] = 'X';
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_FORMAT);
	free(big);
	params(&p, certs);
	p.width_mm = SK_SEAL_MAX_PICTURE_MM + 1;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	/* Too many certificates. */
	params(&p, certs);
	for (i = 0; i <= SK_SEAL_MAX_CERTS; i++)
		certs[i] = owner_cert;
	p.ncerts = SK_SEAL_MAX_CERTS + 1;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	p.ncerts = SK_SEAL_MAX_CERTS;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), 0);
	SKT_RC(sk_seal_parse(out.data, out.len, &s), 0);
	sk_seal_free(s);
	sk_buf_reset(&out);
	/* Long strings. */
	params(&p, certs);
	memset(name, 'n', sizeof(name) - 1);
	name[SK_SEAL_MAX_STRING + 1] = '\0';
	p.name = name;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	p.name = "n";
	p.esid = name;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_LIMIT);
	name[SK_SEAL_MAX_STRING] = '\0';
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), 0);
	/* A string over the limit in a received seal. */
	params(&p, certs);
	sk_buf_reset(&out);
	SKT_RC(sk_seal_parse(out.data, SK_SEAL_MAX_BYTES + 1, &s),
	    SK_ERR_LIMIT);
	p.valid_to = p.valid_from;
	SKT_RC(sk_seal_make(&p, maker, maker_cert, &out), SK_ERR_ARG);
	sk_buf_free(&out);
}

/* openssl asn1parse reads our DER; pkeyutl verifies the maker signature. */
static void
openssl_crosscheck(void)
{
	struct sk_buf seal;
	struct sk_seal *s = NULL;
	struct sk_seal_fields f;

	if (!have_openssl) {
		printf("skip: no openssl\n");
		return;
	}
	make_seal(&seal);
	SKT_RC(sk_seal_parse(seal.data, seal.len, &s), 0);
	if (s == NULL)
		goto out;
	sk_seal_get(s, &f);
	put_file("seal.der", seal.data, seal.len);
	put_file("sealinfo.der", f.sealinfo.p, f.sealinfo.len);
	put_file("sig.der", f.signature.p, f.signature.len);
	SKT_EQ(sh("openssl asn1parse -inform DER -in seal.der "
	    "| grep -q 'OBJECT            :SM2-with-SM3'"), 0);
	SKT_EQ(sh("openssl asn1parse -inform DER -in seal.der | "
	    "grep -q 'GENERALIZEDTIME   :20260101000000Z'"), 0);
	SKT_EQ(sh("openssl asn1parse -inform DER -in sig.der | "
	    "grep -c INTEGER | grep -qx 2"), 0);
	SKT_EQ(sh("openssl x509 -in %s -pubkey -noout > maker.pub",
	    kpath("seal-maker.crt.pem")), 0);
	SKT_EQ(sh("openssl pkeyutl -verify -pubin -inkey maker.pub -rawin "
	    "-digest sm3 -pkeyopt distid:1234567812345678 -in sealinfo.der "
	    "-sigfile sig.der"), 0);
	/* The same check fails on another message: the test can fail. */
	SKT_CHECK(sh("openssl pkeyutl -verify -pubin -inkey maker.pub -rawin "
	    "-digest sm3 -pkeyopt distid:1234567812345678 -in seal.der "
	    "-sigfile sig.der") != 0);
out:
	sk_seal_free(s);
	sk_buf_free(&seal);
}

static void
setup(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	have_openssl = system("openssl version >/dev/null 2>&1") == 0;
	png = skt_unhex(png_hex, &pnglen);
	maker_cert = load_cert(kpath("seal-maker.crt.pem"));
	owner_cert = load_cert(kpath("seal-owner.crt.pem"));
	tsa_cert = load_cert(kpath("tsa.crt.pem"));
	maker = load_signer("seal-maker.key.pem", maker_cert);
	owner = load_signer("seal-owner.key.pem", owner_cert);
	/* A second, self-signed certificate for the owner's key. */
	if (have_openssl && sh("openssl req -new -x509 -key %s -sm3 "
	    "-sigopt distid:1234567812345678 -subj /CN=other -days 30 "
	    "-out other.pem", kpath("seal-owner.key.pem")) == 0)
		other_cert = load_cert(tpath("other.pem"));
}

int
main(void)
{
	int rc;

	setup();
	SKT_RUN(roundtrip);
	SKT_RUN(fail_maker_signature);
	SKT_RUN(fail_seal_expired);
	SKT_RUN(fail_signer_not_listed);
	SKT_RUN(fail_tbs_signature);
	SKT_RUN(fail_data_hash);
	SKT_RUN(timestamps);
	SKT_RUN(status);
	SKT_RUN(limits);
	SKT_RUN(openssl_crosscheck);
	rc = skt_done();
	sk_signer_free(maker);
	sk_signer_free(owner);
	sk_cert_free(maker_cert);
	sk_cert_free(owner_cert);
	sk_cert_free(tsa_cert);
	sk_cert_free(other_cert);
	free(png);
	sh("rm -rf %s", tmpdir);
	return rc;
}
