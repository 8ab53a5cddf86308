/* SPDX-License-Identifier: MIT */
/*
 * seff: the efficiency report of one job, as Slurm's contribs/seff/seff
 * (version 2.1, Slurm 22.05) prints it from the accounting database.
 * The job's record comes from MSG_ACCT_QUERY (sacct's), its steps from
 * MSG_STEP_QUERY; seff-report.c prints the lines.
 *
 * The script's surface, copied: options parsed as Perl's Getopt::Std
 * getopts("hvdf:") does (bundled letters, "Unknown option: x" on stderr
 * and carry on, -f takes a value and ignores it, "--" ends them, the
 * first other word ends them); -v prints "seff Version 2.1", -h or
 * anything but one job id the usage, both exit 1; -d adds the "Slurm
 * data:" lines.  The id is read as slurm_addto_step_list reads it:
 * "ID", "ID_TASK", "ID.STEP", "ID.batch", the first of a comma list,
 * digits then anything ("12x" is job 12); a bad one is fatal with its
 * words ("Bad job/step specified: x"), prefixed "perl: fatal:" as the
 * script's are (its libslurm logs under the interpreter's name), exit 1.
 * An unknown job, or an array task that has not started, prints "Job
 * not found." (exit 2); the array's id while tasks wait in its record,
 * "Badly formatted array jobid N with task_id = -2" (exit 3).  For a
 * plain id the job with that id is taken (for an array, the task that
 * kept the array's id), as slurmdbd's first row is.
 *
 * The figures, from what berth records: CPUs, nodes and memory of the
 * allocation (none for a job that never started); elapsed time (up to
 * now while running); CPU time: the batch step's rusage, which holds
 * its whole process tree including the srun steps run inside it (Slurm
 * sums the steps, whose tasks its batch step does not hold), or for an
 * allocation without a batch script (salloc, srun), or while the batch
 * step runs, the sum of its (ended) steps; memory: per step the largest
 * task's peak RSS (the batch step has one task) and the step's task
 * count.  "ID.STEP" and "ID.batch" count that step only, as the script
 * does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/proto.h"
#include "../proto/step.h"
#include "cli.h"
#include "seff.h"

#define SEFF_VERSION	"2.1"

/* The step an id names: all, the batch step, one that berth never has
 * (extern, interactive), or step N (>= 0). */
#define SEL_ALL		-1
#define SEL_BATCH	-2
#define SEL_NONE	-3

struct seff_sel {
	uint32_t	 id;
	uint32_t	 task;		/* NO_VAL: none given */
	int64_t		 step;		/* SEL_* or a step id */
};

static int
usage(void)
{
	printf("Usage: seff [Options] <Jobid>\n");
	printf("       Options:\n");
	printf("       -h    Help menu\n");
	printf("       -v    Version\n");
	printf("       -d    Debug mode: display raw Slurm data\n");
	return 1;
}

/*
 * slurm_addto_step_list's reading of one item: the step after the first
 * ".", the array task after the first "_", then the job id, each taken
 * from its leading digits (atoi).  -1 after printing its fatal line.
 */
static int
parse_id(const char *arg, struct seff_sel *sel)
{
	char *name, *dot, *under;
	int rc = -1;

	name = xstrdup(arg);
	name[strcspn(name, ",")] = '\0';
	sel->task = NO_VAL;
	sel->step = SEL_ALL;
	if ((dot = strchr(name, '.')) != NULL) {
		*dot++ = '\0';
		if (strcmp(dot, "batch") == 0)
			sel->step = SEL_BATCH;
		else if (strcmp(dot, "extern") == 0 ||
		    strcmp(dot, "interactive") == 0)
			sel->step = SEL_NONE;
		else if (isdigit((unsigned char)*dot)) {
			unsigned long n = strtoul(dot, NULL, 10);

			sel->step = n > UINT32_MAX ? UINT32_MAX : (int64_t)n;
		}
		else {
			fprintf(stderr, "perl: fatal: Bad step specified: "
			    "%s\n", name);
			goto out;
		}
	}
	if ((under = strchr(name, '_')) != NULL) {
		*under++ = '\0';
		if (isdigit((unsigned char)*under))
			sel->task = (uint32_t)strtoul(under, NULL, 10);
		else if (*under != '[') {
			fprintf(stderr, "perl: fatal: Bad job array element "
			    "specified: %s\n", name);
			goto out;
		}
	}
	if (!isdigit((unsigned char)*name)) {
		fprintf(stderr, "perl: fatal: Bad job/step specified: %s\n",
		    name);
		goto out;
	}
	sel->id = (uint32_t)strtoul(name, NULL, 10);
	rc = 0;
out:
	free(name);
	return rc;
}

/*
 * The record the id names: for ID_TASK that task once it has a record of
 * its own (one still held by the record of unstarted tasks is not found,
 * as in slurmdbd), else the job with that id, else the first task of the
 * array with that id.
 */
static const struct job *
pick_job(const struct job_list *jl, const struct seff_sel *sel)
{
	const struct job *alt = NULL;

	for (size_t i = 0; i < jl->n; i++) {
		const struct job *j = &jl->jobs[i];

		if (sel->task != NO_VAL) {
			if (j->array_job_id == sel->id &&
			    j->array_spec == NULL &&
			    j->array_task_id == sel->task)
				return j;
			continue;
		}
		if (j->id == sel->id)
			return j;
		if (alt == NULL && j->array_job_id == sel->id)
			alt = j;
	}
	return alt;
}

/* One step's usage into the figures: its CPU time, and its memory when
 * its largest task's peak is the largest yet (the script's "<"). */
static void
add_usage(struct seff_job *s, uint64_t usec, uint64_t rss_kb,
    uint32_t ntasks, bool cpu)
{
	if (cpu)
		s->cpu_usec += usec;
	if (rss_kb > s->max_rss_kb) {
		s->max_rss_kb = rss_kb;
		s->ntasks = ntasks;
	}
}

static void
fill(struct seff_job *s, const struct job *j, const struct seff_sel *sel,
    const struct step *steps, size_t nsteps, const char *cluster,
    int64_t now)
{
	bool allocated = j->nodelist != NULL && *j->nodelist != '\0';
	bool batch = !(j->flags & JOB_F_INTERACTIVE);
	/* The batch step's usage is known once it ended; until then the
	 * steps that ended count. */
	bool batch_done = batch && j->batch_state != JOB_NONE;
	char *u, *g;

	memset(s, 0, sizeof *s);
	s->job_id = j->id;
	if (j->array_job_id != 0) {
		s->array_job_id = j->array_job_id;
		s->array_task_id = j->array_task_id;
	}
	s->cluster = cluster;
	if (j->user != NULL && *j->user != '\0')
		u = xstrdup(j->user);
	else
		xasprintf(&u, "%u", j->uid);
	if (j->group != NULL && *j->group != '\0')
		g = xstrdup(j->group);
	else
		xasprintf(&g, "%u", j->gid);
	s->user = u;
	s->group = g;
	s->state = job_state_name(j->state);
	s->exit_code = (uint32_t)j->exit_status >> 8;
	s->allocated = allocated;
	if (allocated) {
		s->ncpus = j->ncpus;
		s->nnodes = job_nodes(j);
		s->alloc_mem_kb = job_mem_total(j) * 1024;
	}
	s->per_cpu = (j->flags & JOB_F_MEM_PER_CPU) != 0;
	s->req_mem_kb = job_mem_total(j) * 1024;
	if (j->state != JOB_PENDING && j->start_time != 0) {
		int64_t end = j->end_time != 0 ? j->end_time : now;

		s->elapsed = end > j->start_time ?
		    (uint64_t)(end - j->start_time) : 0;
	}

	/* The batch step first, then the others by id (slurmdbd's order). */
	if (batch && (sel->step == SEL_ALL || sel->step == SEL_BATCH))
		add_usage(s, j->user_usec + j->sys_usec, j->max_rss_kb, 1,
		    true);
	for (size_t i = 0; i < nsteps; i++) {
		const struct step *st = &steps[i];

		if (st->job_id != j->id || (sel->step != SEL_ALL &&
		    sel->step != (int64_t)st->step_id))
			continue;
		/* A step inside the batch script is in its rusage. */
		add_usage(s, st->user_usec + st->sys_usec, st->max_rss_kb,
		    st->ntasks, !batch_done || sel->step != SEL_ALL);
	}
}

int
cmd_seff(int argc, char **argv)
{
	struct seff_sel sel;
	struct seff_job s;
	struct job_filter f;
	struct job_list jl;
	struct msg req;
	struct step *steps;
	const struct job *j;
	size_t nsteps;
	uint32_t errcode = 0, job_id;
	char *errtext = NULL, *cluster = NULL, **unknown = NULL;
	bool help = false, version = false, debug = false;
	int i, rc;

	/* Getopt::Std's getopts("hvdf:"). */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		/* Getopt::Std answers these two with its own text. */
		if (strcmp(a, "--help") == 0) {
			help = true;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			version = true;
			continue;
		}
		for (a++; *a != '\0'; a++) {
			if (*a == 'h')
				help = true;
			else if (*a == 'v')
				version = true;
			else if (*a == 'd')
				debug = true;
			else if (*a == 'f') {
				if (a[1] == '\0' && i + 1 < argc)
					i++;
				break;
			} else
				fprintf(stderr, "Unknown option: %c\n", *a);
		}
	}
	if (version) {
		printf("seff Version %s\n", SEFF_VERSION);
		return 1;
	}
	if (help || argc - i != 1)
		return usage();
	if (parse_id(argv[i], &sel) == -1)
		return 1;

	if (client_clusters("all", &cluster, &unknown) != 1)
		return 1;
	strv_free(unknown);

	memset(&f, 0, sizeof f);
	f.ids = &sel.id;
	f.nids = 1;
	f.flags = FILTER_F_ALL_USERS | FILTER_F_PARTS;
	msg_init(&req);
	proto_filter_put(&req, &f);
	memset(&jl, 0, sizeof jl);
	rc = client_request_list(MSG_ACCT_QUERY, &req, &jl, &errcode,
	    &errtext);
	msg_free(&req);
	if (rc == 1) {
		cli_err("%s", errtext);
		free(errtext);
	}
	if (rc != 0)
		return 1;
	if (sel.id == 0 || (j = pick_job(&jl, &sel)) == NULL) {
		fprintf(stderr, "Job not found.\n");
		return 2;
	}
	if (j->array_job_id != 0 && j->array_task_id == NO_VAL) {
		fprintf(stderr, "Badly formatted array jobid %u with task_id "
		    "= -2\n", j->array_job_id);
		return 3;
	}
	job_id = j->id;
	steps = client_steps(&job_id, 1, &nsteps);
	fill(&s, j, &sel, steps, nsteps, cluster, (int64_t)time(NULL));
	seff_print(stdout, &s, debug);
	if (fflush(stdout) == EOF || ferror(stdout))
		return 1;
	return 0;
}
