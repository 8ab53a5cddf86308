// links: cli/scancel-opt.c
/* SPDX-License-Identifier: MIT */
/*
 * scancel's signal names, job id arguments and result reporting against
 * Slurm 22.05 (41_scancel.txt: "scancel 999999" is silent and exits 0;
 * README: another user's job exits 210).
 */
#include <signal.h>
#include <stdlib.h>

#include "t.h"
#include "cli/scancel.h"
#include "proto/errors.h"
#include "proto/job.h"

static void
test_signals(void)
{
	is_int(scancel_sig_parse("USR1"), SIGUSR1, "USR1");
	is_int(scancel_sig_parse("SIGUSR1"), SIGUSR1, "SIGUSR1");
	is_int(scancel_sig_parse("sigusr2"), SIGUSR2, "sigusr2");
	is_int(scancel_sig_parse("KILL"), SIGKILL, "KILL");
	is_int(scancel_sig_parse("TERM"), SIGTERM, "TERM");
	is_int(scancel_sig_parse("9"), 9, "9");
	is_int(scancel_sig_parse("10 "), 10, "number with trailing blank");
	is_int(scancel_sig_parse("0"), 0, "0 is no signal");
	is_int(scancel_sig_parse("9x"), 0, "9x");
	is_int(scancel_sig_parse("USR"), 0, "USR");
	is_int(scancel_sig_parse("USR12"), 0, "USR12");
	is_int(scancel_sig_parse("BOGUS"), 0, "BOGUS");
}

static void
test_ids(void)
{
	uint32_t *ids = NULL, n = 0;
	char **tasks = NULL;

	is_int(scancel_add_ids("11941", &ids, &tasks, &n), 0, "one id");
	is_int(scancel_add_ids("11942,11943", &ids, &tasks, &n), 0,
	    "comma list");
	is_int(n, 3, "three ids");
	ok(ids[0] == 11941 && ids[1] == 11942 && ids[2] == 11943,
	    "ids in order");
	is_int(scancel_add_ids("0", &ids, &tasks, &n), -1, "0 is invalid");
	/* slurmctld's 32 bits (22.05.8): J+2^32 is J; 2^32 names no job */
	is_int(scancel_add_ids("4294967297,4294967296,99999999999999999999",
	    &ids, &tasks, &n), 0, "ids over 32 bits are accepted");
	ok(n == 6 && ids[3] == 1 && ids[4] == NO_VAL - 2 &&
	    ids[5] == NO_VAL - 2, "...wrapped, or an id of no job");
	n = 3;
	is_int(scancel_add_ids("abc", &ids, &tasks, &n), -1, "abc is invalid");
	is_int(scancel_add_ids("12x", &ids, &tasks, &n), -1, "12x is invalid");
	is_int(scancel_add_ids("-5", &ids, &tasks, &n), -1, "-5 is invalid");
	is_int(scancel_add_ids("12,", &ids, &tasks, &n), -1, "trailing comma");
	is_int(scancel_add_ids("11947.0", &ids, &tasks, &n), -1,
	    "no step ids without a step vector");
	{
		uint32_t *sids = NULL, *steps = NULL, sn = 0;
		char **stasks = NULL;

		is_int(scancel_add_steps("11947.2,11948", &sids, &stasks,
		    &steps, &sn), 0, "job.step ids");
		ok(sn == 2 && sids[0] == 11947 && steps[0] == 2 &&
		    sids[1] == 11948 && steps[1] == NO_VAL,
		    "step 2 of 11947, then the whole of 11948");
		is_int(scancel_add_steps("11947_1.0", &sids, &stasks, &steps,
		    &sn), -1, "steps of array tasks are refused");
		is_int(scancel_add_steps("11947.x", &sids, &stasks, &steps,
		    &sn), -1, "11947.x is invalid");
		free(sids);
		free(stasks);
		free(steps);
	}
	for (uint32_t i = 0; i < n; i++)
		free(tasks[i]);
	free(tasks);
	free(ids);
	ids = NULL;
	tasks = NULL;
	n = 0;
	is_int(scancel_add_ids("11946,11947_2", &ids, &tasks, &n), 0,
	    "array task");
	is_int(scancel_add_ids("11948_[1-3,5]", &ids, &tasks, &n), 0,
	    "array task range");
	is_int(n, 3, "three ids");
	ok(ids[1] == 11947 && ids[2] == 11948, "array ids");
	ok(tasks[0] == NULL, "plain id: no task set");
	is_str(tasks[1], "2", "task set 2");
	is_str(tasks[2], "1-3,5", "task set 1-3,5");
	is_int(scancel_add_ids("11947_x", &ids, &tasks, &n), -1, "12_x");
	is_int(scancel_add_ids("11947_[1-", &ids, &tasks, &n), -1, "12_[1-");
	is_int(scancel_add_ids("11947_[5-1]", &ids, &tasks, &n), -1,
	    "12_[5-1]");
	for (uint32_t i = 0; i < n; i++)
		free(tasks[i]);
	free(tasks);
	free(ids);
}

static void
test_results(void)
{
	struct buf b;

	buf_init(&b);
	is_int(scancel_result(&b, 11941, BERTH_OK, true, 0), 0, "ok");
	is_int(b.len, 0, "ok prints nothing");

	/* 41_scancel: "scancel 999999" prints nothing, exits 0. */
	is_int(scancel_result(&b, 999999, BERTH_EINVALID_JOB, true, 0), 0,
	    "unknown id, plain cancel: exit 0");
	is_int(b.len, 0, "unknown id, plain cancel: silent");
	is_int(scancel_result(&b, 11950, BERTH_EALREADY_DONE, true, 0), 0,
	    "finished job, plain cancel: exit 0");
	is_int(b.len, 0, "finished job, plain cancel: silent");
	is_int(scancel_result(&b, 11950, BERTH_EALREADY_DONE, true, 1), 0,
	    "finished job, -v: exit 0");
	is_str(b.data, "scancel: error: Kill job error on job id 11950: "
	    "Job/step already completing or completed\n",
	    "finished job, -v: Slurm's text");
	buf_reset(&b);

	is_int(scancel_result(&b, 999999, BERTH_EINVALID_JOB, false, 0), 1,
	    "unknown id with --signal: exit 1");
	is_str(b.data, "scancel: error: Kill job error on job id 999999: "
	    "Invalid job id specified\n", "unknown id with --signal: message");
	buf_reset(&b);
	is_int(scancel_result(&b, 11950, BERTH_EALREADY_DONE, false, 0), 1,
	    "finished job with --signal: exit 1");
	is_str(b.data, "scancel: error: Kill job error on job id 11950: "
	    "Invalid job id specified\n",
	    "finished job with --signal: not an active job");
	buf_reset(&b);
	is_int(scancel_result(&b, 999999, BERTH_EINVALID_JOB, false, -1), 1,
	    "-Q: exit 1");
	is_int(b.len, 0, "-Q: silent");

	is_int(scancel_result(&b, 11960, BERTH_EACCESS, true, -1) & 0xff, 210,
	    "another user's job exits 210");
	is_str(b.data, "scancel: error: Kill job error on job id 11960: "
	    "Access/permission denied\n", "another user's job: message");
	buf_reset(&b);

	/* Steps (Slurm's _cancel_step_id). */
	is_int(scancel_step_result(&b, 12, 5, BERTH_EALREADY_DONE, 0), 0,
	    "a step already gone: exit 0");
	is_int(b.len, 0, "a step already gone: silent");
	is_int(scancel_step_result(&b, 12, 5, BERTH_EINVALID_JOB, 1), 0,
	    "an unknown step with -v: exit 0");
	is_str(b.data, "scancel: error: Kill job error on job step id 12.5: "
	    "Invalid job id specified\n", "an unknown step with -v: message");
	buf_reset(&b);
	is_int(scancel_step_result(&b, 12, 0, BERTH_EACCESS, 0) & 0xff, 210,
	    "another user's step exits 210");
	buf_free(&b);
}

int
main(void)
{
	test_signals();
	test_ids();
	test_results();
	return done_testing();
}
