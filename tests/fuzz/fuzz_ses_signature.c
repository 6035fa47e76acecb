/*
 * libFuzzer target: SES_Signature parse (sealkit/seal.h) of any version,
 * then the fields, a full verification with a fixed data hash, a
 * time-stamp query and adding the input's own time-stamp back.
 * Corpus: tests/fuzz/corpus/ses_signature/ (the signature vectors S4, S5
 * and signatures made by sealkit, with and without a time-stamp token).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_ses_sig *s = NULL;
	struct sk_ses_sig_fields f;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	struct sk_buf b;
	uint8_t zero[32];
	int rc;

	if (sk_ses_sig_parse(data, size, &s) != 0)
		return 0;
	sk_ses_sig_get(s, &f);
	if (f.seal == NULL || f.tbs.len == 0)
		abort();
	memset(zero, 0, sizeof(zero));
	sk_seal_verify_opts_init(&o);
	o.data_hash = zero;
	o.hashlen = sizeof(zero);
	o.require_timestamp = 1;
	rc = sk_ses_sig_verify(s, &o, &r);
	if (rc != 0 && rc != SK_ERR_SIGNATURE)
		abort();
	sk_buf_init(&b, SK_SEAL_MAX_TST);
	if (f.signature.len > 0 && sk_ses_sig_ts_query(s, &b) != 0)
		abort();
	sk_buf_free(&b);
	if (f.timestamp.len > 0) {
		sk_buf_init(&b, SK_SES_SIG_MAX_BYTES);
		(void)!sk_ses_sig_add_timestamp(data, size, f.timestamp.p,
		    f.timestamp.len, &b);
		sk_buf_free(&b);
	}
	sk_ses_sig_free(s);
	return 0;
}
