/* SPDX-License-Identifier: MIT */
/*
 * berth-jobsup -w <placeholder>: the supervisor zygote.  The daemon keeps
 * one started (src/daemon/supervise.c), with a SOCK_SEQPACKET socket as
 * fd 3.  Each byte the daemon sends asks for one idle supervisor: the
 * zygote forks it, with a new socket pair between it and the daemon, and
 * answers with the child's pid, a pidfd of it and the daemon's end of
 * that socket (struct spec_zygote_reply, proto/spec.h).  The idle child
 * leads its own session, readies what needs no job (subreaper: main();
 * the zygote has done what is the same for all of them: descriptors,
 * signal dispositions, the vDSO's clock), and waits on its socket for a
 * job file (path, and the descriptor by SCM_RIGHTS: the same open file, so
 * the daemon's flock is shared exactly as with an inherited fd 3), which
 * arrives as its fd 3 (the lowest free: the zygote's socket was there);
 * its arguments become `<jobs>/<id>`, and from then on it is the
 * supervisor that `berth-jobsup <jobs>/<id>` would be, except that it
 * keeps the socket: it reads its job file and prepares the job while the
 * daemon's commit of the job's start is under way, and runs it only after
 * a "go" byte on that socket (zygote_wait_go()); end of file instead
 * (the daemon died, or its commit failed) and it exits, job file
 * untouched, so recovery sees a job that never started.
 *
 * So a job's start costs the daemon one message to a process that is
 * already running, and the supervisor neither exec nor C library start-up
 * (docs/performance.md); the fork happens while no job waits for it.  The
 * daemon hands a job only to a supervisor whose pid and pidfd it already
 * holds, so a job never runs under a supervisor it does not know.
 *
 * The zygote reaps its children (the supervisors; the daemon watches them
 * through their sockets and the pidfds we sent, and their results are in
 * the job files, not in exit statuses).  A supervisor serves job after
 * job: after each it says "d" and waits, idle again (zygote_job_done(),
 * zygote_idle()).  The zygote is a child subreaper (as each supervisor
 * is, and the daemon): the processes of a supervisor killed in the middle
 * of its job (those that left the job's process group included) become
 * its children, and every child of ours that is no supervisor is such a
 * leftover, killed here at once (leftover_kill()); the daemon kills them
 * too, before the job ends or pends again (src/daemon/supervise.c,
 * orphans_kill(), leftovers.c).  If the zygote is gone, they go to the
 * daemon, which kills them.  The zygote exits when the daemon's end of
 * its socket closes, unless supervisors it forked still run jobs: then it
 * stays until the last of them has ended (zygote_linger()), so that what
 * one killed meanwhile leaves comes to it, not to init, and is killed,
 * whether a restarted daemon has re-adopted the supervisor (it is no
 * ancestor of it) or not.  An idle supervisor exits when its own socket
 * closes; supervisors with a job carry on, as they do when the daemon
 * dies.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "jobsup.h"

/* The zygote's socket to the daemon; in an idle child, the job file. */
#define ZYGOTE_SOCK	3
#define JOBFILE_FD	3

/* An idle child's own socket to the daemon; it keeps it, job after job. */
static int	 idle_sock = -1;
/* Our arguments' span, rewritten with each job's path (for ps and the
 * tests, which find a job's supervisor by it), and what it said before
 * the first job ("-w" and the placeholder), said again while idle. */
static char	*arg_area;
static size_t	 arg_len;
static char	*arg_idle;

/* The zygote's children that are supervisors (forked, not yet reaped):
 * few, since a supervisor serves job after job. */
static pid_t	*sups;
static size_t	 nsups;
static size_t	 sups_cap;

static void	 sups_add(pid_t);
static bool	 sups_del(pid_t, bool);
static int	 zygote_reap(int);
static void	 leftover_kill(pid_t, void *);
static int	 zygote_sigchld(int);
static void	 zygote_linger(int) __attribute__((noreturn));
static void	 zygote_reply(pid_t, int, int);

static void
sups_add(pid_t pid)
{
	if (nsups == sups_cap) {
		sups_cap = sups_cap ? sups_cap * 2 : 8;
		sups = xreallocarray(sups, sups_cap, sizeof *sups);
	}
	sups[nsups++] = pid;
}

/* Is pid a supervisor of ours?  With del, forget it. */
static bool
sups_del(pid_t pid, bool del)
{
	for (size_t i = 0; i < nsups; i++) {
		if (sups[i] != pid)
			continue;
		if (del)
			sups[i] = sups[--nsups];
		return true;
	}
	return false;
}

/* Reap our dead children; -1 once we have none left at all. */
static int
zygote_reap(int sigfd)
{
	struct signalfd_siginfo si;
	pid_t pid;

	while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		(void)sups_del(pid, true);
	return pid == -1 && errno == ECHILD ? -1 : 0;
}

/* A child of ours that is no supervisor: a leftover, killed (again: it
 * may take a while to die), said once. */
static void
leftover_kill(pid_t pid, void *arg)
{
	(void)arg;
	if (!sups_del(pid, false))
		kill_leftover(pid);
}

/*
 * Our dead children reaped, our children that are no supervisors killed:
 * what dead supervisors left.  Only our own children are killed, so no
 * pid can have passed to another process (a child stays ours until we
 * reap it); the children of one that dies come to us in turn, and its
 * SIGCHLD brings them here.  Called on SIGCHLD only, which a job's start
 * or end does not send us (a supervisor serves job after job, and kills
 * its own job's leftovers).  Returns zygote_reap()'s answer.
 */
static int
zygote_sigchld(int sigfd)
{
	if (zygote_reap(sigfd) == -1)
		return -1;
	proc_children(getpid(), leftover_kill, NULL);
	return 0;
}

/*
 * The daemon is gone while supervisors we forked may still run jobs (a
 * restarted daemon re-adopts them).  Stay until the last has ended, and
 * kill what one killed meanwhile leaves: until we have no child left.
 */
static void
zygote_linger(int sigfd)
{
	struct pollfd pfd;

	close(ZYGOTE_SOCK);
	if (zygote_sigchld(sigfd) == -1)
		exit(0);
	log_debug("the daemon is gone; staying for %zu supervisors", nsups);
	for (;;) {
		pfd = (struct pollfd){ sigfd, POLLIN, 0 };
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR) {
			log_warn("poll");
			exit(JOBSUP_EXIT_SYSTEM);
		}
		if (zygote_sigchld(sigfd) == -1)
			exit(0);
	}
}

/* One answer message; exit quietly if the daemon is gone. */
static void
zygote_reply(pid_t pid, int err, int fd)
{
	struct spec_zygote_reply rep;

	memset(&rep, 0, sizeof rep);
	rep.pid = (int32_t)pid;
	rep.err = err;
	if (sock_send_fd(ZYGOTE_SOCK, &rep, sizeof rep, fd) !=
	    (ssize_t)sizeof rep) {
		if (pid > 0)
			(void)kill(pid, SIGKILL);
		exit(0);
	}
}

/*
 * Run the zygote (main() has made fds 0-2 open and every other one
 * close-on-exec).  Returns only in a new idle supervisor: in its own
 * session, with its socket to the daemon (close-on-exec, fd 3 free for
 * the job file), every signal disposition at its default but SIGPIPE's,
 * ignored, as a supervisor has it, and the supervisor's signals blocked
 * (main.c setup_signals(), zygote_idle()).
 */
void
zygote_run(void)
{
	struct sigaction sa;
	struct pollfd pfd[2];
	sigset_t set, supset, zmask;
	pid_t pid;
	ssize_t n;
	int sigfd, pidfd, sv[2];
	char c;

	/* The supervisors start from default dispositions (spawn.c then
	 * resets only what a supervisor changes itself: SIGPIPE, which it
	 * ignores; the zygote too, whose sends use MSG_NOSIGNAL). */
	jobsup_signals_default();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	/* musl finds clock_gettime in the vDSO on its first call: once here
	 * rather than in each supervisor (a page fault and an ELF symbol
	 * lookup each). */
	(void)mono_msec();
	sigemptyset(&supset);
	sigaddset(&supset, SIGTERM);
	sigaddset(&supset, SIGINT);
	sigaddset(&supset, SIGHUP);
	sigaddset(&supset, SPEC_CTL_SIG);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1) {
		log_warn("sigprocmask");
		exit(JOBSUP_EXIT_SYSTEM);
	}
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1) {
		log_warn("signalfd");
		exit(JOBSUP_EXIT_SYSTEM);
	}
	/* What a dead supervisor leaves comes to us (a fork does not
	 * inherit this; main() sets it in each supervisor). */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
		log_warn("prctl PR_SET_CHILD_SUBREAPER");

	for (;;) {
		pfd[0] = (struct pollfd){ ZYGOTE_SOCK, POLLIN, 0 };
		pfd[1] = (struct pollfd){ sigfd, POLLIN, 0 };
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			exit(JOBSUP_EXIT_SYSTEM);
		}
		if (pfd[1].revents & POLLIN)
			(void)zygote_sigchld(sigfd);
		if (pfd[0].revents == 0)
			continue;
		do {
			n = recv(ZYGOTE_SOCK, &c, 1, 0);
		} while (n == -1 && errno == EINTR);
		if (n <= 0)
			zygote_linger(sigfd);	/* the daemon went away */
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sv) == -1) {
			zygote_reply(0, errno, -1);
			continue;
		}
		/* The child starts with a supervisor's signals blocked: one
		 * the daemon sends as soon as it has handed it a job must
		 * wait for it, not kill it (main.c setup_signals()). */
		if (sigprocmask(SIG_BLOCK, &supset, &zmask) == -1) {
			log_warn("sigprocmask");
			exit(JOBSUP_EXIT_SYSTEM);
		}
		pid = fork();
		if (pid != 0)
			(void)sigprocmask(SIG_SETMASK, &zmask, NULL);
		if (pid == -1) {
			zygote_reply(0, errno, -1);
			close(sv[0]);
			close(sv[1]);
			continue;
		}
		if (pid == 0)
			break;
		sups_add(pid);
		close(sv[1]);
		/* Our child: it stays a zombie until we reap it, so the
		 * pidfd names it, whatever it has done meanwhile. */
		if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1) {
			log_warn("pidfd_open supervisor %ld", (long)pid);
			(void)kill(pid, SIGKILL);
			close(sv[0]);
			zygote_reply(0, errno, -1);
			continue;
		}
		zygote_reply(pid, 0, pidfd);
		zygote_reply(pid, 0, sv[0]);
		close(pidfd);
		close(sv[0]);
	}

	/* The idle child.  The zygote's socket must not stay open here (the
	 * daemon learns of the zygote's death by it); its own stays where
	 * socketpair put it, close-on-exec. */
	close(sigfd);
	close(sv[0]);
	close(ZYGOTE_SOCK);
	free(sups);
	sups = NULL;
	nsups = sups_cap = 0;
	idle_sock = sv[1];
	if (setsid() == -1) {
		log_warn("setsid");
		exit(JOBSUP_EXIT_SYSTEM);
	}
}

/*
 * In an idle supervisor: wait for the job file (path and descriptor);
 * exit quietly if the daemon goes away first.  The job file becomes fd 3
 * and the path replaces our arguments (the placeholder left room).
 * Returns the path (the caller frees it).
 */
char *
zygote_wait_job(int argc, char **argv, int *gofdp)
{
	char path[PATH_MAX], *end;
	ssize_t n;
	int fd = -1;

	n = sock_recv_fd(idle_sock, path, sizeof path - 1, 0, &fd);
	if (n <= 0)
		exit(0);
	path[n] = '\0';
	if (fd == -1) {
		log_warnx("no job file descriptor with %s", path);
		exit(JOBSUP_EXIT_SYSTEM);
	}
	/* The daemon's "go" comes on the socket, which stays: the daemon
	 * watches it with the job and hears "done" on it (zygote_job_done). */
	*gofdp = idle_sock;
	/* Received close-on-exec (the job must not hold the lock), as the
	 * lowest free descriptor: 3, which stays free while idle. */
	if (fd != JOBFILE_FD) {
		if (dup3(fd, JOBFILE_FD, O_CLOEXEC) == -1) {
			log_warn("dup2 job file %s", path);
			exit(JOBSUP_EXIT_SYSTEM);
		}
		close(fd);
	}
	/* The span of our arguments is measured once: a reused supervisor
	 * has overwritten them with its last job's path. */
	if (arg_area == NULL) {
		arg_area = argv[1];
		end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
		arg_len = (size_t)(end - arg_area);
		arg_idle = xmalloc(arg_len);
		memcpy(arg_idle, arg_area, arg_len);
	}
	if (arg_len >= strlen(path) + 1) {
		memset(arg_area, 0, arg_len);
		memcpy(arg_area, path, strlen(path));
	}
	return xstrdup(path);
}

/*
 * Wait for the daemon's "go" (its commit of the job's RUNNING state
 * succeeded).  Anything else, end of file included, means the job must
 * not run here: exit without touching the job file, whose blank pid
 * records tell recovery the job never started (and the lock goes with
 * us).  Idempotent: *gofdp is -1 afterwards.
 */
void
zygote_wait_go(int *gofdp)
{
	ssize_t n;
	char c = 0;

	if (*gofdp == -1)
		return;
	do {
		n = recv(*gofdp, &c, 1, 0);
	} while (n == -1 && errno == EINTR);
	if (n != 1 || c != 'g')
		_exit(0);
	*gofdp = -1;
}

/*
 * A descriptor made while idle, when the lowest free one is 3: moved
 * above it, since fd 3 is where the next job file goes.
 */
int
fd_above_jobfile(int fd)
{
	int nfd;

	if (fd > JOBFILE_FD)
		return fd;
	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, JOBFILE_FD + 1)) == -1) {
		log_warn("fcntl F_DUPFD_CLOEXEC");
		exit(JOBSUP_EXIT_SYSTEM);
	}
	close(fd);
	return nfd;
}

/*
 * While idle (before the first job, and between jobs): wait until the
 * daemon sends something on our socket, the next job file or the end of
 * file.  The caller has blocked the supervisor's signals; this waits on
 * a signalfd of its own for TERM, INT and HUP, which end an idle
 * supervisor (as their default action would), and CHLD.  The daemon's
 * control signals are left queued: one naming the job handed over just
 * now must reach it (main.c drops those naming a job run before).
 */
void
zygote_idle(void)
{
	static int idle_sigfd = -1;
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	sigset_t set;

	if (idle_sigfd == -1) {
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGCHLD);
		idle_sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
		if (idle_sigfd == -1) {
			log_warn("signalfd");
			exit(JOBSUP_EXIT_SYSTEM);
		}
		idle_sigfd = fd_above_jobfile(idle_sigfd);
	}
	for (;;) {
		pfd[0] = (struct pollfd){ idle_sock, POLLIN, 0 };
		pfd[1] = (struct pollfd){ idle_sigfd, POLLIN, 0 };
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			exit(JOBSUP_EXIT_SYSTEM);
		}
		while ((pfd[1].revents & POLLIN) && read(idle_sigfd, &si,
		    sizeof si) == (ssize_t)sizeof si) {
			if (si.ssi_signo != SIGCHLD)
				exit(0);
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
		if (pfd[0].revents != 0)
			return;
	}
}

/*
 * After a job (its result written, its job file closed, no process of it
 * left): tell the daemon, "d" on our socket, which it watches while the
 * job runs.  Returns false if this supervisor must exit instead: not
 * forked by the zygote, or the daemon is gone.  Then zygote_idle() waits
 * for the next job (a daemon that keeps no more idle supervisors closes
 * the socket).  So one forked supervisor serves job after job, one at a
 * time, and a job's start and end no longer cost a fork, a session, an
 * exit and a reap (docs/performance.md).
 */
bool
zygote_job_done(void)
{
	if (idle_sock == -1 ||
	    send(idle_sock, "d", 1, MSG_NOSIGNAL) != 1)
		return false;
	if (arg_idle != NULL)
		memcpy(arg_area, arg_idle, arg_len);
	return true;
}
