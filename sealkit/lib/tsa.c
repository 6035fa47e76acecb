/*
 * tsa.c: an RFC 3161 time-stamping authority (include/sealkit/tsa.h,
 * docs/TSA.md).
 *
 * Requests are checked here first, strictly, and anything we refuse is
 * answered with a rejection we encode ourselves; only acceptable requests
 * reach OpenSSL's TS_RESP_CTX, which builds and signs the token.  So a
 * refused request never consumes a serial number, and OpenSSL's own
 * checks stay as a second line.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sealkit/tsa.h"

#include "key_int.h"

/* Entries of tsa_mds; index 0 (SHA-256) also signs. */
#define SK_TSA_NMD		4
/* Characters of a rejection's statusString; keeps its DER short-form. */
#define SK_TSA_TEXT_MAX		96u
/* Bytes of an encoded rejection: 2 + 2 + 3 + 4 + text + 3 + 4. */
#define SK_TSA_REJECT_MAX	(18u + SK_TSA_TEXT_MAX)
/* Highest PKIFailureInfo bit RFC 3161 defines (systemFailure). */
#define SK_TSA_FAIL_MAXBIT	25

static const struct tsa_md {
	unsigned int	 bit;
	int		 nid;
	const char	*name;
	int		 len;
} tsa_mds[SK_TSA_NMD] = {
	{ SK_TSA_MD_SHA256,	NID_sha256,	"SHA256",	32 },
	{ SK_TSA_MD_SHA384,	NID_sha384,	"SHA384",	48 },
	{ SK_TSA_MD_SHA512,	NID_sha512,	"SHA512",	64 },
	{ SK_TSA_MD_SM3,	NID_sm3,	"SM3",		32 }
};

struct sk_tsa {
	EVP_PKEY	*pkey;
	X509		*cert;
	STACK_OF(X509)	*chain;			/* NULL if none */
	ASN1_OBJECT	*policy;
	EVP_MD		*md[SK_TSA_NMD];	/* NULL: not available */
	unsigned int	 mdmask;
	unsigned int	 accuracy;
	int		(*next)(void *, uint64_t *);
	void		*next_arg;
	uint64_t	 counter;		/* last counter used */
	int		(*now)(void *, int64_t *);
	void		*now_arg;
	long		 gen_sec;		/* genTime being issued */
};

/* A refusal: a PKIFailureInfo bit and the statusString. */
struct tsa_refusal {
	int		 bit;			/* -1: none */
	const char	*text;
};

static void
tsa_refuse(struct tsa_refusal *r, int bit, const char *text)
{
	r->bit = bit;
	r->text = text;
}

static int
tsa_check_signer(const struct sk_key *key, const struct sk_cert *cert)
{
	int kind = sk_key_kind(key);

	if (!sk_key_is_private(key))
		return SK_ERR_KEY;
	if (kind != SK_KIND_EC && kind != SK_KIND_RSA)
		return SK_ERR_UNSUPPORTED;
	if (X509_check_private_key(sk_cert_x509(cert), sk_key_pkey(key)) != 1)
		return SK_ERR_KEY;
	/* RFC 3161 section 2.3: EKU timeStamping, alone and critical. */
	if (X509_check_purpose(sk_cert_x509(cert), X509_PURPOSE_TIMESTAMP_SIGN,
	    0) != 1)
		return SK_ERR_CERT;
	return 0;
}

static int
tsa_set_chain(struct sk_tsa *tsa, const struct sk_cert *const *chain,
    size_t nchain)
{
	X509 *x;
	size_t i;

	if (nchain == 0)
		return 0;
	if ((tsa->chain = sk_X509_new_null()) == NULL)
		return SK_ERR_NOMEM;
	for (i = 0; i < nchain; i++) {
		if (chain[i] == NULL)
			return SK_ERR_ARG;
		x = sk_cert_x509(chain[i]);
		if (!X509_up_ref(x))
			return SK_ERR_CRYPTO;
		if (!sk_X509_push(tsa->chain, x)) {
			X509_free(x);
			return SK_ERR_NOMEM;
		}
	}
	return 0;
}

static int
tsa_fetch_mds(struct sk_tsa *tsa)
{
	size_t i;

	for (i = 0; i < SK_TSA_NMD; i++) {
		tsa->md[i] = EVP_MD_fetch(NULL, tsa_mds[i].name, NULL);
		if (tsa->md[i] != NULL)
			tsa->mdmask |= tsa_mds[i].bit;
	}
	/* SM3 is optional (not in a FIPS provider); the SHA-2 are not. */
	if ((tsa->mdmask & (SK_TSA_MD_SHA256 | SK_TSA_MD_SHA384 |
	    SK_TSA_MD_SHA512)) != (SK_TSA_MD_SHA256 | SK_TSA_MD_SHA384 |
	    SK_TSA_MD_SHA512))
		return SK_ERR_CRYPTO;
	return 0;
}

int
sk_tsa_new(const struct sk_key *key, const struct sk_cert *cert,
    const struct sk_cert *const *chain, size_t nchain, struct sk_tsa **out)
{
	struct sk_tsa *tsa;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || key == NULL || cert == NULL ||
	    (chain == NULL && nchain > 0))
		return SK_ERR_ARG;
	if (nchain > SK_TSA_MAX_CHAIN)
		return SK_ERR_LIMIT;
	if ((rc = tsa_check_signer(key, cert)) != 0) {
		ERR_clear_error();
		return rc;
	}
	if ((tsa = calloc(1, sizeof(*tsa))) == NULL)
		return SK_ERR_NOMEM;
	tsa->accuracy = SK_TSA_DEFAULT_ACCURACY;
	rc = SK_ERR_CRYPTO;
	if (EVP_PKEY_up_ref(sk_key_pkey(key)))
		tsa->pkey = sk_key_pkey(key);
	if (X509_up_ref(sk_cert_x509(cert)))
		tsa->cert = sk_cert_x509(cert);
	if (tsa->pkey == NULL || tsa->cert == NULL ||
	    (rc = tsa_set_chain(tsa, chain, nchain)) != 0 ||
	    (rc = tsa_fetch_mds(tsa)) != 0 ||
	    (rc = sk_tsa_set_policy(tsa, SK_TSA_POLICY_EXAMPLE)) != 0) {
		sk_tsa_free(tsa);
		ERR_clear_error();
		return rc;
	}
	*out = tsa;
	return 0;
}

void
sk_tsa_free(struct sk_tsa *tsa)
{
	size_t i;

	if (tsa == NULL)
		return;
	/* EVP_PKEY_free clears the key material of the built-in providers. */
	EVP_PKEY_free(tsa->pkey);
	X509_free(tsa->cert);
	sk_X509_pop_free(tsa->chain, X509_free);
	ASN1_OBJECT_free(tsa->policy);
	for (i = 0; i < SK_TSA_NMD; i++)
		EVP_MD_free(tsa->md[i]);
	free(tsa);
}

int
sk_tsa_set_policy(struct sk_tsa *tsa, const char *oid)
{
	char txt[SK_TSA_MAX_POLICY + 1];
	ASN1_OBJECT *obj;
	size_t n;

	if (tsa == NULL || oid == NULL)
		return SK_ERR_ARG;
	n = strnlen(oid, SK_TSA_MAX_POLICY + 1);
	if (n > SK_TSA_MAX_POLICY)
		return SK_ERR_LIMIT;
	if (n == 0 || strspn(oid, "0123456789.") != n)
		return SK_ERR_FORMAT;
	if ((obj = OBJ_txt2obj(oid, 1)) == NULL) {
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	/* Canonical text only: OBJ_txt2obj lets "2..5" and "2.05" through. */
	if (OBJ_obj2txt(txt, sizeof(txt), obj, 1) != (int)n ||
	    strcmp(txt, oid) != 0) {
		ASN1_OBJECT_free(obj);
		return SK_ERR_FORMAT;
	}
	ASN1_OBJECT_free(tsa->policy);
	tsa->policy = obj;
	return 0;
}

int
sk_tsa_set_accuracy(struct sk_tsa *tsa, unsigned int seconds)
{
	if (tsa == NULL || seconds > SK_TSA_MAX_ACCURACY)
		return SK_ERR_ARG;
	tsa->accuracy = seconds;
	return 0;
}

int
sk_tsa_set_digests(struct sk_tsa *tsa, unsigned int mask)
{
	size_t i;

	if (tsa == NULL || mask == 0 || (mask & ~SK_TSA_MD_ALL) != 0)
		return SK_ERR_ARG;
	for (i = 0; i < SK_TSA_NMD; i++)
		if ((mask & tsa_mds[i].bit) != 0 && tsa->md[i] == NULL)
			return SK_ERR_UNSUPPORTED;
	tsa->mdmask = mask;
	return 0;
}

void
sk_tsa_set_serial_cb(struct sk_tsa *tsa,
    int (*next)(void *arg, uint64_t *counter), void *arg)
{
	if (tsa == NULL)
		return;
	tsa->next = next;
	tsa->next_arg = arg;
}

void
sk_tsa_set_clock(struct sk_tsa *tsa, int (*now)(void *arg, int64_t *sec),
    void *arg)
{
	if (tsa == NULL)
		return;
	tsa->now = now;
	tsa->now_arg = arg;
}

/* The request's fields, once it is known to be one DER TimeStampReq. */
static void
tsa_check_fields(const struct sk_tsa *tsa, TS_REQ *req,
    struct tsa_refusal *r)
{
	TS_MSG_IMPRINT *mi = TS_REQ_get_msg_imprint(req);
	const ASN1_OBJECT *alg;
	const ASN1_OBJECT *pol;
	const void *pval;
	size_t i;
	int nid, ptype;

	if (TS_REQ_get_version(req) != 1) {
		tsa_refuse(r, TS_INFO_BAD_REQUEST, "Request version is not 1.");
		return;
	}
	X509_ALGOR_get0(&alg, &ptype, &pval, TS_MSG_IMPRINT_get_algo(mi));
	nid = OBJ_obj2nid(alg);
	for (i = 0; i < SK_TSA_NMD; i++)
		if (tsa_mds[i].nid == nid &&
		    (tsa->mdmask & tsa_mds[i].bit) != 0)
			break;
	if (i == SK_TSA_NMD) {
		tsa_refuse(r, TS_INFO_BAD_ALG, "Hash algorithm not accepted.");
		return;
	}
	/* RFC 5754 section 2: parameters absent or NULL. */
	if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL) {
		tsa_refuse(r, TS_INFO_BAD_ALG,
		    "Hash algorithm parameters are not absent or NULL.");
		return;
	}
	if (ASN1_STRING_length(TS_MSG_IMPRINT_get_msg(mi)) !=
	    tsa_mds[i].len) {
		tsa_refuse(r, TS_INFO_BAD_DATA_FORMAT,
		    "Imprint length does not match its hash algorithm.");
		return;
	}
	pol = TS_REQ_get_policy_id(req);
	if (pol != NULL && OBJ_cmp(pol, tsa->policy) != 0) {
		tsa_refuse(r, TS_INFO_UNACCEPTED_POLICY,
		    "Request policy is not this TSA's policy.");
		return;
	}
	if (TS_REQ_get_ext_count(req) != 0)
		tsa_refuse(r, TS_INFO_UNACCEPTED_EXTENSION,
		    "Extensions are not supported.");
}

/*
 * Parse exactly len bytes as a DER TimeStampReq and check it.  Sets r to
 * the refusal, if any; fails only if OpenSSL cannot allocate.
 */
static int
tsa_check_query(const struct sk_tsa *tsa, const uint8_t *query, size_t len,
    struct tsa_refusal *r)
{
	const unsigned char *p = query;
	unsigned char *der = NULL;
	TS_REQ *req;
	int derlen;

	tsa_refuse(r, -1, NULL);
	if (len == 0 || (req = d2i_TS_REQ(NULL, &p, (long)len)) == NULL) {
		tsa_refuse(r, TS_INFO_BAD_DATA_FORMAT,
		    "Request is not a TimeStampReq.");
		return 0;
	}
	if (p != query + len) {
		tsa_refuse(r, TS_INFO_BAD_DATA_FORMAT,
		    "Bytes after the request.");
		TS_REQ_free(req);
		return 0;
	}
	/* Only DER: a re-encoding must give the same bytes. */
	if ((derlen = i2d_TS_REQ(req, &der)) <= 0) {
		TS_REQ_free(req);
		return SK_ERR_NOMEM;
	}
	if ((size_t)derlen != len || memcmp(der, query, len) != 0)
		tsa_refuse(r, TS_INFO_BAD_DATA_FORMAT,
		    "Request is not DER.");
	else
		tsa_check_fields(tsa, req, r);
	OPENSSL_free(der);
	TS_REQ_free(req);
	return 0;
}

/* genTime: the clock, inside the certificate's validity. */
static void
tsa_check_time(struct sk_tsa *tsa, struct tsa_refusal *r)
{
	int64_t sec;
	time_t t;
	int nb, na;

	tsa_refuse(r, -1, NULL);
	if (tsa->now != NULL) {
		if (tsa->now(tsa->now_arg, &sec) != 0)
			sec = -1;
	} else
		sec = (int64_t)time(NULL);
	t = (time_t)sec;
	if (sec < 0 || sec > LONG_MAX || (int64_t)t != sec) {
		tsa_refuse(r, TS_INFO_TIME_NOT_AVAILABLE,
		    "Time is not available.");
		return;
	}
	/* ASN1_TIME_cmp_time_t: -1, 0, 1 as the time is before, at, after. */
	nb = ASN1_TIME_cmp_time_t(X509_get0_notBefore(tsa->cert), t);
	na = ASN1_TIME_cmp_time_t(X509_get0_notAfter(tsa->cert), t);
	if (nb < -1 || nb > 0 || na < 0) {
		tsa_refuse(r, TS_INFO_SYSTEM_FAILURE,
		    "TSA certificate is not valid at this time.");
		return;
	}
	tsa->gen_sec = (long)sec;
}

/*
 * Encode TimeStampResp { PKIStatusInfo { rejection, { text }, failInfo } }
 * (RFC 3161 section 2.4.2).  Every length is below 128, so each is one
 * byte; the BIT STRING is DER for a named bit list (X.690 11.2.2: no
 * trailing zero bits).
 */
static int
tsa_reject(const struct tsa_refusal *r, struct sk_buf *reply,
    struct sk_tsa_outcome *oc)
{
	uint8_t der[SK_TSA_REJECT_MAX], *p = der;
	size_t tlen = strlen(r->text), nfi, inner;
	int rc;

	if (r->bit < 0 || r->bit > SK_TSA_FAIL_MAXBIT ||
	    tlen > SK_TSA_TEXT_MAX)
		return SK_ERR_INTERNAL;
	nfi = (size_t)r->bit / 8 + 1;
	inner = 3 + 4 + tlen + 3 + nfi;
	*p++ = 0x30;
	*p++ = (uint8_t)(2 + inner);
	*p++ = 0x30;
	*p++ = (uint8_t)inner;
	*p++ = 0x02;
	*p++ = 0x01;
	*p++ = SK_TSA_REJECTION;
	*p++ = 0x30;
	*p++ = (uint8_t)(2 + tlen);
	*p++ = 0x0c;
	*p++ = (uint8_t)tlen;
	memcpy(p, r->text, tlen);
	p += tlen;
	*p++ = 0x03;
	*p++ = (uint8_t)(1 + nfi);
	*p++ = (uint8_t)(7 - r->bit % 8);
	memset(p, 0, nfi);
	p[nfi - 1] = (uint8_t)(0x80u >> (r->bit % 8));
	p += nfi;
	if ((rc = sk_buf_append(reply, der, (size_t)(p - der))) != 0)
		return rc;
	if (oc != NULL) {
		oc->status = SK_TSA_REJECTION;
		oc->failinfo = 1u << r->bit;
	}
	return 0;
}

static int
tsa_next_counter(struct sk_tsa *tsa, uint64_t *c)
{
	*c = 0;
	if (tsa->next != NULL) {
		if (tsa->next(tsa->next_arg, c) != 0)
			return -1;
	} else if (tsa->counter < UINT64_MAX)
		*c = tsa->counter + 1;
	if (*c == 0 || *c <= tsa->counter)
		return -1;
	tsa->counter = *c;
	return 0;
}

/* TS_serial_cb: counter (64 bits, big-endian) then 64 random bits. */
static ASN1_INTEGER *
tsa_serial_cb(TS_RESP_CTX *ctx, void *data)
{
	struct sk_tsa *tsa = data;
	ASN1_INTEGER *ai = NULL;
	BIGNUM *bn = NULL;
	uint8_t b[16];
	uint64_t c;
	int i;

	if (tsa_next_counter(tsa, &c) == 0 && RAND_bytes(b + 8, 8) == 1) {
		for (i = 0; i < 8; i++)
			b[i] = (uint8_t)(c >> (56 - 8 * i));
		if ((bn = BN_bin2bn(b, (int)sizeof(b), NULL)) != NULL)
			ai = BN_to_ASN1_INTEGER(bn, NULL);
		BN_free(bn);
	}
	if (ai == NULL) {
		TS_RESP_CTX_set_status_info(ctx, TS_STATUS_REJECTION,
		    "Serial number not available.");
		TS_RESP_CTX_add_failure_info(ctx, TS_INFO_SYSTEM_FAILURE);
	}
	return ai;
}

/* TS_time_cb: the time tsa_check_time() fixed for this request. */
static int
tsa_time_cb(TS_RESP_CTX *ctx, void *data, long *sec, long *usec)
{
	const struct sk_tsa *tsa = data;

	(void)ctx;
	*sec = tsa->gen_sec;
	*usec = 0;
	return 1;
}

static int
tsa_ctx_new(struct sk_tsa *tsa, TS_RESP_CTX **out)
{
	TS_RESP_CTX *ctx;
	size_t i;
	int ok;

	*out = NULL;
	if ((ctx = TS_RESP_CTX_new_ex(NULL, NULL)) == NULL)
		return SK_ERR_NOMEM;
	ok = TS_RESP_CTX_set_signer_cert(ctx, tsa->cert) &&
	    TS_RESP_CTX_set_signer_key(ctx, tsa->pkey) &&
	    TS_RESP_CTX_set_certs(ctx, tsa->chain) &&
	    TS_RESP_CTX_set_def_policy(ctx, tsa->policy) &&
	    TS_RESP_CTX_set_accuracy(ctx, (int)tsa->accuracy, 0, 0) &&
	    TS_RESP_CTX_set_clock_precision_digits(ctx, 0) &&
	    TS_RESP_CTX_set_signer_digest(ctx, tsa->md[0]) &&
	    TS_RESP_CTX_set_ess_cert_id_digest(ctx, tsa->md[0]);
	for (i = 0; ok && i < SK_TSA_NMD; i++)
		if ((tsa->mdmask & tsa_mds[i].bit) != 0)
			ok = TS_RESP_CTX_add_md(ctx, tsa->md[i]);
	if (!ok) {
		TS_RESP_CTX_free(ctx);
		return SK_ERR_CRYPTO;
	}
	TS_RESP_CTX_add_flags(ctx, TS_TSA_NAME |
	    (tsa->chain != NULL ? TS_ESS_CERT_ID_CHAIN : 0));
	TS_RESP_CTX_set_serial_cb(ctx, tsa_serial_cb, tsa);
	TS_RESP_CTX_set_time_cb(ctx, tsa_time_cb, tsa);
	*out = ctx;
	return 0;
}

/* Status and failure bits of OpenSSL's response; then its DER. */
static int
tsa_encode(TS_RESP *resp, struct sk_buf *reply, struct sk_tsa_outcome *oc)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(si);
	unsigned char *der = NULL;
	uint32_t bits = 0;
	long status;
	int i, len, rc;

	status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
	for (i = 0; fi != NULL && i <= SK_TSA_FAIL_MAXBIT; i++)
		if (ASN1_BIT_STRING_get_bit(fi, i))
			bits |= 1u << i;
	if (status == SK_TSA_GRANTED && TS_RESP_get_token(resp) == NULL)
		return SK_ERR_CRYPTO;
	/* A rejection without a reason is OpenSSL failing to sign. */
	if (status != SK_TSA_GRANTED &&
	    (status != SK_TSA_REJECTION || bits == 0))
		return SK_ERR_CRYPTO;
	if ((len = i2d_TS_RESP(resp, &der)) <= 0)
		return SK_ERR_NOMEM;
	if ((size_t)len > SK_TSA_MAX_REPLY)
		rc = SK_ERR_LIMIT;
	else
		rc = sk_buf_append(reply, der, (size_t)len);
	OPENSSL_free(der);
	if (rc == 0 && oc != NULL) {
		oc->status = (int)status;
		oc->failinfo = bits;
	}
	return rc;
}

static int
tsa_grant(struct sk_tsa *tsa, const uint8_t *query, size_t len,
    struct sk_buf *reply, struct sk_tsa_outcome *oc)
{
	TS_RESP_CTX *ctx;
	TS_RESP *resp;
	BIO *bio;
	int rc;

	if ((rc = tsa_ctx_new(tsa, &ctx)) != 0)
		return rc;
	if ((bio = BIO_new_mem_buf(query, (int)len)) == NULL) {
		TS_RESP_CTX_free(ctx);
		return SK_ERR_NOMEM;
	}
	resp = TS_RESP_create_response(ctx, bio);
	BIO_free(bio);
	TS_RESP_CTX_free(ctx);
	if (resp == NULL)
		return SK_ERR_CRYPTO;
	rc = tsa_encode(resp, reply, oc);
	TS_RESP_free(resp);
	return rc;
}

int
sk_tsa_respond(struct sk_tsa *tsa, const uint8_t *query, size_t len,
    struct sk_buf *reply, struct sk_tsa_outcome *oc)
{
	struct tsa_refusal r;
	int rc;

	if (oc != NULL) {
		oc->status = SK_TSA_REJECTION;
		oc->failinfo = 0;
	}
	if (tsa == NULL || reply == NULL || (query == NULL && len > 0))
		return SK_ERR_ARG;
	if (len > SK_TSA_MAX_QUERY)
		return SK_ERR_LIMIT;
	if ((rc = tsa_check_query(tsa, query, len, &r)) == 0) {
		if (r.bit < 0)
			tsa_check_time(tsa, &r);
		if (r.bit >= 0)
			rc = tsa_reject(&r, reply, oc);
		else
			rc = tsa_grant(tsa, query, len, reply, oc);
	}
	ERR_clear_error();
	return rc;
}
