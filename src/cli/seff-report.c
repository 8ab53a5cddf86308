/* SPDX-License-Identifier: MIT */
/*
 * seff's report: the lines Slurm's contribs/seff/seff (version 2.1, as
 * shipped with Slurm 22.05) prints for one job, from the figures
 * cmd-seff.c gathers.  Followed line by line, with its arithmetic:
 *
 *   - one core ("Cores: 1") or "Nodes:" and "Cores per node:" (CPUs /
 *     nodes, truncated); a job without an allocation counts 1 and 1;
 *   - the state, with "(exit code N)" unless PENDING or RUNNING;
 *   - nothing more for a PENDING job but "Efficiency not available ...";
 *   - CPU time rounded to the second, its share of elapsed x cores;
 *   - memory: the peak RSS of a task times the tasks of the step with
 *     the largest such peak, "(estimated maximum)" unless that step had
 *     one task (so also when no step reported any memory), its share of
 *     the allocated memory, "of X" for one task, else "of X (Y/core)"
 *     for memory per CPU or "(Y/node)";
 *   - the warning for a RUNNING job.
 *
 * Memory is in KiB and printed with the script's kbytes2str: the power
 * of 1024 from the truncated logarithm, "K M G T P E" (none past E:
 * "16.00 B" is what the script prints for the all-ones "no value" that
 * its TRES lookup returns for a job never allocated, times 1024), and
 * "0.00 MB" for zero.
 */
#include <stdio.h>
#include <string.h>

#include "seff.h"

#define INFINITE64_D	18446744073709551615.0	/* Slurm's INFINITE64 */

void
seff_time_str(char *s, size_t len, uint64_t t)
{
	uint64_t days = t / 86400;

	t -= days * 86400;
	if (days < 1)
		snprintf(s, len, "%02llu:%02llu:%02llu",
		    (unsigned long long)(t / 3600),
		    (unsigned long long)(t % 3600 / 60),
		    (unsigned long long)(t % 60));
	else
		snprintf(s, len, "%llu-%02llu:%02llu:%02llu",
		    (unsigned long long)days, (unsigned long long)(t / 3600),
		    (unsigned long long)(t % 3600 / 60),
		    (unsigned long long)(t % 60));
}

void
seff_kbytes_str(char *s, size_t len, double kb)
{
	static const char *const pre[] = { "K", "M", "G", "T", "P", "E" };
	const int npre = (int)(sizeof pre / sizeof pre[0]);
	double scale = 1.0;
	int exp = 0, i;

	if (kb == 0) {
		snprintf(s, len, "%.2f %sB", 0.0, "M");
		return;
	}
	/* int(log(kb) / log(1024)): truncated toward zero. */
	if (kb >= 1) {
		while (kb / scale >= 1024) {
			scale *= 1024;
			exp++;
		}
	} else {
		while (kb / scale <= 1.0 / 1024) {
			scale /= 1024;
			exp--;
		}
	}
	/* Perl's $pre[$exp]: negative indexes count from the end. */
	i = exp < 0 ? exp + npre : exp;
	snprintf(s, len, "%.2f %sB", kb / scale,
	    i >= 0 && i < npre ? pre[i] : "");
}

void
seff_print(FILE *fp, const struct seff_job *j, bool debug)
{
	char a[64], b[64], c[64];
	uint32_t ncpus = j->ncpus != 0 ? j->ncpus : 1;
	uint32_t nnodes = j->nnodes != 0 ? j->nnodes : 1;
	uint64_t cput = (j->cpu_usec + 500000) / 1000000;
	uint64_t mem = j->max_rss_kb * j->ntasks;
	double alloc, eff;
	bool pending = strcmp(j->state, "PENDING") == 0;
	bool running = strcmp(j->state, "RUNNING") == 0;
	char arr[32] = "";

	if (j->array_job_id != 0)
		snprintf(arr, sizeof arr, "%u_%u", j->array_job_id,
		    j->array_task_id);
	if (debug) {
		fprintf(fp, "Slurm data: JobID ArrayJobID User Group State "
		    "Clustername Ncpus Nnodes Ntasks Reqmem PerNode Cput "
		    "Walltime Mem ExitStatus\n");
		fprintf(fp, "Slurm data: %u %s %s %s %s %s %u %u %u %llu %d "
		    "%llu %llu %llu %u\n\n", j->job_id, arr, j->user, j->group,
		    j->state, j->cluster, ncpus, nnodes, j->ntasks,
		    (unsigned long long)j->req_mem_kb, !j->per_cpu,
		    (unsigned long long)cput, (unsigned long long)j->elapsed,
		    (unsigned long long)mem, j->exit_code);
	}
	fprintf(fp, "Job ID: %u\n", j->job_id);
	if (*arr != '\0')
		fprintf(fp, "Array Job ID: %s\n", arr);
	fprintf(fp, "Cluster: %s\n", j->cluster);
	fprintf(fp, "User/Group: %s/%s\n", j->user, j->group);
	if (pending || running)
		fprintf(fp, "State: %s\n", j->state);
	else
		fprintf(fp, "State: %s (exit code %u)\n", j->state,
		    j->exit_code);
	if (ncpus == 1)
		fprintf(fp, "Cores: %u\n", ncpus);
	else {
		fprintf(fp, "Nodes: %u\n", nnodes);
		fprintf(fp, "Cores per node: %u\n", ncpus / nnodes);
	}
	if (pending) {
		fprintf(fp, "Efficiency not available for jobs in the PENDING "
		    "state.\n");
		return;
	}

	eff = j->elapsed * ncpus != 0 ?
	    (double)cput / (double)(j->elapsed * ncpus) * 100 : 0.0;
	seff_time_str(a, sizeof a, cput);
	fprintf(fp, "CPU Utilized: %s\n", a);
	seff_time_str(a, sizeof a, j->elapsed * ncpus);
	fprintf(fp, "CPU Efficiency: %.2f%% of %s core-walltime\n", eff, a);
	seff_time_str(a, sizeof a, j->elapsed);
	fprintf(fp, "Job Wall-clock time: %s\n", a);

	seff_kbytes_str(a, sizeof a, (double)mem);
	fprintf(fp, "Memory Utilized: %s%s\n", a,
	    j->ntasks == 1 ? "" : " (estimated maximum)");
	alloc = j->allocated ? (double)j->alloc_mem_kb : INFINITE64_D * 1024;
	eff = alloc != 0 ? (double)mem / alloc * 100 : 0.0;
	seff_kbytes_str(b, sizeof b, alloc);
	if (j->ntasks == 1)
		fprintf(fp, "Memory Efficiency: %.2f%% of %s\n", eff, b);
	else {
		seff_kbytes_str(c, sizeof c,
		    j->per_cpu ? alloc / ncpus : alloc / nnodes);
		fprintf(fp, "Memory Efficiency: %.2f%% of %s (%s/%s)\n", eff,
		    b, c, j->per_cpu ? "core" : "node");
	}
	if (running)
		fprintf(fp, "WARNING: Efficiency statistics may be misleading "
		    "for RUNNING jobs.\n");
}
