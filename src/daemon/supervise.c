/* SPDX-License-Identifier: MIT */
/*
 * Starting, watching and re-adopting supervisors (berth-jobsup), one per
 * running job; see src/proto/spec.h for the job file contract.
 *
 * Launch: the job is already committed RUNNING.  We write the script to
 * <jobs>/<id>.sh, create the job file <jobs>/<id>, take an exclusive flock
 * on it, write the spec into it, and posix_spawn the supervisor in its own
 * session with the job file as fd 3, so the lock is held exactly as long
 * as a supervisor lives.  A pidfd tells us when it exits; the result it
 * recorded in the job file says how the job ended.
 *
 * Recovery after a daemon restart, for each job the store says RUNNING:
 *   no job file                -> never launched: back to PENDING
 *   lock held by someone       -> supervisor alive: adopt it via its pid
 *   lock free, result present  -> it finished while we were away: collect
 *   lock free, job pid only    -> supervisor died mid-job: NODE_FAIL,
 *                                 or pending again if requeueable
 *   lock free, nothing         -> the job never started: back to PENDING
 * So no job is lost, none runs twice, none stays RUNNING forever.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "daemon.h"

extern char **environ;

static char *
job_file(uint32_t id)
{
	return xprintf("%s/%u", D->jobs_dir, id);
}

static char *
job_script(uint32_t id)
{
	return xprintf("%s/%u.sh", D->jobs_dir, id);
}

/*
 * Close our copy of the job file and schedule the job's files for removal
 * once the current transaction has committed: if berthd died before that
 * commit, recovery must still find the job file to know the job ran.
 */
static void
job_files_remove(struct djob *dj)
{
	if (dj->jobfd != -1) {
		close(dj->jobfd);
		dj->jobfd = -1;
	}
	if (D->ndoomed == D->doomed_cap) {
		D->doomed_cap = D->doomed_cap ? D->doomed_cap * 2 : 64;
		D->doomed = xreallocarray(D->doomed, D->doomed_cap,
		    sizeof *D->doomed);
	}
	D->doomed[D->ndoomed++] = dj->j.id;
}

void
supervise_files_flush(void)
{
	char *path;

	for (uint32_t i = 0; i < D->ndoomed; i++) {
		path = job_file(D->doomed[i]);
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("job=%u: unlink %s", D->doomed[i], path);
		free(path);
		path = job_script(D->doomed[i]);
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("job=%u: unlink %s", D->doomed[i], path);
		free(path);
	}
	D->ndoomed = 0;
}

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int
watch(struct djob *dj, pid_t pid)
{
	struct epoll_event ee;
	int fd;

	if ((fd = pidfd_open_(pid)) == -1)
		return -1;
	ee.events = EPOLLIN;
	ee.data.ptr = dj;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		log_warn("job=%u: epoll_ctl pidfd", dj->j.id);
		close(fd);
		return -1;
	}
	dj->pidfd = fd;
	dj->sup_pid = pid;
	return 0;
}

static void
unwatch(struct djob *dj)
{
	if (dj->pidfd != -1) {
		if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, dj->pidfd, NULL) == -1)
			log_warn("job=%u: epoll_ctl del pidfd", dj->j.id);
		close(dj->pidfd);
	}
	dj->pidfd = -1;
	dj->sup_pid = 0;
}

/*
 * The job user's home, shell and groups, for the supervisor, which is a
 * static binary without NSS.  Resolved at each launch: accounts change.
 */
static void
resolve_user(struct job_spec *spec, const struct job *j)
{
	struct passwd pw, *res = NULL;
	char buf[16384];
	gid_t *g = NULL;
	int n = 32, want;

	if (getpwuid_r((uid_t)j->uid, &pw, buf, sizeof buf, &res) != 0 ||
	    res == NULL)
		return;
	spec->user_known = 1;
	spec->user_home = xstrdup(pw.pw_dir);
	spec->user_shell = xstrdup(pw.pw_shell);
	for (;;) {
		want = n;
		g = xreallocarray(g, (size_t)n, sizeof *g);
		if (getgrouplist(pw.pw_name, (gid_t)j->gid, g, &want) != -1)
			break;
		n = want > n ? want : n * 2;
	}
	spec->groups = xcalloc((size_t)want + 1, sizeof *spec->groups);
	for (int i = 0; i < want; i++)
		spec->groups[i] = (uint32_t)g[i];
	spec->ngroups = (uint32_t)want;
	free(g);
}

/* Write <id>.sh and the spec into the (locked) job file. */
static int
write_files(struct djob *dj, int fd, char **cause)
{
	struct job_spec spec;
	char *script = NULL, **env = NULL, **argv = NULL, *path;
	int sfd, rc = -1;

	/* An array task split off its array runs the array's script. */
	if (store_job_data(D->store, dj->j.array_job_id != 0 ?
	    dj->j.array_job_id : dj->j.id, &script, &env, &argv, cause) == -1)
		return -1;
	path = job_script(dj->j.id);
	sfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (sfd == -1 || write_full(sfd, script, strlen(script)) == -1) {
		xasprintf(cause, "write %s: %s", path, strerror(errno));
		if (sfd != -1)
			close(sfd);
		goto out;
	}
	/* A root daemon runs the job as its owner, who must be able to
	 * execute the script (mode 0700). */
	if (geteuid() == 0 && dj->j.uid != 0 &&
	    fchown(sfd, dj->j.uid, dj->j.gid) == -1) {
		xasprintf(cause, "chown %s: %s", path, strerror(errno));
		close(sfd);
		goto out;
	}
	if (close(sfd) == -1) {
		xasprintf(cause, "close %s: %s", path, strerror(errno));
		goto out;
	}
	memset(&spec, 0, sizeof spec);
	spec.job = dj->j;	/* borrowed: not freed below */
	spec.env = env;
	spec.argv = argv;
	spec.cluster_name = D->conf.cluster_name;
	spec.node_name = D->conf.node_name;
	spec.submit_host = D->conf.node_name;
	spec.conf_path = D->conf_path;
	spec.daemon_socket = D->socket_path;
	spec.kill_wait = D->conf.kill_wait;
	spec.script_path = path;
	resolve_user(&spec, &dj->j);
	if (jobfile_write_spec(fd, &spec) == -1)
		xasprintf(cause, "write job file %s/%u: %s", D->jobs_dir,
		    dj->j.id, strerror(errno));
	else
		rc = 0;
	free(spec.user_home);
	free(spec.user_shell);
	free(spec.groups);
out:
	free(path);
	free(script);
	strv_free(env);
	strv_free(argv);
	return rc;
}

static void	collect(struct djob *);

static int
spawn(const char *file, int fd, pid_t *pidp, char **cause)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	char *logpath, *argv[3];
	int rc;

	logpath = xprintf("%s/berthd.log", D->state_dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, logpath,
	    O_WRONLY | O_APPEND | O_CREAT, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawn_file_actions_adddup2(&fa, fd, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGCHLD);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGHUP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	argv[0] = D->jobsup_path;
	argv[1] = (char *)(uintptr_t)file;
	argv[2] = NULL;
	rc = posix_spawn(pidp, D->jobsup_path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(logpath);
	if (rc != 0) {
		xasprintf(cause, "posix_spawn %s: %s", D->jobsup_path,
		    strerror(rc));
		return -1;
	}
	return 0;
}

int
supervise_launch(struct djob *dj)
{
	char *file, *cause = NULL;
	int fd;
	pid_t pid;

	file = job_file(dj->j.id);
	/* O_TRUNC: a file left by an earlier attempt of this job. */
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || flock(fd, LOCK_EX) == -1) {
		xasprintf(&cause, "open/lock %s: %s", file, strerror(errno));
		goto fail;
	}
	dj->jobfd = fd;
	if (write_files(dj, fd, &cause) == -1)
		goto fail;
	if (spawn(file, fd, &pid, &cause) == -1)
		goto fail;
	dj->launching = false;
	dj->sup_pid = pid;
	dj->own_child = true;
	if (watch(dj, pid) == -1) {
		/* Cannot watch it: wait for it here (rare, and bounded by
		 * the job's own run time), then collect. */
		log_warn("job=%u: pidfd_open supervisor %ld; waiting for it",
		    dj->j.id, (long)pid);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		dj->own_child = false;
		dj->sup_pid = 0;
		collect(dj);
	}
	log_debug("job=%u: supervisor %ld started", dj->j.id, (long)pid);
	free(file);
	return 0;
fail:
	log_warnx("job=%u: launch failed: %s", dj->j.id, cause);
	free(cause);
	if (fd != -1 && dj->jobfd == -1)
		close(fd);
	job_files_remove(dj);
	free(file);
	dj->launching = false;
	dj->j.exit_status = 1 << 8;
	dj->j.batch_state = JOB_NONE;
	job_transition(dj, JOB_FAILED, FAIL_LAUNCH);
	return -1;
}

/* scontrol requeue: the attempt is over, the job pends again. */
void
job_requeued(struct djob *dj)
{
	struct job *j = &dj->j;

	j->restarts++;
	prio_charge(dj, now_sec());	/* the attempt's usage */
	j->start_time = 0;
	j->end_time = 0;
	j->exit_status = 0;
	j->batch_state = JOB_NONE;
	j->kill_uid = NO_VAL;
	if (j->flags & JOB_F_REQUEUE_HOLD) {
		j->flags |= JOB_F_HOLD_USER;
		j->priority = 0;
	}
	j->flags &= ~(JOB_F_CANCEL_REQ | JOB_F_REQUEUE_REQ |
	    JOB_F_REQUEUE_HOLD);
	job_set_str(j, &j->nodelist, NULL);
	job_set_str(j, &j->cpu_ids, NULL);
	job_set_str(j, &j->gpu_ids, NULL);
	job_transition(dj, JOB_PENDING, (j->flags & JOB_F_HOLD_USER) ?
	    WAIT_HELD_USER : WAIT_NO_REASON);
}

/* Turn a supervisor's result into the job's final state. */
static void
finish(struct djob *dj, const struct job_result *r)
{
	struct job *j = &dj->j;
	uint32_t state, reason = WAIT_NO_REASON;
	int st = r->status;

	/* The request is a persisted flag: it survives a daemon restart
	 * between `scontrol requeue` and the end of the attempt. */
	if (j->flags & JOB_F_REQUEUE_REQ) {
		job_requeued(dj);
		return;
	}

	if (r->end_time > 0)
		j->end_time = r->end_time;
	j->max_rss_kb = r->max_rss_kb;
	j->max_vsize_kb = r->max_vsize_kb;
	j->user_usec = r->user_usec;
	j->sys_usec = r->sys_usec;
	j->batch_status = st;
	/* A killed batch step shows the signal that ended it: 0:15, or 0:9
	 * if it ignored TERM until KILL after KillWait. */
	if (r->timeout) {
		state = JOB_TIMEOUT;
		reason = FAIL_TIMEOUT;
		j->exit_status = 0;
		j->batch_state = JOB_CANCELLED;
		j->batch_status = WIFSIGNALED(st) ? st : SIGTERM;
	} else if (r->cancelled) {
		state = JOB_CANCELLED;
		j->exit_status = 0;
		j->batch_state = JOB_CANCELLED;
		j->batch_status = WIFSIGNALED(st) ? st : SIGTERM;
	} else if (r->oom) {
		state = JOB_OOM;
		reason = FAIL_OOM;
		j->exit_status = st;
		j->batch_state = JOB_OOM;
	} else if (r->launch_failed) {
		state = JOB_FAILED;
		reason = FAIL_LAUNCH;
		j->exit_status = st;
		j->batch_state = JOB_FAILED;
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		state = JOB_COMPLETE;
		j->exit_status = st;
		j->batch_state = JOB_COMPLETE;
	} else if (WIFEXITED(st)) {
		state = JOB_FAILED;
		reason = FAIL_EXIT_CODE;
		j->exit_status = st;
		j->batch_state = JOB_FAILED;
	} else {
		/* Killed by a signal: Slurm says FAILED (JobLaunchFailure). */
		state = JOB_FAILED;
		reason = FAIL_LAUNCH;
		j->exit_status = st;
		j->batch_state = JOB_FAILED;
	}
	if (r->error != NULL)
		log_info("job=%u: launch error: %s", j->id, r->error);
	job_transition(dj, state, reason);
}

/* The supervisor is gone: collect its result, remove the job's files. */
/*
 * The job's supervisor vanished without a result (killed, or the machine
 * went down under it): Slurm's node failure.  As slurmctld's
 * kill_running_job_by_node_name(), a batch job that may be requeued
 * (--requeue, or JobRequeue=1 by default) pends again with Restarts+1
 * (Slurm logs the attempt as NODE_FAIL first; berth keeps one record per
 * job); any other ends NODE_FAIL, reason NodeDown.
 */
static void
node_failed(struct djob *dj)
{
	/* A `scontrol requeue[hold]` under way completes as asked; a job
	 * being cancelled is not brought back. */
	if ((dj->j.flags & JOB_F_REQUEUE_REQ) || ((dj->j.flags &
	    JOB_F_REQUEUE) && !(dj->j.flags & JOB_F_CANCEL_REQ))) {
		log_info("job=%u: requeued after the failure of its "
		    "supervisor (node failure)", dj->j.id);
		if (!(dj->j.flags & JOB_F_REQUEUE_REQ))
			dj->j.flags &= ~JOB_F_REQUEUE_HOLD;
		job_requeued(dj);
		return;
	}
	/* scancel was under way: the job ends as the user asked. */
	if (dj->j.flags & JOB_F_CANCEL_REQ) {
		dj->j.exit_status = 0;
		dj->j.batch_state = JOB_CANCELLED;
		job_transition(dj, JOB_CANCELLED, WAIT_NO_REASON);
		return;
	}
	/* slurmctld (read_config.c, node_mgr.c): NODE_FAIL, reason
	 * FAIL_DOWN_NODE, exit code 1. */
	dj->j.exit_status = 1;
	dj->j.batch_state = JOB_NODE_FAIL;
	job_transition(dj, JOB_NODE_FAIL, FAIL_DOWN_NODE);
}

static void
collect(struct djob *dj)
{
	struct job_result r;
	long sup = 0, jobpid = 0;
	int rc = 0;

	memset(&r, 0, sizeof r);
	if (dj->jobfd != -1)
		rc = jobfile_read_state(dj->jobfd, &sup, &jobpid, &r);
	if (rc == 1) {
		finish(dj, &r);
		job_result_free(&r);
	} else {
		/* No result: kill whatever is left of the job. */
		if (jobpid > 1)
			kill(-(pid_t)jobpid, SIGKILL);
		log_warnx("job=%u: supervisor ended without a result",
		    dj->j.id);
		node_failed(dj);
	}
	job_files_remove(dj);
}

void
supervise_exited(struct djob *dj)
{
	if (dj->j.flags & JOB_F_INTERACTIVE) {
		alloc_holder_exited(dj);
		return;
	}
	if (dj->own_child && waitpid(dj->sup_pid, NULL, WNOHANG) == -1 &&
	    errno != ECHILD)
		log_warn("job=%u: waitpid %ld", dj->j.id, (long)dj->sup_pid);
	dj->own_child = false;
	unwatch(dj);
	collect(dj);
}

static void
back_to_pending(struct djob *dj, const char *why)
{
	log_info("job=%u: %s; pending again", dj->j.id, why);
	job_files_remove(dj);
	dj->j.start_time = 0;
	job_set_str(&dj->j, &dj->j.nodelist, NULL);
	job_set_str(&dj->j, &dj->j.cpu_ids, NULL);
	job_set_str(&dj->j, &dj->j.gpu_ids, NULL);
	job_transition(dj, JOB_PENDING, WAIT_NO_REASON);
}

void
supervise_recover(struct djob *dj)
{
	struct job_result r;
	char *file;
	long sup = 0, jobpid = 0;
	int rc;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	file = job_file(dj->j.id);
	dj->jobfd = open(file, O_RDWR | O_CLOEXEC);
	free(file);
	if (dj->jobfd == -1) {
		back_to_pending(dj, "was never launched");
		return;
	}
	if (flock(dj->jobfd, LOCK_EX | LOCK_NB) == 0) {
		/* No supervisor alive. */
		memset(&r, 0, sizeof r);
		rc = jobfile_read_state(dj->jobfd, &sup, &jobpid, &r);
		job_result_free(&r);
		if (rc != 1 && jobpid == 0) {
			back_to_pending(dj, "supervisor never started the job");
			return;
		}
		log_info("job=%u: ended while berthd was away", dj->j.id);
		collect(dj);
		return;
	}
	/* Alive.  It records its pid right after forking the job. */
	for (int i = 0; i < 500; i++) {
		memset(&r, 0, sizeof r);
		rc = jobfile_read_state(dj->jobfd, &sup, &jobpid, &r);
		job_result_free(&r);
		if (sup > 1 || rc == -1)
			break;
		nanosleep(&ts, NULL);
	}
	if (sup <= 1) {
		log_warnx("job=%u: live supervisor without a pid record; "
		    "cannot adopt it", dj->j.id);
		return;
	}
	if (watch(dj, (pid_t)sup) == -1)
		collect(dj);	/* it exited between our checks */
	else
		log_info("job=%u: re-adopted supervisor %ld", dj->j.id, sup);
}

int
supervise_cancel(struct djob *dj)
{
	/* An allocation's sup_pid is its holder (alloc.c). */
	if (dj->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	if (kill(dj->sup_pid, SIGTERM) == -1) {
		log_warn("job=%u: kill supervisor %ld", dj->j.id,
		    (long)dj->sup_pid);
		return -1;
	}
	return 0;
}

int
supervise_requeue(struct djob *dj, bool hold)
{
	union sigval v;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (dj->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	v.sival_int = SPEC_CTL_REQUEUE;
	if (sigqueue(dj->sup_pid, SPEC_CTL_SIG, v) == -1) {
		log_warn("job=%u: sigqueue requeue to supervisor %ld",
		    dj->j.id, (long)dj->sup_pid);
		return -1;
	}
	dj->j.flags |= JOB_F_REQUEUE_REQ | (hold ? JOB_F_REQUEUE_HOLD : 0);
	return job_save(dj);
}

int
supervise_timelimit(struct djob *dj)
{
	union sigval v;
	uint32_t t = dj->j.time_limit;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (dj->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	if (t == INFINITE || t == NO_VAL || t >= SPEC_LIMIT_NONE)
		t = SPEC_LIMIT_NONE;
	v.sival_int = (int)(SPEC_CTL_TIMELIMIT | (t << SPEC_LIMIT_SHIFT));
	if (sigqueue(dj->sup_pid, SPEC_CTL_SIG, v) == -1) {
		log_warn("job=%u: sigqueue time limit to supervisor %ld",
		    dj->j.id, (long)dj->sup_pid);
		return -1;
	}
	return 0;
}

int
supervise_signal(struct djob *dj, int sig, bool batch_only)
{
	union sigval v;

	/* An allocation's sup_pid is its holder (alloc.c). */
	if (dj->sup_pid <= 0 || (dj->j.flags & JOB_F_INTERACTIVE))
		return -1;
	v.sival_int = sig | (batch_only ? SPEC_SIG_BATCH : 0);
	if (sigqueue(dj->sup_pid, SPEC_CTL_SIG, v) == -1) {
		log_warn("job=%u: sigqueue supervisor %ld", dj->j.id,
		    (long)dj->sup_pid);
		return -1;
	}
	return 0;
}
