/*
 * auth.c: bearer tokens (hashed at rest) and scopes.
 */
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "auth.h"
#include "util.h"

static const struct {
	unsigned	 bit;
	const char	*name;
} scopes[] = {
	{ CERTD_SCOPE_ISSUE, "licences:issue" },
	{ CERTD_SCOPE_READ, "licences:read" },
	{ CERTD_SCOPE_STATUS, "licences:status" },
	{ CERTD_SCOPE_HOLDERS, "holders:read" },
	{ CERTD_SCOPE_QR, "licences:qr" },
	{ CERTD_SCOPE_SEALS_ISSUE, "seals:issue" },
	{ CERTD_SCOPE_SEALS_READ, "seals:read" },
	{ CERTD_SCOPE_SEALS_STATUS, "seals:status" },
	{ CERTD_SCOPE_SEALS_SIGN, "seals:sign" },
};
#define NSCOPES	(sizeof(scopes) / sizeof(scopes[0]))

unsigned
certd_scope_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NSCOPES; i++)
		if (strcmp(name, scopes[i].name) == 0)
			return scopes[i].bit;
	return 0;
}

const char *
certd_scope_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < NSCOPES; i++)
		if (scopes[i].bit == bit)
			return scopes[i].name;
	return NULL;
}

void
certd_scopes_format(unsigned bits, char out[CERTD_SCOPES_TEXT_MAX])
{
	size_t i, off = 0, n;

	out[0] = '\0';
	for (i = 0; i < NSCOPES; i++) {
		if ((bits & scopes[i].bit) == 0)
			continue;
		n = strlen(scopes[i].name);
		if (off + n + 2 > CERTD_SCOPES_TEXT_MAX)
			break;
		if (off > 0)
			out[off++] = ' ';
		memcpy(out + off, scopes[i].name, n + 1);
		off += n;
	}
}

static int
sha256(const void *p, size_t len, uint8_t out[CERTD_HASH_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(p, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != CERTD_HASH_LEN)
		return SK_ERR_CRYPTO;
	return 0;
}

int
certd_token_new(char tok[CERTD_TOKEN_LEN + 1], uint8_t hash[CERTD_HASH_LEN])
{
	uint8_t raw[CERTD_TOKEN_RAW];
	struct sk_buf b;
	int rc;

	memset(tok, 0, CERTD_TOKEN_LEN + 1);
	if (RAND_priv_bytes(raw, sizeof(raw)) != 1)
		return SK_ERR_CRYPTO;
	sk_buf_init_secret(&b, 64);
	rc = certd_b64_encode(raw, sizeof(raw), 1, &b);
	sk_wipe(raw, sizeof(raw));
	if (rc == 0 && b.len + 3 != CERTD_TOKEN_LEN)
		rc = SK_ERR_INTERNAL;
	if (rc == 0) {
		memcpy(tok, CERTD_TOKEN_PREFIX, 3);
		memcpy(tok + 3, b.data, b.len);
		rc = sha256(tok, CERTD_TOKEN_LEN, hash);
	}
	sk_buf_free(&b);
	if (rc != 0)
		sk_wipe(tok, CERTD_TOKEN_LEN + 1);
	return rc;
}

int
certd_token_hash(const char *tok, size_t len, uint8_t hash[CERTD_HASH_LEN])
{
	size_t i;
	char c;

	memset(hash, 0, CERTD_HASH_LEN);
	if (len != CERTD_TOKEN_LEN || memcmp(tok, CERTD_TOKEN_PREFIX, 3) != 0)
		return SK_ERR_FORMAT;
	for (i = 3; i < len; i++) {
		c = tok[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return SK_ERR_FORMAT;
	}
	return sha256(tok, len, hash);
}

int
certd_auth_check(struct certd_store *st, const char *authz, unsigned need,
    struct certd_client *client)
{
	uint8_t hash[CERTD_HASH_LEN];
	const char *tok;
	size_t len;
	int rc;

	memset(client, 0, sizeof(*client));
	if (authz == NULL || strlen(authz) > CERTD_AUTHZ_MAX ||
	    strncasecmp(authz, "Bearer ", 7) != 0)
		return CERTD_AUTH_MISSING;
	for (tok = authz + 7; *tok == ' '; tok++)
		;
	len = strlen(tok);
	while (len > 0 && tok[len - 1] == ' ')
		len--;
	if (certd_token_hash(tok, len, hash) != 0)
		return CERTD_AUTH_MISSING;
	rc = certd_store_get_client(st, hash, client);
	sk_wipe(hash, sizeof(hash));
	if (rc == SK_ERR_NOTFOUND)
		return CERTD_AUTH_INVALID;
	if (rc != 0)
		return CERTD_AUTH_ERROR;
	if (client->revoked != 0)
		return CERTD_AUTH_INVALID;
	return (client->scopes & need) == need ? CERTD_AUTH_OK :
	    CERTD_AUTH_SCOPE;
}
