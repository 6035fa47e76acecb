/*
 * sandbox.c: privilege drop, rlimits, prctl, Landlock and seccomp
 * (docs/SANDBOX.md).
 */
/* setresuid, setresgid, O_PATH, CLONE_THREAD. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "sandbox.h"

/* Debug builds trap; sanitizer builds also allow the runtime's calls. */
#if defined(__SANITIZE_ADDRESS__)
#define SB_SANITIZER	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_SANITIZER	1
#endif
#endif
#ifndef SB_SANITIZER
#define SB_SANITIZER	0
#endif
#if SB_SANITIZER || !defined(NDEBUG)
#define SB_DEBUG	1
#else
#define SB_DEBUG	0
#endif

/* Landlock ABI >= 3 names that Debian 12's <linux/landlock.h> lacks. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

/* struct landlock_ruleset_attr as of ABI 6; the size passed follows ABI. */
struct sb_ll_attr {
	uint64_t	fs;
	uint64_t	net;
	uint64_t	scoped;
};

static void
sb_err(char *err, size_t errlen, const char *what)
{
	(void)snprintf(err, errlen, "%s: %s", what, strerror(errno));
}

/*
 * Privileges.
 */

static int
sb_verify_ids(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return -1;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid ||
	    sg != gid || getgroups(0, NULL) != 0)
		return -1;
	/* Nothing of root may come back. */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		return -1;
	return 0;
}

int
certd_sandbox_drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (user == NULL || strlen(user) > CERTD_SB_USER_MAX) {
		(void)snprintf(err, errlen, "no user to drop to");
		return SK_ERR_ARG;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL || pw->pw_uid == 0 ||
	    pw->pw_gid == 0) {
		(void)snprintf(err, errlen, "user %s: unknown or root", user);
		return SK_ERR_ARG;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (geteuid() != 0)
		return 0;
	if (setgroups(0, NULL) != 0) {
		sb_err(err, errlen, "setgroups");
		return SK_ERR_IO;
	}
	if (setresgid(gid, gid, gid) != 0) {
		sb_err(err, errlen, "setresgid");
		return SK_ERR_IO;
	}
	if (setresuid(uid, uid, uid) != 0) {
		sb_err(err, errlen, "setresuid");
		return SK_ERR_IO;
	}
	if (sb_verify_ids(uid, gid) != 0) {
		(void)snprintf(err, errlen, "user %s: ids not dropped for good",
		    user);
		return SK_ERR_IO;
	}
	return 0;
}

int
certd_sandbox_rlimits(uint64_t fsize_max, unsigned nofile)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return SK_ERR_IO;
	if (getrlimit(RLIMIT_FSIZE, &rl) != 0)
		return SK_ERR_IO;
	if (rl.rlim_max == RLIM_INFINITY || fsize_max < rl.rlim_max)
		rl.rlim_max = (rlim_t)fsize_max;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return SK_ERR_IO;
	/* A write over the limit fails with EFBIG instead of killing. */
	if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
		return SK_ERR_IO;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return SK_ERR_IO;
	if (rl.rlim_max == RLIM_INFINITY || nofile < rl.rlim_max)
		rl.rlim_max = nofile;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return SK_ERR_IO;
	return 0;
}

int
certd_sandbox_prctl(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return SK_ERR_IO;
	return 0;
}

/*
 * Landlock.
 */

#ifdef SYS_landlock_create_ruleset
static uint64_t
ll_fs_handled(int abi)
{
	uint64_t fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return fs;
}

static int
ll_allow(int rfd, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb;
	int fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC | O_DIRECTORY)) == -1)
		return -1;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, rfd,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	return rc == 0 ? 0 : -1;
}

static int
ll_rules(int rfd, int abi, const char *rw_dir)
{
	uint64_t rw;

	rw = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR;
	if (abi >= 3)
		rw |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (rw_dir != NULL && ll_allow(rfd, rw_dir, rw) != 0)
		return -1;
	/* LeakSanitizer reads /proc/self/maps and /proc/self/task at exit. */
	if (SB_SANITIZER && ll_allow(rfd, "/proc",
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR) != 0)
		return -1;
	return 0;
}

int
certd_sandbox_landlock(const char *rw_dir)
{
	struct sb_ll_attr a;
	size_t asz = sizeof(a.fs);
	int abi, rfd;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi <= 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : SK_ERR_IO;
	memset(&a, 0, sizeof(a));
	a.fs = ll_fs_handled(abi);
	if (abi >= 4) {
		a.net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
		asz = offsetof(struct sb_ll_attr, scoped);
	}
	if (abi >= 6) {
		a.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
		asz = sizeof(a);
	}
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &a, asz, 0)) < 0)
		return SK_ERR_IO;
	if (ll_rules(rfd, abi, rw_dir) != 0 ||
	    syscall(SYS_landlock_restrict_self, rfd, 0) != 0) {
		close(rfd);
		return SK_ERR_IO;
	}
	close(rfd);
	return abi;
}
#else
int
certd_sandbox_landlock(const char *rw_dir)
{
	(void)rw_dir;
	return 0;
}
#endif

/*
 * seccomp.
 */

/* How one table entry is added. */
enum sb_how {
	SB_ALLOW,	/* always */
	SB_ARG_EQ,	/* if argument arg == val */
	SB_ARG_MASK,	/* if (argument arg & val) == val */
	SB_ERRNO	/* fail with errno val */
};

struct sb_rule {
	const char	*name;
	enum sb_how	 how;
	unsigned	 arg;
	uint64_t	 val;
};

#define SB_PID	UINT64_MAX	/* val placeholder: this process's pid */

/*
 * The single certd process while serving: MHD threads on epoll, LMDB on
 * its open, mapped files, OpenSSL signing, logging to stderr or syslog.
 */
static const struct sb_rule serve_rules[] = {
	{ "read", SB_ALLOW, 0, 0 },
	{ "write", SB_ALLOW, 0, 0 },
	{ "readv", SB_ALLOW, 0, 0 },
	{ "writev", SB_ALLOW, 0, 0 },
	{ "pread64", SB_ALLOW, 0, 0 },
	{ "pwrite64", SB_ALLOW, 0, 0 },
	{ "close", SB_ALLOW, 0, 0 },
	{ "fstat", SB_ALLOW, 0, 0 },
	{ "newfstatat", SB_ALLOW, 0, 0 },
	{ "lseek", SB_ALLOW, 0, 0 },
	{ "fcntl", SB_ALLOW, 0, 0 },
	{ "fsync", SB_ALLOW, 0, 0 },
	{ "fdatasync", SB_ALLOW, 0, 0 },
	{ "msync", SB_ALLOW, 0, 0 },
	{ "mmap", SB_ALLOW, 0, 0 },
	{ "munmap", SB_ALLOW, 0, 0 },
	{ "mprotect", SB_ALLOW, 0, 0 },
	{ "mremap", SB_ALLOW, 0, 0 },
	{ "madvise", SB_ALLOW, 0, 0 },
	{ "brk", SB_ALLOW, 0, 0 },
	{ "futex", SB_ALLOW, 0, 0 },
	{ "set_robust_list", SB_ALLOW, 0, 0 },
	{ "rseq", SB_ALLOW, 0, 0 },
	{ "sched_yield", SB_ALLOW, 0, 0 },
	{ "sched_getaffinity", SB_ALLOW, 0, 0 },
	{ "clock_gettime", SB_ALLOW, 0, 0 },
	{ "clock_getres", SB_ALLOW, 0, 0 },
	{ "clock_nanosleep", SB_ALLOW, 0, 0 },
	{ "nanosleep", SB_ALLOW, 0, 0 },
	{ "gettimeofday", SB_ALLOW, 0, 0 },
	{ "getrandom", SB_ALLOW, 0, 0 },
	{ "sysinfo", SB_ALLOW, 0, 0 },
	{ "getpid", SB_ALLOW, 0, 0 },
	{ "gettid", SB_ALLOW, 0, 0 },
	{ "getuid", SB_ALLOW, 0, 0 },
	{ "geteuid", SB_ALLOW, 0, 0 },
	{ "getgid", SB_ALLOW, 0, 0 },
	{ "getegid", SB_ALLOW, 0, 0 },
	{ "rt_sigprocmask", SB_ALLOW, 0, 0 },
	{ "rt_sigtimedwait", SB_ALLOW, 0, 0 },
	{ "rt_sigreturn", SB_ALLOW, 0, 0 },
	{ "restart_syscall", SB_ALLOW, 0, 0 },
	{ "exit", SB_ALLOW, 0, 0 },
	{ "exit_group", SB_ALLOW, 0, 0 },
	{ "epoll_create1", SB_ALLOW, 0, 0 },
	{ "epoll_ctl", SB_ALLOW, 0, 0 },
	{ "epoll_wait", SB_ALLOW, 0, 0 },
	{ "epoll_pwait", SB_ALLOW, 0, 0 },
	{ "poll", SB_ALLOW, 0, 0 },
	{ "ppoll", SB_ALLOW, 0, 0 },
	{ "eventfd2", SB_ALLOW, 0, 0 },
	{ "pipe2", SB_ALLOW, 0, 0 },
	{ "accept", SB_ALLOW, 0, 0 },
	{ "accept4", SB_ALLOW, 0, 0 },
	{ "recvfrom", SB_ALLOW, 0, 0 },
	{ "recvmsg", SB_ALLOW, 0, 0 },
	{ "sendto", SB_ALLOW, 0, 0 },
	{ "sendmsg", SB_ALLOW, 0, 0 },
	{ "shutdown", SB_ALLOW, 0, 0 },
	{ "getsockopt", SB_ALLOW, 0, 0 },
	{ "setsockopt", SB_ALLOW, 0, 0 },
	{ "getsockname", SB_ALLOW, 0, 0 },
	{ "getpeername", SB_ALLOW, 0, 0 },
	/* syslog(3) reconnects to /dev/log: AF_UNIX sockets only. */
	{ "socket", SB_ARG_EQ, 0, AF_UNIX },
	{ "connect", SB_ALLOW, 0, 0 },
	/* raise(3) in the debug SIGSYS handler and abort(3). */
	{ "tgkill", SB_ARG_EQ, 0, SB_PID },
	/* pthread_setname_np on the calling thread (MHD). */
	{ "prctl", SB_ARG_EQ, 0, PR_SET_NAME },
	/* Threads until certd_sandbox_lock_threads(); glibc tries clone3
	 * first, whose flags a filter cannot see, and falls back to clone. */
	{ "clone", SB_ARG_MASK, 0, CLONE_THREAD },
	{ "clone3", SB_ERRNO, 0, ENOSYS },
	/* Stacking certd_sandbox_lock_threads(): filters only narrow. */
	{ "seccomp", SB_ARG_EQ, 0, SECCOMP_SET_MODE_FILTER },
	/* Files are open before the sandbox; late opens fail, not kill. */
	{ "open", SB_ERRNO, 0, EACCES },
	{ "openat", SB_ERRNO, 0, EACCES },
	{ NULL, SB_ALLOW, 0, 0 }
};

/* Sanitizer builds only: what ASan, UBSan and LeakSanitizer call. */
static const struct sb_rule sanitizer_rules[] = {
	{ "clone", SB_ALLOW, 0, 0 },
	{ "ptrace", SB_ALLOW, 0, 0 },
	{ "wait4", SB_ALLOW, 0, 0 },
	{ "prctl", SB_ALLOW, 0, 0 },
	{ "open", SB_ALLOW, 0, 0 },
	{ "openat", SB_ALLOW, 0, 0 },
	{ "readlink", SB_ALLOW, 0, 0 },
	{ "readlinkat", SB_ALLOW, 0, 0 },
	{ "getdents", SB_ALLOW, 0, 0 },
	{ "getdents64", SB_ALLOW, 0, 0 },
	{ "sigaltstack", SB_ALLOW, 0, 0 },
	{ "rt_sigaction", SB_ALLOW, 0, 0 },
	{ "getppid", SB_ALLOW, 0, 0 },
	{ "mincore", SB_ALLOW, 0, 0 },
	{ "getrlimit", SB_ALLOW, 0, 0 },
	{ "prlimit64", SB_ALLOW, 0, 0 },
	{ "dup", SB_ALLOW, 0, 0 },
	{ "dup2", SB_ALLOW, 0, 0 },
	{ "dup3", SB_ALLOW, 0, 0 },
	{ NULL, SB_ALLOW, 0, 0 }
};

static const struct sb_rule *const profiles[CERTD_SB_PROFILES] = {
	[CERTD_SB_SERVE] = serve_rules,
};

/* Sanitizer rules replace the serve rules of the same call. */
static int
sb_overridden(const char *name)
{
	size_t i;

	if (!SB_SANITIZER)
		return 0;
	for (i = 0; sanitizer_rules[i].name != NULL; i++)
		if (strcmp(sanitizer_rules[i].name, name) == 0)
			return 1;
	return 0;
}

static int
sb_add(scmp_filter_ctx ctx, const struct sb_rule *r)
{
	uint64_t val = r->val;
	int nr;

	/* Calls this architecture does not have (open on arm64). */
	if ((nr = seccomp_syscall_resolve_name(r->name)) == __NR_SCMP_ERROR)
		return 0;
	if (val == SB_PID)
		val = (uint64_t)getpid();
	switch (r->how) {
	case SB_ALLOW:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	case SB_ARG_EQ:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_CMP(r->arg, SCMP_CMP_EQ, val, 0));
	case SB_ARG_MASK:
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		    SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, val, val));
	case SB_ERRNO:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO((uint32_t)val), nr,
		    0);
	}
	return -EINVAL;
}

static int
sb_add_all(scmp_filter_ctx ctx, const struct sb_rule *rules, int check)
{
	size_t i;

	for (i = 0; rules[i].name != NULL; i++) {
		if (check && sb_overridden(rules[i].name))
			continue;
		if (sb_add(ctx, &rules[i]) != 0)
			return -1;
	}
	return 0;
}

/* Debug builds: name the forbidden call, then die of SIGSYS anyway. */
static void
sb_sigsys(int sig, siginfo_t *si, void *uc)
{
	static const char pre[] = "certd: seccomp: forbidden system call ";
	char num[16];
	size_t n = sizeof(num);
	unsigned v;
	ssize_t w;

	(void)uc;
	v = si->si_syscall < 0 ? 0 : (unsigned)si->si_syscall;
	num[--n] = '\n';
	do {
		num[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n > 0);
	w = write(STDERR_FILENO, pre, sizeof(pre) - 1);
	w = write(STDERR_FILENO, num + n, sizeof(num) - n);
	(void)w;
	raise(sig);
}

static int
sb_trap_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sb_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL);
}

static int
sb_load(scmp_filter_ctx ctx)
{
	/* Debug builds: the kernel's audit log names every trapped call,
	 * also in LeakSanitizer's tracer, which blocks SIGSYS. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0 ||
	    (SB_DEBUG && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1) !=
	    0) || seccomp_load(ctx) != 0)
		return SK_ERR_IO;
	return 0;
}

int
certd_sandbox_seccomp(enum certd_sb_profile profile)
{
	scmp_filter_ctx ctx;
	int rc = SK_ERR_IO;

	if ((unsigned)profile >= CERTD_SB_PROFILES)
		return SK_ERR_ARG;
	if (SB_DEBUG && sb_trap_handler() != 0)
		return SK_ERR_IO;
	ctx = seccomp_init(SB_DEBUG ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return SK_ERR_NOMEM;
	if (sb_add_all(ctx, profiles[profile], 1) == 0 &&
	    (!SB_SANITIZER || sb_add_all(ctx, sanitizer_rules, 0) == 0))
		rc = sb_load(ctx);
	seccomp_release(ctx);
	return rc;
}

int
certd_sandbox_lock_threads(void)
{
	scmp_filter_ctx ctx;
	int rc = SK_ERR_IO;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return SK_ERR_NOMEM;
	/* LeakSanitizer's tracer is a clone without CLONE_THREAD.  No new
	 * privileges is set already; the first filter forbids setting it. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) == 0 &&
	    seccomp_rule_add(ctx, SB_DEBUG ? SCMP_ACT_TRAP :
	    SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) == 0 &&
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0) == 0)
		rc = sb_load(ctx);
	seccomp_release(ctx);
	return rc;
}

int
certd_sandbox_debug_build(void)
{
	return SB_DEBUG;
}

/*
 * Everything, in order.
 */

int
certd_sandbox_enter(const struct certd_sandbox_opts *o, unsigned *did,
    char *err, size_t errlen)
{
	int rc;

	*did = 0;
	/* Pre-warm what would open files later: the time zone. */
	tzset();
	if (certd_sandbox_rlimits(o->fsize_max, o->nofile) != 0) {
		sb_err(err, errlen, "setrlimit");
		return SK_ERR_IO;
	}
	if (o->user != NULL && geteuid() == 0) {
		if ((rc = certd_sandbox_drop_privileges(o->user, err,
		    errlen)) != 0)
			return rc;
		*did |= CERTD_SB_DID_DROP;
	}
	if (certd_sandbox_prctl() != 0) {
		sb_err(err, errlen, "prctl");
		return SK_ERR_IO;
	}
	if ((rc = certd_sandbox_landlock(o->rw_dir)) < 0) {
		sb_err(err, errlen, "landlock");
		return rc;
	}
	if (rc > 0)
		*did |= CERTD_SB_DID_LANDLOCK;
	if ((rc = certd_sandbox_seccomp(o->profile)) != 0) {
		(void)snprintf(err, errlen, "seccomp: cannot load the filter");
		return rc;
	}
	*did |= CERTD_SB_DID_SECCOMP;
	return 0;
}
