/*
 * cmd_run.c: certd run: load everything, bind, serve, stop cleanly on
 * SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sealkit/trust.h"

#include "cmd.h"
#include "config.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "presentations.h"
#include "ratelimit.h"
#include "sandbox.h"
#include "seals.h"
#include "signer.h"
#include "statuslists.h"
#include "store.h"
#include "util.h"

#define LISTEN_BACKLOG	512

static const char run_usage[] =
    "usage: certd run [--config FILE] [--store DIR] [--listen ADDR:PORT]\n"
    "           [--threads N] [--log stderr|syslog] [--log-level LEVEL]\n"
    "           [--no-sandbox]\n\n"
    "Serve the HTTP API.  Flags override the config file (docs/CERTD.md\n"
    "lists its keys).  ADDR is IPv4 or [IPv6]; port 0 picks a free port.\n"
    "Once serving, \"listening on ADDR:PORT\" goes to stderr.  SIGTERM or\n"
    "SIGINT: stop accepting, finish requests in flight, flush the store,\n"
    "exit 0.\n";

struct run_state {
	struct certd_config	 cfg;
	struct certd_store	*st;
	struct certd_signers	*signers;
	struct sk_trust		*trust;
	struct sk_buf		 list;
	struct certd_app	 app;
	struct certd_http	*http;
	struct certd_ratelimit	*rl;
	int			 fd;
};

static int
run_flag(struct certd_config *c, int opt, const char *arg)
{
	unsigned long n;
	char *end;

	switch (opt) {
	case 's':
		return certd_config_set(&c->store, arg);
	case 'l':
		return certd_config_set(&c->listen, arg);
	case 'g':
		if (strcmp(arg, "stderr") != 0 && strcmp(arg, "syslog") != 0)
			return -1;
		return certd_config_set(&c->log, arg);
	case 'v':
		if (certd_log_level_parse(arg) < 0)
			return -1;
		return certd_config_set(&c->log_level, arg);
	case 'S':
		c->sandbox = 0;
		return 0;
	case 't':
		n = strtoul(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || n == 0 ||
		    n > CERTD_THREADS_MAX)
			return -1;
		c->threads = (unsigned)n;
		return 0;
	}
	return -1;
}

/* Config file first, then the flags over it. */
static int
run_parse(int argc, char **argv, struct certd_config *c)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "store", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "log", required_argument, NULL, 'g' },
		{ "log-level", required_argument, NULL, 'v' },
		{ "no-sandbox", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config = NULL;
	char err[256];
	int ch, i;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(run_usage, stdout);
			return -1;
		}
		if (ch == '?' || ch == ':') {
			fputs("Try 'certd run --help'.\n", stderr);
			return CERTD_EXIT_USAGE;
		}
		if (ch == 'c')
			config = optarg;
	}
	if (optind != argc) {
		cmd_warnx("run takes no operands");
		return CERTD_EXIT_USAGE;
	}
	if (config != NULL && certd_config_load(c, config, err,
	    sizeof(err)) != 0) {
		cmd_warnx("%s: %s", config, err);
		return CERTD_EXIT_INPUT;
	}
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'c')
			continue;
		if (run_flag(c, ch, optarg) != 0) {
			for (i = 0; opts[i].name != NULL; i++)
				if (opts[i].val == ch)
					cmd_warnx("--%s: bad value",
					    opts[i].name);
			return CERTD_EXIT_USAGE;
		}
	}
	if (c->store == NULL) {
		cmd_warnx("run needs a store (--store or \"store\")");
		return CERTD_EXIT_USAGE;
	}
	return 0;
}

static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *colon, *h = s;
	unsigned long port;
	size_t hl;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if ((colon = strrchr(s, ':')) == NULL)
		return -1;
	hl = (size_t)(colon - s);
	if (*s == '[') {
		if (hl < 2 || s[hl - 1] != ']')
			return -1;
		h = s + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port > 65535)
		return -1;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*in6);
		return 0;
	}
	return -1;
}

/* Bind before serving (and, later, before dropping privileges). */
static int
bind_listen(const char *listen_at, int *fdp)
{
	struct sockaddr_storage ss;
	char addr[INET6_ADDRSTRLEN];
	socklen_t sl;
	int fd, one = 1;
	unsigned port;

	*fdp = -1;
	if (parse_listen(listen_at, &ss, &sl) != 0) {
		cmd_warnx("listen: want ADDR:PORT, not '%s'", listen_at);
		return CERTD_EXIT_USAGE;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
		cmd_warnx("listen %s: cannot bind", listen_at);
		if (fd != -1)
			close(fd);
		return CERTD_EXIT_INPUT;
	}
	if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    addr, sizeof(addr));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		fprintf(stderr, "listening on %s:%u\n", addr, port);
	} else {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    addr, sizeof(addr));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		fprintf(stderr, "listening on [%s]:%u\n", addr, port);
	}
	*fdp = fd;
	return 0;
}

static int
load_trust(struct run_state *s)
{
	struct sk_buf pem;
	uint8_t md[32];
	unsigned int mdlen = 0;
	int rc;

	if ((rc = certd_store_get_meta(s->st, "anchors", &pem)) != 0 ||
	    (rc = sk_trust_new(pem.data, pem.len, &s->trust)) != 0) {
		sk_buf_free(&pem);
		certd_log(CERTD_LOG_ERR, NULL, "trust anchors: %s",
		    certd_store_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	sk_buf_free(&pem);
	if ((rc = certd_store_get_meta(s->st, "trust_list", &s->list)) != 0 ||
	    (rc = sk_trust_load_list(s->trust, s->list.data, s->list.len,
	    certd_now())) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "trust list: %s",
		    certd_store_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	if (EVP_Digest(s->list.data, s->list.len, md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		return CERTD_EXIT_INTERNAL;
	s->app.trust_etag[0] = '"';
	certd_hex(md, 16, s->app.trust_etag + 1);
	memcpy(s->app.trust_etag + 33, "\"", 2);
	return 0;
}

static int	load_presenter(struct run_state *);

/* The presentation key if configured, and the status lists. */
static int
load_extras(struct run_state *s)
{
	struct certd_sl_opts so;
	int rc;

	s->app.presentation_ttl_s = s->cfg.presentation_ttl_s;
	if ((rc = load_presenter(s)) != 0)
		return rc;
	/* A credential's status uri must be absolute (RFC 3986). */
	if (strstr(s->cfg.public_url, "://") == NULL) {
		certd_log(CERTD_LOG_WARN, NULL, "no status lists: public_url "
		    "is not an absolute URL");
		return 0;
	}
	memset(&so, 0, sizeof(so));
	so.base_url = s->cfg.public_url;
	so.ttl_s = s->cfg.status_ttl_s;
	so.valid_s = s->cfg.status_valid_s;
	so.resign_s = s->cfg.status_resign_s;
	so.sign = certd_signers_sign_statuslist;
	so.sign_ctx = s->signers;
	if ((rc = certd_statuslists_new(s->st, &so, &s->app.status)) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "status lists: want status_ttl_s "
		    ">= %u and >= 2 * status_resign_s, status_valid_s > "
		    "status_ttl_s: %s", CERTD_SL_TTL_MIN, sk_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	return 0;
}

/* The presentation key, if configured. */
static int
load_presenter(struct run_state *s)
{
	char err[512];

	if (s->cfg.presentation_key == NULL &&
	    s->cfg.presentation_cert == NULL)
		return 0;
	if (s->cfg.presentation_key == NULL ||
	    s->cfg.presentation_cert == NULL) {
		certd_log(CERTD_LOG_ERR, NULL, "presentation_key and "
		    "presentation_cert go together");
		return CERTD_EXIT_INPUT;
	}
	if (certd_presenter_load(s->cfg.presentation_key,
	    s->cfg.presentation_cert, s->cfg.presentation_password_file,
	    &s->app.presenter, err, sizeof(err)) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "presentation key: %s", err);
		return CERTD_EXIT_INPUT;
	}
	return 0;
}

static int
load_all(struct run_state *s)
{
	struct certd_store_opts o;
	char err[512];
	int rc, ex;

	memset(&o, 0, sizeof(o));
	o.map_size = s->cfg.map_size_mb << 20;
	if ((rc = certd_store_open(s->cfg.store, &o, &s->st)) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "%s: %s", s->cfg.store,
		    certd_store_strerror(rc));
		return CERTD_EXIT_INPUT;
	}
	if ((ex = load_trust(s)) != 0)
		return ex;
	if ((rc = certd_signers_load(s->st, &s->cfg, &s->signers, err,
	    sizeof(err))) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "%s", err);
		return CERTD_EXIT_INPUT;
	}
	if ((ex = load_extras(s)) != 0)
		return ex;
	if (certd_seals_load(s->st, &s->app.seals, err, sizeof(err)) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "%s", err);
		return CERTD_EXIT_INPUT;
	}
	s->app.store = s->st;
	s->app.signers = s->signers;
	s->app.trust = s->trust;
	s->app.trust_list = s->list.data;
	s->app.trust_list_len = s->list.len;
	s->app.public_url = s->cfg.public_url;
	certd_log(CERTD_LOG_INFO, NULL, "store %s: %zu issuer key%s loaded",
	    s->cfg.store, certd_signers_count(s->signers),
	    certd_signers_count(s->signers) == 1 ? "" : "s");
	return 0;
}

/* Rate limits, then the sandbox (docs/SANDBOX.md): keys are loaded, the
 * socket is bound, syslog is open, no MHD thread runs yet. */
static int
run_harden(struct run_state *s)
{
	struct certd_ratelimit_opts ro;
	struct certd_sandbox_opts so;
	char err[256];
	unsigned did;

	ro.cls[CERTD_RL_ADDRESS].per_min = s->cfg.rate_address_per_min;
	ro.cls[CERTD_RL_ADDRESS].burst = s->cfg.rate_address_burst;
	ro.cls[CERTD_RL_CLIENT].per_min = s->cfg.rate_client_per_min;
	ro.cls[CERTD_RL_CLIENT].burst = s->cfg.rate_client_burst;
	if (certd_ratelimit_new(&ro, &s->rl) != 0)
		return CERTD_EXIT_INTERNAL;
	if (!s->cfg.sandbox) {
		certd_log(CERTD_LOG_WARN, NULL, "sandbox off");
		return 0;
	}
	if (s->cfg.user == NULL && geteuid() == 0)
		certd_log(CERTD_LOG_WARN, NULL, "running as root: "
		    "set \"user\"");
	memset(&so, 0, sizeof(so));
	so.profile = CERTD_SB_SERVE;
	so.user = s->cfg.user;
	so.rw_dir = s->cfg.store;
	/* LMDB never writes past the map: its size bounds every file. */
	so.fsize_max = (uint64_t)s->cfg.map_size_mb << 20;
	so.nofile = s->cfg.max_connections + CERTD_SB_NOFILE_MIN;
	if (certd_sandbox_enter(&so, &did, err, sizeof(err)) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "sandbox: %s", err);
		return CERTD_EXIT_FAIL;
	}
	certd_log(CERTD_LOG_INFO, NULL, "sandbox: %s%s%s%s",
	    did & CERTD_SB_DID_DROP ? "user dropped, " : "", "rlimits, prctl",
	    did & CERTD_SB_DID_LANDLOCK ? ", landlock" : ", no landlock",
	    did & CERTD_SB_DID_SECCOMP ? ", seccomp" : "");
	return 0;
}

static void
metrics_names(void)
{
	static const char *methods[CERTD_METRICS_ROUTES];
	static const char *paths[CERTD_METRICS_ROUTES];
	size_t i;

	for (i = 0; i < certd_nroutes && i < CERTD_METRICS_ROUTES; i++) {
		methods[i] = certd_routes[i].method;
		paths[i] = certd_routes[i].path;
	}
	certd_metrics_init(methods, paths, i);
}

static int
serve(struct run_state *s, const sigset_t *set)
{
	struct certd_http_opts o;
	int sig = 0;

	memset(&o, 0, sizeof(o));
	o.fd = s->fd;
	o.threads = s->cfg.threads;
	o.max_connections = s->cfg.max_connections;
	o.per_address = s->cfg.per_address;
	o.timeout_s = s->cfg.timeout_s;
	o.body_max = s->cfg.body_max;
	o.conn_memory = s->cfg.conn_memory;
	o.ratelimit = s->rl;
	metrics_names();
	if (certd_http_start(&s->app, &o, &s->http) != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "cannot start the HTTP server");
		return CERTD_EXIT_FAIL;
	}
	s->fd = -1;
	/* The pool is up: no thread or process may be created any more. */
	if (s->cfg.sandbox && certd_sandbox_lock_threads() != 0) {
		certd_log(CERTD_LOG_ERR, NULL, "sandbox: cannot lock threads");
		certd_http_stop(s->http);
		s->http = NULL;
		return CERTD_EXIT_FAIL;
	}
	certd_log(CERTD_LOG_INFO, NULL, "serving with %u threads",
	    s->cfg.threads);
	while (sig != SIGTERM && sig != SIGINT)
		if (sigwait(set, &sig) != 0)
			break;
	certd_log(CERTD_LOG_INFO, NULL, "signal %d: shutting down", sig);
	certd_http_stop(s->http);
	s->http = NULL;
	return CERTD_EXIT_OK;
}

static void
run_free(struct run_state *s)
{
	certd_http_stop(s->http);
	if (s->fd != -1)
		close(s->fd);
	certd_statuslists_free(s->app.status);
	certd_presenter_free(s->app.presenter);
	certd_seals_free(s->app.seals);
	certd_signers_free(s->signers);
	/* Writer flushed and joined: everything answered is durable. */
	certd_store_close(s->st);
	sk_trust_free(s->trust);
	certd_ratelimit_free(s->rl);
	sk_buf_free(&s->list);
	certd_config_free(&s->cfg);
}

int
cmd_run(int argc, char **argv)
{
	struct run_state s;
	sigset_t set;
	int ex;

	memset(&s, 0, sizeof(s));
	s.fd = -1;
	if (certd_config_defaults(&s.cfg) != 0)
		return CERTD_EXIT_INTERNAL;
	if ((ex = run_parse(argc, argv, &s.cfg)) != 0) {
		certd_config_free(&s.cfg);
		return ex < 0 ? CERTD_EXIT_OK : ex;
	}
	if (certd_log_init(s.cfg.log, s.cfg.log_level) != 0) {
		certd_config_free(&s.cfg);
		return CERTD_EXIT_USAGE;
	}
	/* Every thread started from here inherits the blocked set. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((ex = load_all(&s)) == 0 &&
	    (ex = bind_listen(s.cfg.listen, &s.fd)) == 0 &&
	    (ex = run_harden(&s)) == 0)
		ex = serve(&s, &set);
	run_free(&s);
	certd_log(CERTD_LOG_INFO, NULL, "stopped");
	certd_log_close();
	return ex;
}
