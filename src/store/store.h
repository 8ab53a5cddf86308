/* SPDX-License-Identifier: MIT */
/*
 * The durable store: SQLite in WAL mode, synchronous=FULL, schema versioned
 * with PRAGMA user_version and embedded migrations.  This module is the only
 * one that includes <sqlite3.h>.  It knows job records (src/proto/job.h) but
 * nothing of the daemon or the protocol framing.
 *
 * Writes happen inside store_begin/store_commit so that all changes of one
 * daemon loop iteration share one transaction (group commit).  Functions
 * return 0 or -1 with *cause set (caller frees) where they take one.
 */
#ifndef BERTH_STORE_H
#define BERTH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../proto/job.h"

struct store;

struct store	*store_open(const char *path, char **cause);
void		 store_close(struct store *);
int		 store_begin(struct store *, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);
bool		 store_in_txn(const struct store *);
/* Free what SQLite caches for the connection (pages are read again when
 * needed): after a large scan, when the daemon goes idle. */
void		 store_release_memory(struct store *);

/*
 * New job row plus its script, environment and arguments.  rec/reclen is
 * the record as the daemon sends it to clients (opaque here), kept beside
 * the columns so history queries can return it without decoding columns.
 * With script NULL no job_data row is written (an array task split off
 * its array uses the array's: store_job_data of array_job_id).
 */
int	 store_job_insert(struct store *, const struct job *, const void *rec,
	    size_t reclen, const char *script, char *const *env,
	    char *const *argv, char **cause);
/* Rewrite the job's row (every column, and rec) from the record, but
 * for uid and array_job_id: they never change once the job is in. */
int	 store_job_update(struct store *, const struct job *, const void *rec,
	    size_t reclen, char **cause);
/* Script, environment and arguments of a job (caller frees). */
int	 store_job_data(struct store *, uint32_t id, char **script,
	    char ***env, char ***argv, char **cause);
/* Forget script/env/argv once the job can no longer run. */
int	 store_job_data_delete(struct store *, uint32_t id, char **cause);

typedef void (*store_job_cb)(void *arg, struct job *);
/* Every job not in a final state, ordered by id.  cb takes ownership. */
int	 store_jobs_active(struct store *, store_job_cb, void *arg,
	    char **cause);
/*
 * Jobs matching an accounting filter (ids, states, users as uids, names,
 * partitions, time window), ordered by id.  uids: the numeric uids to
 * match (nuids 0 = all).  cb takes ownership of each record.
 */
int	 store_jobs_query(struct store *, const struct job_filter *,
	    const uint32_t *uids, uint32_t nuids, store_job_cb, void *arg,
	    char **cause);
/*
 * The same selection, returning each job's stored record blob (rec is
 * only valid during the call; NULL for a row written without one, in
 * which case j holds the decoded columns and is the callee's to free).
 * A job not in a final state comes with rec and j NULL: the daemon has
 * it in memory, with newer details.  Rows with ids in one of the nskip
 * ranges skip[] (sorted, disjoint: ids the caller knows to be active
 * jobs) are not read at all.
 */
struct store_idrange {
	uint32_t	 lo, hi;	/* inclusive */
};
typedef void (*store_rec_cb)(void *arg, uint32_t id, uint32_t state,
	    uint32_t array_job_id, uint32_t array_task_id, const void *rec,
	    size_t len, struct job *j);
int	 store_recs_query(struct store *, const struct job_filter *,
	    const uint32_t *uids, uint32_t nuids,
	    const struct store_idrange *skip, size_t nskip, store_rec_cb,
	    void *arg, char **cause);
/*
 * The id span of every job array in the store: for each array_job_id A,
 * [min(A, lowest id), max(A, highest id)] of the rows with that
 * array_job_id, by A (*v is the caller's to free).  From the array
 * index alone, without reading rows.
 */
int	 store_array_spans(struct store *, struct store_idrange **v,
	    size_t *n, char **cause);
/*
 * Fair-share usage per user (store-usage.c): CPU-seconds, decayed up to
 * stamp (the caller's arithmetic; stored as given).  put inserts or
 * replaces the user's row inside the open transaction.
 */
typedef void (*store_usage_cb)(void *arg, uint32_t uid, double usage,
	    int64_t stamp);
int	 store_usage_load(struct store *, store_usage_cb, void *arg,
	    char **cause);
int	 store_usage_put(struct store *, uint32_t uid, double usage,
	    int64_t stamp, char **cause);
/*
 * Job steps (store-step.c), kept as the daemon's encoded step records
 * (opaque here) beside their key and state.  put inserts or replaces.
 * steps_active: every step not in a final state; steps_of: the steps of
 * the given jobs (sacct), ordered by job and step id.  rec is only valid
 * during the callback.
 */
typedef void (*store_step_cb)(void *arg, uint32_t job_id, uint32_t step_id,
	    uint32_t state, const void *rec, size_t len);
int	 store_step_put(struct store *, uint32_t job_id, uint32_t step_id,
	    uint32_t state, const void *rec, size_t len, char **cause);
int	 store_steps_active(struct store *, store_step_cb, void *arg,
	    char **cause);
int	 store_steps_of(struct store *, const uint32_t *ids, uint32_t nids,
	    store_step_cb, void *arg, char **cause);
/* The holder (pid and /proc start time) of an interactive allocation. */
int	 store_holder_put(struct store *, uint32_t job_id, int32_t pid,
	    uint64_t start, char **cause);
int	 store_holder_get(struct store *, uint32_t job_id, int32_t *pid,
	    uint64_t *start, char **cause);	/* 1 found, 0 none */
int	 store_holder_delete(struct store *, uint32_t job_id, char **cause);

/* Highest job id ever stored (0 if none). */
int	 store_max_job_id(struct store *, uint32_t *, char **cause);

#endif
