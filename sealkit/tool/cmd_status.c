/*
 * sealkit status new | set | sign | show: Token Status Lists in CWT form
 * (draft-ietf-oauth-status-list; docs/STATUSLIST.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/statuslist.h"
#include "sealkit/verify.h"

#include "timeopt.h"
#include "tool.h"

enum {
	OPT_URI = 256,
	OPT_ENTRIES,
	OPT_BITS,
	OPT_OUT,
	OPT_LIST,
	OPT_IDX,
	OPT_STATUS,
	OPT_KEY,
	OPT_CERT,
	OPT_ALG,
	OPT_TTL,
	OPT_EXP,
	OPT_IAT,
	OPT_IN,
	OPT_AT,
	OPT_JSON,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV
};

static const char new_usage[] =
    "usage: sealkit status new --uri URI --entries N [--bits B]\n"
    "           --out LIST [--force]\n"
    "\n"
    "Create an unsigned working status list with every entry valid.\n"
    "\n"
    "  --uri URI            the list's URI (the token's sub; licences\n"
    "                       refer to it in status.status_list.uri)\n"
    "  --entries N          entries, at least 131072 (herd privacy), at\n"
    "                       most 16777216; rounded up to a whole byte\n"
    "  --bits B             bits per entry: 1, 2, 4 or 8 (default 2)\n"
    "  --out LIST           working file, - for stdout\n"
    "  --force              replace an existing file\n";

static const char set_usage[] =
    "usage: sealkit status set --list LIST --idx I --status S\n"
    "\n"
    "Set entry I of a working status list, in place.\n"
    "\n"
    "  --list LIST          working file (rewritten atomically)\n"
    "  --idx I              entry index, from 0\n"
    "  --status S           valid, invalid (revoked), suspended, or a\n"
    "                       number that fits the list's bits\n";

static const char sign_usage[] =
    "usage: sealkit status sign --list LIST --key KEY --cert CERT\n"
    "           [--uri URI] (--ttl S | --exp T) [--ttl S] [--exp T]\n"
    "           [--iat T] [--alg A] [--password-file FILE |\n"
    "           --password-env VAR] --out TOKEN [--force]\n"
    "\n"
    "Sign a working list as a Status List Token (untagged COSE_Sign1,\n"
    "typ application/statuslist+cwt, kid of CERT).\n"
    "\n"
    "  --list LIST          working file from 'status new'\n"
    "  --key KEY            the issuer's private key\n"
    "  --cert CERT          its certificate (sets kid; must match KEY)\n"
    "  --uri URI            must equal the list's URI, as a check\n"
    "  --ttl S              seconds a verifier may use the token after iat\n"
    "  --exp T              expiry: RFC 3339 or @epoch\n"
    "  --iat T              issued at (default: now)\n"
    "  --alg A              es256, eddsa or sm2 (default: the key's)\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --out TOKEN          token file, - for stdout\n"
    "  --force              replace an existing file\n";

static const char show_usage[] =
    "usage: sealkit status show --in TOKEN [--cert CERT] [--at T]\n"
    "           [--idx I] [--json]\n"
    "\n"
    "Print a Status List Token: URI, times, bits, entries and counts per\n"
    "status, and entry I.  Without --cert nothing is verified and the\n"
    "output says NOT VERIFIED.  With --cert the signature and the\n"
    "freshness at --at (default: now) are checked: exit 1 when the\n"
    "signature fails, the list is stale or I is out of range.\n"
    "\n"
    "  --in TOKEN           token file, - for stdin\n"
    "  --cert CERT          the issuer's certificate\n"
    "  --at T               time of use: RFC 3339 or @epoch\n"
    "  --idx I              also print entry I\n"
    "  --json               one JSON object instead of text\n";

/* Parse an unsigned decimal up to max; what names the option. */
static int
parse_u64(const char *s, uint64_t max, const char *what, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9') {
		tool_warnx("%s %s: not a number", what, s);
		return TOOL_EXIT_USAGE;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > max) {
		tool_warnx("%s %s: not a number up to %llu", what, s,
		    (unsigned long long)max);
		return TOOL_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static const char *
status_name(unsigned st)
{
	switch (st) {
	case SK_STATUS_VALID:
		return "valid";
	case SK_STATUS_INVALID:
		return "invalid";
	case SK_STATUS_SUSPENDED:
		return "suspended";
	default:
		return NULL;
	}
}

static int
parse_status(const char *s, unsigned *st)
{
	uint64_t v;

	if (strcmp(s, "valid") == 0)
		*st = SK_STATUS_VALID;
	else if (strcmp(s, "invalid") == 0 || strcmp(s, "revoked") == 0)
		*st = SK_STATUS_INVALID;
	else if (strcmp(s, "suspended") == 0)
		*st = SK_STATUS_SUSPENDED;
	else if (parse_u64(s, 255, "--status", &v) != 0)
		return TOOL_EXIT_USAGE;
	else
		*st = (unsigned)v;
	return 0;
}

/* Load a working file; prints its own message. */
static int
load_list(const char *path, struct sk_statuslist **l)
{
	struct sk_buf in;
	int rc;

	rc = tool_read(path, SK_STATUSLIST_MAX_FILE, "SK_STATUSLIST_MAX_FILE",
	    0, &in);
	if (rc != 0)
		return rc;
	if ((rc = sk_statuslist_load(tool_bytes(&in), in.len, l)) != 0)
		tool_warn_err(rc, "%s: not a status list working file", path);
	sk_buf_free(&in);
	return rc;
}

static int
save_list(const char *path, const struct sk_statuslist *l, unsigned wflags)
{
	struct sk_buf out;
	int rc;

	sk_buf_init(&out, SK_STATUSLIST_MAX_FILE);
	if ((rc = sk_statuslist_save(l, &out)) != 0)
		tool_warn_err(rc, "encoding the list");
	else
		rc = tool_write(path, out.data, out.len, wflags);
	sk_buf_free(&out);
	return rc;
}

/* new */

struct new_args {
	const char	*uri;
	const char	*out;
	uint64_t	 entries;
	uint64_t	 bits;
	int		 has_entries;
	unsigned	 wflags;
};

static int
new_opt(void *p, int c)
{
	struct new_args *a = p;

	switch (c) {
	case OPT_URI:
		a->uri = optarg;
		return 0;
	case OPT_ENTRIES:
		a->has_entries = 1;
		return parse_u64(optarg, SK_STATUSLIST_MAX_ENTRIES,
		    "--entries", &a->entries);
	case OPT_BITS:
		return parse_u64(optarg, 8, "--bits", &a->bits);
	case OPT_OUT:
		a->out = optarg;
		return 0;
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		return 0;
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
status_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uri", required_argument, NULL, OPT_URI },
		{ "entries", required_argument, NULL, OPT_ENTRIES },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct new_args a = { .bits = SK_STATUSLIST_BITS };
	struct sk_statuslist *l;
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, new_opt, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if (a.uri == NULL)
		return tool_missing("--uri");
	if (!a.has_entries)
		return tool_missing("--entries");
	if (a.out == NULL)
		return tool_missing("--out");
	if (a.entries < SK_STATUSLIST_MIN_ENTRIES) {
		tool_warnx("--entries %llu: fewer than %u (herd privacy)",
		    (unsigned long long)a.entries, SK_STATUSLIST_MIN_ENTRIES);
		return TOOL_EXIT_USAGE;
	}
	rc = sk_statuslist_new((unsigned)a.bits, a.entries, a.uri, &l);
	if (rc == SK_ERR_ARG) {
		tool_warnx("--bits must be 1, 2, 4 or 8 and --uri printable "
		    "ASCII of at most %u bytes", SK_STATUSLIST_MAX_URI);
		return TOOL_EXIT_USAGE;
	}
	if (rc != 0) {
		tool_warn_err(rc, "creating the list");
		return tool_exit_for(rc);
	}
	if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = save_list(a.out, l, a.wflags);
	sk_statuslist_free(l);
	return tool_exit_for(rc);
}

/* set */

struct set_args {
	const char	*list;
	uint64_t	 idx;
	unsigned	 status;
	int		 has_idx;
	int		 has_status;
};

static int
set_opt(void *p, int c)
{
	struct set_args *a = p;

	switch (c) {
	case OPT_LIST:
		a->list = optarg;
		return 0;
	case OPT_IDX:
		a->has_idx = 1;
		return parse_u64(optarg, UINT64_MAX, "--idx", &a->idx);
	case OPT_STATUS:
		a->has_status = 1;
		return parse_status(optarg, &a->status);
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
status_set(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, OPT_LIST },
		{ "idx", required_argument, NULL, OPT_IDX },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct set_args a;
	struct sk_statuslist *l;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = tool_getopt(argc, argv, opts, set_opt, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if (a.list == NULL)
		return tool_missing("--list");
	if (!a.has_idx)
		return tool_missing("--idx");
	if (!a.has_status)
		return tool_missing("--status");
	if ((rc = load_list(a.list, &l)) != 0)
		return tool_exit_for(rc);
	rc = sk_statuslist_set(l, a.idx, a.status);
	if (rc == SK_ERR_LIMIT)
		tool_warnx("--idx %llu: out of range (the list has %llu "
		    "entries)", (unsigned long long)a.idx,
		    (unsigned long long)sk_statuslist_entries(l));
	else if (rc == SK_ERR_ARG)
		tool_warnx("--status %u does not fit in %u bits", a.status,
		    sk_statuslist_bits(l));
	else
		rc = save_list(a.list, l, TOOL_W_FORCE);
	sk_statuslist_free(l);
	if (rc == SK_ERR_LIMIT || rc == SK_ERR_ARG)
		return TOOL_EXIT_USAGE;
	return tool_exit_for(rc);
}

/* sign */

struct sign_args {
	const char		*list;
	const char		*key;
	const char		*cert;
	const char		*uri;
	const char		*out;
	int			 alg;
	int			 has_iat;
	struct sk_statuslist_meta meta;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
sign_opt(void *p, int c)
{
	struct sign_args *a = p;

	switch (c) {
	case OPT_LIST:
		a->list = optarg;
		return 0;
	case OPT_KEY:
		a->key = optarg;
		return 0;
	case OPT_CERT:
		a->cert = optarg;
		return 0;
	case OPT_URI:
		a->uri = optarg;
		return 0;
	case OPT_OUT:
		a->out = optarg;
		return 0;
	case OPT_ALG:
		if ((a->alg = sk_alg_from_name(optarg)) != SK_ALG_NONE)
			return 0;
		tool_warnx("--alg %s: unknown algorithm", optarg);
		return TOOL_EXIT_USAGE;
	case OPT_TTL:
		a->meta.has_ttl = 1;
		return parse_u64(optarg, (uint64_t)SK_STATUSLIST_MAX_TIME,
		    "--ttl", &a->meta.ttl);
	case OPT_EXP:
		a->meta.has_exp = 1;
		return tool_time_parse(optarg, "--exp", &a->meta.exp);
	case OPT_IAT:
		a->has_iat = 1;
		return tool_time_parse(optarg, "--iat", &a->meta.iat);
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		return 0;
	case OPT_PWFILE:
		a->pw.file = optarg;
		return 0;
	case OPT_PWENV:
		a->pw.env = optarg;
		return 0;
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
sign_check_args(struct sign_args *a)
{
	struct sk_statuslist_meta *m = &a->meta;

	if (a->list == NULL)
		return tool_missing("--list");
	if (a->key == NULL)
		return tool_missing("--key");
	if (a->cert == NULL)
		return tool_missing("--cert");
	if (a->out == NULL)
		return tool_missing("--out");
	if (!m->has_ttl && !m->has_exp) {
		tool_warnx("--ttl or --exp is required: a list must go stale");
		return TOOL_EXIT_USAGE;
	}
	if (!a->has_iat)
		m->iat = tool_time_now();
	if (m->has_ttl && m->ttl == 0) {
		tool_warnx("--ttl must be positive");
		return TOOL_EXIT_USAGE;
	}
	if (m->has_exp && m->exp <= m->iat) {
		tool_warnx("--exp must be after --iat");
		return TOOL_EXIT_USAGE;
	}
	return tool_pwopt_check(&a->pw);
}

static int
sign_signer(const struct sign_args *a, struct sk_cert **cert,
    struct sk_signer **signer)
{
	struct sk_key *key;
	int rc;

	if ((rc = tool_load_key(a->key, &a->pw, &key)) != 0)
		return rc;
	if ((rc = sk_cert_load_file(a->cert, cert)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		sk_key_free(key);
		return rc;
	}
	if ((rc = sk_signer_from_key(key, a->alg, *cert, signer)) != 0)
		tool_warn_err(rc, "%s: cannot sign with this key and "
		    "certificate", a->key);
	return rc;
}

/* The kid names CERT: check that CERT's key verifies what we made. */
static int
sign_check(const struct sign_args *a, const struct sk_cert *cert,
    const struct sk_buf *tok)
{
	struct sk_statuslist *l = NULL;
	struct sk_key *pub;
	int rc;

	if ((rc = sk_cert_pubkey(cert, &pub)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		return rc;
	}
	rc = sk_statuslist_token_verify(tok->data, tok->len, pub, 0,
	    SK_STATUSLIST_NO_TIME, &l, NULL);
	sk_statuslist_free(l);
	sk_key_free(pub);
	if (rc == SK_ERR_SIGNATURE || rc == SK_ERR_KEY) {
		tool_warnx("%s: the certificate is not for the key %s",
		    a->cert, a->key);
		return SK_ERR_CERT;
	}
	if (rc != 0)
		tool_warn_err(rc, "checking the token");
	return rc;
}

static int
sign_run(const struct sign_args *a)
{
	struct sk_statuslist *l = NULL;
	struct sk_signer *signer = NULL;
	struct sk_cert *cert = NULL;
	struct sk_buf tok;
	int rc;

	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	if ((rc = load_list(a->list, &l)) != 0)
		goto out;
	if (a->uri != NULL && strcmp(a->uri, sk_statuslist_uri(l)) != 0) {
		tool_warnx("--uri %s: the list's URI is %s", a->uri,
		    sk_statuslist_uri(l));
		rc = SK_ERR_FORMAT;
		goto out;
	}
	if ((rc = sign_signer(a, &cert, &signer)) != 0)
		goto out;
	rc = sk_statuslist_token_sign(l, signer, &a->meta, &tok);
	if (rc == SK_ERR_LIMIT)
		tool_warnx("the list is shorter than %u entries or its token "
		    "longer than %u bytes", SK_STATUSLIST_MIN_ENTRIES,
		    SK_STATUSLIST_MAX_TOKEN);
	else if (rc != 0)
		tool_warn_err(rc, "signing");
	if (rc == 0 && (rc = sign_check(a, cert, &tok)) == 0)
		rc = tool_write(a->out, tok.data, tok.len, a->wflags);
out:
	sk_signer_free(signer);
	sk_cert_free(cert);
	sk_statuslist_free(l);
	sk_buf_free(&tok);
	return rc;
}

static int
status_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, OPT_LIST },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "uri", required_argument, NULL, OPT_URI },
		{ "ttl", required_argument, NULL, OPT_TTL },
		{ "exp", required_argument, NULL, OPT_EXP },
		{ "iat", required_argument, NULL, OPT_IAT },
		{ "alg", required_argument, NULL, OPT_ALG },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sign_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = tool_getopt(argc, argv, opts, sign_opt, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = sign_check_args(&a)) != 0)
		return rc;
	if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = sign_run(&a);
	return tool_exit_for(rc);
}

/* show */

struct show_args {
	const char	*in;
	const char	*cert;
	int64_t		 at;
	uint64_t	 idx;
	int		 has_idx;
	int		 json;
};

/* What show found, for text or JSON. */
struct show_info {
	struct sk_statuslist_meta	 m;
	struct sk_statuslist		*l;
	int				 verified;
	int				 fresh_err; /* of fresh() */
	int				 idx_err;
	unsigned			 st;
	uint64_t			 count[4]; /* valid inv. susp. other */
};

static int
show_opt(void *p, int c)
{
	struct show_args *a = p;

	switch (c) {
	case OPT_IN:
		a->in = optarg;
		return 0;
	case OPT_CERT:
		a->cert = optarg;
		return 0;
	case OPT_AT:
		return tool_time_parse(optarg, "--at", &a->at);
	case OPT_IDX:
		a->has_idx = 1;
		return parse_u64(optarg, UINT64_MAX, "--idx", &a->idx);
	case OPT_JSON:
		a->json = 1;
		return 0;
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
show_read(const struct show_args *a, const struct sk_buf *in,
    struct show_info *s)
{
	struct sk_cert *cert = NULL;
	struct sk_key *pub = NULL;
	int rc;

	if (a->cert == NULL) {
		rc = sk_statuslist_token_decode(tool_bytes(in), in->len,
		    SK_STATUSLIST_ALLOW_SHORT, &s->l, &s->m);
		if (rc != 0)
			tool_warn_err(rc, "%s: not a Status List Token", a->in);
		return rc;
	}
	if ((rc = sk_cert_load_file(a->cert, &cert)) != 0 ||
	    (rc = sk_cert_pubkey(cert, &pub)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		sk_cert_free(cert);
		return rc;
	}
	rc = sk_statuslist_token_verify(tool_bytes(in), in->len, pub, 0,
	    SK_STATUSLIST_NO_TIME, &s->l, &s->m);
	if (rc == SK_ERR_SIGNATURE || rc == SK_ERR_KEY)
		tool_warnx("%s: invalid: the signature does not verify with "
		    "%s", a->in, a->cert);
	else if (rc != 0)
		tool_warn_err(rc, "%s: invalid Status List Token", a->in);
	s->verified = rc == 0;
	sk_key_free(pub);
	sk_cert_free(cert);
	return rc;
}

static void
show_count(struct show_info *s)
{
	uint64_t i, n = sk_statuslist_entries(s->l);
	unsigned st;

	for (i = 0; i < n; i++)
		if (sk_statuslist_get(s->l, i, &st) == 0)
			s->count[st < 3 ? st : 3]++;
}

static void
show_text(const struct show_args *a, const struct show_info *s)
{
	char t[TOOL_TIME_STRLEN], kid[2 * SK_COSE_MAX_KID + 1];
	const char *name;

	printf("Status List Token: %s\n", s->verified ?
	    "signature valid" : "NOT VERIFIED");
	printf("uri:       %s\n", s->m.uri);
	tool_hex(s->m.kid, s->m.kidlen, kid, sizeof(kid));
	name = sk_alg_name(s->m.alg);
	printf("alg:       %s\nkid:       %s\n", name ? name : "unknown",
	    s->m.kidlen ? kid : "(none)");
	tool_time_format(s->m.iat, t);
	printf("iat:       %s\n", t);
	if (s->m.has_exp) {
		tool_time_format(s->m.exp, t);
		printf("exp:       %s\n", t);
	}
	if (s->m.has_ttl)
		printf("ttl:       %llu s\n", (unsigned long long)s->m.ttl);
	tool_time_format(a->at, t);
	printf("fresh at %s: %s\n", t, s->fresh_err == 0 ? "yes" :
	    s->fresh_err == SK_ERR_MISSING ? "never (no exp, no ttl)" :
	    "no (stale)");
	printf("bits:      %u\nentries:   %llu\n", sk_statuslist_bits(s->l),
	    (unsigned long long)sk_statuslist_entries(s->l));
	printf("valid:     %llu\ninvalid:   %llu\nsuspended: %llu\n"
	    "other:     %llu\n", (unsigned long long)s->count[0],
	    (unsigned long long)s->count[1], (unsigned long long)s->count[2],
	    (unsigned long long)s->count[3]);
	if (!a->has_idx)
		return;
	if (s->idx_err != 0)
		printf("idx %llu:   out of range (status unknown)\n",
		    (unsigned long long)a->idx);
	else if ((name = status_name(s->st)) != NULL)
		printf("idx %llu:   %s\n", (unsigned long long)a->idx, name);
	else
		printf("idx %llu:   status value %u\n",
		    (unsigned long long)a->idx, s->st);
}

static int
json_set(json_t *o, const char *key, json_t *val)
{
	return val == NULL || json_object_set_new(o, key, val) != 0;
}

static int
show_json(const struct show_args *a, const struct show_info *s)
{
	char kid[2 * SK_COSE_MAX_KID + 1];
	const char *name = sk_alg_name(s->m.alg);
	json_t *o;
	char *txt = NULL;
	int bad = 0;

	tool_hex(s->m.kid, s->m.kidlen, kid, sizeof(kid));
	if ((o = json_object()) == NULL)
		return SK_ERR_NOMEM;
	bad |= json_set(o, "verified", json_boolean(s->verified));
	bad |= json_set(o, "fresh", json_boolean(s->fresh_err == 0));
	bad |= json_set(o, "uri", json_string(s->m.uri));
	bad |= json_set(o, "alg", json_string(name ? name : "unknown"));
	bad |= json_set(o, "kid", json_string(kid));
	bad |= json_set(o, "iat", json_integer(s->m.iat));
	if (s->m.has_exp)
		bad |= json_set(o, "exp", json_integer(s->m.exp));
	if (s->m.has_ttl)
		bad |= json_set(o, "ttl", json_integer((json_int_t)s->m.ttl));
	bad |= json_set(o, "bits", json_integer(sk_statuslist_bits(s->l)));
	bad |= json_set(o, "entries",
	    json_integer((json_int_t)sk_statuslist_entries(s->l)));
	bad |= json_set(o, "counts", json_pack("{s:I,s:I,s:I,s:I}",
	    "valid", (json_int_t)s->count[0], "invalid",
	    (json_int_t)s->count[1], "suspended", (json_int_t)s->count[2],
	    "other", (json_int_t)s->count[3]));
	if (a->has_idx && s->idx_err == 0) {
		name = status_name(s->st);
		bad |= json_set(o, "idx", json_integer((json_int_t)a->idx));
		bad |= json_set(o, "status", json_string(name ? name :
		    "other"));
		bad |= json_set(o, "status_value", json_integer(s->st));
	} else if (a->has_idx)
		bad |= json_set(o, "status", json_string("unknown"));
	if (!bad)
		txt = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (txt == NULL)
		return SK_ERR_NOMEM;
	printf("%s\n", txt);
	free(txt);
	return 0;
}

static int
show_run(const struct show_args *a)
{
	struct show_info s;
	struct sk_buf in;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = tool_read(a->in, SK_STATUSLIST_MAX_TOKEN,
	    "SK_STATUSLIST_MAX_TOKEN", 0, &in);
	if (rc != 0)
		return tool_exit_for(rc);
	if ((rc = show_read(a, &in, &s)) != 0) {
		sk_buf_free(&in);
		return tool_exit_for(rc == SK_ERR_KEY ? SK_ERR_SIGNATURE : rc);
	}
	s.fresh_err = sk_statuslist_fresh(&s.m, a->at);
	if (a->has_idx)
		s.idx_err = sk_statuslist_get(s.l, a->idx, &s.st);
	show_count(&s);
	if (a->json)
		rc = show_json(a, &s);
	else
		show_text(a, &s);
	sk_statuslist_free(s.l);
	sk_buf_free(&in);
	if (rc != 0)
		return tool_exit_for(rc);
	if (s.verified && (s.fresh_err != 0 || s.idx_err != 0))
		return TOOL_EXIT_INVALID;
	return TOOL_EXIT_OK;
}

static int
status_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "at", required_argument, NULL, OPT_AT },
		{ "idx", required_argument, NULL, OPT_IDX },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct show_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.at = tool_time_now();
	if ((rc = tool_getopt(argc, argv, opts, show_opt, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if (a.in == NULL)
		return tool_missing("--in");
	return show_run(&a);
}

static const struct tool_verb status_verbs[] = {
	{ "new", "create an unsigned working status list", new_usage,
	    status_new },
	{ "set", "set one entry of a working list", set_usage, status_set },
	{ "sign", "sign a working list as a Status List Token", sign_usage,
	    status_sign },
	{ "show", "print (and with --cert verify) a Status List Token",
	    show_usage, status_show },
};

const struct tool_group tool_group_status = {
	"status", "Token Status Lists (revocation, suspension)",
	status_verbs, sizeof(status_verbs) / sizeof(status_verbs[0])
};
