/*
 * cmd_admin.c: certd init, client add|list|revoke, backup, routes.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/trust.h"

#include "auth.h"
#include "cmd.h"
#include "http.h"
#include "seals.h"
#include "signer.h"
#include "store.h"
#include "util.h"

#define MAX_ISSUER_ARGS	CERTD_STORE_ISSUERS_MAX

void
cmd_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("certd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CERTD_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static int
bad_option(const char *cmd)
{
	fprintf(stderr, "Try 'certd %s --help'.\n", cmd);
	return CERTD_EXIT_USAGE;
}

static int
store_exit(int rc)
{
	switch (rc) {
	case SK_ERR_NOMEM:
	case SK_ERR_INTERNAL:
		return CERTD_EXIT_INTERNAL;
	default:
		return CERTD_EXIT_INPUT;
	}
}

static int
open_store(const char *dir, int create, size_t map_mb,
    struct certd_store **st)
{
	struct certd_store_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.create = create;
	o.map_size = map_mb << 20;
	if ((rc = certd_store_open(dir, &o, st)) != 0) {
		cmd_warnx("%s: %s", dir, certd_store_strerror(rc));
		return store_exit(rc);
	}
	return 0;
}

/*
 * init
 */

static const char init_usage[] =
    "usage: certd init --store DIR --anchors PEM --trust-list FILE\n"
    "           --issuer CERT:KEY [--issuer CERT:KEY...]\n"
    "           [--password-file FILE] [--map-size-mb N]\n"
    "           [--seal-maker CERT=KEY] [--seal-owner CERT=KEY...]\n"
    "           [--tsa CERT=KEY]\n\n"
    "Create a store: record the trust anchors, the signed trust list and\n"
    "each issuer's certificate with the path of its key file (the key\n"
    "itself never enters the store).  Each certificate must be in the\n"
    "trust list and carry a USCC; each key must be its certificate's.\n"
    "CERT and KEY are split at the first ':' (or '=').  --password-file\n"
    "decrypts encrypted keys (here only; `certd run` reads password\n"
    "files from the config).  Nothing is written unless every check\n"
    "passes; an existing store is refused.\n";

struct init_args {
	const char	*store;
	const char	*anchors;
	const char	*list;
	const char	*pwfile;
	char		*issuer[MAX_ISSUER_ARGS];
	size_t		 nissuer;
	size_t		 map_mb;
	struct certd_seal_init seal;	/* seal maker, owners, TSA */
};

static int
init_parse(int argc, char **argv, struct init_args *a)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "anchors", required_argument, NULL, 'a' },
		{ "trust-list", required_argument, NULL, 't' },
		{ "issuer", required_argument, NULL, 'i' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "map-size-mb", required_argument, NULL, 'm' },
		{ "seal-maker", required_argument, NULL,
		    CERTD_SEAL_INIT_MAKER },
		{ "seal-owner", required_argument, NULL,
		    CERTD_SEAL_INIT_OWNER },
		{ "tsa", required_argument, NULL, CERTD_SEAL_INIT_TSA },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->map_mb = 4096;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->store = optarg; break;
		case 'a': a->anchors = optarg; break;
		case 't': a->list = optarg; break;
		case 'p': a->pwfile = optarg; break;
		case 'i':
			if (a->nissuer == MAX_ISSUER_ARGS) {
				cmd_warnx("at most %u --issuer",
				    MAX_ISSUER_ARGS);
				return CERTD_EXIT_USAGE;
			}
			a->issuer[a->nissuer++] = optarg;
			break;
		case 'm':
			a->map_mb = strtoul(optarg, &end, 10);
			if (*end != '\0' || a->map_mb < 16 ||
			    a->map_mb > (16u << 20)) {
				cmd_warnx("--map-size-mb: 16 to 16777216");
				return CERTD_EXIT_USAGE;
			}
			break;
		case CERTD_SEAL_INIT_MAKER:
		case CERTD_SEAL_INIT_OWNER:
		case CERTD_SEAL_INIT_TSA:
			if (certd_seal_init_opt(&a->seal, c, optarg) != 0) {
				cmd_warnx("at most %u --seal-owner",
				    CERTD_SEAL_OWNERS_MAX);
				return CERTD_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(init_usage, stdout);
			return -1;
		default:
			return bad_option("init");
		}
	}
	if (optind != argc || a->store == NULL || a->anchors == NULL ||
	    a->list == NULL || a->nissuer == 0) {
		cmd_warnx("init needs --store, --anchors, --trust-list and "
		    "--issuer, and no operands");
		return bad_option("init");
	}
	return 0;
}

/* Anchors and list, checked as a verifier would, now. */
static int
init_trust(const struct init_args *a, struct sk_buf *pem, struct sk_buf *list,
    struct sk_trust **trust)
{
	int rc;

	if ((rc = certd_read_file(a->anchors, SK_TRUST_MAX_PEM, 0, pem)) != 0 ||
	    (rc = sk_trust_new(pem->data, pem->len, trust)) != 0) {
		cmd_warnx("%s: %s", a->anchors, sk_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	if ((rc = certd_read_file(a->list, SK_TRUST_MAX_BYTES, 0, list)) !=
	    0 || (rc = sk_trust_load_list(*trust, list->data, list->len,
	    certd_now())) != 0) {
		cmd_warnx("%s: trust list: %s", a->list, sk_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	return 0;
}

static int
init_issuers(const struct init_args *a, const struct sk_trust *trust,
    struct certd_issuer_rec *recs)
{
	struct sk_buf pw;
	char err[512], *arg, *sep;
	size_t i;
	int rc = 0;

	memset(&pw, 0, sizeof(pw));
	if (a->pwfile != NULL) {
		if ((rc = certd_read_file(a->pwfile, CERTD_PASSWORD_MAX, 1,
		    &pw)) != 0 || (rc = sk_buf_putc(&pw, '\0')) != 0) {
			cmd_warnx("%s: %s", a->pwfile, sk_strerror(rc));
			sk_buf_free(&pw);
			return CERTD_EXIT_INPUT;
		}
		pw.data[strcspn((char *)pw.data, "\r\n")] = '\0';
	}
	for (i = 0; i < a->nissuer && rc == 0; i++) {
		arg = a->issuer[i];
		if ((sep = strchr(arg, '=')) == NULL)
			sep = strchr(arg, ':');
		if (sep == NULL || sep == arg || sep[1] == '\0') {
			cmd_warnx("--issuer %s: want CERT:KEY", arg);
			rc = CERTD_EXIT_USAGE;
			break;
		}
		*sep = '\0';
		rc = certd_issuer_prepare(arg, sep + 1, (const char *)pw.data,
		    trust, &recs[i], err, sizeof(err));
		*sep = ':';
		if (rc != 0) {
			cmd_warnx("%s", err);
			rc = CERTD_EXIT_INPUT;
		}
	}
	sk_buf_free(&pw);
	return rc;
}

/* Seal maker, owner and TSA pairs (seals.c), checked before writing. */
static int
init_seals(struct init_args *a)
{
	struct sk_buf pw;
	char err[512];
	int rc;

	memset(&pw, 0, sizeof(pw));
	if (a->pwfile != NULL) {
		if (certd_read_file(a->pwfile, CERTD_PASSWORD_MAX, 1,
		    &pw) != 0 || sk_buf_putc(&pw, '\0') != 0) {
			sk_buf_free(&pw);
			return CERTD_EXIT_INPUT;
		}
		pw.data[strcspn((char *)pw.data, "\r\n")] = '\0';
	}
	rc = certd_seal_init_prepare(&a->seal, (const char *)pw.data, err,
	    sizeof(err));
	sk_buf_free(&pw);
	if (rc != 0) {
		cmd_warnx("%s", err);
		return CERTD_EXIT_INPUT;
	}
	return 0;
}

static int
init_write(struct init_args *a, const struct sk_buf *pem,
    const struct sk_buf *list, const struct certd_issuer_rec *recs)
{
	struct certd_store *st;
	size_t i;
	int rc, ex;

	if ((ex = open_store(a->store, 1, a->map_mb, &st)) != 0)
		return ex;
	rc = certd_store_put_meta(st, "anchors", pem->data, pem->len);
	if (rc == 0)
		rc = certd_store_put_meta(st, "trust_list", list->data,
		    list->len);
	for (i = 0; i < a->nissuer && rc == 0; i++)
		if ((rc = certd_store_put_issuer(st, &recs[i])) ==
		    SK_ERR_DUPLICATE)
			cmd_warnx("issuer %s given twice", recs[i].uscc);
	if (rc == 0)
		rc = certd_seal_init_write(&a->seal, st);
	certd_store_close(st);
	if (rc != 0) {
		if (rc != SK_ERR_DUPLICATE)
			cmd_warnx("%s: %s", a->store,
			    certd_store_strerror(rc));
		return store_exit(rc);
	}
	printf("store created in %s with %zu issuer%s\n", a->store,
	    a->nissuer, a->nissuer == 1 ? "" : "s");
	return CERTD_EXIT_OK;
}

int
cmd_init(int argc, char **argv)
{
	struct certd_issuer_rec recs[MAX_ISSUER_ARGS];
	struct sk_trust *trust = NULL;
	struct init_args a;
	struct sk_buf pem, list;
	size_t i;
	int ex;

	memset(recs, 0, sizeof(recs));
	memset(&pem, 0, sizeof(pem));
	memset(&list, 0, sizeof(list));
	if ((ex = init_parse(argc, argv, &a)) != 0)
		return ex < 0 ? CERTD_EXIT_OK : ex;
	if ((ex = init_trust(&a, &pem, &list, &trust)) == 0 &&
	    (ex = init_issuers(&a, trust, recs)) == 0 &&
	    (ex = init_seals(&a)) == 0)
		ex = init_write(&a, &pem, &list, recs);
	certd_seal_init_free(&a.seal);
	for (i = 0; i < a.nissuer; i++)
		free(recs[i].cert);
	sk_trust_free(trust);
	sk_buf_free(&pem);
	sk_buf_free(&list);
	return ex;
}

/*
 * client add | list | revoke
 */

static const char client_usage[] =
    "usage: certd client add --store DIR --name NAME --scope S [--scope S...]\n"
    "       certd client list --store DIR\n"
    "       certd client revoke --store DIR --name NAME\n\n"
    "add prints the new client's bearer token once, on stdout; only its\n"
    "SHA-256 is stored.  Scopes: licences:issue, licences:read,\n"
    "licences:status, licences:qr, holders:read.  NAME: 1 to 64 of\n"
    "[A-Za-z0-9._-].  revoke is final and immediate.\n";

struct client_args {
	const char	*store;
	const char	*name;
	unsigned	 scopes;
};

static int
client_parse(int argc, char **argv, struct client_args *a)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "name", required_argument, NULL, 'n' },
		{ "scope", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned bit;
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->store = optarg; break;
		case 'n': a->name = optarg; break;
		case 'c':
			if ((bit = certd_scope_parse(optarg)) == 0) {
				cmd_warnx("unknown scope '%s'", optarg);
				return CERTD_EXIT_USAGE;
			}
			a->scopes |= bit;
			break;
		case 'h':
			fputs(client_usage, stdout);
			return -1;
		default:
			return bad_option("client");
		}
	}
	if (optind != argc || a->store == NULL) {
		cmd_warnx("client needs --store and no operands");
		return bad_option("client");
	}
	if (a->name != NULL && !cmd_name_ok(a->name)) {
		cmd_warnx("--name: 1 to 64 of [A-Za-z0-9._-]");
		return CERTD_EXIT_USAGE;
	}
	return 0;
}

static int
client_add(struct certd_store *st, const struct client_args *a)
{
	char tok[CERTD_TOKEN_LEN + 1];
	struct certd_client c;
	int rc;

	memset(&c, 0, sizeof(c));
	if (a->name == NULL || a->scopes == 0) {
		cmd_warnx("client add needs --name and --scope");
		return CERTD_EXIT_USAGE;
	}
	if (certd_token_new(tok, c.hash) != 0) {
		cmd_warnx("no randomness for a token");
		return CERTD_EXIT_INTERNAL;
	}
	memcpy(c.name, a->name, strlen(a->name) + 1);
	c.scopes = a->scopes;
	c.created = certd_now();
	if ((rc = certd_store_put_client(st, &c)) != 0) {
		sk_wipe(tok, sizeof(tok));
		cmd_warnx("%s: %s", a->name, rc == SK_ERR_DUPLICATE ?
		    "a client of this name exists" :
		    certd_store_strerror(rc));
		return store_exit(rc);
	}
	printf("%s\n", tok);
	fflush(stdout);
	sk_wipe(tok, sizeof(tok));
	return CERTD_EXIT_OK;
}

static void
client_print(void *ctx, const struct certd_client *c)
{
	char scopes[CERTD_SCOPES_TEXT_MAX];

	(void)ctx;
	certd_scopes_format(c->scopes, scopes);
	printf("%s\t%s\tcreated=%lld\t%s\n", c->name, scopes,
	    (long long)c->created, c->revoked != 0 ? "revoked" : "active");
}

int
cmd_client(int argc, char **argv)
{
	struct client_args a;
	struct certd_store *st;
	const char *verb;
	int ex, rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(client_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CERTD_EXIT_USAGE : CERTD_EXIT_OK;
	}
	verb = argv[1];
	if (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
	    strcmp(verb, "revoke") != 0) {
		cmd_warnx("unknown client verb '%s'", verb);
		return bad_option("client");
	}
	if ((ex = client_parse(argc - 1, argv + 1, &a)) != 0)
		return ex < 0 ? CERTD_EXIT_OK : ex;
	if ((ex = open_store(a.store, 0, 0, &st)) != 0)
		return ex;
	if (strcmp(verb, "add") == 0)
		ex = client_add(st, &a);
	else if (strcmp(verb, "list") == 0) {
		if ((rc = certd_store_each_client(st, client_print, NULL)) != 0)
			ex = store_exit(rc);
	} else if (a.name == NULL) {
		cmd_warnx("client revoke needs --name");
		ex = CERTD_EXIT_USAGE;
	} else if ((rc = certd_store_revoke_client(st, a.name,
	    certd_now())) != 0) {
		cmd_warnx("%s: %s", a.name, rc == SK_ERR_NOTFOUND ?
		    "no such client" : certd_store_strerror(rc));
		ex = store_exit(rc);
	}
	certd_store_close(st);
	return ex;
}

/*
 * backup, routes
 */

static const char backup_usage[] =
    "usage: certd backup --store DIR --out DIR\n\n"
    "Hot, compacting copy of the store (mdb_env_copy2 with\n"
    "MDB_CP_COMPACT) into --out (created 0700; must not hold a store),\n"
    "while certd keeps serving.  The copy is a complete store: run certd\n"
    "on it with the same config.\n";

int
cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *store = NULL, *out = NULL;
	struct certd_store *st;
	int c, ex, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': store = optarg; break;
		case 'o': out = optarg; break;
		case 'h':
			fputs(backup_usage, stdout);
			return CERTD_EXIT_OK;
		default:
			return bad_option("backup");
		}
	}
	if (optind != argc || store == NULL || out == NULL) {
		cmd_warnx("backup needs --store and --out");
		return bad_option("backup");
	}
	if ((ex = open_store(store, 0, 0, &st)) != 0)
		return ex;
	if ((rc = certd_store_backup(st, out)) != 0) {
		cmd_warnx("%s: %s", out, certd_store_strerror(rc));
		ex = store_exit(rc);
	} else
		printf("backup written to %s\n", out);
	certd_store_close(st);
	return ex;
}

int
cmd_routes(int argc, char **argv)
{
	size_t i;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0) {
			fputs("usage: certd routes\n\nPrint every route as "
			    "METHOD PATH (OpenAPI path templates).\n", stdout);
			return CERTD_EXIT_OK;
		}
		return bad_option("routes");
	}
	for (i = 0; i < certd_nroutes; i++)
		printf("%s %s\n", certd_routes[i].method, certd_routes[i].path);
	return CERTD_EXIT_OK;
}
