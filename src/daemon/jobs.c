/* SPDX-License-Identifier: MIT */
/*
 * The in-memory job table: a hash by id plus three lists (pending,
 * running, done).  Final jobs stay in `done` for MinJobAge seconds so
 * squeue/scontrol still show them, as Slurm does; the store keeps them
 * for sacct forever.
 *
 * job_transition() is the only place where a job's state changes:
 * allowed[from][to] lists the legal moves; the change is persisted in the
 * iteration's transaction, logged with job=<id>, and waiters are told.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/arrayspec.h"
#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/proto.h"
#include "daemon.h"
#include "schedule.h"

/* allowed[from][to]: PENDING/RUNNING may end in any final state; a
 * final state leads only back to PENDING (requeue). */
static bool
allowed(uint32_t from, uint32_t to)
{
	switch (from) {
	case JOB_PENDING:
		return to != JOB_PENDING;
	case JOB_RUNNING:
		return to != JOB_RUNNING;	/* requeue goes to PENDING */
	case JOB_SUSPENDED:
		return to != JOB_SUSPENDED;
	default:
		/* final, except `scontrol requeue` of a finished job */
		return to == JOB_PENDING;
	}
}

static uint32_t
hash_id(uint32_t id)
{
	return (id * 2654435761u) & (D->hash_size - 1);
}

/* Rehash into size slots (a power of two). */
static void
hash_resize(uint32_t size)
{
	struct djob **old = D->hash, *dj, *next;
	uint32_t oldsize = D->hash_size;

	D->hash_size = size;
	D->hash = xcalloc(D->hash_size, sizeof *D->hash);
	for (uint32_t i = 0; i < oldsize; i++) {
		for (dj = old[i]; dj != NULL; dj = next) {
			uint32_t h = hash_id(dj->j.id);

			next = dj->hnext;
			dj->hnext = D->hash[h];
			D->hash[h] = dj;
		}
	}
	free(old);
}

struct djob *
job_find(uint32_t id)
{
	struct djob *dj;

	if (D->hash_size == 0)
		return NULL;
	for (dj = D->hash[hash_id(id)]; dj != NULL; dj = dj->hnext)
		if (dj->j.id == id)
			return dj;
	return NULL;
}

static struct djob_list *
list_of(uint32_t state)
{
	if (state == JOB_PENDING)
		return &D->pending;
	if (state == JOB_RUNNING || state == JOB_SUSPENDED)
		return &D->running;
	return &D->done;
}

static void
count(uint32_t state, int delta)
{
	if (state == JOB_PENDING)
		D->npending += (uint32_t)delta;
	else if (state == JOB_RUNNING || state == JOB_SUSPENDED)
		D->nrunning += (uint32_t)delta;
}

/* DJ_RT's view of a job without a run-time part: no supervisor (no
 * pidfd, no job file), no steps, nothing held. */
const struct djob_run djob_run_none = { .pidfd = -1, .jobfd = -1 };

struct djob_run *
djob_rt(struct djob *dj)
{
	if (dj->run == NULL) {
		dj->run = xcalloc(1, sizeof *dj->run);
		dj->run->ev.kind = EV_PIDFD;
		dj->run->dj = dj;
		dj->run->pidfd = -1;
		dj->run->jobfd = -1;
		LIST_INIT(&dj->run->steps);
	}
	return dj->run;
}

/*
 * What a record counts toward MaxJobCount, as slurmctld's job_count: an
 * array record the tasks still inside it (it was created as that many
 * jobs), any other record one.
 */
uint32_t
job_weight(const struct job_head *j)
{
	struct arrayspec a;
	uint64_t n;

	if (JH_MORE(j)->array_spec == NULL ||
	    arrayspec_parse(JH_MORE(j)->array_spec, UINT32_MAX, &a, NULL,
	    NULL) == -1)
		return 1;
	n = arrayspec_count(&a);
	arrayspec_free(&a);
	return n > 0 && n < UINT32_MAX ? (uint32_t)n : 1;
}

/* n of D->njob_tasks left memory (never below 0, which would refuse
 * every submission). */
void
job_tasks_gone(uint64_t n)
{
	D->njob_tasks = D->njob_tasks > n ? D->njob_tasks - n : 0;
}

struct djob *
job_add(struct job *j)
{
	struct djob *dj;
	uint32_t h;

	/* Chains average at most one job: 8 bytes of table a job. */
	if (D->njobs + 1 > D->hash_size)
		hash_resize(D->hash_size ? D->hash_size * 2 : 1024);
	dj = djob_alloc();
	djob_take(dj, j);	/* takes ownership of the strings */
	h = hash_id(dj->j.id);
	dj->hnext = D->hash[h];
	D->hash[h] = dj;
	D->njobs++;
	D->njob_tasks += job_weight(&dj->j);
	TAILQ_INSERT_TAIL(list_of(dj->j.state), dj, entry);
	count(dj->j.state, 1);
	if (job_state_is_final(dj->j.state))
		dj->purge_at = now_sec() + D->conf.min_job_age;
	return dj;
}

void
job_forget(struct djob *dj)
{
	struct djob **pp;

	for (pp = &D->hash[hash_id(dj->j.id)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == dj) {
			*pp = dj->hnext;
			break;
		}
	}
	TAILQ_REMOVE(list_of(dj->j.state), dj, entry);
	count(dj->j.state, -1);
	D->njobs--;
	job_tasks_gone(job_weight(&dj->j));
	depend_forget(dj);
	djob_clear(dj);
	if (dj->run != NULL) {
		ijob_remove(dj);
		free(dj->run);
	}
	djob_release(dj);
}

int
txn_begin(void)
{
	char *cause = NULL;

	if (store_begin(D->store, &cause) == -1) {
		log_warnx("begin transaction: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The job's record as clients receive it, in D->rec (reused). */
const struct msg *
job_record(const struct job *j)
{
	msg_free(&D->rec);
	msg_init(&D->rec);
	proto_job_put(&D->rec, j);
	return &D->rec;
}

int
job_save(struct djob *dj)
{
	const struct msg *rec;
	struct job j;
	char *cause = NULL;

	if (txn_begin() == -1)
		return -1;
	djob_job(dj, &j);
	rec = job_record(&j);
	if (store_job_update(D->store, &j, rec->b.data, rec->b.len,
	    &cause) == -1) {
		log_warnx("job=%u: save: %s", dj->j.id, cause);
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * Whose script, environment and arguments can go now that dj ended: its
 * own, or for an array task the array's (which every task runs), once no
 * task of the array can run any more (a requeued task would need them);
 * 0 if none.
 */
static uint32_t
data_owner(const struct djob *dj)
{
	uint32_t a = dj->j.array_job_id;

	if (a == 0)
		return dj->j.id;
	return job_array_live(a, dj) ? 0 : a;
}

bool
job_array_live(uint32_t array_id, const struct djob *except)
{
	struct djob_list *lists[2] = { &D->pending, &D->running };
	const struct djob *o;

	for (int l = 0; l < 2; l++)
		TAILQ_FOREACH(o, lists[l], entry)
			if (o != except && o->j.array_job_id == array_id)
				return true;
	return false;
}

int
job_transition(struct djob *dj, uint32_t to, uint32_t reason)
{
	uint32_t from = dj->j.state, data;
	char *cause = NULL;

	if (!allowed(from, to)) {
		log_warnx("job=%u: refused transition %s -> %s", dj->j.id,
		    job_state_name(from), job_state_name(to));
		return -1;
	}
	if (from == JOB_RUNNING && job_state_is_final(to))
		prio_charge(dj, now_sec());
	/* Leaving RUNNING (ended, requeued): its steps end with it. */
	if (from == JOB_RUNNING && !LIST_EMPTY(&DJ_RT(dj)->steps))
		steps_job_ended(dj);
	if (from == JOB_RUNNING)
		ijob_remove(dj);
	/* --signal's warning is the daemon timer's to send. */
	if (to == JOB_RUNNING && DJ_MORE(dj)->warn_signal != 0) {
		djob_rt(dj)->warned = false;
		ijob_add(dj);
	}
	if (to == JOB_PENDING)
		dj->planned_start = 0;	/* shares purge_at's room */
	TAILQ_REMOVE(list_of(from), dj, entry);
	count(from, -1);
	dj->j.state = to;
	dj->j.reason = reason;
	TAILQ_INSERT_TAIL(list_of(to), dj, entry);
	count(to, 1);
	if (job_state_is_final(to)) {
		dj->purge_at = now_sec() + D->conf.min_job_age;
		if (DJ_END(dj)->end_time == 0)
			djob_end(dj)->end_time = now_sec();
	}
	if (job_save(dj) == -1)
		return -1;
	/* A requeueable job keeps them: `scontrol requeue` may run it
	 * again after it ended (rpc-control.c). */
	if (job_state_is_final(to) && !(dj->j.flags & JOB_F_REQUEUE) &&
	    (data = data_owner(dj)) != 0 && txn_begin() == 0 &&
	    store_job_data_delete(D->store, data, &cause) == -1) {
		log_warnx("job=%u: drop script: %s", data, cause);
		free(cause);
	}
	log_info("job=%u %s -> %s reason=%s", dj->j.id, job_state_name(from),
	    job_state_name(to), job_reason_name(reason));
	if (job_state_is_final(to))
		job_notify_waiters(dj);
	schedule_changed();
	return 0;
}

static void
notify(uint32_t waited, uint32_t id, const struct djob *dj, bool last)
{
	struct client *c;
	struct msg m;

	msg_init(&m);
	msg_put_u32(&m, id);
	msg_put_u32(&m, dj->j.state);
	msg_put_u32(&m, (uint32_t)DJ_END(dj)->exit_status);
	TAILQ_FOREACH(c, &D->clients, entry) {
		if (c->wait_job != waited)
			continue;
		client_reply(c, MSG_JOB_DONE, &m);
		if (last)
			c->wait_job = 0;
	}
	msg_free(&m);
}

/*
 * MSG_JOB_DONE to the clients waiting for dj.  sbatch -W on an array
 * waits for all its tasks: each task's end is sent with the task's own id
 * (0 for the array's own record while other tasks live), and the last
 * one's with the array's id, which ends the wait; the client keeps the
 * worst exit code (Slurm: the highest of any task).
 */
void
job_notify_waiters(struct djob *dj)
{
	uint32_t a = dj->j.array_job_id;

	if (a == 0) {
		notify(dj->j.id, dj->j.id, dj, true);
		return;
	}
	if (dj->j.id != a)	/* someone waiting for this task alone */
		notify(dj->j.id, dj->j.id, dj, true);
	if (job_array_live(a, dj))
		notify(a, dj->j.id != a ? dj->j.id : 0, dj, false);
	else
		notify(a, a, dj, true);
}

void
job_purge_old(int64_t now)
{
	struct djob *dj, *next;
	uint32_t n = 0;

	for (dj = TAILQ_FIRST(&D->done); dj != NULL; dj = next) {
		next = TAILQ_NEXT(dj, entry);
		if (dj->purge_at > now)
			break;	/* the list is in order of ending */
		job_forget(dj);
		n++;
	}
	/* Thousands of forgotten jobs leave free heap pages: return them,
	 * and the table's slots they needed. */
	if (n >= 256) {
		while (D->hash_size > 1024 && D->njobs < D->hash_size / 4)
			hash_resize(D->hash_size / 2);
		idle_trim_due();
	}
}

bool
job_owner_or_admin(const struct djob *dj, uid_t uid)
{
	return uid == 0 || uid == dj->j.uid || uid == getuid();
}

/*
 * A job's priority when it enters the queue or is released: Slurm's
 * priority/basic (later jobs lower, a nice lower still, a negative one
 * higher), or priority/multifactor's (priority.c).
 */
uint32_t
job_base_priority(const struct job_head *j)
{
	const uint32_t base = 4294901760u;	/* 0xffff0000 */
	int64_t p;

	if (D->conf.prio_multifactor)
		return prio_job_priority(j, now_sec());
	/* A negative nice (operators only) raises it, as Slurm's
	 * "priority -= nice". */
	p = (int64_t)base - (j->id % base) - j->nice;
	return p < 1 ? 1 : p > (int64_t)INFINITE - 2 ? INFINITE - 2 :
	    (uint32_t)p;
}

/* Filter helper: an empty list matches all; else s must be in it. */
bool
strv_match(char **v, const char *s)
{
	if (v == NULL || v[0] == NULL)
		return true;
	if (s == NULL)
		return false;
	for (; *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

bool
job_match_ids_uids(const struct job_head *j, const struct job_filter *f,
    const uid_t *uids, uint32_t nuids)
{
	bool ok;

	if (f->nids > 0) {
		ok = false;
		for (uint32_t i = 0; i < f->nids && !ok; i++)
			ok = f->ids[i] == j->id || (j->array_job_id != 0 &&
			    f->ids[i] == j->array_job_id);
		if (!ok)
			return false;
	}
	if (nuids > 0) {
		ok = false;
		for (uint32_t i = 0; i < nuids && !ok; i++)
			ok = uids[i] == j->uid;
		if (!ok)
			return false;
	}
	return true;
}
