/* SPDX-License-Identifier: MIT */
/*
 * MSG_CANCEL (scancel): cancel or signal jobs named by id and/or by
 * filters (user, name, partition, state).
 *
 * As in Slurm: cancelling a pending job ends it at once (CANCELLED, by
 * the caller's uid); a running job gets TERM, then KILL after KillWait,
 * from its supervisor, and ends CANCELLED when the supervisor reports.
 * --signal without -b/-f goes to the job's steps only, so a batch job
 * without steps gets nothing (slurm-reference/41_scancel.txt); -b signals
 * the batch shell, -f every process of the batch step.
 *
 * Arrays: an array's id names the whole array (the record holding its
 * pending tasks, and every task split off it that still runs); with a
 * task set ("12_3", "12_[1-3]") only those tasks: running ones are
 * cancelled, pending ones leave the array record's set for a record of
 * their own that ends CANCELLED (with a new id; when none is left the
 * array record itself ends CANCELLED).
 *
 * Reply MSG_CANCEL_RESULT: u32 n, n x (u32 id, u32 errcode).
 */
#include <stdlib.h>
#include <string.h>

#include "../common/arrayspec.h"
#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"

/*
 * A pending job cancelled keeps what held it back (held, dependency,
 * begin time): real Slurm still shows it (squeue -t all: "dep CANCELLED
 * Dependency"; sacct Reason in 41_scancel: Dependency, BeginTime,
 * JobHeldUser), and None for the jobs that only waited their turn.
 */
static uint32_t
kept_reason(uint32_t reason)
{
	switch (reason) {
	case WAIT_DEPENDENCY:
	case WAIT_DEP_INVALID:
	case WAIT_BEGIN_TIME:
	case WAIT_HELD:
	case WAIT_HELD_USER:
		return reason;
	}
	return WAIT_NO_REASON;
}

static uint32_t
cancel_one(struct djob *dj, const struct cancel_req *r, uid_t uid)
{
	struct job_head *j = &dj->j;
	int64_t now = now_sec();

	if (!job_owner_or_admin(dj, uid))
		return BERTH_EACCESS;
	if (job_state_is_final(j->state))
		return BERTH_EALREADY_DONE;
	if (r->signal != 0) {
		if (j->state != JOB_RUNNING || DJ_RT(dj)->launching)
			return BERTH_EPENDING;
		if (r->flags & CANCEL_F_BATCH)
			supervise_signal(dj, (int)r->signal, true);
		else if (r->flags & CANCEL_F_FULL)
			supervise_signal(dj, (int)r->signal, false);
		/* Without -b: every step's srun forwards it to its tasks. */
		if (!(r->flags & CANCEL_F_BATCH))
			steps_signal(dj, (int)r->signal);
		log_info("job=%u: signal %u from uid %u%s", j->id, r->signal,
		    (unsigned)uid, r->flags & (CANCEL_F_BATCH |
		    CANCEL_F_FULL) || !LIST_EMPTY(&DJ_RT(dj)->steps) ? "" :
		    " (no steps: nothing to signal)");
		return BERTH_OK;
	}
	djob_end(dj)->kill_uid = uid;
	if (j->state == JOB_PENDING) {
		djob_end(dj)->start_time = now;
		djob_end(dj)->end_time = now;
		job_transition(dj, JOB_CANCELLED, kept_reason(j->reason));
		return BERTH_OK;
	}
	if (j->flags & JOB_F_CANCEL_REQ)
		return BERTH_OK;	/* already on its way out */
	j->flags |= JOB_F_CANCEL_REQ;
	job_save(dj);
	log_info("job=%u: cancel requested by uid %u", j->id, (unsigned)uid);
	if (j->flags & JOB_F_INTERACTIVE)
		return alloc_cancel(dj, uid) == -1 ? BERTH_EINTERNAL : BERTH_OK;
	steps_cancel(dj, false);
	if (supervise_cancel(dj) == -1)
		return BERTH_EINTERNAL;
	return BERTH_OK;
}

/* Does the job pass the request's filters (other than ids)? */
static bool
filtered_in(const struct djob *dj, const struct cancel_req *r,
    const uid_t *uids, size_t nuids)
{
	bool ok = nuids == 0;

	if (r->states != 0 && !(r->states & (1u << dj->j.state)))
		return false;
	for (size_t i = 0; i < nuids && !ok; i++)
		ok = uids[i] == dj->j.uid;
	return ok && strv_match(r->names, dj->j.name) &&
	    strv_match(r->partitions, dj->j.partition);
}

/* Tasks split off array id that have not ended (not the array's own
 * record).  Caller frees the vector. */
static struct djob **
array_tasks(uint32_t id, size_t *np)
{
	struct djob_list *lists[2] = { &D->pending, &D->running };
	struct djob *dj, **v;
	size_t n = 0;

	v = xcalloc((size_t)D->npending + D->nrunning + 1, sizeof *v);
	for (int l = 0; l < 2; l++)
		TAILQ_FOREACH(dj, lists[l], entry)
			if (dj->j.array_job_id == id && dj->j.id != id)
				v[n++] = dj;
	*np = n;
	return v;
}

/*
 * The pending tasks "removed" of array record dj end CANCELLED in a record
 * of their own (a new id, array_spec the cancelled tasks), so sacct and
 * dependencies still see them.  Returns it, or NULL if the store failed.
 */
static struct djob *
split_cancelled(struct djob *dj, const struct arrayspec *removed)
{
	struct job t, whole;
	const struct msg *rec;
	char *cause = NULL;

	djob_job(dj, &whole);
	job_copy(&t, &whole);
	free(t.array_spec);
	t.array_spec = NULL;
	if (arrayspec_count(removed) == 1)	/* one task: a plain task */
		t.array_task_id = arrayspec_min(removed);
	else
		t.array_spec = arrayspec_format(removed);
	t.id = D->next_id;
	rec = job_record(&t);
	if (txn_begin() == -1 || store_job_insert(D->store, &t, rec->b.data,
	    rec->b.len, NULL, NULL, NULL, &cause) == -1) {
		log_warnx("job=%u: cancel tasks: store: %s", dj->j.id,
		    cause != NULL ? cause : "no transaction");
		free(cause);
		job_free(&t);
		return NULL;
	}
	D->next_id++;
	return job_add(&t);
}

/*
 * Pending tasks of set leave the array record dj's own set.  The walk is
 * over the record's tasks (at most MaxArraySize), never over the set a
 * request names (which may be 0-4000000000).
 */
static uint32_t
cancel_pending_tasks(struct djob *dj, const struct arrayspec *set,
    const struct cancel_req *r, uid_t uid, bool *found)
{
	struct arrayspec own, removed = { NULL, 0 }, left = { NULL, 0 };
	struct job_head *j = &dj->j;
	struct djob *c;
	uint32_t code;

	if (j->state != JOB_PENDING || JH_MORE(j)->array_spec == NULL ||
	    arrayspec_parse(JH_MORE(j)->array_spec, UINT32_MAX, &own, NULL,
	    NULL) == -1)
		return BERTH_EINVALID_JOB;
	for (uint32_t i = 0; i < own.n; i++) {
		for (uint32_t k = own.r[i].lo;; k += own.r[i].step) {
			arrayspec_append(arrayspec_has(set, k) ? &removed :
			    &left, k);
			if (k == own.r[i].hi)
				break;
		}
	}
	arrayspec_free(&own);
	if (arrayspec_empty(&removed)) {
		arrayspec_free(&left);
		return BERTH_EINVALID_JOB;
	}
	*found = true;
	if (!job_owner_or_admin(dj, uid))
		code = BERTH_EACCESS;
	else if (r->signal != 0)
		code = BERTH_EPENDING;
	else if (arrayspec_empty(&left))
		code = cancel_one(dj, r, uid);	/* none left: the record */
	else if ((c = split_cancelled(dj, &removed)) == NULL)
		code = BERTH_EINTERNAL;
	else {
		code = cancel_one(c, r, uid);
		/* c counts the tasks that left j's set (job_weight). */
		job_tasks_gone(arrayspec_count(&removed));
		free(job_more(j)->array_spec);
		job_more(j)->array_spec = arrayspec_format(&left);
		log_info("job=%u: array tasks cancelled by uid %u as job=%u, "
		    "left %s", j->id, (unsigned)uid, c->j.id,
		    JH_MORE(j)->array_spec);
		job_save(dj);
	}
	arrayspec_free(&removed);
	arrayspec_free(&left);
	return code;
}

/* Fold one job's result into an id's: any success wins. */
static void
merge(uint32_t *code, bool *acted, uint32_t c)
{
	if (!*acted || c == BERTH_OK)
		*code = c;
	*acted = true;
}

/*
 * Cancel (or signal) what ids[i] and tasks[i] name; its result code.
 * *skip: the id names jobs, but the filters (-t, -u, -n, -p) keep them
 * all, so there is nothing to report (as for a plain job).
 */
static uint32_t
cancel_id(uint32_t id, const char *tasks, const struct cancel_req *r,
    uid_t uid, const uid_t *uids, size_t nuids, bool *skip)
{
	struct djob *dj = job_find(id), **v;
	struct arrayspec set;
	uint32_t code = BERTH_EINVALID_JOB;
	size_t n;
	bool found = false, acted = false, in;

	*skip = false;
	if (tasks != NULL &&
	    arrayspec_parse(tasks, UINT32_MAX, &set, NULL, NULL) == -1)
		return BERTH_EINVALID_JOB;
	v = array_tasks(id, &n);
	if (dj != NULL && dj->j.array_job_id != id)
		n = 0;		/* a plain job, or a task by its own id */
	if (dj != NULL && tasks == NULL) {
		found = true;
		if (filtered_in(dj, r, uids, nuids))
			merge(&code, &acted, cancel_one(dj, r, uid));
	} else if (dj != NULL && dj->j.array_job_id == id) {
		in = filtered_in(dj, r, uids, nuids);
		if (DJ_MORE(dj)->array_spec == NULL) {
			found = arrayspec_has(&set, dj->j.array_task_id);
			if (found && in)
				merge(&code, &acted, cancel_one(dj, r, uid));
		} else if (in) {
			code = cancel_pending_tasks(dj, &set, r, uid, &found);
			acted = found;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (tasks != NULL && !arrayspec_has(&set, v[i]->j.array_task_id))
			continue;
		found = true;
		if (filtered_in(v[i], r, uids, nuids))
			merge(&code, &acted, cancel_one(v[i], r, uid));
	}
	if (tasks != NULL)
		arrayspec_free(&set);
	free(v);
	*skip = found && !acted;
	return code;
}

/* scancel ID.N [--signal]: one step of a running job. */
static uint32_t
cancel_step_id(uint32_t id, uint32_t step, const struct cancel_req *r,
    uid_t uid)
{
	struct djob *dj = job_find(id);

	if (dj == NULL)
		return BERTH_EINVALID_JOB;
	if (!job_owner_or_admin(dj, uid))
		return BERTH_EACCESS;
	if (job_state_is_final(dj->j.state))
		return BERTH_EALREADY_DONE;
	if (dj->j.state != JOB_RUNNING)
		return BERTH_EPENDING;
	return step_cancel(dj, step, (int)r->signal, uid);
}

static void
result(struct msg *m, uint32_t *n, uint32_t id, uint32_t code)
{
	msg_put_u32(m, id);
	msg_put_u32(m, code);
	(*n)++;
}

/* A job's id as scancel -v names it: "12", "12_3", "12_[1-3%1]". */
static char *
display_id(const struct djob *dj)
{
	struct arrayspec a;
	char *s, *t;

	if (DJ_MORE(dj)->array_spec != NULL &&
	    arrayspec_parse(DJ_MORE(dj)->array_spec, UINT32_MAX, &a, NULL,
	    NULL) == 0) {
		s = arrayspec_display(&a);
		arrayspec_free(&a);
		if (DJ_MORE(dj)->array_max_running != 0)
			xasprintf(&t, "%u_[%s%%%u]", dj->j.array_job_id, s,
			    DJ_MORE(dj)->array_max_running);
		else
			xasprintf(&t, "%u_[%s]", dj->j.array_job_id, s);
		free(s);
		return t;
	}
	if (dj->j.array_job_id != 0 && dj->j.array_task_id != NO_VAL)
		xasprintf(&t, "%u_%u", dj->j.array_job_id,
		    dj->j.array_task_id);
	else
		xasprintf(&t, "%u", dj->j.id);
	return t;
}

void
rpc_cancel(struct client *c, struct msg *m)
{
	struct cancel_req r;
	struct djob *dj, *next, **sel = NULL;
	char **names = NULL;
	struct djob_list *lists[2] = { &D->pending, &D->running };
	struct msg out;
	uid_t *uids = NULL;
	size_t nuids, nsel = 0;
	uint32_t n = 0, code, id;
	uint8_t *p;

	if (proto_cancel_get(m, &r) == -1 || msg_end(m) == -1) {
		client_error(c, BERTH_EPROTO, NULL);
		return;
	}
	nuids = strv_len(r.users);
	uids = xcalloc(nuids + 1, sizeof *uids);
	for (size_t i = 0; i < nuids; i++) {
		if (user_parse(r.users[i], &uids[i]) == -1) {
			client_error(c, BERTH_EUSER, NULL);
			goto out;
		}
	}
	msg_init(&out);
	msg_put_u32(&out, 0);
	if (r.nids > 0) {
		for (uint32_t i = 0; i < r.nids; i++) {
			bool skip;

			if (r.steps != NULL && r.steps[i] != NO_VAL) {
				result(&out, &n, r.ids[i], cancel_step_id(
				    r.ids[i], r.steps[i], &r, c->uid));
				continue;
			}
			code = cancel_id(r.ids[i], r.tasks != NULL ?
			    r.tasks[i] : NULL, &r, c->uid, uids, nuids, &skip);
			if (!skip)
				result(&out, &n, r.ids[i], code);
		}
	} else {
		/*
		 * Select first: cancelling moves jobs between lists.  Every
		 * job the filters match is tried, someone else's too, which
		 * then answers Access/permission denied (real scancel 22.05:
		 * "scancel -t PENDING" by a user when root has a pending
		 * job, exit 210).
		 */
		sel = xcalloc((size_t)D->npending + D->nrunning + 1,
		    sizeof *sel);
		for (int l = 0; l < 2; l++) {
			for (dj = TAILQ_FIRST(lists[l]); dj != NULL;
			    dj = next) {
				next = TAILQ_NEXT(dj, entry);
				if (filtered_in(dj, &r, uids, nuids))
					sel[nsel++] = dj;
			}
		}
		/*
		 * Every job matched gets a result, then its name as scancel
		 * -v prints it ("Terminating job 12_[2-3%1]"), taken before
		 * the cancel changes the record.
		 */
		names = xcalloc(nsel + 1, sizeof *names);
		for (size_t i = 0; i < nsel; i++)
			names[i] = display_id(sel[i]);
		for (size_t i = 0; i < nsel; i++) {
			id = sel[i]->j.id;
			result(&out, &n, id, cancel_one(sel[i], &r, c->uid));
		}
		for (size_t i = 0; i < nsel; i++)
			msg_put_str(&out, names[i]);
		strv_free(names);
		free(sel);
	}
	p = (uint8_t *)out.b.data;
	p[0] = n;
	p[1] = n >> 8;
	p[2] = n >> 16;
	p[3] = n >> 24;
	client_reply(c, MSG_CANCEL_RESULT, &out);
	msg_free(&out);
out:
	free(uids);
	cancel_req_free(&r);
}
