/* SPDX-License-Identifier: MIT */
/*
 * sstat's field table.  Records are const struct sstat_row *: one running
 * step's live usage (fmt.h).  Names, default widths (JobID left-justified,
 * the rest right) and values copy sstat 22.05 (src/sstat/print.c):
 *
 *  - memory, pages and disk go through convert_num_unit() from bytes
 *    (or a count) with CONVERT_NUM_UNIT_EXACT: "3088K", "221444K",
 *    "11111"; --noconvert prints the number;
 *  - the disk fields print 0 < x <= 1 as "%.2fM" (Slurm's
 *    _print_small_double), otherwise like memory;
 *  - CPU times are whole seconds as "00:MM:SS", "HH:MM:SS",
 *    "D-HH:MM:SS";
 *  - AveCPUFreq converts from kHz by thousands ("2.60M");
 *  - the TRES strings list cpu, energy, fs/disk, mem, pages, vmem by
 *    name; the task-id strings go through the same byte formatting (so
 *    "cpu=00:00:00" for task 0, as sstat prints it), the node strings
 *    name the node;
 *  - ReqCPUFreq* are "Unknown" for a step (no --cpu-freq), "0" for the
 *    batch step, ConsumedEnergy 0 (no energy plugin).
 * A step without any process to read (ntasks 0) leaves the usage fields
 * empty, as sstat does for a step that returned no data.
 */
#include <string.h>
#include <strings.h>

#include "../common/util.h"
#include "fmt-int.h"

#define ROW(rec)	((const struct sstat_row *)(rec))
#define GETTER(name)	static void name(struct buf *, const void *, \
			    const struct fmt_ctx *)

GETTER(s_ave_cpu);
GETTER(s_ave_cpu_freq);
GETTER(s_ave_disk_read);
GETTER(s_ave_disk_write);
GETTER(s_ave_pages);
GETTER(s_ave_rss);
GETTER(s_ave_vmsize);
GETTER(s_energy);
GETTER(s_job_id);
GETTER(s_max_disk_read);
GETTER(s_max_disk_read_task);
GETTER(s_max_disk_write);
GETTER(s_max_disk_write_task);
GETTER(s_max_pages);
GETTER(s_max_pages_task);
GETTER(s_max_rss);
GETTER(s_max_rss_task);
GETTER(s_max_vmsize);
GETTER(s_max_vmsize_task);
GETTER(s_min_cpu);
GETTER(s_min_cpu_task);
GETTER(s_node);
GETTER(s_nodelist);
GETTER(s_ntasks);
GETTER(s_pids);
GETTER(s_req_cpu_freq);
GETTER(s_tres_in_ave);
GETTER(s_tres_in_max);
GETTER(s_tres_in_max_node);
GETTER(s_tres_in_max_task);
GETTER(s_tres_in_min);
GETTER(s_tres_in_min_node);
GETTER(s_tres_in_min_task);
GETTER(s_tres_in_tot);
GETTER(s_tres_out_ave);
GETTER(s_tres_out_max);
GETTER(s_tres_out_max_node);
GETTER(s_tres_out_max_task);
GETTER(s_tres_out_min);
GETTER(s_tres_out_min_node);
GETTER(s_tres_out_min_task);
GETTER(s_tres_out_tot);

/*
 * Sorted by strcasecmp for the lookups; `sstat -e` prints Slurm's own
 * order, which differs only for ReqCPUFreqMin/Max/Gov (see helpformat).
 */
static const struct fmt_field sstat_fields[] = {
	{ "AveCPU",		0, "AveCPU",		10, s_ave_cpu },
	{ "AveCPUFreq",		0, "AveCPUFreq",	10, s_ave_cpu_freq },
	{ "AveDiskRead",	0, "AveDiskRead",	12, s_ave_disk_read },
	{ "AveDiskWrite",	0, "AveDiskWrite",	12, s_ave_disk_write },
	{ "AvePages",		0, "AvePages",		10, s_ave_pages },
	{ "AveRSS",		0, "AveRSS",		10, s_ave_rss },
	{ "AveVMSize",		0, "AveVMSize",		10, s_ave_vmsize },
	{ "ConsumedEnergy",	0, "ConsumedEnergy",	14, s_energy },
	{ "ConsumedEnergyRaw",	0, "ConsumedEnergyRaw",	17, s_energy },
	{ "JobID",		0, "JobID",		-12, s_job_id },
	{ "MaxDiskRead",	0, "MaxDiskRead",	12, s_max_disk_read },
	{ "MaxDiskReadNode",	0, "MaxDiskReadNode",	15, s_node },
	{ "MaxDiskReadTask",	0, "MaxDiskReadTask",	15,
	    s_max_disk_read_task },
	{ "MaxDiskWrite",	0, "MaxDiskWrite",	12, s_max_disk_write },
	{ "MaxDiskWriteNode",	0, "MaxDiskWriteNode",	16, s_node },
	{ "MaxDiskWriteTask",	0, "MaxDiskWriteTask",	16,
	    s_max_disk_write_task },
	{ "MaxPages",		0, "MaxPages",		8, s_max_pages },
	{ "MaxPagesNode",	0, "MaxPagesNode",	12, s_node },
	{ "MaxPagesTask",	0, "MaxPagesTask",	14, s_max_pages_task },
	{ "MaxRSS",		0, "MaxRSS",		10, s_max_rss },
	{ "MaxRSSNode",		0, "MaxRSSNode",	10, s_node },
	{ "MaxRSSTask",		0, "MaxRSSTask",	10, s_max_rss_task },
	{ "MaxVMSize",		0, "MaxVMSize",		10, s_max_vmsize },
	{ "MaxVMSizeNode",	0, "MaxVMSizeNode",	14, s_node },
	{ "MaxVMSizeTask",	0, "MaxVMSizeTask",	14, s_max_vmsize_task },
	{ "MinCPU",		0, "MinCPU",		10, s_min_cpu },
	{ "MinCPUNode",		0, "MinCPUNode",	10, s_node },
	{ "MinCPUTask",		0, "MinCPUTask",	10, s_min_cpu_task },
	{ "Nodelist",		0, "Nodelist",		20, s_nodelist },
	{ "NTasks",		0, "NTasks",		8, s_ntasks },
	{ "Pids",		0, "Pids",		20, s_pids },
	{ "ReqCPUFreq",		0, "ReqCPUFreq",	10, s_req_cpu_freq },
	{ "ReqCPUFreqGov",	0, "ReqCPUFreqGov",	13, s_req_cpu_freq },
	{ "ReqCPUFreqMax",	0, "ReqCPUFreqMax",	13, s_req_cpu_freq },
	{ "ReqCPUFreqMin",	0, "ReqCPUFreqMin",	13, s_req_cpu_freq },
	{ "TRESUsageInAve",	0, "TRESUsageInAve",	14, s_tres_in_ave },
	{ "TRESUsageInMax",	0, "TRESUsageInMax",	14, s_tres_in_max },
	{ "TRESUsageInMaxNode",	0, "TRESUsageInMaxNode", 18,
	    s_tres_in_max_node },
	{ "TRESUsageInMaxTask",	0, "TRESUsageInMaxTask", 18,
	    s_tres_in_max_task },
	{ "TRESUsageInMin",	0, "TRESUsageInMin",	14, s_tres_in_min },
	{ "TRESUsageInMinNode",	0, "TRESUsageInMinNode", 18,
	    s_tres_in_min_node },
	{ "TRESUsageInMinTask",	0, "TRESUsageInMinTask", 18,
	    s_tres_in_min_task },
	{ "TRESUsageInTot",	0, "TRESUsageInTot",	14, s_tres_in_tot },
	{ "TRESUsageOutAve",	0, "TRESUsageOutAve",	15, s_tres_out_ave },
	{ "TRESUsageOutMax",	0, "TRESUsageOutMax",	15, s_tres_out_max },
	{ "TRESUsageOutMaxNode", 0, "TRESUsageOutMaxNode", 19,
	    s_tres_out_max_node },
	{ "TRESUsageOutMaxTask", 0, "TRESUsageOutMaxTask", 19,
	    s_tres_out_max_task },
	{ "TRESUsageOutMin",	0, "TRESUsageOutMin",	15, s_tres_out_min },
	{ "TRESUsageOutMinNode", 0, "TRESUsageOutMinNode", 19,
	    s_tres_out_min_node },
	{ "TRESUsageOutMinTask", 0, "TRESUsageOutMinTask", 19,
	    s_tres_out_min_task },
	{ "TRESUsageOutTot",	0, "TRESUsageOutTot",	15, s_tres_out_tot },
};

const struct fmt_table fmt_sstat_table = {
	sstat_fields, nitems(sstat_fields)
};

/* Slurm's -e: "%-19s" names, a space between, four per line. */
void
fmt_sstat_helpformat(FILE *fp)
{
	static const char *const req[] = {
		"ReqCPUFreqMin", "ReqCPUFreqMax", "ReqCPUFreqGov"
	};
	size_t n = fmt_sstat_table.nfields, k = 0;
	const char *name;

	for (size_t i = 0; i < n; i++) {
		name = fmt_sstat_table.fields[i].name;
		if (strncasecmp(name, "ReqCPUFreq", 10) == 0 && name[10] != '\0')
			name = req[k++];
		if (i & 3)
			fputc(' ', fp);
		else if (i != 0)
			fputc('\n', fp);
		fprintf(fp, "%-19s", name);
	}
	fputc('\n', fp);
}

static const char *const tres_names[SSTAT_NTRES] = {
	"cpu", "energy", "fs/disk", "mem", "pages", "vmem"
};

static bool
has_usage(const void *r)
{
	return ROW(r)->ntasks > 0;
}

static int
conv_mode(const void *r)
{
	return ROW(r)->noconvert ? FMT_UNIT_NONE : FMT_UNIT_EXACT;
}

/* A byte or count value: convert_num_unit(x, UNIT_NONE, ...). */
static void
num(struct buf *b, const void *r, uint64_t v)
{
	fmt_num_unit(b, (double)v, 0, 1024, conv_mode(r));
}

/* _print_small_double(): the disk fields. */
static void
small(struct buf *b, const void *r, double v)
{
	if (v > 1)
		fmt_num_unit(b, v, 0, 1024, conv_mode(r));
	else if (v > 0)
		buf_printf(b, "%.2fM", v);
	else
		fmt_addc(b, '0');
}

/* CPU milliseconds as whole seconds, "00:MM:SS" and up. */
static void
cpu(struct buf *b, uint64_t ms)
{
	fmt_duration_long(b, (int64_t)(ms / 1000));
}

static uint64_t
ave(const struct sstat_row *r, uint64_t tot)
{
	return r->ntasks > 0 ? tot / r->ntasks : 0;
}

static void
s_ave_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		cpu(b, ave(ROW(r), ROW(r)->in[SSTAT_CPU].tot));
}

static void
s_ave_cpu_freq(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_num_unit(b, ROW(r)->cpufreq, 1, 1000,
	    ROW(r)->noconvert ? FMT_UNIT_NONE : FMT_UNIT_ALL);
}

static void
s_ave_disk_read(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		small(b, r, (double)ave(ROW(r), ROW(r)->in[SSTAT_DISK].tot));
}

static void
s_ave_disk_write(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		small(b, r, (double)ave(ROW(r), ROW(r)->out.tot));
}

static void
s_ave_pages(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ave(ROW(r), ROW(r)->in[SSTAT_PAGES].tot));
}

static void
s_ave_rss(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ave(ROW(r), ROW(r)->in[SSTAT_MEM].tot));
}

static void
s_ave_vmsize(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ave(ROW(r), ROW(r)->in[SSTAT_VMEM].tot));
}

static void
s_energy(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	fmt_addc(b, '0');
}

static void
s_job_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->job_id);
	if (ROW(r)->step_id == SSTAT_BATCH)
		fmt_adds(b, ".batch");
	else {
		fmt_addc(b, '.');
		fmt_u64(b, ROW(r)->step_id);
	}
}

static void
s_max_disk_read(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		small(b, r, (double)ROW(r)->in[SSTAT_DISK].max);
}

static void
s_max_disk_write(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		small(b, r, (double)ROW(r)->out.max);
}

static void
task(struct buf *b, const void *r, uint32_t t)
{
	if (has_usage(r))
		fmt_u64(b, t);
}

static void
s_max_disk_read_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->in[SSTAT_DISK].max_task);
}

static void
s_max_disk_write_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->out.max_task);
}

static void
s_max_pages(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ROW(r)->in[SSTAT_PAGES].max);
}

static void
s_max_pages_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->in[SSTAT_PAGES].max_task);
}

static void
s_max_rss(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ROW(r)->in[SSTAT_MEM].max);
}

static void
s_max_rss_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->in[SSTAT_MEM].max_task);
}

static void
s_max_vmsize(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		num(b, r, ROW(r)->in[SSTAT_VMEM].max);
}

static void
s_max_vmsize_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->in[SSTAT_VMEM].max_task);
}

static void
s_min_cpu(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r))
		cpu(b, ROW(r)->in[SSTAT_CPU].min);
}

static void
s_min_cpu_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	task(b, r, ROW(r)->in[SSTAT_CPU].min_task);
}

/* The node holding a maximum or minimum: the only one. */
static void
s_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (has_usage(r) && ROW(r)->nodes != NULL)
		fmt_adds(b, ROW(r)->nodes);
}

static void
s_nodelist(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r)->nodes != NULL)
		fmt_adds(b, ROW(r)->nodes);
}

static void
s_ntasks(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_u64(b, ROW(r)->ntasks);
}

static void
s_pids(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r)->pids != NULL)
		fmt_adds(b, ROW(r)->pids);
}

static void
s_req_cpu_freq(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, ROW(r)->step_id == SSTAT_BATCH ? "0" : "Unknown");
}

/*
 * TRES strings.  which: 'a' ave, 'x' max, 'n' min, 't' tot; what: 'v'
 * values, 'N' node names, 'T' task ids (no energy: Slurm has none).
 */
static void
tres(struct buf *b, const struct sstat_row *r, bool in, char which,
    char what)
{
	const struct sstat_usage *u;
	uint64_t v;
	bool first = true;

	if (!has_usage(r))
		return;
	for (int i = 0; i < SSTAT_NTRES; i++) {
		if (!in && i != SSTAT_ENERGY && i != SSTAT_DISK)
			continue;
		if (what == 'T' && i == SSTAT_ENERGY)
			continue;
		u = in ? &r->in[i] : &r->out;
		if (!first)
			fmt_addc(b, ',');
		first = false;
		fmt_adds(b, tres_names[i]);
		fmt_addc(b, '=');
		if (what == 'N') {
			fmt_adds(b, r->nodes != NULL ? r->nodes : "");
			continue;
		}
		if (what == 'T')
			v = which == 'n' ? u->min_task : u->max_task;
		else if (i == SSTAT_ENERGY)
			v = 0;
		else if (which == 'a')
			v = ave(r, u->tot);
		else
			v = which == 'x' ? u->max : which == 'n' ? u->min :
			    u->tot;
		if (i == SSTAT_CPU)
			cpu(b, v);
		else
			fmt_num_unit(b, (double)v, 0, 1024, what == 'T' ?
			    FMT_UNIT_NONE : conv_mode(r));
	}
}

static void
s_tres_in_ave(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'a', 'v');
}

static void
s_tres_in_max(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'x', 'v');
}

static void
s_tres_in_max_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'x', 'N');
}

static void
s_tres_in_max_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'x', 'T');
}

static void
s_tres_in_min(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'n', 'v');
}

static void
s_tres_in_min_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'n', 'N');
}

static void
s_tres_in_min_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 'n', 'T');
}

static void
s_tres_in_tot(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), true, 't', 'v');
}

static void
s_tres_out_ave(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'a', 'v');
}

static void
s_tres_out_max(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'x', 'v');
}

static void
s_tres_out_max_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'x', 'N');
}

static void
s_tres_out_max_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'x', 'T');
}

static void
s_tres_out_min(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'n', 'v');
}

static void
s_tres_out_min_node(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'n', 'N');
}

static void
s_tres_out_min_task(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 'n', 'T');
}

static void
s_tres_out_tot(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	tres(b, ROW(r), false, 't', 'v');
}
