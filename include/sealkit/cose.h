/*
 * sealkit/cose.h: COSE_Sign1 (RFC 9052 section 4.2) sign and verify.
 *
 * Profile (api/FORMATS.md section 2):
 *  - alg MUST be in the protected header; an alg only in the unprotected
 *    header is SK_ERR_MISSING.  Unknown algorithms are SK_ERR_UNSUPPORTED.
 *  - kid is taken from the protected header, else the unprotected one.
 *  - A crit header (label 2) naming any label is SK_ERR_UNSUPPORTED: we
 *    understand no critical extensions.
 *  - A protected bucket that is an empty bstr or encodes an empty map is
 *    accepted; the Sig_structure uses the bytes exactly as received.
 *  - Tag 18 is accepted or, unless SK_COSE_REQUIRE_TAG, may be absent;
 *    any other tag is SK_ERR_TYPE.
 *  - Whole message at most SK_COSE_MAX_BYTES; headers are bounded maps.
 */
#ifndef SEALKIT_COSE_H
#define SEALKIT_COSE_H

#include "sealkit/common.h"
#include "sealkit/key.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SK_COSE_MAX_BYTES	(64u * 1024u)	/* one COSE_Sign1, encoded */
#define SK_COSE_MAX_HEADERS	16u		/* labels per header bucket */
#define SK_COSE_MAX_KID		64u		/* bytes of a kid */

#define SK_COSE_TAG_SIGN1	18u

/* Header labels we read or write. */
#define SK_COSE_HDR_ALG		1
#define SK_COSE_HDR_CRIT	2
#define SK_COSE_HDR_CTYPE	3
#define SK_COSE_HDR_KID		4

/* Flags for parse. */
#define SK_COSE_REQUIRE_TAG	0x01u	/* the tag 18 must be present */
/* Flags for sign. */
#define SK_COSE_UNTAGGED	0x01u	/* omit the tag 18 */

struct sk_cose_sign1;

/*
 * Parse a COSE_Sign1 message.  Checks structure and the header profile
 * above; does not verify the signature.
 * @note The result borrows in: keep it alive until sk_cose_sign1_free().
 * @return 0, or the CBOR errors, SK_ERR_TYPE (not a COSE_Sign1),
 *         SK_ERR_MISSING (no protected alg), SK_ERR_UNSUPPORTED, SK_ERR_LIMIT.
 */
SK_API int sk_cose_sign1_parse(const uint8_t *in, size_t len,
    unsigned flags, struct sk_cose_sign1 **out) SK_WUR;
SK_API void sk_cose_sign1_free(struct sk_cose_sign1 *msg);

/* The protected alg (an enum sk_alg value, possibly one we cannot verify). */
SK_API int sk_cose_sign1_alg(const struct sk_cose_sign1 *msg);
/* The kid (borrowed), or *kid = NULL, *len = 0 when there is none. */
SK_API void sk_cose_sign1_kid(const struct sk_cose_sign1 *msg,
    const uint8_t **kid, size_t *len);
/* The payload (borrowed).  A detached payload (nil) is SK_ERR_MISSING. */
SK_API int sk_cose_sign1_payload(const struct sk_cose_sign1 *msg,
    const uint8_t **p, size_t *len) SK_WUR;
/* The raw protected header bstr contents (borrowed). */
SK_API void sk_cose_sign1_protected(const struct sk_cose_sign1 *msg,
    const uint8_t **p, size_t *len);
/* The signature bytes (borrowed). */
SK_API void sk_cose_sign1_signature(const struct sk_cose_sign1 *msg,
    const uint8_t **p, size_t *len);

/*
 * Verify the signature with key, using the protected alg and
 * external_aad (may be NULL with aadlen 0).  If the payload is detached,
 * pass it as detached; otherwise detached must be NULL.
 * @return 0, SK_ERR_SIGNATURE, SK_ERR_KEY (key does not fit the alg),
 *         SK_ERR_UNSUPPORTED, SK_ERR_MISSING, SK_ERR_CRYPTO.
 */
SK_API int sk_cose_sign1_verify(const struct sk_cose_sign1 *msg,
    const struct sk_key *key, const uint8_t *aad, size_t aadlen,
    const uint8_t *detached, size_t detachedlen) SK_WUR;

/*
 * Build the Sig_structure ["Signature1", protected, aad, payload] into out
 * (exposed for tests and for the signer process, which rebuilds it).
 */
SK_API int sk_cose_sig_structure(const uint8_t *prot, size_t protlen,
    const uint8_t *aad, size_t aadlen, const uint8_t *payload,
    size_t paylen, struct sk_buf *out) SK_WUR;

/*
 * Sign payload with signer: protected header {1: alg, 4: kid} (kid only
 * if the signer has one), empty unprotected header, tag 18 unless
 * SK_COSE_UNTAGGED.  Appends the message to out.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM, or the signer's error.
 */
SK_API int sk_cose_sign1_sign(struct sk_signer *signer,
    const uint8_t *payload, size_t paylen, const uint8_t *aad,
    size_t aadlen, unsigned flags, struct sk_buf *out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif
