/*
 * log.h: certd's logging, to stderr or syslog, with levels and request
 * ids.  Callers never pass tokens, keys, passwords or request bodies;
 * the formatter also replaces control characters so that a logged value
 * cannot forge a line.
 */
#ifndef CERTD_LOG_H
#define CERTD_LOG_H

enum certd_log_level {
	CERTD_LOG_ERR = 0,
	CERTD_LOG_WARN,
	CERTD_LOG_INFO,
	CERTD_LOG_DEBUG
};

/* Hex characters of a request id. */
#define CERTD_REQID_LEN		16u
/* Longest log line, longer messages are cut. */
#define CERTD_LOG_LINE_MAX	1024u

/*
 * Select the target ("stderr" or "syslog") and the lowest level logged
 * ("err", "warn", "info", "debug").  NULL keeps the current setting
 * (stderr, info).  syslog is opened with LOG_NDELAY (pre-opened before any
 * later sandboxing) under the name "certd", facility daemon.
 * @return 0, or -1 for an unknown name.
 */
int	certd_log_init(const char *target, const char *level);
void	certd_log_close(void);
/* Parse a level name; -1 if unknown. */
int	certd_log_level_parse(const char *name);

/* Log one line; reqid may be NULL. */
void	certd_log(int level, const char *reqid, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* A fresh random request id: CERTD_REQID_LEN hex characters and a NUL. */
void	certd_reqid_new(char out[CERTD_REQID_LEN + 1]);

#endif /* CERTD_LOG_H */
