// SPDX-License-Identifier: MIT
/*
 * The step record's wire encoding (see step.h and docs/steps.md): fixed
 * fields in declaration order, then the strings.  One encoder, one
 * bounds-checked decoder.
 */
#include <stdlib.h>
#include <string.h>

#include "step.h"

void
step_free(struct step *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->command);
	free(s->cpu_ids);
	free(s->gpu_ids);
	memset(s, 0, sizeof *s);
}

void
proto_step_put(struct msg *m, const struct step *s)
{
	msg_put_u32(m, s->job_id);
	msg_put_u32(m, s->step_id);
	msg_put_u32(m, s->uid);
	msg_put_u32(m, s->state);
	msg_put_u32(m, s->flags);
	msg_put_u32(m, s->ntasks);
	msg_put_u32(m, s->cpus_per_task);
	msg_put_u32(m, s->ncpus);
	msg_put_u64(m, s->mem_mb);
	msg_put_u32(m, s->gpus);
	msg_put_u32(m, (uint32_t)s->exit_status);
	msg_put_u32(m, (uint32_t)s->srun_pid);
	msg_put_u32(m, (uint32_t)s->pgid);
	msg_put_u64(m, s->srun_start);
	msg_put_u32(m, s->kill_uid);
	msg_put_i64(m, s->start_time);
	msg_put_i64(m, s->end_time);
	msg_put_u64(m, s->max_rss_kb);
	msg_put_u64(m, s->user_usec);
	msg_put_u64(m, s->sys_usec);
	msg_put_str(m, s->name);
	msg_put_str(m, s->command);
	msg_put_str(m, s->cpu_ids);
	msg_put_str(m, s->gpu_ids);
}

int
proto_step_get(struct msg *m, struct step *s)
{
	memset(s, 0, sizeof *s);
	s->job_id = msg_get_u32(m);
	s->step_id = msg_get_u32(m);
	s->uid = msg_get_u32(m);
	s->state = msg_get_u32(m);
	s->flags = msg_get_u32(m);
	s->ntasks = msg_get_u32(m);
	s->cpus_per_task = msg_get_u32(m);
	s->ncpus = msg_get_u32(m);
	s->mem_mb = msg_get_u64(m);
	s->gpus = msg_get_u32(m);
	s->exit_status = (int32_t)msg_get_u32(m);
	s->srun_pid = (int32_t)msg_get_u32(m);
	s->pgid = (int32_t)msg_get_u32(m);
	s->srun_start = msg_get_u64(m);
	s->kill_uid = msg_get_u32(m);
	s->start_time = msg_get_i64(m);
	s->end_time = msg_get_i64(m);
	s->max_rss_kb = msg_get_u64(m);
	s->user_usec = msg_get_u64(m);
	s->sys_usec = msg_get_u64(m);
	s->name = msg_get_str(m);
	s->command = msg_get_str(m);
	s->cpu_ids = msg_get_str(m);
	s->gpu_ids = msg_get_str(m);
	if (m->err) {
		step_free(s);
		return -1;
	}
	return 0;
}
