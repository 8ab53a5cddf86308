// links: jobsup/env.c
/* SPDX-License-Identifier: MIT */
/*
 * The batch job environment (jobsup/env.c) against the variables real
 * Slurm set in 20_env_plain, 21_env_array, 22_env_ntasks, 24_env_gpu,
 * 18_sbatch_exclusive and 16_sbatch_export.  Like the recording's
 * envdump.sh, each case keeps the lines matching ^(SLURM|SBATCH|CUDA|GPU|
 * OMP), sorts them and compares the whole block.  The one deliberate
 * difference: SLURM_WORKING_CLUSTER carries port 0 (no slurmctld) where
 * Slurm has 6817.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "common/buf.h"
#include "common/util.h"
#include "jobsup/jobsup.h"

/* 60_srun: the step environment of `srun -n 1` outside a job (job
 * 11960, SLURM_TASK_PID=9417; ports are 0 in berth). */
static const char want_step60[] =
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=1\n"
	"SLURM_CPU_BIND=quiet,mask_cpu:0x1\n"
	"SLURM_CPU_BIND_LIST=0x1\n"
	"SLURM_CPU_BIND_TYPE=mask_cpu:\n"
	"SLURM_CPU_BIND_VERBOSE=quiet\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11960\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=1\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_ID=11960\n"
	"SLURM_JOB_NAME=bash\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LAUNCH_NODE_IPADDR=127.0.0.1\n"
	"SLURM_LOCALID=0\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NPROCS=1\n"
	"SLURM_NTASKS=1\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SRUN_COMM_HOST=127.0.0.1\n"
	"SLURM_SRUN_COMM_PORT=0\n"
	"SLURM_STEPID=0\n"
	"SLURM_STEP_ID=0\n"
	"SLURM_STEP_LAUNCHER_PORT=0\n"
	"SLURM_STEP_NODELIST=vm\n"
	"SLURM_STEP_NUM_NODES=1\n"
	"SLURM_STEP_NUM_TASKS=1\n"
	"SLURM_STEP_TASKS_PER_NODE=1\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=9417\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_UMASK=0022\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

static void	test_step_env(void);
static void	spec_ref(struct job_spec *, uint32_t, char **);
static int	cmp_str(const void *, const void *);
static char	*dump(char **);
static void	check(const char *, struct job_spec *, pid_t, const char *);
static int	count(char **, const char *);

/* 20_env_plain, job 11931, SLURM_TASK_PID=7272 */
static const char want_plain[] =
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=1\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11931\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=1\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_ID=11931\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_CPU=1000\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=7272\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* 21_env_array: task 3 of 11932 (3-4), job 11933 */
static const char want_array[] =
	"SLURMD_NODENAME=vm\n"
	"SLURM_ARRAY_JOB_ID=11932\n"
	"SLURM_ARRAY_TASK_COUNT=2\n"
	"SLURM_ARRAY_TASK_ID=3\n"
	"SLURM_ARRAY_TASK_MAX=4\n"
	"SLURM_ARRAY_TASK_MIN=3\n"
	"SLURM_ARRAY_TASK_STEP=1\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=1\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11933\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=1\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_ID=11933\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_CPU=1000\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=7352\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* 22_env_ntasks: -n 2 -c 1, job 11935 */
static const char want_n2c1[] =
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=2\n"
	"SLURM_CPUS_PER_TASK=1\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11935\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=2\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_ID=11935\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_CPU=1000\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_NPROCS=2\n"
	"SLURM_NTASKS=2\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=2\n"
	"SLURM_TASK_PID=7485\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* 22_env_ntasks: -n 1 -c 2 --mem=1G, job 11936 */
static const char want_n1c2[] =
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=2\n"
	"SLURM_CPUS_PER_TASK=2\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11936\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=2\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_ID=11936\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_NODE=1024\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_NPROCS=1\n"
	"SLURM_NTASKS=1\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=7577\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* 24_env_gpu: --gpus=1, job 11938 */
static const char want_gpu1[] =
	"CUDA_VISIBLE_DEVICES=0\n"
	"GPU_DEVICE_ORDINAL=0\n"
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=1\n"
	"SLURM_GPUS=1\n"
	"SLURM_GPUS_ON_NODE=1\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11938\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=1\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_GPUS=0\n"
	"SLURM_JOB_ID=11938\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_CPU=1000\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=7805\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* 24_env_gpu: --gres=gpu:2, job 11939 */
static const char want_gpu2[] =
	"CUDA_VISIBLE_DEVICES=0,1\n"
	"GPU_DEVICE_ORDINAL=0,1\n"
	"SLURMD_NODENAME=vm\n"
	"SLURM_CLUSTER_NAME=ref\n"
	"SLURM_CONF=/etc/slurm/slurm.conf\n"
	"SLURM_CPUS_ON_NODE=1\n"
	"SLURM_GPUS_ON_NODE=2\n"
	"SLURM_GTIDS=0\n"
	"SLURM_JOBID=11939\n"
	"SLURM_JOB_ACCOUNT=users\n"
	"SLURM_JOB_CPUS_PER_NODE=1\n"
	"SLURM_JOB_GID=2001\n"
	"SLURM_JOB_GPUS=0,1\n"
	"SLURM_JOB_ID=11939\n"
	"SLURM_JOB_NAME=envdump.sh\n"
	"SLURM_JOB_NODELIST=vm\n"
	"SLURM_JOB_NUM_NODES=1\n"
	"SLURM_JOB_PARTITION=cpu\n"
	"SLURM_JOB_QOS=normal\n"
	"SLURM_JOB_UID=2001\n"
	"SLURM_JOB_USER=alice\n"
	"SLURM_LOCALID=0\n"
	"SLURM_MEM_PER_CPU=1000\n"
	"SLURM_NNODES=1\n"
	"SLURM_NODEID=0\n"
	"SLURM_NODELIST=vm\n"
	"SLURM_NODE_ALIASES=(null)\n"
	"SLURM_PRIO_PROCESS=0\n"
	"SLURM_PROCID=0\n"
	"SLURM_SUBMIT_DIR=/tmp/golden_work\n"
	"SLURM_SUBMIT_HOST=vm\n"
	"SLURM_TASKS_PER_NODE=1\n"
	"SLURM_TASK_PID=7892\n"
	"SLURM_TOPOLOGY_ADDR=vm\n"
	"SLURM_TOPOLOGY_ADDR_PATTERN=node\n"
	"SLURM_WORKING_CLUSTER=ref:vm:0:9728:109\n";

/* The reference cluster: node vm, cluster ref, user alice, 1 CPU,
 * DefMemPerCPU=1000, account users, QOS normal, partition cpu. */
static void
spec_ref(struct job_spec *s, uint32_t id, char **env)
{
	memset(s, 0, sizeof *s);
	job_init(&s->job);
	s->job.id = id;
	s->job.uid = 2001;
	s->job.gid = 2001;
	s->job.user = (char *)"alice";
	s->job.name = (char *)"envdump.sh";
	s->job.partition = (char *)"cpu";
	s->job.account = (char *)"users";
	s->job.qos = (char *)"normal";
	s->job.workdir = (char *)"/tmp/golden_work";
	s->job.nodelist = (char *)"vm";
	s->job.cpu_ids = (char *)"0";
	s->job.mem_mb = 1000;
	s->job.flags = JOB_F_MEM_PER_CPU;
	s->env = env;
	s->cluster_name = (char *)"ref";
	s->node_name = (char *)"vm";
	s->submit_host = (char *)"vm";
	s->conf_path = (char *)"/etc/slurm/slurm.conf";
	s->kill_wait = 30;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What envdump.sh prints: the matching lines, sorted. */
static char *
dump(char **env)
{
	static const char *prefix[] = { "SLURM", "SBATCH", "CUDA", "GPU",
	    "OMP" };
	size_t n = strv_len(env), k = 0;
	char **sel = calloc(n + 1, sizeof *sel);
	struct buf b;

	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; p < sizeof prefix / sizeof prefix[0]; p++) {
			size_t len = strlen(prefix[p]);

			if (strncmp(env[i], prefix[p], len) == 0) {
				sel[k++] = env[i];
				break;
			}
		}
	}
	qsort(sel, k, sizeof *sel, cmp_str);
	buf_init(&b);
	for (size_t i = 0; i < k; i++) {
		buf_adds(&b, sel[i]);
		buf_addc(&b, '\n');
	}
	free(sel);
	return buf_steal(&b);
}

static void
check(const char *what, struct job_spec *s, pid_t pid, const char *want)
{
	char **env = jobsup_env_build(s, pid, NULL, NULL);
	char *got = dump(env);

	is_str(got, want, "%s", what);
	free(got);
	strv_free(env);
}

static int
count(char **env, const char *name)
{
	size_t len = strlen(name);
	int n = 0;

	for (; *env != NULL; env++) {
		if (strncmp(*env, name, len) == 0 && (*env)[len] == '=')
			n++;
	}
	return n;
}

/*
 * jobsup_env_step: 60_srun's step outside an allocation, and per-task
 * values (SLURM_PROCID, SLURM_LOCALID, SLURM_TASK_PID, SLURM_GTIDS).
 */
static void
test_step_env(void)
{
	char *base[] = { (char *)"SLURM_SUBMIT_DIR=/tmp/golden_work",
	    (char *)"SLURM_PRIO_PROCESS=0", (char *)"PATH=/bin", NULL };
	struct jobsup_step_env se;
	struct job_spec s;
	char **step, **task, *slot, *got;

	spec_ref(&s, 11960, base);
	s.job.name = (char *)"bash";
	s.job.cpu_ids = (char *)"0";
	memset(&se, 0, sizeof se);
	se.step_id = 0;
	se.ntasks = 1;
	se.cpus_per_task = 1;
	se.cpu_bind = "quiet,mask_cpu:0x1";
	se.cpu_bind_type = "mask_cpu:";
	se.cpu_bind_list = "0x1";
	se.cpu_bind_verbose = "quiet";
	se.umask = 022;
	step = jobsup_env_step(&s, &se);
	task = jobsup_env_task(step, 0, &slot);
	jobsup_env_task_pid(slot, 9417);
	got = dump(task);
	is_str(got, want_step60, "60_srun: a step's environment");
	free(got);
	is_str(jobsup_env_get(task, "PATH"), "/bin",
	    "the step keeps srun's environment");
	strv_free(task);
	strv_free(step);

	se.ntasks = 3;
	se.cpu_bind = NULL;
	step = jobsup_env_step(&s, &se);
	task = jobsup_env_task(step, 2, &slot);
	jobsup_env_task_pid(slot, 12);
	is_str(jobsup_env_get(task, "SLURM_GTIDS"), "0,1,2",
	    "SLURM_GTIDS lists every task");
	is_str(jobsup_env_get(task, "SLURM_PROCID"), "2", "SLURM_PROCID");
	is_str(jobsup_env_get(task, "SLURM_LOCALID"), "2", "SLURM_LOCALID");
	is_str(jobsup_env_get(task, "SLURM_TASK_PID"), "12",
	    "SLURM_TASK_PID filled in");
	is_str(jobsup_env_get(task, "SLURM_STEP_NUM_TASKS"), "3",
	    "SLURM_STEP_NUM_TASKS");
	ok(jobsup_env_get(task, "SLURM_CPU_BIND") == NULL,
	    "no SLURM_CPU_BIND without a binding");
	ok(jobsup_env_get(task, "SLURM_MEM_PER_CPU") == NULL &&
	    jobsup_env_get(task, "SLURM_NODE_ALIASES") == NULL &&
	    jobsup_env_get(task, "ENVIRONMENT") == NULL,
	    "batch-only variables are not set outside a batch job");
	strv_free(task);
	strv_free(step);

	/* 24_env_gpu: a step's GPUs; SLURM_JOB_GPUS only inherited. */
	s.job.gpu_ids = (char *)"0";
	se.gpu_ids = "0";
	step = jobsup_env_step(&s, &se);
	is_str(jobsup_env_get(step, "SLURM_STEP_GPUS"), "0",
	    "SLURM_STEP_GPUS: the step's GPUs");
	is_str(jobsup_env_get(step, "SLURM_GPUS_ON_NODE"), "1",
	    "SLURM_GPUS_ON_NODE in a step");
	ok(jobsup_env_get(step, "SLURM_JOB_GPUS") == NULL &&
	    jobsup_env_get(step, "SLURM_GPUS") == NULL,
	    "no SLURM_JOB_GPUS, SLURM_GPUS outside an allocation");
	strv_free(step);
}

int
main(void)
{
	char *array_env[] = {
		(char *)"SLURM_ARRAY_TASK_COUNT=2",
		(char *)"SLURM_ARRAY_TASK_MAX=4",
		(char *)"SLURM_ARRAY_TASK_MIN=3",
		(char *)"SLURM_ARRAY_TASK_STEP=1",
		NULL
	};
	char *stale_env[] = {
		(char *)"HOME=/home/alice",
		(char *)"SLURM_JOB_ID=1",
		(char *)"SLURM_NTASKS=8",
		(char *)"SLURM_CPUS_PER_TASK=4",
		(char *)"SLURM_JOB_GPUS=3",
		(char *)"SLURM_ARRAY_TASK_COUNT=5",
		(char *)"SLURM_ARRAY_JOB_ID=5",
		(char *)"SLURM_MEM_PER_NODE=9",
		(char *)"SLURM_UMASK=0022",
		(char *)"FOO=bar",
		(char *)"FOO=baz",
		(char *)"TMPDIR=/scratch",
		(char *)"SLURM_PRIO_PROCESS=5",
		(char *)"SLURM_SUBMIT_DIR=/home/alice/sub",
		(char *)"SLURM_RLIMIT_NOFILE=1024",
		(char *)"SLURM_RLIMIT_CORE=U0",
		(char *)"SLURM_RLIMIT_STACK=18446744073709551615",
		(char *)"SLURM_RLIMIT_AS=junk",
		NULL
	};
	char *gpus_env[] = { (char *)"SLURM_GPUS=1", NULL };
	char *login_env[] = {
		(char *)"HOME=/home/alice",
		(char *)"PATH=/login/bin",
		(char *)"SHELL=/bin/zsh",
		(char *)"FROM_PROFILE=yes",
		(char *)"FOO=login",
		(char *)"PWD=/home/alice",
		(char *)"SLURM_JOB_GPUS=7",
		NULL
	};
	char *login_job_env[] = {
		(char *)"SLURM_GET_USER_ENV=1",
		(char *)"FOO=bar",
		NULL
	};
	struct jobsup_rlimit rl[JOBSUP_RLIMITS_MAX];
	int nrl;
	struct passwd pw = {
		.pw_name = (char *)"alice", .pw_dir = (char *)"/home/alice",
		.pw_shell = (char *)"/bin/bash", .pw_uid = 2001,
		.pw_gid = 2001,
	};
	struct job_spec s;
	char **env;

	spec_ref(&s, 11931, NULL);
	check("20_env_plain", &s, 7272, want_plain);

	spec_ref(&s, 11933, array_env);
	s.job.array_job_id = 11932;
	s.job.array_task_id = 3;
	s.job.array_task_count = 2;
	s.job.array_task_min = 3;
	s.job.array_task_max = 4;
	s.job.array_task_step = 1;
	check("21_env_array", &s, 7352, want_array);

	spec_ref(&s, 11935, NULL);
	s.job.flags |= JOB_F_NTASKS_SET | JOB_F_CPT_SET;
	s.job.ntasks = 2;
	s.job.cpus_per_task = 1;
	s.job.ncpus = 2;
	check("22_env_ntasks -n 2 -c 1", &s, 7485, want_n2c1);

	spec_ref(&s, 11936, NULL);
	s.job.flags = JOB_F_NTASKS_SET | JOB_F_CPT_SET | JOB_F_MEM_SET;
	s.job.ntasks = 1;
	s.job.cpus_per_task = 2;
	s.job.ncpus = 2;
	s.job.mem_mb = 1024;
	check("22_env_ntasks -n 1 -c 2 --mem=1G", &s, 7577, want_n1c2);

	/* sbatch puts --gpus as given into the job's environment. */
	spec_ref(&s, 11938, gpus_env);
	s.job.flags |= JOB_F_GPUS_SET;
	s.job.gpus = 1;
	s.job.gpu_ids = (char *)"0";
	check("24_env_gpu --gpus=1", &s, 7805, want_gpu1);

	spec_ref(&s, 11939, NULL);
	s.job.flags |= JOB_F_GPUS_SET;
	s.job.gpus = 2;
	s.job.gres = (char *)"gpu:2";
	s.job.gpu_ids = (char *)"0,1";
	check("24_env_gpu --gres=gpu:2", &s, 7892, want_gpu2);

	/* 18_sbatch_exclusive: 2 CPUs, no -n: two tasks fit. */
	spec_ref(&s, 11929, NULL);
	s.job.ncpus = 2;
	env = jobsup_env_build(&s, 1, NULL, NULL);
	is_str(jobsup_env_get(env, "SLURM_CPUS_ON_NODE"), "2",
	    "exclusive: SLURM_CPUS_ON_NODE");
	is_str(jobsup_env_get(env, "SLURM_JOB_CPUS_PER_NODE"), "2",
	    "exclusive: SLURM_JOB_CPUS_PER_NODE");
	is_str(jobsup_env_get(env, "SLURM_MEM_PER_CPU"), "1000",
	    "exclusive: SLURM_MEM_PER_CPU");
	is_str(jobsup_env_get(env, "SLURM_TASKS_PER_NODE"), "2",
	    "exclusive: SLURM_TASKS_PER_NODE");
	strv_free(env);

	/* Batch-only variables seen in 16_sbatch_export. */
	spec_ref(&s, 11925, NULL);
	env = jobsup_env_build(&s, 1, NULL, NULL);
	is_str(jobsup_env_get(env, "ENVIRONMENT"), "BATCH", "ENVIRONMENT");
	is_str(jobsup_env_get(env, "HOSTNAME"), "vm", "HOSTNAME");
	is_str(jobsup_env_get(env, "TMPDIR"), "/tmp", "TMPDIR default");
	is_str(jobsup_env_get(env, "PWD"), "/tmp/golden_work", "PWD");
	ok(jobsup_env_get(env, "HOME") == NULL, "no HOME made up");
	ok(jobsup_env_get(env, "SLURM_RESTART_COUNT") == NULL,
	    "no SLURM_RESTART_COUNT on the first run");
	strv_free(env);

	/* --export=NONE: login variables from passwd. */
	s.job.flags |= JOB_F_EXPORT_NONE;
	env = jobsup_env_build(&s, 1, &pw, NULL);
	is_str(jobsup_env_get(env, "HOME"), "/home/alice", "NONE: HOME");
	is_str(jobsup_env_get(env, "USER"), "alice", "NONE: USER");
	is_str(jobsup_env_get(env, "LOGNAME"), "alice", "NONE: LOGNAME");
	is_str(jobsup_env_get(env, "SHELL"), "/bin/bash", "NONE: SHELL");
	is_str(jobsup_env_get(env, "MAIL"), "/var/mail/alice", "NONE: MAIL");
	ok(jobsup_env_get(env, "PATH") != NULL, "NONE: PATH");
	is_str(jobsup_env_get(env, "SLURM_EXPORT_ENV"), "NONE",
	    "NONE: SLURM_EXPORT_ENV");
	is_str(jobsup_env_get(env, "SLURM_GET_USER_ENV"), "1",
	    "NONE: SLURM_GET_USER_ENV");
	strv_free(env);

	/* A submission from inside another job carries its variables. */
	spec_ref(&s, 500, stale_env);
	s.job.restarts = 2;
	env = jobsup_env_build(&s, 1, NULL, NULL);
	is_str(jobsup_env_get(env, "SLURM_JOB_ID"), "500", "JOB_ID replaced");
	is_int(count(env, "SLURM_JOB_ID"), 1, "JOB_ID once");
	ok(jobsup_env_get(env, "SLURM_NTASKS") == NULL, "stale NTASKS gone");
	ok(jobsup_env_get(env, "SLURM_CPUS_PER_TASK") == NULL,
	    "stale CPUS_PER_TASK gone");
	ok(jobsup_env_get(env, "SLURM_JOB_GPUS") == NULL, "stale GPUS gone");
	ok(jobsup_env_get(env, "SLURM_ARRAY_TASK_COUNT") == NULL &&
	    jobsup_env_get(env, "SLURM_ARRAY_JOB_ID") == NULL,
	    "stale ARRAY vars gone");
	ok(jobsup_env_get(env, "SLURM_MEM_PER_NODE") == NULL,
	    "stale MEM_PER_NODE gone with MEM_PER_CPU set");
	ok(jobsup_env_get(env, "SLURM_UMASK") == NULL, "SLURM_UMASK taken");
	is_str(jobsup_env_get(env, "FOO"), "baz", "last duplicate wins");
	is_int(count(env, "FOO"), 1, "FOO once");
	is_str(jobsup_env_get(env, "HOME"), "/home/alice", "HOME kept");
	is_str(jobsup_env_get(env, "TMPDIR"), "/scratch", "TMPDIR kept");
	is_str(jobsup_env_get(env, "SLURM_PRIO_PROCESS"), "5",
	    "sbatch's SLURM_PRIO_PROCESS kept");
	is_str(jobsup_env_get(env, "SLURM_SUBMIT_DIR"), "/home/alice/sub",
	    "client's SLURM_SUBMIT_DIR kept");
	is_str(jobsup_env_get(env, "SLURM_RESTART_COUNT"), "2",
	    "SLURM_RESTART_COUNT after requeue");
	ok(jobsup_env_get(env, "SLURM_RLIMIT_NOFILE") == NULL &&
	    jobsup_env_get(env, "SLURM_RLIMIT_AS") == NULL,
	    "SLURM_RLIMIT_* taken");
	strv_free(env);

	/* --get-user-env: the login environment under the exported one. */
	spec_ref(&s, 501, login_job_env);
	env = jobsup_env_build(&s, 1, &pw, login_env);
	is_str(jobsup_env_get(env, "PATH"), "/login/bin", "login: PATH");
	is_str(jobsup_env_get(env, "FROM_PROFILE"), "yes", "login: profile");
	is_str(jobsup_env_get(env, "FOO"), "bar", "login: exported wins");
	is_str(jobsup_env_get(env, "HOME"), "/home/alice", "login: HOME");
	is_str(jobsup_env_get(env, "SHELL"), "/bin/zsh",
	    "login: SHELL from the login, not passwd");
	is_str(jobsup_env_get(env, "PWD"), "/tmp/golden_work",
	    "login: PWD is the working directory");
	ok(jobsup_env_get(env, "SLURM_JOB_GPUS") == NULL,
	    "login: stale SLURM_* of the login dropped too");
	strv_free(env);

	/* sbatch's limits, applied by the supervisor. */
	nrl = jobsup_rlimits(stale_env, rl, JOBSUP_RLIMITS_MAX);
	is_int(nrl, 3, "three well-formed limits");
	ok(nrl == 3 && rl[0].resource == RLIMIT_STACK &&
	    rl[0].soft == RLIM_INFINITY && rl[1].resource == RLIMIT_CORE &&
	    rl[1].soft == 0 && rl[2].resource == RLIMIT_NOFILE &&
	    rl[2].soft == 1024, "limits parsed (U prefix, unlimited)");
	is_int(jobsup_rlimits(stale_env, rl, 1), 1, "at most max limits");

	test_step_env();
	return done_testing();
}
