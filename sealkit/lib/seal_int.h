/*
 * seal_int.h: the ASN.1 templates of SESeal and SES_Signature
 * (sealkit/lib/seal_asn1.c, api/seal.asn1) and the library-internal view
 * of parsed seals (sealkit/lib/seal.c).
 *
 * OpenSSL's template macros name the C type of each SEQUENCE, so these
 * are typedef'd, as OpenSSL's own are.  Parts that are signed
 * (SES_SealInfo, TBS_Sign), and the certList CHOICE chosen by
 * certListType rather than by tag, are ANY here: ANY keeps the bytes as
 * received, and they are decoded in a second step.
 */
#ifndef SEALKIT_SEAL_INT_H
#define SEALKIT_SEAL_INT_H

#include <openssl/asn1.h>
#include <openssl/asn1t.h>

#include "sealkit/seal.h"

typedef struct sk_ses_ext_st {
	ASN1_OBJECT		*id;
	ASN1_BOOLEAN		 critical;
	ASN1_OCTET_STRING	*value;
} SK_SES_EXT;
DEFINE_STACK_OF(SK_SES_EXT)

typedef struct sk_ses_header_st {
	ASN1_IA5STRING		*id;
	ASN1_INTEGER		*version;
	ASN1_IA5STRING		*vid;
} SK_SES_HEADER;

typedef struct sk_ses_picture_st {
	ASN1_IA5STRING		*type;
	ASN1_OCTET_STRING	*data;
	ASN1_INTEGER		*width;
	ASN1_INTEGER		*height;
} SK_SES_PICTURE;

typedef struct sk_ses_sealinfo_st {
	SK_SES_HEADER		*header;
	ASN1_IA5STRING		*esid;
	ASN1_TYPE		*property;	/* v1 or v4 property, by version */
	SK_SES_PICTURE		*picture;
	STACK_OF(SK_SES_EXT)	*ext;		/* untagged (v4, real files) */
	STACK_OF(SK_SES_EXT)	*ext0;		/* [0] EXPLICIT (v1 text) */
} SK_SES_SEALINFO;

/* GM/T 0031-2014: certList entries are OCTET STRING or IA5String. */
typedef struct sk_ses_prop_v1_st {
	ASN1_INTEGER		*type;
	ASN1_UTF8STRING		*name;
	STACK_OF(ASN1_TYPE)	*certs;
	ASN1_TIME		*created;
	ASN1_TIME		*from;
	ASN1_TIME		*to;
} SK_SES_PROP_V1;

typedef struct sk_ses_prop_v4_st {
	ASN1_INTEGER		*type;
	ASN1_UTF8STRING		*name;
	ASN1_INTEGER		*list_type;
	ASN1_TYPE		*list;		/* SK_SES_CERTS or SK_SES_DIGESTS */
	ASN1_TIME		*created;
	ASN1_TIME		*from;
	ASN1_TIME		*to;
} SK_SES_PROP_V4;

typedef struct sk_ses_digest_st {
	ASN1_PRINTABLESTRING	*type;
	ASN1_OCTET_STRING	*value;
} SK_SES_DIGEST;
DEFINE_STACK_OF(SK_SES_DIGEST)

DEFINE_STACK_OF(ASN1_OCTET_STRING)
typedef STACK_OF(ASN1_OCTET_STRING) SK_SES_CERTS;
typedef STACK_OF(SK_SES_DIGEST) SK_SES_DIGESTS;

typedef struct sk_ses_signinfo_st {
	ASN1_OCTET_STRING	*cert;
	ASN1_OBJECT		*alg;
	ASN1_BIT_STRING		*sig;
} SK_SES_SIGNINFO;

typedef struct sk_seseal_v1_st {
	ASN1_TYPE		*info;
	ASN1_TYPE		*sign;		/* SK_SES_SIGNINFO */
} SK_SESEAL_V1;

typedef struct sk_seseal_v4_st {
	ASN1_TYPE		*info;
	ASN1_OCTET_STRING	*cert;
	ASN1_OBJECT		*alg;
	ASN1_BIT_STRING		*sig;
	ASN1_BIT_STRING		*ts;		/* v5 [0] EXPLICIT */
} SK_SESEAL_V4;

typedef struct sk_tbs_v1_st {
	ASN1_INTEGER		*version;
	ASN1_TYPE		*seal;
	ASN1_TYPE		*time;		/* BIT STRING text, or others */
	ASN1_BIT_STRING		*hash;
	ASN1_IA5STRING		*property;
	ASN1_OCTET_STRING	*cert;
	ASN1_OBJECT		*alg;
} SK_TBS_V1;

typedef struct sk_tbs_v4_st {
	ASN1_INTEGER		*version;
	ASN1_TYPE		*seal;
	ASN1_TIME		*time;
	ASN1_BIT_STRING		*hash;
	ASN1_IA5STRING		*property;
	STACK_OF(SK_SES_EXT)	*ext;		/* [0] EXPLICIT */
} SK_TBS_V4;

typedef struct sk_ses_sig_v1_st {
	ASN1_TYPE		*tbs;
	ASN1_BIT_STRING		*sig;
} SK_SES_SIG_V1;

typedef struct sk_ses_sig_v4_st {
	ASN1_TYPE		*tbs;
	ASN1_OCTET_STRING	*cert;
	ASN1_OBJECT		*alg;
	ASN1_BIT_STRING		*sig;
	ASN1_BIT_STRING		*ts;		/* [0] EXPLICIT */
} SK_SES_SIG_V4;

DECLARE_ASN1_FUNCTIONS(SK_SES_EXT)
DECLARE_ASN1_FUNCTIONS(SK_SES_HEADER)
DECLARE_ASN1_FUNCTIONS(SK_SES_PICTURE)
DECLARE_ASN1_FUNCTIONS(SK_SES_SEALINFO)
DECLARE_ASN1_FUNCTIONS(SK_SES_PROP_V1)
DECLARE_ASN1_FUNCTIONS(SK_SES_PROP_V4)
DECLARE_ASN1_FUNCTIONS(SK_SES_DIGEST)
DECLARE_ASN1_ITEM(SK_SES_CERTS)
DECLARE_ASN1_ITEM(SK_SES_DIGESTS)
DECLARE_ASN1_FUNCTIONS(SK_SES_SIGNINFO)
DECLARE_ASN1_FUNCTIONS(SK_SESEAL_V1)
DECLARE_ASN1_FUNCTIONS(SK_SESEAL_V4)
DECLARE_ASN1_FUNCTIONS(SK_TBS_V1)
DECLARE_ASN1_FUNCTIONS(SK_TBS_V4)
DECLARE_ASN1_FUNCTIONS(SK_SES_SIG_V1)
DECLARE_ASN1_FUNCTIONS(SK_SES_SIG_V4)

#endif /* SEALKIT_SEAL_INT_H */
