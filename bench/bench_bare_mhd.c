/*
 * bench_bare_mhd: the reference server of bench/certd.sh.  A bare
 * libmicrohttpd daemon started with the options certd_http_start uses
 * (certd/http.c: internal polling thread, ITC, epoll, a thread pool,
 * connection limits, strict parsing) that answers every request with the
 * same JSON body, so that certd's figures are ratios to what the HTTP
 * layer alone does on this machine.
 *
 * Usage: bench_bare_mhd PORT THREADS [BODY-FILE]
 * Prints "listening on 127.0.0.1:PORT" on stderr (PORT 0 picks one) and
 * serves until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

/* certd's defaults (docs/CERTD.md, configuration). */
#define BARE_MAX_CONN	1024u
#define BARE_PER_ADDR	64u
#define BARE_TIMEOUT_S	30u
#define BARE_CONN_MEM	65536u
#define BARE_BODY_MAX	(1024u * 1024u)

static const char default_body[] = "{\"status\":\"ok\"}";

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct MHD_Response *resp = cls;

	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	if (*con_cls == NULL) {
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(c, MHD_HTTP_OK, resp);
}

static int
read_body(const char *path, char **out, size_t *len)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if ((buf = malloc(BARE_BODY_MAX)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, BARE_BODY_MAX, f);
	if (ferror(f) || !feof(f) || n == 0) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static int
listen_on(unsigned port)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 512) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
		close(fd);
		return -1;
	}
	fprintf(stderr, "listening on 127.0.0.1:%u\n",
	    (unsigned)ntohs(sa.sin_port));
	return fd;
}

static unsigned long
number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v > max)
		return max + 1;
	return v;
}

int
main(int argc, char *argv[])
{
	struct MHD_Response *resp;
	struct MHD_Daemon *d;
	unsigned long port, threads;
	unsigned int flags;
	char *body = NULL;
	size_t len = sizeof(default_body) - 1;
	int fd;

	if (argc < 3 || argc > 4 ||
	    (port = number(argv[1], 65535)) > 65535 ||
	    (threads = number(argv[2], 256)) > 256 || threads == 0) {
		fprintf(stderr, "usage: bench_bare_mhd PORT THREADS "
		    "[BODY-FILE]\n");
		return 2;
	}
	if (argc == 4 && read_body(argv[3], &body, &len) != 0) {
		fprintf(stderr, "bench_bare_mhd: cannot read %s\n", argv[3]);
		return 3;
	}
	resp = MHD_create_response_from_buffer(len, body != NULL ? body :
	    (void *)(uintptr_t)default_body, MHD_RESPMEM_MUST_COPY);
	free(body);
	if (resp == NULL)
		return 4;
	/* The headers certd sends with every reply. */
	(void)MHD_add_response_header(resp, "Content-Type",
	    "application/json");
	(void)MHD_add_response_header(resp, "X-Request-Id",
	    "0123456789abcdef");
	(void)MHD_add_response_header(resp, "X-Content-Type-Options",
	    "nosniff");
	(void)MHD_add_response_header(resp, "Cache-Control", "no-store");
	if ((fd = listen_on((unsigned)port)) < 0) {
		perror("bench_bare_mhd: listen");
		return 1;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
	    MHD_USE_EPOLL : MHD_USE_AUTO;
	d = MHD_start_daemon(flags, 0, NULL, NULL, answer, resp,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)BARE_MAX_CONN,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)BARE_PER_ADDR,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)BARE_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)BARE_CONN_MEM,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bench_bare_mhd: MHD_start_daemon failed\n");
		MHD_destroy_response(resp);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	close(fd);
	return 0;
}
