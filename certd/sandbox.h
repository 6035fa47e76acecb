/*
 * sandbox.h: what a certd process gives up once it holds everything it
 * needs (docs/SANDBOX.md): root (setgroups, setresgid, setresuid, then
 * verified), core dumps and ptrace (PR_SET_DUMPABLE 0), new privileges
 * (PR_SET_NO_NEW_PRIVS), resources (rlimits), the file system (Landlock,
 * best effort) and system calls (a seccomp allow-list per profile).
 *
 * Each process kind gets its own profile.  certd is one process today, so
 * CERTD_SB_SERVE is the only profile; the network, signer and db children
 * of the planned privilege separation each get their own entry in
 * sandbox.c's table.
 */
#ifndef CERTD_SANDBOX_H
#define CERTD_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"

/* Longest user name accepted for the privilege drop. */
#define CERTD_SB_USER_MAX	64u
/* File descriptors beyond the connections (RLIMIT_NOFILE). */
#define CERTD_SB_NOFILE_MIN	64u

/* The profiles: which system calls a process kind may make. */
enum certd_sb_profile {
	CERTD_SB_SERVE = 0,	/* the single certd process, serving */
	CERTD_SB_PROFILES
};

/* What certd_sandbox_enter() reports it did (for the log and tests). */
#define CERTD_SB_DID_DROP	0x01u	/* privileges dropped and verified */
#define CERTD_SB_DID_LANDLOCK	0x02u	/* file system restricted */
#define CERTD_SB_DID_SECCOMP	0x04u	/* system call filter installed */

struct certd_sandbox_opts {
	enum certd_sb_profile	 profile;
	const char		*user;		/* borrowed; NULL: keep ids */
	const char		*rw_dir;	/* borrowed; NULL: no files */
	uint64_t		 fsize_max;	/* bytes; 0: no file writes */
	unsigned		 nofile;	/* RLIMIT_NOFILE */
};

/*
 * When running as root, switch for good to user's uid and gid (supplementary
 * groups cleared) and verify that none of root can be regained (real,
 * effective and saved ids, setuid(0) fails).  A no-op when not root.
 * Call before any thread exists that must not keep root (glibc applies
 * set*id to every thread, but call early anyway).
 * @return 0, SK_ERR_ARG (unknown user or uid 0), SK_ERR_IO (a call failed
 * or the check did).  err gets the reason.
 */
int	certd_sandbox_drop_privileges(const char *user, char *err,
	    size_t errlen) SK_WUR;

/*
 * RLIMIT_CORE 0, RLIMIT_FSIZE fsize_max, RLIMIT_NOFILE nofile (soft and
 * hard, never raised above the current hard limit).
 * @return 0 or SK_ERR_IO.
 */
int	certd_sandbox_rlimits(uint64_t fsize_max, unsigned nofile) SK_WUR;

/*
 * PR_SET_DUMPABLE 0 (no core, no ptrace by the same uid, /proc/self
 * owned by root) and PR_SET_NO_NEW_PRIVS 1.  @return 0 or SK_ERR_IO.
 */
int	certd_sandbox_prctl(void) SK_WUR;

/*
 * Landlock: from here on this thread and the threads and processes it
 * creates may open files only under rw_dir (read and write; NULL: no file
 * at all), may not bind or connect TCP sockets (ABI >= 4), and may not
 * signal or reach abstract sockets outside the domain (ABI >= 6).  Threads
 * that already exist are not restricted (docs/SANDBOX.md).  Needs
 * PR_SET_NO_NEW_PRIVS.
 * @return the ABI used (> 0), 0 if the kernel offers no Landlock, or
 * SK_ERR_IO.
 */
int	certd_sandbox_landlock(const char *rw_dir) SK_WUR;

/*
 * Install profile's seccomp allow-list on every thread of the process
 * (TSYNC).  A call outside the list kills the process (SIGSYS) in release
 * builds; in debug and sanitizer builds it raises SIGSYS after the number
 * of the call is written to stderr, and the sanitizer runtime's own calls
 * are allowed (docs/SANDBOX.md).  New threads may still be created (clone
 * with CLONE_THREAD) until certd_sandbox_lock_threads().  Needs
 * PR_SET_NO_NEW_PRIVS.  @return 0, SK_ERR_ARG, SK_ERR_IO.
 */
int	certd_sandbox_seccomp(enum certd_sb_profile profile) SK_WUR;

/*
 * Stack a second filter that forbids creating threads or processes: call
 * once the fixed thread pool runs.  @return 0 or SK_ERR_IO.
 */
int	certd_sandbox_lock_threads(void) SK_WUR;

/*
 * All of the above in order: pre-warm (tzset), rlimits, privilege drop,
 * prctl, Landlock, seccomp.  *did gets CERTD_SB_DID_* bits.  On error the
 * process is half-sandboxed and must exit.
 * @return 0, SK_ERR_ARG, SK_ERR_IO; err gets the reason.
 */
int	certd_sandbox_enter(const struct certd_sandbox_opts *o,
	    unsigned *did, char *err, size_t errlen) SK_WUR;

/* 1 if this build traps instead of killing (debug or sanitizer build). */
int	certd_sandbox_debug_build(void);

#endif /* CERTD_SANDBOX_H */
