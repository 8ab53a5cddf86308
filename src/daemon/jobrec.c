/* SPDX-License-Identifier: MIT */
/*
 * A job record in berthd: struct job_head in struct djob plus struct
 * job_more and struct job_end once needed (jobrec.h).  The assertions
 * below keep the head's and the more part's fields struct job's (same
 * type, and together all of struct job up to start_time) and the end part
 * struct job's layout from start_time on, so that a field added to struct
 * job without its twin here stops the build.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "daemon.h"

#define SAME(s, f) _Static_assert(sizeof(((struct job *)0)->f) == \
	sizeof(((struct s *)0)->f) && _Generic(((struct s *)0)->f, \
	char *: 1, default: 0) == _Generic(((struct job *)0)->f, \
	char *: 1, default: 0), "struct " #s ": " #f);
#define HEAD(f)	SAME(job_head, f)
#define MORE(f)	SAME(job_more, f)
#define END(f) _Static_assert(offsetof(struct job, f) == JOB_END_OFF + \
	offsetof(struct job_end, f) && sizeof(((struct job *)0)->f) == \
	sizeof(((struct job_end *)0)->f), "struct job_end: " #f);
#define BYTES(f) + sizeof(((struct job *)0)->f)

JOB_HEAD_FIELDS(HEAD)
JOB_MORE_FIELDS(MORE)
/* Every field before start_time is in one of the two lists: their sizes
 * add up to start_time's offset but for the 4 bytes of padding before it
 * (after the uint32_t array_task_step). */
_Static_assert(0 JOB_HEAD_FIELDS(BYTES) JOB_MORE_FIELDS(BYTES) + 4 ==
    JOB_END_OFF, "struct job_head + struct job_more is not struct job up "
    "to start_time");
_Static_assert(sizeof(struct job_end) == sizeof(struct job) - JOB_END_OFF,
    "struct job_end is not struct job from start_time on");
END(start_time) END(end_time) END(max_rss_kb) END(max_vsize_kb)
END(user_usec) END(sys_usec) END(exit_status) END(batch_state)
END(batch_status) END(kill_uid) END(nodelist) END(cpu_ids)
END(gpu_ids)

/* job_init()'s values (src/proto/job.c). */
const struct job_more job_more_none = {
	.time_min = NO_VAL,
};

struct job_more *
job_more(struct job_head *h)
{
	if (h->more == NULL) {
		h->more = xmalloc(sizeof *h->more);
		memcpy(h->more, &job_more_none, sizeof *h->more);
	}
	return h->more;
}

/* job_init()'s values (src/proto/job.c). */
const struct job_end job_end_none = {
	.batch_state = JOB_NONE,
	.kill_uid = NO_VAL,
};

struct job_end *
djob_end(struct djob *dj)
{
	if (dj->end == NULL) {
		dj->end = xmalloc(sizeof *dj->end);
		memcpy(dj->end, &job_end_none, sizeof *dj->end);
	}
	return dj->end;
}

void
job_head_get(struct job_head *h, struct job_more *m, const struct job *j)
{
#define GET_HEAD(f)	h->f = j->f;
#define GET_MORE(f)	m->f = j->f;
	JOB_HEAD_FIELDS(GET_HEAD)
	JOB_MORE_FIELDS(GET_MORE)
	h->more = m;
}

/* j's more fields are all job_init()'s. */
static bool
more_none(const struct job *j)
{
#define DIFFERS(f)	|| j->f != job_more_none.f
	return !(0 JOB_MORE_FIELDS(DIFFERS));
}

uint64_t
job_head_mem_node(const struct job_head *h)
{
	return job_mem_node_of(h->mem_mb, h->flags, h->ncpus);
}

void
djob_take(struct djob *dj, struct job *j)
{
	const char *tail = (const char *)j + JOB_END_OFF;
	struct job_more m;

	if (more_none(j)) {
		job_head_get(&dj->j, &m, j);
		dj->j.more = NULL;
	} else
		job_head_get(&dj->j, xmalloc(sizeof *dj->j.more), j);
	if (memcmp(tail, &job_end_none, sizeof job_end_none) != 0) {
		dj->end = xmalloc(sizeof *dj->end);
		memcpy(dj->end, tail, sizeof *dj->end);
		job_end_intern(dj->end);
	}
	memset(j, 0, sizeof *j);
	job_intern(&dj->j);
}

/* Free the strings job_unintern() left (the ones not interned). */
static void
free_rest(const void *part, size_t off, size_t len)
{
	struct job j;

	memset(&j, 0, sizeof j);
	memcpy((char *)&j + off, part, len);
	job_free(&j);
}

static void
end_drop(struct djob *dj)
{
	if (dj->end == NULL)
		return;
	job_end_unintern(dj->end);
	free_rest(dj->end, JOB_END_OFF, sizeof *dj->end);
	free(dj->end);
	dj->end = NULL;
}

void
djob_clear(struct djob *dj)
{
	struct job j;

	job_unintern(&dj->j);
	/* The strings job_unintern() left (the ones not interned). */
	job_join(&dj->j, &job_end_none, &j);
	job_free(&j);
	free(dj->j.more);
	memset(&dj->j, 0, sizeof dj->j);
	end_drop(dj);
}
