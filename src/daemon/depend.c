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
 */
#include <stdlib.h>
#include <string.h>

#include "../common/log.h"
#include "../common/xmalloc.h"
#include "../sched/depend.h"
#include "daemon.h"

struct dep_ctx {
	const struct djob	*self;
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

static void
store_cb(void *arg, struct job *j)
{
	struct job *found = arg;

	if (found->id == 0)
		*found = *j;
	else
		job_free(j);
	free(j);
}

static int
lookup(void *arg, uint32_t id, uint32_t task, struct dep_job *out)
{
	struct djob *dj;
	struct job_filter f;
	struct job found;
	char *cause = NULL;

	(void)arg;
	if (task != DEP_TASK_NONE && task != DEP_TASK_ALL)
		return -1;	/* array tasks: not yet (arrays issue) */
	if ((dj = job_find(id)) != NULL) {
		fill(out, &dj->j);
		return 0;
	}
	memset(&f, 0, sizeof f);
	memset(&found, 0, sizeof found);
	f.ids = &id;
	f.nids = 1;
	if (store_jobs_query(D->store, &f, NULL, 0, store_cb, &found,
	    &cause) == -1) {
		log_warnx("dependency lookup of job %u: %s", id, cause);
		free(cause);
		return -1;
	}
	if (found.id != id) {
		job_free(&found);
		return -1;
	}
	fill(out, &found);
	job_free(&found);
	return 0;
}

/* Slurm's singleton: another job of the user with the name is running,
 * or pending with a lower id. */
static bool
singleton_busy(void *arg)
{
	const struct dep_ctx *ctx = arg;
	const struct job *me = &ctx->self->j;
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
	struct dep_ctx ctx = { dj };
	struct dep_query q;
	enum dep_result r;
	char *cause = NULL, *text;

	*wake = 0;
	if (dj->j.dependency == NULL)
		return WAIT_NO_REASON;
	if (dj->deps == NULL) {
		if (depend_parse(dj->j.dependency, &dj->deps, &cause) == -1) {
			log_warnx("job=%u: dependency '%s': %s; ignored",
			    dj->j.id, dj->j.dependency, cause);
			free(cause);
			job_set_str(&dj->j, &dj->j.dependency, NULL);
			return WAIT_NO_REASON;
		}
		if (dj->deps == NULL) {		/* "" or "0" */
			job_set_str(&dj->j, &dj->j.dependency, NULL);
			return WAIT_NO_REASON;
		}
	}
	memset(&q, 0, sizeof q);
	q.lookup = lookup;
	q.singleton_busy = singleton_busy;
	q.arg = &ctx;
	q.task_id = DEP_TASK_NONE;
	r = depend_eval(dj->deps, &q, now, wake);
	text = depend_format(dj->deps);
	if (text == NULL || dj->j.dependency == NULL ||
	    strcmp(text, dj->j.dependency) != 0)
		job_set_str(&dj->j, &dj->j.dependency, text);
	free(text);
	if (r == DEP_SATISFIED) {
		dep_list_free(dj->deps);
		dj->deps = NULL;
		job_set_str(&dj->j, &dj->j.dependency, NULL);
		if (dj->j.eligible_time == 0)
			dj->j.eligible_time = now;
		job_save(dj);
	}
	return depend_reason(r);
}

void
depend_forget(struct djob *dj)
{
	dep_list_free(dj->deps);
	dj->deps = NULL;
}
