/*
 * The licence as JSON (api/licence.schema.json), through jansson.
 * Parsing is strict: duplicate keys, unknown keys, wrong types and missing
 * fields are errors that name the field.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sealkit/licence.h"
#include "licence_int.h"

/* The text fields, in output order; dates are text here. */
struct text_field {
	const char	*key;
	size_t		 off;		/* offset of the char * in the struct */
	size_t		 max;
	int		 optional;
};

#define TF(k, m, o) { #k, offsetof(struct sk_licence, k), m, o }
static const struct text_field text_fields[] = {
	TF(name, SK_LICENCE_MAX_NAME, 0),
	TF(type_code, SK_LICENCE_MAX_NUMBER, 0),
	TF(number, SK_LICENCE_MAX_NUMBER, 0),
	TF(identifier, SK_LICENCE_MAX_IDENT, 0),
	TF(issuer_name, SK_LICENCE_MAX_NAME, 0),
	TF(issuer_code, SK_LICENCE_MAX_NUMBER, 0),
	TF(issue_date, LICENCE_DATE_LEN, 0),
	TF(holder_name, SK_LICENCE_MAX_NAME, 0),
	TF(holder_code, SK_LICENCE_MAX_NUMBER, 0),
	TF(holder_type, SK_LICENCE_MAX_NUMBER, 0),
	TF(valid_from, LICENCE_DATE_LEN, 0),
	TF(valid_until, LICENCE_DATE_LEN, 1),
};
#undef TF
#define NTEXT	(sizeof(text_fields) / sizeof(text_fields[0]))

static char **
text_slot(struct sk_licence *lic, const struct text_field *tf)
{
	return (char **)(void *)((unsigned char *)lic + tf->off);
}

static const char *
text_get(const struct sk_licence *lic, const struct text_field *tf)
{
	const char *const *p;

	p = (const char *const *)(const void *)
	    ((const unsigned char *)lic + tf->off);
	return *p;
}

/* A JSON string as a new C string of at most max bytes. */
static int
json_text(const json_t *v, size_t max, char **out, const char *field,
    struct sk_licence_err *err)
{
	size_t len;

	if (!json_is_string(v))
		return licence_err(err, SK_ERR_TYPE, field, "not a string");
	len = json_string_length(v);
	if (len > max)
		return licence_err(err, SK_ERR_LIMIT, field, "too long");
	if ((*out = licence_strndup(json_string_value(v), len)) == NULL)
		return licence_err(err, SK_ERR_NOMEM, field, NULL);
	return 0;
}

/* An object must hold exactly the keys in names (NULL-terminated). */
static int
only_keys(const json_t *obj, const char *const *names, const char *field,
    struct sk_licence_err *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return licence_err(err, SK_ERR_FORMAT, field,
			    "unknown key");
	}
	for (i = 0; names[i] != NULL; i++)
		if (json_object_get(obj, names[i]) == NULL)
			return licence_err(err, SK_ERR_MISSING, field,
			    "a required key is missing");
	return 0;
}

static int
json_items(const json_t *arr, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	static const char *const names[] = { "key", "value", NULL };
	const json_t *it;
	size_t i, n;
	int rc;

	if (!json_is_array(arr))
		return licence_err(err, SK_ERR_TYPE, "items", "not an array");
	if ((n = json_array_size(arr)) > SK_LICENCE_MAX_ITEMS)
		return licence_err(err, SK_ERR_LIMIT, "items", "too many");
	if (n == 0)
		return 0;
	if ((lic->items = calloc(n, sizeof(*lic->items))) == NULL)
		return licence_err(err, SK_ERR_NOMEM, "items", NULL);
	for (i = 0; i < n; i++) {
		lic->nitems = i + 1;
		it = json_array_get(arr, i);
		if (!json_is_object(it))
			return licence_err_idx(err, SK_ERR_TYPE, "items", i, "",
			    "not an object");
		if ((rc = only_keys(it, names, "", err)) != 0)
			return licence_err_idx(err, rc, "items", i, "",
			    err != NULL ? err->reason : NULL);
		if ((rc = json_text(json_object_get(it, "key"),
		    SK_LICENCE_MAX_KEY, &lic->items[i].key, "", err)) != 0)
			return licence_err_idx(err, rc, "items", i, ".key",
			    err != NULL ? err->reason : NULL);
		if ((rc = json_text(json_object_get(it, "value"),
		    SK_LICENCE_MAX_VALUE, &lic->items[i].value, "", err)) != 0)
			return licence_err_idx(err, rc, "items", i, ".value",
			    err != NULL ? err->reason : NULL);
	}
	return 0;
}

static int
json_time(const json_t *v, int64_t *out, const char *field,
    struct sk_licence_err *err)
{
	json_int_t t;

	if (!json_is_integer(v))
		return licence_err(err, SK_ERR_TYPE, field,
		    "not an integer");
	t = json_integer_value(v);
	if (t < 0 || t > SK_LICENCE_MAX_TIME)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "NumericDate out of range");
	*out = (int64_t)t;
	return 0;
}

/* draft-ietf-oauth-status-list JWT form: {"status_list":{"idx","uri"}}. */
static int
json_status(const json_t *v, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	static const char *const outer[] = { "status_list", NULL };
	static const char *const inner[] = { "idx", "uri", NULL };
	const json_t *sl, *idx;
	int rc;

	if (!json_is_object(v))
		return licence_err(err, SK_ERR_TYPE, "status",
		    "not an object");
	if ((rc = only_keys(v, outer, "status", err)) != 0)
		return rc;
	sl = json_object_get(v, "status_list");
	if (!json_is_object(sl))
		return licence_err(err, SK_ERR_TYPE, "status.status_list",
		    "not an object");
	if ((rc = only_keys(sl, inner, "status.status_list", err)) != 0)
		return rc;
	idx = json_object_get(sl, "idx");
	if (!json_is_integer(idx))
		return licence_err(err, SK_ERR_TYPE, "status.status_list.idx",
		    "not an integer");
	if (json_integer_value(idx) < 0 ||
	    (uint64_t)json_integer_value(idx) > SK_LICENCE_MAX_STATUS_IDX)
		return licence_err(err, SK_ERR_LIMIT, "status.status_list.idx",
		    "out of range");
	lic->has_status = 1;
	lic->status_idx = (uint64_t)json_integer_value(idx);
	return json_text(json_object_get(sl, "uri"), SK_LICENCE_MAX_URI,
	    &lic->status_uri, "status.status_list.uri", err);
}

static int
json_member(const char *key, const json_t *v, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	size_t i;

	for (i = 0; i < NTEXT; i++)
		if (strcmp(key, text_fields[i].key) == 0)
			return json_text(v, text_fields[i].max,
			    text_slot(lic, &text_fields[i]), key, err);
	if (strcmp(key, "items") == 0)
		return json_items(v, lic, err);
	if (strcmp(key, "iat") == 0)
		return json_time(v, &lic->iat, "iat", err);
	if (strcmp(key, "nbf") == 0) {
		lic->has_nbf = 1;
		return json_time(v, &lic->nbf, "nbf", err);
	}
	if (strcmp(key, "exp") == 0) {
		lic->has_exp = 1;
		return json_time(v, &lic->exp, "exp", err);
	}
	if (strcmp(key, "status") == 0)
		return json_status(v, lic, err);
	return licence_err(err, SK_ERR_FORMAT, key, "unknown key");
}

/* jansson's message for a duplicate key ends in near '"KEY"'. */
static int
json_load_error(const json_error_t *je, struct sk_licence_err *err)
{
	const char *p, *q;
	char f[SK_LICENCE_ERR_FIELD];
	size_t n;

	if (json_error_code(je) != json_error_duplicate_key)
		return licence_err(err, SK_ERR_FORMAT, "", "not valid JSON");
	f[0] = '\0';
	if ((p = strstr(je->text, "'\"")) != NULL &&
	    (q = strrchr(p + 2, '"')) != NULL) {
		n = (size_t)(q - (p + 2));
		if (n >= sizeof(f))
			n = sizeof(f) - 1;
		memcpy(f, p + 2, n);
		f[n] = '\0';
	}
	return licence_err(err, SK_ERR_DUPLICATE, f, "duplicate key");
}

static int
from_object(const json_t *root, struct sk_licence *lic,
    struct sk_licence_err *err)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(root))
		return licence_err(err, SK_ERR_TYPE, "", "not a JSON object");
	json_object_foreach((json_t *)(uintptr_t)root, key, v) {
		if ((rc = json_member(key, v, lic, err)) != 0)
			return rc;
	}
	/* iat has no NULL to be checked by sk_licence_check(). */
	if (json_object_get(root, "iat") == NULL)
		return licence_err(err, SK_ERR_MISSING, "iat", "required");
	return sk_licence_check(lic, err);
}

int
sk_licence_from_json(const char *json, size_t len, struct sk_licence **out,
    struct sk_licence_err *err)
{
	struct sk_licence *lic;
	json_error_t je;
	json_t *root;
	int rc;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (out == NULL)
		return licence_err(err, SK_ERR_ARG, "", "NULL out");
	*out = NULL;
	if (json == NULL)
		return licence_err(err, SK_ERR_ARG, "", "NULL input");
	if (len > SK_LICENCE_MAX_JSON)
		return licence_err(err, SK_ERR_LIMIT, "", "JSON too long");
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return json_load_error(&je, err);
	if ((lic = licence_new()) == NULL) {
		json_decref(root);
		return licence_err(err, SK_ERR_NOMEM, "", NULL);
	}
	rc = from_object(root, lic, err);
	json_decref(root);
	if (rc != 0) {
		sk_licence_free(lic);
		return rc;
	}
	*out = lic;
	return 0;
}

/* Writing. */

/* Steal v into obj under key; jansson frees v even on failure. */
static int
put(json_t *obj, const char *key, json_t *v)
{
	return json_object_set_new(obj, key, v) == 0 ? 0 : SK_ERR_NOMEM;
}

static int
put_items(json_t *obj, const struct sk_licence *lic)
{
	json_t *arr, *it;
	size_t i;

	if ((arr = json_array()) == NULL)
		return SK_ERR_NOMEM;
	for (i = 0; i < lic->nitems; i++) {
		if ((it = json_object()) == NULL ||
		    put(it, "key", json_string(lic->items[i].key)) != 0 ||
		    put(it, "value", json_string(lic->items[i].value)) != 0 ||
		    json_array_append_new(arr, it) != 0) {
			json_decref(arr);
			return SK_ERR_NOMEM;
		}
	}
	return put(obj, "items", arr);
}

static int
put_status(json_t *obj, const struct sk_licence *lic)
{
	json_t *st, *sl;

	if ((st = json_object()) == NULL)
		return SK_ERR_NOMEM;
	if ((sl = json_object()) == NULL ||
	    put(st, "status_list", sl) != 0 ||
	    put(sl, "idx", json_integer((json_int_t)lic->status_idx)) != 0 ||
	    put(sl, "uri", json_string(lic->status_uri)) != 0) {
		json_decref(st);
		return SK_ERR_NOMEM;
	}
	return put(obj, "status", st);
}

static int
to_object(const struct sk_licence *lic, json_t *obj)
{
	const char *s;
	size_t i;

	for (i = 0; i < NTEXT; i++) {
		if ((s = text_get(lic, &text_fields[i])) == NULL)
			continue;
		if (put(obj, text_fields[i].key, json_string(s)) != 0)
			return SK_ERR_NOMEM;
	}
	if (lic->nitems > 0 && put_items(obj, lic) != 0)
		return SK_ERR_NOMEM;
	if (put(obj, "iat", json_integer(lic->iat)) != 0 ||
	    (lic->has_nbf && put(obj, "nbf", json_integer(lic->nbf)) != 0) ||
	    (lic->has_exp && put(obj, "exp", json_integer(lic->exp)) != 0))
		return SK_ERR_NOMEM;
	if (lic->has_status && put_status(obj, lic) != 0)
		return SK_ERR_NOMEM;
	return 0;
}

int
sk_licence_to_json(const struct sk_licence *lic, unsigned flags,
    struct sk_buf *out)
{
	json_t *obj;
	char *text;
	size_t jflags;
	int rc;

	if (lic == NULL || out == NULL)
		return SK_ERR_ARG;
	if ((rc = sk_licence_check(lic, NULL)) != 0)
		return rc;
	if ((obj = json_object()) == NULL)
		return SK_ERR_NOMEM;
	if ((rc = to_object(lic, obj)) != 0) {
		json_decref(obj);
		return rc;
	}
	jflags = JSON_PRESERVE_ORDER | ((flags & SK_LICENCE_JSON_PRETTY) ?
	    JSON_INDENT(2) : JSON_COMPACT);
	text = json_dumps(obj, jflags);
	json_decref(obj);
	if (text == NULL)
		return SK_ERR_NOMEM;
	rc = sk_buf_append(out, text, strlen(text));
	free(text);
	return rc;
}
