/*
 * test_auth.c: token shape and hashing (SHA-256 known answer computed with
 * Python's hashlib), scope names, and certd_auth_check against a store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "sktest.h"

static char dir[256];

static void
test_token_shape(void)
{
	char tok[CERTD_TOKEN_LEN + 1], tok2[CERTD_TOKEN_LEN + 1];
	uint8_t h[CERTD_HASH_LEN], h2[CERTD_HASH_LEN];
	size_t i;

	SKT_RC(certd_token_new(tok, h), 0);
	SKT_EQ(strlen(tok), CERTD_TOKEN_LEN);
	SKT_CHECK(memcmp(tok, "ck_", 3) == 0);
	for (i = 3; i < CERTD_TOKEN_LEN; i++)
		SKT_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
		    "rstuvwxyz0123456789-_", tok[i]) != NULL);
	SKT_RC(certd_token_hash(tok, strlen(tok), h2), 0);
	SKT_MEMEQ(h, sizeof(h), h2, sizeof(h2));
	SKT_RC(certd_token_new(tok2, h2), 0);
	SKT_CHECK(strcmp(tok, tok2) != 0);
}

static void
test_token_hash(void)
{
	/* python3 -c "import hashlib; print(hashlib.sha256(b'ck_' +
	 * b'A' * 43).hexdigest())" */
	static const char want[] =
	    "670704c98c73f39e873ec8683357fa5ed42db7c901e4287f6b1dabecb72d5222";
	char tok[CERTD_TOKEN_LEN + 1];
	uint8_t h[CERTD_HASH_LEN], *w;
	size_t wl;

	memset(tok, 'A', CERTD_TOKEN_LEN);
	memcpy(tok, "ck_", 3);
	tok[CERTD_TOKEN_LEN] = '\0';
	w = skt_unhex(want, &wl);
	SKT_RC(certd_token_hash(tok, CERTD_TOKEN_LEN, h), 0);
	SKT_MEMEQ(h, sizeof(h), w, wl);
	free(w);
	SKT_RC(certd_token_hash(tok, CERTD_TOKEN_LEN - 1, h), SK_ERR_FORMAT);
	tok[0] = 'x';
	SKT_RC(certd_token_hash(tok, CERTD_TOKEN_LEN, h), SK_ERR_FORMAT);
	tok[0] = 'c';
	tok[10] = '+';
	SKT_RC(certd_token_hash(tok, CERTD_TOKEN_LEN, h), SK_ERR_FORMAT);
	tok[10] = '\0';
	SKT_RC(certd_token_hash(tok, CERTD_TOKEN_LEN, h), SK_ERR_FORMAT);
}

static void
test_scopes(void)
{
	char text[CERTD_SCOPES_TEXT_MAX];

	SKT_EQ(certd_scope_parse("licences:issue"), CERTD_SCOPE_ISSUE);
	SKT_EQ(certd_scope_parse("licences:read"), CERTD_SCOPE_READ);
	SKT_EQ(certd_scope_parse("licences:status"), CERTD_SCOPE_STATUS);
	SKT_EQ(certd_scope_parse("holders:read"), CERTD_SCOPE_HOLDERS);
	SKT_EQ(certd_scope_parse("licences:qr"), CERTD_SCOPE_QR);
	SKT_EQ(certd_scope_parse("licences:*"), 0);
	SKT_EQ(certd_scope_parse("LICENCES:READ"), 0);
	certd_scopes_format(CERTD_SCOPE_ALL, text);
	SKT_CHECK(strcmp(text, "licences:issue licences:read licences:status "
	    "holders:read licences:qr") == 0);
	certd_scopes_format(CERTD_SCOPE_READ, text);
	SKT_CHECK(strcmp(text, "licences:read") == 0);
}

static void
test_check(void)
{
	struct certd_store_opts o = { 16u << 20, 1 };
	char tok[CERTD_TOKEN_LEN + 1], authz[128];
	struct certd_client c, got;
	struct certd_store *st;
	char save;

	SKT_RC(certd_store_open(dir, &o, &st), 0);
	memset(&c, 0, sizeof(c));
	SKT_RC(certd_token_new(tok, c.hash), 0);
	memcpy(c.name, "app", 4);
	c.scopes = CERTD_SCOPE_READ;
	c.created = 1;
	SKT_RC(certd_store_put_client(st, &c), 0);
	SKT_RC(certd_store_put_client(st, &c), SK_ERR_DUPLICATE);
	(void)snprintf(authz, sizeof(authz), "Bearer %s", tok);
	SKT_EQ(certd_auth_check(st, authz, CERTD_SCOPE_READ, &got),
	    CERTD_AUTH_OK);
	SKT_CHECK(strcmp(got.name, "app") == 0);
	SKT_EQ(certd_auth_check(st, authz, CERTD_SCOPE_ISSUE, &got),
	    CERTD_AUTH_SCOPE);
	SKT_EQ(certd_auth_check(st, NULL, CERTD_SCOPE_READ, &got),
	    CERTD_AUTH_MISSING);
	SKT_EQ(certd_auth_check(st, tok, CERTD_SCOPE_READ, &got),
	    CERTD_AUTH_MISSING);
	save = authz[20];
	authz[20] = save == 'A' ? 'B' : 'A';	/* well formed, unknown */
	SKT_EQ(certd_auth_check(st, authz, CERTD_SCOPE_READ, &got),
	    CERTD_AUTH_INVALID);
	authz[20] = save;
	SKT_RC(certd_store_revoke_client(st, "app", 5), 0);
	SKT_RC(certd_store_revoke_client(st, "app", 6), 0);
	SKT_RC(certd_store_revoke_client(st, "nobody", 6), SK_ERR_NOTFOUND);
	SKT_EQ(certd_auth_check(st, authz, CERTD_SCOPE_READ, &got),
	    CERTD_AUTH_INVALID);
	certd_store_close(st);
	sk_wipe(tok, sizeof(tok));
}

int
main(void)
{
	char cmd[300];

	(void)snprintf(dir, sizeof(dir), "%s/certd-auth-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	SKT_RUN(test_token_shape);
	SKT_RUN(test_token_hash);
	SKT_RUN(test_scopes);
	SKT_RUN(test_check);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return skt_done();
}
