// links: cli/scontrol-show.c fmt/fmt.c fmt/time-fmt.c
/* SPDX-License-Identifier: MIT */
/*
 * scontrol's printers against Slurm 22.05's recorded output
 * (40_scontrol.txt, 10_sbatch_plain.txt, 02_sbatch_errors.txt,
 * 11_sbatch_directives.txt, 00_info.txt, 70_sinfo_busy.txt).  The records
 * are synthetic copies of the recorded jobs; the expected text is the
 * recorded text, with AllocNode's session id (not tracked) as 0.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "t.h"
#include "common/xmalloc.h"
#include "cli/scontrol.h"

/* 2026-11-22T04:MM:SS UTC */
static int64_t
at(int h, int m, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 10;
	tm.tm_mday = 22;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

static void
base_job(struct job *j, uint32_t id, const char *name)
{
	job_init(j);
	j->id = id;
	j->name = xstrdup(name);
	j->uid = 2001;
	j->gid = 2001;
	j->user = xstrdup("alice");
	j->group = xstrdup("alice");
	j->account = xstrdup("users");
	j->qos = xstrdup("normal");
	j->partition = xstrdup("cpu");
	j->workdir = xstrdup("/tmp/golden_work");
	j->flags = JOB_F_REQUEUE | JOB_F_MEM_PER_CPU;
	j->mem_mb = 1000;
	j->time_limit = INFINITE;
}

static const char running_job[] =
"JobId=11941 JobName=running\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899863 Nice=0 Account=users QOS=normal\n"
"   JobState=RUNNING Reason=None Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   RunTime=00:00:04 TimeLimit=UNLIMITED TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:24:04 EligibleTime=2026-11-22T04:24:04\n"
"   AccrueTime=2026-11-22T04:24:04\n"
"   StartTime=2026-11-22T04:24:04 EndTime=Unknown Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:24:04 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=vm\n"
"   BatchHost=vm\n"
"   NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=2,mem=2000M,node=1,billing=2\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   MinCPUsNode=2 MinMemoryCPU=1000M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=/tmp/golden_work/trap_usr1.sh\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/tmp/golden_work/run.out\n"
"   StdIn=/dev/null\n"
"   StdOut=/tmp/golden_work/run.out\n"
"   Power=\n"
"   \n"
"\n";

static const char running_job_d[] =
"JobId=11941 JobName=running\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899863 Nice=0 Account=users QOS=normal\n"
"   JobState=RUNNING Reason=None Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   DerivedExitCode=0:0\n"
"   RunTime=00:00:04 TimeLimit=UNLIMITED TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:24:04 EligibleTime=2026-11-22T04:24:04\n"
"   AccrueTime=2026-11-22T04:24:04\n"
"   StartTime=2026-11-22T04:24:04 EndTime=Unknown Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:24:04 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=vm\n"
"   BatchHost=vm\n"
"   NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=2,mem=2000M,node=1,billing=2\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   JOB_GRES=(null)\n"
"     Nodes=vm CPU_IDs=0-1 Mem=2000 GRES=\n"
"   MinCPUsNode=2 MinMemoryCPU=1000M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=/tmp/golden_work/trap_usr1.sh\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/tmp/golden_work/run.out\n"
"   StdIn=/dev/null\n"
"   StdOut=/tmp/golden_work/run.out\n"
"   Power=\n"
"   \n"
"\n";

static const char running_job_o[] =
"JobId=11941 JobName=running UserId=alice(2001) GroupId=alice(2001) "
"MCS_label=N/A Priority=4294899863 Nice=0 Account=users QOS=normal "
"JobState=RUNNING Reason=None Dependency=(null) Requeue=1 Restarts=0 "
"BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:05 TimeLimit=UNLIMITED "
"TimeMin=N/A SubmitTime=2026-11-22T04:24:04 "
"EligibleTime=2026-11-22T04:24:04 AccrueTime=2026-11-22T04:24:04 "
"StartTime=2026-11-22T04:24:04 EndTime=Unknown Deadline=N/A "
"SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:24:04 "
"Scheduler=Main Partition=cpu AllocNode:Sid=localhost:0 "
"ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm "
"NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:* "
"TRES=cpu=2,mem=2000M,node=1,billing=2 Socks/Node=* "
"NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=2 MinMemoryCPU=1000M "
"MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK "
"Contiguous=0 Licenses=(null) Network=(null) "
"Command=/tmp/golden_work/trap_usr1.sh WorkDir=/tmp/golden_work "
"StdErr=/tmp/golden_work/run.out StdIn=/dev/null "
"StdOut=/tmp/golden_work/run.out Power= \n";

static const char pending_job[] =
"JobId=11942 JobName=resources\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899862 Nice=0 Account=users QOS=normal\n"
"   JobState=PENDING Reason=Resources Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   RunTime=00:00:00 TimeLimit=00:10:00 TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:24:05 EligibleTime=2026-11-22T04:24:05\n"
"   AccrueTime=2026-11-22T04:24:05\n"
"   StartTime=Unknown EndTime=Unknown Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:24:05 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=\n"
"   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=1,mem=1000M,node=1,billing=1\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   MinCPUsNode=1 MinMemoryCPU=1000M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=(null)\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/dev/null\n"
"   StdIn=/dev/null\n"
"   StdOut=/dev/null\n"
"   Power=\n"
"   \n"
"\n";

static const char completed_wrap[] =
"JobId=11892 JobName=wrap\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899903 Nice=0 Account=users QOS=normal\n"
"   JobState=COMPLETED Reason=None Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:22:14 EligibleTime=2026-11-22T04:22:14\n"
"   AccrueTime=2026-11-22T04:22:14\n"
"   StartTime=2026-11-22T04:22:17 EndTime=2026-11-22T04:22:17 Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:22:17 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=vm\n"
"   BatchHost=vm\n"
"   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=1,mem=1000M,node=1,billing=1\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   MinCPUsNode=1 MinMemoryCPU=1000M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=(null)\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/tmp/golden_work/slurm-11892.out\n"
"   StdIn=/dev/null\n"
"   StdOut=/tmp/golden_work/slurm-11892.out\n"
"   Power=\n"
"   \n"
"\n";

/* 02_sbatch_errors: -c 999, pending PartitionConfig. */
static const char big_job[] =
"JobId=11874 JobName=wrap\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899920 Nice=0 Account=users QOS=normal\n"
"   JobState=PENDING Reason=PartitionConfig Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   RunTime=00:00:00 TimeLimit=UNLIMITED TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:20:44 EligibleTime=2026-11-22T04:20:44\n"
"   AccrueTime=Unknown\n"
"   StartTime=Unknown EndTime=Unknown Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:20:44 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=\n"
"   NumNodes=1 NumCPUs=999 NumTasks=1 CPUs/Task=999 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=999,mem=999000M,node=1,billing=999\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   MinCPUsNode=999 MinMemoryCPU=1000M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=(null)\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/tmp/golden_work/slurm-11874.out\n"
"   StdIn=/dev/null\n"
"   StdOut=/tmp/golden_work/slurm-11874.out\n"
"   Power=\n"
"   \n"
"\n";

/* 11_sbatch_directives: --mem per node, -t 5, patterns in -o. */
static const char directives_job[] =
"JobId=11894 JobName=dirtest\n"
"   UserId=alice(2001) GroupId=alice(2001) MCS_label=N/A\n"
"   Priority=4294899901 Nice=0 Account=users QOS=normal\n"
"   JobState=PENDING Reason=None Dependency=(null)\n"
"   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n"
"   RunTime=00:00:00 TimeLimit=00:05:00 TimeMin=N/A\n"
"   SubmitTime=2026-11-22T04:22:18 EligibleTime=2026-11-22T04:22:18\n"
"   AccrueTime=Unknown\n"
"   StartTime=Unknown EndTime=Unknown Deadline=N/A\n"
"   SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-11-22T04:22:18 Scheduler=Main\n"
"   Partition=cpu AllocNode:Sid=localhost:0\n"
"   ReqNodeList=(null) ExcNodeList=(null)\n"
"   NodeList=\n"
"   NumNodes=1 NumCPUs=2 NumTasks=1 CPUs/Task=2 ReqB:S:C:T=0:0:*:*\n"
"   TRES=cpu=2,mem=500M,node=1,billing=2\n"
"   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*\n"
"   MinCPUsNode=2 MinMemoryNode=500M MinTmpDiskNode=0\n"
"   Features=(null) DelayBoot=00:00:00\n"
"   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)\n"
"   Command=/tmp/golden_work/directives.sh\n"
"   WorkDir=/tmp/golden_work\n"
"   StdErr=/tmp/golden_work/out_j11894_xdirtest_A11894_a4294967294_ualice_N%N.txt\n"
"   StdIn=/dev/null\n"
"   StdOut=/tmp/golden_work/out_j11894_xdirtest_A11894_a4294967294_ualice_N%N.txt\n"
"   Power=\n"
"   \n"
"\n";

static const struct show_opts plain = {
	.one_liner = false, .details = false, .now = 0, .host = "localhost"
};

static void
check_job(const struct job *j, const struct show_opts *o, const char *want,
    const char *what)
{
	struct buf b;

	buf_init(&b);
	scontrol_show_job(&b, j, o);
	is_str(b.data, want, "show job: %s", what);
	buf_free(&b);
}

static void
test_jobs(void)
{
	struct show_opts o = plain;
	struct job j;

	base_job(&j, 11941, "running");
	j.priority = 4294899863u;
	j.state = JOB_RUNNING;
	j.submit_time = j.eligible_time = j.start_time = at(4, 24, 4);
	j.nodelist = xstrdup("vm");
	j.cpus_per_task = 2;
	j.ncpus = 2;
	j.cpu_ids = xstrdup("0-1");
	j.command = xstrdup("/tmp/golden_work/trap_usr1.sh");
	j.std_out = xstrdup("/tmp/golden_work/run.out");
	o.now = at(4, 24, 8);
	check_job(&j, &o, running_job, "running job");
	o.details = true;
	check_job(&j, &o, running_job_d, "running job -d");
	o.details = false;
	o.one_liner = true;
	o.now = at(4, 24, 9);
	check_job(&j, &o, running_job_o, "running job -o");
	job_free(&j);

	o = plain;
	base_job(&j, 11942, "resources");
	j.priority = 4294899862u;
	j.reason = WAIT_RESOURCES;
	j.time_limit = 10;
	j.submit_time = j.eligible_time = at(4, 24, 5);
	j.std_out = xstrdup("/dev/null");
	o.now = at(4, 24, 9);
	check_job(&j, &o, pending_job, "pending job");
	job_free(&j);

	base_job(&j, 11892, "wrap");
	j.priority = 4294899903u;
	j.state = JOB_COMPLETE;
	j.submit_time = j.eligible_time = at(4, 22, 14);
	j.start_time = j.end_time = at(4, 22, 17);
	j.nodelist = xstrdup("vm");
	j.flags |= JOB_F_WRAP;
	check_job(&j, &o, completed_wrap, "completed --wrap job");
	job_free(&j);

	base_job(&j, 11874, "wrap");
	j.priority = 4294899920u;
	j.reason = WAIT_PART_CONFIG;
	j.submit_time = j.eligible_time = at(4, 20, 44);
	j.cpus_per_task = 999;
	j.ncpus = 999;
	check_job(&j, &o, big_job, "-c 999 job");
	job_free(&j);

	base_job(&j, 11894, "dirtest");
	j.priority = 4294899901u;
	j.flags &= ~JOB_F_MEM_PER_CPU;
	j.mem_mb = 500;
	j.time_limit = 5;
	j.submit_time = j.eligible_time = at(4, 22, 18);
	j.cpus_per_task = 2;
	j.ncpus = 2;
	j.command = xstrdup("/tmp/golden_work/directives.sh");
	j.std_out = xstrdup("out_j%j_x%x_A%A_a%a_u%u_N%N.txt");
	check_job(&j, &o, directives_job, "#SBATCH directives job");
	job_free(&j);
}

/* Layout details not in the recordings, from slurm_sprint_job_info(). */
static void
test_job_extras(void)
{
	struct show_opts o = plain;
	struct buf b;
	struct job j;
	const char *p;

	base_job(&j, 11899, "array.sh");
	j.array_job_id = 11898;
	j.array_task_id = 0;
	j.gres = xstrdup("gpu:2");
	j.gpus = 2;
	j.comment = xstrdup("hello");
	j.flags |= JOB_F_EXCLUSIVE;
	buf_init(&b);
	scontrol_show_job(&b, &j, &o);
	p = "JobId=11899 ArrayJobId=11898 ArrayTaskId=0 JobName=array.sh\n";
	ok(strncmp(b.data, p, strlen(p)) == 0, "array task: first line");
	ok(strstr(b.data, "   TRES=cpu=1,mem=1000M,node=1,billing=1,"
	    "gres/gpu=2\n") != NULL, "GPUs in TRES");
	ok(strstr(b.data, "   OverSubscribe=NO Contiguous=0") != NULL,
	    "--exclusive: OverSubscribe=NO");
	ok(strstr(b.data, "   WorkDir=/tmp/golden_work\n   Comment=hello \n"
	    "   StdErr=") != NULL, "Comment after WorkDir");
	ok(strstr(b.data, "/tmp/golden_work/slurm-11898_0.out\n") != NULL,
	    "array task default output name");
	p = strstr(b.data, "   Power=\n");
	is_str(p, "   Power=\n   TresPerNode=gres:gpu:2\n   \n\n",
	    "TresPerNode after Power");
	buf_free(&b);
	job_free(&j);
}

/*
 * The GPU request lines and -d's GRES detail (Slurm 22.05.8: -G 2
 * --gpus-per-task=1 -n 2 with --gpus-per-node=2, on Gres=gpu:tesla:4).
 */
static void
test_job_gpus(void)
{
	struct show_opts o = plain;
	struct buf b;
	struct job j;
	const char *p;

	base_job(&j, 12, "gpus");
	j.state = JOB_RUNNING;
	j.start_time = at(4, 24, 4);
	j.nodelist = xstrdup("vm");
	j.cpu_ids = xstrdup("0-1");
	j.gpus = 3;
	j.gpu_ids = xstrdup("0,1,3");
	j.tres_per_job = xstrdup("gpu:2");
	j.gres = xstrdup("gpu:2,gres:gpu:1");
	j.tres_per_task = xstrdup("gpu:tesla:1");
	o.details = true;
	o.gpu_type = "tesla";
	buf_init(&b);
	scontrol_show_job(&b, &j, &o);
	ok(strstr(b.data, "\n   JOB_GRES=gpu:tesla:3\n     Nodes=vm "
	    "CPU_IDs=0-1 Mem=1000 GRES=gpu:tesla:3(IDX:0-1,3)\n") != NULL,
	    "-d: the node's type, IDX as ranges");
	p = strstr(b.data, "   Power=\n");
	is_str(p, "   Power=\n   TresPerJob=gres:gpu:2\n"
	    "   TresPerNode=gres:gpu:2,gres:gpu:1\n"
	    "   TresPerTask=gres:gpu:tesla:1\n   \n\n",
	    "TresPerJob, TresPerNode, TresPerTask after Power");
	buf_reset(&b);
	o.gpu_type = NULL;
	free(j.gpu_ids);
	j.gpu_ids = xstrdup("1");
	j.gpus = 1;
	scontrol_show_job(&b, &j, &o);
	ok(strstr(b.data, "\n   JOB_GRES=gpu:1\n     Nodes=vm "
	    "CPU_IDs=0-1 Mem=1000 GRES=gpu:1(IDX:1)\n") != NULL,
	    "-d: no type on an untyped node");
	buf_free(&b);
	job_free(&j);
}

static void
test_paths(void)
{
	struct buf b;
	struct job j;

	base_job(&j, 11896, "pct");
	buf_init(&b);
	scontrol_job_path(&b, &j, "pct_%%_%j_%5j_%n_%t_%s.out");
	is_str(b.data, "/tmp/golden_work/pct_%_11896_11896_%n_%t_%s.out",
	    "path: %%%%, %%5j, unknown escapes kept");
	buf_reset(&b);
	scontrol_job_path(&b, &j, "sub/%x-%j.err");
	is_str(b.data, "/tmp/golden_work/sub/pct-11896.err",
	    "path: relative to the work dir");
	buf_reset(&b);
	j.array_job_id = 11898;
	j.array_task_id = 0;
	j.id = 11899;
	scontrol_job_path(&b, &j, "arr_A%A_a%a_j%j.out");
	is_str(b.data, "/tmp/golden_work/arr_A11898_a0_j11899.out",
	    "path: array task");
	buf_reset(&b);
	scontrol_job_path(&b, &j, "x%");
	is_str(b.data, "/tmp/golden_work/x%", "path: trailing %%");
	buf_free(&b);
	job_free(&j);
}

static const char node_idle[] =
"NodeName=vm Arch=x86_64 CoresPerSocket=2 \n"
"   CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=0.05\n"
"   AvailableFeatures=(null)\n"
"   ActiveFeatures=(null)\n"
"   Gres=gpu:2\n"
"   NodeAddr=vm NodeHostName=vm Version=22.05.8\n"
"   OS=Linux 6.18.44-fc-v769 #1 SMP PREEMPT_DYNAMIC @0 \n"
"   RealMemory=20000 AllocMem=0 FreeMem=23563 Sockets=1 Boards=1\n"
"   State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A\n"
"   Partitions=cpu,debug \n"
"   BootTime=2026-11-22T03:24:58 SlurmdStartTime=2026-11-22T04:20:43\n"
"   LastBusyTime=2026-11-22T04:20:43\n"
"   CfgTRES=cpu=2,mem=20000M,billing=2,gres/gpu=2\n"
"   AllocTRES=\n"
"   CapWatts=n/a\n"
"   CurrentWatts=0 AveWatts=0\n"
"   ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s\n"
"\n";

static const char node_mixed_tres[] =
"   AllocTRES=cpu=1,mem=1000M\n";

static void
fill_node(struct node_info *n)
{
	memset(n, 0, sizeof *n);
	n->name = xstrdup("vm");
	n->cpus = 2;
	n->real_mem_mb = 20000;
	n->free_mem_mb = 23563;
	n->gpus = 2;
	n->sockets = 1;
	n->cores_per_socket = 2;
	n->threads_per_core = 1;
	n->load_x100 = 5;
	n->arch = xstrdup("x86_64");
	n->os = xstrdup("Linux 6.18.44-fc-v769 #1 SMP PREEMPT_DYNAMIC @0");
	n->state = xstrdup("IDLE");
	n->partitions = xstrdup("cpu,debug");
	n->boot_time = at(3, 24, 58);
	n->start_time = at(4, 20, 43);
}

static void
test_node(void)
{
	struct node_info n;
	struct buf b;

	fill_node(&n);
	buf_init(&b);
	scontrol_show_node(&b, &n, &plain);
	is_str(b.data, node_idle, "show node: idle");
	buf_reset(&b);
	n.alloc_cpus = 1;
	n.alloc_mem_mb = 1000;
	free(n.state);
	n.state = xstrdup("MIXED");
	scontrol_show_node(&b, &n, &plain);
	ok(strstr(b.data, "   CPUAlloc=1 CPUEfctv=2 CPUTot=2 CPULoad=0.05\n")
	    != NULL, "show node: CPUAlloc");
	ok(strstr(b.data, "   RealMemory=20000 AllocMem=1000 FreeMem=23563 "
	    "Sockets=1 Boards=1\n") != NULL, "show node: AllocMem");
	ok(strstr(b.data, "   State=MIXED ThreadsPerCore=1") != NULL,
	    "show node: State=MIXED");
	ok(strstr(b.data, node_mixed_tres) != NULL, "show node: AllocTRES");
	buf_free(&b);
	node_info_free(&n);
}

static const char part_cpu[] =
"PartitionName=cpu\n"
"   AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL\n"
"   AllocNodes=ALL Default=YES QoS=N/A\n"
"   DefaultTime=NONE DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO\n"
"   MaxNodes=UNLIMITED MaxTime=UNLIMITED MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED\n"
"   Nodes=vm\n"
"   PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO\n"
"   OverTimeLimit=NONE PreemptMode=OFF\n"
"   State=UP TotalCPUs=2 TotalNodes=1 SelectTypeParameters=NONE\n"
"   JobDefaults=(null)\n"
"   DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED\n"
"   TRES=cpu=2,mem=20000M,node=1,billing=2,gres/gpu=2\n"
"\n";

static const char part_debug[] =
"PartitionName=debug\n"
"   AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL\n"
"   AllocNodes=ALL Default=NO QoS=N/A\n"
"   DefaultTime=00:10:00 DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO\n"
"   MaxNodes=UNLIMITED MaxTime=00:30:00 MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED\n"
"   Nodes=vm\n"
"   PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO\n"
"   OverTimeLimit=NONE PreemptMode=OFF\n"
"   State=UP TotalCPUs=2 TotalNodes=1 SelectTypeParameters=NONE\n"
"   JobDefaults=(null)\n"
"   DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED\n"
"   TRES=cpu=2,mem=20000M,node=1,billing=2,gres/gpu=2\n"
"\n";

static void
test_parts(void)
{
	struct part_info p;
	struct node_info n;
	struct buf b;

	fill_node(&n);
	memset(&p, 0, sizeof p);
	p.name = xstrdup("cpu");
	p.is_default = 1;
	p.state_up = 1;
	p.max_time = INFINITE;
	p.default_time = NO_VAL;
	p.max_nodes = INFINITE;
	p.priority_tier = 1;
	p.priority_job_factor = 1;
	p.total_cpus = 2;
	p.nodes = xstrdup("vm");
	buf_init(&b);
	scontrol_show_part(&b, &p, &n, &plain);
	is_str(b.data, part_cpu, "show partition: cpu");
	free(p.name);
	p.name = xstrdup("debug");
	p.is_default = 0;
	p.max_time = 30;
	p.default_time = 10;
	buf_reset(&b);
	scontrol_show_part(&b, &p, &n, &plain);
	is_str(b.data, part_debug, "show partition: debug");
	p.allow_groups = xstrdup("wheel,staff");
	p.allow_accounts = xstrdup("physics");
	p.priority_job_factor = 5;
	p.state_up = 3;
	buf_reset(&b);
	scontrol_show_part(&b, &p, &n, &plain);
	ok(strstr(b.data, "\n   AllowGroups=wheel,staff AllowAccounts=physics "
	    "AllowQos=ALL\n") != NULL, "show partition: AllowGroups, "
	    "AllowAccounts");
	ok(strstr(b.data, "\n   PriorityJobFactor=5 PriorityTier=1 ") != NULL,
	    "show partition: PriorityJobFactor");
	ok(strstr(b.data, "\n   State=INACTIVE TotalCPUs=2 ") != NULL,
	    "show partition: State=INACTIVE");
	buf_free(&b);
	part_info_free(&p);
	node_info_free(&n);
}

static void
test_config(void)
{
	const char *keys[] = { "AccountingStorageBackupHost", "AccountingStoreFlags",
	    "BOOT_TIME", "ClusterName", "PowerPlugin", "SlurmctldHost[0]" };
	const char *vals[] = { "(null)", "(null)", NULL, "ref", "", "vm" };
	char boot[32];
	struct buf b;

	snprintf(boot, sizeof boot, "%lld", (long long)at(4, 20, 42));
	vals[2] = boot;
	buf_init(&b);
	scontrol_show_config(&b, keys, vals, 6, at(4, 20, 43));
	is_str(b.data,
	    "Configuration data as of 2026-11-22T04:20:43\n"
	    "AccountingStorageBackupHost = (null)\n"
	    "AccountingStoreFlags    = (null)\n"
	    "BOOT_TIME               = 2026-11-22T04:20:42\n"
	    "ClusterName             = ref\n"
	    "PowerPlugin             = \n"
	    "SlurmctldHost[0]        = vm\n"
	    "\n", "show config: padding, BOOT_TIME as a date, trailer");
	buf_reset(&b);
	scontrol_ping_line(&b, "vm", true);
	is_str(b.data, "Slurmctld(primary) at vm is UP\n", "ping: UP");
	buf_reset(&b);
	scontrol_ping_line(&b, "vm", false);
	is_str(b.data, "Slurmctld(primary) at vm is DOWN\n", "ping: DOWN");
	buf_free(&b);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_jobs();
	test_job_extras();
	test_job_gpus();
	test_paths();
	test_node();
	test_parts();
	test_config();
	return done_testing();
}
