/* SPDX-License-Identifier: MIT */
/*
 * How berthd holds a job record: struct job (src/proto/job.h) cut in two.
 * struct job_head is every field up to start_time, in struct job's order
 * and layout, and is what struct djob embeds as `j`; struct job_end is the
 * rest, the fields a job gets once it leaves PENDING (start and end times,
 * exit status, batch step, accounting, who cancelled it, its allocation),
 * allocated the first time one of them is set (djob_end) and freed with
 * the job.  A long queue's pending jobs thus do without 80 of their 456
 * bytes (W5, docs/performance.md).
 *
 * The two are distinct types so that the compiler, not a reader, finds
 * every daemon access: dj->j.start_time does not exist, DJ_END(dj) reads
 * (an all-defaults part for a job without one) and djob_end(dj) writes.
 * Code that needs a whole struct job (the encoder, the store) gets a
 * shallow one from djob_job().  jobrec.c checks that both halves keep
 * struct job's layout, field by field.
 */
#ifndef BERTH_JOBREC_H
#define BERTH_JOBREC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../proto/job.h"

struct job_head {
	uint32_t	 id;
	uint32_t	 array_job_id;
	uint32_t	 array_task_id;
	uint32_t	 uid;
	uint32_t	 gid;
	uint32_t	 state;
	uint32_t	 reason;
	uint32_t	 flags;
	uint32_t	 priority;
	int32_t		 nice;
	uint32_t	 ntasks;
	uint32_t	 cpus_per_task;
	uint32_t	 min_nodes;
	uint32_t	 max_nodes;
	uint32_t	 ncpus;
	uint32_t	 gpus;
	uint64_t	 mem_mb;
	uint32_t	 time_limit;
	uint32_t	 time_min;
	uint32_t	 restarts;
	uint32_t	 warn_signal;
	int64_t		 submit_time;
	int64_t		 eligible_time;
	int64_t		 begin_time;
	int64_t		 deadline;
	char		*array_spec;
	char		*name;
	char		*user;
	char		*group;
	char		*partition;
	char		*account;
	char		*qos;
	char		*wckey;
	char		*comment;
	char		*workdir;
	char		*std_out;
	char		*std_err;
	char		*std_in;
	char		*command;
	char		*dependency;
	char		*features;
	char		*gres;
	char		*tres_per_job;
	char		*tres_per_task;
	char		*submit_line;
	char		*req_nodes;
	char		*exc_nodes;
	uint32_t	 array_max_running;
	uint32_t	 array_task_count;
	uint32_t	 array_task_min;
	uint32_t	 array_task_max;
	uint32_t	 array_task_step;
};

struct job_end {
	int64_t		 start_time;
	int64_t		 end_time;
	uint64_t	 max_rss_kb;
	uint64_t	 max_vsize_kb;
	uint64_t	 user_usec;
	uint64_t	 sys_usec;
	int32_t		 exit_status;
	uint32_t	 batch_state;
	int32_t		 batch_status;
	uint32_t	 kill_uid;
	char		*nodelist;	/* interned (intern.c) */
	char		*cpu_ids;
	char		*gpu_ids;
};

struct djob;

#define JOB_END_OFF	offsetof(struct job, start_time)

/* A whole record from its two parts (shallow: the strings are shared). */
static inline void
job_join(const struct job_head *h, const struct job_end *e, struct job *out)
{
	memcpy(out, h, sizeof *h);
	memcpy((char *)out + JOB_END_OFF, e, sizeof *e);
}

/* What DJ_END shows for a job without its end part: job_init()'s values. */
extern const struct job_end job_end_none;
#define DJ_END(dj)	((dj)->end != NULL ? \
	(const struct job_end *)(dj)->end : &job_end_none)
/* dj's end part to write, allocated (at job_init()'s values) if absent. */
struct job_end	*djob_end(struct djob *);
/* The whole record of dj in *out, sharing dj's strings (do not free);
 * inline, for squeue's walk of every job. */
#define djob_job(dj, out)	job_join(&(dj)->j, DJ_END(dj), (out))
/* Move a record into dj (its strings too, interned; *j is left empty):
 * the head, and the end part if one of its fields is set. */
void		 djob_take(struct djob *, struct job *j);
/* Release dj's strings and its end part (job_forget). */
void		 djob_clear(struct djob *);
/* The head of a whole record (a shallow copy). */
void		 job_head_get(struct job_head *, const struct job *);
/* job_mem_node() of a head. */
uint64_t	 job_head_mem_node(const struct job_head *);

#endif
