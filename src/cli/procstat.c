/* SPDX-License-Identifier: MIT */
/*
 * /proc readers for sstat (procstat.h).  /proc/PID/stat gives the parent,
 * the process group, CPU times, major faults and the last CPU;
 * /proc/PID/status the memory sizes and their peaks (VmHWM, VmPeak);
 * /proc/PID/io the bytes read and written (rchar/wchar, what
 * jobacct_gather/linux reports as disk), readable only for the caller's
 * own processes (or root).  A process that exits while being read is
 * simply left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/xmalloc.h"
#include "procstat.h"

/* Read a small /proc file into buf (NUL-terminated); -1 if unreadable. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/*
 * /proc/PID/stat: after "pid (comm)" (comm may hold spaces and parens:
 * the last ')' ends it) come state, ppid, pgrp, ... as proc(5) numbers
 * them from 3.  Zombies are left out: their memory is gone.
 */
static int
read_stat(pid_t pid, struct proc_usage *u)
{
	char path[64], buf[1024], *p, *end;
	unsigned long long f[40];
	long tick;
	int i;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if (read_small(path, buf, sizeof buf) <= 0)
		return -1;
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return -1;
	p++;
	memset(f, 0, sizeof f);
	for (i = 4; i < 40; i++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == '-') {	/* negative fields (nice): not needed */
			f[i] = 0;
			strtoll(p, &end, 10);
		} else
			f[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	if (i < 40)
		return -1;
	if ((tick = sysconf(_SC_CLK_TCK)) <= 0)
		tick = 100;
	u->pid = pid;
	u->ppid = (pid_t)f[4];
	u->pgid = (pid_t)f[5];
	u->majflt = f[12];
	u->cpu_usec = (f[14] + f[15]) * 1000000ull / (unsigned long long)tick;
	u->cpu = (int)f[39];
	return 0;
}

static uint64_t
field_kb(const char *buf, const char *key)
{
	const char *p = buf;
	size_t n = strlen(key);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, n) == 0)
			return strtoull(p + n, NULL, 10);
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}

int
proc_usage_read(pid_t pid, struct proc_usage *u)
{
	char path[64], buf[4096];

	memset(u, 0, sizeof *u);
	if (read_stat(pid, u) == -1)
		return -1;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if (read_small(path, buf, sizeof buf) <= 0)
		return -1;
	u->rss_kb = field_kb(buf, "VmRSS:");
	u->hwm_kb = field_kb(buf, "VmHWM:");
	u->vsize_kb = field_kb(buf, "VmSize:");
	u->vmpeak_kb = field_kb(buf, "VmPeak:");
	snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
	if (read_small(path, buf, sizeof buf) > 0) {
		u->rchar = field_kb(buf, "rchar:");
		u->wchar = field_kb(buf, "wchar:");
	}
	return 0;
}

static int
usage_cmp(const void *a, const void *b)
{
	const struct proc_usage *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

size_t
proc_group_read(pid_t pgid, struct proc_usage **v)
{
	struct proc_usage u;
	struct dirent *de;
	DIR *d;
	size_t n = 0, cap = 0;
	long pid;
	char *end;

	*v = NULL;
	if (pgid <= 0 || (d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		/* The cheap file first: most processes are someone else's. */
		memset(&u, 0, sizeof u);
		if (read_stat((pid_t)pid, &u) == -1 || u.pgid != pgid)
			continue;
		if (proc_usage_read((pid_t)pid, &u) == -1 || u.pgid != pgid)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			*v = xreallocarray(*v, cap, sizeof **v);
		}
		(*v)[n++] = u;
	}
	closedir(d);
	if (n > 1)
		qsort(*v, n, sizeof **v, usage_cmp);
	return n;
}

uint64_t
proc_cpu_freq(int cpu)
{
	char path[96], buf[8192], *p;

	snprintf(path, sizeof path,
	    "/sys/devices/system/cpu/cpu%d/cpufreq/cpuinfo_cur_freq", cpu);
	if (cpu >= 0 && read_small(path, buf, sizeof buf) > 0)
		return strtoull(buf, NULL, 10);
	if (read_small("/proc/cpuinfo", buf, sizeof buf) <= 0)
		return 0;
	if ((p = strstr(buf, "cpu MHz")) == NULL ||
	    (p = strchr(p, ':')) == NULL)
		return 0;
	return strtoull(p + 1, NULL, 10);
}

long
proc_env_long(pid_t pid, const char *name)
{
	char path[64], *buf, *p, *end;
	size_t n = strlen(name), len = 0, cap = 65536;
	ssize_t r;
	long v = -1;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	buf = xmalloc(cap + 1);
	while (len < cap) {
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	for (p = buf; p < buf + len; p += strlen(p) + 1) {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			v = strtol(p + n + 1, &end, 10);
			if (end == p + n + 1 || *end != '\0' || v < 0)
				v = -1;
			break;
		}
	}
	free(buf);
	return v;
}
