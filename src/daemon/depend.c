/* SPDX-License-Identifier: MIT */
/*
 * Dependencies in the daemon: the policy (parsing, evaluation, the
 * strings squeue shows) is the pure module src/sched/depend.c; this file
 * answers its questions about other jobs from the job table (or, for jobs
 * already forgotten by memory, from the store) and keeps each pending
 * job's parsed list.
 *
 * The list is parsed from job.dependency (which holds the formatted
 * string, so it survives restarts) the first time a pass needs it.
 * Satisfied lists are dropped and the field cleared, as Slurm shows
 * "(null)" once dependencies are met; a list that can never be met stays
 * (squeue shows it with "(failed)") and the job pends with reason
 * DependencyNeverSatisfied.
 *
 * Arrays: a whole array is described from the store (every row whose
 * array_job_id is the array's id, in the open transaction, so it agrees
 * with memory), counting the tasks still pending inside the array record
 * (array_spec) as pending, or as failed once that record was cancelled.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/arrayspec.h"
#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../sched/depend.h"
#include "daemon.h"

/* Every stored row of job or array id (caller frees *v and its jobs). */
struct rows {
	struct job	*v;
	size_t		 n;
};

/*
 * One evaluation's context.  While the tasks of an array record are
 * evaluated one by one (depend_corr_tasks), the rows of the arrays looked
 * up are kept (cache), so each is read from the store once, not once per
 * task.
 */
struct dep_ctx {
	const struct djob	*self;
	bool			 caching;
	uint32_t		 ncache;
	uint32_t		 cache_id[4];
	struct rows		 cache[4];
};

static void
fill(struct dep_job *out, const struct job *j)
{
	memset(out, 0, sizeof *out);
	out->state = j->state;
	out->exit_status = j->exit_status;
	out->start_time = j->start_time;
	out->end_time = j->end_time;
}

/* The same from a job in memory. */
static void
fill_live(struct dep_job *out, const struct djob *dj)
{
	const struct job_end *e = DJ_END(dj);

	memset(out, 0, sizeof *out);
	out->state = dj->j.state;
	out->exit_status = e->exit_status;
	out->start_time = e->start_time;
	out->end_time = e->end_time;
}

static void
rows_cb(void *arg, struct job *j)
{
	struct rows *r = arg;

	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	r->v[r->n++] = *j;
	free(j);
}

static void
rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		job_free(&r->v[i]);
	free(r->v);
}

/* Tasks still pending inside an array record (its array_spec). */
static uint32_t
spec_count(const struct job *j)
{
	struct arrayspec a;
	uint64_t n;

	if (j->array_spec == NULL || arrayspec_parse(j->array_spec,
	    UINT32_MAX, &a, NULL, NULL) == -1)
		return 0;
	n = arrayspec_count(&a);
	arrayspec_free(&a);
	return (uint32_t)n;
}

static bool
spec_has(const struct job *j, uint32_t task)
{
	struct arrayspec a;
	bool has;

	if (j->array_spec == NULL || arrayspec_parse(j->array_spec,
	    UINT32_MAX, &a, NULL, NULL) == -1)
		return false;
	has = arrayspec_has(&a, task);
	arrayspec_free(&a);
	return has;
}

static void
whole_array(struct dep_job *out, const struct rows *r, uint32_t id)
{
	bool all_started = true, all_ended = true;

	memset(out, 0, sizeof *out);
	out->is_array = true;
	for (size_t i = 0; i < r->n; i++) {
		const struct job *j = &r->v[i];
		uint32_t k = spec_count(j);

		if (j->array_job_id != id)
			continue;
		if (k > 0 && j->state == JOB_PENDING) {
			out->n_pending += k;
			all_started = all_ended = false;
			continue;
		}
		if (k > 0) {
			out->n_failed += k;	/* cancelled while pending */
			continue;
		}
		if (j->state == JOB_PENDING) {
			out->n_pending++;
			all_started = all_ended = false;
		} else if (j->state == JOB_RUNNING ||
		    j->state == JOB_SUSPENDED) {
			out->n_running++;
			all_ended = false;
		} else if (j->state == JOB_COMPLETE && j->exit_status == 0)
			out->n_ok++;
		else
			out->n_failed++;
		if (j->start_time > out->start_time)
			out->start_time = j->start_time;
		if (j->end_time > out->end_time)
			out->end_time = j->end_time;
	}
	if (!all_started)
		out->start_time = 0;
	if (!all_ended)
		out->end_time = 0;
}

static int
lookup(void *arg, uint32_t id, uint32_t task, struct dep_job *out)
{
	struct djob *dj;
	struct job_filter f;
	struct rows r = { NULL, 0 };
	char *cause = NULL;
	bool array = false;
	int rc = -1;

	struct dep_ctx *ctx = arg;
	bool cached = false;

	/* A plain job or a task named by its own id: from memory. */
	dj = job_find(id);
	if (dj != NULL && dj->j.array_job_id != id &&
	    (task == DEP_TASK_NONE || task == DEP_TASK_ALL)) {
		fill_live(out, dj);
		return 0;
	}
	for (uint32_t i = 0; ctx->caching && i < ctx->ncache; i++) {
		if (ctx->cache_id[i] == id) {
			r = ctx->cache[i];
			cached = true;
		}
	}
	memset(&f, 0, sizeof f);
	f.ids = &id;
	f.nids = 1;
	if (!cached && store_jobs_query(D->store, &f, NULL, 0, rows_cb, &r,
	    &cause) == -1) {
		log_warnx("dependency lookup of job %u: %s", id, cause);
		free(cause);
		rows_free(&r);
		return -1;
	}
	if (!cached && ctx->caching && ctx->ncache < nitems(ctx->cache)) {
		ctx->cache_id[ctx->ncache] = id;
		ctx->cache[ctx->ncache++] = r;
		cached = true;
	}
	for (size_t i = 0; i < r.n; i++)
		array |= r.v[i].array_job_id == id;
	if (task == DEP_TASK_NONE || task == DEP_TASK_ALL) {
		if (array) {
			whole_array(out, &r, id);
			rc = 0;
		}
		for (size_t i = 0; i < r.n && !array; i++) {
			if (r.v[i].id == id) {
				fill(out, &r.v[i]);
				rc = 0;
			}
		}
		goto out;
	}
	for (size_t i = 0; i < r.n; i++) {
		const struct job *j = &r.v[i];

		if (j->array_job_id != id)
			continue;
		if (j->array_spec == NULL && j->array_task_id == task) {
			fill(out, j);
			rc = 0;
			break;
		}
		if (spec_has(j, task)) {
			fill(out, j);	/* pending in the record, or */
			if (j->state != JOB_PENDING)	/* cancelled there */
				out->start_time = 0;
			rc = 0;
			break;
		}
	}
out:
	if (!cached)
		rows_free(&r);
	return rc;
}

/* Slurm's singleton: another job of the user with the name is running,
 * or pending with a lower id. */
static bool
singleton_busy(void *arg)
{
	const struct dep_ctx *ctx = arg;
	const struct job_head *me = &ctx->self->j;
	struct djob *dj;

	TAILQ_FOREACH(dj, &D->running, entry)
		if (dj->j.uid == me->uid && dj->j.name != NULL &&
		    me->name != NULL && strcmp(dj->j.name, me->name) == 0)
			return true;
	TAILQ_FOREACH(dj, &D->pending, entry)
		if (dj != ctx->self && dj->j.id < me->id &&
		    dj->j.uid == me->uid && dj->j.name != NULL &&
		    me->name != NULL && strcmp(dj->j.name, me->name) == 0)
			return true;
	return false;
}

/*
 * slurmctld's _scan_depend: do the jobs this list names, or the jobs
 * their own dependencies name (up to max_depend_depth, 10, levels), lead
 * back to self (a job id, or an array's id)?  Only pending jobs still
 * wait on anything; a pending array record stands for its tasks.
 */
static bool
scan_depend(const struct dep_list *l, uint32_t self, uint32_t self_array,
    int depth)
{
	struct djob *dj;
	struct dep_list *sub;
	char *cause;
	bool found;

	if (l == NULL || depth >= 10)
		return false;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t id = l->items[i].job_id;

		if (l->items[i].type == DEP_SINGLETON)
			continue;
		if (id == self || (self_array != 0 && id == self_array))
			return true;
		TAILQ_FOREACH(dj, &D->pending, entry) {
			if ((dj->j.id != id && dj->j.array_job_id != id) ||
			    DJ_MORE(dj)->dependency == NULL)
				continue;
			sub = NULL;
			cause = NULL;
			if (depend_parse(DJ_MORE(dj)->dependency, &sub,
			    &cause) == -1) {
				free(cause);
				continue;
			}
			found = scan_depend(sub, self, self_array, depth + 1);
			dep_list_free(sub);
			if (found)
				return true;
		}
	}
	return false;
}

bool
depend_circular(const char *spec, uint32_t self_id, uint32_t self_array)
{
	struct dep_list *l = NULL;
	char *cause = NULL;
	bool found;

	if (depend_parse(spec, &l, &cause) == -1) {
		free(cause);
		return false;
	}
	found = scan_depend(l, self_id, self_array, 0);
	dep_list_free(l);
	return found;
}

int
depend_check_spec(const char *spec, uint32_t self_id, char **cause)
{
	struct dep_list *l = NULL;
	int rc;

	if (depend_parse(spec, &l, cause) == -1)
		return -1;
	rc = l != NULL && depend_refers_to(l, self_id) ? -1 : 0;
	if (rc == -1)
		*cause = xstrdup("Job dependency problem");
	dep_list_free(l);
	return rc;
}

uint32_t
depend_update(struct djob *dj, int64_t now, int64_t *wake)
{
	struct dep_ctx ctx = { .self = dj };
	struct dep_query q;
	struct dep_list *l;
	enum dep_result r;
	char *cause = NULL, *text;
	bool held;

	*wake = 0;
	if (DJ_MORE(dj)->dependency == NULL)
		return WAIT_NO_REASON;
	held = (dj->j.flags & (JOB_F_HOLD_USER | JOB_F_HOLD_ADMIN)) != 0;
	memset(&q, 0, sizeof q);
	q.lookup = lookup;
	q.singleton_busy = singleton_busy;
	q.arg = &ctx;
	/* aftercorr is decided per task: a task split off its array asks
	 * for its own index; an array record holding pending tasks waits
	 * until they are split off (depend_corr_tasks). */
	q.task_id = DJ_MORE(dj)->array_spec != NULL ? DEP_TASK_ALL :
	    dj->j.array_task_id != NO_VAL ? dj->j.array_task_id :
	    DEP_TASK_NONE;
	if (DJ_RT(dj)->deps == NULL) {
		if (depend_parse(DJ_MORE(dj)->dependency, &djob_rt(dj)->deps,
		    &cause) == -1) {
			log_warnx("job=%u: dependency '%s': %s; ignored",
			    dj->j.id, DJ_MORE(dj)->dependency, cause);
			free(cause);
			job_set_str(&dj->j, &job_more(&dj->j)->dependency,
			    NULL);
			return WAIT_NO_REASON;
		}
		if (dj->run->deps == NULL) {	/* "" or "0" */
			job_set_str(&dj->j, &job_more(&dj->j)->dependency,
			    NULL);
			return WAIT_NO_REASON;
		}
		/*
		 * A held job's list is evaluated on a copy (below), which
		 * would keep an id no job has until the release, and a job
		 * submitted meanwhile with that id would be waited for.
		 * Slurm lifts such items in its next pass over the held job;
		 * here at once, when the list is read (submission, update,
		 * restart: a job known then stays known, the store keeps it).
		 */
		if (held && depend_lift_gone(dj->run->deps, &q) ==
		    DEP_SATISFIED) {
			dep_list_free(dj->run->deps);
			dj->run->deps = NULL;
			job_set_str(&dj->j, &job_more(&dj->j)->dependency,
			    NULL);
			job_save(dj);
			return WAIT_NO_REASON;
		}
	}
	/*
	 * A held job's dependency is looked at, not used up: what is met
	 * now (a singleton, a job that may be requeued) is decided again at
	 * the release, so it is evaluated on a copy.  Only an item that can
	 * never be met shows, "(failed)", and may cancel the job; the rest
	 * show as slurmctld writes them at submission, "(unfulfilled)" (the
	 * list itself is never SATISFIED: that frees it, below).
	 */
	l = held ? depend_copy(dj->run->deps) : dj->run->deps;
	r = depend_eval(l, &q, now, wake);
	text = depend_format(held && r != DEP_NEVER ? dj->run->deps : l);
	if (held)
		dep_list_free(l);
	if (text == NULL || DJ_MORE(dj)->dependency == NULL ||
	    strcmp(text, DJ_MORE(dj)->dependency) != 0)
		job_set_str(&dj->j, &job_more(&dj->j)->dependency, text);
	free(text);
	if (r == DEP_SATISFIED && !held) {
		dep_list_free(dj->run->deps);
		dj->run->deps = NULL;
		job_set_str(&dj->j, &job_more(&dj->j)->dependency, NULL);
		/* Eligible from now, or from its begin time. */
		if (dj->j.eligible_time == 0)
			dj->j.eligible_time = dj->j.begin_time > now ?
			    dj->j.begin_time : now;
		job_save(dj);
	}
	return depend_reason(r);
}

int
depend_corr_tasks(struct djob *dj, int64_t now, struct arrayspec *decided)
{
	struct dep_ctx ctx = { .self = dj, .caching = true };
	struct dep_query q;
	struct dep_list *c;
	struct arrayspec a;
	enum dep_result r;
	uint64_t left;
	uint32_t t;
	int n = 0;

	memset(decided, 0, sizeof *decided);
	if (DJ_RT(dj)->deps == NULL || !depend_has_corr(dj->run->deps) ||
	    DJ_MORE(dj)->array_spec == NULL ||
	    arrayspec_parse(DJ_MORE(dj)->array_spec, UINT32_MAX, &a, NULL,
	    NULL) == -1)
		return 0;
	memset(&q, 0, sizeof q);
	q.lookup = lookup;
	q.singleton_busy = singleton_busy;
	q.arg = &ctx;
	left = arrayspec_count(&a);
	while (left-- > 0) {
		t = arrayspec_take(&a);
		c = depend_copy(dj->run->deps);
		q.task_id = t;
		r = depend_eval(c, &q, now, NULL);
		dep_list_free(c);
		if (r != DEP_WAIT) {
			arrayspec_append(decided, t);
			n++;
		}
	}
	arrayspec_free(&a);
	for (uint32_t i = 0; i < ctx.ncache; i++)
		rows_free(&ctx.cache[i]);
	return n;
}

void
depend_forget(struct djob *dj)
{
	if (dj->run == NULL)
		return;
	dep_list_free(dj->run->deps);
	dj->run->deps = NULL;
}
