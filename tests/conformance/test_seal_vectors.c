/*
 * Real GB/T 38540 / GM/T 0031 seals and signatures (../shared/vectors/
 * seals), each with the result STANDARDS.md section 2.1 lists for it
 * (S1-S8).  Field values are the ones STANDARDS.md gives and
 * `openssl asn1parse` shows.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "sealkit/key.h"
#include "sealkit/seal.h"
#include "sealkit/verify.h"
#include "key_int.h"
#include "sktest.h"

/* 2026-01-01T00:00:00Z and 2021-01-01T00:00:00Z. */
#define T_2026	1767225600LL
#define T_2021	1609459200LL
#define T_2025	1735689600LL

static uint8_t *
vec(const char *name, size_t *len)
{
	char rel[128];
	uint8_t *p;

	snprintf(rel, sizeof(rel), "seals/%s", name);
	p = skt_read_file(skt_vector(rel), len);
	if (p == NULL) {
		fprintf(stderr, "cannot read %s\n", rel);
		exit(1);
	}
	return p;
}

static struct sk_seal *
seal_of(const char *name)
{
	struct sk_seal *s = NULL;
	uint8_t *p;
	size_t len;

	p = vec(name, &len);
	SKT_RC(sk_seal_parse(p, len, &s), 0);
	free(p);
	return s;
}

static int
bytes_is(const struct sk_seal_bytes *b, const char *s)
{
	return b->len == strlen(s) && memcmp(b->p, s, b->len) == 0;
}

static int64_t
gt(const char *s)
{
	struct tm tm;
	int v[6], i, j;

	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (j = 0; j < (i == 0 ? 4 : 2); j++)
			v[i] = v[i] * 10 + (*s++ - '0');
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	return (int64_t)timegm(&tm);
}

/* Verify at a time; the report for the named check. */
static int
seal_check_at(const struct sk_seal *s, int64_t at, int chk,
    struct sk_seal_report *r)
{
	struct sk_seal_verify_opts o;

	sk_seal_verify_opts_init(&o);
	o.at = at;
	if (sk_seal_verify(s, &o, r) == 0 && r->result[chk] != 0 &&
	    r->result[chk] != SK_SEAL_NOT_RUN)
		return SK_ERR_INTERNAL;	/* a verdict must follow its checks */
	return r->result[chk];
}

/* Verify sig (DER or raw) over msg with the key of a DER certificate. */
static int
raw_verify(const struct sk_seal_bytes *cert, const uint8_t *msg, size_t len,
    const struct sk_seal_bytes *sig)
{
	struct sk_cert *c = NULL;
	struct sk_key *k = NULL;
	struct sk_buf raw;
	int rc;

	sk_buf_init(&raw, 64);
	if ((rc = sk_cert_load_mem(cert->p, cert->len, &c)) == 0 &&
	    (rc = sk_cert_pubkey(c, &k)) == 0 &&
	    (rc = sk_ecsig_der_to_raw(sig->p, sig->len, 32, &raw)) == 0)
		rc = sk_verify_signature(k, SK_ALG_SM2_SM3, msg, len,
		    raw.data, raw.len);
	sk_buf_free(&raw);
	sk_key_free(k);
	sk_cert_free(c);
	return rc;
}

/* DER SEQUENCE (long form, 2 length bytes) of the concatenation. */
static uint8_t *
seq3(const struct sk_seal_bytes *a, const uint8_t *b, size_t blen,
    size_t *outlen)
{
	size_t n = a->len + blen;
	uint8_t *p = malloc(n + 4);

	p[0] = 0x30;
	p[1] = 0x82;
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	memcpy(p + 4, a->p, a->len);
	memcpy(p + 4 + a->len, b, blen);
	*outlen = n + 4;
	return p;
}

/* S1: v4, signed over DER(SES_SealInfo); expired since 2022-04-22. */
static void
s1_userv4(void)
{
	struct sk_seal *s = seal_of("UserV4.esl");
	struct sk_seal_fields f;
	struct sk_seal_report r;
	struct sk_seal_cert_entry e;
	struct sk_buf m;
	uint8_t *q;
	size_t qlen;

	if (s == NULL)
		return;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 4);
	SKT_EQ(f.header_version, 4);
	SKT_CHECK(bytes_is(&f.id, "ES"));
	SKT_CHECK(bytes_is(&f.vid, "OFDR&WTest"));
	SKT_CHECK(bytes_is(&f.esid, "51f044b76510434e9bc67a1185c2fba5"));
	SKT_EQ(f.type, 3);
	SKT_CHECK(bytes_is(&f.name, "OFD R&W 测试用印章"));
	SKT_EQ(f.cert_list_type, 1);
	SKT_EQ(f.ncerts, 1);
	SKT_CHECK(bytes_is(&f.pic_type, "PNG"));
	SKT_EQ(f.pic_width, 40);
	SKT_EQ(f.pic_height, 40);
	SKT_EQ(f.pic_data.len, 15693);
	SKT_EQ(f.created, gt("20200422020900"));
	SKT_EQ(f.valid_from, gt("20200422020900"));
	SKT_EQ(f.valid_to, gt("20220422020900"));
	SKT_EQ(f.signature.len, 71);
	SKT_EQ(f.timestamp.len, 0);
	SKT_CHECK(strcmp(f.alg, SK_OID_SM2_SM3) == 0);
	SKT_RC(sk_seal_cert_at(s, 0, &e), 0);
	SKT_EQ(e.kind, 1);
	SKT_EQ(e.value.len, 528);
	SKT_RC(sk_seal_cert_at(s, 1, &e), SK_ERR_ARG);
	/* The seal signature is valid; the seal has expired. */
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_MAKER_SIG, &r), 0);
	SKT_EQ(r.maker_sig_raw, 0);
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_SEAL_VALIDITY, &r),
	    SK_ERR_EXPIRED);
	SKT_RC(seal_check_at(s, T_2021, SK_SEAL_CHK_SEAL_VALIDITY, &r), 0);
	SKT_EQ(r.result[SK_SEAL_CHK_SEAL_TIMESTAMP], SK_SEAL_NOT_RUN);
	/* The signed message is SES_SealInfo as stored, not SEQ3. */
	sk_buf_init(&m, SK_SEAL_MAX_BYTES);
	SKT_RC(sk_seal_signed_message(s, &m), 0);
	SKT_MEMEQ(m.data, m.len, f.sealinfo.p, f.sealinfo.len);
	SKT_MEMEQ(f.sealinfo.p, 4, f.der.p + 4, 4);
	SKT_RC(raw_verify(&f.maker_cert, m.data, m.len, &f.signature), 0);
	sk_buf_free(&m);
	sk_buf_init(&m, 4096);
	SKT_RC(sk_buf_append(&m, f.der.p + 4 + f.sealinfo.len,
	    f.maker_cert.len + 4 + 10), 0);
	q = seq3(&f.sealinfo, m.data, m.len, &qlen);
	SKT_RC(raw_verify(&f.maker_cert, q, qlen, &f.signature),
	    SK_ERR_SIGNATURE);
	free(q);
	sk_buf_free(&m);
	sk_seal_free(s);
}

/* S2: v1, signed over SEQ{SealInfo, cert, alg}; expired. */
static void
s2_userv1(void)
{
	struct sk_seal *s = seal_of("UserV1.esl");
	struct sk_seal_fields f;
	struct sk_seal_report r;
	struct sk_seal_cert_entry e;
	struct sk_buf m;

	if (s == NULL)
		return;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 1);
	SKT_EQ(f.header_version, 1);
	SKT_EQ(f.cert_list_type, 0);
	SKT_EQ(f.signature.len, 72);
	SKT_EQ(f.valid_from, gt("20200422021807"));
	SKT_EQ(f.valid_to, gt("20220422021807"));
	SKT_RC(sk_seal_cert_at(s, 0, &e), 0);
	SKT_EQ(e.kind, 1);
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_MAKER_SIG, &r), 0);
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_SEAL_VALIDITY, &r),
	    SK_ERR_EXPIRED);
	SKT_RC(seal_check_at(s, T_2021, SK_SEAL_CHK_SEAL_VALIDITY, &r), 0);
	/* The SEQ3 message verifies (above); SES_SealInfo alone does not. */
	sk_buf_init(&m, SK_SEAL_MAX_BYTES + 16);
	SKT_RC(sk_seal_signed_message(s, &m), 0);
	SKT_CHECK(m.len == f.sealinfo.len + f.maker_cert.len + 4 + 10 + 4);
	SKT_RC(raw_verify(&f.maker_cert, m.data, m.len, &f.signature), 0);
	SKT_RC(raw_verify(&f.maker_cert, f.sealinfo.p, f.sealinfo.len,
	    &f.signature), SK_ERR_SIGNATURE);
	sk_buf_free(&m);
	sk_seal_free(s);
}

/* S3: v5 valid; the _ts variant's dummy token is not a TimeStampToken. */
static void
s3_userv5(void)
{
	struct sk_seal *s = seal_of("UserV5.esl");
	struct sk_seal *t = seal_of("UserV5_ts.esl");
	struct sk_seal_fields f;
	struct sk_seal_report r;
	static const uint8_t dummy[] = { 1, 2, 3 };

	if (s == NULL || t == NULL)
		goto out;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 5);
	SKT_EQ(f.header_version, 5);
	SKT_CHECK(f.valid_from >= gt("20260423000000") &&
	    f.valid_from < gt("20260425000000"));
	SKT_CHECK(f.valid_to >= gt("20280423000000") &&
	    f.valid_to < gt("20280425000000"));
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_MAKER_SIG, &r), 0);
	SKT_RC(sk_seal_verify(s, &(struct sk_seal_verify_opts){ .at =
	    f.valid_from + 1, .status = SK_SEAL_STATUS_NONE }, &r), 0);
	sk_seal_get(t, &f);
	SKT_EQ(f.version, 5);
	SKT_MEMEQ(f.timestamp.p, f.timestamp.len, dummy, sizeof(dummy));
	SKT_RC(seal_check_at(t, f.valid_from + 1, SK_SEAL_CHK_MAKER_SIG, &r),
	    0);
	SKT_RC(r.result[SK_SEAL_CHK_SEAL_TIMESTAMP], SK_ERR_FORMAT);
	SKT_CHECK(r.reason[SK_SEAL_CHK_SEAL_TIMESTAMP] != NULL &&
	    strstr(r.reason[SK_SEAL_CHK_SEAL_TIMESTAMP],
	    "not a TimeStampToken") != NULL);
	SKT_RC(sk_seal_verify(t, &(struct sk_seal_verify_opts){ .at =
	    f.valid_from + 1, .status = SK_SEAL_STATUS_NONE }, &r),
	    SK_ERR_SIGNATURE);
out:
	sk_seal_free(s);
	sk_seal_free(t);
}

static void
sm3(const uint8_t *p, size_t len, uint8_t out[32])
{
	unsigned int n = 32;

	SKT_CHECK(EVP_Digest(p, len, out, &n, EVP_sm3(), NULL) == 1);
}

/* S4: v4 signature, TBS valid, dataHash zero, not SM3(Signature.xml). */
static void
s4_signed_v4(void)
{
	struct sk_ses_sig *sig = NULL;
	struct sk_ses_sig_fields f;
	struct sk_seal_fields sf;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t *p, *xml, *s1, h[32], zero[32];
	size_t len, xlen, s1len;

	p = vec("SignedValueV4.dat", &len);
	xml = vec("Signature.xml", &xlen);
	s1 = vec("UserV4.esl", &s1len);
	SKT_RC(sk_ses_sig_parse(p, len, &sig), 0);
	if (sig == NULL)
		goto out;
	sk_ses_sig_get(sig, &f);
	SKT_EQ(f.version, 4);
	SKT_EQ(f.tbs_version, 4);
	SKT_EQ(f.time, gt("20201012111403"));
	SKT_CHECK(bytes_is(&f.property, "/Doc_0/Signs/Sign_0/Signature.xml"));
	memset(zero, 0, sizeof(zero));
	SKT_MEMEQ(f.data_hash.p, f.data_hash.len, zero, sizeof(zero));
	sk_seal_get(f.seal, &sf);
	SKT_MEMEQ(sf.der.p, sf.der.len, s1, s1len);	/* embeds S1 */
	sm3(xml, xlen, h);
	sk_seal_verify_opts_init(&o);
	o.data_hash = h;
	o.hashlen = sizeof(h);
	SKT_RC(sk_ses_sig_verify(sig, &o, &r), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
	SKT_RC(r.result[SK_SEAL_CHK_MAKER_SIG], 0);
	SKT_RC(r.result[SK_SEAL_CHK_SEAL_VALIDITY], 0);	/* at signing */
	SKT_EQ(r.at, f.time);
	SKT_RC(r.result[SK_SEAL_CHK_DATA_HASH], SK_ERR_CHECKSUM);
	SKT_EQ(r.result[SK_SEAL_CHK_TIMESTAMP], SK_SEAL_NOT_RUN);
	/* The signer's certificate is the one S1 lists. */
	SKT_RC(r.result[SK_SEAL_CHK_SIGNER_LISTED], 0);
	/* With the hash it was made over (zeros) everything passes. */
	o.data_hash = zero;
	SKT_RC(sk_ses_sig_verify(sig, &o, &r), 0);
	SKT_RC(r.result[SK_SEAL_CHK_DATA_HASH], 0);
	/* A required time-stamp is reported missing, by name. */
	o.require_timestamp = 1;
	SKT_RC(sk_ses_sig_verify(sig, &o, &r), SK_ERR_SIGNATURE);
	SKT_RC(r.result[SK_SEAL_CHK_TIMESTAMP], SK_ERR_MISSING);
out:
	sk_ses_sig_free(sig);
	free(p);
	free(xml);
	free(s1);
}

/* S5: v5 signature, TBS valid, dataHash zeros. */
static void
s5_signed_v5(void)
{
	struct sk_ses_sig *sig = NULL;
	struct sk_ses_sig_fields f;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	uint8_t *p, zero[32];
	size_t len;

	p = vec("SignedValueV5.dat", &len);
	SKT_RC(sk_ses_sig_parse(p, len, &sig), 0);
	if (sig != NULL) {
		sk_ses_sig_get(sig, &f);
		SKT_EQ(f.version, 5);
		memset(zero, 0, sizeof(zero));
		SKT_MEMEQ(f.data_hash.p, f.data_hash.len, zero, sizeof(zero));
		sk_seal_verify_opts_init(&o);
		o.data_hash = zero;
		o.hashlen = sizeof(zero);
		SKT_CHECK(sk_ses_sig_verify(sig, &o, &r) <= 0);
		SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
		SKT_RC(r.result[SK_SEAL_CHK_MAKER_SIG], 0);
		SKT_RC(r.result[SK_SEAL_CHK_DATA_HASH], 0);
	}
	sk_ses_sig_free(sig);
	free(p);
}

/* S6: a real vendor seal that parses but whose signature fails. */
static void
s6_hebei(void)
{
	struct sk_seal *s = seal_of("SESealData.DER");
	struct sk_seal_fields f;
	struct sk_seal_report r;
	struct sk_seal_ext e;
	static const char *const oids[] = { "1.2.156.112600.7.1",
	    "1.2.156.112600.7.2", "1.2.156.112600.7.3" };
	size_t i;

	if (s == NULL)
		return;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 4);
	SKT_CHECK(bytes_is(&f.vid, "Vid HebeiGede"));
	SKT_CHECK(bytes_is(&f.esid, "esID130600"));
	SKT_CHECK(bytes_is(&f.name, "测试单位名称 合同专用章"));
	SKT_CHECK(bytes_is(&f.pic_type, "GIF"));
	SKT_EQ(f.pic_width, 42);
	SKT_EQ(f.pic_height, 42);
	SKT_EQ(f.signature.len, 72);
	SKT_EQ(f.next, 3);
	for (i = 0; i < 3 && i < f.next; i++) {
		SKT_RC(sk_seal_ext_at(s, i, &e), 0);
		SKT_CHECK(strcmp(e.oid, oids[i]) == 0);
	}
	SKT_RC(seal_check_at(s, T_2026, SK_SEAL_CHK_MAKER_SIG, &r),
	    SK_ERR_SIGNATURE);
	sk_seal_free(s);
}

/* S7: Koal, raw r||s; valid only after r||s -> DER. */
static void
s7_koal(void)
{
	struct sk_seal *s = seal_of("KoalSeal.esl");
	struct sk_seal_fields f;
	struct sk_seal_report r;
	struct sk_buf raw;

	if (s == NULL)
		return;
	sk_seal_get(s, &f);
	SKT_EQ(f.version, 4);
	SKT_CHECK(bytes_is(&f.vid, "koal"));
	SKT_CHECK(bytes_is(&f.pic_type, "PNG"));
	SKT_EQ(f.pic_width, 40);
	SKT_EQ(f.signature.len, 64);
	SKT_CHECK(f.next > 0);
	/* A strict DER-only reader rejects the value. */
	sk_buf_init(&raw, 64);
	SKT_RC(sk_ecsig_der_to_raw(f.signature.p, f.signature.len, 32, &raw),
	    SK_ERR_SIGNATURE);
	sk_buf_free(&raw);
	SKT_RC(raw_verify(&f.maker_cert, f.sealinfo.p, f.sealinfo.len,
	    &f.signature), SK_ERR_SIGNATURE);
	SKT_RC(seal_check_at(s, T_2025, SK_SEAL_CHK_MAKER_SIG, &r), 0);
	SKT_EQ(r.maker_sig_raw, 1);
	SKT_RC(r.result[SK_SEAL_CHK_SEAL_VALIDITY], 0);
	SKT_CHECK(f.valid_from >= gt("20231120000000") &&
	    f.valid_from < gt("20231122000000"));
	SKT_RC(seal_check_at(s, gt("20261122000000"),
	    SK_SEAL_CHK_SEAL_VALIDITY, &r), SK_ERR_EXPIRED);
	sk_seal_free(s);
}

/*
 * S8: sign_key.pem / sign_cert.pem mint a new v4 signature (over a seal
 * listing sign_cert, made with the example maker); the PKCS#12 files use
 * RC2-40, which OpenSSL 3.0 has only in the legacy provider.
 */
static void
s8_keys(void)
{
	struct sk_key *key = NULL, *maker = NULL;
	struct sk_cert *cert = NULL, *mcert = NULL;
	struct sk_signer *ms = NULL, *us = NULL;
	struct sk_seal_params sp;
	struct sk_ses_sign_params p;
	struct sk_ses_sig *sig = NULL;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	struct sk_buf seal, out;
	const struct sk_cert *certs[1];
	char kpath[512], cpath[512];
	uint8_t *png, h[32];
	size_t pnglen;
	const char *src = getenv("SK_SOURCE_DIR");

	SKT_RC(sk_pkcs12_load_file(skt_vector("seals/USER.p12"), "777777",
	    &key, &cert), SK_ERR_FORMAT);
	SKT_RC(sk_key_load_file(skt_vector("seals/sign_key.pem"), NULL,
	    &key), 0);
	SKT_RC(sk_cert_load_file(skt_vector("seals/sign_cert.pem"), &cert),
	    0);
	snprintf(kpath, sizeof(kpath), "%s/keys-example/seal-maker.key.pem",
	    src != NULL ? src : ".");
	snprintf(cpath, sizeof(cpath), "%s/keys-example/seal-maker.crt.pem",
	    src != NULL ? src : ".");
	SKT_RC(sk_key_load_file(kpath, NULL, &maker), 0);
	SKT_RC(sk_cert_load_file(cpath, &mcert), 0);
	png = vec("UserV4.esl", &pnglen);	/* a PNG is inside at 698 */
	if (key == NULL || cert == NULL || maker == NULL || mcert == NULL)
		goto out;
	SKT_RC(sk_signer_from_key(maker, SK_ALG_SM2_SM3, mcert, &ms), 0);
	maker = NULL;
	SKT_RC(sk_signer_from_key(key, SK_ALG_SM2_SM3, cert, &us), 0);
	key = NULL;
	certs[0] = cert;
	memset(&sp, 0, sizeof(sp));
	sp.vid = "sealkit-test";
	sp.esid = "S8-0001";
	sp.type = 1;
	sp.name = "S8 test seal";
	sp.png = png + 698;
	sp.pnglen = 15693;
	sp.width_mm = sp.height_mm = 40;
	sp.certs = certs;
	sp.ncerts = 1;
	sp.created = sp.valid_from = T_2021;
	sp.valid_to = T_2026;
	sk_buf_init(&seal, SK_SEAL_MAX_BYTES);
	sk_buf_init(&out, SK_SES_SIG_MAX_BYTES);
	SKT_RC(sk_seal_make(&sp, ms, mcert, &seal), 0);
	sm3((const uint8_t *)"S8 document", 11, h);
	memset(&p, 0, sizeof(p));
	p.seal = seal.data;
	p.seallen = seal.len;
	p.data_hash = h;
	p.hashlen = sizeof(h);
	p.property = "s8.txt";
	p.time = T_2021 + 86400 * 200;
	SKT_RC(sk_ses_sig_sign(&p, us, cert, &out), 0);
	SKT_RC(sk_ses_sig_parse(out.data, out.len, &sig), 0);
	sk_seal_verify_opts_init(&o);
	o.data_hash = h;
	o.hashlen = sizeof(h);
	SKT_RC(sk_ses_sig_verify(sig, &o, &r), 0);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNER_LISTED], 0);
	SKT_RC(r.result[SK_SEAL_CHK_SIGNATURE], 0);
	sk_ses_sig_free(sig);
	sk_buf_free(&seal);
	sk_buf_free(&out);
out:
	free(png);
	sk_signer_free(ms);
	sk_signer_free(us);
	sk_key_free(key);
	sk_key_free(maker);
	sk_cert_free(cert);
	sk_cert_free(mcert);
}

int
main(void)
{
	SKT_RUN(s1_userv4);
	SKT_RUN(s2_userv1);
	SKT_RUN(s3_userv5);
	SKT_RUN(s4_signed_v4);
	SKT_RUN(s5_signed_v5);
	SKT_RUN(s6_hebei);
	SKT_RUN(s7_koal);
	SKT_RUN(s8_keys);
	return skt_done();
}
