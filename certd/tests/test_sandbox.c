/*
 * test_sandbox.c: each case runs in a forked child and the parent judges
 * how it ended.  Under the serving profile a forbidden system call
 * (execve, an AF_INET or AF_PACKET socket, ptrace, a thread after the
 * lock) ends the child by SIGSYS -- killed in release builds, trapped and
 * re-raised in debug and sanitizer builds: the same signal either way
 * (docs/SANDBOX.md) -- while epoll, clocks, pipes, AF_UNIX sockets and
 * randomness keep working and a late open fails with EACCES.  Also:
 * rlimits, the root drop to "nobody" and Landlock (when the kernel has
 * it).
 */
/* pipe2, unshare. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sandbox.h"
#include "sktest.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER	1
#endif
#endif
#ifndef SANITIZER
#define SANITIZER	0
#endif

/* Child exit codes: which step failed. */
#define C_OK		0
#define C_SETUP		10
#define C_STEP		20

static int
serve_profile(void)
{
	if (certd_sandbox_prctl() != 0 ||
	    certd_sandbox_seccomp(CERTD_SB_SERVE) != 0)
		return -1;
	return 0;
}

/* Run fn in a child; the wait status. */
static int
in_child(int (*fn)(void))
{
	pid_t pid;
	int st = -1;

	fflush(NULL);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static int
killed_by_sigsys(int st)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
}

static int
exited(int st, int code)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

static int
do_execve(void)
{
	char *const argv[] = { (char *)(uintptr_t)"true", NULL };
	char *const envp[] = { NULL };

	if (serve_profile() != 0)
		return C_SETUP;
	execve("/bin/true", argv, envp);
	return C_STEP;
}

static int
do_inet_socket(void)
{
	if (serve_profile() != 0)
		return C_SETUP;
	(void)socket(AF_INET, SOCK_STREAM, 0);
	return C_STEP;
}

static int
do_packet_socket(void)
{
	if (serve_profile() != 0)
		return C_SETUP;
	(void)socket(AF_PACKET, SOCK_RAW, 0);
	return C_STEP;
}

static int
do_ptrace(void)
{
	if (serve_profile() != 0)
		return C_SETUP;
	/* Sanitizer builds allow ptrace for LeakSanitizer: unshare there. */
	if (!SANITIZER)
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	(void)unshare(0);
	return C_STEP;
}

static void *
nothing(void *arg)
{
	return arg;
}

static int
do_thread_after_lock(void)
{
	pthread_t t;

	if (serve_profile() != 0)
		return C_SETUP;
	/* Before the lock, threads may still be made. */
	if (pthread_create(&t, NULL, nothing, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		return C_STEP;
	if (certd_sandbox_lock_threads() != 0)
		return C_SETUP;
	(void)pthread_create(&t, NULL, nothing, NULL);
	return C_STEP + 1;
}

/* What a serving process does all day. */
static int
do_allowed(void)
{
	struct epoll_event ev;
	struct timespec ts;
	uint8_t rnd[16];
	int ep, p[2], u;
	char c = 'x';

	if (serve_profile() != 0)
		return C_SETUP;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1 || pipe2(p,
	    O_CLOEXEC) != 0)
		return C_STEP;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) != 0 ||
	    write(p[1], &c, 1) != 1 || epoll_wait(ep, &ev, 1, 1000) != 1 ||
	    read(p[0], &c, 1) != 1)
		return C_STEP + 1;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 ||
	    clock_gettime(CLOCK_REALTIME, &ts) != 0 ||
	    getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return C_STEP + 2;
	if ((u = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return C_STEP + 3;
	close(u);
	/* A late open fails cleanly instead of killing (sanitizer builds
	 * allow it: LeakSanitizer reads /proc). */
	if (!SANITIZER && (open("/etc/passwd", O_RDONLY | O_CLOEXEC) != -1 ||
	    errno != EACCES))
		return C_STEP + 4;
	if (prctl(PR_SET_NAME, "certd-test", 0, 0, 0) != 0)
		return C_STEP + 5;
	close(ep);
	return C_OK;
}

static void
test_forbidden(void)
{
	int st;

	st = in_child(do_execve);
	SKT_CHECK(killed_by_sigsys(st));
	st = in_child(do_inet_socket);
	SKT_CHECK(killed_by_sigsys(st));
	st = in_child(do_packet_socket);
	SKT_CHECK(killed_by_sigsys(st));
	st = in_child(do_ptrace);
	SKT_CHECK(killed_by_sigsys(st));
	st = in_child(do_thread_after_lock);
	SKT_CHECK(killed_by_sigsys(st));
}

static void
test_allowed(void)
{
	int st;

	st = in_child(do_allowed);
	SKT_CHECK(exited(st, C_OK));
	if (!exited(st, C_OK))
		fprintf(stderr, "allowed child: status %#x\n", st);
}

static int
do_rlimits(void)
{
	struct rlimit rl;
	char buf[8192], path[] = "/tmp/certd-sbx-XXXXXX";
	ssize_t n;
	int fd;

	if (certd_sandbox_rlimits(4096, 64) != 0)
		return C_SETUP;
	if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_max != 0 ||
	    getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max > 64 ||
	    getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_max != 4096)
		return C_STEP;
	if ((fd = mkstemp(path)) == -1)
		return C_SETUP;
	unlink(path);
	memset(buf, 'a', sizeof(buf));
	/* Over the limit: a short write, then EFBIG, and no SIGXFSZ. */
	n = write(fd, buf, sizeof(buf));
	if (n != 4096 || write(fd, buf, 1) != -1 || errno != EFBIG)
		return C_STEP + 1;
	return C_OK;
}

static void
test_rlimits(void)
{
	SKT_CHECK(exited(in_child(do_rlimits), C_OK));
}

static int
do_drop(void)
{
	struct passwd *pw;
	char err[128];

	if ((pw = getpwnam("nobody")) == NULL)
		return C_SETUP;
	if (certd_sandbox_drop_privileges("nobody", err, sizeof(err)) != 0)
		return C_STEP;
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || setuid(0) != -1 || setgid(0) != -1)
		return C_STEP + 1;
	return C_OK;
}

static void
test_drop(void)
{
	char err[128];

	SKT_RC(certd_sandbox_drop_privileges("root", err, sizeof(err)),
	    SK_ERR_ARG);
	SKT_RC(certd_sandbox_drop_privileges("no-such-user-certd", err,
	    sizeof(err)), SK_ERR_ARG);
	SKT_RC(certd_sandbox_drop_privileges(NULL, err, sizeof(err)),
	    SK_ERR_ARG);
	if (geteuid() != 0 || getpwnam("nobody") == NULL) {
		printf("# not root or no user nobody: drop not exercised\n");
		return;
	}
	SKT_CHECK(exited(in_child(do_drop), C_OK));
}

static char ll_dir[64];

static int
do_landlock(void)
{
	char path[128];
	int fd, abi;

	if (certd_sandbox_prctl() != 0)
		return C_SETUP;
	if ((abi = certd_sandbox_landlock(ll_dir)) < 0)
		return C_STEP;
	if (abi == 0)
		return 77;
	(void)snprintf(path, sizeof(path), "%s/data", ll_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) != -1)
		return C_STEP + 1;	/* creating files is not granted */
	(void)snprintf(path, sizeof(path), "%s/existing", ll_dir);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return C_STEP + 2;
	close(fd);
	if (open("/etc/passwd", O_RDONLY | O_CLOEXEC) != -1 ||
	    errno != EACCES)
		return C_STEP + 3;
	return C_OK;
}

static void
test_landlock(void)
{
	char path[128];
	int st, fd;

	memcpy(ll_dir, "/tmp/certd-ll-XXXXXX", 21);
	if (mkdtemp(ll_dir) == NULL) {
		SKT_CHECK(0);
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/existing", ll_dir);
	SKT_CHECK((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) !=
	    -1);
	if (fd != -1)
		close(fd);
	st = in_child(do_landlock);
	if (exited(st, 77))
		printf("# kernel without Landlock: not exercised\n");
	else
		SKT_CHECK(exited(st, C_OK));
	unlink(path);
	(void)snprintf(path, sizeof(path), "%s/data", ll_dir);
	unlink(path);
	rmdir(ll_dir);
}

int
main(void)
{
	printf("# %s build: forbidden calls %s\n",
	    certd_sandbox_debug_build() ? "debug/sanitizer" : "release",
	    certd_sandbox_debug_build() ? "trap, then SIGSYS" :
	    "kill (SIGSYS)");
	SKT_RUN(test_forbidden);
	SKT_RUN(test_allowed);
	SKT_RUN(test_rlimits);
	SKT_RUN(test_drop);
	SKT_RUN(test_landlock);
	return skt_done();
}
