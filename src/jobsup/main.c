/* SPDX-License-Identifier: MIT */
/*
 * berth-jobsup <jobfile>, or forked ahead of time by berth-jobsup -w
 * <placeholder> (the zygote the daemon keeps started, zygote.c) and then
 * handed its job file: the supervisor of one batch job, the counterpart
 * of Slurm's slurmstepd for the batch step.  The contract with the daemon
 * (the job file as fd 3, holding spec, lock, pids and result; control
 * signals, result format) is in proto/spec.h; this file is its event
 * loop:
 *
 *   read spec -> a cancel or requeue already sent: result, no start
 *   (sup_early_signals()) -> fork the job (spawn.c), which records the
 *   pids and execs
 *   -> loop on a signalfd (CHLD, TERM/INT = cancel, RTMIN = forward a
 *      signal or requeue), timerfds made when first armed (time limit,
 *      TERM->KILL grace) and the poll timeout (usage samples)
 *   -> the batch shell exits: record its status, SIGKILL what is left of
 *      the job, reap until no descendant remains -> write result, exit 0.
 *
 * Cancel, requeue and time limit follow slurmstepd: a "*** JOB n ON node
 * CANCELLED AT time [DUE TO TIME LIMIT|DUE TO JOB REQUEUE] ***" line in
 * the job's stderr file, SIGTERM and SIGCONT to the job, SIGKILL after
 * kill_wait seconds.  The supervisor is a child subreaper, so processes
 * that leave the job's process group are still found and killed (tree.c),
 * and their CPU time is accounted.
 *
 * Exit status: 0 once the result file is written, 100 usage, 111 system
 * failure (nothing written; the daemon treats the job as failed).
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "jobsup.h"

#define SPEC_MAX		(64u << 20)
#define SAMPLE_FIRST_MS		1000
#define SAMPLE_MAX_MS		30000	/* Slurm's JobAcctGatherFrequency */
#define CLEANUP_TICK_MS		100
#define CLEANUP_MAX_MS		60000	/* Slurm's UnkillableStepTimeout */
#define LOGIN_TIMEOUT_MS	8000	/* Slurm's --get-user-env default */

/* fatal() exits 1; the supervisor's documented status is 111. */
#define sys_fail(...) do {						\
	log_warn(__VA_ARGS__);						\
	exit(JOBSUP_EXIT_SYSTEM);					\
} while (0)

enum kill_reason { KILL_CANCEL, KILL_TIMEOUT, KILL_REQUEUE };

struct sup {
	struct job_spec	 spec;
	char		*jobdir;
	const char	*node;
	struct passwd	 pw;
	struct passwd	*pwp;		/* &pw, or NULL if the uid is unknown */
	char		*pwbuf;
	struct launch	 launch;
	struct job_result res;

	int		 sigfd;
	int		 limit_fd;	/* time limit, or -1 (none yet) */
	int		 kill_fd;	/* grace, then cleanup ticks; or -1 */
	int		 errfd;		/* the job's stderr, from the child */

	bool		 shell_alive;
	bool		 killing;	/* TERM sent, KILL pending */
	bool		 failed;	/* launch failure reported */
	bool		 done;
	struct launch_report fail;
	int		 status;
	int64_t		 cleanup_deadline;
	bool		 left_behind;	/* processes survived the cleanup */
	struct rusage	 ru0;		/* RUSAGE_CHILDREN before the job */
	uint64_t	 maxrss_kb;	/* of the children reaped (wait4) */
	int64_t		 next_sample;	/* mono_msec() of the next usage
					   sample, 0 for none */
	uint32_t	 sample_ms;
	uint64_t	 rss_kb;
	uint64_t	 vsize_kb;
};

/* An idle supervisor's socket to the daemon, until its "go"; -1 else. */
static int	 go_fd = -1;

static void	 usage(void) __attribute__((noreturn));
static void	 setup_fds(void);
static int	 setup_signals(bool);
static void	 timer_arm(int *, uint64_t, uint64_t);
static void	 timer_drain(int);
#define JOBFILE_FD	3	/* the job file, locked: see spec.h */
#define CLOSE_RANGE_CLOEXEC_	(1u << 2)	/* linux/close_range.h */

static int	 sup_load(struct sup *, const char *);
static void	 sup_prepare(struct sup *);
static void	 sup_groups(struct sup *);
static void	 sup_write_pid(struct sup *);
static void	 sup_stderr_line(struct sup *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 sup_kill(struct sup *, enum kill_reason);
static void	 sup_kill_all(struct sup *, int);
static void	 sup_forward(struct sup *, int);
static void	 sup_new_limit(struct sup *, uint32_t);
static void	 sup_read_child(struct sup *);
static void	 sup_reap(struct sup *);
static void	 sup_signals(struct sup *);
static void	 sup_kill_timer(struct sup *);
static void	 sup_sample(struct sup *);
static void	 sup_loop(struct sup *);
static int	 sup_finish(struct sup *);
static void	 sup_free(struct sup *);

static void
usage(void)
{
	log_warnx("usage: berth-jobsup jobfile | -w placeholder");
	exit(JOBSUP_EXIT_USAGE);
}

/* 0-2 open (so no file we open lands there); everything else close-on-exec,
 * including the lock on fd 3, which we keep open but the job must not. */
static void
setup_fds(void)
{
	struct dirent *de;
	DIR *d;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) == -1)
			sys_fail("open /dev/null");
	}
	/* One system call on Linux >= 5.11; reading /proc/self/fd was a
	 * tenth of the supervisor's CPU time. */
	if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC_) == 0)
		return;
	if ((d = opendir("/proc/self/fd")) == NULL) {
		log_warn("opendir /proc/self/fd");
		(void)set_cloexec(3);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd > 2 && fd != dirfd(d))
			(void)set_cloexec(fd);
	}
	closedir(d);
}

/*
 * The daemon ignores SIGCHLD and blocks its own signals; both are inherited
 * through exec.  Take the ones we handle through a signalfd.  A supervisor
 * forked by the zygote (forked) has SIGCHLD at its default and SIGPIPE
 * ignored from it already.
 */
static int
setup_signals(bool forked)
{
	struct sigaction sa;
	sigset_t set;
	int fd;

	if (!forked) {
		memset(&sa, 0, sizeof sa);
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = SIG_DFL;
		(void)sigaction(SIGCHLD, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		(void)sigaction(SIGPIPE, &sa, NULL);
	}

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SPEC_CTL_SIG);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		sys_fail("sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		sys_fail("signalfd");
	/* An idle supervisor's fd 3 is free, and kept for the job file. */
	return fd_above_jobfile(fd);
}

/*
 * Fire after ms (0: disarm), then every interval ms (0: once).  The timer
 * is created when first armed: most jobs end without a time limit or a
 * kill, and each timerfd costs a file to create and to release.
 */
static void
timer_arm(int *fdp, uint64_t ms, uint64_t interval)
{
	struct itimerspec its;
	int fd = *fdp;

	if (fd == -1) {
		if (ms == 0)
			return;		/* never armed: nothing to disarm */
		fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC |
		    TFD_NONBLOCK);
		if (fd == -1)
			sys_fail("timerfd_create");
		*fdp = fd;
	}
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	its.it_interval.tv_sec = (time_t)(interval / 1000);
	its.it_interval.tv_nsec = (long)(interval % 1000) * 1000000;
	if (timerfd_settime(fd, 0, &its, NULL) == -1)
		log_warn("timerfd_settime");
}

static void
timer_drain(int fd)
{
	uint64_t n;

	(void)!read(fd, &n, sizeof n);
}

static int
sup_load(struct sup *s, const char *file)
{
	s->jobdir = xstrdup(file);	/* the job file's path, for logs */
	if (jobfile_read_spec(JOBFILE_FD, &s->spec) == -1) {
		log_warn("read job spec from %s", file);
		return -1;
	}
	if (s->spec.script_path == NULL) {
		log_warnx("%s: job spec names no script", file);
		return -1;
	}
	return 0;
}

/* Everything the child needs, computed before fork. */
static void
sup_prepare(struct sup *s)
{
	struct job *j = &s->spec.job;
	struct launch *l = &s->launch;
	struct jobsup_names names;
	const char *um;
	char *cause, *numeric = NULL, *script, **login = NULL;
	size_t argc;
	long v;

	if (s->spec.node_name == NULL)
		s->spec.node_name = xstrdup(short_hostname());
	s->node = s->spec.node_name;
	if (j->workdir == NULL)
		j->workdir = xstrdup("/");

	/* The daemon resolved the account: no NSS here (static binary). */
	if (s->spec.user_known && j->user != NULL) {
		memset(&s->pw, 0, sizeof s->pw);
		s->pw.pw_name = j->user;
		s->pw.pw_uid = (uid_t)j->uid;
		s->pw.pw_gid = (gid_t)j->gid;
		s->pw.pw_dir = s->spec.user_home != NULL ?
		    s->spec.user_home : (char *)(uintptr_t)"/";
		s->pw.pw_shell = s->spec.user_shell != NULL ?
		    s->spec.user_shell : (char *)(uintptr_t)"/bin/sh";
		s->pwp = &s->pw;
	}
	names.node = s->node;
	if (j->user != NULL)
		names.user = j->user;
	else if (s->pwp != NULL)
		names.user = s->pw.pw_name;
	else {
		xasprintf(&numeric, "%u", j->uid);
		names.user = numeric;
	}

	memset(l, 0, sizeof *l);
	l->sock = -1;
	l->umask = -1;
	l->pid_fd = JOBFILE_FD;
	jobsup_paths_build(j, &names, &l->paths);
	free(numeric);
	l->workdir = j->workdir;
	l->append = (j->flags & JOB_F_OPEN_APPEND) != 0;

	if (geteuid() == 0 && j->uid != 0) {
		l->drop = true;
		l->uid = (uid_t)j->uid;
		l->gid = (gid_t)j->gid;
		sup_groups(s);
	}

	script = xstrdup(s->spec.script_path);
	l->script = script;
	argc = strv_len(s->spec.argv);
	l->argv = xcalloc(argc + 2, sizeof *l->argv);
	l->argv[0] = script;
	for (size_t i = 0; i < argc; i++)
		l->argv[i + 1] = xstrdup(s->spec.argv[i]);
	/* --export=NONE, --get-user-env: the user's login environment. */
	if (s->pwp != NULL && ((j->flags & JOB_F_EXPORT_NONE) ||
	    jobsup_env_get(s->spec.env, "SLURM_GET_USER_ENV") != NULL)) {
		/* The login shell is the user's code: not before "go". */
		zygote_wait_go(&go_fd);
		login = launch_login_env(l, s->pwp, LOGIN_TIMEOUT_MS, &cause);
		if (login == NULL) {
			log_warnx("job=%u: login environment of %s: %s; using "
			    "the basic one", j->id, s->pw.pw_name, cause);
			free(cause);
		}
	}
	l->env = jobsup_env_build(&s->spec, 0, s->pwp, login);
	strv_free(login);

	/* sbatch passes its umask as SLURM_UMASK (octal). */
	if ((um = jobsup_env_get(s->spec.env, "SLURM_UMASK")) != NULL) {
		char *end;

		v = strtol(um, &end, 8);
		if (*um != '\0' && *end == '\0' && v >= 0 && v <= 0777)
			l->umask = (int)v;
	}

	l->nrlimits = jobsup_rlimits(s->spec.env, l->rlimits,
	    JOBSUP_RLIMITS_MAX);

	if (j->cpu_ids != NULL && *j->cpu_ids != '\0') {
		l->cpus = jobsup_cpulist_parse(j->cpu_ids, &l->cpus_size,
		    &cause);
		if (l->cpus == NULL) {
			log_warnx("job=%u: %s; not binding", j->id, cause);
			free(cause);
		}
	}
	/*
	 * Move to the job's CPUs now, while the daemon commits, so that the
	 * child (which inherits them) need not migrate between its vfork and
	 * its exec: under load the child otherwise waits for a turn on the
	 * new CPU once more, and the supervisor's exit flushes a TLB there.
	 * The job's affinity is the same either way.  Best effort: the
	 * child tries again if this fails.
	 */
	if (l->cpus != NULL && sched_setaffinity(0, l->cpus_size, l->cpus) == 0)
		l->cpus_ours = true;
}

/* Supplementary groups of the job's user (initgroups, done before fork). */
static void
sup_groups(struct sup *s)
{
	struct launch *l = &s->launch;

	/* Resolved by the daemon (spec.groups includes the primary gid). */
	if (s->pwp == NULL || s->spec.ngroups == 0) {
		l->groups = xcalloc(1, sizeof *l->groups);
		l->groups[0] = l->gid;
		l->ngroups = 1;
		return;
	}
	l->groups = xcalloc(s->spec.ngroups, sizeof *l->groups);
	for (uint32_t i = 0; i < s->spec.ngroups; i++)
		l->groups[i] = (gid_t)s->spec.groups[i];
	l->ngroups = (int)s->spec.ngroups;
}

static void
sup_write_pid(struct sup *s)
{
	if (jobfile_set_pids(JOBFILE_FD, (long)getpid(),
	    (long)s->launch.pid) == -1)
		log_warn("job=%u: record pids in %s", s->spec.job.id,
		    s->jobdir);
}

/* A "slurmstepd-<node>: error: ..." line in the job's stderr file. */
static void
sup_stderr_line(struct sup *s, const char *fmt, ...)
{
	va_list ap;
	char *msg, *line;

	if (s->errfd == -1)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(&line, "slurmstepd-%s: error: %s\n", s->node, msg);
	if (write_full(s->errfd, line, strlen(line)) == -1)
		log_warn("job=%u: write to stderr file", s->spec.job.id);
	free(line);
	free(msg);
}

/*
 * The job's process group plus every descendant that left it, each once.
 * The group is signalled only while the batch shell (its leader) is not
 * yet reaped: after that its number could name somebody else's group.
 */
static void
sup_kill_all(struct sup *s, int sig)
{
	pid_t pgid = s->shell_alive ? s->launch.pid : 0;

	if (pgid > 0)
		(void)kill(-pgid, sig);
	(void)jobsup_tree_signal(sig, pgid);
}

static void
sup_kill(struct sup *s, enum kill_reason why)
{
	struct job *j = &s->spec.job;
	char when[32];
	struct tm tm;
	time_t t;

	if (!s->shell_alive || s->killing)
		return;
	s->killing = true;
	if (why == KILL_TIMEOUT)
		s->res.timeout = 1;
	else
		s->res.cancelled = 1;
	log_info("job=%u: %s, sending SIGTERM", j->id,
	    why == KILL_TIMEOUT ? "time limit reached" :
	    why == KILL_REQUEUE ? "requeued" : "cancelled");

	t = time(NULL);
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	sup_stderr_line(s, "*** JOB %u ON %s CANCELLED AT %s%s ***", j->id,
	    s->node, when, why == KILL_TIMEOUT ? " DUE TO TIME LIMIT" :
	    why == KILL_REQUEUE ? " DUE TO JOB REQUEUE" : "");

	sup_kill_all(s, SIGTERM);
	sup_kill_all(s, SIGCONT);
	timer_arm(&s->limit_fd, 0, 0);
	if (s->spec.kill_wait == 0)
		sup_kill_all(s, SIGKILL);
	else
		timer_arm(&s->kill_fd, (uint64_t)s->spec.kill_wait * 1000, 0);
}

/*
 * scontrol update TimeLimit= of the running job: re-arm the limit timer
 * for the new deadline, counted from the job's start; a deadline already
 * past ends the job now, as Slurm's next time-limit check would.
 */
static void
sup_new_limit(struct sup *s, uint32_t minutes)
{
	int64_t end, now = now_sec();

	if (s->killing || !s->shell_alive)
		return;
	s->spec.job.time_limit = minutes == SPEC_LIMIT_NONE ? INFINITE :
	    minutes;
	if (minutes == SPEC_LIMIT_NONE || minutes == 0) {
		timer_arm(&s->limit_fd, 0, 0);
		log_info("job=%u: time limit now unlimited", s->spec.job.id);
		return;
	}
	end = s->res.start_time + (int64_t)minutes * 60;
	log_info("job=%u: time limit now %u minutes", s->spec.job.id,
	    minutes);
	if (end <= now) {
		timer_arm(&s->limit_fd, 0, 0);
		sup_kill(s, KILL_TIMEOUT);
		return;
	}
	timer_arm(&s->limit_fd, (uint64_t)(end - now) * 1000, 0);
}

/* SPEC_CTL_SIG from the daemon: v & 0xff is the signal, SPEC_SIG_BATCH says
 * the batch shell only, else the job's process group; v ==
 * SPEC_CTL_REQUEUE ends the job for scontrol requeue (a cancel). */
static void
sup_forward(struct sup *s, int v)
{
	int sig = v & 0xff;
	pid_t target;

	if (v == SPEC_CTL_REQUEUE) {
		sup_kill(s, KILL_REQUEUE);
		return;
	}
	if (v == SPEC_CTL_CANCEL) {
		sup_kill(s, KILL_CANCEL);
		return;
	}
	if (v & SPEC_CTL_TIMELIMIT) {
		sup_new_limit(s, ((uint32_t)v >> SPEC_LIMIT_SHIFT) &
		    SPEC_LIMIT_NONE);
		return;
	}
	if (!s->shell_alive)
		return;
	if (sig >= NSIG) {
		log_warnx("job=%u: bad signal number %d", s->spec.job.id, sig);
		return;
	}
	target = (v & SPEC_SIG_BATCH) ? s->launch.pid : -s->launch.pid;
	log_debug("job=%u: signal %d to %ld", s->spec.job.id, sig,
	    (long)target);
	if (kill(target, sig) == -1 && errno != ESRCH)
		log_warn("job=%u: kill %ld %d", s->spec.job.id, (long)target,
		    sig);
}

static void
sup_read_child(struct sup *s)
{
	struct launch_report rep;
	char *msg;
	int fd, r;

	while ((r = launch_read(&s->launch, &rep, &fd)) == 1) {
		if (rep.stage == LAUNCH_OK) {
			if (s->errfd != -1)
				close(s->errfd);
			s->errfd = fd;
			continue;
		}
		if (fd != -1)
			close(fd);
		if (s->failed)
			continue;
		s->failed = true;
		s->fail = rep;
		msg = launch_error(&s->launch, &rep);
		log_warnx("job=%u: %s", s->spec.job.id, msg);
		sup_stderr_line(s, "%s", msg);
		free(msg);
	}
	if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
		log_warn("job=%u: read from job", s->spec.job.id);
		close(s->launch.sock);
		s->launch.sock = -1;
	}
}

static void
sup_reap(struct sup *s)
{
	struct rusage ru;
	siginfo_t si;
	pid_t pid;
	int st;

	for (;;) {
		/*
		 * Peek first: while the batch shell is an unreaped zombie its
		 * pid (the job's process group id) cannot be reused, so the
		 * group can be killed safely one last time.
		 */
		memset(&si, 0, sizeof si);
		if (s->shell_alive && waitid(P_PID, (id_t)s->launch.pid, &si,
		    WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == s->launch.pid)
			(void)kill(-s->launch.pid, SIGKILL);

		pid = wait4(-1, &st, WNOHANG, &ru);
		if (pid == 0)
			return;
		if (pid > 0 && (uint64_t)ru.ru_maxrss > s->maxrss_kb)
			s->maxrss_kb = (uint64_t)ru.ru_maxrss;
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				log_warn("waitpid");
			if (!s->shell_alive)
				s->done = true;
			return;
		}
		if (pid != s->launch.pid || !s->shell_alive)
			continue;

		/* The batch shell is gone: the step ends with it. */
		s->shell_alive = false;
		s->status = st;
		s->res.end_time = now_sec();
		log_debug("job=%u: batch shell exited, status 0x%x",
		    s->spec.job.id, (unsigned)st);
		sup_read_child(s);
		timer_arm(&s->limit_fd, 0, 0);
		s->next_sample = 0;
		/*
		 * As a subreaper we inherit every orphan below us, so with no
		 * child left no process of the job is left either: skip the
		 * walk of /proc (the usual end of a job), and the next
		 * waitpid says ECHILD.
		 */
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == -1 &&
		    errno == ECHILD)
			continue;
		sup_kill_all(s, SIGKILL);
		s->cleanup_deadline = mono_msec() + CLEANUP_MAX_MS;
		timer_arm(&s->kill_fd, CLEANUP_TICK_MS, CLEANUP_TICK_MS);
	}
}

static void
sup_signals(struct sup *s)
{
	struct signalfd_siginfo si;
	ssize_t r;

	for (;;) {
		r = read(s->sigfd, &si, sizeof si);
		if (r != (ssize_t)sizeof si) {
			if (r == -1 && errno == EINTR)
				continue;
			return;
		}
		if (si.ssi_signo == SIGCHLD)
			sup_reap(s);
		else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			sup_kill(s, KILL_CANCEL);
		else if ((int)si.ssi_signo == SPEC_CTL_SIG) {
			/* The daemon names the job (spec_ctl_value()): one
			 * for a job this supervisor ran before is stale. */
			uint32_t id = (uint32_t)(si.ssi_ptr >> 32);

			if (id == 0 || id == s->spec.job.id)
				sup_forward(s, (int)(uint32_t)si.ssi_ptr);
		}
		/* SIGHUP: nothing to reload. */
	}
}

static void
sup_kill_timer(struct sup *s)
{
	timer_drain(s->kill_fd);
	if (s->shell_alive) {
		log_info("job=%u: still running after %u s, sending SIGKILL",
		    s->spec.job.id, s->spec.kill_wait);
		sup_kill_all(s, SIGKILL);
		return;
	}
	/* Cleanup after the shell: leftovers are killed until none remain. */
	sup_kill_all(s, SIGKILL);
	sup_reap(s);
	if (!s->done && mono_msec() >= s->cleanup_deadline) {
		log_warnx("job=%u: processes survive SIGKILL for %d s, "
		    "leaving them", s->spec.job.id, CLEANUP_MAX_MS / 1000);
		s->done = true;
		s->left_behind = true;
	}
}

/* Usage samples at 1, 3, 7, ... s, then every SAMPLE_MAX_MS. */
static void
sup_sample(struct sup *s)
{
	uint64_t rss, vsize;

	s->next_sample = 0;
	if (!s->shell_alive)
		return;
	jobsup_tree_usage(&rss, &vsize);
	if (rss > s->rss_kb)
		s->rss_kb = rss;
	if (vsize > s->vsize_kb)
		s->vsize_kb = vsize;
	s->sample_ms = s->sample_ms * 2 > SAMPLE_MAX_MS ? SAMPLE_MAX_MS :
	    s->sample_ms * 2;
	s->next_sample = mono_msec() + s->sample_ms;
}

/*
 * The usage samples are the poll timeout (no timer to create for them);
 * the time limit and the kill timers are timerfds once armed (poll skips
 * the -1 of one that is not).  The child's socket is read and closed
 * before (main()).
 */
static void
sup_loop(struct sup *s)
{
	struct pollfd pfd[3];
	int64_t now;
	int timeout;

	while (!s->done) {
		pfd[0] = (struct pollfd){ s->sigfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ s->limit_fd, POLLIN, 0 };
		pfd[2] = (struct pollfd){ s->kill_fd, POLLIN, 0 };
		timeout = -1;
		if (s->next_sample != 0) {
			now = mono_msec();
			timeout = s->next_sample <= now ? 0 :
			    (int)(s->next_sample - now);
		}
		if (poll(pfd, nitems(pfd), timeout) == -1) {
			if (errno == EINTR)
				continue;
			sys_fail("poll");
		}
		if (pfd[0].revents & POLLIN)
			sup_signals(s);
		if (pfd[1].revents & POLLIN) {
			timer_drain(s->limit_fd);
			sup_kill(s, KILL_TIMEOUT);
		}
		if (pfd[2].revents & POLLIN)
			sup_kill_timer(s);
		if (s->next_sample != 0 && mono_msec() >= s->next_sample)
			sup_sample(s);
	}
}

static uint64_t
tv_usec(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000 + (uint64_t)tv->tv_usec;
}

static int
sup_finish(struct sup *s)
{
	struct job_result *r = &s->res;
	struct rusage ru;
	int rc = 0;

	sup_read_child(s);
	if (s->failed) {
		r->launch_failed = 1;
		r->error = launch_error(&s->launch, &s->fail);
		/* exec failures exit with errno, as slurmstepd does */
		if (s->fail.stage == LAUNCH_EXEC)
			r->status = (s->fail.err & 0xff) << 8;
		else
			r->status = JOBSUP_LAUNCH_STATUS;
	} else
		r->status = s->status;
	if (r->end_time == 0)
		r->end_time = now_sec();
	/* This job's children only: a reused supervisor has reaped those
	 * of earlier jobs too.  (Times add up; the peak is the largest
	 * child's, as RUSAGE_CHILDREN reports it.) */
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
		r->user_usec = tv_usec(&ru.ru_utime) - tv_usec(&s->ru0.ru_utime);
		r->sys_usec = tv_usec(&ru.ru_stime) - tv_usec(&s->ru0.ru_stime);
	}
	r->max_rss_kb = s->maxrss_kb;
	if (s->rss_kb > r->max_rss_kb)
		r->max_rss_kb = s->rss_kb;
	r->max_vsize_kb = s->vsize_kb;

	if (jobfile_set_result(JOBFILE_FD, r) == -1) {
		log_warn("job=%u: write result to %s", s->spec.job.id,
		    s->jobdir);
		rc = JOBSUP_EXIT_SYSTEM;
	} else
		log_debug("job=%u: result status 0x%x", s->spec.job.id,
		    (unsigned)r->status);
	return rc;
}

static void
sup_free(struct sup *s)
{
	struct launch *l = &s->launch;

	strv_free(l->argv);	/* argv[0] is l->script */
	strv_free(l->env);
	jobsup_paths_free(&l->paths);
	free(l->groups);
	if (l->cpus != NULL)
		CPU_FREE(l->cpus);
	/* The job's descriptors (the signalfd and the job file are the
	 * caller's). */
	if (s->limit_fd != -1)
		close(s->limit_fd);
	if (s->kill_fd != -1)
		close(s->kill_fd);
	if (s->errfd != -1)
		close(s->errfd);
	if (l->sock != -1)
		close(l->sock);
	job_result_free(&s->res);
	job_spec_free(&s->spec);
	free(s->pwbuf);
	free(s->jobdir);
}

/*
 * What the daemon sent since it handed us the job, read just before the
 * job would start: a cancel (SIGTERM, SPEC_CTL_CANCEL) or a requeue
 * (SPEC_CTL_REQUEUE) means the job must not start at all, as slurmd never
 * starts a job that was killed already (it once started, to be killed at
 * once: its output file, its first lines).  Returns KILL_CANCEL or
 * KILL_REQUEUE for that, else -1.  A new time limit is kept for the start
 * to arm; signals for the job are kept in fwd (up to EARLY_MAX) to be
 * sent once it runs, as they would have been.  SIGCHLD (left from a job
 * before, on a supervisor that serves several) and SIGHUP mean nothing
 * yet.  One read of the signalfd per job, which finds it empty.
 */
#define EARLY_MAX	8

static int
sup_early_signals(struct sup *s, int *fwd, int *nfwd)
{
	struct signalfd_siginfo si;
	uint32_t id;
	ssize_t r;
	int v, why = -1;

	for (;;) {
		r = read(s->sigfd, &si, sizeof si);
		if (r != (ssize_t)sizeof si) {
			if (r == -1 && errno == EINTR)
				continue;
			return why;
		}
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			why = KILL_CANCEL;
			continue;
		}
		if ((int)si.ssi_signo != SPEC_CTL_SIG)
			continue;
		id = (uint32_t)(si.ssi_ptr >> 32);
		v = (int)(uint32_t)si.ssi_ptr;
		if (id != 0 && id != s->spec.job.id)
			continue;	/* for a job we ran before */
		if (v == SPEC_CTL_REQUEUE)
			why = KILL_REQUEUE;
		else if (v == SPEC_CTL_CANCEL) {
			if (why == -1)
				why = KILL_CANCEL;
		} else if (v & SPEC_CTL_TIMELIMIT) {
			v = (int)(((uint32_t)v >> SPEC_LIMIT_SHIFT) &
			    SPEC_LIMIT_NONE);
			s->spec.job.time_limit = v == SPEC_LIMIT_NONE ?
			    INFINITE : (uint32_t)v;
		} else if (*nfwd < EARLY_MAX)
			fwd[(*nfwd)++] = v;
		else
			log_warnx("job=%u: too many signals before its start; "
			    "dropping one", s->spec.job.id);
	}
}

/*
 * One job: its file is fd 3 (path in file), s fresh but for its
 * signalfd.  Returns the exit status a one-job supervisor would have.
 */
static int
sup_job(struct sup *s, const char *file)
{
	uint32_t limit;
	int rc, why, fwd[EARLY_MAX], nfwd = 0;

	s->limit_fd = s->kill_fd = s->errfd = -1;
	(void)getrusage(RUSAGE_CHILDREN, &s->ru0);
	if (sup_load(s, file) == -1)
		exit(JOBSUP_EXIT_SYSTEM);
	sup_prepare(s);
	/* Prepared while the daemon commits; the job waits for its "go". */
	zygote_wait_go(&go_fd);

	s->res.start_time = now_sec();
	if ((why = sup_early_signals(s, fwd, &nfwd)) != -1) {
		/* Not started: no pid recorded, no file opened, no process;
		 * the daemon ends the job CANCELLED, or requeues it. */
		log_info("job=%u: %s before it started; not starting it",
		    s->spec.job.id, why == KILL_REQUEUE ? "requeued" :
		    "cancelled");
		s->res.cancelled = 1;
		s->res.end_time = s->res.start_time;
		rc = sup_finish(s);
		sup_free(s);
		return rc;
	}
	if (launch_start(&s->launch) == -1) {
		log_warn("job=%u: fork", s->spec.job.id);
		exit(JOBSUP_EXIT_SYSTEM);
	}
	s->shell_alive = true;
	/* The child recorded the pids before it went on; here if it died
	 * before it could. */
	if (!s->launch.recorded)
		sup_write_pid(s);
	/*
	 * The child was vforked: it has exec'd (past the point of no
	 * return) or exited, so whatever it had to say is queued, and only
	 * its end of file may still lag behind its exec.  Read it all now
	 * rather than wake up for it.
	 */
	sup_read_child(s);
	if (s->launch.sock != -1) {
		close(s->launch.sock);
		s->launch.sock = -1;
	}
	log_debug("job=%u: started pid %ld", s->spec.job.id,
	    (long)s->launch.pid);

	/* -t 0 and INFINITE both mean no limit. */
	limit = s->spec.job.time_limit;
	if (limit != INFINITE && limit != NO_VAL && limit != 0)
		timer_arm(&s->limit_fd, (uint64_t)limit * 60 * 1000, 0);
	s->sample_ms = SAMPLE_FIRST_MS;
	s->next_sample = mono_msec() + s->sample_ms;
	for (int i = 0; i < nfwd; i++)
		sup_forward(s, fwd[i]);

	sup_loop(s);
	rc = sup_finish(s);
	sup_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct sup s;
	cpu_set_t cpus;
	char *file;
	bool idle = false, have_cpus;
	int rc, sigfd;

	log_set_stderr("berth-jobsup", false);
	if (argc == 3 && strcmp(argv[1], "-w") == 0)
		idle = true;
	else if (argc != 2)
		usage();
	/* The zygote does this once for the supervisors it forks. */
	setup_fds();
	if (idle)
		zygote_run();		/* returns in an idle supervisor */
	else
		jobsup_signals_default();
	/* An idle supervisor does this before it has a job. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
		log_warn("prctl PR_SET_CHILD_SUBREAPER");
	/* The CPUs to go back to after a job that moved us to its own. */
	have_cpus = sched_getaffinity(0, sizeof cpus, &cpus) == 0;
	/* Blocked from now on, so that a control signal sent as soon as the
	 * daemon has handed us a job waits for it (zygote_idle() ends an
	 * idle supervisor on TERM, INT and HUP). */
	sigfd = setup_signals(idle);
	if (idle) {
		zygote_idle();
		file = zygote_wait_job(argc, argv, &go_fd);
	} else {
		file = xstrdup(argv[1]);
		/*
		 * Our pid at once, the job's still 0 (the job's start records
		 * both): a daemon restarted before then (we may be stopped)
		 * finds the job file locked and adopts us by it.  (The daemon
		 * records an idle supervisor's pid before it hands it a job.)
		 */
		if (jobfile_set_pids(JOBFILE_FD, (long)getpid(), 0) == -1)
			log_warn("record our pid in %s", file);
	}
	for (;;) {
		memset(&s, 0, sizeof s);
		s.sigfd = sigfd;
		rc = sup_job(&s, file);
		free(file);
		/*
		 * Forked by the zygote: take the next job if this one left
		 * nothing behind (no process, no foreign CPU set).  Closing
		 * the job file releases its lock, as exiting would.
		 */
		if (!idle || rc != 0 || s.left_behind)
			return rc;
		if (s.launch.cpus_ours && (!have_cpus ||
		    sched_setaffinity(0, sizeof cpus, &cpus) == -1))
			return rc;
		close(JOBFILE_FD);
		if (!zygote_job_done())
			return rc;
		zygote_idle();
		file = zygote_wait_job(argc, argv, &go_fd);
	}
}
