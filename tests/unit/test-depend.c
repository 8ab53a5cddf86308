// links: sched/depend.c
/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for job dependencies (src/sched/depend.c): the parse matrix
 * (02_sbatch_errors: garbage:1 rejected, afterok:999999 accepted), the
 * strings squeue %E shows (13_sbatch_dependency, 30_squeue), and
 * evaluation of every type over synthetic jobs, for ',' and '?' lists,
 * unknown jobs, singleton, arrays, aftercorr and +M delays at a given now.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/job.h"
#include "sched/depend.h"
#include "t.h"

#define T0	1000000

/* A fake job table answering the lookup callback. */
struct fake {
	uint32_t	 job_id;
	uint32_t	 task_id;	/* DEP_TASK_NONE: answers NONE and ALL */
	struct dep_job	 j;
};

struct world {
	struct fake	 f[32];
	size_t		 n;
	bool		 busy;
	unsigned	 lookups;
};

static int
w_lookup(void *arg, uint32_t job_id, uint32_t task_id, struct dep_job *out)
{
	struct world	*w = arg;
	size_t		 i;
	uint32_t	 want;

	w->lookups++;
	want = task_id == DEP_TASK_ALL ? DEP_TASK_NONE : task_id;
	for (i = 0; i < w->n; i++) {
		if (w->f[i].job_id == job_id && w->f[i].task_id == want) {
			*out = w->f[i].j;
			return 0;
		}
	}
	return -1;
}

static bool
w_busy(void *arg)
{
	struct world	*w = arg;

	return w->busy;
}

static struct dep_job *
w_job(struct world *w, uint32_t id, uint32_t task, uint32_t state)
{
	struct fake	*f;
	size_t		 i;

	for (i = 0; i < w->n; i++) {
		if (w->f[i].job_id == id && w->f[i].task_id == task)
			break;
	}
	if (i == w->n) {
		if (w->n == sizeof w->f / sizeof w->f[0])
			abort();
		w->n++;
	}
	f = &w->f[i];
	memset(f, 0, sizeof *f);
	f->job_id = id;
	f->task_id = task;
	f->j.state = state;
	if (state != JOB_PENDING)
		f->j.start_time = T0;
	if (job_state_is_final(state))
		f->j.end_time = T0 + 100;
	if (state == JOB_FAILED)
		f->j.exit_status = 1 << 8;
	return &f->j;
}

static struct dep_job *
w_array(struct world *w, uint32_t id, uint32_t pend, uint32_t run,
    uint32_t okc, uint32_t fail)
{
	struct dep_job	*j = w_job(w, id, DEP_TASK_NONE, JOB_PENDING);

	j->is_array = true;
	j->n_pending = pend;
	j->n_running = run;
	j->n_ok = okc;
	j->n_failed = fail;
	j->start_time = pend == 0 ? T0 : 0;
	j->end_time = pend == 0 && run == 0 ? T0 + 100 : 0;
	return j;
}

static struct dep_query
w_query(struct world *w, uint32_t task_id)
{
	struct dep_query	q;

	memset(&q, 0, sizeof q);
	q.lookup = w_lookup;
	q.singleton_busy = w_busy;
	q.arg = w;
	q.task_id = task_id;
	return q;
}

static struct dep_list *
parse_ok(const char *spec)
{
	struct dep_list	*l = NULL;
	char		*cause = NULL;
	int		 rc;

	rc = depend_parse(spec, &l, &cause);
	ok(rc == 0 && l != NULL, "parse '%s'", spec);
	if (cause != NULL) {
		printf("#   cause: %s\n", cause);
		free(cause);
	}
	return l;
}

/* Parse spec and compare the display string. */
static void
fmt_is(const char *spec, const char *want)
{
	struct dep_list	*l = NULL;
	char		*cause = NULL, *s;

	if (depend_parse(spec, &l, &cause) != 0) {
		ok(0, "format '%s' (parse failed: %s)", spec, cause);
		free(cause);
		return;
	}
	s = depend_format(l);
	is_str(s, want, "format '%s'", spec);
	free(s);
	dep_list_free(l);
}

static void
parse_bad(const char *spec)
{
	struct dep_list	*l = (struct dep_list *)&l;
	char		*cause = NULL;
	int		 rc;

	rc = depend_parse(spec, &l, &cause);
	ok(rc == -1 && l == NULL && cause != NULL &&
	    strcmp(cause, "Job dependency problem") == 0,
	    "reject '%s' (rc %d, cause %s)", spec, rc, cause ? cause : "-");
	free(cause);
}

/* Evaluate and check result and display. */
static void
eval_is(struct dep_list *l, struct world *w, uint32_t task, int64_t now,
    enum dep_result want, const char *want_fmt, const char *what)
{
	struct dep_query	q = w_query(w, task);
	enum dep_result		r;
	char			*s;

	r = depend_eval(l, &q, now, NULL);
	is_int(r, want, "%s: result", what);
	s = depend_format(l);
	is_str(s, want_fmt, "%s: display", what);
	free(s);
}

static void
test_parse_ok(void)
{
	struct dep_list	*l;
	char		*cause = NULL;

	/* Recorded in 13_sbatch_dependency and 30_squeue. */
	fmt_is("afterok:11908", "afterok:11908(unfulfilled)");
	fmt_is("afternotok:11910", "afternotok:11910(unfulfilled)");
	fmt_is("afterany:11910", "afterany:11910(unfulfilled)");
	fmt_is("singleton", "singleton(unfulfilled)");
	fmt_is("afterok:11908:11910,afterany:11915",
	    "afterok:11908(unfulfilled),afterok:11910(unfulfilled),"
	    "afterany:11915(unfulfilled)");
	fmt_is("afterok:11908?afterok:11910",
	    "afterok:11908(unfulfilled)?afterok:11910(unfulfilled)");

	/* Other types, case, delays, arrays. */
	fmt_is("after:123", "after:123(unfulfilled)");
	fmt_is("AfterOK:5", "afterok:5(unfulfilled)");
	fmt_is("SINGLETON", "singleton(unfulfilled)");
	fmt_is("afterburstbuffer:5", "afterburstbuffer:5(unfulfilled)");
	fmt_is("aftercorr:7", "aftercorr:7(unfulfilled)");
	fmt_is("after:123+5", "after:123+5(unfulfilled)");
	fmt_is("afterany:12+1:13", "afterany:12+1(unfulfilled),"
	    "afterany:13(unfulfilled)");
	fmt_is("afterany:7_*", "afterany:7_*(unfulfilled)");
	fmt_is("afterok:7_3", "afterok:7_3(unfulfilled)");
	fmt_is("afterok:7_[1,3-4]", "afterok:7_1(unfulfilled),"
	    "afterok:7_3(unfulfilled),afterok:7_4(unfulfilled)");
	fmt_is("afterok:7_[4,1-2,2]", "afterok:7_1(unfulfilled),"
	    "afterok:7_2(unfulfilled),afterok:7_4(unfulfilled)");
	fmt_is("afterok:7_[0-1]+2", "afterok:7_0+2(unfulfilled),"
	    "afterok:7_1+2(unfulfilled)");
	fmt_is("afterok:007", "afterok:7(unfulfilled)");

	/* Old form: bare ids mean afterany. */
	fmt_is("123", "afterany:123(unfulfilled)");
	fmt_is("123,456_2", "afterany:123(unfulfilled),"
	    "afterany:456_2(unfulfilled)");
	fmt_is("afterok:6,5", "afterok:6(unfulfilled),"
	    "afterany:5(unfulfilled)");
	fmt_is("afterok:1?2", "afterok:1(unfulfilled)?"
	    "afterany:2(unfulfilled)");

	/* Duplicates collapse; distinct types do not. */
	fmt_is("afterok:1:1,afterok:1", "afterok:1(unfulfilled)");
	fmt_is("afterok:1,afterany:1", "afterok:1(unfulfilled),"
	    "afterany:1(unfulfilled)");
	fmt_is("singleton,singleton", "singleton(unfulfilled)");
	fmt_is("afternotok:1?singleton", "afternotok:1(unfulfilled)?"
	    "singleton(unfulfilled)");

	/* What scontrol printed parses back, (failed) kept. */
	fmt_is("afterok:11908(unfulfilled),afterok:11910(failed),"
	    "afterany:11915(unfulfilled)",
	    "afterok:11908(unfulfilled),afterok:11910(failed),"
	    "afterany:11915(unfulfilled)");
	fmt_is("after:5+10(unfulfilled)?afterany:7_*(failed)",
	    "after:5+10(unfulfilled)?afterany:7_*(failed)");
	fmt_is("afterok:5(fulfilled)", "afterok:5(unfulfilled)");
	fmt_is("singleton(FAILED)", "singleton(failed)");

	/* Unknown job ids are accepted (02_sbatch_errors). */
	l = parse_ok("afterok:999999");
	is_int(l->n, 1, "afterok:999999: one item");
	is_int(l->items[0].type, DEP_AFTEROK, "afterok:999999: type");
	is_int(l->items[0].job_id, 999999, "afterok:999999: job id");
	is_int(l->items[0].task_id, DEP_TASK_NONE, "afterok:999999: no task");
	dep_list_free(l);

	l = parse_ok("after:1+5?afterok:2_3");
	ok(l->any, "'?' list is any");
	is_int(l->items[0].delay, 300, "+5 is 300 s");
	is_int(l->items[1].task_id, 3, "task 3");
	dep_list_free(l);

	l = parse_ok("afterok:1,afterok:2");
	ok(!l->any, "',' list is all");
	dep_list_free(l);

	/* No dependency. */
	l = (struct dep_list *)&l;
	is_int(depend_parse("", &l, &cause), 0, "'' parses");
	ok(l == NULL, "'' is no dependency");
	l = (struct dep_list *)&l;
	is_int(depend_parse("0", &l, &cause), 0, "'0' parses");
	ok(l == NULL, "'0' is no dependency");
	is_int(depend_parse(NULL, &l, &cause), 0, "NULL parses");
	ok(l == NULL && cause == NULL, "NULL is no dependency");
	ok(depend_format(NULL) == NULL, "format NULL list");
}

static void
test_parse_bad(void)
{
	parse_bad("garbage:1");		/* 02_sbatch_errors */
	parse_bad("garbage");
	parse_bad("afterok");
	parse_bad("afterok:");
	parse_bad("afterok::5");
	parse_bad("afterok:5:");
	parse_bad("afterok:0");
	parse_bad("afterok:abc");
	parse_bad("afterok:-5");
	parse_bad("afterok: 5");
	parse_bad("after :5");
	parse_bad("afterok:5x");
	parse_bad("afterok:4294967296");
	parse_bad("afterok:4294967294");
	parse_bad("afterok:5,");
	parse_bad("afterok:5?");
	parse_bad(",afterok:5");
	parse_bad("afterok:5,,afterok:6");
	parse_bad("afterokay:5");
	parse_bad("expand:5");
	/* +time */
	parse_bad("afterok:5+0");
	parse_bad("afterok:5+");
	parse_bad("afterok:5+-1");
	parse_bad("afterok:5+abc");
	parse_bad("afterok:5+3x");
	parse_bad("after:5+99999999999");
	parse_bad("after:5+35791395");
	/* mixed separators */
	parse_bad("afterok:1,afterok:2?afterok:3");
	parse_bad("afterok:1?afterok:2,afterok:3");
	parse_bad("singleton?afterok:1,afterok:2");
	/* old form */
	parse_bad("5,afterok:6");
	parse_bad("123?456");
	parse_bad("123:456");
	parse_bad("123+5");
	parse_bad("0,5");
	/* singleton */
	parse_bad("singletonx");
	parse_bad("singleton+5");
	parse_bad("singleton:5");
	/* arrays and states */
	parse_bad("afterok:5_");
	parse_bad("afterok:5_x");
	parse_bad("afterok:5_[]");
	parse_bad("afterok:5_[3-1]");
	parse_bad("afterok:5_[1");
	parse_bad("afterok:5_[1-]");
	parse_bad("afterok:5_[1;2]");
	parse_bad("afterok:5_[0-20000]");
	parse_bad("afterok:5_4294967294");
	parse_bad("afterok:5(failed");
	parse_bad("afterok:5(fa(iled)");
	parse_bad("123_[1-2]");
}

static void
test_eval_types(void)
{
	struct world	 w = { .n = 0 };
	struct dep_list	*l;

	/* afterok */
	l = parse_ok("afterok:10");
	w_job(&w, 10, DEP_TASK_NONE, JOB_PENDING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:10(unfulfilled)", "afterok, pending");
	w_job(&w, 10, DEP_TASK_NONE, JOB_RUNNING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:10(unfulfilled)", "afterok, running");
	w_job(&w, 10, DEP_TASK_NONE, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterok, completed");
	dep_list_free(l);

	{
		static const uint32_t bad[] = { JOB_FAILED, JOB_CANCELLED,
		    JOB_TIMEOUT, JOB_NODE_FAIL, JOB_OOM, JOB_PREEMPTED,
		    JOB_BOOT_FAIL, JOB_DEADLINE };
		size_t	i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			l = parse_ok("afterok:10");
			w_job(&w, 10, DEP_TASK_NONE, bad[i]);
			eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
			    "afterok:10(failed)", job_state_name(bad[i]));
			dep_list_free(l);

			l = parse_ok("afternotok:10");
			eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
			    job_state_name(bad[i]));
			dep_list_free(l);

			l = parse_ok("afterany:10");
			eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
			    job_state_name(bad[i]));
			dep_list_free(l);
		}
	}

	/* COMPLETED with a non-zero status is not ok. */
	l = parse_ok("afterok:10");
	w_job(&w, 10, DEP_TASK_NONE, JOB_COMPLETE)->exit_status = 2 << 8;
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER, "afterok:10(failed)",
	    "afterok, completed with exit 2");
	dep_list_free(l);

	/* afternotok */
	l = parse_ok("afternotok:11");
	w_job(&w, 11, DEP_TASK_NONE, JOB_RUNNING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afternotok:11(unfulfilled)", "afternotok, running");
	w_job(&w, 11, DEP_TASK_NONE, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
	    "afternotok:11(failed)", "afternotok, completed");
	dep_list_free(l);

	/* afterany and afterburstbuffer */
	l = parse_ok("afterany:12");
	w_job(&w, 12, DEP_TASK_NONE, JOB_SUSPENDED);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterany:12(unfulfilled)", "afterany, suspended");
	w_job(&w, 12, DEP_TASK_NONE, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterany, completed");
	dep_list_free(l);
	l = parse_ok("afterburstbuffer:12");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterburstbuffer, completed");
	dep_list_free(l);
	l = parse_ok("afterburstbuffer:13");
	w_job(&w, 13, DEP_TASK_NONE, JOB_RUNNING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterburstbuffer:13(unfulfilled)", "afterburstbuffer, running");
	dep_list_free(l);

	/* after */
	l = parse_ok("after:14");
	w_job(&w, 14, DEP_TASK_NONE, JOB_PENDING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "after:14(unfulfilled)",
	    "after, pending");
	w_job(&w, 14, DEP_TASK_NONE, JOB_RUNNING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "after, running");
	/* sticky: a requeue does not undo it */
	w_job(&w, 14, DEP_TASK_NONE, JOB_PENDING);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "after, satisfied stays satisfied");
	dep_list_free(l);
	l = parse_ok("after:15");
	w_job(&w, 15, DEP_TASK_NONE, JOB_CANCELLED)->start_time = 0;
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "after, cancelled while pending");
	dep_list_free(l);
	l = parse_ok("after:16");
	w_job(&w, 16, DEP_TASK_NONE, JOB_FAILED);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "after, failed");
	dep_list_free(l);

	/* An id no job has (02_sbatch_errors: shown as (null)). */
	l = parse_ok("afterok:999999");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterok on unknown job");
	dep_list_free(l);
	l = parse_ok("afternotok:999999:10?afterok:999998");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "'?' with an unknown job");
	dep_list_free(l);
	l = parse_ok("afterok:999999,afterany:13");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterany:13(unfulfilled)", "',' drops the unknown job");
	dep_list_free(l);

	/* No lookup callback at all: nothing is known. */
	{
		struct dep_query	q;

		memset(&q, 0, sizeof q);
		l = parse_ok("afterok:1,singleton");
		is_int(depend_eval(l, &q, T0, NULL), DEP_SATISFIED,
		    "no callbacks: satisfied");
		dep_list_free(l);
	}

	/* No query at all. */
	l = parse_ok("afterok:10");
	is_int(depend_eval(l, NULL, T0, NULL), DEP_SATISFIED,
	    "NULL query: satisfied");
	dep_list_free(l);

	/* NULL and empty lists */
	{
		struct dep_query	q = w_query(&w, DEP_TASK_NONE);
		int64_t			wake = 5;

		is_int(depend_eval(NULL, &q, T0, &wake), DEP_SATISFIED,
		    "NULL list is satisfied");
		is_int(wake, 0, "NULL list: no wake");
	}
}

static void
test_eval_lists(void)
{
	struct world	 w = { .n = 0 };
	struct dep_list	*l, *m, *o;
	unsigned	 n;

	/* 13_sbatch_dependency: multi, after 11910 failed. */
	w_job(&w, 11908, DEP_TASK_NONE, JOB_RUNNING);
	w_job(&w, 11910, DEP_TASK_NONE, JOB_RUNNING);
	w_job(&w, 11915, DEP_TASK_NONE, JOB_RUNNING);
	l = parse_ok("afterok:11908:11910,afterany:11915");
	o = parse_ok("afterok:11908?afterok:11910");
	m = parse_ok("afterok:11910");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:11908(unfulfilled),afterok:11910(unfulfilled),"
	    "afterany:11915(unfulfilled)", "multi, all running");
	eval_is(o, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:11908(unfulfilled)?afterok:11910(unfulfilled)",
	    "anyof, all running");
	w_job(&w, 11910, DEP_TASK_NONE, JOB_FAILED);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
	    "afterok:11908(unfulfilled),afterok:11910(failed),"
	    "afterany:11915(unfulfilled)", "multi, 11910 failed");
	eval_is(o, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:11908(unfulfilled)?afterok:11910(failed)",
	    "anyof, 11910 failed");
	eval_is(m, &w, DEP_TASK_NONE, T0, DEP_NEVER, "afterok:11910(failed)",
	    "depD, 11910 failed");
	is_int(depend_reason(m->result), WAIT_DEP_INVALID,
	    "never: DependencyNeverSatisfied");
	/* 11908 and 11915 complete later: the display stays as it was. */
	w_job(&w, 11908, DEP_TASK_NONE, JOB_COMPLETE);
	w_job(&w, 11915, DEP_TASK_NONE, JOB_COMPLETE);
	n = w.lookups;
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
	    "afterok:11908(unfulfilled),afterok:11910(failed),"
	    "afterany:11915(unfulfilled)", "multi, frozen once never");
	is_int(w.lookups, n, "never: no more lookups");
	eval_is(o, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "anyof, 11908 completed");
	is_int(depend_reason(o->result), WAIT_NO_REASON, "satisfied: None");
	dep_list_free(l);
	dep_list_free(m);
	dep_list_free(o);

	/* ',' list: fulfilled items leave the display. */
	w_job(&w, 1, DEP_TASK_NONE, JOB_COMPLETE);
	w_job(&w, 2, DEP_TASK_NONE, JOB_RUNNING);
	w_job(&w, 3, DEP_TASK_NONE, JOB_PENDING);
	l = parse_ok("afterok:1:2,afterany:3");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:2(unfulfilled),afterany:3(unfulfilled)",
	    "',' partly fulfilled");
	is_int(depend_reason(l->result), WAIT_DEPENDENCY, "wait: Dependency");
	w_job(&w, 2, DEP_TASK_NONE, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterany:3(unfulfilled)",
	    "',' one left");
	w_job(&w, 3, DEP_TASK_NONE, JOB_CANCELLED);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "',' all fulfilled");
	dep_list_free(l);

	/* '?' list: never only when every item failed. */
	w_job(&w, 4, DEP_TASK_NONE, JOB_FAILED);
	w_job(&w, 5, DEP_TASK_NONE, JOB_RUNNING);
	l = parse_ok("afterok:4?afternotok:5");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT,
	    "afterok:4(failed)?afternotok:5(unfulfilled)", "'?' one failed");
	w_job(&w, 5, DEP_TASK_NONE, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
	    "afterok:4(failed)?afternotok:5(failed)", "'?' all failed");
	dep_list_free(l);

	/* A failed item parsed back keeps the list never. */
	l = parse_ok("afterok:11908(unfulfilled),afterok:11910(failed)");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER,
	    "afterok:11910(failed)", "reparsed failed item");
	dep_list_free(l);
	l = parse_ok("afterany:5(failed)?afterok:11908");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "reparsed '?' list with a failed item");
	dep_list_free(l);
}

static void
test_singleton(void)
{
	struct world		 w = { .n = 0 };
	struct dep_list		*l;
	struct dep_query	 q;

	l = parse_ok("singleton");
	w.busy = true;
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "singleton(unfulfilled)",
	    "singleton, earlier job busy");
	w.busy = false;
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "singleton, free");
	dep_list_free(l);

	l = parse_ok("singleton");
	q = w_query(&w, DEP_TASK_NONE);
	q.singleton_busy = NULL;
	is_int(depend_eval(l, &q, T0, NULL), DEP_SATISFIED,
	    "singleton without callback");
	dep_list_free(l);

	w.busy = true;
	w_job(&w, 20, DEP_TASK_NONE, JOB_COMPLETE);
	l = parse_ok("singleton,afterok:20");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "singleton(unfulfilled)",
	    "singleton with afterok");
	dep_list_free(l);
	l = parse_ok("singleton?afterok:20");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "singleton or afterok");
	dep_list_free(l);
}

static void
test_delay(void)
{
	struct world		 w = { .n = 0 };
	struct dep_list		*l;
	struct dep_query	 q = w_query(&w, DEP_TASK_NONE);
	int64_t			 wake;

	/* after:30+5: five minutes after 30 started (at T0). */
	l = parse_ok("after:30+5");
	w_job(&w, 30, DEP_TASK_NONE, JOB_PENDING);
	is_int(depend_eval(l, &q, T0 + 60, &wake), DEP_WAIT,
	    "after+5, pending");
	is_int(wake, 0, "after+5, pending: no wake yet");
	w_job(&w, 30, DEP_TASK_NONE, JOB_RUNNING);
	is_int(depend_eval(l, &q, T0 + 60, &wake), DEP_WAIT,
	    "after+5, running 1 min");
	is_int(wake, T0 + 300, "after+5: wake at start + 300");
	{
		char	*s = depend_format(l);

		is_str(s, "after:30+5(unfulfilled)", "after+5 display");
		free(s);
	}
	is_int(depend_eval(l, &q, T0 + 299, &wake), DEP_WAIT,
	    "after+5, 1 s early");
	is_int(depend_eval(l, &q, T0 + 300, &wake), DEP_SATISFIED,
	    "after+5, on time");
	is_int(wake, 0, "satisfied: no wake");
	dep_list_free(l);

	/* after+M on a job cancelled before it started: from its end. */
	l = parse_ok("after:31+1");
	w_job(&w, 31, DEP_TASK_NONE, JOB_CANCELLED)->start_time = 0;
	is_int(depend_eval(l, &q, T0 + 100, &wake), DEP_WAIT,
	    "after+1, cancelled while pending");
	is_int(wake, T0 + 160, "after+1: from the cancel time");
	dep_list_free(l);

	/* afterany/afterok/afternotok +M: from the end (T0 + 100). */
	l = parse_ok("afterany:32+2");
	w_job(&w, 32, DEP_TASK_NONE, JOB_RUNNING);
	is_int(depend_eval(l, &q, T0 + 500, &wake), DEP_WAIT,
	    "afterany+2, running");
	is_int(wake, 0, "afterany+2, running: no wake");
	w_job(&w, 32, DEP_TASK_NONE, JOB_FAILED);
	is_int(depend_eval(l, &q, T0 + 100 + 119, &wake), DEP_WAIT,
	    "afterany+2, ended 119 s ago");
	is_int(wake, T0 + 100 + 120, "afterany+2: wake at end + 120");
	is_int(depend_eval(l, &q, T0 + 100 + 120, &wake), DEP_SATISFIED,
	    "afterany+2, ended 120 s ago");
	dep_list_free(l);

	l = parse_ok("afterok:33+2");
	w_job(&w, 33, DEP_TASK_NONE, JOB_FAILED);
	is_int(depend_eval(l, &q, T0 + 100, &wake), DEP_NEVER,
	    "afterok+2, failed: never at once");
	dep_list_free(l);
	l = parse_ok("afterok:34+2");
	w_job(&w, 34, DEP_TASK_NONE, JOB_COMPLETE);
	is_int(depend_eval(l, &q, T0 + 100, &wake), DEP_WAIT,
	    "afterok+2, just completed");
	is_int(depend_eval(l, &q, T0 + 220, &wake), DEP_SATISFIED,
	    "afterok+2, two minutes later");
	dep_list_free(l);
	l = parse_ok("afternotok:35+1");
	w_job(&w, 35, DEP_TASK_NONE, JOB_TIMEOUT);
	is_int(depend_eval(l, &q, T0 + 159, &wake), DEP_WAIT,
	    "afternotok+1, timed out 59 s ago");
	is_int(depend_eval(l, &q, T0 + 160, &wake), DEP_SATISFIED,
	    "afternotok+1, a minute later");
	dep_list_free(l);

	/* The earliest wake of several. */
	w_job(&w, 36, DEP_TASK_NONE, JOB_RUNNING);
	w_job(&w, 37, DEP_TASK_NONE, JOB_RUNNING);
	l = parse_ok("after:36+10,after:37+3");
	is_int(depend_eval(l, &q, T0 + 1, &wake), DEP_WAIT, "two delays");
	is_int(wake, T0 + 180, "two delays: the earlier wake");
	dep_list_free(l);
}

static void
test_arrays(void)
{
	struct world	 w = { .n = 0 };
	struct dep_list	*l;

	/* A plain id naming an array means the whole array, shown N_*. */
	w_array(&w, 40, 2, 1, 0, 0);
	l = parse_ok("afterok:40");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterok:40_*(unfulfilled)",
	    "afterok array, pending");
	w_array(&w, 40, 0, 2, 0, 1);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterok:40_*(unfulfilled)",
	    "afterok array, one failed, others running");
	w_array(&w, 40, 0, 0, 2, 1);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER, "afterok:40_*(failed)",
	    "afterok array, ended with a failure");
	dep_list_free(l);

	l = parse_ok("afterok:40_*");
	w_array(&w, 40, 0, 0, 3, 0);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterok array, all ok");
	dep_list_free(l);

	l = parse_ok("afternotok:40");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_NEVER, "afternotok:40_*(failed)",
	    "afternotok array, all ok");
	dep_list_free(l);
	l = parse_ok("afternotok:41");
	w_array(&w, 41, 0, 0, 2, 1);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afternotok array, one failed");
	dep_list_free(l);

	/* after: once no task is pending. */
	l = parse_ok("after:42");
	w_array(&w, 42, 1, 3, 0, 0);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "after:42_*(unfulfilled)",
	    "after array, one task pending");
	w_array(&w, 42, 0, 4, 0, 0);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "after array, all started");
	dep_list_free(l);

	l = parse_ok("afterany:43");
	w_array(&w, 43, 0, 1, 1, 1);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterany:43_*(unfulfilled)",
	    "afterany array, one running");
	w_array(&w, 43, 0, 0, 1, 2);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterany array, all ended");
	dep_list_free(l);

	/* One task. */
	w_array(&w, 44, 1, 1, 1, 0);
	w_job(&w, 44, 2, JOB_RUNNING);
	l = parse_ok("afterok:44_2");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterok:44_2(unfulfilled)",
	    "afterok task, running");
	w_job(&w, 44, 2, JOB_COMPLETE);
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterok task, completed");
	dep_list_free(l);
	l = parse_ok("afterok:44_9");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_SATISFIED, NULL,
	    "afterok on a task the array does not have");
	dep_list_free(l);

	/* A plain id that is a regular job stays plain. */
	w_job(&w, 45, DEP_TASK_NONE, JOB_RUNNING);
	l = parse_ok("afterok:45");
	eval_is(l, &w, DEP_TASK_NONE, T0, DEP_WAIT, "afterok:45(unfulfilled)",
	    "plain job id stays plain");
	dep_list_free(l);
}

static void
test_aftercorr(void)
{
	struct world		 w = { .n = 0 };
	struct dep_list		*l, *c;

	/* Array 50 has tasks 0..3; the dependent array asks per task. */
	w_array(&w, 50, 1, 1, 1, 1);
	w_job(&w, 50, 0, JOB_COMPLETE);
	w_job(&w, 50, 1, JOB_FAILED);
	w_job(&w, 50, 2, JOB_RUNNING);
	w_job(&w, 50, 3, JOB_PENDING);
	l = parse_ok("aftercorr:50");
	ok(depend_has_corr(l), "has aftercorr");

	/* The array record itself waits. */
	eval_is(l, &w, DEP_TASK_ALL, T0, DEP_WAIT,
	    "aftercorr:50_*(unfulfilled)", "aftercorr, array record");

	/* Per task, on copies. */
	c = depend_copy(l);
	eval_is(c, &w, 0, T0, DEP_SATISFIED, NULL, "aftercorr task 0 ok");
	dep_list_free(c);
	c = depend_copy(l);
	eval_is(c, &w, 1, T0, DEP_NEVER, "aftercorr:50_*(failed)",
	    "aftercorr task 1 failed");
	dep_list_free(c);
	c = depend_copy(l);
	eval_is(c, &w, 2, T0, DEP_WAIT, "aftercorr:50_*(unfulfilled)",
	    "aftercorr task 2 running");
	dep_list_free(c);
	c = depend_copy(l);
	eval_is(c, &w, 3, T0, DEP_WAIT, "aftercorr:50_*(unfulfilled)",
	    "aftercorr task 3 pending");
	dep_list_free(c);
	/* Task 7 has no counterpart: the whole array decides. */
	c = depend_copy(l);
	eval_is(c, &w, 7, T0, DEP_WAIT, "aftercorr:50_*(unfulfilled)",
	    "aftercorr task 7, array still running");
	dep_list_free(c);
	is_int(l->result, DEP_WAIT, "copies leave the original alone");
	ok(l->items[0].state == DEP_UNFULFILLED, "original item untouched");

	w_array(&w, 50, 0, 0, 3, 1);
	c = depend_copy(l);
	eval_is(c, &w, 7, T0, DEP_NEVER, "aftercorr:50_*(failed)",
	    "aftercorr task 7, array ended with a failure");
	dep_list_free(c);
	eval_is(l, &w, DEP_TASK_ALL, T0, DEP_WAIT,
	    "aftercorr:50_*(unfulfilled)",
	    "aftercorr, array record never fails");
	c = parse_ok("aftercorr:50");
	eval_is(c, &w, DEP_TASK_NONE, T0, DEP_NEVER, "aftercorr:50_*(failed)",
	    "aftercorr from a job that is not an array task");
	dep_list_free(c);
	w_array(&w, 50, 0, 0, 4, 0);
	eval_is(l, &w, DEP_TASK_ALL, T0, DEP_SATISFIED, NULL,
	    "aftercorr, array record, other array all ok");
	dep_list_free(l);

	l = parse_ok("aftercorr:999");
	eval_is(l, &w, 3, T0, DEP_SATISFIED, NULL, "aftercorr unknown job");
	dep_list_free(l);
}

static void
test_helpers(void)
{
	struct dep_list	*l, *c;

	l = parse_ok("afterok:7,singleton,afterany:9_2");
	ok(depend_refers_to(l, 7), "refers to 7");
	ok(depend_refers_to(l, 9), "refers to 9 (array task)");
	ok(!depend_refers_to(l, 0), "singleton is no job 0");
	ok(!depend_refers_to(l, 8), "not 8");
	ok(!depend_refers_to(NULL, 7), "NULL list refers to nothing");
	ok(!depend_has_corr(l), "no aftercorr");
	ok(!depend_has_corr(NULL), "NULL: no aftercorr");
	c = depend_copy(l);
	ok(c != l && c->items != l->items && c->n == 3 &&
	    memcmp(c->items, l->items, 3 * sizeof *c->items) == 0,
	    "copy is deep and equal");
	dep_list_free(c);
	dep_list_free(l);
	ok(depend_copy(NULL) == NULL, "copy NULL");
	dep_list_free(NULL);

	is_int(depend_reason(DEP_WAIT), WAIT_DEPENDENCY, "reason wait");
	is_int(depend_reason(DEP_NEVER), WAIT_DEP_INVALID, "reason never");
	is_int(depend_reason(DEP_SATISFIED), WAIT_NO_REASON,
	    "reason satisfied");
	is_str(job_reason_name(depend_reason(DEP_NEVER)),
	    "DependencyNeverSatisfied", "reason name");
}

/* A held job's list: depend_lift_gone() drops what no job has. */
static void
test_lift_gone(void)
{
	struct world	 w;
	struct dep_query q;
	struct dep_list	*l;
	char		*s;

	memset(&w, 0, sizeof w);
	w_job(&w, 13, DEP_TASK_NONE, JOB_RUNNING);
	w_job(&w, 14, DEP_TASK_NONE, JOB_FAILED);
	q = w_query(&w, DEP_TASK_NONE);

	l = parse_ok("afterok:999999");
	is_int(depend_lift_gone(l, &q), DEP_SATISFIED, "only unknown: met");
	dep_list_free(l);
	l = parse_ok("afterok:999999,afterany:13,singleton");
	is_int(depend_lift_gone(l, &q), DEP_WAIT, "',': the rest waits");
	s = depend_format(l);
	is_str(s, "afterany:13(unfulfilled),singleton(unfulfilled)",
	    "',': the unknown item is gone, known and singleton stay");
	free(s);
	dep_list_free(l);
	l = parse_ok("afterok:13?afterok:999999");
	is_int(depend_lift_gone(l, &q), DEP_SATISFIED, "'?': met");
	dep_list_free(l);
	l = parse_ok("afterok:14:13");
	is_int(depend_lift_gone(l, &q), DEP_WAIT,
	    "all known: nothing lifted, nothing decided");
	s = depend_format(l);
	is_str(s, "afterok:14(unfulfilled),afterok:13(unfulfilled)",
	    "a failed job's item is left to depend_eval");
	free(s);
	dep_list_free(l);
	is_int(depend_lift_gone(NULL, &q), DEP_SATISFIED, "NULL list");
}

int
main(void)
{
	test_parse_ok();
	test_parse_bad();
	test_eval_types();
	test_eval_lists();
	test_singleton();
	test_delay();
	test_arrays();
	test_aftercorr();
	test_helpers();
	test_lift_gone();
	return done_testing();
}
