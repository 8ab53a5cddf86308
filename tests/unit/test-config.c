// links: daemon/config.c resource/detect.c resource/detect-gpu.c
/* SPDX-License-Identifier: MIT */
/*
 * berth.conf parsing (conf_load): the detected defaults with no file, the
 * reference cluster's slurm.conf lines, PartitionName=DEFAULT and the
 * default-partition rules, NodeName=DEFAULT and "last NodeName wins",
 * Gres forms, slurm.conf syntax (case, quotes, comments, continuation),
 * errors that name the file and line, and GPU detection through the fake
 * nvidia-smi in tests/fake.  parse_time_limit comes from common/parse.c,
 * which is always linked.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/config.h"
#include "proto/job.h"
#include "resource/resource.h"
#include "t.h"

static char	*tmp;
static char	*fake;

static int	 proc_gpus(void);
static char	*fake_dir(void);
static char	*conf_file(const char *);
static int	 load(const char *, struct berth_conf *, char **);
static void	 expect_error(const char *, const char *, int);

static int
proc_gpus(void)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	if ((d = opendir("/proc/driver/nvidia/gpus")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

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

/* Writes text to <tmp>/berth.conf and returns the path (static). */
static char *
conf_file(const char *text)
{
	static char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/berth.conf", tmp);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

static int
load(const char *text, struct berth_conf *c, char **cause)
{
	*cause = NULL;
	return conf_load(conf_file(text), c, cause);
}

/* conf_load of text fails with "<path> line <line>: <msg>". */
static void
expect_error(const char *text, const char *msg, int line)
{
	struct berth_conf c;
	char *cause, *want;
	int rc;

	rc = load(text, &c, &cause);
	xasprintf(&want, "%s/berth.conf line %d: %s", tmp, line, msg);
	is_int(rc, -1, "error: %s", msg);
	is_str(cause, want, "error text: %s", msg);
	ok(c.parts == NULL && c.cluster_name == NULL, "conf freed on error");
	free(want);
	free(cause);
}

int
main(void)
{
	struct berth_conf c;
	char *cause, *ids, *path, *txt, tmpl[] = "/tmp/berth-conf.XXXXXX";
	char *script, *marker, first[32];
	uint32_t ncpus, pg = (uint32_t)proc_gpus();
	uint64_t mem;
	int rc;

	if ((tmp = mkdtemp(tmpl)) == NULL || (fake = fake_dir()) == NULL) {
		printf("Bail out! no temp dir or tests/fake\n");
		return 1;
	}
	if (detect_cpus(&ids, &ncpus, &cause) == -1 ||
	    detect_memory(&mem, NULL, &cause) == -1) {
		printf("Bail out! detection: %s\n", cause);
		return 1;
	}
	snprintf(first, sizeof first, "%u", (unsigned)atoi(ids));

	/* No file: everything detected or built in; fake nvidia-smi. */
	setenv("PATH", fake, 1);
	setenv("FAKE_GPUS", "2", 1);
	xasprintf(&path, "%s/absent.conf", tmp);
	rc = conf_load(path, &c, &cause);
	free(path);
	is_int(rc, 0, "no file: loads");
	ok(c.path == NULL, "no file: path NULL");
	is_str(c.cluster_name, "berth", "default ClusterName");
	is_str(c.node_name, short_hostname(), "default node name");
	is_int(c.cpus, ncpus, "detected CPUs");
	is_str(c.cpu_ids, ids, "detected CPU ids");
	is_int((uint64_t)c.sockets * c.cores_per_socket * c.threads_per_core,
	    ncpus, "topology adds up");
	is_int(c.real_mem_mb, mem, "RealMemory = MemTotal");
	is_int(c.gpus, 2, "fake nvidia-smi FAKE_GPUS=2: 2 GPUs");
	ok(c.gpu_type == NULL && c.features == NULL, "no type, no features");
	is_int(c.def_mem_per_cpu, mem / ncpus, "DefMemPerCPU = mem / cpus");
	is_int(c.kill_wait, 30, "KillWait 30");
	is_int(c.min_job_age, 300, "MinJobAge 300");
	is_int(c.max_array_size, 1001, "MaxArraySize 1001");
	is_int(c.max_job_count, 10000000, "MaxJobCount 10000000");
	is_int(c.first_job_id, 1, "FirstJobId 1");
	is_int(c.max_script_size, 4 * 1024 * 1024, "max_script_size 4 MiB");
	is_int(c.kill_invalid_depend, 0, "kill_invalid_depend off by default");
	is_int(c.nparts, 1, "one partition");
	is_str(c.parts[0].name, "cpu", "named cpu");
	ok(c.parts[0].is_default && c.default_part == 0, "it is the default");
	is_int(c.parts[0].max_time, INFINITE, "MaxTime INFINITE");
	is_int(c.parts[0].default_time, NO_VAL, "DefaultTime NO_VAL");
	is_int(c.parts[0].state, PART_UP, "State UP");
	is_int(c.parts[0].max_nodes, INFINITE, "MaxNodes INFINITE");
	is_int(c.parts[0].max_cpus_per_node, INFINITE, "MaxCPUsPerNode");
	is_int(c.parts[0].max_mem_per_node, 0, "MaxMemPerNode unlimited");
	is_int(c.parts[0].priority_tier, 1, "PriorityTier 1");
	ok(c.parts[0].allow_groups == NULL && c.parts[0].allow_accounts ==
	    NULL, "AllowGroups/AllowAccounts ALL");
	conf_free(&c);
	ok(c.cluster_name == NULL && c.parts == NULL, "conf_free clears");

	rc = conf_load(NULL, &c, &cause);
	is_int(rc, 0, "NULL path: detection only");
	conf_free(&c);

	/* No nvidia-smi on PATH: whatever /proc/driver/nvidia says. */
	setenv("PATH", tmp, 1);
	rc = conf_load(NULL, &c, &cause);
	is_int(rc, 0, "no nvidia-smi: loads");
	is_int(c.gpus, pg, "no nvidia-smi: %u GPUs (/proc)", pg);
	conf_free(&c);

	/* The reference cluster's slurm.conf (setup.sh), as berth.conf. */
	setenv("PATH", fake, 1);
	rc = load(
	    "# slurm.conf for the single-node reference cluster\n"
	    "ClusterName=ref\n"
	    "SlurmctldHost=vm\n"
	    "AuthType=auth/munge\n"
	    "SchedulerType=sched/backfill\n"
	    "SelectType=select/cons_tres\n"
	    "SelectTypeParameters=CR_Core_Memory\n"
	    "DefMemPerCPU=1000\n"
	    "MaxArraySize=10001\n"
	    "MaxJobCount=100000\n"
	    "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,"
	    "default_queue_depth=1000\n"
	    "\n"
	    "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 "
	    "ThreadsPerCore=1 RealMemory=20000 Gres=gpu:2 State=UNKNOWN\n"
	    "PartitionName=cpu   Nodes=vm Default=YES MaxTime=INFINITE "
	    "State=UP\n"
	    "PartitionName=debug Nodes=vm Default=NO  MaxTime=30:00 "
	    "DefaultTime=10:00 State=UP\n", &c, &cause);
	if (ncpus < 2) {
		is_int(rc, -1, "reference config on a 1-CPU machine: refused");
		ok(cause != NULL && strstr(cause, "CPUs=2 exceeds the 1 usable"),
		    "%s", cause ? cause : "");
		free(cause);
	} else {
		is_int(rc, 0, "reference config loads (%s)", cause ? cause : "");
		is_str(c.path, conf_file(""), "path recorded");
		is_str(c.cluster_name, "ref", "ClusterName=ref");
		is_str(c.node_name, "vm", "NodeName=vm");
		is_int(c.cpus, 2, "CPUs=2");
		ok(c.sockets == 1 && c.cores_per_socket == 2 &&
		    c.threads_per_core == 1, "1 socket x 2 cores x 1 thread");
		is_int(c.real_mem_mb, 20000, "RealMemory=20000");
		is_int(c.gpus, 2, "Gres=gpu:2");
		ok(c.gpu_type == NULL, "no GPU type");
		is_int(c.def_mem_per_cpu, 1000, "DefMemPerCPU=1000");
		is_int(c.max_array_size, 10001, "MaxArraySize=10001");
		is_int(c.max_job_count, 100000, "MaxJobCount=100000");
		is_int(c.max_script_size, 4 * 1024 * 1024,
		    "other SchedulerParameters ignored");
		is_int(c.kill_wait, 30, "KillWait default kept");
		is_int(c.nparts, 2, "two partitions");
		is_int(conf_find_part(&c, "cpu"), 0, "find cpu");
		is_int(conf_find_part(&c, "debug"), 1, "find debug");
		is_int(conf_find_part(&c, "Debug"), -1, "names are exact");
		is_int(conf_find_part(&c, "gpu"), -1, "unknown partition");
		ok(c.default_part == 0 && c.parts[0].is_default &&
		    !c.parts[1].is_default, "cpu is the default");
		is_int(c.parts[0].max_time, INFINITE, "cpu MaxTime=INFINITE");
		is_int(c.parts[0].default_time, NO_VAL, "cpu DefaultTime NONE");
		is_int(c.parts[1].max_time, 30, "debug MaxTime=30:00");
		is_int(c.parts[1].default_time, 10, "debug DefaultTime=10:00");
		is_int(c.parts[1].state, PART_UP, "debug State=UP");
		is_int(c.parts[1].priority_tier, 1, "debug PriorityTier 1");
		conf_free(&c);
	}

	/* PartitionName=DEFAULT applies to the lines after it. */
	rc = load(
	    "PartitionName=DEFAULT MaxTime=1:00:00 State=DOWN\n"
	    "PartitionName=a\n"
	    "PartitionName=DEFAULT MaxTime=2-00:00:00\n"
	    "PartitionName=b Default=YES State=UP\n"
	    "PartitionName=c PriorityTier=5 AllowGroups=wheel,staff "
	    "AllowAccounts=ALL MaxNodes=1 MaxCPUsPerNode=UNLIMITED "
	    "MaxMemPerNode=4000 DefaultTime=1-0\n"
	    "PartitionName=d State=drain MaxNodes=INFINITE "
	    "MaxCPUsPerNode=4 MaxMemPerNode=UNLIMITED MaxTime=UNLIMITED\n"
	    "PartitionName=e State=INACTIVE\n", &c, &cause);
	is_int(rc, 0, "DEFAULT partitions: loads (%s)", cause ? cause : "");
	if (rc == 0) {
		is_int(c.nparts, 5, "five partitions, DEFAULT is none");
		is_int(c.parts[0].max_time, 60, "a: MaxTime from DEFAULT");
		is_int(c.parts[0].state, PART_DOWN, "a: State from DEFAULT");
		is_int(c.parts[1].max_time, 2880, "b: second DEFAULT");
		is_int(c.parts[1].state, PART_UP, "b: own State");
		is_int(c.parts[2].max_time, 2880, "c: DEFAULT MaxTime");
		is_int(c.parts[2].state, PART_DOWN, "c: first DEFAULT State");
		is_int(c.parts[2].priority_tier, 5, "c: PriorityTier=5");
		is_str(c.parts[2].allow_groups, "wheel,staff", "c: AllowGroups");
		ok(c.parts[2].allow_accounts == NULL, "c: AllowAccounts=ALL");
		is_int(c.parts[2].max_nodes, 1, "c: MaxNodes=1");
		is_int(c.parts[2].max_cpus_per_node, INFINITE,
		    "c: MaxCPUsPerNode=UNLIMITED");
		is_int(c.parts[2].max_mem_per_node, 4000, "c: MaxMemPerNode");
		is_int(c.parts[2].default_time, 1440, "c: DefaultTime=1-0");
		is_int(c.parts[3].state, PART_DRAIN, "d: State=drain");
		is_int(c.parts[3].max_nodes, INFINITE, "d: MaxNodes=INFINITE");
		is_int(c.parts[3].max_cpus_per_node, 4, "d: MaxCPUsPerNode=4");
		is_int(c.parts[3].max_mem_per_node, 0, "d: MaxMemPerNode=UNL");
		is_int(c.parts[3].max_time, INFINITE, "d: MaxTime=UNLIMITED");
		is_int(c.parts[4].state, PART_INACTIVE, "e: State=INACTIVE");
		ok(c.default_part == 1 && c.parts[1].is_default &&
		    !c.parts[0].is_default && !c.parts[2].is_default,
		    "b is the only default");
		conf_free(&c);
	}

	/* No Default=YES: the first; several: the last. */
	rc = load("PartitionName=x\nPartitionName=y\n", &c, &cause);
	ok(rc == 0 && c.default_part == 0 && c.parts[0].is_default &&
	    !c.parts[1].is_default, "no Default=YES: first is default");
	conf_free(&c);
	rc = load("PartitionName=x Default=YES\nPartitionName=y Default=yes\n"
	    "PartitionName=z\n", &c, &cause);
	ok(rc == 0 && c.default_part == 1 && !c.parts[0].is_default &&
	    c.parts[1].is_default && !c.parts[2].is_default,
	    "two Default=YES: the last wins");
	conf_free(&c);

	/* Syntax: case, quotes, comments, continuation, unknown keys. */
	rc = load(
	    "clustername=MyCluster   # lower-cased like slurmctld\n"
	    "  killwait=45 MINJOBAGE=10 Frobnicate=yes   \n"
	    "# a comment line\n"
	    "\n"
	    "FirstJobId=1000 MaxArraySize=0 \\\n"
	    "   MaxJobCount=5 \\\n"
	    "   DefMemPerCPU=0\n"
	    "SchedulerParameters=bf_continue,max_script_size=1000\n"
	    "DependencyParameters=max_depend_depth=3,kill_invalid_depend\n"
	    "NodeName=box Feature=\"a100, ib\" Gres=gpu:0\n"
	    "PartitionName=p\\#1 AllowGroups=\"grp\"   # trailing\r\n"
	    "DownNodes=box State=DOWN Reason=x\n", &c, &cause);
	is_int(rc, 0, "syntax: loads (%s)", cause ? cause : "");
	if (rc == 0) {
		is_str(c.cluster_name, "mycluster", "case-insensitive key, "
		    "ClusterName lower-cased");
		is_int(c.kill_wait, 45, "KillWait=45");
		is_int(c.min_job_age, 10, "MINJOBAGE=10");
		is_int(c.first_job_id, 1000, "FirstJobId=1000");
		is_int(c.max_array_size, 0, "MaxArraySize=0 (continued line)");
		is_int(c.max_job_count, 5, "MaxJobCount=5 (continued line)");
		is_int(c.def_mem_per_cpu, 0, "explicit DefMemPerCPU=0 kept");
		is_int(c.max_script_size, 1000, "max_script_size=1000");
		is_int(c.kill_invalid_depend, 1,
		    "DependencyParameters=...,kill_invalid_depend");
		is_str(c.node_name, "box", "NodeName=box");
		is_str(c.features, "a100, ib", "quoted Feature");
		is_int(c.gpus, 0, "Gres=gpu:0");
		is_str(c.parts[0].name, "p#1", "\\# is a literal #");
		is_str(c.parts[0].allow_groups, "grp", "quoted AllowGroups");
		is_int(c.parts[0].state, PART_UP, "DownNodes line ignored");
		conf_free(&c);
	}

	/* NodeName=DEFAULT, several named lines: the last one counts. */
	rc = load(
	    "NodeName=DEFAULT RealMemory=1000 Feature=x\n"
	    "NodeName=first RealMemory=3000 Gres=gpu:v100:4\n"
	    "NodeName=DEFAULT Gres=gpu:1\n"
	    "NodeName=localhost CPUs=1\n", &c, &cause);
	is_int(rc, 0, "NodeName=DEFAULT: loads (%s)", cause ? cause : "");
	if (rc == 0) {
		is_str(c.node_name, "localhost", "last NodeName line");
		is_int(c.real_mem_mb, 1000, "RealMemory from the DEFAULT line, "
		    "not the earlier node");
		is_str(c.features, "x", "Feature from DEFAULT");
		is_int(c.gpus, 1, "Gres from the later DEFAULT line");
		ok(c.gpu_type == NULL, "no type from the earlier node");
		is_int(c.cpus, 1, "CPUs=1");
		is_str(c.cpu_ids, first, "CPUs=1 takes the first usable id");
		ok(c.sockets == 1 && c.cores_per_socket == 1 &&
		    c.threads_per_core == 1, "topology of one CPU");
		is_int(c.def_mem_per_cpu, 1000, "DefMemPerCPU = 1000 / 1");
		conf_free(&c);
	}

	/* Topology without CPUs=: the product, as Slurm. */
	rc = load("NodeName=t Sockets=1 CoresPerSocket=1 ThreadsPerCore=1\n",
	    &c, &cause);
	ok(rc == 0 && c.cpus == 1 && strcmp(c.cpu_ids, first) == 0,
	    "Sockets*Cores*Threads=1: one CPU");
	conf_free(&c);

	/* Gres forms. */
	rc = load("NodeName=g Gres=gpu:a100:2\n", &c, &cause);
	ok(rc == 0 && c.gpus == 2 && c.gpu_type != NULL &&
	    strcmp(c.gpu_type, "a100") == 0, "Gres=gpu:a100:2");
	conf_free(&c);
	rc = load("NodeName=g Gres=gpu:a100\n", &c, &cause);
	ok(rc == 0 && c.gpus == 1 && c.gpu_type != NULL &&
	    strcmp(c.gpu_type, "a100") == 0, "Gres=gpu:a100 is one");
	conf_free(&c);
	rc = load("NodeName=g Gres=gpu\n", &c, &cause);
	ok(rc == 0 && c.gpus == 1 && c.gpu_type == NULL, "Gres=gpu is one");
	conf_free(&c);
	rc = load("NodeName=g Gres=mps:100,gpu:tesla:4(S:0,1),gpu:tesla:1\n",
	    &c, &cause);
	ok(rc == 0 && c.gpus == 5 && c.gpu_type != NULL &&
	    strcmp(c.gpu_type, "tesla") == 0,
	    "Gres list: other GRES ignored, socket suffix dropped, summed");
	conf_free(&c);
	rc = load("NodeName=g Gres=mps:100\n", &c, &cause);
	ok(rc == 0 && c.gpus == 0, "Gres without gpu: 0 GPUs");
	conf_free(&c);

	/* Errors name the file and the line. */
	expect_error("ClusterName=x\n\nPartitionName=p MaxTime=abc\n",
	    "invalid MaxTime value 'abc'", 3);
	expect_error("KillWait=3 oops\n", "expected KEY=VALUE, found 'oops'",
	    1);
	expect_error("# c\nkillwait=-1\n", "invalid KillWait value '-1'", 2);
	expect_error("KillWait=1 \\\n  MinJobAge=x\n",
	    "invalid MinJobAge value 'x'", 1);
	expect_error("PartitionName=p State=BROKEN\n",
	    "invalid State value 'BROKEN'", 1);
	expect_error("PartitionName=p Default=maybe\n",
	    "invalid Default value 'maybe'", 1);
	expect_error("PartitionName=p MaxNodes=lots\n",
	    "invalid MaxNodes value 'lots'", 1);
	expect_error("PartitionName=p PriorityTier=70000\n",
	    "invalid PriorityTier value '70000'", 1);
	expect_error("PartitionName=p\nPartitionName=p\n",
	    "duplicate PartitionName 'p'", 2);
	expect_error("PartitionName=p MaxTime=10 DefaultTime=20\n",
	    "PartitionName=p: DefaultTime exceeds MaxTime", 1);
	expect_error("PartitionName=p,q\n", "invalid PartitionName value "
	    "'p,q'", 1);
	expect_error("NodeName=n RealMemory=lots\n",
	    "invalid RealMemory value 'lots'", 1);
	expect_error("NodeName=n CPUs=0\n", "invalid CPUs value '0'", 1);
	expect_error("NodeName=n[1-4] CPUs=1\n", "NodeName: berth manages "
	    "one node; 'n[1-4]' is not a single node name", 1);
	expect_error("NodeName=n Gres=gpu:a100:2,gpu:v100:1\n", "Gres: GPUs "
	    "of several types (a100, v100) are not supported on one node", 1);
	expect_error("NodeName=n Gres=gpu:x:y\n",
	    "invalid Gres value 'gpu:x:y'", 1);
	expect_error("NodeName=n Gres=gpu:2x\n",
	    "invalid Gres value 'gpu:2x'", 1);
	expect_error("Feature=\"abc\nKillWait=1\n",
	    "unterminated quote in Feature value", 1);
	expect_error("MaxJobCount=0\n", "invalid MaxJobCount value '0'", 1);
	expect_error("MaxArraySize=4000002\n",
	    "invalid MaxArraySize value '4000002'", 1);
	expect_error("SchedulerParameters=max_script_size=big\n",
	    "invalid SchedulerParameters value 'max_script_size=big'", 1);
	expect_error("ClusterName=\n", "invalid ClusterName value ''", 1);
	expect_error("=3\n", "expected KEY=VALUE, found '=3'", 1);
	xasprintf(&txt, "# comment\nNodeName=big CPUs=%u\n", ncpus + 1);
	xasprintf(&path, "NodeName: CPUs=%u exceeds the %u usable CPUs of "
	    "this machine", ncpus + 1, ncpus);
	expect_error(txt, path, 2);
	free(txt);
	free(path);
	xasprintf(&txt, "NodeName=big CPUs=1\nNodeName=DEFAULT\n"
	    "NodeName=DEFAULT CPUs=%u\nNodeName=big2\n", ncpus + 1);
	xasprintf(&path, "NodeName: CPUs=%u exceeds the %u usable CPUs of "
	    "this machine", ncpus + 1, ncpus);
	expect_error(txt, path, 3);
	free(txt);
	free(path);

	/* Priority keys: Slurm's names and defaults. */
	rc = load("ClusterName=x\n", &c, &cause);
	ok(rc == 0 && c.prio_multifactor == 0 && c.prio_w_age == 0 &&
	    c.prio_max_age == 7 * 1440 && c.prio_half_life == 7 * 1440 &&
	    c.prio_calc_period == 5 && !c.prio_favor_small,
	    "priority defaults: basic, weights 0, 7-0, 7-0, 5, NO");
	is_int(c.parts[0].priority_job_factor, 1, "PriorityJobFactor 1");
	conf_free(&c);
	rc = load("PriorityType=priority/multifactor\nPriorityWeightAge=10\n"
	    "PriorityWeightFairshare=20\nPriorityWeightJobSize=30\n"
	    "PriorityWeightPartition=40\nPriorityWeightQOS=50\n"
	    "PriorityMaxAge=1-0\nPriorityDecayHalfLife=0\n"
	    "PriorityCalcPeriod=2\nPriorityFavorSmall=YES\n"
	    "PartitionName=p PriorityJobFactor=7\n", &c, &cause);
	ok(rc == 0 && c.prio_multifactor == 1 && c.prio_w_age == 10 &&
	    c.prio_w_fs == 20 && c.prio_w_js == 30 && c.prio_w_part == 40 &&
	    c.prio_w_qos == 50 && c.prio_max_age == 1440 &&
	    c.prio_half_life == 0 && c.prio_calc_period == 2 &&
	    c.prio_favor_small, "priority keys read (%s)",
	    cause ? cause : "");
	is_int(rc == 0 ? c.parts[0].priority_job_factor : 0, 7,
	    "PriorityJobFactor read");
	if (rc == 0)
		conf_free(&c);
	expect_error("PriorityType=priority/fair\n",
	    "invalid PriorityType value 'priority/fair'", 1);
	expect_error("PriorityMaxAge=soon\n",
	    "invalid PriorityMaxAge value 'soon'", 1);

	/* A path that cannot be read is an error, not "no file". */
	cause = NULL;
	rc = conf_load(tmp, &c, &cause);
	is_int(rc, -1, "directory as config: error");
	xasprintf(&path, "read %s: Is a directory", tmp);
	is_str(cause, path, "names the file");
	free(path);
	free(cause);

	/* Gres= configured: nvidia-smi is not run at all. */
	xasprintf(&script, "%s/nvidia-smi", tmp);
	xasprintf(&marker, "%s/ran", tmp);
	xasprintf(&txt, "touch %s; echo 0", marker);
	{
		FILE *f = fopen(script, "w");

		fprintf(f, "#!/bin/sh\nPATH=/usr/bin:/bin\n%s\n", txt);
		fclose(f);
		chmod(script, 0755);
	}
	free(txt);
	setenv("PATH", tmp, 1);
	rc = load("NodeName=n Gres=gpu:3\n", &c, &cause);
	ok(rc == 0 && c.gpus == 3 && access(marker, F_OK) == -1,
	    "Gres=gpu:3: nvidia-smi not run");
	conf_free(&c);
	rc = load("NodeName=n\n", &c, &cause);
	ok(rc == 0 && c.gpus == 1 && access(marker, F_OK) == 0,
	    "no Gres: nvidia-smi run (1 GPU)");
	conf_free(&c);

	/* Detection failure: the error says how to avoid detection. */
	{
		FILE *f = fopen(script, "w");

		fprintf(f, "#!/bin/sh\necho garbage\n");
		fclose(f);
	}
	rc = load("ClusterName=x\n", &c, &cause);
	if (pg > 0)
		ok(rc == 0 && c.gpus == pg, "bad nvidia-smi: /proc count");
	else {
		is_int(rc, -1, "bad nvidia-smi, no /proc: error");
		ok(cause != NULL && strncmp(cause, "detect GPUs: ", 13) == 0 &&
		    strstr(cause, "unexpected output line 'garbage'") &&
		    strstr(cause, "set Gres=gpu:N on the NodeName line of"),
		    "%s", cause ? cause : "");
	}
	if (rc == 0)
		conf_free(&c);
	free(cause);

	unlink(marker);
	unlink(script);
	free(marker);
	free(script);
	unlink(conf_file(""));
	rmdir(tmp);
	free(fake);
	free(ids);
	return done_testing();
}
