// SPDX-License-Identifier: MIT
/*
 * Job steps and allocation holders (docs/steps.md).  A step row is the
 * step record as the daemon encodes it (src/proto/step.h), kept opaque
 * beside its key and state, so the daemon re-adopts running steps after a
 * restart and sacct lists finished ones.  A holder row is the pid and
 * /proc start time of the salloc/srun holding an interactive allocation.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "store-int.h"

static int
fail(struct store *st, const char *what, char **cause)
{
	xasprintf(cause, "sqlite %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

static int
prep(struct store *st, const char *sql, sqlite3_stmt **s, char **cause)
{
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s,
	    NULL) != SQLITE_OK)
		return fail(st, "prepare", cause);
	return 0;
}

int
store_step_prepare(struct store *st, char **cause)
{
	if (prep(st, "INSERT OR REPLACE INTO steps(job_id, step_id, state, "
	    "rec) VALUES(?,?,?,?)", &st->step_put, cause) == -1 ||
	    prep(st, "INSERT OR REPLACE INTO holders(job_id, pid, start) "
	    "VALUES(?,?,?)", &st->holder_put, cause) == -1 ||
	    prep(st, "DELETE FROM holders WHERE job_id=?", &st->holder_delete,
	    cause) == -1)
		return -1;
	return 0;
}

void
store_step_finalize(struct store *st)
{
	sqlite3_finalize(st->step_put);
	sqlite3_finalize(st->holder_put);
	sqlite3_finalize(st->holder_delete);
	st->step_put = st->holder_put = st->holder_delete = NULL;
}

static int
run(struct store *st, sqlite3_stmt *s, char **cause)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return fail(st, "step", cause);
	return 0;
}

int
store_step_put(struct store *st, uint32_t job_id, uint32_t step_id,
    uint32_t state, const void *rec, size_t len, char **cause)
{
	sqlite3_stmt *s = st->step_put;

	sqlite3_bind_int64(s, 1, job_id);
	sqlite3_bind_int64(s, 2, step_id);
	sqlite3_bind_int64(s, 3, state);
	sqlite3_bind_blob(s, 4, rec, (int)len, SQLITE_STATIC);
	return run(st, s, cause);
}

static int
each_step(struct store *st, const char *sql, const uint32_t *ids,
    uint32_t nids, store_step_cb cb, void *arg, char **cause)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "prepare", cause);
	for (uint32_t i = 0; i < nids; i++)
		sqlite3_bind_int64(s, (int)i + 1, ids[i]);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb(arg, (uint32_t)sqlite3_column_int64(s, 0),
		    (uint32_t)sqlite3_column_int64(s, 1),
		    (uint32_t)sqlite3_column_int64(s, 2),
		    sqlite3_column_blob(s, 3),
		    (size_t)sqlite3_column_bytes(s, 3));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(st, "select steps", cause);
	return 0;
}

int
store_steps_active(struct store *st, store_step_cb cb, void *arg,
    char **cause)
{
	return each_step(st, "SELECT job_id, step_id, state, rec FROM steps "
	    "WHERE state <= 2 ORDER BY job_id, step_id", NULL, 0, cb, arg,
	    cause);
}

/* store_steps_of over many ids: one range scan, filtered by the set. */
struct steps_of_set {
	const uint32_t	*ids;		/* sorted */
	uint32_t	 nids;
	store_step_cb	 cb;
	void		*arg;
};

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
steps_of_filter(void *arg, uint32_t job_id, uint32_t step_id, uint32_t state,
    const void *rec, size_t len)
{
	struct steps_of_set *set = arg;

	if (bsearch(&job_id, set->ids, set->nids, sizeof *set->ids,
	    cmp_u32) != NULL)
		set->cb(set->arg, job_id, step_id, state, rec, len);
}

int
store_steps_of(struct store *st, const uint32_t *ids, uint32_t nids,
    store_step_cb cb, void *arg, char **cause)
{
	struct steps_of_set set;
	struct buf b;
	uint32_t off, n, *sorted, range[2];
	int rc = 0;

	/*
	 * sacct asks for the steps of every job it lists (21,000 in the
	 * bench): slices of "IN (...)" cost one index probe per id, where
	 * one scan of the primary key over [lowest, highest] reads only
	 * the steps there are (far fewer than jobs), kept if their job is
	 * in the set.
	 */
	if (nids > 64) {
		sorted = xreallocarray(NULL, nids, sizeof *sorted);
		memcpy(sorted, ids, (size_t)nids * sizeof *sorted);
		qsort(sorted, nids, sizeof *sorted, cmp_u32);
		set.ids = sorted;
		set.nids = nids;
		set.cb = cb;
		set.arg = arg;
		range[0] = sorted[0];
		range[1] = sorted[nids - 1];
		rc = each_step(st, "SELECT job_id, step_id, state, rec FROM "
		    "steps WHERE job_id BETWEEN ? AND ? "
		    "ORDER BY job_id, step_id", range, 2, steps_of_filter, &set,
		    cause);
		free(sorted);
		return rc;
	}
	/* SQLite binds at most 32766 parameters: go in slices. */
	for (off = 0; off < nids && rc == 0; off += n) {
		n = nids - off > 500 ? 500 : nids - off;
		buf_init(&b);
		buf_adds(&b, "SELECT job_id, step_id, state, rec FROM steps "
		    "WHERE job_id IN (");
		for (uint32_t i = 0; i < n; i++)
			buf_adds(&b, i ? ",?" : "?");
		buf_adds(&b, ") ORDER BY job_id, step_id");
		rc = each_step(st, b.data, ids + off, n, cb, arg, cause);
		buf_free(&b);
	}
	return rc;
}

int
store_holder_put(struct store *st, uint32_t job_id, int32_t pid,
    uint64_t start, char **cause)
{
	sqlite3_stmt *s = st->holder_put;

	sqlite3_bind_int64(s, 1, job_id);
	sqlite3_bind_int64(s, 2, pid);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)start);
	return run(st, s, cause);
}

int
store_holder_get(struct store *st, uint32_t job_id, int32_t *pid,
    uint64_t *start, char **cause)
{
	sqlite3_stmt *s;
	int rc, found = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT pid, start FROM holders "
	    "WHERE job_id=?", -1, &s, NULL) != SQLITE_OK)
		return fail(st, "prepare", cause);
	sqlite3_bind_int64(s, 1, job_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*pid = (int32_t)sqlite3_column_int64(s, 0);
		*start = (uint64_t)sqlite3_column_int64(s, 1);
		found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(st, "select holder", cause);
	return found;
}

int
store_holder_delete(struct store *st, uint32_t job_id, char **cause)
{
	sqlite3_bind_int64(st->holder_delete, 1, job_id);
	return run(st, st->holder_delete, cause);
}
