/*
 * libFuzzer target: Status List Token parsing (sealkit/statuslist.h).
 * The input goes through token decode (strict and ALLOW_SHORT), verify
 * with a fixed P-256 key (the key that signed the corpus tokens, so that
 * they reach the claims and the freshness check), the status source, the
 * StatusList CBOR decoder and the working file loader.  Whatever decodes
 * must answer get() within bounds, re-encode and decode to the same array.
 * Corpus: tests/fuzz/corpus/statuslist/ (the draft's example token and
 * StatusList vectors, our signed tokens, working files, broken variants).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/statuslist.h"
#include "key_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The corpus signing key (P-256), public part. */
static const uint8_t key_x[32] = {
	0x48, 0x4f, 0x64, 0x8d, 0x22, 0xcc, 0x0d, 0xdb, 0x3d, 0x1a, 0x90,
	0x3e, 0x2f, 0x46, 0xd1, 0x36, 0x76, 0x7e, 0x07, 0x16, 0x48, 0xbc,
	0x04, 0x86, 0x21, 0x4d, 0x9c, 0xeb, 0xc0, 0x78, 0xdb, 0xf3
};
static const uint8_t key_y[32] = {
	0x5f, 0xde, 0xd0, 0x7d, 0x9a, 0xc6, 0x37, 0xe6, 0x51, 0x9b, 0x9b,
	0xc0, 0x78, 0xe7, 0x32, 0xb5, 0x25, 0x01, 0x1e, 0xb2, 0x57, 0xec,
	0xb1, 0x8f, 0x2a, 0x4c, 0x40, 0x42, 0x35, 0xc2, 0x63, 0x76
};

static struct sk_key *fuzz_key;

static void
fuzz_check_rc(int rc)
{
	if (rc > 0 || rc < SK_ERR_MIN)
		abort();
}

/* Bounds, and encode -> decode gives the same array. */
static void
fuzz_inspect(const struct sk_statuslist *l)
{
	struct sk_statuslist *l2;
	const uint8_t *a, *b;
	size_t alen, blen;
	uint64_t n = sk_statuslist_entries(l);
	struct sk_buf enc;
	unsigned st;

	if (n == 0 || n > SK_STATUSLIST_MAX_ENTRIES)
		abort();
	if (sk_statuslist_get(l, 0, &st) != 0 ||
	    sk_statuslist_get(l, n - 1, &st) != 0 ||
	    st >= (1u << sk_statuslist_bits(l)) ||
	    sk_statuslist_get(l, n, &st) != SK_ERR_LIMIT)
		abort();
	sk_buf_init(&enc, SK_STATUSLIST_MAX_TOKEN);
	if (sk_statuslist_encode_cbor(l, &enc) == 0) {
		if (sk_statuslist_decode_cbor(enc.data, enc.len,
		    SK_STATUSLIST_ALLOW_SHORT, &l2) != 0)
			abort();
		sk_statuslist_raw(l, &a, &alen);
		sk_statuslist_raw(l2, &b, &blen);
		if (alen != blen || memcmp(a, b, alen) != 0)
			abort();
		sk_statuslist_free(l2);
	}
	sk_buf_free(&enc);
}

static void
fuzz_token(const uint8_t *data, size_t size)
{
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	int rc;

	rc = sk_statuslist_token_decode(data, size, SK_STATUSLIST_ALLOW_SHORT,
	    &l, &m);
	fuzz_check_rc(rc);
	if (rc == 0) {
		if (strlen(m.uri) == 0 || strcmp(m.uri,
		    sk_statuslist_uri(l)) != 0)
			abort();
		fuzz_inspect(l);
		fuzz_check_rc(sk_statuslist_fresh(&m, m.iat));
		sk_statuslist_free(l);
	} else if (l != NULL)
		abort();
	rc = sk_statuslist_token_decode(data, size, 0, &l, &m);
	fuzz_check_rc(rc);
	sk_statuslist_free(l);
	rc = sk_statuslist_token_verify(data, size, fuzz_key, 1800000000, 0,
	    &l, &m);
	fuzz_check_rc(rc);
	if (rc == 0)
		fuzz_inspect(l);
	sk_statuslist_free(l);
}

static void
fuzz_cache(const uint8_t *data, size_t size)
{
	struct sk_status_source src;
	struct sk_status_cache *c;
	struct sk_statuslist_meta m;
	struct sk_statuslist *l;
	unsigned st;

	if (sk_status_cache_new(&c) != 0)
		abort();
	fuzz_check_rc(sk_status_cache_add(c, data, size, fuzz_key));
	sk_status_cache_source(c, &src);
	if (sk_statuslist_token_decode(data, size, SK_STATUSLIST_ALLOW_SHORT,
	    &l, &m) == 0) {
		fuzz_check_rc(src.lookup(src.ctx, m.uri, 0, m.iat, &st));
		fuzz_check_rc(src.lookup(src.ctx, m.uri, UINT64_MAX, m.iat,
		    &st));
		sk_statuslist_free(l);
	}
	sk_status_cache_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_statuslist *l;
	int rc;

	if (fuzz_key == NULL && sk_key_from_raw("P-256", key_x, sizeof(key_x),
	    key_y, sizeof(key_y), NULL, 0, &fuzz_key) != 0)
		abort();
	fuzz_token(data, size);
	fuzz_cache(data, size);
	rc = sk_statuslist_decode_cbor(data, size, SK_STATUSLIST_ALLOW_SHORT,
	    &l);
	fuzz_check_rc(rc);
	if (rc == 0)
		fuzz_inspect(l);
	sk_statuslist_free(l);
	rc = sk_statuslist_load(data, size, &l);
	fuzz_check_rc(rc);
	if (rc == 0)
		fuzz_inspect(l);
	sk_statuslist_free(l);
	return 0;
}
