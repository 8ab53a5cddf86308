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
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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
GETTER(get_tres_per_node);
GETTER(get_na);
GETTER(get_uid);
GETTER(get_user);
GETTER(get_wckey);
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
	{ "Command",		'o', "COMMAND",		20, get_command },
	{ "Comment",		'k', "COMMENT",		20, get_comment },
	{ "Contiguous",		'O', "CONTIGUOUS",	20, get_contiguous },
	{ "Cores",		'I', "CORES_PER_SOCKET", 20, get_cores },
	{ "CoreSpec",		'X', "CORE_SPEC",	20, get_core_spec },
	{ "cpus-per-task",	0,   "CPUS_PER_TASK",	20, get_cpus_per_task },
	{ "cpus-per-tres",	0,   "CPUS_PER_TRES",	20, get_na },
	{ "CPUsPerTask",	0,   "CPUS_PER_TASK",	20, get_cpus_per_task },
	{ "Deadline",		0,   "DEADLINE",	20, get_deadline },
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
	{ "Priority",		'p', "PRIORITY",	20, get_priority },
	{ "PriorityLong",	'Q', "PRIORITY",	20, get_priority_long },
	{ "QOS",		'q', "QOS",		20, get_qos },
	{ "Reason",		'r', "REASON",		20, get_reason },
	{ "ReasonList",		'R', "NODELIST(REASON)", 20, get_reason_list },
	{ "ReqNodes",		'n', "REQ_NODES",	20, get_req_nodes },
	{ "Requeue",		0,   "REQUEUE",		20, get_requeue },
	{ "Reservation",	'v', "RESERVATION",	20, get_null },
	{ "RestartCnt",		0,   "RESTARTCNT",	20, get_restart_cnt },
	{ "SchedNodes",		'Y', "SCHEDNODES",	20, get_null },
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
	{ "tres-per-job",	0,   "TRES_PER_JOB",	20, get_na },
	{ "tres-per-node",	0,   "TRES_PER_NODE",	20, get_tres_per_node },
	{ "UserId",		'U', "UID",		20, get_uid },
	{ "UserName",		'u', "USER",		20, get_user },
	{ "WCKey",		'w', "WCKEY",		20, get_wckey },
	{ "WorkDir",		'Z', "WORK_DIR",	20, get_workdir },
};

const struct fmt_table fmt_job_table = { job_fields, nitems(job_fields) };

void
fmt_str0(struct buf *b, const char *s)
{
	buf_adds(b, s != NULL ? s : "(null)");
}

uint64_t
fmt_job_mem_total(const struct job *j)
{
	if (j->flags & JOB_F_MEM_PER_CPU)
		return j->mem_mb * (j->ncpus > 0 ? j->ncpus : 1);
	return j->mem_mb * (j->min_nodes > 0 ? j->min_nodes : 1);
}

void
fmt_job_tres(struct buf *b, const struct job *j, int flags)
{
	uint32_t nodes = j->min_nodes > 0 ? j->min_nodes : 1;
	uint64_t mem = fmt_job_mem_total(j);

	if (flags & FMT_TRES_BY_NAME) {
		if (flags & FMT_TRES_BILLING)
			buf_printf(b, "billing=%u,", j->ncpus);
		buf_printf(b, "cpu=%u,", j->ncpus);
		if (j->gpus > 0)
			buf_printf(b, "gres/gpu=%u,", j->gpus);
		if (mem > 0) {
			buf_adds(b, "mem=");
			fmt_mem_mb(b, mem);
			buf_addc(b, ',');
		}
		buf_printf(b, "node=%u", nodes);
		return;
	}
	buf_printf(b, "cpu=%u,", j->ncpus);
	if (mem > 0) {
		buf_adds(b, "mem=");
		fmt_mem_mb(b, mem);
		buf_addc(b, ',');
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
	if (j->array_job_id != 0 && j->array_task_id != NO_VAL)
		buf_printf(b, "%u_%u", j->array_job_id, j->array_task_id);
	else
		buf_printf(b, "%u", j->id);
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
	buf_printf(b, "%u", j->array_job_id != 0 ? j->array_job_id : j->id);
}

static void
get_array_task_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;

	(void)c;
	if (jr->array_tasks != NULL)
		buf_adds(b, jr->array_tasks);
	else if (jr->job->array_job_id != 0 &&
	    jr->job->array_task_id != NO_VAL)
		buf_printf(b, "%u", jr->job->array_task_id);
	else
		buf_adds(b, "N/A");
}

static void
get_batch_flag(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "1");
}

static void
get_batch_host(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->nodelist;

	(void)c;
	buf_adds(b, n != NULL && *n != '\0' ? n : "n/a");
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
	buf_adds(b, "0");
}

static void
get_cores(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "*");
}

static void
get_core_spec(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "N/A");
}

static void
get_cpus_per_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->cpus_per_task);
}

static void
get_deadline(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "N/A");
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
	buf_adds(b, "0:0");
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

	if (end == 0 && j->state == JOB_RUNNING && j->start_time != 0) {
		if (j->time_limit == INFINITE || j->time_limit == NO_VAL) {
			buf_adds(b, "NONE");
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
	buf_adds(b, n != NULL ? n : "");
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
	buf_printf(b, "%u", JR(r)->gid);
}

static void
get_group(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->group != NULL && *j->group != '\0')
		buf_adds(b, j->group);
	else
		buf_printf(b, "%u", j->gid);
}

static void
get_job_array_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;

	(void)c;
	if (jr->array_tasks != NULL)
		buf_printf(b, "%u_[%s]", jr->job->array_job_id,
		    jr->array_tasks);
	else
		fmt_job_id(b, jr->job);
}

static void
get_job_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->id);
}

static void
get_licenses(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "(null)");
}

static void
get_max_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "0");
}

static void
get_max_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	uint32_t n = JR(r)->max_nodes;

	(void)c;
	buf_printf(b, "%u", n == NO_VAL || n == INFINITE ? 0 : n);
}

static void
get_min_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->cpus_per_task);
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
	buf_adds(b, "0");
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
	buf_printf(b, "%d", (int)JR(r)->nice);
}

static void
get_nodelist(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->nodelist;

	(void)c;
	buf_adds(b, n != NULL ? n : "");
}

static void
get_num_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->ncpus);
}

static void
get_num_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->min_nodes);
}

static void
get_num_tasks(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->ntasks);
}

static void
get_null(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "(null)");
}

static void
get_oversubscribe(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, (JR(r)->flags & JOB_F_EXCLUSIVE) ? "NO" : "OK");
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
	buf_printf(b, "%" PRId64, from != 0 && to > from ? to - from : 0);
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
	buf_printf(b, "%u", JR(r)->priority);
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
		buf_adds(b, jr->reason);
	else
		buf_adds(b, job_reason_name(jr->job->reason));
}

/* "(Reason)" for pending, failed and timed-out jobs, else the nodes. */
static void
get_reason_list(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct fmt_job_rec *jr = r;
	uint32_t s = jr->job->state;

	if (s == JOB_PENDING || s == JOB_TIMEOUT || s == JOB_FAILED ||
	    s == JOB_OOM || s == JOB_DEADLINE) {
		buf_addc(b, '(');
		get_reason(b, r, c);
		buf_addc(b, ')');
	} else
		get_nodelist(b, r, c);
}

static void
get_req_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = JR(r)->req_nodes;

	(void)c;
	buf_adds(b, n != NULL ? n : "");
}

static void
get_requeue(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, (JR(r)->flags & JOB_F_REQUEUE) ? "1" : "0");
}

static void
get_restart_cnt(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->restarts);
}

static void
get_sct(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "*:*:*");
}

static void
get_sockets(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "*");
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
	buf_adds(b, job_state_name(JR(r)->state));
}

static void
get_state_compact(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, job_state_short(JR(r)->state));
}

static void
get_std_err(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	if (j->std_err != NULL)
		buf_adds(b, j->std_err);
	else
		get_std_out(b, r, c);
}

static void
get_std_in(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	buf_adds(b, j->std_in != NULL ? j->std_in : "/dev/null");
}

static void
get_std_out(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->std_out != NULL)
		buf_adds(b, j->std_out);
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
	buf_adds(b, "*");
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
		buf_adds(b, "(null)");
	else
		fmt_job_tres(b, j, FMT_TRES_BILLING);
}

static void
get_tres_per_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *g = JR(r)->gres;

	(void)c;
	if (g != NULL && *g != '\0')
		buf_printf(b, "gres:%s", g);
	else
		buf_adds(b, "N/A");
}

static void
get_na(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "N/A");
}

static void
get_uid(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", JR(r)->uid);
}

static void
get_user(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = JR(r);

	(void)c;
	if (j->user != NULL && *j->user != '\0')
		buf_adds(b, j->user);
	else
		buf_printf(b, "%u", j->uid);
}

static void
get_wckey(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_str0(b, JR(r)->wckey);
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
			buf_addc(&b, ',');
		if (v[k - 1] == v[i])
			buf_printf(&b, "%u", v[i]);
		else
			buf_printf(&b, "%u-%u", v[i], v[k - 1]);
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

/* sacct: tasks that never ran are still the one array record in Slurm. */
static bool
unstarted_task(const struct job *j)
{
	return j->array_job_id != 0 && j->array_task_id != NO_VAL &&
	    (j->nodelist == NULL || *j->nodelist == '\0');
}

static size_t
combine(struct fmt_job_rec *v, size_t n, bool (*can)(const struct job *))
{
	const struct job *a, *t;
	struct buf reason;
	uint32_t *ids;
	size_t out = 0, nids;
	bool *gone;

	gone = xcalloc(n + 1, sizeof *gone);
	ids = xcalloc(n + 1, sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		if (gone[i])
			continue;
		v[out] = v[i];
		a = v[i].job;
		if (!can(a) || v[i].array_tasks != NULL) {
			out++;
			continue;
		}
		nids = 0;
		ids[nids++] = a->array_task_id;
		buf_init(&reason);
		buf_adds(&reason, job_reason_name(a->reason));
		for (size_t k = i + 1; k < n; k++) {
			t = v[k].job;
			if (gone[k] || !can(t) || t->state != a->state ||
			    t->array_job_id != a->array_job_id ||
			    !same_str(t->name, a->name) ||
			    !same_str(t->partition, a->partition))
				continue;
			gone[k] = true;
			ids[nids++] = t->array_task_id;
			if (strstr(reason.data, job_reason_name(t->reason)) ==
			    NULL) {
				buf_addc(&reason, ',');
				buf_adds(&reason, job_reason_name(t->reason));
			}
		}
		if (nids > 1) {
			v[out].array_tasks = ranges(ids, nids);
			v[out].reason = buf_steal(&reason);
		}
		buf_free(&reason);
		out++;
	}
	free(ids);
	free(gone);
	return out;
}

size_t
fmt_job_combine(struct fmt_job_rec *v, size_t n)
{
	return combine(v, n, pending_task);
}

size_t
fmt_job_combine_unstarted(struct fmt_job_rec *v, size_t n)
{
	return combine(v, n, unstarted_task);
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
 * Sorting.  Slurm sorts with a stable sort once per key, last key first,
 * after a pre-sort by start time (latest first); that is a lexicographic
 * comparison over the keys, then start time descending, then the order the
 * daemon sent.  Unknown start times count as "now + 100" as in Slurm's
 * _get_start_time(), except for the S key, where they sort last (as the
 * recorded `squeue --start` shows).
 */
struct sort_key {
	char	 key;
	bool	 rev;
};

struct sort_ctx {
	struct sort_key	*keys;
	size_t		 nkeys;
	int64_t		 now;
};

struct sort_ent {
	const struct fmt_job_rec *rec;
	size_t		 idx;
};

static int
cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int64_t
start_key(const struct job *j, int64_t now, bool unknown_last)
{
	if (j->start_time == 0)
		return unknown_last ? INT64_MAX : now + 100;
	if (j->state == JOB_PENDING && j->start_time < now)
		return now;
	return j->start_time;
}

static int64_t
time_left(const struct job *j, int64_t now)
{
	if (j->time_limit == INFINITE || j->time_limit == NO_VAL)
		return INFINITE;
	return (int64_t)j->time_limit * 60 - fmt_job_elapsed(j, now);
}

static int
cmp_key(char key, const struct job *a, const struct job *b, int64_t now)
{
	uint32_t ia, ib;

	switch (key) {
	case 'B':
	case 'N':
		return cmp_str(a->nodelist, b->nodelist);
	case 'C':
		return cmp_i64(a->ncpus, b->ncpus);
	case 'D':
		return cmp_i64(a->min_nodes, b->min_nodes);
	case 'e':
		return cmp_i64(a->end_time, b->end_time);
	case 'g':
		return cmp_str(a->group, b->group);
	case 'G':
		return cmp_i64(a->gid, b->gid);
	case 'i':
		ia = a->array_job_id != 0 && a->array_task_id != NO_VAL ?
		    a->array_job_id : a->id;
		ib = b->array_job_id != 0 && b->array_task_id != NO_VAL ?
		    b->array_job_id : b->id;
		if (ia != ib)
			return cmp_i64(ia, ib);
		return cmp_i64(a->array_task_id, b->array_task_id);
	case 'j':
		return cmp_str(a->name, b->name);
	case 'l':
		return cmp_i64(a->time_limit, b->time_limit);
	case 'L':
		return cmp_i64(time_left(a, now), time_left(b, now));
	case 'm':
		return cmp_i64((int64_t)a->mem_mb, (int64_t)b->mem_mb);
	case 'M':
		return cmp_i64(fmt_job_elapsed(a, now),
		    fmt_job_elapsed(b, now));
	case 'p':
	case 'Q':
		return cmp_i64(a->priority, b->priority);
	case 'P':
		return cmp_str(a->partition, b->partition);
	case 'S':
		return cmp_i64(start_key(a, now, true),
		    start_key(b, now, true));
	case 't':
		return strcmp(job_state_short(a->state),
		    job_state_short(b->state));
	case 'T':
		return strcmp(job_state_name(a->state),
		    job_state_name(b->state));
	case 'u':
		return cmp_str(a->user, b->user);
	case 'U':
		return cmp_i64(a->uid, b->uid);
	case 'V':
		return cmp_i64(a->submit_time, b->submit_time);
	}
	return 0;
}

static int
sort_cmp(const void *va, const void *vb, void *vctx)
{
	const struct sort_ent *a = va, *b = vb;
	const struct sort_ctx *ctx = vctx;
	int d;

	for (size_t i = 0; i < ctx->nkeys; i++) {
		d = cmp_key(ctx->keys[i].key, a->rec->job, b->rec->job,
		    ctx->now);
		if (d != 0)
			return ctx->keys[i].rev ? -d : d;
	}
	d = cmp_i64(start_key(b->rec->job, ctx->now, false),
	    start_key(a->rec->job, ctx->now, false));
	if (d != 0)
		return d;
	return cmp_i64((int64_t)a->idx, (int64_t)b->idx);
}

int
fmt_job_sort(struct fmt_job_rec *v, size_t n, const char *spec, int64_t now,
    char **cause)
{
	static const char known[] = "BCDeEgGijlLmMNpPQStTuUVcdfhnOvz";
	struct sort_ctx ctx;
	struct sort_ent *ents;
	struct fmt_job_rec *tmp;
	size_t len;

	if (spec == NULL)
		spec = "P,t,-p";
	len = strlen(spec);
	ctx.keys = xcalloc(len + 1, sizeof *ctx.keys);
	ctx.nkeys = 0;
	ctx.now = now;
	for (size_t i = 0; i < len; i++) {
		if (spec[i] == ',' || spec[i] == '+' || spec[i] == '-')
			continue;
		if (strchr(known, spec[i]) == NULL) {
			xasprintf(cause, "Invalid sort specification: %c",
			    spec[i]);
			free(ctx.keys);
			return -1;
		}
		ctx.keys[ctx.nkeys].key = spec[i];
		ctx.keys[ctx.nkeys].rev = i > 0 && spec[i - 1] == '-';
		ctx.nkeys++;
	}
	ents = xcalloc(n + 1, sizeof *ents);
	tmp = xcalloc(n + 1, sizeof *tmp);
	for (size_t i = 0; i < n; i++) {
		tmp[i] = v[i];
		ents[i].rec = &tmp[i];
		ents[i].idx = i;
	}
	qsort_r(ents, n, sizeof *ents, sort_cmp, &ctx);
	for (size_t i = 0; i < n; i++)
		v[i] = *ents[i].rec;
	free(tmp);
	free(ents);
	free(ctx.keys);
	return 0;
}
