// links: jobsup/env.c jobsup/spawn.c
/* SPDX-License-Identifier: MIT */
/*
 * berth-jobsup end to end, without a daemon: the test plays the daemon's
 * part (job directory with spec, script and a flock'ed lock passed as fd 3,
 * then signals), runs $BERTH_BUILD/libexec/berth/berth-jobsup (default
 * build/) and checks the result file, the output files and the processes.
 * Covers: output pattern expansion and stderr sharing, arguments, the
 * environment and session, CPU affinity, the lock not leaking into the job,
 * usage accounting, cancel (TERM, then KILL after kill_wait), signal
 * forwarding to the batch shell and to the process group, leftovers killed
 * when the shell exits (even outside its process group), --open-mode,
 * launch failures (bad -D: 0:53, unopenable output, exec failure: exit
 * code errno) and, as root, running as another user.
 * Every wait polls with a deadline; nothing sleeps and hopes.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "jobsup/jobsup.h"
#include "proto/spec.h"

#define DEADLINE_MS	20000

static char	*tmpdir;
static char	*jobsup_path;
static int	 first_cpu;

struct run {
	char		*dir;		/* job directory */
	char		*work;		/* working directory */
	pid_t		 pid;		/* supervisor */
	int		 exit;		/* its exit status, -1 timeout */
	struct job_result res;
	bool		 have_res;
	long		 sup;		/* pids recorded in the job file */
	long		 job;
};

static void	 spec_init(struct job_spec *, uint32_t, const char *);
static void	 run_start(struct run *, struct job_spec *, const char *, bool);
static void	 run_wait(struct run *);
static void	 run_free(struct run *);
static char	*slurp(const char *);
static char	*path_in(const char *, const char *);
static bool	 wait_contains(const char *, const char *);
static bool	 wait_contains_for(const char *, const char *, int);
static bool	 pid_gone(pid_t);
static pid_t	 read_pid(const char *);
static void	 sleep_ms(int);

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static char *
path_in(const char *dir, const char *name)
{
	char *p;

	xasprintf(&p, "%s/%s", dir, name);
	return p;
}

static char *
slurp(const char *path)
{
	return read_file(path, 1 << 20, NULL);
}

/* Poll (10 ms) until path contains needle or the deadline passes. */
static bool
wait_contains(const char *path, const char *needle)
{
	return wait_contains_for(path, needle, DEADLINE_MS);
}

static bool
wait_contains_for(const char *path, const char *needle, int ms)
{
	int64_t end = mono_msec() + ms;
	char *text;
	bool found;

	for (;;) {
		text = slurp(path);
		found = text != NULL && strstr(text, needle) != NULL;
		free(text);
		if (found)
			return true;
		if (mono_msec() > end)
			return false;
		sleep_ms(10);
	}
}

/* True once pid no longer exists (or is a zombie nobody will reap). */
static bool
pid_gone(pid_t pid)
{
	int64_t end = mono_msec() + DEADLINE_MS;
	char path[64], *text, *p;

	for (;;) {
		if (kill(pid, 0) == -1 && errno == ESRCH)
			return true;
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		if ((text = slurp(path)) != NULL) {
			p = strrchr(text, ')');
			if (p != NULL && p[1] == ' ' && p[2] == 'Z') {
				free(text);
				return true;
			}
			free(text);
		}
		if (mono_msec() > end)
			return false;
		sleep_ms(10);
	}
}

static pid_t
read_pid(const char *path)
{
	char *text = slurp(path);
	long v = text != NULL ? strtol(text, NULL, 10) : 0;

	free(text);
	return (pid_t)v;
}

static void
spec_init(struct job_spec *s, uint32_t id, const char *workdir)
{
	struct passwd *pw = getpwuid(geteuid());

	memset(s, 0, sizeof *s);
	job_init(&s->job);
	s->job.id = id;
	s->job.uid = (uint32_t)geteuid();
	s->job.gid = (uint32_t)getegid();
	s->job.user = xstrdup(pw != NULL ? pw->pw_name : "someone");
	/* The account as the daemon resolves it for the supervisor. */
	if (pw != NULL) {
		s->user_known = 1;
		s->user_home = xstrdup(pw->pw_dir);
		s->user_shell = xstrdup(pw->pw_shell);
		s->groups = xcalloc(1, sizeof *s->groups);
		s->groups[0] = (uint32_t)getegid();
		s->ngroups = 1;
	}
	xasprintf(&s->job.name, "job%u", id);
	s->job.partition = xstrdup("cpu");
	s->job.workdir = xstrdup(workdir);
	s->job.nodelist = xstrdup("testnode");
	s->job.time_limit = INFINITE;
	s->job.mem_mb = 100;
	s->job.flags = JOB_F_MEM_PER_CPU;
	s->env = xcalloc(2, sizeof *s->env);
	s->env[0] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	s->cluster_name = xstrdup("testc");
	s->node_name = xstrdup("testnode");
	s->submit_host = xstrdup("testnode");
	s->kill_wait = 2;
}

/*
 * Make <tmp>/<id>/{job,script} (the job file holds the spec and is the
 * lock; and the working directory when mkwork), then start the supervisor
 * with the job file as fd 3 and its log in <dir>/sup.log.
 */
static void
run_start(struct run *r, struct job_spec *s, const char *script, bool mkwork)
{
	char *p, *log;
	int lock, logfd;

	memset(r, 0, sizeof *r);
	xasprintf(&r->dir, "%s/%u", tmpdir, s->job.id);
	r->work = xstrdup(s->job.workdir);
	if (mkdir(r->dir, 0755) == -1)
		perror(r->dir);
	if (mkwork) {
		(void)mkdir(r->work, 0777);
		(void)chmod(r->work, 0777);
	}

	p = path_in(r->dir, "script");
	if (write_file_atomic(p, script, strlen(script), 0755, false) == -1)
		perror(p);
	free(s->script_path);
	s->script_path = p;

	p = path_in(r->dir, "job");
	lock = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock == -1 || flock(lock, LOCK_EX) == -1 ||
	    jobfile_write_spec(lock, s) == -1)
		perror(p);
	log = path_in(r->dir, "sup.log");
	logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	free(log);

	r->pid = fork();
	if (r->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		/* dup2(3, 3) would keep close-on-exec: clear it. */
		if (lock == 3)
			fcntl(3, F_SETFD, 0);
		else
			dup2(lock, 3);
		setsid();
		execl(jobsup_path, "berth-jobsup", p, (char *)NULL);
		_exit(127);
	}
	free(p);
	close(lock);
	close(logfd);
}

/* Wait for the supervisor to exit (deadline), then read its result. */
static void
run_wait(struct run *r)
{
	int64_t end = mono_msec() + DEADLINE_MS;
	char *p, *text;
	pid_t w;
	int st, fd;

	r->exit = -1;
	for (;;) {
		w = waitpid(r->pid, &st, WNOHANG);
		if (w == r->pid) {
			r->exit = WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
			break;
		}
		if (mono_msec() > end) {
			kill(r->pid, SIGKILL);
			waitpid(r->pid, &st, 0);
			break;
		}
		sleep_ms(10);
	}
	p = path_in(r->dir, "job");
	if ((fd = open(p, O_RDONLY | O_CLOEXEC)) != -1) {
		r->have_res = jobfile_read_state(fd, &r->sup, &r->job,
		    &r->res) == 1;
		close(fd);
	}
	free(p);
	if (r->exit != 0) {
		p = path_in(r->dir, "sup.log");
		text = slurp(p);
		printf("# supervisor exit %d, log:\n# %s\n", r->exit,
		    text != NULL ? text : "(none)");
		free(text);
		free(p);
	}
}

static void
run_free(struct run *r)
{
	job_result_free(&r->res);
	free(r->dir);
	free(r->work);
}

static void
test_basic(void)
{
	static const char script[] =
	    "#!/bin/bash\n"
	    "echo \"hello $SLURM_JOB_ID [$1] [$2] $#\"\n"
	    "echo \"zero=$0\"\n"
	    "echo \"pwd=$(pwd)\"\n"
	    "echo \"taskpid=$SLURM_TASK_PID self=$$\"\n"
	    "set -- $(sed 's/.*) //' /proc/$$/stat)\n"
	    "echo \"pgrp=$3 sid=$4\"\n"
	    "if [ -e /proc/$$/fd/3 ]; then echo fd3-open; "
	    "else echo fd3-closed; fi\n"
	    "grep Cpus_allowed_list /proc/self/status\n"
	    "echo \"name=$SLURM_JOB_NAME node=$SLURMD_NODENAME\"\n"
	    "echo to-err >&2\n"
	    "echo \"umask=$(umask) nofile=$(ulimit -n) "
	    "rl=${SLURM_RLIMIT_NOFILE-unset} um=${SLURM_UMASK-unset}\"\n"
	    "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done\n"
	    "exit 3\n";
	struct job_spec s;
	struct run r;
	char *work, *out, *text, *want, *lockp;
	pid_t sup_pid, job_pid = 0;
	struct stat st;
	int lock;

	work = path_in(tmpdir, "w-basic");
	spec_init(&s, 77, work);
	s.job.std_out = xstrdup("out-%j-%x.txt");
	xasprintf(&s.job.cpu_ids, "%d", first_cpu);
	s.env = xreallocarray(s.env, 4, sizeof *s.env);
	s.env[1] = xstrdup("SLURM_UMASK=0077");
	s.env[2] = xstrdup("SLURM_RLIMIT_NOFILE=100");
	s.env[3] = NULL;
	s.argv = xcalloc(3, sizeof *s.argv);
	s.argv[0] = xstrdup("a b");
	s.argv[1] = xstrdup("c");
	run_start(&r, &s, script, true);
	sup_pid = r.pid;
	run_wait(&r);

	is_int(r.exit, 0, "basic: supervisor exits 0");
	ok(r.have_res, "basic: result written");
	ok(WIFEXITED(r.res.status) && WEXITSTATUS(r.res.status) == 3,
	    "basic: exit code 3 recorded (status 0x%x)",
	    (unsigned)r.res.status);
	is_int(r.res.launch_failed, 0, "basic: not a launch failure");
	is_int(r.res.cancelled + r.res.timeout, 0, "basic: not killed");
	ok(r.res.start_time > 0 && r.res.end_time >= r.res.start_time,
	    "basic: start and end times");
	ok(r.res.max_rss_kb > 0, "basic: max RSS %llu KB",
	    (unsigned long long)r.res.max_rss_kb);
	ok(r.res.user_usec + r.res.sys_usec > 0, "basic: CPU time %llu us",
	    (unsigned long long)(r.res.user_usec + r.res.sys_usec));

	ok(r.sup == sup_pid && r.job > 0,
	    "basic: job file records \"P <supervisor> <job>\" pids");
	job_pid = (pid_t)r.job;

	out = path_in(work, "out-77-job77.txt");
	text = slurp(out);
	ok(text != NULL, "basic: %%j and %%x expanded in the output name");
	if (text == NULL)
		text = xstrdup("");
	ok(strstr(text, "hello 77 [a b] [c] 2\n") != NULL,
	    "basic: arguments and SLURM_JOB_ID");
	xasprintf(&want, "zero=%s/script\n", r.dir);
	ok(strstr(text, want) != NULL, "basic: $0 is the script path");
	free(want);
	xasprintf(&want, "pwd=%s\n", work);
	ok(strstr(text, want) != NULL, "basic: runs in the working directory");
	free(want);
	xasprintf(&want, "taskpid=%ld self=%ld\n", (long)job_pid,
	    (long)job_pid);
	ok(strstr(text, want) != NULL, "basic: SLURM_TASK_PID is the shell");
	free(want);
	/* As slurmstepd's tasks: a process group of its own in the
	 * supervisor's session. */
	xasprintf(&want, "pgrp=%ld sid=%ld\n", (long)job_pid, (long)sup_pid);
	ok(strstr(text, want) != NULL,
	    "basic: own process group, in the supervisor's session");
	free(want);
	ok(strstr(text, "fd3-closed\n") != NULL,
	    "basic: lock fd not inherited");
	xasprintf(&want, "Cpus_allowed_list:\t%d\n", first_cpu);
	ok(strstr(text, want) != NULL, "basic: bound to CPU %d", first_cpu);
	free(want);
	ok(strstr(text, "name=job77 node=testnode\n") != NULL,
	    "basic: environment");
	ok(strstr(text, "to-err\n") != NULL, "basic: stderr shares stdout");
	ok(strstr(text, "umask=0077 nofile=100 rl=unset um=unset\n") != NULL,
	    "basic: sbatch's umask and limits applied, variables dropped");
	ok(stat(out, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "basic: output file created under the job's umask");
	if (t_fail != 0)
		printf("# output:\n%s", text);
	free(text);
	free(out);

	/* The lock is free once the supervisor is gone. */
	lockp = path_in(r.dir, "job");
	lock = open(lockp, O_RDWR | O_CLOEXEC);
	ok(lock != -1 && flock(lock, LOCK_EX | LOCK_NB) == 0,
	    "basic: lock released at exit");
	if (lock != -1)
		close(lock);
	free(lockp);

	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_split_and_append(void)
{
	static const char script[] =
	    "#!/bin/sh\necho new\necho err >&2\n";
	struct job_spec s;
	struct run r;
	char *work, *p, *text;

	work = path_in(tmpdir, "w-split");
	(void)mkdir(work, 0777);
	p = path_in(work, "o.txt");
	write_file_atomic(p, "old\n", 4, 0644, false);
	free(p);
	p = path_in(work, "e.txt");
	write_file_atomic(p, "olderr\n", 7, 0644, false);
	free(p);

	spec_init(&s, 80, work);
	s.job.std_out = xstrdup("o.txt");
	s.job.std_err = xstrdup("e.txt");
	run_start(&r, &s, script, true);
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "truncate: job ran");
	p = path_in(work, "o.txt");
	text = slurp(p);
	is_str(text, "new\n", "truncate: stdout file truncated");
	free(text);
	free(p);
	p = path_in(work, "e.txt");
	text = slurp(p);
	is_str(text, "err\n", "truncate: separate stderr file");
	free(text);
	free(p);
	run_free(&r);
	job_spec_free(&s);

	spec_init(&s, 81, work);
	s.job.std_out = xstrdup("o.txt");
	s.job.std_err = xstrdup("e.txt");
	s.job.flags |= JOB_F_OPEN_APPEND;
	run_start(&r, &s, script, true);
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "append: job ran");
	p = path_in(work, "o.txt");
	text = slurp(p);
	is_str(text, "new\nnew\n", "append: --open-mode=append keeps old");
	free(text);
	free(p);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_cancel(void)
{
	static const char script[] =
	    "#!/bin/bash\n"
	    "sleep 300 &\n"
	    "echo $! > sleeppid\n"
	    "echo started\n"
	    "wait\n";
	static const char stubborn[] =
	    "#!/bin/bash\n"
	    "trap 'echo got TERM' TERM\n"
	    "echo started\n"
	    "while :; do sleep 0.05; done\n";
	static const char prefix[] = "slurmstepd-testnode: error: "
	    "*** JOB 90 ON testnode CANCELLED AT ";
	struct job_spec s;
	struct run r;
	char *work, *out, *text, *p, *line;
	pid_t sleeper;
	int64_t t0;

	work = path_in(tmpdir, "w-cancel");
	spec_init(&s, 90, work);
	run_start(&r, &s, script, true);
	out = path_in(work, "slurm-90.out");
	ok(wait_contains(out, "started\n"), "cancel: job started");
	p = path_in(work, "sleeppid");
	sleeper = read_pid(p);
	free(p);
	kill(r.pid, SIGTERM);
	run_wait(&r);
	is_int(r.exit, 0, "cancel: supervisor exits 0");
	is_int(r.res.cancelled, 1, "cancel: result cancelled=1");
	is_int(r.res.timeout, 0, "cancel: not a timeout");
	ok(WIFSIGNALED(r.res.status) && WTERMSIG(r.res.status) == SIGTERM,
	    "cancel: shell died of SIGTERM (status 0x%x)",
	    (unsigned)r.res.status);
	text = slurp(out);
	line = text != NULL ? strstr(text, prefix) : NULL;
	if (line != NULL)
		line += strlen(prefix);
	/* then YYYY-MM-DDTHH:MM:SS and " ***" */
	ok(line != NULL && strlen(line) >= 19 + 5 && line[4] == '-' &&
	    line[10] == 'T' && strcmp(line + 19, " ***\n") == 0,
	    "cancel: CANCELLED line in the output");
	if (line == NULL)
		printf("# output: %s\n", text != NULL ? text : "(none)");
	free(text);
	ok(sleeper > 0 && pid_gone(sleeper), "cancel: background sleep killed");
	free(out);
	run_free(&r);
	job_spec_free(&s);

	/* A shell that ignores TERM gets KILL after kill_wait. */
	spec_init(&s, 91, work);
	s.kill_wait = 1;
	run_start(&r, &s, stubborn, true);
	out = path_in(work, "slurm-91.out");
	ok(wait_contains(out, "started\n"), "kill_wait: job started");
	t0 = mono_msec();
	kill(r.pid, SIGTERM);
	run_wait(&r);
	ok(WIFSIGNALED(r.res.status) && WTERMSIG(r.res.status) == SIGKILL,
	    "kill_wait: SIGKILL after the grace (status 0x%x)",
	    (unsigned)r.res.status);
	ok(mono_msec() - t0 >= 900, "kill_wait: waited about kill_wait");
	is_int(r.res.cancelled, 1, "kill_wait: cancelled=1");
	text = slurp(out);
	line = text != NULL ? strstr(text, "got TERM\n") : NULL;
	ok(line != NULL && strstr(line + 1, "got TERM\n") == NULL,
	    "kill_wait: shell saw TERM once");
	free(text);
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_signals(void)
{
	static const char batch_script[] =
	    "#!/bin/bash\n"
	    "trap 'echo shell got USR1; exit 0' USR1\n"
	    "sleep 300 &\n"
	    "echo $! > sleeppid\n"
	    "echo ready\n"
	    "wait\n";
	static const char group_script[] =
	    "#!/bin/bash\n"
	    "trap 'echo shell got USR2' USR2\n"
	    "sleep 300 &\n"
	    "echo $! > sleeppid\n"
	    /* Until it has exec'd, the child still has the shell's trap. */
	    "while read -r c </proc/$!/comm && [ \"$c\" != sleep ]; do :; done\n"
	    "echo ready\n"
	    "while :; do sleep 0.05; done\n";
	union sigval v;
	struct job_spec s;
	struct run r;
	char *work, *out, *p;
	pid_t sleeper;

	work = path_in(tmpdir, "w-signal");
	spec_init(&s, 100, work);
	run_start(&r, &s, batch_script, true);
	out = path_in(work, "slurm-100.out");
	ok(wait_contains(out, "ready\n"), "signal -b: job ready");
	p = path_in(work, "sleeppid");
	sleeper = read_pid(p);
	free(p);
	v.sival_int = SIGUSR1 | SPEC_SIG_BATCH;
	sigqueue(r.pid, SPEC_CTL_SIG, v);
	ok(wait_contains(out, "shell got USR1\n"), "signal -b: shell got it");
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "signal -b: shell exited 0");
	is_int(r.res.cancelled, 0, "signal -b: not cancelled");
	ok(sleeper > 0 && pid_gone(sleeper),
	    "leftover: the batch step's other processes are killed");
	free(out);
	run_free(&r);
	job_spec_free(&s);

	spec_init(&s, 101, work);
	run_start(&r, &s, group_script, true);
	out = path_in(work, "slurm-101.out");
	ok(wait_contains(out, "ready\n"), "signal group: job ready");
	p = path_in(work, "sleeppid");
	sleeper = read_pid(p);
	free(p);
	v.sival_int = SIGUSR2;
	sigqueue(r.pid, SPEC_CTL_SIG, v);
	ok(wait_contains(out, "shell got USR2\n"),
	    "signal group: shell got it");
	ok(sleeper > 0 && pid_gone(sleeper),
	    "signal group: the background child got it too");
	kill(r.pid, SIGTERM);
	run_wait(&r);
	ok(r.have_res && r.res.cancelled == 1, "signal group: then cancelled");
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_leftover_outside_group(void)
{
	static const char script[] =
	    "#!/bin/bash\n"
	    "setsid sleep 300 &\n"
	    "echo $! > sleeppid\n"
	    "echo bye\n";
	struct job_spec s;
	struct run r;
	char *work, *p;
	pid_t sleeper;

	work = path_in(tmpdir, "w-setsid");
	spec_init(&s, 110, work);
	run_start(&r, &s, script, true);
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "setsid: job ran");
	p = path_in(work, "sleeppid");
	sleeper = read_pid(p);
	free(p);
	ok(sleeper > 0 && pid_gone(sleeper),
	    "setsid: a process that left the session is killed too");
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_launch_failures(void)
{
	static const char script[] = "#!/bin/sh\necho ran\n";
	static const char badinterp[] = "#!/nonexistent/interp\necho ran\n";
	struct job_spec s;
	struct run r;
	char *work, *out, *text;

	/* 17_sbatch_chdir: -D /nonexistent_dir -> FAILED 0:53 */
	spec_init(&s, 120, "/nonexistent_dir_berth_test");
	run_start(&r, &s, script, false);
	run_wait(&r);
	is_int(r.exit, 0, "bad -D: supervisor exits 0");
	is_int(r.res.launch_failed, 1, "bad -D: launch_failed=1");
	is_int(r.res.status, JOBSUP_LAUNCH_STATUS, "bad -D: status 0:53");
	ok(r.res.error != NULL && strstr(r.res.error, "chdir") != NULL,
	    "bad -D: error names chdir (%s)",
	    r.res.error != NULL ? r.res.error : "none");
	run_free(&r);
	job_spec_free(&s);

	work = path_in(tmpdir, "w-fail");
	spec_init(&s, 121, work);
	s.job.std_out = xstrdup("/nonexistent_dir_berth_test/x.out");
	run_start(&r, &s, script, true);
	ok(access("/nonexistent_dir_berth_test", F_OK) == -1,
	    "bad -o: directory really absent");
	run_wait(&r);
	is_int(r.res.launch_failed, 1, "bad -o: launch_failed=1");
	is_int(r.res.status, JOBSUP_LAUNCH_STATUS, "bad -o: status 0:53");
	ok(r.res.error != NULL &&
	    strstr(r.res.error, "Could not open stdout file") != NULL,
	    "bad -o: error names the stdout file");
	run_free(&r);
	job_spec_free(&s);

	spec_init(&s, 122, work);
	run_start(&r, &s, badinterp, true);
	run_wait(&r);
	is_int(r.res.launch_failed, 1, "exec: launch_failed=1");
	ok(WIFEXITED(r.res.status) && WEXITSTATUS(r.res.status) == ENOENT,
	    "exec: exit code is errno, like slurmstepd (status 0x%x)",
	    (unsigned)r.res.status);
	out = path_in(work, "slurm-122.out");
	text = slurp(out);
	ok(text != NULL &&
	    strstr(text, "slurmstepd-testnode: error: execve(): ") != NULL &&
	    strstr(text, "No such file or directory\n") != NULL,
	    "exec: error written to the job's stderr");
	free(text);
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_as_user(void)
{
	static const char script[] =
	    "#!/bin/sh\nid -u\nid -g\necho ok > mine\n";
	struct passwd *pw;
	struct job_spec s;
	struct run r;
	struct stat st;
	char *work, *out, *text, *want;

	if (geteuid() != 0 || (pw = getpwnam("nobody")) == NULL) {
		ok(1, "# SKIP as user: not root or no user nobody");
		return;
	}
	work = path_in(tmpdir, "w-user");
	spec_init(&s, 130, work);
	s.job.uid = (uint32_t)pw->pw_uid;
	s.job.gid = (uint32_t)pw->pw_gid;
	free(s.job.user);
	s.job.user = xstrdup("nobody");
	s.job.std_out = xstrdup("%u-%j.out");
	run_start(&r, &s, script, true);
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "user: job ran (status 0x%x)",
	    (unsigned)r.res.status);
	out = path_in(work, "nobody-130.out");
	text = slurp(out);
	xasprintf(&want, "%u\n%u\n", (unsigned)pw->pw_uid,
	    (unsigned)pw->pw_gid);
	is_str(text, want, "user: runs as the job's uid and gid");
	ok(stat(out, &st) == 0 && st.st_uid == pw->pw_uid,
	    "user: output file owned by the user");
	free(want);
	free(text);
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

/* launch_login_env with fake login shells written into tmpdir. */
static void
test_login_env(void)
{
	static const char profile[] =
	    "#!/bin/sh\n"
	    "echo \"noise from the profile ($0)\"\n"
	    "export FROM_PROFILE=yes\n"
	    "exec /bin/sh -c \"$2\"\n";
	static const char lingering[] =
	    "#!/bin/sh\n"
	    "(sleep 100 &)\n"
	    "exec /bin/sh -c \"$2\"\n";
	static const char hanging[] = "#!/bin/sh\nexec sleep 100\n";
	struct launch l;
	struct passwd pw;
	char *shell, *cause = NULL, **env;
	int64_t t0;

	memset(&l, 0, sizeof l);
	memset(&pw, 0, sizeof pw);
	pw.pw_name = (char *)"someone";
	pw.pw_dir = tmpdir;

	shell = path_in(tmpdir, "profile-shell");
	write_file_atomic(shell, profile, strlen(profile), 0755, false);
	pw.pw_shell = shell;
	env = launch_login_env(&l, &pw, 5000, &cause);
	ok(env != NULL, "login: environment read (%s)",
	    cause != NULL ? cause : "ok");
	if (env != NULL) {
		is_str(jobsup_env_get(env, "FROM_PROFILE"), "yes",
		    "login: the profile ran, its output skipped");
		is_str(jobsup_env_get(env, "HOME"), tmpdir, "login: HOME");
		is_str(jobsup_env_get(env, "USER"), "someone", "login: USER");
		is_str(jobsup_env_get(env, "LOGNAME"), "someone",
		    "login: LOGNAME");
		ok(jobsup_env_get(env, "_") == NULL, "login: no $_");
		ok(jobsup_env_get(env, "SLURM_JOB_ID") == NULL,
		    "login: nothing of ours leaks in");
	}
	strv_free(env);
	free(cause);
	cause = NULL;
	free(shell);

	shell = path_in(tmpdir, "lingering-shell");
	write_file_atomic(shell, lingering, strlen(lingering), 0755, false);
	pw.pw_shell = shell;
	t0 = mono_msec();
	env = launch_login_env(&l, &pw, 5000, &cause);
	ok(env != NULL && mono_msec() - t0 < 4000,
	    "login: a daemon holding the pipe does not stall it");
	strv_free(env);
	free(cause);
	cause = NULL;
	free(shell);

	shell = path_in(tmpdir, "hanging-shell");
	write_file_atomic(shell, hanging, strlen(hanging), 0755, false);
	pw.pw_shell = shell;
	t0 = mono_msec();
	env = launch_login_env(&l, &pw, 300, &cause);
	ok(env == NULL && cause != NULL && mono_msec() - t0 < 3000,
	    "login: times out (%s)", cause != NULL ? cause : "no cause");
	strv_free(env);
	free(cause);
	cause = NULL;
	free(shell);

	pw.pw_shell = (char *)"/bin/false";
	env = launch_login_env(&l, &pw, 5000, &cause);
	ok(env == NULL && cause != NULL && strstr(cause, "status 1") != NULL,
	    "login: a failing shell is reported (%s)",
	    cause != NULL ? cause : "no cause");
	strv_free(env);
	free(cause);
}

/* --export=NONE end to end: the job gets the user's login variables. */
static void
test_export_none(void)
{
	static const char script[] =
	    "#!/bin/sh\n"
	    "echo \"home=$HOME logname=$LOGNAME path=${PATH:+set} "
	    "get=$SLURM_GET_USER_ENV exp=$SLURM_EXPORT_ENV "
	    "env=$ENVIRONMENT\"\n";
	struct passwd *pw = getpwuid(geteuid());
	struct job_spec s;
	struct run r;
	char *work, *out, *text, *want;

	if (pw == NULL) {
		ok(1, "# SKIP export NONE: no passwd entry");
		return;
	}
	work = path_in(tmpdir, "w-none");
	spec_init(&s, 150, work);
	strv_free(s.env);
	s.env = xcalloc(2, sizeof *s.env);
	s.env[0] = xstrdup("SLURM_GET_USER_ENV=1");
	s.job.flags |= JOB_F_EXPORT_NONE;
	run_start(&r, &s, script, true);
	run_wait(&r);
	ok(r.have_res && r.res.status == 0, "export NONE: job ran");
	out = path_in(work, "slurm-150.out");
	text = slurp(out);
	xasprintf(&want, "home=%s logname=%s path=set get=1 exp=NONE "
	    "env=BATCH\n", pw->pw_dir, pw->pw_name);
	is_str(text, want, "export NONE: login variables");
	free(want);
	free(text);
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

/* A one-minute limit: only with BERTH_SLOW_TESTS=1. */
static void
test_time_limit(void)
{
	static const char script[] =
	    "#!/bin/bash\necho start\nsleep 300\n";
	struct job_spec s;
	struct run r;
	char *work, *out, *text;
	int64_t t0;

	if (getenv("BERTH_SLOW_TESTS") == NULL) {
		ok(1, "# SKIP time limit: needs BERTH_SLOW_TESTS=1 (1 min)");
		return;
	}
	work = path_in(tmpdir, "w-limit");
	spec_init(&s, 140, work);
	s.job.time_limit = 1;
	s.kill_wait = 1;
	t0 = mono_msec();
	run_start(&r, &s, script, true);
	out = path_in(work, "slurm-140.out");
	ok(wait_contains(out, "start\n"), "limit: job started");
	ok(wait_contains_for(out, " DUE TO TIME LIMIT ***\n", 90000),
	    "limit: TIME LIMIT line in the output");
	run_wait(&r);
	ok(mono_msec() - t0 >= 60000, "limit: not before a minute");
	is_int(r.res.timeout, 1, "limit: timeout=1");
	is_int(r.res.cancelled, 0, "limit: not cancelled");
	ok(WIFSIGNALED(r.res.status) && WTERMSIG(r.res.status) == SIGTERM,
	    "limit: shell died of SIGTERM (Slurm: batch step 0:15)");
	text = slurp(out);
	ok(text != NULL && strstr(text, "slurmstepd-testnode: error: *** JOB "
	    "140 ON testnode CANCELLED AT ") != NULL, "limit: line format");
	free(text);
	free(out);
	run_free(&r);
	job_spec_free(&s);
	free(work);
}

static void
test_usage_errors(void)
{
	int st;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execl(jobsup_path, "berth-jobsup", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == JOBSUP_EXIT_USAGE,
	    "no argument: exit 100");

	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execl(jobsup_path, "berth-jobsup", "/nonexistent_jobdir",
		    (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == JOBSUP_EXIT_SYSTEM,
	    "missing job directory: exit 111");
}

int
main(void)
{
	const char *build = getenv("BERTH_BUILD");
	char tmpl[] = "/tmp/berth-jobsup-test.XXXXXX";
	cpu_set_t set;
	char *cmd;

	xasprintf(&jobsup_path, "%s/libexec/berth/berth-jobsup",
	    build != NULL ? build : "build");
	if (access(jobsup_path, X_OK) == -1) {
		printf("1..0 # SKIP %s not built\n", jobsup_path);
		return 0;
	}
	if ((tmpdir = mkdtemp(tmpl)) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	chmod(tmpdir, 0755);
	first_cpu = 0;
	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (CPU_ISSET(c, &set)) {
				first_cpu = c;
				break;
			}
		}
	}

	test_basic();
	test_split_and_append();
	test_cancel();
	test_signals();
	test_leftover_outside_group();
	test_launch_failures();
	test_as_user();
	test_login_env();
	test_export_none();
	test_time_limit();
	test_usage_errors();

	if (t_fail == 0) {
		xasprintf(&cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
		free(cmd);
	} else
		printf("# left %s for inspection\n", tmpdir);
	free(jobsup_path);
	return done_testing();
}
