/*
 * libFuzzer target: SESeal parse (sealkit/seal.h) of any version, then
 * for whatever parses every accessor, the signed message and a full
 * seal verification (maker signature, validity, v5 time-stamp).
 * Corpus: tests/fuzz/corpus/seal/ (the seal vectors S1, S2, S3, S6, S7
 * and seals made by sealkit).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_seal *s = NULL;
	struct sk_seal_fields f;
	struct sk_seal_cert_entry e;
	struct sk_seal_ext x;
	struct sk_seal_verify_opts o;
	struct sk_seal_report r;
	struct sk_buf m;
	size_t i;

	if (sk_seal_parse(data, size, &s) != 0)
		return 0;
	sk_seal_get(s, &f);
	for (i = 0; i < f.ncerts; i++)
		if (sk_seal_cert_at(s, i, &e) != 0)
			abort();
	for (i = 0; i < f.next; i++)
		if (sk_seal_ext_at(s, i, &x) != 0)
			abort();
	if (sk_seal_cert_at(s, f.ncerts, &e) != SK_ERR_ARG)
		abort();
	sk_buf_init(&m, SK_SEAL_MAX_BYTES + 16);
	if (sk_seal_signed_message(s, &m) == 0 && f.version != 1 &&
	    (m.len != f.sealinfo.len ||
	    memcmp(m.data, f.sealinfo.p, m.len) != 0))
		abort();
	sk_buf_free(&m);
	sk_seal_verify_opts_init(&o);
	o.at = f.valid_from;
	if (sk_seal_verify(s, &o, &r) == 0 &&
	    r.result[SK_SEAL_CHK_MAKER_SIG] != 0)
		abort();
	sk_seal_free(s);
	return 0;
}
