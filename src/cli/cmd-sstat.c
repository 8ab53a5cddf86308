/* SPDX-License-Identifier: MIT */
/*
 * sstat: live usage of running job steps.  One MSG_STEP_QUERY with
 * FILTER_F_STEP_JOBS gives the listed jobs' steps and, for each job the
 * daemon still holds, its record and the pid of its batch script; the
 * usage itself is read straight from /proc (procstat.c), since the
 * client runs on the job's machine: a step's processes are its tasks'
 * process group (srun makes one per step, its pgid is in the step
 * record), ID.batch's those of the batch script's process group.  Rows
 * print through the field table of src/fmt/fields-sstat.c with sacct's
 * -o/%N/-p/-P/-n machinery.
 *
 * Copies Slurm 22.05's sstat: the default field list, -a/-e/-i/-j/-n/
 * -o/-p/-P/--noconvert, a job id as the first argument, without a step
 * the lowest numbered running step (not ID.batch), with -a every running
 * step including ID.batch, and its messages: "You didn't give me any
 * jobs to stat." (exit 1), "Invalid field requested" (exit 1), "Bad step
 * specified" (fatal, exit 1), and, exit status 0, "couldn't get steps
 * for job N" (a job the daemon no longer holds), "No steps running for
 * job N", "StepId=N.S not found running.".
 *
 * Per task (srun's children in the group, numbered by their
 * SLURM_PROCID) the values are summed over its processes: CPU
 * utime+stime, current and peak RSS (VmRSS, VmHWM) and virtual size
 * (VmSize, VmPeak), major faults, rchar/wchar from /proc/PID/io.  Slurm
 * samples the same quantities (jobacct_gather/linux); the peaks here are
 * the kernel's, not the largest sample.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../fmt/fmt.h"
#include "../proto/proto.h"
#include "../proto/step.h"
#include "cli.h"
#include "procstat.h"

/* Slurm's special step ids (slurm.h). */
#define STEP_EXTERN		0xfffffffcu
#define STEP_INTERACTIVE	0xfffffffau

struct sel {
	uint32_t	 id;
	uint32_t	 step;		/* NO_VAL: none given */
};

struct sstat_opts {
	struct buf	 fields;
	struct sel	*sels;
	size_t		 nsels;
	enum fmt_mode	 mode;
	bool		 noheader;
	bool		 allsteps;
	bool		 pidformat;
	bool		 noconvert;
};

/* A job from the reply's trailer. */
struct sjob {
	struct job	 j;
	pid_t		 batch_pid;
};

static const struct option longopts[] = {
	{ "allsteps",	no_argument,	   NULL, 'a' },
	{ "fields",	required_argument, NULL, 'o' },
	{ "format",	required_argument, NULL, 'o' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "helpformat",	no_argument,	   NULL, 'e' },
	{ "jobs",	required_argument, NULL, 'j' },
	{ "noconvert",	no_argument,	   NULL, 0x100 },
	{ "noheader",	no_argument,	   NULL, 'n' },
	{ "parsable",	no_argument,	   NULL, 'p' },
	{ "parsable2",	no_argument,	   NULL, 'P' },
	{ "pidformat",	no_argument,	   NULL, 'i' },
	{ "usage",	no_argument,	   NULL, 0x101 },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL,		0,		   NULL, 0 }
};

static const char help_text[] =
"sstat [<OPTION>] -j <job(.stepid)>\n"
"    Valid <OPTION> values are:\n"
"      -a, --allsteps:\n"
"                   Print all steps for the given job(s) when no step is\n"
"                   specified.\n"
"      -e, --helpformat:\n"
"\t           Print a list of fields that can be specified with the\n"
"\t           '--format' option\n"
"     -h, --help:   Print this description of use.\n"
"     -i, --pidformat:\n"
"                   Predefined format to list the pids running for each\n"
"                   job step.  (JobId,Nodes,Pids)\n"
"     -j, --jobs:\n"
"\t           Format is <job(.step)>. Stat this job step\n"
"                   or comma-separated list of job steps. This option is\n"
"                   required.  The step portion will default to the lowest\n"
"                   numbered (not batch, extern, etc) step running if not\n"
"                   specified, unless the --allsteps flag is set where not\n"
"                   specifying a step will result in all running steps\n"
"                   to be displayed. A step id of 'batch' will display the\n"
"                   information about the batch step. A step id of 'extern'\n"
"                   will display the information about the extern step\n"
"                   when using PrologFlags=contain.\n"
"     -n, --noheader:\n"
"\t           No header will be added to the beginning of output.\n"
"                   The default is to print a header.\n"
"     --noconvert:  Don't convert units from their original type\n"
"\t\t   (e.g. 2048M won't be converted to 2G).\n"
"     -o, --format:\n"
"\t           Comma separated list of fields. (use \"--helpformat\"\n"
"                   for a list of available fields).\n"
"     -p, --parsable: output will be '|' delimited with a '|' at the end\n"
"     -P, --parsable2: output will be '|' delimited without a '|' at the end\n"
"     --usage:      Display brief usage message.\n"
"     -v, --verbose:\n"
"\t           Primarily for debugging purposes, report the state of\n"
"                   various variables during processing.\n"
"     -V, --version: Print version.\n"
"\n";

/*
 * Slurm's slurm_parse_step_str(): "ID[_TASK][+OFF][.STEP]", STEP a number,
 * batch, extern or interactive.  The job part is read with atoi and the
 * array task and het offset are dropped, as sstat does.
 */
static int
parse_sel(struct sstat_opts *o, const char *s)
{
	char **v, *name, *dot, *cut;
	uint32_t id, step;
	size_t k;

	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		name = v[i];
		while (isspace((unsigned char)*name))
			name++;
		if (*name == '\0')
			continue;
		step = NO_VAL;
		if ((dot = strchr(name, '.')) != NULL) {
			*dot++ = '\0';
			if (strcmp(dot, "batch") == 0)
				step = SSTAT_BATCH;
			else if (strcmp(dot, "extern") == 0)
				step = STEP_EXTERN;
			else if (strcmp(dot, "interactive") == 0)
				step = STEP_INTERACTIVE;
			else if (isdigit((unsigned char)*dot))
				step = (uint32_t)strtoul(dot, NULL, 10);
			else {
				fprintf(stderr, "%s: fatal: Bad step "
				    "specified: %s\n", cli_prog, name);
				strv_free(v);
				return -1;
			}
		}
		if ((cut = strpbrk(name, "_+")) != NULL)
			*cut = '\0';
		id = (uint32_t)atoi(name);
		for (k = 0; k < o->nsels; k++)	/* Slurm drops repeats */
			if (o->sels[k].id == id && o->sels[k].step == step)
				break;
		if (k < o->nsels)
			continue;
		o->sels = xreallocarray(o->sels, o->nsels + 1,
		    sizeof *o->sels);
		o->sels[o->nsels].id = id;
		o->sels[o->nsels].step = step;
		o->nsels++;
	}
	strv_free(v);
	return 0;
}

/* "StepId=12.3", "StepId=12.batch" (Slurm's %ps). */
static void
step_name(char *buf, size_t len, uint32_t job, uint32_t step)
{
	if (step == SSTAT_BATCH)
		snprintf(buf, len, "StepId=%u.batch", job);
	else if (step == STEP_EXTERN)
		snprintf(buf, len, "StepId=%u.extern", job);
	else if (step == STEP_INTERACTIVE)
		snprintf(buf, len, "StepId=%u.interactive", job);
	else
		snprintf(buf, len, "StepId=%u.%u", job, step);
}

/*
 * MSG_STEP_QUERY for the selected jobs.  Returns 0 with the steps and the
 * trailer's jobs, or -1 (message printed).
 */
static int
query(const struct sstat_opts *o, struct step **steps, size_t *nsteps,
    struct sjob **jobs, size_t *njobs)
{
	struct job_filter f;
	struct msg req, resp;
	uint16_t rtype;
	uint32_t errcode = 0, n;
	char *errtext = NULL;
	int rc;

	*steps = NULL;
	*jobs = NULL;
	*nsteps = *njobs = 0;
	memset(&f, 0, sizeof f);
	f.ids = xcalloc(o->nsels, sizeof *f.ids);
	for (size_t i = 0; i < o->nsels; i++)
		f.ids[f.nids++] = o->sels[i].id;
	f.flags = FILTER_F_STEP_JOBS;
	msg_init(&req);
	proto_filter_put(&req, &f);
	free(f.ids);
	msg_init(&resp);
	rc = client_request(MSG_STEP_QUERY, &req, &rtype, &resp, &errcode,
	    &errtext);
	msg_free(&req);
	if (rc == 1)
		cli_err("%s", errtext);
	free(errtext);
	if (rc == 0 && rtype != MSG_STEP_LIST) {
		cli_err("unexpected reply %u to a step query", rtype);
		rc = -1;
	}
	if (rc != 0) {
		msg_free(&resp);
		return -1;
	}
	n = msg_get_u32(&resp);
	if (!resp.err && n <= resp.b.len / 8) {
		*steps = xcalloc((size_t)n + 1, sizeof **steps);
		for (uint32_t i = 0; i < n; i++) {
			if (proto_step_get(&resp, &(*steps)[i]) == -1)
				break;
			(*nsteps)++;
		}
	}
	n = msg_get_u32(&resp);
	if (!resp.err && n <= resp.b.len / 8) {
		*jobs = xcalloc((size_t)n + 1, sizeof **jobs);
		for (uint32_t i = 0; i < n; i++) {
			if (proto_job_get(&resp, &(*jobs)[i].j) == -1)
				break;
			(*jobs)[i].batch_pid = (pid_t)msg_get_u32(&resp);
			(*njobs)++;
		}
	}
	if (resp.err || msg_end(&resp) == -1) {
		cli_err("malformed step list from the daemon");
		msg_free(&resp);
		return -1;
	}
	msg_free(&resp);
	return 0;
}

/* One task's usage: its processes summed. */
struct task {
	long		 id;		/* SLURM_PROCID, -1 unknown */
	pid_t		 root;
	uint64_t	 v[SSTAT_NTRES];	/* peak (memory) or total */
	uint64_t	 cur[SSTAT_NTRES];	/* current */
	uint64_t	 out;
	int		 cpu;		/* the root's last CPU */
};

static void
usage_add(struct sstat_usage *u, uint64_t peak, uint64_t cur, uint32_t id,
    bool first)
{
	if (first || peak > u->max) {
		u->max = peak;
		u->max_task = id;
	}
	if (first || peak < u->min) {
		u->min = peak;
		u->min_task = id;
	}
	u->tot += cur;
}

static ssize_t
find_pid(const struct proc_usage *p, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].pid == pid)
			return (ssize_t)i;
	return -1;
}

static int
task_cmp(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->root < y->root ? -1 : x->root > y->root;
}

/*
 * Fill r's usage from the processes of process group pgid.  A task is a
 * process whose parent is outside the group (srun's children; the batch
 * shell) with everything below it; one_task (ID.batch) folds them into
 * task 0.  ntasks is the step's task count once any process is seen.
 */
static void
gather(struct sstat_row *r, pid_t pgid, uint32_t ntasks, bool one_task,
    bool with_usage, struct buf *pids)
{
	struct proc_usage *p;
	struct task *t = NULL;
	size_t n, nt = 0, k;
	ssize_t up;
	pid_t root;
	long next = 0;
	double freq = 0;

	n = proc_group_read(pgid, &p);
	for (size_t i = 0; i < n; i++) {
		if (pids->len > 0)
			buf_addc(pids, ',');
		buf_printf(pids, "%ld", (long)p[i].pid);
	}
	if (n == 0 || !with_usage) {
		free(p);
		return;
	}
	t = xcalloc(n, sizeof *t);
	for (size_t i = 0; i < n; i++) {
		/* Up to the process whose parent is not in the group. */
		root = p[i].pid;
		for (size_t hops = 0; hops < n; hops++) {
			up = find_pid(p, n, p[(size_t)find_pid(p, n,
			    root)].ppid);
			if (up == -1)
				break;
			root = p[up].pid;
		}
		if (one_task)
			root = pgid;
		for (k = 0; k < nt && t[k].root != root; k++)
			;
		if (k == nt) {
			t[nt].root = root;
			t[nt].id = one_task ? 0 : proc_env_long(root,
			    "SLURM_PROCID");
			t[nt].cpu = p[i].cpu;
			nt++;
		}
		if (p[i].pid == root)
			t[k].cpu = p[i].cpu;
		t[k].v[SSTAT_CPU] += p[i].cpu_usec / 1000;
		t[k].cur[SSTAT_CPU] += p[i].cpu_usec / 1000;
		t[k].v[SSTAT_DISK] += p[i].rchar;
		t[k].cur[SSTAT_DISK] += p[i].rchar;
		t[k].v[SSTAT_MEM] += p[i].hwm_kb * 1024;
		t[k].cur[SSTAT_MEM] += p[i].rss_kb * 1024;
		t[k].v[SSTAT_PAGES] += p[i].majflt;
		t[k].cur[SSTAT_PAGES] += p[i].majflt;
		t[k].v[SSTAT_VMEM] += p[i].vmpeak_kb * 1024;
		t[k].cur[SSTAT_VMEM] += p[i].vsize_kb * 1024;
		t[k].out += p[i].wchar;
	}
	/* Tasks without a SLURM_PROCID take the numbers after the rest. */
	for (size_t i = 0; i < nt; i++)
		if (t[i].id >= next)
			next = t[i].id + 1;
	for (size_t i = 0; i < nt; i++)
		if (t[i].id < 0)
			t[i].id = next++;
	qsort(t, nt, sizeof *t, task_cmp);
	for (size_t i = 0; i < nt; i++) {
		for (int x = 0; x < SSTAT_NTRES; x++)
			usage_add(&r->in[x], t[i].v[x], t[i].cur[x],
			    (uint32_t)t[i].id, i == 0);
		usage_add(&r->out, t[i].out, t[i].out, (uint32_t)t[i].id,
		    i == 0);
		freq += (double)proc_cpu_freq(t[i].cpu);
	}
	r->ntasks = ntasks > nt ? ntasks : (uint32_t)nt;
	r->cpufreq = freq / (double)r->ntasks;
	free(t);
	free(p);
}

static void
print_step(const struct sstat_opts *o, const struct fmt_list *l,
    const struct sjob *sj, uint32_t step_id, const struct step *s)
{
	struct sstat_row r;
	struct fmt_ctx ctx;
	struct buf pids;
	pid_t pgid;

	memset(&r, 0, sizeof r);
	memset(&ctx, 0, sizeof ctx);
	buf_init(&pids);
	r.job_id = sj->j.id;
	r.step_id = step_id;
	r.nodes = sj->j.nodelist;
	r.noconvert = o->noconvert;
	pgid = s != NULL ? s->pgid : sj->batch_pid;
	gather(&r, pgid, s != NULL ? s->ntasks : 1, s == NULL,
	    !o->pidformat, &pids);
	r.pids = pids.len > 0 ? pids.data : NULL;
	ctx.now = now_sec();
	fmt_print_row(stdout, l, &r, &ctx);
	buf_free(&pids);
}

/* The running steps of one job, ID.batch first as Slurm lists them. */
static void
stat_job(const struct sstat_opts *o, const struct fmt_list *l,
    const struct sel *sel, const struct sjob *sj, const struct step *steps,
    size_t nsteps)
{
	const struct step **run;
	size_t nrun = 0;
	bool batch, any = false;
	char name[64];

	batch = sj->j.state == JOB_RUNNING && sj->batch_pid > 0;
	run = xcalloc(nsteps + 1, sizeof *run);
	for (size_t i = 0; i < nsteps; i++)
		if (steps[i].job_id == sj->j.id &&
		    steps[i].state == JOB_RUNNING &&
		    sj->j.state == JOB_RUNNING)
			run[nrun++] = &steps[i];
	if (sel->step == NO_VAL) {
		if (!batch && nrun == 0)
			cli_err("No steps running for job %u", sel->id);
		else if (o->allsteps) {
			if (batch)
				print_step(o, l, sj, SSTAT_BATCH, NULL);
			for (size_t i = 0; i < nrun; i++)
				print_step(o, l, sj, run[i]->step_id, run[i]);
		} else if (nrun > 0)	/* the lowest numbered, not batch */
			print_step(o, l, sj, run[0]->step_id, run[0]);
		free(run);
		return;
	}
	if (sel->step == SSTAT_BATCH && batch) {
		print_step(o, l, sj, SSTAT_BATCH, NULL);
		any = true;
	}
	for (size_t i = 0; i < nrun && !any; i++)
		if (run[i]->step_id == sel->step) {
			print_step(o, l, sj, sel->step, run[i]);
			any = true;
		}
	if (!any) {
		step_name(name, sizeof name, sel->id, sel->step);
		cli_err("%s not found running.", name);
	}
	free(run);
}

static void
add_fields(struct sstat_opts *o, const char *s)
{
	if (o->fields.len > 0)
		buf_addc(&o->fields, ',');
	buf_adds(&o->fields, s);
}

static int
step_order(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	if (x->job_id != y->job_id)
		return x->job_id < y->job_id ? -1 : 1;
	return x->step_id < y->step_id ? -1 : x->step_id > y->step_id;
}

int
cmd_sstat(int argc, char **argv)
{
	struct sstat_opts o;
	struct fmt_list l;
	struct step *steps;
	struct sjob *jobs;
	const struct sjob *sj;
	size_t nsteps, njobs;
	char *cause = NULL;
	int ch;
	bool helpformat = false;

	memset(&o, 0, sizeof o);
	buf_init(&o.fields);
	o.mode = FMT_MARK;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "aehij:no:pPvV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			o.allsteps = true;
			break;
		case 'e':
			helpformat = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return 0;
		case 'i':
			o.pidformat = true;
			add_fields(&o, FMT_SSTAT_PIDS);
			break;
		case 'j':
			if (parse_sel(&o, optarg) != 0)
				return 1;
			break;
		case 'n':
			o.noheader = true;
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
		case 'v':
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case 0x100:
			o.noconvert = true;
			break;
		case 0x101:
			printf("Usage: sstat [options] -j <job(.stepid)>\n"
			    "\tUse --help for help\n");
			return 0;
		default:
			return 1;
		}
	}
	if (helpformat) {
		fmt_sstat_helpformat(stdout);
		return 0;
	}
	/* Slurm takes the first operand as one more job. */
	if (optind < argc && parse_sel(&o, argv[optind]) != 0)
		return 1;
	if (fmt_parse_acct(&l, &fmt_sstat_table, o.fields.len > 0 ?
	    o.fields.data : FMT_SSTAT_DEFAULT, &cause) != 0) {
		cli_err("%s", cause);
		return 1;
	}
	l.mode = o.mode;
	if (o.nsels == 0) {
		cli_err("You didn't give me any jobs to stat.");
		return 1;
	}
	if (!o.noheader)
		fmt_print_header(stdout, &l);
	if (query(&o, &steps, &nsteps, &jobs, &njobs) != 0)
		return 1;
	qsort(steps, nsteps, sizeof *steps, step_order);
	for (size_t i = 0; i < o.nsels; i++) {
		sj = NULL;
		for (size_t k = 0; k < njobs && sj == NULL; k++)
			if (jobs[k].j.id == o.sels[i].id)
				sj = &jobs[k];
		if (sj == NULL) {
			fflush(stdout);
			cli_err("couldn't get steps for job %u", o.sels[i].id);
			continue;
		}
		fflush(stdout);
		if (getuid() != 0 && sj->j.uid != getuid()) {
			cli_err("problem getting step_layout for job %u: "
			    "Access/permission denied", sj->j.id);
			continue;
		}
		stat_job(&o, &l, &o.sels[i], sj, steps, nsteps);
	}
	for (size_t i = 0; i < nsteps; i++)
		step_free(&steps[i]);
	free(steps);
	for (size_t i = 0; i < njobs; i++)
		job_free(&jobs[i].j);
	free(jobs);
	fmt_list_free(&l);
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}
