// links: fmt/fmt.c fmt/time-fmt.c fmt/fields-sstat.c
/* SPDX-License-Identifier: MIT */
/*
 * sstat's field table (fields-sstat.c): the values of a row built from
 * the usage of 50_sacct's batch step of job 11867 (what slurmstepd had
 * sampled: 3088K RSS, 5512K VM, 2 pages, 11111 bytes read, 7 written,
 * 2596 MHz), printed as sstat 22.05 prints them (the same TRES strings as
 * sacct's, its own byte units for the disk fields), plus Slurm's layout
 * of the default header and of -e.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/fmt.h"
#include "t.h"

static char *
render(const char *fields, const struct sstat_row *r, enum fmt_mode mode,
    int flags)
{
	const void *recs[1] = { r };
	struct fmt_ctx ctx = { 0, NULL };
	struct fmt_list l;
	char *s = NULL, *cause = NULL;
	size_t len = 0;
	FILE *fp;

	if (fmt_parse_acct(&l, &fmt_sstat_table, fields, &cause) != 0) {
		printf("# %s\n", cause);
		free(cause);
		return strdup("(parse error)");
	}
	l.mode = mode;
	fp = open_memstream(&s, &len);
	fmt_print(fp, &l, recs, 1, &ctx, flags);
	fclose(fp);
	fmt_list_free(&l);
	if (len > 0 && s[len - 1] == '\n')
		s[len - 1] = '\0';
	return s;
}

static void
one(struct sstat_usage *u, uint64_t v)
{
	u->max = u->min = u->tot = v;
	u->max_task = u->min_task = 0;
}

int
main(void)
{
	struct sstat_row r;
	char *s, *cause = NULL;
	FILE *fp;
	size_t len = 0;

	is_int(fmt_table_check(&fmt_sstat_table), -1, "sstat table sorted");

	memset(&r, 0, sizeof r);
	r.job_id = 11867;
	r.step_id = SSTAT_BATCH;
	r.nodes = "vm";
	r.pids = "4242,4243";
	r.ntasks = 1;
	one(&r.in[SSTAT_CPU], 400);		/* ms */
	one(&r.in[SSTAT_DISK], 11111);
	one(&r.in[SSTAT_MEM], 3088 * 1024);
	one(&r.in[SSTAT_PAGES], 2);
	one(&r.in[SSTAT_VMEM], 5512 * 1024);
	one(&r.out, 7);
	r.cpufreq = 2596;

	s = render("JobID,MaxVMSize,MaxVMSizeNode,MaxVMSizeTask,AveVMSize,"
	    "MaxRSS,MaxRSSNode,MaxRSSTask,AveRSS,MaxPages,MaxPagesNode,"
	    "MaxPagesTask,AvePages,MinCPU,MinCPUNode,MinCPUTask,AveCPU,"
	    "NTasks,AveCPUFreq,ReqCPUFreqMin,ReqCPUFreqMax,ReqCPUFreqGov,"
	    "ConsumedEnergy,MaxDiskRead,MaxDiskReadNode,MaxDiskReadTask,"
	    "AveDiskRead,MaxDiskWrite,MaxDiskWriteNode,MaxDiskWriteTask,"
	    "AveDiskWrite", &r, FMT_PARSABLE2, FMT_NOHEADER);
	is_str(s, "11867.batch|5512K|vm|0|5512K|3088K|vm|0|3088K|2|vm|0|2|"
	    "00:00:00|vm|0|00:00:00|1|2.60M|0|0|0|0|11111|vm|0|11111|7|vm|0|7",
	    "the usage fields of a batch step");
	free(s);
	s = render("TRESUsageInAve,TRESUsageInMax,TRESUsageInMaxNode,"
	    "TRESUsageInMaxTask,TRESUsageInMin,TRESUsageInTot", &r,
	    FMT_PARSABLE2, FMT_NOHEADER);
	is_str(s, "cpu=00:00:00,energy=0,fs/disk=11111,mem=3088K,pages=2,"
	    "vmem=5512K|cpu=00:00:00,energy=0,fs/disk=11111,mem=3088K,"
	    "pages=2,vmem=5512K|cpu=vm,energy=vm,fs/disk=vm,mem=vm,pages=vm,"
	    "vmem=vm|cpu=00:00:00,fs/disk=0,mem=0,pages=0,vmem=0|"
	    "cpu=00:00:00,energy=0,fs/disk=11111,mem=3088K,pages=2,"
	    "vmem=5512K|cpu=00:00:00,energy=0,fs/disk=11111,mem=3088K,"
	    "pages=2,vmem=5512K", "TRES in strings (50_sacct's)");
	free(s);
	s = render("TRESUsageOutAve,TRESUsageOutMax,TRESUsageOutMaxNode,"
	    "TRESUsageOutMaxTask,TRESUsageOutMin,TRESUsageOutMinNode,"
	    "TRESUsageOutMinTask,TRESUsageOutTot", &r, FMT_PARSABLE, 0);
	is_str(s, "TRESUsageOutAve|TRESUsageOutMax|TRESUsageOutMaxNode|"
	    "TRESUsageOutMaxTask|TRESUsageOutMin|TRESUsageOutMinNode|"
	    "TRESUsageOutMinTask|TRESUsageOutTot|\n"
	    "energy=0,fs/disk=7|energy=0,fs/disk=7|energy=vm,fs/disk=vm|"
	    "fs/disk=0|energy=0,fs/disk=7|energy=vm,fs/disk=vm|fs/disk=0|"
	    "energy=0,fs/disk=7|", "TRES out strings, -p");
	free(s);

	/* Two tasks: task 1 the larger, averages over both. */
	r.step_id = 3;
	r.ntasks = 2;
	r.in[SSTAT_MEM].max = 2048ull * 1024 * 1024;
	r.in[SSTAT_MEM].max_task = 1;
	r.in[SSTAT_MEM].tot = 3ull * 1024 * 1024 * 1024;
	r.in[SSTAT_CPU].tot = 3723000 * 2;
	r.in[SSTAT_CPU].min = 90061000;
	r.in[SSTAT_CPU].min_task = 1;
	r.in[SSTAT_DISK].max = 1;
	r.in[SSTAT_DISK].tot = 1536 * 2;
	s = render("JobID,MaxRSS,MaxRSSTask,AveRSS,AveCPU,MinCPU,MinCPUTask,"
	    "MaxDiskRead,AveDiskRead,ReqCPUFreq,TRESUsageInMaxTask", &r,
	    FMT_PARSABLE2, FMT_NOHEADER);
	is_str(s, "11867.3|2G|1|1.50G|01:02:03|1-01:01:01|1|1.00M|1.50K|"
	    "Unknown|cpu=00:00:00,fs/disk=0,mem=1,pages=0,vmem=0",
	    "units, times, task ids, a step");
	free(s);
	r.noconvert = true;
	s = render("MaxRSS,AveDiskRead,AveCPUFreq", &r, FMT_PARSABLE2,
	    FMT_NOHEADER);
	is_str(s, "2147483648|1536|2596K", "--noconvert");
	free(s);

	/* No process read: usage empty, NTasks 0. */
	r.ntasks = 0;
	r.noconvert = false;
	s = render("JobID,MaxRSS,AveCPU,NTasks,Nodelist,Pids,TRESUsageInMax",
	    &r, FMT_PARSABLE2, FMT_NOHEADER);
	is_str(s, "11867.3|||0|vm|4242,4243|", "a step without usage");
	free(s);

	/* Slurm's widths: JobID -12, MaxVMSize 10, ..., Pids 20. */
	s = render("JobID,MaxVMSize,NTasks,Pids", &r, FMT_MARK, 0);
	is_str(s, "JobID         MaxVMSize   NTasks                 Pids \n"
	    "------------ ---------- -------- -------------------- \n"
	    "11867.3                        0            4242,4243 ",
	    "default widths, the dashed line");
	free(s);
	s = render("jobid,maxrssn,tresusageinmaxt%5", &r, FMT_PARSABLE2, 0);
	is_str(s, "JobID|MaxRSSNode|TRESUsageInMaxTask\n11867.3||",
	    "prefixes as Slurm's default list writes them");
	free(s);

	fp = open_memstream(&s, &len);
	fmt_sstat_helpformat(fp);
	fclose(fp);
	ok(strncmp(s, "AveCPU              AveCPUFreq          AveDiskRead"
	    "         AveDiskWrite       \n", 80) == 0, "-e: first line");
	ok(strstr(s, "\nReqCPUFreqMin       ReqCPUFreqMax       "
	    "ReqCPUFreqGov       TRESUsageInAve     \n") != NULL,
	    "-e: Slurm's order of ReqCPUFreqMin/Max/Gov");
	ok(len > 20 && strcmp(s + len - 20, "TRESUsageOutTot    \n") == 0,
	    "-e: the last line");
	free(s);
	ok(fmt_parse_acct(&(struct fmt_list){ 0 }, &fmt_sstat_table, "Nope",
	    &cause) == -1 && strcmp(cause, "Invalid field requested: "
	    "\"Nope\"") == 0, "an unknown field");
	free(cause);
	return done_testing();
}
