/* SPDX-License-Identifier: MIT */
/*
 * Opening the database, pragmas, migrations and transactions.
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so a committed
 * transaction survives power loss; the daemon commits once per loop
 * iteration (group commit), which is what makes this affordable.
 * locking_mode=EXCLUSIVE: only berthd opens the database (clients never
 * do, and berthd.lock keeps a second daemon out), so SQLite takes its
 * file locks once instead of six fcntl calls per transaction, and keeps
 * the WAL index in memory rather than in a shared -shm mapping.
 * Migrations are embedded: migrations[i] moves the schema from version i to
 * i + 1, and the version lives in PRAGMA user_version.  The WAL is given
 * its working size at open (wal_prealloc()).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "store-int.h"

static const char *const migrations[] = {
	/* 0 -> 1: jobs, their scripts, and the indexes the queries use. */
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  array_job_id INTEGER NOT NULL, array_task_id INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL, gid INTEGER NOT NULL,"
	"  state INTEGER NOT NULL, reason INTEGER NOT NULL,"
	"  flags INTEGER NOT NULL, priority INTEGER NOT NULL,"
	"  nice INTEGER NOT NULL, ntasks INTEGER NOT NULL,"
	"  cpus_per_task INTEGER NOT NULL, min_nodes INTEGER NOT NULL,"
	"  max_nodes INTEGER NOT NULL, ncpus INTEGER NOT NULL,"
	"  mem_mb INTEGER NOT NULL, gpus INTEGER NOT NULL,"
	"  time_limit INTEGER NOT NULL, time_min INTEGER NOT NULL,"
	"  restarts INTEGER NOT NULL, kill_uid INTEGER NOT NULL,"
	"  submit_time INTEGER NOT NULL, eligible_time INTEGER NOT NULL,"
	"  begin_time INTEGER NOT NULL, start_time INTEGER NOT NULL,"
	"  end_time INTEGER NOT NULL, exit_status INTEGER NOT NULL,"
	"  batch_state INTEGER NOT NULL, batch_status INTEGER NOT NULL,"
	"  max_rss_kb INTEGER NOT NULL, max_vsize_kb INTEGER NOT NULL,"
	"  user_usec INTEGER NOT NULL, sys_usec INTEGER NOT NULL,"
	"  name TEXT, user TEXT, grp TEXT, partition TEXT, account TEXT,"
	"  qos TEXT, wckey TEXT, comment TEXT, workdir TEXT, std_out TEXT,"
	"  std_err TEXT, std_in TEXT, command TEXT, dependency TEXT,"
	"  features TEXT, gres TEXT, nodelist TEXT, cpu_ids TEXT,"
	"  gpu_ids TEXT, submit_line TEXT, req_nodes TEXT, exc_nodes TEXT"
	");"
	"CREATE TABLE job_data ("
	"  id INTEGER PRIMARY KEY, script BLOB, env BLOB, argv BLOB"
	");"
	/* Active jobs are few among many finished ones: a partial index. */
	"CREATE INDEX jobs_active ON jobs(state) WHERE state <= 2;"
	"CREATE INDEX jobs_end ON jobs(end_time);"
	"CREATE INDEX jobs_uid ON jobs(uid, id);"
	"CREATE INDEX jobs_array ON jobs(array_job_id) WHERE array_job_id != 0;",
	/* 1 -> 2: the encoded record, so history queries need not decode
	 * 56 columns per row. */
	"ALTER TABLE jobs ADD COLUMN rec BLOB;",
	/* 2 -> 3: job arrays (a pending array is one row holding the
	 * index set of its pending tasks in array_spec).  The stored
	 * records have the old layout: drop them, so those rows are
	 * decoded from their columns. */
	"ALTER TABLE jobs ADD COLUMN array_max_running INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN array_task_count INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN array_task_min INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN array_task_max INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN array_task_step INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN array_spec TEXT;"
	"UPDATE jobs SET rec = NULL;",
	/* 3 -> 4: --deadline.  Old records lack the field: decode the
	 * columns instead. */
	("ALTER TABLE jobs ADD COLUMN deadline INTEGER NOT NULL DEFAULT 0;"
	"UPDATE jobs SET rec = NULL;"),
	/* 4 -> 5: fair-share usage per user (store-usage.c). */
	"CREATE TABLE IF NOT EXISTS usage ("
	"  uid INTEGER PRIMARY KEY, usage REAL NOT NULL,"
	"  stamp INTEGER NOT NULL"
	");",
	/* 5 -> 6: job steps (srun) as encoded step records (step.h), and
	 * the holders of interactive allocations (salloc/srun), so a
	 * restarted daemon re-adopts them (docs/steps.md). */
	"CREATE TABLE IF NOT EXISTS steps ("
	"  job_id INTEGER NOT NULL, step_id INTEGER NOT NULL,"
	"  state INTEGER NOT NULL, rec BLOB NOT NULL,"
	"  PRIMARY KEY (job_id, step_id)"
	");"
	"CREATE INDEX IF NOT EXISTS steps_active ON steps(state) WHERE state <= 2;"
	"CREATE TABLE IF NOT EXISTS holders ("
	"  job_id INTEGER PRIMARY KEY, pid INTEGER NOT NULL,"
	"  start INTEGER NOT NULL"
	");",
	/* 6 -> 7: --signal's warning (the next migration rewrites the
	 * stored records). */
	"ALTER TABLE jobs ADD COLUMN warn_signal INTEGER NOT NULL DEFAULT 0;",
	/* 7 -> 8: records in the compact wire layout (protocol 3), written
	 * by store_job_recode() below. */
	"UPDATE jobs SET rec = NULL;",
};

/*
 * C steps, run after the SQL of the same migration and in its
 * transaction (NULL: none).
 */
static int (*const migration_steps[])(struct store *, char **) = {
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, store_job_recode,
};
_Static_assert(sizeof migration_steps / sizeof migration_steps[0] ==
    sizeof migrations / sizeof migrations[0], "one step per migration");

static int
exec_sql(struct store *st, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "sqlite: %s", err != NULL ? err :
		    sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/*
 * Run a statement that returns no rows, compiled on first use and kept:
 * BEGIN and COMMIT run once per loop iteration that changes anything,
 * and sqlite3_exec() would parse them again every time.
 */
static int
step_sql(struct store *st, sqlite3_stmt **s, const char *sql, char **cause)
{
	int rc;

	if (*s == NULL && sqlite3_prepare_v3(st->db, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK) {
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
		*s = NULL;
		return -1;
	}
	rc = sqlite3_step(*s);
	if (rc != SQLITE_DONE)
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
	sqlite3_reset(*s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
migrate(struct store *st, char **cause)
{
	sqlite3_stmt *s;
	int version = 0;
	const int latest = (int)(sizeof migrations / sizeof migrations[0]);

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "sqlite: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > latest) {
		xasprintf(cause, "database schema version %d is newer than "
		    "this berthd (%d)", version, latest);
		return -1;
	}
	for (; version < latest; version++) {
		char *sql;

		if (exec_sql(st, "BEGIN IMMEDIATE", cause) == -1)
			return -1;
		xasprintf(&sql, "%s; PRAGMA user_version = %d",
		    migrations[version], version + 1);
		if (exec_sql(st, sql, cause) == -1 ||
		    (migration_steps[version] != NULL &&
		    migration_steps[version](st, cause) == -1)) {
			free(sql);
			store_rollback(st);
			return -1;
		}
		free(sql);
		if (exec_sql(st, "COMMIT", cause) == -1)
			return -1;
	}
	return 0;
}

/*
 * Give the WAL its working size at open.  SQLite writes its WAL from the
 * start again after each checkpoint and never shrinks it (no
 * journal_size_limit), so a daemon's commits overwrite blocks that exist
 * on disk, except until the WAL first wraps: the first ~1000 pages after
 * each start (~140 jobs) were appended, and on ext4 without a journal an
 * appending fdatasync also writes the inode (size, blocks) synchronously:
 * one more disk request per commit, 0.1 ms of every submission's latency
 * (docs/performance.md).  So at open, once every frame is in the
 * database and the WAL is truncated, it is filled with zeros up to the
 * size it reaches between two automatic checkpoints, and synced so that
 * its blocks are allocated now.  Zeros are no frame: SQLite takes only
 * the frames after a valid header whose salts and checksums match, so
 * this WAL reads as empty, just as one that has wrapped reads only its
 * new frames.  Best effort: on any failure the WAL grows as before.
 */
static void
wal_prealloc(struct store *st)
{
	static const char zeros[65536];
	sqlite3_stmt *s = NULL;
	sqlite3_file *wal = NULL;
	sqlite3_int64 size = -1, want, off;
	int busy = -1, frames = -1, done = -1, pages = 0, ckpt = 0, n, rc;
	const char *db;

	/* Every frame checkpointed and the WAL emptied: 0|0|0 (not in WAL
	 * mode: 0|-1|-1, and the journal is no WAL to fill). */
	if (sqlite3_prepare_v2(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", -1,
	    &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		busy = sqlite3_column_int(s, 0);
		frames = sqlite3_column_int(s, 1);
		done = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	if (busy != 0 || frames != 0 || done != 0)
		return;
	if (sqlite3_prepare_v2(st->db, "PRAGMA page_size", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		pages = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db, "PRAGMA wal_autocheckpoint", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		ckpt = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (pages <= 0 || ckpt <= 0 || ckpt > 100000)
		return;
	/* Header, then frames of a page and a 24-byte header each; a
	 * transaction may cross the checkpoint's threshold by some. */
	want = 32 + (sqlite3_int64)(ckpt + 64) * (pages + 24);
	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
	    &wal) != SQLITE_OK || wal == NULL || wal->pMethods == NULL ||
	    wal->pMethods->xFileSize(wal, &size) != SQLITE_OK || size != 0)
		return;
	if ((db = sqlite3_db_filename(st->db, "main")) == NULL)
		db = "berth.db";
	for (off = 0; off < want; off += n) {
		n = want - off < (sqlite3_int64)sizeof zeros ?
		    (int)(want - off) : (int)sizeof zeros;
		if ((rc = wal->pMethods->xWrite(wal, zeros, n, off)) !=
		    SQLITE_OK) {
			log_warnx("preallocate %s-wal: write at %lld: %s; it "
			    "grows as it is used", db, (long long)off,
			    sqlite3_errstr(rc));
			break;
		}
	}
	if ((rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL)) != SQLITE_OK)
		log_warnx("preallocate %s-wal: sync: %s", db,
		    sqlite3_errstr(rc));
}

struct store *
store_open(const char *path, char **cause)
{
	struct store *st;

	st = xcalloc(1, sizeof *st);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    store_vfs_register() == SQLITE_OK ? STORE_VFS : NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "open database %s: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (exec_sql(st, "PRAGMA locking_mode=EXCLUSIVE;"
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA cache_size=-256; PRAGMA temp_store=MEMORY;"
	    "PRAGMA foreign_keys=OFF;", cause) == -1)
		goto fail;
	if (migrate(st, cause) == -1)
		goto fail;
	wal_prealloc(st);
	if (store_job_prepare(st, cause) == -1 ||
	    store_step_prepare(st, cause) == -1)
		goto fail;
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_release_memory(struct store *st)
{
	if (!st->in_txn)
		sqlite3_db_release_memory(st->db);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	store_job_finalize(st);
	store_step_finalize(st);
	sqlite3_finalize(st->begin);
	sqlite3_finalize(st->commit);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st);
}

int
store_begin(struct store *st, char **cause)
{
	if (st->in_txn)
		return 0;
	if (step_sql(st, &st->begin, "BEGIN IMMEDIATE", cause) == -1)
		return -1;
	st->in_txn = true;
	return 0;
}

/* COMMIT, or ROLLBACK what is left of a failed one. */
static int
commit_sql(struct store *st, char **cause)
{
	char *ignored = NULL;

	if (step_sql(st, &st->commit, "COMMIT", cause) == -1) {
		if (sqlite3_get_autocommit(st->db) == 0)
			exec_sql(st, "ROLLBACK", &ignored);
		free(ignored);
		return -1;
	}
	return 0;
}

int
store_commit(struct store *st, char **cause)
{
	if (!st->in_txn)
		return 0;
	st->in_txn = false;
	return commit_sql(st, cause);
}

void
store_rollback(struct store *st)
{
	char *cause = NULL;

	st->in_txn = false;
	if (sqlite3_get_autocommit(st->db) == 0)
		exec_sql(st, "ROLLBACK", &cause);
	free(cause);
}

bool
store_in_txn(const struct store *st)
{
	return st->in_txn;
}
