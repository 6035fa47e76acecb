/*
 * test_store.c: the LMDB store: create/open, schema check, group commit
 * under many threads, nested-transaction isolation of a failing request,
 * status transitions, the access log, and a backup that opens and holds
 * the data.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lmdb.h>

#include "sktest.h"
#include "store.h"

#define NTHREADS	8
#define NWRITES		40
#define TYPE		"11990000000000107Q001"

static char dir[256];

static void
tmpdir(char *out, size_t len, const char *name)
{
	(void)snprintf(out, len, "%s/%s", dir, name);
}

static void
fill(struct certd_licence_rec *r, const char *id, const char *holder)
{
	static uint8_t cred[] = { 0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40 };

	memset(r, 0, sizeof(*r));
	(void)snprintf(r->id, sizeof(r->id), "%s", id);
	(void)snprintf(r->holder, sizeof(r->holder), "%s", holder);
	memcpy(r->type, TYPE, sizeof(TYPE));
	memcpy(r->issuer, "11990100000000019F", 19);
	r->issued = r->updated = 1700000000;
	r->cred = cred;
	r->credlen = sizeof(cred);
}

static struct certd_store *
open_new(const char *name)
{
	struct certd_store_opts o = { 64u << 20, 1 };
	struct certd_store *st = NULL;
	char p[300];

	tmpdir(p, sizeof(p), name);
	SKT_RC(certd_store_open(p, &o, &st), 0);
	return st;
}

static void
test_open(void)
{
	struct certd_store_opts c = { 64u << 20, 1 }, o = { 64u << 20, 0 };
	struct certd_store *st = NULL;
	char p[300];

	tmpdir(p, sizeof(p), "open");
	SKT_RC(certd_store_open(p, &o, &st), CERTD_ERR_SCHEMA);
	SKT_CHECK(st == NULL);
	SKT_RC(certd_store_open(p, &c, &st), 0);
	certd_store_close(st);
	SKT_RC(certd_store_open(p, &c, &st), CERTD_ERR_EXISTS);
	SKT_RC(certd_store_open(p, &o, &st), 0);
	SKT_RC(certd_store_ping(st), 0);
	SKT_RC(certd_store_put_meta(st, "schema", (const uint8_t *)"x", 1),
	    SK_ERR_ARG);
	certd_store_close(st);
	certd_store_close(NULL);
}

/* Write a schema number into meta behind the store's back. */
static void
set_schema(const char *p, uint64_t v)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k, d;
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
	SKT_RC(mdb_env_create(&env), 0);
	SKT_RC(mdb_env_set_maxdbs(env, 8), 0);
	SKT_RC(mdb_env_open(env, p, 0, 0600), 0);
	SKT_RC(mdb_txn_begin(env, NULL, 0, &txn), 0);
	SKT_RC(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	k.mv_data = (void *)(uintptr_t)"schema";
	k.mv_size = 6;
	d.mv_data = b;
	d.mv_size = 8;
	SKT_RC(mdb_put(txn, dbi, &k, &d, 0), 0);
	SKT_RC(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void
test_schema(void)
{
	struct certd_store_opts o = { 64u << 20, 0 };
	struct certd_store *st = open_new("schema");
	char p[300];

	certd_store_close(st);
	tmpdir(p, sizeof(p), "schema");
	set_schema(p, CERTD_SCHEMA_VERSION + 1);
	SKT_RC(certd_store_open(p, &o, &st), CERTD_ERR_SCHEMA);
	set_schema(p, 0);
	SKT_RC(certd_store_open(p, &o, &st), CERTD_ERR_SCHEMA);
	set_schema(p, CERTD_SCHEMA_VERSION);
	SKT_RC(certd_store_open(p, &o, &st), 0);
	certd_store_close(st);
}

struct worker {
	struct certd_store	*st;
	int			 n;
	int			 fails;
	int			 dups;
};

static void *
writer(void *arg)
{
	struct worker *w = arg;
	struct certd_licence_rec r;
	struct certd_actor who = { "test", "", 1700000000 };
	char id[64];
	int i, rc;

	for (i = 0; i < NWRITES; i++) {
		/* Every other request collides and must fail alone. */
		fill(&r, "DUP", "HDUP");
		if (certd_store_put_licence(w->st, &r, &who) ==
		    SK_ERR_DUPLICATE)
			w->dups++;
		(void)snprintf(id, sizeof(id), "T%d.%d", w->n, i);
		fill(&r, id, "HOLDER");
		if ((rc = certd_store_put_licence(w->st, &r, &who)) != 0)
			w->fails++;
	}
	return NULL;
}

static void
test_group_commit(void)
{
	struct certd_store *st = open_new("group");
	struct certd_licence_rec r;
	struct certd_actor who = { "test", "", 1700000000 };
	struct certd_store_stats s;
	struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	char id[64], next[CERTD_TYPE_MAX + CERTD_ID_MAX + 2], **ids;
	size_t n, total = 0;
	int i, j, missing = 0, fails = 0, dups = 0;

	fill(&r, "DUP", "HFIRST");
	SKT_RC(certd_store_put_licence(st, &r, &who), 0);
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].st = st;
		w[i].n = i;
		SKT_EQ(pthread_create(&t[i], NULL, writer, &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		fails += w[i].fails;
		dups += w[i].dups;
	}
	SKT_EQ(fails, 0);
	SKT_EQ(dups, NTHREADS * NWRITES);
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < NWRITES; j++) {
			(void)snprintf(id, sizeof(id), "T%d.%d", i, j);
			if (certd_store_get_licence(st, id, &r) != 0)
				missing++;
			certd_licence_rec_clear(&r);
		}
	SKT_EQ(missing, 0);
	certd_store_stats(st, &s);
	SKT_EQ(s.licences, NTHREADS * NWRITES + 1);
	/* Failed requests are not counted as committed writes. */
	SKT_EQ(s.writes, NTHREADS * NWRITES + 1);
	SKT_CHECK(s.batches < s.writes);
	printf("# %llu writes in %llu commits\n",
	    (unsigned long long)s.writes, (unsigned long long)s.batches);
	/* The duplicates' index entries were rolled back with them. */
	SKT_RC(certd_store_list_holder(st, "HDUP", NULL, NULL, 10, &ids, &n,
	    next), 0);
	SKT_EQ(n, 0);
	free(ids);
	SKT_RC(certd_store_list_holder(st, "HFIRST", NULL, NULL, 10, &ids, &n,
	    next), 0);
	SKT_EQ(n, 1);
	free(ids[0]);
	free(ids);
	/* Pages of 7 cover HOLDER's licences exactly once. */
	next[0] = '\0';
	do {
		char after[sizeof(next)];

		memcpy(after, next, sizeof(next));
		SKT_RC(certd_store_list_holder(st, "HOLDER", TYPE, after, 7,
		    &ids, &n, next), 0);
		for (j = 0; j < (int)n; j++)
			free(ids[j]);
		free(ids);
		total += n;
	} while (next[0] != '\0' && total < 10000);
	SKT_EQ(total, NTHREADS * NWRITES);
	certd_store_close(st);
}

static void
test_status(void)
{
	struct certd_store *st = open_new("status");
	struct certd_licence_rec r;
	struct certd_actor who = { "t", "r", 1700000001 };
	unsigned state;
	int changed;

	fill(&r, "S1", "H");
	SKT_RC(certd_store_put_licence(st, &r, &who), 0);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_SUSPEND, "x", &who,
	    &state, &changed), 0);
	SKT_EQ(state, CERTD_STATE_SUSPENDED);
	SKT_EQ(changed, 1);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_SUSPEND, "x", &who,
	    &state, &changed), 0);
	SKT_EQ(changed, 0);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_REINSTATE, "x",
	    &who, &state, &changed), 0);
	SKT_EQ(state, CERTD_STATE_VALID);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_REVOKE, "x", &who,
	    &state, &changed), 0);
	SKT_EQ(state, CERTD_STATE_REVOKED);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_REVOKE, "x", &who,
	    &state, &changed), 0);
	SKT_EQ(changed, 0);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_REINSTATE, "x",
	    &who, &state, &changed), CERTD_ERR_CONFLICT);
	SKT_RC(certd_store_set_status(st, "S1", CERTD_ACT_SUSPEND, "x", &who,
	    &state, &changed), CERTD_ERR_CONFLICT);
	SKT_RC(certd_store_set_status(st, "NOPE", CERTD_ACT_SUSPEND, "x",
	    &who, &state, &changed), SK_ERR_NOTFOUND);
	SKT_RC(certd_store_get_licence(st, "S1", &r), 0);
	SKT_EQ(r.state, CERTD_STATE_REVOKED);
	SKT_EQ(r.updated, 1700000001);
	certd_licence_rec_clear(&r);
	certd_store_close(st);
}

static void
test_access(void)
{
	struct certd_store *st = open_new("access");
	struct certd_access e[5], *out;
	size_t n, i;
	uint64_t next;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 5; i++) {
		(void)snprintf(e[i].purpose, sizeof(e[i].purpose), "p%zu", i);
		memcpy(e[i].client, "c", 2);
		memcpy(e[i].matter, "M", 2);
		e[i].time = (int64_t)i;
	}
	SKT_RC(certd_store_log_access(st, "H1", e, 5), 0);
	SKT_RC(certd_store_log_access(st, "H2", e, 1), 0);
	SKT_RC(certd_store_log_access(st, "H1", e, 0), SK_ERR_ARG);
	SKT_RC(certd_store_list_access(st, "H1", 0, 3, &out, &n, &next), 0);
	SKT_EQ(n, 3);
	SKT_CHECK(next != 0);
	SKT_CHECK(strcmp(out[2].purpose, "p2") == 0);
	free(out);
	SKT_RC(certd_store_list_access(st, "H1", next, 3, &out, &n, &next), 0);
	SKT_EQ(n, 2);
	SKT_EQ(next, 0);
	SKT_CHECK(strcmp(out[1].purpose, "p4") == 0);
	free(out);
	SKT_RC(certd_store_list_access(st, "H", 0, 3, &out, &n, &next), 0);
	SKT_EQ(n, 0);
	free(out);
	certd_store_close(st);
}

static void
test_backup(void)
{
	struct certd_store_opts o = { 64u << 20, 0 };
	struct certd_store *st = open_new("orig"), *bk = NULL;
	struct certd_licence_rec r;
	struct certd_actor who = { "t", "r", 1 };
	char p[300];

	fill(&r, "B1", "H");
	SKT_RC(certd_store_put_licence(st, &r, &who), 0);
	tmpdir(p, sizeof(p), "backup");
	SKT_RC(certd_store_backup(st, p), 0);
	SKT_RC(certd_store_backup(st, p), CERTD_ERR_EXISTS);
	certd_store_close(st);
	SKT_RC(certd_store_open(p, &o, &bk), 0);
	SKT_RC(certd_store_get_licence(bk, "B1", &r), 0);
	SKT_EQ(r.credlen, 6);
	certd_licence_rec_clear(&r);
	certd_store_close(bk);
}

int
main(void)
{
	char cmd[300];

	(void)snprintf(dir, sizeof(dir), "%s/certd-store-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	SKT_RUN(test_open);
	SKT_RUN(test_schema);
	SKT_RUN(test_group_commit);
	SKT_RUN(test_status);
	SKT_RUN(test_access);
	SKT_RUN(test_backup);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return skt_done();
}
