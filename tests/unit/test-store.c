// links: store/store.c store/store-job.c store/store-usage.c store/store-step.c store/store-vfs.c store/store-flush.c
/* SPDX-License-Identifier: MIT */
/*
 * covers: schema creation and reopen (migrations are idempotent), job
 * insert/update round trip through every column, script/env/argv blobs,
 * active-job listing, accounting filters (ids, states, users, names,
 * time window), max id, array rows, the migrations from version 2
 * (array columns added; 5 -> 6 rewrites every record from its columns
 * in the compact layout), and fair-share usage rows (insert, replace,
 * reload after reopen), and the WAL given its working size at open:
 * its zeros read as no frame, so commits in it survive a crash (the files
 * copied while the store is open, as a kill -9 leaves them).
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	uint32_t	good;		/* blobs that decode to their row */
};

static void
rec_collect(void *arg, uint32_t id, uint32_t state, uint32_t aid,
    uint32_t task, const void *rec, size_t len, struct job *j)
{
	struct rcoll *r = arg;
	size_t at = strlen(r->recs);

	(void)id;
	(void)aid;
	(void)task;
	r->n++;
	if (rec != NULL) {
		struct msg m;
		struct job d;

		snprintf(r->recs + at, sizeof r->recs - at, "%.*s,", (int)len,
		    (const char *)rec);
		msg_init(&m);
		msg_load(&m, rec, len);
		if (proto_job_get(&m, &d) == 0) {
			r->good += msg_end(&m) == 0 && d.id == id &&
			    d.state == state;
			job_free(&d);
		}
		msg_free(&m);
	} else if (j == NULL)	/* active: the daemon has it */
		snprintf(r->recs + at, sizeof r->recs - at, "[%u],", state);
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

/* Copy file from to file to; 0 on success. */
static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n = 0;
	int in, out, rc = -1;

	if ((in = open(from, O_RDONLY)) == -1)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
		while ((n = read(in, buf, sizeof buf)) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		rc = n == 0 ? 0 : -1;
		if (close(out) == -1)
			rc = -1;
	}
	close(in);
	return rc;
}

static off_t
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
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

static int steps_seen;
static char steps_last[64];

static void
step_collect(void *arg, uint32_t job_id, uint32_t step_id, uint32_t state,
    const void *rec, size_t len)
{
	(void)arg;
	steps_seen++;
	snprintf(steps_last, sizeof steps_last, "%u.%u:%u:%.*s", job_id,
	    step_id, state, (int)len, (const char *)rec);
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
	 * come back decoded; active jobs (2 pending, 3 running) come
	 * without either. */
	memset(&f, 0, sizeof f);
	memset(&r, 0, sizeof r);
	store_recs_query(st, &f, NULL, 0, NULL, 0, rec_collect, &r, &cause);
	is_int(r.n, 4, "record query returns every row");
	is_str(r.recs, "R1,[0],[1],(5),",
	    "records, active rows bare, decoded rows (state)");
	is_int(r.decoded, 1, "final rows without a record are decoded");
	{
		struct store_idrange skip[2] = { { 2, 3 }, { 9, 12 } };

		memset(&r, 0, sizeof r);
		is_int(store_recs_query(st, &f, NULL, 0, skip, 2, rec_collect,
		    &r, &cause), 0, "record query with skipped ranges");
		is_str(r.recs, "R1,(5),", "rows in skipped ranges not read");
		skip[0].lo = skip[0].hi = 1;
		skip[1].lo = skip[1].hi = 3;
		memset(&r, 0, sizeof r);
		f.states = 1u << JOB_PENDING | 1u << JOB_FAILED;
		store_recs_query(st, &f, NULL, 0, skip, 2, rec_collect, &r,
		    &cause);
		is_str(r.recs, "[0],(5),", "ranges and filter together");
		f.states = 0;
	}

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
	{
		struct store_idrange *spans;
		size_t nspans;

		is_int(store_array_spans(st, &spans, &nspans, &cause), 0,
		    "array spans");
		ok(nspans == 1 && spans[0].lo == 5 && spans[0].hi == 6,
		    "one array, ids 5 to 6 (n=%zu)", nspans);
		free(spans);
	}

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
		    "array_task_step", "array_spec", "deadline",
		    "warn_signal" };
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
	store_recs_query(st, &f, NULL, 0, NULL, 0, rec_collect, &r, &cause);
	is_int(r.n, 6, "every row after the migrations");
	is_int(r.decoded, 0, "no row left without a record");
	is_int(r.good, 2, "the final ones' records rewritten from columns");
	coll_reset(&c);
	store_jobs_query(st, &f, NULL, 0, collect, &c, &cause);
	is_int(c.last.array_max_running, 0, "new columns default to 0");
	ok(c.last.array_spec == NULL, "array_spec NULL");

	/* Steps and allocation holders (schema 4). */
	{
		uint32_t sids[2] = { 7, 8 };
		int32_t pid = 0;
		uint64_t start = 0;

		steps_seen = 0;
		ok(store_begin(st, &cause) == 0 &&
		    store_step_put(st, 7, 0, 3, "done", 4, &cause) == 0 &&
		    store_step_put(st, 7, 1, 1, "run1", 4, &cause) == 0 &&
		    store_step_put(st, 9, 0, 1, "zzzz", 4, &cause) == 0 &&
		    store_step_put(st, 7, 1, 3, "end1", 4, &cause) == 0 &&
		    store_holder_put(st, 7, 1234, 99, &cause) == 0 &&
		    store_commit(st, &cause) == 0, "steps stored");
		ok(store_steps_of(st, sids, 2, step_collect, NULL, &cause) == 0,
		    "steps of jobs 7, 8");
		is_int(steps_seen, 2, "two steps of job 7, replaced in place");
		is_str(steps_last, "7.1:3:end1", "the last one's new record");
		/* Many ids (sacct): one range scan, filtered by the set. */
		{
			uint32_t many[100];

			for (uint32_t i = 0; i < 100; i++)
				many[i] = 1000 - i * 10;	/* 9 is not in */
			many[50] = 7;
			steps_seen = 0;
			ok(store_steps_of(st, many, 100, step_collect, NULL,
			    &cause) == 0, "steps of 100 jobs");
			is_int(steps_seen, 2, "only the listed job's steps");
			is_str(steps_last, "7.1:3:end1",
			    "in job and step order");
		}
		steps_seen = 0;
		store_steps_active(st, step_collect, NULL, &cause);
		is_int(steps_seen, 1, "one running step");
		is_str(steps_last, "9.0:1:zzzz", "the running one");
		is_int(store_holder_get(st, 7, &pid, &start, &cause), 1,
		    "holder found");
		ok(pid == 1234 && start == 99, "holder pid and start time");
		store_begin(st, &cause);
		store_holder_delete(st, 7, &cause);
		store_commit(st, &cause);
		is_int(store_holder_get(st, 7, &pid, &start, &cause), 0,
		    "holder gone");
	}
	store_close(st);
	{
		sqlite3 *db;
		sqlite3_stmt *s;
		int good = 0;

		if (sqlite3_open(path, &db) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, "SELECT id, rec FROM jobs", -1, &s,
		    NULL) == SQLITE_OK) {
			while (sqlite3_step(s) == SQLITE_ROW) {
				struct msg m;
				struct job d;

				msg_init(&m);
				msg_load(&m, sqlite3_column_blob(s, 1),
				    (size_t)sqlite3_column_bytes(s, 1));
				if (proto_job_get(&m, &d) == 0) {
					good += msg_end(&m) == 0 &&
					    d.id == (uint32_t)
					    sqlite3_column_int64(s, 0);
					job_free(&d);
				}
				msg_free(&m);
			}
			sqlite3_finalize(s);
		}
		sqlite3_close(db);
		is_int(good, 6, "every stored record rewritten, and decodes");
	}

	/* The WAL at its working size from the open (4 MB and more for
	 * 1000 pages of 4 KB), commits in it, then a "crash": the files
	 * copied as they are while the store is open, and opened. */
	{
		char *wal = xprintf("%s-wal", path);
		char *cpath = xprintf("%s/crash.db", dir);
		char *cwal = xprintf("%s-wal", cpath);
		struct store *cst;

		st = store_open(path, &cause);
		ok(st != NULL, "store opens again (%s)", cause ? cause : "");
		ok(file_size(wal) >= 1000 * 4120,
		    "the WAL has its working size at open (%lld bytes)",
		    (long long)file_size(wal));
		for (uint32_t id = 60; st != NULL && id <= 62; id++) {
			store_begin(st, &cause);
			mkjob(&j, id, JOB_PENDING, 1000, "prealloc", 0);
			store_job_insert(st, &j, NULL, 0, "#!/bin/sh\n", NULL,
			    NULL, &cause);
			job_free(&j);
			is_int(store_commit(st, &cause), 0,
			    "job %u committed into the zeroed WAL", id);
		}
		ok(copy_file(path, cpath) == 0 && copy_file(wal, cwal) == 0,
		    "database and WAL copied while open");
		cst = store_open(cpath, &cause);
		ok(cst != NULL, "the copy opens (%s)", cause ? cause : "");
		coll_reset(&c);
		if (cst != NULL)
			store_jobs_active(cst, collect, &c, &cause);
		ok(c.n >= 3 && c.ids[c.n - 3] == 60 && c.ids[c.n - 1] == 62,
		    "the copy has every commit made into the WAL (n=%u)", c.n);
		store_close(cst);
		store_close(st);
		free(wal);
		free(cpath);
		free(cwal);
	}

	job_free(&c.last);
	rmdir_flat(dir);
	free(path);
	return done_testing();
}
