/* SPDX-License-Identifier: MIT */
/*
 * The daemon side of scheduling: turn the job table into a sched_input
 * snapshot, run the pure policy (src/sched/), and apply its decisions.
 * Jobs it starts are committed RUNNING, with their cores and GPUs, before
 * their supervisors are spawned (see supervise.c for why that order makes
 * crashes safe).  Runs only when something changed (D->sched_needed).
 *
 * A pending array (one record holding the set of its pending tasks) enters
 * the pass as several candidates, up to the tasks it has left, its %N
 * throttle and the node's CPUs; each candidate started takes the lowest
 * pending index: a new job record with the next id is split off the array
 * (job_array_take), and the last task left takes the array's own id, as in
 * Slurm (slurm-reference/12_sbatch_array.txt).
 */
#include <stdlib.h>
#include <string.h>

#include "../common/arrayspec.h"
#include "../common/buf.h"
#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "daemon.h"
#include "schedule.h"

/*
 * The pass's scratch arrays (about 360 bytes per pending job) are kept
 * through a burst of events and released when the daemon goes idle
 * (schedule_release): kept for good they would double the resident
 * memory of a daemon with a long queue.
 */
static void
grow(uint32_t npending, uint32_t nrunning)
{
	if (npending + 1 > D->scap) {
		D->scap = npending + 1 + (npending + 1) / 4;
		D->sj = xreallocarray(D->sj, D->scap, sizeof *D->sj);
		D->sd = xreallocarray(D->sd, D->scap, sizeof *D->sd);
		D->scratch = xreallocarray(D->scratch, D->scap,
		    sizeof *D->scratch);
		D->sjob = xreallocarray(D->sjob, D->scap, sizeof *D->sjob);
	}
	if (nrunning > D->rcap) {
		D->rcap = nrunning + 16;
		D->sr = xreallocarray(D->sr, D->rcap, sizeof *D->sr);
	}
}

void
schedule_release(void)
{
	if (D->scap <= 1024)
		return;
	free(D->sj);
	free(D->sd);
	free(D->scratch);
	free(D->sjob);
	D->sj = NULL;
	D->sd = NULL;
	D->scratch = NULL;
	D->sjob = NULL;
	D->scap = 0;
	idle_trim_due();	/* hand the freed pages back */
}

/* The timer must fire at t (the earliest of all such wake-ups). */
static void
wake_at(int64_t t)
{
	if (D->next_begin == 0 || t < D->next_begin)
		D->next_begin = t;
}

/*
 * --deadline, as slurmctld's deadline_ok(): a job the scheduler could
 * start now but whose minimum run (its time-min, else its time limit)
 * would end after its deadline can never meet it; it is ended DEADLINE
 * after the pass.  Otherwise the last second it may still start is noted
 * for the timer, so the job is removed then without any polling.  A job
 * without a time limit misses its deadline only once it has passed
 * (Slurm keeps it; it could not run a second anyway).
 */
static bool
deadline_missed(const struct job_head *j, int64_t now)
{
	const struct job_more *m = JH_MORE(j);
	uint32_t need = m->time_min != NO_VAL ? m->time_min : j->time_limit;
	int64_t last;

	if (m->deadline == 0)
		return false;
	if (need == NO_VAL || need == INFINITE)
		need = 0;
	last = m->deadline - (int64_t)need * 60;
	if (now > last || now >= m->deadline)
		return true;
	wake_at(last + 1 < m->deadline ? last + 1 : m->deadline);
	return false;
}

/* Why the caller keeps a job from starting; notes deadlines to wake at. */
static uint32_t
blocked_reason(struct djob *dj, int64_t now)
{
	const struct job_head *j = &dj->j;
	int64_t wake = 0;
	uint32_t r;

	/*
	 * The dependency first: for a job waiting for its begin time, as
	 * slurmctld's job_independent(), so its reason is Dependency until
	 * the dependency is met; for a held job too, as slurmctld's periodic
	 * purge_old_job() test, but without using it up (depend_update()),
	 * so %E shows an item that failed and --kill-on-invalid-dep cancels
	 * the job without waiting for its release.  The hold's reason wins;
	 * then the dependency's, then the begin time's.
	 */
	r = depend_update(dj, now, &wake);
	if (wake > now)
		wake_at(wake);
	/* --kill-on-invalid-dep (or the config default): cancel after the
	 * pass; not here, while the pending list is being walked. */
	if (r == WAIT_DEP_INVALID && ((j->flags & JOB_F_KILL_INV_DEP) ||
	    (D->conf.kill_invalid_depend && !(j->flags & JOB_F_KEEP_INV_DEP))))
		dj->kill_dep = true;
	if (j->flags & JOB_F_HOLD_ADMIN)
		return WAIT_HELD;
	if (j->flags & JOB_F_HOLD_USER)
		return WAIT_HELD_USER;
	if (r != WAIT_NO_REASON)
		return r;
	if (j->begin_time > now) {
		wake_at(j->begin_time);
		return WAIT_BEGIN_TIME;
	}
	if (deadline_missed(j, now)) {
		dj->kill_deadline = true;
		return FAIL_DEADLINE;
	}
	return WAIT_NO_REASON;
}

static void
fill_job(struct sched_job *s, const struct job_head *j, uint32_t idx,
    uint32_t blocked)
{
	int p = conf_find_part(&D->conf, j->partition);

	memset(s, 0, sizeof *s);
	s->idx = idx;
	s->id = j->id;
	s->priority = j->priority;
	s->part = p >= 0 ? (uint32_t)p : D->conf.default_part;
	s->ncpus = j->ncpus;
	s->mem_mb = job_head_mem_node(j);
	s->gpus = j->gpus;
	s->min_nodes = j->min_nodes;
	s->time_limit = j->time_limit;
	s->time_min = JH_MORE(j)->time_min;
	s->exclusive = (j->flags & JOB_F_EXCLUSIVE) != 0;
	s->blocked = blocked;
	s->submit_time = j->submit_time;
}

static struct sched_part *
make_parts(void)
{
	struct sched_part *parts;

	parts = xcalloc(D->conf.nparts, sizeof *parts);
	for (uint32_t i = 0; i < D->conf.nparts; i++) {
		const struct part_conf *pc = &D->conf.parts[i];

		parts[i].name = pc->name;
		parts[i].max_time = pc->max_time;
		parts[i].max_nodes = pc->max_nodes;
		parts[i].max_cpus_per_node = pc->max_cpus_per_node;
		parts[i].max_mem_per_node = pc->max_mem_per_node;
		parts[i].priority_tier = pc->priority_tier;
		/* Slurm: UP and DRAIN schedule (PARTITION_SCHED), DOWN
		 * and INACTIVE do not. */
		parts[i].up = pc->state == PART_UP || pc->state == PART_DRAIN;
		parts[i].inactive = pc->state == PART_INACTIVE;
	}
	return parts;
}

/* Fill the running part of the snapshot. */
static uint32_t
fill_running(struct sched_input *in)
{
	struct djob *dj;
	uint32_t n = 0;

	TAILQ_FOREACH(dj, &D->running, entry) {
		struct sched_running *r = &D->sr[n++];

		const struct job_end *e = DJ_END(dj);

		memset(r, 0, sizeof *r);
		if (e->cpu_ids != NULL)
			bitmap_parse(&r->cpus, e->cpu_ids);
		if (e->gpu_ids != NULL)
			bitmap_parse(&r->gpus, e->gpu_ids);
		r->mem_mb = job_head_mem_node(&dj->j);
		r->exclusive = (dj->j.flags & JOB_F_EXCLUSIVE) != 0;
		r->end_time = dj->j.time_limit == INFINITE ||
		    dj->j.time_limit == NO_VAL ? INT64_MAX :
		    e->start_time + (int64_t)dj->j.time_limit * 60;
	}
	in->running = D->sr;
	in->nrunning = n;
	return n;
}

/* Tasks of array id running now. */
static uint32_t
array_running(uint32_t id)
{
	struct djob *r;
	uint32_t n = 0;

	TAILQ_FOREACH(r, &D->running, entry)
		if (r->j.array_job_id == id)
			n++;
	return n;
}

/* Candidates an array record brings to the pass (see the head comment):
 * at most the node's CPUs (and 65535, dj->slots' room). */
static uint16_t
array_slots(struct djob *dj)
{
	struct arrayspec a;
	uint64_t left;
	uint32_t slots, running;

	dj->throttled = false;
	if (DJ_MORE(dj)->array_spec == NULL) {
		/* A task pending on its own (aftercorr split) obeys the
		 * array's %N throttle too. */
		if (dj->j.array_job_id != 0 &&
		    DJ_MORE(dj)->array_max_running != 0 &&
		    array_running(dj->j.array_job_id) >=
		    DJ_MORE(dj)->array_max_running)
			dj->throttled = true;
		return 1;
	}
	if (arrayspec_parse(DJ_MORE(dj)->array_spec, UINT32_MAX, &a, NULL,
	    NULL) == -1)
		return 1;	/* job_array_take repairs it */
	left = arrayspec_count(&a);
	arrayspec_free(&a);
	slots = left < D->conf.cpus ? (uint32_t)left : D->conf.cpus;
	if (DJ_MORE(dj)->array_max_running != 0) {
		running = array_running(dj->j.id);
		if (running >= DJ_MORE(dj)->array_max_running) {
			dj->throttled = true;
			return 1;
		}
		if (slots > DJ_MORE(dj)->array_max_running - running)
			slots = DJ_MORE(dj)->array_max_running - running;
	}
	if (slots > UINT16_MAX)
		slots = UINT16_MAX;
	return slots > 0 ? (uint16_t)slots : 1;
}

/*
 * BERTH_TEST_FAIL_AT=split (e2e 47-array-split-fail): the first split
 * fails as if the store had refused its insert.  Read once.
 */
static bool
split_test_fail(void)
{
	static bool read, failed;
	const char *at;

	if (!read) {
		at = getenv("BERTH_TEST_FAIL_AT");
		failed = at == NULL || strcmp(at, "split") != 0;
		read = true;
	}
	if (failed)
		return false;
	failed = true;
	return true;
}

/*
 * Take pending task idx (NO_VAL: the lowest) out of an array record and
 * return the job for it: a new record split off with the next id, or the
 * array's own record when this is its last pending task.  The task's
 * record is stored first: if that fails the task stays in the array
 * (once it was lost: the array saved without it, and no record of its
 * own).
 */
struct djob *
job_array_take(struct djob *dj, uint32_t idx)
{
	struct arrayspec a;
	struct job t, whole;
	const struct msg *rec;
	char *cause = NULL, *rest;

	if (arrayspec_parse(DJ_MORE(dj)->array_spec, UINT32_MAX, &a, NULL,
	    NULL) == -1 || arrayspec_empty(&a)) {
		log_warnx("job=%u: bad array set \"%s\": runs as one task",
		    dj->j.id, DJ_MORE(dj)->array_spec);
		free(job_more(&dj->j)->array_spec);
		job_more(&dj->j)->array_spec = NULL;
		dj->j.array_task_id = DJ_MORE(dj)->array_task_min;
		return dj;
	}
	if (idx == NO_VAL)
		idx = arrayspec_take(&a);
	else if (!arrayspec_remove(&a, idx)) {
		arrayspec_free(&a);
		return NULL;
	}
	if (arrayspec_empty(&a)) {
		free(job_more(&dj->j)->array_spec);
		job_more(&dj->j)->array_spec = NULL;
		dj->j.array_task_id = idx;
		arrayspec_free(&a);
		return dj;
	}
	rest = arrayspec_format(&a);
	arrayspec_free(&a);

	djob_job(dj, &whole);
	job_copy(&t, &whole);
	free(t.array_spec);
	t.array_spec = NULL;
	t.id = D->next_id;
	t.array_task_id = idx;
	rec = job_record(&t);
	if (split_test_fail()) {
		cause = xstrdup("test: BERTH_TEST_FAIL_AT=split");
		goto fail;
	}
	if (txn_begin() == -1 || store_job_insert(D->store, &t, rec->b.data,
	    rec->b.len, NULL, NULL, NULL, &cause) == -1)
		goto fail;
	D->next_id++;
	/* The task leaves dj's set (job_weight) for a record of its own. */
	free(job_more(&dj->j)->array_spec);
	job_more(&dj->j)->array_spec = rest;
	job_tasks_gone(1);
	job_save(dj);
	log_info("job=%u: array %u task %u split off", t.id, dj->j.id, idx);
	return job_add(&t);
fail:
	log_warnx("job=%u: split task %u: store: %s; it stays in the array",
	    dj->j.id, idx, cause != NULL ? cause : "no transaction");
	free(cause);
	free(rest);
	job_free(&t);
	return NULL;
}

/*
 * aftercorr: task T of an array starts once task T of the other array
 * completed OK, and never when it did not.  Slurm holds each task in its
 * own record; here the pending tasks share one, so every task whose
 * dependency is decided is split off first (a new record, or the array's
 * own record for its last task) and from then on pends, starts or is
 * DependencyNeverSatisfied on its own.  The rest keep waiting in the
 * record with reason Dependency.
 */
static void
corr_split(int64_t now)
{
	struct djob *dj, *next;
	struct arrayspec decided;
	int64_t wake;
	uint32_t t;

	for (dj = TAILQ_FIRST(&D->pending); dj != NULL; dj = next) {
		next = TAILQ_NEXT(dj, entry);
		if (DJ_MORE(dj)->array_spec == NULL ||
		    DJ_MORE(dj)->dependency == NULL ||
		    (dj->j.flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) ||
		    strstr(DJ_MORE(dj)->dependency, "aftercorr") == NULL)
			continue;
		/* Parses the list; WAIT_NO_REASON: all tasks may start. */
		if (depend_update(dj, now, &wake) == WAIT_NO_REASON)
			continue;
		if (depend_corr_tasks(dj, now, &decided) == 0)
			continue;
		while (!arrayspec_empty(&decided)) {
			t = arrayspec_take(&decided);
			if (job_array_take(dj, t) == NULL)
				break;
		}
		arrayspec_free(&decided);
		job_save(dj);
	}
}

static void
start_job(struct djob *dj, const struct sched_decision *d, int64_t now)
{
	char list[4096];
	struct job_head *j = &dj->j;
	struct job_end *e = djob_end(dj);

	bitmap_format(&d->cpus, list, sizeof list);
	free(e->cpu_ids);
	e->cpu_ids = xstrdup(list);
	free(e->gpu_ids);
	e->gpu_ids = NULL;
	/* --exclusive gets every GPU too (18_sbatch_exclusive: AllocTRES
	 * gres/gpu=2; CUDA_VISIBLE_DEVICES=0,1 in the job, checked). */
	if (j->flags & JOB_F_EXCLUSIVE)
		j->gpus = bitmap_count(&d->gpus);
	if (j->gpus > 0) {
		/* GPUs are listed one by one, as Slurm does ("0,1"). */
		struct buf b;

		buf_init(&b);
		for (uint32_t g = 0; g < SCHED_MAX_GPUS; g++)
			if (bitmap_test(&d->gpus, g))
				buf_printf(&b, "%s%u", b.len ? "," : "", g);
		e->gpu_ids = buf_steal(&b);
	}
	job_end_set_str(e, &e->nodelist, D->conf.node_name);
	j->ncpus = bitmap_count(&d->cpus);
	/* Backfilled with a limit lowered towards --time-min (sched.c). */
	if (d->time_limit != j->time_limit && d->time_limit != 0) {
		log_info("job=%u: time limit %u lowered to %u min to backfill",
		    j->id, j->time_limit, d->time_limit);
		j->time_limit = d->time_limit;
	}
	/* slurmctld's _schedule: a job with a deadline runs at most until
	 * it (whole minutes, at least one), so it ends TIMEOUT there. */
	if (JH_MORE(j)->deadline != 0) {
		int64_t left = (JH_MORE(j)->deadline - now) / 60;

		if (left < 1)
			left = 1;
		if (j->time_limit == NO_VAL || j->time_limit == INFINITE ||
		    left < (int64_t)j->time_limit)
			j->time_limit = (uint32_t)left;
	}
	e->start_time = now;
	if (j->eligible_time == 0)
		j->eligible_time = now;
	dj->planned_start = 0;
	djob_rt(dj)->launching = true;
	job_transition(dj, JOB_RUNNING, WAIT_NO_REASON);
}

/*
 * Apply the decisions D->sd[0..n) for the candidates D->sjob: start the
 * jobs chosen, give the rest their reasons.  Returns how many started.
 */
static uint32_t
apply(uint32_t n, uint32_t started, int64_t now)
{
	struct djob *dj, *arr, *told = NULL;
	uint32_t nstart = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct sched_decision *d = &D->sd[i];

		dj = D->sjob[d->idx];
		if (d->start && nstart < started) {
			if (dj->j.state != JOB_PENDING)
				continue;	/* array: no task left */
			/* Several records of one throttled array may have
			 * been chosen: the throttle holds across them. */
			if (dj->j.array_job_id != 0 &&
			    DJ_MORE(dj)->array_max_running != 0 &&
			    array_running(dj->j.array_job_id) >=
			    DJ_MORE(dj)->array_max_running) {
				dj->j.reason = WAIT_ARRAY_TASK_LIMIT;
				continue;
			}
			arr = DJ_MORE(dj)->array_spec != NULL ? dj : NULL;
			if (arr != NULL && (dj = job_array_take(dj, NO_VAL)) ==
			    NULL)
				continue;
			start_job(dj, d, now);
			if (arr != NULL && arr->j.state == JOB_PENDING &&
			    DJ_MORE(arr)->array_max_running != 0 &&
			    array_running(arr->j.id) >=
			    DJ_MORE(arr)->array_max_running)
				arr->j.reason = WAIT_ARRAY_TASK_LIMIT;
			if (D->nlaunch == D->launch_cap) {
				D->launch_cap = D->launch_cap ?
				    D->launch_cap * 2 : 64;
				D->launch = xreallocarray(D->launch,
				    D->launch_cap, sizeof *D->launch);
			}
			D->launch[D->nlaunch++] = dj;
			nstart++;
		} else if (dj != told) {
			/* A pending array has one slot per task that could
			 * start, in a row; the first one not started sorts
			 * first and speaks for the record (Resources for the
			 * top job, as Slurm shows it), not the last. */
			told = dj;
			dj->j.reason = d->reason;
			/* squeue --start shows a begin time as the start. */
			dj->planned_start = d->reason == WAIT_BEGIN_TIME ?
			    dj->j.begin_time : d->planned_start;
		}
	}
	return nstart;
}

/* End the candidates blocked_reason() marked to be killed. */
static void
kill_marked(uint32_t n, int64_t now)
{
	struct djob *dj;
	struct job_end *e;

	/* Jobs whose dependency can never be met, to be killed: Slurm
	 * cancels them (state CANCELLED, reason DependencyNeverSatisfied). */
	for (uint32_t i = 0; i < n; i++) {
		dj = D->sjob[i];
		if (!dj->kill_dep)
			continue;
		dj->kill_dep = false;
		e = djob_end(dj);
		e->start_time = e->end_time = now;
		log_info("job=%u: dependency can never be met; cancelled",
		    dj->j.id);
		job_transition(dj, JOB_CANCELLED, WAIT_DEP_INVALID);
	}
	/* Jobs that can no longer end by their deadline: slurmctld's
	 * deadline_ok() ends them DEADLINE, reason DeadLine, exit code 1. */
	for (uint32_t i = 0; i < n; i++) {
		dj = D->sjob[i];
		if (!dj->kill_deadline)
			continue;
		dj->kill_deadline = false;
		if (dj->j.state != JOB_PENDING)
			continue;
		e = djob_end(dj);
		e->start_time = e->end_time = now;
		e->exit_status = 1;
		log_info("job=%u: cannot end before its deadline; removed",
		    dj->j.id);
		job_transition(dj, JOB_DEADLINE, FAIL_DEADLINE);
	}
}

/* The snapshot of everything but the pending jobs; free the parts. */
static struct sched_part *
snapshot(struct sched_input *in, int64_t now)
{
	struct sched_part *parts;

	memset(in, 0, sizeof *in);
	in->now = now;
	in->node_cpus = D->node_cpus;
	in->node_mem_mb = D->conf.real_mem_mb;
	in->node_gpus = D->conf.gpus;
	parts = make_parts();
	in->parts = parts;
	in->nparts = D->conf.nparts;
	fill_running(in);
	return parts;
}

/* Does this pending job still wait for a dependency? */
static bool
depends(const struct djob *dj)
{
	return DJ_MORE(dj)->dependency != NULL;
}

/*
 * dj's candidates for a pass (dj->slots of them: an array's pending tasks
 * that may start now) from D->sj[n], blocked as the daemon decided;
 * returns the next index.
 */
static uint32_t
add_slots(struct djob *dj, int64_t now, uint32_t n)
{
	uint32_t blocked = blocked_reason(dj, now);

	if (blocked == WAIT_NO_REASON && dj->throttled)
		blocked = WAIT_ARRAY_TASK_LIMIT;
	for (uint32_t k = 0; k < dj->slots; k++) {
		fill_job(&D->sj[n], &dj->j, n, blocked);
		D->sjob[n] = dj;
		n++;
	}
	return n;
}

/*
 * A full pass's input: the snapshot and every pending job's candidates;
 * *ndep counts the pending jobs with a dependency.  Free the parts.
 */
static struct sched_part *
snapshot_pending(struct sched_input *in, int64_t now, uint32_t *ndep)
{
	struct sched_part *parts;
	struct djob *dj;
	uint32_t n = 0, total = 0;

	TAILQ_FOREACH(dj, &D->pending, entry) {
		dj->slots = array_slots(dj);
		total += dj->slots;
	}
	grow(total, D->nrunning);
	parts = snapshot(in, now);
	*ndep = 0;
	TAILQ_FOREACH(dj, &D->pending, entry) {
		if (depends(dj))
			(*ndep)++;
		n = add_slots(dj, now, n);
	}
	in->pending = D->sj;
	in->npending = n;
	return parts;
}

/*
 * The submission fast path.  The last pass, if it started nothing, left
 * a fixed point (sched.c, sched_fast_pass, says why and what it keeps in
 * `fast`); jobs submitted since are decided against it, with the same
 * decisions a full pass over the whole queue would make, in a pass over
 * them and the top job only.  Everything that may change a full pass's
 * outcome other than a submission calls schedule_changed(), which asks
 * for a pass and drops the cache (nothing else sets D->sched_needed):
 *   jobs.c job_transition     a job starts, ends, is cancelled, requeued
 *   rpc-control.c save        hold, release, update, top, requeue
 *   rpc-admin.c reconfigure   nodes, partitions, limits, priorities
 *   priority.c (sprio)        every pending priority recomputed
 *   main.c recovery, timer    start-up; a begin time or period reached
 *   schedule_launch           a launch failed, its cores are free
 * What the daemon decides from the clock (begin times, deadlines,
 * dependencies with a delay, PriorityCalcPeriod) is noted by the pass in
 * D->next_begin, and the fast path is only taken before that.  Priorities
 * are recomputed (prio_update) only when dirty, which a job end or a
 * reconfiguration causes (both drop the cache), or each period.
 *
 * Left to the full pass: a submission when the cache is gone, an array
 * with a dependency (aftercorr splits it first, corr_split), and one
 * that sorts before the top job (sched_fast_pass).  A fast start keeps
 * the cache unless it may change what other jobs wait for: an array
 * (its throttle, its split records), or any pending job with a
 * dependency (a singleton of the same name, or a job submitted with it
 * that waits for its start).
 */
static struct sched_fast fast;
static struct djob **fresh;		/* submitted since the last pass */
static uint32_t nfresh, fresh_cap;
static uint32_t ndepend;		/* pending jobs with a dependency */

void
schedule_submitted(struct djob *dj)
{
	D->sched_needed = true;
	if (!fast.valid)
		return;
	if (nfresh == fresh_cap) {
		fresh_cap = fresh_cap ? fresh_cap * 2 : 16;
		fresh = xreallocarray(fresh, fresh_cap, sizeof *fresh);
	}
	fresh[nfresh++] = dj;
}

void
schedule_changed(void)
{
	D->sched_needed = true;
	fast.valid = false;
	nfresh = 0;
}

/*
 * BERTH_TEST_SCHED_CHECK (e2e 43-sched-fast): after each fast pass, a
 * full pass that applies nothing must agree: nothing starts, and every
 * pending job has the reason and planned start it was left with.  A
 * difference is logged ("sched check: ... differs"), and with the value
 * "abort" the daemon aborts.  Read once.
 */
static const char *
check_mode(void)
{
	static bool read;
	static const char *mode;

	if (!read) {
		mode = getenv("BERTH_TEST_SCHED_CHECK");
		if (mode != NULL && *mode == '\0')
			mode = NULL;
		read = true;
	}
	return mode;
}

static void
check_fast(int64_t now, uint32_t nfast, uint32_t first_id)
{
	struct sched_input in;
	struct sched_part *parts;
	struct djob *dj, *told = NULL;
	uint32_t n, ndep, started, bad = 0;
	int64_t next_begin = D->next_begin;

	parts = snapshot_pending(&in, now, &ndep);
	n = in.npending;
	TAILQ_FOREACH(dj, &D->pending, entry) {
		if (dj->kill_dep || dj->kill_deadline) {
			log_warnx("sched check: job=%u would be killed",
			    dj->j.id);
			dj->kill_dep = dj->kill_deadline = false;
			bad++;
		}
	}
	started = sched_pass(&in, D->sd, D->scratch);
	free(parts);
	D->next_begin = next_begin;
	for (uint32_t i = 0; i < n; i++) {
		const struct sched_decision *d = &D->sd[i];
		int64_t planned;

		dj = D->sjob[d->idx];
		if (d->start) {
			log_warnx("sched check: job=%u would start", dj->j.id);
			bad++;
			continue;
		}
		if (dj == told)
			continue;
		told = dj;
		planned = d->reason == WAIT_BEGIN_TIME ? dj->j.begin_time :
		    d->planned_start;
		if (dj->j.reason != d->reason || dj->planned_start != planned) {
			log_warnx("sched check: job=%u reason %s start %lld, "
			    "a full pass says %s start %lld", dj->j.id,
			    job_reason_name(dj->j.reason),
			    (long long)dj->planned_start,
			    job_reason_name(d->reason), (long long)planned);
			bad++;
		}
	}
	if (bad != 0) {
		log_warnx("sched check: fast pass for %u jobs from job=%u "
		    "differs from a full pass (%u started)", nfast, first_id,
		    started);
		if (strcmp(check_mode(), "abort") == 0)
			abort();
	} else
		log_info("sched check: fast pass for %u jobs from job=%u "
		    "agrees with a full pass", nfast, first_id);
}

/*
 * A pass decides every job against the states it started from, so a job
 * waiting for one it has just started (after:, after:+M's clock, a
 * singleton's reason) is still "Dependency" when the pass ends.
 * slurmctld looks again at its next pass; here that is the next loop
 * iteration, after the starts are committed, instead of at the next
 * unrelated event (the job's end, for an after: chain with nothing
 * else happening).  Each such pass starts jobs or ends the chain.
 */
static void
again_after_starts(uint32_t nstart, uint32_t ndep)
{
	if (nstart > 0 && ndep > 0)
		schedule_changed();
}

/* 0: decided; -1: a full pass must run. */
static int
schedule_fast(int64_t now)
{
	struct sched_input in;
	struct sched_part *parts;
	struct sched_fast kept;
	struct djob *dj;
	uint32_t i, n = 0, total = 0, nstart, ndep = 0, nf, first;
	bool array = false;
	int r;

	if (!fast.valid || nfresh == 0 ||
	    (D->next_begin != 0 && now >= D->next_begin))
		return -1;
	for (i = 0; i < nfresh; i++) {
		dj = fresh[i];
		if (dj->j.state != JOB_PENDING ||
		    (DJ_MORE(dj)->array_spec != NULL &&
		    DJ_MORE(dj)->dependency != NULL))
			return -1;
		if (DJ_MORE(dj)->array_spec != NULL || dj->j.array_job_id != 0)
			array = true;
		dj->slots = array_slots(dj);
		total += dj->slots;
	}
	grow(total, D->nrunning);
	parts = snapshot(&in, now);
	for (i = 0; i < nfresh; i++)
		n = add_slots(fresh[i], now, n);
	in.pending = D->sj;
	in.npending = n;
	r = sched_fast_pass(&fast, &in, D->sd);
	free(parts);
	if (r == -1)
		return -1;
	kept = fast;
	nf = nfresh;
	first = fresh[0]->j.id;
	nfresh = 0;
	nstart = apply(n, (uint32_t)r, now);
	/* The starts set sched_needed and dropped the cache (job
	 * transitions); this accounted for them. */
	D->sched_needed = false;
	for (i = 0; i < n; i++)
		if ((i == 0 || D->sjob[i] != D->sjob[i - 1]) &&
		    D->sjob[i]->j.state == JOB_PENDING && depends(D->sjob[i]))
			ndep++;
	fast = kept;
	ndepend += ndep;
	if (nstart != (uint32_t)r || (r > 0 && (array || ndepend > 0)))
		fast.valid = false;
	again_after_starts(nstart, ndepend);
	kill_marked(n, now);
	if (check_mode() != NULL && fast.valid)
		check_fast(now, nf, first);
	return 0;
}

void
schedule(void)
{
	struct sched_input in;
	struct sched_part *parts;
	struct sched_fast next;
	uint32_t n, nstart, started, ndep;
	int64_t now = now_sec();

	D->sched_needed = false;
	if (schedule_fast(now) == 0)
		return;
	D->next_begin = 0;
	if (D->npending == 0) {
		/* Nothing pends: a new job is all a pass would see.  Unless
		 * priorities change with time: no pass asked the timer for
		 * PriorityCalcPeriod (prio_update), so none may be skipped. */
		memset(&fast, 0, sizeof fast);
		fast.valid = !D->conf.prio_multifactor ||
		    (D->conf.prio_w_age == 0 && D->conf.prio_w_fs == 0);
		fast.since = now;
		nfresh = 0;
		ndepend = 0;
		return;
	}
	corr_split(now);
	prio_update(now);
	parts = snapshot_pending(&in, now, &ndep);
	n = in.npending;
	started = sched_pass(&in, D->sd, D->scratch);
	sched_fast_note(&next, &in, D->sd, started);
	free(parts);

	nstart = apply(n, started, now);
	/* Starting jobs set sched_needed; this pass already accounted for
	 * them.  Killed jobs (below) set it again: their dependents need a
	 * look. */
	D->sched_needed = false;
	fast = next;
	if (nstart != started)
		fast.valid = false;
	ndepend = ndep;
	nfresh = 0;
	again_after_starts(nstart, ndep);
	kill_marked(n, now);
}

/*
 * Called once the transaction holding the RUNNING states has committed:
 * a supervisor must never exist for a job the store does not know is
 * running.  A launch failure frees resources worth a new look.
 */
void
schedule_launch(void)
{
	for (uint32_t i = 0; i < D->nlaunch; i++)
		if (supervise_launch(D->launch[i]) == -1) {
			schedule_changed();
		}
	D->nlaunch = 0;
}

/*
 * sbatch --test-only: when the job would start, from the running jobs'
 * time limits only, as Slurm's will_run (select plugin's _will_run_test)
 * answers: the pending queue is not looked at, so the job is planned as
 * if it were first in it, by the same sched_pass that plans the top job
 * for squeue --start.  As real Slurm 22.05's will_run (checked), a hold
 * and a dependency are not looked at, a --begin time later than that
 * start is the answer, and the partition's MaxTime is not applied; a job
 * the node can never hold (-c 999, -n 3, -N 2) gives -1, "Requested node
 * configuration is not available".  0 when unknown (behind a running job
 * without a time limit): sbatch prints "Unknown", as Slurm's
 * slurm_make_time_str does for 0.
 */
int64_t
schedule_test(const struct job *j)
{
	struct sched_input in;
	struct sched_part *parts;
	struct job_head h;
	struct job_more hm;
	uint32_t n = 0, me;
	int64_t now = now_sec(), when = 0;

	grow(1, D->nrunning);
	memset(&in, 0, sizeof in);
	in.now = now;
	in.node_cpus = D->node_cpus;
	in.node_mem_mb = D->conf.real_mem_mb;
	in.node_gpus = D->conf.gpus;
	parts = make_parts();
	for (uint32_t i = 0; i < D->conf.nparts; i++)
		parts[i].max_time = INFINITE;
	in.parts = parts;
	in.nparts = D->conf.nparts;
	fill_running(&in);
	me = n;
	job_head_get(&h, &hm, j);
	fill_job(&D->sj[n], &h, n, WAIT_NO_REASON);
	n++;
	in.pending = D->sj;
	in.npending = n;
	sched_pass(&in, D->sd, D->scratch);
	free(parts);
	for (uint32_t i = 0; i < n; i++) {
		if (D->sd[i].idx != me)
			continue;
		if (D->sd[i].reason == WAIT_PART_CONFIG ||
		    D->sd[i].reason == WAIT_PART_NODE_LIMIT)
			return -1;
		when = D->sd[i].start ? now : D->sd[i].planned_start;
		break;
	}
	if (when != 0 && j->begin_time > when)
		when = j->begin_time;
	return when;
}
