/*
 * libFuzzer target for base45 (RFC 9285).  Any text that decodes must
 * re-encode to itself (strict base45 has one encoding per byte string), a
 * rejected text must leave the output buffer as it was, and any bytes the
 * fuzzer hands over must encode and decode back to themselves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/base45.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_decode(const uint8_t *data, size_t size)
{
	struct sk_buf dec, enc;
	int rc;

	sk_buf_init(&dec, SK_BASE45_MAX_BYTES);
	sk_buf_init(&enc, SK_BASE45_MAX_TEXT);
	rc = sk_base45_decode((const char *)data, size, &dec);
	if (rc == 0) {
		if (sk_base45_encode(dec.data, dec.len, &enc) != 0 ||
		    enc.len != size ||
		    (size > 0 && memcmp(enc.data, data, size) != 0))
			abort();
	} else if (dec.len != 0 ||
	    (rc != SK_ERR_FORMAT && rc != SK_ERR_LIMIT))
		abort();
	sk_buf_free(&dec);
	sk_buf_free(&enc);
}

static void
check_encode(const uint8_t *data, size_t size)
{
	struct sk_buf dec, enc;

	if (size > SK_BASE45_MAX_BYTES)
		return;
	sk_buf_init(&dec, SK_BASE45_MAX_BYTES);
	sk_buf_init(&enc, SK_BASE45_MAX_TEXT);
	if (sk_base45_encode(data, size, &enc) != 0 ||
	    enc.len != sk_base45_encoded_len(size) ||
	    sk_base45_decode((const char *)enc.data, enc.len, &dec) != 0 ||
	    dec.len != size ||
	    (size > 0 && memcmp(dec.data, data, size) != 0))
		abort();
	sk_buf_free(&dec);
	sk_buf_free(&enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decode(data, size);
	check_encode(data, size);
	return 0;
}
