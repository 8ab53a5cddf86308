/* SPDX-License-Identifier: MIT */
/*
 * Job dependencies: parser, evaluator and printer (see depend.h for the
 * syntax and how the daemon drives them).  The behaviour follows Slurm
 * 22.05's slurmctld (update_job_dependency, test_job_dependency and
 * _depend_list2str): unknown jobs lift their item, fulfilled items vanish
 * from the display, item states are sticky, a plain id naming an array
 * becomes "N_*" once evaluated.
 *
 * Differences, on purpose (docs/compat.md): text Slurm silently ignores
 * after a jobid ("afterok:1+5x", "afterok: 1") is rejected; "," and "?"
 * mixed are rejected (Slurm ORs the whole list); +M also delays afterany,
 * afterok, afternotok and afterburstbuffer from the job's end (22.05 only
 * applies it to after); with N_[a-b], +M and (state) apply to every task
 * (Slurm: only to the last).  At most DEP_MAX_ITEMS items per list.
 *
 * Pure: no I/O, no clock, no globals; allocation through xmalloc.
 */

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "../proto/job.h"
#include "depend.h"

#define DEP_MAX_ITEMS	10000
#define DEP_MAX_MINUTES	(INT32_MAX / 60)
#define DEP_ERROR	"Job dependency problem"

_Static_assert(DEP_TASK_NONE == NO_VAL, "DEP_TASK_NONE is NO_VAL");
_Static_assert(DEP_TASK_ALL == INFINITE, "DEP_TASK_ALL is INFINITE");

static const struct {
	const char	 name[20];
	enum dep_type	 type;
} dep_names[] = {
	{ "after",		DEP_AFTER },
	{ "afterany",		DEP_AFTERANY },
	{ "afterok",		DEP_AFTEROK },
	{ "afternotok",		DEP_AFTERNOTOK },
	{ "aftercorr",		DEP_AFTERCORR },
	{ "afterburstbuffer",	DEP_AFTERBB },
	{ "singleton",		DEP_SINGLETON },
};

/* What a referenced job looks like, reduced to the three questions. */
struct dep_facts {
	bool		 pending;	/* (any task) pending */
	bool		 ended;		/* (all tasks) in a final state */
	bool		 ok;		/* ended, (all) COMPLETED exit 0 */
	int64_t		 start;		/* reference times for +M */
	int64_t		 end;
};

static const char *dep_type_name(enum dep_type);
static int	 dep_add(struct dep_list *, enum dep_type, uint32_t,
		    uint32_t, uint32_t, enum dep_state);
static int	 dep_number(const char **, uint32_t *);
static int	 dep_state_suffix(const char **, enum dep_state *);
static int	 dep_cmp_u32(const void *, const void *);
static int	 dep_tasks(const char **, uint32_t **, size_t *);
static int	 dep_parse_ids(struct dep_list *, enum dep_type, const char **);
static int	 dep_parse_old(struct dep_list *, const char **);
static int	 dep_parse_element(struct dep_list *, const char **);
static void	 dep_facts(const struct dep_job *, struct dep_facts *);
static void	 dep_delay(struct dep_item *, int64_t, int64_t, int64_t *);
static void	 dep_eval_corr(struct dep_item *, const struct dep_query *,
		    const struct dep_facts *);
static void	 dep_eval_item(struct dep_item *, const struct dep_query *,
		    int64_t, int64_t *);

static const char *
dep_type_name(enum dep_type t)
{
	size_t	i;

	for (i = 0; i < sizeof dep_names / sizeof dep_names[0]; i++) {
		if (dep_names[i].type == t)
			return dep_names[i].name;
	}
	return "unknown";
}

/*
 * Append an item unless one with the same (type, job, task) is there
 * already (Slurm's _add_dependency_to_list keeps the first).  -1 when the
 * list would grow past DEP_MAX_ITEMS.
 */
static int
dep_add(struct dep_list *l, enum dep_type type, uint32_t job_id,
    uint32_t task_id, uint32_t delay, enum dep_state state)
{
	struct dep_item	*it;
	size_t		 i;

	for (i = 0; i < l->n; i++) {
		it = &l->items[i];
		if (it->type == type && it->job_id == job_id &&
		    it->task_id == task_id)
			return 0;
	}
	if (l->n >= DEP_MAX_ITEMS)
		return -1;
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	it = &l->items[l->n++];
	it->type = type;
	it->state = state;
	it->job_id = job_id;
	it->task_id = task_id;
	it->delay = delay;
	return 0;
}

/* Decimal digits (at least one) into a uint32_t, advancing *pp. */
static int
dep_number(const char **pp, uint32_t *out)
{
	const char	*p = *pp;
	uint64_t	 v = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -1;
		p++;
	}
	*pp = p;
	*out = (uint32_t)v;
	return 0;
}

/* An optional "(state)" as scontrol prints it: failed, else unfulfilled. */
static int
dep_state_suffix(const char **pp, enum dep_state *state)
{
	const char	*p = *pp, *close;

	*state = DEP_UNFULFILLED;
	if (*p != '(')
		return 0;
	close = strchr(p + 1, ')');
	if (close == NULL || memchr(p + 1, '(', (size_t)(close - p - 1)))
		return -1;
	if ((size_t)(close - p - 1) == 6 && strncasecmp(p + 1, "failed", 6) == 0)
		*state = DEP_FAILED;
	*pp = close + 1;
	return 0;
}

static int
dep_cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * "[1,3-5]" after "N_": the task ids, ascending and unique (Slurm turns
 * the expression into a bitmap).  *pp is at '['.
 */
static int
dep_tasks(const char **pp, uint32_t **out, size_t *np)
{
	const char	*p = *pp + 1;
	uint32_t	*t = NULL, lo, hi, v;
	size_t		 n = 0, i, j;

	for (;;) {
		if (dep_number(&p, &lo) != 0)
			goto fail;
		hi = lo;
		if (*p == '-') {
			p++;
			if (dep_number(&p, &hi) != 0 || hi < lo)
				goto fail;
		}
		if (hi >= DEP_TASK_NONE ||
		    (uint64_t)hi - lo + 1 > DEP_MAX_ITEMS - n)
			goto fail;
		t = xreallocarray(t, n + (hi - lo) + 1, sizeof *t);
		for (v = lo;; v++) {
			t[n++] = v;
			if (v == hi)
				break;
		}
		if (*p == ']')
			break;
		if (*p != ',')
			goto fail;
		p++;
	}
	qsort(t, n, sizeof *t, dep_cmp_u32);
	for (i = j = 0; i < n; i++) {
		if (j == 0 || t[j - 1] != t[i])
			t[j++] = t[i];
	}
	*pp = p + 1;
	*out = t;
	*np = j;
	return 0;
fail:
	free(t);
	return -1;
}

/*
 * The ids after "type:": jobid[+M][(state)][:jobid...].  Stops at the
 * first character that is not part of them (the caller checks it).
 */
static int
dep_parse_ids(struct dep_list *l, enum dep_type type, const char **pp)
{
	const char	*p = *pp;
	uint32_t	 job_id, task_id, minutes, one, *tasks;
	size_t		 ntasks, i;
	enum dep_state	 state;
	int		 rc;

	for (;;) {
		if (dep_number(&p, &job_id) != 0 || job_id == 0 ||
		    job_id >= DEP_TASK_NONE)
			return -1;
		task_id = DEP_TASK_NONE;
		tasks = NULL;
		ntasks = 0;
		if (*p == '_') {
			p++;
			if (*p == '*') {
				task_id = DEP_TASK_ALL;
				p++;
			} else if (*p == '[') {
				if (dep_tasks(&p, &tasks, &ntasks) != 0)
					return -1;
			} else if (dep_number(&p, &task_id) != 0 ||
			    task_id >= DEP_TASK_NONE)
				return -1;
		}
		minutes = 0;
		if (*p == '+') {
			p++;
			if (dep_number(&p, &minutes) != 0 || minutes == 0 ||
			    minutes > DEP_MAX_MINUTES) {
				free(tasks);
				return -1;
			}
		}
		if (dep_state_suffix(&p, &state) != 0) {
			free(tasks);
			return -1;
		}
		if (tasks == NULL) {
			one = task_id;
			tasks = &one;
			ntasks = 1;
		}
		rc = 0;
		for (i = 0; i < ntasks && rc == 0; i++)
			rc = dep_add(l, type, job_id, tasks[i], minutes * 60,
			    state);
		if (tasks != &one)
			free(tasks);
		if (rc != 0)
			return -1;
		if (*p != ':')
			break;
		p++;
	}
	*pp = p;
	return 0;
}

/* Old form: a bare jobid (N, N_T or N_*) meaning afterany. */
static int
dep_parse_old(struct dep_list *l, const char **pp)
{
	const char	*p = *pp;
	uint32_t	 job_id, task_id = DEP_TASK_NONE;

	if (dep_number(&p, &job_id) != 0 || job_id == 0 ||
	    job_id >= DEP_TASK_NONE)
		return -1;
	if (*p == '_') {
		p++;
		if (*p == '*') {
			task_id = DEP_TASK_ALL;
			p++;
		} else if (dep_number(&p, &task_id) != 0 ||
		    task_id >= DEP_TASK_NONE)
			return -1;
	}
	if (*p != '\0' && *p != ',')
		return -1;
	*pp = p;
	return dep_add(l, DEP_AFTERANY, job_id, task_id, 0, DEP_UNFULFILLED);
}

/* One element between separators: singleton, type:ids, or an old jobid. */
static int
dep_parse_element(struct dep_list *l, const char **pp)
{
	const char	*p = *pp;
	enum dep_state	 state;
	size_t		 i, len;

	if (strncasecmp(p, "singleton", 9) == 0) {
		p += 9;
		if (dep_state_suffix(&p, &state) != 0)
			return -1;
		*pp = p;
		return dep_add(l, DEP_SINGLETON, 0, DEP_TASK_NONE, 0, state);
	}
	/*
	 * Slurm takes the old form only when no ':' follows anywhere, so
	 * "5,afterok:6" is an error while "afterok:6,5" is not.
	 */
	if (isdigit((unsigned char)*p) && strchr(p, ':') == NULL) {
		if (dep_parse_old(l, &p) != 0)
			return -1;
		*pp = p;
		return 0;
	}
	for (i = 0; i < sizeof dep_names / sizeof dep_names[0]; i++) {
		if (dep_names[i].type == DEP_SINGLETON)
			continue;
		len = strlen(dep_names[i].name);
		if (strncasecmp(p, dep_names[i].name, len) == 0 &&
		    p[len] == ':') {
			p += len + 1;
			if (dep_parse_ids(l, dep_names[i].type, &p) != 0)
				return -1;
			*pp = p;
			return 0;
		}
	}
	return -1;
}

int
depend_parse(const char *spec, struct dep_list **out, char **cause)
{
	struct dep_list	*l;
	const char	*p = spec;
	char		 sep = '\0';

	*out = NULL;
	if (spec == NULL || *spec == '\0' || strcmp(spec, "0") == 0)
		return 0;
	l = xcalloc(1, sizeof *l);
	for (;;) {
		if (dep_parse_element(l, &p) != 0)
			goto fail;
		if (*p == '\0')
			break;
		if ((*p != ',' && *p != '?') || (sep != '\0' && *p != sep))
			goto fail;
		sep = *p++;
	}
	l->any = (sep == '?');
	l->result = DEP_WAIT;
	*out = l;
	return 0;
fail:
	dep_list_free(l);
	*cause = xstrdup(DEP_ERROR);
	return -1;
}

void
dep_list_free(struct dep_list *l)
{
	if (l == NULL)
		return;
	free(l->items);
	free(l);
}

struct dep_list *
depend_copy(const struct dep_list *l)
{
	struct dep_list	*c;

	if (l == NULL)
		return NULL;
	c = xmalloc(sizeof *c);
	*c = *l;
	c->items = NULL;
	if (l->n > 0) {
		c->items = xreallocarray(NULL, l->n, sizeof *c->items);
		memcpy(c->items, l->items, l->n * sizeof *c->items);
	}
	return c;
}

/* Reduce what the daemon reported to pending / ended / ok. */
static void
dep_facts(const struct dep_job *j, struct dep_facts *f)
{
	if (j->is_array) {
		f->pending = j->n_pending > 0;
		f->ended = j->n_pending == 0 && j->n_running == 0;
		f->ok = f->ended && j->n_failed == 0;
	} else {
		f->pending = j->state == JOB_PENDING;
		f->ended = job_state_is_final(j->state);
		f->ok = j->state == JOB_COMPLETE && j->exit_status == 0;
	}
	f->start = j->start_time;
	f->end = j->end_time;
}

/*
 * The condition of item it is met as of time ref: fulfil it now, or once
 * its +M delay has run (then report the moment in *wake).  An unknown
 * reference time cannot be waited on, so the item is fulfilled.
 */
static void
dep_delay(struct dep_item *it, int64_t ref, int64_t now, int64_t *wake)
{
	int64_t	at;

	if (it->delay == 0 || ref <= 0) {
		it->state = DEP_FULFILLED;
		return;
	}
	at = ref + (int64_t)it->delay;
	if (now >= at) {
		it->state = DEP_FULFILLED;
		return;
	}
	if (*wake == 0 || at < *wake)
		*wake = at;
}

/*
 * aftercorr: task T (the query's) waits for task T of the other array and
 * needs it ok.  Without such a task, or for a record that is not one task,
 * the whole other array decides (Slurm's fallback): ok fulfils, anything
 * else fails, except that an array record still holding pending tasks
 * keeps waiting (its tasks are decided one by one).
 */
static void
dep_eval_corr(struct dep_item *it, const struct dep_query *q,
    const struct dep_facts *whole)
{
	struct dep_job		tj;
	struct dep_facts	tf;

	if (q->task_id != DEP_TASK_NONE && q->task_id != DEP_TASK_ALL) {
		memset(&tj, 0, sizeof tj);
		if (q->lookup(q->arg, it->job_id, q->task_id, &tj) == 0) {
			tj.is_array = false;
			dep_facts(&tj, &tf);
			if (tf.ended)
				it->state = tf.ok ? DEP_FULFILLED : DEP_FAILED;
			return;
		}
	}
	if (!whole->ended)
		return;
	if (whole->ok)
		it->state = DEP_FULFILLED;
	else if (q->task_id != DEP_TASK_ALL)
		it->state = DEP_FAILED;
}

static void
dep_eval_item(struct dep_item *it, const struct dep_query *q, int64_t now,
    int64_t *wake)
{
	struct dep_job		j;
	struct dep_facts	f;

	if (it->type == DEP_SINGLETON) {
		if (q->singleton_busy == NULL || !q->singleton_busy(q->arg))
			it->state = DEP_FULFILLED;
		return;
	}
	memset(&j, 0, sizeof j);
	if (q->lookup == NULL ||
	    q->lookup(q->arg, it->job_id, it->task_id, &j) != 0) {
		/* Slurm: "job is gone, dependency lifted". */
		it->state = DEP_FULFILLED;
		return;
	}
	if (it->task_id == DEP_TASK_NONE && j.is_array)
		it->task_id = DEP_TASK_ALL;	/* shown as N_* from now on */
	dep_facts(&j, &f);

	switch (it->type) {
	case DEP_AFTER:
		if (!f.pending)
			dep_delay(it, f.start > 0 ? f.start : f.end, now, wake);
		break;
	case DEP_AFTERANY:
	case DEP_AFTERBB:
		if (f.ended)
			dep_delay(it, f.end, now, wake);
		break;
	case DEP_AFTEROK:
		if (f.ended && f.ok)
			dep_delay(it, f.end, now, wake);
		else if (f.ended)
			it->state = DEP_FAILED;
		break;
	case DEP_AFTERNOTOK:
		if (f.ended && !f.ok)
			dep_delay(it, f.end, now, wake);
		else if (f.ended)
			it->state = DEP_FAILED;
		break;
	case DEP_AFTERCORR:
		dep_eval_corr(it, q, &f);
		break;
	case DEP_SINGLETON:
		break;
	}
}

enum dep_result
depend_eval(struct dep_list *l, const struct dep_query *q, int64_t now,
    int64_t *wake)
{
	static const struct dep_query none = { .task_id = DEP_TASK_NONE };
	struct dep_item	*it;
	int64_t		 w = 0;
	bool		 fulfilled = false, failed = false, waiting = false;
	size_t		 i;
	enum dep_result	 r;

	if (q == NULL)
		q = &none;	/* nothing known: every item is lifted */
	if (wake != NULL)
		*wake = 0;
	if (l == NULL || l->n == 0)
		return DEP_SATISFIED;
	if (l->result != DEP_WAIT)
		return l->result;	/* sticky, see depend.h */

	for (i = 0; i < l->n; i++) {
		it = &l->items[i];
		if (it->state == DEP_UNFULFILLED)
			dep_eval_item(it, q, now, &w);
		switch (it->state) {
		case DEP_FULFILLED:
			fulfilled = true;
			break;
		case DEP_FAILED:
			failed = true;
			break;
		case DEP_UNFULFILLED:
			waiting = true;
			break;
		}
	}
	if (l->any)
		r = fulfilled ? DEP_SATISFIED : waiting ? DEP_WAIT : DEP_NEVER;
	else
		r = failed ? DEP_NEVER : waiting ? DEP_WAIT : DEP_SATISFIED;
	l->result = r;
	if (wake != NULL && r == DEP_WAIT)
		*wake = w;
	return r;
}

enum dep_result
depend_lift_gone(struct dep_list *l, const struct dep_query *q)
{
	struct dep_job j;
	size_t i, k = 0;

	if (l == NULL || l->n == 0)
		return DEP_SATISFIED;
	if (l->result != DEP_WAIT)
		return l->result;
	for (i = 0; i < l->n; i++) {
		const struct dep_item *it = &l->items[i];

		memset(&j, 0, sizeof j);
		if (it->type == DEP_SINGLETON || it->state != DEP_UNFULFILLED ||
		    (q->lookup != NULL &&
		    q->lookup(q->arg, it->job_id, it->task_id, &j) == 0)) {
			l->items[k++] = *it;
			continue;
		}
		if (l->any)
			return DEP_SATISFIED;	/* lifted: one suffices */
	}
	l->n = k;
	return k == 0 ? DEP_SATISFIED : DEP_WAIT;
}

uint32_t
depend_reason(enum dep_result r)
{
	switch (r) {
	case DEP_WAIT:
		return WAIT_DEPENDENCY;
	case DEP_NEVER:
		return WAIT_DEP_INVALID;
	case DEP_SATISFIED:
		break;
	}
	return WAIT_NO_REASON;
}

char *
depend_format(const struct dep_list *l)
{
	const struct dep_item	*it;
	struct buf		 b;
	size_t			 i;

	if (l == NULL || l->result == DEP_SATISFIED)
		return NULL;
	buf_init(&b);
	for (i = 0; i < l->n; i++) {
		it = &l->items[i];
		if (it->state == DEP_FULFILLED)
			continue;
		if (b.len > 0)
			buf_addc(&b, l->any ? '?' : ',');
		buf_adds(&b, dep_type_name(it->type));
		if (it->type != DEP_SINGLETON) {
			buf_printf(&b, ":%u", it->job_id);
			if (it->task_id == DEP_TASK_ALL)
				buf_adds(&b, "_*");
			else if (it->task_id != DEP_TASK_NONE)
				buf_printf(&b, "_%u", it->task_id);
			if (it->delay != 0)
				buf_printf(&b, "+%u", it->delay / 60);
		}
		buf_adds(&b, it->state == DEP_FAILED ? "(failed)" :
		    "(unfulfilled)");
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

bool
depend_refers_to(const struct dep_list *l, uint32_t job_id)
{
	size_t	i;

	if (l == NULL)
		return false;
	for (i = 0; i < l->n; i++) {
		if (l->items[i].type != DEP_SINGLETON &&
		    l->items[i].job_id == job_id)
			return true;
	}
	return false;
}

bool
depend_has_corr(const struct dep_list *l)
{
	size_t	i;

	if (l == NULL)
		return false;
	for (i = 0; i < l->n; i++) {
		if (l->items[i].type == DEP_AFTERCORR)
			return true;
	}
	return false;
}
