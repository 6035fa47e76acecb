/*
 * sealkit/tsa.h: an RFC 3161 time-stamping authority.
 *
 * sk_tsa_respond() turns a DER TimeStampReq (application/timestamp-query)
 * into a DER TimeStampResp (application/timestamp-reply), signed in
 * process by OpenSSL's TS_RESP_CTX (docs/TSA.md).  A request that is
 * malformed or asks for something this TSA does not do still gets a
 * TimeStampResp: status rejection (2) with a PKIFailureInfo bit, as RFC
 * 3161 section 2.4.2 says.  Only an oversized query, bad arguments and
 * failures that cannot happen with a working OpenSSL return an SK_ERR_*.
 *
 * A struct sk_tsa is not thread-safe: use one per thread.  certd keeps
 * one in its signer process.
 */
#ifndef SEALKIT_TSA_H
#define SEALKIT_TSA_H

#include "sealkit/common.h"
#include "sealkit/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a TimeStampReq; a SHA-512 query with a nonce is under 100. */
#define SK_TSA_MAX_QUERY	4096u
/* Bytes of any reply sk_tsa_respond() writes: size the out buffer so. */
#define SK_TSA_MAX_REPLY	(32u * 1024u)
/* Extra certificates (the TSA's chain) sent when certReq is true. */
#define SK_TSA_MAX_CHAIN	8u
/* Characters of a policy OID in dotted decimal form. */
#define SK_TSA_MAX_POLICY	128u

/*
 * The default TSA policy: an EXAMPLE OID under the UUID arc 2.25 (ITU-T
 * X.667), from UUID 3df48f76-2bed-4c53-9843-e43c88acf933.  It names no
 * published policy; a deployment sets its own with sk_tsa_set_policy().
 */
#define SK_TSA_POLICY_EXAMPLE \
	"2.25.82352737923453596344026957622897604915"
/* Default accuracy in seconds (TSTInfo accuracy.seconds). */
#define SK_TSA_DEFAULT_ACCURACY	1u
/* Largest accuracy sk_tsa_set_accuracy() takes (one day). */
#define SK_TSA_MAX_ACCURACY	86400u

/* messageImprint hash algorithms a TSA may accept (a bit mask). */
#define SK_TSA_MD_SHA256	0x01u
#define SK_TSA_MD_SHA384	0x02u
#define SK_TSA_MD_SHA512	0x04u
#define SK_TSA_MD_SM3		0x08u
#define SK_TSA_MD_ALL		0x0fu

/* PKIStatus values (RFC 3161 section 2.4.2) this TSA answers with. */
#define SK_TSA_GRANTED		0
#define SK_TSA_REJECTION	2

/* PKIFailureInfo (RFC 3161 section 2.4.2), as bits of a mask. */
#define SK_TSA_FAIL_BAD_ALG		(1u << 0)
#define SK_TSA_FAIL_BAD_REQUEST		(1u << 2)
#define SK_TSA_FAIL_BAD_DATA_FORMAT	(1u << 5)
#define SK_TSA_FAIL_TIME_NOT_AVAILABLE	(1u << 14)
#define SK_TSA_FAIL_UNACCEPTED_POLICY	(1u << 15)
#define SK_TSA_FAIL_UNACCEPTED_EXTENSION (1u << 16)
#define SK_TSA_FAIL_ADD_INFO_NOT_AVAILABLE (1u << 17)
#define SK_TSA_FAIL_SYSTEM_FAILURE	(1u << 25)

/* What a reply said, for the caller's log. */
struct sk_tsa_outcome {
	int		status;		/* SK_TSA_GRANTED or SK_TSA_REJECTION */
	uint32_t	failinfo;	/* SK_TSA_FAIL_* bits; 0 if granted */
};

struct sk_tsa;

/*
 * A TSA signing with key under cert.  cert must carry the extended key
 * usage id-kp-timeStamping alone and critical (RFC 3161 section 2.3),
 * key must be its private key, EC (not SM2) or RSA.  chain (nchain
 * certificates, may be NULL when nchain is 0) is sent after cert when a
 * request has certReq set.  The TSA takes its own references: the caller
 * may free key, cert and chain at once.  Defaults: policy
 * SK_TSA_POLICY_EXAMPLE, accuracy SK_TSA_DEFAULT_ACCURACY, digests
 * SK_TSA_MD_ALL (SM3 only if the OpenSSL providers have it), serial
 * counter in memory from 1, the system clock.
 * @param out  set to the new TSA (free with sk_tsa_free) or NULL.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT (nchain > SK_TSA_MAX_CHAIN),
 *         SK_ERR_KEY (public only, or not cert's key), SK_ERR_UNSUPPORTED
 *         (key type), SK_ERR_CERT (not a time-stamping certificate),
 *         SK_ERR_CRYPTO, SK_ERR_NOMEM.
 */
SK_API int sk_tsa_new(const struct sk_key *key, const struct sk_cert *cert,
    const struct sk_cert *const *chain, size_t nchain,
    struct sk_tsa **out) SK_WUR;

/* Free a TSA and its references.  NULL is ok. */
SK_API void sk_tsa_free(struct sk_tsa *tsa);

/*
 * Set the policy (TSTInfo policy, dotted decimal, at most
 * SK_TSA_MAX_POLICY characters).  A request naming any other reqPolicy
 * is rejected with unacceptedPolicy.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_FORMAT (not an OID),
 *         SK_ERR_NOMEM.
 */
SK_API int sk_tsa_set_policy(struct sk_tsa *tsa, const char *oid) SK_WUR;

/*
 * Set the accuracy in whole seconds, 0 to omit the field.
 * @return 0, SK_ERR_ARG (> SK_TSA_MAX_ACCURACY).
 */
SK_API int sk_tsa_set_accuracy(struct sk_tsa *tsa,
    unsigned int seconds) SK_WUR;

/*
 * Choose the accepted messageImprint algorithms (SK_TSA_MD_* bits).  Any
 * other algorithm, SHA-1 and MD5 included, is rejected with badAlg.
 * @return 0, SK_ERR_ARG (no bit, or an unknown bit), SK_ERR_UNSUPPORTED
 *         (SM3 asked for but not available).
 */
SK_API int sk_tsa_set_digests(struct sk_tsa *tsa, unsigned int mask) SK_WUR;

/*
 * Serial numbers are 128-bit: a 64-bit counter (high half), then 64
 * random bits, so they are unique across restarts even if the counter is
 * not, and increase while it does.  By default the counter lives in
 * memory and starts at 1.  next, if not NULL, supplies it instead (certd
 * persists it): it returns 0 and stores a counter >= 1 and greater than
 * any it gave this TSA before, or returns non-zero, which makes the
 * request a rejection with systemFailure.  arg is passed through.
 */
SK_API void sk_tsa_set_serial_cb(struct sk_tsa *tsa,
    int (*next)(void *arg, uint64_t *counter), void *arg);

/*
 * Replace the clock: now, if not NULL, returns 0 and stores the time in
 * seconds since the epoch, or returns non-zero (the request is rejected
 * with timeNotAvailable).  NULL restores the system clock.  A time
 * outside the certificate's validity gives systemFailure: the TSA does
 * not issue tokens its certificate does not cover.
 */
SK_API void sk_tsa_set_clock(struct sk_tsa *tsa,
    int (*now)(void *arg, int64_t *sec), void *arg);

/*
 * Answer one DER TimeStampReq of len bytes.  The request must be DER
 * exactly len bytes long, version 1, an accepted hash algorithm (absent
 * or NULL parameters) with an imprint of its length, no reqPolicy or
 * ours, and no extensions; otherwise the reply is a rejection with
 * badDataFormat (not DER, trailing bytes, wrong imprint length),
 * badRequest (version), badAlg, unacceptedPolicy or
 * unacceptedExtension.  A granted reply echoes the nonce and carries the
 * TSA certificate (and chain) when certReq is true; its signature is
 * ECDSA or RSA with SHA-256 and names the certificate with an
 * ESSCertIDv2 (RFC 5816).
 * Appends the DER TimeStampResp to reply (nothing on failure).
 * @param outcome  may be NULL; else filled in when 0 is returned.
 * @return 0 (a reply was written, granted or not), SK_ERR_ARG,
 *         SK_ERR_LIMIT (len > SK_TSA_MAX_QUERY, or reply full),
 *         SK_ERR_CRYPTO (OpenSSL could not sign), SK_ERR_NOMEM.
 */
SK_API int sk_tsa_respond(struct sk_tsa *tsa, const uint8_t *query,
    size_t len, struct sk_buf *reply,
    struct sk_tsa_outcome *outcome) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_TSA_H */
