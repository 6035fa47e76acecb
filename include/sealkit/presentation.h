/*
 * sealkit/presentation.h: presentation codes (亮证码), PRODUCT.md
 * Formats 6, docs/STATUS-AND-PRESENTATIONS.md, api/presentation.cddl.
 *
 * A code is "LP1:" + base45(zlib(COSE_Sign1)) whose payload is the CWT
 * claims map {2: holder, 4: exp, 6: iat, 7: cti, -65538: licence
 * identifier}, signed by a presentation key.  cti is 16 random bytes:
 * the nonce and the presentation's identifier.  This is the parser and
 * the offline verifier shared by certd and the sealkit tool.
 */
#ifndef SEALKIT_PRESENTATION_H
#define SEALKIT_PRESENTATION_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"
#include "sealkit/key.h"
#include "sealkit/licence.h"
#include "sealkit/trust.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SK_PRES_PREFIX		"LP1:"
/* Claim label of the licence identifier (private use). */
#define SK_PRES_CWT_LICENCE	(-65538)
/* Bytes of cti. */
#define SK_PRES_ID_LEN		16u
/* Longest licence identifier and holder code (api/presentation.cddl). */
#define SK_PRES_LICENCE_MAX	SK_LICENCE_MAX_IDENT
#define SK_PRES_HOLDER_MAX	SK_LICENCE_MAX_NUMBER
/* Longest code text read, and longest COSE_Sign1 it may hold. */
#define SK_PRES_TEXT_MAX	1024u
#define SK_PRES_COSE_MAX	512u
/* Most CBOR items in a claims map (5 pairs). */
#define SK_PRES_MAX_ITEMS	16u
/* Clock skew allowed for iat in the future, in seconds. */
#define SK_PRES_SKEW		60

/* The claims of a code. */
struct sk_pres {
	char	 licence[SK_PRES_LICENCE_MAX + 1];
	char	 holder[SK_PRES_HOLDER_MAX + 1];
	uint8_t	 id[SK_PRES_ID_LEN];
	int64_t	 iat;
	int64_t	 exp;
};

/*
 * Append the claims of pres as deterministic CBOR (keys 2, 4, 6, 7,
 * -65538) to out.
 * @return 0, SK_ERR_ARG (empty or over-long licence or holder),
 *         SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_pres_claims_encode(const struct sk_pres *pres,
    struct sk_buf *out) SK_WUR;

/*
 * Verify a code with key, whose kid (kidlen bytes) the code's must be,
 * at time at.  Borrows key and kid.
 * @param pres  filled on success; cleared otherwise.
 * @return 0, SK_ERR_EXPIRED (at >= exp, or iat more than SK_PRES_SKEW
 *         in the future), SK_ERR_SIGNATURE (also: another kid),
 *         SK_ERR_LIMIT (len over SK_PRES_TEXT_MAX), SK_ERR_FORMAT and
 *         the other decoding errors (not a code).
 */
SK_API int sk_pres_verify_key(const char *text, size_t len,
    const struct sk_key *key, const uint8_t *kid, size_t kidlen,
    int64_t at, struct sk_pres *pres) SK_WUR;

/*
 * Verify a code offline: with the presentation certificate pc (its chain
 * to an anchor of t valid at the code's iat, its kid the code's kid), or,
 * if pc is NULL, with the trust list issuer of t whose kid is the code's.
 * Borrows t and pc.
 * @param pres  filled on success; cleared otherwise.
 * @return as sk_pres_verify_key, and SK_ERR_NOTFOUND (no certificate
 *         with the code's kid), SK_ERR_CERT (chain not valid at iat).
 */
SK_API int sk_pres_verify(const char *text, size_t len,
    const struct sk_trust *t, const struct sk_cert *pc, int64_t at,
    struct sk_pres *pres) SK_WUR;

/* The presentation id as 32 lowercase hex digits and a NUL. */
SK_API void sk_pres_id_hex(const struct sk_pres *pres, char out[33]);

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_PRESENTATION_H */
