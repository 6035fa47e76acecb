/*
 * tsaclient.h: fetch an RFC 3161 time-stamp over HTTP (tsaclient.c).
 */
#ifndef SEALKIT_TOOL_TSACLIENT_H
#define SEALKIT_TOOL_TSACLIENT_H

#include "sealkit/common.h"

/*
 * POST the DER TimeStampReq query to url (http or https only, no
 * redirects, 30 s at most) and append the DER TimeStampResp to reply,
 * whose max caps it.  Prints why on failure.
 * @return 0, SK_ERR_IO (connection, HTTP status), SK_ERR_FORMAT (not a
 *         time-stamp reply), SK_ERR_LIMIT, SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
int	tool_tsa_fetch(const char *url, const uint8_t *query, size_t len,
	    struct sk_buf *reply);

#endif
