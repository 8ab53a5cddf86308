/* SPDX-License-Identifier: MIT */
/*
 * MSG_JOB_CONTROL: scontrol hold, uhold, release, requeue, requeuehold,
 * top and update job.  Payload and reply in proto/proto.h; one (id, code)
 * per job named, in the order named.
 *
 * The rules are slurmctld's (job_mgr.c _update_job, job_requeue, top):
 *   hold       pending jobs only ("Job is no longer pending execution");
 *              by root an admin hold (JobHeldAdmin), else a user hold
 *              (JobHeldUser); Priority=0.  uhold is always a user hold.
 *              Root (or the daemon's user) may switch the kind of a held
 *              job; others' second hold changes nothing.
 *   release    clears either hold, except that only root or the daemon's
 *              user may clear an admin hold ("Access/permission denied");
 *              the job gets its priority back and becomes eligible now
 *              (or at its begin time).  A job that is not held: no-op.
 *   requeue    running or finished jobs that may be requeued: the
 *              supervisor ends a running attempt ("... DUE TO JOB
 *              REQUEUE") and the job pends again with Restarts+1; a
 *              finished job pends again at once (held with
 *              requeuehold).  Pending: "Job is
 *              pending execution"; --no-requeue: "Requested operation is
 *              presently disabled".
 *   top        root or the daemon's user only (Slurm without
 *              enable_user_top): the pending job gets a priority above
 *              the owner's other pending jobs of the same partition,
 *              account and QOS; several ids keep their order.
 *   update     Key=Value pairs, keys by their full name as the CLI sends
 *              them (scontrol-update.c).  All keys are checked before
 *              anything changes, so a request applies whole or not at
 *              all (Slurm applies keys one by one until one fails).
 * On a finished job: "Job has already finished" (requeue: "Job/step
 * already completing or completed"); on someone else's job: "Invalid user
 * id" (top and requeue: "Access/permission denied"), as slurmctld says.
 *
 * "Privileged" is root or the daemon's own user (Slurm's operator); an
 * admin hold needs root itself, so a user running a personal berthd
 * still places user holds as in Slurm.
 *
 * A finished job may be requeued too (any final state, as slurmctld):
 * requeueable jobs keep their script in the store when they end, and one
 * already forgotten by memory (MinJobAge) is loaded back from the store.
 *
 * Differences: a running job's new
 * TimeLimit is recorded but its supervisor keeps the limit it started
 * with; top sets the priority directly where Slurm shifts nice values.
 *
 * A priority set by update Priority= or by top is fixed (JOB_F_PRIO_SET,
 * Slurm's direct_set_prio): priority/multifactor no longer recomputes it
 * (priority.c) until a hold clears it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/parse.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"
#include "schedule.h"

#define PRIO_MAX	(INFINITE - 1)

/* The keys of an update (U_*), parsed once for all its jobs. */
#define U_NAME		0x0001
#define U_PARTITION	0x0002
#define U_COMMENT	0x0004
#define U_NCPUS		0x0008
#define U_TIME		0x0010
#define U_REQUEUE	0x0020
#define U_PRIORITY	0x0040
#define U_NICE		0x0080
#define U_MEM		0x0100
#define U_GRES		0x0200
#define U_ACCOUNT	0x0400
#define U_QOS		0x0800
#define U_WCKEY		0x1000
#define U_DEPEND	0x2000
#define U_BEGIN		0x4000
#define U_TIME_MIN	0x8000
#define U_DEADLINE	0x10000
#define U_THROTTLE	0x20000
#define U_PENDING_ONLY	(U_PARTITION | U_NCPUS | U_MEM | U_GRES | \
			 U_ACCOUNT | U_QOS | U_WCKEY | U_DEPEND | U_BEGIN | \
			 U_TIME_MIN | U_DEADLINE)

struct upd {
	uint32_t	 have;
	const char	*name;		/* point into the request's values */
	const char	*partition;
	const char	*comment;
	const char	*account;
	const char	*qos;
	const char	*wckey;
	const char	*depend;
	const char	*gres;
	uint32_t	 gpus;
	uint32_t	 ncpus;
	uint32_t	 time_limit;
	uint32_t	 requeue;
	uint32_t	 priority;
	int32_t		 nice;
	uint64_t	 mem_mb;
	bool		 mem_per_cpu;
	int64_t		 begin;
	uint32_t	 time_min;	/* minutes, 0: none */
	int64_t		 deadline;
	uint32_t	 throttle;	/* ArrayTaskThrottle, 0: none */
};

struct ctl_req {
	uint32_t	 op;
	uint32_t	*ids;
	uint32_t	*tasks;		/* parallel to ids, NO_VAL: none */
	uint32_t	 n;
	char		**keys;
	char		**vals;
	uint32_t	 nkv;
};

static bool
privileged(uid_t uid)
{
	return uid == 0 || uid == getuid();
}

static bool
held(const struct job_head *j)
{
	return (j->flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) != 0;
}

/*
 * EligibleTime once nothing but the begin time holds the job back; with
 * a dependency still to be met, unknown (0) until it is (depend_update()
 * sets it then), as Slurm resets the job's begin time.
 */
static void
make_eligible(struct job_head *j, int64_t now)
{
	if (JH_MORE(j)->dependency != NULL)
		j->eligible_time = 0;
	else
		j->eligible_time = j->begin_time > now ? j->begin_time : now;
}

static uint32_t
save(struct djob *dj)
{
	schedule_changed();
	return job_save(dj) == -1 ? BERTH_EINTERNAL : BERTH_OK;
}

/*
 * The common checks, in slurmctld's order: the job exists, has not ended,
 * is the caller's (someone else's job is "Invalid user id" to the update
 * path behind hold/release/update, "Access/permission denied" to top).
 */
static uint32_t
check_job(struct djob *dj, uid_t uid, uint32_t not_owner)
{
	if (dj == NULL)
		return BERTH_EINVALID_JOB;
	if (job_state_is_final(dj->j.state))
		return BERTH_EFINISHED;
	if (!job_owner_or_admin(dj, uid))
		return not_owner;
	return BERTH_OK;
}

/* Hold a pending job: a user hold, or an administrator's (admin). */
void
job_set_hold(struct job_head *j, bool admin)
{
	j->flags &= ~(JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN | JOB_F_PRIO_SET);
	j->flags |= admin ? JOB_F_HOLD_ADMIN : JOB_F_HOLD_USER;
	j->priority = 0;
	j->reason = admin ? WAIT_HELD : WAIT_HELD_USER;
}

static uint32_t
hold_one(struct djob *dj, uid_t uid, bool user_hold)
{
	struct job_head *j = &dj->j;
	bool admin = !user_hold && uid == 0;

	if (j->state != JOB_PENDING)
		return BERTH_ENOT_PENDING;
	if (held(j) && !privileged(uid))
		return BERTH_OK;	/* Slurm: same priority, no change */
	job_set_hold(j, admin);
	log_info("job=%u: %s hold by uid %u", j->id, admin ? "admin" : "user",
	    (unsigned)uid);
	return save(dj);
}

static uint32_t
release_one(struct djob *dj, uid_t uid)
{
	struct job_head *j = &dj->j;

	if (j->state != JOB_PENDING || !held(j))
		return BERTH_OK;	/* Slurm: "already released" */
	if ((j->flags & JOB_F_HOLD_ADMIN) && !privileged(uid))
		return BERTH_EACCESS;
	j->flags &= ~(JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN);
	j->priority = job_base_priority(j);
	j->reason = WAIT_NO_REASON;
	make_eligible(j, now_sec());
	log_info("job=%u: released by uid %u", j->id, (unsigned)uid);
	return save(dj);
}

static void
stored_cb(void *arg, struct job *j)
{
	struct job **out = arg;

	if (*out == NULL)
		*out = j;
	else {
		job_free(j);
		free(j);
	}
}

/*
 * A finished job no longer in memory (older than MinJobAge) but in the
 * store: back into the table (as finished), or NULL if there is none.
 */
static struct djob *
job_from_store(uint32_t id)
{
	struct job_filter f;
	struct job *j = NULL;
	struct djob *dj;
	char *cause = NULL;

	memset(&f, 0, sizeof f);
	f.ids = &id;
	f.nids = 1;
	f.flags = FILTER_F_ALL_STATES;
	if (store_jobs_query(D->store, &f, NULL, 0, stored_cb, &j,
	    &cause) == -1) {
		log_warnx("requeue: load job %u: %s", id, cause);
		free(cause);
		return NULL;
	}
	if (j == NULL)
		return NULL;
	if (j->id != id || !job_state_is_final(j->state)) {
		job_free(j);
		free(j);
		return NULL;
	}
	dj = job_add(j);
	free(j);
	return dj;
}

/*
 * Requeue of a finished batch job (slurmctld's _job_requeue_op accepts
 * any finished state): it pends again with Restarts+1, from its stored
 * script, environment and arguments (kept for requeueable jobs).
 */
static uint32_t
requeue_finished(struct djob *dj, bool hold)
{
	struct job_head *j = &dj->j;
	char *script = NULL, *cause = NULL, **env = NULL, **argv = NULL;
	uint32_t data = j->array_job_id != 0 ? j->array_job_id : j->id;

	if (store_job_data(D->store, data, &script, &env, &argv,
	    &cause) == -1 || script == NULL) {
		log_warnx("job=%u: requeue: no script: %s", j->id,
		    cause != NULL ? cause : "dropped");
		free(cause);
		free(script);
		strv_free(env);
		strv_free(argv);
		return BERTH_EALREADY_DONE;
	}
	free(script);
	strv_free(env);
	strv_free(argv);
	if (hold)
		j->flags |= JOB_F_REQUEUE_HOLD;
	if (!(j->flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) && !hold)
		j->priority = job_base_priority(j);
	j->eligible_time = now_sec();
	job_requeued(dj);
	return BERTH_OK;
}

static uint32_t
requeue_one(struct djob *dj, uint32_t id, uid_t uid, bool hold)
{
	struct job_head *j;

	if (dj == NULL && (dj = job_from_store(id)) == NULL)
		return BERTH_EINVALID_JOB;
	if (!job_owner_or_admin(dj, uid))
		return BERTH_EACCESS;
	j = &dj->j;
	if (j->state == JOB_PENDING)
		return BERTH_EPENDING;
	/* An allocation has no script to run again. */
	if (!(j->flags & JOB_F_REQUEUE) || (j->flags & JOB_F_INTERACTIVE))
		return BERTH_EDISABLED;
	if (job_state_is_final(j->state))
		return requeue_finished(dj, hold);
	if (j->flags & JOB_F_CANCEL_REQ)
		return BERTH_EALREADY_DONE;
	if (j->flags & JOB_F_REQUEUE_REQ) {	/* already on its way back */
		if (hold && !(j->flags & JOB_F_REQUEUE_HOLD)) {
			j->flags |= JOB_F_REQUEUE_HOLD;
			return job_save(dj) == 0 ? BERTH_OK : BERTH_EINTERNAL;
		}
		return BERTH_OK;
	}
	if (supervise_requeue(dj, hold) == -1)
		return BERTH_EINTERNAL;
	log_info("job=%u: requeue%s requested by uid %u", j->id,
	    hold ? "hold" : "", (unsigned)uid);
	return BERTH_OK;
}

/* Task task is pending in array record dj. */
static bool
has_task(const struct djob *dj, uint32_t task)
{
	struct job whole;

	djob_job(dj, &whole);
	return job_is_task(&whole, dj->j.id, task);
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static uint32_t
top_one(struct djob *dj, uid_t uid)
{
	struct job_head *j = &dj->j;
	struct djob *o;
	uint32_t max = 0;

	if (!privileged(uid))
		return BERTH_EACCESS;
	if (j->state != JOB_PENDING)
		return BERTH_ENOT_PENDING;
	if (held(j) || j->priority == 0)
		return BERTH_EHELD;
	TAILQ_FOREACH(o, &D->pending, entry) {
		if (o == dj || o->j.uid != j->uid || held(&o->j) ||
		    !same_str(o->j.partition, j->partition) ||
		    !same_str(o->j.account, j->account) ||
		    !same_str(o->j.qos, j->qos))
			continue;
		if (o->j.priority > max)
			max = o->j.priority;
	}
	if (j->priority > max)
		return BERTH_OK;
	j->priority = max < PRIO_MAX ? max + 1 : PRIO_MAX;
	j->flags |= JOB_F_PRIO_SET;	/* fixed from now on */
	log_info("job=%u: moved to the top (priority %u) by uid %u", j->id,
	    j->priority, (unsigned)uid);
	return save(dj);
}

/* Gres=...: the GPU count; "" means none here, as "none" does. */
static int
gres_gpus(const char *s, uint32_t *n)
{
	if (*s == '\0') {
		*n = 0;
		return 0;
	}
	return parse_gres_gpus(s, n);
}

/* The request's Key=Value pairs; BERTH_EINVAL on anything unknown. */
static uint32_t
parse_update(const struct ctl_req *r, int64_t now, struct upd *u)
{
	uint64_t v64;

	memset(u, 0, sizeof *u);
	for (uint32_t i = 0; i < r->nkv; i++) {
		const char *k = r->keys[i], *v = r->vals[i];

		if (k == NULL || v == NULL)
			return BERTH_EINVAL;
		if (strcasecmp(k, "JobName") == 0 ||
		    strcasecmp(k, "Name") == 0) {
			u->have |= U_NAME;
			u->name = v;
		} else if (strcasecmp(k, "Partition") == 0) {
			u->have |= U_PARTITION;
			u->partition = v;
		} else if (strcasecmp(k, "Comment") == 0) {
			u->have |= U_COMMENT;
			u->comment = v;
		} else if (strcasecmp(k, "Account") == 0) {
			u->have |= U_ACCOUNT;
			u->account = v;
		} else if (strcasecmp(k, "QOS") == 0) {
			u->have |= U_QOS;
			u->qos = v;
		} else if (strcasecmp(k, "WCKey") == 0) {
			u->have |= U_WCKEY;
			u->wckey = v;
		} else if (strcasecmp(k, "Dependency") == 0) {
			u->have |= U_DEPEND;
			u->depend = v;
		} else if (strcasecmp(k, "Gres") == 0) {
			if (gres_gpus(v, &u->gpus) == -1)
				return BERTH_EGRES;
			u->have |= U_GRES;
			u->gres = v;
		} else if (strcasecmp(k, "NumCPUs") == 0) {
			if (parse_u32(v, &u->ncpus) == -1 || u->ncpus == 0)
				return BERTH_EINVAL;
			u->have |= U_NCPUS;
		} else if (strcasecmp(k, "TimeLimit") == 0) {
			if (parse_time_limit(v, &u->time_limit) == -1)
				return BERTH_ETIME_LIMIT;
			u->have |= U_TIME;
		} else if (strcasecmp(k, "Requeue") == 0) {
			if (parse_u32(v, &u->requeue) == -1)
				return BERTH_EINVAL;
			u->have |= U_REQUEUE;
		} else if (strcasecmp(k, "Priority") == 0) {
			if (parse_u32(v, &u->priority) == -1 ||
			    u->priority == INFINITE)
				return BERTH_EINVAL;
			u->have |= U_PRIORITY;
		} else if (strcasecmp(k, "Nice") == 0) {
			char *end;
			long long n = strtoll(v, &end, 10);

			if (*v == '\0' || *end != '\0' || n > INT32_MAX - 2 ||
			    n < -(INT32_MAX - 2))
				return BERTH_EINVAL;
			u->nice = (int32_t)n;
			u->have |= U_NICE;
		} else if (strcasecmp(k, "MinMemoryNode") == 0 ||
		    strcasecmp(k, "MinMemoryCPU") == 0) {
			if (parse_u64(v, &v64) == -1)
				return BERTH_EINVAL;
			u->mem_mb = v64;
			u->mem_per_cpu = strcasecmp(k, "MinMemoryCPU") == 0;
			u->have |= U_MEM;
		} else if (strcasecmp(k, "StartTime") == 0 ||
		    strcasecmp(k, "EligibleTime") == 0) {
			char *end;
			long long t = strtoll(v, &end, 10);

			if (*v == '\0' || *end != '\0' || t < 0)
				return BERTH_EINVAL;
			u->begin = t < now ? now : t;
			u->have |= U_BEGIN;
		} else if (strcasecmp(k, "TimeMin") == 0) {
			if (parse_u32(v, &u->time_min) == -1)
				return BERTH_EINVAL;
			u->have |= U_TIME_MIN;
		} else if (strcasecmp(k, "Deadline") == 0) {
			char *end;
			long long t = strtoll(v, &end, 10);

			if (*v == '\0' || *end != '\0' || t <= 0)
				return BERTH_EINVAL;
			u->deadline = t;
			u->have |= U_DEADLINE;
		} else if (strcasecmp(k, "ArrayTaskThrottle") == 0) {
			if (parse_u32(v, &u->throttle) == -1)
				return BERTH_EINVAL;
			u->have |= U_THROTTLE;
		} else
			return BERTH_EINVAL;
	}
	return BERTH_OK;
}

/* May the caller set this time limit?  Slurm: lower it always; raise it
 * when privileged, or up to the partition's MaxTime while pending. */
static bool
time_allowed(const struct job_head *j, uint32_t to, uint32_t max_time,
    uid_t uid)
{
	uint32_t cur = j->time_limit == NO_VAL ? INFINITE : j->time_limit;

	if (to == cur || privileged(uid))
		return true;
	if (to != INFINITE && (cur == INFINITE || to < cur))
		return true;
	return j->state == JOB_PENDING && (max_time == INFINITE ||
	    (to != INFINITE && to <= max_time));
}

/* Every check of an update against one job, before any change. */
static uint32_t
check_update(struct djob *dj, const struct upd *u, uid_t uid)
{
	struct job_head *j = &dj->j;
	struct job_head probe;
	char *cause = NULL;
	uint32_t max_time;
	int p;

	if ((u->have & U_PENDING_ONLY) && j->state != JOB_PENDING)
		return BERTH_ENOT_PENDING;
	p = conf_find_part(&D->conf, (u->have & U_PARTITION) ?
	    u->partition : j->partition);
	if (p == -1 && (u->have & U_PARTITION))
		return BERTH_EINVALID_PARTITION;
	/* The new partition's AllowGroups/AllowAccounts, as at submit. */
	if ((u->have & U_PARTITION) && !part_group_ok(&D->conf.parts[p],
	    j->uid))
		return BERTH_EPART_GROUP;
	if ((u->have & U_PARTITION) && !part_account_ok(&D->conf.parts[p],
	    j->account))
		return BERTH_EACCOUNT;
	/* A partition gone from the configuration allows no raise. */
	max_time = p == -1 ? 0 : D->conf.parts[p].max_time;
	if ((u->have & U_TIME) && !time_allowed(j, u->time_limit, max_time,
	    uid))
		return BERTH_EACCESS;
	if (u->have & U_PRIORITY) {
		if (u->priority == 0) {
			if (j->state != JOB_PENDING)
				return BERTH_ENOT_PENDING;
		} else if (u->priority == j->priority)
			;	/* Slurm: "setting priority to current value" */
		else if (j->state == JOB_PENDING && held(j))
			return BERTH_EHELD;
		else if (!privileged(uid))
			return u->priority > j->priority ? BERTH_EACCESS :
			    BERTH_EPRIO_RESET;
	}
	if ((u->have & U_NICE) && u->nice < 0 && !privileged(uid))
		return BERTH_EACCESS;
	if (u->have & (U_MEM | U_NCPUS | U_GRES)) {
		/* The node must be able to hold it, as at submit. */
		probe = *j;
		if (u->have & U_NCPUS)
			probe.ncpus = u->ncpus;
		if (u->have & U_MEM) {
			probe.mem_mb = u->mem_mb == 0 ? D->conf.real_mem_mb :
			    u->mem_mb;
			probe.flags &= ~JOB_F_MEM_PER_CPU;
			if (u->mem_per_cpu && u->mem_mb != 0)
				probe.flags |= JOB_F_MEM_PER_CPU;
			probe.flags |= JOB_F_MEM_SET;
		}
		if ((u->have & U_GRES) && u->gpus > D->conf.gpus)
			return BERTH_ENODE_CONFIG;
		if ((probe.flags & JOB_F_MEM_SET) && probe.ncpus <=
		    D->conf.cpus && job_head_mem_node(&probe) >
		    D->conf.real_mem_mb)
			return BERTH_ENODE_CONFIG;
	}
	/* slurmctld: a time-min over the (new) time limit, a deadline
	 * already past or before the begin time. */
	if ((u->have & U_TIME_MIN) && u->time_min != 0) {
		uint32_t lim = (u->have & U_TIME) ? u->time_limit :
		    j->time_limit;

		if (lim != INFINITE && lim != NO_VAL && u->time_min > lim)
			return BERTH_ETIME_MIN;
	}
	if ((u->have & U_DEADLINE) && (u->deadline <= now_sec() ||
	    u->deadline < ((u->have & U_BEGIN) ? u->begin : j->begin_time)))
		return BERTH_ETIME_VALUE;
	if ((u->have & U_DEPEND) && depend_check_spec(u->depend, j->id,
	    &cause) == -1) {
		free(cause);
		return BERTH_EDEPENDENCY;
	}
	if ((u->have & U_DEPEND) && depend_circular(u->depend, j->id,
	    j->array_job_id))
		return BERTH_ECIRCULAR;
	return BERTH_OK;
}

static void
apply_update(struct djob *dj, const struct upd *u, uid_t uid, int64_t now)
{
	struct job_head *j = &dj->j;
	int64_t prio;

	if (u->have & U_NAME)
		job_set_str(j, &j->name, u->name);
	if (u->have & U_PARTITION)
		job_set_str(j, &j->partition, u->partition);
	if (u->have & U_COMMENT)
		job_set_str(j, &job_more(j)->comment, u->comment);
	if (u->have & U_ACCOUNT)
		job_set_str(j, &j->account, u->account);
	if (u->have & U_QOS)
		job_set_str(j, &j->qos, u->qos);
	if (u->have & U_WCKEY)
		job_set_str(j, &job_more(j)->wckey, u->wckey);
	if (u->have & U_NCPUS) {
		j->ncpus = u->ncpus;
		if ((j->flags & JOB_F_EXCLUSIVE) && j->ncpus < D->conf.cpus)
			j->ncpus = D->conf.cpus;
	}
	if (u->have & U_TIME) {
		j->time_limit = u->time_limit;
		/* A running job's supervisor enforces the limit: tell it.
		 * (The daemon's timer enforces an allocation's.) */
		if (j->state == JOB_RUNNING &&
		    !(j->flags & JOB_F_INTERACTIVE) &&
		    supervise_timelimit(dj) == -1)
			log_warnx("job=%u: new time limit not passed to its "
			    "supervisor", j->id);
	}
	if (u->have & U_REQUEUE) {
		if (u->requeue)
			j->flags |= JOB_F_REQUEUE;
		else
			j->flags &= ~JOB_F_REQUEUE;
	}
	if (u->have & U_MEM) {
		j->flags &= ~JOB_F_MEM_PER_CPU;
		j->flags |= JOB_F_MEM_SET;
		if (u->mem_mb == 0)	/* all of it, as --mem=0 */
			j->mem_mb = D->conf.real_mem_mb;
		else {
			j->mem_mb = u->mem_mb;
			if (u->mem_per_cpu)
				j->flags |= JOB_F_MEM_PER_CPU;
		}
	}
	if (u->have & U_GRES) {
		j->gpus = u->gpus;
		job_set_str(j, &job_more(j)->gres, u->gpus > 0 ? u->gres :
		    NULL);
		if (u->gpus > 0)
			j->flags |= JOB_F_GPUS_SET;
		else
			j->flags &= ~JOB_F_GPUS_SET;
	}
	if (u->have & U_DEPEND) {
		job_set_str(j, &job_more(j)->dependency, *u->depend != '\0' &&
		    strcmp(u->depend, "0") != 0 ? u->depend : NULL);
		depend_forget(dj);
	}
	if (u->have & U_TIME_MIN)
		job_more(j)->time_min = u->time_min != 0 ? u->time_min : NO_VAL;
	if (u->have & U_DEADLINE)
		job_more(j)->deadline = u->deadline;
	/* Slurm sets an array's max_run_tasks, running or not, and
	 * ignores the key for a job that is not an array. */
	if ((u->have & U_THROTTLE) && j->array_job_id != 0)
		job_more(j)->array_max_running = u->throttle;
	if (u->have & U_BEGIN) {
		j->begin_time = u->begin;
		if (!held(j))
			make_eligible(j, now);
	}
	if (u->have & U_NICE) {
		/* Slurm priority/basic: the priority moves by the change;
		 * priority/multifactor: it is recomputed with the new nice
		 * (below), unless it is held or fixed. */
		if (j->priority != 0 && !D->conf.prio_multifactor) {
			prio = (int64_t)j->priority + j->nice - u->nice;
			j->priority = prio < 2 ? 2 : prio > PRIO_MAX ?
			    PRIO_MAX : (uint32_t)prio;
		}
		j->nice = u->nice;
		if (j->priority != 0 && D->conf.prio_multifactor &&
		    !(j->flags & JOB_F_PRIO_SET))
			j->priority = job_base_priority(j);
	}
	if (u->have & U_PRIORITY) {
		if (u->priority == 0) {
			/* a hold, as `scontrol hold` (held jobs stay so
			 * unless root or the daemon's user says otherwise) */
			if (!held(j) || privileged(uid))
				job_set_hold(j, uid == 0);
		} else if (u->priority != j->priority) {
			j->priority = u->priority;
			j->flags |= JOB_F_PRIO_SET;	/* fixed, as Slurm's
							 * direct_set_prio */
			j->nice = 0;	/* Slurm: a set priority replaces it */
		}
	}
}

static uint32_t
update_one(struct djob *dj, const struct upd *u0, uid_t uid, int64_t now)
{
	struct upd u = *u0;
	uint32_t code;

	/* Slurm: the same partition, QOS or WCKey again is no change. */
	if ((u.have & U_PARTITION) && same_str(u.partition, dj->j.partition))
		u.have &= ~U_PARTITION;
	if ((u.have & U_QOS) && same_str(u.qos, dj->j.qos))
		u.have &= ~U_QOS;
	if ((u.have & U_WCKEY) && same_str(u.wckey, DJ_MORE(dj)->wckey))
		u.have &= ~U_WCKEY;
	if ((code = check_update(dj, &u, uid)) != BERTH_OK)
		return code;
	apply_update(dj, &u, uid, now);
	log_info("job=%u: updated by uid %u", dj->j.id, (unsigned)uid);
	return save(dj);
}

/* hold, uhold, release, top or update of one job that passed check_job. */
static uint32_t
control_one(uint32_t op, struct djob *dj, uid_t uid, const struct upd *u,
    int64_t now)
{
	switch (op) {
	case CTL_HOLD:
		return hold_one(dj, uid, false);
	case CTL_UHOLD:
		return hold_one(dj, uid, true);
	case CTL_RELEASE:
		return release_one(dj, uid);
	case CTL_TOP:
		return top_one(dj, uid);
	case CTL_UPDATE:
		return update_one(dj, u, uid, now);
	}
	return BERTH_EINVAL;
}

/* The same for the array's other pending tasks (their own records). */
static void
control_split_tasks(uint32_t op, struct djob *arr, uid_t uid,
    const struct upd *u, int64_t now)
{
	struct djob *o;

	TAILQ_FOREACH(o, &D->pending, entry)
		if (o != arr && o->j.array_job_id == arr->j.id &&
		    check_job(o, uid, BERTH_EUSER) == BERTH_OK)
			(void)control_one(op, o, uid, u, now);
}

static void
req_free(struct ctl_req *r)
{
	for (uint32_t i = 0; i < r->nkv; i++) {
		free(r->keys[i]);
		free(r->vals[i]);
	}
	free(r->keys);
	free(r->vals);
	free(r->ids);
	free(r->tasks);
}

static int
req_get(struct msg *m, struct ctl_req *r)
{
	memset(r, 0, sizeof *r);
	r->op = msg_get_u32(m);
	r->n = msg_get_u32(m);
	if (m->err || r->n > m->b.len / 4)
		return -1;
	r->ids = xcalloc(r->n + 1, sizeof *r->ids);
	for (uint32_t i = 0; i < r->n; i++)
		r->ids[i] = msg_get_u32(m);
	r->nkv = msg_get_u32(m);
	if (m->err || r->nkv > m->b.len / 8) {
		r->nkv = 0;
		return -1;
	}
	r->keys = xcalloc(r->nkv + 1, sizeof *r->keys);
	r->vals = xcalloc(r->nkv + 1, sizeof *r->vals);
	for (uint32_t i = 0; i < r->nkv; i++) {
		r->keys[i] = msg_get_str(m);
		r->vals[i] = msg_get_str(m);
	}
	r->tasks = xcalloc(r->n + 1, sizeof *r->tasks);
	for (uint32_t i = 0; i < r->n; i++)
		r->tasks[i] = msg_get_u32(m);
	if (msg_end(m) == -1 || r->op < CTL_HOLD || r->op > CTL_UPDATE)
		return -1;
	return 0;
}

void
rpc_job_control(struct client *c, struct msg *m)
{
	struct ctl_req r;
	struct upd u;
	struct djob *dj;
	struct msg out;
	uint32_t *codes, code = BERTH_OK;
	int64_t now = now_sec();

	if (req_get(m, &r) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		req_free(&r);
		return;
	}
	codes = xcalloc(r.n + 1, sizeof *codes);
	if (r.op == CTL_UPDATE)
		code = parse_update(&r, now, &u);
	/* top: the last named first, so the first named ends on top. */
	for (uint32_t k = 0; k < r.n; k++) {
		uint32_t i = r.op == CTL_TOP ? r.n - 1 - k : k;

		dj = job_find(r.ids[i]);
		if (r.tasks[i] != NO_VAL && (dj == NULL ||
		    DJ_MORE(dj)->array_spec == NULL ||
		    !has_task(dj, r.tasks[i])))
			dj = NULL;	/* no such task pending there */
		if (r.op == CTL_REQUEUE || r.op == CTL_REQUEUEHOLD) {
			codes[i] = requeue_one(dj, r.tasks[i] != NO_VAL ?
			    0 : r.ids[i], c->uid, r.op == CTL_REQUEUEHOLD);
			continue;
		}
		if ((codes[i] = check_job(dj, c->uid, r.op == CTL_TOP ?
		    BERTH_EACCESS : BERTH_EUSER)) != BERTH_OK)
			continue;
		/* One task still pending inside its array record: Slurm
		 * gives it its own record first (job_array_split), then
		 * acts on that alone.  (An update refused later leaves the
		 * task split off, as in Slurm.) */
		if (r.tasks[i] != NO_VAL && (dj = job_array_take(dj,
		    r.tasks[i])) == NULL) {
			codes[i] = BERTH_EINTERNAL;
			continue;
		}
		codes[i] = code != BERTH_OK ? code :
		    control_one(r.op, dj, c->uid, &u, now);
		/* The array's id names every task: those already split off
		 * while pending (aftercorr, one-task control) too. */
		if (codes[i] == BERTH_OK && r.tasks[i] == NO_VAL &&
		    r.op != CTL_TOP && dj->j.array_job_id == dj->j.id)
			control_split_tasks(r.op, dj, c->uid, &u, now);
	}
	msg_init(&out);
	msg_put_u32(&out, r.n);
	for (uint32_t i = 0; i < r.n; i++) {
		msg_put_u32(&out, r.ids[i]);
		msg_put_u32(&out, codes[i]);
	}
	client_reply(c, MSG_CANCEL_RESULT, &out);
	msg_free(&out);
	free(codes);
	req_free(&r);
}
