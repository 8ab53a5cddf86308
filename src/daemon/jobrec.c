/* SPDX-License-Identifier: MIT */
/*
 * A job record in berthd: struct job_head in struct djob plus struct
 * job_end once needed (jobrec.h).  The assertions below keep both halves
 * in struct job's layout, so that a whole record is the head's bytes
 * followed by the end part's, and a field added to struct job without
 * its twin here stops the build.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xmalloc.h"
#include "daemon.h"

#define HEAD(f) _Static_assert(offsetof(struct job, f) == \
	offsetof(struct job_head, f) && sizeof(((struct job *)0)->f) == \
	sizeof(((struct job_head *)0)->f), "struct job_head: " #f)
#define END(f) _Static_assert(offsetof(struct job, f) == JOB_END_OFF + \
	offsetof(struct job_end, f) && sizeof(((struct job *)0)->f) == \
	sizeof(((struct job_end *)0)->f), "struct job_end: " #f)

_Static_assert(sizeof(struct job_head) == JOB_END_OFF,
    "struct job_head is not struct job up to start_time");
_Static_assert(sizeof(struct job_end) == sizeof(struct job) - JOB_END_OFF,
    "struct job_end is not struct job from start_time on");
HEAD(id); HEAD(array_job_id); HEAD(array_task_id); HEAD(uid); HEAD(gid);
HEAD(state); HEAD(reason); HEAD(flags); HEAD(priority); HEAD(nice);
HEAD(ntasks); HEAD(cpus_per_task); HEAD(min_nodes); HEAD(max_nodes);
HEAD(ncpus); HEAD(gpus); HEAD(mem_mb); HEAD(time_limit); HEAD(time_min);
HEAD(restarts); HEAD(warn_signal); HEAD(submit_time); HEAD(eligible_time);
HEAD(begin_time); HEAD(deadline); HEAD(array_spec); HEAD(name);
HEAD(user); HEAD(group); HEAD(partition); HEAD(account); HEAD(qos);
HEAD(wckey); HEAD(comment); HEAD(workdir); HEAD(std_out); HEAD(std_err);
HEAD(std_in); HEAD(command); HEAD(dependency); HEAD(features);
HEAD(gres); HEAD(tres_per_job); HEAD(tres_per_task); HEAD(submit_line);
HEAD(req_nodes); HEAD(exc_nodes);
HEAD(array_max_running); HEAD(array_task_count); HEAD(array_task_min);
HEAD(array_task_max); HEAD(array_task_step);
END(start_time); END(end_time); END(max_rss_kb); END(max_vsize_kb);
END(user_usec); END(sys_usec); END(exit_status); END(batch_state);
END(batch_status); END(kill_uid); END(nodelist); END(cpu_ids);
END(gpu_ids);

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
job_head_get(struct job_head *h, const struct job *j)
{
	memcpy(h, j, sizeof *h);
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

	memcpy(&dj->j, j, sizeof dj->j);
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
	job_unintern(&dj->j);
	free_rest(&dj->j, 0, sizeof dj->j);
	memset(&dj->j, 0, sizeof dj->j);
	end_drop(dj);
}
