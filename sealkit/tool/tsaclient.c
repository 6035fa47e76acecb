/*
 * tsaclient.c: the one network client of the sealkit tool, for
 * `seal sign --tsa URL`: POST an RFC 3161 TimeStampReq over HTTP(S) as
 * RFC 3161 section 3.4 describes (application/timestamp-query, reply
 * application/timestamp-reply) with libcurl.  Only http and https, no
 * redirects, bounded time and a capped reply.
 */
#include <limits.h>
#include <string.h>

#include <curl/curl.h>

#include "sealkit/seal.h"

#include "tool.h"
#include "tsaclient.h"

#define TSA_CONNECT_TIMEOUT	10L	/* seconds */
#define TSA_TOTAL_TIMEOUT	30L	/* seconds */

/* libcurl write callback: append to the capped buffer or stop. */
static size_t
tsa_write(char *p, size_t size, size_t n, void *arg)
{
	struct sk_buf *b = arg;
	size_t len;

	if (__builtin_mul_overflow(size, n, &len) ||
	    sk_buf_append(b, p, len) != 0)
		return 0;	/* makes curl fail with CURLE_WRITE_ERROR */
	return len;
}

static int
tsa_check_reply(CURL *c, const char *url)
{
	const char *ctype = NULL;
	long code = 0;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
	if (code != 200) {
		tool_warnx("%s: HTTP status %ld", url, code);
		return SK_ERR_IO;
	}
	if (ctype == NULL ||
	    strncmp(ctype, "application/timestamp-reply", 27) != 0) {
		tool_warnx("%s: not a time-stamp reply (Content-Type %s)",
		    url, ctype == NULL ? "missing" : ctype);
		return SK_ERR_FORMAT;
	}
	return 0;
}

int
tool_tsa_fetch(const char *url, const uint8_t *query, size_t len,
    struct sk_buf *reply)
{
	struct curl_slist *h = NULL;
	CURL *c;
	CURLcode cc;
	int rc;

	if (len > (size_t)LONG_MAX)
		return SK_ERR_LIMIT;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return SK_ERR_INTERNAL;
	if ((c = curl_easy_init()) == NULL ||
	    (h = curl_slist_append(NULL,
	    "Content-Type: application/timestamp-query")) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, TSA_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, TSA_TOTAL_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)query);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tsa_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		tool_warnx("%s: %s", url, cc == CURLE_WRITE_ERROR ?
		    "reply larger than SK_SEAL_MAX_TST" :
		    curl_easy_strerror(cc));
		rc = cc == CURLE_WRITE_ERROR ? SK_ERR_LIMIT : SK_ERR_IO;
		goto out;
	}
	rc = tsa_check_reply(c, url);
out:
	curl_slist_free_all(h);
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}
