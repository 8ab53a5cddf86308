// links: store/store.c store/store-job.c store/store-usage.c
/* SPDX-License-Identifier: MIT */
/*
 * covers: schema creation and reopen (migrations are idempotent), job
 * insert/update round trip through every column, script/env/argv blobs,
 * active-job listing, accounting filters (ids, states, users, names,
 * time window), max id, array rows, the 2 -> 3 migration (array
 * columns added, old-layout records dropped), and fair-share usage rows
 * (insert, replace, reload after reopen).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "store/store.h"
#include "t.h"

struct coll {
	uint32_t	ids[64];
	uint32_t	n;
	struct job	last;
};

static void
collect(void *arg, struct job *j)
{
	struct coll *c = arg;

	if (c->n < 64)
		c->ids[c->n++] = j->id;
	job_free(&c->last);
	c->last = *j;
	free(j);
}

struct ucoll {
	uint32_t	n;
	uint32_t	uid[4];
	double		usage[4];
	int64_t		stamp[4];
};

static void
ucollect(void *arg, uint32_t uid, double usage, int64_t stamp)
{
	struct ucoll *u = arg;

	if (u->n < 4) {
		u->uid[u->n] = uid;
		u->usage[u->n] = usage;
		u->stamp[u->n] = stamp;
		u->n++;
	}
}

struct rcoll {
	char		recs[256];
	uint32_t	n;
	uint32_t	decoded;
};

static void
rec_collect(void *arg, uint32_t id, uint32_t state, const void *rec,
    size_t len, struct job *j)
{
	struct rcoll *r = arg;
	size_t at = strlen(r->recs);

	(void)id;
	r->n++;
	if (rec != NULL)
		snprintf(r->recs + at, sizeof r->recs - at, "%.*s,", (int)len,
		    (const char *)rec);
	else {
		snprintf(r->recs + at, sizeof r->recs - at, "(%u),", state);
		r->decoded++;
		job_free(j);
		free(j);
	}
}

/* Empty the collector, releasing the last record it kept. */
static void
coll_reset(struct coll *c)
{
	job_free(&c->last);
	memset(c, 0, sizeof *c);
}

static void
mkjob(struct job *j, uint32_t id, uint32_t state, uint32_t uid,
    const char *name, int64_t end)
{
	job_init(j);
	j->id = id;
	j->state = state;
	j->uid = uid;
	j->name = xstrdup(name);
	j->partition = xstrdup("cpu");
	j->submit_time = 1000 + id;
	j->end_time = end;
}

int
main(void)
{
	char dir[] = "/tmp/berth-test-store-XXXXXX", *path, *cause = NULL;
	struct store *st;
	struct job j;
	struct coll c;
	struct rcoll r;
	struct job_filter f;
	char *script, **env, **argv;
	char e1[] = "A=1", e2[] = "PATH=/bin", a1[] = "x y";
	char *envin[] = { e1, e2, NULL }, *argin[] = { a1, NULL };
	uint32_t max, ids[2], uids[1];

	if (mkdtemp(dir) == NULL)
		return 1;
	path = xprintf("%s/berth.db", dir);
	st = store_open(path, &cause);
	ok(st != NULL, "store opens a new database (%s)", cause ? cause : "");
	if (st == NULL)
		return done_testing();

	is_int(store_begin(st, &cause), 0, "begin");
	mkjob(&j, 1, JOB_COMPLETE, 1000, "a", 1500);
	j.exit_status = 3 << 8;
	j.mem_mb = 5000000000ull;
	j.kill_uid = NO_VAL;
	j.comment = xstrdup("with 'quotes'");
	is_int(store_job_insert(st, &j, "R1", 2, "#!/bin/sh\necho hi\n",
	    envin, argin, &cause), 0, "insert job 1");
	job_free(&j);
	mkjob(&j, 2, JOB_PENDING, 1000, "b", 0);
	store_job_insert(st, &j, NULL, 0, "#!/bin/sh\n", NULL, NULL,
	    &cause);
	job_free(&j);
	mkjob(&j, 3, JOB_RUNNING, 2000, "c", 0);
	store_job_insert(st, &j, NULL, 0, "#!/bin/sh\n", NULL, NULL,
	    &cause);
	j.start_time = 77;
	j.cpu_ids = xstrdup("0-1");
	is_int(store_job_update(st, &j, "R3", 2, &cause), 0, "update job 3");
	job_free(&j);
	mkjob(&j, 4, JOB_FAILED, 2000, "a", 3000);
	store_job_insert(st, &j, NULL, 0, "#!/bin/sh\n", NULL, NULL,
	    &cause);
	job_free(&j);
	is_int(store_commit(st, &cause), 0, "commit");

	is_int(store_job_data(st, 1, &script, &env, &argv, &cause), 0,
	    "job data reads back");
	is_str(script, "#!/bin/sh\necho hi\n", "script");
	is_str(env[1], "PATH=/bin", "environment");
	ok(env[2] == NULL, "environment length");
	is_str(argv[0], "x y", "arguments keep spaces");
	free(script);
	strv_free(env);
	strv_free(argv);

	memset(&c, 0, sizeof c);
	is_int(store_jobs_active(st, collect, &c, &cause), 0, "active query");
	ok(c.n == 2 && c.ids[0] == 2 && c.ids[1] == 3,
	    "active jobs are the pending and the running one (n=%u)", c.n);
	is_int(c.last.start_time, 77, "updated column read back");
	is_str(c.last.cpu_ids, "0-1", "updated string read back");

	memset(&f, 0, sizeof f);
	coll_reset(&c);
	ids[0] = 1;
	f.ids = ids;
	f.nids = 1;
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	is_int(c.n, 1, "query by id");
	is_int(c.last.exit_status, 3 << 8, "exit status");
	ok(c.last.mem_mb == 5000000000ull, "64-bit memory");
	is_int(c.last.kill_uid, NO_VAL, "unsigned NO_VAL survives");
	is_str(c.last.comment, "with 'quotes'", "text with quotes");

	memset(&f, 0, sizeof f);
	coll_reset(&c);
	f.states = 1u << JOB_FAILED | 1u << JOB_COMPLETE;
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	ok(c.n == 2 && c.ids[0] == 1 && c.ids[1] == 4, "query by states");

	memset(&f, 0, sizeof f);
	coll_reset(&c);
	uids[0] = 2000;
	store_jobs_query(st, &f, uids, 1, collect, &c, &cause);
	ok(c.n == 2 && c.ids[0] == 3 && c.ids[1] == 4, "query by uid");

	memset(&f, 0, sizeof f);
	coll_reset(&c);
	f.names = strv_split("a", ",", NULL);
	f.start = 2000;
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	ok(c.n == 1 && c.ids[0] == 4,
	    "name filter plus window drops jobs that ended before it");
	strv_free(f.names);

	/* Stored records come back as they were given; rows without one
	 * come back decoded. */
	memset(&f, 0, sizeof f);
	memset(&r, 0, sizeof r);
	store_recs_query(st, &f, NULL, 0, rec_collect, &r, &cause);
	is_int(r.n, 4, "record query returns every row");
	is_str(r.recs, "R1,(0),R3,(5),", "records, and decoded rows (state)");
	is_int(r.decoded, 2, "rows without a record are decoded");

	store_begin(st, &cause);
	is_int(store_job_data_delete(st, 1, &cause), 0, "drop job data");
	store_commit(st, &cause);
	ok(store_job_data(st, 1, &script, &env, &argv, &cause) == -1,
	    "dropped data is gone");
	free(cause);
	cause = NULL;

	store_begin(st, &cause);
	/* An array record (5) and a task split off it (6), which has no
	 * script of its own. */
	mkjob(&j, 5, JOB_PENDING, 2000, "arr", 0);
	j.array_job_id = 5;
	j.array_max_running = 2;
	j.array_task_count = 4;
	j.array_task_max = 3;
	j.array_task_step = 1;
	j.array_spec = xstrdup("1-3");
	store_job_insert(st, &j, NULL, 0, "#!/bin/sh\n", NULL, NULL,
	    &cause);
	free(j.array_spec);
	j.array_spec = NULL;
	j.id = 6;
	j.array_task_id = 0;
	j.state = JOB_RUNNING;
	is_int(store_job_insert(st, &j, NULL, 0, NULL, NULL, NULL, &cause),
	    0, "insert a split task without script");
	job_free(&j);
	is_int(store_commit(st, &cause), 0, "commit arrays");
	ok(store_job_data(st, 6, &script, &env, &argv, &cause) == -1,
	    "the split task has no script of its own");
	free(cause);
	cause = NULL;
	memset(&f, 0, sizeof f);
	coll_reset(&c);
	ids[0] = 5;
	f.ids = ids;
	f.nids = 1;
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	ok(c.n == 2 && c.ids[0] == 5 && c.ids[1] == 6,
	    "query by array id: the record and its task (n=%u)", c.n);
	is_int(c.last.array_task_id, 0, "task id read back");
	is_int(c.last.array_max_running, 2, "throttle read back");
	is_int(c.last.array_task_count, 4, "task count read back");
	coll_reset(&c);

	/* Fair-share usage: one row per user, replaced on each charge. */
	is_int(store_begin(st, &cause), 0, "begin (usage)");
	is_int(store_usage_put(st, 1000, 12.5, 100, &cause), 0, "usage put");
	is_int(store_usage_put(st, 1001, 3, 100, &cause), 0, "second user");
	is_int(store_usage_put(st, 1000, 20.25, 160, &cause), 0,
	    "usage replaced");
	is_int(store_commit(st, &cause), 0, "commit (usage)");
	store_close(st);

	st = store_open(path, &cause);
	ok(st != NULL, "reopen runs no migration twice");
	store_max_job_id(st, &max, &cause);
	is_int(max, 6, "max job id after reopen");
	{
		struct ucoll u;

		memset(&u, 0, sizeof u);
		is_int(store_usage_load(st, ucollect, &u, &cause), 0,
		    "usage load");
		is_int(u.n, 2, "one row per user");
		ok(u.uid[0] == 1000 && u.usage[0] == 20.25 &&
		    u.stamp[0] == 160, "the last charge is kept");
		ok(u.uid[1] == 1001 && u.usage[1] == 3, "the other user's");
	}
	store_close(st);

	/* Back to a version 2 database holding a record of the old layout,
	 * then reopened: the migration adds the array columns and drops the
	 * record, so the row is decoded from its columns (3 -> 4 adds
	 * the deadline column back). */
	{
		sqlite3 *db;
		const char *const cols[] = { "array_max_running",
		    "array_task_count", "array_task_min", "array_task_max",
		    "array_task_step", "array_spec", "deadline" };
		char *sql;
		int bad = 0;

		bad |= sqlite3_open(path, &db) != SQLITE_OK;
		for (size_t i = 0; i < nitems(cols); i++) {
			sql = xprintf("ALTER TABLE jobs DROP COLUMN %s",
			    cols[i]);
			bad |= sqlite3_exec(db, sql, NULL, NULL, NULL) !=
			    SQLITE_OK;
			free(sql);
		}
		bad |= sqlite3_exec(db, "DROP TABLE usage", NULL, NULL,
		    NULL) != SQLITE_OK;
		bad |= sqlite3_exec(db, "PRAGMA user_version = 2", NULL,
		    NULL, NULL) != SQLITE_OK;
		sqlite3_close(db);
		ok(!bad, "database taken back to version 2");
	}
	st = store_open(path, &cause);
	ok(st != NULL, "version 2 migrates (%s)", cause ? cause : "");
	memset(&f, 0, sizeof f);
	memset(&r, 0, sizeof r);
	store_recs_query(st, &f, NULL, 0, rec_collect, &r, &cause);
	is_int(r.decoded, 6, "old records dropped: every row decoded");
	coll_reset(&c);
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	is_int(c.last.array_max_running, 0, "new columns default to 0");
	ok(c.last.array_spec == NULL, "array_spec NULL");
	store_close(st);

	job_free(&c.last);
	rmdir_flat(dir);
	free(path);
	return done_testing();
}
