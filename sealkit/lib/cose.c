/*
 * COSE_Sign1 (RFC 9052 sections 4.2 and 4.4) under the profile of
 * sealkit/cose.h and api/FORMATS.md section 2.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"

/* RFC 9052 section 4.4: the context string of a COSE_Sign1. */
#define SK_COSE_CTX_SIGN1	"Signature1"
/* Heads and the context string of a Sig_structure, at most. */
#define SK_COSE_TBS_OVERHEAD	(1 + 1 + 10 + 3 * 9)
/* An encoded protected header we write: map(2), 1: int, 4: bstr(8). */
#define SK_COSE_PROT_MAX	32u

struct sk_cose_sign1 {
	const uint8_t	*prot;		/* protected bstr contents */
	size_t		 protlen;
	const uint8_t	*payload;	/* NULL when detached */
	size_t		 paylen;
	int		 detached;
	const uint8_t	*sig;
	size_t		 siglen;
	const uint8_t	*kid;		/* NULL when absent */
	size_t		 kidlen;
	int		 alg;
};

/* The parts of a message while it is being checked. */
struct sk_cose_parts {
	const struct sk_cbor_item	*prot;	/* protected map or NULL */
	const struct sk_cbor_item	*unprot; /* unprotected map */
};

static int
sk_cose_is_int(const struct sk_cbor_item *it)
{
	return it->type == SK_CBOR_UINT || it->type == SK_CBOR_NINT;
}

/* RFC 9052 section 3: labels are integers or text strings. */
static int
sk_cose_label_eq(const struct sk_cbor_item *a, const struct sk_cbor_item *b)
{
	if (a->type != b->type)
		return 0;
	if (sk_cose_is_int(a))
		return a->u == b->u;
	return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

/* The value of integer label in a bucket (NULL bucket: none). */
static const struct sk_cbor_item *
sk_cose_hdr(const struct sk_cbor_item *map, int64_t label)
{
	return map == NULL ? NULL : sk_cbor_map_int(map, label);
}

static int
sk_cose_bucket_check(const struct sk_cbor_item *map)
{
	const struct sk_cbor_item *k;

	if (map->type != SK_CBOR_MAP)
		return SK_ERR_TYPE;
	if (map->len > SK_COSE_MAX_HEADERS)
		return SK_ERR_LIMIT;
	for (k = map->child; k != NULL; k = k->next->next) {
		if (k->next == NULL)
			return SK_ERR_INTERNAL;
		if (!sk_cose_is_int(k) && k->type != SK_CBOR_TSTR)
			return SK_ERR_TYPE;
	}
	return 0;
}

/* RFC 9052 section 3: a label MUST NOT occur in both buckets. */
static int
sk_cose_buckets_disjoint(const struct sk_cose_parts *h)
{
	const struct sk_cbor_item *a, *b;

	if (h->prot == NULL)
		return 0;
	for (a = h->prot->child; a != NULL; a = a->next->next)
		for (b = h->unprot->child; b != NULL; b = b->next->next)
			if (sk_cose_label_eq(a, b))
				return SK_ERR_DUPLICATE;
	return 0;
}

static int
sk_cose_get_alg(const struct sk_cose_parts *h, int *alg)
{
	const struct sk_cbor_item *v;
	int64_t n;

	*alg = SK_ALG_NONE;
	/* FORMATS.md section 2: alg only in the unprotected bucket fails. */
	if ((v = sk_cose_hdr(h->prot, SK_COSE_HDR_ALG)) == NULL)
		return SK_ERR_MISSING;
	if (v->type == SK_CBOR_TSTR)
		return SK_ERR_UNSUPPORTED;	/* no text-named algs */
	if (sk_cbor_int(v, &n) != 0)
		return sk_cose_is_int(v) ? SK_ERR_UNSUPPORTED : SK_ERR_TYPE;
	if (n < INT_MIN || n > INT_MAX || n == SK_ALG_NONE)
		return SK_ERR_UNSUPPORTED;
	*alg = (int)n;
	return 0;
}

static int
sk_cose_get_kid(const struct sk_cose_parts *h, struct sk_cose_sign1 *msg)
{
	const struct sk_cbor_item *v;

	if ((v = sk_cose_hdr(h->prot, SK_COSE_HDR_KID)) == NULL &&
	    (v = sk_cose_hdr(h->unprot, SK_COSE_HDR_KID)) == NULL)
		return 0;
	if (v->type != SK_CBOR_BSTR)
		return SK_ERR_TYPE;
	if (v->len > SK_COSE_MAX_KID)
		return SK_ERR_LIMIT;
	msg->kid = v->len > 0 ? v->ptr : NULL;
	msg->kidlen = v->len;
	return 0;
}

static int
sk_cose_headers(const struct sk_cose_parts *h, struct sk_cose_sign1 *msg)
{
	int rc;

	if ((h->prot != NULL && (rc = sk_cose_bucket_check(h->prot)) != 0) ||
	    (rc = sk_cose_bucket_check(h->unprot)) != 0 ||
	    (rc = sk_cose_buckets_disjoint(h)) != 0)
		return rc;
	/* We understand no critical extension (RFC 9052 section 3.1). */
	if (sk_cose_hdr(h->prot, SK_COSE_HDR_CRIT) != NULL ||
	    sk_cose_hdr(h->unprot, SK_COSE_HDR_CRIT) != NULL)
		return SK_ERR_UNSUPPORTED;
	if ((rc = sk_cose_get_alg(h, &msg->alg)) != 0)
		return rc;
	return sk_cose_get_kid(h, msg);
}

/* The four elements of the COSE_Sign1 array, untagged. */
static int
sk_cose_body(const struct sk_cbor_item *arr, struct sk_cose_sign1 *msg,
    const struct sk_cbor_item **unprot)
{
	const struct sk_cbor_item *p, *pl, *sig;

	if (arr->type != SK_CBOR_ARRAY || arr->len != 4)
		return SK_ERR_TYPE;
	p = sk_cbor_array_at(arr, 0);
	*unprot = sk_cbor_array_at(arr, 1);
	pl = sk_cbor_array_at(arr, 2);
	sig = sk_cbor_array_at(arr, 3);
	if (p == NULL || *unprot == NULL || pl == NULL || sig == NULL)
		return SK_ERR_INTERNAL;
	if (p->type != SK_CBOR_BSTR || sig->type != SK_CBOR_BSTR)
		return SK_ERR_TYPE;
	if (pl->type == SK_CBOR_SIMPLE && pl->u == SK_CBOR_NULL)
		msg->detached = 1;
	else if (pl->type != SK_CBOR_BSTR)
		return SK_ERR_TYPE;
	msg->prot = p->ptr;
	msg->protlen = p->len;
	msg->payload = msg->detached ? NULL : pl->ptr;
	msg->paylen = msg->detached ? 0 : pl->len;
	msg->sig = sig->ptr;
	msg->siglen = sig->len;
	return 0;
}

static void
sk_cose_limits(struct sk_cbor_limits *lim, size_t len)
{
	sk_cbor_limits_default(lim);
	lim->max_bytes = len;
	lim->flags = 0;		/* definite lengths only */
}

static int
sk_cose_parse_doc(const struct sk_cbor_doc *doc, unsigned flags,
    struct sk_cose_sign1 *msg)
{
	const struct sk_cbor_item *root = sk_cbor_root(doc), *unprot;
	struct sk_cbor_doc *pdoc = NULL;
	struct sk_cbor_limits lim;
	struct sk_cose_parts h;
	int rc;

	if (root->type == SK_CBOR_TAG) {
		if (root->u != SK_COSE_TAG_SIGN1)
			return SK_ERR_TYPE;
		root = root->child;
	} else if (flags & SK_COSE_REQUIRE_TAG)
		return SK_ERR_TYPE;
	if ((rc = sk_cose_body(root, msg, &unprot)) != 0)
		return rc;
	h.prot = NULL;
	h.unprot = unprot;
	/* RFC 9052 section 3: h'' or a bstr wrapping a header map. */
	if (msg->protlen > 0) {
		sk_cose_limits(&lim, msg->protlen);
		if ((rc = sk_cbor_decode(msg->prot, msg->protlen, &lim,
		    &pdoc)) != 0)
			return rc;
		h.prot = sk_cbor_root(pdoc);
	}
	rc = sk_cose_headers(&h, msg);
	sk_cbor_free(pdoc);
	return rc;
}

int
sk_cose_sign1_parse(const uint8_t *in, size_t len, unsigned flags,
    struct sk_cose_sign1 **out)
{
	struct sk_cose_sign1 *msg;
	struct sk_cbor_doc *doc;
	struct sk_cbor_limits lim;
	int rc;

	*out = NULL;
	if (in == NULL)
		return SK_ERR_ARG;
	if (len > SK_COSE_MAX_BYTES)
		return SK_ERR_LIMIT;
	sk_cose_limits(&lim, SK_COSE_MAX_BYTES);
	if ((rc = sk_cbor_decode(in, len, &lim, &doc)) != 0)
		return rc;
	if ((msg = calloc(1, sizeof(*msg))) == NULL) {
		sk_cbor_free(doc);
		return SK_ERR_NOMEM;
	}
	/* Everything kept points into in; the tree is not needed after. */
	rc = sk_cose_parse_doc(doc, flags, msg);
	sk_cbor_free(doc);
	if (rc != 0) {
		free(msg);
		return rc;
	}
	*out = msg;
	return 0;
}

void
sk_cose_sign1_free(struct sk_cose_sign1 *msg)
{
	free(msg);
}

int
sk_cose_sign1_alg(const struct sk_cose_sign1 *msg)
{
	return msg->alg;
}

void
sk_cose_sign1_kid(const struct sk_cose_sign1 *msg, const uint8_t **kid,
    size_t *len)
{
	*kid = msg->kid;
	*len = msg->kidlen;
}

int
sk_cose_sign1_payload(const struct sk_cose_sign1 *msg, const uint8_t **p,
    size_t *len)
{
	*p = NULL;
	*len = 0;
	if (msg->detached)
		return SK_ERR_MISSING;
	*p = msg->payload;
	*len = msg->paylen;
	return 0;
}

void
sk_cose_sign1_protected(const struct sk_cose_sign1 *msg, const uint8_t **p,
    size_t *len)
{
	*p = msg->prot;
	*len = msg->protlen;
}

void
sk_cose_sign1_signature(const struct sk_cose_sign1 *msg, const uint8_t **p,
    size_t *len)
{
	*p = msg->sig;
	*len = msg->siglen;
}

/* Room a Sig_structure over these parts needs; 0 on overflow. */
static size_t
sk_cose_tbs_max(size_t protlen, size_t aadlen, size_t paylen)
{
	size_t n;

	if (__builtin_add_overflow(protlen, aadlen, &n) ||
	    __builtin_add_overflow(n, paylen, &n) ||
	    __builtin_add_overflow(n, SK_COSE_TBS_OVERHEAD, &n))
		return 0;
	return n;
}

static int
sk_cose_tbs_put(const uint8_t *prot, size_t protlen, const uint8_t *aad,
    size_t aadlen, const uint8_t *payload, size_t paylen, struct sk_buf *b)
{
	int rc;

	/* RFC 9052 section 4.4, Sig_structure for COSE_Sign1. */
	if ((rc = sk_cbor_put_array(b, 4)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, SK_COSE_CTX_SIGN1)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, prot, protlen)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, aad, aadlen)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, payload, paylen)) != 0)
		return rc;
	return 0;
}

int
sk_cose_sig_structure(const uint8_t *prot, size_t protlen,
    const uint8_t *aad, size_t aadlen, const uint8_t *payload, size_t paylen,
    struct sk_buf *out)
{
	struct sk_buf tmp;
	size_t max;
	int rc;

	if (out == NULL || (prot == NULL && protlen > 0) ||
	    (aad == NULL && aadlen > 0) || (payload == NULL && paylen > 0))
		return SK_ERR_ARG;
	if ((max = sk_cose_tbs_max(protlen, aadlen, paylen)) == 0)
		return SK_ERR_LIMIT;
	sk_buf_init(&tmp, max);
	if ((rc = sk_cose_tbs_put(prot, protlen, aad, aadlen, payload, paylen,
	    &tmp)) == 0)
		rc = sk_buf_append(out, tmp.data, tmp.len);
	sk_buf_free(&tmp);
	return rc;
}

int
sk_cose_sign1_verify(const struct sk_cose_sign1 *msg,
    const struct sk_key *key, const uint8_t *aad, size_t aadlen,
    const uint8_t *detached, size_t detachedlen)
{
	const uint8_t *payload;
	struct sk_buf tbs;
	size_t paylen;
	int rc;

	if (msg == NULL || key == NULL || (aad == NULL && aadlen > 0))
		return SK_ERR_ARG;
	if (msg->detached) {
		if (detached == NULL)
			return SK_ERR_MISSING;
		payload = detached;
		paylen = detachedlen;
	} else {
		if (detached != NULL)
			return SK_ERR_ARG;
		payload = msg->payload;
		paylen = msg->paylen;
	}
	if (sk_alg_name(msg->alg) == NULL)
		return SK_ERR_UNSUPPORTED;
	sk_buf_init(&tbs, sk_cose_tbs_max(msg->protlen, aadlen, paylen));
	if ((rc = sk_cose_tbs_put(msg->prot, msg->protlen, aad, aadlen,
	    payload, paylen, &tbs)) == 0)
		rc = sk_verify_signature(key, msg->alg, tbs.data, tbs.len,
		    msg->sig, msg->siglen);
	sk_buf_free(&tbs);
	return rc;
}

/* Protected header {1: alg, 4: kid}: keys 0x01 < 0x04 (RFC 8949 4.2.1). */
static int
sk_cose_put_protected(const struct sk_signer *s, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_map(b, s->has_kid ? 2 : 1)) != 0 ||
	    (rc = sk_cbor_put_uint(b, SK_COSE_HDR_ALG)) != 0 ||
	    (rc = sk_cbor_put_int(b, s->alg)) != 0)
		return rc;
	if (s->has_kid &&
	    ((rc = sk_cbor_put_uint(b, SK_COSE_HDR_KID)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, s->kid, SK_KID_LEN)) != 0))
		return rc;
	return 0;
}

static int
sk_cose_put_message(const struct sk_buf *prot, const uint8_t *payload,
    size_t paylen, const struct sk_buf *sig, unsigned flags,
    struct sk_buf *b)
{
	int rc;

	if (!(flags & SK_COSE_UNTAGGED) &&
	    (rc = sk_cbor_put_tag(b, SK_COSE_TAG_SIGN1)) != 0)
		return rc;
	if ((rc = sk_cbor_put_array(b, 4)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, prot->data, prot->len)) != 0 ||
	    (rc = sk_cbor_put_map(b, 0)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, payload, paylen)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, sig->data, sig->len)) != 0)
		return rc;
	return 0;
}

int
sk_cose_sign1_sign(struct sk_signer *signer, const uint8_t *payload,
    size_t paylen, const uint8_t *aad, size_t aadlen, unsigned flags,
    struct sk_buf *out)
{
	struct sk_buf prot, tbs, sig, msg;
	int rc;

	if (signer == NULL || out == NULL || (payload == NULL && paylen > 0) ||
	    (aad == NULL && aadlen > 0))
		return SK_ERR_ARG;
	if (paylen > SK_COSE_MAX_BYTES)
		return SK_ERR_LIMIT;
	sk_buf_init(&prot, SK_COSE_PROT_MAX);
	sk_buf_init(&tbs, sk_cose_tbs_max(SK_COSE_PROT_MAX, aadlen, paylen));
	sk_buf_init(&sig, SK_SIG_MAX);
	/* Never emit what our own parser would refuse. */
	sk_buf_init(&msg, SK_COSE_MAX_BYTES);
	if ((rc = sk_cose_put_protected(signer, &prot)) != 0 ||
	    (rc = sk_cose_tbs_put(prot.data, prot.len, aad, aadlen, payload,
	    paylen, &tbs)) != 0 ||
	    (rc = sk_signer_sign(signer, tbs.data, tbs.len, &sig)) != 0 ||
	    (rc = sk_cose_put_message(&prot, payload, paylen, &sig, flags,
	    &msg)) != 0)
		goto out;
	rc = sk_buf_append(out, msg.data, msg.len);
out:
	sk_buf_free(&prot);
	sk_buf_free(&tbs);
	sk_buf_free(&sig);
	sk_buf_free(&msg);
	return rc;
}
