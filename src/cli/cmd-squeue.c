/* SPDX-License-Identifier: MIT */
/*
 * squeue: list pending and running jobs (and recently finished ones with
 * -t).  Asks the daemon with MSG_JOB_QUERY and a job_filter, then does what
 * Slurm's squeue does on the client side: filters again, merges pending
 * array tasks into "ID_[0-5]" (unless -r), sorts (-S, default "P,t,-p")
 * and prints through the field table of src/fmt/fields-job.c.
 *
 * Copies Slurm 22.05: the default, -l and --start formats, -o/-O
 * syntax, the "Invalid job state specified" two-line error (exit 1),
 * "slurm_load_jobs error: Invalid job id specified" (exit 1) when a single
 * -j id is unknown, and the SQUEUE_* environment variables for format,
 * sort, states, users, names, partitions and arrays.
 * User names (-u, SQUEUE_USERS) go to the daemon as typed, which
 * resolves them: this binary links statically, without NSS.  So Slurm's
 * "Invalid user: X" comes when the query is refused, not while parsing
 * options (an earlier error that exits hides it).
 * -s/--steps lists running steps (and batch scripts as ID.batch) in
 * Slurm's default step format only (-o/-O do not apply to it).
 * -M/--clusters: the daemon's ClusterName prints "CLUSTER: name" first,
 * other names Slurm's errors (clusters.c).
 * Differs: --json/--yaml, -i/--iterate are not supported; an invalid
 * %letter is an error (exit 1) where Slurm prints it literally.
 */
#include "gnuopt.h"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../fmt/fmt.h"
#include "../proto/proto.h"
#include "../proto/step.h"
#include "cli.h"

/* States squeue accepts besides berth's own (they match no berth job). */
static const char *const other_states[] = {
	"COMPLETING", "CG", "CONFIGURING", "CF", "RESIZING", "RS",
	"RESV_DEL_HOLD", "RD", "REQUEUED", "RQ", "REQUEUE_FED", "RF",
	"REQUEUE_HOLD", "RH", "REVOKED", "RV", "SIGNALING", "SI",
	"SPECIAL_EXIT", "SE", "STAGE_OUT", "SO", "STOPPED", "ST",
};
#define VALID_STATES "PENDING,RUNNING,SUSPENDED,COMPLETED,CANCELLED,FAILED," \
	"TIMEOUT,NODE_FAIL,PREEMPTED,BOOT_FAIL,DEADLINE,OUT_OF_MEMORY," \
	"COMPLETING,CONFIGURING,RESIZING,RESV_DEL_HOLD,REQUEUED,REQUEUE_FED," \
	"REQUEUE_HOLD,REVOKED,SIGNALING,SPECIAL_EXIT,STAGE_OUT,STOPPED"
#define DEFAULT_STATES	((1u << JOB_PENDING) | (1u << JOB_RUNNING) | \
	(1u << JOB_SUSPENDED))

struct id_sel {
	uint32_t	 id;
	uint32_t	 task;		/* NO_VAL: whole job / array */
};

struct squeue_opts {
	bool		 noheader;
	bool		 longfmt;
	bool		 array;
	bool		 array_unique;	/* --array-unique */
	bool		 start;
	bool		 steps;
	bool		 all_states;
	bool		 have_states;
	uint32_t	 states;
	const char	*format;
	const char	*format_long;
	const char	*sort;
	struct id_sel	*ids;
	size_t		 nids;
	bool		 job_flag;
	char		**users;
	struct job_match m;		/* -n -p -A -q -w, client side */
	uint32_t	*step_ids;	/* --steps=J.S,...: pairs, or NULL */
	size_t		 nstep_ids;
	const char	*clusters;	/* -M, or NULL */
};

static const struct option longopts[] = {
	{ "accounts",	required_argument, NULL, 'A' },
	{ "account",	required_argument, NULL, 'A' },
	{ "clusters",	required_argument, NULL, 'M' },
	{ "cluster",	required_argument, NULL, 'M' },
	{ "all",	no_argument,	   NULL, 'a' },
	{ "array",	no_argument,	   NULL, 'r' },
	{ "array-unique", no_argument,	   NULL, 0x10a },
	{ "Format",	required_argument, NULL, 'O' },
	{ "format",	required_argument, NULL, 'o' },
	{ "federation",	no_argument,	   NULL, 0x101 },
	{ "help",	no_argument,	   NULL, 0x102 },
	{ "hide",	no_argument,	   NULL, 0x103 },
	{ "jobs",	optional_argument, NULL, 'j' },
	{ "local",	no_argument,	   NULL, 0x104 },
	{ "long",	no_argument,	   NULL, 'l' },
	{ "licenses",	required_argument, NULL, 'L' },
	{ "me",		no_argument,	   NULL, 0x105 },
	{ "name",	required_argument, NULL, 'n' },
	{ "noconvert",	no_argument,	   NULL, 0x106 },
	{ "node",	required_argument, NULL, 'w' },
	{ "nodes",	required_argument, NULL, 'w' },
	{ "nodelist",	required_argument, NULL, 'w' },
	{ "noheader",	no_argument,	   NULL, 'h' },
	{ "partitions",	required_argument, NULL, 'p' },
	{ "partition",	required_argument, NULL, 'p' },
	{ "priority",	no_argument,	   NULL, 'P' },
	{ "qos",	required_argument, NULL, 'q' },
	{ "reservation", required_argument, NULL, 'R' },
	{ "sibling",	no_argument,	   NULL, 0x107 },
	{ "sort",	required_argument, NULL, 'S' },
	{ "start",	no_argument,	   NULL, 0x108 },
	{ "steps",	optional_argument, NULL, 's' },
	{ "states",	required_argument, NULL, 't' },
	{ "usage",	no_argument,	   NULL, 0x109 },
	{ "user",	required_argument, NULL, 'u' },
	{ "users",	required_argument, NULL, 'u' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL,		0,		   NULL, 0 }
};

static const char usage_text[] =
"Usage: squeue [-A account] [--clusters names] [-i seconds] [--job jobid]\n"
"              [-n name] [-o format] [-p partitions] [--qos qos]\n"
"              [--reservation reservation] [--sort fields] [--start]\n"
"              [--step step_id] [-t states] [-u user_name] [--usage]\n"
"              [-L licenses] [-w nodes] [--federation] [--local] [--sibling]\n"
"\t      [-ahjlrsv]\n";

static const char help_text[] =
"Usage: squeue [OPTIONS]\n"
"  -A, --account=account(s)        comma separated list of accounts\n"
"                                  to view, default is all accounts\n"
"  -a, --all                       display jobs in hidden partitions\n"
"  -h, --noheader                  no headers on output\n"
"  -j, --job=job(s)                comma separated list of jobs IDs\n"
"                                  to view, default is all\n"
"  -l, --long                      long report\n"
"      --me                        equivalent to --user=<my username>\n"
"  -n, --name=job_name(s)          comma separated list of job names to view\n"
"      --noconvert                 don't convert units from their original type\n"
"                                  (e.g. 2048M won't be converted to 2G).\n"
"  -o, --format=format             format specification\n"
"  -O, --Format=format             format specification\n"
"  -p, --partition=partition(s)    comma separated list of partitions\n"
"                                  to view, default is all partitions\n"
"  -q, --qos=qos(s)                comma separated list of qos's\n"
"                                  to view, default is all qos's\n"
"  -r, --array                     display one job array element per line\n"
"      --array-unique              display one unique pending job array\n"
"                                  element per line\n"
"  -S, --sort=fields               comma separated list of fields to sort on\n"
"      --start                     print expected start times of pending jobs\n"
"  -t, --states=states             comma separated list of states to view,\n"
"                                  default is pending and running,\n"
"                                  '--states=all' reports all states\n"
"  -u, --user=user_name(s)         comma separated list of users to view\n"
"  -v, --verbose                   verbosity level\n"
"  -V, --version                   output version information and exit\n"
"  -w, --nodelist=hostlist         list of nodes to view, default is\n"
"                                  all nodes\n"
"\n"
"Help options:\n"
"  --help                          show this help message\n"
"  --usage                         display a brief summary of squeue options\n";

static int
parse_states(struct squeue_opts *o, const char *s)
{
	char **v;
	int st;
	bool known;

	o->have_states = true;
	if (strcasecmp(s, "all") == 0) {
		o->all_states = true;
		return 0;
	}
	o->all_states = false;
	o->states = 0;
	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		if ((st = job_state_parse(v[i])) >= 0) {
			o->states |= 1u << st;
			continue;
		}
		known = false;
		for (size_t k = 0; k < nitems(other_states); k++)
			if (strcasecmp(v[i], other_states[k]) == 0)
				known = true;
		if (!known) {
			cli_err("Invalid job state specified: %s", v[i]);
			cli_err("Valid job states include: %s\n",
			    VALID_STATES);
			strv_free(v);
			return -1;
		}
	}
	strv_free(v);
	return 0;
}

static int
parse_jobs(struct squeue_opts *o, const char *s)
{
	char **v, *end;
	int32_t id;
	uint32_t task;

	/*
	 * Slurm's squeue reads an id with strtol into an int: 4294967297 is
	 * job 1, 2147483648 and 4294967295 are negative, invalid (checked
	 * on 22.05.8); the task likewise, into 32 bits.
	 */
	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		id = (int32_t)(uint32_t)strtol(v[i], &end, 10);
		task = NO_VAL;
		if (*end == '_')
			task = (uint32_t)strtol(end + 1, &end, 10);
		if (id <= 0) {
			cli_err("Invalid job id: %s", v[i]);
			strv_free(v);
			return -1;
		}
		o->ids = xreallocarray(o->ids, o->nids + 1, sizeof *o->ids);
		o->ids[o->nids].id = (uint32_t)id;
		o->ids[o->nids].task = task;
		o->nids++;
	}
	strv_free(v);
	return 0;
}

/*
 * Keep the users the daemon knows and warn about the others, as Slurm's
 * _build_user_list() does: called when the daemon refused the list
 * (BERTH_EUSER).  The daemon resolves names because this binary links
 * statically, without NSS; the usual query with known users costs nothing
 * more, and only a refused one asks about each user.
 */
static int
drop_unknown_users(char ***usersp)
{
	char **users = *usersp, **known, *cause = NULL;
	size_t k = 0;
	int r;

	known = xcalloc(strv_len(users) + 1, sizeof *known);
	for (size_t i = 0; users[i] != NULL; i++) {
		if ((r = client_user_known(users[i], NULL, &cause)) == -1) {
			fprintf(stderr, "slurm_load_jobs error: %s\n", cause);
			free(cause);
			strv_free(known);
			return -1;
		}
		if (r == 1)
			known[k++] = xstrdup(users[i]);
		else
			cli_err("Invalid user: %s\n", users[i]);
	}
	strv_free(users);
	*usersp = known;
	return 0;
}

static bool
id_matches(const struct squeue_opts *o, const struct job *j)
{
	for (size_t i = 0; i < o->nids; i++) {
		if (o->ids[i].task == NO_VAL) {
			if (o->ids[i].id == j->id ||
			    (j->array_job_id != 0 &&
			    o->ids[i].id == j->array_job_id))
				return true;
		} else if (j->array_job_id == o->ids[i].id &&
		    j->array_task_id == o->ids[i].task)
			return true;
	}
	return false;
}

/* What Slurm's _filter_job() checks, applied after the daemon's filter. */
static bool
keep_job(const struct squeue_opts *o, const struct job *j)
{
	uint32_t mask;

	if (o->nids > 0 && !id_matches(o, j))
		return false;
	if (!o->all_states) {
		mask = o->have_states ? o->states : DEFAULT_STATES;
		if (!(mask & (1u << j->state)))
			return false;
	}
	/* The daemon filtered on users; none known matches nothing. */
	if (o->users != NULL && o->users[0] == NULL)
		return false;
	return job_match(&o->m, j);
}

static int	 get_jobs(struct squeue_opts *, uint64_t, struct job_list *);

/*
 * --steps=JOB.STEP,...: Slurm's _build_step_list; an item without both
 * parts is "Invalid job_step id: JOB.??" (exit 1, checked on real squeue
 * 22.05 with --steps=abc).
 */
static int
parse_step_list(struct squeue_opts *o, const char *arg)
{
	char **v, *dot, *end;
	unsigned long job, step;

	v = strv_split(arg, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		dot = strchr(v[i], '.');
		if (dot == NULL || dot == v[i] || dot[1] == '\0') {
			if (dot != NULL)
				*dot = '\0';
			cli_err("Invalid job_step id: %s.??", v[i]);
			strv_free(v);
			return -1;
		}
		*dot = '\0';
		job = strtoul(v[i], &end, 10);
		step = strtoul(dot + 1, NULL, 10);
		o->step_ids = xreallocarray(o->step_ids, 2 * (o->nstep_ids + 1),
		    sizeof *o->step_ids);
		o->step_ids[2 * o->nstep_ids] = (uint32_t)job;
		o->step_ids[2 * o->nstep_ids + 1] = (uint32_t)step;
		o->nstep_ids++;
	}
	strv_free(v);
	return 0;
}

/* Pairs of uint32_t (job, step) or (job id, index), by both. */
static int
u32_pair_cmp(const void *pa, const void *pb)
{
	const uint32_t *a = pa, *b = pb;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* o->step_ids sorted (print_steps) and searched: a long --steps list
 * against many steps is not a product of the two. */
static bool
step_wanted(const struct squeue_opts *o, const struct step *s)
{
	uint32_t key[2] = { s->job_id, s->step_id };

	if (o->nstep_ids == 0)
		return true;
	return bsearch(key, o->step_ids, o->nstep_ids, 2 * sizeof *key,
	    u32_pair_cmp) != NULL;
}

/* The job of id in jl, through byid: (id, index) pairs sorted by id. */
static const struct job *
job_by_id(const struct job_list *jl, const uint32_t *byid, uint32_t id)
{
	size_t lo = 0, hi = jl->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (byid[2 * mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < jl->n && byid[2 * lo] == id)
		return &jl->jobs[byid[2 * lo + 1]];
	return NULL;
}

/* One line of squeue -s. */
struct step_row {
	const struct job *job;
	uint32_t	 step;		/* STEP_ROW_BATCH for ID.batch */
	char		*name;
	int64_t		 start;
};

#define STEP_ROW_BATCH	0xfffffffbu	/* Slurm's SLURM_BATCH_SCRIPT */

/* Slurm's default step sort "P,i": partition, then job and step id (a
 * batch step after the numbered ones, as its id is larger). */
static int
step_row_cmp(const void *pa, const void *pb)
{
	const struct step_row *a = pa, *b = pb;
	int c;

	c = strcmp(a->job->partition != NULL ? a->job->partition : "",
	    b->job->partition != NULL ? b->job->partition : "");
	if (c != 0)
		return c;
	if (a->job->id != b->job->id)
		return a->job->id < b->job->id ? -1 : 1;
	return a->step < b->step ? -1 : a->step > b->step;
}

/*
 * squeue -s: one line per running step (MSG_STEP_QUERY) and per running
 * batch script ("ID.batch  batch", as real squeue 22.05 lists it), in
 * Slurm's default step format "%.15i %.8j %.9P %.8u %.9M %N".
 */
static int
print_steps(struct squeue_opts *o)
{
	struct job_filter f;
	struct job_list jl;
	struct msg req, resp;
	struct step s;
	struct step_row *rows = NULL;
	struct buf b;
	const struct job *j;
	uint16_t rtype;
	uint32_t code = 0, n, *byid;
	size_t nrows = 0;
	char *text = NULL, id[32], t[32];
	int64_t now = now_sec();
	int rc;

	if (get_jobs(o, 0, &jl) != 0)
		return 1;
	memset(&f, 0, sizeof f);
	msg_init(&req);
	proto_filter_put(&req, &f);
	msg_init(&resp);
	rc = client_request(MSG_STEP_QUERY, &req, &rtype, &resp, &code, &text);
	msg_free(&req);
	if (rc != 0 || rtype != MSG_STEP_LIST) {
		if (rc == 1)
			cli_err("%s", text);
		free(text);
		msg_free(&resp);
		job_list_free(&jl);
		return 1;
	}
	/* Each step's job by binary search, not by a walk of the list
	 * per step (steps times jobs). */
	byid = xreallocarray(NULL, 2 * jl.n + 2, sizeof *byid);
	for (size_t k = 0; k < jl.n; k++) {
		byid[2 * k] = jl.jobs[k].id;
		byid[2 * k + 1] = (uint32_t)k;
	}
	qsort(byid, jl.n, 2 * sizeof *byid, u32_pair_cmp);
	if (o->nstep_ids > 0)
		qsort(o->step_ids, o->nstep_ids, 2 * sizeof *o->step_ids,
		    u32_pair_cmp);
	n = msg_get_u32(&resp);
	rows = xcalloc((size_t)n + jl.n + 1, sizeof *rows);
	for (uint32_t i = 0; i < n && !resp.err; i++) {
		if (proto_step_get(&resp, &s) == -1)
			break;
		j = job_by_id(&jl, byid, s.job_id);
		if (j != NULL && keep_job(o, j) && step_wanted(o, &s)) {
			rows[nrows].job = j;
			rows[nrows].step = s.step_id;
			rows[nrows].name = xstrdup(s.name != NULL ? s.name :
			    "");
			rows[nrows].start = s.start_time;
			nrows++;
		}
		step_free(&s);
	}
	/* "--steps=ID.batch" selects step 0 in Slurm (strtoul): the batch
	 * lines come only without a list. */
	for (size_t k = 0; k < jl.n && o->nstep_ids == 0; k++) {
		j = &jl.jobs[k];
		if (j->state != JOB_RUNNING || (j->flags & JOB_F_INTERACTIVE) ||
		    !keep_job(o, j))
			continue;
		rows[nrows].job = j;
		rows[nrows].step = STEP_ROW_BATCH;
		rows[nrows].name = xstrdup("batch");
		rows[nrows].start = j->start_time;
		nrows++;
	}
	qsort(rows, nrows, sizeof *rows, step_row_cmp);
	if (!o->noheader)
		printf("%15s %8s %9s %8s %9s %s\n", "STEPID", "NAME",
		    "PARTITION", "USER", "TIME", "NODELIST");
	buf_init(&b);
	for (size_t i = 0; i < nrows; i++) {
		j = rows[i].job;
		/* A task of an array is ARRAY_TASK.STEP (Slurm's
		 * _print_step_id), as its job is ARRAY_TASK. */
		buf_reset(&b);
		fmt_job_id(&b, j);
		if (rows[i].step == STEP_ROW_BATCH)
			snprintf(id, sizeof id, "%.*s.batch", (int)b.len,
			    b.data);
		else
			snprintf(id, sizeof id, "%.*s.%u", (int)b.len, b.data,
			    rows[i].step);
		buf_reset(&b);
		fmt_duration(&b, rows[i].start > 0 && now > rows[i].start ?
		    now - rows[i].start : 0);
		snprintf(t, sizeof t, "%.*s", (int)b.len, b.data);
		printf("%15.15s %8.8s %9.9s %8.8s %9.9s %s\n", id,
		    rows[i].name, j->partition != NULL ? j->partition : "",
		    j->user != NULL ? j->user : "", t,
		    j->nodelist != NULL ? j->nodelist : "");
		free(rows[i].name);
	}
	free(rows);
	free(byid);
	buf_free(&b);
	msg_free(&resp);
	job_list_free(&jl);
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}

static int
get_jobs(struct squeue_opts *o, uint64_t omit, struct job_list *jl)
{
	struct job_filter f;
	struct msg req;
	uint32_t errcode = 0;
	char *errtext = NULL;
	bool retried = false;
	int rc;

again:
	memset(&f, 0, sizeof f);
	if (o->nids > 0) {
		f.ids = xcalloc(o->nids, sizeof *f.ids);
		for (size_t i = 0; i < o->nids; i++)
			f.ids[i] = o->ids[i].id;
		f.nids = (uint32_t)o->nids;
	}
	/*
	 * A single job id must be told apart from "not in the states
	 * shown": ask for every state and filter here.
	 */
	if (o->all_states || o->nids == 1)
		f.flags |= FILTER_F_ALL_STATES;
	else if (o->have_states)
		f.states = o->states;
	f.users = o->users;
	f.names = o->m.names;
	f.partitions = o->m.partitions;
	f.omit = omit;
	f.flags |= FILTER_F_PARTS;
	msg_init(&req);
	proto_filter_put(&req, &f);
	free(f.ids);
	rc = client_request_list(MSG_JOB_QUERY, &req, jl, &errcode, &errtext);
	msg_free(&req);
	if (rc == -1)
		return -1;
	if (rc == 1 && errcode == BERTH_EUSER && !retried &&
	    o->users != NULL && o->users[0] != NULL) {
		free(errtext);
		if (drop_unknown_users(&o->users) == -1)
			return -1;
		retried = true;
		goto again;
	}
	if (rc == 1) {
		fprintf(stderr, "slurm_load_jobs error: %s\n", errtext);
		free(errtext);
		return -1;
	}
	return 0;
}

/*
 * -O: Slurm's squeue reports an unknown name ("Invalid job format
 * specification: X") and goes on without it, exit 0.  Returns the list
 * without the unknown names (caller frees).
 */
static char *
drop_unknown_names(const char *f)
{
	struct buf b;
	char **v, *colon;
	bool known;

	buf_init(&b);
	v = strv_split(f, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		if ((colon = strchr(v[i], ':')) != NULL)
			*colon = '\0';
		known = fmt_field_by_name(&fmt_job_table, v[i]) != NULL;
		if (!known)
			cli_err("Invalid job format specification: %s", v[i]);
		if (colon != NULL)
			*colon = ':';
		if (!known)
			continue;
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, v[i]);
	}
	strv_free(v);
	buf_addc(&b, '\0');
	b.len--;
	return buf_steal(&b);
}

static void
print_date_line(void)
{
	time_t now = time(NULL);
	struct tm tm;
	char s[64];

	localtime_r(&now, &tm);
	strftime(s, sizeof s, "%a %b %e %H:%M:%S %Y", &tm);
	printf("%s\n", s);
}

/*
 * -M: the names berth's cluster does not have are "No cluster 'X' known
 * by database." (squeue goes on with the others); with none of its own,
 * exit 1 after Slurm's "can't be reached" line.  Otherwise, unless -h,
 * "CLUSTER: name" heads the output (after -l's date line), before the
 * jobs are even asked for, as real squeue 22.05 prints them.
 */
static int
cluster_line(const struct squeue_opts *o)
{
	char *name;

	if (client_clusters_check(o->clusters, &name) == -1) {
		free(name);
		return 1;
	}
	if (!o->noheader) {
		if (o->longfmt && !o->steps)
			print_date_line();
		printf("CLUSTER: %s\n", name);
	}
	free(name);
	return 0;
}

static char **
split_env(const char *name)
{
	const char *e = getenv(name);

	return e != NULL && *e != '\0' ? strv_split(e, ",", NULL) : NULL;
}

int
cmd_squeue(int argc, char **argv)
{
	struct squeue_opts o;
	struct fmt_list l;
	struct fmt_job_rec *recs;
	struct fmt_ctx ctx;
	struct job_list jl;
	struct job *jobs;
	const void **ptrs;
	const char *fmt, *e;
	char *cause = NULL;
	size_t n = 0, m = 0, *origin = NULL;
	uint32_t *places;
	int ch, rc;
	bool unfold;

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
	o.m.names_icase = true;	/* squeue -n ignores case, sacct does not */
	if (getenv("SQUEUE_ARRAY") != NULL)
		o.array = true;
	o.sort = getenv("SQUEUE_SORT");
	optind = 1;
	while ((ch = getopt_long(argc, argv,
	    "A:ahi:j::lL:n:M:O:o:p:Pq:R:rs::S:t:u:U:vVw:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'A':
		case 'U':
			strv_free(o.m.accounts);
			o.m.accounts = strv_split(optarg, ",", NULL);
			break;
		case 'M':
			o.clusters = optarg;
			break;
		case 'a':
		case 'L':
		case 'P':
		case 'R':
		case 'v':
		case 0x101:
		case 0x103:
		case 0x104:
		case 0x106:
		case 0x107:
			break;
		case 'h':
			o.noheader = true;
			break;
		case 'i':
			cli_err("--iterate is not supported");
			return 1;
		case 'j':
			if (optarg != NULL && parse_jobs(&o, optarg) != 0)
				return 1;
			o.job_flag = true;
			break;
		case 'l':
			o.longfmt = true;
			break;
		case 'n':
			strv_free(o.m.names);
			o.m.names = strv_split(optarg, ",", NULL);
			break;
		case 'O':
			if (o.format != NULL) {
				cli_err("-O (--Format) is incompatible with "
				    "-o (--format)");
				return 1;
			}
			o.format_long = optarg;
			break;
		case 'o':
			if (o.format_long != NULL) {
				cli_err("-o (--format) is incompatible with "
				    "-O (--Format)");
				return 1;
			}
			o.format = optarg;
			break;
		case 'p':
			strv_free(o.m.partitions);
			o.m.partitions = strv_split(optarg, ",", NULL);
			break;
		case 'q':
			strv_free(o.m.qos);
			o.m.qos = strv_split(optarg, ",", NULL);
			break;
		case 'r':
			o.array = true;
			break;
		case 0x10a:
			o.array_unique = true;
			break;
		case 's':
			o.steps = true;
			if (optarg != NULL && parse_step_list(&o, optarg) != 0)
				return 1;
			break;
		case 'S':
			o.sort = optarg;
			break;
		case 't':
			if (parse_states(&o, optarg) != 0)
				return 1;
			break;
		case 'u':
			strv_free(o.users);
			o.users = strv_split(optarg, ",", NULL);
			break;
		case 0x105:
			strv_free(o.users);
			o.users = xcalloc(2, sizeof *o.users);
			xasprintf(&o.users[0], "%u", (unsigned)geteuid());
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case 'w':
			free(o.m.nodes);
			o.m.nodes = xstrdup(optarg);
			break;
		case 0x102:
			fputs(help_text, stdout);
			return 0;
		case 0x108:
			o.start = true;
			break;
		case 0x109:
			fputs(usage_text, stdout);
			return 0;
		default:
			fprintf(stderr, "Try \"squeue --help\" for more "
			    "information\n");
			return 1;
		}
	}
	if (optind < argc && o.job_flag) {
		if (parse_jobs(&o, argv[optind++]) != 0)
			return 1;
	}
	if (optind < argc) {
		cli_err("Unrecognized option: %s", argv[optind]);
		fputs(usage_text, stdout);
		return 1;
	}
	if (o.longfmt && o.format != NULL) {
		fprintf(stderr, "squeue: fatal: Options -o(--format) and "
		    "-l(--long) are mutually exclusive. Please remove one and "
		    "retry.\n");
		return 1;
	}
	if (o.format == NULL && o.format_long == NULL && !o.longfmt &&
	    !o.start && !o.steps) {
		if ((e = getenv("SQUEUE_FORMAT")) != NULL)
			o.format = e;
		else if ((e = getenv("SQUEUE_FORMAT2")) != NULL)
			o.format_long = e;
	}
	if (o.m.accounts == NULL)
		o.m.accounts = split_env("SQUEUE_ACCOUNT");
	if (o.m.names == NULL)
		o.m.names = split_env("SQUEUE_NAMES");
	if (o.m.partitions == NULL)
		o.m.partitions = split_env("SQUEUE_PARTITION");
	if (o.users == NULL && (e = getenv("SQUEUE_USERS")) != NULL)
		o.users = strv_split(e, ",", NULL);
	if (!o.have_states && (e = getenv("SQUEUE_STATES")) != NULL &&
	    parse_states(&o, e) != 0)
		return 1;
	if (o.start && !o.steps) {
		if (o.sort == NULL)
			o.sort = "S";
		if (!o.have_states) {
			o.have_states = true;
			o.states = 1u << JOB_PENDING;
		}
	}

	if (o.clusters != NULL && (rc = cluster_line(&o)) != 0)
		return rc;
	if (o.steps)
		return print_steps(&o);

	if (o.format_long != NULL) {
		char *known = drop_unknown_names(o.format_long);

		rc = fmt_parse_long(&l, &fmt_job_table, "job", known, 0,
		    &cause);
		free(known);
	}
	else {
		fmt = o.format != NULL ? o.format : o.start ?
		    FMT_SQUEUE_START : o.longfmt ? FMT_SQUEUE_LONG :
		    FMT_SQUEUE_DEFAULT;
		rc = fmt_parse_letters(&l, &fmt_job_table, "job", fmt,
		    &cause);
	}
	if (rc != 0) {
		cli_err("%s", cause);
		return 1;
	}
	fmt_job_nocut(&l);

	if (get_jobs(&o, fmt_job_omit(&l, o.sort), &jl) != 0)
		return 1;
	jobs = jl.jobs;
	n = jl.n;
	/* Ties keep slurmctld's list order: from all the jobs listed. */
	places = xreallocarray(NULL, jl.n + 1, sizeof *places);	/* all set */
	fmt_job_places(jl.jobs, jl.n, places);
	/* For one id Slurm loads that job alone (slurm_load_job): the
	 * array's own record first, then its tasks, the last split first
	 * (checked: squeue -r -j A with tasks held one by one). */
	if (o.nids == 1)
		for (size_t i = 0; i < jl.n; i++)
			places[i] = jl.jobs[i].array_job_id == 0 ||
			    jl.jobs[i].id == jl.jobs[i].array_job_id ? 1 :
			    UINT32_MAX - jl.jobs[i].id;
	/* The pending tasks of an array are one record: one line per task
	 * with -r, or when a task id is asked for. */
	unfold = o.array;
	for (size_t i = 0; i < o.nids; i++)
		unfold |= o.ids[i].task != NO_VAL;
	if (unfold)
		jobs = fmt_job_unfold(jl.jobs, jl.n, &n, &origin);
	if (o.nids == 1) {
		bool known = false;

		for (size_t i = 0; i < n; i++)
			known |= id_matches(&o, &jobs[i]);
		if (!known) {
			fprintf(stderr, "slurm_load_jobs error: %s\n",
			    berth_strerror(BERTH_EINVALID_JOB));
			return 1;
		}
	}

	recs = xcalloc(n + 1, sizeof *recs);
	for (size_t i = 0; i < n; i++) {
		size_t from = origin != NULL ? origin[i] : i;

		if (!keep_job(&o, &jobs[i]))
			continue;
		recs[m].job = &jobs[i];
		recs[m].place = places[from];
		recs[m++].unfolded = jobs[i].array_spec == NULL &&
		    jl.jobs[from].array_spec != NULL;
	}
	/* --array-unique: tasks split off the array record (held or
	 * updated one by one) keep a line each, as Slurm's. */
	if (!o.array && !o.array_unique)
		m = fmt_job_combine(recs, m);
	else if (!o.array) {
		for (size_t i = 0; i < m; i++)
			if (recs[i].array_tasks == NULL &&
			    recs[i].job->array_spec != NULL)
				recs[i].array_tasks =
				    fmt_job_array_pending(recs[i].job);
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.now = now_sec();
	if (fmt_job_sort(recs, m, o.sort, ctx.now, &cause) != 0) {
		cli_err("%s", cause);
		return 1;
	}
	/* -l's date line belongs to the header: not with -h (-M prints
	 * it before its CLUSTER line). */
	if (o.longfmt && o.clusters == NULL && !o.noheader)
		print_date_line();
	ptrs = xreallocarray(NULL, m + 1, sizeof *ptrs);
	for (size_t i = 0; i < m; i++)
		ptrs[i] = &recs[i];
	fmt_print(stdout, &l, ptrs, m, &ctx, o.noheader ? FMT_NOHEADER : 0);
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}
