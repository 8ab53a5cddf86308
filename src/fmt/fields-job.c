/* SPDX-License-Identifier: MIT */
/*
 * squeue's field table: one row per %letter / -O name, sorted by name
 * (strcasecmp) for bsearch, with the headers Slurm prints.  Records are
 * const struct fmt_job_rec * (a job plus what squeue computes for it:
 * the task list of combined pending array tasks and the merged reason).
 *
 * Also here, because they are squeue's pure logic and unit-testable:
 * combining pending array tasks into one "ID_[0-5]" line (Slurm does this
 * in the client too, _combine_pending_array_tasks) and sorting (-S keys,
 * default "P,t,-p" on top of Slurm's start-time pre-sort).
 *
 * Values follow Slurm's print.c: NULL strings print "(null)", unset
 * times "N/A", node lists "" while pending.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/arrayspec.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "fmt-int.h"

#define JR(rec)		(((const struct fmt_job_rec *)(rec))->job)
#define GETTER(name)	static void name(struct buf *, const void *, \
			    const struct fmt_ctx *)

GETTER(get_account);
GETTER(get_accrue_time);
GETTER(get_array_job_id);
GETTER(get_array_task_id);
GETTER(get_batch_flag);
GETTER(get_batch_host);
GETTER(get_command);
GETTER(get_comment);
GETTER(get_contiguous);
GETTER(get_cores);
GETTER(get_core_spec);
GETTER(get_cpus_per_task);
GETTER(get_deadline);
GETTER(get_dependency);
GETTER(get_derived_ec);
GETTER(get_eligible_time);
GETTER(get_end_time);
GETTER(get_exc_nodes);
GETTER(get_exit_code);
GETTER(get_features);
GETTER(get_gid);
GETTER(get_group);
GETTER(get_job_array_id);
GETTER(get_job_id);
GETTER(get_licenses);
GETTER(get_max_cpus);
GETTER(get_max_nodes);
GETTER(get_min_cpus);
GETTER(get_min_memory);
GETTER(get_min_time);
GETTER(get_min_tmp_disk);
GETTER(get_name);
GETTER(get_nice);
GETTER(get_nodelist);
GETTER(get_num_cpus);
GETTER(get_num_nodes);
GETTER(get_num_tasks);
GETTER(get_null);
GETTER(get_oversubscribe);
GETTER(get_partition);
GETTER(get_pending_time);
GETTER(get_priority);
GETTER(get_priority_long);
GETTER(get_qos);
GETTER(get_reason);
GETTER(get_reason_list);
GETTER(get_req_nodes);
GETTER(get_requeue);
GETTER(get_restart_cnt);
GETTER(get_sct);
GETTER(get_sockets);
GETTER(get_start_time);
GETTER(get_state);
GETTER(get_state_compact);
GETTER(get_std_err);
GETTER(get_std_in);
GETTER(get_std_out);
GETTER(get_submit_time);
GETTER(get_threads);
GETTER(get_time_left);
GETTER(get_time_limit);
GETTER(get_time_used);
GETTER(get_tres_alloc);
GETTER(get_tres_per_job);
GETTER(get_tres_per_node);
GETTER(get_tres_per_task);
GETTER(get_na);
GETTER(get_uid);
GETTER(get_null_nodes);
GETTER(get_user);
GETTER(get_wckey);
GETTER(get_burst_buffer);
GETTER(get_cluster_features);
GETTER(get_container);
GETTER(get_delay_boot);
GETTER(get_mcs_label);
GETTER(get_prefer);
GETTER(get_workdir);

/* Sorted by strcasecmp(name); tests check the order. */
static const struct fmt_field job_fields[] = {
	{ "Account",		'a', "ACCOUNT",		20, get_account },
	{ "AccrueTime",		0,   "ACCRUE_TIME",	20, get_accrue_time },
	{ "admin_comment",	0,   "ADMIN_COMMENT",	20, get_null },
	{ "ArrayJobId",		'F', "ARRAY_JOB_ID",	20, get_array_job_id },
	{ "ArrayTaskId",	'K', "ARRAY_TASK_ID",	20, get_array_task_id },
	{ "BatchFlag",		0,   "BATCH_FLAG",	20, get_batch_flag },
	{ "BatchHost",		'B', "EXEC_HOST",	20, get_batch_host },
	{ "BurstBuffer",	0,   "BURST_BUFFER",	20, get_burst_buffer },
	{ "BurstBufferState", 0, "BURST_BUFFER_STATE", 20, get_null },
	{ "ClusterFeature",	0,   "CLUSTER_FEATURES", 20,
	    get_cluster_features },
	{ "Command",		'o', "COMMAND",		20, get_command },
	{ "Comment",		'k', "COMMENT",		20, get_comment },
	{ "Container",		0,   "CONTAINER",	20, get_container },
	{ "Contiguous",		'O', "CONTIGUOUS",	20, get_contiguous },
	{ "Cores",		'I', "CORES_PER_SOCKET", 20, get_cores },
	{ "CoreSpec",		'X', "CORE_SPEC",	20, get_core_spec },
	{ "cpus-per-task",	0,   "CPUS_PER_TASK",	20, get_cpus_per_task },
	{ "cpus-per-tres",	0,   "CPUS_PER_TRES",	20, get_na },
	{ "CPUsPerTask",	0,   "CPUS_PER_TASK",	20, get_cpus_per_task },
	{ "Deadline",		0,   "DEADLINE",	20, get_deadline },
	{ "DelayBoot",		0,   "DELAY_BOOT",	20, get_delay_boot },
	{ "Dependency",		'E', "DEPENDENCY",	20, get_dependency },
	{ "DerivedEC",		0,   "DERIVED_EC",	20, get_derived_ec },
	{ "EligibleTime",	0,   "ELIGIBLE_TIME",	20, get_eligible_time },
	{ "EndTime",		'e', "END_TIME",	20, get_end_time },
	{ "ExcNodes",		'x', "EXC_NODES",	20, get_exc_nodes },
	{ "exit_code",		0,   "EXIT_CODE",	20, get_exit_code },
	{ "Feature",		'f', "FEATURES",	20, get_features },
	{ "Gres",		'b', "TRES_PER_NODE",	20, get_tres_per_node },
	{ "GroupId",		'G', "GROUP",		20, get_gid },
	{ "GroupName",		'g', "GROUP",		20, get_group },
	{ "JobArrayId",		'i', "JOBID",		20, get_job_array_id },
	{ "JobId",		'A', "JOBID",		20, get_job_id },
	{ "Licenses",		'W', "LICENSES",	20, get_licenses },
	{ "MaxCPUs",		0,   "MAX_CPUS",	20, get_max_cpus },
	{ "MaxNodes",		0,   "MAX_NODES",	20, get_max_nodes },
	{ "MCSLabel",		0,   "MCSLABEL",	20, get_mcs_label },
	{ "MinCPUs",		'c', "MIN_CPUS",	20, get_min_cpus },
	{ "MinMemory",		'm', "MIN_MEMORY",	20, get_min_memory },
	{ "MinTime",		0,   "MIN_TIME",	20, get_min_time },
	{ "MinTmpDisk",		'd', "MIN_TMP_DISK",	20, get_min_tmp_disk },
	{ "Name",		'j', "NAME",		20, get_name },
	{ "Nice",		'y', "NICE",		20, get_nice },
	{ "NodeList",		'N', "NODELIST",	20, get_nodelist },
	{ "NumCPUs",		'C', "CPUS",		20, get_num_cpus },
	{ "NumNodes",		'D', "NODES",		20, get_num_nodes },
	{ "NumTasks",		0,   "TASKS",		20, get_num_tasks },
	{ "OverSubscribe",	'h', "OVER_SUBSCRIBE",	20, get_oversubscribe },
	{ "Partition",		'P', "PARTITION",	20, get_partition },
	{ "PendingTime",	0,   "PENDING_TIME",	20, get_pending_time },
	{ "Prefer",		0,   "PREFER",		20, get_prefer },
	{ "Priority",		'p', "PRIORITY",	20, get_priority },
	{ "PriorityLong",	'Q', "PRIORITY",	20, get_priority_long },
	{ "QOS",		'q', "QOS",		20, get_qos },
	{ "Reason",		'r', "REASON",		20, get_reason },
	{ "ReasonList",		'R', "NODELIST(REASON)", 20, get_reason_list },
	{ "ReqNodes",		'n', "REQ_NODES",	20, get_req_nodes },
	{ "Requeue",		0,   "REQUEUE",		20, get_requeue },
	{ "Reservation",	'v', "RESERVATION",	20, get_null },
	{ "RestartCnt",		0,   "RESTARTCNT",	20, get_restart_cnt },
	{ "SchedNodes",		'Y', "SCHEDNODES",	20, get_null_nodes },
	{ "SCT",		'z', "S:C:T",		20, get_sct },
	{ "Sockets",		'H', "SOCKETS_PER_NODE", 20, get_sockets },
	{ "StartTime",		'S', "START_TIME",	20, get_start_time },
	{ "State",		'T', "STATE",		20, get_state },
	{ "StateCompact",	't', "ST",		20, get_state_compact },
	{ "StdErr",		0,   "STDERR",		20, get_std_err },
	{ "StdIn",		0,   "STDIN",		20, get_std_in },
	{ "StdOut",		0,   "STDOUT",		20, get_std_out },
	{ "SubmitTime",		'V', "SUBMIT_TIME",	20, get_submit_time },
	{ "system_comment",	0,   "SYSTEM_COMMENT",	20, get_null },
	{ "Threads",		'J', "THREADS_PER_CORE", 20, get_threads },
	{ "TimeLeft",		'L', "TIME_LEFT",	20, get_time_left },
	{ "TimeLimit",		'l', "TIME_LIMIT",	20, get_time_limit },
	{ "TimeUsed",		'M', "TIME",		20, get_time_used },
	{ "tres-alloc",		0,   "TRES_ALLOC",	20, get_tres_alloc },
	{ "tres-per-job",	0,   "TRES_PER_JOB",	20, get_tres_per_job },
	{ "tres-per-node",	0,   "TRES_PER_NODE",	20, get_tres_per_node },
	{ "tres-per-task",	0,   "TRES_PER_TASK",	20, get_tres_per_task },
	{ "UserId",		'U', "UID",		20, get_uid },
	{ "UserName",		'u', "USER",		20, get_user },
	{ "WCKey",		'w', "WCKEY",		20, get_wckey },
	{ "WorkDir",		'Z', "WORK_DIR",	20, get_workdir },
};

const struct fmt_table fmt_job_table = { job_fields, nitems(job_fields) };

void
fmt_job_nocut(struct fmt_list *l)
{
	for (size_t i = 0; i < l->ncols; i++) {
		fmt_get_fn *g = l->cols[i].field->get;

		if (g == get_nodelist || g == get_null_nodes)
			l->cols[i].flags = FMT_F_NOCUT_HDR | FMT_F_NOCUT;
		else if (g == get_reason_list)
			l->cols[i].flags = FMT_F_NOCUT_HDR |
			    FMT_F_NOCUT_NODES;
		else if (g == get_req_nodes || g == get_exc_nodes)
			l->cols[i].flags = FMT_F_NOCUT;
		else if (g == get_time_left || g == get_time_limit ||
		    g == get_time_used)
			l->cols[i].flags = FMT_F_NOCUT_TIME;
	}
}

void
fmt_str0(struct buf *b, const char *s)
{
	fmt_adds(b, s != NULL ? s : "(null)");
}

void
fmt_job_tres(struct buf *b, const struct job *j, int flags)
{
	uint32_t nodes = j->min_nodes > 0 ? j->min_nodes : 1;
	uint64_t mem = job_mem_total(j);

	if (flags & FMT_TRES_BY_NAME) {
		if (flags & FMT_TRES_BILLING)
			buf_printf(b, "billing=%u,", j->ncpus);
		buf_printf(b, "cpu=%u,", j->ncpus);
		if (j->gpus > 0)
			buf_printf(b, "gres/gpu=%u,", j->gpus);
		if (mem > 0) {
			fmt_adds(b, "mem=");
			fmt_mem_mb(b, mem);
			fmt_addc(b, ',');
		}
		buf_printf(b, "node=%u", nodes);
		return;
	}
	buf_printf(b, "cpu=%u,", j->ncpus);
	if (mem > 0) {
		fmt_adds(b, "mem=");
		fmt_mem_mb(b, mem);
		fmt_addc(b, ',');
	}
	buf_printf(b, "node=%u", nodes);
	if (flags & FMT_TRES_BILLING)
		buf_printf(b, ",billing=%u", j->ncpus);
	if (j->gpus > 0)
		buf_printf(b, ",gres/gpu=%u", j->gpus);
}

void
fmt_job_id(struct buf *b, const struct job *j)
{
	if (j->array_job_id != 0 && j->array_task_id != NO_VAL) {
		fmt_u64(b, j->array_job_id);
		fmt_addc(b, '_');
		fmt_u64(b, j->array_task_id);
	} else
		fmt_u64(b, j->id);
}

/* Slurm's job_time_used(): 0 while pending, to now while running. */
int64_t
fmt_job_elapsed(const struct job *j, int64_t now)
{
	int64_t end;

	if (j->start_time == 0 || j->state == JOB_PENDING)
		return 0;
	if (j->state == JOB_RUNNING || j->end_time == 0)
		end = now;
	else
		end = j->end_time;
	return end > j->start_time ? end - j->start_time : 0;
}

static void
get_account(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->account);
}

static void
get_accrue_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, JR(r)->eligible_time, "N/A");
}

static void
get_array_job_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	fmt_u64(b, j->array_job_id != 0 ? j->array_job_id : j->id);
}

static void
get_array_task_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;

	(void)c;
	if (jr->array_tasks != NULL)
		fmt_adds(b, jr->array_tasks);
	else if (jr->job->array_job_id != 0 &&
	    jr->job->array_task_id != NO_VAL)
		fmt_u64(b, jr->job->array_task_id);
	else
		fmt_adds(b, "N/A");
}

static void
get_batch_flag(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "1");
}

static void
get_batch_host(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->nodelist;

	(void)c;
	fmt_adds(b, n != NULL && *n != '\0' ? n : "n/a");
}

static void
get_command(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->command);
}

static void
get_comment(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->comment);
}

static void
get_contiguous(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "0");
}

static void
get_cores(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "*");
}

static void
get_core_spec(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "N/A");
}

static void
get_cpus_per_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->cpus_per_task);
}

static void
get_deadline(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, JR(r)->deadline, "N/A");
}

static void
get_dependency(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->dependency);
}

static void
get_derived_ec(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "0:0");
}

static void
get_eligible_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, JR(r)->eligible_time, "N/A");
}

/* Slurm: "NONE" for an unlimited job still running, N/A when unknown. */
static void
get_end_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);
	int64_t end = j->end_time;

	/* A pending job with a start time (--begin, a planned start) has
	 * an end too, as in squeue 22.05. */
	if (end == 0 && (j->state == JOB_RUNNING ||
	    j->state == JOB_PENDING) && j->start_time != 0) {
		if (j->time_limit == INFINITE || j->time_limit == NO_VAL) {
			fmt_adds(b, "NONE");
			return;
		}
		end = j->start_time + (int64_t)j->time_limit * 60;
	}
	(void)c;
	fmt_timestamp(b, end, "N/A");
}

static void
get_exc_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->exc_nodes;

	(void)c;
	fmt_adds(b, n != NULL ? n : "");
}

static void
get_exit_code(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_exit_code(b, JR(r)->exit_status);
}

static void
get_features(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->features);
}

static void
get_gid(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->gid);
}

static void
get_group(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->group != NULL && *j->group != '\0')
		fmt_adds(b, j->group);
	else
		fmt_u64(b, j->gid);
}

static void
get_job_array_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;

	(void)c;
	if (jr->array_tasks != NULL) {
		fmt_u64(b, jr->job->array_job_id);
		fmt_add(b, "_[", 2);
		fmt_adds(b, jr->array_tasks);
		fmt_addc(b, ']');
	} else
		fmt_job_id(b, jr->job);
}

static void
get_job_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->id);
}

static void
get_licenses(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "(null)");
}

static void
get_max_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "0");
}

static void
get_max_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	uint32_t n = JR(r)->max_nodes;

	(void)c;
	fmt_u64(b, n == NO_VAL || n == INFINITE ? 0 : n);
}

static void
get_min_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->cpus_per_task);
}

static void
get_min_memory(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_mem_mb(b, JR(r)->mem_mb);
}

static void
get_min_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	uint32_t t = JR(r)->time_min;

	(void)c;
	fmt_duration(b, t == NO_VAL || t == INFINITE ? 0 : (int64_t)t * 60);
}

static void
get_min_tmp_disk(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "0");
}

static void
get_name(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->name);
}

static void
get_nice(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_i64(b, JR(r)->nice);
}

static void
get_nodelist(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->nodelist;

	(void)c;
	fmt_adds(b, n != NULL ? n : "");
}

static void
get_num_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->ncpus);
}

static void
get_num_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->min_nodes);
}

static void
get_num_tasks(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->ntasks);
}

static void
get_null(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "(null)");
}

/* SCHEDNODES: berth plans no nodes; a getter of its own for the
 * column's printing rule (fmt_job_nocut). */
static void
get_null_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	get_null(b, r, c);
}

static void
get_oversubscribe(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, (JR(r)->flags & JOB_F_EXCLUSIVE) ? "NO" : "OK");
}

static void
get_partition(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->partition);
}

static void
get_pending_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);
	int64_t from = j->eligible_time != 0 ? j->eligible_time :
	    j->submit_time, to;

	to = j->start_time != 0 ? j->start_time : c->now;
	fmt_i64(b, from != 0 && to > from ? to - from : 0);
}

static void
get_priority(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%16.14f", (double)JR(r)->priority / 4294967295.0);
}

static void
get_priority_long(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->priority);
}

static void
get_qos(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->qos);
}

static void
get_reason(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;

	(void)c;
	if (jr->reason != NULL)
		fmt_adds(b, jr->reason);
	else
		fmt_adds(b, job_reason_name(jr->job->reason));
}

/* "(Reason)" for pending, failed and timed-out jobs, else the nodes. */
static void
get_reason_list(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;
	uint32_t s = jr->job->state;

	if (s == JOB_PENDING || s == JOB_TIMEOUT || s == JOB_FAILED ||
	    s == JOB_OOM || s == JOB_DEADLINE) {
		fmt_addc(b, '(');
		get_reason(b, r, c);
		fmt_addc(b, ')');
	} else
		get_nodelist(b, r, c);
}

static void
get_req_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->req_nodes;

	(void)c;
	fmt_adds(b, n != NULL ? n : "");
}

static void
get_requeue(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, (JR(r)->flags & JOB_F_REQUEUE) ? "1" : "0");
}

static void
get_restart_cnt(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->restarts);
}

static void
get_sct(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "*:*:*");
}

static void
get_sockets(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "*");
}

static void
get_start_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, JR(r)->start_time, "N/A");
}

static void
get_state(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, job_state_name(JR(r)->state));
}

static void
get_state_compact(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, job_state_short(JR(r)->state));
}

static void
get_std_err(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	if (j->std_err != NULL)
		fmt_adds(b, j->std_err);
	else
		get_std_out(b, r, c);
}

static void
get_std_in(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	fmt_adds(b, j->std_in != NULL ? j->std_in : "/dev/null");
}

static void
get_std_out(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->std_out != NULL)
		fmt_adds(b, j->std_out);
	else if (j->array_job_id != 0 && j->array_task_id != NO_VAL)
		buf_printf(b, "%s/slurm-%u_%u.out",
		    j->workdir != NULL ? j->workdir : "", j->array_job_id,
		    j->array_task_id);
	else
		buf_printf(b, "%s/slurm-%u.out",
		    j->workdir != NULL ? j->workdir : "", j->id);
}

static void
get_submit_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, JR(r)->submit_time, "N/A");
}

static void
get_threads(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "*");
}

static void
get_time_left(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	if (j->time_limit == INFINITE || j->time_limit == NO_VAL)
		fmt_time_limit(b, j->time_limit);
	else
		fmt_duration(b, (int64_t)j->time_limit * 60 -
		    fmt_job_elapsed(j, c->now));
}

static void
get_time_limit(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_time_limit(b, JR(r)->time_limit);
}

static void
get_time_used(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	fmt_duration(b, fmt_job_elapsed(JR(r), c->now));
}

static void
get_tres_alloc(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->start_time == 0)
		fmt_adds(b, "(null)");
	else
		fmt_job_tres(b, j, FMT_TRES_BILLING);
}

/* A GPU request (struct job's TresPer* strings), N/A if none. */
static void
tres_per_or_na(struct buf *b, const char *req)
{
	if (req != NULL && *req != '\0')
		fmt_tres_per(b, req);
	else
		fmt_adds(b, "N/A");
}

static void
get_tres_per_job(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres_per_or_na(b, JR(r)->tres_per_job);
}

static void
get_tres_per_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres_per_or_na(b, JR(r)->gres);
}

static void
get_tres_per_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres_per_or_na(b, JR(r)->tres_per_task);
}

static void
get_na(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "N/A");
}

static void
get_uid(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, JR(r)->uid);
}

static void
get_user(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->user != NULL && *j->user != '\0')
		fmt_adds(b, j->user);
	else
		fmt_u64(b, j->uid);
}

static void
get_wckey(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->wckey);
}

/* A "Key=Value" of job.extra (opt_extra_show), else "(null)". */
static void
extra_or_null(struct buf *b, const struct job *j, const char *key)
{
	const char *v;
	size_t len;

	if ((v = job_extra(j->extra, key, &len)) == NULL)
		fmt_adds(b, "(null)");
	else
		fmt_add(b, v, len);
}

static void
get_burst_buffer(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	extra_or_null(b, JR(r), "BurstBuffer");
}

static void
get_cluster_features(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	extra_or_null(b, JR(r), "ClusterFeatures");
}

static void
get_container(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	extra_or_null(b, JR(r), "Container");
}

/* DELAY_BOOT: the wait as squeue prints times ("5:00"), "0:00" if none. */
static void
get_delay_boot(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *v;
	size_t len;
	unsigned h = 0, m = 0, sec = 0;

	(void)c;
	if ((v = job_extra(JR(r)->extra, "DelayBoot", &len)) != NULL &&
	    sscanf(v, "%u:%u:%u", &h, &m, &sec) != 3)
		h = m = sec = 0;
	fmt_duration(b, (int64_t)h * 3600 + m * 60 + sec);
}

static void
get_mcs_label(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	extra_or_null(b, JR(r), "MCS_label");
}

static void
get_prefer(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	extra_or_null(b, JR(r), "Prefer");
}

static void
get_workdir(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->workdir);
}

/*
 * Combining pending array tasks.  Slurm's squeue merges every pending task
 * of an array (same name and partition) into one record shown as
 * "ID_[0-1,3-5]", its reason the distinct task reasons joined by ',';
 * -r/--array shows them one by one instead.
 */
static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static char *
ranges(uint32_t *v, size_t n)
{
	struct buf b;
	size_t i, k;

	qsort(v, n, sizeof *v, u32_cmp);
	buf_init(&b);
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && v[k] <= v[k - 1] + 1; k++)
			;
		if (b.len > 0)
			fmt_addc(&b, ',');
		fmt_u64(&b, v[i]);
		if (v[k - 1] != v[i]) {
			fmt_addc(&b, '-');
			fmt_u64(&b, v[k - 1]);
		}
	}
	return buf_steal(&b);
}

static bool
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
pending_task(const struct job *j)
{
	return j->state == JOB_PENDING && j->array_job_id != 0 &&
	    j->array_task_id != NO_VAL;
}

char *
fmt_job_array_pending(const struct job *j)
{
	struct arrayspec a;
	char *s, *t;

	if (j->array_spec == NULL || arrayspec_parse(j->array_spec,
	    UINT32_MAX, &a, NULL, NULL) == -1)
		return NULL;
	s = arrayspec_display(&a);
	arrayspec_free(&a);
	if (j->array_max_running == 0)
		return s;
	xasprintf(&t, "%s%%%u", s, j->array_max_running);
	free(s);
	return t;
}

struct job *
fmt_job_unfold(const struct job *v, size_t n, size_t *nout, size_t **origin)
{
	struct job *out;
	struct arrayspec a;
	size_t cap = n + 1, k = 0, *from;

	out = xreallocarray(NULL, cap, sizeof *out);
	from = xreallocarray(NULL, cap, sizeof *from);
	for (size_t i = 0; i < n; i++) {
		if (v[i].array_spec == NULL || v[i].state != JOB_PENDING ||
		    arrayspec_parse(v[i].array_spec, UINT32_MAX, &a, NULL,
		    NULL) == -1) {
			from[k] = i;
			out[k++] = v[i];
			continue;
		}
		cap += arrayspec_count(&a);
		out = xreallocarray(out, cap, sizeof *out);
		from = xreallocarray(from, cap, sizeof *from);
		while (!arrayspec_empty(&a)) {
			out[k] = v[i];
			out[k].array_spec = NULL;
			out[k].array_task_id = arrayspec_take(&a);
			from[k++] = i;
		}
		arrayspec_free(&a);
	}
	*nout = k;
	if (origin != NULL)
		*origin = from;
	else
		free(from);
	return out;
}

/* A record split off an array, at v[k], sorted by array, then by id (for
 * fmt_job_places()) or by its place k (for fmt_job_combine()). */
struct split_rec {
	uint32_t	 array_job_id;
	uint32_t	 id;		/* or k */
	size_t		 k;
};

static int
split_rec_cmp(const void *pa, const void *pb)
{
	const struct split_rec *a = pa, *b = pb;

	if (a->array_job_id != b->array_job_id)
		return a->array_job_id < b->array_job_id ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

void
fmt_job_places(const struct job *v, size_t n, uint32_t *place)
{
	struct split_rec *sr, *own;
	size_t nsr = 0, nown = 0, o = 0, end;

	/* Only array records need room (none in most listings: a calloc
	 * of a row per job was as many fresh pages to clear). */
	for (size_t i = 0; i < n; i++) {
		if (v[i].array_job_id == 0)
			continue;
		if (v[i].id != v[i].array_job_id)
			nsr++;
		else
			nown++;
	}
	sr = xreallocarray(NULL, nsr + 1, sizeof *sr);
	own = xreallocarray(NULL, nown + 1, sizeof *own);
	nsr = nown = 0;
	for (size_t i = 0; i < n; i++) {
		place[i] = v[i].id;
		if (v[i].array_job_id == 0)
			continue;
		if (v[i].id != v[i].array_job_id)
			sr[nsr++] = (struct split_rec){ v[i].array_job_id,
			    v[i].id, i };
		else
			own[nown++] = (struct split_rec){ v[i].id, v[i].id,
			    i };
	}
	qsort(sr, nsr, sizeof *sr, split_rec_cmp);
	qsort(own, nown, sizeof *own, split_rec_cmp);
	for (size_t r = 0; r < nsr; r = end) {
		for (end = r + 1; end < nsr &&
		    sr[end].array_job_id == sr[r].array_job_id; end++)
			;
		for (size_t t = r; t < end; t++)
			place[sr[t].k] = t == r ? sr[t].array_job_id :
			    sr[t - 1].id;
		while (o < nown && own[o].id < sr[r].array_job_id)
			o++;
		if (o < nown && own[o].id == sr[r].array_job_id)
			place[own[o].k] = sr[end - 1].id;
	}
	free(own);
	free(sr);
}

/* Slurm's _merge_job_reason: the record's reason, then each task's that
 * differs and is not already in the text, after a comma. */
static void
merge_reason(struct buf *b, const struct job *a, const struct job *t)
{
	const char *r = job_reason_name(t->reason);

	if (t->reason == a->reason)
		return;
	if (b->len == 0)
		fmt_adds(b, job_reason_name(a->reason));
	if (strstr(b->data, r) == NULL) {
		fmt_addc(b, ',');
		fmt_adds(b, r);
	}
}

/*
 * squeue's _combine_pending_array_tasks: a pending array record (the
 * tasks not yet split off, array_spec) takes back every pending task of
 * its array that was split off (held, updated, requeued) and has its name
 * and partition; its task list becomes the union, without the throttle
 * (Slurm re-formats the bitmap), and the tasks' reasons join its own.
 * Tasks whose array has no pending record are not merged with each
 * other, as in Slurm.  The split tasks are sorted by array once, so
 * each record looks at its own array's only (10,000 pending arrays once
 * cost a quarter of a second here).
 */
size_t
fmt_job_combine(struct fmt_job_rec *v, size_t n)
{
	const struct job *a, *t;
	struct split_rec *st;
	struct arrayspec as;
	struct buf reason;
	uint32_t *ids = NULL;
	size_t out = 0, nids, nst = 0, lo, hi, mid, k;
	bool *gone;

	gone = xcalloc(n + 1, sizeof *gone);
	for (k = 0; k < n; k++) {
		t = v[k].job;
		if (pending_task(t) && t->array_spec == NULL)
			nst++;
	}
	st = xreallocarray(NULL, nst + 1, sizeof *st);	/* none, usually */
	nst = 0;
	for (k = 0; k < n; k++) {
		t = v[k].job;
		if (pending_task(t) && t->array_spec == NULL)
			st[nst++] = (struct split_rec){ t->array_job_id,
			    (uint32_t)k, k };
	}
	qsort(st, nst, sizeof *st, split_rec_cmp);
	for (size_t i = 0; i < n; i++) {
		a = v[i].job;
		if (v[i].array_tasks == NULL && a->array_spec != NULL)
			v[i].array_tasks = fmt_job_array_pending(a);
		if (a->state != JOB_PENDING || a->array_spec == NULL ||
		    v[i].array_tasks == NULL)
			continue;
		/* The first split task of this array. */
		for (lo = 0, hi = nst; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (st[mid].array_job_id < a->array_job_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		nids = 0;
		buf_init(&reason);
		for (; lo < nst && st[lo].array_job_id == a->array_job_id;
		    lo++) {
			k = st[lo].k;
			t = v[k].job;
			if (k == i || gone[k] || !same_str(t->name, a->name) ||
			    !same_str(t->partition, a->partition))
				continue;
			if (nids == 0) {
				if (arrayspec_parse(a->array_spec, UINT32_MAX,
				    &as, NULL, NULL) == -1)
					break;
				ids = xreallocarray(ids, arrayspec_count(&as) +
				    nst + 1, sizeof *ids);
				while (!arrayspec_empty(&as))
					ids[nids++] = arrayspec_take(&as);
				arrayspec_free(&as);
			}
			gone[k] = true;
			ids[nids++] = t->array_task_id;
			merge_reason(&reason, a, t);
		}
		if (nids > 0) {
			free(v[i].array_tasks);
			v[i].array_tasks = ranges(ids, nids);
			if (reason.len > 0)
				v[i].reason = buf_steal(&reason);
		}
		buf_free(&reason);
	}
	for (size_t i = 0; i < n; i++)
		if (!gone[i])
			v[out++] = v[i];
	free(st);
	free(ids);
	free(gone);
	return out;
}

/*
 * sacct: every record is a row of its own, as in Slurm's database: the
 * array's pending record ("ID_[0-1,4-5]", the tasks still in it) and
 * each task split off it (held, updated or started on its own) even if
 * it never ran, in its own row (41_scancel: `ID_3` and the array's row;
 * checked on real Slurm 22.05.8 after `scontrol hold ID_3`, `scancel
 * ID_2`, `scancel -t PENDING`: rows ID_3 and ID_[0-1,4-5] once the
 * array's record reached the database; the recorded ID_[0-5] is the
 * record as submitted, the cancel having come within a second).  Only
 * the array records' task lists are filled in.
 */
size_t
fmt_job_array_rows(struct fmt_job_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].array_tasks == NULL && v[i].job->array_spec != NULL)
			v[i].array_tasks = fmt_job_array_pending(v[i].job);
	return n;
}

void
fmt_job_rec_free(struct fmt_job_rec *r)
{
	free(r->array_tasks);
	free(r->reason);
	r->array_tasks = NULL;
	r->reason = NULL;
}

/*
 * Sorting.  Slurm sorts with a stable sort (glibc's merge sort) once per
 * key, last key first, after a pre-sort by start time (latest first) of
 * the jobs in slurmctld's list order (fmt_job_places); that is a
 * lexicographic comparison over the keys, then start time descending,
 * then the place in that list.  Unknown start times sort last, in the
 * pre-sort and for the S key in either direction, as real squeue 22.05
 * does (checked: `squeue -S u`, `-S S` and `-S -S` list held and
 * dependent jobs after the running ones).  Its comparison puts the first
 * of two such jobs after the second, so each start-time sort reverses
 * the order the jobs of unknown start time had: three held jobs (same
 * priority) 53, 54, 55 show as 55, 54, 53, and `-S S,i` lists them by id
 * descending (the S sort comes after the i sort), all checked on real
 * Slurm 22.05.8.  So where two jobs of unknown start time meet at a
 * start-time column, the order of the columns after it is reversed.  The
 * tasks of an array record shown one per line (-r) are one job to the
 * sort (squeue expands them when printing), in task order.  A pending
 * job's start time in the past counts as now.  The e key is the end time
 * squeue shows, an unlimited job's being its start plus a year
 * (slurmctld's end_time for INFINITE).
 *
 * Each key is turned into a number per record once, before sorting (a
 * string into its rank among the distinct values), so comparing two
 * records compares a few integers.  Numbers are mapped to uint64_t
 * keeping their order; a reversed key is complemented.  Each column is
 * an array of its own, kept only if its records differ, less its least
 * value, in 32 bits when that fits: 10,000 held jobs under the default
 * keys differ in one column (their place in the list), 40 KB where a
 * matrix of all seven columns was 560 KB of fresh pages to fault in.  A
 * column the same for all records compares nothing, except a start-time
 * column where every start is unknown: that reverses the columns after
 * it for every pair alike.
 */
struct sort_col {
	void		*v;		/* n numbers, less the least */
	bool		 wide;		/* uint64_t, else uint32_t */
	bool		 flip;		/* a "start time unknown" column */
	bool		 fixed;		/* never reversed (the last one) */
	bool		 rev;		/* reversed by a dropped column */
};

struct sort_ctx {
	const struct sort_col *cols;
	size_t		 w;
	bool		 rev;		/* the columns dropped so far
					 * reverse those that follow */
};

static uint64_t
ord(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

static int64_t
start_key(const struct job *j, int64_t now)
{
	if (j->state == JOB_PENDING && j->start_time != 0 &&
	    j->start_time < now)
		return now;
	return j->start_time;
}

/* The end time %e shows, a year after the start for no limit. */
static int64_t
end_key(const struct job *j)
{
	if (j->end_time != 0 || j->start_time == 0 ||
	    (j->state != JOB_RUNNING && j->state != JOB_PENDING))
		return j->end_time;
	if (j->time_limit == INFINITE || j->time_limit == NO_VAL)
		return j->start_time + 365 * 86400;
	return j->start_time + (int64_t)j->time_limit * 60;
}

static int64_t
time_left(const struct job *j, int64_t now)
{
	if (j->time_limit == INFINITE || j->time_limit == NO_VAL)
		return INFINITE;
	return (int64_t)j->time_limit * 60 - fmt_job_elapsed(j, now);
}

/* A string key's value (NULL compares as ""); NULL if key is numeric. */
static const char *
key_str(char key, const struct job *j)
{
	const char *s;

	switch (key) {
	case 'B':
	case 'N':
		s = j->nodelist;
		break;
	case 'g':
		s = j->group;
		break;
	case 'j':
		s = j->name;
		break;
	case 'P':
		s = j->partition;
		break;
	case 't':
		s = job_state_short(j->state);
		break;
	case 'T':
		s = job_state_name(j->state);
		break;
	case 'u':
		s = j->user;
		break;
	default:
		return NULL;
	}
	return s != NULL ? s : "";
}

/*
 * A numeric key's value; false for keys that compare nothing (letters
 * squeue accepts but never compares on).  'i' is two numbers: the array
 * (or job) id here, the task id as second.
 */
static bool
key_num(char key, const struct job *j, int64_t now, int64_t *v)
{
	switch (key) {
	case 'C':
		*v = j->ncpus;
		break;
	case 'D':
		*v = j->min_nodes;
		break;
	case 'e':
		*v = end_key(j);
		break;
	case 'G':
		*v = j->gid;
		break;
	case 'i':
		*v = j->array_job_id != 0 && j->array_task_id != NO_VAL ?
		    j->array_job_id : j->id;
		break;
	case 'l':
		*v = j->time_limit;
		break;
	case 'L':
		*v = time_left(j, now);
		break;
	case 'm':
		*v = (int64_t)j->mem_mb;
		break;
	case 'M':
		*v = fmt_job_elapsed(j, now);
		break;
	case 'p':
	case 'Q':
		*v = j->priority;
		break;
	case 'S':
		*v = start_key(j, now);
		break;
	case 'U':
		*v = j->uid;
		break;
	case 'V':
		*v = j->submit_time;
		break;
	default:
		return false;
	}
	return true;
}

static uint64_t
str_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

struct uniq {
	const char	*s;
	uint32_t	 id;
};

static int
uniq_cmp(const void *a, const void *b)
{
	return strcmp(((const struct uniq *)a)->s, ((const struct uniq *)b)->s);
}

/*
 * The rank of each record's string for key (key_str) among the distinct
 * ones (strcmp order) into k[i] (complemented if rev).  Distinct strings
 * are found with a hash table and only they are sorted; the table grows
 * with them, so a listing of few distinct values touches little memory.
 */
static void
str_ranks(const struct fmt_job_rec *v, size_t n, char key, uint64_t *k,
    bool rev)
{
	struct uniq *u = NULL;
	const char *last = NULL, *s;
	uint32_t *slot, *rank, lastid = 0, nu = 0, ucap = 0;
	size_t size = 16, h;

	slot = xcalloc(size, sizeof *slot);	/* distinct id + 1, or 0 */
	for (size_t i = 0; i < n; i++) {
		s = key_str(key, v[i].job);
		if (s == last) {	/* records often share the string */
			k[i] = lastid;
			continue;
		}
		h = (size_t)str_hash(s) & (size - 1);
		while (slot[h] != 0 && strcmp(u[slot[h] - 1].s, s) != 0)
			h = (h + 1) & (size - 1);
		if (slot[h] == 0) {
			if (nu == ucap) {
				ucap = ucap != 0 ? 2 * ucap : 16;
				u = xreallocarray(u, ucap, sizeof *u);
			}
			u[nu].s = s;
			u[nu].id = nu;
			slot[h] = ++nu;
			if (2 * (size_t)nu > size) {	/* rehash */
				free(slot);
				size *= 2;
				slot = xcalloc(size, sizeof *slot);
				for (uint32_t d = 0; d < nu; d++) {
					h = (size_t)str_hash(u[d].s) &
					    (size - 1);
					while (slot[h] != 0)
						h = (h + 1) & (size - 1);
					slot[h] = d + 1;
				}
				h = (size_t)str_hash(s) & (size - 1);
				while (slot[h] != nu)
					h = (h + 1) & (size - 1);
			}
		}
		k[i] = lastid = slot[h] - 1;
		last = s;
	}
	qsort(u, nu, sizeof *u, uniq_cmp);
	rank = xcalloc((size_t)nu + 1, sizeof *rank);
	for (uint32_t r = 0; r < nu; r++)
		rank[u[r].id] = r;
	for (size_t i = 0; i < n; i++)
		k[i] = rev ? ~(uint64_t)rank[k[i]] : rank[k[i]];
	free(rank);
	free(u);
	free(slot);
}

/*
 * The columns in order; where both start times are unknown (a flip
 * column, 1 for both) the order of what follows reverses, down to the
 * place in the job list.  The task of an unfolded array record (the
 * fixed column) keeps its order.
 */
static int
sort_cmp(const void *va, const void *vb, void *vctx)
{
	const struct sort_ctx *ctx = vctx;
	uint32_t a = *(const uint32_t *)va, b = *(const uint32_t *)vb;
	uint64_t x, y;
	int sign = 1;

	for (size_t i = 0; i < ctx->w; i++) {
		const struct sort_col *c = &ctx->cols[i];

		if (c->wide) {
			x = ((const uint64_t *)c->v)[a];
			y = ((const uint64_t *)c->v)[b];
		} else {
			x = ((const uint32_t *)c->v)[a];
			y = ((const uint32_t *)c->v)[b];
		}
		if (c->flip && x == 1 && y == 1) {
			sign = -sign;
			continue;
		}
		if (x != y)
			return (x < y ? -1 : 1) * (c->fixed ? 1 :
			    c->rev ? -sign : sign);
	}
	return a < b ? -1 : a > b;
}

/*
 * Column col of the sort from the n numbers in k (which it may keep:
 * returns true if it did).  Left out when all are equal (a flip column
 * of all 1 reversing the order of the columns after it instead).
 */
static bool
sort_col_add(struct sort_ctx *ctx, struct sort_col *col, uint64_t *k,
    size_t n, bool flip, bool fixed)
{
	uint64_t lo = k[0], hi = k[0];
	uint32_t *v32;

	for (size_t r = 1; r < n; r++) {
		if (k[r] < lo)
			lo = k[r];
		if (k[r] > hi)
			hi = k[r];
	}
	if (lo == hi) {
		if (flip && lo == 1)
			ctx->rev = !ctx->rev;
		return false;
	}
	col->flip = flip;	/* a flip column's least is 0: kept as is */
	col->fixed = fixed;
	col->rev = ctx->rev;
	if (hi - lo > UINT32_MAX) {
		for (size_t r = 0; r < n; r++)
			k[r] -= lo;
		col->v = k;
		col->wide = true;
		ctx->w++;
		return true;
	}
	v32 = xreallocarray(NULL, n, sizeof *v32);
	for (size_t r = 0; r < n; r++)
		v32[r] = (uint32_t)(k[r] - lo);
	col->v = v32;
	col->wide = false;
	ctx->w++;
	return false;
}

/*
 * What squeue may leave out of its query (job_filter.omit): the long
 * strings that no column of the usual formats reads.  Columns listed in
 * light_getters[] read none of heavy_fields[], nor do squeue's filters,
 * array merging and sort keys other than 'g' (group); any other column
 * keeps every field.
 */
static fmt_get_fn *const light_getters[] = {
	get_account, get_array_job_id, get_array_task_id, get_eligible_time,
	get_end_time, get_gid, get_job_array_id, get_job_id, get_min_cpus,
	get_min_memory, get_name, get_nodelist, get_null, get_num_cpus,
	get_num_nodes, get_partition, get_priority, get_priority_long,
	get_qos, get_reason, get_reason_list, get_start_time, get_state,
	get_state_compact, get_submit_time, get_time_left, get_time_limit,
	get_time_used, get_uid, get_user,
};

static const size_t heavy_fields[] = {
	offsetof(struct job, group), offsetof(struct job, wckey),
	offsetof(struct job, comment), offsetof(struct job, workdir),
	offsetof(struct job, std_out), offsetof(struct job, std_err),
	offsetof(struct job, std_in), offsetof(struct job, command),
	offsetof(struct job, dependency), offsetof(struct job, features),
	offsetof(struct job, gres), offsetof(struct job, cpu_ids),
	offsetof(struct job, gpu_ids), offsetof(struct job, submit_line),
	offsetof(struct job, req_nodes), offsetof(struct job, exc_nodes),
	offsetof(struct job, tres_per_job), offsetof(struct job, tres_per_task),
};

/* The bits of heavy_fields[]: what squeue and sacct may leave out. */
uint64_t
fmt_job_heavy_mask(void)
{
	uint64_t mask = 0;

	for (size_t k = 0; k < nitems(heavy_fields); k++)
		mask |= job_field_bit(heavy_fields[k]);
	return mask;
}

uint64_t
fmt_job_omit(const struct fmt_list *l, const char *sort)
{
	uint64_t omit;
	size_t k;

	for (size_t i = 0; i < l->ncols; i++) {
		for (k = 0; k < nitems(light_getters); k++)
			if (l->cols[i].field->get == light_getters[k])
				break;
		if (k == nitems(light_getters))
			return 0;
	}
	omit = fmt_job_heavy_mask();
	if (sort != NULL && strchr(sort, 'g') != NULL)
		omit &= ~job_field_bit(offsetof(struct job, group));
	return omit;
}

/* v[r] = v[idx[r]] for every r, in place (idx is left as 0..n-1). */
static void
permute(struct fmt_job_rec *v, uint32_t *idx, size_t n)
{
	struct fmt_job_rec save;
	size_t j, k;

	for (size_t i = 0; i < n; i++) {
		if (idx[i] == i)
			continue;
		save = v[i];
		for (j = i;; j = k) {
			k = idx[j];
			idx[j] = (uint32_t)j;
			if (k == i) {
				v[j] = save;
				break;
			}
			v[j] = v[k];
		}
	}
}

int
fmt_job_sort(struct fmt_job_rec *v, size_t n, const char *spec, int64_t now,
    char **cause)
{
	static const char known[] = "BCDeEgGijlLmMNpPQStTuUVcdfhnOvz";
	struct sort_ctx ctx;
	struct sort_col *cols;
	uint64_t *k;
	uint32_t *idx, task;
	size_t len, w = 0;
	bool rev, sorted;
	int64_t num;

	if (spec == NULL)
		spec = "P,t,-p";
	len = strlen(spec);
	for (size_t i = 0; i < len; i++) {
		if (spec[i] == ',' || spec[i] == '+' || spec[i] == '-')
			continue;
		if (strchr(known, spec[i]) == NULL) {
			xasprintf(cause, "Invalid sort specification: %c",
			    spec[i]);
			return -1;
		}
	}
	if (n < 2)
		return 0;

	/*
	 * Columns: one per key ('i' and 'S' two), then start time,
	 * descending (two), the place in the job list and the task of an
	 * unfolded record.  The first of a start time's two columns puts
	 * unknown ones last whatever the direction (and flips, sort_cmp).
	 * Each is computed into k, which a column kept in 64 bits keeps.
	 */
	w = 4;
	for (size_t i = 0; i < len; i++) {
		if (key_str(spec[i], v[0].job) != NULL ||
		    key_num(spec[i], v[0].job, now, &num))
			w += spec[i] == 'i' || spec[i] == 'S' ? 2 : 1;
	}
	cols = xcalloc(w, sizeof *cols);
	ctx.cols = cols;
	ctx.w = 0;
	ctx.rev = false;
	k = xreallocarray(NULL, n, sizeof *k);
#define SORT_COL(flip, fixed) do {					\
	if (sort_col_add(&ctx, &cols[ctx.w], k, n, (flip), (fixed)))	\
		k = xreallocarray(NULL, n, sizeof *k);			\
} while (0)
	for (size_t i = 0; i < len; i++) {
		char key = spec[i];

		rev = i > 0 && spec[i - 1] == '-';
		if (key_str(key, v[0].job) != NULL) {
			str_ranks(v, n, key, k, rev);
			SORT_COL(false, false);
			continue;
		}
		if (!key_num(key, v[0].job, now, &num))
			continue;	/* ',', '-', or a key comparing nothing */
		if (key == 'S') {
			for (size_t r = 0; r < n; r++)
				k[r] = v[r].job->start_time == 0;
			SORT_COL(true, false);
		}
		for (size_t r = 0; r < n; r++) {
			key_num(key, v[r].job, now, &num);
			k[r] = rev ? ~ord(num) : ord(num);
		}
		SORT_COL(false, false);
		if (key == 'i') {
			/* An array record sorts as one job, its task id
			 * NO_VAL, however it is shown. */
			for (size_t r = 0; r < n; r++) {
				task = v[r].unfolded ? NO_VAL :
				    v[r].job->array_task_id;
				k[r] = rev ? ~ord(task) : ord(task);
			}
			SORT_COL(false, false);
		}
	}
	for (size_t r = 0; r < n; r++)
		k[r] = v[r].job->start_time == 0;
	SORT_COL(true, false);
	for (size_t r = 0; r < n; r++)
		k[r] = ~ord(start_key(v[r].job, now));
	SORT_COL(false, false);
	for (size_t r = 0; r < n; r++)
		k[r] = v[r].place != 0 ? v[r].place : v[r].job->id;
	SORT_COL(false, false);
	for (size_t r = 0; r < n; r++)
		k[r] = v[r].unfolded ? v[r].job->array_task_id : 0;
	SORT_COL(false, true);
#undef SORT_COL
	free(k);

	idx = xreallocarray(NULL, n, sizeof *idx);
	sorted = true;
	for (size_t r = 0; r < n; r++) {
		idx[r] = (uint32_t)r;
		if (r > 0 && sorted && sort_cmp(&idx[r - 1], &idx[r], &ctx) > 0)
			sorted = false;
	}
	if (!sorted) {
		qsort_r(idx, n, sizeof *idx, sort_cmp, &ctx);
		permute(v, idx, n);
	}
	free(idx);
	for (size_t i = 0; i < ctx.w; i++)
		free(cols[i].v);
	free(cols);
	return 0;
}
