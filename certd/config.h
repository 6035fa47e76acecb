/*
 * config.h: certd's run configuration: a strict JSON file (unknown keys,
 * wrong types, duplicate keys and out-of-range values are rejected) whose
 * values command line flags override.  docs/CERTD.md lists every key.
 */
#ifndef CERTD_CONFIG_H
#define CERTD_CONFIG_H

#include <stddef.h>

/* Longest config file. */
#define CERTD_CONFIG_MAX	(64u * 1024u)
/* Issuer key entries in one config. */
#define CERTD_MAX_ISSUERS	64u
/* Bounds of the numeric settings (inclusive). */
#define CERTD_THREADS_MAX	256u
#define CERTD_CONN_MAX		65536u
#define CERTD_TIMEOUT_MAX	3600u
#define CERTD_BODY_MIN		4096u
#define CERTD_BODY_MAX		(4u * 1024u * 1024u)
#define CERTD_CONNMEM_MIN	(16u * 1024u)
#define CERTD_CONNMEM_MAX	(4u * 1024u * 1024u)
#define CERTD_MAPSIZE_MIN_MB	16u
#define CERTD_MAPSIZE_MAX_MB	(16u * 1024u * 1024u)
/* Longest path or string value. */
#define CERTD_CONFIG_STR_MAX	4096u

/* Where one issuer's private key lives; overrides the path init recorded. */
struct certd_issuer_key {
	char	*uscc;		/* owned; the issuer's USCC */
	char	*key;		/* owned; key file path */
	char	*password_file;	/* owned; NULL if the key is not encrypted */
};

struct certd_config {
	char		*store;		/* owned; store directory */
	char		*listen;	/* owned; "ADDR:PORT" */
	unsigned	 threads;	/* HTTP worker threads */
	char		*log;		/* owned; "stderr" or "syslog" */
	char		*log_level;	/* owned; "err".."debug" */
	unsigned	 max_connections;
	unsigned	 per_address;	/* connections per client address */
	unsigned	 timeout_s;	/* idle connection timeout */
	size_t		 body_max;	/* request body cap, bytes */
	size_t		 conn_memory;	/* MHD per-connection memory */
	size_t		 map_size_mb;	/* LMDB map size */
	char		*public_url;	/* owned; base of links, "" = none */
	struct certd_issuer_key *keys;	/* owned array */
	size_t		 nkeys;
	/* Status lists and presentation codes (statuslists.h,
	 * presentations.h: defaults and bounds). */
	unsigned	 status_ttl_s;
	unsigned	 status_valid_s;
	unsigned	 status_resign_s;
	unsigned	 presentation_ttl_s;
	char		*presentation_key;	/* owned; NULL: none */
	char		*presentation_cert;	/* owned; NULL: none */
	char		*presentation_password_file; /* owned; or NULL */
	/* Sandbox and rate limits (docs/SANDBOX.md, ratelimit.h). */
	int		 sandbox;	/* 1: sandbox after start-up */
	char		*user;		/* owned; drop root to; NULL: none */
	unsigned	 rate_address_per_min;
	unsigned	 rate_address_burst;
	unsigned	 rate_client_per_min;
	unsigned	 rate_client_burst;
};

/* Fill c with the defaults (docs/CERTD.md); strings are allocated. */
int	certd_config_defaults(struct certd_config *c);

/*
 * Parse JSON text over the values already in c (call
 * certd_config_defaults() first).  On error, err gets a message naming the
 * key and c keeps what it had before the failing key.
 * @return 0 or -1.
 */
int	certd_config_parse(struct certd_config *c, const char *json,
	    size_t len, char *err, size_t errlen);
/* As certd_config_parse, reading a file of at most CERTD_CONFIG_MAX. */
int	certd_config_load(struct certd_config *c, const char *path, char *err,
	    size_t errlen);

/* Replace a string setting (flags); 0 or -1 (no memory). */
int	certd_config_set(char **field, const char *value);

/* Free what c owns and clear it.  NULL is ok. */
void	certd_config_free(struct certd_config *c);

#endif /* CERTD_CONFIG_H */
