// links:
/* SPDX-License-Identifier: MIT */
/*
 * The job file (src/proto/spec.h): the spec reads back as written, also
 * once the supervisor has appended its result (the spec then ends where
 * the result's mark says), and a shorter spec written over a reused
 * file's longer one reads back alone.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "proto/spec.h"
#include "t.h"

static void
spec_init(struct job_spec *s, uint32_t id, uint32_t restarts, int nenv)
{
	memset(s, 0, sizeof *s);
	s->job.id = id;
	s->job.restarts = restarts;
	s->env = xcalloc((size_t)nenv + 1, sizeof *s->env);
	for (int i = 0; i < nenv; i++)
		xasprintf(&s->env[i], "VAR_%d=%0100d", i, i);
	s->script_path = xstrdup("/x/jobs/1.sh");
}

static int
env_count(char **env)
{
	int n = 0;

	while (env != NULL && env[n] != NULL)
		n++;
	return n;
}

int
main(void)
{
	char path[] = "/tmp/test-jobfile-XXXXXX";
	struct job_spec w, r;
	struct job_result res, got;
	long sup, job;
	int fd;

	if ((fd = mkstemp(path)) == -1)
		return 1;
	unlink(path);

	spec_init(&w, 7, 2, 40);
	ok(jobfile_write_spec(fd, &w) == 0, "write a spec");
	memset(&r, 0, sizeof r);
	ok(jobfile_read_spec(fd, &r) == 0 && r.job.id == 7 &&
	    r.job.restarts == 2 && env_count(r.env) == 40,
	    "it reads back");
	job_spec_free(&r);

	ok(jobfile_set_pids(fd, 100, 101) == 0, "pids recorded");
	memset(&res, 0, sizeof res);
	res.status = 3 << 8;
	res.start_time = 1000;
	res.end_time = 1002;
	ok(jobfile_set_result(fd, &res) == 0, "a result appended");
	memset(&r, 0, sizeof r);
	ok(jobfile_read_spec(fd, &r) == 0 && r.job.id == 7 &&
	    r.job.restarts == 2 && env_count(r.env) == 40,
	    "the spec still reads back, up to the result");
	job_spec_free(&r);
	memset(&got, 0, sizeof got);
	ok(jobfile_read_state(fd, &sup, &job, &got) == 1 && sup == 100 &&
	    job == 101 && got.status == 3 << 8 && got.end_time == 1002,
	    "the result and pids read back");
	job_result_free(&got);

	/* Reused for another job with a shorter spec. */
	job_spec_free(&w);
	spec_init(&w, 8, 0, 3);
	ok(jobfile_clear(fd) == 0 && jobfile_write_spec(fd, &w) == 0,
	    "a shorter spec over the file");
	memset(&r, 0, sizeof r);
	ok(jobfile_read_spec(fd, &r) == 0 && r.job.id == 8 &&
	    r.job.restarts == 0 && env_count(r.env) == 3,
	    "only the new spec reads back");
	job_spec_free(&r);
	memset(&got, 0, sizeof got);
	ok(jobfile_read_state(fd, &sup, &job, &got) == 0 && sup == 0 &&
	    job == 0, "no pids, no result");
	job_result_free(&got);
	ok(jobfile_set_pids(fd, 4194303, 0) == 0 &&
	    jobfile_read_state(fd, &sup, &job, &got) == 0 && sup == 4194303 &&
	    job == 0, "the supervisor's pid alone, no result");
	job_result_free(&got);
	ok(jobfile_clear(fd) == 0 && pwrite(fd, "P 12", 4, 0) == 4 &&
	    jobfile_read_state(fd, &sup, &job, &got) == 0 && sup == 0 &&
	    job == 0, "a header cut after one number: no pids");
	job_result_free(&got);
	ok(pwrite(fd, "Q 12 13", 7, 0) == 7 &&
	    jobfile_read_state(fd, &sup, &job, &got) == 0 && sup == 0 &&
	    job == 0, "another tag: no pids");
	job_result_free(&got);

	job_spec_free(&w);
	close(fd);
	return done_testing();
}
