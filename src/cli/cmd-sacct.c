/* SPDX-License-Identifier: MIT */
/*
 * sacct: accounting rows for finished and active jobs.  Asks the daemon
 * with MSG_ACCT_QUERY and a job_filter, filters again on the client (array
 * tasks, steps, accounts, states), orders the jobs by id, gives an
 * array's pending record its row "ID_[0-1,4-5]" (the tasks still in it;
 * each task split off it has its own row, as in Slurm's database),
 * expands each job into its job row and ID.batch row, and
 * prints them through the field table of src/fmt/fields-acct.c.  With -X
 * and no DerivedExitCode column (no steps needed) the rows are made as
 * the listing's parts arrive, in the order the daemon sends (sacct's).
 *
 * Copies Slurm 22.05: the default format and widths with the dashed line,
 * -P/-p/-n/-X/-b/-l/-e, -o lists with case-insensitive (prefix) names and
 * %N widths (repeated -o/-j add up), "Invalid field requested" (exit 1),
 * exit 0 when nothing matches, the default window (since midnight unless
 * -j is given), non-root users seeing only their own jobs unless -a/-u.
 * -S/-E take Slurm's time words (now, now-1hours, midnight, dates),
 * interpreted in the past as Slurm's parse_time(.., past=1) does.
 * With -s, a job in a final state must have ended in the window, whose
 * -E defaults to its -S (Slurm's defaults, 50_sacct).
 * Differs: --delimiter, --json/--yaml, -c, -k/-K, -W are not supported;
 * -s PD and -s R take pending and running jobs in their current state
 * rather than "was in that state during the window".
 */
#include <ctype.h>
#include "gnuopt.h"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/parse.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../fmt/fmt.h"
#include "../proto/proto.h"
#include "../proto/step.h"
#include "cli.h"

struct sel {
	uint32_t	 id;
	uint32_t	 task;		/* NO_VAL: any */
	int		 step;		/* -1 any, -2 batch, >= 0 step N */
};

struct sacct_opts {
	struct buf	 fields;	/* -o lists, comma-joined */
	const char	*clusters;	/* -M; NULL: this one (or -L) */
	enum fmt_mode	 mode;
	const char	*delim;		/* --delimiter, for -p/-P */
	bool		 noheader;
	bool		 allocations;
	bool		 allusers;
	bool		 brief;
	bool		 longfmt;
	bool		 helpformat;
	struct sel	*sels;
	size_t		 nsels;
	bool		 any_id;	/* -j 0: every job, -j's window */
	uint32_t	 states;
	char		**users;
	struct job_match m;		/* -n -p -A -q -w, client side */
	int64_t		 start, end;
	bool		 have_start, have_end;
	int64_t		 now;
};

static const struct option longopts[] = {
	{ "allusers",	no_argument,	   NULL, 'a' },
	{ "accounts",	required_argument, NULL, 'A' },
	{ "account",	required_argument, NULL, 'A' },
	{ "allocations", no_argument,	   NULL, 'X' },
	{ "brief",	no_argument,	   NULL, 'b' },
	{ "clusters",	required_argument, NULL, 'M' },
	{ "delimiter",	required_argument, NULL, 0x106 },
	{ "duplicates",	no_argument,	   NULL, 'D' },
	{ "endtime",	required_argument, NULL, 'E' },
	{ "format",	required_argument, NULL, 'o' },
	{ "help",	no_argument,	   NULL, 0x101 },
	{ "helpformat",	no_argument,	   NULL, 'e' },
	{ "jobs",	required_argument, NULL, 'j' },
	{ "job",	required_argument, NULL, 'j' },
	{ "long",	no_argument,	   NULL, 'l' },
	{ "allclusters", no_argument,	   NULL, 'L' },
	{ "name",	required_argument, NULL, 0x102 },
	{ "noconvert",	no_argument,	   NULL, 0x103 },
	{ "nodelist",	required_argument, NULL, 'N' },
	{ "noheader",	no_argument,	   NULL, 'n' },
	{ "parsable",	no_argument,	   NULL, 'p' },
	{ "parsable2",	no_argument,	   NULL, 'P' },
	{ "partition",	required_argument, NULL, 'r' },
	{ "qos",	required_argument, NULL, 'q' },
	{ "starttime",	required_argument, NULL, 'S' },
	{ "state",	required_argument, NULL, 's' },
	{ "truncate",	no_argument,	   NULL, 'T' },
	{ "uid",	required_argument, NULL, 'u' },
	{ "units",	required_argument, NULL, 0x105 },
	{ "usage",	no_argument,	   NULL, 0x104 },
	{ "user",	required_argument, NULL, 'u' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL,		0,		   NULL, 0 }
};

static const char usage_text[] =
"Usage: sacct [options]\n"
"\tUse --help for help\n";

static const char help_text[] =
"sacct [<OPTION>]\n"
"    Valid <OPTION> values are:\n"
"     -a, --allusers:\n"
"\t           Display jobs for all users. By default, only the\n"
"\t           current user's jobs are displayed.  If ran by user root\n"
"\t           this is the default.\n"
"     -A, --accounts:\n"
"\t           Use this comma separated list of accounts to select jobs\n"
"\t           to display.  By default, all accounts are selected.\n"
"     -b, --brief:\n"
"\t           Equivalent to '--format=jobid,state,exitcode'. This option\n"
"\t           has no effect if --dump is specified.\n"
"     --delimiter:\n"
"\t           ASCII characters used to separate the fields when\n"
"\t           specifying the  -p  or  -P options. The default delimiter\n"
"\t           is a '|'. This option is ignored if -p or -P options\n"
"\t           are not specified.\n"
"     -e, --helpformat:\n"
"\t           Print a list of fields that can be specified with the\n"
"\t           '--format' option\n"
"     -E, --endtime:\n"
"\t           Select jobs eligible before this time.  If states are\n"
"\t           given with the -s option then return jobs in this state\n"
"\t           before this period.\n"
"     -h, --help: Print this description of use.\n"
"     -j, --jobs:\n"
"\t           Format is <job(.step)>. Display information about this\n"
"\t           job or comma-separated list of jobs. The default is all\n"
"\t           jobs. Adding .step will display the specific job step of\n"
"\t           that job. (A step id of 'batch' will display the\n"
"\t           information about the batch step.)\n"
"     -l, --long:\n"
"\t           Equivalent to specifying\n"
"\t           '--format=jobid,jobidraw,jobname,partition,maxvmsize,\n"
"\t           maxvmsizenode,maxvmsizetask,avevmsize,maxrss,maxrssnode,\n"
"\t           maxrsstask,averss,maxpages,maxpagesnode,maxpagestask,\n"
"\t           avepages,mincpu,mincpunode,mincputask,avecpu,ntasks,\n"
"\t           alloccpus,elapsed,state,exitcode,avecpufreq,reqcpufreqmin,\n"
"\t           reqcpufreqmax,reqcpufreqgov,reqmem,consumedenergy,\n"
"\t           maxdiskread,maxdiskreadnode,maxdiskreadtask,avediskread,\n"
"\t           maxdiskwrite,maxdiskwritenode,maxdiskwritetask,avediskwrite,\n"
"\t           reqtres,alloctres,tresusageinave,tresusageinmax,\n"
"\t           tresusageinmaxn,tresusageinmaxt,tresusageinmin,\n"
"\t           tresusageinminn,tresusageinmint,tresusageintot,\n"
"\t           tresusageoutmax,tresusageoutmaxn,tresusageoutmaxt,\n"
"\t           tresusageoutave,tresusageouttot\n"
"     -L, --allclusters:\n"
"\t           Display jobs ran on all clusters. By default, only jobs\n"
"\t           ran on the cluster from where sacct is called are\n"
"\t           displayed.\n"
"     -n, --noheader:\n"
"\t           No header will be added to the beginning of output.\n"
"\t           The default is to print a header.\n"
"     --name:\n"
"\t           Display jobs that have any of these name(s).\n"
"     -N, --nodelist:\n"
"\t           Display jobs that ran on any of these nodes.\n"
"     -o, --format:\n"
"\t           Comma separated list of fields. (use \"--helpformat\"\n"
"\t           for a list of available fields).\n"
"     -p, --parsable: output will be '|' delimited with a '|' at the end\n"
"     -P, --parsable2: output will be '|' delimited without a '|' at the end\n"
"     -q, --qos:\n"
"\t           Only send data about jobs using these qos.  Default is all.\n"
"     -r, --partition:\n"
"\t           Comma separated list of partitions to select jobs and\n"
"\t           job steps from. The default is all partitions.\n"
"     -s, --state:\n"
"\t           Select jobs based on their current state or the state\n"
"\t           they were in during the time period given: running (r),\n"
"\t           completed (cd), failed (f), timeout (to), resizing (rs),\n"
"\t           deadline (dl) and node_fail (nf).\n"
"     -S, --starttime:\n"
"\t           Select jobs eligible after this time.  Default is\n"
"\t           00:00:00 of the current day, unless '-s' is set then\n"
"\t           the default is 'now'.\n"
"     -u, --uid, --user:\n"
"\t           Use this comma separated list of uids or user names\n"
"\t           to select jobs to display.  By default, the running\n"
"\t           user's uid is used.\n"
"     --units=[KMGTP]:\n"
"\t           Display values in specified unit type. Takes precedence\n"
"\t           over --noconvert option.\n"
"     --usage: Display brief usage message.\n"
"     -v, --verbose:\n"
"\t           Primarily for debugging purposes, report the state of\n"
"\t           various variables during processing.\n"
"     -V, --version: Print version.\n"
"     -X, --allocations:\n"
"\t           Only show statistics relevant to the job allocation\n"
"\t           itself, not taking steps into consideration.\n";

/* The steps Slurm names instead of numbering (slurm_addto_step_list). */
static bool
named_step(const char *s)
{
	return strcmp(s, "batch") == 0 || strcmp(s, "extern") == 0 ||
	    strcmp(s, "interactive") == 0;
}

/*
 * slurm_addto_step_list's words for a bad -j item, checked in its order:
 * the step after ".", then the array task after "_", then the job id;
 * each message names what is left before the part it cut off.
 */
static void
bad_sel(const char *item)
{
	char *name = xstrdup(item), *dot, *under, *end;

	if ((dot = strchr(name, '.')) != NULL) {
		*dot++ = '\0';
		if (!named_step(dot) && (strtoul(dot, &end, 10),
		    *end != '\0' || end == dot)) {
			fprintf(stderr, "sacct: fatal: Bad step specified: "
			    "%s\n", name);
			goto out;
		}
	}
	if ((under = strchr(name, '_')) != NULL) {
		*under++ = '\0';
		if (*under != '[' && (strtoul(under, &end, 10),
		    *end != '\0' || end == under)) {
			fprintf(stderr, "sacct: fatal: Bad job array element "
			    "specified: %s\n", name);
			goto out;
		}
	}
	fprintf(stderr, "sacct: fatal: Bad job/step specified: %s\n", name);
out:
	free(name);
}

/*
 * A number as slurm_addto_step_list reads one, with atoi: strtol (which
 * stops at LONG_MAX) cast to int, kept in 32 bits, so J+2^32 is J.
 */
static uint32_t
atoi32(const char *s, char **end)
{
	long long v;

	v = strtoll(s, end, 10);	/* saturates at LLONG_MAX */
	return (uint32_t)(unsigned long long)v;
}

/*
 * "ID", "ID_N", "ID_[..]", "ID.batch", "ID.N", comma or space separated;
 * "ID.extern" and "ID.interactive" too, which select no row (berth has
 * neither step: no PrologFlags=contain, no interactive step).  The
 * numbers are 32 bits as in Slurm (checked on 22.05.8): -j 4294967297
 * is job 1, and job 0 (-j 0, -j 4294967296) is every job unless other
 * ids are given, with -j's window (from the epoch).
 */
static int
parse_sel(struct sacct_opts *o, const char *s)
{
	char **v, *end;
	uint32_t id, task;
	int step;
	bool bad;

	v = strv_split(s, ", ", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		bad = !isdigit((unsigned char)v[i][0]);
		id = atoi32(v[i], &end);
		task = NO_VAL;
		step = -1;
		if (*end == '_') {
			if (end[1] == '[')	/* the whole array */
				end += strcspn(end, "]") + (strchr(end, ']') ?
				    1 : 0);
			else if (isdigit((unsigned char)end[1]))
				task = atoi32(end + 1, &end);
			else
				bad = true;
		}
		if (*end == '.') {
			if (named_step(end + 1)) {
				step = strcmp(end + 1, "batch") == 0 ? -2 : -4;
				end += strlen(end);
			} else if (isdigit((unsigned char)end[1]))
				step = (int)strtol(end + 1, &end, 10);
		}
		if (bad || *end != '\0') {
			bad_sel(v[i]);
			strv_free(v);
			return -1;
		}
		if (id == 0) {
			o->any_id = true;
			continue;
		}
		o->sels = xreallocarray(o->sels, o->nsels + 1,
		    sizeof *o->sels);
		o->sels[o->nsels].id = id;
		o->sels[o->nsels].task = task;
		o->sels[o->nsels].step = step;
		o->nsels++;
	}
	strv_free(v);
	return 0;
}

static int
parse_states(struct sacct_opts *o, const char *s)
{
	char **v;
	int st;

	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		if ((st = job_state_parse(v[i])) < 0) {
			fprintf(stderr, "sacct: fatal: unrecognized job state "
			    "value '%s'\n", v[i]);
			strv_free(v);
			return -1;
		}
		o->states |= 1u << st;
	}
	strv_free(v);
	return 0;
}

static bool
has_year(const char *s)
{
	for (size_t n = 0; *s != '\0'; s++) {
		n = isdigit((unsigned char)*s) ? n + 1 : 0;
		if (n == 4 && s[1] == '-')
			return true;
	}
	return false;
}

/*
 * sacct reads times "in the past" (Slurm's parse_time(.., 1)): a bare
 * clock time or "midnight" that would be ahead is yesterday's, a date
 * without a year that would be ahead is last year's.
 */
static int
parse_past_time(const char *s, int64_t now, int64_t *out)
{
	struct tm tm;
	time_t t;

	if (parse_begin_time(s, now, out) != 0)
		return -1;
	if (*out <= now || strcasestr(s, "now") != NULL ||
	    strcasestr(s, "today") != NULL ||
	    strcasestr(s, "tomorrow") != NULL || has_year(s))
		return 0;
	if (strchr(s, ':') != NULL || isalpha((unsigned char)s[0])) {
		*out -= 86400;		/* a time of day: yesterday's */
		return 0;
	}
	t = (time_t)*out;		/* a date: last year's */
	localtime_r(&t, &tm);
	tm.tm_year--;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

static int64_t
midnight_today(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static bool
sel_matches(const struct sel *s, const struct job *j)
{
	if (s->task == NO_VAL)
		return s->id == j->id ||
		    (j->array_job_id != 0 && s->id == j->array_job_id);
	return job_is_task(j, s->id, s->task);
}

static bool
keep_job(const struct sacct_opts *o, const struct job *j)
{
	bool sel = o->nsels == 0;

	for (size_t i = 0; i < o->nsels && !sel; i++)
		sel = sel_matches(&o->sels[i], j);
	if (!sel)
		return false;
	if (o->states != 0 && !(o->states & (1u << j->state)))
		return false;
	/*
	 * -s with a final state: the job ended in that state within the
	 * window [-S, -E] (slurmdbd's _state_time_string); pending and
	 * running jobs are taken in their current state.
	 */
	if (o->states != 0 && j->state != JOB_PENDING &&
	    j->state != JOB_RUNNING && (j->end_time < o->start ||
	    j->end_time > (o->end != 0 ? o->end : o->now)))
		return false;
	/*
	 * The daemon filtered on -u (it resolves user names: this binary
	 * links statically, without NSS); an empty -u list matches nothing.
	 */
	if (o->users != NULL && o->users[0] == NULL)
		return false;
	return job_match(&o->m, j);
}

/*
 * With "-j ID.batch" or "-j ID.N" only that step's row is shown; a plain
 * "-j ID" shows the job and all its steps.
 */
static bool
keep_row(const struct sacct_opts *o, const struct acct_row *r)
{
	int step;

	if (o->nsels == 0)
		return true;
	step = r->kind == ACCT_JOB ? -3 : r->kind == ACCT_BATCH ? -2 :
	    (int)r->step_id;
	for (size_t i = 0; i < o->nsels; i++)
		if (sel_matches(&o->sels[i], r->job) &&
		    (o->sels[i].step == -1 || o->sels[i].step == step))
			return true;
	return false;
}

/*
 * The steps of the listed jobs (MSG_STEP_QUERY), in job and step id
 * order; none on error (the job rows still print).
 */
static struct step *
get_steps(const struct fmt_job_rec *recs, size_t n, size_t *nsteps)
{
	struct step *v;
	uint32_t *ids;

	*nsteps = 0;
	if (n == 0)
		return NULL;
	ids = xcalloc(n, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = recs[i].job->id;
	v = client_steps(ids, (uint32_t)n, nsteps);
	free(ids);
	return v;
}

/* A step's place in the daemon's list, for finding a job's steps. */
struct step_ref {
	uint32_t	 job_id;
	uint32_t	 i;
};

static int
step_ref_cmp(const void *a, const void *b)
{
	const struct step_ref *x = a, *y = b;

	if (x->job_id != y->job_id)
		return x->job_id < y->job_id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The steps by job id, each job's in the daemon's order. */
static struct step_ref *
steps_by_job(const struct step *steps, size_t n)
{
	struct step_ref *v;

	v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].job_id = steps[i].job_id;
		v[i].i = (uint32_t)i;
	}
	qsort(v, n, sizeof *v, step_ref_cmp);
	return v;
}

/* The first of job id's steps in v (n if it has none). */
static size_t
first_step(const struct step_ref *v, size_t n, uint32_t id)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].job_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
get_jobs(const struct sacct_opts *o, uint64_t omit, client_list_fn *each,
    void *arg, struct job_list *jl)
{
	struct job_filter f;
	struct msg req;
	uint32_t errcode = 0;
	char *errtext = NULL;
	int rc;

	memset(&f, 0, sizeof f);
	if (o->nsels > 0) {
		f.ids = xcalloc(o->nsels, sizeof *f.ids);
		for (size_t i = 0; i < o->nsels; i++)
			f.ids[i] = o->sels[i].id;
		f.nids = (uint32_t)o->nsels;
	}
	f.states = o->states;
	f.users = o->users;
	f.names = o->m.names;
	f.partitions = o->m.partitions;
	f.start = o->start;
	f.end = o->end;
	if (o->allusers)
		f.flags |= FILTER_F_ALL_USERS;
	f.flags |= FILTER_F_PARTS;
	f.omit = omit;
	msg_init(&req);
	proto_filter_put(&req, &f);
	free(f.ids);
	/* (stored records come whole: their long strings are skipped) */
	rc = client_request_list_some(MSG_ACCT_QUERY, &req, omit, each, arg,
	    jl, &errcode, &errtext);
	msg_free(&req);
	if (rc == 1 && errcode == BERTH_EUSER && o->users != NULL) {
		/* Slurm names the user it could not resolve. */
		const char *bad = NULL;
		char *cause = NULL;

		for (size_t i = 0; o->users[i] != NULL && bad == NULL; i++) {
			if (client_user_known(o->users[i], NULL, &cause) == 0)
				bad = o->users[i];
			free(cause);
			cause = NULL;
		}
		if (bad != NULL) {
			cli_err("%s: %s", errtext, bad);
			free(errtext);
			return -1;
		}
	}
	if (rc == 1) {
		cli_err("%s", errtext);
		free(errtext);
	}
	return rc == 0 ? 0 : -1;
}

/*
 * The rows of every job of jl: filtered, sorted, unstarted array tasks
 * merged, their steps asked for (unless -X without DerivedExitCode),
 * then printed.
 */
static void
print_all(const struct sacct_opts *o, const struct fmt_list *l,
    const struct job_list *jl, int64_t now)
{
	struct fmt_ctx ctx;
	struct acct_row *rows;
	const struct job **sorted;
	struct fmt_job_rec *recs;
	struct step *steps = NULL;
	struct step_ref *byjob;
	const void **ptrs;
	size_t nsorted = 0, nrows = 0, k, nsteps = 0;

	sorted = xcalloc(jl->n + 1, sizeof *sorted);
	for (size_t i = 0; i < jl->n; i++)
		if (keep_job(o, &jl->jobs[i]))
			sorted[nsorted++] = &jl->jobs[i];
	acct_sort_jobs(sorted, nsorted);
	recs = xcalloc(nsorted + 1, sizeof *recs);
	for (size_t i = 0; i < nsorted; i++)
		recs[i].job = sorted[i];
	nsorted = fmt_job_array_rows(recs, nsorted);
	/*
	 * Steps: their rows, and the jobs' DerivedExitCode (with -X only
	 * when that is printed).
	 */
	if (!o->allocations || fmt_acct_reads_steps(l))
		steps = get_steps(recs, nsorted, &nsteps);
	byjob = steps_by_job(steps, nsteps);
	rows = xreallocarray(NULL, (o->allocations ? 1 : 2) * nsorted +
	    nsteps + 1, sizeof *rows);
	for (size_t i = 0; i < nsorted; i++) {
		const struct job *j = recs[i].job;
		size_t jr = nrows;

		k = acct_rows_for_job(rows + nrows, j, o->allocations);
		rows[nrows].array_tasks = recs[i].array_tasks;
		nrows += k;
		if (recs[i].array_tasks != NULL || nsteps == 0)
			continue;
		/* ID.0, ID.1, ... after ID.batch (steps come in order). */
		for (size_t s = first_step(byjob, nsteps, j->id);
		    s < nsteps && byjob[s].job_id == j->id; s++) {
			const struct step *st = &steps[byjob[s].i];

			if (!o->allocations)
				acct_row_for_step(&rows[nrows++], j, st);
			if (st->exit_status > rows[jr].derived)
				rows[jr].derived = st->exit_status;
		}
	}
	free(byjob);
	k = 0;
	ptrs = xcalloc(nrows + 1, sizeof *ptrs);
	for (size_t i = 0; i < nrows; i++)
		if (keep_row(o, &rows[i]))
			ptrs[k++] = &rows[i];

	memset(&ctx, 0, sizeof ctx);
	ctx.now = now;
	fmt_print(stdout, l, ptrs, k, &ctx, o->noheader ? FMT_NOHEADER : 0);
	for (size_t i = 0; i < nsteps; i++)
		step_free(&steps[i]);
	free(steps);
	for (size_t i = 0; i < nsorted; i++)
		fmt_job_rec_free(&recs[i]);
	free(recs);
	free(sorted);
	free(rows);
	free(ptrs);
}

/*
 * sacct -X without DerivedExitCode needs no steps, so its rows are made
 * while the listing arrives: the daemon sends the records in sacct's
 * order (acct_sort_jobs; rpc-query.c), and each part's records are
 * filtered, merged and formatted, then dropped, so the next part decodes
 * into the same (cached) memory.  The lines gather in pieces written
 * once the listing is complete (a failure midway prints nothing, as
 * before).  The records of a part's last job or array wait for the next
 * part, which may bring more of its tasks.  Records out of order (not
 * from this daemon) make it ask again and sort (print_all).
 */
#define OUT_PIECE	(128 * 1024)

struct acct_stream {
	const struct sacct_opts	*o;
	const struct fmt_list	*l;
	struct fmt_ctx		 ctx;
	struct buf		*out;		/* pieces of about OUT_PIECE */
	size_t			 nout;
	struct job		 prev;		/* the last record handled */
	bool			 have_prev;
	bool			 header;	/* header printed or not wanted */
	bool			 disorder;
	struct fmt_job_rec	*recs;		/* scratch, cap each */
	struct acct_row		*rows;
	const void		**ptrs;
	size_t			 cap;
};

static uint32_t
display_id(const struct job *j)
{
	return j->array_job_id != 0 ? j->array_job_id : j->id;
}

static void
stream_part(void *arg, struct job_list *jl, bool last)
{
	struct acct_stream *sp = arg;
	const struct job *j;
	struct buf *b;
	size_t to = jl->n, n = 0, nrows = 0, k = 0;

	if (sp->disorder)
		return;
	if (!last)
		while (to > 0 && display_id(&jl->jobs[to - 1]) ==
		    display_id(&jl->jobs[jl->n - 1]))
			to--;
	if (to > sp->cap) {
		sp->cap = to;
		sp->recs = xreallocarray(sp->recs, sp->cap, sizeof *sp->recs);
		sp->rows = xreallocarray(sp->rows, sp->cap, sizeof *sp->rows);
		sp->ptrs = xreallocarray(sp->ptrs, sp->cap, sizeof *sp->ptrs);
	}
	for (size_t i = 0; i < to; i++) {
		j = &jl->jobs[i];
		if (sp->have_prev && acct_job_order(&sp->prev, j) > 0) {
			sp->disorder = true;
			return;
		}
		/* (what acct_job_order reads) */
		sp->prev.id = j->id;
		sp->prev.array_job_id = j->array_job_id;
		sp->prev.array_task_id = j->array_task_id;
		sp->have_prev = true;
		if (!keep_job(sp->o, j))
			continue;
		memset(&sp->recs[n], 0, sizeof sp->recs[n]);
		sp->recs[n++].job = j;
	}
	n = fmt_job_array_rows(sp->recs, n);
	for (size_t i = 0; i < n; i++) {
		/* -X: one row per job */
		acct_rows_for_job(&sp->rows[nrows], sp->recs[i].job, true);
		sp->rows[nrows++].array_tasks = sp->recs[i].array_tasks;
	}
	for (size_t i = 0; i < nrows; i++)
		if (keep_row(sp->o, &sp->rows[i]))
			sp->ptrs[k++] = &sp->rows[i];
	if (k > 0 || (last && !sp->header)) {
		if (sp->nout == 0 || sp->out[sp->nout - 1].len >= OUT_PIECE) {
			sp->out = xreallocarray(sp->out, sp->nout + 1,
			    sizeof *sp->out);
			b = &sp->out[sp->nout++];
			buf_init(b);
			buf_reserve(b, OUT_PIECE + 64 * 1024);
		}
		b = &sp->out[sp->nout - 1];
		fmt_print_buf(b, sp->l, sp->ptrs, k, &sp->ctx,
		    sp->header ? FMT_NOHEADER : 0);
		sp->header = true;
	}
	for (size_t i = 0; i < n; i++)
		fmt_job_rec_free(&sp->recs[i]);
	/* Done with [0, to): the next part decodes after the rest. */
	if (to > 0) {
		memmove(jl->jobs, jl->jobs + to, (jl->n - to) *
		    sizeof *jl->jobs);
		jl->n -= to;
	}
}

static void
add_fields(struct sacct_opts *o, const char *s)
{
	if (o->fields.len > 0)
		buf_addc(&o->fields, ',');
	buf_adds(&o->fields, s);
}

int
cmd_sacct(int argc, char **argv)
{
	struct sacct_opts o;
	struct fmt_list l;
	struct job_list jl;
	struct acct_stream sp;
	char *cause = NULL;
	const char *fields, *env;
	int64_t now = now_sec();
	bool stream;
	int ch;

	/*
	 * A listing of many jobs allocates and frees a few large blocks
	 * (the reply as read, as loaded, as decoded): keep them all on the
	 * heap and never give memory back, so later blocks reuse the pages
	 * of freed ones instead of faulting in new ones.
	 */
#ifdef M_MMAP_THRESHOLD	/* glibc; musl's allocator has no such knobs */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);	/* the maximum */
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
	memset(&o, 0, sizeof o);
	buf_init(&o.fields);
	o.mode = FMT_MARK;
	optind = 1;
	while ((ch = getopt_long(argc, argv,
	    "aA:bDeE:hj:lLM:nN:o:pPq:r:s:S:Tu:vVX", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			o.allusers = true;
			break;
		case 'A':
			strv_free(o.m.accounts);
			o.m.accounts = strv_split(optarg, ",", NULL);
			break;
		case 'b':
			o.brief = true;
			break;
		case 'L':
			o.clusters = NULL;	/* all: this one */
			break;
		case 'M':
			o.clusters = optarg;
			break;
		case 'D':
		case 'T':
		case 'v':
		case 0x103:
			break;
		case 'e':
			o.helpformat = true;
			break;
		case 'E':
			if (parse_past_time(optarg, now, &o.end) != 0) {
				/* parse_time's own line (berth's parser
				 * does not report the position). */
				fprintf(stderr, "Invalid time specification "
				    "(pos=0): %s\n", optarg);
				return 1;
			}
			o.have_end = true;
			break;
		case 'h':
		case 0x101:
			fputs(help_text, stdout);
			return 0;
		case 'j':
			if (parse_sel(&o, optarg) != 0)
				return 1;
			break;
		case 'l':
			o.longfmt = true;
			break;
		case 'n':
			o.noheader = true;
			break;
		case 'N':
			free(o.m.nodes);
			o.m.nodes = xstrdup(optarg);
			break;
		case 'o':
			add_fields(&o, optarg);
			break;
		case 'p':
			o.mode = FMT_PARSABLE;
			break;
		case 'P':
			o.mode = FMT_PARSABLE2;
			break;
		case 'q':
			strv_free(o.m.qos);
			o.m.qos = strv_split(optarg, ",", NULL);
			break;
		case 'r':
			strv_free(o.m.partitions);
			o.m.partitions = strv_split(optarg, ",", NULL);
			break;
		case 's':
			if (parse_states(&o, optarg) != 0)
				return 1;
			break;
		case 'S':
			if (parse_past_time(optarg, now, &o.start) != 0) {
				/* parse_time's own line (berth's parser
				 * does not report the position). */
				fprintf(stderr, "Invalid time specification "
				    "(pos=0): %s\n", optarg);
				return 1;
			}
			o.have_start = true;
			break;
		case 'u':
			strv_free(o.users);
			o.users = strv_split(optarg, ",", NULL);
			if (o.users[0] != NULL && strcmp(o.users[0], "-1") ==
			    0) {
				strv_free(o.users);
				o.users = NULL;
				o.allusers = true;
			}
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case 'X':
			o.allocations = true;
			break;
		case 0x102:
			strv_free(o.m.names);
			o.m.names = strv_split(optarg, ",", NULL);
			break;
		case 0x104:
			fputs(usage_text, stdout);
			return 0;
		case 0x106:
			o.delim = optarg;
			break;
		case 0x105: {
			/* Slurm's get_unit_type(): the first letter. */
			const char *u = strchr("KMGTP", toupper(
			    (unsigned char)optarg[0]));

			if (optarg[0] == '\0' || u == NULL) {
				cli_err("Invalid unit type '%c'. Possible "
				    "options are 'KMGTP'", optarg[0]);
				fprintf(stderr, "%s: fatal: Invalid unit "
				    "type\n", cli_prog);
				return 1;
			}
			fmt_mem_set_unit((int)(u - "KMGTP") + 1);
			break;
		}
		default:
			/* getopt said it; Slurm's sacct adds nothing. */
			return 1;
		}
	}
	if (optind < argc) {
		cli_err("Unknown arguments:");
		for (int i = optind; i < argc; i++)
			cli_err(" %s", argv[i]);
		return 1;
	}
	if (o.helpformat) {
		fmt_acct_helpformat(stdout);
		return 0;
	}

	/* Fields: -o lists, else -b/-l/default; -l adds to -o as in Slurm. */
	if (o.brief)
		add_fields(&o, FMT_SACCT_BRIEF);
	else if (o.longfmt)
		add_fields(&o, FMT_SACCT_LONG);
	/* SACCT_FORMAT stands in for -o when neither -o, -b nor -l is
	 * given, as in Slurm. */
	fields = o.fields.len > 0 ? o.fields.data : FMT_SACCT_DEFAULT;
	if (o.fields.len == 0 && (env = getenv("SACCT_FORMAT")) != NULL &&
	    *env != '\0')
		fields = env;
	if (fmt_parse_acct(&l, &fmt_acct_table, fields, &cause) != 0) {
		cli_err("%s", cause);
		return 1;
	}
	l.mode = o.mode;
	l.delim = o.delim;

	/*
	 * -M naming no cluster of berth's (its ClusterName, any case, or
	 * "all"): Slurm's database has no jobs of such a cluster, so the
	 * header and no row, exit 0, without a word (real sacct 22.05).
	 */
	if (o.clusters != NULL) {
		char *name, **unknown;
		int rc;

		rc = client_clusters(o.clusters, &name, &unknown);
		free(name);
		strv_free(unknown);
		if (rc == -1)
			return 1;
		if (rc == 0) {
			memset(&sp.ctx, 0, sizeof sp.ctx);
			sp.ctx.now = now;
			fmt_print(stdout, &l, NULL, 0, &sp.ctx,
			    o.noheader ? FMT_NOHEADER : 0);
			fflush(stdout);
			return ferror(stdout) ? 1 : 0;
		}
	}

	/* Whose jobs and when. */
	if (o.users == NULL && !o.allusers) {
		if (getuid() == 0)
			o.allusers = true;
		else {
			o.users = xcalloc(2, sizeof *o.users);
			xasprintf(&o.users[0], "%u", (unsigned)getuid());
		}
	}
	/*
	 * Slurm's default window (slurmdb_job_cond_def_start_end): with -s,
	 * -S defaults to now (unless -j is given) and -E to -S, so
	 * "sacct -s F -S 2000-01-01" asks for jobs that failed on that
	 * second (02: nothing); without -s, -S defaults to midnight unless
	 * -j is given; -E defaults to now.
	 */
	o.now = now;
	if (o.states != 0) {
		if (!o.have_start && o.nsels == 0 && !o.any_id)
			o.start = now;
		if (o.start != 0 && !o.have_end)
			o.end = o.start;
	} else if (!o.have_start && o.nsels == 0 && !o.any_id)
		o.start = midnight_today(now);
	/* Slurm's sacct refuses a window that ends before it starts
	 * ("sacct -E now-1days": -S is midnight). */
	if (o.start != 0 && o.start > (o.end != 0 ? o.end : now)) {
		struct buf s, e;

		buf_init(&s);
		buf_init(&e);
		fmt_timestamp(&s, o.start, "Unknown");
		fmt_timestamp(&e, o.end != 0 ? o.end : now, "Unknown");
		cli_err("Start time (%s) requested is after end time (%s).",
		    s.data, e.data);
		buf_free(&s);
		buf_free(&e);
		return 1;
	}

	memset(&sp, 0, sizeof sp);
	sp.o = &o;
	sp.l = &l;
	sp.ctx.now = now;
	sp.header = o.noheader;
	stream = o.allocations && !fmt_acct_reads_steps(&l);
	if (get_jobs(&o, fmt_acct_omit(&l), stream ? stream_part : NULL, &sp,
	    &jl) != 0)
		return 1;
	if (sp.disorder) {
		job_list_free(&jl);
		if (get_jobs(&o, fmt_acct_omit(&l), NULL, NULL, &jl) != 0)
			return 1;
		stream = false;
	}
	if (stream) {
		for (size_t i = 0; i < sp.nout; i++) {
			fwrite(sp.out[i].data, 1, sp.out[i].len, stdout);
			buf_free(&sp.out[i]);
		}
		free(sp.out);
	} else
		print_all(&o, &l, &jl, now);
	job_list_free(&jl);
	free(sp.recs);
	free(sp.rows);
	free(sp.ptrs);
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}
