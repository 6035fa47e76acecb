/*
 * Fuzz sk_licence_decode_claims and sk_licence_from_json with the same
 * bytes.  Invariants (abort on violation):
 *  - decoded claims re-encode to exactly the input (canonical round trip);
 *  - a licence read from JSON encodes to claims that decode to a licence
 *    with the same JSON and the same claims.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/licence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
claims_roundtrip(const uint8_t *data, size_t size)
{
	struct sk_licence *lic = NULL;
	struct sk_licence_err e;
	struct sk_buf b;

	if (sk_licence_decode_claims(data, size, &lic, &e) != 0) {
		if (lic != NULL || e.reason == NULL)
			abort();
		return;
	}
	sk_buf_init(&b, SK_LICENCE_MAX_CLAIMS);
	if (sk_licence_encode_claims(lic, &b) != 0 || b.len != size ||
	    memcmp(b.data, data, size) != 0)
		abort();
	sk_buf_free(&b);
	sk_licence_free(lic);
}

static void
json_roundtrip(const uint8_t *data, size_t size)
{
	struct sk_licence *a = NULL, *b = NULL;
	struct sk_licence_err e;
	struct sk_buf ja, jb, ca, cb;

	if (sk_licence_from_json((const char *)data, size, &a, &e) != 0) {
		if (a != NULL || e.reason == NULL)
			abort();
		return;
	}
	sk_buf_init(&ja, SK_LICENCE_MAX_JSON);
	sk_buf_init(&jb, SK_LICENCE_MAX_JSON);
	sk_buf_init(&ca, SK_LICENCE_MAX_CLAIMS);
	sk_buf_init(&cb, SK_LICENCE_MAX_CLAIMS);
	if (sk_licence_to_json(a, 0, &ja) != 0 ||
	    sk_licence_encode_claims(a, &ca) != 0 ||
	    sk_licence_decode_claims(ca.data, ca.len, &b, &e) != 0 ||
	    sk_licence_to_json(b, 0, &jb) != 0 ||
	    sk_licence_encode_claims(b, &cb) != 0)
		abort();
	if (ja.len != jb.len || memcmp(ja.data, jb.data, ja.len) != 0 ||
	    ca.len != cb.len || memcmp(ca.data, cb.data, ca.len) != 0)
		abort();
	sk_buf_free(&ja);
	sk_buf_free(&jb);
	sk_buf_free(&ca);
	sk_buf_free(&cb);
	sk_licence_free(a);
	sk_licence_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	claims_roundtrip(data, size);
	json_roundtrip(data, size);
	return 0;
}
