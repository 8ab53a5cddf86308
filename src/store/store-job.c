/* SPDX-License-Identifier: MIT */
/*
 * Job rows.  cols[] maps every column of the jobs table to a field of
 * struct job; INSERT, UPDATE and SELECT statements are built from it, so a
 * new field is one line here plus a migration.  Script, environment and
 * arguments live in job_data, apart from the rows that queries scan.
 * Environment and argument vectors are stored as NUL-separated blobs.
 */
#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "store-int.h"

enum ctype { C_U32, C_I32, C_U64, C_I64, C_STR };

struct col {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
};

#define U32(c, f)	{ c, C_U32, offsetof(struct job, f) }
#define I32(c, f)	{ c, C_I32, offsetof(struct job, f) }
#define U64(c, f)	{ c, C_U64, offsetof(struct job, f) }
#define I64(c, f)	{ c, C_I64, offsetof(struct job, f) }
#define STR(c, f)	{ c, C_STR, offsetof(struct job, f) }

/* cols[0] must be id. */
static const struct col cols[] = {
	U32("id", id), U32("array_job_id", array_job_id),
	U32("array_task_id", array_task_id), U32("uid", uid),
	U32("gid", gid), U32("state", state), U32("reason", reason),
	U32("flags", flags), U32("priority", priority), I32("nice", nice),
	U32("ntasks", ntasks), U32("cpus_per_task", cpus_per_task),
	U32("min_nodes", min_nodes), U32("max_nodes", max_nodes),
	U32("ncpus", ncpus), U64("mem_mb", mem_mb), U32("gpus", gpus),
	U32("time_limit", time_limit), U32("time_min", time_min),
	U32("restarts", restarts), U32("kill_uid", kill_uid),
	I64("submit_time", submit_time), I64("eligible_time", eligible_time),
	I64("begin_time", begin_time), I64("start_time", start_time),
	I64("end_time", end_time), I64("deadline", deadline),
	I32("exit_status", exit_status),
	U32("batch_state", batch_state), I32("batch_status", batch_status),
	U64("max_rss_kb", max_rss_kb), U64("max_vsize_kb", max_vsize_kb),
	U64("user_usec", user_usec), U64("sys_usec", sys_usec),
	U32("array_max_running", array_max_running),
	U32("array_task_count", array_task_count),
	U32("array_task_min", array_task_min),
	U32("array_task_max", array_task_max),
	U32("array_task_step", array_task_step),
	STR("array_spec", array_spec),
	STR("name", name), STR("user", user), STR("grp", group),
	STR("partition", partition), STR("account", account),
	STR("qos", qos), STR("wckey", wckey), STR("comment", comment),
	STR("workdir", workdir), STR("std_out", std_out),
	STR("std_err", std_err), STR("std_in", std_in),
	STR("command", command), STR("dependency", dependency),
	STR("features", features), STR("gres", gres),
	STR("nodelist", nodelist), STR("cpu_ids", cpu_ids),
	STR("gpu_ids", gpu_ids), STR("submit_line", submit_line),
	STR("req_nodes", req_nodes), STR("exc_nodes", exc_nodes),
	U32("warn_signal", warn_signal),
};
#define NCOLS	(sizeof cols / sizeof cols[0])

/* "id,array_job_id,..." built once per store. */
static const char *
columns(struct store *st)
{
	struct buf b;

	if (st->col_list != NULL)
		return st->col_list;
	buf_init(&b);
	for (size_t i = 0; i < NCOLS; i++)
		buf_printf(&b, "%s%s", i ? "," : "", cols[i].name);
	st->col_list = buf_steal(&b);
	return st->col_list;
}

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **s, char **cause)
{
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_job_prepare(struct store *st, char **cause)
{
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "INSERT INTO jobs(%s,rec) VALUES(", columns(st));
	for (size_t i = 0; i < NCOLS; i++)
		buf_adds(&b, i ? ",?" : "?");
	buf_adds(&b, ",?)");
	rc = prepare(st, b.data, &st->job_insert, cause);
	buf_reset(&b);
	/* Not uid or array_job_id, which never change once the job is in
	 * (store.h): each column set is an index entry rewritten, and
	 * jobs_uid and jobs_array need no change. */
	buf_adds(&b, "UPDATE jobs SET ");
	for (size_t i = 1; i < NCOLS; i++) {
		if (strcmp(cols[i].name, "uid") == 0 ||
		    strcmp(cols[i].name, "array_job_id") == 0)
			continue;
		buf_printf(&b, "%s=?%zu,", cols[i].name, i + 1);
	}
	buf_printf(&b, "rec=?%zu WHERE id=?1", NCOLS + 1);
	if (rc == 0)
		rc = prepare(st, b.data, &st->job_update, cause);
	buf_free(&b);
	if (rc == 0)
		rc = prepare(st, "INSERT OR REPLACE INTO job_data(id, script, "
		    "env, argv) VALUES(?,?,?,?)", &st->data_insert, cause);
	if (rc == 0)
		rc = prepare(st, "SELECT script, env, argv FROM job_data "
		    "WHERE id=?", &st->data_select, cause);
	if (rc == 0)
		rc = prepare(st, "DELETE FROM job_data WHERE id=?",
		    &st->data_delete, cause);
	return rc;
}

void
store_job_finalize(struct store *st)
{
	sqlite3_finalize(st->job_insert);
	sqlite3_finalize(st->job_update);
	sqlite3_finalize(st->data_insert);
	sqlite3_finalize(st->data_select);
	sqlite3_finalize(st->data_delete);
	free(st->col_list);
	st->col_list = NULL;
}

static void
bind_job(sqlite3_stmt *s, const struct job *j)
{
	for (size_t i = 0; i < NCOLS; i++) {
		const char *p = (const char *)j + cols[i].off;
		int k = (int)i + 1;

		switch (cols[i].type) {
		case C_U32:
			sqlite3_bind_int64(s, k,
			    *(const uint32_t *)(const void *)p);
			break;
		case C_I32:
			sqlite3_bind_int64(s, k,
			    *(const int32_t *)(const void *)p);
			break;
		case C_U64:
			sqlite3_bind_int64(s, k, (sqlite3_int64)
			    *(const uint64_t *)(const void *)p);
			break;
		case C_I64:
			sqlite3_bind_int64(s, k,
			    *(const int64_t *)(const void *)p);
			break;
		case C_STR:
			sqlite3_bind_text(s, k,
			    *(char *const *)(const void *)p, -1,
			    SQLITE_STATIC);
			break;
		}
	}
}

static void
column_job(sqlite3_stmt *s, struct job *j)
{
	memset(j, 0, sizeof *j);
	for (size_t i = 0; i < NCOLS; i++) {
		void *p = (char *)j + cols[i].off;
		int k = (int)i;
		const unsigned char *t;

		switch (cols[i].type) {
		case C_U32:
			*(uint32_t *)p = (uint32_t)sqlite3_column_int64(s, k);
			break;
		case C_I32:
			*(int32_t *)p = (int32_t)sqlite3_column_int64(s, k);
			break;
		case C_U64:
			*(uint64_t *)p = (uint64_t)sqlite3_column_int64(s, k);
			break;
		case C_I64:
			*(int64_t *)p = sqlite3_column_int64(s, k);
			break;
		case C_STR:
			t = sqlite3_column_text(s, k);
			*(char **)p = t != NULL ? xstrdup((const char *)t) :
			    NULL;
			break;
		}
	}
}

static int
step_done(struct store *st, sqlite3_stmt *s, char **cause)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static void
strv_blob(struct buf *b, char *const *v)
{
	buf_reset(b);
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		buf_add(b, v[i], strlen(v[i]) + 1);
}

static char **
blob_strv(const void *p, int n)
{
	const char *c = p, *end = c + (n > 0 ? n : 0);
	char **v = NULL;
	size_t len = 0;

	while (c < end) {
		const char *z = memchr(c, '\0', (size_t)(end - c));
		size_t l = z != NULL ? (size_t)(z - c) : (size_t)(end - c);

		v = xreallocarray(v, len + 2, sizeof *v);
		v[len++] = xstrndup(c, l);
		c += l + 1;
	}
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	v[len] = NULL;
	return v;
}

int
store_job_insert(struct store *st, const struct job *j, const void *rec,
    size_t reclen, const char *script, char *const *env, char *const *argv,
    char **cause)
{
	struct buf eb, ab;
	int rc;

	bind_job(st->job_insert, j);
	sqlite3_bind_blob(st->job_insert, (int)NCOLS + 1, rec, (int)reclen,
	    SQLITE_STATIC);
	if (step_done(st, st->job_insert, cause) == -1)
		return -1;
	if (script == NULL)
		return 0;
	buf_init(&eb);
	buf_init(&ab);
	strv_blob(&eb, env);
	strv_blob(&ab, argv);
	sqlite3_bind_int64(st->data_insert, 1, j->id);
	sqlite3_bind_blob(st->data_insert, 2, script,
	    script != NULL ? (int)strlen(script) : 0, SQLITE_STATIC);
	sqlite3_bind_blob(st->data_insert, 3, eb.data, (int)eb.len,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st->data_insert, 4, ab.data, (int)ab.len,
	    SQLITE_STATIC);
	rc = step_done(st, st->data_insert, cause);
	buf_free(&eb);
	buf_free(&ab);
	return rc;
}

int
store_job_update(struct store *st, const struct job *j, const void *rec,
    size_t reclen, char **cause)
{
	bind_job(st->job_update, j);
	sqlite3_bind_blob(st->job_update, (int)NCOLS + 1, rec, (int)reclen,
	    SQLITE_STATIC);
	return step_done(st, st->job_update, cause);
}

int
store_job_data(struct store *st, uint32_t id, char **script, char ***env,
    char ***argv, char **cause)
{
	sqlite3_stmt *s = st->data_select;
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		xasprintf(cause, "job %u: no script in the store%s%s", id,
		    rc == SQLITE_DONE ? "" : ": ",
		    rc == SQLITE_DONE ? "" : sqlite3_errmsg(st->db));
		sqlite3_reset(s);
		return -1;
	}
	*script = xstrndup(sqlite3_column_blob(s, 0) != NULL ?
	    sqlite3_column_blob(s, 0) : "", (size_t)sqlite3_column_bytes(s, 0));
	*env = blob_strv(sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
	*argv = blob_strv(sqlite3_column_blob(s, 2),
	    sqlite3_column_bytes(s, 2));
	sqlite3_reset(s);
	return 0;
}

int
store_job_data_delete(struct store *st, uint32_t id, char **cause)
{
	sqlite3_bind_int64(st->data_delete, 1, id);
	return step_done(st, st->data_delete, cause);
}

/*
 * The fields that have no column (--gpus and --gpus-per-task as given,
 * Slurm's TresPerJob and TresPerTask) travel only in the record, which
 * follows the columns in run_select()'s rows: take them from there.  A
 * row without a record (from before records were stored) has none, and
 * a job without a GPU option has nothing to take.
 */
static const size_t rec_only[] = {
	offsetof(struct job, tres_per_job),
	offsetof(struct job, tres_per_task),
	offsetof(struct job, extra),
};

static void
rec_only_fields(sqlite3_stmt *s, int k, struct job *j)
{
	const void *rec = sqlite3_column_blob(s, k);
	int len = sqlite3_column_bytes(s, k);
	struct msg m;
	struct job r;

	if (!(j->flags & (JOB_F_GPUS_SET | JOB_F_EXTRA)) || rec == NULL ||
	    len <= 0)
		return;
	msg_init(&m);
	msg_load(&m, rec, (size_t)len);
	job_init(&r);
	if (proto_job_get(&m, &r) == 0) {
		for (size_t i = 0; i < nitems(rec_only); i++) {
			char **dst = (char **)(void *)((char *)j +
			    rec_only[i]);
			char **src = (char **)(void *)((char *)&r +
			    rec_only[i]);

			free(*dst);
			*dst = *src;
			*src = NULL;
		}
		job_free(&r);
	}
	msg_free(&m);
}

/* Rows are the columns and then rec (rec_only_fields). */
static int
run_select(struct store *st, const char *sql, void (*bind)(sqlite3_stmt *,
    const void *), const void *barg, store_job_cb cb, void *arg, char **cause)
{
	sqlite3_stmt *s;
	struct job *j;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if (bind != NULL)
		bind(s, barg);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		j = xmalloc(sizeof *j);
		column_job(s, j);
		rec_only_fields(s, (int)NCOLS, j);
		cb(arg, j);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_jobs_active(struct store *st, store_job_cb cb, void *arg, char **cause)
{
	char *sql;
	int rc;

	xasprintf(&sql, "SELECT %s,rec FROM jobs WHERE state <= 2 ORDER BY "
	    "id", columns(st));
	rc = run_select(st, sql, NULL, NULL, cb, arg, cause);
	free(sql);
	return rc;
}

struct qbind {
	const struct job_filter	*f;
	const uint32_t		*uids;
	uint32_t		 nuids;
	int			 first;		/* index of the first '?' */
};

/* Bind the filter's values in the order query_where() emitted '?'s. */
static void
bind_query(sqlite3_stmt *s, const void *p)
{
	const struct qbind *q = p;
	const struct job_filter *f = q->f;
	int k = q->first;

	for (uint32_t i = 0; i < f->nids; i++) {
		sqlite3_bind_int64(s, k++, f->ids[i]);
		sqlite3_bind_int64(s, k++, f->ids[i]);
	}
	for (uint32_t i = 0; i < q->nuids; i++)
		sqlite3_bind_int64(s, k++, q->uids[i]);
	for (size_t i = 0; f->names != NULL && f->names[i] != NULL; i++)
		sqlite3_bind_text(s, k++, f->names[i], -1, SQLITE_STATIC);
	for (size_t i = 0; f->partitions != NULL && f->partitions[i] != NULL;
	    i++)
		sqlite3_bind_text(s, k++, f->partitions[i], -1,
		    SQLITE_STATIC);
	if (f->start > 0)
		sqlite3_bind_int64(s, k++, f->start);
	if (f->end > 0)
		sqlite3_bind_int64(s, k++, f->end);
}

static void
in_list(struct buf *b, const char *col, size_t n, bool twice,
    const char *col2)
{
	if (n == 0)
		return;
	buf_adds(b, " AND (");
	for (size_t i = 0; i < n; i++) {
		if (twice)
			buf_printf(b, "%s%s=? OR %s=?", i ? " OR " : "", col,
			    col2);
		else
			buf_printf(b, "%s%s=?", i ? " OR " : "", col);
	}
	buf_adds(b, ")");
}

/*
 * The WHERE and ORDER BY of an accounting query, bound by bind_query;
 * ranged: the ids between ?1 and ?2 only (then the filter's values start
 * at ?3).
 */
static void
query_where(struct buf *b, const struct job_filter *f, uint32_t nuids,
    bool ranged)
{
	buf_adds(b, ranged ? " FROM jobs WHERE id BETWEEN ? AND ?" :
	    " FROM jobs WHERE 1");
	in_list(b, "id", f->nids, true, "array_job_id");
	in_list(b, "uid", nuids, false, NULL);
	in_list(b, "name", strv_len(f->names), false, NULL);
	in_list(b, "partition", strv_len(f->partitions), false, NULL);
	if (f->states != 0) {
		buf_adds(b, " AND state IN (");
		for (int i = 0, n = 0; i < JOB_STATE_MAX; i++)
			if (f->states & (1u << i))
				buf_printf(b, "%s%d", n++ ? "," : "", i);
		buf_adds(b, ")");
	}
	/* A job belongs to [start, end] when it was not over before start
	 * and had been submitted by end. */
	if (f->start > 0)
		buf_adds(b, " AND (end_time = 0 OR end_time >= ?)");
	if (f->end > 0)
		buf_adds(b, " AND submit_time <= ?");
	buf_adds(b, " ORDER BY id");
}

int
store_jobs_query(struct store *st, const struct job_filter *f,
    const uint32_t *uids, uint32_t nuids, store_job_cb cb, void *arg,
    char **cause)
{
	struct qbind q = { f, uids, nuids, 1 };
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "SELECT %s,rec", columns(st));
	query_where(&b, f, nuids, false);
	rc = run_select(st, b.data, bind_query, &q, cb, arg, cause);
	buf_free(&b);
	return rc;
}

/* One row of store_recs_query: its record, or the row decoded. */
static int
recs_row(struct store *st, sqlite3_stmt *s, sqlite3_stmt **one,
    store_rec_cb cb, void *arg)
{
	uint32_t id = (uint32_t)sqlite3_column_int64(s, 0);
	uint32_t state = (uint32_t)sqlite3_column_int64(s, 1);
	uint32_t aid = (uint32_t)sqlite3_column_int64(s, 2);
	uint32_t task = (uint32_t)sqlite3_column_int64(s, 3);
	const void *rec = sqlite3_column_blob(s, 4);
	int len = sqlite3_column_bytes(s, 4);
	struct job *j;
	char *sql;

	if (!job_state_is_final(state) || (rec != NULL && len > 0)) {
		cb(arg, id, state, aid, task, len > 0 ? rec : NULL,
		    (size_t)len, NULL);
		return SQLITE_OK;
	}
	/* A row from before records were stored: decode it. */
	if (*one == NULL) {
		xasprintf(&sql, "SELECT %s FROM jobs WHERE id=?", columns(st));
		if (sqlite3_prepare_v2(st->db, sql, -1, one, NULL) !=
		    SQLITE_OK) {
			free(sql);
			return SQLITE_ERROR;
		}
		free(sql);
	}
	sqlite3_bind_int64(*one, 1, id);
	if (sqlite3_step(*one) == SQLITE_ROW) {
		j = xmalloc(sizeof *j);
		column_job(*one, j);
		cb(arg, id, state, aid, task, NULL, 0, j);
	}
	sqlite3_reset(*one);
	return SQLITE_OK;
}

/*
 * With ranges to skip, the statement is run once per id range between
 * them (a primary key or (uid, id) index range each), so the rows of
 * the skipped active jobs are never read: in a history of finished
 * jobs followed by thousands of pending ones, that is half the pages.
 */
int
store_recs_query(struct store *st, const struct job_filter *f,
    const uint32_t *uids, uint32_t nuids, const struct store_idrange *skip,
    size_t nskip, store_rec_cb cb, void *arg, char **cause)
{
	struct qbind q = { f, uids, nuids, nskip > 0 ? 3 : 1 };
	sqlite3_stmt *s, *one = NULL;
	struct buf b;
	int64_t lo = 0, hi;
	int rc;

	buf_init(&b);
	/* Active jobs' records come from the caller's memory: not read. */
	buf_adds(&b, "SELECT id, state, array_job_id, array_task_id, "
	    "CASE WHEN state <= 2 THEN NULL ELSE rec END");
	query_where(&b, f, nuids, nskip > 0);
	rc = sqlite3_prepare_v2(st->db, b.data, -1, &s, NULL);
	buf_free(&b);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	bind_query(s, &q);
	rc = SQLITE_DONE;
	for (size_t r = 0; r <= nskip; r++) {
		if (nskip > 0) {
			hi = r < nskip ? (int64_t)skip[r].lo - 1 : UINT32_MAX;
			if (lo > hi)
				goto next;
			sqlite3_bind_int64(s, 1, lo);
			sqlite3_bind_int64(s, 2, hi);
		}
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			if ((rc = recs_row(st, s, &one, cb, arg)) != SQLITE_OK)
				break;
		if (rc != SQLITE_DONE) {
			xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
			break;
		}
		sqlite3_reset(s);
	next:
		if (r < nskip)
			lo = (int64_t)skip[r].hi + 1;
	}
	sqlite3_finalize(one);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_array_spans(struct store *st, struct store_idrange **v, size_t *n,
    char **cause)
{
	sqlite3_stmt *s;
	int64_t a, lo, hi;
	int rc;

	*v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT array_job_id, MIN(id), MAX(id) "
	    "FROM jobs WHERE array_job_id != 0 GROUP BY array_job_id "
	    "ORDER BY array_job_id", -1, &s, NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a = sqlite3_column_int64(s, 0);
		lo = sqlite3_column_int64(s, 1);
		hi = sqlite3_column_int64(s, 2);
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[*n].lo = (uint32_t)(lo < a ? lo : a);
		(*v)[*n].hi = (uint32_t)(hi > a ? hi : a);
		(*n)++;
	}
	if (rc != SQLITE_DONE)
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_job_recode(struct store *st, char **cause)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	struct msg m;
	struct job j;
	char *sql;
	int rc;

	xasprintf(&sql, "SELECT %s FROM jobs", columns(st));
	rc = sqlite3_prepare_v2(st->db, sql, -1, &sel, NULL);
	free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db, "UPDATE jobs SET rec=? "
		    "WHERE id=?", -1, &upd, NULL);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	msg_init(&m);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		column_job(sel, &j);
		m.b.len = 0;
		proto_job_put(&m, &j);
		sqlite3_bind_blob(upd, 1, m.b.data, (int)m.b.len,
		    SQLITE_STATIC);
		sqlite3_bind_int64(upd, 2, j.id);
		job_free(&j);
		rc = sqlite3_step(upd);
		sqlite3_reset(upd);
		if (rc != SQLITE_DONE)
			break;
	}
	msg_free(&m);
	if (rc != SQLITE_DONE)
		xasprintf(cause, "recode job records: %s",
		    sqlite3_errmsg(st->db));
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_max_job_id(struct store *st, uint32_t *out, char **cause)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "SELECT COALESCE(MAX(id), 0) FROM jobs",
	    -1, &s, NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite prepare: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	*out = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = (uint32_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}
