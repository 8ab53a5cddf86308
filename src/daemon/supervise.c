/* SPDX-License-Identifier: MIT */
/*
 * Starting, watching and re-adopting supervisors (berth-jobsup), one per
 * running job; see src/proto/spec.h for the job directory contract.
 *
 * Launch: the job is already committed RUNNING.  We write spec and script
 * into <state>/jobs/<id>/, take an exclusive flock on its lock file, and
 * posix_spawn the supervisor in its own session with the lock as fd 3, so
 * the lock is held exactly as long as a supervisor lives.  A pidfd tells
 * us when it exits; its result file says how the job ended.
 *
 * Recovery after a daemon restart, for each job the store says RUNNING:
 *   lock held by someone       -> supervisor alive: adopt it via its pid
 *   lock free, result present  -> it finished while we were away: collect
 *   lock free, pid file only   -> supervisor died mid-job: NODE_FAIL
 *   nothing                    -> never launched: back to PENDING
 * So no job is lost, none runs twice, none stays RUNNING forever.
 */
#include <errno.h>
#include <fcntl.h>
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
job_dir(uint32_t id)
{
	return xprintf("%s/%u", D->jobs_dir, id);
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

static int
write_spec(struct djob *dj, const char *dir, char **cause)
{
	struct job_spec spec;
	struct msg m;
	char *script = NULL, **env = NULL, **argv = NULL, *path;
	int rc = -1;

	if (store_job_data(D->store, dj->j.id, &script, &env, &argv,
	    cause) == -1)
		return -1;
	path = xprintf("%s/script", dir);
	if (write_file_atomic(path, script, strlen(script), 0700, false) ==
	    -1) {
		xasprintf(cause, "write %s: %s", path, strerror(errno));
		goto out;
	}
	free(path);

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
	msg_init(&m);
	proto_spec_put(&m, &spec);
	path = xprintf("%s/spec", dir);
	if (write_file_atomic(path, m.b.data, m.b.len, 0600, false) == -1)
		xasprintf(cause, "write %s: %s", path, strerror(errno));
	else
		rc = 0;
	msg_free(&m);
out:
	free(path);
	free(script);
	strv_free(env);
	strv_free(argv);
	return rc;
}

static int
spawn(struct djob *dj, const char *dir, int lockfd, pid_t *pidp,
    char **cause)
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
	posix_spawn_file_actions_adddup2(&fa, lockfd, 3);
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
	argv[1] = (char *)(uintptr_t)dir;
	argv[2] = NULL;
	rc = posix_spawn(pidp, D->jobsup_path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(logpath);
	(void)dj;
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
	char *dir, *lockpath = NULL, *cause = NULL;
	int lockfd = -1;
	pid_t pid;

	dir = job_dir(dj->j.id);
	if (mkdir(dir, 0700) == -1 && errno == EEXIST) {
		rmdir_flat(dir);	/* left from an earlier attempt */
		if (mkdir(dir, 0700) == -1) {
			xasprintf(&cause, "mkdir %s: %s", dir, strerror(errno));
			goto fail;
		}
	}
	if (write_spec(dj, dir, &cause) == -1)
		goto fail;
	lockpath = xprintf("%s/lock", dir);
	lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd == -1 || flock(lockfd, LOCK_EX) == -1) {
		xasprintf(&cause, "lock %s: %s", lockpath, strerror(errno));
		goto fail;
	}
	if (spawn(dj, dir, lockfd, &pid, &cause) == -1)
		goto fail;
	close(lockfd);
	dj->launching = false;
	if (watch(dj, pid) == -1) {
		log_warn("job=%u: pidfd_open supervisor %ld", dj->j.id,
		    (long)pid);
		dj->sup_pid = pid;	/* still signalable */
	}
	log_debug("job=%u: supervisor %ld started", dj->j.id, (long)pid);
	free(lockpath);
	free(dir);
	return 0;
fail:
	log_warnx("job=%u: launch failed: %s", dj->j.id, cause);
	free(cause);
	if (lockfd != -1)
		close(lockfd);
	free(lockpath);
	rmdir_flat(dir);
	free(dir);
	dj->launching = false;
	dj->j.exit_status = 1 << 8;
	dj->j.batch_state = JOB_NONE;
	job_transition(dj, JOB_FAILED, FAIL_LAUNCH);
	return -1;
}

/* Turn a supervisor's result into the job's final state. */
static void
finish(struct djob *dj, const struct job_result *r)
{
	struct job *j = &dj->j;
	uint32_t state, reason = WAIT_NO_REASON;
	int st = r->status;

	if (r->end_time > 0)
		j->end_time = r->end_time;
	j->max_rss_kb = r->max_rss_kb;
	j->max_vsize_kb = r->max_vsize_kb;
	j->user_usec = r->user_usec;
	j->sys_usec = r->sys_usec;
	j->batch_status = st;
	if (r->timeout) {
		state = JOB_TIMEOUT;
		reason = FAIL_TIMEOUT;
		j->exit_status = 0;
		j->batch_state = JOB_CANCELLED;
		j->batch_status = SIGTERM;
	} else if (r->cancelled) {
		state = JOB_CANCELLED;
		j->exit_status = 0;
		j->batch_state = JOB_CANCELLED;
		j->batch_status = SIGTERM;
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

/* The supervisor is gone: collect its result, clean its directory. */
static void
collect(struct djob *dj, const char *dir)
{
	struct job_result r;
	char *path, *text, *pidtext;
	long sup = 0, jobpid = 0;

	path = xprintf("%s/result", dir);
	text = read_file(path, 65536, NULL);
	free(path);
	if (text != NULL && job_result_parse(text, &r) == 0) {
		finish(dj, &r);
		job_result_free(&r);
	} else {
		/* No result: kill whatever is left of the job. */
		path = xprintf("%s/pid", dir);
		pidtext = read_file(path, 256, NULL);
		free(path);
		if (pidtext != NULL && sscanf(pidtext, "%ld %ld", &sup,
		    &jobpid) == 2 && jobpid > 1)
			kill(-(pid_t)jobpid, SIGKILL);
		free(pidtext);
		log_warnx("job=%u: supervisor ended without a result",
		    dj->j.id);
		dj->j.exit_status = 0;
		dj->j.batch_state = JOB_NODE_FAIL;
		job_transition(dj, JOB_NODE_FAIL, FAIL_SYSTEM);
	}
	free(text);
	rmdir_flat(dir);
}

void
supervise_exited(struct djob *dj)
{
	char *dir = job_dir(dj->j.id);

	unwatch(dj);
	collect(dj, dir);
	free(dir);
}

void
supervise_recover(struct djob *dj)
{
	char *dir, *path, *text = NULL;
	struct stat sb;
	long sup = 0, jobpid = 0;
	int fd;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	dir = job_dir(dj->j.id);
	path = xprintf("%s/lock", dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	free(path);
	if (fd == -1) {
		/* Committed RUNNING but never launched: it never ran. */
		log_info("job=%u: was never launched; pending again",
		    dj->j.id);
		rmdir_flat(dir);
		dj->j.start_time = 0;
		free(dj->j.nodelist);
		free(dj->j.cpu_ids);
		free(dj->j.gpu_ids);
		dj->j.nodelist = dj->j.cpu_ids = dj->j.gpu_ids = NULL;
		job_transition(dj, JOB_PENDING, WAIT_NO_REASON);
		free(dir);
		return;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		close(fd);
		path = xprintf("%s/result", dir);
		if (stat(path, &sb) == -1) {
			free(path);
			path = xprintf("%s/pid", dir);
			if (stat(path, &sb) == -1) {
				free(path);
				log_info("job=%u: supervisor never started "
				    "the job; pending again", dj->j.id);
				rmdir_flat(dir);
				dj->j.start_time = 0;
				job_transition(dj, JOB_PENDING,
				    WAIT_NO_REASON);
				free(dir);
				return;
			}
		}
		free(path);
		log_info("job=%u: ended while berthd was away", dj->j.id);
		collect(dj, dir);
		free(dir);
		return;
	}
	close(fd);
	/* Alive.  Its pid file appears right after it forks the job. */
	path = xprintf("%s/pid", dir);
	for (int i = 0; i < 500; i++) {
		text = read_file(path, 256, NULL);
		if (text != NULL)
			break;
		nanosleep(&ts, NULL);
	}
	free(path);
	if (text == NULL || sscanf(text, "%ld %ld", &sup, &jobpid) < 1 ||
	    sup <= 1) {
		log_warnx("job=%u: live supervisor without a pid file; "
		    "cannot adopt it", dj->j.id);
		free(text);
		free(dir);
		return;
	}
	free(text);
	if (watch(dj, (pid_t)sup) == -1) {
		/* It exited between our checks: collect it. */
		collect(dj, dir);
	} else
		log_info("job=%u: re-adopted supervisor %ld", dj->j.id, sup);
	free(dir);
}

int
supervise_cancel(struct djob *dj)
{
	if (dj->sup_pid <= 0)
		return -1;
	if (kill(dj->sup_pid, SIGTERM) == -1) {
		log_warn("job=%u: kill supervisor %ld", dj->j.id,
		    (long)dj->sup_pid);
		return -1;
	}
	return 0;
}

int
supervise_signal(struct djob *dj, int sig, bool batch_only)
{
	union sigval v;

	if (dj->sup_pid <= 0)
		return -1;
	v.sival_int = sig | (batch_only ? SPEC_SIG_BATCH : 0);
	if (sigqueue(dj->sup_pid, SIGRTMIN, v) == -1) {
		log_warn("job=%u: sigqueue supervisor %ld", dj->j.id,
		    (long)dj->sup_pid);
		return -1;
	}
	return 0;
}
