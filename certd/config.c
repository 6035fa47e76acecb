/*
 * config.c: the strict JSON configuration (jansson).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "log.h"
#include "ratelimit.h"
#include "util.h"

int
certd_config_set(char **field, const char *value)
{
	char *s;

	if ((s = strdup(value)) == NULL)
		return -1;
	free(*field);
	*field = s;
	return 0;
}

int
certd_config_defaults(struct certd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->threads = 4;
	c->max_connections = 1024;
	c->per_address = 64;
	c->timeout_s = 30;
	c->body_max = 256u * 1024u;
	c->conn_memory = 64u * 1024u;
	c->map_size_mb = 4096;
	c->status_ttl_s = 3600;
	c->status_valid_s = 86400;
	c->status_resign_s = 60;
	c->presentation_ttl_s = 300;
	c->sandbox = 1;
	c->rate_address_per_min = 60000;
	c->rate_address_burst = 2000;
	c->rate_client_per_min = 60000;
	c->rate_client_burst = 2000;
	if (certd_config_set(&c->listen, "127.0.0.1:8080") != 0 ||
	    certd_config_set(&c->log, "stderr") != 0 ||
	    certd_config_set(&c->log_level, "info") != 0 ||
	    certd_config_set(&c->public_url, "") != 0) {
		certd_config_free(c);
		return -1;
	}
	return 0;
}

static void
cfg_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cfg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
get_str(json_t *v, const char *key, char **field, char *err, size_t errlen)
{
	const char *s;
	size_t len;

	if (!json_is_string(v)) {
		cfg_err(err, errlen, "%s: not a string", key);
		return -1;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > CERTD_CONFIG_STR_MAX || strlen(s) != len ||
	    !certd_text_ok(s, len)) {
		cfg_err(err, errlen, "%s: too long or not plain text", key);
		return -1;
	}
	if (certd_config_set(field, s) != 0) {
		cfg_err(err, errlen, "%s: out of memory", key);
		return -1;
	}
	return 0;
}

static int
get_uint(json_t *v, const char *key, unsigned long long lo,
    unsigned long long hi, unsigned long long *out, char *err, size_t errlen)
{
	json_int_t n;

	if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
	    (unsigned long long)n < lo || (unsigned long long)n > hi) {
		cfg_err(err, errlen, "%s: want an integer from %llu to %llu",
		    key, lo, hi);
		return -1;
	}
	*out = (unsigned long long)n;
	return 0;
}

static int
parse_key(struct certd_issuer_key *k, json_t *o, size_t i, char *err,
    size_t errlen)
{
	const char *name;
	json_t *v;
	char path[48];

	if (!json_is_object(o)) {
		cfg_err(err, errlen, "issuers[%zu]: not an object", i);
		return -1;
	}
	json_object_foreach(o, name, v) {
		(void)snprintf(path, sizeof(path), "issuers[%zu].%.16s", i,
		    name);
		if (strcmp(name, "uscc") == 0) {
			if (get_str(v, path, &k->uscc, err, errlen) != 0)
				return -1;
		} else if (strcmp(name, "key") == 0) {
			if (get_str(v, path, &k->key, err, errlen) != 0)
				return -1;
		} else if (strcmp(name, "password_file") == 0) {
			if (get_str(v, path, &k->password_file, err,
			    errlen) != 0)
				return -1;
		} else {
			cfg_err(err, errlen, "issuers[%zu]: unknown key", i);
			return -1;
		}
	}
	if (k->uscc == NULL || k->key == NULL) {
		cfg_err(err, errlen, "issuers[%zu]: uscc and key are required",
		    i);
		return -1;
	}
	return 0;
}

static void
free_keys(struct certd_issuer_key *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(keys[i].uscc);
		free(keys[i].key);
		free(keys[i].password_file);
	}
	free(keys);
}

static int
parse_issuers(struct certd_config *c, json_t *arr, char *err, size_t errlen)
{
	struct certd_issuer_key *keys;
	size_t i, n;

	if (!json_is_array(arr) || (n = json_array_size(arr)) >
	    CERTD_MAX_ISSUERS) {
		cfg_err(err, errlen, "issuers: want an array of at most %u",
		    CERTD_MAX_ISSUERS);
		return -1;
	}
	if ((keys = calloc(n == 0 ? 1 : n, sizeof(*keys))) == NULL) {
		cfg_err(err, errlen, "issuers: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (parse_key(&keys[i], json_array_get(arr, i), i, err,
		    errlen) != 0) {
			free_keys(keys, n);
			return -1;
		}
	}
	free_keys(c->keys, c->nkeys);
	c->keys = keys;
	c->nkeys = n;
	return 0;
}

/* Rate limits (ratelimit.h); a rate of 0 turns a class off. */
static int
parse_num3(struct certd_config *c, const char *name, json_t *v, char *err,
    size_t errlen)
{
	unsigned long long n;
	unsigned *f;

	if (strcmp(name, "rate_address_per_min") == 0)
		f = &c->rate_address_per_min;
	else if (strcmp(name, "rate_client_per_min") == 0)
		f = &c->rate_client_per_min;
	else if (strcmp(name, "rate_address_burst") == 0)
		f = &c->rate_address_burst;
	else if (strcmp(name, "rate_client_burst") == 0)
		f = &c->rate_client_burst;
	else
		return 1;
	if (f == &c->rate_address_burst || f == &c->rate_client_burst) {
		if (get_uint(v, name, 1, CERTD_RL_BURST_MAX, &n, err, errlen))
			return -1;
	} else if (get_uint(v, name, 0, CERTD_RL_RATE_MAX, &n, err, errlen))
		return -1;
	*f = (unsigned)n;
	return 0;
}

/* Status lists and presentations (statuslists.h, presentations.h). */
static int
parse_num2(struct certd_config *c, const char *name, json_t *v, char *err,
    size_t errlen)
{
	unsigned long long n;
	unsigned *f;

	if (strcmp(name, "status_ttl_s") == 0)
		f = &c->status_ttl_s;
	else if (strcmp(name, "status_valid_s") == 0)
		f = &c->status_valid_s;
	else if (strcmp(name, "status_resign_s") == 0)
		f = &c->status_resign_s;
	else if (strcmp(name, "presentation_ttl_s") == 0) {
		if (get_uint(v, name, 30, 3600, &n, err, errlen))
			return -1;
		c->presentation_ttl_s = (unsigned)n;
		return 0;
	} else
		return parse_num3(c, name, v, err, errlen);
	if (get_uint(v, name, 1, 30u * 86400u, &n, err, errlen))
		return -1;
	*f = (unsigned)n;
	return 0;
}

static int
parse_num(struct certd_config *c, const char *name, json_t *v, char *err,
    size_t errlen)
{
	unsigned long long n;

	if (strcmp(name, "threads") == 0) {
		if (get_uint(v, name, 1, CERTD_THREADS_MAX, &n, err, errlen))
			return -1;
		c->threads = (unsigned)n;
	} else if (strcmp(name, "max_connections") == 0) {
		if (get_uint(v, name, 1, CERTD_CONN_MAX, &n, err, errlen))
			return -1;
		c->max_connections = (unsigned)n;
	} else if (strcmp(name, "per_address") == 0) {
		if (get_uint(v, name, 1, CERTD_CONN_MAX, &n, err, errlen))
			return -1;
		c->per_address = (unsigned)n;
	} else if (strcmp(name, "timeout_s") == 0) {
		if (get_uint(v, name, 1, CERTD_TIMEOUT_MAX, &n, err, errlen))
			return -1;
		c->timeout_s = (unsigned)n;
	} else if (strcmp(name, "body_max") == 0) {
		if (get_uint(v, name, CERTD_BODY_MIN, CERTD_BODY_MAX, &n, err,
		    errlen))
			return -1;
		c->body_max = (size_t)n;
	} else if (strcmp(name, "connection_memory") == 0) {
		if (get_uint(v, name, CERTD_CONNMEM_MIN, CERTD_CONNMEM_MAX, &n,
		    err, errlen))
			return -1;
		c->conn_memory = (size_t)n;
	} else if (strcmp(name, "map_size_mb") == 0) {
		if (get_uint(v, name, CERTD_MAPSIZE_MIN_MB,
		    CERTD_MAPSIZE_MAX_MB, &n, err, errlen))
			return -1;
		c->map_size_mb = (size_t)n;
	} else
		return parse_num2(c, name, v, err, errlen);
	return 0;
}

static int
parse_member(struct certd_config *c, const char *name, json_t *v, char *err,
    size_t errlen)
{
	int rc;

	if ((rc = parse_num(c, name, v, err, errlen)) <= 0)
		return rc;
	if (strcmp(name, "store") == 0)
		return get_str(v, name, &c->store, err, errlen);
	if (strcmp(name, "listen") == 0)
		return get_str(v, name, &c->listen, err, errlen);
	if (strcmp(name, "public_url") == 0)
		return get_str(v, name, &c->public_url, err, errlen);
	if (strcmp(name, "presentation_key") == 0)
		return get_str(v, name, &c->presentation_key, err, errlen);
	if (strcmp(name, "presentation_cert") == 0)
		return get_str(v, name, &c->presentation_cert, err, errlen);
	if (strcmp(name, "presentation_password_file") == 0)
		return get_str(v, name, &c->presentation_password_file, err,
		    errlen);
	if (strcmp(name, "log") == 0) {
		if (!json_is_string(v) || (strcmp(json_string_value(v),
		    "stderr") != 0 && strcmp(json_string_value(v),
		    "syslog") != 0)) {
			cfg_err(err, errlen, "log: want \"stderr\" or "
			    "\"syslog\"");
			return -1;
		}
		return get_str(v, name, &c->log, err, errlen);
	}
	if (strcmp(name, "log_level") == 0) {
		if (!json_is_string(v) ||
		    certd_log_level_parse(json_string_value(v)) < 0) {
			cfg_err(err, errlen, "log_level: want err, warn, info "
			    "or debug");
			return -1;
		}
		return get_str(v, name, &c->log_level, err, errlen);
	}
	if (strcmp(name, "issuers") == 0)
		return parse_issuers(c, v, err, errlen);
	if (strcmp(name, "user") == 0)
		return get_str(v, name, &c->user, err, errlen);
	if (strcmp(name, "sandbox") == 0) {
		if (!json_is_boolean(v)) {
			cfg_err(err, errlen, "sandbox: want true or false");
			return -1;
		}
		c->sandbox = json_is_true(v);
		return 0;
	}
	cfg_err(err, errlen, "unknown key \"%.64s\"", name);
	return -1;
}

int
certd_config_parse(struct certd_config *c, const char *json, size_t len,
    char *err, size_t errlen)
{
	json_error_t je;
	const char *name;
	json_t *root, *v;
	int rc = 0;

	if (len > CERTD_CONFIG_MAX) {
		cfg_err(err, errlen, "config longer than %u bytes",
		    CERTD_CONFIG_MAX);
		return -1;
	}
	root = json_loadb(len == 0 ? "" : json, len, JSON_REJECT_DUPLICATES,
	    &je);
	if (root == NULL) {
		cfg_err(err, errlen, "line %d: %s", je.line, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		cfg_err(err, errlen, "config is not a JSON object");
		json_decref(root);
		return -1;
	}
	json_object_foreach(root, name, v) {
		if ((rc = parse_member(c, name, v, err, errlen)) != 0)
			break;
	}
	json_decref(root);
	return rc == 0 ? 0 : -1;
}

int
certd_config_load(struct certd_config *c, const char *path, char *err,
    size_t errlen)
{
	struct sk_buf b;
	int rc;

	if ((rc = certd_read_file(path, CERTD_CONFIG_MAX, 0, &b)) != 0) {
		cfg_err(err, errlen, "%s: %s", path, sk_strerror(rc));
		return -1;
	}
	rc = certd_config_parse(c, (const char *)b.data, b.len, err, errlen);
	sk_buf_free(&b);
	return rc;
}

void
certd_config_free(struct certd_config *c)
{
	if (c == NULL)
		return;
	free(c->store);
	free(c->listen);
	free(c->log);
	free(c->log_level);
	free(c->public_url);
	free(c->presentation_key);
	free(c->presentation_cert);
	free(c->presentation_password_file);
	free(c->user);
	free_keys(c->keys, c->nkeys);
	memset(c, 0, sizeof(*c));
}
