/* SPDX-License-Identifier: MIT */
/*
 * Records shared by daemon, store, supervisor and clients: the job record,
 * the submission descriptor, query filters, the node and partition records,
 * and their wire encodings.  Every string may be NULL (Slurm's "(null)").
 * job_free/job_desc_free/... release the strings; the struct itself belongs
 * to whoever allocated it.
 */
#ifndef BERTH_JOB_H
#define BERTH_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define NO_VAL		0xfffffffeu	/* "not set": use the default */
#define INFINITE	0xffffffffu	/* "no limit" */
#define NO_VAL64	0xfffffffffffffffeull

/* Slurm's job states, in Slurm's numeric order (squeue -t names). */
enum job_state {
	JOB_PENDING = 0,
	JOB_RUNNING,
	JOB_SUSPENDED,
	JOB_COMPLETE,		/* COMPLETED / CD */
	JOB_CANCELLED,
	JOB_FAILED,
	JOB_TIMEOUT,
	JOB_NODE_FAIL,
	JOB_PREEMPTED,
	JOB_BOOT_FAIL,
	JOB_DEADLINE,
	JOB_OOM,		/* OUT_OF_MEMORY / OOM */
	JOB_STATE_MAX
};
#define JOB_NONE	0xffu	/* for batch_state: no batch step ran */

/* Why a pending job waits (or why a job ended), Slurm's names. */
enum job_reason {
	WAIT_NO_REASON = 0,	/* "None" */
	WAIT_PRIORITY,		/* "Priority" */
	WAIT_RESOURCES,		/* "Resources" */
	WAIT_DEPENDENCY,	/* "Dependency" */
	WAIT_DEP_INVALID,	/* "DependencyNeverSatisfied" */
	WAIT_BEGIN_TIME,	/* "BeginTime" */
	WAIT_HELD,		/* "JobHeldAdmin" */
	WAIT_HELD_USER,		/* "JobHeldUser" */
	WAIT_PART_CONFIG,	/* "PartitionConfig" */
	WAIT_PART_NODE_LIMIT,	/* "PartitionNodeLimit" */
	WAIT_PART_TIME_LIMIT,	/* "PartitionTimeLimit" */
	WAIT_PART_DOWN,		/* "PartitionDown" */
	WAIT_PART_INACTIVE,	/* "PartitionInactive" */
	WAIT_NODES_DOWN,	/* long "Nodes required for job are DOWN, ..." */
	WAIT_BAD_CONSTRAINTS,	/* "BadConstraints" */
	FAIL_TIMEOUT,		/* "TimeLimit" */
	FAIL_EXIT_CODE,		/* "NonZeroExitCode" */
	FAIL_LAUNCH,		/* "JobLaunchFailure" */
	FAIL_OOM,		/* "OutOfMemory" */
	FAIL_SYSTEM,		/* "SystemFailure" */
	FAIL_SIGNAL,		/* "RaisedSignal" */
	WAIT_ARRAY_TASK_LIMIT,	/* "JobArrayTaskLimit": %N throttle */
	FAIL_DEADLINE,		/* "DeadLine": --deadline can no longer be met */
	FAIL_DOWN_NODE,		/* "NodeDown": node (supervisor) failure */
	WAIT_REASON_MAX
};

/* job.flags */
#define JOB_F_HOLD_USER		0x0001	/* --hold / scontrol uhold */
#define JOB_F_HOLD_ADMIN	0x0002	/* scontrol hold by root */
#define JOB_F_REQUEUE		0x0004	/* may be requeued (Requeue=1) */
#define JOB_F_OPEN_APPEND	0x0008	/* --open-mode=append */
#define JOB_F_MEM_PER_CPU	0x0010	/* mem_mb is per CPU, else per node */
#define JOB_F_NTASKS_SET	0x0020	/* -n given: SLURM_NTASKS exported */
#define JOB_F_CPT_SET		0x0040	/* -c given: SLURM_CPUS_PER_TASK */
#define JOB_F_EXCLUSIVE		0x0080	/* --exclusive */
#define JOB_F_WRAP		0x0100	/* --wrap script */
#define JOB_F_CANCEL_REQ	0x0200	/* scancel seen while running */
#define JOB_F_EXPORT_NONE	0x0400	/* --export=NONE */
#define JOB_F_NODES_SET		0x0800	/* -N given */
#define JOB_F_MEM_SET		0x1000	/* --mem/--mem-per-cpu given */
#define JOB_F_GPUS_SET		0x2000	/* a GPU option was given */
#define JOB_F_REQUEUE_REQ	0x4000	/* scontrol requeue in progress */
#define JOB_F_REQUEUE_HOLD	0x8000	/* ... requeuehold */
#define JOB_F_KILL_INV_DEP	0x10000	/* --kill-on-invalid-dep=yes */
#define JOB_F_KEEP_INV_DEP	0x20000	/* --kill-on-invalid-dep=no */
#define JOB_F_REQUEUE_SET	0x40000	/* --requeue/--no-requeue given */
#define JOB_F_PRIO_SET		0x80000	/* priority set by scontrol: fixed */
/* 0x100000 is JOB_F_INTERACTIVE (step.h) */
#define JOB_F_OVERCOMMIT	0x200000 /* -O: one task's CPUs per node */
#define JOB_F_EXTRA		0x800000 /* extra is set */

/* job.warn_signal: the signal, B: (batch shell only), seconds before
 * the time limit. */
#define JOB_WARN_SIG(w)		((int)((w) & 0xff))
#define JOB_WARN_BATCH		0x100
#define JOB_WARN_SECS(w)	((int64_t)((w) >> 16))
#define JOB_WARN(sig, batch, secs) \
	((uint32_t)(sig) | ((batch) ? JOB_WARN_BATCH : 0) | \
	((uint32_t)(secs) << 16))

/*
 * The job record.  Requested and allocated values share fields.  The
 * fields from start_time on are those a job gets once it leaves PENDING
 * (its start and end, accounting, allocation): berthd keeps a pending
 * job without them (struct job_head and struct job_end, src/daemon/
 * jobrec.h, W5 in docs/performance.md), so they stay together at the end.
 */
struct job {
	uint32_t	 id;
	uint32_t	 array_job_id;	/* 0: not an array task */
	uint32_t	 array_task_id;	/* NO_VAL: not an array task */
	uint32_t	 uid;
	uint32_t	 gid;
	uint32_t	 state;		/* enum job_state */
	uint32_t	 reason;	/* enum job_reason */
	uint32_t	 flags;		/* JOB_F_* */
	uint32_t	 priority;
	int32_t		 nice;
	uint32_t	 ntasks;	/* >= 1 */
	uint32_t	 cpus_per_task;	/* >= 1 */
	uint32_t	 min_nodes;	/* >= 1 */
	uint32_t	 max_nodes;
	uint32_t	 ncpus;		/* ntasks * cpus_per_task, or allocated */
	uint32_t	 gpus;		/* GPUs on the (one) node */
	uint64_t	 mem_mb;	/* per node or per cpu (JOB_F_MEM_PER_CPU) */
	uint32_t	 time_limit;	/* minutes, INFINITE, or NO_VAL */
	uint32_t	 time_min;	/* minutes or NO_VAL */
	uint32_t	 restarts;
	/* --signal=[R:|B:]sig[@secs]: JOB_WARN_* packed, 0 if none. */
	uint32_t	 warn_signal;
	int64_t		 submit_time;
	int64_t		 eligible_time;	/* 0 until eligible */
	int64_t		 begin_time;	/* --begin, 0 if none */
	int64_t		 deadline;	/* --deadline, 0 if none */
	char		*array_spec;
	char		*name;
	char		*user;		/* user name (filled by the daemon) */
	char		*group;
	char		*partition;
	char		*account;
	char		*qos;
	char		*wckey;
	char		*comment;
	char		*workdir;
	char		*std_out;	/* pattern as given (absolute), or NULL */
	char		*std_err;
	char		*std_in;
	char		*command;	/* script path, or NULL for --wrap/stdin */
	char		*dependency;
	char		*features;	/* --constraint */
	/*
	 * GPU requests as Slurm's TresPerNode, TresPerJob and TresPerTask
	 * hold them, each item without its "gres:" prefix: gres is
	 * --gpus-per-node ("gpu:" and the option as given) then --gres
	 * ("gpu:tesla:1,gpu:2"); tres_per_job is --gpus ("gpu:tesla:2"),
	 * tres_per_task --gpus-per-task.  NULL if not requested.  gpus is
	 * the count these come to on the one node.
	 */
	char		*gres;
	char		*tres_per_job;
	char		*tres_per_task;
	char		*submit_line;
	char		*req_nodes;	/* --nodelist */
	char		*exc_nodes;	/* --exclude */
	/* What scontrol show job shows of options berth records but does
	 * not act on (--mcs-label, --bb, --switches, --container, ...):
	 * "Key=Value" lines in Slurm's words, or NULL (opt_extra_show). */
	char		*extra;
	/* Arrays: the whole array's shape (for SLURM_ARRAY_TASK_*), copied
	 * into every task; the throttle; and the tasks still pending inside
	 * this record (the array's own id; array_spec above), e.g.
	 * "4-99999", else NULL. */
	uint32_t	 array_max_running;	/* %N throttle, 0: none */
	uint32_t	 array_task_count;
	uint32_t	 array_task_min;
	uint32_t	 array_task_max;
	uint32_t	 array_task_step;
	/* Once started or ended (see above). */
	int64_t		 start_time;	/* 0 until started */
	int64_t		 end_time;	/* 0 until ended */
	uint64_t	 max_rss_kb;
	uint64_t	 max_vsize_kb;
	uint64_t	 user_usec;	/* CPU time of the batch step */
	uint64_t	 sys_usec;
	int32_t		 exit_status;	/* wait(2) status of the batch script */
	uint32_t	 batch_state;	/* state of ID.batch, JOB_NONE if none */
	int32_t		 batch_status;	/* wait(2) status shown for ID.batch */
	uint32_t	 kill_uid;	/* who cancelled; NO_VAL if nobody */
	char		*nodelist;	/* allocated node name(s) */
	char		*cpu_ids;	/* allocated core ids, "0-1,4" */
	char		*gpu_ids;	/* allocated GPU indices, "0,1" */
};

/*
 * A submission: the requested job record (state/times/alloc ignored), plus
 * what only submission carries.  env is the final environment for the job
 * as the client computed it from --export (NULL-terminated "K=V" vector).
 */
struct job_desc {
	struct job	 job;
	char		*script;	/* full script text, starts with #! */
	char		**env;
	char		**argv;		/* script arguments ($1...) */
	char		*array;		/* --array spec, or NULL */
	uint32_t	 cwd_uid;	/* unused: reserved */
	uint8_t		 test_only;	/* --test-only */
	uint8_t		 wait;		/* -W: client will MSG_JOB_WAIT */
	/* TYPE of --gpus=TYPE:N or --gpus-per-task=TYPE:N (the daemon
	 * checks it against the node's Gres type; job.gpus has N), or NULL.
	 * --gres and --gpus-per-node carry theirs in job.gres. */
	char		*gpu_type;
};

/* Filters for MSG_JOB_QUERY / MSG_ACCT_QUERY.  Empty vectors match all. */
struct job_filter {
	uint32_t	*ids;		/* job ids */
	uint32_t	 nids;
	uint32_t	 states;	/* bitmask of 1 << job_state; 0 = default */
	char		**users;	/* names or numeric uids */
	char		**names;
	char		**partitions;
	int64_t		 start;		/* sacct -S; 0 = default */
	int64_t		 end;		/* sacct -E; 0 = now */
	uint32_t	 flags;		/* FILTER_F_* */
	uint64_t	 omit;		/* job fields the reply may leave out */
};
#define FILTER_F_ALL_STATES	0x1	/* squeue --states=all / sacct -a */
#define FILTER_F_ALL_USERS	0x2	/* sacct -a / --allusers */
#define FILTER_F_PARTS		0x4	/* reply may come in MSG_JOB_LIST_PART
					   frames before the MSG_JOB_LIST */

/*
 * scancel.  Targets are ids and/or filters.  tasks, parallel to ids (or
 * NULL when no id names tasks): the array tasks of ids[i] to cancel, as
 * an index set "3" / "1-3" (src/common/arrayspec.h), NULL for the whole
 * job or array.  steps, parallel to ids (or NULL when no id names a
 * step): the step id of ids[i] ("12.3"), NO_VAL for the whole job.
 */
struct cancel_req {
	uint32_t	*ids;
	char		**tasks;
	uint32_t	*steps;
	uint32_t	 nids;
	uint32_t	 signal;	/* 0: cancel (TERM..KILL); else signal */
	uint32_t	 flags;		/* CANCEL_F_* */
	uint32_t	 states;	/* -t mask, 0 = any */
	char		**users;
	char		**names;
	char		**partitions;
};
#define CANCEL_F_BATCH		0x1	/* -b: signal only the batch shell */
#define CANCEL_F_FULL		0x2	/* -f: all processes of the batch step */

struct node_info {
	char		*name;
	uint32_t	 cpus;		/* configured CPUs */
	uint32_t	 alloc_cpus;
	uint64_t	 real_mem_mb;
	uint64_t	 alloc_mem_mb;
	uint64_t	 free_mem_mb;
	uint32_t	 gpus;
	uint32_t	 alloc_gpus;
	uint32_t	 sockets, cores_per_socket, threads_per_core;
	uint32_t	 load_x100;	/* 1-minute load * 100 */
	char		*features;
	char		*arch;
	char		*os;
	char		*state;		/* IDLE, MIXED, ALLOCATED, ... */
	char		*partitions;	/* "cpu,debug" */
	int64_t		 boot_time;
	int64_t		 start_time;	/* daemon start */
	char		*gpu_type;	/* TYPE of Gres=gpu:TYPE:N, or NULL */
};

struct part_info {
	char		*name;
	uint8_t		 is_default;
	uint8_t		 state_up;	/* 1 UP, 0 DOWN, 2 DRAIN, 3 INACTIVE */
	uint32_t	 max_time;	/* minutes or INFINITE */
	uint32_t	 default_time;	/* minutes or NO_VAL */
	uint32_t	 max_nodes;	/* INFINITE */
	uint32_t	 priority_tier;
	uint32_t	 total_cpus;
	char		*nodes;
	char		*allow_groups;	/* NULL: ALL */
	char		*allow_accounts;	/* NULL: ALL */
	uint32_t	 priority_job_factor;
	uint8_t		 hidden;	/* the caller is not in AllowGroups:
					 * sinfo/scontrol show it with -a */
	uint32_t	 max_cpus_per_node;	/* INFINITE (0: not set) */
	uint64_t	 max_mem_per_node;	/* MB, 0: unlimited */
};

void	 job_init(struct job *);	/* zero + NO_VAL defaults */
void	 job_free(struct job *);	/* frees strings */
void	 job_copy(struct job *dst, const struct job *src);	/* deep */
void	 proto_job_put(struct msg *, const struct job *);
/* The same, leaving out the fields in omit (they decode as defaults). */
void	 proto_job_put_some(struct msg *, const struct job *, uint64_t omit);
/* The bit of the field at offsetof(struct job, f) for omit masks (0 for a
 * field that cannot be left out). */
uint64_t job_field_bit(size_t off);
/* The value of key in job.extra's "Key=Value" lines: a pointer into
 * extra and its length in *len, or NULL if extra has no such line. */
const char *job_extra(const char *extra, const char *key, size_t *len);
int	 proto_job_get(struct msg *, struct job *);	/* -1: bad */

/*
 * A MSG_JOB_LIST payload (u32 count, then that many job records) decoded
 * at once, for clients that list many jobs.  The strings of all records
 * live in arenas owned by the list (a string equal to the same field of
 * the previous record is shared), so the records must not be given to
 * job_free(): job_list_free() releases records and strings.
 * proto_job_list_get decodes a payload into an empty list;
 * proto_job_list_add appends the records of one more (the parts of a
 * listing sent as MSG_JOB_LIST_PART frames).  Both return -1 (list
 * released and empty, msg->err set) on a malformed payload; bytes after
 * the last record are left unread.
 */
struct job_list {
	struct job	*jobs;
	size_t		 n;
	size_t		 cap;		/* room in jobs[] */
	char		**arenas;	/* every string of jobs[] */
	size_t		 narenas;
	size_t		 map_len;	/* jobs is a mapping this long, or 0 */
};

int	 proto_job_list_get(struct msg *, struct job_list *);
int	 proto_job_list_add(struct msg *, struct job_list *);
/* The same, leaving the strings of the fields in skip (job_field_bit)
 * at NULL: the caller reads none of them, so they are not copied. */
int	 proto_job_list_add_some(struct msg *, struct job_list *,
	    uint64_t skip);
/* Make room for n records before they arrive (-1 if it cannot). */
int	 job_list_expect(struct job_list *, size_t n);
void	 job_list_free(struct job_list *);

void	 job_desc_init(struct job_desc *);
void	 job_desc_free(struct job_desc *);
void	 proto_job_desc_put(struct msg *, const struct job_desc *);
int	 proto_job_desc_get(struct msg *, struct job_desc *);

void	 job_filter_free(struct job_filter *);
void	 proto_filter_put(struct msg *, const struct job_filter *);
int	 proto_filter_get(struct msg *, struct job_filter *);

void	 cancel_req_free(struct cancel_req *);
void	 proto_cancel_put(struct msg *, const struct cancel_req *);
int	 proto_cancel_get(struct msg *, struct cancel_req *);

void	 node_info_free(struct node_info *);
void	 proto_node_put(struct msg *, const struct node_info *);
int	 proto_node_get(struct msg *, struct node_info *);
void	 part_info_free(struct part_info *);
void	 proto_part_put(struct msg *, const struct part_info *);
int	 proto_part_get(struct msg *, struct part_info *);

/* Names.  job_state_name: "PENDING"; job_state_short: "PD". */
const char	*job_state_name(uint32_t);
const char	*job_state_short(uint32_t);
/* Parses a long or short state name (any case), -1 if unknown. */
int		 job_state_parse(const char *);
const char	*job_reason_name(uint32_t);
bool		 job_state_is_final(uint32_t);
/* sbatch -W's exit code for a job that ended in a state with a wait(2)
 * status; for an array, the highest over its tasks. */
int		 job_wait_code(uint32_t, int32_t);
/* j is task `task` of array array_id, or holds it (pending or cancelled
 * while pending) in its array_spec. */
bool		 job_is_task(const struct job *j, uint32_t array_id,
		    uint32_t task);
/* Nodes of the job: 1 once allocated (berth has one node), else -N. */
uint32_t	 job_nodes(const struct job *);
/* Memory on its node in MB (--mem, or --mem-per-cpu times its CPUs), and
 * over all its nodes, as Slurm's TRES and MinMemory show it. */
uint64_t	 job_mem_node(const struct job *);
/* The same from the fields it reads (berthd's struct job_head). */
uint64_t	 job_mem_node_of(uint64_t mem_mb, uint32_t flags, uint32_t ncpus);
uint64_t	 job_mem_total(const struct job *);

#endif
