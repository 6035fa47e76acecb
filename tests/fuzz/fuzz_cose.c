/*
 * libFuzzer target: COSE_Sign1 parse (sealkit/cose.h), and for whatever
 * parses, the accessors, the Sig_structure and a verify against a fixed
 * P-256 public key (the cose-wg key "11", so that corpus messages signed
 * with it reach a successful verify; anything else must fail cleanly).
 * Corpus: tests/fuzz/corpus/cose/ (every cose-wg output.cbor, and our own
 * messages for ES256, EdDSA and SM2-SM3).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "key_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* cose-wg Examples key "11" (sign1-tests), P-256. */
static const uint8_t key_x[32] = {
	0xba, 0xc5, 0xb1, 0x1c, 0xad, 0x8f, 0x99, 0xf9, 0xc7, 0x2b, 0x05,
	0xcf, 0x4b, 0x9e, 0x26, 0xd2, 0x44, 0xdc, 0x18, 0x9f, 0x74, 0x52,
	0x28, 0x25, 0x5a, 0x21, 0x9a, 0x86, 0xd6, 0xa0, 0x9e, 0xff
};
static const uint8_t key_y[32] = {
	0x20, 0x13, 0x8b, 0xf8, 0x2d, 0xc1, 0xb6, 0xd5, 0x62, 0xbe, 0x0f,
	0xa5, 0x4a, 0xb7, 0x80, 0x4a, 0x3a, 0x64, 0xb6, 0xd7, 0x2c, 0xcf,
	0xed, 0x6b, 0x6f, 0xb6, 0xed, 0x28, 0xbb, 0xfc, 0x11, 0x7e
};

static struct sk_key *fuzz_key;

static void
fuzz_inspect(const struct sk_cose_sign1 *msg)
{
	const uint8_t *prot, *pl, *sig, *kid;
	size_t protlen, pllen, siglen, kidlen;
	struct sk_buf tbs;
	int rc;

	sk_cose_sign1_protected(msg, &prot, &protlen);
	sk_cose_sign1_signature(msg, &sig, &siglen);
	sk_cose_sign1_kid(msg, &kid, &kidlen);
	if (kidlen > SK_COSE_MAX_KID || sk_cose_sign1_alg(msg) == SK_ALG_NONE)
		abort();
	rc = sk_cose_sign1_payload(msg, &pl, &pllen);
	if (rc != 0 && rc != SK_ERR_MISSING)
		abort();
	sk_buf_init(&tbs, 2 * SK_COSE_MAX_BYTES);
	if (sk_cose_sig_structure(prot, protlen, NULL, 0, pl, pllen,
	    &tbs) != 0)
		abort();
	sk_buf_free(&tbs);
	/* Detached messages: verify against the signature bytes, say. */
	rc = sk_cose_sign1_verify(msg, fuzz_key, NULL, 0, rc == 0 ? NULL : sig,
	    siglen);
	if (rc > 0 || rc < SK_ERR_MIN)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_cose_sign1 *msg;

	if (fuzz_key == NULL && sk_key_from_raw("P-256", key_x, sizeof(key_x),
	    key_y, sizeof(key_y), NULL, 0, &fuzz_key) != 0)
		abort();
	if (sk_cose_sign1_parse(data, size, 0, &msg) == 0) {
		fuzz_inspect(msg);
		sk_cose_sign1_free(msg);
	} else if (msg != NULL)
		abort();
	if (sk_cose_sign1_parse(data, size, SK_COSE_REQUIRE_TAG, &msg) == 0)
		sk_cose_sign1_free(msg);
	return 0;
}
