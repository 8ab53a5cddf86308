/* SPDX-License-Identifier: MIT */
/*
 * Live usage of processes read from /proc, for sstat: the processes of a
 * process group and, for each, what jobacct_gather/linux samples in
 * Slurm (CPU time, resident and virtual size with their peaks, major
 * page faults, bytes read and written, the CPU it last ran on).
 */
#ifndef BERTH_PROCSTAT_H
#define BERTH_PROCSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_usage {
	pid_t		 pid;
	pid_t		 ppid;
	pid_t		 pgid;
	uint64_t	 cpu_usec;	/* utime + stime */
	uint64_t	 rss_kb;	/* VmRSS */
	uint64_t	 hwm_kb;	/* VmHWM: peak RSS */
	uint64_t	 vsize_kb;	/* VmSize */
	uint64_t	 vmpeak_kb;	/* VmPeak */
	uint64_t	 majflt;	/* major page faults */
	uint64_t	 rchar;		/* /proc/PID/io, 0 when unreadable */
	uint64_t	 wchar;
	int		 cpu;		/* processor it last ran on */
};

/*
 * One process.  Returns 0, or -1 if it is gone (or /proc cannot be
 * read); io counters stay 0 when /proc/PID/io is not readable.
 */
int	 proc_usage_read(pid_t, struct proc_usage *);
/*
 * Every live process whose process group is pgid, by ascending pid
 * (zombies left out).  Returns the count; *v (caller frees) holds them.
 */
size_t	 proc_group_read(pid_t pgid, struct proc_usage **v);
/*
 * Current frequency of a CPU as jobacct_gather/linux reads it:
 * cpufreq's cpuinfo_cur_freq (kHz) when readable, else the first "cpu
 * MHz" of /proc/cpuinfo (MHz, a number Slurm then prints as if kHz).
 * 0 when neither tells.
 */
uint64_t proc_cpu_freq(int cpu);
/*
 * A non-negative number from the environment a process started with
 * (/proc/PID/environ: SLURM_PROCID of a task); -1 if absent or unreadable.
 */
long	 proc_env_long(pid_t, const char *name);

#endif
