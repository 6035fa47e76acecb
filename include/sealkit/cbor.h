/*
 * sealkit/cbor.h: a strict, bounded CBOR (RFC 8949) decoder into a
 * read-only tree, and a deterministic encoder (RFC 8949 section 4.2.1).
 *
 * Why our own and not Debian's libcbor 0.8: docs/CBOR.md.
 *
 * Decoding is two passes over the input: the first checks well-formedness
 * and every limit and counts items; the second fills one array of items
 * allocated at its exact size.  So the memory a hostile input can ask for
 * is bounded by max_items * sizeof(struct sk_cbor_item), whatever lengths
 * it declares.
 *
 * Always rejected: reserved additional-information values (28-30), simple
 * values 0..31 encoded in two bytes (f8 00..f8 1f), a break outside an
 * indefinite item, indefinite-length strings whose chunks are not of their
 * own major type, text strings that are not valid UTF-8, duplicate map keys
 * (two keys with the same type and value), trailing bytes after the top
 * item, and anything past a limit.  Indefinite lengths are rejected unless
 * SK_CBOR_ALLOW_INDEFINITE is given.  With SK_CBOR_CANONICAL, arguments must
 * use their shortest form and map keys must be in bytewise order of their
 * encodings (section 4.2.1 core deterministic encoding).
 */
#ifndef SEALKIT_CBOR_H
#define SEALKIT_CBOR_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SK_CBOR_MAX_BYTES	(64u * 1024u)	/* default input cap */
#define SK_CBOR_MAX_DEPTH	16u		/* default nesting cap */
#define SK_CBOR_MAX_ITEMS	4096u		/* default item cap */
#define SK_CBOR_DEPTH_HARD	64u		/* cap on max_depth itself */

/* Decoder flags. */
#define SK_CBOR_ALLOW_INDEFINITE 0x01u	/* accept indefinite lengths */
#define SK_CBOR_CANONICAL	 0x02u	/* require deterministic encoding */

struct sk_cbor_limits {
	size_t		max_bytes;	/* input longer than this: SK_ERR_LIMIT */
	unsigned	max_depth;	/* nesting of arrays, maps and tags */
	size_t		max_items;	/* data items, map keys included */
	unsigned	flags;		/* SK_CBOR_ALLOW_INDEFINITE, ... */
};

/* Defaults used when a NULL limits pointer is passed. */
SK_API void sk_cbor_limits_default(struct sk_cbor_limits *lim);

enum sk_cbor_type {
	SK_CBOR_UINT = 0,	/* major 0: value in u */
	SK_CBOR_NINT,		/* major 1: value is -1 - u */
	SK_CBOR_BSTR,		/* major 2: ptr, len */
	SK_CBOR_TSTR,		/* major 3: ptr, len; valid UTF-8, no NUL added */
	SK_CBOR_ARRAY,		/* major 4: len elements from child */
	SK_CBOR_MAP,		/* major 5: len pairs; children are k,v,k,v... */
	SK_CBOR_TAG,		/* major 6: tag number in u; content is child */
	SK_CBOR_SIMPLE,		/* major 7: simple value in u (20 false, 21
				   true, 22 null, 23 undefined, others) */
	SK_CBOR_FLOAT		/* major 7: value in f; width in fwidth */
};

#define SK_CBOR_FALSE	20u
#define SK_CBOR_TRUE	21u
#define SK_CBOR_NULL	22u
#define SK_CBOR_UNDEF	23u

/*
 * One decoded item.  All pointers are borrowed from the document (and,
 * for strings, from the input buffer given to sk_cbor_decode): valid until
 * sk_cbor_free() and as long as that input is unchanged.
 */
struct sk_cbor_item {
	enum sk_cbor_type		 type;
	uint64_t			 u;	/* see enum sk_cbor_type */
	double				 f;	/* SK_CBOR_FLOAT */
	unsigned			 fwidth; /* 2, 4 or 8 bytes on the wire */
	const uint8_t			*ptr;	/* BSTR/TSTR contents */
	size_t				 len;	/* BSTR/TSTR bytes; ARRAY elements;
						   MAP pairs */
	int				 indefinite; /* was indefinite-length */
	const uint8_t			*raw;	/* this item's encoding, whole */
	size_t				 rawlen;
	const struct sk_cbor_item	*child;	/* first element/key/content */
	const struct sk_cbor_item	*next;	/* next sibling or NULL */
};

struct sk_cbor_doc;

/*
 * Decode exactly len bytes holding one CBOR data item.
 * @param lim  limits and flags; NULL means sk_cbor_limits_default().
 * @param out  set to the new document (free with sk_cbor_free) or NULL.
 * @note The document borrows in: keep those bytes alive and unchanged
 *       until sk_cbor_free().
 * Depth: every array, map and tag is one level, even when empty.  An
 * indefinite length without SK_CBOR_ALLOW_INDEFINITE is SK_ERR_NONCANONICAL
 * (well formed, but not the encoding we accept).
 * @return 0, SK_ERR_TRUNCATED, SK_ERR_TRAILING, SK_ERR_FORMAT,
 *         SK_ERR_LIMIT, SK_ERR_DUPLICATE, SK_ERR_NONCANONICAL, SK_ERR_NOMEM,
 *         SK_ERR_ARG (NULL out, NULL in with len > 0, max_depth above
 *         SK_CBOR_DEPTH_HARD, unknown flags).
 */
SK_API int sk_cbor_decode(const uint8_t *in, size_t len,
    const struct sk_cbor_limits *lim, struct sk_cbor_doc **out) SK_WUR;

/* Free a document; NULL is ok. */
SK_API void sk_cbor_free(struct sk_cbor_doc *doc);

/* The top-level item (borrowed). */
SK_API const struct sk_cbor_item *sk_cbor_root(const struct sk_cbor_doc *doc);

/* Element i of an array, or NULL (not an array, out of range). */
SK_API const struct sk_cbor_item *sk_cbor_array_at(
    const struct sk_cbor_item *arr, size_t i);

/* Value for an integer key in a map, or NULL. */
SK_API const struct sk_cbor_item *sk_cbor_map_int(
    const struct sk_cbor_item *map, int64_t key);

/* Value for a text key (NUL-terminated) in a map, or NULL. */
SK_API const struct sk_cbor_item *sk_cbor_map_str(
    const struct sk_cbor_item *map, const char *key);

/*
 * An integer item (UINT or NINT) as int64_t.
 * @return 0, SK_ERR_TYPE (not an integer), SK_ERR_LIMIT (out of range).
 */
SK_API int sk_cbor_int(const struct sk_cbor_item *it, int64_t *out) SK_WUR;

/*
 * Encoder.  Each call appends the encoding of one head or item to out,
 * always in preferred (shortest) form; on error out is unchanged.
 * Maps and arrays: write the head with the count, then the members.
 * Deterministic maps need their keys written in bytewise order of their
 * encodings; sk_cbor_encode_item() sorts for you when re-encoding a tree.
 * @return 0, SK_ERR_LIMIT (out's max), SK_ERR_NOMEM, SK_ERR_ARG (NULL data
 *         with len > 0; sk_cbor_put_simple of 24..31).
 */
SK_API int sk_cbor_put_uint(struct sk_buf *out, uint64_t v) SK_WUR;
SK_API int sk_cbor_put_int(struct sk_buf *out, int64_t v) SK_WUR;
/* Negative integer -1 - n, for the full major-type-1 range. */
SK_API int sk_cbor_put_nint(struct sk_buf *out, uint64_t n) SK_WUR;
SK_API int sk_cbor_put_bstr(struct sk_buf *out, const void *p,
    size_t len) SK_WUR;
/* Text of len bytes; the caller guarantees UTF-8. */
SK_API int sk_cbor_put_tstr(struct sk_buf *out, const char *s,
    size_t len) SK_WUR;
/* NUL-terminated text. */
SK_API int sk_cbor_put_cstr(struct sk_buf *out, const char *s) SK_WUR;
SK_API int sk_cbor_put_array(struct sk_buf *out, uint64_t count) SK_WUR;
SK_API int sk_cbor_put_map(struct sk_buf *out, uint64_t pairs) SK_WUR;
SK_API int sk_cbor_put_tag(struct sk_buf *out, uint64_t tag) SK_WUR;
SK_API int sk_cbor_put_bool(struct sk_buf *out, int v) SK_WUR;
SK_API int sk_cbor_put_null(struct sk_buf *out) SK_WUR;
SK_API int sk_cbor_put_simple(struct sk_buf *out, uint8_t v) SK_WUR;
/* The shortest of half, single or double that holds v exactly. */
SK_API int sk_cbor_put_float(struct sk_buf *out, double v) SK_WUR;

/*
 * Re-encode a decoded item deterministically: preferred serialisation,
 * definite lengths (indefinite strings are joined), map keys sorted by
 * their encodings.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_cbor_encode_item(const struct sk_cbor_item *it,
    struct sk_buf *out) SK_WUR;

/*
 * Append RFC 8949 section 8 diagnostic notation of an item to out,
 * for people: byte strings as h'..', text escaped.  The text is
 * NUL-terminated and the NUL is counted in out->len.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_cbor_diag(const struct sk_cbor_item *it,
    struct sk_buf *out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif
