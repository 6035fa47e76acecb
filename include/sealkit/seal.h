/*
 * sealkit/seal.h: electronic seals (SESeal) and electronic signatures
 * (SES_Signature) of GB/T 38540-2020, GM/T 0031-2014 and GM/T 0031-2025.
 *
 * Read: versions 1 (GM/T 0031-2014), 4 (GB/T 38540-2020) and 5
 * (GM/T 0031-2025).  Written: version 4 only, DER, signatures as DER
 * SEQUENCE { r, s }; a raw 64-byte r||s is accepted when reading
 * (docs/SEALS.md, STANDARDS.md section 0 fact 3).  Signatures cover the
 * bytes of SES_SealInfo and TBS_Sign exactly as received, never a
 * re-encoding.  Every algorithm is SM2 with SM3 and the distinguishing
 * ID 1234567812345678.
 */
#ifndef SEALKIT_SEAL_H
#define SEALKIT_SEAL_H

#include "sealkit/common.h"
#include "sealkit/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on untrusted input (docs/SEALS.md, "Limits"). */
#define SK_SEAL_MAX_BYTES	(1024u * 1024u)	/* one SESeal, DER */
#define SK_SES_SIG_MAX_BYTES	(2u * 1024u * 1024u) /* one SES_Signature */
#define SK_SEAL_MAX_PICTURE	(512u * 1024u)	/* picture data bytes */
#define SK_SEAL_MAX_PICTURE_PX	4096u	/* PNG width or height, pixels */
#define SK_SEAL_MAX_PICTURE_MM	1000	/* picture width or height, mm */
#define SK_SEAL_MAX_CERTS	16u	/* entries of certList */
#define SK_SEAL_MAX_CERT_BYTES	(16u * 1024u) /* one certificate, DER */
#define SK_SEAL_MAX_STRING	256u	/* ID, Vid, esID, name, types */
#define SK_SEAL_MAX_PROPERTY	1024u	/* TBS_Sign.propertyInfo */
#define SK_SEAL_MAX_EXT		32u	/* ExtData entries */
#define SK_SEAL_MAX_EXT_BYTES	(64u * 1024u) /* one extnValue */
#define SK_SEAL_MAX_SIG_BYTES	256u	/* a signature value */
#define SK_SEAL_MAX_HASH	64u	/* TBS_Sign.dataHash */
#define SK_SEAL_MAX_TST		(16u * 1024u) /* a TimeStampToken */
#define SK_SEAL_MAX_FIELDS	8u	/* fields of an outer SEQUENCE */

/* Lengths. */
#define SK_SM3_LEN		32u
#define SK_SEAL_OID_MAX		64u	/* dotted OID text and its NUL */

/* OIDs (GB/T 33560). */
#define SK_OID_SM2_SM3		"1.2.156.10197.1.501"
#define SK_OID_SM3		"1.2.156.10197.1.401"

/* SES_ESPropertyInfo.certListType. */
#define SK_SEAL_CERTLIST_CERTS		1
#define SK_SEAL_CERTLIST_DIGESTS	2

/* Bytes borrowed from a parsed object; not NUL-terminated. */
struct sk_seal_bytes {
	const uint8_t	*p;
	size_t		 len;
};

struct sk_seal;		/* a parsed SESeal */
struct sk_ses_sig;	/* a parsed SES_Signature */

/*
 * The fields of a seal, borrowed from it (valid until sk_seal_free).
 * Times are seconds since the epoch.
 */
struct sk_seal_fields {
	int			 version;	/* 1, 4 or 5 */
	int64_t			 header_version; /* SES_Header.version */
	struct sk_seal_bytes	 id;		/* SES_Header.ID, "ES" */
	struct sk_seal_bytes	 vid;
	struct sk_seal_bytes	 esid;
	int64_t			 type;
	struct sk_seal_bytes	 name;		/* UTF-8 */
	int64_t			 cert_list_type; /* 0 for version 1 */
	size_t			 ncerts;
	int64_t			 created;
	int64_t			 valid_from;
	int64_t			 valid_to;
	struct sk_seal_bytes	 pic_type;
	struct sk_seal_bytes	 pic_data;
	int64_t			 pic_width;	/* mm */
	int64_t			 pic_height;	/* mm */
	size_t			 next;		/* ExtData entries */
	struct sk_seal_bytes	 maker_cert;	/* DER */
	char			 alg[SK_SEAL_OID_MAX];
	struct sk_seal_bytes	 signature;	/* as in the BIT STRING */
	struct sk_seal_bytes	 timestamp;	/* v5 [0]; len 0 if absent */
	struct sk_seal_bytes	 sealinfo;	/* SES_SealInfo DER, raw */
	struct sk_seal_bytes	 der;		/* the whole SESeal, raw */
};

/* One certList entry; kind: 1 certificate, 2 digest, 0 v1 certID text. */
struct sk_seal_cert_entry {
	int			 kind;
	struct sk_seal_bytes	 value;		/* DER cert, digest or text */
	struct sk_seal_bytes	 digest_type;	/* kind 2 only */
};

/* One ExtData. */
struct sk_seal_ext {
	char			 oid[SK_SEAL_OID_MAX];
	int			 critical;
	struct sk_seal_bytes	 value;
};

/*
 * Parse a DER SESeal (untrusted) of any supported version; nothing is
 * verified.  The input is copied.  *out is the caller's (sk_seal_free).
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT (a SK_SEAL_MAX_* limit),
 *         SK_ERR_FORMAT, SK_ERR_TRAILING, SK_ERR_TYPE, SK_ERR_NOMEM.
 */
SK_API int sk_seal_parse(const uint8_t *der, size_t len,
    struct sk_seal **out) SK_WUR;
SK_API void sk_seal_free(struct sk_seal *seal);
/* Fill f with the seal's fields (borrowed). */
SK_API void sk_seal_get(const struct sk_seal *seal, struct sk_seal_fields *f);
/* certList entry i (< ncerts), borrowed.  @return 0 or SK_ERR_ARG. */
SK_API int sk_seal_cert_at(const struct sk_seal *seal, size_t i,
    struct sk_seal_cert_entry *e) SK_WUR;
/* ExtData entry i (< next), borrowed.  @return 0 or SK_ERR_ARG. */
SK_API int sk_seal_ext_at(const struct sk_seal *seal, size_t i,
    struct sk_seal_ext *e) SK_WUR;
/*
 * The message the maker signed: for v4/v5 the SES_SealInfo bytes as
 * received; for v1 a new DER SEQUENCE of SES_SealInfo, cert and algorithm
 * copied as received (GM/T 0031-2014 section 6.1.1.2).  Appended to out.
 */
SK_API int sk_seal_signed_message(const struct sk_seal *seal,
    struct sk_buf *out) SK_WUR;

/*
 * The fields of an SES_Signature, borrowed from it.  For version 1 the
 * time is the free text of timeInfo; has_time is set when it parsed.
 */
struct sk_ses_sig_fields {
	int			 version;	/* 1, 4 or 5 */
	int64_t			 tbs_version;
	const struct sk_seal	*seal;		/* the embedded seal */
	int64_t			 time;
	int			 has_time;
	struct sk_seal_bytes	 time_text;	/* v1 timeInfo content */
	struct sk_seal_bytes	 data_hash;
	struct sk_seal_bytes	 property;
	struct sk_seal_bytes	 signer_cert;	/* DER */
	char			 alg[SK_SEAL_OID_MAX];
	struct sk_seal_bytes	 signature;
	struct sk_seal_bytes	 timestamp;	/* len 0 if absent */
	struct sk_seal_bytes	 tbs;		/* TBS_Sign DER, raw */
	struct sk_seal_bytes	 der;		/* the whole SES_Signature */
};

/* As sk_seal_parse, for an SES_Signature (SK_SES_SIG_MAX_BYTES). */
SK_API int sk_ses_sig_parse(const uint8_t *der, size_t len,
    struct sk_ses_sig **out) SK_WUR;
SK_API void sk_ses_sig_free(struct sk_ses_sig *sig);
SK_API void sk_ses_sig_get(const struct sk_ses_sig *sig,
    struct sk_ses_sig_fields *f);

/*
 * Making a version 4 seal.  All strings are NUL-terminated; esid, vid and
 * name at most SK_SEAL_MAX_STRING bytes.  The picture is PNG (checked:
 * signature, IHDR, at most SK_SEAL_MAX_PICTURE bytes and
 * SK_SEAL_MAX_PICTURE_PX pixels a side); width and height are in mm.
 * certs are the owner's signing certificates (1..SK_SEAL_MAX_CERTS),
 * written as certListType 1.  valid_from < valid_to.
 */
struct sk_seal_params {
	const char		 *vid;
	const char		 *esid;
	int64_t			  type;
	const char		 *name;
	const uint8_t		 *png;
	size_t			  pnglen;
	int64_t			  width_mm;
	int64_t			  height_mm;
	const struct sk_cert *const *certs;
	size_t			  ncerts;
	int64_t			  created;
	int64_t			  valid_from;
	int64_t			  valid_to;
};

/*
 * Make and sign a v4 SESeal with the maker's signer (SK_ALG_SM2_SM3) and
 * certificate; the signature is checked with the certificate's key
 * before anything is returned.  DER appended to out.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_FORMAT (picture),
 *         SK_ERR_KEY (signer not SM2), SK_ERR_CERT (cert not the
 *         signer's), SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
SK_API int sk_seal_make(const struct sk_seal_params *p,
    struct sk_signer *maker, const struct sk_cert *maker_cert,
    struct sk_buf *out) SK_WUR;

/* Signing a document: a v4 SES_Signature. */
struct sk_ses_sign_params {
	const uint8_t	*seal;		/* SESeal DER, embedded as given */
	size_t		 seallen;
	const uint8_t	*data_hash;	/* SM3 of the document */
	size_t		 hashlen;	/* SK_SM3_LEN */
	const char	*property;	/* propertyInfo, NUL-terminated */
	int64_t		 time;		/* timeInfo */
};

/*
 * Make a v4 SES_Signature with the signer's key (SK_ALG_SM2_SM3) and its
 * certificate, which must be listed in the seal (GB/T 38540 generation
 * check).  No time-stamp: add one with sk_ses_sig_add_timestamp.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_FORMAT (seal),
 *         SK_ERR_NOTFOUND (cert not in the seal), SK_ERR_KEY,
 *         SK_ERR_CERT, SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
SK_API int sk_ses_sig_sign(const struct sk_ses_sign_params *p,
    struct sk_signer *signer, const struct sk_cert *cert,
    struct sk_buf *out) SK_WUR;

/*
 * Put a TimeStampToken (DER ContentInfo, or a TimeStampResp whose token
 * is taken) into the timeStamp field of an SES_Signature v4/v5; TBS_Sign
 * and the signature are copied as received.  The token must be a
 * TimeStampToken bound to the signature value (its messageImprint is the
 * hash of the value); its TSA signature is not checked here.
 * @return 0, SK_ERR_FORMAT, SK_ERR_TYPE (version 1), SK_ERR_CHECKSUM
 *         (not bound), SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_ses_sig_add_timestamp(const uint8_t *sig, size_t siglen,
    const uint8_t *tst, size_t tstlen, struct sk_buf *out) SK_WUR;

/*
 * An RFC 3161 TimeStampReq (DER) over the signature value of an
 * SES_Signature, SHA-256 imprint, certReq true, no nonce.
 * @return 0, SK_ERR_FORMAT, SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
SK_API int sk_ses_sig_ts_query(const struct sk_ses_sig *sig,
    struct sk_buf *out) SK_WUR;

/*
 * Verification.  Each check has a result: SK_SEAL_NOT_RUN, 0 (passed) or
 * the SK_ERR_* that failed it, with a short static reason.
 */
enum sk_seal_check {
	SK_SEAL_CHK_MAKER_SIG = 0,	/* "maker-signature" */
	SK_SEAL_CHK_SEAL_VALIDITY,	/* "seal-validity" */
	SK_SEAL_CHK_SEAL_TIMESTAMP,	/* "seal-timestamp" (v5) */
	SK_SEAL_CHK_SIGNER_LISTED,	/* "signer-listed" */
	SK_SEAL_CHK_SIGNATURE,		/* "signature" (TBS_Sign) */
	SK_SEAL_CHK_DATA_HASH,		/* "data-hash" */
	SK_SEAL_CHK_TIMESTAMP,		/* "timestamp" */
	SK_SEAL_CHK_TIMESTAMP_BINDING,	/* "timestamp-binding" */
	SK_SEAL_CHK_STATUS,		/* "seal-status" */
	SK_SEAL_NCHECKS
};
#define SK_SEAL_NOT_RUN		1

/* Status values as sealkit/verify.h (SK_STATUS_*); -1: not given. */
#define SK_SEAL_STATUS_NONE	(-1)

struct sk_seal_verify_opts {
	int64_t			 at;	/* seal validity time for a seal alone */
	const uint8_t		*data_hash; /* SM3 of the document, or NULL */
	size_t			 hashlen;
	const struct sk_cert	*tsa_cert; /* trusted TSA, or NULL */
	int			 require_timestamp;
	int			 status;	/* SK_STATUS_* or NONE */
};

struct sk_seal_report {
	int		 result[SK_SEAL_NCHECKS];
	const char	*reason[SK_SEAL_NCHECKS]; /* static; NULL if passed */
	int64_t		 at;		/* the time the seal was checked at */
	int64_t		 ts_time;	/* genTime of the checked token */
	int		 maker_sig_raw;	/* maker signature was raw r||s */
	int		 sig_raw;	/* TBS signature was raw r||s */
};

/* "maker-signature", ...; NULL for an unknown check. */
SK_API const char *sk_seal_check_name(int check);
/* Initialise opts: at 0, no data, no TSA, status NONE. */
SK_API void sk_seal_verify_opts_init(struct sk_seal_verify_opts *o);

/*
 * Verify a seal alone: maker signature, validity at o->at, the v5
 * time-stamp (if present) and the status (if given).  r is cleared and
 * filled.
 * @return 0 if every check that ran passed, SK_ERR_SIGNATURE if any
 *         failed (see r), SK_ERR_ARG, SK_ERR_NOMEM.
 */
SK_API int sk_seal_verify(const struct sk_seal *seal,
    const struct sk_seal_verify_opts *o, struct sk_seal_report *r) SK_WUR;

/*
 * Verify an SES_Signature: the seal's checks (validity at the signing
 * time), signer certificate listed in the seal, TBS_Sign signature, data
 * hash (when o->data_hash is given), time-stamp token and its binding to
 * the signature value (when present or required).
 * @return as sk_seal_verify.
 */
SK_API int sk_ses_sig_verify(const struct sk_ses_sig *sig,
    const struct sk_seal_verify_opts *o, struct sk_seal_report *r) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_SEAL_H */
