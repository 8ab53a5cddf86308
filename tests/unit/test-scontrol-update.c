// links: cli/scontrol-update.c
/* SPDX-License-Identifier: MIT */
/*
 * `scontrol update job` parsing (scontrol-update.c) against Slurm 22.05's
 * client-side behaviour (40_scontrol.txt, 14_sbatch_begin_hold.txt,
 * scontrol/update_job.c): key abbreviations, the values sent to the
 * daemon, and the messages of bad input.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "common/util.h"
#include "cli/scontrol.h"

#define NOW	1795000000	/* any fixed time */

static uint32_t cur_limit = 30;

static uint32_t
limit_cb(void *arg, const char *ids, struct buf *err)
{
	(void)arg;
	if (strcmp(ids, "404") == 0) {
		buf_printf(err, "scontrol: error: Job ID %s not found\n", ids);
		return NO_VAL;
	}
	return cur_limit;
}

/* The daemon's answer about UserID=NAME: "alice" is 1000, "nojobs" exists
 * without a known number, "down" cannot be asked about. */
static int
uid_cb(void *arg, const char *user, uint32_t *uid, struct buf *err)
{
	(void)arg;
	if (strcmp(user, "alice") == 0) {
		*uid = 1000;
		return 0;
	}
	if (strcmp(user, "nojobs") == 0) {
		*uid = NO_VAL;
		return 0;
	}
	if (strcmp(user, "down") == 0) {
		buf_printf(err, "scontrol: error: daemon down\n");
		return -2;
	}
	return -1;
}

/* Parse the words; *msg gets the messages (caller frees). */
static int
parse(const char *words, struct sc_update *u, char **msg)
{
	char **argv;
	size_t argc;
	struct buf err;
	int rc;

	argv = strv_split(words, " ", &argc);
	buf_init(&err);
	rc = scontrol_update_parse((int)argc, argv, NOW, limit_cb, uid_cb,
	    NULL, u, &err);
	*msg = buf_steal(&err);
	strv_free(argv);
	return rc;
}

/* The request as "Key=Value;..." for comparison. */
static char *
flat(const struct sc_update *u)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < u->n; i++)
		buf_printf(&b, "%s%s=%s", i ? ";" : "", u->keys[i], u->vals[i]);
	return buf_steal(&b);
}

static void
good(const char *words, const char *want, const char *desc)
{
	struct sc_update u;
	char *msg, *got;
	int rc;

	rc = parse(words, &u, &msg);
	is_int(rc, 0, "%s: accepted", desc);
	got = flat(&u);
	is_str(got, want, "%s: sent as %s", desc, want);
	free(got);
	free(msg);
	scontrol_update_free(&u);
}

static void
bad(const char *words, const char *want, const char *desc)
{
	struct sc_update u;
	char *msg;
	int rc;

	rc = parse(words, &u, &msg);
	is_int(rc, -1, "%s: refused", desc);
	is_str(msg, want, "%s: message", desc);
	free(msg);
	scontrol_update_free(&u);
}

int
main(void)
{
	struct sc_update u;
	char *msg;
	int rc;

	/* 40_scontrol.txt */
	good("jobid=11942 TimeLimit=5 JobName=renamed",
	    "TimeLimit=5;JobName=renamed", "TimeLimit and JobName");
	good("jobid=11943 Priority=100000", "Priority=100000", "Priority");
	good("jobid=11942 TimeLimit=60", "TimeLimit=60", "TimeLimit=60");
	good("jobid=11942 Nice=100", "Nice=100", "Nice=100");
	bad("jobid=11942 TimeLimit=garbage",
	    "scontrol: error: Invalid TimeLimit value\n", "TimeLimit=garbage");

	/* Slurm's time formats, UNLIMITED */
	good("JobId=1 TimeLimit=1-00:00:00", "TimeLimit=1440", "days-h:m:s");
	good("JobId=1 TimeLimit=2:30", "TimeLimit=3", "m:s rounds up");
	good("JobId=1 TimeLimit=UNLIMITED", "TimeLimit=UNLIMITED",
	    "UNLIMITED");
	/* +N / -N from the current limit (30) */
	good("JobId=1 TimeLimit=+5", "TimeLimit=35", "TimeLimit=+5");
	good("JobId=1 TimeLimit=-10", "TimeLimit=20", "TimeLimit=-10");
	bad("JobId=1 TimeLimit=-45", "scontrol: error: TimeLimit decrement "
	    "larger than current time limit (45 > 30)\n", "decrement too big");
	bad("TimeLimit=+5 JobId=1", "scontrol: error: JobId must precede "
	    "TimeLimit increment or decrement\n", "increment before JobId");
	bad("JobId=404 TimeLimit=+5", "scontrol: error: Job ID 404 not "
	    "found\n", "increment of an unknown job");
	cur_limit = INFINITE;
	bad("JobId=1 TimeLimit=+5", "scontrol: error: Cannot "
	    "increment/decrement TimeLimit when set to UNLIMITED.\n",
	    "increment of UNLIMITED");

	/* abbreviations, case, "Key Value" */
	good("job=3 timel=10 pa=debug na=x", "TimeLimit=10;Partition=debug;"
	    "JobName=x", "abbreviated keys");
	good("JOBID 3 PARTITION debug", "Partition=debug", "Key Value words");
	good("JobId=3 nice", "Nice=100", "bare nice means 100");
	good("JobId=3 Nice=-5", "Nice=-5", "negative nice");
	good("JobId=3 Comment=hello a=Account", "Comment=hello;Account=Account",
	    "a is Account");
	good("JobId=3 De=afterok:1 W=k QO=high Gr=gpu:1",
	    "Dependency=afterok:1;WCKey=k;QOS=high;Gres=gpu:1",
	    "Dependency WCKey QOS Gres");
	good("JobId=3 NumCPUs=4 MinMemoryNode=2G MinMemoryCPU=500",
	    "NumCPUs=4;MinMemoryNode=2048;MinMemoryCPU=500", "sizes");
	good("JobId=3 NumCPUs=2-4", "NumCPUs=2", "NumCPUs range: its minimum");
	good("JobId=3 Requeue=0 Requeue=7", "Requeue=0;Requeue=1",
	    "Requeue is 0 or 1");
	good("JobId=3 StartTime=now", "StartTime=1795000000", "StartTime=now");
	good("JobId=3 EligibleTime=now+60", "StartTime=1795000060",
	    "EligibleTime is StartTime");

	/* errors: Slurm's words, nothing sent */
	bad("JobId=3 Bogus=1 TimeLimit=5", "Update of this parameter is not "
	    "supported: Bogus=1\nRequest aborted\n", "unknown key");
	bad("JobId=3 N=1", "Update of this parameter is not supported: N=1\n"
	    "Request aborted\n", "too short an abbreviation");
	bad("JobId=3 ReqNodeList=vm", "Update of this parameter is not "
	    "supported: ReqNodeList=vm\nRequest aborted\n",
	    "a Slurm key berth lacks");
	bad("JobId=3 TimeLimit", "Invalid input: TimeLimit\nRequest aborted\n",
	    "key without value");
	bad("JobId=3", "No changes specified\n", "no change");
	bad("TimeLimit=5", "scontrol: error: No job ID specified\n",
	    "no job");
	bad("JobId=3 Priority=-1", "scontrol: error: Invalid Priority value: "
	    "-1\n", "negative Priority");
	bad("JobId=3 Nice=2147483646", "scontrol: error: Nice value out of "
	    "range (+/- 2147483645). Value ignored\n", "Nice out of range");
	bad("JobId=3 NumCPUs=0", "scontrol: error: Invalid NumCPUs value: 0\n",
	    "NumCPUs=0");
	bad("JobId=3 MinMemoryNode=lots", "scontrol: error: Invalid "
	    "MinMemoryNode value: lots\n", "bad memory");
	bad("JobId=3 Requeue=yes", "scontrol: error: Invalid Requeue value: "
	    "yes\n", "bad Requeue");
	bad("JobId=3 TimeLimit+=5", "scontrol: error: Option TimeLimit does "
	    "not accept [+|-]= syntax\n", "+= syntax");
	bad("JobId=3 UserID=nosuchuser_xyz JobName=a", "Invalid UserID: "
	    "nosuchuser_xyz\nRequest aborted\n", "unknown UserID");
	bad("JobId=3 StartTime=garbage", "scontrol: error: Invalid time "
	    "specification (pos=0): garbage\nNo changes specified\n",
	    "a bad StartTime is skipped");

	/* TimeMin (prefix "TimeM", after TimeLimit), Deadline ("Dea") */
	good("JobId=3 TimeMin=1:00:00", "TimeMin=60", "TimeMin h:m:s");
	good("JobId=3 timem=0", "TimeMin=0", "TimeMin=0 removes it");
	bad("JobId=3 TimeMin=garbage", "scontrol: error: Invalid TimeMin "
	    "value\n", "TimeMin=garbage");
	good("JobId=3 Dea=now+60", "Deadline=1795000060", "Deadline");
	bad("JobId=3 Deadline=garbage", "scontrol: error: Invalid time "
	    "specification (pos=0): garbage\nNo changes specified\n",
	    "a bad Deadline is skipped");

	/* ArrayTaskThrottle ("ArrayTaskT" at least): Slurm's strtoll */
	good("JobId=3 ArrayTaskThrottle=4", "ArrayTaskThrottle=4",
	    "ArrayTaskThrottle");
	good("JobId=3 arraytaskt=0", "ArrayTaskThrottle=0",
	    "ArrayTaskThrottle=0: no limit");
	good("JobId=3 ArrayTaskThrottle=abc", "ArrayTaskThrottle=0",
	    "ArrayTaskThrottle=abc is 0, as strtoll makes it");
	bad("JobId=3 ArrayTaskThrottle=-1", "scontrol: error: Invalid "
	    "ArrayTaskThrottle value\n", "ArrayTaskThrottle=-1");
	bad("JobId=3 ArrayTask=2", "Update of this parameter is not "
	    "supported: ArrayTask=2\nRequest aborted\n",
	    "ArrayTask is too short a prefix");

	/* a bad StartTime among good keys: reported, the rest goes */
	rc = parse("JobId=3 StartTime=garbage Comment=x", &u, &msg);
	is_int(rc, 0, "bad StartTime with another key: accepted");
	is_str(msg, "scontrol: error: Invalid time specification (pos=0): "
	    "garbage\n", "bad StartTime with another key: message");
	free(msg);
	scontrol_update_free(&u);

	/* JobName without JobId: the lookup key */
	rc = parse("JobName=foo UserID=0 Comment=x", &u, &msg);
	is_int(rc, 0, "JobName lookup: accepted");
	ok(u.job_ids == NULL && u.name != NULL && strcmp(u.name, "foo") == 0 &&
	    u.uid == 0, "JobName lookup: name foo, uid 0, no job ids");
	free(msg);
	scontrol_update_free(&u);

	/* UserID=NAME: the callback (the daemon) knows the user */
	rc = parse("JobName=foo UserID=alice Comment=x", &u, &msg);
	is_int(rc, 0, "UserID=alice: accepted");
	ok(u.user != NULL && strcmp(u.user, "alice") == 0 && u.uid == 1000,
	    "UserID=alice: user alice, uid 1000 from the callback");
	free(msg);
	scontrol_update_free(&u);
	rc = parse("JobName=foo UserID=nojobs Comment=x", &u, &msg);
	ok(rc == 0 && u.user != NULL && u.uid == NO_VAL,
	    "UserID of a user with unknown number: user set, uid NO_VAL");
	free(msg);
	scontrol_update_free(&u);
	rc = parse("JobName=foo Comment=x", &u, &msg);
	ok(rc == 0 && u.user == NULL && u.uid == NO_VAL,
	    "no UserID: user NULL, uid NO_VAL");
	free(msg);
	scontrol_update_free(&u);
	bad("JobName=foo UserID=down Comment=x", "scontrol: error: daemon "
	    "down\n", "UserID lookup failure: its message only");

	/* job id strings */
	ok(scontrol_is_job_id("12"), "12 is a job id");
	ok(scontrol_is_job_id("12,13 14"), "lists");
	ok(scontrol_is_job_id("12_3"), "array task");
	ok(scontrol_is_job_id("12_[1-3]"), "task range");
	ok(!scontrol_is_job_id("12-13"), "no range outside brackets");
	ok(!scontrol_is_job_id("12_3_4"), "one _ per id");
	ok(!scontrol_is_job_id("abc"), "letters");
	ok(!scontrol_is_job_id("12_[1-3"), "unbalanced bracket");
	ok(!scontrol_is_job_id(""), "empty");

	/* keyword matching */
	ok(scontrol_abbrev("rel", 3, "release", 3), "rel is release");
	ok(!scontrol_abbrev("re", 2, "release", 3), "re is not");
	ok(!scontrol_abbrev("releases", 8, "release", 3), "longer is not");
	return done_testing();
}
