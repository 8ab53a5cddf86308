/* SPDX-License-Identifier: MIT */
/*
 * How berthd holds a job record: struct job (src/proto/job.h) cut in
 * three.  struct job_head is the fields up to start_time that nearly every
 * job sets, in struct job's order, and is what struct djob embeds as `j`;
 * struct job_more is the rest of those, the ones most jobs leave at their
 * defaults (array shape, --dependency, --constraint, --gres, --comment,
 * --deadline, --signal, ...), allocated the first time one is set
 * (job_more) and freed with the job; struct job_end is the fields a job
 * gets once it leaves PENDING (start and end times, exit status, batch
 * step, accounting, who cancelled it, its allocation), allocated the
 * same way (djob_end).  A long queue's plain pending job thus holds 200
 * of the record's 408 bytes (W5, docs/performance.md).
 *
 * They are distinct types so that the compiler, not a reader, finds every
 * daemon access: dj->j.start_time and dj->j.dependency do not exist;
 * DJ_END(dj) and JH_MORE(&dj->j) read (an all-defaults part for a job
 * without one), djob_end(dj) and job_more(&dj->j) write.  Code that needs
 * a whole struct job (the encoder, the store) gets a shallow one from
 * djob_job().  jobrec.c checks that the three parts are struct job's
 * fields, each of the same type, and struct job_end its layout from
 * start_time on.
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
	uint32_t	 restarts;
	int64_t		 submit_time;
	int64_t		 eligible_time;
	int64_t		 begin_time;
	char		*name;
	char		*user;
	char		*group;
	char		*partition;
	char		*account;
	char		*qos;
	char		*workdir;
	char		*std_out;
	char		*std_err;
	char		*command;
	char		*submit_line;
	struct job_more	*more;		/* NULL until set: JH_MORE */
};

/*
 * The fields most jobs leave at job_init()'s values (no array, no
 * --dependency, --constraint, --gres, --comment, --deadline, ...): read
 * through JH_MORE(h), which shows job_more_none for a job without them,
 * written through job_more(h), which allocates the part.
 */
struct job_more {
	uint32_t	 time_min;
	uint32_t	 warn_signal;
	int64_t		 deadline;
	char		*array_spec;
	char		*wckey;
	char		*comment;
	char		*std_in;
	char		*dependency;
	char		*features;
	char		*gres;
	char		*tres_per_job;
	char		*tres_per_task;
	char		*req_nodes;
	char		*exc_nodes;
	char		*extra;
	uint32_t	 array_max_running;
	uint32_t	 array_task_count;
	uint32_t	 array_task_min;
	uint32_t	 array_task_max;
	uint32_t	 array_task_step;
};

/* The fields of struct job up to start_time, by the part holding them
 * (jobrec.c checks that together they are all of them). */
#define JOB_HEAD_FIELDS(X) \
	X(id) X(array_job_id) X(array_task_id) X(uid) X(gid) X(state) \
	X(reason) X(flags) X(priority) X(nice) X(ntasks) X(cpus_per_task) \
	X(min_nodes) X(max_nodes) X(ncpus) X(gpus) X(mem_mb) X(time_limit) \
	X(restarts) X(submit_time) X(eligible_time) X(begin_time) X(name) \
	X(user) X(group) X(partition) X(account) X(qos) X(workdir) \
	X(std_out) X(std_err) X(command) X(submit_line)
#define JOB_MORE_FIELDS(X) \
	X(time_min) X(warn_signal) X(deadline) X(array_spec) X(wckey) \
	X(comment) X(std_in) X(dependency) X(features) X(gres) \
	X(tres_per_job) X(tres_per_task) X(req_nodes) X(exc_nodes) X(extra) \
	X(array_max_running) X(array_task_count) X(array_task_min) \
	X(array_task_max) X(array_task_step)

/* What JH_MORE shows for a job without the part: job_init()'s values. */
extern const struct job_more job_more_none;
#define JH_MORE(h)	((h)->more != NULL ? \
	(const struct job_more *)(h)->more : &job_more_none)
#define DJ_MORE(dj)	JH_MORE(&(dj)->j)
/* h's part to write, allocated (at job_init()'s values) if absent. */
struct job_more	*job_more(struct job_head *);

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

/* A whole record from its parts (shallow: the strings are shared). */
static inline void
job_join(const struct job_head *h, const struct job_end *e, struct job *out)
{
	const struct job_more *m = JH_MORE(h);

#define JOB_JOIN_HEAD(f)	out->f = h->f;
#define JOB_JOIN_MORE(f)	out->f = m->f;
	JOB_HEAD_FIELDS(JOB_JOIN_HEAD)
	JOB_MORE_FIELDS(JOB_JOIN_MORE)
#undef JOB_JOIN_HEAD
#undef JOB_JOIN_MORE
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
/* The head of a whole record (a shallow copy; its more part is *m). */
void		 job_head_get(struct job_head *, struct job_more *m,
		    const struct job *);
/* job_mem_node() of a head. */
uint64_t	 job_head_mem_node(const struct job_head *);

#endif
