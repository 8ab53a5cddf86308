/* SPDX-License-Identifier: MIT */
/*
 * The usage table: one row per user who ever finished a job, holding the
 * user's fair-share usage (CPU-seconds, decayed with the half-life up to
 * the row's stamp).  Rows are few (one per user) and written once per
 * job end, so statements are prepared per call rather than kept.
 */
#include <sqlite3.h>
#include <stdlib.h>

#include "../common/xmalloc.h"
#include "store-int.h"

int
store_usage_load(struct store *st, store_usage_cb cb, void *arg,
    char **cause)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT uid, usage, stamp FROM usage",
	    -1, &s, NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite: prepare usage select: %s",
		    sqlite3_errmsg(st->db));
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb(arg, (uint32_t)sqlite3_column_int64(s, 0),
		    sqlite3_column_double(s, 1), sqlite3_column_int64(s, 2));
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "sqlite: usage select: %s",
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

int
store_usage_put(struct store *st, uint32_t uid, double usage, int64_t stamp,
    char **cause)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO usage "
	    "(uid, usage, stamp) VALUES (?, ?, ?)", -1, &s, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "sqlite: prepare usage insert: %s",
		    sqlite3_errmsg(st->db));
		return -1;
	}
	sqlite3_bind_int64(s, 1, uid);
	sqlite3_bind_double(s, 2, usage);
	sqlite3_bind_int64(s, 3, stamp);
	if (sqlite3_step(s) != SQLITE_DONE) {
		xasprintf(cause, "sqlite: usage of uid %u: %s", uid,
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}
