// links: fmt/fmt.c fmt/time-fmt.c fmt/fields-job.c fmt/fields-acct.c fmt/fields-prio.c
/* SPDX-License-Identifier: MIT */
/*
 * Output formatting against real Slurm: synthetic job records mirroring the
 * jobs of /work/shared/slurm-reference (30_squeue, 50_sacct, 41_scancel,
 * 02_sbatch_errors, 12_sbatch_array, 13_sbatch_dependency) printed through
 * the field tables and compared byte for byte with the recorded output.
 * Times are UTC so the recorded timestamps can be rebuilt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "fmt/fmt.h"
#include "proto/prio.h"
#include "proto/step.h"
#include "t.h"

#define EXITED(c)	((c) << 8)
#define SIGNALED(s)	(s)

static int64_t
utc(int h, int m, int s)
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

static struct job *
mkjob(uint32_t id, const char *name, const char *part, uint32_t state)
{
	struct job *j = xcalloc(1, sizeof *j);

	job_init(j);
	j->id = id;
	j->name = xstrdup(name);
	j->partition = xstrdup(part);
	j->state = state;
	j->user = xstrdup("alice");
	j->uid = 2001;
	j->gid = 2001;
	j->account = xstrdup("users");
	j->qos = xstrdup("normal");
	j->workdir = xstrdup("/tmp/golden_work");
	j->ntasks = 1;
	j->cpus_per_task = 1;
	j->ncpus = 1;
	j->min_nodes = 1;
	j->mem_mb = 1000;
	j->flags |= JOB_F_MEM_PER_CPU;
	j->time_limit = INFINITE;
	j->batch_state = JOB_NONE;
	j->kill_uid = NO_VAL;
	return j;
}

/* Prints recs with fmt into a string. */
static char *
render(const struct fmt_list *l, const void *const *recs, size_t n,
    int64_t now, int flags)
{
	struct fmt_ctx ctx = { now, NULL };
	char *s = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&s, &len);
	fmt_print(fp, l, recs, n, &ctx, flags);
	fclose(fp);
	return s;
}

/* 30_squeue: the queue at 04:24:08. */
#define SQ_NOW	utc(4, 24, 8)

static size_t
squeue_jobs(struct job **v)
{
	size_t n = 0;
	uint32_t prio = 4294899870u;
	struct job *j;

	j = v[n++] = mkjob(11941, "running", "cpu", JOB_RUNNING);
	j->ncpus = 2;
	j->cpus_per_task = 2;
	j->start_time = SQ_NOW - 4;
	j->nodelist = xstrdup("vm");
	j->priority = prio - 1;
	j = v[n++] = mkjob(11942, "resources", "cpu", JOB_PENDING);
	j->reason = WAIT_RESOURCES;
	j->time_limit = 10;
	j->priority = prio - 2;
	j = v[n++] = mkjob(11943, "priority", "cpu", JOB_PENDING);
	j->reason = WAIT_PRIORITY;
	j->priority = prio - 3;
	j = v[n++] = mkjob(11944, "depend", "cpu", JOB_PENDING);
	j->reason = WAIT_DEPENDENCY;
	j->dependency = xstrdup("afterok:11941(unfulfilled)");
	j->priority = prio - 4;
	j = v[n++] = mkjob(11945, "begin", "cpu", JOB_PENDING);
	j->reason = WAIT_BEGIN_TIME;
	j->start_time = utc(4, 34, 5);
	j->priority = prio - 5;
	j = v[n++] = mkjob(11946, "held", "cpu", JOB_PENDING);
	j->reason = WAIT_HELD_USER;
	j->priority = 0;
	/* The array's pending record, as the daemon sends it. */
	j = v[n++] = mkjob(11947, "arr", "cpu", JOB_PENDING);
	j->array_job_id = 11947;
	j->array_spec = xstrdup("0-5");
	j->reason = WAIT_PRIORITY;
	j->priority = prio - 6;
	j = v[n++] = mkjob(11948, "dbg", "debug", JOB_PENDING);
	j->reason = WAIT_NODES_DOWN;
	j->time_limit = 10;
	j->priority = prio - 7;
	return n;
}

/* squeue's pipeline: wrap, combine (unless -r), sort, print. */
static char *
squeue(struct job **jobs, size_t n, const char *fmt, bool longfmt,
    const char *sort, bool array, int flags)
{
	struct fmt_job_rec *recs;
	const void **ptrs;
	struct fmt_list l;
	struct job *flat = NULL, *unfolded = NULL;
	char *cause = NULL, *s = NULL;
	size_t m = n, *origin = NULL, from;
	uint32_t *places;
	int rc;

	/* Places in slurmctld's list, and -r: one record per task of a
	 * pending array, as cmd-squeue.c. */
	flat = xcalloc(n + 1, sizeof *flat);
	for (size_t i = 0; i < n; i++)
		flat[i] = *jobs[i];
	places = xcalloc(n + 1, sizeof *places);
	fmt_job_places(flat, n, places);
	if (array) {
		unfolded = fmt_job_unfold(flat, n, &m, &origin);
		n = m;
	}
	recs = xcalloc(n + 1, sizeof *recs);
	ptrs = xcalloc(n + 1, sizeof *ptrs);
	for (size_t i = 0; i < n; i++) {
		from = array ? origin[i] : i;
		recs[i].job = array ? &unfolded[i] : jobs[i];
		recs[i].place = places[from];
		recs[i].unfolded = array && unfolded[i].array_spec == NULL &&
		    flat[from].array_spec != NULL;
	}
	free(origin);
	free(places);
	free(flat);
	if (!array)
		m = fmt_job_combine(recs, n);
	if (fmt_job_sort(recs, m, sort, SQ_NOW, &cause) != 0) {
		s = cause;
		goto out;
	}
	if (longfmt)
		rc = fmt_parse_long(&l, &fmt_job_table, "job", fmt, 0, &cause);
	else
		rc = fmt_parse_letters(&l, &fmt_job_table, "job", fmt, &cause);
	if (rc != 0) {
		s = cause;
		goto out;
	}
	for (size_t i = 0; i < m; i++)
		ptrs[i] = &recs[i];
	s = render(&l, ptrs, m, SQ_NOW, flags);
	fmt_list_free(&l);
out:
	for (size_t i = 0; i < m; i++)
		fmt_job_rec_free(&recs[i]);
	free(recs);
	free(ptrs);
	free(unfolded);
	return s;
}

/* sprio's views (src/sprio/print.c): weighted, normalized, Weights. */
static void
test_sprio(void)
{
	struct prio_row rows[2];
	struct prio_list pl;
	struct fmt_prio_rec recs[3];
	const void *ptrs[3];
	struct fmt_list l;
	char *cause = NULL, *s;

	is_int(fmt_table_check(&fmt_prio_table), -1, "sprio table sorted");
	memset(&pl, 0, sizeof pl);
	memset(rows, 0, sizeof rows);
	pl.multifactor = true;
	pl.w_age = 1000;
	pl.w_fs = 10000;
	pl.w_js = 100;
	rows[0].id = 12;
	rows[0].partition = (char *)(uintptr_t)"cpu";
	rows[0].user = (char *)(uintptr_t)"alice";
	rows[0].priority = 5676;
	rows[0].age = 500.4;
	rows[0].fs = 5000;
	rows[0].js = 75;
	rows[0].nice = 100;
	rows[1] = rows[0];
	rows[1].id = 13;
	rows[1].priority = 7000;
	rows[1].fixed = true;
	recs[0].row = &rows[0];
	recs[1].row = &rows[1];
	recs[2].row = NULL;
	for (int i = 0; i < 3; i++) {
		recs[i].list = &pl;
		ptrs[i] = &recs[i];
	}
	ok(fmt_parse_letters(&l, &fmt_prio_table, "job",
	    "%.15i %9r %.10Y %.10S %.10A %.10F %.10J %.6N", &cause) == 0,
	    "sprio format parses");
	s = render(&l, ptrs, 3, 0, 0);
	is_str(s,
	    "          JOBID PARTITION   PRIORITY       SITE        AGE  "
	    "FAIRSHARE    JOBSIZE   NICE\n"
	    "             12 cpu             5676          0        500   "
	    "    5000         75    100\n"
	    "             13 cpu             7000          0          0   "
	    "       0          0      0\n"
	    "        Weights                               1       1000   "
	    "   10000        100       \n",
	    "sprio: weighted; a set priority has zero factors; Weights");
	free(s);
	fmt_list_free(&l);
	ok(fmt_parse_letters(&l, &fmt_prio_table, "job", "%i|%y|%a|%f|%q",
	    &cause) == 0, "normalized format parses");
	s = render(&l, ptrs, 1, 0, FMT_NOHEADER);
	is_str(s, "12|0.00000132154673|0.5004000|0.5000000|0.0000000\n",
	    "sprio -n: factor / weight (0 for a weight of 0)");
	free(s);
	fmt_list_free(&l);
	ok(fmt_parse_letters(&l, &fmt_prio_table, "job", "%i %c", &cause) ==
	    -1, "%%c is not available");
	free(cause);
}

static void
test_tables(void)
{
	is_int(fmt_table_check(&fmt_job_table), -1, "job table sorted");
	is_int(fmt_table_check(&fmt_acct_table), -1, "acct table sorted");
	ok(fmt_field_by_name(&fmt_job_table, "reasonlist") != NULL,
	    "names are case-insensitive");
	ok(fmt_field_by_letter(&fmt_job_table, 'R') ==
	    fmt_field_by_name(&fmt_job_table, "ReasonList"), "%%R");
	is_str(fmt_field_by_prefix(&fmt_acct_table, "jobid")->name, "JobID",
	    "exact match wins over prefix");
	is_str(fmt_field_by_prefix(&fmt_acct_table, "JobIdRaw")->name,
	    "JobIDRaw", "JobIdRaw");
	is_str(fmt_field_by_prefix(&fmt_acct_table, "elap")->name, "Elapsed",
	    "prefix picks the first field");
	ok(fmt_field_by_prefix(&fmt_acct_table, "NoSuchField") == NULL,
	    "unknown field");
}

static void
test_times(void)
{
	struct buf b;

	buf_init(&b);
#define T(call, want) do { buf_reset(&b); call; \
	is_str(b.data, want, #call); } while (0)
	T(fmt_duration(&b, 4), "0:04");
	T(fmt_duration(&b, 87), "1:27");
	T(fmt_duration(&b, 3600), "1:00:00");
	T(fmt_duration(&b, 86400), "1-00:00:00");
	T(fmt_duration_long(&b, 87), "00:01:27");
	T(fmt_duration_long(&b, 90061), "1-01:01:01");
	T(fmt_time_limit(&b, INFINITE), "UNLIMITED");
	T(fmt_time_limit(&b, 10), "10:00");
	T(fmt_time_limit(&b, 60), "1:00:00");
	T(fmt_time_limit(&b, 1440), "1-00:00:00");
	T(fmt_time_limit_long(&b, 1), "00:01:00");
	T(fmt_time_limit_long(&b, NO_VAL), "Partition_Limit");
	T(fmt_timestamp(&b, utc(4, 20, 44), "Unknown"), "2026-11-22T04:20:44");
	T(fmt_timestamp(&b, 0, "Unknown"), "Unknown");
	T(fmt_timestamp(&b, 0, "N/A"), "N/A");
	T(fmt_mem_mb(&b, 1000), "1000M");
	T(fmt_mem_mb(&b, 2048), "2G");
	T(fmt_mem_mb(&b, 1536), "1.50G");
	T(fmt_mem_kb(&b, 3088), "3088K");
	T(fmt_mem_kb(&b, 215516), "215516K");
	T(fmt_exit_code(&b, EXITED(3)), "3:0");
	T(fmt_exit_code(&b, SIGNALED(15)), "0:15");
#undef T
	buf_free(&b);
}

static void
test_cells(void)
{
	struct buf b;

	buf_init(&b);
	fmt_cell(&b, FMT_MARK, "timeout_job", 10, true);
	is_str(b.data, "timeout_j+", "sacct cuts with +");
	buf_reset(&b);
	fmt_cell(&b, FMT_CUT, "resources", 8, true);
	is_str(b.data, "resource", "squeue cuts");
	buf_reset(&b);
	fmt_cell(&b, FMT_CUT, "R", 2, true);
	is_str(b.data, " R", "right-justified");
	buf_reset(&b);
	fmt_cell(&b, FMT_CUT, "vm", 6, false);
	is_str(b.data, "vm    ", "left-justified");
	buf_free(&b);
}

/*
 * 41_scancel: task 3 of the pending array 11947 held by its owner (split
 * off as job 11951), task 2 cancelled (split off, ended).  squeue folds
 * the held task back into the array's line, reasons joined; -r does not.
 */
static void
test_squeue_split(void)
{
	struct job *jobs[3];
	char *s;

	jobs[0] = mkjob(11947, "arr", "cpu", JOB_PENDING);
	jobs[0]->array_job_id = 11947;
	jobs[0]->array_spec = xstrdup("0-1,4-5");
	jobs[0]->reason = WAIT_RESOURCES;
	jobs[0]->priority = 10;
	jobs[1] = mkjob(11951, "arr", "cpu", JOB_PENDING);
	jobs[1]->array_job_id = 11947;
	jobs[1]->array_task_id = 3;
	jobs[1]->reason = WAIT_HELD_USER;
	jobs[2] = mkjob(11950, "arr", "cpu", JOB_CANCELLED);
	jobs[2]->array_job_id = 11947;
	jobs[2]->array_task_id = 2;
	s = squeue(jobs, 2, "%i %j %T %r", false, NULL, false, 0);
	is_str(s, "JOBID NAME STATE REASON\n"
	    "11947_[0-1,3-5] arr PENDING Resources,JobHeldUser\n",
	    "a held task folds back into its array's line, reasons joined");
	free(s);
	s = squeue(jobs, 2, "%i %j %T %R", false, NULL, false, 0);
	is_str(s, "JOBID NAME STATE NODELIST(REASON)\n"
	    "11947_[0-1,3-5] arr PENDING (Resources,JobHeldUser)\n",
	    "%%R shows the joined reasons");
	free(s);
	s = squeue(jobs, 3, "%i %j %T %r", false, NULL, true, 0);
	is_str(s, "JOBID NAME STATE REASON\n"
	    "11947_2 arr CANCELLED None\n"
	    "11947_0 arr PENDING Resources\n"
	    "11947_1 arr PENDING Resources\n"
	    "11947_4 arr PENDING Resources\n"
	    "11947_5 arr PENDING Resources\n"
	    "11947_3 arr PENDING JobHeldUser\n",
	    "-r: each task on its own line");
	free(s);
	s = squeue(jobs, 3, "%i %A", false, "i", true, FMT_NOHEADER);
	ok(strstr(s, "11947_3 11951\n") != NULL,
	    "array task %%A is its own job id");
	free(s);
	/* Tasks whose array has no pending record stay apart (Slurm merges
	 * into that record only). */
	jobs[2]->state = JOB_PENDING;
	jobs[2]->reason = WAIT_HELD_USER;
	s = squeue(jobs + 1, 2, "%i %r", false, "i", false, FMT_NOHEADER);
	is_str(s, "11947_2 JobHeldUser\n11947_3 JobHeldUser\n",
	    "split-off tasks without their array record: one line each");
	free(s);
	for (size_t i = 0; i < 3; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/* Several arrays whose split tasks come before and after their records,
 * in no order: each record takes back its own array's tasks only (and
 * not a task of its array under another name). */
static void
test_squeue_split_many(void)
{
	static const struct {
		uint32_t	 id, array, task, reason;
		const char	*name, *spec;
	} d[] = {
		{ 30, 20, 7, WAIT_HELD_USER, "b", NULL },
		{ 31, 10, 3, WAIT_DEPENDENCY, "a", NULL },
		{ 10, 10, NO_VAL, WAIT_RESOURCES, "a", "0-1" },
		{ 32, 20, 2, WAIT_HELD_USER, "b", NULL },
		{ 20, 20, NO_VAL, WAIT_PRIORITY, "b", "4-5" },
		{ 33, 10, 9, WAIT_HELD_USER, "other", NULL },
		{ 34, 10, 2, WAIT_HELD_USER, "a", NULL },
		{ 35, 40, 1, WAIT_HELD_USER, "c", NULL },
	};
	struct job *jobs[nitems(d)];
	char *s;

	for (size_t i = 0; i < nitems(d); i++) {
		jobs[i] = mkjob(d[i].id, d[i].name, "cpu", JOB_PENDING);
		jobs[i]->array_job_id = d[i].array;
		jobs[i]->array_task_id = d[i].task;
		jobs[i]->reason = d[i].reason;
		if (d[i].spec != NULL)
			jobs[i]->array_spec = xstrdup(d[i].spec);
	}
	s = squeue(jobs, nitems(d), "%i %j %r", false, "i", false,
	    FMT_NOHEADER);
	is_str(s, "10_9 other JobHeldUser\n"
	    "10_[0-3] a Resources,Dependency,JobHeldUser\n"
	    "20_[2,4-5,7] b Priority,JobHeldUser\n"
	    "40_1 c JobHeldUser\n",
	    "interleaved arrays: each record takes back its own tasks");
	free(s);
	for (size_t i = 0; i < nitems(d); i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

static void
test_squeue(void)
{
	struct job *jobs[32];
	size_t n = squeue_jobs(jobs);
	char *s;

	s = squeue(jobs, n, FMT_SQUEUE_DEFAULT, false, NULL, false, 0);
	is_str(s,
"             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)\n"
"             11942       cpu resource    alice PD       0:00      1 (Resources)\n"
"             11943       cpu priority    alice PD       0:00      1 (Priority)\n"
"             11944       cpu   depend    alice PD       0:00      1 (Dependency)\n"
"             11945       cpu    begin    alice PD       0:00      1 (BeginTime)\n"
"       11947_[0-5]       cpu      arr    alice PD       0:00      1 (Priority)\n"
"             11946       cpu     held    alice PD       0:00      1 (JobHeldUser)\n"
"             11941       cpu  running    alice  R       0:04      1 vm\n"
"             11948     debug      dbg    alice PD       0:00      1 (Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions)\n",
	    "squeue default view");
	free(s);

	s = squeue(jobs, n, FMT_SQUEUE_DEFAULT, false, NULL, false,
	    FMT_NOHEADER);
	ok(strncmp(s, "             11942       cpu resource", 37) == 0,
	    "squeue -h");
	free(s);

	s = squeue(jobs, n, FMT_SQUEUE_LONG, false, NULL, false, 0);
	is_str(s,
"             JOBID PARTITION     NAME     USER    STATE       TIME TIME_LIMI  NODES NODELIST(REASON)\n"
"             11942       cpu resource    alice  PENDING       0:00     10:00      1 (Resources)\n"
"             11943       cpu priority    alice  PENDING       0:00 UNLIMITED      1 (Priority)\n"
"             11944       cpu   depend    alice  PENDING       0:00 UNLIMITED      1 (Dependency)\n"
"             11945       cpu    begin    alice  PENDING       0:00 UNLIMITED      1 (BeginTime)\n"
"       11947_[0-5]       cpu      arr    alice  PENDING       0:00 UNLIMITED      1 (Priority)\n"
"             11946       cpu     held    alice  PENDING       0:00 UNLIMITED      1 (JobHeldUser)\n"
"             11941       cpu  running    alice  RUNNING       0:04 UNLIMITED      1 vm\n"
"             11948     debug      dbg    alice  PENDING       0:00     10:00      1 (Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions)\n",
	    "squeue -l");
	free(s);

	s = squeue(jobs, n, "%i %T %r", false, NULL, false, 0);
	is_str(s,
"JOBID STATE REASON\n"
"11942 PENDING Resources\n"
"11943 PENDING Priority\n"
"11944 PENDING Dependency\n"
"11945 PENDING BeginTime\n"
"11947_[0-5] PENDING Priority\n"
"11946 PENDING JobHeldUser\n"
"11941 RUNNING None\n"
"11948 PENDING Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions\n",
	    "squeue -o '%%i %%T %%r'");
	free(s);

	s = squeue(jobs, n, "JobID,State,Reason", true, NULL, false, 0);
	is_str(s,
"JOBID               STATE               REASON              \n"
"11942               PENDING             Resources           \n"
"11943               PENDING             Priority            \n"
"11944               PENDING             Dependency          \n"
"11945               PENDING             BeginTime           \n"
"11947               PENDING             Priority            \n"
"11946               PENDING             JobHeldUser         \n"
"11941               RUNNING             None                \n"
"11948               PENDING             Nodes required for j\n",
	    "squeue -O JobID,State,Reason");
	free(s);

	s = squeue(jobs, n, "JobID:10,Name:12,State:10,ReasonList:20,"
	    "TimeLimit,NumCPUs,MinMemory,Dependency", true, NULL, false, 0);
	is_str(s,
"JOBID     NAME        STATE     NODELIST(REASON)    TIME_LIMIT          CPUS                MIN_MEMORY          DEPENDENCY          \n"
"11942     resources   PENDING   (Resources)         10:00               1                   1000M               (null)              \n"
"11943     priority    PENDING   (Priority)          UNLIMITED           1                   1000M               (null)              \n"
"11944     depend      PENDING   (Dependency)        UNLIMITED           1                   1000M               afterok:11941(unfulf\n"
"11945     begin       PENDING   (BeginTime)         UNLIMITED           1                   1000M               (null)              \n"
"11947     arr         PENDING   (Priority)          UNLIMITED           1                   1000M               (null)              \n"
"11946     held        PENDING   (JobHeldUser)       UNLIMITED           1                   1000M               (null)              \n"
"11941     running     RUNNING   vm                  UNLIMITED           2                   1000M               (null)              \n"
"11948     dbg         PENDING   (Nodes required for 10:00               1                   1000M               (null)              \n",
	    "squeue -O with widths");
	free(s);

	s = squeue(jobs, n, FMT_SQUEUE_DEFAULT, false, "-i", false, 0);
	is_str(s,
"             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)\n"
"             11948     debug      dbg    alice PD       0:00      1 (Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions)\n"
"       11947_[0-5]       cpu      arr    alice PD       0:00      1 (Priority)\n"
"             11946       cpu     held    alice PD       0:00      1 (JobHeldUser)\n"
"             11945       cpu    begin    alice PD       0:00      1 (BeginTime)\n"
"             11944       cpu   depend    alice PD       0:00      1 (Dependency)\n"
"             11943       cpu priority    alice PD       0:00      1 (Priority)\n"
"             11942       cpu resource    alice PD       0:00      1 (Resources)\n"
"             11941       cpu  running    alice  R       0:04      1 vm\n",
	    "squeue -S -i");
	free(s);

	/* --start shows pending jobs only; the command filters, we drop
	 * the running job here. */
	s = squeue(jobs + 1, n - 1, FMT_SQUEUE_START, false, "S", false, 0);
	is_str(s,
"             JOBID PARTITION     NAME     USER ST          START_TIME  NODES SCHEDNODES           NODELIST(REASON)\n"
"             11945       cpu    begin    alice PD 2026-11-22T04:34:05      1 (null)               (BeginTime)\n"
"             11942       cpu resource    alice PD                 N/A      1 (null)               (Resources)\n"
"             11943       cpu priority    alice PD                 N/A      1 (null)               (Priority)\n"
"             11944       cpu   depend    alice PD                 N/A      1 (null)               (Dependency)\n"
"             11946       cpu     held    alice PD                 N/A      1 (null)               (JobHeldUser)\n"
"       11947_[0-5]       cpu      arr    alice PD                 N/A      1 (null)               (Priority)\n"
"             11948     debug      dbg    alice PD                 N/A      1 (null)               (Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions)\n",
	    "squeue --start");
	free(s);

	s = squeue(jobs, n, FMT_SQUEUE_DEFAULT, false, NULL, true, 0);
	is_str(s,
"             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)\n"
"             11942       cpu resource    alice PD       0:00      1 (Resources)\n"
"             11943       cpu priority    alice PD       0:00      1 (Priority)\n"
"             11944       cpu   depend    alice PD       0:00      1 (Dependency)\n"
"             11945       cpu    begin    alice PD       0:00      1 (BeginTime)\n"
"           11947_0       cpu      arr    alice PD       0:00      1 (Priority)\n"
"           11947_1       cpu      arr    alice PD       0:00      1 (Priority)\n"
"           11947_2       cpu      arr    alice PD       0:00      1 (Priority)\n"
"           11947_3       cpu      arr    alice PD       0:00      1 (Priority)\n"
"           11947_4       cpu      arr    alice PD       0:00      1 (Priority)\n"
"           11947_5       cpu      arr    alice PD       0:00      1 (Priority)\n"
"             11946       cpu     held    alice PD       0:00      1 (JobHeldUser)\n"
"             11941       cpu  running    alice  R       0:04      1 vm\n"
"             11948     debug      dbg    alice PD       0:00      1 (Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions)\n",
	    "squeue -r");
	free(s);

	test_squeue_split();
	test_squeue_split_many();

	s = squeue(jobs, n, "%i %A %a %F %K %T %Q %p", false, "i", false, 0);
	ok(strstr(s, "JOBID JOBID ACCOUNT ARRAY_JOB_ID ARRAY_TASK_ID STATE "
	    "PRIORITY PRIORITY\n11941 11941 users 11941 N/A RUNNING "
	    "4294899869 0.99998430116102\n") != NULL, "%%A %%a %%F %%K %%p");
	/* 40_scontrol: Priority=4294899863 shows as 0.99998429976403. */
	ok(strstr(s, "\n11948 11948 users 11948 N/A PENDING 4294899863 "
	    "0.99998429976403\n") != NULL, "%%p as Slurm rounds it");
	free(s);

	s = squeue(jobs, n, "%i %q", false, NULL, false, 0);
	free(s);
	s = squeue(jobs, n, "%i %y", false, "bogus", false, 0);
	is_str(s, "Invalid sort specification: b", "bad sort key");
	free(s);
	s = squeue(jobs, n, "%i %(", false, NULL, false, 0);
	is_str(s, "Invalid job format specification: (", "bad letter");
	free(s);
	s = squeue(jobs, n, "JobID,Nope", true, NULL, false, 0);
	is_str(s, "Invalid job format specification: Nope", "bad -O name");
	free(s);
	s = squeue(jobs, n, "%i%%%t", false, "i", false, FMT_NOHEADER);
	ok(strncmp(s, "11941%R\n", 8) == 0, "%%%% is a literal");
	free(s);
	for (size_t i = 0; i < n; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/* 02_sbatch_errors: %.6i %.8j %.9T %.25r %C %D %l %E */
static void
test_squeue_errors(void)
{
	struct job *jobs[3];
	char *s;

	jobs[0] = mkjob(11874, "wrap", "cpu", JOB_PENDING);
	jobs[0]->reason = WAIT_PART_CONFIG;
	jobs[0]->ncpus = 999;
	jobs[0]->priority = 3;
	jobs[1] = mkjob(11875, "wrap", "cpu", JOB_PENDING);
	jobs[1]->reason = WAIT_PART_CONFIG;
	jobs[1]->ncpus = 3;
	jobs[1]->min_nodes = 2;
	jobs[1]->priority = 2;
	jobs[2] = mkjob(11884, "wrap", "cpu", JOB_PENDING);
	jobs[2]->reason = WAIT_PART_CONFIG;
	jobs[2]->time_limit = 60;
	jobs[2]->priority = 1;
	s = squeue(jobs, 3, "%.6i %.8j %.9T %.25r %C %D %l %E", false, NULL,
	    false, 0);
	is_str(s,
" JOBID     NAME     STATE                    REASON CPUS NODES TIME_LIMIT DEPENDENCY\n"
" 11874     wrap   PENDING           PartitionConfig 999 1 UNLIMITED (null)\n"
" 11875     wrap   PENDING           PartitionConfig 3 2 UNLIMITED (null)\n"
" 11884     wrap   PENDING           PartitionConfig 1 1 1:00:00 (null)\n",
	    "squeue %%C %%D %%l %%E");
	free(s);
	for (size_t i = 0; i < 3; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/* 50_sacct's jobs. */
static size_t
sacct_jobs(struct job **v)
{
	struct job *j;
	size_t n = 0;

	j = v[n++] = mkjob(11867, "timeout_job", "cpu", JOB_TIMEOUT);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = utc(4, 20, 46);
	j->end_time = utc(4, 22, 13);
	j->time_limit = 1;
	j->nodelist = xstrdup("vm");
	j->reason = FAIL_TIMEOUT;
	j->batch_state = JOB_CANCELLED;
	j->batch_status = SIGNALED(15);
	j->max_rss_kb = 3088;
	j->max_vsize_kb = 5512;
	j = v[n++] = mkjob(11868, "sig_job", "cpu", JOB_COMPLETE);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = utc(4, 20, 46);
	j->end_time = utc(4, 21, 13);
	j->time_limit = 2;
	j->nodelist = xstrdup("vm");
	j->batch_state = JOB_COMPLETE;
	j = v[n++] = mkjob(11869, "fail3", "cpu", JOB_FAILED);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = j->end_time = utc(4, 21, 14);
	j->nodelist = xstrdup("vm");
	j->exit_status = EXITED(3);
	j->batch_state = JOB_FAILED;
	j->batch_status = EXITED(3);
	j = v[n++] = mkjob(11870, "ok_job", "cpu", JOB_COMPLETE);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = j->end_time = utc(4, 21, 17);
	j->nodelist = xstrdup("vm");
	j->batch_state = JOB_COMPLETE;
	j = v[n++] = mkjob(11871, "cancel_me", "cpu", JOB_CANCELLED);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = j->end_time = utc(4, 20, 44);
	j->time_limit = NO_VAL;
	j->kill_uid = 2001;
	j = v[n++] = mkjob(11872, "oom_job", "cpu", JOB_FAILED);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = utc(4, 21, 20);
	j->end_time = utc(4, 21, 21);
	j->nodelist = xstrdup("vm");
	j->mem_mb = 200;
	j->exit_status = SIGNALED(9);
	j->kill_uid = 0;
	j->batch_state = JOB_CANCELLED;
	j->batch_status = SIGNALED(9);
	j->max_rss_kb = 215516;
	j->max_vsize_kb = 221444;
	j = v[n++] = mkjob(11873, "steps_job", "cpu", JOB_COMPLETE);
	j->submit_time = j->eligible_time = utc(4, 20, 44);
	j->start_time = utc(4, 21, 23);
	j->end_time = utc(4, 21, 24);
	j->nodelist = xstrdup("vm");
	j->batch_state = JOB_COMPLETE;
	return n;
}

/* Rows for the jobs, with 11873's three srun steps. */
static size_t
sacct_rows(struct acct_row *rows, struct job **jobs, size_t n, bool x)
{
	static const char *names[] = { "true", "false", "named_step" };
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		size_t jr = m;

		m += acct_rows_for_job(rows + m, jobs[i], x);
		if (jobs[i]->id != 11873 || x)
			continue;
		for (uint32_t k = 0; k < 3; k++) {
			memset(&rows[m], 0, sizeof rows[m]);
			rows[m].kind = ACCT_STEP;
			rows[m].job = jobs[i];
			rows[m].step_id = k;
			rows[m].step_name = names[k];
			rows[m].state = k == 1 ? JOB_FAILED : JOB_COMPLETE;
			rows[m].status = k == 1 ? EXITED(1) : 0;
			rows[m].start = utc(4, 21, 23);
			rows[m].end = utc(4, 21, k == 2 ? 24 : 23);
			rows[m].ncpus = 1;
			/* as cmd-sacct.c: the job's DerivedExitCode */
			if (rows[m].status > rows[jr].derived)
				rows[jr].derived = rows[m].status;
			m++;
		}
	}
	return m;
}

static char *
sacct(const char *fmt, enum fmt_mode mode, bool x, int flags,
    const uint32_t *only, size_t nonly)
{
	struct job *jobs[16];
	struct acct_row rows[32];
	const void *ptrs[32];
	struct fmt_list l;
	size_t n, m, k = 0;
	char *cause = NULL, *s;

	n = sacct_jobs(jobs);
	m = sacct_rows(rows, jobs, n, x);
	for (size_t i = 0; i < m; i++) {
		bool keep = nonly == 0;

		for (size_t q = 0; q < nonly; q++)
			keep |= rows[i].job->id == only[q];
		if (keep)
			ptrs[k++] = &rows[i];
	}
	if (fmt_parse_acct(&l, &fmt_acct_table, fmt, &cause) != 0)
		s = cause;
	else {
		l.mode = mode;
		s = render(&l, ptrs, k, utc(4, 24, 17), flags);
		fmt_list_free(&l);
	}
	for (size_t i = 0; i < n; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
	return s;
}

static void
test_sacct(void)
{
	static const uint32_t early[] = { 11867, 11868 };
	static const uint32_t no_steps[] = { 11867, 11868, 11869, 11870,
	    11871, 11872 };
	char *s;

	s = sacct(FMT_SACCT_DEFAULT, FMT_MARK, false, 0, NULL, 0);
	is_str(s,
"JobID           JobName  Partition    Account  AllocCPUS      State ExitCode \n"
"------------ ---------- ---------- ---------- ---------- ---------- -------- \n"
"11867        timeout_j+        cpu      users          1    TIMEOUT      0:0 \n"
"11867.batch       batch                 users          1  CANCELLED     0:15 \n"
"11868           sig_job        cpu      users          1  COMPLETED      0:0 \n"
"11868.batch       batch                 users          1  COMPLETED      0:0 \n"
"11869             fail3        cpu      users          1     FAILED      3:0 \n"
"11869.batch       batch                 users          1     FAILED      3:0 \n"
"11870            ok_job        cpu      users          1  COMPLETED      0:0 \n"
"11870.batch       batch                 users          1  COMPLETED      0:0 \n"
"11871         cancel_me        cpu      users          1 CANCELLED+      0:0 \n"
"11872           oom_job        cpu      users          1     FAILED      0:9 \n"
"11872.batch       batch                 users          1 CANCELLED+      0:9 \n"
"11873         steps_job        cpu      users          1  COMPLETED      0:0 \n"
"11873.batch       batch                 users          1  COMPLETED      0:0 \n"
"11873.0            true                 users          1  COMPLETED      0:0 \n"
"11873.1           false                 users          1     FAILED      1:0 \n"
"11873.2      named_step                 users          1  COMPLETED      0:0 \n",
	    "sacct default");
	free(s);

	s = sacct(FMT_SACCT_DEFAULT, FMT_MARK, true, FMT_NOHEADER, NULL, 0);
	is_str(s,
"11867        timeout_j+        cpu      users          1    TIMEOUT      0:0 \n"
"11868           sig_job        cpu      users          1  COMPLETED      0:0 \n"
"11869             fail3        cpu      users          1     FAILED      3:0 \n"
"11870            ok_job        cpu      users          1  COMPLETED      0:0 \n"
"11871         cancel_me        cpu      users          1 CANCELLED+      0:0 \n"
"11872           oom_job        cpu      users          1     FAILED      0:9 \n"
"11873         steps_job        cpu      users          1  COMPLETED      0:0 \n",
	    "sacct -X -n");
	free(s);

	s = sacct(FMT_SACCT_DEFAULT, FMT_PARSABLE2, false, 0, NULL, 0);
	is_str(s,
"JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode\n"
"11867|timeout_job|cpu|users|1|TIMEOUT|0:0\n"
"11867.batch|batch||users|1|CANCELLED|0:15\n"
"11868|sig_job|cpu|users|1|COMPLETED|0:0\n"
"11868.batch|batch||users|1|COMPLETED|0:0\n"
"11869|fail3|cpu|users|1|FAILED|3:0\n"
"11869.batch|batch||users|1|FAILED|3:0\n"
"11870|ok_job|cpu|users|1|COMPLETED|0:0\n"
"11870.batch|batch||users|1|COMPLETED|0:0\n"
"11871|cancel_me|cpu|users|1|CANCELLED by 2001|0:0\n"
"11872|oom_job|cpu|users|1|FAILED|0:9\n"
"11872.batch|batch||users|1|CANCELLED by 0|0:9\n"
"11873|steps_job|cpu|users|1|COMPLETED|0:0\n"
"11873.batch|batch||users|1|COMPLETED|0:0\n"
"11873.0|true||users|1|COMPLETED|0:0\n"
"11873.1|false||users|1|FAILED|1:0\n"
"11873.2|named_step||users|1|COMPLETED|0:0\n",
	    "sacct -P");
	free(s);

	s = sacct(FMT_SACCT_DEFAULT, FMT_PARSABLE, false, 0, early, 2);
	is_str(s,
"JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode|\n"
"11867|timeout_job|cpu|users|1|TIMEOUT|0:0|\n"
"11867.batch|batch||users|1|CANCELLED|0:15|\n"
"11868|sig_job|cpu|users|1|COMPLETED|0:0|\n"
"11868.batch|batch||users|1|COMPLETED|0:0|\n",
	    "sacct -p");
	free(s);

	s = sacct("JobID,JobName,State,ExitCode,Elapsed,MaxRSS,AllocCPUS,"
	    "ReqMem", FMT_MARK, false, 0, NULL, 0);
	is_str(s,
"JobID           JobName      State ExitCode    Elapsed     MaxRSS  AllocCPUS     ReqMem \n"
"------------ ---------- ---------- -------- ---------- ---------- ---------- ---------- \n"
"11867        timeout_j+    TIMEOUT      0:0   00:01:27                     1      1000M \n"
"11867.batch       batch  CANCELLED     0:15   00:01:27      3088K          1            \n"
"11868           sig_job  COMPLETED      0:0   00:00:27                     1      1000M \n"
"11868.batch       batch  COMPLETED      0:0   00:00:27                     1            \n"
"11869             fail3     FAILED      3:0   00:00:00                     1      1000M \n"
"11869.batch       batch     FAILED      3:0   00:00:00                     1            \n"
"11870            ok_job  COMPLETED      0:0   00:00:00                     1      1000M \n"
"11870.batch       batch  COMPLETED      0:0   00:00:00                     1            \n"
"11871         cancel_me CANCELLED+      0:0   00:00:00                     1      1000M \n"
"11872           oom_job     FAILED      0:9   00:00:01                     1       200M \n"
"11872.batch       batch CANCELLED+      0:9   00:00:01    215516K          1            \n"
"11873         steps_job  COMPLETED      0:0   00:00:01                     1      1000M \n"
"11873.batch       batch  COMPLETED      0:0   00:00:01                     1            \n"
"11873.0            true  COMPLETED      0:0   00:00:00                     1            \n"
"11873.1           false     FAILED      1:0   00:00:00                     1            \n"
"11873.2      named_step  COMPLETED      0:0   00:00:01                     1            \n",
	    "sacct --format with Elapsed, MaxRSS, ReqMem");
	free(s);

	/* 11873's DerivedExitCode (1:0) needs its steps: left out. */
	s = sacct("JobID,JobName%30,State%15,ExitCode,DerivedExitCode",
	    FMT_MARK, false, 0, no_steps, 6);
	is_str(s,
"JobID                               JobName           State ExitCode DerivedExitCode \n"
"------------ ------------------------------ --------------- -------- --------------- \n"
"11867                           timeout_job         TIMEOUT      0:0             0:0 \n"
"11867.batch                           batch       CANCELLED     0:15                 \n"
"11868                               sig_job       COMPLETED      0:0             0:0 \n"
"11868.batch                           batch       COMPLETED      0:0                 \n"
"11869                                 fail3          FAILED      3:0             0:0 \n"
"11869.batch                           batch          FAILED      3:0                 \n"
"11870                                ok_job       COMPLETED      0:0             0:0 \n"
"11870.batch                           batch       COMPLETED      0:0                 \n"
"11871                             cancel_me CANCELLED by 2+      0:0             0:0 \n"
"11872                               oom_job          FAILED      0:9             0:0 \n"
"11872.batch                           batch  CANCELLED by 0      0:9                 \n",
	    "sacct %%N widths and + truncation");
	free(s);

	s = sacct("JobID,State,Submit,Eligible,Start,End,Elapsed,Timelimit,"
	    "NodeList,WorkDir%25", FMT_MARK, true, 0, NULL, 0);
	is_str(s,
"JobID             State              Submit            Eligible               Start                 End    Elapsed  Timelimit        NodeList                   WorkDir \n"
"------------ ---------- ------------------- ------------------- ------------------- ------------------- ---------- ---------- --------------- ------------------------- \n"
"11867           TIMEOUT 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:20:46 2026-11-22T04:22:13   00:01:27   00:01:00              vm          /tmp/golden_work \n"
"11868         COMPLETED 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:20:46 2026-11-22T04:21:13   00:00:27   00:02:00              vm          /tmp/golden_work \n"
"11869            FAILED 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:21:14 2026-11-22T04:21:14   00:00:00  UNLIMITED              vm          /tmp/golden_work \n"
"11870         COMPLETED 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:21:17 2026-11-22T04:21:17   00:00:00  UNLIMITED              vm          /tmp/golden_work \n"
"11871        CANCELLED+ 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:20:44   00:00:00 Partition+   None assigned          /tmp/golden_work \n"
"11872            FAILED 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:21:20 2026-11-22T04:21:21   00:00:01  UNLIMITED              vm          /tmp/golden_work \n"
"11873         COMPLETED 2026-11-22T04:20:44 2026-11-22T04:20:44 2026-11-22T04:21:23 2026-11-22T04:21:24   00:00:01  UNLIMITED              vm          /tmp/golden_work \n",
	    "sacct -X times, limits, nodes, workdir");
	free(s);

	s = sacct(FMT_SACCT_LONG, FMT_PARSABLE2, false, FMT_NOHEADER, early,
	    2);
	is_str(s,
"11867|11867|timeout_job|cpu||||||||||||||||||1|00:01:27|TIMEOUT|0:0||Unknown|Unknown|Unknown|1000M||||||||||billing=1,cpu=1,mem=1000M,node=1|billing=1,cpu=1,mem=1000M,node=1|||||||||||||\n"
"11867.batch|11867.batch|batch||5512K|vm|0|5512K|3088K|vm|0|3088K|0|vm|0|0|00:00:00|vm|0|00:00:00|1|1|00:01:27|CANCELLED|0:15|0|0|0|0||0|0.00M|vm|0|0.00M|0.00M|vm|0|0.00M||cpu=1,mem=1000M,node=1|cpu=00:00:00,energy=0,fs/disk=0,mem=3088K,pages=0,vmem=5512K|cpu=00:00:00,energy=0,fs/disk=0,mem=3088K,pages=0,vmem=5512K|cpu=vm,energy=vm,fs/disk=vm,mem=vm,pages=vm,vmem=vm|cpu=0,fs/disk=0,mem=0,pages=0,vmem=0|cpu=00:00:00,energy=0,fs/disk=0,mem=3088K,pages=0,vmem=5512K|cpu=vm,energy=vm,fs/disk=vm,mem=vm,pages=vm,vmem=vm|cpu=0,fs/disk=0,mem=0,pages=0,vmem=0|cpu=00:00:00,energy=0,fs/disk=0,mem=3088K,pages=0,vmem=5512K|energy=0,fs/disk=0|energy=vm,fs/disk=vm|fs/disk=0|energy=0,fs/disk=0|energy=0,fs/disk=0\n"
"11868|11868|sig_job|cpu||||||||||||||||||1|00:00:27|COMPLETED|0:0||Unknown|Unknown|Unknown|1000M||||||||||billing=1,cpu=1,mem=1000M,node=1|billing=1,cpu=1,mem=1000M,node=1|||||||||||||\n"
"11868.batch|11868.batch|batch||||||||||||||||||1|1|00:00:27|COMPLETED|0:0|0|0|0|0||0||||||||||cpu=1,mem=1000M,node=1|energy=0|||||||energy=0||||energy=0|energy=0\n",
	    "sacct -l -P (usage columns approximated for 11867.batch)");
	free(s);

	/* 50_sacct `sacct -l -P`: a job row's ConsumedEnergy is 0 for the
	 * job cancelled while pending and the one with srun steps, empty
	 * for batch-only jobs; every step row 0. */
	s = sacct("JobID,ConsumedEnergy,ConsumedEnergyRaw", FMT_PARSABLE2,
	    false, FMT_NOHEADER, NULL, 0);
	is_str(s,
"11867||\n11867.batch|0|0\n11868||\n11868.batch|0|0\n11869||\n"
"11869.batch|0|0\n11870||\n11870.batch|0|0\n11871|0|0\n11872||\n"
"11872.batch|0|0\n11873|0|0\n11873.batch|0|0\n11873.0|0|0\n"
"11873.1|0|0\n11873.2|0|0\n", "ConsumedEnergy: 0 unless an allocation "
	    "without srun steps");
	free(s);

	s = sacct("NoSuchField", FMT_MARK, false, 0, NULL, 0);
	is_str(s, "Invalid field requested: \"NoSuchField\"", "bad field");
	free(s);
	s = sacct("jobidraw,state%20", FMT_MARK, true, FMT_NOHEADER, early,
	    1);
	is_str(s, "11867                     TIMEOUT \n", "case-insensitive");
	free(s);
}

/* 12_sbatch_array: JobID and JobIDRaw of array tasks. */
static void
test_sacct_array(void)
{
	struct job *jobs[4];
	struct acct_row rows[4];
	const void *ptrs[4];
	struct fmt_list l;
	char *cause = NULL, *s;
	static const uint32_t raw[] = { 11899, 11900, 11901, 11898 };

	for (uint32_t t = 0; t < 4; t++) {
		jobs[t] = mkjob(raw[t], "array.sh", "cpu", JOB_COMPLETE);
		jobs[t]->array_job_id = 11898;
		jobs[t]->array_task_id = t;
	}
	/* sacct sorts by array job id and task. */
	{
		const struct job *v[4] = { jobs[3], jobs[1], jobs[0],
		    jobs[2] };

		acct_sort_jobs(v, 4);
		for (size_t i = 0; i < 4; i++)
			acct_rows_for_job(&rows[i], v[i], true);
	}
	for (size_t i = 0; i < 4; i++)
		ptrs[i] = &rows[i];
	ok(fmt_parse_acct(&l, &fmt_acct_table,
	    "JobID,JobIDRaw,JobName,State,ExitCode", &cause) == 0, "parse");
	s = render(&l, ptrs, 4, 0, 0);
	is_str(s,
"JobID        JobIDRaw        JobName      State ExitCode \n"
"------------ ------------ ---------- ---------- -------- \n"
"11898_0      11899          array.sh  COMPLETED      0:0 \n"
"11898_1      11900          array.sh  COMPLETED      0:0 \n"
"11898_2      11901          array.sh  COMPLETED      0:0 \n"
"11898_3      11898          array.sh  COMPLETED      0:0 \n",
	    "sacct array tasks");
	free(s);
	{
		/* The same lines appended to a buffer in two pieces. */
		struct buf b;

		buf_init(&b);
		fmt_print_buf(&b, &l, ptrs, 1, NULL, 0);
		fmt_print_buf(&b, &l, ptrs + 1, 3, NULL, FMT_NOHEADER);
		s = render(&l, ptrs, 4, 0, 0);
		is_str(b.data, s, "fmt_print_buf in pieces prints the same");
		free(s);
		buf_free(&b);
	}
	ok(!fmt_acct_reads_steps(&l), "no column reads steps");
	ok((fmt_acct_omit(&l) & job_field_bit(offsetof(struct job,
	    workdir))) != 0 && (fmt_acct_omit(&l) & job_field_bit(offsetof(
	    struct job, name))) == 0, "sacct omits the working directory");
	fmt_list_free(&l);
	ok(fmt_parse_acct(&l, &fmt_acct_table,
	    "JobID,WorkDir,DerivedExitCode", &cause) == 0, "parse");
	ok(fmt_acct_reads_steps(&l), "DerivedExitCode reads steps");
	ok((fmt_acct_omit(&l) & job_field_bit(offsetof(struct job,
	    workdir))) == 0 && (fmt_acct_omit(&l) & job_field_bit(offsetof(
	    struct job, std_out))) != 0, "unless WorkDir is printed");
	fmt_list_free(&l);
	for (size_t i = 0; i < 4; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/*
 * A running batch job has a running ID.batch step (slurmctld records it
 * when it launches the script; Snakemake's `sacct -P -n --format=JobIdRaw,
 * State -j ID` polls see it); an allocation has none, -X drops it.
 */
static void
test_sacct_running(void)
{
	struct job *run, *alloc;
	struct acct_row rows[6];
	const void *ptrs[6];
	struct fmt_list l;
	char *cause = NULL, *s;
	size_t n = 0;

	run = mkjob(11941, "running", "cpu", JOB_RUNNING);
	run->submit_time = run->eligible_time = run->start_time =
	    utc(4, 23, 0);
	alloc = mkjob(11942, "interactive", "cpu", JOB_RUNNING);
	alloc->start_time = utc(4, 23, 0);
	alloc->flags |= JOB_F_INTERACTIVE;
	is_int(acct_rows_for_job(rows, run, true), 1, "-X: the job row only");
	n += acct_rows_for_job(rows + n, run, false);
	n += acct_rows_for_job(rows + n, alloc, false);
	is_int(n, 3, "a running batch job has two rows, an allocation one");
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &rows[i];
	ok(fmt_parse_acct(&l, &fmt_acct_table,
	    "JobIDRaw,JobName,State,ExitCode,Elapsed,End", &cause) == 0,
	    "parse");
	l.mode = FMT_PARSABLE2;
	s = render(&l, ptrs, n, utc(4, 24, 17), FMT_NOHEADER);
	is_str(s,
	    "11941|running|RUNNING|0:0|00:01:17|Unknown\n"
	    "11941.batch|batch|RUNNING|0:0|00:01:17|Unknown\n"
	    "11942|interactive|RUNNING|0:0|00:01:17|Unknown\n",
	    "sacct -P: the running job's .batch row is RUNNING");
	free(s);
	fmt_list_free(&l);
	job_free(run);
	free(run);
	job_free(alloc);
	free(alloc);
}

/* The one-record form of a pending array (job.array_spec), as in
 * 12_sbatch_array: folded "11898_[0-3%2]", or one line per task. */
static void
test_array_record(void)
{
	struct job *a = mkjob(11898, "array.sh", "cpu", JOB_PENDING);
	struct job *v, *ptr[4];
	size_t n;
	char *s;

	a->array_job_id = 11898;
	a->array_task_id = NO_VAL;
	a->array_spec = xstrdup("0-3");
	a->array_max_running = 2;
	s = fmt_job_array_pending(a);
	is_str(s, "0-3%2", "pending set with its throttle");
	free(s);
	s = squeue(&a, 1, "%i %K %T", false, NULL, false, FMT_NOHEADER);
	is_str(s, "11898_[0-3%2] 0-3%2 PENDING\n", "squeue folds the record");
	free(s);
	v = fmt_job_unfold(a, 1, &n, NULL);
	is_int(n, 4, "unfold: one job per task");
	for (size_t i = 0; i < 4 && i < n; i++)
		ptr[i] = &v[i];
	s = squeue(ptr, n, "%i %A %K", false, NULL, true, FMT_NOHEADER);
	is_str(s, "11898_0 11898 0\n11898_1 11898 1\n11898_2 11898 2\n"
	    "11898_3 11898 3\n", "squeue -r");
	free(s);
	free(v);
	free(a->array_spec);
	a->array_spec = xstrdup("1,3,5-9:2");
	a->array_max_running = 0;
	s = fmt_job_array_pending(a);
	is_str(s, "1,3,5,7,9", "steps expanded, no throttle");
	free(s);
	job_free(a);
	free(a);
}

static void
test_helpformat(void)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	fmt_acct_helpformat(fp);
	fclose(fp);
	ok(strncmp(s,
"Account             AdminComment        AllocCPUS           AllocNodes         \n"
"AllocTRES           AssocID             AveCPU              AveCPUFreq         \n",
	    160) == 0, "sacct -e first lines");
	ok(len > 100 && strcmp(s + len - 100,
"User                UserCPU             WCKey               WCKeyID            \n"
"WorkDir            \n") == 0, "sacct -e last lines");
	ok(strstr(s, "\nTRESUsageOutMinNode TRESUsageOutMinTask TRESUsageOutTot"
	    "     UID                \n") != NULL, "sacct -e middle");
	free(s);
}


/* Odds and ends: finished jobs in the default view, dependencies, start
 * times, the sacct array record, prefixes and auto widths. */
static void
test_more(void)
{
	struct job *jobs[8];
	const struct job *sorted[8];
	struct fmt_job_rec recs[8];
	struct acct_row rows[8];
	const void *ptrs[8];
	struct fmt_list l;
	char *s, *cause = NULL;
	size_t m;

	jobs[0] = mkjob(11871, "cancel_me", "cpu", JOB_CANCELLED);
	jobs[1] = mkjob(11867, "timeout_job", "cpu", JOB_TIMEOUT);
	jobs[1]->start_time = SQ_NOW - 200;
	jobs[1]->end_time = SQ_NOW - 113;
	jobs[1]->nodelist = xstrdup("vm");
	jobs[1]->reason = FAIL_TIMEOUT;
	jobs[2] = mkjob(11922, "norq", "cpu", JOB_CANCELLED);
	jobs[2]->start_time = SQ_NOW - 10;
	jobs[2]->end_time = SQ_NOW - 9;
	jobs[2]->nodelist = xstrdup("vm");
	/* priority/basic's numbers: the lower id first (30_squeue's
	 * --states=all: 11871 before 11922 by priority, not start time) */
	for (size_t i = 0; i < 3; i++)
		jobs[i]->priority = 0xffff0000u - jobs[i]->id;
	s = squeue(jobs, 3, FMT_SQUEUE_DEFAULT, false, NULL, false,
	    FMT_NOHEADER);
	is_str(s,
"             11871       cpu cancel_m    alice CA       0:00      1 \n"
"             11922       cpu     norq    alice CA       0:01      1 vm\n"
"             11867       cpu timeout_    alice TO       1:27      1 (TimeLimit)\n",
	    "finished jobs: empty node list, (TimeLimit), TIME from end");
	free(s);
	for (size_t i = 0; i < 3; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}

	/* 13_sbatch_dependency and 14_sbatch_begin_hold */
	jobs[0] = mkjob(11917, "multi", "cpu", JOB_PENDING);
	jobs[0]->reason = WAIT_DEP_INVALID;
	jobs[0]->dependency = xstrdup("afterok:11908(unfulfilled),"
	    "afterok:11910(failed),afterany:11915(unfulfilled)");
	jobs[1] = mkjob(11919, "begin60", "cpu", JOB_PENDING);
	jobs[1]->reason = WAIT_BEGIN_TIME;
	jobs[1]->start_time = utc(4, 24, 7);
	s = squeue(jobs, 2, "%.8i %.20j %.10T %.25r %E %S", false, "i", false,
	    0);
	is_str(s,
"   JOBID                 NAME      STATE                    REASON DEPENDENCY START_TIME\n"
"   11917                multi    PENDING  DependencyNeverSatisfied afterok:11908(unfulfilled),afterok:11910(failed),afterany:11915(unfulfilled) N/A\n"
"   11919              begin60    PENDING                 BeginTime (null) 2026-11-22T04:24:07\n",
	    "%%E and %%S");
	free(s);
	for (size_t i = 0; i < 2; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}

	/*
	 * 41_scancel as the daemon keeps it: the array's record (the tasks
	 * left in it when the rest was cancelled), task 3 held on its own
	 * (split off as 11951), then all cancelled while pending.  Each is
	 * a row of its own, task 3 first (real Slurm: ID_3 and
	 * ID_[0-1,4-5]); nothing merges them.
	 */
	jobs[0] = mkjob(11947, "arr", "cpu", JOB_CANCELLED);
	jobs[0]->array_spec = xstrdup("0-1,4-5");
	jobs[1] = mkjob(11951, "arr", "cpu", JOB_CANCELLED);
	jobs[1]->array_task_id = 3;
	for (size_t i = 0; i < 2; i++) {
		jobs[i]->array_job_id = 11947;
		jobs[i]->kill_uid = 2001;
	}
	sorted[0] = jobs[0];
	sorted[1] = jobs[1];
	acct_sort_jobs(sorted, 2);
	for (size_t i = 0; i < 2; i++) {
		recs[i].job = sorted[i];
		recs[i].array_tasks = recs[i].reason = NULL;
	}
	m = fmt_job_array_rows(recs, 2);
	is_int(m, 2, "sacct: a split task and its array record: two rows");
	for (size_t i = 0; i < m; i++) {
		acct_rows_for_job(&rows[i], recs[i].job, true);
		rows[i].array_tasks = recs[i].array_tasks;
		ptrs[i] = &rows[i];
	}
	ok(fmt_parse_acct(&l, &fmt_acct_table,
	    "JobID,JobIDRaw,JobName,State,ExitCode,Reason%20", &cause) == 0,
	    "parse");
	s = render(&l, ptrs, m, SQ_NOW, FMT_NOHEADER);
	is_str(s,
	    "11947_3      11951               arr CANCELLED+      0:0       "
	    "          None \n"
	    "11947_[0-1,+ 11947               arr CANCELLED+      0:0       "
	    "          None \n", "sacct: the split task, then the array "
	    "record with the tasks left in it");
	free(s);
	fmt_list_free(&l);
	/* Two tasks of one array that never ran (held one by one, then
	 * cancelled) stay two rows, as in Slurm. */
	jobs[0]->array_task_id = 2;
	free(jobs[0]->array_spec);
	jobs[0]->array_spec = NULL;
	jobs[0]->id = 11950;
	recs[0].job = jobs[0];
	recs[1].job = jobs[1];
	for (size_t i = 0; i < 2; i++)
		fmt_job_rec_free(&recs[i]);
	m = fmt_job_array_rows(recs, 2);
	ok(m == 2 && recs[0].array_tasks == NULL &&
	    recs[1].array_tasks == NULL, "sacct: unstarted tasks do not "
	    "merge");
	for (size_t i = 0; i < 2; i++) {
		fmt_job_rec_free(&recs[i]);
		job_free(jobs[i]);
		free(jobs[i]);
	}

	/* A prefix, a literal suffix and '#' auto width (sinfo's %#P). */
	jobs[0] = mkjob(7, "a", "cpu", JOB_PENDING);
	jobs[1] = mkjob(8, "longer_name", "debug", JOB_PENDING);
	recs[0].job = jobs[0];
	recs[1].job = jobs[1];
	recs[0].array_tasks = recs[0].reason = NULL;
	recs[1].array_tasks = recs[1].reason = NULL;
	ptrs[0] = &recs[0];
	ptrs[1] = &recs[1];
	ok(fmt_parse_letters(&l, &fmt_job_table, "job", "id=%i [%#j]|%-6P|",
	    &cause) == 0, "parse prefix and auto width");
	s = render(&l, ptrs, 2, SQ_NOW, 0);
	is_str(s,
"id=JOBID [NAME       ]|PARTIT|\n"
"id=7 [a          ]|cpu   |\n"
"id=8 [longer_name]|debug |\n", "prefix, suffix, auto width");
	free(s);
	fmt_list_free(&l);
	ok(fmt_parse_letters(&l, &fmt_job_table, "job", "%all", &cause) == 0,
	    "%%all");
	s = render(&l, ptrs, 1, SQ_NOW, 0);
	ok(strncmp(s, "ACCOUNT|TRES_PER_NODE|MIN_CPUS|MIN_TMP_DISK|END_TIME|",
	    53) == 0 && strstr(s, "|WORK_DIR\nusers|N/A|1|0|N/A|") != NULL,
	    "%%all prints every letter");
	free(s);
	fmt_list_free(&l);
	for (size_t i = 0; i < 2; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/* -S with string keys (ranked), reversed keys and ties. */
static void
test_sort_keys(void)
{
	struct job *jobs[6];
	char *s;

	jobs[0] = mkjob(1, "b", "cpu", JOB_PENDING);
	jobs[1] = mkjob(2, "a", "gpu", JOB_RUNNING);
	jobs[2] = mkjob(3, "b", "cpu", JOB_RUNNING);
	jobs[3] = mkjob(4, "x", "cpu", JOB_PENDING);
	free(jobs[3]->name);
	jobs[3]->name = NULL;		/* sorts as "" */
	jobs[4] = mkjob(5, "a", "cpu", JOB_PENDING);
	jobs[5] = mkjob(6, "b", "gpu", JOB_PENDING);
	for (int i = 0; i < 6; i++)
		jobs[i]->priority = (uint32_t)(10 * (i % 3));

	s = squeue(jobs, 6, "%i", false, "-j,P,i", false, FMT_NOHEADER);
	is_str(s, "1\n3\n6\n5\n2\n4\n", "-S -j,P,i");
	free(s);
	s = squeue(jobs, 6, "%i", false, "t,-i", false, FMT_NOHEADER);
	is_str(s, "6\n5\n4\n1\n3\n2\n", "-S t,-i");
	free(s);
	/* Default P,t,-p; equal keys of jobs without a start time come
	 * newest first (test_sort_ties). */
	s = squeue(jobs, 6, "%i", false, NULL, false, FMT_NOHEADER);
	is_str(s, "5\n4\n1\n3\n6\n2\n", "default sort P,t,-p");
	free(s);
	s = squeue(jobs, 6, "%i", false, "u", false, FMT_NOHEADER);
	is_str(s, "6\n5\n4\n3\n2\n1\n",
	    "-S u: all equal, no start times: newest first");
	free(s);
	/* With start times, equal ones keep the list order. */
	for (int i = 0; i < 6; i++)
		jobs[i]->start_time = SQ_NOW;
	s = squeue(jobs, 6, "%i", false, "u", false, FMT_NOHEADER);
	is_str(s, "1\n2\n3\n4\n5\n6\n",
	    "-S u: all equal, same start time: oldest first");
	free(s);
	for (int i = 0; i < 6; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/*
 * Jobs that sort equal, as real squeue 22.05.8 listed them (checked on
 * the reference cluster, ids as there): running 102; array 103 (0-3)
 * whose tasks 1 and 2 were held one by one (split off as 105 and 107),
 * held jobs 104 and 106 submitted between.  slurmctld's list is 102,
 * 105, 104, 107, 106, 103; each start-time sort reverses the jobs
 * without a start time.
 */
static void
test_sort_ties(void)
{
	static const struct {
		uint32_t	 id, task, prio;
		const char	*name, *spec;
	} d[] = {
		{ 102, NO_VAL, 4294901699u, "r", NULL },
		{ 103, NO_VAL, 4294901698u, "x", "0,3" },
		{ 104, NO_VAL, 0, "y", NULL },
		{ 105, 1, 0, "x", NULL },
		{ 106, NO_VAL, 0, "z", NULL },
		{ 107, 2, 0, "x", NULL },
	};
	struct job *jobs[nitems(d)], flat[nitems(d)];
	uint32_t places[nitems(d)];
	char *s;

	for (size_t i = 0; i < nitems(d); i++) {
		jobs[i] = mkjob(d[i].id, d[i].name, "cpu", i == 0 ?
		    JOB_RUNNING : JOB_PENDING);
		jobs[i]->priority = d[i].prio;
		if (d[i].name[0] == 'x')
			jobs[i]->array_job_id = 103;
		jobs[i]->array_task_id = d[i].task;
		if (d[i].spec != NULL)
			jobs[i]->array_spec = xstrdup(d[i].spec);
		jobs[i]->reason = d[i].prio == 0 ? WAIT_HELD_USER :
		    WAIT_NO_REASON;
		flat[i] = *jobs[i];
	}
	jobs[0]->start_time = SQ_NOW - 60;
	fmt_job_places(flat, nitems(d), places);
	ok(places[0] == 102 && places[1] == 107 && places[2] == 104 &&
	    places[3] == 103 && places[4] == 106 && places[5] == 105,
	    "places: a split task takes its array's place, the array the "
	    "last split's");

	s = squeue(jobs, nitems(d), "%i", false, NULL, true, FMT_NOHEADER);
	is_str(s, "103_0\n103_3\n106\n103_2\n104\n103_1\n102\n",
	    "-r: held jobs and tasks newest in the list first");
	free(s);
	jobs[1]->priority = 0;		/* scontrol hold 103 */
	s = squeue(jobs, nitems(d), "%i", false, NULL, true, FMT_NOHEADER);
	is_str(s, "103_0\n103_3\n106\n103_2\n104\n103_1\n102\n",
	    "-r, all held");
	free(s);
	s = squeue(jobs, nitems(d), "%i", false, NULL, false, FMT_NOHEADER);
	is_str(s, "103_[0-3]\n106\n104\n102\n",
	    "all held: the array's line at its record's place");
	free(s);
	s = squeue(jobs, nitems(d), "%i", false, "S,i", false, FMT_NOHEADER);
	is_str(s, "102\n106\n104\n103_[0-3]\n",
	    "-S S,i: the S sort reverses the i order of unknown starts");
	free(s);
	s = squeue(jobs, nitems(d), "%i", false, "i,S", false, FMT_NOHEADER);
	is_str(s, "102\n103_[0-3]\n104\n106\n", "-S i,S");
	free(s);
	s = squeue(jobs, nitems(d), "%i", false, "-S", false, FMT_NOHEADER);
	is_str(s, "102\n104\n106\n103_[0-3]\n",
	    "-S -S: unknown starts last, in list order (reversed twice)");
	free(s);

	/* scontrol release 103: each task its own priority again. */
	jobs[1]->priority = 4294901697u;
	jobs[3]->priority = 4294901695u;
	jobs[5]->priority = 4294901696u;
	s = squeue(jobs, nitems(d), "%i", false, "-i", true, FMT_NOHEADER);
	is_str(s, "106\n104\n103_0\n103_3\n103_2\n103_1\n102\n",
	    "-r -S -i: the array record sorts as one job (task NO_VAL), its "
	    "tasks in order");
	free(s);
	s = squeue(jobs, nitems(d), "%i", false, "i", true, FMT_NOHEADER);
	is_str(s, "102\n103_1\n103_2\n103_0\n103_3\n104\n106\n",
	    "-r -S i: split tasks before the array record's");
	free(s);
	for (size_t i = 0; i < nitems(d); i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

/*
 * Tasks of one array run two at a time (real Slurm: array 114 0-5 on two
 * CPUs, tasks split off as 115-119, the last one in 114 itself):
 * squeue -t all lists the tasks that started together in list order.
 */
static void
test_sort_tasks_started(void)
{
	struct job *jobs[6];
	char *s;

	for (uint32_t i = 0; i < 6; i++) {
		jobs[i] = mkjob(114 + i, "e", "cpu", JOB_COMPLETE);
		jobs[i]->array_job_id = 114;
		jobs[i]->array_task_id = i == 0 ? 5 : i - 1;
		jobs[i]->priority = 4294901691u;
		jobs[i]->start_time = SQ_NOW - 60 + 4 *
		    (int64_t)(jobs[i]->array_task_id / 2);
		jobs[i]->end_time = jobs[i]->start_time + 3;
	}
	s = squeue(jobs, 6, "%i", false, NULL, true, FMT_NOHEADER);
	is_str(s, "114_4\n114_5\n114_2\n114_3\n114_0\n114_1\n",
	    "finished tasks: latest start first, then list order");
	free(s);
	for (size_t i = 0; i < 6; i++) {
		job_free(jobs[i]);
		free(jobs[i]);
	}
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_tables();
	test_times();
	test_cells();
	test_squeue();
	test_squeue_errors();
	test_sacct();
	test_sacct_array();
	test_sacct_running();
	test_array_record();
	test_helpformat();
	test_more();
	test_sort_keys();
	test_sort_ties();
	test_sort_tasks_started();
	test_sprio();
	return done_testing();
}
