/*
 * RFC 8949 Appendix A examples (tests/data/cbor/appendix_a.json, from
 * cbor/test-vectors): every item decodes (indefinite lengths allowed);
 * items marked roundtrip re-encode to the same bytes; the others
 * re-encode to the deterministic form given by an equal roundtrip item
 * of the file, or by the table below; the decoded tree matches the
 * "decoded" JSON value; the diagnostic notation matches the "diagnostic"
 * field and, for integers, strings, arrays, maps and simple values, the
 * notation derived from the "decoded" JSON value.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cbor.h"
#include "sktest.h"

#define APPENDIX_A_ITEMS	82	/* entries in the file */
#define EXACT_INT_MAX		9007199254740992.0	/* 2^53 */

/*
 * Deterministic re-encodings (RFC 8949 section 4.2.1) of the items that
 * have no definite twin in the file: chunks joined; map keys in bytewise
 * order, so "Amt" (63 41..) before "Fun" (63 46..).
 */
static const struct {
	const char	*hex;
	const char	*det;
} det_table[] = {
	{ "5f42010243030405ff", "450102030405" },
	{ "7f657374726561646d696e67ff", "6973747265616d696e67" },
	{ "bf6346756ef563416d7421ff", "a263416d74216346756ef5" }
};

static int	same_value(const struct sk_cbor_item *, json_t *);

static int
same_number(const struct sk_cbor_item *it, double d)
{
	const struct sk_cbor_item *c;
	double n = 0;
	size_t i;

	switch (it->type) {
	case SK_CBOR_UINT:
		return (double)it->u == d;
	case SK_CBOR_NINT:
		return -1.0 - (double)it->u == d;
	case SK_CBOR_FLOAT:
		return it->f == d && !signbit(it->f) == !signbit(d);
	case SK_CBOR_TAG:
		/* Bignums, RFC 8949 section 3.4.3. */
		c = it->child;
		if ((it->u != 2 && it->u != 3) || c == NULL ||
		    c->type != SK_CBOR_BSTR)
			return 0;
		for (i = 0; i < c->len; i++)
			n = n * 256 + c->ptr[i];
		return (it->u == 2 ? n : -1.0 - n) == d;
	default:
		return 0;
	}
}

static int
same_array(const struct sk_cbor_item *it, json_t *j)
{
	size_t i;

	if (it->type != SK_CBOR_ARRAY || it->len != json_array_size(j))
		return 0;
	for (i = 0; i < it->len; i++)
		if (!same_value(sk_cbor_array_at(it, i), json_array_get(j, i)))
			return 0;
	return 1;
}

static int
same_object(const struct sk_cbor_item *it, json_t *j)
{
	const char *key;
	json_t *v;

	if (it->type != SK_CBOR_MAP || it->len != json_object_size(j))
		return 0;
	json_object_foreach(j, key, v)
		if (!same_value(sk_cbor_map_str(it, key), v))
			return 0;
	return 1;
}

static int
same_value(const struct sk_cbor_item *it, json_t *j)
{
	if (it == NULL || j == NULL)
		return 0;
	switch (json_typeof(j)) {
	case JSON_REAL:
		return same_number(it, json_real_value(j));
	case JSON_INTEGER:
		return same_number(it, (double)json_integer_value(j));
	case JSON_STRING:
		return it->type == SK_CBOR_TSTR &&
		    it->len == json_string_length(j) &&
		    memcmp(it->ptr, json_string_value(j), it->len) == 0;
	case JSON_TRUE:
		return it->type == SK_CBOR_SIMPLE && it->u == SK_CBOR_TRUE;
	case JSON_FALSE:
		return it->type == SK_CBOR_SIMPLE && it->u == SK_CBOR_FALSE;
	case JSON_NULL:
		return it->type == SK_CBOR_SIMPLE && it->u == SK_CBOR_NULL;
	case JSON_ARRAY:
		return same_array(it, j);
	case JSON_OBJECT:
		return same_object(it, j);
	default:
		return 0;
	}
}

static int
put(struct sk_buf *b, const char *s)
{
	return sk_buf_append(b, s, strlen(s));
}

/*
 * Diagnostic notation of a JSON value, for the kinds whose notation is
 * JSON's own (section 8): integers, strings (JSON escapes, as jansson
 * writes them), arrays, maps, true/false/null.  1 if j has none other.
 */
static int
json_diag(json_t *j, struct sk_buf *b)
{
	char num[64], *s;
	const char *key;
	json_t *v, *k;
	size_t i;
	int ok = 1;

	switch (json_typeof(j)) {
	case JSON_REAL:
		/* Appendix A integers; the file's floats are left out. */
		if (fabs(json_real_value(j)) >= EXACT_INT_MAX ||
		    json_real_value(j) != floor(json_real_value(j)))
			return 0;
		(void)snprintf(num, sizeof(num), "%.0f", json_real_value(j));
		return put(b, num) == 0;
	case JSON_ARRAY:
		ok = put(b, "[") == 0;
		json_array_foreach(j, i, v)
			ok = ok && (i == 0 || put(b, ", ") == 0) &&
			    json_diag(v, b);
		return ok && put(b, "]") == 0;
	case JSON_OBJECT:
		ok = put(b, "{") == 0;
		i = 0;
		json_object_foreach(j, key, v) {
			k = json_string(key);
			s = k == NULL ? NULL : json_dumps(k, JSON_ENCODE_ANY);
			ok = ok && s != NULL && (i++ == 0 ||
			    put(b, ", ") == 0) && put(b, s) == 0 &&
			    put(b, ": ") == 0 && json_diag(v, b);
			free(s);
			json_decref(k);
		}
		return ok && put(b, "}") == 0;
	default:
		if ((s = json_dumps(j, JSON_ENCODE_ANY)) == NULL)
			return 0;
		ok = put(b, s) == 0;
		free(s);
		return ok;
	}
}

/* A tree whose notation json_diag() can predict. */
static int
plain_tree(const struct sk_cbor_item *it)
{
	const struct sk_cbor_item *c;

	if (it->type == SK_CBOR_FLOAT || it->type == SK_CBOR_TAG ||
	    it->indefinite)
		return 0;
	for (c = it->child; c != NULL; c = c->next)
		if (!plain_tree(c))
			return 0;
	return 1;
}

static uint8_t *
hex_of(json_t *e, size_t *len)
{
	const char *h = json_string_value(json_object_get(e, "hex"));

	*len = 0;
	return h == NULL ? NULL : skt_unhex(h, len);
}

/* The bytes a non-roundtrip item must re-encode to. */
static uint8_t *
deterministic_twin(json_t *all, json_t *e, size_t *len)
{
	json_t *o, *dec = json_object_get(e, "decoded");
	json_t *diag = json_object_get(e, "diagnostic");
	const char *hex = json_string_value(json_object_get(e, "hex"));
	size_t i;

	*len = 0;
	for (i = 0; hex != NULL && i < sizeof(det_table) /
	    sizeof(det_table[0]); i++)
		if (strcmp(hex, det_table[i].hex) == 0)
			return skt_unhex(det_table[i].det, len);
	json_array_foreach(all, i, o) {
		if (!json_is_true(json_object_get(o, "roundtrip")))
			continue;
		if ((dec != NULL && json_equal(dec,
		    json_object_get(o, "decoded"))) ||
		    (diag != NULL && json_equal(diag,
		    json_object_get(o, "diagnostic"))))
			return hex_of(o, len);
	}
	return NULL;
}

static void
check_encoding(json_t *all, json_t *e, const uint8_t *in, size_t len,
    const struct sk_cbor_item *root)
{
	struct sk_buf b;
	const uint8_t *w = in;
	uint8_t *twin = NULL;
	size_t wlen = len;

	sk_buf_init(&b, 4096);
	SKT_RC(sk_cbor_encode_item(root, &b), 0);
	if (!json_is_true(json_object_get(e, "roundtrip"))) {
		w = twin = deterministic_twin(all, e, &wlen);
		SKT_CHECK(twin != NULL);
	}
	skt_checks++;
	if (w == NULL || b.len != wlen || b.data == NULL ||
	    memcmp(b.data, w, wlen) != 0)
		skt_fail(__FILE__, __LINE__, "re-encoding of %s",
		    json_string_value(json_object_get(e, "hex")));
	free(twin);
	sk_buf_free(&b);
}

static void
check_diag(json_t *e, const struct sk_cbor_item *root, int *ndiag)
{
	struct sk_buf got, want;
	json_t *diag = json_object_get(e, "diagnostic");
	json_t *dec = json_object_get(e, "decoded");
	int have = 0;

	sk_buf_init(&got, 4096);
	sk_buf_init(&want, 4096);
	SKT_RC(sk_cbor_diag(root, &got), 0);
	if (json_is_string(diag))
		have = put(&want, json_string_value(diag)) == 0;
	else if (dec != NULL && plain_tree(root))
		have = json_diag(dec, &want);
	if (have && got.data != NULL && (want.len != strlen((char *)got.data)
	    || memcmp(want.data, got.data, want.len) != 0))
		skt_fail(__FILE__, __LINE__, "diag of %s: got %s, want %.*s",
		    json_string_value(json_object_get(e, "hex")),
		    (char *)got.data, (int)want.len, (char *)want.data);
	if (have) {
		skt_checks++;
		(*ndiag)++;
	}
	sk_buf_free(&got);
	sk_buf_free(&want);
}

static void
test_appendix_a(void)
{
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	json_error_t jerr;
	json_t *all, *e, *dec;
	uint8_t *in;
	size_t i, len;
	int ndiag = 0, nvalue = 0, nrt = 0;

	/* 2^64 does not fit json_int_t: read every number as a double. */
	all = json_load_file(skt_data("cbor/appendix_a.json"),
	    JSON_DECODE_INT_AS_REAL, &jerr);
	SKT_CHECK(all != NULL && json_is_array(all));
	if (all == NULL)
		return;
	SKT_EQ(json_array_size(all), APPENDIX_A_ITEMS);
	sk_cbor_limits_default(&lim);
	lim.flags = SK_CBOR_ALLOW_INDEFINITE;
	json_array_foreach(all, i, e) {
		in = hex_of(e, &len);
		SKT_CHECK(in != NULL);
		SKT_RC(sk_cbor_decode(in, len, &lim, &doc), 0);
		if (doc == NULL) {
			skt_fail(__FILE__, __LINE__, "decode %s",
			    json_string_value(json_object_get(e, "hex")));
			free(in);
			continue;
		}
		SKT_EQ(sk_cbor_root(doc)->rawlen, len);
		check_encoding(all, e, in, len, sk_cbor_root(doc));
		nrt += json_is_true(json_object_get(e, "roundtrip"));
		if ((dec = json_object_get(e, "decoded")) != NULL) {
			SKT_CHECK(same_value(sk_cbor_root(doc), dec));
			nvalue++;
		}
		check_diag(e, sk_cbor_root(doc), &ndiag);
		sk_cbor_free(doc);
		free(in);
	}
	printf("# %d roundtrip, %d values, %d diagnostics compared\n", nrt,
	    nvalue, ndiag);
	/* Guard against a test that silently compares nothing. */
	SKT_CHECK(nrt >= 60 && nvalue >= 50 && ndiag >= 40);
	json_decref(all);
}

int
main(void)
{
	SKT_RUN(test_appendix_a);
	return skt_done();
}
