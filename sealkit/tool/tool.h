/*
 * tool.h: shared declarations of the sealkit command line tool.
 *
 * The tool is "sealkit <group> <verb> [options]".  A group is one file
 * (cmd_<group>.c) that defines a struct tool_group; adding a group is that
 * file, one extern below and one entry in main.c's table.  A verb's run()
 * gets the arguments from the verb name on (argv[0] is the verb), parses
 * them with getopt_long and returns an exit code (enum tool_exit).
 *
 * The helpers in util.c print their own diagnostics, as
 * "sealkit: <group> <verb>: <message>" on stderr, so that a command reads
 * as a list of steps and only decides the exit code.
 */
#ifndef SEALKIT_TOOL_H
#define SEALKIT_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sealkit/common.h"

/* The build may pass the project version in. */
#ifndef SK_TOOL_VERSION
#define SK_TOOL_VERSION		"0.1.0"
#endif

/*
 * Cap on a file or stdin read by a command whose library has no tighter
 * limit.  Inputs that do (COSE messages, base45, keys) use the library's
 * own: SK_COSE_MAX_BYTES, SK_BASE45_MAX_TEXT, SK_KEYFILE_MAX.
 */
#define SK_TOOL_MAX_INPUT	(1024u * 1024u)
/* Cap on a password file (and on a password from the environment). */
#define SK_TOOL_MAX_PASSWORD	1024u
/* Cap on external AAD given as hex on the command line (decoded bytes). */
#define SK_TOOL_MAX_AAD		(16u * 1024u)
/* Cap on diagnostic notation printed by "cose show". */
#define SK_TOOL_MAX_DIAG	(1024u * 1024u)

/* Exit codes; stable, documented in docs/sealkit.md and --help. */
enum tool_exit {
	TOOL_EXIT_OK = 0,	/* success; for verify: the input is valid */
	TOOL_EXIT_INVALID = 1,	/* well formed but not valid (signature...) */
	TOOL_EXIT_USAGE = 2,	/* bad command line */
	TOOL_EXIT_INPUT = 3,	/* unreadable, malformed or over a limit */
	TOOL_EXIT_INTERNAL = 4	/* internal or cryptographic library error */
};

/* Option parsers return this when --help was given: print usage, exit 0. */
#define TOOL_HELP	(-1)

struct tool_verb {
	const char	*name;
	const char	*summary;	/* one line for the group's help */
	const char	*usage;		/* full --help text, ends in '\n' */
	int		(*run)(int argc, char **argv);
};

struct tool_group {
	const char		*name;
	const char		*summary;
	const struct tool_verb	*verbs;
	size_t			 nverbs;
};

/* Groups (one per cmd_<group>.c). */
extern const struct tool_group tool_group_key;
extern const struct tool_group tool_group_cose;
extern const struct tool_group tool_group_b45;
extern const struct tool_group tool_group_licence;
extern const struct tool_group tool_group_trust;
extern const struct tool_group tool_group_status;
extern const struct tool_group tool_group_seal;

struct sk_key;

/*
 * Conventions: helpers that touch files or the library return 0 or an
 * SK_ERR_* (after printing what went wrong), and a command turns that into
 * an exit code with tool_exit_for(); helpers about the command line
 * itself return an exit code.
 */

/* Name the running command (verb may be NULL) for every later message. */
void	tool_set_command(const struct tool_group *g, const struct tool_verb *v);
/* "sealkit: <group> <verb>: <message>\n" on stderr. */
void	tool_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As tool_warnx, followed by ": " and sk_strerror(err). */
void	tool_warn_err(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The exit code for a library error: 0, 1 (signature), 3 or 4. */
int	tool_exit_for(int err);

/* Print the running verb's usage to stdout; returns TOOL_EXIT_OK. */
int	tool_verb_help(void);
/* Report a getopt_long failure (c is '?' or ':'); TOOL_EXIT_USAGE. */
int	tool_bad_option(char **argv, int c);
/* TOOL_EXIT_USAGE with a message if operands follow the options, else 0. */
int	tool_extra_args(int argc, char **argv);
/*
 * The option loop every verb shares: getopt_long over opts with "-h",
 * each option handed to one(arg, c) (non-zero stops), then no operands
 * allowed.  Returns 0, TOOL_HELP, or an exit code (usage errors printed).
 */
struct option;
int	tool_getopt(int argc, char **argv, const struct option *opts,
	    int (*one)(void *, int), void *arg);
/* "<option> is required"; returns TOOL_EXIT_USAGE. */
int	tool_missing(const char *option);

/*
 * Read a whole file, or stdin when path is "-", into out, which is
 * initialised here (secret when secret is non-zero) with max as its cap.
 * limit names the cap in the message when the input is longer.
 * @return 0, SK_ERR_IO, SK_ERR_LIMIT, SK_ERR_NOMEM; out is freed on error.
 */
int	tool_read(const char *path, size_t max, const char *limit,
	    int secret, struct sk_buf *out);

/*
 * The bytes of b, never NULL: an empty sk_buf has data NULL, which some
 * library functions refuse as an argument error rather than parse as the
 * empty (truncated) input it is.
 */
const uint8_t *tool_bytes(const struct sk_buf *b);

/* Flags for tool_write and tool_check_new. */
#define TOOL_W_FORCE	0x01u	/* replace an existing file */
#define TOOL_W_PRIVATE	0x02u	/* mode 0600 whatever the umask; no stdout */

/*
 * Write len bytes to path, or to stdout when path is "-".  A file goes to
 * a temporary in the same directory, is synced, then renamed into place
 * (TOOL_W_FORCE) or hard-linked (never replacing an existing file), so
 * that nobody sees half a file and nothing is overwritten by accident.
 * @return 0, SK_ERR_IO (also: path exists without TOOL_W_FORCE).
 */
int	tool_write(const char *path, const void *p, size_t len,
	    unsigned flags);
/* Early check that tool_write will not refuse: SK_ERR_IO if path exists. */
int	tool_check_new(const char *path, unsigned flags);

/*
 * Password options: the name of a file or of an environment variable,
 * never the password itself.
 */
struct tool_pwopt {
	const char	*file;
	const char	*env;
};
/* TOOL_EXIT_USAGE (with a message) if both are set, else 0. */
int	tool_pwopt_check(const struct tool_pwopt *o);
/*
 * Fetch the password: pw is initialised as a secret buffer and holds it
 * NUL-terminated; *pass points into pw, or is NULL when neither option was
 * given.  A file loses one trailing newline; the environment variable is
 * removed from our environment.  An empty password is refused.
 * Always release pw with sk_buf_free (which wipes it).
 * @return 0, SK_ERR_IO, SK_ERR_LIMIT, SK_ERR_PASSWORD, SK_ERR_NOMEM.
 */
int	tool_password(const struct tool_pwopt *o, struct sk_buf *pw,
	    const char **pass);
/*
 * Load a private key file, asking tool_password() for its password.
 * @return as sk_key_load_file(); *out is the caller's on success.
 */
int	tool_load_key(const char *path, const struct tool_pwopt *o,
	    struct sk_key **out);

/*
 * Decode hex (either case, even length) from a command line option into
 * out (initialised here), at most max bytes; what names the option.
 * @return 0, SK_ERR_FORMAT, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
int	tool_unhex(const char *hex, size_t max, const char *what,
	    struct sk_buf *out);
/* Lower-case hex of len bytes into dst, NUL-terminated, truncated to fit. */
void	tool_hex(const uint8_t *p, size_t len, char *dst, size_t dstlen);

#endif /* SEALKIT_TOOL_H */
