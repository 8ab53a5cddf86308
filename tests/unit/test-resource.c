// links: resource/detect.c resource/detect-gpu.c
/* SPDX-License-Identifier: MIT */
/*
 * Machine detection against what the kernel says directly: the CPU list
 * against sched_getaffinity, topology adding up, memory present, and GPU
 * detection through tests/fake/nvidia-smi (FAKE_GPUS=N), a missing
 * nvidia-smi, one that fails, one that talks nonsense and one that hangs
 * (killed after 5 s).  Where /proc/driver/nvidia/gpus exists the fallback
 * answers are its entry count instead of 0 or an error.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "resource/resource.h"
#include "t.h"

static int	 proc_gpus(void);
static char	*fake_dir(void);
static uint32_t	 list_count(const char *);
static void	 write_script(const char *, const char *);

/* Entries of /proc/driver/nvidia/gpus, or -1 when it does not exist. */
static int
proc_gpus(void)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	if ((d = opendir("/proc/driver/nvidia/gpus")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* tests/fake, found from <build>/tests/<this binary> or the cwd. */
static char *
fake_dir(void)
{
	char *dir, *cand, real[PATH_MAX];

	dir = self_dir();
	xasprintf(&cand, "%s/../../tests/fake", dir);
	free(dir);
	if (realpath(cand, real) == NULL && realpath("tests/fake", real) == NULL) {
		free(cand);
		return NULL;
	}
	free(cand);
	return xstrdup(real);
}

/* Number of ids in "0-3,6". */
static uint32_t
list_count(const char *s)
{
	char **items, *dash;
	uint32_t n = 0, lo, hi;

	items = strv_split(s, ",", NULL);
	for (char **it = items; *it != NULL; it++) {
		if ((dash = strchr(*it, '-')) != NULL)
			*dash++ = '\0';
		if (parse_u32(*it, &lo) == -1)
			return 0;
		hi = lo;
		if (dash != NULL && parse_u32(dash, &hi) == -1)
			return 0;
		n += hi - lo + 1;
	}
	strv_free(items);
	return n;
}

static void
write_script(const char *path, const char *body)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
}

int
main(void)
{
	cpu_set_t set;
	char *ids = NULL, *cause = NULL, *fake, tmpl[] = "/tmp/berth-res.XXXXXX";
	char *tmp, *script, *path;
	uint32_t n = 0, s, c, t, gpus;
	uint64_t total = 0, avail = 0;
	int64_t t0;
	int pg = proc_gpus(), rc;

	/* CPUs */
	CPU_ZERO(&set);
	ok(sched_getaffinity(0, sizeof set, &set) == 0, "sched_getaffinity");
	rc = detect_cpus(&ids, &n, &cause);
	is_int(rc, 0, "detect_cpus succeeds (%s)", cause ? cause : "");
	is_int(n, CPU_COUNT(&set), "count matches sched_getaffinity");
	ok(ids != NULL && *ids != '\0', "id list '%s'", ids ? ids : "");
	is_int(list_count(ids), n, "id list names count ids");
	ok(strspn(ids, "0123456789-,") == strlen(ids), "id list syntax");
	ok(CPU_ISSET((size_t)atoi(ids), &set), "first listed id is usable");

	/* topology */
	detect_topology(n, &s, &c, &t);
	is_int((uint64_t)s * c * t, n, "topology %ux%ux%u adds up to %u",
	    s, c, t, n);
	detect_topology(1, &s, &c, &t);
	ok(s == 1 && c == 1 && t == 1, "one CPU: 1x1x1 (%ux%ux%u)", s, c, t);
	detect_topology(0, &s, &c, &t);
	ok(s == 1 && c >= 1 && t == 1, "zero CPUs: safe fallback");
	detect_topology(n + 1, &s, &c, &t);
	ok(s == 1 && c == n + 1 && t == 1,
	    "more CPUs than usable: fallback 1 x n x 1");
	free(ids);

	/* memory and load */
	rc = detect_memory(&total, &avail, &cause);
	is_int(rc, 0, "detect_memory succeeds");
	ok(total > 0, "MemTotal %llu MB", (unsigned long long)total);
	ok(avail > 0 && avail <= total, "MemAvailable %llu MB",
	    (unsigned long long)avail);
	ok(detect_load_x100() < 100000000, "load average readable");

	/* GPUs */
	if ((fake = fake_dir()) == NULL) {
		ok(0, "tests/fake found");
		return done_testing();
	}
	xasprintf(&path, "%s/nvidia-smi", fake);
	ok(access(path, X_OK) == 0, "%s is executable", path);
	free(path);
	if ((tmp = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		return 1;
	}

	setenv("PATH", fake, 1);
	setenv("FAKE_GPUS", "2", 1);
	gpus = 99;
	rc = detect_gpus(&gpus, &cause);
	is_int(rc, 0, "fake nvidia-smi FAKE_GPUS=2: ok");
	is_int(gpus, 2, "fake nvidia-smi FAKE_GPUS=2: 2 GPUs");

	setenv("FAKE_GPUS", "8", 1);
	rc = detect_gpus(&gpus, &cause);
	is_int(gpus, 8, "fake nvidia-smi FAKE_GPUS=8: 8 GPUs");

	/* "No devices were found", exit 6: no GPUs (or what /proc says). */
	setenv("FAKE_GPUS", "0", 1);
	gpus = 99;
	rc = detect_gpus(&gpus, &cause);
	is_int(rc, 0, "FAKE_GPUS=0: ok");
	is_int(gpus, pg > 0 ? pg : 0, "FAKE_GPUS=0: %d GPUs", pg > 0 ? pg : 0);

	/* Driver not loaded, exit 9: the same. */
	setenv("FAKE_GPUS", "2", 1);
	setenv("FAKE_GPU_EXIT", "9", 1);
	gpus = 99;
	rc = detect_gpus(&gpus, &cause);
	is_int(rc, 0, "nvidia-smi exit 9: ok");
	is_int(gpus, pg > 0 ? pg : 0, "nvidia-smi exit 9: /proc or 0");
	unsetenv("FAKE_GPU_EXIT");

	/* No nvidia-smi on PATH. */
	setenv("PATH", tmp, 1);
	gpus = 99;
	rc = detect_gpus(&gpus, &cause);
	is_int(rc, 0, "no nvidia-smi: ok");
	is_int(gpus, pg > 0 ? pg : 0, "no nvidia-smi: %d GPUs (/proc)",
	    pg > 0 ? pg : 0);

	/* A non-executable nvidia-smi is not run. */
	xasprintf(&script, "%s/nvidia-smi", tmp);
	write_script(script, "echo 0; echo 1; echo 2");
	chmod(script, 0644);
	rc = detect_gpus(&gpus, &cause);
	is_int(gpus, pg > 0 ? pg : 0, "non-executable nvidia-smi skipped");

	/* Nonsense output. */
	write_script(script, "echo garbage");
	cause = NULL;
	rc = detect_gpus(&gpus, &cause);
	if (pg >= 0)
		is_int(gpus, pg, "nonsense output: /proc count");
	else {
		is_int(rc, -1, "nonsense output: error");
		ok(cause != NULL && strstr(cause, "nvidia-smi") != NULL &&
		    strstr(cause, "unexpected output line 'garbage'") != NULL,
		    "error names nvidia-smi and the line: %s",
		    cause ? cause : "");
	}
	free(cause);

	/* A hang is killed after 5 seconds. */
	xasprintf(&path, "%s:/usr/bin:/bin", fake);
	setenv("PATH", path, 1);
	free(path);
	setenv("FAKE_GPU_HANG", "1", 1);
	cause = NULL;
	t0 = mono_msec();
	rc = detect_gpus(&gpus, &cause);
	t0 = mono_msec() - t0;
	ok(t0 >= 4900 && t0 < 8000, "hung nvidia-smi given ~5 s (%lld ms)",
	    (long long)t0);
	if (pg >= 0)
		is_int(gpus, pg, "hung nvidia-smi: /proc count");
	else {
		is_int(rc, -1, "hung nvidia-smi: error");
		ok(cause != NULL && strstr(cause, "no answer within 5 seconds")
		    != NULL, "error says so: %s", cause ? cause : "");
	}
	free(cause);
	unsetenv("FAKE_GPU_HANG");

	unlink(script);
	free(script);

	/* The driver's directory, as a machine without nvidia-smi has it
	 * (CI has no GPU: a directory of ours stands for it). */
	gpus = 99;
	xasprintf(&path, "%s/gpus", tmp);
	is_int(gpu_proc_count(path, &gpus, &cause), 0,
	    "no driver directory: 0");
	ok(mkdir(path, 0755) == 0, "mkdir %s", path);
	is_int(gpu_proc_count(path, &gpus, &cause), 1, "empty directory: 1");
	is_int(gpus, 0, "…and 0 GPUs");
	xasprintf(&script, "%s/0000:01:00.0", path);
	ok(mkdir(script, 0755) == 0, "one device entry");
	free(script);
	xasprintf(&script, "%s/0000:41:00.0", path);
	ok(mkdir(script, 0755) == 0, "a second device entry");
	is_int(gpu_proc_count(path, &gpus, &cause), 1, "two devices: 1");
	is_int(gpus, 2, "…and 2 GPUs (. and .. not counted)");
	rmdir(script);
	free(script);
	xasprintf(&script, "%s/0000:01:00.0", path);
	rmdir(script);
	free(script);
	rmdir(path);
	free(path);

	rmdir(tmp);
	free(fake);
	return done_testing();
}
