/*
 * store.h: certd's LMDB store (docs/CERTD.md "Store").
 *
 * One environment, named databases: licences, holders (holder index),
 * clients, access (用证记录), events, issuers, meta.  Values are versioned
 * CBOR records whose first element is the record version.  Every write
 * goes through one writer thread: callers queue a request and sleep (or
 * leave a callback: the *_async calls); the writer takes everything
 * queued, applies each request in its own nested transaction (a request
 * that fails its checks is rolled back alone), and commits the batch
 * once, durably, before it wakes the callers (or calls the callbacks)
 * with their own results (group commit).  Reads use their own read-only
 * transactions and never wait for the writer.
 *
 * This header is the only door to the store, so that the store can move
 * into its own process (STYLE.md section 4) behind the same calls.
 * All functions are thread-safe.  Every string argument is NUL-terminated.
 */
#ifndef CERTD_STORE_H
#define CERTD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"
#include "sealkit/ident.h"
#include "sealkit/licence.h"

/* The schema this build reads and writes (meta key "schema"). */
#define CERTD_SCHEMA_VERSION	1u
/* Version written as the first element of every record. */
#define CERTD_RECORD_VERSION	1u

/* Errors beyond SK_ERR_* (see certd_store_strerror). */
#define CERTD_ERR_CONFLICT	(-100)	/* state forbids the change */
#define CERTD_ERR_STORE		(-101)	/* LMDB failed */
#define CERTD_ERR_SCHEMA	(-102)	/* store of a newer or no schema */
#define CERTD_ERR_FULL		(-103)	/* map full */
#define CERTD_ERR_CLOSED	(-104)	/* store is shutting down */
#define CERTD_ERR_EXISTS	(-105)	/* store directory already in use */

/* Field limits (bytes, no NUL). */
#define CERTD_ID_MAX		SK_LICENCE_MAX_IDENT
#define CERTD_HOLDER_MAX	SK_LICENCE_MAX_NUMBER
#define CERTD_TYPE_MAX		SK_IDENT_TYPE_LEN
#define CERTD_USCC_MAX		SK_USCC_LEN
#define CERTD_NAME_MAX		64u	/* client name */
#define CERTD_PURPOSE_MAX	256u	/* access purpose */
#define CERTD_MATTER_MAX	64u	/* matter code (事项编码) */
#define CERTD_REASON_MAX	64u	/* status change reason code */
#define CERTD_PATH_MAX		4096u	/* key file path */
/* Largest record value read back. */
#define CERTD_RECORD_MAX	(80u * 1024u)
/* Largest meta value (trust list, anchors). */
#define CERTD_META_MAX		(4u * 1024u * 1024u)
/* Most entries one list call returns, and entries one access write holds. */
#define CERTD_PAGE_MAX		100u
/* Most issuers a store holds. */
#define CERTD_STORE_ISSUERS_MAX	64u

/* Licence states (the Token Status List values). */
#define CERTD_STATE_VALID	0u
#define CERTD_STATE_REVOKED	1u
#define CERTD_STATE_SUSPENDED	2u

/* Status changes. */
enum certd_action {
	CERTD_ACT_SUSPEND = 1,
	CERTD_ACT_REINSTATE,
	CERTD_ACT_REVOKE
};

struct certd_store;

struct certd_store_opts {
	size_t	 map_size;	/* bytes; 0 = 4 GiB */
	int	 create;	/* create a new store; refuse an existing one */
};

/* Who and why, for events and access entries (all borrowed). */
struct certd_actor {
	const char	*client;	/* client name, "" for operators */
	const char	*reqid;		/* request id, "" if none */
	int64_t		 time;		/* seconds since the epoch */
};

/* A licence record.  cred is owned (certd_licence_rec_clear). */
struct certd_licence_rec {
	char		 id[CERTD_ID_MAX + 1];
	char		 holder[CERTD_HOLDER_MAX + 1];
	char		 type[CERTD_TYPE_MAX + 1];
	char		 issuer[CERTD_USCC_MAX + 1];
	unsigned	 state;		/* CERTD_STATE_* */
	int64_t		 issued;
	int64_t		 updated;
	/* Room for the status list index (assigned by the status module). */
	int		 has_status_idx;
	uint64_t	 status_idx;
	uint8_t		*cred;		/* COSE_Sign1 bytes */
	size_t		 credlen;
};

/* One access-log entry (用证记录).  Strings owned by the entry. */
struct certd_access {
	uint64_t	 seq;
	int64_t		 time;
	char		 client[CERTD_NAME_MAX + 1];
	char		 purpose[CERTD_PURPOSE_MAX + 1];
	char		 matter[CERTD_MATTER_MAX + 1];
	char		 licence[CERTD_ID_MAX + 1];	/* "" if none */
	char		 reqid[32];
	char		 presentation[33];	/* redeemed code's id (hex), or "" */
};

/* A client.  hash is SHA-256 of its token. */
struct certd_client {
	uint8_t		 hash[32];
	char		 name[CERTD_NAME_MAX + 1];
	unsigned	 scopes;	/* CERTD_SCOPE_* bits (auth.h) */
	int64_t		 created;
	int64_t		 revoked;	/* 0 while active */
};

/* An issuer: its certificate and where its key file is (never the key). */
struct certd_issuer_rec {
	char		 uscc[CERTD_USCC_MAX + 1];
	uint8_t		*cert;		/* owned DER */
	size_t		 certlen;
	char		 key_path[CERTD_PATH_MAX + 1];
};

/* Counters and sizes for /metrics. */
struct certd_store_stats {
	uint64_t	 batches;	/* committed write transactions */
	uint64_t	 writes;	/* requests applied in them */
	uint64_t	 licences;	/* entries in licences */
	uint64_t	 access;	/* entries in access */
	uint64_t	 bytes_used;	/* pages in use * page size */
	uint64_t	 map_size;
};

/*
 * Open (or with opts->create, create) the store in directory dir, check
 * its schema, and start the writer thread.  Nothing is scanned.
 * @param out  set to the store (certd_store_close) or NULL.
 * @return 0, CERTD_ERR_EXISTS (create on a store that exists),
 *         CERTD_ERR_SCHEMA (not a store, or a newer schema),
 *         CERTD_ERR_STORE, SK_ERR_IO, SK_ERR_NOMEM.
 */
int	certd_store_open(const char *dir, const struct certd_store_opts *opts,
	    struct certd_store **out) SK_WUR;
/*
 * Refuse new writes, let the writer finish everything queued, join it and
 * close the environment.  Callers must have stopped reading.  NULL is ok.
 */
void	certd_store_close(struct certd_store *st);
/* A message for a certd or sk error. */
const char *certd_store_strerror(int err);

/* Hot, compacting copy into dir (created 0700 if absent; must be empty). */
int	certd_store_backup(struct certd_store *st, const char *dir) SK_WUR;
void	certd_store_stats(struct certd_store *st, struct certd_store_stats *s);
/* 0 if a read transaction can be opened (health check). */
int	certd_store_ping(struct certd_store *st) SK_WUR;

/*
 * Writes.  Each blocks until its batch is durable and returns its own
 * result (the *_async ones call back instead).
 */
/* Set a meta value (init: anchors, trust list). */
int	certd_store_put_meta(struct certd_store *st, const char *key,
	    const uint8_t *val, size_t len) SK_WUR;
/*
 * Store a new licence with its holder index entry and an "issue" event.
 * @return 0, SK_ERR_DUPLICATE (the identifier exists: nothing stored),
 *         SK_ERR_ARG, CERTD_ERR_*.
 */
int	certd_store_put_licence(struct certd_store *st,
	    const struct certd_licence_rec *rec,
	    const struct certd_actor *who) SK_WUR;
/*
 * Asynchronous variants of the two writes on the request path: queue and
 * return at once.  done(arg, rc) then runs exactly once on the writer
 * thread, after the batch is durable (or has failed), with the result the
 * blocking call would have returned; it must be short and must not call
 * the store.  rec, who, holder and e stay borrowed until done runs.
 * @return 0: queued; otherwise the error, and done will not run.
 */
int	certd_store_put_licence_async(struct certd_store *st,
	    const struct certd_licence_rec *rec,
	    const struct certd_actor *who, void (*done)(void *, int),
	    void *arg) SK_WUR;
int	certd_store_log_access_async(struct certd_store *st,
	    const char *holder, const struct certd_access *e, size_t n,
	    void (*done)(void *, int), void *arg) SK_WUR;
/*
 * Apply a status change.  Revoked is final; repeating a change gives 0
 * with *changed 0.  A change writes an event carrying reason.
 * @param state    the state afterwards.
 * @return 0, SK_ERR_NOTFOUND, CERTD_ERR_CONFLICT (revoked), CERTD_ERR_*.
 */
int	certd_store_set_status(struct certd_store *st, const char *id,
	    enum certd_action act, const char *reason,
	    const struct certd_actor *who, unsigned *state, int *changed)
	    SK_WUR;
/*
 * Append n (1..CERTD_PAGE_MAX) access-log entries for holder; seq and
 * time are assigned here.
 */
int	certd_store_log_access(struct certd_store *st, const char *holder,
	    const struct certd_access *e, size_t n) SK_WUR;
/* Add a client; SK_ERR_DUPLICATE if the name exists. */
int	certd_store_put_client(struct certd_store *st,
	    const struct certd_client *c) SK_WUR;
/* Revoke a client by name; SK_ERR_NOTFOUND; revoking twice is 0. */
int	certd_store_revoke_client(struct certd_store *st, const char *name,
	    int64_t when) SK_WUR;
/* Record an issuer; SK_ERR_DUPLICATE if its USCC is already there. */
int	certd_store_put_issuer(struct certd_store *st,
	    const struct certd_issuer_rec *r) SK_WUR;

/*
 * Reads.
 */
/* A meta value into out (initialised here, max CERTD_META_MAX). */
int	certd_store_get_meta(struct certd_store *st, const char *key,
	    struct sk_buf *out) SK_WUR;
/* The licence with identifier id; SK_ERR_NOTFOUND. */
int	certd_store_get_licence(struct certd_store *st, const char *id,
	    struct certd_licence_rec *out) SK_WUR;
void	certd_licence_rec_clear(struct certd_licence_rec *r);
/*
 * Identifiers of holder's licences (of type, if not NULL), in key order,
 * after the page token after (NULL: from the start), at most limit
 * (1..CERTD_PAGE_MAX).  ids receives *n copies (free each and the array);
 * next receives the token of the following page or "" at the end.
 */
int	certd_store_list_holder(struct certd_store *st, const char *holder,
	    const char *type, const char *after, size_t limit, char ***ids,
	    size_t *n, char next[CERTD_TYPE_MAX + CERTD_ID_MAX + 2]) SK_WUR;
/*
 * Access-log entries of holder with seq > after, oldest first, at most
 * limit.  *out is an array of *n (free()); *next the seq to continue
 * after, 0 at the end.
 */
int	certd_store_list_access(struct certd_store *st, const char *holder,
	    uint64_t after, size_t limit, struct certd_access **out,
	    size_t *n, uint64_t *next) SK_WUR;
/* The client whose token hashes to hash; SK_ERR_NOTFOUND. */
int	certd_store_get_client(struct certd_store *st, const uint8_t hash[32],
	    struct certd_client *out) SK_WUR;
/* Every client (an admin command, not a request path), via fn. */
int	certd_store_each_client(struct certd_store *st,
	    void (*fn)(void *, const struct certd_client *), void *ctx) SK_WUR;
/* Every issuer (at most CERTD_STORE_ISSUERS_MAX), via fn; r is borrowed. */
int	certd_store_each_issuer(struct certd_store *st,
	    int (*fn)(void *, const struct certd_issuer_rec *), void *ctx)
	    SK_WUR;

/*
 * Extensions: databases owned by other modules (seals.c), reached through
 * a write callback that the writer thread runs inside the request's own
 * nested transaction (so it is atomic and group-committed like the rest),
 * and through a read of one key.  Keys are 1..CERTD_XKEY_MAX bytes; meta
 * keys "seq" and "schema" are refused (SK_ERR_ARG).
 */
#define CERTD_XKEY_MAX		512u

enum certd_xdb {
	CERTD_XDB_SEALS = 1,	/* "seals" */
	CERTD_XDB_META,		/* "meta" */
	CERTD_XDB_STATUS,	/* "status" (statuslists.c) */
	CERTD_XDB_PRESENTATIONS	/* "presentations" (presentations.c) */
};

struct certd_wtx;

/*
 * Run fn(tx, ctx) in the writer; its non-zero return rolls back what it
 * wrote and is returned here.  Blocks until the batch is durable.
 */
int	certd_store_ext_write(struct certd_store *st,
	    int (*fn)(struct certd_wtx *, void *), void *ctx) SK_WUR;
/* Inside fn: append the value of key to out; SK_ERR_NOTFOUND. */
int	certd_wtx_get(struct certd_wtx *tx, enum certd_xdb db,
	    const void *key, size_t klen, struct sk_buf *out) SK_WUR;
/* Inside fn: put; nooverwrite gives SK_ERR_DUPLICATE if key exists. */
int	certd_wtx_put(struct certd_wtx *tx, enum certd_xdb db,
	    const void *key, size_t klen, const uint8_t *val, size_t len,
	    int nooverwrite) SK_WUR;
/* Inside fn: an event for id (events database, as licence events). */
int	certd_wtx_event(struct certd_wtx *tx, const char *id,
	    const char *kind, const char *reason,
	    const struct certd_actor *who) SK_WUR;
/*
 * Inside fn: append n (1..CERTD_PAGE_MAX) access-log entries for holder,
 * as certd_store_log_access (presentations.c: redemption).
 */
int	certd_wtx_access(struct certd_wtx *tx, const char *holder,
	    const struct certd_access *e, size_t n) SK_WUR;
/*
 * The status-list module's hook: run inside every status change of a
 * licence whose record has a status slot, in the change's transaction,
 * with the slot and the new state; its error rolls the change back.  Set
 * it before serving (statuslists.c); NULL removes it.
 */
void	certd_store_set_status_hook(struct certd_store *st,
	    int (*fn)(void *, struct certd_wtx *, uint64_t, unsigned),
	    void *ctx);
/* Append the value of key to out (a read transaction); SK_ERR_NOTFOUND. */
int	certd_store_ext_get(struct certd_store *st, enum certd_xdb db,
	    const void *key, size_t klen, struct sk_buf *out) SK_WUR;

#endif /* CERTD_STORE_H */
