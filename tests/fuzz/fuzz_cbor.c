/*
 * libFuzzer target for the CBOR decoder, encoder and diagnostic printer.
 * Every input is decoded with and without SK_CBOR_ALLOW_INDEFINITE.  An
 * accepted input must re-encode; the re-encoding must decode under
 * SK_CBOR_CANONICAL and re-encode to the same bytes (the encoder is a
 * fixed point of the strict decoder); diagnostic notation must succeed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Output caps.  A deterministic encoding is at most about twice the input
 * (docs/CBOR.md); diagnostic text at most 16 characters per input byte
 * ("undefined, " is 11 for one byte).
 */
#define FZ_ENC_MAX(n)	(2 * (n) + 64)
#define FZ_DIAG_MAX(n)	(16 * (n) + 64)

static void
fz_reencode(const struct sk_cbor_item *root, const struct sk_cbor_limits *lim,
    const uint8_t *data, size_t size)
{
	struct sk_cbor_limits strict = *lim;
	struct sk_cbor_doc *doc2;
	struct sk_buf e1, e2;

	sk_buf_init(&e1, FZ_ENC_MAX(size));
	sk_buf_init(&e2, FZ_ENC_MAX(size));
	if (sk_cbor_encode_item(root, &e1) != 0 || e1.len == 0)
		abort();
	/* Canonical input is already its own deterministic encoding. */
	if ((lim->flags & SK_CBOR_CANONICAL) != 0 &&
	    (e1.len != size || memcmp(e1.data, data, size) != 0))
		abort();
	strict.flags = SK_CBOR_CANONICAL;
	strict.max_bytes = e1.len;
	if (sk_cbor_decode(e1.data, e1.len, &strict, &doc2) != 0)
		abort();
	if (sk_cbor_encode_item(sk_cbor_root(doc2), &e2) != 0)
		abort();
	if (e1.len != e2.len || memcmp(e1.data, e2.data, e1.len) != 0)
		abort();
	sk_cbor_free(doc2);
	sk_buf_free(&e1);
	sk_buf_free(&e2);
}

static void
fz_one(const uint8_t *data, size_t size, unsigned flags)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	const struct sk_cbor_item *root;
	struct sk_buf diag;

	sk_cbor_limits_default(&lim);
	lim.flags = flags;
	if (sk_cbor_decode(data, size, &lim, &doc) != 0) {
		if (doc != NULL)
			abort();
		return;
	}
	root = sk_cbor_root(doc);
	if (root == NULL || root->raw != data || root->rawlen != size)
		abort();
	fz_reencode(root, &lim, data, size);
	sk_buf_init(&diag, FZ_DIAG_MAX(size));
	if (sk_cbor_diag(root, &diag) != 0 || diag.len == 0 ||
	    diag.data[diag.len - 1] != '\0' ||
	    strlen((const char *)diag.data) != diag.len - 1)
		abort();
	sk_buf_free(&diag);
	sk_cbor_free(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_one(data, size, 0);
	fz_one(data, size, SK_CBOR_ALLOW_INDEFINITE);
	fz_one(data, size, SK_CBOR_CANONICAL);
	return 0;
}
