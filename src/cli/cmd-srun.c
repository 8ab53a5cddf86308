// SPDX-License-Identifier: MIT
/*
 * srun: run a parallel job step.  The order of work:
 *
 *   1. options: argv's early pass (--help, --usage, --version, -Q, -v),
 *      the SLURM_* input variables, argv (stops at the command); Slurm's
 *      errors and exit codes (opt.c);
 *   2. inside an allocation (SLURM_JOB_ID set: a batch job, a salloc
 *      shell) ask for a step (MSG_STEP_CREATE); otherwise for an
 *      allocation that carries step 0 (MSG_ALLOC with ALLOC_F_STEP), with
 *      Slurm's "queued and waiting" lines while it is pending;
 *   3. launch the tasks (launch.c), tell the daemon their process group
 *      (MSG_STEP_LAUNCHED), pump their I/O and wait for them;
 *   4. report the step (MSG_STEP_COMPLETE, or MSG_ALLOC_RELEASE which ends
 *      step 0 and the allocation together) and exit with Slurm's code:
 *      the highest task exit code, 128+signal for a task killed by one.
 *
 * The tasks' environment is srun's after --export (ALL by default; NONE
 * or a list keep the SLURM_* variables and the named ones), with the
 * job's and the step's SLURM_* variables (jobsup_env_step).
 *
 * Exit status for failures before launch: 255 for option errors, 1 for
 * everything else (refused allocation, no command), as Slurm.
 */
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../jobsup/jobsup.h"
#include "../proto/step.h"
#include "cli.h"
#include "launch.h"
#include "multi-prog.h"
#include "opt.h"
#include "srun-hooks.h"
#include "step-client.h"

extern char **environ;

struct srun {
	struct opts	 o;
	char		**argv;		/* the command */
	char		*cwd;
	char		*workdir;
	bool		 in_alloc;
	uint32_t	 job_id;	/* of the allocation we are in */
	struct job	 job;
	struct step	 step;
	bool		 have_job, have_step;
	bool		 alloc_said;	/* -v: the allocation's line is out */
	struct multi_prog mp;		/* --multi-prog: argv[0]'s records */
};

static char *
abs_path(const char *dir, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	return xprintf("%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", path);
}

/* Set NAME=value in a vector (replacing NAME), for --export. */
static void
env_put(char ***vp, size_t *np, const char *kv)
{
	size_t len = strcspn(kv, "=");
	char **v = *vp;

	for (size_t i = 0; i < *np; i++)
		if (strncmp(v[i], kv, len) == 0 && v[i][len] == '=') {
			free(v[i]);
			v[i] = xstrdup(kv);
			return;
		}
	v = xreallocarray(v, *np + 2, sizeof *v);
	v[(*np)++] = xstrdup(kv);
	v[*np] = NULL;
	*vp = v;
}

/*
 * The environment the tasks start from: --export=ALL (default) is srun's
 * whole environment; NONE keeps the SLURM_* variables; a list adds the
 * named variables ("NAME" or "NAME=value") to them, everything with ALL
 * in the list.
 */
static char **
export_env(const char *exp)
{
	char **v = xcalloc(1, sizeof *v), **items;
	size_t n = 0, ni;
	bool all = exp == NULL || strcasecmp(exp, "ALL") == 0;

	items = exp != NULL && !all && strcasecmp(exp, "NONE") != 0 ?
	    strv_split(exp, ",", &ni) : NULL;
	for (size_t i = 0; items != NULL && i < ni; i++)
		if (strcasecmp(items[i], "ALL") == 0)
			all = true;
	for (char **e = environ; *e != NULL; e++)
		if (strchr(*e, '=') != NULL &&
		    (all || strncmp(*e, "SLURM_", 6) == 0))
			env_put(&v, &n, *e);
	for (size_t i = 0; items != NULL && i < ni; i++) {
		const char *val;
		char *kv;

		if (strcasecmp(items[i], "ALL") == 0)
			continue;
		if (strchr(items[i], '=') != NULL) {
			env_put(&v, &n, items[i]);
			continue;
		}
		if ((val = getenv(items[i])) == NULL)
			continue;
		kv = xprintf("%s=%s", items[i], val);
		env_put(&v, &n, kv);
		free(kv);
	}
	if (exp != NULL) {
		char *kv = xprintf("SLURM_EXPORT_ENV=%s", exp);

		env_put(&v, &n, kv);
		free(kv);
	}
	strv_free(items);
	return v;
}

/*
 * The allocation we are in: --jobid or SLURM_JOB_ID (the option's input
 * variable), as Slurm's srun keeps it (32 bits, opt.c's set_jobid); none
 * (false) if neither is given or it is NO_VAL.  Slurm's srun does not
 * read SLURM_JOBID (22.05.8: with only that set it makes an allocation).
 */
static bool
allocation_id(const struct opts *o, uint32_t *id)
{
	if (!o->src[OPT_ID_JOBID] || o->jobid == NO_VAL)
		return false;
	*id = o->jobid;
	return true;
}

/*
 * srun -v's line about the allocation it runs in, which Slurm's srun
 * prints as soon as it knows the allocation, before the step's own errors
 * (22.05.8: "jobid 12: nodes(1):`vm', cpu counts: 1(x1)"): here from the
 * allocation's variables.  False if they are not there (--jobid from
 * outside it): run_step() then prints it from the job record.
 */
static bool
alloc_line(uint32_t id)
{
	const char *nodes = getenv("SLURM_JOB_NODELIST");
	const char *cpus = getenv("SLURM_JOB_CPUS_PER_NODE");
	const char *jid = getenv("SLURM_JOB_ID");
	uint32_t n;

	if (nodes == NULL)
		nodes = getenv("SLURM_NODELIST");
	if (nodes == NULL || cpus == NULL || jid == NULL ||
	    parse_u32(jid, &n) == -1 || n != id)
		return false;
	cli_warn("jobid %u: nodes(1):`%s', cpu counts: %s%s", id, nodes, cpus,
	    strchr(cpus, '(') != NULL ? "" : "(x1)");
	return true;
}

static void
fill_request(struct srun *s, struct step *req)
{
	const struct opts *o = &s->o;
	const char *base = strrchr(s->argv[0], '/');

	memset(req, 0, sizeof *req);
	req->job_id = s->job_id;
	req->uid = getuid();
	/* 0: the job's (the daemon decides, docs/steps.md) */
	req->ntasks = o->src[OPT_ID_NTASKS] ? o->ntasks : 0;
	if (o->multi_prog)	/* the ranks named set the task count */
		req->ntasks = s->mp.ntasks;
	/* Slurm 22.05: a step's tasks get one CPU unless -c is given */
	req->cpus_per_task = o->src[OPT_ID_CPUS_PER_TASK] ?
	    o->cpus_per_task : 1;
	if (o->src[OPT_ID_NTASKS] || o->multi_prog)
		req->flags |= STEP_F_NTASKS_SET;
	if (o->src[OPT_ID_CPUS_PER_TASK])
		req->flags |= STEP_F_CPT_SET;
	if (o->src[OPT_ID_MEM]) {
		req->mem_mb = o->mem_mb;
		req->flags |= STEP_F_MEM_SET;
	} else if (o->src[OPT_ID_MEM_PER_CPU]) {
		req->mem_mb = o->mem_per_cpu_mb * req->ntasks *
		    req->cpus_per_task;
		req->flags |= STEP_F_MEM_SET;
	}
	if (o->gpus_given) {
		req->gpus = o->gpu_count;
		req->flags |= STEP_F_GPUS_SET;
	}
	if (o->exact || o->exclusive == 1)
		req->flags |= STEP_F_EXCLUSIVE;
	if (o->overlap)
		req->flags |= STEP_F_OVERLAP;
	if (o->overcommit)
		req->flags |= STEP_F_OVERCOMMIT;
	if (o->pty)
		req->flags |= STEP_F_PTY;
	req->srun_pid = (int32_t)getpid();
	req->kill_uid = NO_VAL;
	/*
	 * Inside an allocation SLURM_JOB_NAME is the job's name, not a -J
	 * for the step: the step is named after its command (50_sacct).
	 */
	if (o->job_name != NULL && !(s->in_alloc &&
	    o->src[OPT_ID_JOB_NAME] == OPT_SRC_ENV))
		req->name = xstrdup(o->job_name);
	else
		req->name = xstrdup(base != NULL ? base + 1 : s->argv[0]);
	req->command = step_command_line(s->argv);
}

static void
fill_desc(struct srun *s, struct job_desc *d, char **argv, int argc)
{
	const char *base = strrchr(s->argv[0], '/');
	struct buf line;

	job_desc_init(d);
	opt_fill_job(&s->o, &d->job);	/* -n/-c: the job's and step 0's */
	job_desc_gpu_type(d, &s->o);
	d->job.name = xstrdup(s->o.job_name != NULL ? s->o.job_name :
	    base != NULL ? base + 1 : s->argv[0]);
	d->job.workdir = xstrdup(s->workdir);
	d->job.uid = getuid();
	d->job.gid = getgid();
	d->job.command = step_command_line(s->argv);
	buf_init(&line);
	for (int i = 0; i < argc; i++)
		buf_printf(&line, "%s%s", i > 0 ? " " : "", argv[i]);
	d->job.submit_line = buf_steal(&line);
}

/*
 * --test-only: when a new allocation would start, as Slurm's srun says
 * it ("srun: Job N to start at T using C processors on nodes H in
 * partition P", exit 0; a refusal is "allocation failure: ...", exit 1);
 * nothing runs.  The daemon's test of sbatch --test-only answers it.
 */
static int
test_only(struct job_desc *d)
{
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code = 0, id;
	char *errtext = NULL;
	int r, rc = 1;

	d->script = xstrdup("#!/bin/sh\n");
	d->test_only = 1;
	msg_init(&req);
	msg_init(&resp);
	proto_job_desc_put(&req, d);
	r = client_request(MSG_SUBMIT, &req, &rtype, &resp, &code, &errtext);
	msg_free(&req);
	if (r == 1)
		fprintf(stderr, "allocation failure: %s\n", errtext);
	if (r != 0)
		goto out;
	if (rtype != MSG_SUBMITTED || client_submitted(&resp, d, &id) == -1) {
		cli_err("bad reply %u from berth daemon", rtype);
		goto out;
	}
	rc = 0;
out:
	free(errtext);
	msg_free(&resp);
	return rc;
}

static int
on_launched(void *arg, pid_t pgid)
{
	struct srun *s = arg;
	int rc;

	s->step.pgid = pgid;
	rc = step_launched(s->step.job_id, s->step.step_id, pgid);
	/* A step may run for days: hold no daemon connection meanwhile. */
	step_client_close();
	return rc;
}

/* Run the granted step and report it; returns srun's exit code. */
static int
run_step(struct srun *s, const struct step_conv *sc)
{
	struct opts *o = &s->o;
	struct job_spec spec;
	struct jobsup_step_env se;
	struct step_launch l;
	struct launch_result res;
	struct step fin;
	char *cause = NULL, host[256];
	char **base, **wrapped = NULL;
	mode_t mask;
	int rc, st;

	memset(&l, 0, sizeof l);
	memset(&spec, 0, sizeof spec);
	spec.job = s->job;
	base = export_env(o->export_env);
	if (!s->in_alloc) {
		char *kv;
		size_t n = strv_len(base);
		int prio;

		if (getenv("SLURM_SUBMIT_DIR") == NULL) {
			kv = xprintf("SLURM_SUBMIT_DIR=%s", s->cwd);
			env_put(&base, &n, kv);
			free(kv);
		}
		errno = 0;
		prio = getpriority(PRIO_PROCESS, 0);
		kv = xprintf("SLURM_PRIO_PROCESS=%d", errno == 0 ? prio : 0);
		env_put(&base, &n, kv);
		free(kv);
	}
	if (o->src[OPT_ID_NTASKS_PER_NODE] && o->ntasks_per_node > 0) {
		/* As Slurm's srun (checked: srun --ntasks-per-node=2). */
		char *kv = xprintf("SLURM_NTASKS_PER_NODE=%u",
		    o->ntasks_per_node);
		size_t n = strv_len(base);

		env_put(&base, &n, kv);
		free(kv);
	}
	/* --container, --ntasks-per-gpu: Slurm's srun tells the tasks
	 * (22.05.8; not SLURM_NTASKS_PER_GPU, which is its input). */
	if (o->container != NULL || o->src[OPT_ID_NTASKS_PER_GPU]) {
		size_t n = strv_len(base);
		char *kv;

		if (o->container != NULL) {
			kv = xprintf("SLURM_CONTAINER=%s", o->container);
			env_put(&base, &n, kv);
			free(kv);
		}
		if (o->src[OPT_ID_NTASKS_PER_GPU]) {
			kv = xprintf("SLURM_NTASKS_PER_TRES=%u",
			    o->ntasks_per_gpu);
			env_put(&base, &n, kv);
			free(kv);
		}
	}
	spec.env = base;
	spec.node_name = s->job.nodelist != NULL ? s->job.nodelist :
	    (char *)(uintptr_t)short_hostname();
	spec.cluster_name = sc->cluster_name != NULL ? sc->cluster_name :
	    getenv("SLURM_CLUSTER_NAME");
	if (s->in_alloc)
		spec.conf_path = getenv("SLURM_CONF");
	else if (getenv("BERTH_CONF") != NULL)
		spec.conf_path = getenv("BERTH_CONF");
	else
		spec.conf_path = xprintf("%s/berth.conf", berth_state_dir());
	spec.submit_host = getenv("SLURM_SUBMIT_HOST");
	if (spec.submit_host == NULL && gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		spec.submit_host = host;
	}

	if (o->verbose > 0 && o->quiet == 0 && !s->alloc_said)
		cli_warn("jobid %u: nodes(1):`%s', cpu counts: %u(x1)",
		    s->job.id, spec.node_name, s->in_alloc ? s->job.ncpus :
		    s->step.ncpus);
	if (launch_bind_plan(o->cpu_bind, s->step.cpu_ids != NULL ?
	    s->step.cpu_ids : s->job.cpu_ids, s->step.ntasks,
	    s->step.cpus_per_task, &l.bind, &cause) == -1) {
		cli_err("%s", cause);
		free(cause);
		rc = 1;
		goto abort;
	}
	memset(&se, 0, sizeof se);
	se.step_id = s->step.step_id;
	se.ntasks = s->step.ntasks;
	se.cpus_per_task = s->step.cpus_per_task;
	se.cpt_set = o->src[OPT_ID_CPUS_PER_TASK] != 0;
	se.in_alloc = s->in_alloc;
	se.gpu_ids = s->step.gpu_ids;
	se.cpu_bind = l.bind.env_bind;
	se.cpu_bind_type = l.bind.env_type;
	se.cpu_bind_list = l.bind.env_list;
	se.cpu_bind_verbose = l.bind.verbose ? "verbose" : "quiet";
	mask = umask(0);
	umask(mask);
	se.umask = mask;
	l.task_env0 = jobsup_env_step(&spec, &se);

	l.argv = s->argv;
	if (!o->multi_prog && (wrapped = srun_task_wrap(s->argv,
	    o->task_prolog, o->task_epilog)) != NULL)
		l.argv = wrapped;
	if (o->multi_prog && (l.task_argv = multi_prog_argv(&s->mp,
	    s->step.ntasks, &cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		rc = 1;
		goto abort;
	}
	l.ntasks = s->step.ntasks;
	l.workdir = s->workdir;
	l.node = spec.node_name;
	l.names.job_id = s->job.id;
	l.names.step_id = s->step.step_id;
	l.names.array_job_id = s->job.array_job_id;
	l.names.array_task_id = s->job.array_task_id;
	l.names.node = spec.node_name;
	l.names.user = s->job.user;
	l.names.job_name = s->job.name;
	l.names.workdir = s->workdir;
	launch_io_mode(o->input, &l.in);
	launch_io_mode(o->output, &l.out);
	launch_io_mode(o->error, &l.err);
	l.label = o->label;
	l.unbuffered = o->unbuffered;
	l.pty = o->pty;
	l.append = o->open_mode == 'a';
	l.kill_on_bad_exit = o->kill_on_bad_exit;
	l.disable_status = o->disable_status;
	l.quiet = o->quiet;
	l.verbose = o->quiet > 0 ? 0 : o->verbose;
	l.kill_wait = sc->kill_wait != 0 ? sc->kill_wait : 30;
	l.launched = on_launched;
	l.arg = s;

	if (o->prolog != NULL &&
	    (st = srun_hook_run(o->prolog, l.task_env0, "prolog")) != 0) {
		cli_err("srun prolog failed rc = %d. Aborting step.", st);
		rc = 1;
		goto abort;
	}
	if (launch_run(&l, &res) == -1) {
		rc = 1;
		goto abort;
	}
	fin = s->step;
	fin.state = res.state;
	fin.exit_status = res.status;
	fin.pgid = res.pgid;
	fin.start_time = res.start_time;
	fin.end_time = res.end_time;
	fin.max_rss_kb = res.max_rss_kb;
	fin.user_usec = res.user_usec;
	fin.sys_usec = res.sys_usec;
	if (s->in_alloc)
		(void)step_complete(&fin);
	else
		(void)step_release(s->job.id, res.status, &fin);
	rc = res.exit_code;
	if (o->epilog != NULL &&
	    (st = srun_hook_run(o->epilog, l.task_env0, "epilog")) != 0)
		cli_err("srun epilog failed status=%d", st);
	goto out;
abort:
	/* nothing ran: the step (and our allocation) end as failed */
	fin = s->step;
	fin.state = JOB_FAILED;
	fin.exit_status = 1 << 8;
	fin.end_time = now_sec();
	if (s->in_alloc)
		(void)step_complete(&fin);
	else
		(void)step_release(s->job.id, fin.exit_status, &fin);
out:
	multi_prog_argv_free(l.task_argv, s->step.ntasks);
	strv_free(wrapped);
	strv_free(l.task_env0);
	launch_bind_free(&l.bind, s->step.ntasks);
	strv_free(base);
	if (!s->in_alloc && getenv("BERTH_CONF") == NULL)
		free(spec.conf_path);
	return rc;
}

int
cmd_srun(int argc, char **argv)
{
	struct srun s;
	struct opt_err err = { 0, NULL, false };
	struct step req;
	struct job_desc d;
	struct step_conv sc = { false, false, NULL, 0 };
	sigset_t rt;
	int first, first2, early, resolved, rc = 1;
	uint32_t flags;

	memset(&s, 0, sizeof s);
	memset(&req, 0, sizeof req);
	opt_init(&s.o, OPT_SRUN);
	/* The daemon's control values wait for the launcher's signalfd. */
	sigemptyset(&rt);
	sigaddset(&rt, SPEC_CTL_SIG);
	sigprocmask(SIG_BLOCK, &rt, NULL);

	/* 1: a malformed command line, which the main pass reports */
	if ((early = opt_parse_argv(&s.o, argc, argv, OPT_SRC_ARGV,
	    OPT_PASS_EARLY, &first, &err)) == -1) {
		rc = step_opt_err(&err);
		goto out;
	}
	if (early == 0 && opt_run_action(&s.o, stdout, BERTH_VERSION_LINE)) {
		rc = 0;
		goto out;
	}
	if (opt_apply_env(&s.o, &err) == -1 ||
	    opt_parse_argv(&s.o, argc, argv, OPT_SRC_ARGV, OPT_PASS_MAIN,
	    &first2, &err) == -1) {
		rc = step_opt_err(&err);
		goto out;
	}
	s.o.step_in_alloc = allocation_id(&s.o, &s.job_id);
	resolved = opt_resolve(&s.o, &err);
	if (resolved == -1 && !err.late) {
		rc = step_opt_err(&err);
		goto out;
	}
	/* -M: Slurm's lines for names berth is not; exit 1 if none is */
	if (s.o.clusters != NULL) {
		char *name = NULL;

		if (client_clusters_check(s.o.clusters, &name) == -1)
			goto out;
		free(name);
	}
	opt_extra_warnings(&s.o, stderr);
	sc.quiet = s.o.quiet > 0;
	if (s.o.mpi != NULL && strcasecmp(s.o.mpi, "none") != 0) {
		if (strcasecmp(s.o.mpi, "list") == 0) {
			printf("MPI plugin types are...\n\tnone\n");
			rc = 0;
		} else
			cli_err("MPI: Cannot create context for mpi/%s",
			    s.o.mpi);
		goto out;
	}
	if (first2 >= argc) {
		fprintf(stderr, "srun: fatal: No command given to execute.\n");
		goto out;
	}
	if (s.o.verbose > 0)
		opt_print_set(&s.o, stderr, NULL);
	if (s.o.verbose > 0 && s.o.quiet == 0 && s.o.step_in_alloc)
		s.alloc_said = alloc_line(s.job_id);
	if (resolved == -1) {	/* a GPU request: after -v's table */
		rc = step_opt_err(&err);
		goto out;
	}
	s.argv = argv + first2;
	if (s.o.pty) {
		struct winsize ws;

		if (ioctl(1, TIOCGWINSZ, &ws) == -1) {
			cli_err("ioctl(TIOCGWINSZ): %s", strerror(errno));
			cli_err("Not using a pseudo-terminal, disregarding "
			    "--pty option");
			s.o.pty = false;
		}
	}
	if ((s.cwd = getcwd(NULL, 0)) == NULL) {
		cli_err("getcwd failed: %s", strerror(errno));
		goto out;
	}
	s.workdir = s.o.chdir != NULL ? abs_path(s.cwd, s.o.chdir) :
	    xstrdup(s.cwd);

	if (s.o.multi_prog) {
		char *cause = NULL, *line, *save = NULL;

		if (multi_prog_load(s.argv[0], s.o.src[OPT_ID_NTASKS] ?
		    s.o.ntasks : 0, &s.mp, &cause) == -1) {
			for (line = strtok_r(cause, "\n", &save); line != NULL;
			    line = strtok_r(NULL, "\n", &save))
				cli_err("%s", line);
			free(cause);
			goto out;
		}
		/* -n for the job too, outside an allocation */
		s.o.ntasks = s.mp.ntasks;
		if (s.o.src[OPT_ID_NTASKS] == 0)
			s.o.src[OPT_ID_NTASKS] = OPT_SRC_ARGV;
	}
	s.in_alloc = s.o.step_in_alloc;
	fill_request(&s, &req);
	if (s.o.test_only) {
		fill_desc(&s, &d, argv, argc);
		rc = test_only(&d);
		job_desc_free(&d);
		goto out;
	}
	if (s.in_alloc) {
		if (step_create(&sc, &req, &s.job, &s.step) == -1)
			goto out;
		s.have_job = s.have_step = true;
	} else {
		fill_desc(&s, &d, argv, argc);
		flags = ALLOC_F_STEP;
		if (s.o.immediate >= 0)
			flags |= ALLOC_F_IMMEDIATE;
		if (step_alloc(&sc, &d, flags, &req, &s.job, &s.step,
		    &s.have_step) == -1) {
			job_desc_free(&d);
			goto out;
		}
		job_desc_free(&d);
		s.have_job = true;
		if (!s.have_step) {
			cli_err("berth daemon granted job %u without its step",
			    s.job.id);
			(void)step_release(s.job.id, 1 << 8, NULL);
			goto out;
		}
	}
	rc = run_step(&s, &sc);
out:
	step_client_close();
	step_conv_free(&sc);
	step_free(&req);
	if (s.have_step)
		step_free(&s.step);
	if (s.have_job)
		job_free(&s.job);
	free(s.cwd);
	free(s.workdir);
	multi_prog_free(&s.mp);
	opt_free(&s.o);
	opt_err_free(&err);
	return rc;
}
