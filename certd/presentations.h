/*
 * presentations.h: presentation codes (亮证码), PRODUCT.md Formats 6,
 * docs/STATUS-AND-PRESENTATIONS.md, api/presentation.cddl.
 *
 * A code is "LP1:" + base45(zlib(COSE_Sign1)) whose payload is the CWT
 * claims map {2: holder, 4: exp, 6: iat, 7: cti, -65538: licence
 * identifier}, signed by certd's presentation key.  cti is 16 random
 * bytes: the nonce and the presentation's identifier, which redemption
 * records as used (once only).
 */
#ifndef CERTD_PRESENTATIONS_H
#define CERTD_PRESENTATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"
#include "sealkit/key.h"
#include "sealkit/presentation.h"
#include "sealkit/trust.h"

#include "store.h"

/* The format's constants are libsealkit's (sealkit/presentation.h). */
#define CERTD_PRES_PREFIX	SK_PRES_PREFIX
/* Claim label of the licence identifier (private use). */
#define CERTD_CWT_PRES_LICENCE	SK_PRES_CWT_LICENCE
/* Bytes of cti. */
#define CERTD_PRES_ID_LEN	SK_PRES_ID_LEN
/* Lifetime of a code in seconds: default and bounds (config). */
#define CERTD_PRES_TTL_DEFAULT	300u
#define CERTD_PRES_TTL_MIN	30u
#define CERTD_PRES_TTL_MAX	3600u
/* Longest code text read, and longest COSE_Sign1 it may hold. */
#define CERTD_PRES_TEXT_MAX	SK_PRES_TEXT_MAX
#define CERTD_PRES_COSE_MAX	SK_PRES_COSE_MAX
/* Clock skew allowed for iat in the future. */
#define CERTD_PRES_SKEW		SK_PRES_SKEW

/* The claims of a code. */
struct certd_pres {
	char	 licence[CERTD_ID_MAX + 1];
	char	 holder[CERTD_HOLDER_MAX + 1];
	uint8_t	 id[CERTD_PRES_ID_LEN];
	int64_t	 iat;
	int64_t	 exp;
};

struct certd_presenter;

/*
 * Load the presentation key and its certificate (the key must be the
 * certificate's).  password_file may be NULL.
 * @param out  set to the presenter (certd_presenter_free) or NULL.
 * @return 0 or an SK_ERR_*; err says what failed.
 */
int	certd_presenter_load(const char *keypath, const char *certpath,
	    const char *password_file, struct certd_presenter **out,
	    char *err, size_t errlen) SK_WUR;
/* Free (the key is wiped).  NULL is ok. */
void	certd_presenter_free(struct certd_presenter *p);

/*
 * Make a code for licence and holder valid from now for ttl seconds:
 * a fresh random cti.  Appends the text to text; fills pres.
 * Thread-safe.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
int	certd_pres_make(struct certd_presenter *p, const char *licence,
	    const char *holder, int64_t now, unsigned ttl,
	    struct certd_pres *pres, struct sk_buf *text) SK_WUR;

/*
 * Verify a code with the presenter's own key, at time at.
 * @return 0 (pres filled), SK_ERR_EXPIRED (at >= exp, or iat more than
 *         CERTD_PRES_SKEW in the future), SK_ERR_SIGNATURE, SK_ERR_FORMAT
 *         and the other decoding errors (not a code).
 */
int	certd_pres_verify(const struct certd_presenter *p, const char *text,
	    size_t len, int64_t at, struct certd_pres *pres) SK_WUR;

/*
 * Verify a code offline: with the presentation certificate pc (its chain
 * to an anchor of t valid at the code's iat, its kid the code's kid), or,
 * if pc is NULL, with the trust list issuer whose kid is the code's.
 * The example presentation certificate carries no USCC, so it cannot be a
 * trust-list issuer: verifiers keep it beside the anchors
 * (docs/STATUS-AND-PRESENTATIONS.md).
 * @return as certd_pres_verify, and SK_ERR_NOTFOUND (no such kid),
 *         SK_ERR_CERT.
 */
int	certd_pres_verify_trust(const struct sk_trust *t,
	    const struct sk_cert *pc, const char *text, size_t len, int64_t at,
	    struct certd_pres *pres) SK_WUR;

/* The presentation id as 32 lowercase hex digits and a NUL. */
void	certd_pres_id_hex(const struct certd_pres *pres, char out[33]);

/*
 * Redeem: record the presentation id as used and append the access entry
 * e for holder, in one transaction.
 * @return 0, SK_ERR_DUPLICATE (already redeemed: nothing written),
 *         CERTD_ERR_*.
 */
int	certd_pres_redeem(struct certd_store *st, const struct certd_pres *p,
	    const struct certd_access *e) SK_WUR;

#endif /* CERTD_PRESENTATIONS_H */
