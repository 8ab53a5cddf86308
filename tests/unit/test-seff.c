// links: cli/seff-report.c
/* SPDX-License-Identifier: MIT */
/*
 * seff's report (seff-report.c): the script's time2str and kbytes2str,
 * and whole reports for figures taken from jobs that Slurm's seff 2.1
 * reported on the reference cluster (22.05): job 385 (one task, 90.39
 * MB of 1000 MB), 372 (two cores, no memory data), 373_2 (an array task
 * while running), 386 (cancelled while pending: "16.00 B").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/seff.h"
#include "t.h"

static char *
report(const struct seff_job *j, bool debug)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&s, &len);
	seff_print(fp, j, debug);
	fclose(fp);
	return s;
}

static struct seff_job
base(void)
{
	struct seff_job j;

	memset(&j, 0, sizeof j);
	j.cluster = "ref";
	j.user = "alice";
	j.group = "alice";
	j.state = "COMPLETED";
	j.ncpus = 1;
	j.nnodes = 1;
	j.per_cpu = true;
	j.allocated = true;
	j.req_mem_kb = j.alloc_mem_kb = 1000 * 1024;
	return j;
}

int
main(void)
{
	struct seff_job j;
	char b[64], *s;

	seff_time_str(b, sizeof b, 0);
	is_str(b, "00:00:00", "time2str 0");
	seff_time_str(b, sizeof b, 3 * 86400 + 3600 + 61);
	is_str(b, "3-01:01:01", "time2str with days");
	seff_kbytes_str(b, sizeof b, 0);
	is_str(b, "0.00 MB", "kbytes2str 0 is 0.00 MB");
	seff_kbytes_str(b, sizeof b, 92556);
	is_str(b, "90.39 MB", "kbytes2str 92556 KiB");
	seff_kbytes_str(b, sizeof b, 1024000);
	is_str(b, "1000.00 MB", "kbytes2str 1000 MiB");
	seff_kbytes_str(b, sizeof b, 1048576);
	is_str(b, "1.00 GB", "kbytes2str an exact power of 1024");
	seff_kbytes_str(b, sizeof b, 512);
	is_str(b, "512.00 KB", "kbytes2str below a MiB");
	seff_kbytes_str(b, sizeof b, 18446744073709551615.0 * 1024);
	is_str(b, "16.00 B", "kbytes2str past E has no prefix");

	j = base();
	j.job_id = 385;
	j.state = "CANCELLED";
	j.elapsed = 36;
	j.cpu_usec = 1662;
	j.max_rss_kb = 92556;
	j.ntasks = 1;
	s = report(&j, false);
	is_str(s, "Job ID: 385\n"
	    "Cluster: ref\n"
	    "User/Group: alice/alice\n"
	    "State: CANCELLED (exit code 0)\n"
	    "Cores: 1\n"
	    "CPU Utilized: 00:00:00\n"
	    "CPU Efficiency: 0.00% of 00:00:36 core-walltime\n"
	    "Job Wall-clock time: 00:00:36\n"
	    "Memory Utilized: 90.39 MB\n"
	    "Memory Efficiency: 9.04% of 1000.00 MB\n",
	    "one task with memory (seff 385)");
	free(s);

	j = base();
	j.job_id = 372;
	j.ncpus = 2;
	j.req_mem_kb = j.alloc_mem_kb = 2000 * 1024;
	j.elapsed = 2;
	j.cpu_usec = 1747987;
	s = report(&j, true);
	is_str(s, "Slurm data: JobID ArrayJobID User Group State Clustername "
	    "Ncpus Nnodes Ntasks Reqmem PerNode Cput Walltime Mem ExitStatus\n"
	    "Slurm data: 372  alice alice COMPLETED ref 2 1 0 2048000 0 2 2 "
	    "0 0\n\n"
	    "Job ID: 372\n"
	    "Cluster: ref\n"
	    "User/Group: alice/alice\n"
	    "State: COMPLETED (exit code 0)\n"
	    "Nodes: 1\n"
	    "Cores per node: 2\n"
	    "CPU Utilized: 00:00:02\n"
	    "CPU Efficiency: 50.00% of 00:00:04 core-walltime\n"
	    "Job Wall-clock time: 00:00:02\n"
	    "Memory Utilized: 0.00 MB (estimated maximum)\n"
	    "Memory Efficiency: 0.00% of 1.95 GB (1000.00 MB/core)\n",
	    "two cores without memory data, -d (seff -d 372)");
	free(s);

	j = base();
	j.job_id = 373;
	j.array_job_id = 373;
	j.array_task_id = 2;
	j.state = "RUNNING";
	j.elapsed = 2;
	s = report(&j, false);
	is_str(s, "Job ID: 373\n"
	    "Array Job ID: 373_2\n"
	    "Cluster: ref\n"
	    "User/Group: alice/alice\n"
	    "State: RUNNING\n"
	    "Cores: 1\n"
	    "CPU Utilized: 00:00:00\n"
	    "CPU Efficiency: 0.00% of 00:00:02 core-walltime\n"
	    "Job Wall-clock time: 00:00:02\n"
	    "Memory Utilized: 0.00 MB (estimated maximum)\n"
	    "Memory Efficiency: 0.00% of 1000.00 MB (1000.00 MB/core)\n"
	    "WARNING: Efficiency statistics may be misleading for RUNNING "
	    "jobs.\n", "a running array task (seff 373_2)");
	free(s);

	j = base();
	j.job_id = 386;
	j.state = "CANCELLED";
	j.ncpus = j.nnodes = 0;
	j.allocated = false;
	j.alloc_mem_kb = 0;
	s = report(&j, false);
	is_str(s, "Job ID: 386\n"
	    "Cluster: ref\n"
	    "User/Group: alice/alice\n"
	    "State: CANCELLED (exit code 0)\n"
	    "Cores: 1\n"
	    "CPU Utilized: 00:00:00\n"
	    "CPU Efficiency: 0.00% of 00:00:00 core-walltime\n"
	    "Job Wall-clock time: 00:00:00\n"
	    "Memory Utilized: 0.00 MB (estimated maximum)\n"
	    "Memory Efficiency: 0.00% of 16.00 B (16.00 B/core)\n",
	    "cancelled before it started (seff 386)");
	free(s);

	j = base();
	j.job_id = 371;
	j.state = "FAILED";
	j.exit_code = 3;
	j.per_cpu = false;
	j.ncpus = 4;
	j.elapsed = 90061;
	j.cpu_usec = 90061ull * 2 * 1000000 + 499999;
	j.max_rss_kb = 512 * 1024;
	j.ntasks = 2;
	s = report(&j, false);
	is_str(s, "Job ID: 371\n"
	    "Cluster: ref\n"
	    "User/Group: alice/alice\n"
	    "State: FAILED (exit code 3)\n"
	    "Nodes: 1\n"
	    "Cores per node: 4\n"
	    "CPU Utilized: 2-02:02:02\n"
	    "CPU Efficiency: 50.00% of 4-04:04:04 core-walltime\n"
	    "Job Wall-clock time: 1-01:01:01\n"
	    "Memory Utilized: 1.00 GB (estimated maximum)\n"
	    "Memory Efficiency: 102.40% of 1000.00 MB (1000.00 MB/node)\n",
	    "days, memory per node, two tasks");
	free(s);

	j = base();
	j.state = "PENDING";
	j.job_id = 9;
	j.ncpus = 4;
	j.allocated = false;
	s = report(&j, false);
	ok(strstr(s, "Nodes: 1\nCores per node: 4\nEfficiency not available "
	    "for jobs in the PENDING state.\n") != NULL,
	    "a pending job: no figures");
	free(s);
	return done_testing();
}
