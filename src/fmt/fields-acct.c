/* SPDX-License-Identifier: MIT */
/*
 * sacct's field table.  Records are const struct acct_row *: a job row or
 * a step row (ID.batch now, ID.N later) through the same getters.  The
 * table holds every field `sacct -e` lists, sorted by strcasecmp (which is
 * also the order `sacct -e` prints), with Slurm's default widths: negative
 * widths are left-justified (JobID, JobIDRaw), the rest right-justified.
 *
 * Values copy sacct 22.05: times "00:01:27", dates "2026-11-22T04:20:44"
 * or "Unknown", "CANCELLED by <uid>", memory "1000M"/"3088K", TRES strings
 * ordered by name.  Fields berth does not measure (disk I/O, energy,
 * pages, TRES usage) print empty, as Slurm does for a step without
 * samples; job rows leave step-only fields empty and vice versa, as Slurm
 * does.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../proto/step.h"
#include "fmt-int.h"

#define ROW(rec)	((const struct acct_row *)(rec))
#define GETTER(name)	static void name(struct buf *, const void *, \
			    const struct fmt_ctx *)

GETTER(a_account);
GETTER(a_container);
GETTER(a_mcs_label);
GETTER(a_alloc_cpus);
GETTER(a_alloc_nodes);
GETTER(a_alloc_tres);
GETTER(a_ave_cpu);
GETTER(a_disk);
GETTER(a_pages);
GETTER(a_tres_energy);
GETTER(a_tres_out);
GETTER(a_tres_out_max);
GETTER(a_tres_out_node);
GETTER(a_tres_out_task);
GETTER(a_tres_usage);
GETTER(a_tres_usage_node);
GETTER(a_tres_usage_task);
GETTER(a_ave_cpu_freq);
GETTER(a_cluster);
GETTER(a_comment);
GETTER(a_constraints);
GETTER(a_consumed_energy);
GETTER(a_cpu_time);
GETTER(a_cpu_time_raw);
GETTER(a_derived_ec);
GETTER(a_elapsed);
GETTER(a_elapsed_raw);
GETTER(a_eligible);
GETTER(a_empty);
GETTER(a_end);
GETTER(a_exit_code);
GETTER(a_flags);
GETTER(a_gid);
GETTER(a_group);
GETTER(a_job_id);
GETTER(a_job_id_raw);
GETTER(a_job_name);
GETTER(a_layout);
GETTER(a_max_rss);
GETTER(a_max_vmsize);
GETTER(a_min_cpu);
GETTER(a_ncpus);
GETTER(a_nnodes);
GETTER(a_node_list);
GETTER(a_stat_node);
GETTER(a_stat_task);
GETTER(a_ntasks);
GETTER(a_partition);
GETTER(a_priority);
GETTER(a_qos);
GETTER(a_reason);
GETTER(a_req_cpu_freq);
GETTER(a_req_cpus);
GETTER(a_req_mem);
GETTER(a_req_nodes);
GETTER(a_req_tres);
GETTER(a_reserved);
GETTER(a_start);
GETTER(a_state);
GETTER(a_submit);
GETTER(a_submit_line);
GETTER(a_suspended);
GETTER(a_system_cpu);
GETTER(a_timelimit);
GETTER(a_timelimit_raw);
GETTER(a_total_cpu);
GETTER(a_uid);
GETTER(a_user);
GETTER(a_user_cpu);
GETTER(a_wckey);
GETTER(a_workdir);

static const struct fmt_field acct_fields[] = {
	{ "Account",		0, "Account",		10, a_account },
	{ "AdminComment",	0, "AdminComment",	15, a_empty },
	{ "AllocCPUS",		0, "AllocCPUS",		10, a_alloc_cpus },
	{ "AllocNodes",		0, "AllocNodes",	10, a_alloc_nodes },
	{ "AllocTRES",		0, "AllocTRES",		10, a_alloc_tres },
	{ "AssocID",		0, "AssocID",		7, a_empty },
	{ "AveCPU",		0, "AveCPU",		10, a_ave_cpu },
	{ "AveCPUFreq",		0, "AveCPUFreq",	10, a_ave_cpu_freq },
	{ "AveDiskRead",	0, "AveDiskRead",	14, a_disk },
	{ "AveDiskWrite",	0, "AveDiskWrite",	14, a_disk },
	{ "AvePages",		0, "AvePages",		10, a_pages },
	{ "AveRSS",		0, "AveRSS",		10, a_max_rss },
	{ "AveVMSize",		0, "AveVMSize",		10, a_max_vmsize },
	{ "BlockID",		0, "BlockID",		16, a_empty },
	{ "Cluster",		0, "Cluster",		10, a_cluster },
	{ "Comment",		0, "Comment",		14, a_comment },
	{ "Constraints",	0, "Constraints",	19, a_constraints },
	{ "ConsumedEnergy",	0, "ConsumedEnergy",	14, a_consumed_energy },
	{ "ConsumedEnergyRaw",	0, "ConsumedEnergyRaw",	17, a_consumed_energy },
	{ "Container",		0, "Container",		19, a_container },
	{ "CPUTime",		0, "CPUTime",		10, a_cpu_time },
	{ "CPUTimeRAW",		0, "CPUTimeRAW",	10, a_cpu_time_raw },
	{ "DBIndex",		0, "DBIndex",		9, a_empty },
	{ "DerivedExitCode",	0, "DerivedExitCode",	15, a_derived_ec },
	{ "Elapsed",		0, "Elapsed",		10, a_elapsed },
	{ "ElapsedRaw",		0, "ElapsedRaw",	10, a_elapsed_raw },
	{ "Eligible",		0, "Eligible",		19, a_eligible },
	{ "End",		0, "End",		19, a_end },
	{ "ExitCode",		0, "ExitCode",		8, a_exit_code },
	{ "Flags",		0, "Flags",		19, a_flags },
	{ "GID",		0, "GID",		6, a_gid },
	{ "Group",		0, "Group",		9, a_group },
	{ "JobID",		0, "JobID",		-12, a_job_id },
	{ "JobIDRaw",		0, "JobIDRaw",		-12, a_job_id_raw },
	{ "JobName",		0, "JobName",		10, a_job_name },
	{ "Layout",		0, "Layout",		9, a_layout },
	{ "MaxDiskRead",	0, "MaxDiskRead",	12, a_disk },
	{ "MaxDiskReadNode",	0, "MaxDiskReadNode",	15, a_stat_node },
	{ "MaxDiskReadTask",	0, "MaxDiskReadTask",	15, a_stat_task },
	{ "MaxDiskWrite",	0, "MaxDiskWrite",	12, a_disk },
	{ "MaxDiskWriteNode",	0, "MaxDiskWriteNode",	16, a_stat_node },
	{ "MaxDiskWriteTask",	0, "MaxDiskWriteTask",	16, a_stat_task },
	{ "MaxPages",		0, "MaxPages",		8, a_pages },
	{ "MaxPagesNode",	0, "MaxPagesNode",	12, a_stat_node },
	{ "MaxPagesTask",	0, "MaxPagesTask",	14, a_stat_task },
	{ "MaxRSS",		0, "MaxRSS",		10, a_max_rss },
	{ "MaxRSSNode",		0, "MaxRSSNode",	10, a_stat_node },
	{ "MaxRSSTask",		0, "MaxRSSTask",	10, a_stat_task },
	{ "MaxVMSize",		0, "MaxVMSize",		10, a_max_vmsize },
	{ "MaxVMSizeNode",	0, "MaxVMSizeNode",	14, a_stat_node },
	{ "MaxVMSizeTask",	0, "MaxVMSizeTask",	14, a_stat_task },
	{ "McsLabel",		0, "McsLabel",		12, a_mcs_label },
	{ "MinCPU",		0, "MinCPU",		10, a_min_cpu },
	{ "MinCPUNode",		0, "MinCPUNode",	10, a_stat_node },
	{ "MinCPUTask",		0, "MinCPUTask",	10, a_stat_task },
	{ "NCPUS",		0, "NCPUS",		10, a_ncpus },
	{ "NNodes",		0, "NNodes",		8, a_nnodes },
	{ "NodeList",		0, "NodeList",		15, a_node_list },
	{ "NTasks",		0, "NTasks",		8, a_ntasks },
	{ "Partition",		0, "Partition",		10, a_partition },
	{ "Priority",		0, "Priority",		10, a_priority },
	{ "QOS",		0, "QOS",		10, a_qos },
	{ "QOSRAW",		0, "QOSRAW",		6, a_empty },
	{ "Reason",		0, "Reason",		22, a_reason },
	{ "ReqCPUFreq",		0, "ReqCPUFreq",	10, a_req_cpu_freq },
	{ "ReqCPUFreqGov",	0, "ReqCPUFreqGov",	13, a_req_cpu_freq },
	{ "ReqCPUFreqMax",	0, "ReqCPUFreqMax",	13, a_req_cpu_freq },
	{ "ReqCPUFreqMin",	0, "ReqCPUFreqMin",	13, a_req_cpu_freq },
	{ "ReqCPUS",		0, "ReqCPUS",		8, a_req_cpus },
	{ "ReqMem",		0, "ReqMem",		10, a_req_mem },
	{ "ReqNodes",		0, "ReqNodes",		8, a_req_nodes },
	{ "ReqTRES",		0, "ReqTRES",		10, a_req_tres },
	{ "Reservation",	0, "Reservation",	20, a_empty },
	{ "ReservationId",	0, "ReservationId",	8, a_empty },
	{ "Reserved",		0, "Reserved",		10, a_reserved },
	{ "ResvCPU",		0, "ResvCPU",		10, a_empty },
	{ "ResvCPURAW",		0, "ResvCPURAW",	10, a_empty },
	{ "Start",		0, "Start",		19, a_start },
	{ "State",		0, "State",		10, a_state },
	{ "Submit",		0, "Submit",		19, a_submit },
	{ "SubmitLine",		0, "SubmitLine",	20, a_submit_line },
	{ "Suspended",		0, "Suspended",		10, a_suspended },
	{ "SystemComment",	0, "SystemComment",	15, a_empty },
	{ "SystemCPU",		0, "SystemCPU",		10, a_system_cpu },
	{ "Timelimit",		0, "Timelimit",		10, a_timelimit },
	{ "TimelimitRaw",	0, "TimelimitRaw",	10, a_timelimit_raw },
	{ "TotalCPU",		0, "TotalCPU",		10, a_total_cpu },
	{ "TRESUsageInAve",	0, "TRESUsageInAve",	14, a_tres_energy },
	{ "TRESUsageInMax",	0, "TRESUsageInMax",	14, a_tres_usage },
	{ "TRESUsageInMaxNode",	0, "TRESUsageInMaxNode", 18, a_tres_usage_node },
	{ "TRESUsageInMaxTask",	0, "TRESUsageInMaxTask", 18, a_tres_usage_task },
	{ "TRESUsageInMin",	0, "TRESUsageInMin",	14, a_tres_usage },
	{ "TRESUsageInMinNode",	0, "TRESUsageInMinNode", 18, a_tres_usage_node },
	{ "TRESUsageInMinTask",	0, "TRESUsageInMinTask", 18, a_tres_usage_task },
	{ "TRESUsageInTot",	0, "TRESUsageInTot",	14, a_tres_energy },
	{ "TRESUsageOutAve",	0, "TRESUsageOutAve",	15, a_tres_out },
	{ "TRESUsageOutMax",	0, "TRESUsageOutMax",	15, a_tres_out_max },
	{ "TRESUsageOutMaxNode", 0, "TRESUsageOutMaxNode", 19, a_tres_out_node },
	{ "TRESUsageOutMaxTask", 0, "TRESUsageOutMaxTask", 19, a_tres_out_task },
	{ "TRESUsageOutMin",	0, "TRESUsageOutMin",	15, a_empty },
	{ "TRESUsageOutMinNode", 0, "TRESUsageOutMinNode", 19, a_empty },
	{ "TRESUsageOutMinTask", 0, "TRESUsageOutMinTask", 19, a_empty },
	{ "TRESUsageOutTot",	0, "TRESUsageOutTot",	15, a_tres_out },
	{ "UID",		0, "UID",		6, a_uid },
	{ "User",		0, "User",		9, a_user },
	{ "UserCPU",		0, "UserCPU",		10, a_user_cpu },
	{ "WCKey",		0, "WCKey",		10, a_wckey },
	{ "WCKeyID",		0, "WCKeyID",		10, a_empty },
	{ "WorkDir",		0, "WorkDir",		20, a_workdir },
};

const struct fmt_table fmt_acct_table = { acct_fields, nitems(acct_fields) };

size_t
acct_rows_for_job(struct acct_row *rows, const struct job *j,
    bool allocations_only)
{
	size_t n = 0;

	memset(&rows[n], 0, sizeof rows[n]);
	rows[n].kind = ACCT_JOB;
	rows[n].job = j;
	rows[n].state = j->state;
	rows[n].status = j->exit_status;
	/* A pending job's planned start is squeue's, not sacct's: Unknown. */
	rows[n].start = j->state == JOB_PENDING ? 0 : j->start_time;
	rows[n].end = j->end_time;
	rows[n].ncpus = j->ncpus;
	rows[n].user_usec = j->user_usec;
	rows[n].sys_usec = j->sys_usec;
	rows[n].derived = -1;		/* no step seen yet */
	n++;
	if (allocations_only)
		return n;
	/*
	 * A running batch job's ID.batch step runs too (slurmctld records
	 * it when it launches the script); it has no usage until it ends.
	 * An allocation (salloc, srun) has no batch step.
	 */
	if (j->batch_state == JOB_NONE && j->state == JOB_RUNNING &&
	    !(j->flags & JOB_F_INTERACTIVE)) {
		memset(&rows[n], 0, sizeof rows[n]);
		rows[n].kind = ACCT_BATCH;
		rows[n].job = j;
		rows[n].state = JOB_RUNNING;
		rows[n].start = j->start_time;
		rows[n].ncpus = j->ncpus;
		return n + 1;
	}
	if (j->batch_state == JOB_NONE)
		return n;
	memset(&rows[n], 0, sizeof rows[n]);
	rows[n].kind = ACCT_BATCH;
	rows[n].job = j;
	rows[n].state = j->batch_state;
	rows[n].status = j->batch_status;
	rows[n].start = j->start_time;
	rows[n].end = j->end_time;
	rows[n].ncpus = j->ncpus;
	rows[n].max_rss_kb = j->max_rss_kb;
	rows[n].max_vsize_kb = j->max_vsize_kb;
	rows[n].user_usec = j->user_usec;
	rows[n].sys_usec = j->sys_usec;
	n++;
	return n;
}

void
acct_row_for_step(struct acct_row *row, const struct job *j,
    const struct step *s)
{
	memset(row, 0, sizeof *row);
	row->kind = ACCT_STEP;
	row->job = j;
	row->step_id = s->step_id;
	row->ntasks = s->ntasks;
	row->step_name = s->name;
	row->state = s->state;
	row->status = s->exit_status;
	row->start = s->start_time;
	row->end = s->end_time;
	row->ncpus = s->ncpus;
	row->max_rss_kb = s->max_rss_kb;
	row->user_usec = s->user_usec;
	row->sys_usec = s->sys_usec;
}

static uint32_t
display_id(const struct job *j)
{
	return j->array_job_id != 0 ? j->array_job_id : j->id;
}

static int
job_order(const void *va, const void *vb)
{
	const struct job *a = *(const struct job *const *)va;
	const struct job *b = *(const struct job *const *)vb;
	uint32_t x = display_id(a), y = display_id(b);

	if (x != y)
		return x < y ? -1 : 1;
	/* Tasks by task id; the pending remainder (NO_VAL) last. */
	if (a->array_task_id != b->array_task_id)
		return a->array_task_id < b->array_task_id ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * What sacct may leave out of its query and its decoding: the long
 * strings of fmt_job_heavy_mask() that only the getters below read
 * (sacct's filters, array merging and row building read none of them).
 * A getter that reads one of these fields must be listed here.
 */
static const struct {
	fmt_get_fn	*get;
	size_t		 off;
} long_readers[] = {
	{ a_comment,		offsetof(struct job, comment) },
	{ a_constraints,	offsetof(struct job, features) },
	{ a_group,		offsetof(struct job, group) },
	{ a_submit_line,	offsetof(struct job, submit_line) },
	{ a_wckey,		offsetof(struct job, wckey) },
	{ a_workdir,		offsetof(struct job, workdir) },
};

uint64_t
fmt_acct_omit(const struct fmt_list *l)
{
	uint64_t omit = fmt_job_heavy_mask();

	for (size_t i = 0; i < l->ncols; i++)
		for (size_t k = 0; k < nitems(long_readers); k++)
			if (l->cols[i].field->get == long_readers[k].get)
				omit &= ~job_field_bit(long_readers[k].off);
	return omit;
}

bool
fmt_acct_reads_steps(const struct fmt_list *l)
{
	for (size_t i = 0; i < l->ncols; i++)
		if (l->cols[i].field->get == a_derived_ec ||
		    l->cols[i].field->get == a_consumed_energy)
			return true;
	return false;
}

int
acct_job_order(const struct job *a, const struct job *b)
{
	return job_order(&a, &b);
}

/* The daemon sends jobs in this order: check that before sorting. */
void
acct_sort_jobs(const struct job **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (job_order(&v[i - 1], &v[i]) > 0) {
			qsort(v, n, sizeof *v, job_order);
			return;
		}
	}
}

/*
 * Slurm's -e printer: names padded to 20, the fourth of a line (and the
 * last name) to 19 followed by a newline.
 */
void
fmt_acct_helpformat(FILE *fp)
{
	size_t n = fmt_acct_table.nfields;

	for (size_t i = 0; i < n; i++) {
		if ((i + 1) % 4 == 0 || i + 1 == n)
			fprintf(fp, "%-19s\n", fmt_acct_table.fields[i].name);
		else
			fprintf(fp, "%-20s", fmt_acct_table.fields[i].name);
	}
}

static bool
is_job(const void *r)
{
	return ROW(r)->kind == ACCT_JOB;
}

/* Ran on a node (a job cancelled while pending has a start time but no
 * allocation). */
static bool
allocated(const struct acct_row *r)
{
	return r->job->nodelist != NULL && *r->job->nodelist != '\0';
}

static int64_t
row_elapsed(const struct acct_row *r, int64_t now)
{
	int64_t end;

	if (r->start == 0)
		return 0;
	end = r->end != 0 ? r->end : now;
	return end > r->start ? end - r->start : 0;
}

/* sacct's _elapsed_time(): "MM:SS.mmm" below an hour when there are
 * sub-seconds, else "[D-]HH:MM:SS" / "00:MM:SS". */
static void
cpu_time(struct buf *b, uint64_t usec)
{
	uint64_t secs = usec / 1000000, msec = (usec % 1000000) / 1000;
	uint64_t d = secs / 86400, h = (secs / 3600) % 24;
	uint64_t m = (secs / 60) % 60, s = secs % 60;

	if (d != 0) {
		fmt_u64(b, d);
		fmt_addc(b, '-');
		fmt_clock(b, (int)h, (int)m, (int)s);
	} else if (h != 0)
		fmt_clock(b, (int)h, (int)m, (int)s);
	else if (msec != 0) {
		fmt_2d(b, (int)m);
		fmt_addc(b, ':');
		fmt_2d(b, (int)s);
		fmt_addc(b, '.');
		fmt_2d(b, (int)(msec / 10));
		fmt_u64(b, msec % 10);
	} else
		fmt_clock(b, 0, (int)m, (int)s);
}

static void
add0(struct buf *b, const char *s)
{
	if (s != NULL)
		fmt_adds(b, s);
}

/* --container: the job's and its steps' rows (22.05.8). */
static void
a_container(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *v;
	size_t len;

	(void)c;
	if ((v = job_extra(ROW(r)->job->extra, "Container", &len)) != NULL)
		fmt_add(b, v, len);
}

/* --mcs-label: the job's row only. */
static void
a_mcs_label(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *v;
	size_t len;

	(void)c;
	if (is_job(r) &&
	    (v = job_extra(ROW(r)->job->extra, "MCS_label", &len)) != NULL)
		fmt_add(b, v, len);
}

static void
a_account(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	add0(b, ROW(r)->job->account);
}

static void
a_alloc_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->ncpus);
}

static void
a_alloc_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, allocated(ROW(r)) ? ROW(r)->job->min_nodes : 0);
}

/* Jobs: billing,cpu,[gres/gpu,]mem,node once started; steps: no billing. */
static void
a_alloc_tres(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	if (row->kind == ACCT_JOB) {
		if (allocated(row))
			fmt_job_tres(b, row->job,
			    FMT_TRES_BY_NAME | FMT_TRES_BILLING);
	} else if (row->kind == ACCT_STEP && row->ncpus != 0) {
		/* A step's own CPUs (--exact takes fewer than the job's). */
		struct job j = *row->job;

		j.ncpus = row->ncpus;
		fmt_job_tres(b, &j, FMT_TRES_BY_NAME);
	} else
		fmt_job_tres(b, row->job, FMT_TRES_BY_NAME);
}

static bool
has_stats(const struct acct_row *r)
{
	return r->kind != ACCT_JOB &&
	    (r->max_rss_kb != 0 || r->max_vsize_kb != 0);
}

static void
a_ave_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		cpu_time(b, (ROW(r)->user_usec + ROW(r)->sys_usec) /
		    1000000 * 1000000);
}

/*
 * Usage Slurm samples per step; berth has peak RSS and VM size of the
 * batch step and nothing for disk, pages or energy, so those read 0.
 */
static void
a_disk(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "0.00M");
}

static void
a_pages(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "0");
}

static void
a_tres_usage(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	if (!has_stats(row))
		return;
	fmt_adds(b, "cpu=");
	cpu_time(b, (row->user_usec + row->sys_usec) / 1000000 * 1000000);
	fmt_adds(b, ",energy=0,fs/disk=0,mem=");
	fmt_mem_kb(b, row->max_rss_kb);
	fmt_adds(b, ",pages=0,vmem=");
	fmt_mem_kb(b, row->max_vsize_kb);
}

static void
a_tres_energy(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	if (is_job(r))
		return;
	if (has_stats(ROW(r)))
		a_tres_usage(b, r, c);
	else
		fmt_adds(b, "energy=0");
}

static void
a_tres_out(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		return;
	fmt_adds(b, has_stats(ROW(r)) ? "energy=0,fs/disk=0" : "energy=0");
}

static void
a_tres_out_max(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "energy=0,fs/disk=0");
}

static void
a_tres_out_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = ROW(r)->job->nodelist;

	(void)c;
	if (has_stats(ROW(r)) && n != NULL)
		buf_printf(b, "energy=%s,fs/disk=%s", n, n);
}

static void
a_tres_out_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "fs/disk=0");
}

static void
a_tres_usage_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = ROW(r)->job->nodelist;

	(void)c;
	if (has_stats(ROW(r)) && n != NULL)
		buf_printf(b, "cpu=%s,energy=%s,fs/disk=%s,mem=%s,pages=%s,"
		    "vmem=%s", n, n, n, n, n, n);
}

static void
a_tres_usage_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "cpu=0,fs/disk=0,mem=0,pages=0,vmem=0");
}

static void
a_ave_cpu_freq(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (!is_job(r))
		fmt_adds(b, "0");
}

static void
a_cluster(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "berth");
}

static void
a_comment(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->comment);
}

static void
a_constraints(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->features);
}

/*
 * Steps read 0.  A job row reads the energy count of the job's allocated
 * TRES in Slurm 22.05: 0 when it has none (never allocated: pending, or
 * cancelled while pending, an array's pending record), 0 once srun steps
 * added theirs, empty (NO_VAL) for an allocation without srun steps
 * (checked: 50_sacct `sacct -l -P`, a pending array on real Slurm).
 */
static void
a_consumed_energy(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = ROW(r)->job;

	(void)c;
	if (!is_job(r) || ROW(r)->derived >= 0 || j->nodelist == NULL ||
	    *j->nodelist == '\0')
		fmt_adds(b, "0");
}

static void
a_cpu_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	fmt_duration_long(b, row_elapsed(ROW(r), c->now) * ROW(r)->ncpus);
}

static void
a_cpu_time_raw(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	fmt_i64(b, row_elapsed(ROW(r), c->now) * ROW(r)->ncpus);
}

static void
a_derived_ec(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	/* Slurm: the highest exit status of the job's srun steps. */
	if (is_job(r))
		fmt_exit_code(b, ROW(r)->derived >= 0 ? ROW(r)->derived : 0);
}

static void
a_elapsed(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	fmt_duration_long(b, row_elapsed(ROW(r), c->now));
}

static void
a_elapsed_raw(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	fmt_i64(b, row_elapsed(ROW(r), c->now));
}

static void
a_eligible(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	fmt_timestamp(b, row->kind == ACCT_JOB ? row->job->eligible_time :
	    row->start, "Unknown");
}

static void
a_empty(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)b;
	(void)r;
	(void)c;
}

static void
a_end(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, ROW(r)->end, "Unknown");
}

static void
a_exit_code(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_exit_code(b, ROW(r)->status);
}

static void
a_flags(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r) && allocated(ROW(r)))
		fmt_adds(b, "SchedMain");
}

static void
a_gid(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		fmt_u64(b, ROW(r)->job->gid);
}

static void
a_group(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = ROW(r)->job;

	(void)c;
	if (!is_job(r))
		return;
	if (j->group != NULL && *j->group != '\0')
		fmt_adds(b, j->group);
	else
		fmt_u64(b, j->gid);
}

static void
step_suffix(struct buf *b, const struct acct_row *row)
{
	if (row->kind == ACCT_BATCH)
		fmt_adds(b, ".batch");
	else if (row->kind == ACCT_STEP) {
		fmt_addc(b, '.');
		fmt_u64(b, row->step_id);
	}
}

static void
a_job_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r)->array_tasks != NULL) {
		fmt_u64(b, ROW(r)->job->array_job_id);
		fmt_add(b, "_[", 2);
		fmt_adds(b, ROW(r)->array_tasks);
		fmt_addc(b, ']');
	} else
		fmt_job_id(b, ROW(r)->job);
	step_suffix(b, ROW(r));
}

static void
a_job_id_raw(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->job->id);
	step_suffix(b, ROW(r));
}

static void
a_job_name(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	if (row->kind == ACCT_BATCH)
		fmt_adds(b, "batch");
	else if (row->kind == ACCT_STEP)
		add0(b, row->step_name);
	else
		add0(b, row->job->name);
}

static void
a_layout(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r)->kind == ACCT_STEP)
		fmt_adds(b, "Block");
}

static void
a_max_rss(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_mem_kb(b, ROW(r)->max_rss_kb);
}

static void
a_max_vmsize(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_mem_kb(b, ROW(r)->max_vsize_kb);
}

static void
a_min_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	a_ave_cpu(b, r, c);
}

static void
a_ncpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	a_alloc_cpus(b, r, c);
}

static void
a_nnodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->kind == ACCT_JOB ? ROW(r)->job->min_nodes : 1);
}

static void
a_node_list(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const char *n = ROW(r)->job->nodelist;

	(void)c;
	fmt_adds(b, n != NULL && *n != '\0' ? n : "None assigned");
}

static void
a_stat_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		add0(b, ROW(r)->job->nodelist);
}

static void
a_stat_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_stats(ROW(r)))
		fmt_adds(b, "0");
}

static void
a_ntasks(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r)->kind == ACCT_STEP)
		fmt_u64(b, ROW(r)->ntasks);
	else if (!is_job(r))
		fmt_adds(b, "1");
}

static void
a_partition(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->partition);
}

static void
a_priority(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		fmt_u64(b, ROW(r)->job->priority);
}

static void
a_qos(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->qos);
}

/*
 * slurmdbd keeps a job's last reason for waiting (state_reason_prev),
 * not why it ended: a pending job shows None until it has a record of
 * one, a job that ran and failed or timed out None (checked on real
 * Slurm 22.05: "fail2 FAILED 2:0 None", a held job still pending: None),
 * a pending job cancelled what held it back (41_scancel).
 */
static void
a_reason(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = ROW(r)->job;
	uint32_t why = j->reason;

	(void)c;
	if (!is_job(r))
		return;
	switch (why) {
	case FAIL_TIMEOUT:
	case FAIL_EXIT_CODE:
	case FAIL_LAUNCH:
	case FAIL_OOM:
	case FAIL_SYSTEM:
	case FAIL_SIGNAL:
	case FAIL_DOWN_NODE:
		why = WAIT_NO_REASON;	/* why a job that ran ended */
		break;
	}
	if (j->state == JOB_PENDING)
		why = WAIT_NO_REASON;
	fmt_adds(b, job_reason_name(why));
}

static void
a_req_cpu_freq(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, ROW(r)->kind == ACCT_BATCH ? "0" : "Unknown");
}

static void
a_req_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->job->ncpus);
}

static void
a_req_mem(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	/* The memory of the job's TRES request (ReqTRES mem=): per CPU
	 * times CPUs for --mem-per-cpu, as sacct 22.05 shows it (checked:
	 * --mem-per-cpu=300 -c 2 is 600M). */
	if (is_job(r))
		fmt_mem_mb(b, job_mem_total(ROW(r)->job));
}

static void
a_req_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->job->min_nodes);
}

static void
a_req_tres(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		fmt_job_tres(b, ROW(r)->job,
		    FMT_TRES_BY_NAME | FMT_TRES_BILLING);
}

static void
a_reserved(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = ROW(r)->job;
	int64_t from = j->eligible_time, to = j->start_time;

	if (!is_job(r))
		return;
	if (to == 0)
		to = c->now;
	fmt_duration_long(b, from != 0 && to > from ? to - from : 0);
}

static void
a_start(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_timestamp(b, ROW(r)->start, "Unknown");
}

static void
a_state(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	fmt_adds(b, job_state_name(row->state));
	if (row->state == JOB_CANCELLED && row->job->kill_uid != NO_VAL) {
		fmt_add(b, " by ", 4);
		fmt_u64(b, row->job->kill_uid);
	}
}

static void
a_submit(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct acct_row *row = ROW(r);

	(void)c;
	fmt_timestamp(b, row->kind == ACCT_JOB ? row->job->submit_time :
	    row->start, "Unknown");
}

static void
a_submit_line(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->submit_line);
}

static void
a_suspended(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_adds(b, "00:00:00");
}

static void
a_system_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	cpu_time(b, ROW(r)->sys_usec);
}

static void
a_timelimit(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		fmt_time_limit_long(b, ROW(r)->job->time_limit);
}

static void
a_timelimit_raw(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	uint32_t t = ROW(r)->job->time_limit;

	(void)c;
	if (!is_job(r))
		return;
	if (t == INFINITE || t == NO_VAL)
		fmt_time_limit_long(b, t);
	else
		fmt_u64(b, t);
}

static void
a_total_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	cpu_time(b, ROW(r)->user_usec + ROW(r)->sys_usec);
}

static void
a_uid(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		fmt_u64(b, ROW(r)->job->uid);
}

static void
a_user(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct job *j = ROW(r)->job;

	(void)c;
	if (!is_job(r))
		return;
	if (j->user != NULL && *j->user != '\0')
		fmt_adds(b, j->user);
	else
		fmt_u64(b, j->uid);
}

static void
a_user_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	cpu_time(b, ROW(r)->user_usec);
}

static void
a_wckey(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->wckey);
}

static void
a_workdir(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (is_job(r))
		add0(b, ROW(r)->job->workdir);
}
