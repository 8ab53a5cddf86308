/* SPDX-License-Identifier: MIT */
/*
 * Machine detection: usable CPUs (sched_getaffinity), their topology
 * (sysfs), memory (/proc/meminfo) and load (/proc/loadavg).  GPU detection
 * lives in detect-gpu.c.  See resource.h.
 *
 * The usable CPUs are the affinity mask of the calling process, not every
 * online CPU: under taskset, a cpuset cgroup or a container limit, berth
 * schedules only what it may run on.  Topology is computed over the same
 * CPUs (the first ncpus of the mask), so restricting CPUs= in berth.conf
 * gives a consistent Sockets/CoresPerSocket/ThreadsPerCore triple.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "resource.h"

#define SYSFS_CPU	"/sys/devices/system/cpu"
#define MEMINFO		"/proc/meminfo"
#define LOADAVG		"/proc/loadavg"

static cpu_set_t *affinity_get(size_t *, int *);
static int	 sysfs_read_int(uint32_t, const char *, long *);
static int	 meminfo_field(const char *, const char *, uint64_t *);

/*
 * The affinity mask, sized for however many CPUs the kernel has:
 * sched_getaffinity fails with EINVAL while the set is too small.
 * Returns the set (free with CPU_FREE) and its size in bytes.
 */
static cpu_set_t *
affinity_get(size_t *sizep, int *maxcpup)
{
	cpu_set_t *set;
	size_t size;
	int max;

	for (max = 1024; max <= 1 << 22; max *= 2) {
		if ((set = CPU_ALLOC(max)) == NULL)
			return NULL;
		size = CPU_ALLOC_SIZE(max);
		CPU_ZERO_S(size, set);
		if (sched_getaffinity(0, size, set) == 0) {
			*sizep = size;
			*maxcpup = max;
			return set;
		}
		CPU_FREE(set);
		if (errno != EINVAL)
			return NULL;
	}
	errno = EINVAL;
	return NULL;
}

int
detect_cpus(char **ids, uint32_t *count, char **cause)
{
	cpu_set_t *set;
	struct buf b;
	size_t size;
	uint32_t n = 0;
	int max, i, start;

	if ((set = affinity_get(&size, &max)) == NULL) {
		xasprintf(cause, "sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	buf_init(&b);
	for (i = 0; i < max; i++) {
		if (!CPU_ISSET_S((size_t)i, size, set))
			continue;
		start = i;
		while (i + 1 < max && CPU_ISSET_S((size_t)(i + 1), size, set))
			i++;
		if (b.len != 0)
			buf_addc(&b, ',');
		if (start == i)
			buf_printf(&b, "%d", i);
		else
			buf_printf(&b, "%d-%d", start, i);
		n += (uint32_t)(i - start + 1);
	}
	CPU_FREE(set);
	if (n == 0) {
		buf_free(&b);
		xasprintf(cause, "sched_getaffinity: no usable CPUs");
		return -1;
	}
	*ids = buf_steal(&b);
	*count = n;
	return 0;
}

/* Reads /sys/devices/system/cpu/cpuN/topology/<name> as an integer. */
static int
sysfs_read_int(uint32_t cpu, const char *name, long *out)
{
	char path[128], *data, *end;
	long v;

	snprintf(path, sizeof path, SYSFS_CPU "/cpu%u/topology/%s", cpu, name);
	if ((data = read_file(path, 64, NULL)) == NULL)
		return -1;
	errno = 0;
	v = strtol(data, &end, 10);
	if (errno != 0 || end == data || (*end != '\0' && *end != '\n')) {
		free(data);
		return -1;
	}
	free(data);
	*out = v;
	return 0;
}

/*
 * CPUs sharing (physical_package_id, core_id) are thread siblings of one
 * core.  Over the first ncpus usable CPUs: sockets = distinct packages,
 * cores = distinct (package, core) pairs, threads = ncpus / cores.  Any
 * missing file or uneven split falls back to 1 socket x ncpus cores x 1
 * thread, which is what Slurm assumes for CPUs= without topology.
 */
void
detect_topology(uint32_t ncpus, uint32_t *sockets,
    uint32_t *cores_per_socket, uint32_t *threads_per_core)
{
	cpu_set_t *set;
	long *pkg = NULL, *core = NULL;
	size_t size;
	uint32_t n = 0, npkg = 0, ncore = 0, j;
	int max, i;
	bool seen;

	*sockets = 1;
	*cores_per_socket = ncpus == 0 ? 1 : ncpus;
	*threads_per_core = 1;
	if (ncpus == 0 || (set = affinity_get(&size, &max)) == NULL)
		return;
	pkg = xcalloc(ncpus, sizeof *pkg);
	core = xcalloc(ncpus, sizeof *core);
	for (i = 0; i < max && n < ncpus; i++) {
		if (!CPU_ISSET_S((size_t)i, size, set))
			continue;
		if (sysfs_read_int((uint32_t)i, "physical_package_id",
		    &pkg[n]) == -1 ||
		    sysfs_read_int((uint32_t)i, "core_id", &core[n]) == -1)
			goto out;
		n++;
	}
	if (n != ncpus)
		goto out;
	for (uint32_t k = 0; k < n; k++) {
		seen = false;
		for (j = 0; j < k && !seen; j++)
			seen = pkg[j] == pkg[k];
		if (!seen)
			npkg++;
		seen = false;
		for (j = 0; j < k && !seen; j++)
			seen = pkg[j] == pkg[k] && core[j] == core[k];
		if (!seen)
			ncore++;
	}
	if (npkg == 0 || ncore % npkg != 0 || n % ncore != 0)
		goto out;
	*sockets = npkg;
	*cores_per_socket = ncore / npkg;
	*threads_per_core = n / ncore;
out:
	free(pkg);
	free(core);
	CPU_FREE(set);
}

/* Finds "name:   12345 kB" in the /proc/meminfo text; value in kB. */
static int
meminfo_field(const char *text, const char *name, uint64_t *kb)
{
	const char *p = text;
	size_t len = strlen(name);
	char *end;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, len) == 0 && p[len] == ':') {
			errno = 0;
			*kb = strtoull(p + len + 1, &end, 10);
			if (errno != 0 || end == p + len + 1)
				return -1;
			return 0;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

int
detect_memory(uint64_t *total_mb, uint64_t *avail_mb, char **cause)
{
	char *text;
	uint64_t total, avail;

	if ((text = read_file(MEMINFO, 1 << 20, NULL)) == NULL) {
		xasprintf(cause, "read %s: %s", MEMINFO, strerror(errno));
		return -1;
	}
	if (meminfo_field(text, "MemTotal", &total) == -1) {
		free(text);
		xasprintf(cause, "%s: no MemTotal line", MEMINFO);
		return -1;
	}
	/* Kernels before 3.14 have no MemAvailable; MemFree is close. */
	if (meminfo_field(text, "MemAvailable", &avail) == -1 &&
	    meminfo_field(text, "MemFree", &avail) == -1)
		avail = total;
	free(text);
	*total_mb = total / 1024;
	if (avail_mb != NULL)
		*avail_mb = avail / 1024;
	return 0;
}

uint32_t
detect_load_x100(void)
{
	char *text, *end;
	double load;

	if ((text = read_file(LOADAVG, 4096, NULL)) == NULL)
		return 0;
	errno = 0;
	load = strtod(text, &end);
	if (errno != 0 || end == text || load < 0 || load > 4e7)
		load = 0;
	free(text);
	return (uint32_t)(load * 100 + 0.5);
}
