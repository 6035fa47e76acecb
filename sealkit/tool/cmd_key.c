/*
 * sealkit key gen | pub: make a signing key, derive its public key.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sealkit/key.h"

#include "tool.h"

enum {
	OPT_ALG = 256,
	OPT_OUT,
	OPT_PUB,
	OPT_IN,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV
};

static const char gen_usage[] =
    "usage: sealkit key gen --alg es256|ed25519|sm2 --out FILE [--pub FILE]\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Generate a private key and write it as PKCS#8 PEM, mode 0600.\n"
    "\n"
    "  --alg A              es256 (P-256), ed25519, or sm2 (SM2 curve)\n"
    "  --out FILE           the private key (never stdout)\n"
    "  --pub FILE           also write the public key (SPKI PEM; - for "
    "stdout)\n"
    "  --password-file FILE encrypt the key (AES-256-CBC, PBKDF2) with "
    "the\n"
    "                       password in FILE (one trailing newline "
    "dropped)\n"
    "  --password-env VAR   ... with the password in environment "
    "variable VAR\n"
    "  --force              replace existing output files\n";

static const char pub_usage[] =
    "usage: sealkit key pub --in KEY --out FILE|-\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Write the public key of a private key as SubjectPublicKeyInfo PEM.\n"
    "\n"
    "  --in KEY             private key: PEM, DER PKCS#8 or PKCS#12\n"
    "  --out FILE           output file, - for stdout\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace an existing output file\n";

#define PW_LONGOPTS							\
	{ "password-file", required_argument, NULL, OPT_PWFILE },	\
	{ "password-env", required_argument, NULL, OPT_PWENV }

struct gen_args {
	int			 alg;
	const char		*out;
	const char		*pub;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
gen_alg(const char *name)
{
	int alg = sk_alg_from_name(name);

	switch (alg) {
	case SK_ALG_ES256:
	case SK_ALG_EDDSA:
	case SK_ALG_SM2_SM3:
		return alg;
	default:
		tool_warnx("--alg %s: use es256, ed25519 or sm2", name);
		return SK_ALG_NONE;
	}
}

static int
gen_parse(int argc, char **argv, struct gen_args *a)
{
	static const struct option opts[] = {
		{ "alg", required_argument, NULL, OPT_ALG },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "pub", required_argument, NULL, OPT_PUB },
		{ "force", no_argument, NULL, OPT_FORCE },
		PW_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *alg = NULL;
	int c;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_ALG:
			alg = optarg;
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_PUB:
			a->pub = optarg;
			break;
		case OPT_FORCE:
			a->wflags |= TOOL_W_FORCE;
			break;
		case OPT_PWFILE:
			a->pw.file = optarg;
			break;
		case OPT_PWENV:
			a->pw.env = optarg;
			break;
		case 'h':
			return TOOL_HELP;
		default:
			return tool_bad_option(argv, c);
		}
	}
	if ((c = tool_extra_args(argc, argv)) != 0)
		return c;
	if (alg == NULL)
		return tool_missing("--alg");
	if (a->out == NULL)
		return tool_missing("--out");
	if ((c = tool_pwopt_check(&a->pw)) != 0)
		return c;
	if ((a->alg = gen_alg(alg)) == SK_ALG_NONE)
		return TOOL_EXIT_USAGE;
	if (strcmp(a->out, "-") == 0) {
		tool_warnx("--out: a private key is never written to stdout");
		return TOOL_EXIT_USAGE;
	}
	if (a->pub != NULL && strcmp(a->pub, a->out) == 0) {
		tool_warnx("--pub and --out name the same file");
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

/* Encode and write the private key, then (optionally) the public one. */
static int
gen_write(const struct gen_args *a, const struct sk_key *key,
    const char *pass)
{
	struct sk_buf pem;
	int rc;

	sk_buf_init_secret(&pem, SK_KEYFILE_MAX);
	if ((rc = sk_key_write_private_pem(key, pass, &pem)) != 0)
		tool_warn_err(rc, "encoding the private key");
	else
		rc = tool_write(a->out, pem.data, pem.len,
		    a->wflags | TOOL_W_PRIVATE);
	sk_buf_free(&pem);
	if (rc != 0 || a->pub == NULL)
		return rc;
	sk_buf_init(&pem, SK_KEYFILE_MAX);
	if ((rc = sk_key_write_public_pem(key, &pem)) != 0)
		tool_warn_err(rc, "encoding the public key");
	else
		rc = tool_write(a->pub, pem.data, pem.len, a->wflags);
	sk_buf_free(&pem);
	return rc;
}

static int
key_gen(int argc, char **argv)
{
	struct gen_args a;
	struct sk_key *key = NULL;
	struct sk_buf pw;
	const char *pass;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = gen_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) != 0 ||
	    (rc = tool_check_new(a.pub, a.wflags)) != 0)
		return tool_exit_for(rc);
	if ((rc = tool_password(&a.pw, &pw, &pass)) != 0)
		return tool_exit_for(rc);
	if ((rc = sk_key_generate(a.alg, &key)) != 0)
		tool_warn_err(rc, "generating a %s key", sk_alg_name(a.alg));
	else
		rc = gen_write(&a, key, pass);
	sk_key_free(key);
	sk_buf_free(&pw);
	return tool_exit_for(rc);
}

struct pub_args {
	const char		*in;
	const char		*out;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
pub_parse(int argc, char **argv, struct pub_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		PW_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_IN:
			a->in = optarg;
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_FORCE:
			a->wflags |= TOOL_W_FORCE;
			break;
		case OPT_PWFILE:
			a->pw.file = optarg;
			break;
		case OPT_PWENV:
			a->pw.env = optarg;
			break;
		case 'h':
			return TOOL_HELP;
		default:
			return tool_bad_option(argv, c);
		}
	}
	if ((c = tool_extra_args(argc, argv)) != 0)
		return c;
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->out == NULL)
		return tool_missing("--out");
	return tool_pwopt_check(&a->pw);
}

static int
key_pub(int argc, char **argv)
{
	struct pub_args a;
	struct sk_key *key = NULL;
	struct sk_buf pem;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = pub_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) != 0 ||
	    (rc = tool_load_key(a.in, &a.pw, &key)) != 0)
		return tool_exit_for(rc);
	sk_buf_init(&pem, SK_KEYFILE_MAX);
	if ((rc = sk_key_write_public_pem(key, &pem)) != 0)
		tool_warn_err(rc, "encoding the public key");
	else
		rc = tool_write(a.out, pem.data, pem.len, a.wflags);
	sk_buf_free(&pem);
	sk_key_free(key);
	return tool_exit_for(rc);
}

static const struct tool_verb key_verbs[] = {
	{ "gen", "generate a private key (PKCS#8 PEM)", gen_usage, key_gen },
	{ "pub", "write the public key of a private key", pub_usage, key_pub },
};

const struct tool_group tool_group_key = {
	"key", "Signing keys", key_verbs,
	sizeof(key_verbs) / sizeof(key_verbs[0])
};
