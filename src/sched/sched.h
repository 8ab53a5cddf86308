/* SPDX-License-Identifier: MIT */
/*
 * Scheduling policy, pure: (resources, running jobs, pending jobs, now) ->
 * decisions.  No I/O, no clock reads, no globals, no SQLite.  The daemon
 * builds a struct sched_input snapshot, calls sched_pass(), and applies the
 * decisions.  The same plan answers `squeue --start` and `sbatch --test-only`.
 *
 * Ownership: sched_pass writes only into the caller's out arrays.
 */
#ifndef BERTH_SCHED_H
#define BERTH_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_CPUS	1024
#define SCHED_MAX_GPUS	64
#define SCHED_WORDS	(SCHED_MAX_CPUS / 64)

struct bitmap {
	uint64_t	w[SCHED_WORDS];
};

void	 bitmap_clear(struct bitmap *);
void	 bitmap_set(struct bitmap *, uint32_t);
void	 bitmap_unset(struct bitmap *, uint32_t);
bool	 bitmap_test(const struct bitmap *, uint32_t);
uint32_t bitmap_count(const struct bitmap *);
/* "0-3,8" <-> bitmap.  parse returns -1 on bad input. */
int	 bitmap_parse(struct bitmap *, const char *);
/* Writes the list form into buf (always NUL-terminated). */
void	 bitmap_format(const struct bitmap *, char *buf, size_t len);

/*
 * The CPUs of a new job step (step.c): the lowest need CPUs of job not in
 * used (any of job with overlap).  1 granted (out), 0 must wait for
 * running steps to end, -1 never (the job has fewer than need).
 */
int	 sched_step_cpus(const struct bitmap *job, const struct bitmap *used,
	    uint32_t need, bool overlap, struct bitmap *out);

struct sched_part {
	const char	*name;
	uint32_t	 max_time;	/* minutes or INFINITE */
	uint32_t	 max_nodes;	/* INFINITE or a count */
	uint32_t	 max_cpus_per_node;	/* INFINITE or a count */
	uint64_t	 max_mem_per_node;	/* MB, 0 = no limit */
	uint32_t	 priority_tier;
	bool		 up;		/* State=UP or DRAIN: jobs may start */
	bool		 inactive;	/* State=INACTIVE (else DOWN if !up) */
};

struct sched_job {
	uint32_t	 idx;		/* caller's index, echoed in decisions */
	uint32_t	 id;		/* job id: final tie-break */
	uint32_t	 priority;	/* higher first */
	uint32_t	 part;		/* index into input parts */
	uint32_t	 ncpus;		/* CPUs wanted on the node */
	uint64_t	 mem_mb;	/* memory wanted on the node */
	uint32_t	 gpus;
	uint32_t	 min_nodes;
	uint32_t	 time_limit;	/* minutes or INFINITE (already defaulted) */
	uint32_t	 time_min;	/* --time-min minutes; 0 or NO_VAL: none */
	bool		 exclusive;	/* whole node */
	/*
	 * A reason decided by the caller that keeps the job from starting
	 * (held, dependency, begin time); WAIT_NO_REASON if none.  Such jobs
	 * neither start nor block others.
	 */
	uint32_t	 blocked;
	int64_t		 submit_time;
};

struct sched_running {
	struct bitmap	 cpus;
	uint64_t	 mem_mb;
	struct bitmap	 gpus;		/* bit i = GPU i */
	int64_t		 end_time;	/* start + limit; INT64_MAX if none */
	bool		 exclusive;
};

struct sched_input {
	int64_t			 now;
	struct bitmap		 node_cpus;	/* usable core ids */
	uint64_t		 node_mem_mb;
	uint32_t		 node_gpus;	/* GPUs 0..n-1 */
	const struct sched_part	*parts;
	uint32_t		 nparts;
	const struct sched_running *running;
	uint32_t		 nrunning;
	const struct sched_job	*pending;
	uint32_t		 npending;
};

struct sched_decision {
	uint32_t	 idx;		/* from sched_job.idx */
	bool		 start;		/* start now with cpus/gpus below */
	uint32_t	 reason;	/* enum job_reason if not started */
	struct bitmap	 cpus;
	struct bitmap	 gpus;
	int64_t		 planned_start;	/* 0 unknown; when it would start */
	/* Started: its time limit, lowered towards its time_min when that
	 * is what let it backfill (minutes, or INFINITE). */
	uint32_t	 time_limit;
};

/*
 * Decide.  out must have room for npending entries; out[i] answers
 * pending[i] (same order as the input).  Returns the number of jobs
 * started.  `scratch` of npending uint32_t is used for sorting.
 */
uint32_t sched_pass(const struct sched_input *, struct sched_decision *out,
	    uint32_t *scratch);

/*
 * The fast path for submissions (sched.c, sched_fast_pass): what the last
 * full pass left that decides a new job the same way a full pass would,
 * without walking the pending queue again.  Owned by the caller (the
 * daemon keeps one); the caller drops it (valid = false) whenever
 * anything but a new submission changes: see sched_fast_pass.
 */
struct sched_fast {
	bool		 valid;
	bool		 has_top;	/* a job waits for Resources */
	int64_t		 since;		/* now of the full pass */
	struct sched_job top;		/* that job, as the pass saw it */
};

/*
 * After a full pass over in with decisions out (started: its return):
 * the cache is valid only if the pass started nothing.
 */
void	 sched_fast_note(struct sched_fast *, const struct sched_input *,
	    const struct sched_decision *, uint32_t started);
/*
 * Decide the new jobs in->pending (the running jobs as now) as a full
 * pass over the old pending jobs plus these would, or return -1 when
 * that cannot be done without one.  out as for sched_pass.
 * Returns the number started; the cache then also holds a new job that
 * became the one waiting for Resources.
 */
int	 sched_fast_pass(struct sched_fast *, const struct sched_input *,
	    struct sched_decision *out);

#endif
