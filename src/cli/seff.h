/* SPDX-License-Identifier: MIT */
/*
 * seff's report (seff-report.c): the figures of one job, as Slurm's
 * contribs/seff/seff (version 2.1, Slurm 22.05) takes them from the
 * accounting database, and the text it prints from them.  Pure: no I/O
 * but the FILE it is given, so the unit test drives it.
 */
#ifndef BERTH_SEFF_H
#define BERTH_SEFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct seff_job {
	uint32_t	 job_id;
	uint32_t	 array_job_id;	/* 0: not an array task */
	uint32_t	 array_task_id;
	const char	*cluster;
	const char	*user;
	const char	*group;
	const char	*state;		/* Slurm's name: "COMPLETED" */
	uint32_t	 exit_code;	/* the wait(2) status >> 8 */
	/* Allocated CPUs and nodes; 0 when the job never had an
	 * allocation (seff then counts 1 of each). */
	uint32_t	 ncpus;
	uint32_t	 nnodes;
	bool		 per_cpu;	/* memory asked per CPU (--mem-per-cpu
					 * or DefMemPerCPU) */
	bool		 allocated;	/* has an allocation (AllocTRES) */
	uint64_t	 req_mem_kb;	/* the request's memory (ReqTRES) */
	uint64_t	 alloc_mem_kb;	/* the allocation's (AllocTRES) */
	uint64_t	 elapsed;	/* seconds */
	uint64_t	 cpu_usec;	/* CPU time of the steps counted */
	/* The step with the largest per-task peak RSS, and its tasks
	 * (ntasks stays 0 when no step reported memory). */
	uint64_t	 max_rss_kb;
	uint32_t	 ntasks;
};

/* Slurm's time2str and kbytes2str of the script. */
void	 seff_time_str(char *, size_t, uint64_t secs);
void	 seff_kbytes_str(char *, size_t, double kbytes);
/* The report on fp; with debug, the "Slurm data:" lines first. */
void	 seff_print(FILE *fp, const struct seff_job *, bool debug);

#endif
