// links: cli/launch-plan.c
/* SPDX-License-Identifier: MIT */
/*
 * The pure parts of srun's launcher (cli/launch-plan.c): the I/O mode
 * words of -i/-o/-e, file name patterns for steps (%j %s %t %N %u %x %A
 * %a %% and widths), the --cpu-bind plan (default: every task on all of
 * the step's CPUs, shown as quiet,mask_cpu:0x3 as in 60_srun and
 * 23_env_srun_step) and srun's exit code rule.
 */
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "cli/launch.h"

static void
test_io_mode(void)
{
	struct io_mode m;

	launch_io_mode(NULL, &m);
	is_int(m.kind, IO_ALL, "no value: all");
	launch_io_mode("all", &m);
	is_int(m.kind, IO_ALL, "all");
	launch_io_mode("none", &m);
	is_int(m.kind, IO_NONE, "none");
	launch_io_mode("/dev/null", &m);
	is_int(m.kind, IO_NONE, "/dev/null (opt.c's none) is none");
	launch_io_mode("3", &m);
	ok(m.kind == IO_TASK && m.task == 3, "a task number");
	launch_io_mode("out-%t.txt", &m);
	ok(m.kind == IO_FILE && strcmp(m.pattern, "out-%t.txt") == 0,
	    "a file pattern");
}

static void
test_patterns(void)
{
	struct launch_names n = { 42, 3, 0, 0, "vm", "alice", "job",
	    "/work" };
	char *s;

	s = launch_expand("o-%j.%s.%t-%N-%u-%x-%n.txt", &n, 1);
	is_str(s, "/work/o-42.3.1-vm-alice-job-0.txt", "every field");
	free(s);
	s = launch_expand("/abs/%5j_%%_%A_%a", &n, 0);
	is_str(s, "/abs/00042_%_42_4294967294", "width, %%%%, %%A and %%a "
	    "outside an array");
	free(s);
	n.array_job_id = 40;
	n.array_task_id = 2;
	s = launch_expand("%A_%a_%q", &n, 0);
	is_str(s, "/work/40_2_%q", "array ids; an unknown sequence is kept");
	free(s);
	s = launch_expand("a\\%t", &n, 0);
	is_str(s, "/work/a%t", "a backslash: taken literally");
	free(s);
	ok(launch_pattern_per_task("x-%t"), "%%t is per task");
	ok(launch_pattern_per_task("x-%3t"), "%%3t is per task");
	ok(!launch_pattern_per_task("x-%%t"), "%%%%t is not");
	ok(!launch_pattern_per_task("x-%j"), "%%j is not");
}

static void
test_bind(void)
{
	struct bind_plan p;
	char *cause = NULL;

	ok(launch_bind_plan(NULL, "0-1", 1, 1, &p, &cause) == 0,
	    "default plan");
	is_str(p.task_cpus[0], "0-1", "default: all the step's CPUs");
	is_str(p.env_bind, "quiet,mask_cpu:0x3", "shown as 23_env_srun_step");
	is_str(p.env_type, "mask_cpu:", "SLURM_CPU_BIND_TYPE");
	is_str(p.env_list, "0x3", "SLURM_CPU_BIND_LIST");
	launch_bind_free(&p, 1);

	ok(launch_bind_plan("rank", "2,5", 3, 1, &p, &cause) == 0, "rank");
	is_str(p.task_cpus[0], "2", "rank: task 0 on the first CPU");
	is_str(p.task_cpus[1], "5", "rank: task 1 on the second");
	is_str(p.task_cpus[2], "2", "rank: task 2 wraps around");
	is_str(p.env_list, "0x4,0x20,0x4", "one mask per task");
	launch_bind_free(&p, 3);

	ok(launch_bind_plan("verbose,cores", "0-3", 2, 2, &p, &cause) == 0,
	    "cores with -c 2");
	is_str(p.task_cpus[0], "0-1", "cores: task 0 gets two CPUs");
	is_str(p.task_cpus[1], "2-3", "cores: task 1 the next two");
	ok(p.verbose, "verbose");
	is_str(p.env_bind, "verbose,mask_cpu:0x3,0xC", "verbose shown");
	launch_bind_free(&p, 2);

	ok(launch_bind_plan("map_cpu:1,0", "0-1", 2, 1, &p, &cause) == 0,
	    "map_cpu");
	is_str(p.task_cpus[0], "1", "map_cpu: task 0 on CPU 1");
	is_str(p.task_cpus[1], "0", "map_cpu: task 1 on CPU 0");
	launch_bind_free(&p, 2);

	ok(launch_bind_plan("mask_cpu:0x3", "1", 1, 1, &p, &cause) == 0,
	    "mask_cpu");
	is_str(p.task_cpus[0], "1", "mask_cpu: limited to the step's CPUs");
	launch_bind_free(&p, 1);

	ok(launch_bind_plan("map_cpu:7", "0-1", 1, 1, &p, &cause) == -1 &&
	    cause != NULL, "map_cpu outside the step: an error");
	free(cause);
	cause = NULL;

	ok(launch_bind_plan("none", "0-1", 2, 1, &p, &cause) == 0 &&
	    p.task_cpus == NULL, "none: no binding");
	is_str(p.env_bind, "quiet,none", "none shown");
	is_str(p.env_type, "none", "none type");
	launch_bind_free(&p, 2);
}

static void
test_exit_code(void)
{
	int st[3];
	uint32_t chosen;

	st[0] = 0;
	st[1] = 0;
	is_int(launch_exit_code(st, 2, &chosen), 0, "all zero: 0");
	st[0] = 1 << 8;
	st[1] = 7 << 8;
	st[2] = 0;
	is_int(launch_exit_code(st, 3, &chosen), 7, "the highest exit code");
	is_int((int)chosen, 1, "the task that decided it");
	st[0] = SIGKILL;	/* killed by SIGKILL */
	st[1] = 1 << 8;
	is_int(launch_exit_code(st, 2, &chosen), 137, "a signal: 128+signal");
	is_int((int)chosen, 0, "chosen: the killed task");
}

int
main(void)
{
	test_io_mode();
	test_patterns();
	test_bind();
	test_exit_code();
	return done_testing();
}
