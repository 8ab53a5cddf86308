// SPDX-License-Identifier: MIT
/*
 * salloc: obtain an allocation, run a command in it, release it.
 *
 *   1. options as srun's (opt.c, SALLOC_* input variables);
 *   2. MSG_ALLOC (no step): "salloc: Pending job allocation N" and
 *      "salloc: job N queued and waiting for resources" while it waits,
 *      "salloc: Granted job allocation N" once it runs (61_salloc);
 *   3. the command (default: the user's login shell from /etc/passwd, as
 *      Slurm's salloc, else $SHELL, else /bin/sh) runs in its own process
 *      group, the terminal's foreground group when salloc's stdin is a
 *      terminal, with the allocation's variables added to salloc's
 *      environment (SLURM_JOB_ID, SLURM_JOBID, SLURM_JOB_NODELIST,
 *      SLURM_NODELIST, SLURM_JOB_CPUS_PER_NODE, SLURM_TASKS_PER_NODE,
 *      SLURM_NTASKS/SLURM_NPROCS with -n, SLURM_CPUS_PER_TASK with -c,
 *      SLURM_MEM_PER_NODE or _PER_CPU, SLURM_JOB_PARTITION, ...: Slurm's
 *      env_array_for_job), so that srun inside creates steps;
 *   4. when it exits, "salloc: Relinquishing job allocation N"
 *      (MSG_ALLOC_RELEASE) and salloc exits with the command's exit code
 *      (128+signal when a signal killed it).
 *
 * While the command runs salloc ignores SIGINT, SIGQUIT and SIGTSTP (they
 * are for the command, as in Slurm), forwards SIGHUP, SIGTERM, SIGUSR1 and
 * SIGUSR2 to the command's process group, and obeys the daemon's control
 * values: STEP_CTL_CANCEL prints "salloc: Job allocation N has been
 * revoked.", STEP_CTL_TIMEOUT Slurm's time-limit line; both hang up the
 * command (SIGHUP, SIGCONT, SIGTERM; SIGKILL after KILL_WAIT seconds).
 *
 * --no-shell: the allocation has no holder and lives until scancel or its
 * time limit; salloc exits 0 after the grant.
 */
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/passwd.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/step.h"
#include "cli.h"
#include "opt.h"
#include "step-client.h"

#define KILL_WAIT	10	/* seconds from hang-up to SIGKILL */

static void
setenvf(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
setenvf(const char *name, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	xvasprintf(&v, fmt, ap);
	va_end(ap);
	if (setenv(name, v, 1) == -1)
		cli_err("setenv %s: %s", name, strerror(errno));
	free(v);
}

/* The allocation's variables, as Slurm's salloc sets them. */
static void
alloc_env(const struct opts *o, const struct job *j, const char *cwd,
    const char *cluster)
{
	const char *node = j->nodelist != NULL ? j->nodelist :
	    short_hostname();
	uint32_t ncpus = j->ncpus != 0 ? j->ncpus : 1;
	char host[256];

	if (cluster != NULL)
		setenvf("SLURM_CLUSTER_NAME", "%s", cluster);
	if (getenv("SLURM_CONF") == NULL)
		setenvf("SLURM_CONF", "%s", getenv("BERTH_CONF") != NULL ?
		    getenv("BERTH_CONF") : xprintf("%s/berth.conf",
		    berth_state_dir()));
	setenvf("SLURM_JOB_ID", "%u", j->id);
	setenvf("SLURM_JOBID", "%u", j->id);
	if (j->account != NULL)
		setenvf("SLURM_JOB_ACCOUNT", "%s", j->account);
	setenvf("SLURM_JOB_CPUS_PER_NODE", "%u", ncpus);
	if (j->name != NULL)
		setenvf("SLURM_JOB_NAME", "%s", j->name);
	setenvf("SLURM_JOB_NODELIST", "%s", node);
	setenvf("SLURM_JOB_NUM_NODES", "1");
	if (j->partition != NULL)
		setenvf("SLURM_JOB_PARTITION", "%s", j->partition);
	if (j->qos != NULL)
		setenvf("SLURM_JOB_QOS", "%s", j->qos);
	/* Only when given (Slurm 22.05.8: not for DefMemPerCPU). */
	if ((j->flags & JOB_F_MEM_SET) && j->mem_mb != 0 &&
	    j->mem_mb != NO_VAL64)
		setenvf((j->flags & JOB_F_MEM_PER_CPU) ? "SLURM_MEM_PER_CPU" :
		    "SLURM_MEM_PER_NODE", "%llu",
		    (unsigned long long)j->mem_mb);
	setenvf("SLURM_NNODES", "1");
	setenvf("SLURM_NODELIST", "%s", node);
	setenvf("SLURM_NODE_ALIASES", "(null)");
	/* srun's -O input: its steps share CPUs too (Slurm 22.05.8). */
	if (j->flags & JOB_F_OVERCOMMIT)
		setenvf("SLURM_OVERCOMMIT", "1");
	if (o->src[OPT_ID_NTASKS]) {
		setenvf("SLURM_NTASKS", "%u", j->ntasks);
		setenvf("SLURM_NPROCS", "%u", j->ntasks);
		setenvf("SLURM_TASKS_PER_NODE", "%u", j->ntasks);
	} else {
		uint32_t cpt = j->cpus_per_task != 0 && j->cpus_per_task !=
		    NO_VAL ? j->cpus_per_task : 1;

		setenvf("SLURM_TASKS_PER_NODE", "%u",
		    ncpus / cpt > 0 ? ncpus / cpt : 1);
	}
	if (o->src[OPT_ID_CPUS_PER_TASK])
		setenvf("SLURM_CPUS_PER_TASK", "%u", j->cpus_per_task);
	if (o->src[OPT_ID_NTASKS_PER_NODE] && o->ntasks_per_node > 0)
		setenvf("SLURM_NTASKS_PER_NODE", "%u", o->ntasks_per_node);
	/* SLURM_GPUS* as given (24_env_gpu); errors printed there. */
	(void)gpu_env_export(o);
	/* --ntasks-per-gpu, --gpus-per-socket: as Slurm's (22.05.8) */
	if (o->src[OPT_ID_NTASKS_PER_GPU])
		setenvf("SLURM_NTASKS_PER_GPU", "%u", o->ntasks_per_gpu);
	if (o->gpus_per_socket != NULL)
		setenvf("SLURM_GPUS_PER_SOCKET", "%s", o->gpus_per_socket);
	setenvf("SLURM_SUBMIT_DIR", "%s", cwd);
	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		setenvf("SLURM_SUBMIT_HOST", "%s", host);
	}
}

/*
 * Run the command until it exits; its wait status.  *revoked on cancel.
 * kill_sig: -K's signal, which is then all the command gets (Slurm
 * 22.05.8: salloc waits for it to exit), or 0.
 */
static int
run_command(char **cmd, uint32_t id, bool *revoked, int kill_sig)
{
	sigset_t mask, old;
	struct signalfd_siginfo si;
	struct pollfd pfd;
	bool interactive = isatty(0);
	int64_t kill_at = 0;
	pid_t pid;
	int sfd, st = 1 << 8;
	static const int fwd[] = { SIGCHLD, SIGHUP, SIGTERM, SIGUSR1, SIGUSR2,
	    SIGCONT, SIGALRM };

	*revoked = false;
	sigemptyset(&mask);
	for (size_t i = 0; i < nitems(fwd); i++)
		sigaddset(&mask, fwd[i]);
	sigaddset(&mask, SPEC_CTL_SIG);
	if (sigprocmask(SIG_BLOCK, &mask, &old) == -1 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) == -1) {
		cli_err("signalfd: %s", strerror(errno));
		return st;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if ((pid = fork()) == -1) {
		cli_err("fork: %s", strerror(errno));
		close(sfd);
		return st;
	}
	if (pid == 0) {
		(void)setpgid(0, 0);
		if (interactive)
			(void)tcsetpgrp(0, getpid());
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		execvp(cmd[0], cmd);
		/* Slurm's _fork_command, and its exit code (SLURM_EXIT_ERROR) */
		if (errno == ENOENT)
			fprintf(stderr, "salloc: error: _fork_command: Unable "
			    "to find command \"%s\"\n", cmd[0]);
		else
			fprintf(stderr, "salloc: error: _fork_command: Unable "
			    "to exec command \"%s\": %s\n", cmd[0],
			    strerror(errno));
		_exit(1);
	}
	(void)setpgid(pid, pid);
	if (interactive)
		(void)tcsetpgrp(0, pid);
	for (;;) {
		int timeout = -1;

		if (kill_at != 0) {
			int64_t left = kill_at - mono_msec();

			if (left <= 0) {
				(void)kill(-pid, SIGKILL);
				kill_at = 0;
			} else
				timeout = (int)left;
		}
		pfd.fd = sfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, timeout) <= 0)
			continue;
		if (read(sfd, &si, sizeof si) != (ssize_t)sizeof si)
			continue;
		if (si.ssi_signo == (uint32_t)SIGCHLD) {
			pid_t w = waitpid(pid, &st, WNOHANG);

			if (w == pid)
				break;
			continue;
		}
		if (si.ssi_signo == (uint32_t)SPEC_CTL_SIG) {
			int v = si.ssi_int;

			if (!(v & (STEP_CTL_CANCEL | STEP_CTL_TIMEOUT))) {
				if ((v & 0xff) != 0)
					(void)kill(-pid, v & 0xff);
				continue;
			}
			if (*revoked)
				continue;
			*revoked = true;
			if (v & STEP_CTL_TIMEOUT)
				cli_warn("Job %u has exceeded its time limit "
				    "and its allocation has been revoked.",
				    id);
			else
				cli_warn("Job allocation %u has been revoked.",
				    id);
			if (kill_sig > 0) {
				(void)kill(-pid, kill_sig);
				continue;
			}
			(void)kill(-pid, SIGHUP);
			(void)kill(-pid, SIGCONT);
			(void)kill(-pid, SIGTERM);
			kill_at = mono_msec() + KILL_WAIT * 1000;
			continue;
		}
		(void)kill(-pid, (int)si.ssi_signo);
	}
	if (interactive)
		(void)tcsetpgrp(0, getpgrp());
	close(sfd);
	return st;
}

/*
 * salloc's default command: the user's login shell, as Slurm's salloc
 * takes it from getpwuid() (berth reads /etc/passwd itself: the client
 * uses no NSS); $SHELL for users only NSS knows; else /bin/sh.
 */
static char *
default_shell(void)
{
	struct passwd_ent pe;
	const char *sh;
	char *s;

	if (passwd_find(PASSWD_FILE, NULL, getuid(), &pe) == 0) {
		if (pe.shell != NULL && *pe.shell == '/') {
			s = pe.shell;
			pe.shell = NULL;
			passwd_ent_free(&pe);
			return s;
		}
		passwd_ent_free(&pe);
	}
	sh = getenv("SHELL");
	return xstrdup(sh != NULL && *sh == '/' ? sh : "/bin/sh");
}

int
cmd_salloc(int argc, char **argv)
{
	struct opts o;
	struct opt_err err = { 0, NULL, false };
	struct job_desc d;
	struct job j;
	struct step st;
	struct step_conv sc = { true, false, NULL, 0 };
	char *cwd = NULL, **cmd = NULL, *shell[2] = { NULL, NULL };
	struct buf line;
	sigset_t rt;
	bool has_step, revoked;
	uint32_t flags = 0;
	int first, first2, early, resolved, rc = 1, status;

	opt_init(&o, OPT_SALLOC);
	job_desc_init(&d);
	sigemptyset(&rt);
	sigaddset(&rt, SPEC_CTL_SIG);
	sigprocmask(SIG_BLOCK, &rt, NULL);

	/* 1: a malformed command line, which the main pass reports */
	if ((early = opt_parse_argv(&o, argc, argv, OPT_SRC_ARGV,
	    OPT_PASS_EARLY, &first, &err)) == -1) {
		rc = step_opt_err(&err);
		goto out;
	}
	if (early == 0 && opt_run_action(&o, stdout, BERTH_VERSION_LINE)) {
		rc = 0;
		goto out;
	}
	if (opt_apply_env(&o, &err) == -1 ||
	    opt_parse_argv(&o, argc, argv, OPT_SRC_ARGV, OPT_PASS_MAIN,
	    &first2, &err) == -1) {
		rc = step_opt_err(&err);
		goto out;
	}
	resolved = opt_resolve(&o, &err);
	if (resolved == -1 && !err.late) {
		rc = step_opt_err(&err);
		goto out;
	}
	/* -M: Slurm's lines for names berth is not; exit 1 if none is */
	if (o.clusters != NULL) {
		char *name = NULL;

		if (client_clusters_check(o.clusters, &name) == -1)
			goto out;
		free(name);
	}
	opt_extra_warnings(&o, stderr);
	sc.quiet = o.quiet > 0;
	if (first2 < argc)
		cmd = argv + first2;
	else {
		shell[0] = default_shell();
		cmd = shell;
	}
	if ((cwd = getcwd(NULL, 0)) == NULL) {
		cli_err("getcwd failed: %s", strerror(errno));
		goto out;
	}
	if (o.verbose > 0)
		opt_print_set(&o, stderr, cwd);
	if (resolved == -1) {	/* a GPU request: after -v's table */
		rc = step_opt_err(&err);
		goto out;
	}

	opt_fill_job(&o, &d.job);
	job_desc_gpu_type(&d, &o);
	if (o.job_name != NULL)
		d.job.name = xstrdup(o.job_name);
	else if (o.no_shell)
		d.job.name = xstrdup("no-shell");
	else	/* whatever the command (Slurm 22.05.8) */
		d.job.name = xstrdup("interactive");
	d.job.workdir = o.chdir != NULL ? (o.chdir[0] == '/' ?
	    xstrdup(o.chdir) : xprintf("%s/%s", cwd, o.chdir)) : xstrdup(cwd);
	d.job.uid = getuid();
	d.job.gid = getgid();
	if (!o.no_shell)
		d.job.command = step_command_line(cmd);
	buf_init(&line);
	for (int i = 0; i < argc; i++)
		buf_printf(&line, "%s%s", i > 0 ? " " : "", argv[i]);
	d.job.submit_line = buf_steal(&line);
	if (o.immediate >= 0)
		flags |= ALLOC_F_IMMEDIATE;
	if (o.no_shell)
		flags |= ALLOC_F_NO_HOLDER;

	if (step_alloc(&sc, &d, flags, NULL, &j, &st, &has_step) == -1)
		goto out;
	if (has_step)
		step_free(&st);
	if (!sc.quiet)
		cli_warn("Granted job allocation %u", j.id);
	if (o.no_shell) {
		rc = 0;
		job_free(&j);
		goto out;
	}
	step_client_close();	/* the command may run for days */
	if (o.chdir != NULL && chdir(d.job.workdir) == -1)
		cli_err("chdir(%s): %s", d.job.workdir, strerror(errno));
	alloc_env(&o, &j, cwd, sc.cluster_name);
	status = run_command(cmd, j.id, &revoked, o.kill_command_sig);
	if (!revoked) {
		if (!sc.quiet)
			cli_warn("Relinquishing job allocation %u", j.id);
		(void)step_release(j.id, status, NULL);
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) :
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	job_free(&j);
out:
	step_client_close();
	step_conv_free(&sc);
	free(shell[0]);
	free(cwd);
	job_desc_free(&d);
	opt_free(&o);
	opt_err_free(&err);
	return rc;
}
