// SPDX-License-Identifier: MIT
/*
 * srun's task launcher (launch.h): fork, pump, forward, wait.
 *
 * Process layout: every task is forked into one new process group (the
 * first task's pid), except that with --pty task 0 leads its own session
 * with the pseudo-terminal as controlling terminal (it cannot share a
 * group across sessions; the other tasks then group under task 1).  Each
 * task gets PR_SET_PDEATHSIG(SIGKILL), its CPU affinity and its own
 * environment (SLURM_PROCID, SLURM_LOCALID, SLURM_TASK_PID), and execs the
 * command with execvp under the task's PATH.  A command that cannot be
 * executed prints slurmstepd's line on the task's stderr and exits with
 * the errno, as slurmstepd's exec_task does (exit 2 for a missing
 * command, 60_srun).
 *
 * The loop: poll over a signalfd (SIGCHLD, the forwarded signals, SIGWINCH
 * and SPEC_CTL_SIG, which carries the daemon's STEP_CTL_* values), the tasks'
 * stdout/stderr pipes, srun's stdin and the tasks' stdin pipes.  Output:
 * with --label each line gets "N: " (the width of the highest task id);
 * otherwise data is written as it comes.  Input (the default, "all") is
 * copied to every task; --input=N to task N only.
 *
 * Signals, as srun: SIGINT prints the tasks' states ("interrupt (one more
 * within 1 sec to abort)"), a second within a second sends SIGINT to the
 * tasks and a third kills them; with -X one SIGINT is forwarded.
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM and SIGCONT are
 * forwarded.  STEP_CTL_CANCEL/TIMEOUT: SIGCONT and SIGTERM to the tasks,
 * SIGKILL after kill_wait seconds.
 *
 * When every task has ended, what is left in the process groups is
 * killed (Slurm's proctrack does the same) and the pipes are drained.
 *
 * A group is signalled by its number only while its leader is unreaped:
 * a number is not given out again while a process (a zombie too) has
 * it, whereas a group whose members have all gone frees it, and kill()
 * of the number would then reach whichever group took it since.  So a
 * leader's end is only peeked at (waitid WNOWAIT) and the leaders are
 * reaped last, after the final kill; from then on their groups are not
 * signalled.
 */
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../jobsup/jobsup.h"
#include "../proto/step.h"
#include "cli.h"
#include "attach.h"
#include "launch.h"
#include "step-client.h"

extern char **environ;

#define DRAIN_MS	1000	/* output read after the last task ends */
#define INPUT_MAX	65536	/* stdin queued per task: stop reading */

struct stream {
	int		 fd;		/* read end; -1 at end of file */
	int		 sink;		/* where the data goes */
	uint32_t	 task;
	bool		 err;		/* the task's stderr */
	struct buf	 line;		/* --label: a partial line */
};

struct task {
	pid_t		 pid;
	pid_t		 pgid;
	int		 status;
	bool		 done;		/* ended (a leader: not reaped yet) */
	bool		 reaped;
	int		 in_fd;		/* our end of its stdin, -1 */
	struct buf	 inq;		/* input not yet written */
	int		 child_fd[3];	/* its stdin, stdout, stderr */
	cpu_set_t	*cpus;
	size_t		 cpus_size;
	char		**env;
	char		*pid_slot;
	struct rusage	 ru;
};

struct run {
	struct step_launch	*l;
	struct task	*t;
	struct stream	*s;		/* 2 per task */
	uint32_t	 ns;
	int		 sfd;		/* signalfd */
	struct attach	*att;		/* sattach's socket, or NULL */
	int		 pty_master;
	int		 in_open;	/* srun's stdin still read */
	uint32_t	 alive;
	int		 label_width;
	bool		 cancelled, timed_out, killed;
	int64_t		 kill_at;	/* mono ms: SIGKILL the tasks */
	int64_t		 last_intr, last_intr_sent;
	int		 nintr;
	int		*open_fds;	/* files opened for -o/-e/-i */
	size_t		 nopen;
	sigset_t	 old_mask;
};

static void	 signal_tasks(struct run *, int);
static void	 drain(struct run *);
static void	 reap(struct run *);
static void	 print_states(struct run *);

static int
devnull(int flags)
{
	int fd = open("/dev/null", flags | O_CLOEXEC);

	if (fd == -1)
		cli_err("open /dev/null: %s", strerror(errno));
	return fd;
}

static int
remember_fd(struct run *r, int fd)
{
	r->open_fds = xreallocarray(r->open_fds, r->nopen + 1,
	    sizeof *r->open_fds);
	r->open_fds[r->nopen++] = fd;
	return fd;
}

/* An output file of -o/-e; srun writes into it. */
static int
open_out(struct run *r, const char *pattern, uint32_t task, int std)
{
	char *path = launch_expand(pattern, &r->l->names, task);
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
	    (r->l->append ? O_APPEND : O_TRUNC), 0666);
	if (fd == -1)
		cli_err("Could not open %s file %s: %s", std == 1 ?
		    "stdout" : "stderr", path, strerror(errno));
	free(path);
	return fd == -1 ? -1 : remember_fd(r, fd);
}

/*
 * Where task t's stream goes (1 stdout, 2 stderr): a sink fd for srun to
 * write to, or -2 when the task should get /dev/null directly.  shared
 * caches a file opened once for all tasks.
 */
static int
sink_for(struct run *r, const struct io_mode *m, int std, uint32_t t,
    int *shared)
{
	switch (m->kind) {
	case IO_ALL:
		return std;
	case IO_NONE:
		return -2;
	case IO_TASK:
		return t == m->task ? std : -2;
	case IO_FILE:
		if (launch_pattern_per_task(m->pattern))
			return open_out(r, m->pattern, t, std);
		if (*shared == -1)
			*shared = open_out(r, m->pattern, t, std);
		return *shared;
	}
	return std;
}

static int
make_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) == -1) {
		cli_err("pipe: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Plumbing for every task, before any fork. */
static int
setup_io(struct run *r)
{
	struct step_launch *l = r->l;
	int out_shared = -1, err_shared = -1, p[2];
	bool err_follows_out = l->err.kind == IO_ALL &&
	    l->out.kind == IO_FILE;

	for (uint32_t i = 0; i < l->ntasks; i++) {
		struct task *t = &r->t[i];
		struct stream *so = &r->s[2 * i], *se = &r->s[2 * i + 1];
		int sink;

		so->fd = se->fd = -1;
		so->task = se->task = i;
		se->err = true;
		buf_init(&so->line);
		buf_init(&se->line);
		t->in_fd = -1;
		buf_init(&t->inq);
		t->child_fd[0] = t->child_fd[1] = t->child_fd[2] = -1;

		if (i == 0 && l->pty) {
			/* task 0's three streams are the terminal */
			so->fd = r->pty_master;
			so->sink = sink_for(r, &l->out, 1, i, &out_shared);
			if (so->sink == -2)
				so->sink = remember_fd(r, devnull(O_WRONLY));
			continue;
		}
		/* stdin */
		if (l->in.kind == IO_ALL ||
		    (l->in.kind == IO_TASK && l->in.task == i)) {
			if (make_pipe(p) == -1)
				return -1;
			t->child_fd[0] = p[0];
			t->in_fd = p[1];
			set_nonblock(p[1]);
		} else if (l->in.kind == IO_FILE) {
			char *path = launch_expand(l->in.pattern, &l->names,
			    i);

			t->child_fd[0] = open(path, O_RDONLY | O_CLOEXEC);
			if (t->child_fd[0] == -1) {
				cli_err("Could not open stdin file %s: %s",
				    path, strerror(errno));
				free(path);
				return -1;
			}
			free(path);
		} else if ((t->child_fd[0] = devnull(O_RDONLY)) == -1)
			return -1;

		/* stdout */
		sink = sink_for(r, &l->out, 1, i, &out_shared);
		if (sink == -1)
			return -1;
		if (sink == -2) {
			if ((t->child_fd[1] = devnull(O_WRONLY)) == -1)
				return -1;
		} else {
			if (make_pipe(p) == -1)
				return -1;
			so->fd = p[0];
			so->sink = sink;
			t->child_fd[1] = p[1];
			set_nonblock(p[0]);
		}
		/* stderr */
		sink = err_follows_out ? so->sink :
		    sink_for(r, &l->err, 2, i, &err_shared);
		if (err_follows_out && so->fd == -1)
			sink = -2;
		if (sink == -1)
			return -1;
		if (sink == -2) {
			if ((t->child_fd[2] = devnull(O_WRONLY)) == -1)
				return -1;
		} else {
			if (make_pipe(p) == -1)
				return -1;
			se->fd = p[0];
			se->sink = sink;
			t->child_fd[2] = p[1];
			set_nonblock(p[0]);
		}
	}
	return 0;
}

static void
close_child_fds(struct task *t)
{
	for (int k = 0; k < 3; k++) {
		if (t->child_fd[k] != -1)
			close(t->child_fd[k]);
		t->child_fd[k] = -1;
	}
}

/* The child, between fork and exec: only system calls and _exit. */
static void __attribute__((noreturn))
child(struct run *r, uint32_t i, pid_t pgid, const char *slave, pid_t parent)
{
	struct step_launch *l = r->l;
	struct task *t = &r->t[i];
	char msg[512], **argv;
	int fd, n;

	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(127);
	if (slave != NULL) {
		if (setsid() == -1 ||
		    (fd = open(slave, O_RDWR)) == -1 ||
		    ioctl(fd, TIOCSCTTY, 0) == -1)
			_exit(127);
		t->child_fd[0] = t->child_fd[1] = t->child_fd[2] = fd;
	} else
		(void)setpgid(0, pgid);
	for (int k = 0; k < 3; k++)
		if (dup2(t->child_fd[k], k) == -1)
			_exit(127);
	jobsup_env_task_pid(t->pid_slot, getpid());
	if (t->cpus != NULL &&
	    sched_setaffinity(0, t->cpus_size, t->cpus) == -1) {
		n = snprintf(msg, sizeof msg, "slurmstepd-%s: error: "
		    "sched_setaffinity: %s\n", l->node, strerror(errno));
		(void)write_full(2, msg, (size_t)n);
	}
	if (t->cpus != NULL && l->bind.verbose) {
		const char *mask = strrchr(l->bind.env_bind, ':');
		char *list = xstrdup(mask != NULL ? mask + 1 : "");
		char *m = list;

		for (uint32_t k = 0; k < i && m != NULL; k++)
			if ((m = strchr(m, ',')) != NULL)
				m++;
		if (m != NULL)
			m[strcspn(m, ",")] = '\0';
		n = snprintf(msg, sizeof msg, "cpu-bind=MASK - %s, task %2u "
		    "%2u [%d]: mask %s set\n", l->node, i, i, (int)getpid(),
		    m != NULL ? m : "");
		(void)write_full(2, msg, (size_t)n);
	}
	if (chdir(l->workdir) == -1) {
		n = snprintf(msg, sizeof msg, "slurmstepd-%s: error: couldn't "
		    "chdir to `%s': %s: going to /tmp instead\n", l->node,
		    l->workdir, strerror(errno));
		(void)write_full(2, msg, (size_t)n);
		(void)chdir("/tmp");
	}
	environ = t->env;
	argv = l->task_argv != NULL ? l->task_argv[i] : l->argv;
	if (argv[0] != NULL)
		execvp(argv[0], argv);
	else
		errno = ENOENT;
	n = errno;
	fd = snprintf(msg, sizeof msg, "slurmstepd-%s: error: execve(): %s: "
	    "%s\n", l->node, argv[0] != NULL ? argv[0] : "", strerror(n));
	(void)write_full(2, msg, (size_t)fd);
	_exit(n != 0 ? n : 1);
}

static int
start_tasks(struct run *r, char *slave)
{
	struct step_launch *l = r->l;
	pid_t pgid = 0, parent = getpid();

	for (uint32_t i = 0; i < l->ntasks; i++) {
		struct task *t = &r->t[i];
		bool on_pty = i == 0 && l->pty;
		pid_t pid;

		if ((pid = fork()) == -1) {
			cli_err("fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			child(r, i, pgid, on_pty ? slave : NULL, parent);
		t->pid = pid;
		if (on_pty)
			t->pgid = pid;
		else {
			if (pgid == 0)
				pgid = pid;
			(void)setpgid(pid, pgid);	/* the child does too */
			t->pgid = pgid;
		}
		close_child_fds(t);
		r->alive++;
	}
	return 0;
}

/* Does task i lead its process group? */
static bool
leads(const struct task *t)
{
	return t->pid > 0 && t->pid == t->pgid;
}

/* Every task's process group, through its leader while that is unreaped
 * (the group's number is the leader's pid: see the top). */
static void
signal_tasks(struct run *r, int sig)
{
	for (uint32_t i = 0; i < r->l->ntasks; i++) {
		const struct task *t = &r->t[i];

		if (leads(t) && !t->reaped)
			(void)kill(-t->pgid, sig);
	}
}

/* A wait status from waitid()'s siginfo, as wait4() would give it. */
static int
wait_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	default:
		return si->si_status & 0x7f;
	}
}

/* After the final kill: reap the leaders (their usage with them). */
static void
reap_leaders(struct run *r)
{
	for (uint32_t i = 0; i < r->l->ntasks; i++) {
		struct task *t = &r->t[i];
		int st;

		if (!leads(t) || t->reaped)
			continue;
		while (wait4(t->pid, &st, 0, &t->ru) == -1)
			if (errno != EINTR) {
				cli_warn("wait4 task %u: %s", i,
				    strerror(errno));
				break;
			}
		t->reaped = true;
	}
}

/* "0-1,3" of the tasks flagged. */
static char *
task_ranges(const bool *set, uint32_t n, uint32_t *count)
{
	struct buf b;

	buf_init(&b);
	*count = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e = i;

		if (!set[i])
			continue;
		while (e + 1 < n && set[e + 1])
			e++;
		buf_printf(&b, "%s%u", b.len > 0 ? "," : "", i);
		if (e > i)
			buf_printf(&b, "-%u", e);
		*count += e - i + 1;
		i = e;
	}
	return buf_steal(&b);
}

/*
 * srun's lines for tasks that ended badly, tasks with the same status
 * together ("srun: error: vm: tasks 0-1: Exited with exit code 1"); with
 * -v also slurmstepd's exit notification and the tasks that completed.
 */
static void
report_exits(struct run *r, const bool *now)
{
	uint32_t n = r->l->ntasks, count;
	bool *same = xcalloc(n, sizeof *same), *done = xcalloc(n, 1);

	for (uint32_t i = 0; i < n; i++) {
		int st = r->t[i].status;
		bool good = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		char *ranges, what[128];

		if (!now[i] || done[i] || (good && r->l->verbose == 0))
			continue;
		for (uint32_t k = 0; k < n; k++) {
			same[k] = now[k] && !done[k] && r->t[k].status == st;
			if (same[k])
				done[k] = true;
		}
		ranges = task_ranges(same, n, &count);
		if (r->l->verbose > 0)
			cli_warn("launch/slurm: _task_finish: Received task "
			    "exit notification for %u task%s of StepId=%u.%u "
			    "(status=0x%04x).", count, count > 1 ? "s" : "",
			    r->l->names.job_id, r->l->names.step_id,
			    (unsigned)st & 0xffff);
		if (good) {
			cli_warn("launch/slurm: _task_finish: %s: task%s %s: "
			    "Completed", r->l->node, count > 1 ? "s" : "",
			    ranges);
			free(ranges);
			continue;
		}
		if (WIFEXITED(st))
			snprintf(what, sizeof what, "Exited with exit code %d",
			    WEXITSTATUS(st));
		else
			snprintf(what, sizeof what, "%s%s",
			    strsignal(WTERMSIG(st)), WCOREDUMP(st) ?
			    " (core dumped)" : "");
		cli_err("%s: task%s %s: %s", r->l->node, count > 1 ? "s" : "",
		    ranges, what);
		free(ranges);
	}
	free(same);
	free(done);
}

static void
reap(struct run *r)
{
	uint32_t n = r->l->ntasks;
	bool *now = xcalloc(n, sizeof *now), bad = false;
	struct rusage ru;
	int st;

	for (uint32_t i = 0; i < n; i++) {
		struct task *t = &r->t[i];
		siginfo_t si;
		char sv[4];

		if (t->done || t->pid <= 0)
			continue;
		if (leads(t)) {
			/* Peek: it stays a zombie, holding its group's
			 * number, until reap_leaders(). */
			memset(&si, 0, sizeof si);
			if (waitid(P_PID, (id_t)t->pid, &si, WEXITED |
			    WNOHANG | WNOWAIT) == -1 || si.si_pid != t->pid)
				continue;
			st = wait_status(&si);
			memset(&ru, 0, sizeof ru);
		} else {
			if (wait4(t->pid, &st, WNOHANG, &ru) <= 0)
				continue;
			t->reaped = true;
		}
		sv[0] = (char)(st & 0xff);
		sv[1] = (char)((st >> 8) & 0xff);
		sv[2] = (char)((st >> 16) & 0xff);
		sv[3] = (char)((st >> 24) & 0xff);
		attach_send(r->att, ATTACH_EXIT, i, sv, sizeof sv);
		t->done = true;
		t->status = st;
		t->ru = ru;
		now[i] = true;
		r->alive--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = true;
	}
	report_exits(r, now);
	free(now);
	if (bad && r->l->kill_on_bad_exit && r->alive > 0 && !r->killed) {
		cli_warn("launch/slurm: _step_signal: Terminating StepId=%u.%u",
		    r->l->names.job_id, r->l->names.step_id);
		r->killed = true;
		signal_tasks(r, SIGCONT);
		signal_tasks(r, SIGTERM);
		r->kill_at = mono_msec() + (int64_t)r->l->kill_wait * 1000;
	}
}

static void
print_states(struct run *r)
{
	uint32_t n = r->l->ntasks, count;
	bool *set = xcalloc(n, sizeof *set);
	char *ranges;

	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < n; i++)
			set[i] = r->t[i].done == (pass == 1);
		ranges = task_ranges(set, n, &count);
		if (count > 0)
			cli_warn("StepId=%u.%u task%s %s: %s",
			    r->l->names.job_id, r->l->names.step_id,
			    count > 1 ? "s" : "", ranges,
			    pass == 0 ? "running" : "exited");
		free(ranges);
	}
	free(set);
}

static void
on_interrupt(struct run *r)
{
	int64_t now = mono_msec();

	if (r->l->disable_status) {
		signal_tasks(r, SIGINT);
		return;
	}
	if (now - r->last_intr > 1000) {
		cli_warn(r->cancelled || r->killed ?
		    "interrupt (abort already in progress)" :
		    "interrupt (one more within 1 sec to abort)");
		print_states(r);
		r->last_intr = now;
		return;
	}
	if (r->last_intr_sent != 0 && now - r->last_intr_sent < 1000) {
		/* third: force termination */
		signal_tasks(r, SIGKILL);
		r->killed = true;
		return;
	}
	cli_warn("sending Ctrl-C to StepId=%u.%u", r->l->names.job_id,
	    r->l->names.step_id);
	r->last_intr_sent = now;
	r->cancelled = true;
	signal_tasks(r, SIGINT);
}

static void
on_control(struct run *r, int v)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!(v & (STEP_CTL_CANCEL | STEP_CTL_TIMEOUT))) {
		if ((v & 0xff) != 0)
			signal_tasks(r, v & 0xff);
		return;
	}
	if (r->cancelled || r->timed_out)
		return;
	if (v & STEP_CTL_TIMEOUT)
		r->timed_out = true;
	else
		r->cancelled = true;
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	cli_warn("Job step aborted: Waiting up to %u seconds for job step to "
	    "finish.", r->l->kill_wait + 2);
	fprintf(stderr, "slurmstepd: error: *** STEP %u.%u ON %s CANCELLED "
	    "AT %s%s ***\n", r->l->names.job_id, r->l->names.step_id,
	    r->l->node, when, r->timed_out ? " DUE TO TIME LIMIT" : "");
	signal_tasks(r, SIGCONT);
	signal_tasks(r, SIGTERM);
	r->kill_at = mono_msec() + (int64_t)r->l->kill_wait * 1000;
}

static void
on_signal(struct run *r)
{
	struct signalfd_siginfo si;

	while (read(r->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		int sig = (int)si.ssi_signo;

		if (sig == SIGCHLD) {
			drain(r);	/* output before the exit lines */
			reap(r);
		}
		else if (sig == SIGINT)
			on_interrupt(r);
		else if (sig == SIGWINCH) {
			if (r->pty_master != -1)
				pty_winsize(1, r->pty_master);
		} else if (sig == SPEC_CTL_SIG)
			on_control(r, si.ssi_int);
		else
			signal_tasks(r, sig);
	}
}

/*
 * Write data from a task stream to its sink, labelled by line.  Returns -1
 * when the sink is a pipe nobody reads any more (EPIPE).
 */
static int
emit(struct run *r, struct stream *s, const char *p, size_t n, bool eof)
{
	char label[32];
	int ll = 0, rc = 0;

	if (!r->l->label) {
		if (n > 0 && write_full(s->sink, p, n) == -1 && errno == EPIPE)
			return -1;
		return 0;
	}
	ll = snprintf(label, sizeof label, "%*u: ", r->label_width, s->task);
	buf_add(&s->line, p, n);
	for (;;) {
		char *nl = memchr(s->line.data, '\n', s->line.len);
		size_t len;
		struct buf out;

		if (nl == NULL && !(eof && s->line.len > 0))
			break;
		len = nl != NULL ? (size_t)(nl - s->line.data) + 1 :
		    s->line.len;
		buf_init(&out);
		buf_add(&out, label, (size_t)ll);
		buf_add(&out, s->line.data, len);
		if (write_full(s->sink, out.data, out.len) == -1 &&
		    errno == EPIPE)
			rc = -1;
		buf_free(&out);
		buf_consume(&s->line, len);
	}
	return rc;
}

/* Returns 1 when data was read. */
static int
read_stream(struct run *r, struct stream *s)
{
	char data[65536];
	ssize_t n = read(s->fd, data, sizeof data);

	if (n > 0)
		attach_send(r->att, s->err ? ATTACH_STDERR : ATTACH_STDOUT,
		    s->task, data, (size_t)n);
	if (n > 0 && emit(r, s, data, (size_t)n, false) == 0)
		return 1;
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	/*
	 * End of file (EIO on a pty whose slave is gone), or nobody reads
	 * srun's output any more: closing the pipe gives the task EPIPE, as
	 * if it wrote to the closed pipe itself.
	 */
	if (n <= 0)
		(void)emit(r, s, NULL, 0, true);
	if (s->fd != r->pty_master)
		close(s->fd);
	s->fd = -1;
	return 0;
}

/* Whatever the tasks wrote so far (the read ends do not block). */
static void
drain(struct run *r)
{
	for (uint32_t i = 0; i < 2 * r->l->ntasks; i++)
		for (int k = 0; k < 64 && r->s[i].fd != -1; k++)
			if (read_stream(r, &r->s[i]) == 0)
				break;
}

/* srun's stdin -> the queues of the tasks that read it. */
static void
read_input(struct run *r)
{
	char data[16384];
	ssize_t n = read(0, data, sizeof data);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		r->in_open = 0;
		for (uint32_t i = 0; i < r->l->ntasks; i++) {
			struct task *t = &r->t[i];

			if (t->in_fd != -1 && t->inq.len == 0) {
				close(t->in_fd);
				t->in_fd = -1;
			}
		}
		if (r->pty_master != -1 && r->l->pty) {
			/* the terminal's end of file */
			char eot = 4;

			(void)write(r->pty_master, &eot, 1);
		}
		return;
	}
	for (uint32_t i = 0; i < r->l->ntasks; i++)
		if (r->t[i].in_fd != -1)
			buf_add(&r->t[i].inq, data, (size_t)n);
	if (r->l->pty && r->pty_master != -1)
		(void)write_full(r->pty_master, data, (size_t)n);
}

static void
write_input(struct run *r, struct task *t)
{
	ssize_t n = write(t->in_fd, t->inq.data, t->inq.len);

	if (n > 0)
		buf_consume(&t->inq, (size_t)n);
	else if (n == -1 && errno != EAGAIN && errno != EINTR) {
		/* the task closed its stdin or ended */
		buf_reset(&t->inq);
		close(t->in_fd);
		t->in_fd = -1;
		return;
	}
	if (t->inq.len == 0 && !r->in_open) {
		close(t->in_fd);
		t->in_fd = -1;
	}
}

/* Input from an attached sattach: queued like srun's own stdin. */
static void
attach_input(void *arg, uint32_t task, const char *p, size_t n)
{
	struct run *r = arg;

	for (uint32_t i = 0; i < r->l->ntasks; i++) {
		if (task != ATTACH_ALL && task != i)
			continue;
		if (i == 0 && r->l->pty && r->pty_master != -1)
			(void)write_full(r->pty_master, p, n);
		else if (r->t[i].in_fd != -1)
			buf_add(&r->t[i].inq, p, n);
	}
}

static int
loop(struct run *r)
{
	struct step_launch *l = r->l;
	uint32_t nfds = 2 + 3 * l->ntasks + 32;
	struct pollfd *pfd = xcalloc(nfds, sizeof *pfd);
	int64_t drain_until = 0;

	for (;;) {
		uint32_t n = 0, nopen = 0;
		size_t queued = 0;
		int timeout = -1, rc;
		int64_t now = mono_msec();

		if (r->alive == 0 && drain_until == 0) {
			/* what the tasks left behind goes with them */
			signal_tasks(r, SIGKILL);
			reap_leaders(r);
			drain_until = now + DRAIN_MS;
		}
		if (r->kill_at != 0 && now >= r->kill_at) {
			signal_tasks(r, SIGKILL);
			r->kill_at = 0;
		}
		pfd[n].fd = r->sfd;
		pfd[n++].events = POLLIN;
		for (uint32_t i = 0; i < 2 * l->ntasks; i++) {
			if (r->s[i].fd == -1)
				continue;
			pfd[n].fd = r->s[i].fd;
			pfd[n++].events = POLLIN;
			nopen++;
		}
		for (uint32_t i = 0; i < l->ntasks; i++) {
			if (r->t[i].in_fd == -1)
				continue;
			queued += r->t[i].inq.len;
			if (r->t[i].inq.len > 0) {
				pfd[n].fd = r->t[i].in_fd;
				pfd[n++].events = POLLOUT;
			}
		}
		if (r->in_open && queued < INPUT_MAX && r->alive > 0) {
			pfd[n].fd = 0;
			pfd[n++].events = POLLIN;
		}
		n += (uint32_t)attach_pollfds(r->att, pfd + n, (int)(nfds - n));
		if (r->alive == 0 && (nopen == 0 || now >= drain_until))
			break;
		if (r->alive == 0)
			timeout = (int)(drain_until - now);
		if (r->kill_at != 0 && (timeout == -1 ||
		    r->kill_at - now < timeout))
			timeout = (int)(r->kill_at - now);
		if ((rc = poll(pfd, n, timeout)) == -1) {
			if (errno == EINTR)
				continue;
			cli_err("poll: %s", strerror(errno));
			break;
		}
		for (uint32_t k = 0; k < n && rc > 0; k++) {
			if (pfd[k].revents == 0)
				continue;
			if (pfd[k].fd == r->sfd) {
				on_signal(r);
				continue;
			}
			if (attach_event(r->att, pfd[k].fd, pfd[k].revents,
			    attach_input, r))
				continue;
			if (pfd[k].fd == 0 && (pfd[k].events & POLLIN)) {
				read_input(r);
				continue;
			}
			for (uint32_t i = 0; i < 2 * l->ntasks; i++)
				if (r->s[i].fd == pfd[k].fd &&
				    (pfd[k].events & POLLIN)) {
					(void)read_stream(r, &r->s[i]);
					break;
				}
			for (uint32_t i = 0; i < l->ntasks; i++)
				if (r->t[i].in_fd == pfd[k].fd &&
				    (pfd[k].events & POLLOUT)) {
					write_input(r, &r->t[i]);
					break;
				}
		}
	}
	free(pfd);
	return 0;
}

int
launch_run(struct step_launch *l, struct launch_result *res)
{
	struct run r;
	sigset_t mask;
	char *slave = NULL, *cause = NULL;
	int *statuses, rc = -1;
	uint32_t chosen;
	static const int sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGWINCH };

	memset(&r, 0, sizeof r);
	memset(res, 0, sizeof *res);
	r.l = l;
	r.sfd = -1;
	r.pty_master = -1;
	r.in_open = l->in.kind == IO_ALL || l->in.kind == IO_TASK;
	r.t = xcalloc(l->ntasks, sizeof *r.t);
	r.s = xcalloc(2 * (size_t)l->ntasks, sizeof *r.s);
	for (uint32_t v = l->ntasks > 0 ? l->ntasks - 1 : 0; ;
	    v /= 10) {
		r.label_width++;
		if (v < 10)
			break;
	}

	sigemptyset(&mask);
	for (size_t i = 0; i < nitems(sigs); i++)
		sigaddset(&mask, sigs[i]);
	sigaddset(&mask, SPEC_CTL_SIG);
	if (sigprocmask(SIG_BLOCK, &mask, &r.old_mask) == -1 ||
	    (r.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		cli_err("signalfd: %s", strerror(errno));
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	if (l->pty) {
		if (pty_open(&r.pty_master, &slave) == -1)
			goto out;
		pty_winsize(1, r.pty_master);
		if (pty_raw_begin(0) == -1)
			goto out;
	}
	if (setup_io(&r) == -1)
		goto out;
	for (uint32_t i = 0; i < l->ntasks; i++) {
		struct task *t = &r.t[i];

		t->env = jobsup_env_task(l->task_env0, i, &t->pid_slot);
		if (l->bind.task_cpus != NULL && l->bind.task_cpus[i] != NULL &&
		    (t->cpus = jobsup_cpulist_parse(l->bind.task_cpus[i],
		    &t->cpus_size, &cause)) == NULL) {
			cli_err("%s", cause);
			goto out;
		}
	}
	/*
	 * The attach socket listens before the first task runs: a task that
	 * is seen running (a file it made, its output) may be sattach'ed at
	 * once.  Connections wait in the backlog until the loop accepts them.
	 */
	r.att = attach_open(l->names.job_id, l->names.step_id, l->ntasks,
	    l->node);
	res->start_time = now_sec();
	if (l->verbose > 0) {
		if (l->ntasks > 1)
			cli_warn("launching StepId=%u.%u on host %s, %u tasks: "
			    "[0-%u]", l->names.job_id, l->names.step_id,
			    l->node, l->ntasks, l->ntasks - 1);
		else
			cli_warn("launching StepId=%u.%u on host %s, 1 tasks: "
			    "0", l->names.job_id, l->names.step_id, l->node);
	}
	if (start_tasks(&r, slave) == -1) {
		signal_tasks(&r, SIGKILL);
		goto out;
	}
	if (l->verbose > 0)
		cli_warn("launch/slurm: _task_start: Node %s, %u tasks started",
		    l->node, l->ntasks);
	res->pgid = r.t[0].pgid;
	if (l->launched != NULL && l->launched(l->arg, res->pgid) == -1) {
		signal_tasks(&r, SIGKILL);
		r.cancelled = true;
	}
	loop(&r);
	res->end_time = now_sec();

	statuses = xcalloc(l->ntasks, sizeof *statuses);
	for (uint32_t i = 0; i < l->ntasks; i++) {
		struct task *t = &r.t[i];
		uint64_t rss = (uint64_t)t->ru.ru_maxrss;

		statuses[i] = t->status;
		if (rss > res->max_rss_kb)
			res->max_rss_kb = rss;
		res->user_usec += (uint64_t)t->ru.ru_utime.tv_sec * 1000000 +
		    (uint64_t)t->ru.ru_utime.tv_usec;
		res->sys_usec += (uint64_t)t->ru.ru_stime.tv_sec * 1000000 +
		    (uint64_t)t->ru.ru_stime.tv_usec;
	}
	res->exit_code = launch_exit_code(statuses, l->ntasks, &chosen);
	res->status = statuses[chosen];
	free(statuses);
	if (r.timed_out)
		res->state = JOB_TIMEOUT;
	else if (r.cancelled)
		res->state = JOB_CANCELLED;
	else if (res->exit_code != 0)
		res->state = JOB_FAILED;
	else
		res->state = JOB_COMPLETE;
	rc = 0;
out:
	pty_raw_end();
	for (uint32_t i = 0; i < l->ntasks; i++) {
		struct task *t = &r.t[i];

		close_child_fds(t);
		if (t->in_fd != -1)
			close(t->in_fd);
		buf_free(&t->inq);
		strv_free(t->env);
		if (t->cpus != NULL)
			CPU_FREE(t->cpus);
		buf_free(&r.s[2 * i].line);
		buf_free(&r.s[2 * i + 1].line);
		if (r.s[2 * i].fd != -1 && r.s[2 * i].fd != r.pty_master)
			close(r.s[2 * i].fd);
		if (r.s[2 * i + 1].fd != -1)
			close(r.s[2 * i + 1].fd);
	}
	for (size_t i = 0; i < r.nopen; i++)
		close(r.open_fds[i]);
	free(r.open_fds);
	if (r.pty_master != -1)
		close(r.pty_master);
	attach_close(r.att);
	/* The signals stay blocked: srun reports and exits next. */
	if (r.sfd != -1)
		close(r.sfd);
	free(slave);
	free(cause);
	free(r.t);
	free(r.s);
	return rc;
}
