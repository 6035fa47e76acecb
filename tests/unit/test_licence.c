/*
 * The licence model and its encodings (sealkit/licence.h): the examples
 * round-trip JSON -> struct -> claims -> struct -> JSON unchanged; the
 * claims are read independently by python3-cbor2 and hold the integer keys
 * and values of api/licence.cddl; every required field, bad check
 * character, unknown or duplicate key, wrong type and cap is an error that
 * names the field; non-canonical or unknown claims are rejected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sealkit/licence.h"
#include "sktest.h"

#define BUSINESS	"api/examples/business-licence.json"
#define RESIDENT	"api/examples/resident-permit.json"
#define PYTHON		"/usr/bin/python3"

static char *
read_text(const char *rel, size_t *len)
{
	const char *top = getenv("SK_SOURCE_DIR");
	char path[1024];
	uint8_t *p;

	(void)snprintf(path, sizeof(path), "%s/%s", top ? top : "..", rel);
	if ((p = skt_read_file(path, len)) == NULL)
		skt_fail(__FILE__, __LINE__, "cannot read %s", path);
	return (char *)p;
}

static struct sk_licence *
load(const char *rel)
{
	struct sk_licence *lic = NULL;
	struct sk_licence_err e;
	size_t len;
	char *text;

	if ((text = read_text(rel, &len)) == NULL)
		return NULL;
	SKT_RC(sk_licence_from_json(text, len, &lic, &e), 0);
	if (lic == NULL)
		skt_fail(__FILE__, __LINE__, "%s: %s: %s", rel, e.field,
		    e.reason);
	free(text);
	return lic;
}

/* Parse JSON text and expect an error code naming field. */
static void
want_err_at(const char *file, int line, const char *json, int code,
    const char *field)
{
	struct sk_licence *lic = (struct sk_licence *)1;
	struct sk_licence_err e;
	int rc;

	rc = sk_licence_from_json(json, strlen(json), &lic, &e);
	skt_checks++;
	if (rc != code || lic != NULL || e.code != code ||
	    strcmp(e.field, field) != 0)
		skt_fail(file, line, "want %s at \"%s\", got %s at \"%s\" (%s)",
		    sk_errname(code), field, sk_errname(rc), e.field,
		    e.reason ? e.reason : "-");
	sk_licence_free(lic == (struct sk_licence *)1 ? NULL : lic);
}
#define want_err(j, c, f) want_err_at(__FILE__, __LINE__, j, c, f)

/* The example as a jansson object, to be edited by a test. */
static json_t *
example_obj(const char *rel)
{
	json_error_t je;
	json_t *o;
	size_t len;
	char *text;

	if ((text = read_text(rel, &len)) == NULL)
		return NULL;
	o = json_loadb(text, len, 0, &je);
	free(text);
	return o;
}

/* Edit-and-expect: dump the object and parse it with want_err. */
static void
obj_err_at(const char *file, int line, json_t *o, int code, const char *f)
{
	char *s = json_dumps(o, JSON_COMPACT);

	if (s == NULL) {
		skt_fail(file, line, "json_dumps");
		return;
	}
	want_err_at(file, line, s, code, f);
	free(s);
}
#define obj_err(o, c, f) obj_err_at(__FILE__, __LINE__, o, c, f)

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (json_object_set_new(o, key, json_string(v)) != 0)
		abort();
}

static void
roundtrip_one(const char *rel)
{
	struct sk_licence *a, *b = NULL;
	struct sk_licence_err e;
	struct sk_buf j1, j2, c1, c2;
	size_t len;
	char *text;

	if ((text = read_text(rel, &len)) == NULL || (a = load(rel)) == NULL) {
		free(text);
		return;
	}
	sk_buf_init(&j1, SK_LICENCE_MAX_JSON);
	sk_buf_init(&j2, SK_LICENCE_MAX_JSON);
	sk_buf_init(&c1, SK_LICENCE_MAX_CLAIMS);
	sk_buf_init(&c2, SK_LICENCE_MAX_CLAIMS);
	/* The example file is in the writer's own layout. */
	SKT_RC(sk_licence_to_json(a, SK_LICENCE_JSON_PRETTY, &j1), 0);
	while (len > 0 && text[len - 1] == '\n')
		len--;
	SKT_MEMEQ(j1.data, j1.len, text, len);
	SKT_RC(sk_licence_encode_claims(a, &c1), 0);
	SKT_RC(sk_licence_decode_claims(c1.data, c1.len, &b, &e), 0);
	SKT_CHECK(b != NULL);
	if (b != NULL) {
		SKT_RC(sk_licence_to_json(b, SK_LICENCE_JSON_PRETTY, &j2), 0);
		SKT_MEMEQ(j2.data, j2.len, j1.data, j1.len);
		SKT_RC(sk_licence_encode_claims(b, &c2), 0);
		SKT_MEMEQ(c2.data, c2.len, c1.data, c1.len);
	}
	/* A QR credential has room for a few hundred bytes of claims. */
	SKT_CHECK(c1.len < 1024);
	sk_licence_free(a);
	sk_licence_free(b);
	sk_buf_free(&j1);
	sk_buf_free(&j2);
	sk_buf_free(&c1);
	sk_buf_free(&c2);
	free(text);
}

static void
test_roundtrip(void)
{
	roundtrip_one(BUSINESS);
	roundtrip_one(RESIDENT);
}

static void
test_model(void)
{
	struct sk_licence *lic = load(BUSINESS);
	struct sk_licence *r = load(RESIDENT);

	if (lic == NULL || r == NULL)
		goto out;
	SKT_CHECK(strcmp(lic->holder_type, "001") == 0);
	SKT_CHECK(lic->valid_until == NULL);	/* 长期 */
	SKT_EQ(lic->nitems, 5);
	SKT_CHECK(strcmp(lic->items[1].key, "法定代表人") == 0);
	SKT_CHECK(strcmp(lic->items[1].value, "李明") == 0);
	SKT_EQ(lic->iat, 1772409600);
	SKT_CHECK(lic->has_nbf && !lic->has_exp && lic->has_status);
	SKT_EQ(lic->status_idx, 4242);
	SKT_CHECK(strcmp(r->holder_type, "111") == 0);
	SKT_CHECK(strcmp(r->valid_until, "2029-05-19") == 0);
	SKT_CHECK(r->has_exp);
out:
	sk_licence_free(lic);
	sk_licence_free(r);
	sk_licence_free(NULL);
}

static const char *const required[] = {
	"name", "type_code", "number", "identifier", "issuer_name",
	"issuer_code", "issue_date", "holder_name", "holder_code",
	"holder_type", "valid_from", "iat", NULL
};

static void
test_missing(void)
{
	json_t *o;
	size_t i;

	for (i = 0; required[i] != NULL; i++) {
		if ((o = example_obj(BUSINESS)) == NULL)
			return;
		SKT_CHECK(json_object_del(o, required[i]) == 0);
		obj_err(o, SK_ERR_MISSING, required[i]);
		json_decref(o);
	}
	if ((o = example_obj(BUSINESS)) == NULL)
		return;
	json_object_del(json_object_get(json_object_get(o, "status"),
	    "status_list"), "uri");
	obj_err(o, SK_ERR_MISSING, "status.status_list");
	json_decref(o);
}

static void
test_check_chars(void)
{
	json_t *o;

	/* USCC check character (GB 32100): F -> G. */
	o = example_obj(BUSINESS);
	set_str(o, "issuer_code", "11990100000000019G");
	obj_err(o, SK_ERR_CHECKSUM, "issuer_code");
	json_decref(o);

	/* Holder USCC (type 001). */
	o = example_obj(BUSINESS);
	set_str(o, "holder_code", "91990100MA000004XC");
	obj_err(o, SK_ERR_CHECKSUM, "holder_code");
	/* Lower case is never normalised. */
	set_str(o, "holder_code", "91990100ma000004xb");
	obj_err(o, SK_ERR_FORMAT, "holder_code");
	json_decref(o);

	/* Citizen ID (type 111, GB 11643): ...1237 -> ...1236. */
	o = example_obj(RESIDENT);
	set_str(o, "holder_code", "990101199003071236");
	obj_err(o, SK_ERR_CHECKSUM, "holder_code");
	/* The textbook number is valid for type 111, not for 001. */
	set_str(o, "holder_code", "11010519491231002X");
	SKT_CHECK(json_object_set_new(o, "holder_type",
	    json_string("001")) == 0);
	obj_err(o, SK_ERR_CHECKSUM, "holder_code");
	set_str(o, "holder_type", "112");
	obj_err(o, SK_ERR_FORMAT, "holder_type");
	json_decref(o);

	/* GB/T 36904 check character: L -> M. */
	o = example_obj(BUSINESS);
	set_str(o, "identifier", "1.2.156.3005.2.11990000000000107Q001."
	    "11990100000000019F.2024000123.001.M");
	obj_err(o, SK_ERR_CHECKSUM, "identifier");
	/* The published 住建部 identifier is valid but not this issuer's. */
	set_str(o, "identifier", "1.2.156.3005.2.11100000000013338W011."
	    "11430000006122244L.20230000403.001.U");
	obj_err(o, SK_ERR_FORMAT, "identifier");
	/* Type code of a valid USCC but a wrong check character. */
	set_str(o, "type_code", "11990000000000107R001");
	obj_err(o, SK_ERR_CHECKSUM, "type_code");
	json_decref(o);

	/* A valid identifier of another issuer (示例市公安局). */
	o = example_obj(RESIDENT);
	set_str(o, "issuer_code", "11990100000000019F");
	obj_err(o, SK_ERR_FORMAT, "identifier");
	json_decref(o);
}

static void
test_unknown_and_types(void)
{
	json_t *o = example_obj(BUSINESS), *it;

	SKT_CHECK(json_object_set_new(o, "remark", json_string("x")) == 0);
	obj_err(o, SK_ERR_FORMAT, "remark");
	json_object_del(o, "remark");

	it = json_array_get(json_object_get(o, "items"), 0);
	SKT_CHECK(json_object_set_new(it, "lang", json_string("zh")) == 0);
	obj_err(o, SK_ERR_FORMAT, "items[0]");
	json_object_del(it, "lang");
	SKT_CHECK(json_object_set_new(it, "value", json_integer(1)) == 0);
	obj_err(o, SK_ERR_TYPE, "items[0].value");
	set_str(it, "value", "示例科技有限公司");

	SKT_CHECK(json_object_set_new(o, "iat", json_string("1")) == 0);
	obj_err(o, SK_ERR_TYPE, "iat");
	SKT_CHECK(json_object_set_new(o, "iat", json_real(1.5)) == 0);
	obj_err(o, SK_ERR_TYPE, "iat");
	SKT_CHECK(json_object_set_new(o, "iat", json_integer(-1)) == 0);
	obj_err(o, SK_ERR_FORMAT, "iat");
	SKT_CHECK(json_object_set_new(o, "iat", json_integer(1772409600)) == 0);
	SKT_CHECK(json_object_set_new(o, "exp", json_integer(1000)) == 0);
	obj_err(o, SK_ERR_FORMAT, "exp");	/* before iat */
	json_object_del(o, "exp");
	SKT_CHECK(json_object_set_new(o, "name", json_integer(5)) == 0);
	obj_err(o, SK_ERR_TYPE, "name");
	SKT_CHECK(json_object_set_new(o, "name", json_null()) == 0);
	obj_err(o, SK_ERR_TYPE, "name");
	set_str(o, "name", "");
	obj_err(o, SK_ERR_FORMAT, "name");
	set_str(o, "name", "营业\a执照");
	obj_err(o, SK_ERR_FORMAT, "name");
	set_str(o, "name", "营业执照");
	SKT_CHECK(json_object_set_new(o, "items", json_object()) == 0);
	obj_err(o, SK_ERR_TYPE, "items");
	json_object_del(o, "items");
	SKT_CHECK(json_object_set_new(o, "status", json_array()) == 0);
	obj_err(o, SK_ERR_TYPE, "status");
	json_decref(o);

	/* Unknown keys are named safely: no control byte, no half UTF-8. */
	want_err("{\"\\u001b[2Jx\":1}", SK_ERR_FORMAT, "?[2Jx");
	want_err("{\"a证证证证证证证证证证证证证证证证证证证证证证证证\":1}",
	    SK_ERR_FORMAT, "a证证证证证证证证证证证证证证证证证证证证");
	want_err("[]", SK_ERR_TYPE, "");
	want_err("{\"name\":\"a\"} x", SK_ERR_FORMAT, "");
	want_err("{\"name\":\"a\\u0000b\"}", SK_ERR_FORMAT, "");
	want_err("{\"name\":\"a\",\"name\":\"b\"}", SK_ERR_DUPLICATE, "name");
}

static void
test_dates(void)
{
	json_t *o = example_obj(RESIDENT);

	set_str(o, "issue_date", "2023-02-29");
	obj_err(o, SK_ERR_FORMAT, "issue_date");
	set_str(o, "issue_date", "2024-2-29");
	obj_err(o, SK_ERR_FORMAT, "issue_date");
	set_str(o, "issue_date", "1899-12-31");
	obj_err(o, SK_ERR_FORMAT, "issue_date");
	set_str(o, "issue_date", "2024-05-20");
	set_str(o, "valid_until", "2024-05-19");
	obj_err(o, SK_ERR_FORMAT, "valid_until");
	SKT_CHECK(json_object_set_new(o, "valid_until", json_null()) == 0);
	obj_err(o, SK_ERR_TYPE, "valid_until");
	json_decref(o);
}

/* A string of n bytes: Chinese characters, then ASCII to fill. */
static char *
cjk(size_t n)
{
	char *s = malloc(n + 1);
	size_t i = 0;

	if (s == NULL)
		abort();
	for (; i + 3 <= n; i += 3)
		memcpy(s + i, "证", 3);
	for (; i < n; i++)
		s[i] = 'a';
	s[n] = '\0';
	return s;
}

static void
add_item(json_t *items, const char *k, const char *v)
{
	json_t *it = json_object();

	if (it == NULL || json_object_set_new(it, "key", json_string(k)) ||
	    json_object_set_new(it, "value", json_string(v)) ||
	    json_array_append_new(items, it))
		abort();
}

/* The largest licence passes both encodings, within both caps. */
static void
caps_max(void)
{
	json_t *o = example_obj(BUSINESS), *items = json_array();
	struct sk_licence *a = NULL, *b = NULL;
	struct sk_licence_err e;
	struct sk_buf c, j;
	char *k = cjk(SK_LICENCE_MAX_KEY), *v = malloc(SK_LICENCE_MAX_VALUE + 1);
	char *s;
	size_t i;

	/* Quotes: the value that JSON escaping makes longest. */
	if (v == NULL)
		abort();
	memset(v, '"', SK_LICENCE_MAX_VALUE);
	v[SK_LICENCE_MAX_VALUE] = '\0';

	for (i = 0; i < SK_LICENCE_MAX_ITEMS; i++)
		add_item(items, k, v);
	SKT_CHECK(json_object_set_new(o, "items", items) == 0);
	s = json_dumps(o, JSON_COMPACT);
	SKT_RC(sk_licence_from_json(s, strlen(s), &a, &e), 0);
	sk_buf_init(&c, SK_LICENCE_MAX_CLAIMS);
	sk_buf_init(&j, SK_LICENCE_MAX_JSON);
	if (a != NULL) {
		SKT_RC(sk_licence_encode_claims(a, &c), 0);
		SKT_RC(sk_licence_decode_claims(c.data, c.len, &b, &e), 0);
		SKT_RC(sk_licence_to_json(a, SK_LICENCE_JSON_PRETTY, &j), 0);
	}
	SKT_CHECK(b != NULL && b->nitems == SK_LICENCE_MAX_ITEMS &&
	    strcmp(b->items[23].value, v) == 0);
	/* docs/LICENCE.md: under 54 KiB of claims and 110 KiB of JSON. */
	SKT_CHECK(c.len > 48u * 1024u && c.len < 54u * 1024u);
	SKT_CHECK(j.len > 96u * 1024u && j.len < 110u * 1024u);
	sk_licence_free(b);
	b = NULL;
	SKT_RC(sk_licence_from_json((const char *)j.data, j.len, &b, &e), 0);
	sk_licence_free(a);
	sk_licence_free(b);
	sk_buf_free(&c);
	sk_buf_free(&j);
	free(s);
	free(k);
	free(v);
	json_decref(o);
}

static void
test_caps(void)
{
	json_t *o = example_obj(BUSINESS), *items, *it;
	char *s;
	size_t i;

	items = json_object_get(o, "items");
	it = json_array_get(items, 0);
	s = cjk(SK_LICENCE_MAX_VALUE + 1);
	set_str(it, "value", s);
	free(s);
	obj_err(o, SK_ERR_LIMIT, "items[0].value");
	set_str(it, "value", "x");
	s = cjk(SK_LICENCE_MAX_KEY + 1);
	set_str(it, "key", s);
	free(s);
	obj_err(o, SK_ERR_LIMIT, "items[0].key");
	set_str(it, "key", "");
	obj_err(o, SK_ERR_MISSING, "items[0].key");
	set_str(it, "key", "名称");
	for (i = json_array_size(items); i <= SK_LICENCE_MAX_ITEMS; i++)
		add_item(items, "备注", "无");
	obj_err(o, SK_ERR_LIMIT, "items");
	SKT_CHECK(json_array_clear(items) == 0);
	s = cjk(SK_LICENCE_MAX_NAME + 1);
	set_str(o, "holder_name", s);
	free(s);
	obj_err(o, SK_ERR_LIMIT, "holder_name");
	json_decref(o);

	s = cjk(SK_LICENCE_MAX_JSON + 1);
	want_err(s, SK_ERR_LIMIT, "");
	free(s);
	caps_max();
}

static int
encode_example(const char *rel, struct sk_buf *c)
{
	struct sk_licence *lic = load(rel);
	int rc;

	sk_buf_init(c, SK_LICENCE_MAX_CLAIMS);
	if (lic == NULL)
		return -1;
	rc = sk_licence_encode_claims(lic, c);
	sk_licence_free(lic);
	return rc;
}

static void
want_claims_err_at(int line, const uint8_t *p, size_t len, int code,
    const char *field)
{
	struct sk_licence *lic = NULL;
	struct sk_licence_err e;
	int rc;

	rc = sk_licence_decode_claims(p, len, &lic, &e);
	skt_checks++;
	if (rc != code || lic != NULL || strcmp(e.field, field) != 0)
		skt_fail(__FILE__, line, "want %s at \"%s\", got %s at \"%s\"",
		    sk_errname(code), field, sk_errname(rc), e.field);
	sk_licence_free(lic);
}
#define want_claims_err(p, l, c, f) want_claims_err_at(__LINE__, p, l, c, f)

/*
 * Byte surgery on the business licence claims, whose layout is
 * a7 01 72 <18> 02 72 <18> 05 1a <4> 06 1a <4> 07 ... 3a 00 01 00 00 a9 ...
 */
static void
test_claims_strict(void)
{
	struct sk_buf c;
	uint8_t *m;
	size_t n;

	if (encode_example(BUSINESS, &c) != 0 || c.len < 60) {
		skt_fail(__FILE__, __LINE__, "encode");
		sk_buf_free(&c);
		return;
	}
	SKT_EQ(c.data[0], 0xa7);
	SKT_EQ(c.data[1], 0x01);
	SKT_EQ(c.data[21], 0x02);
	SKT_EQ(c.data[41], 0x05);
	SKT_EQ(c.data[42], 0x1a);
	SKT_EQ(c.data[47], 0x06);
	if ((m = malloc(c.len + 16)) == NULL)
		abort();

	/* nbf in 8 bytes instead of 4: not the shortest form. */
	memcpy(m, c.data, 42);
	m[42] = 0x1b;
	memset(m + 43, 0, 4);
	memcpy(m + 47, c.data + 43, c.len - 43);
	want_claims_err(m, c.len + 4, SK_ERR_NONCANONICAL, "claims");

	/* sub before iss: keys out of order. */
	memcpy(m, c.data, c.len);
	memcpy(m + 1, c.data + 21, 20);
	memcpy(m + 21, c.data + 1, 20);
	want_claims_err(m, c.len, SK_ERR_NONCANONICAL, "claims");

	/* An aud claim (3) is registered but not ours: fail closed. */
	memcpy(m, c.data, 41);
	m[0] = 0xa8;
	memcpy(m + 41, "\x03\x61x", 3);
	memcpy(m + 44, c.data + 41, c.len - 41);
	want_claims_err(m, c.len + 3, SK_ERR_FORMAT, "claims");

	/* iss of another valid authority: cti no longer matches. */
	memcpy(m, c.data, c.len);
	memcpy(m + 3, "11990100000000027A", 18);
	want_claims_err(m, c.len, SK_ERR_FORMAT, "identifier");

	/* Key 11 appended to the licence map (the last item). */
	n = c.len;
	memcpy(m, c.data, n);
	for (size_t i = 0; i + 5 < n; i++) {
		if (memcmp(m + i, "\x3a\x00\x01\x00\x00", 5) == 0) {
			SKT_EQ(m[i + 5], 0xa9);
			m[i + 5] = 0xaa;
			break;
		}
	}
	memcpy(m + n, "\x0b\x00", 2);
	want_claims_err(m, n + 2, SK_ERR_FORMAT, "licence");

	want_claims_err(c.data, c.len - 1, SK_ERR_TRUNCATED, "claims");
	memcpy(m, c.data, c.len);
	m[c.len] = 0;
	want_claims_err(m, c.len + 1, SK_ERR_TRAILING, "claims");
	want_claims_err((const uint8_t *)"\xa0", 1, SK_ERR_MISSING, "iss");
	want_claims_err((const uint8_t *)"\x80", 1, SK_ERR_TYPE, "claims");
	free(m);
	sk_buf_free(&c);
}

/* Refuse to encode what does not check; leave out untouched. */
static void
test_encode_invalid(void)
{
	struct sk_licence *lic = load(RESIDENT);
	struct sk_licence_err e;
	struct sk_buf b;
	char *saved;

	if (lic == NULL)
		return;
	sk_buf_init(&b, 1024);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	saved = lic->holder_name;
	lic->holder_name = NULL;
	SKT_RC(sk_licence_check(lic, &e), SK_ERR_MISSING);
	SKT_CHECK(strcmp(e.field, "holder_name") == 0);
	SKT_RC(sk_licence_encode_claims(lic, &b), SK_ERR_MISSING);
	SKT_RC(sk_licence_to_json(lic, 0, &b), SK_ERR_MISSING);
	lic->holder_name = saved;
	lic->status_idx = SK_LICENCE_MAX_STATUS_IDX + 1;
	SKT_RC(sk_licence_encode_claims(lic, &b), SK_ERR_LIMIT);
	lic->status_idx = 0;
	/* Out too small: SK_ERR_LIMIT and nothing appended. */
	b.max = 10;
	SKT_RC(sk_licence_encode_claims(lic, &b), SK_ERR_LIMIT);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
	sk_licence_free(lic);
}

/*
 * python3-cbor2 (Debian) decodes the claims on its own and checks every
 * key and value against the JSON, and the wire order of the keys.
 */
static const char pycheck[] =
"import sys, json, datetime, cbor2\n"
"raw = open(sys.argv[1], 'rb').read()\n"
"j = json.load(open(sys.argv[2], encoding='utf-8'))\n"
"c = cbor2.loads(raw)\n"
"def days(s):\n"
"    return (datetime.date.fromisoformat(s) - datetime.date(1970, 1, 1)).days\n"
"def tag100(v):\n"
"    assert isinstance(v, cbor2.CBORTag) and v.tag == 100, v\n"
"    return v.value\n"
"keys = [1, 2] + [k for k, n in ((4, 'exp'), (5, 'nbf')) if n in j]\n"
"keys += [6, 7] + ([65535] if 'status' in j else []) + [-65537]\n"
"assert list(c) == keys, list(c)\n"
"assert c[1] == j['issuer_code'] and c[2] == j['holder_code']\n"
"assert c[6] == j['iat'] and c.get(5) == j.get('nbf')\n"
"assert c.get(4) == j.get('exp')\n"
"assert c[7] == j['identifier'].encode('ascii')\n"
"if 'status' in j:\n"
"    assert c[65535] == j['status'], c[65535]\n"
"    assert list(c[65535]['status_list']) == ['idx', 'uri']\n"
"L = c[-65537]\n"
"want = {1: j['name'], 2: j['type_code'], 3: j['number'],\n"
"        4: j['issuer_name'], 6: j['holder_name'], 7: j['holder_type']}\n"
"for k, v in want.items():\n"
"    assert L[k] == v, (k, L[k])\n"
"assert tag100(L[5]) == days(j['issue_date'])\n"
"assert tag100(L[8]) == days(j['valid_from'])\n"
"if 'valid_until' in j:\n"
"    assert tag100(L[9]) == days(j['valid_until'])\n"
"assert L[10] == [[i['key'], i['value']] for i in j['items']]\n"
"assert list(L) == sorted(L)\n"
"assert list(L) == [1, 2, 3, 4, 5, 6, 7, 8] + \\\n"
"    ([9] if 'valid_until' in j else []) + [10]\n"
"assert cbor2.dumps(c, canonical=True) == raw\n"
"print('cbor2 ok', len(raw))\n";

static void
py_one(const char *rel, const char *dir)
{
	const char *top = getenv("SK_SOURCE_DIR");
	char cbor[512], script[512], cmd[2048];
	struct sk_buf c;
	FILE *f;

	if (encode_example(rel, &c) != 0) {
		skt_fail(__FILE__, __LINE__, "encode %s", rel);
		sk_buf_free(&c);
		return;
	}
	(void)snprintf(cbor, sizeof(cbor), "%s/claims.cbor", dir);
	(void)snprintf(script, sizeof(script), "%s/check.py", dir);
	if ((f = fopen(cbor, "wb")) == NULL ||
	    fwrite(c.data, 1, c.len, f) != c.len || fclose(f) != 0)
		abort();
	if ((f = fopen(script, "w")) == NULL ||
	    fputs(pycheck, f) == EOF || fclose(f) != 0)
		abort();
	(void)snprintf(cmd, sizeof(cmd), "%s %s %s %s/%s", PYTHON, script,
	    cbor, top ? top : "..", rel);
	SKT_EQ(system(cmd), 0);
	unlink(cbor);
	unlink(script);
	sk_buf_free(&c);
}

static void
test_cbor2(void)
{
	char dir[] = "/tmp/sk_licence_XXXXXX";

	if (access(PYTHON, X_OK) != 0 ||
	    system(PYTHON " -c 'import cbor2' 2>/dev/null") != 0) {
		printf("skip test_cbor2: no %s with cbor2\n", PYTHON);
		return;
	}
	if (mkdtemp(dir) == NULL)
		abort();
	py_one(BUSINESS, dir);
	py_one(RESIDENT, dir);
	rmdir(dir);
}

/* Dates at both ends of the range, as RFC 8943 tag 100 day counts. */
static void
test_date_range(void)
{
	static const struct {
		const char *date;
		const char *hex;	/* d8 64 + the day count */
	} kat[] = {
		{ "1970-01-01", "d86400" },
		{ "1969-12-31", "d86420" },
		{ "1900-01-01", "d8643963de" },	/* -25567 */
		{ "2000-02-29", "d864192b08" },	/* 11016 */
		{ "9999-12-31", "d8641a002cc0a0" }, /* 2932896 */
	};
	struct sk_licence *lic = load(RESIDENT), *b = NULL;
	struct sk_licence_err e;
	struct sk_buf c;
	uint8_t *want;
	size_t i, wl, k;
	int found;

	if (lic == NULL)
		return;
	for (i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		free(lic->issue_date);
		lic->issue_date = strdup(kat[i].date);
		sk_buf_init(&c, SK_LICENCE_MAX_CLAIMS);
		SKT_RC(sk_licence_encode_claims(lic, &c), 0);
		want = skt_unhex(kat[i].hex, &wl);
		/* Key 5 of the licence map, then the tagged day count. */
		for (k = 0, found = 0; want != NULL && k + wl < c.len; k++)
			if (c.data[k] == 0x05 &&
			    memcmp(c.data + k + 1, want, wl) == 0)
				found = 1;
		SKT_CHECK(found);
		SKT_RC(sk_licence_decode_claims(c.data, c.len, &b, &e), 0);
		SKT_CHECK(b != NULL && strcmp(b->issue_date, kat[i].date) == 0);
		sk_licence_free(b);
		b = NULL;
		free(want);
		sk_buf_free(&c);
	}
	sk_licence_free(lic);
}

int
main(void)
{
	SKT_RUN(test_roundtrip);
	SKT_RUN(test_model);
	SKT_RUN(test_missing);
	SKT_RUN(test_check_chars);
	SKT_RUN(test_unknown_and_types);
	SKT_RUN(test_dates);
	SKT_RUN(test_caps);
	SKT_RUN(test_claims_strict);
	SKT_RUN(test_encode_invalid);
	SKT_RUN(test_cbor2);
	SKT_RUN(test_date_range);
	return skt_done();
}
