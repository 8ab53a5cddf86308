/* SPDX-License-Identifier: MIT */
/*
 * Job steps (srun): granting, watching and accounting them
 * (docs/steps.md).  A step lives in its job's step list from its
 * MSG_STEP_CREATE (or the grant of an srun allocation, step 0) until it
 * ends; the srun that asked for it is its holder, watched by pidfd.
 *
 * CPUs: a step gets ntasks * cpus_per_task CPUs of its job's set that no
 * running step holds (sched_step_cpus; --overlap shares them).  One that
 * cannot fit now waits, its MSG_STEP_CREATE connection open, and is
 * granted when a step of the job ends (steps_try_pending), in step id
 * order.  Running steps are rows of the steps table, written when granted
 * and when they end (and the tasks' process group with the next commit
 * after MSG_STEP_LAUNCHED); pending ones are not stored.
 *
 * Ends: MSG_STEP_COMPLETE with srun's final record; srun's death without
 * it (the tasks' process group is killed, the step FAILED, or CANCELLED
 * if it was being cancelled); the job leaving RUNNING (remaining steps
 * are killed and CANCELLED).  The group is killed through a pidfd of its
 * leader (task 0) opened at MSG_STEP_LAUNCHED, never by its number alone,
 * which may belong to another group by then (step_kill_tasks()).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "../proto/spec.h"
#include "daemon.h"
#include "leftovers.h"

static bool	 tearing_down;	/* steps_job_ended: no new grants */

struct dstep *
step_find(struct djob *dj, uint32_t step_id)
{
	struct dstep *ds;

	LIST_FOREACH(ds, &DJ_RT(dj)->steps, entry)
		if (ds->s.step_id == step_id)
			return ds;
	return NULL;
}

static void
step_save(struct dstep *ds)
{
	struct msg m;
	char *cause = NULL;

	if (ds->dirty) {
		ds->dirty = false;
		D->nsteps_dirty--;
	}
	if (txn_begin() == -1)
		return;
	msg_init(&m);
	proto_step_put(&m, &ds->s);
	if (store_step_put(D->store, ds->s.job_id, ds->s.step_id, ds->s.state,
	    m.b.data, m.b.len, &cause) == -1) {
		log_warnx("job=%u: save step %u: %s", ds->s.job_id,
		    ds->s.step_id, cause);
		free(cause);
	}
	msg_free(&m);
}

void
steps_flush_dirty(void)
{
	struct djob *dj;
	struct dstep *ds;

	if (D->nsteps_dirty == 0 || !store_in_txn(D->store))
		return;
	LIST_FOREACH(dj, &D->ijobs, run->ilink)
		LIST_FOREACH(ds, &dj->run->steps, entry)
			if (ds->dirty)
				step_save(ds);
}

static uint32_t
step_need(const struct step *s)
{
	/* -O: the tasks share one task's CPUs (Slurm 22.05.8). */
	uint32_t n = (s->flags & STEP_F_OVERCOMMIT) ? s->cpus_per_task :
	    s->ntasks * s->cpus_per_task;

	return n > 0 ? n : 1;
}

/* The CPUs for ds: 1 granted (cpus), 0 wait, -1 never. */
static int
step_pick(struct dstep *ds, struct bitmap *cpus)
{
	struct bitmap job, used, one;
	struct dstep *o;

	if (DJ_END(ds->dj)->cpu_ids == NULL ||
	    bitmap_parse(&job, DJ_END(ds->dj)->cpu_ids) == -1)
		return -1;
	bitmap_clear(&used);
	LIST_FOREACH(o, &ds->dj->run->steps, entry) {
		if (o == ds || o->s.state != JOB_RUNNING ||
		    (o->s.flags & STEP_F_OVERLAP) || o->s.cpu_ids == NULL ||
		    bitmap_parse(&one, o->s.cpu_ids) == -1)
			continue;
		for (uint32_t w = 0; w < SCHED_WORDS; w++)
			used.w[w] |= one.w[w];
	}
	/* Slurm >= 20.11: without --exact a step gets all the job's CPUs. */
	if (step_need(&ds->s) > bitmap_count(&job))
		return -1;
	return sched_step_cpus(&job, &used, (ds->s.flags & STEP_F_EXCLUSIVE) ?
	    step_need(&ds->s) : bitmap_count(&job),
	    (ds->s.flags & STEP_F_OVERLAP) != 0, cpus);
}

/* A new (pending) step of dj from srun's request; takes req's strings. */
static struct dstep *
step_new(struct djob *dj, struct step *req, pid_t pid, uint64_t start)
{
	struct dstep *ds;
	struct step *s;

	ds = xcalloc(1, sizeof *ds);
	ds->ev.kind = EV_STEP;
	ds->pidfd = -1;
	ds->grpfd = -1;
	ds->dj = dj;
	ds->s = *req;
	memset(req, 0, sizeof *req);
	s = &ds->s;
	s->job_id = dj->j.id;
	s->step_id = djob_rt(dj)->next_step++;
	s->uid = dj->j.uid;
	s->state = JOB_PENDING;
	if (s->ntasks == 0)
		s->ntasks = (s->flags & STEP_F_CPT_SET) ? 1 : dj->j.ntasks;
	if (s->cpus_per_task == 0)
		s->cpus_per_task = (s->flags & STEP_F_NTASKS_SET) ? 1 :
		    dj->j.cpus_per_task;
	if (!(s->flags & STEP_F_GPUS_SET))
		s->gpus = dj->j.gpus;
	s->exit_status = 0;
	s->srun_pid = pid;
	s->srun_start = start;
	s->pgid = 0;
	s->kill_uid = NO_VAL;
	s->start_time = s->end_time = 0;
	s->max_rss_kb = s->user_usec = s->sys_usec = 0;
	free(s->cpu_ids);
	free(s->gpu_ids);
	s->cpu_ids = s->gpu_ids = NULL;
	LIST_INSERT_HEAD(&djob_rt(dj)->steps, ds, entry);
	return ds;
}

/* Parse a "0,1,3" GPU list into ids[]; returns the count. */
static size_t
gpu_list(const char *list, uint32_t *ids, size_t max)
{
	size_t n = 0;
	char *end;

	while (list != NULL && *list != '\0' && n < max) {
		unsigned long v = strtoul(list, &end, 10);

		if (end == list)
			break;
		ids[n++] = (uint32_t)v;
		list = *end == ',' ? end + 1 : end;
	}
	return n;
}

#define STEP_MAX_GPUS	256

/*
 * The GPUs for ds (*ids, NULL for none): a step that names a GPU count
 * (--gpus, STEP_F_GPUS_SET) gets that many of the job's GPUs not held by
 * other such steps (any of them with --overlap), else it waits; a step
 * without one gets all of the job's, as Slurm's default of giving a step
 * every generic resource of its job.  1 granted, 0 wait, -1 never.
 */
static int
step_pick_gpus(struct dstep *ds, char **ids)
{
	uint32_t job[STEP_MAX_GPUS], one[STEP_MAX_GPUS];
	bool used[STEP_MAX_GPUS];
	const struct step *s = &ds->s;
	struct dstep *o;
	struct buf b;
	size_t njob, k, got = 0;

	*ids = NULL;
	if (s->gpus == 0 || DJ_END(ds->dj)->gpu_ids == NULL)
		return 1;
	if (!(s->flags & STEP_F_GPUS_SET)) {
		*ids = xstrdup(DJ_END(ds->dj)->gpu_ids);
		return 1;
	}
	njob = gpu_list(DJ_END(ds->dj)->gpu_ids, job, STEP_MAX_GPUS);
	if (s->gpus > njob)
		return -1;
	memset(used, 0, sizeof used);
	LIST_FOREACH(o, &ds->dj->run->steps, entry) {
		if (o == ds || o->s.state != JOB_RUNNING ||
		    (s->flags & STEP_F_OVERLAP) ||
		    (o->s.flags & STEP_F_OVERLAP) ||
		    !(o->s.flags & STEP_F_GPUS_SET))
			continue;
		k = gpu_list(o->s.gpu_ids, one, STEP_MAX_GPUS);
		for (size_t i = 0; i < k; i++)
			for (size_t g = 0; g < njob; g++)
				if (job[g] == one[i])
					used[g] = true;
	}
	buf_init(&b);
	for (size_t g = 0; g < njob && got < s->gpus; g++)
		if (!used[g]) {
			buf_printf(&b, "%s%u", got > 0 ? "," : "", job[g]);
			got++;
		}
	if (got < s->gpus) {
		buf_free(&b);
		return 0;
	}
	*ids = buf_steal(&b);
	return 1;
}

/* Grant ds if its CPUs (and GPUs) are free: 1 granted, 0 wait, -1 never. */
static int
step_grant(struct dstep *ds)
{
	struct bitmap cpus;
	struct step *s = &ds->s;
	char list[4096], *gpus;
	int r;

	if ((r = step_pick(ds, &cpus)) != 1)
		return r;
	if ((r = step_pick_gpus(ds, &gpus)) != 1)
		return r;
	bitmap_format(&cpus, list, sizeof list);
	s->cpu_ids = xstrdup(list);
	s->ncpus = bitmap_count(&cpus);
	s->gpu_ids = gpus;
	s->state = JOB_RUNNING;
	s->start_time = now_sec();
	step_save(ds);
	ijob_add(ds->dj);
	if (pidfd_watch(s->srun_pid, ds, &ds->pidfd) == -1)
		log_warn("job=%u: step %u: pidfd_open srun %ld", s->job_id,
		    s->step_id, (long)s->srun_pid);
	log_info("job=%u: step %u started for srun %ld on CPUs %s",
	    s->job_id, s->step_id, (long)s->srun_pid, s->cpu_ids);
	return 1;
}

static void
reply_created(struct client *c, struct dstep *ds)
{
	struct msg m;
	struct job whole;

	msg_init(&m);
	djob_job(ds->dj, &whole);
	proto_job_put(&m, &whole);
	proto_step_put(&m, &ds->s);
	msg_put_str(&m, D->conf.cluster_name);
	msg_put_u32(&m, D->conf.kill_wait);
	client_reply(c, MSG_STEP_CREATED, &m);
	msg_free(&m);
}

static void
step_drop(struct dstep *ds)
{
	if (ds->dirty) {
		ds->dirty = false;
		D->nsteps_dirty--;
	}
	pidfd_unwatch(&ds->pidfd);
	if (ds->grpfd != -1) {
		close(ds->grpfd);
		ds->grpfd = -1;
	}
	if (ds->waiter != NULL)
		ds->waiter->step_wait = NULL;
	ds->waiter = NULL;
	LIST_REMOVE(ds, entry);
	ds->ev.kind = EV_DEAD;
	LIST_INSERT_HEAD(&D->dead_steps, ds, entry);
}

void
steps_reap(void)
{
	struct dstep *ds;

	while ((ds = LIST_FIRST(&D->dead_steps)) != NULL) {
		LIST_REMOVE(ds, entry);
		step_free(&ds->s);
		free(ds);
	}
}

/* Grant the steps of dj that waited for CPUs, oldest first. */
static void
steps_try_pending(struct djob *dj)
{
	struct dstep *ds, *best;
	int r;

	if (tearing_down || dj->j.state != JOB_RUNNING)
		return;
	for (;;) {
		best = NULL;
		LIST_FOREACH(ds, &DJ_RT(dj)->steps, entry)
			if (ds->s.state == JOB_PENDING && ds->waiter != NULL &&
			    (best == NULL || ds->s.step_id < best->s.step_id))
				best = ds;
		if (best == NULL || (r = step_grant(best)) == 0)
			return;
		if (r == 1) {
			reply_created(best->waiter, best);
			best->waiter->step_wait = NULL;
			best->waiter = NULL;
			if (best->pidfd == -1)
				step_exited(best);
		} else {
			client_error(best->waiter, BERTH_ETOO_MANY_CPUS, NULL);
			step_drop(best);
		}
	}
}

/* ds ended in state: store it, forget it, let waiting steps in. */
static void
step_end(struct dstep *ds, uint32_t state)
{
	struct djob *dj = ds->dj;
	struct step *s = &ds->s;

	s->state = state;
	if (s->end_time == 0)
		s->end_time = now_sec();
	step_save(ds);
	log_info("job=%u: step %u ended %s, status 0x%x", s->job_id,
	    s->step_id, job_state_name(state), (unsigned)s->exit_status);
	step_drop(ds);
	steps_try_pending(dj);
	if (!tearing_down)
		alloc_step_ended(dj);
}

struct dstep *
step_start(struct djob *dj, struct step *req, pid_t pid, uint64_t start,
    uint32_t *err)
{
	struct dstep *ds;
	int r;

	ds = step_new(dj, req, pid, start);
	if ((r = step_grant(ds)) == 1)
		return ds;
	/* Step 0 of an srun allocation has the whole job: always fits. */
	*err = r == 0 ? BERTH_ENODES_BUSY : BERTH_ETOO_MANY_CPUS;
	step_drop(ds);
	return NULL;
}

void
rpc_step_create(struct client *c, struct msg *m)
{
	struct step req;
	struct djob *dj;
	struct dstep *ds;
	struct msg out;
	uint64_t start;
	uint32_t err = BERTH_OK;
	int r;

	if (proto_step_get(m, &req) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		step_free(&req);
		return;
	}
	if ((dj = job_find(req.job_id)) == NULL)
		err = BERTH_EINVALID_JOB;
	else if (!job_owner_or_admin(dj, c->uid))
		err = BERTH_EACCESS;
	else if (job_state_is_final(dj->j.state) ||
	    (dj->j.flags & JOB_F_CANCEL_REQ) || DJ_RT(dj)->timed_out)
		err = BERTH_EALREADY_DONE;
	else if (dj->j.state != JOB_RUNNING)
		err = BERTH_EPENDING;
	else if (c->step_wait != NULL || c->alloc_job != 0)
		err = BERTH_EINVAL;
	else if (proc_start_time(c->pid, &start) == -1)
		err = BERTH_EINTERNAL;
	else if ((req.flags & STEP_F_GPUS_SET) && req.gpus > dj->j.gpus)
		err = BERTH_EGRES;
	if (err != BERTH_OK) {
		/* srun prints the reason, then the error (Slurm 22.05.8). */
		client_error(c, err, err == BERTH_EGRES && dj->j.gpus == 0 ?
		    "Step requested GRES but job doesn't have GRES" : NULL);
		step_free(&req);
		return;
	}
	ds = step_new(dj, &req, c->pid, start);
	r = step_grant(ds);
	if (r == -1) {
		dj->run->next_step--;
		client_error(c, BERTH_ETOO_MANY_CPUS, NULL);
		step_drop(ds);
		return;
	}
	if (r == 1) {
		reply_created(c, ds);
		if (ds->pidfd == -1)
			step_exited(ds);	/* srun already gone */
		return;
	}
	ds->waiter = c;
	c->step_wait = ds;
	log_info("job=%u: step %u waits for CPUs", dj->j.id, ds->s.step_id);
	msg_init(&out);
	msg_put_u32(&out, dj->j.id);
	msg_put_u32(&out, WAIT_RESOURCES);
	client_reply(c, MSG_STEP_PENDING, &out);
	msg_free(&out);
}

static struct dstep *
find_for(struct client *c, uint32_t job_id, uint32_t step_id, uint32_t *err)
{
	struct djob *dj;
	struct dstep *ds;

	if ((dj = job_find(job_id)) == NULL) {
		*err = BERTH_EINVALID_JOB;
		return NULL;
	}
	if (!job_owner_or_admin(dj, c->uid)) {
		*err = BERTH_EACCESS;
		return NULL;
	}
	if ((ds = step_find(dj, step_id)) == NULL ||
	    ds->s.state != JOB_RUNNING) {
		*err = BERTH_EALREADY_DONE;
		return NULL;
	}
	return ds;
}

/*
 * A pidfd of process pid, with its /proc record (*ps) and owner (*uid)
 * read after the open and before the pidfd says the process is still
 * there (a zombie too): so they are that process's.  -1 if it is not
 * (errno ESRCH) or cannot be had.
 */
static int
proc_open(pid_t pid, struct pstat *ps, uid_t *uid)
{
	char path[64];
	struct stat st;
	int fd;

	if ((fd = sys_pidfd_open(pid, 0)) == -1)
		return -1;
	snprintf(path, sizeof path, "/proc/%ld", (long)pid);
	if (stat(path, &st) == -1 || pstat_read(pid, ps) == -1) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	if (pidfd_signal(fd, 0, NULL) == -1) {
		close(fd);
		return -1;
	}
	*uid = st.st_uid;
	return fd;
}

/*
 * Take pgid, the process group of the step's tasks that srun reports:
 * its leader is task 0, which srun has not reaped yet (it reports
 * first), so the pidfd opened here is of the leader, and the group of
 * that number stays the leader's while the pidfd says it is not reaped
 * (group_kill_led()).  1 taken (grpfd -1 if no pidfd could be had: the
 * tasks are not killed by the daemon then), 0 already gone (nothing to
 * kill), -1 not uid's (the daemon would SIGKILL it).
 */
static int
group_open(struct dstep *ds, pid_t pgid, uid_t uid)
{
	struct pstat ps;
	uid_t owner;
	int fd;

	if (pgid <= 1)
		return -1;
	if ((fd = proc_open(pgid, &ps, &owner)) == -1) {
		if (errno == ESRCH)
			return 0;
		if (errno == EINVAL)	/* a thread's id */
			return -1;
		log_warn("job=%u: step %u: pidfd_open %ld", ds->s.job_id,
		    ds->s.step_id, (long)pgid);
		return 1;
	}
	if (uid != 0 && owner != uid) {
		close(fd);
		return -1;
	}
	if (ds->grpfd != -1)
		close(ds->grpfd);
	ds->grpfd = fd;
	ds->grp_sid = ps.sid;
	return 1;
}

/*
 * After a restart, for a re-adopted step: the pidfd of its tasks' group
 * leader again, if that is still a child of srun (whose pidfd we hold):
 * the task 0 it forked, not yet reaped, so the number is still its.
 */
static void
group_reopen(struct dstep *ds)
{
	struct pstat ps;
	uid_t owner;
	int fd;

	if (ds->s.pgid <= 1 || (fd = proc_open(ds->s.pgid, &ps,
	    &owner)) == -1)
		return;
	if (ps.ppid == ds->s.srun_pid &&
	    pidfd_signal(ds->pidfd, 0, NULL) == 0) {
		ds->grpfd = fd;
		ds->grp_sid = ps.sid;
	} else
		close(fd);
}

void
step_kill_tasks(struct dstep *ds)
{
	if (group_kill_led(ds->grpfd, ds->s.pgid, ds->grp_sid,
	    ds->s.start_time) == -1)
		log_warn("job=%u: kill step %u tasks (group %ld)",
		    ds->s.job_id, ds->s.step_id, (long)ds->s.pgid);
}

void
rpc_step_launched(struct client *c, struct msg *m)
{
	struct dstep *ds;
	uint32_t job_id, step_id, err;
	int32_t pgid;
	int r;

	job_id = msg_get_u32(m);
	step_id = msg_get_u32(m);
	pgid = (int32_t)msg_get_u32(m);
	if (m->err || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	if ((ds = find_for(c, job_id, step_id, &err)) == NULL) {
		client_error(c, err, NULL);
		return;
	}
	/* The daemon will SIGKILL this group: it must be the caller's. */
	if ((r = group_open(ds, pgid, c->uid)) == -1) {
		log_warnx("job=%u: step %u: process group %ld is not uid %u's",
		    job_id, step_id, (long)pgid, (unsigned)c->uid);
		client_error(c, BERTH_EACCESS, NULL);
		return;
	}
	ds->s.pgid = r == 1 ? pgid : 0;
	if (!ds->dirty) {
		ds->dirty = true;
		D->nsteps_dirty++;
	}
	/* Cancelled before its tasks existed: they get it now. */
	if ((ds->cancelled || ds->timed_out) && ds->kill_at == 0)
		ds->kill_at = now_sec() + D->conf.kill_wait + 1;
	client_reply(c, MSG_OK, NULL);
}

void
step_finish(struct dstep *ds, const struct step *fin)
{
	struct step *s = &ds->s;
	uint32_t state = fin->state;
	int st = fin->exit_status;

	s->exit_status = st;
	s->end_time = fin->end_time > 0 ? fin->end_time : now_sec();
	s->max_rss_kb = fin->max_rss_kb;
	s->user_usec = fin->user_usec;
	s->sys_usec = fin->sys_usec;
	if (fin->pgid > 0)
		s->pgid = fin->pgid;
	if (!job_state_is_final(state)) {
		if (ds->cancelled || ds->timed_out)
			state = JOB_CANCELLED;
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			state = JOB_COMPLETE;
		else
			state = JOB_FAILED;
	}
	step_end(ds, state);
}

void
rpc_step_complete(struct client *c, struct msg *m)
{
	struct step fin;
	struct dstep *ds;
	uint32_t err;

	if (proto_step_get(m, &fin) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		step_free(&fin);
		return;
	}
	if ((ds = find_for(c, fin.job_id, fin.step_id, &err)) == NULL)
		client_error(c, err, NULL);
	else {
		step_finish(ds, &fin);
		client_reply(c, MSG_OK, NULL);
	}
	step_free(&fin);
}

/* srun is gone (or a pending step's client left). */
void
step_exited(struct dstep *ds)
{
	struct step *s = &ds->s;

	if (s->state == JOB_PENDING) {
		step_drop(ds);
		return;
	}
	pidfd_unwatch(&ds->pidfd);
	step_kill_tasks(ds);
	log_info("job=%u: step %u: srun %ld gone without its result",
	    s->job_id, s->step_id, (long)s->srun_pid);
	s->exit_status = SIGKILL;
	step_end(ds, ds->cancelled || ds->timed_out ? JOB_CANCELLED :
	    JOB_FAILED);
}

void
steps_job_ended(struct djob *dj)
{
	struct dstep *ds;

	tearing_down = true;
	while ((ds = LIST_FIRST(&DJ_RT(dj)->steps)) != NULL) {
		if (ds->s.state == JOB_PENDING) {
			if (ds->waiter != NULL)
				client_error(ds->waiter, BERTH_EALREADY_DONE,
				    NULL);
			step_drop(ds);
			continue;
		}
		pidfd_unwatch(&ds->pidfd);
		step_kill_tasks(ds);
		if (ds->s.exit_status == 0)
			ds->s.exit_status = SIGKILL;
		step_end(ds, JOB_CANCELLED);
	}
	tearing_down = false;
	if (dj->run != NULL) {
		if (dj->run->alloc_step != NULL) {
			step_free(dj->run->alloc_step);
			free(dj->run->alloc_step);
			dj->run->alloc_step = NULL;
		}
		dj->run->kill_at = 0;
	}
	ijob_remove(dj);
}

/* A control value to the step's srun, through its pidfd: an srun whose
 * pidfd could not be had (gone at the grant) is told nothing, since its
 * pid may be somebody else's by now. */
static void
tell(struct dstep *ds, int value)
{
	union sigval v;

	v.sival_int = value;
	if (pidfd_signal(ds->pidfd, SPEC_CTL_SIG, &v) == -1 && errno != ESRCH)
		log_warn("job=%u: sigqueue 0x%x to srun %ld of step %u",
		    ds->s.job_id, (unsigned)value, (long)ds->s.srun_pid,
		    ds->s.step_id);
}

void
steps_signal(struct djob *dj, int value)
{
	struct dstep *ds;

	LIST_FOREACH(ds, &DJ_RT(dj)->steps, entry)
		if (ds->s.state == JOB_RUNNING)
			tell(ds, value);
}

static void
cancel_step(struct dstep *ds, bool timeout, uid_t uid)
{
	if (timeout)
		ds->timed_out = true;
	else {
		ds->cancelled = true;
		ds->s.kill_uid = uid;
	}
	tell(ds, timeout ? STEP_CTL_TIMEOUT : STEP_CTL_CANCEL);
	/* srun sends TERM, then KILL after KillWait; this is the backstop
	 * for an srun that does not. */
	if (ds->grpfd != -1)
		ds->kill_at = now_sec() + D->conf.kill_wait + 2;
}

void
steps_cancel(struct djob *dj, bool timeout)
{
	struct dstep *ds, *next;

	for (ds = LIST_FIRST(&DJ_RT(dj)->steps); ds != NULL; ds = next) {
		next = LIST_NEXT(ds, entry);
		if (ds->s.state == JOB_PENDING) {
			if (ds->waiter != NULL)
				client_error(ds->waiter, BERTH_EALREADY_DONE,
				    NULL);
			step_drop(ds);
		} else
			cancel_step(ds, timeout, DJ_END(dj)->kill_uid);
	}
}

uint32_t
step_cancel(struct djob *dj, uint32_t step_id, int sig, uid_t uid)
{
	struct dstep *ds;

	if ((ds = step_find(dj, step_id)) == NULL)
		return BERTH_EINVALID_JOB;
	if (ds->s.state == JOB_PENDING) {
		if (sig != 0)
			return BERTH_EPENDING;
		if (ds->waiter != NULL)
			client_error(ds->waiter, BERTH_EALREADY_DONE, NULL);
		step_drop(ds);
		return BERTH_OK;
	}
	if (sig != 0) {
		log_info("job=%u: step %u: signal %d from uid %u", dj->j.id,
		    step_id, sig, (unsigned)uid);
		tell(ds, sig);
		return BERTH_OK;
	}
	if (ds->cancelled)
		return BERTH_OK;
	log_info("job=%u: step %u cancelled by uid %u", dj->j.id, step_id,
	    (unsigned)uid);
	cancel_step(ds, false, uid);
	return BERTH_OK;
}

struct query {
	struct msg	 out;
	uint32_t	 n;
};

static void
query_cb(void *arg, uint32_t job_id, uint32_t step_id, uint32_t state,
    const void *rec, size_t len)
{
	struct query *q = arg;
	struct msg *out = &q->out;
	struct djob *dj;
	struct dstep *ds;

	(void)state;
	/* A running step's latest record is in memory. */
	if ((dj = job_find(job_id)) != NULL &&
	    (ds = step_find(dj, step_id)) != NULL)
		proto_step_put(out, &ds->s);
	else
		buf_add(&out->b, rec, len);
	q->n++;		/* the count, patched in below */
}

/*
 * sstat's trailer (FILTER_F_STEP_JOBS, step.h): the listed jobs the daemon
 * still knows, each with the pid of its batch script while it runs.
 */
static void
put_step_jobs(struct msg *out, const struct job_filter *f)
{
	struct job_result r;
	struct djob *dj;
	struct job whole;
	long sup, jobpid;
	uint32_t n = 0;

	for (uint32_t i = 0; i < f->nids; i++)
		if (job_find(f->ids[i]) != NULL)
			n++;
	msg_put_u32(out, n);
	for (uint32_t i = 0; i < f->nids; i++) {
		if ((dj = job_find(f->ids[i])) == NULL)
			continue;
		sup = jobpid = 0;
		if (dj->j.state == JOB_RUNNING && DJ_RT(dj)->jobfd != -1 &&
		    !(dj->j.flags & JOB_F_INTERACTIVE)) {
			memset(&r, 0, sizeof r);
			if (jobfile_read_state(dj->run->jobfd, &sup, &jobpid,
			    &r) == -1)
				jobpid = 0;
			job_result_free(&r);
		}
		djob_job(dj, &whole);
		proto_job_put(out, &whole);
		msg_put_u32(out, jobpid > 0 && jobpid <= INT32_MAX ?
		    (uint32_t)jobpid : 0);
	}
}

void
rpc_step_query(struct client *c, struct msg *m)
{
	struct job_filter f;
	struct djob *dj;
	struct dstep *ds;
	struct query q;
	char *cause = NULL;
	uint32_t n;
	uint8_t *p;

	if (proto_filter_get(m, &f) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	msg_init(&q.out);
	msg_put_u32(&q.out, 0);
	q.n = 0;
	if (f.nids > 0) {
		if (store_steps_of(D->store, f.ids, f.nids, query_cb, &q,
		    &cause) == -1) {
			log_warnx("step query: %s", cause);
			free(cause);
			client_error(c, BERTH_EINTERNAL, NULL);
			goto out;
		}
	} else {
		LIST_FOREACH(dj, &D->ijobs, run->ilink)
			LIST_FOREACH(ds, &dj->run->steps, entry) {
				if (ds->s.state != JOB_RUNNING)
					continue;
				proto_step_put(&q.out, &ds->s);
				q.n++;
			}
	}
	n = q.n;
	p = (uint8_t *)q.out.b.data;
	p[0] = n;
	p[1] = n >> 8;
	p[2] = n >> 16;
	p[3] = n >> 24;
	if (f.flags & FILTER_F_STEP_JOBS)
		put_step_jobs(&q.out, &f);
	client_reply(c, MSG_STEP_LIST, &q.out);
out:
	msg_free(&q.out);
	job_filter_free(&f);
}

/* Recovery: the steps of running jobs, before their jobs are checked. */
static void
recover_cb(void *arg, uint32_t job_id, uint32_t step_id, uint32_t state,
    const void *rec, size_t len)
{
	struct djob *dj;
	struct dstep *ds;
	struct step s;
	struct msg m;
	uint64_t start = 0;

	(void)arg;
	if ((dj = job_find(job_id)) == NULL)
		return;
	if (step_id + 1 > DJ_RT(dj)->next_step)
		djob_rt(dj)->next_step = step_id + 1;
	if (state != JOB_RUNNING)
		return;
	msg_init(&m);
	buf_add(&m.b, rec, len);
	if (proto_step_get(&m, &s) == -1) {
		log_warnx("job=%u: step %u: bad stored record", job_id,
		    step_id);
		msg_free(&m);
		return;
	}
	msg_free(&m);
	ds = xcalloc(1, sizeof *ds);
	ds->ev.kind = EV_STEP;
	ds->pidfd = -1;
	ds->grpfd = -1;
	ds->dj = dj;
	ds->s = s;
	LIST_INSERT_HEAD(&djob_rt(dj)->steps, ds, entry);
	ijob_add(dj);
	/* The pidfd first, then the start time: checked the other way
	 * round, the pid could be reused in between. */
	if (dj->j.state == JOB_RUNNING &&
	    pidfd_watch(s.srun_pid, ds, &ds->pidfd) == 0) {
		if (proc_start_time(s.srun_pid, &start) == 0 &&
		    start == s.srun_start) {
			group_reopen(ds);
			log_info("job=%u: re-adopted step %u (srun %ld)",
			    job_id, step_id, (long)s.srun_pid);
			return;
		}
		pidfd_unwatch(&ds->pidfd);
	}
	/* srun went away while we were not looking: its tasks died with
	 * it (PDEATHSIG); a process group id may be reused, so no kill. */
	ds->s.pgid = 0;
	step_exited(ds);
}

int
steps_recover(char **cause)
{
	struct djob *dj;
	uint32_t *ids, n = 0;
	int rc;

	ids = xcalloc((size_t)D->nrunning + 1, sizeof *ids);
	TAILQ_FOREACH(dj, &D->running, entry) {
		ids[n++] = dj->j.id;
		if (DJ_MORE(dj)->warn_signal != 0) {
			/* One due before the restart counts as sent: a
			 * second signal may hurt more than none. */
			djob_rt(dj)->warned = dj->j.time_limit != INFINITE &&
			    dj->j.time_limit != NO_VAL &&
			    DJ_END(dj)->start_time +
			    (int64_t)dj->j.time_limit * 60 -
			    JOB_WARN_SECS(DJ_MORE(dj)->warn_signal) <=
			    now_sec();
			ijob_add(dj);
		}
	}
	rc = n > 0 ? store_steps_of(D->store, ids, n, recover_cb, NULL,
	    cause) : 0;
	free(ids);
	return rc;
}
