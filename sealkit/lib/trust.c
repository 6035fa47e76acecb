/*
 * trust.c: trust anchors, the signed trust list and chain validation
 * (include/sealkit/trust.h, docs/TRUST.md, api/trustlist.cddl).
 *
 * The trust list is framed as a COSE_Sign1 here rather than through
 * cose.c because a list of SK_TRUST_MAX_CERTS certificates is larger than
 * SK_COSE_MAX_BYTES; the framing is the one cose.c writes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/ident.h"
#include "sealkit/trust.h"

#include "key_int.h"
#include "trust_int.h"

/* Items of a decoded list payload: map, 3 scalar pairs, array, certs. */
#define SK_TRUST_MAX_ITEMS	(SK_TRUST_MAX_CERTS + 16u)
/* Protected header {1: alg, 4: kid}. */
#define SK_TRUST_PROT_MAX	32u

struct sk_trust_entry {
	struct sk_cert	*cert;
	uint8_t		 kid[SK_KID_LEN];
	/*
	 * Issuers: the validity window of the whole verified chain (the
	 * latest notBefore and the earliest notAfter, inclusive).  The
	 * chain's signatures were checked when the issuer was added and do
	 * not depend on time, so checking a credential's iat against a
	 * listed issuer is a date comparison (docs/TRUST.md).
	 */
	int64_t		 not_before;
	int64_t		 not_after;
	/* Issuers: cached for sk_verify_credential (trust_int.h). */
	struct sk_key	*pub;
	char		*subject;
};

struct sk_trust {
	X509_STORE		*store;
	struct sk_trust_entry	*anchors;
	size_t			 nanchors;
	struct sk_trust_entry	*issuers;
	size_t			 nissuers;
	int64_t			 iat;
	int64_t			 next_update;
};

/* The parts of a trust list COSE_Sign1, borrowed from the input. */
struct sk_trust_msg {
	const uint8_t	*prot;
	size_t		 protlen;
	const uint8_t	*payload;
	size_t		 paylen;
	const uint8_t	*sig;
	size_t		 siglen;
	int		 alg;
	uint8_t		 kid[SK_KID_LEN];
};

static void
sk_trust_entries_free(struct sk_trust_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sk_cert_free(e[i].cert);
		sk_key_free(e[i].pub);
		free(e[i].subject);
	}
	free(e);
}

void
sk_trust_free(struct sk_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_trust_entries_free(t->anchors, t->nanchors);
	sk_trust_entries_free(t->issuers, t->nissuers);
	free(t);
}

/*
 * STANDARDS.md section 0 fact 8: OpenSSL 3.0 checks an SM2 certificate
 * signature with an empty ID unless the certificate carries one.
 */
static int
sk_trust_sm2_id(X509 *x)
{
	ASN1_OCTET_STRING *id;

	if (X509_get_signature_nid(x) != NID_SM2_with_SM3 ||
	    X509_get0_distinguishing_id(x) != NULL)
		return 0;
	if ((id = ASN1_OCTET_STRING_new()) == NULL)
		return SK_ERR_NOMEM;
	if (!ASN1_OCTET_STRING_set(id, (const unsigned char *)SK_SM2_ID,
	    SK_SM2_ID_LEN)) {
		ASN1_OCTET_STRING_free(id);
		return SK_ERR_NOMEM;
	}
	X509_set0_distinguishing_id(x, id);
	return 0;
}

/* A private copy of cert (so that the SM2 ID can be attached), with kid. */
static int
sk_trust_entry_make(const struct sk_cert *cert, struct sk_trust_entry *e)
{
	const uint8_t *der;
	size_t derlen;
	int rc;

	memset(e, 0, sizeof(*e));
	sk_cert_der(cert, &der, &derlen);
	if ((rc = sk_cert_load_mem(der, derlen, &e->cert)) != 0)
		return rc == SK_ERR_NOMEM ? rc : SK_ERR_CERT;
	if ((rc = sk_cert_kid(e->cert, e->kid)) != 0 ||
	    (rc = sk_trust_sm2_id(sk_cert_x509(e->cert))) != 0) {
		sk_cert_free(e->cert);
		e->cert = NULL;
	}
	return rc;
}

static int
sk_trust_is_anchor_ca(X509 *x)
{
	uint32_t flags;

	if (X509_check_purpose(x, -1, 0) != 1)
		return 0;
	flags = X509_get_extension_flags(x);
	if ((flags & EXFLAG_INVALID) || !(flags & EXFLAG_CA))
		return 0;
	if ((flags & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x) & KU_KEY_CERT_SIGN))
		return 0;
	return 1;
}

static int
sk_trust_add_anchor(struct sk_trust *t, X509 *x)
{
	struct sk_trust_entry *e;
	struct sk_cert *cert;
	int rc;

	if (t->nanchors >= SK_TRUST_MAX_ANCHORS) {
		X509_free(x);
		return SK_ERR_LIMIT;
	}
	if (!sk_trust_is_anchor_ca(x)) {
		X509_free(x);
		return SK_ERR_CERT;
	}
	if ((rc = sk_cert_wrap_x509(x, &cert)) != 0)
		return rc;
	e = &t->anchors[t->nanchors];
	e->cert = cert;
	if ((rc = sk_cert_kid(cert, e->kid)) != 0 ||
	    (rc = sk_trust_sm2_id(x)) != 0) {
		sk_cert_free(cert);
		return rc;
	}
	if (!X509_STORE_add_cert(t->store, x)) {
		ERR_clear_error();
		sk_cert_free(cert);
		return SK_ERR_CERT;
	}
	t->nanchors++;
	return 0;
}

static int
sk_trust_read_anchors(struct sk_trust *t, BIO *bio)
{
	unsigned long e;
	X509 *x;
	int rc;

	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		if ((rc = sk_trust_add_anchor(t, x)) != 0)
			return rc;
	e = ERR_peek_last_error();
	ERR_clear_error();
	if (t->nanchors == 0 || ERR_GET_LIB(e) != ERR_LIB_PEM ||
	    ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		return SK_ERR_FORMAT;
	return 0;
}

int
sk_trust_new(const uint8_t *pem, size_t len, struct sk_trust **out)
{
	struct sk_trust *t;
	BIO *bio;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (pem == NULL || len == 0)
		return SK_ERR_ARG;
	if (len > SK_TRUST_MAX_PEM)
		return SK_ERR_LIMIT;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return SK_ERR_NOMEM;
	t->anchors = calloc(SK_TRUST_MAX_ANCHORS, sizeof(*t->anchors));
	if (t->anchors == NULL || (t->store = X509_STORE_new()) == NULL) {
		sk_trust_free(t);
		return SK_ERR_NOMEM;
	}
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		sk_trust_free(t);
		return SK_ERR_NOMEM;
	}
	rc = sk_trust_read_anchors(t, bio);
	BIO_free(bio);
	ERR_clear_error();
	if (rc != 0) {
		sk_trust_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int
sk_trust_new_file(const char *path, struct sk_trust **out)
{
	struct sk_buf b;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (path == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&b, SK_TRUST_MAX_PEM);
	if ((rc = sk_keyfile_read(path, SK_TRUST_MAX_PEM, &b)) == 0)
		rc = b.len == 0 ? SK_ERR_FORMAT :
		    sk_trust_new(b.data, b.len, out);
	sk_buf_free(&b);
	return rc;
}

size_t
sk_trust_count(const struct sk_trust *t)
{
	return t == NULL ? 0 : t->nissuers;
}

void
sk_trust_list_times(const struct sk_trust *t, int64_t *iat,
    int64_t *next_update)
{
	*iat = t == NULL ? 0 : t->iat;
	*next_update = t == NULL ? 0 : t->next_update;
}

/* Chain validation. */

/* An ASN1_TIME as seconds since the epoch. */
static int
sk_trust_asn1_time(const ASN1_TIME *a, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || !ASN1_TIME_to_tm(a, &tm)) {
		ERR_clear_error();
		return SK_ERR_CERT;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* The intersection of the validity periods of every certificate in chain. */
static int
sk_trust_chain_window(STACK_OF(X509) *chain, int64_t *nb, int64_t *na)
{
	int64_t b, a;
	int i, rc;

	*nb = INT64_MIN;
	*na = INT64_MAX;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *c = sk_X509_value(chain, i);

		if ((rc = sk_trust_asn1_time(X509_get0_notBefore(c), &b)) != 0 ||
		    (rc = sk_trust_asn1_time(X509_get0_notAfter(c), &a)) != 0)
			return rc;
		if (b > *nb)
			*nb = b;
		if (a < *na)
			*na = a;
	}
	return *nb <= *na ? 0 : SK_ERR_CERT;
}

/*
 * Verify x to an anchor; at a time (check_time) or regardless of time.
 * If e is not NULL, the verified chain's validity window goes there.
 */
static int
sk_trust_verify_x509(const struct sk_trust *t, X509 *x, int64_t at,
    int check_time, struct sk_trust_entry *e)
{
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *vp;
	unsigned long flags;
	int ok, err, rc = 0;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return SK_ERR_NOMEM;
	if (!X509_STORE_CTX_init(ctx, t->store, x, NULL)) {
		X509_STORE_CTX_free(ctx);
		ERR_clear_error();
		return SK_ERR_NOMEM;
	}
	vp = X509_STORE_CTX_get0_param(ctx);
	/* Anchors are trust anchors (RFC 5280 6.1.1 d), self-signed or not. */
	flags = X509_V_FLAG_X509_STRICT | X509_V_FLAG_PARTIAL_CHAIN;
	if (!check_time)
		flags |= X509_V_FLAG_NO_CHECK_TIME;
	X509_VERIFY_PARAM_set_flags(vp, flags);
	if (check_time)
		X509_VERIFY_PARAM_set_time(vp, (time_t)at);
	X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_ANY);
	ok = X509_verify_cert(ctx);
	err = X509_STORE_CTX_get_error(ctx);
	if (ok == 1 && e != NULL)
		rc = sk_trust_chain_window(X509_STORE_CTX_get0_chain(ctx),
		    &e->not_before, &e->not_after);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	if (ok == 1)
		return rc;
	if (err == X509_V_ERR_CERT_NOT_YET_VALID ||
	    err == X509_V_ERR_CERT_HAS_EXPIRED)
		return SK_ERR_EXPIRED;
	return SK_ERR_CERT;
}

int
sk_trust_check_at(const struct sk_trust *t, const struct sk_cert *cert,
    int64_t at)
{
	X509 *x, *dup = NULL;
	size_t i;
	int rc;

	if (t == NULL || cert == NULL)
		return SK_ERR_ARG;
	/* A listed issuer (as sk_trust_lookup returns it): dates only. */
	for (i = 0; i < t->nissuers; i++)
		if (t->issuers[i].cert == cert)
			return at >= t->issuers[i].not_before &&
			    at <= t->issuers[i].not_after ? 0 : SK_ERR_EXPIRED;
	x = sk_cert_x509(cert);
	if (X509_get_signature_nid(x) == NID_SM2_with_SM3 &&
	    X509_get0_distinguishing_id(x) == NULL) {
		/* A caller's certificate: attach the ID to a copy only. */
		if ((dup = X509_dup(x)) == NULL) {
			ERR_clear_error();
			return SK_ERR_NOMEM;
		}
		if ((rc = sk_trust_sm2_id(dup)) != 0) {
			X509_free(dup);
			return rc;
		}
		x = dup;
	}
	rc = sk_trust_verify_x509(t, x, at, 1, NULL);
	X509_free(dup);
	return rc;
}

/* Issuer certificates. */

int
sk_cert_subject_uscc(const struct sk_cert *cert,
    char uscc[SK_TRUST_USCC_LEN + 1])
{
	const X509_NAME *name;
	const ASN1_STRING *s;
	const char *why;
	int i, rc;

	if (uscc == NULL)
		return SK_ERR_ARG;
	uscc[0] = '\0';
	if (cert == NULL)
		return SK_ERR_ARG;
	name = X509_get_subject_name(sk_cert_x509(cert));
	if ((i = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1)) < 0)
		return SK_ERR_MISSING;
	if (X509_NAME_get_index_by_NID(name, NID_serialNumber, i) >= 0)
		return SK_ERR_FORMAT;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
	if (s == NULL || ASN1_STRING_length(s) != (int)SK_TRUST_USCC_LEN)
		return SK_ERR_FORMAT;
	if ((rc = sk_uscc_check((const char *)ASN1_STRING_get0_data(s),
	    SK_TRUST_USCC_LEN, &why)) != 0)
		return rc;
	memcpy(uscc, ASN1_STRING_get0_data(s), SK_TRUST_USCC_LEN);
	uscc[SK_TRUST_USCC_LEN] = '\0';
	return 0;
}

int
sk_cert_subject_text(const struct sk_cert *cert, struct sk_buf *out)
{
	const unsigned long fl = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
	char *p;
	long n;
	size_t len;
	BIO *bio;
	int rc;

	if (cert == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return SK_ERR_NOMEM;
	if (X509_NAME_print_ex(bio, X509_get_subject_name(sk_cert_x509(cert)),
	    0, fl) < 0 || (n = BIO_get_mem_data(bio, &p)) < 0) {
		BIO_free(bio);
		ERR_clear_error();
		return SK_ERR_NOMEM;
	}
	len = (size_t)n;
	if (len > SK_TRUST_MAX_SUBJECT - 1) {
		len = SK_TRUST_MAX_SUBJECT - 1;
		/* Do not cut a UTF-8 sequence in two. */
		while (len > 0 && ((uint8_t)p[len] & 0xc0) == 0x80)
			len--;
	}
	if ((rc = sk_buf_append(out, p, len)) == 0 &&
	    (rc = sk_buf_putc(out, 0)) != 0)
		out->len -= len;
	BIO_free(bio);
	return rc;
}

/* The issuer rules of trust.h, on a private copy with the SM2 ID. */
static int
sk_trust_issuer_check(const struct sk_trust *t, struct sk_trust_entry *e)
{
	char uscc[SK_TRUST_USCC_LEN + 1];
	const struct sk_cert *cert = e->cert;
	X509 *x = sk_cert_x509(cert);
	uint32_t flags;

	if (X509_check_purpose(x, -1, 0) != 1) {
		ERR_clear_error();
		return SK_ERR_CERT;
	}
	flags = X509_get_extension_flags(x);
	if ((flags & EXFLAG_INVALID) || X509_check_ca(x) != 0 ||
	    !(flags & EXFLAG_KUSAGE) ||
	    !(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE))
		return SK_ERR_CERT;
	if (sk_cert_subject_uscc(cert, uscc) != 0)
		return SK_ERR_CERT;
	return sk_trust_verify_x509(t, x, 0, 0, e);
}

static int
sk_trust_entry_dup(const struct sk_trust_entry *e, size_t n,
    const struct sk_trust_entry *x)
{
	const uint8_t *a, *b;
	size_t alen, blen, i;

	sk_cert_der(x->cert, &b, &blen);
	for (i = 0; i < n; i++) {
		if (memcmp(e[i].kid, x->kid, SK_KID_LEN) != 0)
			continue;
		sk_cert_der(e[i].cert, &a, &alen);
		if (alen == blen && memcmp(a, b, alen) == 0)
			return 1;
	}
	return 0;
}

/* What verification needs of an issuer, made once when it is added. */
static int
sk_trust_entry_cache(struct sk_trust_entry *e)
{
	struct sk_buf b;
	uint8_t *p;
	size_t n;
	int rc;

	if ((rc = sk_cert_pubkey(e->cert, &e->pub)) != 0)
		return rc;
	sk_buf_init(&b, SK_TRUST_MAX_SUBJECT);
	if ((rc = sk_cert_subject_text(e->cert, &b)) == 0) {
		sk_buf_take(&b, &p, &n);
		e->subject = (char *)p;
	}
	sk_buf_free(&b);
	return rc;
}

const struct sk_key *
sk_trust_issuer_key(const struct sk_trust *t, const struct sk_cert *cert)
{
	size_t i;

	for (i = 0; t != NULL && i < t->nissuers; i++)
		if (t->issuers[i].cert == cert)
			return t->issuers[i].pub;
	return NULL;
}

const char *
sk_trust_issuer_subject(const struct sk_trust *t, const struct sk_cert *cert)
{
	size_t i;

	for (i = 0; t != NULL && i < t->nissuers; i++)
		if (t->issuers[i].cert == cert)
			return t->issuers[i].subject;
	return NULL;
}

/* Check cert and append it to e[*n] (room for one more is the caller's). */
static int
sk_trust_issuer_add(const struct sk_trust *t, const struct sk_cert *cert,
    struct sk_trust_entry *e, size_t *n)
{
	struct sk_trust_entry x;
	int rc;

	if ((rc = sk_trust_entry_make(cert, &x)) != 0)
		return rc;
	if ((rc = sk_trust_issuer_check(t, &x)) == 0 &&
	    sk_trust_entry_dup(e, *n, &x))
		rc = SK_ERR_DUPLICATE;
	if (rc == 0)
		rc = sk_trust_entry_cache(&x);
	if (rc != 0) {
		sk_key_free(x.pub);
		free(x.subject);
		sk_cert_free(x.cert);
		return rc == SK_ERR_NOMEM || rc == SK_ERR_DUPLICATE ? rc :
		    SK_ERR_CERT;
	}
	e[(*n)++] = x;
	return 0;
}

int
sk_trust_add_issuer_unsigned(struct sk_trust *t, const struct sk_cert *cert)
{
	struct sk_trust_entry *e;
	size_t n;

	if (t == NULL || cert == NULL)
		return SK_ERR_ARG;
	if (t->nissuers >= SK_TRUST_MAX_CERTS)
		return SK_ERR_LIMIT;
	if (__builtin_add_overflow(t->nissuers, 1, &n))
		return SK_ERR_LIMIT;
	if ((e = reallocarray(t->issuers, n, sizeof(*e))) == NULL)
		return SK_ERR_NOMEM;
	t->issuers = e;
	return sk_trust_issuer_add(t, cert, t->issuers, &t->nissuers);
}

int
sk_trust_lookup(const struct sk_trust *t, const uint8_t *kid, size_t kidlen,
    size_t idx, const struct sk_cert **cert)
{
	size_t i;

	if (cert == NULL)
		return SK_ERR_ARG;
	*cert = NULL;
	if (t == NULL || (kid == NULL && kidlen > 0))
		return SK_ERR_ARG;
	if (kidlen != SK_KID_LEN)
		return SK_ERR_NOTFOUND;
	for (i = 0; i < t->nissuers; i++) {
		if (memcmp(t->issuers[i].kid, kid, SK_KID_LEN) != 0)
			continue;
		if (idx-- == 0) {
			*cert = t->issuers[i].cert;
			return 0;
		}
	}
	return SK_ERR_NOTFOUND;
}

/* The trust list: building. */

static int
sk_trustlist_payload(const struct sk_cert *const *certs, size_t n,
    int64_t iat, int64_t next_update, struct sk_buf *b)
{
	const uint8_t *der;
	size_t derlen, i;
	int rc;

	/* Keys 1 < 2 < 3 < 4: deterministic order (RFC 8949 4.2.1). */
	if ((rc = sk_cbor_put_map(b, 4)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_TRUST_KEY_VERSION)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_TRUST_VERSION)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_TRUST_KEY_IAT)) != 0 ||
	    (rc = sk_cbor_put_int(b, iat)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_TRUST_KEY_NEXT)) != 0 ||
	    (rc = sk_cbor_put_int(b, next_update)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_TRUST_KEY_CERTS)) != 0 ||
	    (rc = sk_cbor_put_array(b, n)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (certs[i] == NULL)
			return SK_ERR_ARG;
		sk_cert_der(certs[i], &der, &derlen);
		if (derlen > SK_TRUST_MAX_CERT)
			return SK_ERR_LIMIT;
		if ((rc = sk_cbor_put_bstr(b, der, derlen)) != 0)
			return rc;
	}
	return 0;
}

static int
sk_trustlist_prot(const struct sk_signer *s, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, 2)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_COSE_HDR_ALG)) != 0 ||
	    (rc = sk_cbor_put_int(b, s->alg)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_COSE_HDR_KID)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, s->kid, SK_KID_LEN)) != 0)
		return rc;
	return 0;
}

static int
sk_trustlist_frame(const struct sk_buf *prot, const struct sk_buf *pay,
    const struct sk_buf *sig, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_tag(b, SK_COSE_TAG_SIGN1)) != 0 ||
	    (rc = sk_cbor_put_array(b, 4)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, prot->data, prot->len)) != 0 ||
	    (rc = sk_cbor_put_map(b, 0)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, pay->data, pay->len)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, sig->data, sig->len)) != 0)
		return rc;
	return 0;
}

int
sk_trustlist_build(struct sk_signer *signer,
    const struct sk_cert *const *certs, size_t n, int64_t iat,
    int64_t next_update, struct sk_buf *out)
{
	struct sk_buf prot, pay, tbs, sig, msg;
	int rc;

	if (signer == NULL || certs == NULL || out == NULL || n == 0 ||
	    !signer->has_kid || iat < 0 || iat >= next_update)
		return SK_ERR_ARG;
	if (n > SK_TRUST_MAX_CERTS)
		return SK_ERR_LIMIT;
	sk_buf_init(&prot, SK_TRUST_PROT_MAX);
	sk_buf_init(&pay, SK_TRUST_MAX_BYTES);
	sk_buf_init(&tbs, SK_TRUST_MAX_BYTES + 2 * SK_TRUST_PROT_MAX);
	sk_buf_init(&sig, SK_SIG_MAX);
	sk_buf_init(&msg, SK_TRUST_MAX_BYTES);
	if ((rc = sk_trustlist_payload(certs, n, iat, next_update,
	    &pay)) != 0 ||
	    (rc = sk_trustlist_prot(signer, &prot)) != 0 ||
	    (rc = sk_cose_sig_structure(prot.data, prot.len, NULL, 0,
	    pay.data, pay.len, &tbs)) != 0 ||
	    (rc = sk_signer_sign(signer, tbs.data, tbs.len, &sig)) != 0 ||
	    (rc = sk_trustlist_frame(&prot, &pay, &sig, &msg)) != 0)
		goto out;
	rc = sk_buf_append(out, msg.data, msg.len);
out:
	sk_buf_free(&prot);
	sk_buf_free(&pay);
	sk_buf_free(&tbs);
	sk_buf_free(&sig);
	sk_buf_free(&msg);
	return rc;
}

/* The trust list: loading. */

static void
sk_trust_limits(struct sk_cbor_limits *lim, size_t items)
{
	lim->max_bytes = SK_TRUST_MAX_BYTES;
	lim->max_depth = 4;
	lim->max_items = items;
	lim->flags = SK_CBOR_CANONICAL;
}

static int
sk_trust_prot_parse(const uint8_t *p, size_t len, struct sk_trust_msg *m)
{
	const struct sk_cbor_item *root, *alg, *kid;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	int64_t a;
	int rc;

	sk_trust_limits(&lim, 8);
	if ((rc = sk_cbor_decode(p, len, &lim, &doc)) != 0)
		return rc;
	root = sk_cbor_root(doc);
	rc = SK_ERR_TYPE;
	if (root->type != SK_CBOR_MAP || root->len != 2 ||
	    (alg = sk_cbor_map_int(root, SK_COSE_HDR_ALG)) == NULL ||
	    (kid = sk_cbor_map_int(root, SK_COSE_HDR_KID)) == NULL ||
	    kid->type != SK_CBOR_BSTR || kid->len != SK_KID_LEN)
		goto out;
	if ((rc = sk_cbor_int(alg, &a)) != 0)
		goto out;
	rc = SK_ERR_UNSUPPORTED;
	if (a < INT32_MIN || a > INT32_MAX || sk_alg_name((int)a) == NULL)
		goto out;
	m->alg = (int)a;
	memcpy(m->kid, kid->ptr, SK_KID_LEN);
	rc = 0;
out:
	sk_cbor_free(doc);
	return rc;
}

static int
sk_trust_msg_parse(const struct sk_cbor_doc *doc, struct sk_trust_msg *m)
{
	const struct sk_cbor_item *root, *arr, *prot, *unp, *pay, *sig;

	root = sk_cbor_root(doc);
	if (root->type != SK_CBOR_TAG || root->u != SK_COSE_TAG_SIGN1)
		return SK_ERR_TYPE;
	arr = root->child;
	if (arr->type != SK_CBOR_ARRAY || arr->len != 4)
		return SK_ERR_TYPE;
	prot = sk_cbor_array_at(arr, 0);
	unp = sk_cbor_array_at(arr, 1);
	pay = sk_cbor_array_at(arr, 2);
	sig = sk_cbor_array_at(arr, 3);
	if (prot->type != SK_CBOR_BSTR || unp->type != SK_CBOR_MAP ||
	    unp->len != 0 || pay->type != SK_CBOR_BSTR ||
	    sig->type != SK_CBOR_BSTR)
		return SK_ERR_TYPE;
	m->prot = prot->ptr;
	m->protlen = prot->len;
	m->payload = pay->ptr;
	m->paylen = pay->len;
	m->sig = sig->ptr;
	m->siglen = sig->len;
	return sk_trust_prot_parse(m->prot, m->protlen, m);
}

static int
sk_trust_anchor_valid_at(const struct sk_cert *cert, int64_t now)
{
	X509 *x = sk_cert_x509(cert);
	time_t tt = (time_t)now;
	int a, b;

	a = ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), tt);
	b = ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), tt);
	return a != -2 && b != -2 && a <= 0 && b >= 0;
}

/* Try every anchor with the list's kid (the DCC rule). */
static int
sk_trust_msg_verify(const struct sk_trust *t, const struct sk_trust_msg *m,
    int64_t now)
{
	struct sk_buf tbs;
	struct sk_key *key;
	size_t i;
	int rc, found = SK_ERR_NOTFOUND;

	sk_buf_init(&tbs, SK_TRUST_MAX_BYTES + 2 * SK_TRUST_PROT_MAX);
	if ((rc = sk_cose_sig_structure(m->prot, m->protlen, NULL, 0,
	    m->payload, m->paylen, &tbs)) != 0)
		goto out;
	for (i = 0; i < t->nanchors; i++) {
		if (memcmp(t->anchors[i].kid, m->kid, SK_KID_LEN) != 0)
			continue;
		found = SK_ERR_SIGNATURE;
		if ((rc = sk_cert_pubkey(t->anchors[i].cert, &key)) != 0)
			continue;
		rc = sk_verify_signature(key, m->alg, tbs.data, tbs.len,
		    m->sig, m->siglen);
		sk_key_free(key);
		if (rc != 0)
			continue;
		found = sk_trust_anchor_valid_at(t->anchors[i].cert, now) ?
		    0 : SK_ERR_EXPIRED;
		if (found == 0)
			break;
	}
	rc = found;
out:
	sk_buf_free(&tbs);
	return rc;
}

static int
sk_trust_get_time(const struct sk_cbor_item *map, int64_t key, int64_t *v)
{
	const struct sk_cbor_item *it;

	if ((it = sk_cbor_map_int(map, key)) == NULL)
		return SK_ERR_MISSING;
	if (it->type != SK_CBOR_UINT)
		return SK_ERR_TYPE;
	return sk_cbor_int(it, v);
}

static int
sk_trust_payload_head(const struct sk_cbor_item *root, int64_t now,
    struct sk_trust *t, const struct sk_cbor_item **certs)
{
	const struct sk_cbor_item *ver;
	int64_t iat, next;
	int rc;

	if (root->type != SK_CBOR_MAP || root->len != 4)
		return SK_ERR_TYPE;
	if ((ver = sk_cbor_map_int(root, SK_TRUST_KEY_VERSION)) == NULL ||
	    (*certs = sk_cbor_map_int(root, SK_TRUST_KEY_CERTS)) == NULL)
		return SK_ERR_MISSING;
	if (ver->type != SK_CBOR_UINT || (*certs)->type != SK_CBOR_ARRAY)
		return SK_ERR_TYPE;
	if (ver->u != SK_TRUST_VERSION)
		return SK_ERR_UNSUPPORTED;
	if ((rc = sk_trust_get_time(root, SK_TRUST_KEY_IAT, &iat)) != 0 ||
	    (rc = sk_trust_get_time(root, SK_TRUST_KEY_NEXT, &next)) != 0)
		return rc;
	if (iat >= next || (*certs)->len == 0)
		return SK_ERR_FORMAT;
	if ((*certs)->len > SK_TRUST_MAX_CERTS)
		return SK_ERR_LIMIT;
	if (now < iat || now >= next)
		return SK_ERR_EXPIRED;
	t->iat = iat;
	t->next_update = next;
	return 0;
}

static int
sk_trust_payload_certs(const struct sk_trust *t,
    const struct sk_cbor_item *arr, struct sk_trust_entry *e, size_t *n)
{
	const struct sk_cbor_item *it;
	struct sk_cert *cert;
	int rc;

	for (it = arr->child; it != NULL; it = it->next) {
		if (it->type != SK_CBOR_BSTR)
			return SK_ERR_TYPE;
		if (it->len > SK_TRUST_MAX_CERT)
			return SK_ERR_LIMIT;
		if (it->len == 0)
			return SK_ERR_CERT;
		/* DER only: a PEM-looking bstr is not a certificate here. */
		if (it->ptr[0] != 0x30 ||
		    (rc = sk_cert_load_mem(it->ptr, it->len, &cert)) != 0)
			return SK_ERR_CERT;
		rc = sk_trust_issuer_add(t, cert, e, n);
		sk_cert_free(cert);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
sk_trust_payload(struct sk_trust *t, const struct sk_trust_msg *m,
    int64_t now)
{
	const struct sk_cbor_item *certs = NULL;
	struct sk_trust_entry *e = NULL;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	size_t n = 0;
	int rc;

	sk_trust_limits(&lim, SK_TRUST_MAX_ITEMS);
	if ((rc = sk_cbor_decode(m->payload, m->paylen, &lim, &doc)) != 0)
		return rc;
	if ((rc = sk_trust_payload_head(sk_cbor_root(doc), now, t,
	    &certs)) != 0)
		goto out;
	if ((e = calloc(certs->len, sizeof(*e))) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	if ((rc = sk_trust_payload_certs(t, certs, e, &n)) != 0)
		goto out;
	t->issuers = e;
	t->nissuers = n;
	e = NULL;
	n = 0;
out:
	sk_trust_entries_free(e, n);
	sk_cbor_free(doc);
	return rc;
}

int
sk_trust_load_list(struct sk_trust *t, const uint8_t *in, size_t len,
    int64_t now)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	struct sk_trust_msg m;
	int rc;

	if (t == NULL || (in == NULL && len > 0))
		return SK_ERR_ARG;
	sk_trust_entries_free(t->issuers, t->nissuers);
	t->issuers = NULL;
	t->nissuers = 0;
	t->iat = t->next_update = 0;
	if (len > SK_TRUST_MAX_BYTES)
		return SK_ERR_LIMIT;
	memset(&m, 0, sizeof(m));
	sk_trust_limits(&lim, 8);
	if ((rc = sk_cbor_decode(in, len, &lim, &doc)) != 0)
		return rc;
	if ((rc = sk_trust_msg_parse(doc, &m)) == 0 &&
	    (rc = sk_trust_msg_verify(t, &m, now)) == 0)
		rc = sk_trust_payload(t, &m, now);
	sk_cbor_free(doc);
	if (rc != 0)
		t->iat = t->next_update = 0;
	return rc;
}
