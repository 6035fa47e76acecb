/*
 * sealkit/verify.h: the QR text container and offline verification of
 * licence credentials (docs/TRUST.md).
 *
 * Pipeline, each stage failing closed with a named reason:
 *   QR text --prefix--> base45 --base45--> zlib --zlib--> COSE_Sign1
 *   --cose--> kid lookup in the trust list --> signature --> issuer
 *   certificate valid at iat --> claims (the licence) --> time checks
 *   --> status.
 * Claims are never interpreted before the signature has verified: a
 * signature failure stops the pipeline after it is reported.
 */
#ifndef SEALKIT_VERIFY_H
#define SEALKIT_VERIFY_H

#include "sealkit/common.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/licence.h"
#include "sealkit/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * QR text: prefix + base45(zlib(COSE_Sign1)).
 */

/* The licence credential prefix. */
#define SK_QRTEXT_PREFIX	"LC1:"
/* Longest QR text (a QR code holds at most 4,296 alphanumerics). */
#define SK_QRTEXT_MAX		8192u
/* Longest prefix. */
#define SK_QRTEXT_MAX_PREFIX	16u

/* The stage of the QR text or credential that is malformed. */
enum sk_stage {
	SK_STAGE_NONE = 0,
	SK_STAGE_IMAGE,		/* no QR code found in the image */
	SK_STAGE_PREFIX,	/* missing or wrong prefix, stray whitespace */
	SK_STAGE_BASE45,	/* not strict RFC 9285 base45 */
	SK_STAGE_ZLIB,		/* bad or non-canonical zlib, too big */
	SK_STAGE_COSE,		/* not a COSE_Sign1 of our profile */
	SK_STAGE_CLAIMS		/* signed payload is not a licence */
};

/* sk_qrtext_decode() flags. */
/*
 * Canonical zlib: the header must be 78 DA (what sk_qrtext_encode writes)
 * and the padding bits after the last deflate block must be zero, so no
 * character of an LC1 text can change without changing the COSE bytes.
 * sk_verify_credential() sets it for the LC1 prefix.
 */
#define SK_QRTEXT_STRICT_ZLIB	0x01u

/*
 * Append prefix + base45(zlib(cose)) to out (no terminator).
 * @return 0, SK_ERR_ARG (prefix over SK_QRTEXT_MAX_PREFIX or not in the QR
 *         alphanumeric set), SK_ERR_LIMIT (text over SK_QRTEXT_MAX or
 *         out's max), SK_ERR_NOMEM.  On error out is unchanged.
 */
SK_API int sk_qrtext_encode(const char *prefix, const uint8_t *cose,
    size_t len, struct sk_buf *out) SK_WUR;

/*
 * Decode QR text of len bytes (need not be NUL-terminated) into the COSE
 * bytes (appended to out, at most SK_INFLATE_DEFAULT_MAX).  One trailing
 * "\n", "\r\n" or "\r" is ignored; any other whitespace is an error.
 * @param stage  set to the failing stage, SK_STAGE_NONE on success.
 * @return 0, SK_ERR_FORMAT (prefix or base45), SK_ERR_LIMIT, and the
 *         sk_zlib_inflate errors; SK_ERR_NONCANONICAL (strict zlib).
 */
SK_API int sk_qrtext_decode(const char *text, size_t len,
    const char *prefix, unsigned flags, struct sk_buf *out,
    enum sk_stage *stage) SK_WUR;

/*
 * Verification.
 */

/* Reasons a credential is not valid; a verdict holds a bitmask of them. */
enum sk_reason {
	SK_REASON_MALFORMED		= 1u << 0,
	SK_REASON_UNKNOWN_KID		= 1u << 1,
	SK_REASON_BAD_SIGNATURE		= 1u << 2,
	SK_REASON_ISSUER_CERT		= 1u << 3,
	SK_REASON_ISSUER_MISMATCH	= 1u << 4,
	SK_REASON_NOT_YET_VALID		= 1u << 5,
	SK_REASON_EXPIRED		= 1u << 6,
	SK_REASON_REVOKED		= 1u << 7,
	SK_REASON_SUSPENDED		= 1u << 8,
	SK_REASON_STATUS_UNKNOWN	= 1u << 9,
	SK_REASON_STATUS_LIST_INVALID	= 1u << 10
};
#define SK_REASON_COUNT		11u

/*
 * The stable name of one reason bit: "malformed", "unknown_kid",
 * "bad_signature", "issuer_cert", "issuer_mismatch", "not_yet_valid",
 * "expired", "revoked", "suspended", "status_unknown",
 * "status_list_invalid"; NULL for anything else.
 */
SK_API const char *sk_reason_name(unsigned reason);
/*
 * "image", "prefix", "base45", "zlib", "cose", "claims"; "" for
 * SK_STAGE_NONE and unknown values.
 */
SK_API const char *sk_stage_name(int stage);

/* Token Status List values (draft-ietf-oauth-status-list). */
#define SK_STATUS_VALID		0u
#define SK_STATUS_INVALID	1u	/* revoked */
#define SK_STATUS_SUSPENDED	2u

/*
 * A status source: the status-list module implements lookup over the
 * lists it has loaded (the list format is not part of this interface).
 * lookup returns 0 and sets *status to one of SK_STATUS_* (any other
 * value counts as unknown); SK_ERR_EXPIRED, SK_ERR_SIGNATURE or
 * SK_ERR_FORMAT when the list for uri is stale, wrongly signed or corrupt
 * (reported as status_list_invalid and status_unknown); any other
 * negative value (no list for uri, idx out of range, ...) gives
 * status_unknown.  Verification fails closed on every error.
 */
struct sk_status_source {
	int	(*lookup)(void *ctx, const char *uri, uint64_t idx,
		    int64_t at, unsigned *status);
	void	*ctx;
};

/* Input kinds. */
enum sk_input {
	SK_INPUT_QRTEXT = 0,	/* prefix + base45(zlib(COSE)) */
	SK_INPUT_COSE,		/* the COSE_Sign1 bytes */
	SK_INPUT_PNG		/* a PNG image holding the QR code (zbar) */
};

/* Verify flags. */
/* Generic mode: cert instead of trust, payload not read as a licence. */
#define SK_VERIFY_GENERIC	0x01u

/*
 * Options; everything is borrowed for the call.  prefix NULL means
 * SK_QRTEXT_PREFIX; trust is required in licence mode, cert (the signer)
 * in generic mode; status NULL means status is not checked; at is the
 * verification time in seconds since the epoch.
 */
struct sk_verify_opts {
	const char			*prefix;
	const struct sk_trust		*trust;
	const struct sk_cert		*cert;
	const struct sk_status_source	*status;
	int64_t				 at;
	unsigned			 flags;	/* SK_VERIFY_* */
};

#define SK_VERDICT_DETAIL	160u

/*
 * The result.  Everything is owned by the verdict; release with
 * sk_verdict_free() (which keeps the struct itself, the caller's).
 */
struct sk_verdict {
	int	 valid;		/* 1 only when reasons == 0 */
	unsigned reasons;	/* bitmask of enum sk_reason */
	int	 stage;		/* enum sk_stage, with SK_REASON_MALFORMED */
	int	 err;		/* SK_ERR_* of the first failure */
	char	 detail[SK_VERDICT_DETAIL]; /* the first failure */

	int	 alg;		/* protected alg, once parsed */
	uint8_t	 kid[SK_COSE_MAX_KID]; /* the credential's kid */
	size_t	 kidlen;
	char	*issuer_subject; /* signer's subject, RFC 2253 */
	int	 status_not_checked; /* status claim, no source */

	/* Licence mode, once the signature verified. */
	struct sk_licence *licence;
	/* Generic mode, once the signature verified: the payload. */
	uint8_t	*payload;
	size_t	 paylen;
};

/*
 * Verify a credential.  Never returns a verdict it could not complete as
 * valid: every failure clears valid and sets a reason.
 * @param kind  enum sk_input.
 * @param v     cleared on entry; filled even when the return is not 0.
 * @return 0 when a verdict was reached (valid or not: read v->valid);
 *         SK_ERR_ARG (bad options: no trust in licence mode, no cert in
 *         generic mode), SK_ERR_NOMEM, SK_ERR_INTERNAL, in which case
 *         v->valid is 0 as well.
 */
SK_API int sk_verify_credential(int kind, const uint8_t *in, size_t len,
    const struct sk_verify_opts *opts, struct sk_verdict *v) SK_WUR;

/* Free what a verdict owns and clear it.  NULL is ok. */
SK_API void sk_verdict_free(struct sk_verdict *v);

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_VERIFY_H */
