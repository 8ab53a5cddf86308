/* SPDX-License-Identifier: MIT */
/*
 * berth-jobsup -w <placeholder>: the supervisor zygote.  The daemon keeps
 * one started (src/daemon/supervise.c), with a SOCK_SEQPACKET socket as
 * fd 3, and hands it each job file (path, and the descriptor by
 * SCM_RIGHTS: the same open file, so the daemon's flock is shared exactly
 * as with an inherited fd 3).  The zygote forks; the child becomes that
 * job's supervisor as if spawned for it (own session, the job file as fd
 * 3, `berth-jobsup <jobs>/<id>` as its arguments) and returns into main();
 * the zygote answers the daemon with the child's pid and a pidfd of it
 * (struct spec_zygote_reply, proto/spec.h), which the daemon watches, and
 * waits for the next job.  A job's start then costs one fork of this small
 * process instead of a posix_spawn by the daemon plus an exec and the C
 * library's start-up (docs/performance.md).
 *
 * The zygote reaps its children (the supervisors; the daemon watches them
 * by pidfd, and their results are in the job files, not in exit
 * statuses).  It is not a subreaper: the orphans of a dead supervisor go
 * where they went before.  It exits when the daemon's end of the socket
 * closes; running supervisors carry on, as they do when the daemon dies.
 *
 * Exactly once: a child may only run the job once the daemon has its pid.
 * So the zygote sends the reply first and only then writes one byte on a
 * pipe that the child reads before it forks the job (zygote_confirmed()).
 * If the zygote dies (or is killed by a daemon tired of waiting) before
 * that byte, the child sees end of file and exits without touching the
 * job file, and the daemon, having no reply, starts a supervisor itself.
 */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/spec.h"
#include "jobsup.h"

#define ZYGOTE_SOCK	3	/* the socket to the daemon */

static int	 confirm_fd = -1;	/* the child's end of its pipe */

static void	 zygote_reap(int);
static void	 zygote_reply(int, pid_t, int, int);

static void
zygote_reap(int sigfd)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Answer the daemon; exit quietly if it is gone. */
static void
zygote_reply(int sock, pid_t pid, int err, int pidfd)
{
	struct spec_zygote_reply rep;

	memset(&rep, 0, sizeof rep);
	rep.pid = (int32_t)pid;
	rep.err = err;
	if (sock_send_fd(sock, &rep, sizeof rep, pidfd) != (ssize_t)sizeof rep) {
		if (pid > 0)
			(void)kill(pid, SIGKILL);	/* never confirmed */
		exit(0);
	}
}

/*
 * Run the zygote.  Returns only in a child, with the job file as fd 3,
 * in its own session, and the job file's path (the caller frees it) also
 * written over our arguments.
 */
char *
zygote_run(int argc, char **argv)
{
	struct pollfd pfd[2];
	char path[PATH_MAX], *area, *end;
	sigset_t set;
	ssize_t n;
	pid_t pid;
	int sigfd, fd, pidfd, p[2];

	/* The supervisors start from default dispositions (spawn.c then
	 * resets only what a supervisor changes itself). */
	jobsup_signals_default();
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
			zygote_reap(sigfd);
		if (pfd[0].revents == 0)
			continue;
		n = sock_recv_fd(ZYGOTE_SOCK, path, sizeof path - 1, 0, &fd);
		if (n <= 0)
			exit(0);	/* the daemon went away */
		path[n] = '\0';
		if (fd == -1) {
			log_warnx("no job file descriptor with %s", path);
			zygote_reply(ZYGOTE_SOCK, 0, EPROTO, -1);
			continue;
		}
		if (pipe2(p, O_CLOEXEC) == -1) {
			zygote_reply(ZYGOTE_SOCK, 0, errno, -1);
			close(fd);
			continue;
		}
		if ((pid = fork()) == -1) {
			zygote_reply(ZYGOTE_SOCK, 0, errno, -1);
			close(p[0]);
			close(p[1]);
			close(fd);
			continue;
		}
		if (pid == 0)
			break;
		close(p[0]);
		close(fd);
		/* Our child: it stays a zombie until we reap it, so the
		 * pidfd names it, whatever it has done meanwhile. */
		if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1) {
			log_warn("pidfd_open supervisor %ld", (long)pid);
			(void)kill(pid, SIGKILL);
			zygote_reply(ZYGOTE_SOCK, 0, errno, -1);
			close(p[1]);
			continue;
		}
		zygote_reply(ZYGOTE_SOCK, pid, 0, pidfd);
		close(pidfd);
		/* The daemon knows it: it may run the job. */
		if (write(p[1], "c", 1) != 1)
			log_warn("confirm supervisor %ld", (long)pid);
		close(p[1]);
	}

	/* The child: a supervisor as if spawned for this job. */
	close(p[1]);
	close(sigfd);
	confirm_fd = p[0];
	if (setsid() == -1) {
		log_warn("setsid");
		exit(JOBSUP_EXIT_SYSTEM);
	}
	if (dup2(fd, ZYGOTE_SOCK) == -1) {	/* closes the daemon's socket */
		log_warn("dup2 job file %s", path);
		exit(JOBSUP_EXIT_SYSTEM);
	}
	close(fd);
	/* The path replaces our arguments (the placeholder left room). */
	area = argv[1];
	end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	if ((size_t)(end - area) >= strlen(path) + 1) {
		memset(area, 0, (size_t)(end - area));
		memcpy(area, path, strlen(path));
	}
	return xstrdup(path);
}

/*
 * In a supervisor forked by the zygote: wait until the zygote has told the
 * daemon our pid (see above).  1 if it has (or we were not forked by a
 * zygote), 0 if it died first: then the job is not ours to run.
 */
int
zygote_confirmed(void)
{
	ssize_t n;
	char c;

	if (confirm_fd == -1)
		return 1;
	do {
		n = read(confirm_fd, &c, 1);
	} while (n == -1 && errno == EINTR);
	close(confirm_fd);
	confirm_fd = -1;
	return n == 1;
}
