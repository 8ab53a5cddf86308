// links: jobsup/io.c jobsup/cpuset.c
/* SPDX-License-Identifier: MIT */
/*
 * Output file name patterns (jobsup/io.c) against what real Slurm produced
 * in 11_sbatch_directives, 12_sbatch_array, 17_sbatch_chdir and
 * 21_env_array, and CPU list parsing (jobsup/cpuset.c).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "jobsup/jobsup.h"

static void	job_base(struct job *, uint32_t, const char *);
static void	check(const struct job *, const char *, const char *);
static void	test_patterns(void);
static void	test_paths(void);
static void	test_cpulist(void);

static const struct jobsup_names names = { "alice", "vm" };

static void
job_base(struct job *j, uint32_t id, const char *name)
{
	job_init(j);
	j->id = id;
	j->name = (char *)name;
	j->workdir = (char *)"/tmp/golden_work";
}

static void
check(const struct job *j, const char *pattern, const char *want)
{
	char *got = jobsup_expand_path(pattern, j, &names);

	is_str(got, want, "%s", pattern);
	free(got);
}

static void
test_patterns(void)
{
	struct job j;

	job_base(&j, 11894, "dirtest");
	check(&j, "out_j%j_x%x_A%A_a%a_u%u_N%N.txt",
	    "/tmp/golden_work/out_j11894_xdirtest_A11894_a4294967294_ualice_"
	    "Nvm.txt");

	job_base(&j, 11896, "wrap");
	check(&j, "pct_%%_%j_%5j_%n_%t_%s.out",
	    "/tmp/golden_work/pct_%_11896_11896_0_0_batch.out");

	job_base(&j, 42, "w");
	check(&j, "/abs/%5j.out", "/abs/00042.out");
	/* Slurm caps the width at 10. */
	check(&j, "/abs/%12j.out", "/abs/0000000042.out");
	check(&j, "/abs/%J-%3n-%2t", "/abs/42-000-00");
	check(&j, "/abs/%7x-%3u-%4N", "/abs/w-alice-vm");
	check(&j, "/abs/%z%q-%", "/abs/%z%q-%");	/* kept as written */
	check(&j, "/abs/%%j", "/abs/%j");
	check(&j, "/abs/%%%j", "/abs/%42");
	check(&j, "/abs/a\\%j", "/abs/a%j");	/* backslash: literal */
	check(&j, "/abs/a\\\\b%j", "/abs/a\\b%j");
	check(&j, "rel\\%x", "/tmp/golden_work/rel%x");

	job_base(&j, 11897, "split");
	check(&j, "sub/%x-%j.out", "/tmp/golden_work/sub/split-11897.out");
	check(&j, "sub/%x-%j.err", "/tmp/golden_work/sub/split-11897.err");

	/* 12_sbatch_array: the last task keeps the array's own id. */
	job_base(&j, 11899, "array.sh");
	j.array_job_id = 11898;
	j.array_task_id = 0;
	check(&j, "arr_A%A_a%a_j%j.out",
	    "/tmp/golden_work/arr_A11898_a0_j11899.out");
	j.id = 11898;
	j.array_task_id = 3;
	check(&j, "arr_A%A_a%a_j%j.out",
	    "/tmp/golden_work/arr_A11898_a3_j11898.out");
	check(&j, "env_arr_%a.out", "/tmp/golden_work/env_arr_3.out");

	/* 17_sbatch_chdir: relative names go under -D. */
	job_base(&j, 11927, "wrap");
	j.workdir = (char *)"/tmp/golden_work/sub";
	check(&j, "chdir.out", "/tmp/golden_work/sub/chdir.out");
	j.workdir = (char *)"/";
	check(&j, "x.out", "/x.out");
}

static void
test_paths(void)
{
	struct jobsup_paths p;
	struct job j;

	job_base(&j, 11890, "job.sh");
	jobsup_paths_build(&j, &names, &p);
	is_str(p.in_path, "/dev/null", "stdin defaults to /dev/null");
	is_str(p.out_path, "/tmp/golden_work/slurm-11890.out",
	    "default stdout slurm-%%j.out");
	ok(p.err_path == NULL, "stderr shares stdout by default");
	jobsup_paths_free(&p);

	j.array_job_id = 11898;
	j.array_task_id = 2;
	j.id = 11901;
	jobsup_paths_build(&j, &names, &p);
	is_str(p.out_path, "/tmp/golden_work/slurm-11898_2.out",
	    "array default slurm-%%A_%%a.out");
	jobsup_paths_free(&p);

	job_base(&j, 7, "n");
	j.std_out = (char *)"o-%j";
	j.std_err = (char *)"/tmp/golden_work/o-%j";
	j.std_in = (char *)"in.txt";
	jobsup_paths_build(&j, &names, &p);
	is_str(p.out_path, "/tmp/golden_work/o-7", "-o relative");
	ok(p.err_path == NULL, "-e naming the same file shares it");
	is_str(p.in_path, "/tmp/golden_work/in.txt", "-i relative");
	jobsup_paths_free(&p);

	j.std_err = (char *)"e-%j";
	jobsup_paths_build(&j, &names, &p);
	is_str(p.err_path, "/tmp/golden_work/e-7", "-e separate file");
	jobsup_paths_free(&p);
}

static void
test_cpulist(void)
{
	static const char *bad[] = {
		"", "3-1", "a", "1,", ",1", "1--2", "1-", "-1", "0 1",
		"99999999", "1,,2",
	};
	cpu_set_t *set;
	size_t size;
	char *cause;

	set = jobsup_cpulist_parse("0-3,5,8-9", &size, &cause);
	ok(set != NULL, "parse 0-3,5,8-9");
	if (set != NULL) {
		is_int(CPU_COUNT_S(size, set), 7, "7 CPUs");
		ok(CPU_ISSET_S(0, size, set) && CPU_ISSET_S(3, size, set) &&
		    CPU_ISSET_S(5, size, set) && CPU_ISSET_S(9, size, set) &&
		    !CPU_ISSET_S(4, size, set) && !CPU_ISSET_S(7, size, set),
		    "the right CPUs");
		CPU_FREE(set);
	}
	set = jobsup_cpulist_parse("130", &size, &cause);
	ok(set != NULL && CPU_ISSET_S(130, size, set) &&
	    CPU_COUNT_S(size, set) == 1, "CPU beyond 128");
	if (set != NULL)
		CPU_FREE(set);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		set = jobsup_cpulist_parse(bad[i], &size, &cause);
		ok(set == NULL && cause != NULL, "reject \"%s\"", bad[i]);
		if (set != NULL)
			CPU_FREE(set);
		free(cause);
	}
}

int
main(void)
{
	test_patterns();
	test_paths();
	test_cpulist();
	return done_testing();
}
