/*
 * seal.c: SESeal and SES_Signature (GB/T 38540-2020, GM/T 0031-2014,
 * GM/T 0031-2025): parsing with version dispatch, making and signing
 * version 4, verification with every check named (docs/SEALS.md).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "sealkit/seal.h"
#include "sealkit/verify.h"

#include "key_int.h"
#include "seal_int.h"

/* SM2 integers are 32 bytes; a raw signature is r||s. */
#define SK_SEAL_SM2_WIDTH	32u
/* Bytes of a DER SM2 signature, at most (SEQUENCE of two 33-byte INTEGERs). */
#define SK_SEAL_SM2_DER_MAX	72u
/* ofdrw writes v1 times without a zone, in China Standard Time. */
#define SK_SEAL_CST_OFFSET	(8 * 3600)

struct sk_seal {
	SK_SESEAL_V1		*v1;
	SK_SESEAL_V4		*v4;
	SK_SES_SIGNINFO		*signinfo;	/* v1 */
	SK_SES_SEALINFO		*info;
	SK_SES_PROP_V1		*p1;
	SK_SES_PROP_V4		*p4;
	SK_SES_CERTS		*certs;		/* v4 certListType 1 */
	SK_SES_DIGESTS		*digests;	/* v4 certListType 2 */
	STACK_OF(SK_SES_EXT)	*ext;		/* borrowed from info */
	uint8_t			*der;
	struct sk_seal_fields	 f;
};

struct sk_ses_sig {
	SK_SES_SIG_V1		*s1;
	SK_SES_SIG_V4		*s4;
	SK_TBS_V1		*t1;
	SK_TBS_V4		*t4;
	struct sk_seal		*seal;
	uint8_t			*der;
	struct sk_ses_sig_fields f;
};

/* A child TLV of a DER SEQUENCE. */
struct sk_tlv {
	const uint8_t	*p;
	size_t		 len;
};

static const char *const sk_seal_check_names[SK_SEAL_NCHECKS] = {
	"maker-signature",
	"seal-validity",
	"seal-timestamp",
	"signer-listed",
	"signature",
	"data-hash",
	"timestamp",
	"timestamp-binding",
	"seal-status"
};

const char *
sk_seal_check_name(int check)
{
	if (check < 0 || check >= SK_SEAL_NCHECKS)
		return NULL;
	return sk_seal_check_names[check];
}

/* DER helpers */

/*
 * The children of the DER SEQUENCE that is all of p..p+len (definite
 * lengths only), at most max of them.
 * @return 0, SK_ERR_FORMAT, SK_ERR_TRAILING, SK_ERR_LIMIT.
 */
static int
sk_der_children(const uint8_t *p, size_t len, struct sk_tlv *kids,
    size_t max, size_t *n)
{
	const unsigned char *q = p, *start, *end;
	long clen, rest;
	int tag, xclass, ret;

	*n = 0;
	if (len == 0 || len > LONG_MAX)
		return SK_ERR_FORMAT;
	ret = ASN1_get_object(&q, &clen, &tag, &xclass, (long)len);
	if ((ret & 0x80) || ret != V_ASN1_CONSTRUCTED ||
	    tag != V_ASN1_SEQUENCE || xclass != V_ASN1_UNIVERSAL)
		return SK_ERR_FORMAT;
	if ((size_t)(q - p) + (size_t)clen != len)
		return SK_ERR_TRAILING;
	end = q + clen;
	while (q < end) {
		start = q;
		rest = (long)(end - q);
		ret = ASN1_get_object(&q, &clen, &tag, &xclass, rest);
		if ((ret & 0x80) || (ret & 0x01))
			return SK_ERR_FORMAT;
		if (*n == max)
			return SK_ERR_LIMIT;
		q += clen;
		kids[*n].p = start;
		kids[(*n)++].len = (size_t)(q - start);
	}
	return 0;
}

/* d2i of a whole buffer; SK_ERR_TRAILING if bytes are left over. */
static int
sk_d2i_exact(const ASN1_ITEM *it, const uint8_t *p, size_t len,
    ASN1_VALUE **out)
{
	const unsigned char *q = p;

	*out = NULL;
	if (len == 0 || len > LONG_MAX)
		return SK_ERR_FORMAT;
	if ((*out = ASN1_item_d2i(NULL, &q, (long)len, it)) == NULL) {
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	if ((size_t)(q - p) != len) {
		ASN1_item_free(*out, it);
		*out = NULL;
		return SK_ERR_TRAILING;
	}
	return 0;
}

/* The bytes of an ANY that must hold a SEQUENCE (as received). */
static int
sk_any_seq(const ASN1_TYPE *t, struct sk_seal_bytes *b)
{
	if (t == NULL || t->type != V_ASN1_SEQUENCE ||
	    t->value.sequence == NULL || t->value.sequence->length <= 0)
		return SK_ERR_TYPE;
	b->p = t->value.sequence->data;
	b->len = (size_t)t->value.sequence->length;
	return 0;
}

static struct sk_seal_bytes
sk_str_bytes(const ASN1_STRING *s)
{
	struct sk_seal_bytes b = { NULL, 0 };

	if (s != NULL && s->length > 0) {
		b.p = s->data;
		b.len = (size_t)s->length;
	}
	return b;
}

static int
sk_str_check(const ASN1_STRING *s, size_t max)
{
	if (s == NULL)
		return SK_ERR_MISSING;
	return (size_t)s->length > max ? SK_ERR_LIMIT : 0;
}

/* A BIT STRING that must be whole bytes (signatures, hashes, tokens). */
static int
sk_bits_check(const ASN1_BIT_STRING *b, size_t max)
{
	if (b == NULL)
		return SK_ERR_MISSING;
	if ((b->flags & ASN1_STRING_FLAG_BITS_LEFT) && (b->flags & 0x07))
		return SK_ERR_FORMAT;
	return (size_t)b->length > max ? SK_ERR_LIMIT : 0;
}

static int
sk_int_get(const ASN1_INTEGER *a, int64_t *v)
{
	if (a == NULL || !ASN1_INTEGER_get_int64(v, a)) {
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	return 0;
}

static int
sk_time_get(const ASN1_TIME *a, int64_t *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (a == NULL || !ASN1_TIME_to_tm(a, &tm)) {
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	*t = (int64_t)timegm(&tm);
	return 0;
}

static void
sk_oid_text(const ASN1_OBJECT *o, char buf[SK_SEAL_OID_MAX])
{
	buf[0] = '\0';
	if (o == NULL || OBJ_obj2txt(buf, SK_SEAL_OID_MAX, o, 1) <= 0 ||
	    strlen(buf) >= SK_SEAL_OID_MAX - 1)
		buf[0] = '\0';
	ERR_clear_error();
}

/* Append an item's DER to out. */
static int
sk_item_encode(const ASN1_VALUE *v, const ASN1_ITEM *it, struct sk_buf *out)
{
	unsigned char *der = NULL;
	int len, rc;

	if ((len = ASN1_item_i2d(v, &der, it)) <= 0) {
		ERR_clear_error();
		return SK_ERR_CRYPTO;
	}
	rc = sk_buf_append(out, der, (size_t)len);
	OPENSSL_free(der);
	return rc;
}

/* parsing a seal */

static int
sk_ext_check(const STACK_OF(SK_SES_EXT) *ext)
{
	const SK_SES_EXT *e;
	int i, n = sk_SK_SES_EXT_num(ext);

	if (ext == NULL)
		return 0;
	if (n < 0 || (size_t)n > SK_SEAL_MAX_EXT)
		return SK_ERR_LIMIT;
	for (i = 0; i < n; i++) {
		e = sk_SK_SES_EXT_value(ext, i);
		if (sk_str_check(e->value, SK_SEAL_MAX_EXT_BYTES) != 0)
			return SK_ERR_LIMIT;
	}
	return 0;
}

static int
sk_seal_cert_list_v1(struct sk_seal *s)
{
	const ASN1_TYPE *t;
	int i, n = sk_ASN1_TYPE_num(s->p1->certs);

	if (n < 0 || (size_t)n > SK_SEAL_MAX_CERTS)
		return SK_ERR_LIMIT;
	for (i = 0; i < n; i++) {
		t = sk_ASN1_TYPE_value(s->p1->certs, i);
		if (t->type != V_ASN1_OCTET_STRING && t->type != V_ASN1_IA5STRING)
			return SK_ERR_TYPE;
		if (sk_str_check(t->value.asn1_string,
		    SK_SEAL_MAX_CERT_BYTES) != 0)
			return SK_ERR_LIMIT;
	}
	s->f.ncerts = (size_t)n;
	return 0;
}

/* certList: the CHOICE is made by certListType, not by tag. */
static int
sk_seal_cert_list_v4(struct sk_seal *s)
{
	struct sk_seal_bytes b;
	ASN1_VALUE *v;
	int i, n, rc;

	if ((rc = sk_any_seq(s->p4->list, &b)) != 0)
		return rc;
	if (s->f.cert_list_type == SK_SEAL_CERTLIST_CERTS) {
		rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_CERTS), b.p, b.len, &v);
		if (rc != 0)
			return rc;
		s->certs = (SK_SES_CERTS *)v;
		n = sk_ASN1_OCTET_STRING_num(s->certs);
		for (i = 0; i < n && (size_t)n <= SK_SEAL_MAX_CERTS; i++)
			if (sk_str_check(sk_ASN1_OCTET_STRING_value(s->certs,
			    i), SK_SEAL_MAX_CERT_BYTES) != 0)
				return SK_ERR_LIMIT;
	} else if (s->f.cert_list_type == SK_SEAL_CERTLIST_DIGESTS) {
		rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_DIGESTS), b.p, b.len,
		    &v);
		if (rc != 0)
			return rc;
		s->digests = (SK_SES_DIGESTS *)v;
		n = sk_SK_SES_DIGEST_num(s->digests);
		for (i = 0; i < n && (size_t)n <= SK_SEAL_MAX_CERTS; i++)
			if (sk_str_check(sk_SK_SES_DIGEST_value(s->digests,
			    i)->value, SK_SEAL_MAX_HASH) != 0 ||
			    sk_str_check(sk_SK_SES_DIGEST_value(s->digests,
			    i)->type, SK_SEAL_MAX_STRING) != 0)
				return SK_ERR_LIMIT;
	} else
		return SK_ERR_FORMAT;
	if (n < 0 || (size_t)n > SK_SEAL_MAX_CERTS)
		return SK_ERR_LIMIT;
	s->f.ncerts = (size_t)n;
	return 0;
}

static int
sk_seal_property(struct sk_seal *s)
{
	struct sk_seal_bytes b;
	ASN1_VALUE *v;
	int rc;

	if ((rc = sk_any_seq(s->info->property, &b)) != 0)
		return rc;
	if (s->f.version == 1) {
		rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_PROP_V1), b.p, b.len,
		    &v);
		if (rc != 0)
			return rc;
		s->p1 = (SK_SES_PROP_V1 *)v;
		if ((rc = sk_int_get(s->p1->type, &s->f.type)) != 0 ||
		    (rc = sk_time_get(s->p1->created, &s->f.created)) != 0 ||
		    (rc = sk_time_get(s->p1->from, &s->f.valid_from)) != 0 ||
		    (rc = sk_time_get(s->p1->to, &s->f.valid_to)) != 0 ||
		    (rc = sk_str_check(s->p1->name, SK_SEAL_MAX_STRING)) != 0)
			return rc;
		s->f.name = sk_str_bytes(s->p1->name);
		return sk_seal_cert_list_v1(s);
	}
	rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_PROP_V4), b.p, b.len, &v);
	if (rc != 0)
		return rc;
	s->p4 = (SK_SES_PROP_V4 *)v;
	if ((rc = sk_int_get(s->p4->type, &s->f.type)) != 0 ||
	    (rc = sk_int_get(s->p4->list_type, &s->f.cert_list_type)) != 0 ||
	    (rc = sk_time_get(s->p4->created, &s->f.created)) != 0 ||
	    (rc = sk_time_get(s->p4->from, &s->f.valid_from)) != 0 ||
	    (rc = sk_time_get(s->p4->to, &s->f.valid_to)) != 0 ||
	    (rc = sk_str_check(s->p4->name, SK_SEAL_MAX_STRING)) != 0)
		return rc;
	s->f.name = sk_str_bytes(s->p4->name);
	return sk_seal_cert_list_v4(s);
}

static int
sk_seal_picture(struct sk_seal *s)
{
	const SK_SES_PICTURE *pic = s->info->picture;
	int rc;

	if ((rc = sk_str_check(pic->type, SK_SEAL_MAX_STRING)) != 0 ||
	    (rc = sk_str_check(pic->data, SK_SEAL_MAX_PICTURE)) != 0 ||
	    (rc = sk_int_get(pic->width, &s->f.pic_width)) != 0 ||
	    (rc = sk_int_get(pic->height, &s->f.pic_height)) != 0)
		return rc;
	if (s->f.pic_width < 0 || s->f.pic_width > SK_SEAL_MAX_PICTURE_MM ||
	    s->f.pic_height < 0 || s->f.pic_height > SK_SEAL_MAX_PICTURE_MM)
		return SK_ERR_LIMIT;
	s->f.pic_type = sk_str_bytes(pic->type);
	s->f.pic_data = sk_str_bytes(pic->data);
	return 0;
}

static int
sk_seal_info(struct sk_seal *s)
{
	const SK_SES_HEADER *h;
	ASN1_VALUE *v;
	int rc;

	rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_SEALINFO), s->f.sealinfo.p,
	    s->f.sealinfo.len, &v);
	if (rc != 0)
		return rc;
	s->info = (SK_SES_SEALINFO *)v;
	h = s->info->header;
	if (s->info->ext != NULL && s->info->ext0 != NULL)
		return SK_ERR_FORMAT;
	s->ext = s->info->ext != NULL ? s->info->ext : s->info->ext0;
	if ((rc = sk_str_check(h->id, SK_SEAL_MAX_STRING)) != 0 ||
	    (rc = sk_str_check(h->vid, SK_SEAL_MAX_STRING)) != 0 ||
	    (rc = sk_str_check(s->info->esid, SK_SEAL_MAX_STRING)) != 0 ||
	    (rc = sk_int_get(h->version, &s->f.header_version)) != 0 ||
	    (rc = sk_ext_check(s->ext)) != 0)
		return rc;
	s->f.id = sk_str_bytes(h->id);
	s->f.vid = sk_str_bytes(h->vid);
	s->f.esid = sk_str_bytes(s->info->esid);
	s->f.next = s->ext != NULL ? (size_t)sk_SK_SES_EXT_num(s->ext) : 0;
	/* ofdrw VersionParser: 4 fields and header version 5 is also v5. */
	if (s->f.version == 4 && s->f.header_version == 5)
		s->f.version = 5;
	if ((rc = sk_seal_property(s)) != 0)
		return rc;
	return sk_seal_picture(s);
}

static int
sk_seal_sign_part(struct sk_seal *s, const ASN1_OCTET_STRING *cert,
    const ASN1_OBJECT *alg, const ASN1_BIT_STRING *sig)
{
	int rc;

	if ((rc = sk_str_check(cert, SK_SEAL_MAX_CERT_BYTES)) != 0 ||
	    (rc = sk_bits_check(sig, SK_SEAL_MAX_SIG_BYTES)) != 0)
		return rc;
	s->f.maker_cert = sk_str_bytes(cert);
	s->f.signature = sk_str_bytes(sig);
	sk_oid_text(alg, s->f.alg);
	return 0;
}

static int
sk_seal_outer_v1(struct sk_seal *s, const uint8_t *der, size_t len)
{
	struct sk_seal_bytes b;
	ASN1_VALUE *v;
	int rc;

	if ((rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SESEAL_V1), der, len,
	    &v)) != 0)
		return rc;
	s->v1 = (SK_SESEAL_V1 *)v;
	s->f.version = 1;
	if ((rc = sk_any_seq(s->v1->info, &s->f.sealinfo)) != 0 ||
	    (rc = sk_any_seq(s->v1->sign, &b)) != 0)
		return rc;
	rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_SIGNINFO), b.p, b.len, &v);
	if (rc != 0)
		return rc;
	s->signinfo = (SK_SES_SIGNINFO *)v;
	return sk_seal_sign_part(s, s->signinfo->cert, s->signinfo->alg,
	    s->signinfo->sig);
}

static int
sk_seal_outer_v4(struct sk_seal *s, const uint8_t *der, size_t len,
    size_t nfields)
{
	ASN1_VALUE *v;
	int rc;

	if ((rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SESEAL_V4), der, len,
	    &v)) != 0)
		return rc;
	s->v4 = (SK_SESEAL_V4 *)v;
	if ((nfields == 5) != (s->v4->ts != NULL))
		return SK_ERR_FORMAT;
	s->f.version = nfields == 5 ? 5 : 4;
	if ((rc = sk_any_seq(s->v4->info, &s->f.sealinfo)) != 0)
		return rc;
	if (s->v4->ts != NULL) {
		if ((rc = sk_bits_check(s->v4->ts, SK_SEAL_MAX_TST)) != 0)
			return rc;
		s->f.timestamp = sk_str_bytes(s->v4->ts);
	}
	return sk_seal_sign_part(s, s->v4->cert, s->v4->alg, s->v4->sig);
}

int
sk_seal_parse(const uint8_t *der, size_t len, struct sk_seal **out)
{
	struct sk_tlv kids[SK_SEAL_MAX_FIELDS];
	struct sk_seal *s;
	size_t n;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (der == NULL && len > 0)
		return SK_ERR_ARG;
	if (len > SK_SEAL_MAX_BYTES)
		return SK_ERR_LIMIT;
	if ((rc = sk_der_children(der, len, kids, SK_SEAL_MAX_FIELDS,
	    &n)) != 0)
		return rc == SK_ERR_LIMIT ? SK_ERR_FORMAT : rc;
	if (n != 2 && n != 4 && n != 5)
		return SK_ERR_FORMAT;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->der = malloc(len)) == NULL) {
		free(s);
		return SK_ERR_NOMEM;
	}
	memcpy(s->der, der, len);
	s->f.der.p = s->der;
	s->f.der.len = len;
	if (n == 2)
		rc = sk_seal_outer_v1(s, s->der, len);
	else
		rc = sk_seal_outer_v4(s, s->der, len, n);
	if (rc == 0)
		rc = sk_seal_info(s);
	ERR_clear_error();
	if (rc != 0) {
		sk_seal_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void
sk_seal_free(struct sk_seal *s)
{
	if (s == NULL)
		return;
	SK_SESEAL_V1_free(s->v1);
	SK_SESEAL_V4_free(s->v4);
	SK_SES_SIGNINFO_free(s->signinfo);
	SK_SES_SEALINFO_free(s->info);
	SK_SES_PROP_V1_free(s->p1);
	SK_SES_PROP_V4_free(s->p4);
	ASN1_item_free((ASN1_VALUE *)s->certs, ASN1_ITEM_rptr(SK_SES_CERTS));
	ASN1_item_free((ASN1_VALUE *)s->digests,
	    ASN1_ITEM_rptr(SK_SES_DIGESTS));
	free(s->der);
	free(s);
}

void
sk_seal_get(const struct sk_seal *seal, struct sk_seal_fields *f)
{
	*f = seal->f;
}

int
sk_seal_cert_at(const struct sk_seal *s, size_t i,
    struct sk_seal_cert_entry *e)
{
	const ASN1_TYPE *t;
	const SK_SES_DIGEST *d;

	memset(e, 0, sizeof(*e));
	if (i >= s->f.ncerts || i > INT_MAX)
		return SK_ERR_ARG;
	if (s->p1 != NULL) {
		t = sk_ASN1_TYPE_value(s->p1->certs, (int)i);
		e->kind = t->type == V_ASN1_OCTET_STRING ? 1 : 0;
		e->value = sk_str_bytes(t->value.asn1_string);
	} else if (s->certs != NULL) {
		e->kind = 1;
		e->value = sk_str_bytes(sk_ASN1_OCTET_STRING_value(s->certs,
		    (int)i));
	} else {
		d = sk_SK_SES_DIGEST_value(s->digests, (int)i);
		e->kind = 2;
		e->value = sk_str_bytes(d->value);
		e->digest_type = sk_str_bytes(d->type);
	}
	return 0;
}

int
sk_seal_ext_at(const struct sk_seal *s, size_t i, struct sk_seal_ext *e)
{
	const SK_SES_EXT *x;

	memset(e, 0, sizeof(*e));
	if (i >= s->f.next || i > INT_MAX)
		return SK_ERR_ARG;
	x = sk_SK_SES_EXT_value(s->ext, (int)i);
	sk_oid_text(x->id, e->oid);
	e->critical = x->critical > 0;
	e->value = sk_str_bytes(x->value);
	return 0;
}

/* GM/T 0031-2014 6.1.1.2: SEQUENCE { SES_SealInfo, cert, algorithm }. */
static int
sk_seal_v1_message(const struct sk_seal *s, struct sk_buf *out)
{
	struct sk_tlv kids[SK_SEAL_MAX_FIELDS];
	struct sk_seal_bytes b;
	unsigned char hdr[8], *p = hdr;
	size_t n, clen;
	int rc, hlen;

	if ((rc = sk_any_seq(s->v1->sign, &b)) != 0 ||
	    (rc = sk_der_children(b.p, b.len, kids, SK_SEAL_MAX_FIELDS,
	    &n)) != 0)
		return rc;
	if (n != 3)
		return SK_ERR_FORMAT;
	clen = s->f.sealinfo.len + kids[0].len + kids[1].len;
	if (clen > SK_SEAL_MAX_BYTES)
		return SK_ERR_LIMIT;
	hlen = ASN1_object_size(1, (int)clen, V_ASN1_SEQUENCE) - (int)clen;
	if (hlen <= 0 || (size_t)hlen > sizeof(hdr))
		return SK_ERR_INTERNAL;
	ASN1_put_object(&p, 1, (int)clen, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
	if ((rc = sk_buf_append(out, hdr, (size_t)hlen)) != 0 ||
	    (rc = sk_buf_append(out, s->f.sealinfo.p, s->f.sealinfo.len)) ||
	    (rc = sk_buf_append(out, kids[0].p, kids[0].len)) != 0)
		return rc;
	return sk_buf_append(out, kids[1].p, kids[1].len);
}

int
sk_seal_signed_message(const struct sk_seal *seal, struct sk_buf *out)
{
	if (seal == NULL || out == NULL)
		return SK_ERR_ARG;
	if (seal->f.version == 1)
		return sk_seal_v1_message(seal, out);
	return sk_buf_append(out, seal->f.sealinfo.p, seal->f.sealinfo.len);
}

/* parsing a signature */

/* "2020-04-22 10:18:07" (CST) or "2020-01-25T07:31:56.377Z" (UTC). */
static int
sk_v1_time_text(const uint8_t *p, size_t len, int64_t *t)
{
	static const char shape[] = "dddd-dd-dd?dd:dd:dd";
	struct tm tm;
	int v[6], i, k = 0;
	size_t j;

	if (len < sizeof(shape) - 1)
		return SK_ERR_FORMAT;
	memset(v, 0, sizeof(v));
	for (j = 0; j < sizeof(shape) - 1; j++) {
		if (shape[j] == 'd') {
			if (p[j] < '0' || p[j] > '9')
				return SK_ERR_FORMAT;
			v[k] = v[k] * 10 + (p[j] - '0');
		} else if (shape[j] == '?') {
			if (p[j] != ' ' && p[j] != 'T')
				return SK_ERR_FORMAT;
			k++;
		} else if ((uint8_t)shape[j] != p[j])
			return SK_ERR_FORMAT;
		else
			k++;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	for (i = 1; i < 6; i++)
		if (v[i] > 60)
			return SK_ERR_FORMAT;
	*t = (int64_t)timegm(&tm);
	if (p[10] == ' ')
		*t -= SK_SEAL_CST_OFFSET;
	return 0;
}

static int
sk_sig_v1_time(struct sk_ses_sig *s)
{
	const ASN1_TYPE *t = s->t1->time;
	int64_t v;

	if (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME) {
		if (sk_time_get(t->value.utctime, &v) == 0) {
			s->f.time = v;
			s->f.has_time = 1;
		}
		return 0;
	}
	if (t->type != V_ASN1_BIT_STRING && t->type != V_ASN1_OCTET_STRING)
		return SK_ERR_TYPE;
	if (sk_str_check(t->value.asn1_string, SK_SEAL_MAX_STRING) != 0)
		return SK_ERR_LIMIT;
	s->f.time_text = sk_str_bytes(t->value.asn1_string);
	if (sk_v1_time_text(s->f.time_text.p, s->f.time_text.len, &v) == 0) {
		s->f.time = v;
		s->f.has_time = 1;
	}
	return 0;
}

static int
sk_sig_tbs_common(struct sk_ses_sig *s, const ASN1_INTEGER *version,
    const ASN1_TYPE *seal, const ASN1_BIT_STRING *hash,
    const ASN1_IA5STRING *property)
{
	struct sk_seal_bytes b;
	int rc;

	if ((rc = sk_int_get(version, &s->f.tbs_version)) != 0 ||
	    (rc = sk_bits_check(hash, SK_SEAL_MAX_HASH)) != 0 ||
	    (rc = sk_str_check(property, SK_SEAL_MAX_PROPERTY)) != 0 ||
	    (rc = sk_any_seq(seal, &b)) != 0 ||
	    (rc = sk_seal_parse(b.p, b.len, &s->seal)) != 0)
		return rc;
	s->f.seal = s->seal;
	s->f.data_hash = sk_str_bytes(hash);
	s->f.property = sk_str_bytes(property);
	return 0;
}

static int
sk_sig_v1(struct sk_ses_sig *s, const uint8_t *der, size_t len)
{
	ASN1_VALUE *v;
	int rc;

	if ((rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_SIG_V1), der, len,
	    &v)) != 0)
		return rc;
	s->s1 = (SK_SES_SIG_V1 *)v;
	s->f.version = 1;
	if ((rc = sk_any_seq(s->s1->tbs, &s->f.tbs)) != 0 ||
	    (rc = sk_bits_check(s->s1->sig, SK_SEAL_MAX_SIG_BYTES)) != 0 ||
	    (rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_TBS_V1), s->f.tbs.p,
	    s->f.tbs.len, &v)) != 0)
		return rc;
	s->t1 = (SK_TBS_V1 *)v;
	if ((rc = sk_str_check(s->t1->cert, SK_SEAL_MAX_CERT_BYTES)) != 0 ||
	    (rc = sk_sig_tbs_common(s, s->t1->version, s->t1->seal,
	    s->t1->hash, s->t1->property)) != 0)
		return rc;
	s->f.signer_cert = sk_str_bytes(s->t1->cert);
	s->f.signature = sk_str_bytes(s->s1->sig);
	sk_oid_text(s->t1->alg, s->f.alg);
	return sk_sig_v1_time(s);
}

static int
sk_sig_v4(struct sk_ses_sig *s, const uint8_t *der, size_t len,
    size_t nfields)
{
	ASN1_VALUE *v;
	int rc;

	if ((rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_SES_SIG_V4), der, len,
	    &v)) != 0)
		return rc;
	s->s4 = (SK_SES_SIG_V4 *)v;
	if ((nfields == 5) != (s->s4->ts != NULL))
		return SK_ERR_FORMAT;
	if ((rc = sk_any_seq(s->s4->tbs, &s->f.tbs)) != 0 ||
	    (rc = sk_bits_check(s->s4->sig, SK_SEAL_MAX_SIG_BYTES)) != 0 ||
	    (rc = sk_str_check(s->s4->cert, SK_SEAL_MAX_CERT_BYTES)) != 0 ||
	    (rc = sk_d2i_exact(ASN1_ITEM_rptr(SK_TBS_V4), s->f.tbs.p,
	    s->f.tbs.len, &v)) != 0)
		return rc;
	s->t4 = (SK_TBS_V4 *)v;
	if ((rc = sk_ext_check(s->t4->ext)) != 0 ||
	    (rc = sk_sig_tbs_common(s, s->t4->version, s->t4->seal,
	    s->t4->hash, s->t4->property)) != 0 ||
	    (rc = sk_time_get(s->t4->time, &s->f.time)) != 0)
		return rc;
	s->f.has_time = 1;
	if (s->s4->ts != NULL) {
		if ((rc = sk_bits_check(s->s4->ts, SK_SEAL_MAX_TST)) != 0)
			return rc;
		s->f.timestamp = sk_str_bytes(s->s4->ts);
	}
	/* ofdrw VersionParser: by the embedded seal's version. */
	s->f.version = s->seal->f.version == 5 || s->f.tbs_version == 5 ?
	    5 : 4;
	s->f.signer_cert = sk_str_bytes(s->s4->cert);
	s->f.signature = sk_str_bytes(s->s4->sig);
	sk_oid_text(s->s4->alg, s->f.alg);
	return 0;
}

int
sk_ses_sig_parse(const uint8_t *der, size_t len, struct sk_ses_sig **out)
{
	struct sk_tlv kids[SK_SEAL_MAX_FIELDS];
	struct sk_ses_sig *s;
	size_t n;
	int rc;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = NULL;
	if (der == NULL && len > 0)
		return SK_ERR_ARG;
	if (len > SK_SES_SIG_MAX_BYTES)
		return SK_ERR_LIMIT;
	if ((rc = sk_der_children(der, len, kids, SK_SEAL_MAX_FIELDS,
	    &n)) != 0)
		return rc == SK_ERR_LIMIT ? SK_ERR_FORMAT : rc;
	if (n != 2 && n != 4 && n != 5)
		return SK_ERR_FORMAT;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->der = malloc(len)) == NULL) {
		free(s);
		return SK_ERR_NOMEM;
	}
	memcpy(s->der, der, len);
	s->f.der.p = s->der;
	s->f.der.len = len;
	rc = n == 2 ? sk_sig_v1(s, s->der, len) : sk_sig_v4(s, s->der, len, n);
	ERR_clear_error();
	if (rc != 0) {
		sk_ses_sig_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void
sk_ses_sig_free(struct sk_ses_sig *s)
{
	if (s == NULL)
		return;
	SK_SES_SIG_V1_free(s->s1);
	SK_SES_SIG_V4_free(s->s4);
	SK_TBS_V1_free(s->t1);
	SK_TBS_V4_free(s->t4);
	sk_seal_free(s->seal);
	free(s->der);
	free(s);
}

void
sk_ses_sig_get(const struct sk_ses_sig *sig, struct sk_ses_sig_fields *f)
{
	*f = sig->f;
}

/* SM2 signatures */

/* A DER or raw r||s SM2 signature as r||s; *was_raw tells which. */
static int
sk_sm2_sig_raw(const struct sk_seal_bytes *sig, struct sk_buf *raw,
    int *was_raw)
{
	*was_raw = 0;
	if (sig->len == 0)
		return SK_ERR_SIGNATURE;
	if (sk_ecsig_der_to_raw(sig->p, sig->len, SK_SEAL_SM2_WIDTH,
	    raw) == 0)
		return 0;
	/* STANDARDS.md section 0 fact 3: Koal writes raw r||s. */
	if (sig->len != 2 * SK_SEAL_SM2_WIDTH)
		return SK_ERR_SIGNATURE;
	*was_raw = 1;
	return sk_buf_append(raw, sig->p, sig->len);
}

/* Verify an SM2-SM3 signature (DER or raw) by a certificate's key. */
static int
sk_sm2_verify(const struct sk_seal_bytes *cert, const char *alg,
    const struct sk_seal_bytes *msg, const struct sk_seal_bytes *sig,
    int *was_raw, const char **why)
{
	struct sk_cert *c = NULL;
	struct sk_key *key = NULL;
	struct sk_buf raw;
	int rc;

	*was_raw = 0;
	if (strcmp(alg, SK_OID_SM2_SM3) != 0) {
		*why = "signature algorithm is not SM2-SM3";
		return SK_ERR_UNSUPPORTED;
	}
	if (cert->len == 0 || sk_cert_load_mem(cert->p, cert->len, &c) != 0 ||
	    sk_cert_pubkey(c, &key) != 0) {
		sk_cert_free(c);
		*why = "certificate unreadable";
		return SK_ERR_CERT;
	}
	sk_buf_init(&raw, 2 * SK_SEAL_SM2_WIDTH);
	if ((rc = sk_sm2_sig_raw(sig, &raw, was_raw)) == 0)
		rc = sk_verify_signature(key, SK_ALG_SM2_SM3, msg->p,
		    msg->len, raw.data, raw.len);
	if (rc == SK_ERR_KEY)
		*why = "certificate key is not SM2";
	else if (rc != 0)
		*why = "signature does not verify";
	sk_buf_free(&raw);
	sk_key_free(key);
	sk_cert_free(c);
	return rc;
}

/* verification */

void
sk_seal_verify_opts_init(struct sk_seal_verify_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->status = SK_SEAL_STATUS_NONE;
}

static void
sk_report_set(struct sk_seal_report *r, int chk, int rc, const char *why)
{
	r->result[chk] = rc;
	r->reason[chk] = rc == 0 ? NULL : why;
}

static void
sk_report_init(struct sk_seal_report *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < SK_SEAL_NCHECKS; i++)
		r->result[i] = SK_SEAL_NOT_RUN;
}

static int
sk_report_verdict(const struct sk_seal_report *r)
{
	int i;

	for (i = 0; i < SK_SEAL_NCHECKS; i++)
		if (r->result[i] != 0 && r->result[i] != SK_SEAL_NOT_RUN)
			return SK_ERR_SIGNATURE;
	return 0;
}

static void
sk_check_maker(const struct sk_seal *s, struct sk_seal_report *r)
{
	struct sk_seal_bytes msg;
	struct sk_buf m;
	const char *why = NULL;
	int rc;

	sk_buf_init(&m, SK_SEAL_MAX_BYTES + 16);
	if ((rc = sk_seal_signed_message(s, &m)) != 0)
		why = "signed message unavailable";
	else {
		msg.p = m.data;
		msg.len = m.len;
		rc = sk_sm2_verify(&s->f.maker_cert, s->f.alg, &msg,
		    &s->f.signature, &r->maker_sig_raw, &why);
	}
	sk_report_set(r, SK_SEAL_CHK_MAKER_SIG, rc, why);
	sk_buf_free(&m);
}

static void
sk_check_validity(const struct sk_seal *s, int64_t at,
    struct sk_seal_report *r)
{
	r->at = at;
	if (at < s->f.valid_from)
		sk_report_set(r, SK_SEAL_CHK_SEAL_VALIDITY, SK_ERR_EXPIRED,
		    "before the seal's validStart");
	else if (at > s->f.valid_to)
		sk_report_set(r, SK_SEAL_CHK_SEAL_VALIDITY, SK_ERR_EXPIRED,
		    "after the seal's validEnd");
	else
		sk_report_set(r, SK_SEAL_CHK_SEAL_VALIDITY, 0, NULL);
}

static void
sk_check_status(const struct sk_seal_verify_opts *o, struct sk_seal_report *r)
{
	if (o->status == SK_SEAL_STATUS_NONE)
		return;
	if (o->status == (int)SK_STATUS_VALID)
		sk_report_set(r, SK_SEAL_CHK_STATUS, 0, NULL);
	else if (o->status == (int)SK_STATUS_INVALID)
		sk_report_set(r, SK_SEAL_CHK_STATUS, SK_ERR_EXPIRED, "revoked");
	else if (o->status == (int)SK_STATUS_SUSPENDED)
		sk_report_set(r, SK_SEAL_CHK_STATUS, SK_ERR_EXPIRED,
		    "suspended");
	else
		sk_report_set(r, SK_SEAL_CHK_STATUS, SK_ERR_NOTFOUND,
		    "status unknown");
}

/* time-stamp tokens (RFC 3161, GB/T 20520) */

static int
sk_ts_decode(const struct sk_seal_bytes *tok, PKCS7 **p7, TS_TST_INFO **info)
{
	const unsigned char *p = tok->p;

	*p7 = NULL;
	*info = NULL;
	if (tok->len == 0 || tok->len > SK_SEAL_MAX_TST)
		return SK_ERR_FORMAT;
	if ((*p7 = d2i_PKCS7(NULL, &p, (long)tok->len)) == NULL ||
	    (size_t)(p - tok->p) != tok->len ||
	    (*info = PKCS7_to_TS_TST_INFO(*p7)) == NULL) {
		PKCS7_free(*p7);
		*p7 = NULL;
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	return 0;
}

/* messageImprint = hash of the signature value (GM/T 0031-2025). */
static int
sk_ts_bound(TS_TST_INFO *info, const struct sk_seal_bytes *value)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(info);
	const ASN1_OBJECT *obj = NULL;
	const ASN1_OCTET_STRING *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD *alg;
	int ok;

	X509_ALGOR_get0(&obj, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	want = TS_MSG_IMPRINT_get_msg(mi);
	if (obj == NULL || want == NULL)
		return SK_ERR_FORMAT;
	if ((alg = EVP_MD_fetch(NULL, OBJ_nid2sn(OBJ_obj2nid(obj)),
	    NULL)) == NULL) {
		ERR_clear_error();
		return SK_ERR_UNSUPPORTED;
	}
	ok = EVP_Digest(value->p, value->len, md, &mdlen, alg, NULL);
	EVP_MD_free(alg);
	if (!ok)
		return SK_ERR_CRYPTO;
	if ((size_t)want->length != mdlen ||
	    memcmp(want->data, md, mdlen) != 0)
		return SK_ERR_CHECKSUM;
	return 0;
}

/* The token's CMS signature, by the TSA certificate given as trust. */
static int
sk_ts_signed(PKCS7 *p7, const struct sk_cert *tsa)
{
	TS_VERIFY_CTX *ctx;
	X509_STORE *st;
	STACK_OF(X509) *certs;
	X509 *x = sk_cert_x509(tsa);
	int ok = 0;

	if ((ctx = TS_VERIFY_CTX_new()) == NULL)
		return SK_ERR_NOMEM;
	if ((st = X509_STORE_new()) == NULL ||
	    TS_VERIFY_CTX_set_store(ctx, st) == NULL) {
		X509_STORE_free(st);
		goto out;
	}
	if ((certs = sk_X509_new_null()) == NULL ||
	    TS_VERIFY_CTX_set_certs(ctx, certs) == NULL) {
		sk_X509_free(certs);
		goto out;
	}
	if (!X509_STORE_add_cert(st, x) ||
	    !X509_STORE_set_flags(st, X509_V_FLAG_PARTIAL_CHAIN) ||
	    !X509_add_cert(certs, x, X509_ADD_FLAG_UP_REF))
		goto out;
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_SIGNATURE | TS_VFY_VERSION);
	ok = TS_RESP_verify_token(ctx, p7) == 1;
out:
	TS_VERIFY_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : SK_ERR_SIGNATURE;
}

static void
sk_ts_time(TS_TST_INFO *info, struct sk_seal_report *r)
{
	int64_t t;

	if (sk_time_get(TS_TST_INFO_get_time(info), &t) == 0)
		r->ts_time = t;
}

/*
 * A token over value: chk gets the format and TSA signature result,
 * bind the binding (both chk for the v5 seal time-stamp).
 */
static void
sk_check_ts(const struct sk_seal_bytes *tok, const struct sk_seal_bytes *value,
    const struct sk_seal_verify_opts *o, int chk, int bind,
    struct sk_seal_report *r)
{
	PKCS7 *p7;
	TS_TST_INFO *info;
	int rc;

	if (tok->len == 0) {
		if (o->require_timestamp)
			sk_report_set(r, chk, SK_ERR_MISSING,
			    "no time-stamp token");
		return;
	}
	if (sk_ts_decode(tok, &p7, &info) != 0) {
		sk_report_set(r, chk, SK_ERR_FORMAT, "not a TimeStampToken");
		return;
	}
	sk_ts_time(info, r);
	rc = sk_ts_bound(info, value);
	sk_report_set(r, bind, rc, rc == SK_ERR_UNSUPPORTED ?
	    "unknown imprint hash" :
	    "messageImprint is not the hash of the signature value");
	/* With one check for both, a binding failure is what is kept. */
	if (chk != bind || rc == 0) {
		if (o->tsa_cert == NULL)
			sk_report_set(r, chk, SK_ERR_NOTFOUND,
			    "no TSA certificate to check the token with");
		else {
			rc = sk_ts_signed(p7, o->tsa_cert);
			sk_report_set(r, chk, rc,
			    "token signature or TSA certificate invalid");
		}
	}
	TS_TST_INFO_free(info);
	PKCS7_free(p7);
}

static int
sk_verify_args(const struct sk_seal_verify_opts *o, struct sk_seal_report *r)
{
	if (o == NULL || r == NULL)
		return SK_ERR_ARG;
	sk_report_init(r);
	if (o->data_hash != NULL && o->hashlen == 0)
		return SK_ERR_ARG;
	return 0;
}

static void
sk_seal_checks(const struct sk_seal *s, int64_t at,
    const struct sk_seal_verify_opts *o, struct sk_seal_report *r)
{
	struct sk_seal_verify_opts so = *o;

	sk_check_maker(s, r);
	sk_check_validity(s, at, r);
	/* The seal's own token is optional even when one is required. */
	so.require_timestamp = 0;
	if (s->f.timestamp.len > 0)
		sk_check_ts(&s->f.timestamp, &s->f.signature, &so,
		    SK_SEAL_CHK_SEAL_TIMESTAMP, SK_SEAL_CHK_SEAL_TIMESTAMP, r);
	sk_check_status(o, r);
}

int
sk_seal_verify(const struct sk_seal *seal, const struct sk_seal_verify_opts *o,
    struct sk_seal_report *r)
{
	int rc;

	if ((rc = sk_verify_args(o, r)) != 0)
		return rc;
	if (seal == NULL)
		return SK_ERR_ARG;
	sk_seal_checks(seal, o->at, o, r);
	return sk_report_verdict(r);
}

/* 1 if the certificate matches certList entry e (GB/T 38540). */
static int
sk_cert_matches(const struct sk_seal_bytes *cert,
    const struct sk_seal_cert_entry *e)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	static const char *const mds[] = { "SM3", "SHA256" };
	size_t i;

	if (e->kind == 1)
		return e->value.len == cert->len &&
		    memcmp(e->value.p, cert->p, cert->len) == 0;
	if (e->kind != 2)
		return 0;
	for (i = 0; i < sizeof(mds) / sizeof(mds[0]); i++) {
		if (!EVP_Digest(cert->p, cert->len, md, &mdlen,
		    EVP_get_digestbyname(mds[i]), NULL))
			continue;
		if (e->value.len == mdlen &&
		    memcmp(e->value.p, md, mdlen) == 0)
			return 1;
	}
	ERR_clear_error();
	return 0;
}

static int
sk_seal_lists(const struct sk_seal *s, const struct sk_seal_bytes *cert)
{
	struct sk_seal_cert_entry e;
	size_t i;

	for (i = 0; i < s->f.ncerts; i++)
		if (sk_seal_cert_at(s, i, &e) == 0 && sk_cert_matches(cert, &e))
			return 1;
	return 0;
}

static void
sk_check_data(const struct sk_ses_sig *s, const struct sk_seal_verify_opts *o,
    struct sk_seal_report *r)
{
	if (o->data_hash == NULL)
		return;
	if (s->f.data_hash.len != o->hashlen ||
	    memcmp(s->f.data_hash.p, o->data_hash, o->hashlen) != 0)
		sk_report_set(r, SK_SEAL_CHK_DATA_HASH, SK_ERR_CHECKSUM,
		    "dataHash is not the document's SM3");
	else
		sk_report_set(r, SK_SEAL_CHK_DATA_HASH, 0, NULL);
}

int
sk_ses_sig_verify(const struct sk_ses_sig *sig,
    const struct sk_seal_verify_opts *o, struct sk_seal_report *r)
{
	const char *why = NULL;
	int rc;

	if ((rc = sk_verify_args(o, r)) != 0)
		return rc;
	if (sig == NULL)
		return SK_ERR_ARG;
	sk_seal_checks(sig->seal, sig->f.time, o, r);
	if (!sig->f.has_time)
		sk_report_set(r, SK_SEAL_CHK_SEAL_VALIDITY, SK_ERR_FORMAT,
		    "signing time unreadable");
	if (sk_seal_lists(sig->seal, &sig->f.signer_cert))
		sk_report_set(r, SK_SEAL_CHK_SIGNER_LISTED, 0, NULL);
	else
		sk_report_set(r, SK_SEAL_CHK_SIGNER_LISTED, SK_ERR_NOTFOUND,
		    "signer certificate not in the seal's certList");
	rc = sk_sm2_verify(&sig->f.signer_cert, sig->f.alg, &sig->f.tbs,
	    &sig->f.signature, &r->sig_raw, &why);
	sk_report_set(r, SK_SEAL_CHK_SIGNATURE, rc, why);
	sk_check_data(sig, o, r);
	if (sig->f.version == 1 && sig->f.timestamp.len == 0 &&
	    o->require_timestamp)
		sk_report_set(r, SK_SEAL_CHK_TIMESTAMP, SK_ERR_UNSUPPORTED,
		    "version 1 has no time-stamp field");
	else
		sk_check_ts(&sig->f.timestamp, &sig->f.signature, o,
		    SK_SEAL_CHK_TIMESTAMP, SK_SEAL_CHK_TIMESTAMP_BINDING, r);
	return sk_report_verdict(r);
}

/* making */

static ASN1_BIT_STRING *
sk_bits_new(const uint8_t *p, size_t len)
{
	ASN1_BIT_STRING *b;

	if (len > INT_MAX || (b = ASN1_BIT_STRING_new()) == NULL)
		return NULL;
	if (!ASN1_BIT_STRING_set(b, (unsigned char *)(uintptr_t)p,
	    (int)len)) {
		ASN1_BIT_STRING_free(b);
		return NULL;
	}
	/* Keep trailing zero bytes: i2d would otherwise trim them. */
	b->flags &= ~0x07L;
	b->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	return b;
}

static int
sk_str_set(ASN1_STRING *s, const void *p, size_t len)
{
	if (len > INT_MAX || !ASN1_STRING_set(s, p, (int)len))
		return SK_ERR_NOMEM;
	return 0;
}

/* An ANY holding the DER SEQUENCE p..p+len as given. */
static int
sk_any_from_der(const uint8_t *p, size_t len, ASN1_TYPE **out)
{
	const unsigned char *q = p;

	*out = NULL;
	if (len == 0 || len > LONG_MAX)
		return SK_ERR_FORMAT;
	if ((*out = d2i_ASN1_TYPE(NULL, &q, (long)len)) == NULL ||
	    (size_t)(q - p) != len || (*out)->type != V_ASN1_SEQUENCE) {
		ASN1_TYPE_free(*out);
		*out = NULL;
		ERR_clear_error();
		return SK_ERR_FORMAT;
	}
	return 0;
}

static int
sk_gtime_set(ASN1_TIME **t, int64_t v)
{
	if (v < 0 || (time_t)v != v)
		return SK_ERR_ARG;
	ASN1_TIME_free(*t);
	*t = ASN1_GENERALIZEDTIME_set(NULL, (time_t)v);
	return *t == NULL ? SK_ERR_ARG : 0;
}

/* PNG signature and IHDR (ISO/IEC 15948 5.2, 11.2.2). */
static int
sk_png_check(const uint8_t *p, size_t len)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a,
	    0x1a, 0x0a };
	uint32_t w, h;

	if (len > SK_SEAL_MAX_PICTURE)
		return SK_ERR_LIMIT;
	if (len < 33 || memcmp(p, sig, sizeof(sig)) != 0 ||
	    memcmp(p + 8, "\0\0\0\rIHDR", 8) != 0)
		return SK_ERR_FORMAT;
	w = (uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
	    (uint32_t)p[18] << 8 | p[19];
	h = (uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 |
	    (uint32_t)p[22] << 8 | p[23];
	if (w == 0 || h == 0)
		return SK_ERR_FORMAT;
	if (w > SK_SEAL_MAX_PICTURE_PX || h > SK_SEAL_MAX_PICTURE_PX)
		return SK_ERR_LIMIT;
	return 0;
}

static int
sk_seal_params_check(const struct sk_seal_params *p)
{
	if (p->vid == NULL || p->esid == NULL || p->name == NULL ||
	    p->png == NULL || (p->certs == NULL && p->ncerts > 0))
		return SK_ERR_ARG;
	if (strlen(p->vid) > SK_SEAL_MAX_STRING ||
	    strlen(p->esid) > SK_SEAL_MAX_STRING ||
	    strlen(p->name) > SK_SEAL_MAX_STRING ||
	    p->ncerts > SK_SEAL_MAX_CERTS ||
	    p->width_mm > SK_SEAL_MAX_PICTURE_MM ||
	    p->height_mm > SK_SEAL_MAX_PICTURE_MM)
		return SK_ERR_LIMIT;
	if (p->vid[0] == '\0' || p->esid[0] == '\0' || p->name[0] == '\0' ||
	    p->ncerts == 0 || p->width_mm <= 0 || p->height_mm <= 0 ||
	    p->valid_from >= p->valid_to || p->type < 0)
		return SK_ERR_ARG;
	return sk_png_check(p->png, p->pnglen);
}

static int
sk_ia5_set(ASN1_IA5STRING *s, const char *v)
{
	const char *c;

	for (c = v; *c != '\0'; c++)
		if ((unsigned char)*c > 0x7f)
			return SK_ERR_ARG;
	return sk_str_set(s, v, strlen(v));
}

/* certList: SEQUENCE OF OCTET STRING (certListType 1). */
static int
sk_make_certs(const struct sk_seal_params *p, struct sk_buf *der)
{
	SK_SES_CERTS *list;
	ASN1_OCTET_STRING *o;
	const uint8_t *c;
	size_t i, clen;
	int rc = SK_ERR_NOMEM;

	if ((list = sk_ASN1_OCTET_STRING_new_null()) == NULL)
		return SK_ERR_NOMEM;
	for (i = 0; i < p->ncerts; i++) {
		if (p->certs[i] == NULL) {
			rc = SK_ERR_ARG;
			goto out;
		}
		sk_cert_der(p->certs[i], &c, &clen);
		if (clen > SK_SEAL_MAX_CERT_BYTES) {
			rc = SK_ERR_LIMIT;
			goto out;
		}
		if ((o = ASN1_OCTET_STRING_new()) == NULL)
			goto out;
		if (sk_str_set(o, c, clen) != 0 ||
		    !sk_ASN1_OCTET_STRING_push(list, o)) {
			ASN1_OCTET_STRING_free(o);
			goto out;
		}
	}
	rc = sk_item_encode((const ASN1_VALUE *)list,
	    ASN1_ITEM_rptr(SK_SES_CERTS), der);
out:
	sk_ASN1_OCTET_STRING_pop_free(list, ASN1_OCTET_STRING_free);
	return rc;
}

static int
sk_make_property(const struct sk_seal_params *p, ASN1_TYPE **out)
{
	SK_SES_PROP_V4 *pr;
	struct sk_buf der;
	ASN1_STRING *name = NULL;
	int rc = SK_ERR_NOMEM;

	sk_buf_init(&der, SK_SEAL_MAX_BYTES);
	if ((pr = SK_SES_PROP_V4_new()) == NULL)
		return SK_ERR_NOMEM;
	if (ASN1_mbstring_copy(&name, (const unsigned char *)p->name,
	    (int)strlen(p->name), MBSTRING_UTF8, B_ASN1_UTF8STRING) < 0) {
		rc = SK_ERR_ARG;	/* not UTF-8 */
		goto out;
	}
	ASN1_UTF8STRING_free(pr->name);
	pr->name = name;
	if (!ASN1_INTEGER_set_int64(pr->type, p->type) ||
	    !ASN1_INTEGER_set_int64(pr->list_type, SK_SEAL_CERTLIST_CERTS))
		goto out;
	if ((rc = sk_gtime_set(&pr->created, p->created)) != 0 ||
	    (rc = sk_gtime_set(&pr->from, p->valid_from)) != 0 ||
	    (rc = sk_gtime_set(&pr->to, p->valid_to)) != 0 ||
	    (rc = sk_make_certs(p, &der)) != 0)
		goto out;
	ASN1_TYPE_free(pr->list);
	pr->list = NULL;
	if ((rc = sk_any_from_der(der.data, der.len, &pr->list)) != 0)
		goto out;
	sk_buf_reset(&der);
	if ((rc = sk_item_encode((const ASN1_VALUE *)pr,
	    ASN1_ITEM_rptr(SK_SES_PROP_V4), &der)) == 0)
		rc = sk_any_from_der(der.data, der.len, out);
out:
	ERR_clear_error();
	SK_SES_PROP_V4_free(pr);
	sk_buf_free(&der);
	return rc;
}

static int
sk_make_sealinfo(const struct sk_seal_params *p, struct sk_buf *der)
{
	SK_SES_SEALINFO *si;
	SK_SES_PICTURE *pic;
	int rc = SK_ERR_NOMEM;

	if ((si = SK_SES_SEALINFO_new()) == NULL)
		return SK_ERR_NOMEM;
	pic = si->picture;
	ASN1_TYPE_free(si->property);
	si->property = NULL;
	if ((rc = sk_ia5_set(si->header->id, "ES")) != 0 ||
	    (rc = sk_ia5_set(si->header->vid, p->vid)) != 0 ||
	    (rc = sk_ia5_set(si->esid, p->esid)) != 0 ||
	    (rc = sk_ia5_set(pic->type, "PNG")) != 0 ||
	    (rc = sk_str_set(pic->data, p->png, p->pnglen)) != 0 ||
	    (rc = sk_make_property(p, &si->property)) != 0)
		goto out;
	rc = SK_ERR_NOMEM;
	if (!ASN1_INTEGER_set_int64(si->header->version, 4) ||
	    !ASN1_INTEGER_set_int64(pic->width, p->width_mm) ||
	    !ASN1_INTEGER_set_int64(pic->height, p->height_mm))
		goto out;
	rc = sk_item_encode((const ASN1_VALUE *)si,
	    ASN1_ITEM_rptr(SK_SES_SEALINFO), der);
out:
	ERR_clear_error();
	SK_SES_SEALINFO_free(si);
	return rc;
}

/* Sign msg with an SM2 signer; the signature is checked with cert. */
static int
sk_sm2_sign(struct sk_signer *signer, const struct sk_cert *cert,
    const uint8_t *msg, size_t len, ASN1_BIT_STRING **out)
{
	struct sk_buf raw, der;
	struct sk_key *pub = NULL;
	int rc;

	*out = NULL;
	if (signer == NULL || cert == NULL)
		return SK_ERR_ARG;
	if (signer->alg != SK_ALG_SM2_SM3)
		return SK_ERR_KEY;
	sk_buf_init(&raw, SK_SIG_MAX);
	sk_buf_init(&der, SK_SEAL_SM2_DER_MAX);
	if ((rc = sk_signer_sign(signer, msg, len, &raw)) != 0 ||
	    (rc = sk_cert_pubkey(cert, &pub)) != 0)
		goto out;
	rc = sk_verify_signature(pub, SK_ALG_SM2_SM3, msg, len, raw.data,
	    raw.len);
	if (rc == SK_ERR_SIGNATURE || rc == SK_ERR_KEY) {
		rc = SK_ERR_CERT;
		goto out;
	}
	if (rc != 0 || (rc = sk_ecsig_raw_to_der(raw.data, raw.len,
	    &der)) != 0)
		goto out;
	if ((*out = sk_bits_new(der.data, der.len)) == NULL)
		rc = SK_ERR_NOMEM;
out:
	sk_key_free(pub);
	sk_buf_free(&raw);
	sk_buf_free(&der);
	return rc;
}

static int
sk_oid_set(ASN1_OBJECT **o, const char *txt)
{
	ASN1_OBJECT_free(*o);
	if ((*o = OBJ_txt2obj(txt, 1)) == NULL) {
		ERR_clear_error();
		return SK_ERR_NOMEM;
	}
	return 0;
}

int
sk_seal_make(const struct sk_seal_params *p, struct sk_signer *maker,
    const struct sk_cert *maker_cert, struct sk_buf *out)
{
	SK_SESEAL_V4 *seal = NULL;
	struct sk_buf info;
	const uint8_t *c;
	size_t clen;
	int rc;

	if (p == NULL || maker == NULL || maker_cert == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_seal_params_check(p)) != 0)
		return rc;
	sk_buf_init(&info, SK_SEAL_MAX_BYTES);
	if ((rc = sk_make_sealinfo(p, &info)) != 0)
		goto out;
	rc = SK_ERR_NOMEM;
	if ((seal = SK_SESEAL_V4_new()) == NULL)
		goto out;
	ASN1_TYPE_free(seal->info);
	seal->info = NULL;
	ASN1_BIT_STRING_free(seal->sig);
	seal->sig = NULL;
	sk_cert_der(maker_cert, &c, &clen);
	if ((rc = sk_any_from_der(info.data, info.len, &seal->info)) != 0 ||
	    (rc = sk_str_set(seal->cert, c, clen)) != 0 ||
	    (rc = sk_oid_set(&seal->alg, SK_OID_SM2_SM3)) != 0 ||
	    (rc = sk_sm2_sign(maker, maker_cert, info.data, info.len,
	    &seal->sig)) != 0)
		goto out;
	rc = sk_item_encode((const ASN1_VALUE *)seal,
	    ASN1_ITEM_rptr(SK_SESEAL_V4), out);
out:
	SK_SESEAL_V4_free(seal);
	sk_buf_free(&info);
	ERR_clear_error();
	return rc;
}

/* signing */

static int
sk_make_tbs(const struct sk_ses_sign_params *p, struct sk_buf *der)
{
	SK_TBS_V4 *t;
	int rc = SK_ERR_NOMEM;

	if ((t = SK_TBS_V4_new()) == NULL)
		return SK_ERR_NOMEM;
	ASN1_TYPE_free(t->seal);
	t->seal = NULL;
	ASN1_BIT_STRING_free(t->hash);
	if ((t->hash = sk_bits_new(p->data_hash, p->hashlen)) == NULL ||
	    !ASN1_INTEGER_set_int64(t->version, 4))
		goto out;
	if ((rc = sk_any_from_der(p->seal, p->seallen, &t->seal)) != 0 ||
	    (rc = sk_gtime_set(&t->time, p->time)) != 0 ||
	    (rc = sk_ia5_set(t->property, p->property)) != 0)
		goto out;
	rc = sk_item_encode((const ASN1_VALUE *)t, ASN1_ITEM_rptr(SK_TBS_V4),
	    der);
out:
	ERR_clear_error();
	SK_TBS_V4_free(t);
	return rc;
}

static int
sk_sign_check(const struct sk_ses_sign_params *p, const struct sk_cert *cert)
{
	struct sk_seal *seal = NULL;
	struct sk_seal_bytes c;
	int rc;

	if (p->seal == NULL || p->data_hash == NULL || p->property == NULL)
		return SK_ERR_ARG;
	if (p->hashlen != SK_SM3_LEN)
		return SK_ERR_ARG;
	if (strlen(p->property) > SK_SEAL_MAX_PROPERTY)
		return SK_ERR_LIMIT;
	if ((rc = sk_seal_parse(p->seal, p->seallen, &seal)) != 0)
		return rc;
	sk_cert_der(cert, &c.p, &c.len);
	if (!sk_seal_lists(seal, &c))
		rc = SK_ERR_NOTFOUND;
	sk_seal_free(seal);
	return rc;
}

int
sk_ses_sig_sign(const struct sk_ses_sign_params *p, struct sk_signer *signer,
    const struct sk_cert *cert, struct sk_buf *out)
{
	SK_SES_SIG_V4 *s = NULL;
	struct sk_buf tbs;
	const uint8_t *c;
	size_t clen;
	int rc;

	if (p == NULL || signer == NULL || cert == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_sign_check(p, cert)) != 0)
		return rc;
	sk_buf_init(&tbs, SK_SES_SIG_MAX_BYTES);
	if ((rc = sk_make_tbs(p, &tbs)) != 0)
		goto out;
	rc = SK_ERR_NOMEM;
	if ((s = SK_SES_SIG_V4_new()) == NULL)
		goto out;
	ASN1_TYPE_free(s->tbs);
	s->tbs = NULL;
	ASN1_BIT_STRING_free(s->sig);
	s->sig = NULL;
	sk_cert_der(cert, &c, &clen);
	if ((rc = sk_any_from_der(tbs.data, tbs.len, &s->tbs)) != 0 ||
	    (rc = sk_str_set(s->cert, c, clen)) != 0 ||
	    (rc = sk_oid_set(&s->alg, SK_OID_SM2_SM3)) != 0 ||
	    (rc = sk_sm2_sign(signer, cert, tbs.data, tbs.len, &s->sig)) != 0)
		goto out;
	rc = sk_item_encode((const ASN1_VALUE *)s, ASN1_ITEM_rptr(SK_SES_SIG_V4),
	    out);
out:
	SK_SES_SIG_V4_free(s);
	sk_buf_free(&tbs);
	ERR_clear_error();
	return rc;
}

/* time-stamps for signatures */

/* A TimeStampResp (granted) or a bare token: the token's DER. */
static int
sk_ts_token_der(const uint8_t *in, size_t len, struct sk_buf *tok)
{
	const unsigned char *p = in;
	TS_RESP *resp;
	PKCS7 *p7;
	unsigned char *der = NULL;
	int dlen, rc;

	if (len == 0 || len > SK_SEAL_MAX_TST)
		return len == 0 ? SK_ERR_FORMAT : SK_ERR_LIMIT;
	if ((resp = d2i_TS_RESP(NULL, &p, (long)len)) == NULL ||
	    (size_t)(p - in) != len) {
		TS_RESP_free(resp);
		ERR_clear_error();
		return sk_buf_append(tok, in, len);
	}
	rc = SK_ERR_FORMAT;
	if ((p7 = TS_RESP_get_token(resp)) != NULL &&
	    ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(
	    TS_RESP_get_status_info(resp))) <= 1 &&
	    (dlen = i2d_PKCS7(p7, &der)) > 0) {
		rc = sk_buf_append(tok, der, (size_t)dlen);
		OPENSSL_free(der);
	}
	TS_RESP_free(resp);
	ERR_clear_error();
	return rc;
}

int
sk_ses_sig_add_timestamp(const uint8_t *sig, size_t siglen,
    const uint8_t *tst, size_t tstlen, struct sk_buf *out)
{
	struct sk_ses_sig *s = NULL;
	struct sk_seal_bytes tok;
	struct sk_buf t;
	PKCS7 *p7 = NULL;
	TS_TST_INFO *info = NULL;
	int rc;

	if (sig == NULL || tst == NULL || out == NULL)
		return SK_ERR_ARG;
	sk_buf_init(&t, SK_SEAL_MAX_TST);
	if ((rc = sk_ses_sig_parse(sig, siglen, &s)) != 0 ||
	    (rc = sk_ts_token_der(tst, tstlen, &t)) != 0)
		goto out;
	if (s->s4 == NULL) {
		rc = SK_ERR_TYPE;
		goto out;
	}
	tok.p = t.data;
	tok.len = t.len;
	if ((rc = sk_ts_decode(&tok, &p7, &info)) != 0 ||
	    (rc = sk_ts_bound(info, &s->f.signature)) != 0)
		goto out;
	ASN1_BIT_STRING_free(s->s4->ts);
	if ((s->s4->ts = sk_bits_new(t.data, t.len)) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	rc = sk_item_encode((const ASN1_VALUE *)s->s4,
	    ASN1_ITEM_rptr(SK_SES_SIG_V4), out);
out:
	TS_TST_INFO_free(info);
	PKCS7_free(p7);
	sk_ses_sig_free(s);
	sk_buf_free(&t);
	ERR_clear_error();
	return rc;
}

int
sk_ses_sig_ts_query(const struct sk_ses_sig *sig, struct sk_buf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	TS_REQ *req = NULL;
	TS_MSG_IMPRINT *mi = NULL;
	X509_ALGOR *alg = NULL;
	unsigned char *der = NULL;
	int len, rc = SK_ERR_NOMEM;

	if (sig == NULL || out == NULL || sig->f.signature.len == 0)
		return SK_ERR_ARG;
	if (!EVP_Digest(sig->f.signature.p, sig->f.signature.len, md, &mdlen,
	    EVP_sha256(), NULL))
		return SK_ERR_CRYPTO;
	if ((req = TS_REQ_new()) == NULL || (mi = TS_MSG_IMPRINT_new()) ==
	    NULL || (alg = X509_ALGOR_new()) == NULL)
		goto out;
	X509_ALGOR_set_md(alg, EVP_sha256());
	if (!TS_MSG_IMPRINT_set_algo(mi, alg) ||
	    !TS_MSG_IMPRINT_set_msg(mi, md, (int)mdlen) ||
	    !TS_REQ_set_version(req, 1) || !TS_REQ_set_msg_imprint(req, mi) ||
	    !TS_REQ_set_cert_req(req, 1))
		goto out;
	if ((len = i2d_TS_REQ(req, &der)) <= 0) {
		rc = SK_ERR_CRYPTO;
		goto out;
	}
	rc = sk_buf_append(out, der, (size_t)len);
	OPENSSL_free(der);
out:
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	ERR_clear_error();
	return rc;
}
