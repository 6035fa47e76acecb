/*
 * log.c: stderr or syslog lines "TIME certd[PID] LEVEL [REQID] message".
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "log.h"
#include "util.h"

static atomic_int log_level = CERTD_LOG_INFO;
static atomic_int log_syslog;

static const char *const level_names[] = { "err", "warn", "info", "debug" };

int
certd_log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(name, level_names[i]) == 0)
			return (int)i;
	return -1;
}

int
certd_log_init(const char *target, const char *level)
{
	int lv = atomic_load(&log_level), sys = atomic_load(&log_syslog);

	if (level != NULL && (lv = certd_log_level_parse(level)) < 0)
		return -1;
	if (target != NULL) {
		if (strcmp(target, "stderr") == 0)
			sys = 0;
		else if (strcmp(target, "syslog") == 0)
			sys = 1;
		else
			return -1;
	}
	if (sys && !atomic_load(&log_syslog))
		openlog("certd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	atomic_store(&log_level, lv);
	atomic_store(&log_syslog, sys);
	return 0;
}

void
certd_log_close(void)
{
	if (atomic_exchange(&log_syslog, 0))
		closelog();
}

/* Control characters could forge log lines: replace them. */
static void
sanitise(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

void
certd_log(int level, const char *reqid, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	char msg[CERTD_LOG_LINE_MAX], ts[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < CERTD_LOG_ERR || level > CERTD_LOG_DEBUG ||
	    level > atomic_load(&log_level))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sanitise(msg);
	if (atomic_load(&log_syslog)) {
		if (reqid != NULL)
			syslog(prio[level], "%s [%s] %s", level_names[level],
			    reqid, msg);
		else
			syslog(prio[level], "%s %s", level_names[level], msg);
		return;
	}
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		ts[0] = '\0';
	if (reqid != NULL)
		fprintf(stderr, "%s certd[%ld] %s [%s] %s\n", ts,
		    (long)getpid(), level_names[level], reqid, msg);
	else
		fprintf(stderr, "%s certd[%ld] %s %s\n", ts, (long)getpid(),
		    level_names[level], msg);
}

void
certd_reqid_new(char out[CERTD_REQID_LEN + 1])
{
	static atomic_uint_fast64_t fallback;
	uint8_t r[CERTD_REQID_LEN / 2];
	uint64_t n;
	size_t i;

	if (RAND_bytes(r, (int)sizeof(r)) != 1) {
		/* Ids only correlate log lines; uniqueness is enough. */
		n = atomic_fetch_add(&fallback, 1) + 1;
		for (i = 0; i < sizeof(r); i++)
			r[i] = (uint8_t)(n >> (8 * i));
	}
	certd_hex(r, sizeof(r), out);
}
