/*
 * cbor_int.h: what the CBOR decoder, encoder and diagnostic printer share
 * inside libsealkit.  Not installed.
 */
#ifndef SK_CBOR_INT_H
#define SK_CBOR_INT_H

#include "sealkit/cbor.h"

#define SK_CBOR_MAJOR_UINT	0u
#define SK_CBOR_MAJOR_NINT	1u
#define SK_CBOR_MAJOR_BSTR	2u
#define SK_CBOR_MAJOR_TSTR	3u
#define SK_CBOR_MAJOR_ARRAY	4u
#define SK_CBOR_MAJOR_MAP	5u
#define SK_CBOR_MAJOR_TAG	6u
#define SK_CBOR_MAJOR_SIMPLE	7u

#define SK_CBOR_AI_1BYTE	24u
#define SK_CBOR_AI_2BYTE	25u
#define SK_CBOR_AI_4BYTE	26u
#define SK_CBOR_AI_8BYTE	27u
#define SK_CBOR_AI_INDEF	31u
#define SK_CBOR_BREAK		0xffu

/*
 * Append the deterministic encoding of it to out.  depth counts the
 * arrays, maps and tags already entered; more than SK_CBOR_DEPTH_HARD is
 * SK_ERR_LIMIT, so a hand-built cyclic tree cannot recurse forever.
 * Not atomic: on error out may hold part of the encoding.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM, SK_ERR_ARG (malformed tree).
 */
int	sk_cbor_enc_item(const struct sk_cbor_item *it, struct sk_buf *out,
	    unsigned depth);

/*
 * Check that the keys of a decoded map are pairwise distinct, comparing
 * their deterministic encodings (ints by value, strings by bytes, other
 * keys by canonical re-encoding).  scratch_max bounds the memory used.
 * @return 0, SK_ERR_DUPLICATE, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	sk_cbor_map_unique(const struct sk_cbor_item *map,
	    size_t scratch_max);

/*
 * The shortest preferred encoding of v (RFC 8949 section 4.1): returns
 * the width on the wire (2, 4 or 8) and its bits in *bits.
 */
unsigned sk_cbor_float_shortest(double v, uint64_t *bits);

#endif /* SK_CBOR_INT_H */
