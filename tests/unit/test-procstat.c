// links: cli/procstat.c
/* SPDX-License-Identifier: MIT */
/*
 * The /proc readers sstat uses, on real processes: this test itself
 * (which touches memory, burns CPU and writes to a pipe first, so every
 * counter has something to show) and a child in a process group of its
 * own, with an environment variable to find.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/procstat.h"
#include "t.h"

static volatile uint64_t sink;

static void
burn(void)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			sink += (uint64_t)i * 7;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L +
	    (t.tv_nsec - t0.tv_nsec) < 50000000L);
}

int
main(void)
{
	struct proc_usage u, *v;
	size_t n, size = 32 << 20;
	int pfd[2], ready[2];
	char *mem, c;
	pid_t child;
	bool found;

	/* Something to count: 32 MB touched, CPU, bytes written. */
	mem = malloc(size);
	memset(mem, 1, size);
	burn();
	if (pipe(pfd) == -1 || write(pfd[1], "hello", 5) != 5)
		return 1;

	ok(proc_usage_read(getpid(), &u) == 0, "read this process");
	is_int(u.pid, getpid(), "its pid");
	is_int(u.ppid, getppid(), "its parent");
	is_int(u.pgid, getpgrp(), "its process group");
	ok(u.rss_kb >= 32 * 1024, "RSS counts the touched 32 MB (%llu kB)",
	    (unsigned long long)u.rss_kb);
	ok(u.hwm_kb >= u.rss_kb, "peak RSS is at least the RSS");
	ok(u.vsize_kb >= u.rss_kb && u.vmpeak_kb >= u.vsize_kb,
	    "virtual size and its peak");
	ok(u.cpu_usec >= 20000, "CPU time counts the burn (%llu us)",
	    (unsigned long long)u.cpu_usec);
	ok(u.wchar >= 5, "bytes written (wchar %llu)",
	    (unsigned long long)u.wchar);
	ok(u.cpu >= 0 && u.cpu < 4096, "last CPU %d", u.cpu);
	ok(proc_usage_read(0, &u) == -1, "pid 0 is not a process");

	/* A child in its own process group, waiting on a pipe. */
	if (pipe(ready) == -1)
		return 1;
	if ((child = fork()) == -1)
		return 1;
	if (child == 0) {
		setpgid(0, 0);
		setenv("SLURM_PROCID", "3", 1);
		close(ready[0]);
		c = 'x';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	setpgid(child, child);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return 1;
	/* The exec replaces the image; wait until /proc shows sleep's. */
	for (int i = 0; i < 500 && proc_env_long(child, "SLURM_PROCID") != 3;
	    i++)
		usleep(10000);
	n = proc_group_read(child, &v);
	is_int(n, 1, "the child's process group has one process");
	is_int(n > 0 ? v[0].pid : 0, child, "and it is the child");
	free(v);
	n = proc_group_read(getpgrp(), &v);
	found = false;
	for (size_t i = 0; i < n; i++) {
		found = found || v[i].pid == getpid();
		ok(v[i].pid != child, "the child is not in our group");
		if (i > 0)
			ok(v[i - 1].pid < v[i].pid, "ascending pids");
	}
	ok(found, "our process group includes this process");
	free(v);
	is_int(proc_env_long(child, "SLURM_PROCID"), 3,
	    "SLURM_PROCID from the child's environment");
	is_int(proc_env_long(child, "NO_SUCH_VARIABLE_HERE"), -1,
	    "an absent variable");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	n = proc_group_read(child, &v);
	is_int(n, 0, "a reaped process group is empty");
	free(v);
	ok(proc_cpu_freq(0) < 100000000ull, "a CPU frequency or 0");
	free(mem);
	return done_testing();
}
