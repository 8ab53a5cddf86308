/* SPDX-License-Identifier: MIT */
/*
 * scontrol's record printers: `show job`, `show node`, `show partition`,
 * `show config` and the ping line, in Slurm 22.05's layout.
 *
 * Layout rules copied from Slurm (src/api/job_info.c and friends): every
 * line of a record after the first is introduced by line_end, which is
 * "\n   " normally and " " with -o (one-liner); a record ends with "\n\n"
 * normally (the blank separator line) and "\n" with -o.  The job record
 * ends with an extra line_end, hence Slurm's "   Power=\n   \n\n".
 * Trailing spaces inside lines ("NodeName=vm Arch=x86_64 CoresPerSocket=2 ",
 * "OS=... ", "Partitions=... ", "Comment=... ") are Slurm's and kept.
 *
 * Where berth measures nothing the constant Slurm prints on a plain
 * cluster is used (MCS_label=N/A, Reboot=0, CapWatts=n/a, ...).  Values
 * the job record does not carry are derived; each derivation is noted at
 * its site and in docs/compat.md.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/arrayspec.h"
#include "../common/xmalloc.h"
#include "../fmt/fmt.h"
#include "../proto/step.h"
#include "cli.h"
#include "scontrol.h"

static const char	*nz(const char *);
static const char	*line_end(const struct show_opts *);
static void		 end_record(struct buf *, const struct show_opts *);
static void		 user_name(struct buf *, const struct job *);
static void		 group_name(struct buf *, const struct job *);
static bool		 job_active(const struct job *);
static void		 job_default_out(struct buf *, const struct job *);
static void		 job_stdout(struct buf *, const struct job *);
static void		 job_stderr(struct buf *, const struct job *);
static void		 job_stdin(struct buf *, const struct job *);
static void		 part_time(struct buf *, uint32_t, const char *);

/* The value of key in job.extra's "Key=Value" lines, else dflt. */
static void
extra_value(struct buf *b, const char *extra, const char *key,
    const char *dflt)
{
	const char *v;
	size_t len;

	if ((v = job_extra(extra, key, &len)) != NULL)
		buf_add(b, v, len);
	else
		buf_adds(b, dflt);
}

/* pre, "Key=Value" of job.extra, post: if job.extra has key. */
static void
extra_line(struct buf *b, const char *pre, const char *post,
    const char *extra, const char *key)
{
	size_t before = b->len, mark;

	buf_printf(b, "%s%s=", pre, key);
	mark = b->len;
	extra_value(b, extra, key, "");
	if (b->len == mark) {
		b->len = before;
		b->data[before] = '\0';
	} else
		buf_adds(b, post);
}

/* Slurm prints "(null)" for a NULL string through printf("%s"). */
static const char *
nz(const char *s)
{
	return s != NULL ? s : "(null)";
}

static const char *
line_end(const struct show_opts *o)
{
	return o->one_liner ? " " : "\n   ";
}

static void
end_record(struct buf *b, const struct show_opts *o)
{
	buf_adds(b, o->one_liner ? "\n" : "\n\n");
}

/*
 * The owner's names come from the daemon with the record (it resolves
 * them; this binary links statically, without NSS): the number when the
 * record has no name.
 */
static void
user_name(struct buf *b, const struct job *j)
{
	if (j->user != NULL)
		buf_adds(b, j->user);
	else
		buf_printf(b, "%u", j->uid);
}

static void
group_name(struct buf *b, const struct job *j)
{
	if (j->group != NULL)
		buf_adds(b, j->group);
	else
		buf_printf(b, "%u", j->gid);
}

static bool
job_active(const struct job *j)
{
	return j->state == JOB_RUNNING || j->state == JOB_SUSPENDED;
}



/*
 * Slurm's _fname_format(): %A %a %b %j %u %x with an optional width
 * ("%5j" zero-pads; more than one digit means 10), "%%" is '%', anything
 * else (%N, %t, ...) is left as written.
 */
void
scontrol_job_path(struct buf *b, const struct job *j, const char *pattern)
{
	struct buf out;
	const char *p = pattern, *end;
	unsigned long w;
	char *e;
	int wid;

	buf_init(&out);
	while (*p != '\0') {
		if (*p != '%') {
			buf_addc(&out, *p++);
			continue;
		}
		if (p[1] == '%') {
			buf_addc(&out, '%');
			p += 2;
			continue;
		}
		wid = 0;
		end = p + 1;
		if (*end >= '0' && *end <= '9') {
			w = strtoul(end, &e, 10);
			wid = w > 9 ? 10 : (int)w;
			end = e;
		}
		switch (*end) {
		case 'A':
			buf_printf(&out, "%0*u", wid,
			    j->array_task_id == NO_VAL ? j->id :
			    j->array_job_id);
			break;
		case 'a':
			buf_printf(&out, "%0*u", wid, j->array_task_id);
			break;
		case 'b':
			buf_printf(&out, "%0*u", wid, j->array_task_id % 10);
			break;
		case 'j':
			buf_printf(&out, "%0*u", wid, j->id);
			break;
		case 'u':
			user_name(&out, j);
			break;
		case 'x':
			buf_adds(&out, nz(j->name));
			break;
		default:
			/* Not an escape scontrol knows: keep it as is. */
			buf_add(&out, p, (size_t)(end - p));
			p = end;
			continue;
		}
		p = end + 1;
	}
	if (out.len > 0 && out.data[0] == '/')
		buf_adds(b, out.data);
	else
		buf_printf(b, "%s/%s", nz(j->workdir), out.len > 0 ?
		    out.data : "");
	buf_free(&out);
}

static void
job_default_out(struct buf *b, const struct job *j)
{
	if (j->array_job_id != 0)
		buf_printf(b, "%s/slurm-%u_%u.out", nz(j->workdir),
		    j->array_job_id, j->array_task_id);
	else
		buf_printf(b, "%s/slurm-%u.out", nz(j->workdir), j->id);
}

static void
job_stdout(struct buf *b, const struct job *j)
{
	if (j->std_out != NULL)
		scontrol_job_path(b, j, j->std_out);
	else
		job_default_out(b, j);
}

static void
job_stderr(struct buf *b, const struct job *j)
{
	if (j->std_err != NULL)
		scontrol_job_path(b, j, j->std_err);
	else
		job_stdout(b, j);
}

static void
job_stdin(struct buf *b, const struct job *j)
{
	if (j->std_in != NULL)
		scontrol_job_path(b, j, j->std_in);
	else
		buf_adds(b, "/dev/null");
}

void
scontrol_show_step(struct buf *b, const struct step *s, const struct job *j,
    const struct show_opts *o)
{
	const char *le = line_end(o);
	uint64_t mem = s->mem_mb;

	if (mem == 0 && j != NULL)
		mem = job_mem_total(j);
	buf_printf(b, "StepId=%u.%u UserId=%u StartTime=", s->job_id,
	    s->step_id, s->uid);
	fmt_timestamp(b, s->start_time, "Unknown");
	buf_printf(b, " TimeLimit=UNLIMITED%s", le);
	buf_printf(b, "State=%s Partition=%s NodeList=%s%s",
	    job_state_name(s->state),
	    j != NULL && j->partition != NULL ? j->partition : "(null)",
	    o->host, le);
	buf_printf(b, "Nodes=1 CPUs=%u Tasks=%u Name=%s Network=(null)%s",
	    s->ncpus, s->ntasks, s->name != NULL ? s->name : "(null)", le);
	buf_printf(b, "TRES=cpu=%u,mem=%" PRIu64 "M,node=1", s->ncpus, mem);
	if (s->gpus > 0)
		buf_printf(b, ",gres/gpu=%u", s->gpus);
	buf_printf(b, "%sResvPorts=(null)%s", le, le);
	buf_printf(b, "CPUFreqReq=Default Dist=Block%s", le);
	buf_printf(b, "SrunHost:Pid=%s:%d", o->host, s->srun_pid);
	if (s->gpus > 0)
		buf_printf(b, "%sTresPerStep=gres/gpu:%u", le, s->gpus);
	end_record(b, o);
}

/*
 * GPU indices as Slurm's GRES=gpu:2(IDX:0-1) shows them: ranges of the
 * ascending list the daemon keeps ("0,1,3" is "0-1,3").
 */
static void
gpu_idx(struct buf *b, const char *ids)
{
	unsigned long lo, hi, v = 0;
	bool more;
	char *end;

	if (*ids == '\0' || strspn(ids, "0123456789,") != strlen(ids)) {
		buf_adds(b, ids);	/* not a list: as it is */
		return;
	}
	lo = hi = strtoul(ids, &end, 10);
	for (;;) {
		more = *end == ',';
		if (more) {
			v = strtoul(end + 1, &end, 10);
			if (v == hi + 1) {
				hi = v;
				continue;
			}
		}
		buf_printf(b, "%lu", lo);
		if (hi != lo)
			buf_printf(b, "-%lu", hi);
		if (!more)
			break;
		buf_addc(b, ',');
		lo = hi = v;
	}
}

/*
 * A pending -O job as slurmctld shows it until it starts (22.05.8, two
 * CPUs a node): its own node estimate, the tasks a node takes being
 * --ntasks-per-node, else the node's CPUs over -c (at least one), so -O
 * -n4 is 2 nodes, -O -n4 -c2 4, -O -n4 --ntasks-per-node=4 1; at least
 * -N's minimum.  One CPU per node (NumCPUs=1 for -O -n4 -c2, which gets
 * its two when it starts).  *lo and *hi are what NumNodes shows: the
 * estimate, or with -N a range up to -N's maximum, that caps it (-O -n4
 * -N1 is 1-1, -N1-3 2-3).  False when there is no such estimate.
 */
static bool
overcommit_pending(const struct job *j, const struct show_opts *o,
    uint32_t *lo, uint32_t *hi, uint32_t *cpus)
{
	const char *v;
	uint32_t per_node = 0, est;
	size_t len;

	if (!(j->flags & JOB_F_OVERCOMMIT) || j->state != JOB_PENDING ||
	    o->node_cpus == 0 || j->cpus_per_task == 0)
		return false;
	if ((v = job_extra(j->extra, "NtasksPerN", &len)) != NULL)
		per_node = (uint32_t)strtoul(v, NULL, 10);
	if (per_node == 0)
		per_node = o->node_cpus / j->cpus_per_task;
	if (per_node == 0)
		per_node = 1;
	est = (j->ntasks + per_node - 1) / per_node;
	if (est < j->min_nodes)
		est = j->min_nodes;
	*hi = (j->flags & JOB_F_NODES_SET) ? j->max_nodes : 0;
	*lo = *hi != 0 && *hi < est ? *hi : est;
	*cpus = job_nodes(j);
	return true;
}

/* One of the TresPer* lines: "TresPerJob=gres:gpu:2", none if NULL. */
static void
tres_per(struct buf *b, const char *le, const char *name, const char *req)
{
	if (req == NULL || *req == '\0')
		return;
	buf_printf(b, "%s%s=", le, name);
	fmt_tres_per(b, req);
}

void
scontrol_show_job(struct buf *b, const struct job *j,
    const struct show_opts *o)
{
	const char *le = line_end(o);
	int64_t run = 0, start, endt, accrue;
	uint32_t nodes = job_nodes(j), ncpus = j->ncpus, lo, hi;
	uint64_t mem = job_mem_total(j);
	bool oc = overcommit_pending(j, o, &lo, &hi, &ncpus);
	char *gtype;

	/* Line 1 */
	buf_printf(b, "JobId=%u ", j->id);
	if (j->array_job_id != 0 && j->array_task_id != NO_VAL) {
		buf_printf(b, "ArrayJobId=%u ArrayTaskId=%u ",
		    j->array_job_id, j->array_task_id);
		/* Every task of a throttled array shows it (real Slurm). */
		if (j->array_max_running != 0)
			buf_printf(b, "ArrayTaskThrottle=%u ",
			    j->array_max_running);
	} else if (j->array_job_id != 0 && j->array_spec != NULL) {
		/* The array record: its pending tasks, as Slurm shows them
		 * (12_sbatch_array: "ArrayTaskId=0-3%2 ArrayTaskThrottle=2"). */
		struct arrayspec a;
		char *tasks = NULL;

		if (arrayspec_parse(j->array_spec, UINT32_MAX, &a, NULL,
		    NULL) == 0) {
			tasks = arrayspec_display(&a);
			arrayspec_free(&a);
		}
		buf_printf(b, "ArrayJobId=%u ArrayTaskId=%s",
		    j->array_job_id, tasks != NULL ? tasks : "");
		if (j->array_max_running != 0)
			buf_printf(b, "%%%u ArrayTaskThrottle=%u",
			    j->array_max_running, j->array_max_running);
		buf_addc(b, ' ');
		free(tasks);
	}
	buf_printf(b, "JobName=%s%s", nz(j->name), le);

	buf_adds(b, "UserId=");
	user_name(b, j);
	buf_printf(b, "(%u) GroupId=", j->uid);
	group_name(b, j);
	buf_printf(b, "(%u) MCS_label=", j->gid);
	extra_value(b, j->extra, "MCS_label", "N/A");
	buf_adds(b, le);

	buf_printf(b, "Priority=%u Nice=%d Account=%s QOS=%s%s", j->priority,
	    j->nice, nz(j->account), nz(j->qos), le);

	buf_printf(b, "JobState=%s Reason=%s Dependency=%s%s",
	    job_state_name(j->state), job_reason_name(j->reason),
	    nz(j->dependency), le);

	/* salloc/srun allocations have no batch script: BatchFlag=0. */
	buf_printf(b, "Requeue=%u Restarts=%u BatchFlag=%d Reboot=0 ExitCode=",
	    (j->flags & JOB_F_REQUEUE) ? 1u : 0u, j->restarts,
	    (j->flags & JOB_F_INTERACTIVE) ? 0 : 1);
	fmt_exit_code(b, j->exit_status);
	buf_adds(b, le);
	if (o->details) {
		/* Slurm's derived code: the worst of the job's steps. */
		buf_adds(b, "DerivedExitCode=");
		fmt_exit_code(b, o->derived);
		buf_adds(b, le);
	}

	/* RunTime: 0 while pending, up to now while running. */
	if (j->state == JOB_PENDING || j->start_time == 0)
		run = 0;
	else if (job_active(j) || j->end_time == 0)
		run = o->now - j->start_time;
	else
		run = j->end_time - j->start_time;
	if (run < 0)
		run = 0;
	buf_adds(b, "RunTime=");
	fmt_duration_long(b, run);
	buf_adds(b, " TimeLimit=");
	fmt_time_limit_long(b, j->time_limit);
	buf_adds(b, " TimeMin=");
	if (j->time_min == 0 || j->time_min == NO_VAL)
		buf_adds(b, "N/A");
	else
		fmt_time_limit_long(b, j->time_min);
	buf_adds(b, le);

	buf_adds(b, "SubmitTime=");
	fmt_timestamp(b, j->submit_time, "Unknown");
	buf_adds(b, " EligibleTime=");
	fmt_timestamp(b, j->eligible_time, "Unknown");
	buf_adds(b, le);

	/*
	 * AccrueTime is not in the record.  Slurm starts accruing age when
	 * a job is eligible and only waits for priority or resources (or its
	 * begin time); jobs that can never run, are held, or were not yet
	 * looked at show Unknown.
	 */
	accrue = 0;
	if (j->eligible_time != 0 && (j->start_time != 0 ||
	    j->reason == WAIT_PRIORITY || j->reason == WAIT_RESOURCES ||
	    j->reason == WAIT_BEGIN_TIME))
		accrue = j->eligible_time;
	buf_adds(b, "AccrueTime=");
	fmt_timestamp(b, accrue, "Unknown");
	buf_adds(b, le);

	/* A pending job with --begin shows its begin time as start. */
	start = j->start_time;
	if (start == 0 && j->state == JOB_PENDING)
		start = j->begin_time;
	endt = j->end_time;
	if (endt == 0 && job_active(j) && j->start_time != 0 &&
	    j->time_limit != INFINITE && j->time_limit != NO_VAL)
		endt = j->start_time + (int64_t)j->time_limit * 60;
	buf_adds(b, "StartTime=");
	fmt_timestamp(b, start, "Unknown");
	buf_adds(b, " EndTime=");
	fmt_timestamp(b, endt, "Unknown");
	buf_adds(b, " Deadline=");
	fmt_timestamp(b, j->deadline, "N/A");
	buf_adds(b, le);

	/* LastSchedEval is not recorded: the start, else the submission. */
	buf_adds(b, "SuspendTime=None SecsPreSuspend=0 LastSchedEval=");
	fmt_timestamp(b, j->start_time != 0 ? j->start_time : j->submit_time,
	    "Unknown");
	buf_printf(b, " Scheduler=Main%s", le);

	buf_printf(b, "Partition=%s AllocNode:Sid=%s:0%s", nz(j->partition),
	    o->host != NULL ? o->host : "localhost", le);
	buf_printf(b, "ReqNodeList=%s ExcNodeList=%s%s", nz(j->req_nodes),
	    nz(j->exc_nodes), le);
	buf_printf(b, "NodeList=%s%s", j->nodelist != NULL ? j->nodelist : "",
	    le);
	if (j->nodelist != NULL && *j->nodelist != '\0')
		buf_printf(b, "BatchHost=%s%s", j->nodelist, le);

	if (oc && hi != 0)
		buf_printf(b, "NumNodes=%u-%u ", lo, hi);
	else if (oc)
		buf_printf(b, "NumNodes=%u ", lo);
	else if (j->state == JOB_PENDING && (j->flags & JOB_F_NODES_SET) &&
	    j->max_nodes >= j->min_nodes && j->max_nodes != INFINITE &&
	    j->max_nodes != NO_VAL)
		/* A pending job's -N as given: Slurm prints a range once
		 * there is a maximum, -N 1 as "1-1" (22.05.8). */
		buf_printf(b, "NumNodes=%u-%u ", j->min_nodes, j->max_nodes);
	else
		buf_printf(b, "NumNodes=%u ", nodes);
	buf_printf(b, "NumCPUs=%u NumTasks=%u CPUs/Task=%u "
	    "ReqB:S:C:T=0:0:*:*%s", ncpus, j->ntasks, j->cpus_per_task, le);

	if (oc && (j->flags & JOB_F_MEM_PER_CPU))
		mem = j->mem_mb * ncpus;
	buf_printf(b, "TRES=cpu=%u,mem=", ncpus);
	fmt_mem_mb(b, mem);
	buf_printf(b, ",node=%u,billing=%u", nodes, ncpus);
	if (j->gpus > 0)
		buf_printf(b, ",gres/gpu=%u", j->gpus);
	buf_adds(b, le);

	buf_adds(b, "Socks/Node=* NtasksPerN:B:S:C=");
	extra_value(b, j->extra, "NtasksPerN", "0");
	buf_printf(b, ":0:*:* CoreSpec=*%s", le);

	/*
	 * What the job holds, with the node's GPU type whether or not the
	 * request named it (Gres=gpu:tesla:2 and --gpus=1: JOB_GRES=
	 * gpu:tesla:1, Slurm 22.05.8).
	 */
	if (o->details && job_active(j) && j->nodelist != NULL) {
		if (o->gpu_type != NULL)
			gtype = xprintf("gpu:%s", o->gpu_type);
		else
			gtype = xstrdup("gpu");
		if (j->gpus > 0)
			buf_printf(b, "JOB_GRES=%s:%u%s", gtype, j->gpus, le);
		else
			buf_printf(b, "JOB_GRES=(null)%s", le);
		buf_printf(b, "  Nodes=%s CPU_IDs=%s Mem=%" PRIu64 " GRES=",
		    j->nodelist, j->cpu_ids != NULL ? j->cpu_ids : "",
		    job_mem_total(j));
		if (j->gpus > 0 && j->gpu_ids != NULL) {
			buf_printf(b, "%s:%u(IDX:", gtype, j->gpus);
			gpu_idx(b, j->gpu_ids);
			buf_addc(b, ')');
		}
		buf_adds(b, le);
		free(gtype);
	}

	buf_printf(b, "MinCPUsNode=%u MinMemory%s=", j->cpus_per_task,
	    (j->flags & JOB_F_MEM_PER_CPU) ? "CPU" : "Node");
	fmt_mem_mb(b, j->mem_mb);
	buf_printf(b, " MinTmpDiskNode=0%s", le);
	buf_printf(b, "Features=%s DelayBoot=", nz(j->features));
	extra_value(b, j->extra, "DelayBoot", "00:00:00");
	buf_adds(b, le);
	extra_line(b, "", le, j->extra, "ClusterFeatures");
	buf_printf(b, "OverSubscribe=%s Contiguous=0 Licenses=(null) "
	    "Network=(null)%s", (j->flags & JOB_F_EXCLUSIVE) ? "NO" : "OK",
	    le);
	buf_printf(b, "Command=%s%s", nz(j->command), le);
	buf_printf(b, "WorkDir=%s", nz(j->workdir));
	if (j->comment != NULL)
		buf_printf(b, "%sComment=%s ", le, j->comment);

	/* Slurm prints the standard streams of batch jobs only. */
	if (!(j->flags & JOB_F_INTERACTIVE)) {
		buf_printf(b, "%sStdErr=", le);
		job_stderr(b, j);
		buf_printf(b, "%sStdIn=", le);
		job_stdin(b, j);
		buf_printf(b, "%sStdOut=", le);
		job_stdout(b, j);
	}

	/* The GPU requests, in this order (slurm_sprint_job_info). */
	extra_line(b, le, "", j->extra, "Switches");
	extra_line(b, le, "", j->extra, "BurstBuffer");
	buf_printf(b, "%sPower=", le);
	extra_value(b, j->extra, "Power", "");
	tres_per(b, le, "TresPerJob", j->tres_per_job);
	tres_per(b, le, "TresPerNode", j->gres);
	extra_line(b, le, "", j->extra, "TresPerSocket");
	tres_per(b, le, "TresPerTask", j->tres_per_task);
	extra_line(b, le, "", j->extra, "NtasksPerTRES");
	extra_line(b, le, "", j->extra, "Container");
	buf_adds(b, le);
	end_record(b, o);
}

void
scontrol_show_node(struct buf *b, const struct node_info *n,
    const struct show_opts *o)
{
	const char *le = line_end(o);

	buf_printf(b, "NodeName=%s Arch=%s CoresPerSocket=%u %s", nz(n->name),
	    nz(n->arch), n->cores_per_socket, le);

	buf_printf(b, "CPUAlloc=%u CPUEfctv=%u CPUTot=%u CPULoad=",
	    n->alloc_cpus, n->cpus, n->cpus);
	if (n->load_x100 == NO_VAL)
		buf_adds(b, "N/A");
	else
		buf_printf(b, "%.2f", n->load_x100 / 100.0);
	buf_adds(b, le);

	buf_printf(b, "AvailableFeatures=%s%s", nz(n->features), le);
	buf_printf(b, "ActiveFeatures=%s%s", nz(n->features), le);
	if (n->gpus > 0 && n->gpu_type != NULL)
		buf_printf(b, "Gres=gpu:%s:%u%s", n->gpu_type, n->gpus, le);
	else if (n->gpus > 0)
		buf_printf(b, "Gres=gpu:%u%s", n->gpus, le);
	else
		buf_printf(b, "Gres=(null)%s", le);
	buf_printf(b, "NodeAddr=%s NodeHostName=%s Version=%s%s",
	    nz(n->name), nz(n->name), BERTH_SLURM_VERSION, le);
	if (n->os != NULL)
		buf_printf(b, "OS=%s %s", n->os, le);

	buf_printf(b, "RealMemory=%" PRIu64 " AllocMem=%" PRIu64 " FreeMem=",
	    n->real_mem_mb, n->alloc_mem_mb);
	if (n->free_mem_mb == NO_VAL64)
		buf_adds(b, "N/A");
	else
		buf_printf(b, "%" PRIu64, n->free_mem_mb);
	buf_printf(b, " Sockets=%u Boards=1%s", n->sockets, le);

	buf_printf(b, "State=%s ThreadsPerCore=%u TmpDisk=0 Weight=1 "
	    "Owner=N/A MCS_label=N/A%s", n->state != NULL ? n->state :
	    "UNKNOWN", n->threads_per_core, le);
	if (n->partitions != NULL && *n->partitions != '\0')
		buf_printf(b, "Partitions=%s %s", n->partitions, le);

	buf_adds(b, "BootTime=");
	fmt_timestamp(b, n->boot_time, "None");
	buf_adds(b, " SlurmdStartTime=");
	fmt_timestamp(b, n->start_time, "None");
	buf_adds(b, le);
	/* The last time the node went busy is not tracked: daemon start. */
	buf_adds(b, "LastBusyTime=");
	fmt_timestamp(b, n->start_time, "None");
	buf_adds(b, le);

	buf_printf(b, "CfgTRES=cpu=%u,mem=", n->cpus);
	fmt_mem_mb(b, n->real_mem_mb);
	buf_printf(b, ",billing=%u", n->cpus);
	if (n->gpus > 0)
		buf_printf(b, ",gres/gpu=%u", n->gpus);
	buf_adds(b, le);

	buf_adds(b, "AllocTRES=");
	if (n->alloc_cpus > 0) {
		buf_printf(b, "cpu=%u", n->alloc_cpus);
		if (n->alloc_mem_mb > 0) {
			buf_adds(b, ",mem=");
			fmt_mem_mb(b, n->alloc_mem_mb);
		}
		if (n->alloc_gpus > 0)
			buf_printf(b, ",gres/gpu=%u", n->alloc_gpus);
	}
	buf_adds(b, le);

	buf_printf(b, "CapWatts=n/a%s", le);
	buf_printf(b, "CurrentWatts=0 AveWatts=0%s", le);
	buf_adds(b, "ExtSensorsJoules=n/s ExtSensorsWatts=0 "
	    "ExtSensorsTemp=n/s");
	end_record(b, o);
}

/* Partition times: NONE when unset, UNLIMITED, else "00:30:00". */
static void
part_time(struct buf *b, uint32_t minutes, const char *unset)
{
	if (minutes == NO_VAL)
		buf_adds(b, unset);
	else
		fmt_time_limit_long(b, minutes);
}

void
scontrol_show_part(struct buf *b, const struct part_info *p,
    const struct node_info *n, const struct show_opts *o)
{
	static const char *const states[] = { "DOWN", "UP", "DRAIN",
	    "INACTIVE" };
	const char *le = line_end(o);
	bool has_nodes = p->nodes != NULL && *p->nodes != '\0';

	buf_printf(b, "PartitionName=%s%s", nz(p->name), le);
	buf_printf(b, "AllowGroups=%s AllowAccounts=%s AllowQos=ALL%s",
	    p->allow_groups != NULL ? p->allow_groups : "ALL",
	    p->allow_accounts != NULL ? p->allow_accounts : "ALL", le);
	buf_printf(b, "AllocNodes=ALL Default=%s QoS=N/A%s",
	    p->is_default ? "YES" : "NO", le);
	buf_adds(b, "DefaultTime=");
	part_time(b, p->default_time, "NONE");
	buf_printf(b, " DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 "
	    "Hidden=NO%s", le);
	if (p->max_nodes == INFINITE || p->max_nodes == NO_VAL)
		buf_adds(b, "MaxNodes=UNLIMITED");
	else
		buf_printf(b, "MaxNodes=%u", p->max_nodes);
	buf_adds(b, " MaxTime=");
	part_time(b, p->max_time, "UNLIMITED");
	if (p->max_cpus_per_node == INFINITE || p->max_cpus_per_node == 0)
		buf_printf(b, " MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED%s",
		    le);
	else
		buf_printf(b, " MinNodes=0 LLN=NO MaxCPUsPerNode=%u%s",
		    p->max_cpus_per_node, le);
	buf_printf(b, "Nodes=%s%s", nz(p->nodes), le);
	buf_printf(b, "PriorityJobFactor=%u PriorityTier=%u RootOnly=NO "
	    "ReqResv=NO OverSubscribe=NO%s", p->priority_job_factor,
	    p->priority_tier, le);
	buf_printf(b, "OverTimeLimit=NONE PreemptMode=OFF%s", le);
	buf_printf(b, "State=%s TotalCPUs=%u TotalNodes=%u "
	    "SelectTypeParameters=NONE%s", p->state_up < 4 ?
	    states[p->state_up] : "UNKNOWN", p->total_cpus,
	    has_nodes ? 1u : 0u, le);
	buf_printf(b, "JobDefaults=(null)%s", le);
	if (p->max_mem_per_node == 0)
		buf_printf(b, "DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED%s",
		    le);
	else
		buf_printf(b, "DefMemPerNode=UNLIMITED MaxMemPerNode=%llu%s",
		    (unsigned long long)p->max_mem_per_node, le);
	buf_printf(b, "TRES=cpu=%u", p->total_cpus);
	if (has_nodes && n != NULL) {
		buf_adds(b, ",mem=");
		fmt_mem_mb(b, n->real_mem_mb);
	}
	buf_printf(b, ",node=%u,billing=%u", has_nodes ? 1u : 0u,
	    p->total_cpus);
	if (has_nodes && n != NULL && n->gpus > 0)
		buf_printf(b, ",gres/gpu=%u", n->gpus);
	end_record(b, o);
}

/*
 * slurm_print_ctl_conf(): a time stamp, then "%-23s = %s" per key (longer
 * keys push the '=' right), then the blank line scontrol adds.
 */
void
scontrol_show_config(struct buf *b, const char *const *keys,
    const char *const *values, size_t n, int64_t now)
{
	buf_adds(b, "Configuration data as of ");
	fmt_timestamp(b, now, "Unknown");
	buf_addc(b, '\n');
	for (size_t i = 0; i < n; i++) {
		const char *v = values[i] != NULL ? values[i] : "(null)";
		char *end;
		long long t;

		buf_printf(b, "%-23s = ", nz(keys[i]));
		/* The daemon sends its start as seconds; Slurm prints a date. */
		if (keys[i] != NULL && strcmp(keys[i], "BOOT_TIME") == 0 &&
		    *v != '\0' && (t = strtoll(v, &end, 10), *end == '\0'))
			fmt_timestamp(b, t, "Unknown");
		else
			buf_adds(b, v);
		buf_addc(b, '\n');
	}
	buf_addc(b, '\n');
}

void
scontrol_ping_line(struct buf *b, const char *host, bool up)
{
	buf_printf(b, "Slurmctld(primary) at %s is %s\n", host,
	    up ? "UP" : "DOWN");
}
