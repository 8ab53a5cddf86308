/* SPDX-License-Identifier: MIT */
/*
 * sched_pass: one scheduling pass over a snapshot of the node, the way
 * Slurm's main scheduler plus sched/backfill behave on a one-node cluster.
 * Pure: no I/O, no clock (now is in the input), no globals; the only
 * allocation is a temporary array of end times, freed before returning.
 *
 * 1. Jobs the caller blocked (held, dependency, begin time) keep that
 *    reason.  Jobs that can never run here get a partition reason and
 *    neither start nor block anyone (sched_check, below).
 * 2. The rest are sorted as Slurm's sort_job_queue2 does: partition
 *    PriorityTier (higher first), priority (higher first), submit time,
 *    job id; the input index breaks any remaining tie, so the output
 *    depends only on the input.
 * 3. Main scheduler: jobs start in that order while they fit.  The first
 *    one that does not fit gets Resources.  As in Slurm's _schedule(), its
 *    partition is then "failed" (later jobs of that partition get
 *    Priority) and its nodes are taken out of the available set; on one
 *    node that is the whole node, so later jobs of other partitions get
 *    WAIT_NODES_DOWN ("Nodes required for job are DOWN, DRAINED or
 *    reserved for jobs in higher priority partitions"), as recorded in
 *    slurm-reference/30_squeue.txt for job 11948.
 * 4. EASY backfill for that top job (see sched_reserve): its reserved
 *    start is the first running job's end at which enough is free; a later
 *    job starts now if it fits now and either ends by then or fits in
 *    what is left over at that time after the top job's share.  Only the
 *    top job holds a reservation (Slurm reserves for every job it tests).
 *    A job with a --time-min that does not fit with its time limit is
 *    tried with its time-min, and if it then ends by the reserved start
 *    it starts with the longest limit (whole minutes, at most its own)
 *    that still ends by then: Slurm's backfill tests such a job with its
 *    time_min and then raises its limit "as high as possible"
 *    (_reset_job_time_limit).  The main scheduler never shortens a limit.
 *
 * Cores and GPUs are interchangeable on one node, so the plan counts them;
 * the actual ids handed out are always the lowest free ones.
 *
 * sched_fast_pass (at the end) decides new submissions the way this pass
 * would, against what a pass that started nothing left (the top job and
 * the running jobs), without looking at the rest of the queue.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "../proto/job.h"
#include "sched.h"

/* What is free on the node at this point of the pass. */
struct sched_free {
	struct bitmap	 cpus;		/* usable and not allocated */
	struct bitmap	 gpus;
	int64_t		 ncpus;		/* counts of the above */
	int64_t		 ngpus;
	int64_t		 mem_mb;	/* < 0 if the snapshot overcommits */
	uint32_t	 nrunning;	/* incl. jobs started in this pass */
	uint32_t	 nexclusive;	/* running --exclusive jobs */
};

/* A running job, counted, and when it lets go. */
struct sched_event {
	int64_t		 end;		/* INT64_MAX: no time limit */
	int64_t		 ncpus;
	int64_t		 ngpus;
	int64_t		 mem_mb;
	bool		 exclusive;
};

/* The top job's reservation, as backfill sees it. */
struct sched_resv {
	int64_t		 start;		/* INT64_MAX: unknown */
	bool		 whole_node;	/* top job is --exclusive */
	/* Left over for jobs that would still run at start. */
	int64_t		 ncpus;
	int64_t		 ngpus;
	int64_t		 mem_mb;
};

static int64_t	 sched_end_time(int64_t, uint32_t);
static uint32_t	 sched_check(const struct sched_input *,
		    const struct sched_job *, uint32_t, uint32_t);
static bool	 sched_before(const struct sched_input *, uint32_t, uint32_t);
static void	 sched_sort(const struct sched_input *, uint32_t *, uint32_t);
static void	 sched_free_init(const struct sched_input *,
		    struct sched_free *, uint32_t);
static bool	 sched_fits(const struct sched_free *,
		    const struct sched_job *);
static void	 sched_take(struct bitmap *, struct bitmap *, uint32_t);
static void	 sched_start(const struct sched_input *, struct sched_free *,
		    const struct sched_job *, struct sched_decision *);
static int	 sched_event_cmp(const void *, const void *);
static void	 sched_reserve(const struct sched_input *,
		    const struct sched_free *, const struct sched_decision *,
		    const uint32_t *, uint32_t, const struct sched_job *,
		    uint32_t, struct sched_resv *);
static bool	 sched_backfill(struct sched_resv *, const struct sched_job *,
		    int64_t, uint32_t *);

/* When a job started at now with this limit (minutes) must end. */
static int64_t
sched_end_time(int64_t now, uint32_t limit)
{
	int64_t	d;

	if (limit == INFINITE || limit == NO_VAL)
		return INT64_MAX;
	d = (int64_t)limit * 60;
	if (now > INT64_MAX - d)
		return INT64_MAX;
	return now + d;
}

/*
 * Why this job can never run here, or WAIT_NO_REASON.  The order follows
 * Slurm's job_limits_check (node count, partition state, time) and then
 * what select_nodes finds impossible.  Real Slurm 22.05 shows
 * PartitionConfig both for -N 2 on a one-node partition and for a time
 * limit over the partition's MaxTime (slurm-reference/02_sbatch_errors.txt,
 * jobs 11876 and 11884), so WAIT_PART_TIME_LIMIT is not produced here.
 * (That is the reason right after submission: real slurmctld's periodic
 * pass later turns them into PartitionNodeLimit and PartitionTimeLimit,
 * see docs/compat.md.)
 * max_nodes and max_cpus_per_node of 0 are taken as "not set".
 */
static uint32_t
sched_check(const struct sched_input *in, const struct sched_job *job,
    uint32_t usable, uint32_t node_gpus)
{
	const struct sched_part	*p;
	uint32_t		 ncpus, min_nodes;

	if (job->part >= in->nparts)
		return WAIT_PART_CONFIG;
	p = &in->parts[job->part];
	min_nodes = job->min_nodes > 0 ? job->min_nodes : 1;
	ncpus = job->ncpus > 0 ? job->ncpus : 1;

	if (p->max_nodes != INFINITE && p->max_nodes != NO_VAL &&
	    p->max_nodes != 0 && min_nodes > p->max_nodes)
		return WAIT_PART_NODE_LIMIT;
	if (!p->up)
		return p->inactive ? WAIT_PART_INACTIVE : WAIT_PART_DOWN;
	if (job->time_limit != NO_VAL && p->max_time != INFINITE &&
	    p->max_time != NO_VAL && job->time_limit > p->max_time)
		return WAIT_PART_CONFIG;
	if (min_nodes > 1)
		return WAIT_PART_CONFIG;
	if (ncpus > usable)
		return WAIT_PART_CONFIG;
	if (p->max_cpus_per_node != INFINITE &&
	    p->max_cpus_per_node != NO_VAL && p->max_cpus_per_node != 0 &&
	    ncpus > p->max_cpus_per_node)
		return WAIT_PART_CONFIG;
	/* Refused at submit by the daemon; kept here in case limits change. */
	if (job->mem_mb > in->node_mem_mb)
		return WAIT_PART_CONFIG;
	if (p->max_mem_per_node != 0 && job->mem_mb > p->max_mem_per_node)
		return WAIT_PART_CONFIG;
	if (job->gpus > node_gpus)
		return WAIT_PART_CONFIG;
	return WAIT_NO_REASON;
}

/* Does pending[a] come before pending[b] in the queue? */
static bool
sched_before(const struct sched_input *in, uint32_t a, uint32_t b)
{
	const struct sched_job	*x = &in->pending[a], *y = &in->pending[b];
	uint32_t		 tx, ty;

	tx = in->parts[x->part].priority_tier;
	ty = in->parts[y->part].priority_tier;
	if (tx != ty)
		return tx > ty;
	if (x->priority != y->priority)
		return x->priority > y->priority;
	if (x->submit_time != y->submit_time)
		return x->submit_time < y->submit_time;
	if (x->id != y->id)
		return x->id < y->id;
	return a < b;
}

/*
 * Sorts indices into queue order, in place.  The daemon usually hands the
 * jobs over already in order, which one linear check detects; otherwise a
 * quicksort with a median-of-three pivot (keys are all distinct, so both
 * partitions are never empty), recursing into the smaller half only, and
 * insertion sort for short runs.
 */
static void
sched_sort(const struct sched_input *in, uint32_t *v, uint32_t n)
{
	uint32_t	i, j, m, p, t;

	for (i = 1; i < n; i++) {
		if (sched_before(in, v[i], v[i - 1]))
			break;
	}
	if (i >= n)
		return;

	while (n > 16) {
		m = n / 2;
		if (sched_before(in, v[m], v[0])) {
			t = v[m]; v[m] = v[0]; v[0] = t;
		}
		if (sched_before(in, v[n - 1], v[m])) {
			t = v[m]; v[m] = v[n - 1]; v[n - 1] = t;
			if (sched_before(in, v[m], v[0])) {
				t = v[m]; v[m] = v[0]; v[0] = t;
			}
		}
		p = v[m];
		/* Hoare: v[0..j] <= p <= v[j+1..n-1], 0 <= j < n - 1. */
		i = 0;
		j = n - 1;
		for (;;) {
			while (sched_before(in, v[i], p))
				i++;
			while (sched_before(in, p, v[j]))
				j--;
			if (i >= j)
				break;
			t = v[i]; v[i] = v[j]; v[j] = t;
			i++;
			j--;
		}
		if (j + 1 < n - (j + 1)) {
			sched_sort(in, v, j + 1);
			v += j + 1;
			n -= j + 1;
		} else {
			sched_sort(in, v + j + 1, n - (j + 1));
			n = j + 1;
		}
	}
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && sched_before(in, t, v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

static void
sched_free_init(const struct sched_input *in, struct sched_free *fr,
    uint32_t node_gpus)
{
	const struct sched_running	*r;
	uint32_t			 i, w;
	uint64_t			 used = 0;

	memset(fr, 0, sizeof *fr);
	fr->cpus = in->node_cpus;
	for (i = 0; i < node_gpus; i++)
		bitmap_set(&fr->gpus, i);
	for (i = 0; i < in->nrunning; i++) {
		r = &in->running[i];
		for (w = 0; w < SCHED_WORDS; w++) {
			fr->cpus.w[w] &= ~r->cpus.w[w];
			fr->gpus.w[w] &= ~r->gpus.w[w];
		}
		used += r->mem_mb;
		if (r->exclusive)
			fr->nexclusive++;
	}
	fr->nrunning = in->nrunning;
	fr->ncpus = bitmap_count(&fr->cpus);
	fr->ngpus = bitmap_count(&fr->gpus);
	if (in->node_mem_mb > (uint64_t)INT64_MAX)
		fr->mem_mb = INT64_MAX;
	else
		fr->mem_mb = (int64_t)in->node_mem_mb;
	fr->mem_mb -= used > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)used;
}

/*
 * Fits in what is free now?  An --exclusive job needs a node with no job
 * at all; while an --exclusive job runs, nothing else fits.
 */
static bool
sched_fits(const struct sched_free *fr, const struct sched_job *job)
{
	int64_t	ncpus = job->ncpus > 0 ? job->ncpus : 1;

	if (job->exclusive)
		return fr->nrunning == 0;
	if (fr->nexclusive != 0)
		return false;
	return ncpus <= fr->ncpus && (int64_t)job->mem_mb <= fr->mem_mb &&
	    (int64_t)job->gpus <= fr->ngpus;
}

/* Moves the n lowest set bits of from into to. */
static void
sched_take(struct bitmap *from, struct bitmap *to, uint32_t n)
{
	uint32_t	i, c;
	uint64_t	w, bit;

	for (i = 0; i < SCHED_WORDS && n > 0; i++) {
		w = from->w[i];
		c = (uint32_t)__builtin_popcountll(w);
		if (c <= n) {
			to->w[i] |= w;
			from->w[i] = 0;
			n -= c;
			continue;
		}
		while (n > 0) {
			bit = w & -w;
			to->w[i] |= bit;
			from->w[i] &= ~bit;
			w &= w - 1;
			n--;
		}
	}
}

static void
sched_start(const struct sched_input *in, struct sched_free *fr,
    const struct sched_job *job, struct sched_decision *d)
{
	uint32_t	ncpus = job->ncpus > 0 ? job->ncpus : 1;

	d->start = true;
	d->reason = WAIT_NO_REASON;
	d->planned_start = in->now;
	d->time_limit = job->time_limit;
	if (job->exclusive) {
		/* All cores and GPUs: Slurm's TRES in 18_sbatch_exclusive. */
		d->cpus = fr->cpus;
		d->gpus = fr->gpus;
		bitmap_clear(&fr->cpus);
		bitmap_clear(&fr->gpus);
		fr->ncpus = 0;
		fr->ngpus = 0;
		fr->nexclusive++;
	} else {
		sched_take(&fr->cpus, &d->cpus, ncpus);
		sched_take(&fr->gpus, &d->gpus, job->gpus);
		fr->ncpus -= ncpus;
		fr->ngpus -= job->gpus;
	}
	fr->mem_mb -= (int64_t)job->mem_mb;
	fr->nrunning++;
}

static int
sched_event_cmp(const void *a, const void *b)
{
	const struct sched_event	*x = a, *y = b;

	return (x->end > y->end) - (x->end < y->end);
}

/*
 * The top job's reservation.  Walk the running jobs (those of the snapshot
 * and those started earlier in this pass) by end time, releasing what they
 * hold, until the top job fits: that end time is its reserved start, and
 * what is free then beyond the top job's share may be used by backfilled
 * jobs that run past it.  An --exclusive top job needs every job gone, so
 * nothing may run past its start.
 *
 * When the top job needs something held by a job without a time limit,
 * its start is unknown (planned_start 0, "N/A" in squeue --start, as Slurm
 * shows for job 11942 in 30_squeue.txt).  We then stay conservative: a job
 * may backfill only into what is free now beyond the top job's needs, on
 * every resource, whatever its own time limit.  Whatever the unlimited
 * jobs release later, the top job then still finds at least its share of
 * what is free now, so backfill never delays it.  (Slurm instead treats
 * unlimited jobs as ending in a year and lets any job with a time limit
 * run ahead; that can delay the top job by up to that limit.)
 */
static void
sched_reserve(const struct sched_input *in, const struct sched_free *fr,
    const struct sched_decision *out, const uint32_t *started,
    uint32_t nstarted, const struct sched_job *top, uint32_t node_gpus,
    struct sched_resv *rv)
{
	const struct sched_running	*r;
	const struct sched_job		*job;
	struct sched_event		*ev, *e;
	int64_t				 ncpus, ngpus, mem, need_cpus, t;
	uint64_t			 gpu_mask;
	uint32_t			 i, w, n = 0, nrun, nexcl;
	bool				 ok;

	/* GPUs are 0..node_gpus-1, node_gpus <= SCHED_MAX_GPUS == 64. */
	gpu_mask = node_gpus >= 64 ? ~UINT64_C(0) :
	    (UINT64_C(1) << node_gpus) - 1;
	need_cpus = top->ncpus > 0 ? top->ncpus : 1;
	rv->whole_node = top->exclusive;
	rv->start = INT64_MAX;

	ev = xreallocarray(NULL, (size_t)in->nrunning + nstarted, sizeof *ev);
	for (i = 0; i < in->nrunning; i++) {
		r = &in->running[i];
		e = &ev[n++];
		e->end = r->end_time < in->now ? in->now : r->end_time;
		e->ncpus = 0;
		for (w = 0; w < SCHED_WORDS; w++)
			e->ncpus += __builtin_popcountll(r->cpus.w[w] &
			    in->node_cpus.w[w]);
		e->ngpus = __builtin_popcountll(r->gpus.w[0] & gpu_mask);
		e->mem_mb = (int64_t)r->mem_mb;
		e->exclusive = r->exclusive;
	}
	for (i = 0; i < nstarted; i++) {
		job = &in->pending[started[i]];
		e = &ev[n++];
		e->end = sched_end_time(in->now, job->time_limit);
		e->ncpus = bitmap_count(&out[started[i]].cpus);
		e->ngpus = bitmap_count(&out[started[i]].gpus);
		e->mem_mb = (int64_t)job->mem_mb;
		e->exclusive = job->exclusive;
	}
	qsort(ev, n, sizeof *ev, sched_event_cmp);

	ncpus = fr->ncpus;
	ngpus = fr->ngpus;
	mem = fr->mem_mb;
	nrun = fr->nrunning;
	nexcl = fr->nexclusive;
	i = 0;
	for (;;) {
		if (top->exclusive)
			ok = nrun == 0;
		else
			ok = nexcl == 0 && ncpus >= need_cpus &&
			    mem >= (int64_t)top->mem_mb &&
			    ngpus >= (int64_t)top->gpus;
		if (ok) {
			rv->start = i == 0 ? in->now : ev[i - 1].end;
			break;
		}
		if (i == n || ev[i].end == INT64_MAX)
			break;
		/* Release everything ending at the same time together. */
		t = ev[i].end;
		while (i < n && ev[i].end == t) {
			ncpus += ev[i].ncpus;
			ngpus += ev[i].ngpus;
			mem += ev[i].mem_mb;
			nrun--;
			if (ev[i].exclusive)
				nexcl--;
			i++;
		}
	}
	free(ev);

	if (rv->start == INT64_MAX) {
		/* Unknown start: what is free now beyond the top job. */
		ncpus = fr->ncpus;
		ngpus = fr->ngpus;
		mem = fr->mem_mb;
	}
	rv->ncpus = ncpus - need_cpus;
	rv->ngpus = ngpus - (int64_t)top->gpus;
	rv->mem_mb = mem - (int64_t)top->mem_mb;
}

/*
 * May job (which fits now) start without delaying the reservation?  Yes if
 * it ends by the reserved start, or if it fits in the leftover at that
 * time, which it then uses up.  Jobs without a time limit only ever get
 * the second chance; --exclusive jobs only the first.  Failing both, a
 * job with a time-min below its limit may still end by the reserved
 * start with a shorter limit: *limit is then the longest such (whole
 * minutes, >= time_min), else the job's own limit.
 */
static bool
sched_backfill(struct sched_resv *rv, const struct sched_job *job,
    int64_t now, uint32_t *limit)
{
	int64_t	ncpus = job->ncpus > 0 ? job->ncpus : 1;
	int64_t	fit;

	*limit = job->time_limit;
	if (rv->start != INT64_MAX &&
	    sched_end_time(now, job->time_limit) <= rv->start)
		return true;
	/* A leftover may be negative (unknown start): only what it uses. */
	if (rv->whole_node || job->exclusive || ncpus > rv->ncpus ||
	    (job->gpus > 0 && (int64_t)job->gpus > rv->ngpus) ||
	    (job->mem_mb > 0 && (int64_t)job->mem_mb > rv->mem_mb)) {
		if (rv->start == INT64_MAX || job->time_min == 0 ||
		    job->time_min == NO_VAL || job->time_min == INFINITE ||
		    (job->time_limit != INFINITE &&
		    job->time_limit != NO_VAL &&
		    job->time_min >= job->time_limit) ||
		    sched_end_time(now, job->time_min) > rv->start)
			return false;
		fit = (rv->start - now) / 60;
		if (job->time_limit != INFINITE && job->time_limit != NO_VAL &&
		    fit > (int64_t)job->time_limit)
			fit = job->time_limit;
		*limit = (uint32_t)fit;
		return true;
	}
	rv->ncpus -= ncpus;
	rv->ngpus -= (int64_t)job->gpus;
	rv->mem_mb -= (int64_t)job->mem_mb;
	return true;
}

uint32_t
sched_pass(const struct sched_input *in, struct sched_decision *out,
    uint32_t *scratch)
{
	const struct sched_job	*job, *top;
	struct sched_decision	*d;
	struct sched_free	 fr;
	struct sched_resv	 rv;
	uint32_t		 i, k, n = 0, started = 0, usable, node_gpus;
	uint32_t		 reason, limit;

	usable = bitmap_count(&in->node_cpus);
	node_gpus = in->node_gpus < SCHED_MAX_GPUS ? in->node_gpus :
	    SCHED_MAX_GPUS;

	for (i = 0; i < in->npending; i++) {
		job = &in->pending[i];
		d = &out[i];
		memset(d, 0, sizeof *d);
		d->idx = job->idx;
		if (job->blocked != WAIT_NO_REASON)
			d->reason = job->blocked;
		else if ((reason = sched_check(in, job, usable, node_gpus)) !=
		    WAIT_NO_REASON)
			d->reason = reason;
		else
			scratch[n++] = i;
	}
	sched_sort(in, scratch, n);
	sched_free_init(in, &fr, node_gpus);

	/* Main scheduler: strictly in order, up to the first misfit. */
	for (k = 0; k < n; k++) {
		job = &in->pending[scratch[k]];
		if (!sched_fits(&fr, job))
			break;
		sched_start(in, &fr, job, &out[scratch[k]]);
		started++;
	}
	if (k == n)
		return started;

	top = &in->pending[scratch[k]];
	out[scratch[k]].reason = WAIT_RESOURCES;
	sched_reserve(in, &fr, out, scratch, k, top, node_gpus, &rv);
	if (rv.start != INT64_MAX)
		out[scratch[k]].planned_start = rv.start;

	/* Backfill the rest. */
	for (i = k + 1; i < n; i++) {
		job = &in->pending[scratch[i]];
		d = &out[scratch[i]];
		if (job->part == top->part)
			d->reason = WAIT_PRIORITY;
		else
			d->reason = WAIT_NODES_DOWN;
		if (fr.ncpus <= 0 || !sched_fits(&fr, job))
			continue;
		if (!sched_backfill(&rv, job, in->now, &limit))
			continue;
		sched_start(in, &fr, job, d);
		d->time_limit = limit;
		started++;
	}
	return started;
}

/*
 * The submission fast path.  A full pass that starts nothing leaves a
 * fixed point: run again on the same state it would decide the same, and
 * in it the first job in queue order that is not blocked (T, "the top
 * job") does not fit and gets Resources, every later one gets Priority or
 * NodesDown by its partition alone, and none of them changes the free
 * resources or the reservation, because a job that does not start
 * changes nothing.  So a full pass over that queue plus new jobs that all
 * sort after T gives the old jobs what they have, and decides the new
 * ones against the running jobs and T only: that is sched_pass over
 * {T, new jobs}, a pass of a few jobs whatever the queue length.
 *
 * It stays a fixed point while only submissions happen:
 *  - A new job that does not start changes nothing (as above).
 *  - One that starts was let in by the main loop (no T: nothing waits,
 *    and a job that does not fit the rest now never fits less) or by
 *    backfill for T, which means it ends by T's reserved start or fits
 *    what is left over then: T's start stays where it was and what is left
 *    over shrinks, so the old jobs, which failed with more, still fail.
 *    A shorter limit set later by the caller (--deadline) only makes it
 *    end sooner.
 *  - Time: the jobs that failed to backfill fail later too (a later now
 *    only ends them later), and the reservation is the same as long as no
 *    running job's end time is already past (sched_reserve counts such an
 *    end as now, which moves): checked below, unless now is still the
 *    pass's own second.  What the caller decides from the clock (begin
 *    times, deadlines, dependencies with a delay, priorities that age) is
 *    the caller's to check: the daemon keeps the earliest such moment.
 *  - Anything else (a job ends or is cancelled, a hold, a release, an
 *    update, a new configuration, a job whose start changes what others
 *    wait for) is the caller's to report by dropping the cache.
 *
 * A new job that sorts before T would have been tried before it: that,
 * and anything the checks below do not cover, returns -1 (the caller runs
 * a full pass).  The test test-sched-fast.c checks all this against full
 * passes over random queues.
 */
void
sched_fast_note(struct sched_fast *f, const struct sched_input *in,
    const struct sched_decision *out, uint32_t started)
{
	uint32_t	i;

	memset(f, 0, sizeof *f);
	if (started != 0)
		return;
	f->valid = true;
	f->since = in->now;
	for (i = 0; i < in->npending; i++) {
		if (in->pending[i].blocked == WAIT_NO_REASON &&
		    !out[i].start && out[i].reason == WAIT_RESOURCES) {
			f->has_top = true;
			f->top = in->pending[i];
			break;
		}
	}
}

int
sched_fast_pass(struct sched_fast *f, const struct sched_input *in,
    struct sched_decision *out)
{
	struct sched_input	 all;
	struct sched_job	*jobs;
	struct sched_decision	*d;
	uint32_t		*sc, i, n, t, usable, node_gpus, started;

	if (!f->valid || in->now < f->since)
		return -1;
	if (in->now != f->since) {
		for (i = 0; i < in->nrunning; i++)
			if (in->running[i].end_time < in->now)
				return -1;
	}
	if (f->has_top && f->top.part >= in->nparts)
		return -1;

	/* The new jobs, then T (the index breaks no tie: ids differ). */
	n = in->npending;
	t = n;
	jobs = xreallocarray(NULL, (size_t)n + 1, sizeof *jobs);
	d = xreallocarray(NULL, (size_t)n + 1, sizeof *d);
	sc = xreallocarray(NULL, (size_t)n + 1, sizeof *sc);
	if (n > 0)
		memcpy(jobs, in->pending, (size_t)n * sizeof *jobs);
	all = *in;
	all.pending = jobs;
	all.npending = n;
	if (f->has_top) {
		jobs[t] = f->top;
		all.npending = n + 1;
		usable = bitmap_count(&in->node_cpus);
		node_gpus = in->node_gpus < SCHED_MAX_GPUS ? in->node_gpus :
		    SCHED_MAX_GPUS;
		for (i = 0; i < n; i++) {
			if (jobs[i].id == f->top.id ||
			    (jobs[i].blocked == WAIT_NO_REASON &&
			    sched_check(in, &jobs[i], usable, node_gpus) ==
			    WAIT_NO_REASON && sched_before(&all, i, t))) {
				started = UINT32_MAX;
				goto out;
			}
		}
	}
	started = sched_pass(&all, d, sc);
	/* T must still wait for Resources, else this was no fixed point. */
	if (f->has_top && (d[t].start || d[t].reason != WAIT_RESOURCES)) {
		started = UINT32_MAX;
		goto out;
	}
	if (n > 0)
		memcpy(out, d, (size_t)n * sizeof *out);
	if (!f->has_top) {
		for (i = 0; i < n; i++) {
			if (jobs[i].blocked == WAIT_NO_REASON && !d[i].start &&
			    d[i].reason == WAIT_RESOURCES) {
				f->has_top = true;
				f->top = jobs[i];
				break;
			}
		}
	}
out:
	free(jobs);
	free(d);
	free(sc);
	return started == UINT32_MAX ? -1 : (int)started;
}
