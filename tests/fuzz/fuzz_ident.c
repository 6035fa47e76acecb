/*
 * libFuzzer target for sealkit/ident.h: arbitrary bytes as a licence
 * identifier, a USCC, a citizen ID and (first 3 bytes = type code) a holder
 * code.  Whatever parses must rebuild to the same text, and every USCC that
 * passes must carry the check character sk_uscc_check_char computes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sealkit/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2024-06-01T00:00:00Z, so that replays are deterministic. */
#define FUZZ_NOW	((time_t)1717200000)
#define ALNUM36		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static void
fuzz_ident(const char *s, size_t len)
{
	struct sk_ident id;
	struct sk_buf b;
	const char *why = NULL;
	char c = 0;

	if (sk_ident_parse(s, len, &id, &why) != 0) {
		if (why == NULL)
			abort();
		if (sk_ident_check_char(s, len, &c) == 0 ?
		    strchr(ALNUM36, c) == NULL || c == 0 : c != 0)
			abort();
		return;
	}
	if (why != NULL)
		abort();
	sk_buf_init(&b, SK_IDENT_MAX);
	if (sk_ident_make(id.type_code, id.issuer, id.serial, id.version,
	    &b, &why) != 0 || b.len != len || memcmp(b.data, s, len) != 0 ||
	    id.check != s[len - 1])
		abort();
	sk_buf_free(&b);
}

static void
fuzz_codes(const char *s, size_t len)
{
	const char *why = NULL;
	char c = 0;

	if (sk_uscc_check(s, len, &why) == 0) {
		if (sk_uscc_check_char(s, len - 1, &c) != 0 || c != s[17])
			abort();
	} else if (why == NULL)
		abort();
	if (sk_citizen_id_check(s, len, FUZZ_NOW, &why) != 0 && why == NULL)
		abort();
	if (len >= SK_HOLDER_TYPE_LEN && sk_holder_code_check(s,
	    SK_HOLDER_TYPE_LEN, s + SK_HOLDER_TYPE_LEN,
	    len - SK_HOLDER_TYPE_LEN, FUZZ_NOW, &why) != 0 && why == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	fuzz_ident(s, size);
	fuzz_codes(s, size);
	return 0;
}
