/*
 * test_config.c: the strict config parser: defaults, every key, unknown
 * keys, wrong types, duplicates, ranges, and the issuers array.
 */
#include <string.h>

#include "config.h"
#include "sktest.h"

static int
parse(struct certd_config *c, const char *json, char *err, size_t errlen)
{
	return certd_config_parse(c, json, strlen(json), err, errlen);
}

static void
test_defaults_and_full(void)
{
	struct certd_config c;
	char err[256];

	SKT_EQ(certd_config_defaults(&c), 0);
	SKT_EQ(c.threads, 4);
	SKT_CHECK(strcmp(c.listen, "127.0.0.1:8080") == 0);
	SKT_EQ(parse(&c, "{\"store\": \"/var/lib/certd\", \"listen\": "
	    "\"[::1]:8443\", \"threads\": 16, \"log\": \"syslog\", "
	    "\"log_level\": \"debug\", \"max_connections\": 100, "
	    "\"per_address\": 8, \"timeout_s\": 10, \"body_max\": 65536, "
	    "\"connection_memory\": 32768, \"map_size_mb\": 1024, "
	    "\"public_url\": \"https://certd.example\", \"issuers\": "
	    "[{\"uscc\": \"11990100000000019F\", \"key\": \"/k/a.pem\", "
	    "\"password_file\": \"/k/pw\"}]}", err, sizeof(err)), 0);
	SKT_CHECK(strcmp(c.store, "/var/lib/certd") == 0);
	SKT_CHECK(strcmp(c.listen, "[::1]:8443") == 0);
	SKT_EQ(c.threads, 16);
	SKT_CHECK(strcmp(c.log, "syslog") == 0);
	SKT_EQ(c.body_max, 65536);
	SKT_EQ(c.map_size_mb, 1024);
	SKT_EQ(c.nkeys, 1);
	SKT_CHECK(strcmp(c.keys[0].password_file, "/k/pw") == 0);
	certd_config_free(&c);
	certd_config_free(NULL);
}

static void
reject(const char *json, const char *want)
{
	struct certd_config c;
	char err[256];

	SKT_EQ(certd_config_defaults(&c), 0);
	err[0] = '\0';
	SKT_EQ(parse(&c, json, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		skt_fail(__FILE__, __LINE__, "%s: error '%s' lacks '%s'",
		    json, err, want);
	certd_config_free(&c);
}

static void
test_rejects(void)
{
	reject("{\"stor\": \"/x\"}", "unknown key \"stor\"");
	reject("{\"threads\": \"4\"}", "threads");
	reject("{\"threads\": 0}", "threads");
	reject("{\"threads\": 257}", "threads");
	reject("{\"threads\": 4.5}", "threads");
	reject("{\"threads\": 4, \"threads\": 5}", "duplicate");
	reject("{\"body_max\": 100}", "body_max");
	reject("{\"log\": \"file\"}", "log");
	reject("{\"log_level\": \"verbose\"}", "log_level");
	reject("{\"store\": 1}", "store");
	reject("{\"store\": \"a\\u0000b\"}", "u0000");
	reject("[]", "not a JSON object");
	reject("{", "line");
	reject("{} {}", "line");
	reject("{\"issuers\": [{\"uscc\": \"X\"}]}", "uscc and key");
	reject("{\"issuers\": [{\"uscc\": \"X\", \"key\": \"k\", "
	    "\"pass\": 1}]}", "unknown key");
	reject("{\"issuers\": {}}", "issuers");
}

static void
test_set(void)
{
	struct certd_config c;

	SKT_EQ(certd_config_defaults(&c), 0);
	SKT_EQ(certd_config_set(&c.listen, "127.0.0.1:0"), 0);
	SKT_CHECK(strcmp(c.listen, "127.0.0.1:0") == 0);
	certd_config_free(&c);
}

int
main(void)
{
	SKT_RUN(test_defaults_and_full);
	SKT_RUN(test_rejects);
	SKT_RUN(test_set);
	return skt_done();
}
