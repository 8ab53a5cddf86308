/* SPDX-License-Identifier: MIT */
/*
 * Interactive allocations (salloc, srun outside a job): MSG_ALLOC and
 * MSG_ALLOC_RELEASE, the holders' pidfds, cancel and time limits through
 * the daemon's timer (docs/steps.md).
 *
 * An allocation is a job with JOB_F_INTERACTIVE: validated and stored as
 * sbatch's jobs are (rpc-submit.c), scheduled by the same pass, but it has
 * no script and no supervisor.  Its MSG_ALLOC connection stays open until
 * the grant: after the scheduling pass (alloc_after_schedule) a job still
 * pending gets MSG_ALLOC_PENDING once (or, with -I, is cancelled), and
 * after the commit that makes it RUNNING (alloc_grant) the client gets
 * MSG_ALLOC_GRANTED.  From then on the client's pid, the "holder" (stored
 * with its /proc start time in the holders table), is watched by pidfd:
 * MSG_ALLOC_RELEASE ends the job with the command's status; the holder's
 * death without it ends the job CANCELLED.  Cancel and time limits are
 * STEP_CTL_* values sent to the holder, then SIGKILL after KillWait, all
 * through its pidfd (pidfd_signal()): never by a pid that may have passed
 * to another process since the holder ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"

int
proc_start_time(pid_t pid, uint64_t *start)
{
	struct pstat ps;

	if (pstat_read(pid, &ps) == -1)
		return -1;
	*start = ps.start;
	return 0;
}

int
pidfd_watch(pid_t pid, void *ptr, int *fdp)
{
	struct epoll_event ee;
	int fd;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return -1;
	ee.events = EPOLLIN;
	ee.data.ptr = ptr;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		log_warn("epoll_ctl pidfd of %ld", (long)pid);
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

/*
 * pidfd_send_signal(2): a pidfd names one process, so a signal through it
 * reaches that process or, if it has ended, nobody (ESRCH), never one
 * that was given its pid since (pid_max is 32768 here).  With a value it
 * is what sigqueue(3) sends: SI_QUEUE, our pid and uid, the value, which
 * the supervisor and srun/salloc read from their signalfds (ssi_ptr,
 * ssi_int); the kernel takes such a siginfo from another process only
 * with a negative si_code, as SI_QUEUE is.
 */
int
pidfd_signal(int pidfd, int sig, const union sigval *v)
{
	siginfo_t si;

	if (pidfd == -1) {
		errno = ESRCH;
		return -1;
	}
	if (v == NULL)
		return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL,
		    0);
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value = *v;
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, &si, 0);
}

void
pidfd_unwatch(int *fdp)
{
	if (*fdp == -1)
		return;
	if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, *fdp, NULL) == -1)
		log_warn("epoll_ctl del pidfd");
	close(*fdp);
	*fdp = -1;
}

void
ijob_add(struct djob *dj)
{
	struct djob_run *r = djob_rt(dj);

	if (r->ilisted)
		return;
	LIST_INSERT_HEAD(&D->ijobs, dj, run->ilink);
	r->ilisted = true;
}

void
ijob_remove(struct djob *dj)
{
	if (dj->run == NULL || !dj->run->ilisted)
		return;
	LIST_REMOVE(dj, run->ilink);
	dj->run->ilisted = false;
}

/* The pending MSG_ALLOC of c is answered (error or grant). */
static void
alloc_unwait(struct client *c, struct djob *dj)
{
	if (c->alloc_job != 0) {
		c->alloc_job = 0;
		D->nalloc_wait--;
	}
	if (dj != NULL && dj->run != NULL) {
		dj->run->alloc_client = NULL;
		if (dj->run->alloc_step != NULL) {
			step_free(dj->run->alloc_step);
			free(dj->run->alloc_step);
			dj->run->alloc_step = NULL;
		}
	}
}

static void
holder_forget(struct djob *dj)
{
	char *cause = NULL;

	if (dj->run == NULL)
		return;
	pidfd_unwatch(&dj->run->pidfd);
	dj->run->sup_pid = 0;
	if (dj->run->holder_pid == 0)
		return;
	dj->run->holder_pid = 0;
	if (txn_begin() == 0 && store_holder_delete(D->store, dj->j.id,
	    &cause) == -1) {
		log_warnx("job=%u: forget holder: %s", dj->j.id, cause);
		free(cause);
	}
}

static bool
limit_passed(const struct djob *dj, int64_t now)
{
	uint32_t t = dj->j.time_limit;

	if (t == INFINITE || t == NO_VAL || DJ_END(dj)->start_time == 0)
		return false;
	return now >= DJ_END(dj)->start_time + (int64_t)t * 60;
}

/*
 * End a running allocation.  status: the command's wait status from
 * MSG_ALLOC_RELEASE; died: the holder went away without one.  Slurm ends
 * an allocation whose command failed FAILED with its exit code.
 */
static void
alloc_finish(struct djob *dj, int status, bool died)
{
	struct job_head *j = &dj->j;
	struct job_end *e;
	uint32_t state, reason = WAIT_NO_REASON;

	if (job_state_is_final(j->state))
		return;
	if (died)
		log_info("job=%u: holder %ld gone without releasing the "
		    "allocation", j->id, (long)DJ_RT(dj)->holder_pid);
	holder_forget(dj);
	e = djob_end(dj);
	e->batch_state = JOB_NONE;
	if (DJ_RT(dj)->timed_out || limit_passed(dj, now_sec())) {
		state = JOB_TIMEOUT;
		reason = FAIL_TIMEOUT;
		e->exit_status = 0;
	} else if ((j->flags & JOB_F_CANCEL_REQ) || died) {
		state = JOB_CANCELLED;
		e->exit_status = 0;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		state = JOB_COMPLETE;
		e->exit_status = status;
	} else {
		state = JOB_FAILED;
		reason = WIFEXITED(status) ? FAIL_EXIT_CODE : FAIL_SIGNAL;
		e->exit_status = status;
	}
	e->end_time = now_sec();
	job_transition(dj, state, reason);
}

void
rpc_alloc(struct client *c, struct msg *m)
{
	struct job_desc d;
	struct step req;
	struct djob *dj;
	uint32_t aflags, err;
	uint64_t start = 0;
	char *cause = NULL;

	memset(&req, 0, sizeof req);
	if (proto_job_desc_get(m, &d) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	aflags = msg_get_u32(m);
	if ((!m->err && (aflags & ALLOC_F_STEP) &&
	    proto_step_get(m, &req) == -1) || m->err || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		goto out;
	}
	if (c->alloc_job != 0 || c->step_wait != NULL) {
		client_error(c, BERTH_EINVAL, NULL);
		goto out;
	}
	d.job.flags |= JOB_F_INTERACTIVE;
	free(d.script);
	free(d.array);
	d.script = d.array = NULL;
	d.test_only = 0;
	if ((err = submit_prepare(c, &d)) != BERTH_OK) {
		log_info("allocation for uid %u refused: %s",
		    (unsigned)c->uid, berth_strerror(err));
		client_error(c, err, NULL);
		goto out;
	}
	if (!(aflags & ALLOC_F_NO_HOLDER) &&
	    proc_start_time(c->pid, &start) == -1) {
		log_warn("allocation: read /proc/%ld/stat", (long)c->pid);
		client_error(c, BERTH_EINTERNAL, NULL);
		goto out;
	}
	if ((dj = submit_insert(c, &d)) == NULL) {
		client_error(c, BERTH_EINTERNAL, NULL);
		goto out;
	}
	if (!(aflags & ALLOC_F_NO_HOLDER)) {
		if (store_holder_put(D->store, dj->j.id, c->pid, start,
		    &cause) == -1) {
			log_warnx("job=%u: store holder: %s", dj->j.id, cause);
			free(cause);
		}
		djob_rt(dj)->holder_pid = c->pid;
		dj->run->holder_start = start;
	}
	djob_rt(dj)->alloc_flags = aflags;
	dj->run->alloc_client = c;
	c->alloc_job = dj->j.id;
	c->alloc_told = false;
	D->nalloc_wait++;
	if (aflags & ALLOC_F_STEP) {
		dj->run->alloc_step = xmalloc(sizeof *dj->run->alloc_step);
		*dj->run->alloc_step = req;
		memset(&req, 0, sizeof req);
	}
out:
	job_desc_free(&d);
	step_free(&req);
}

/* A pending allocation's job ends CANCELLED (client gone, -I). */
static void
cancel_pending(struct djob *dj, uid_t uid, const char *why)
{
	struct job_end *e = djob_end(dj);
	int64_t now = now_sec();

	e->kill_uid = uid;
	e->start_time = e->end_time = now;
	log_info("job=%u: %s; allocation cancelled", dj->j.id, why);
	holder_forget(dj);
	job_transition(dj, JOB_CANCELLED, WAIT_NO_REASON);
}

void
alloc_after_schedule(void)
{
	struct client *c;
	struct djob *dj;
	struct msg m;
	uint32_t err;

	if (D->nalloc_wait == 0)
		return;
	TAILQ_FOREACH(c, &D->clients, entry) {
		if (c->alloc_job == 0)
			continue;
		dj = job_find(c->alloc_job);
		if (dj == NULL || job_state_is_final(dj->j.state)) {
			client_error(c, BERTH_EALREADY_DONE, NULL);
			alloc_unwait(c, dj);
			continue;
		}
		if (dj->j.state == JOB_RUNNING) {
			/* Started by this pass: step 0 commits with it. */
			if (dj->run != NULL && dj->run->alloc_step != NULL &&
			    LIST_EMPTY(&dj->run->steps) &&
			    step_start(dj, dj->run->alloc_step,
			    dj->run->holder_pid, dj->run->holder_start,
			    &err) == NULL)
				log_warnx("job=%u: step 0: %s", dj->j.id,
				    berth_strerror(err));
			continue;
		}
		if (dj->j.state != JOB_PENDING)
			continue;
		if (DJ_RT(dj)->alloc_flags & ALLOC_F_IMMEDIATE) {
			cancel_pending(dj, c->uid, "cannot start at once (-I)");
			client_error(c, BERTH_ENODES_BUSY, NULL);
			alloc_unwait(c, dj);
			continue;
		}
		if (!c->alloc_told) {
			msg_init(&m);
			msg_put_u32(&m, dj->j.id);
			msg_put_u32(&m, dj->j.reason);
			client_reply(c, MSG_ALLOC_PENDING, &m);
			msg_free(&m);
			c->alloc_told = true;
		}
	}
}

void
alloc_grant(void)
{
	struct djob *dj;
	struct dstep *ds;
	struct client *c;
	struct msg m;
	struct job rec;
	uint32_t k = 0;

	for (uint32_t i = 0; i < D->nlaunch; i++) {
		dj = D->launch[i];
		if (!(dj->j.flags & JOB_F_INTERACTIVE)) {
			D->launch[k++] = dj;
			continue;
		}
		djob_rt(dj)->launching = false;
		c = dj->run->alloc_client;
		if (dj->j.state != JOB_RUNNING) {
			if (c != NULL) {
				client_error(c, BERTH_EALREADY_DONE, NULL);
				alloc_unwait(c, dj);
			}
			continue;
		}
		if (c == NULL) {
			/* Its client left between the pass and the commit. */
			dj->j.flags |= JOB_F_CANCEL_REQ;
			alloc_finish(dj, 0, true);
			continue;
		}
		ds = step_find(dj, 0);
		msg_init(&m);
		djob_job(dj, &rec);
		proto_job_put(&m, &rec);
		msg_put_u32(&m, ds != NULL);
		if (ds != NULL)
			proto_step_put(&m, &ds->s);
		msg_put_str(&m, D->conf.cluster_name);
		msg_put_u32(&m, D->conf.kill_wait);
		client_reply(c, MSG_ALLOC_GRANTED, &m);
		msg_free(&m);
		alloc_unwait(c, dj);
		ijob_add(dj);
		log_info("job=%u: allocation granted to pid %ld", dj->j.id,
		    (long)dj->run->holder_pid);
		if (dj->run->holder_pid > 0) {
			if (pidfd_watch(dj->run->holder_pid, &dj->run->ev,
			    &dj->run->pidfd) == -1)
				alloc_finish(dj, 0, true);
			else
				dj->run->sup_pid = dj->run->holder_pid;
		}
	}
	D->nlaunch = k;
}

void
alloc_holder_exited(struct djob *dj)
{
	pidfd_unwatch(&djob_rt(dj)->pidfd);
	dj->run->sup_pid = 0;
	alloc_finish(dj, 0, true);
}

void
alloc_client_gone(struct client *c)
{
	struct djob *dj;

	if (c->step_wait != NULL) {
		c->step_wait->waiter = NULL;
		step_exited(c->step_wait);	/* pending: just dropped */
		c->step_wait = NULL;
	}
	if (c->alloc_job == 0)
		return;
	dj = job_find(c->alloc_job);
	alloc_unwait(c, dj);
	if (dj != NULL && dj->j.state == JOB_PENDING)
		cancel_pending(dj, c->uid, "its client went away");
}

void
rpc_alloc_release(struct client *c, struct msg *m)
{
	struct step fin;
	struct djob *dj;
	struct dstep *ds;
	uint32_t id, status, flags;

	memset(&fin, 0, sizeof fin);
	id = msg_get_u32(m);
	status = msg_get_u32(m);
	flags = msg_get_u32(m);
	if ((!m->err && (flags & RELEASE_F_STEP) &&
	    proto_step_get(m, &fin) == -1) || m->err || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		goto out;
	}
	if ((dj = job_find(id)) == NULL) {
		client_error(c, BERTH_EINVALID_JOB, NULL);
		goto out;
	}
	if (!job_owner_or_admin(dj, c->uid)) {
		client_error(c, BERTH_EACCESS, NULL);
		goto out;
	}
	if (!(dj->j.flags & JOB_F_INTERACTIVE)) {
		client_error(c, BERTH_EINVAL, NULL);
		goto out;
	}
	if (dj->j.state != JOB_RUNNING) {
		client_error(c, BERTH_EALREADY_DONE, NULL);
		goto out;
	}
	if ((flags & RELEASE_F_STEP) &&
	    (ds = step_find(dj, fin.step_id)) != NULL)
		step_finish(ds, &fin);
	log_info("job=%u: allocation released, status %u", id, status);
	alloc_finish(dj, (int)status, false);
	client_reply(c, MSG_OK, NULL);
out:
	step_free(&fin);
}

/* scancel of a running allocation: tell its steps and holder. */
int
alloc_cancel(struct djob *dj, uid_t uid)
{
	struct djob_run *r = djob_rt(dj);
	union sigval v;

	(void)uid;
	steps_cancel(dj, false);
	if (r->holder_pid > 0 && r->pidfd != -1) {
		v.sival_int = STEP_CTL_CANCEL;
		if (pidfd_signal(r->pidfd, SPEC_CTL_SIG, &v) == -1 &&
		    errno != ESRCH)
			log_warn("job=%u: sigqueue cancel to holder %ld",
			    dj->j.id, (long)r->holder_pid);
		r->kill_at = now_sec() + D->conf.kill_wait + 1;
	} else if (LIST_EMPTY(&r->steps))
		alloc_finish(dj, 0, false);
	else
		r->kill_at = now_sec() + D->conf.kill_wait + 1;
	return 0;
}

/* After a step of dj ended: a cancelled allocation nobody holds ends
 * with its last step. */
void
alloc_step_ended(struct djob *dj)
{
	if ((dj->j.flags & JOB_F_INTERACTIVE) && DJ_RT(dj)->holder_pid == 0 &&
	    dj->j.state == JOB_RUNNING && LIST_EMPTY(&DJ_RT(dj)->steps) &&
	    ((dj->j.flags & JOB_F_CANCEL_REQ) || DJ_RT(dj)->timed_out))
		alloc_finish(dj, 0, false);
}

static int64_t
earliest(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

static int64_t
limit_at(const struct djob *dj)
{
	uint32_t t = dj->j.time_limit;

	if (!(dj->j.flags & JOB_F_INTERACTIVE) || DJ_RT(dj)->timed_out ||
	    t == INFINITE || t == NO_VAL || DJ_END(dj)->start_time == 0)
		return 0;
	return DJ_END(dj)->start_time + (int64_t)t * 60;
}

/* --signal=sig@secs: when it is due (0 none or sent). */
static int64_t
warn_at(const struct djob *dj)
{
	uint32_t t = dj->j.time_limit, w = DJ_MORE(dj)->warn_signal;
	int64_t at;

	if (w == 0 || DJ_RT(dj)->warned || t == INFINITE || t == NO_VAL ||
	    DJ_END(dj)->start_time == 0)
		return 0;
	at = DJ_END(dj)->start_time + (int64_t)t * 60 - JOB_WARN_SECS(w);
	return at > 0 ? at : 1;
}

/*
 * The --signal warning: to the steps' tasks through their sruns, or with
 * B: to the batch shell only (through its supervisor), as Slurm does.
 */
static void
warn(struct djob *dj)
{
	uint32_t w = DJ_MORE(dj)->warn_signal;

	djob_rt(dj)->warned = true;
	log_info("job=%u: --signal %d, %lld s before the time limit%s",
	    dj->j.id, JOB_WARN_SIG(w), (long long)JOB_WARN_SECS(w),
	    (w & JOB_WARN_BATCH) ? ", to the batch shell" : "");
	if (w & JOB_WARN_BATCH)
		supervise_signal(dj, JOB_WARN_SIG(w), true);
	else
		steps_signal(dj, JOB_WARN_SIG(w));
}

int64_t
alloc_next_deadline(void)
{
	struct djob *dj;
	struct dstep *ds;
	int64_t wake = 0;

	LIST_FOREACH(dj, &D->ijobs, run->ilink) {
		wake = earliest(wake, dj->run->kill_at);
		wake = earliest(wake, limit_at(dj));
		wake = earliest(wake, warn_at(dj));
		LIST_FOREACH(ds, &dj->run->steps, entry)
			wake = earliest(wake, ds->kill_at);
	}
	return wake;
}

void
alloc_tick(int64_t now)
{
	struct djob *dj, *next;
	struct dstep *ds;
	union sigval v;
	int64_t at;

	for (dj = LIST_FIRST(&D->ijobs); dj != NULL; dj = next) {
		next = LIST_NEXT(dj, run->ilink);
		LIST_FOREACH(ds, &dj->run->steps, entry) {
			if (ds->kill_at == 0 || ds->kill_at > now)
				continue;
			ds->kill_at = 0;
			step_kill_tasks(ds);
		}
		if ((at = warn_at(dj)) != 0 && at <= now)
			warn(dj);
		if (dj->run->kill_at != 0 && dj->run->kill_at <= now) {
			dj->run->kill_at = 0;
			if (dj->run->holder_pid > 0 && dj->run->pidfd != -1) {
				log_info("job=%u: holder %ld still there after "
				    "KillWait: SIGKILL", dj->j.id,
				    (long)dj->run->holder_pid);
				if (pidfd_signal(dj->run->pidfd, SIGKILL,
				    NULL) == -1 && errno != ESRCH)
					log_warn("job=%u: kill holder",
					    dj->j.id);
			} else {
				steps_job_ended(dj);
				alloc_finish(dj, 0, false);
			}
			continue;
		}
		if ((at = limit_at(dj)) == 0 || at > now)
			continue;
		log_info("job=%u: time limit reached", dj->j.id);
		dj->run->timed_out = true;
		steps_cancel(dj, true);
		if (dj->run->holder_pid > 0 && dj->run->pidfd != -1) {
			v.sival_int = STEP_CTL_TIMEOUT;
			if (pidfd_signal(dj->run->pidfd, SPEC_CTL_SIG,
			    &v) == -1 &&
			    errno != ESRCH)
				log_warn("job=%u: sigqueue timeout to holder",
				    dj->j.id);
			dj->run->kill_at = now + D->conf.kill_wait + 1;
		} else if (LIST_EMPTY(&dj->run->steps))
			alloc_finish(dj, 0, false);
		else
			dj->run->kill_at = now + D->conf.kill_wait + 1;
	}
}

/* After a restart: re-adopt the holder of a running allocation. */
void
alloc_recover(struct djob *dj)
{
	char *cause = NULL;
	int32_t pid = 0;
	uint64_t start = 0, now_start = 0;
	struct djob_run *rt = djob_rt(dj);
	int r;

	ijob_add(dj);
	rt->launching = false;
	if ((r = store_holder_get(D->store, dj->j.id, &pid, &start,
	    &cause)) == -1) {
		log_warnx("job=%u: holder: %s", dj->j.id, cause);
		free(cause);
		return;
	}
	if (r == 0)
		return;		/* salloc --no-shell */
	rt->holder_pid = pid;
	rt->holder_start = start;
	if (proc_start_time(pid, &now_start) == 0 && now_start == start &&
	    pidfd_watch(pid, &rt->ev, &rt->pidfd) == 0) {
		rt->sup_pid = pid;
		log_info("job=%u: re-adopted allocation holder %ld", dj->j.id,
		    (long)pid);
		return;
	}
	alloc_finish(dj, 0, true);
}

/* After a restart: a pending allocation lost its client. */
void
alloc_recover_pending(void)
{
	struct djob *dj, *next;

	for (dj = TAILQ_FIRST(&D->pending); dj != NULL; dj = next) {
		next = TAILQ_NEXT(dj, entry);
		if (dj->j.flags & JOB_F_INTERACTIVE) {
			djob_rt(dj)->holder_pid = 1;	/* a row may exist */
			cancel_pending(dj, dj->j.uid,
			    "its client was lost in a daemon restart");
		}
	}
}
