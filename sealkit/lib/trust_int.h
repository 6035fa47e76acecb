/*
 * trust_int.h: what sk_verify_credential takes from a trust store without
 * recomputing it per credential (sealkit/lib/trust.c).
 */
#ifndef SEALKIT_TRUST_INT_H
#define SEALKIT_TRUST_INT_H

#include "sealkit/trust.h"

/*
 * The public key and the RFC 2253 subject of a listed issuer, made once
 * when the issuer was added; cert must be a pointer sk_trust_lookup
 * returned.  Borrowed until sk_trust_free; NULL if cert is not listed.
 */
const struct sk_key	*sk_trust_issuer_key(const struct sk_trust *t,
			    const struct sk_cert *cert);
const char		*sk_trust_issuer_subject(const struct sk_trust *t,
			    const struct sk_cert *cert);

#endif
