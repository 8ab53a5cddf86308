/* SPDX-License-Identifier: MIT */
/*
 * The one fork/exec site for user code.  Everything is prepared before
 * vfork (paths, environment, groups, CPU set, limits); between vfork and
 * exec the child makes system calls only: reset SIGPIPE, a process group
 * of its own, record its pid and ours in the job file, drop privileges, umask and resource
 * limits (sbatch's), chdir, open the standard files (as the user, so they
 * are owned by the user), set affinity, exec.  launch_login_env() is the
 * other child: the user's login shell printing its environment.
 *
 * The child is vforked: the supervisor resumes only once it has exec'd or
 * exited, so it has by then led its own process group (which exists before
 * anybody signals it) and recorded the pids (the job never runs
 * unrecorded), which it says in l->recorded, our memory.  The child and
 * the supervisor share a SOCK_SEQPACKET pair that closes on exec: after
 * opening its files the child sends a launch_report{LAUNCH_OK} carrying a
 * duplicate of its stderr (SCM_RIGHTS):
 * the supervisor writes Slurm's "*** JOB ... CANCELLED ***" line through
 * that descriptor without ever opening a user-controlled path as root.  On
 * failure the child sends the failed stage and errno, then exits 127.
 *
 * Output files are opened O_APPEND always (plus O_TRUNC unless
 * --open-mode=append), so the job's writes and the supervisor's message
 * never overwrite each other.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "jobsup.h"

#define PID_PREFIX	"SLURM_TASK_PID="
#define PID_SLOT_LEN	(sizeof PID_PREFIX + 24)
#define LOGIN_MARK	"__berth_login_env__"
#define LOGIN_MAX	(4u << 20)

static void	launch_child(struct launch *, int) __attribute__((noreturn));
static void	child_fail(int, int, int) __attribute__((noreturn));
static void	child_send(int, int, int, int);
static void	format_pid(char *, pid_t);
static int	open_cloexec(const char *, int, mode_t);
static void	child_reset_signals(void);
static void	login_child(const struct launch *, const char *, char **,
		    char **, const char *, int) __attribute__((noreturn));
static int	login_read(int, pid_t, int, struct buf *);
static char	**login_parse(const struct buf *);

int
launch_start(struct launch *l)
{
	size_t plen = strlen(PID_PREFIX);
	int sv[2], saved;
	pid_t pid;

	/* SLURM_TASK_PID is known only in the child: leave it room. */
	l->pid_slot = NULL;
	for (char **e = l->env; *e != NULL; e++) {
		if (strncmp(*e, PID_PREFIX, plen) == 0) {
			free(*e);
			*e = xcalloc(1, PID_SLOT_LEN);
			memcpy(*e, PID_PREFIX, plen);
			l->pid_slot = *e + plen;
			break;
		}
	}

	l->recorded = false;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	/*
	 * vfork: the child borrows our memory until it execs or exits, so
	 * no page tables are copied and neither side takes copy-on-write
	 * faults; we are suspended meanwhile, which costs nothing since the
	 * child never waits for us.  It only makes system calls and writes
	 * into its own stack frames, the SLURM_TASK_PID slot and
	 * l->recorded.  (Our end of the pair stays open in it until its
	 * exec or exit closes it.)
	 */
	pid = vfork();
	if (pid == -1) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0)
		launch_child(l, sv[1]);
	/* The child has exec'd or exited by now. */
	l->pid = pid;
	close(sv[1]);
	l->sock = sv[0];
	return 0;
}

int
launch_read(struct launch *l, struct launch_report *rep, int *fdp)
{
	ssize_t r;

	*fdp = -1;
	if (l->sock == -1)
		return 0;
	r = sock_recv_fd(l->sock, rep, sizeof *rep, MSG_DONTWAIT, fdp);
	if (r == -1)
		return -1;
	if (r == 0) {
		close(l->sock);
		l->sock = -1;
		return 0;
	}
	if ((size_t)r != sizeof *rep) {
		if (*fdp != -1)
			close(*fdp);
		*fdp = -1;
		errno = EPROTO;
		return -1;
	}
	return 1;
}

char *
launch_error(const struct launch *l, const struct launch_report *rep)
{
	const char *e = strerror(rep->err);
	char *s;

	switch (rep->stage) {
	case LAUNCH_CREDS:
		xasprintf(&s, "cannot switch to uid %lu gid %lu: %s",
		    (unsigned long)l->uid, (unsigned long)l->gid, e);
		break;
	case LAUNCH_STDIN:
		xasprintf(&s, "Could not open stdin file %s: %s",
		    l->paths.in_path, e);
		break;
	case LAUNCH_STDOUT:
		xasprintf(&s, "Could not open stdout file %s: %s",
		    l->paths.out_path, e);
		break;
	case LAUNCH_STDERR:
		xasprintf(&s, "Could not open stderr file %s: %s",
		    l->paths.err_path, e);
		break;
	case LAUNCH_CHDIR:
		xasprintf(&s, "couldn't chdir to `%s': %s", l->workdir, e);
		break;
	case LAUNCH_EXEC:
		xasprintf(&s, "execve(): %s: %s", l->script, e);
		break;
	default:
		xasprintf(&s, "job setup failed: %s", e);
		break;
	}
	return s;
}

/* Async-signal-safe decimal formatting into the SLURM_TASK_PID slot. */
static void
format_pid(char *dst, pid_t pid)
{
	char tmp[24];
	size_t n = 0;
	unsigned long v = (unsigned long)pid;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && n < sizeof tmp);
	while (n > 0)
		*dst++ = tmp[--n];
	*dst = '\0';
}

/*
 * open(2) with O_CLOEXEC in one system call: musl's open() follows it
 * with fcntl(F_SETFD) for kernels that ignored the flag (before 2.6.23).
 */
static int
open_cloexec(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC,
	    mode);
}

static void
child_send(int sock, int stage, int err, int fd)
{
	struct launch_report rep;

	memset(&rep, 0, sizeof rep);
	rep.stage = stage;
	rep.err = err;
	(void)sock_send_fd(sock, &rep, sizeof rep, fd);
}

static void
child_fail(int sock, int stage, int err)
{
	child_send(sock, stage, err, -1);
	_exit(127);
}

void
jobsup_signals_default(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &sa, NULL);
}

/*
 * Default dispositions; the mask stays until just before exec.  The
 * supervisor started from all defaults (jobsup_signals_default()) and
 * installs no handler; it ignores SIGPIPE only.
 */
static void
child_reset_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
}

static void
launch_child(struct launch *l, int sock)
{
	sigset_t none;
	int fd_in, fd_out, fd_err, oflags;
	pid_t me = getpid();

	child_reset_signals();

	/*
	 * The job leads a process group in the supervisor's session, as a
	 * batch script does in slurmstepd's (setpgid, mgr.c).  A session of
	 * its own, as before, also made the kernel create and free a
	 * scheduler autogroup for every job: 25-45 us of a process start
	 * here (docs/performance.md, session 11).
	 */
	if (setpgid(0, 0) == -1)
		child_fail(sock, LAUNCH_SETUP, errno);
	/* The job runs only once its pid is recorded (proto/spec.h): we
	 * record it ourselves rather than wait for the supervisor to. */
	if (l->pid_fd != -1) {
		if (jobfile_set_pids(l->pid_fd, (long)getppid(),
		    (long)me) == -1)
			child_fail(sock, LAUNCH_SETUP, errno);
		l->recorded = true;	/* the supervisor's memory */
	}
	if (l->pid_slot != NULL)
		format_pid(l->pid_slot, me);

	if (l->drop) {
		if (setgroups((size_t)l->ngroups, l->groups) == -1 ||
		    setgid(l->gid) == -1 || setuid(l->uid) == -1)
			child_fail(sock, LAUNCH_CREDS, errno);
	}
	if (l->umask != -1)
		umask((mode_t)l->umask);
	for (int i = 0; i < l->nrlimits; i++) {
		struct rlimit rl;
		rlim_t cur = l->rlimits[i].soft;

		if (getrlimit(l->rlimits[i].resource, &rl) == -1)
			continue;
		if (rl.rlim_max != RLIM_INFINITY && cur > rl.rlim_max)
			cur = rl.rlim_max;
		if (cur == rl.rlim_cur)
			continue;	/* sbatch's already: the usual case */
		rl.rlim_cur = cur;
		(void)setrlimit(l->rlimits[i].resource, &rl);
	}
	if (chdir(l->workdir) == -1)
		child_fail(sock, LAUNCH_CHDIR, errno);

	fd_in = open_cloexec(l->paths.in_path, O_RDONLY | O_NOCTTY |
	    O_LARGEFILE, 0);
	if (fd_in == -1)
		child_fail(sock, LAUNCH_STDIN, errno);
	oflags = O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY | O_LARGEFILE;
	if (!l->append)
		oflags |= O_TRUNC;
	fd_out = open_cloexec(l->paths.out_path, oflags, 0644);
	if (fd_out == -1)
		child_fail(sock, LAUNCH_STDOUT, errno);
	fd_err = fd_out;
	if (l->paths.err_path != NULL) {
		fd_err = open_cloexec(l->paths.err_path, oflags, 0644);
		if (fd_err == -1)
			child_fail(sock, LAUNCH_STDERR, errno);
	}
	/* The supervisor keeps 0-2 open, so these fds are all above 2. */
	if (dup2(fd_in, 0) == -1 || dup2(fd_out, 1) == -1 ||
	    dup2(fd_err, 2) == -1)
		child_fail(sock, LAUNCH_SETUP, errno);
	child_send(sock, LAUNCH_OK, 0, 2);

	/* The daemon gave these CPUs from our own affinity; best effort
	 * (usually the supervisor has them already: sup_prepare()). */
	if (l->cpus != NULL && !l->cpus_ours)
		(void)sched_setaffinity(0, l->cpus_size, l->cpus);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve(l->script, l->argv, l->env);
	child_fail(sock, LAUNCH_EXEC, errno);
}

/* The login shell, as the user, writing `env -0` to fd out. */
static void
login_child(const struct launch *l, const char *shell, char **argv,
    char **env, const char *home, int out)
{
	sigset_t none;
	int null;

	child_reset_signals();
	(void)setsid();
	if (l->drop) {
		if (setgroups((size_t)l->ngroups, l->groups) == -1 ||
		    setgid(l->gid) == -1 || setuid(l->uid) == -1)
			_exit(126);
	}
	if (home == NULL || chdir(home) == -1)
		(void)chdir("/");
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    dup2(null, 0) == -1 || dup2(out, 1) == -1 || dup2(null, 2) == -1)
		_exit(126);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve(shell, argv, env);
	_exit(127);
}

/*
 * Read the helper's output until end of file, or until the helper itself
 * has exited and the pipe is drained (a daemon started by a profile may
 * hold the pipe open), or the deadline.  0 if the helper finished, -1 on
 * timeout or error.
 */
static int
login_read(int fd, pid_t pid, int timeout_ms, struct buf *b)
{
	int64_t end = mono_msec() + timeout_ms;
	struct pollfd pfd[2];
	char chunk[8192];
	int pidfd = -1, n, wait_ms;
	bool exited = false;
	ssize_t r;

#ifdef SYS_pidfd_open
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	(void)set_nonblock(fd);
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r > 0) {
			if (b->len + (size_t)r > LOGIN_MAX)
				break;
			buf_add(b, chunk, (size_t)r);
			continue;
		}
		if (r == 0)
			goto done;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		if (exited)
			goto done;
		wait_ms = (int)(end - mono_msec());
		if (wait_ms <= 0)
			break;
		n = 0;
		pfd[n++] = (struct pollfd){ fd, POLLIN, 0 };
		if (pidfd != -1)
			pfd[n++] = (struct pollfd){ pidfd, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n, wait_ms) == -1 && errno != EINTR)
			break;
		if (n == 2 && (pfd[1].revents & POLLIN))
			exited = true;
	}
	if (pidfd != -1)
		close(pidfd);
	return -1;
done:
	if (pidfd != -1)
		close(pidfd);
	return 0;
}

/* The NUL-separated entries after the marker line. */
static char **
login_parse(const struct buf *b)
{
	static const char *const skip[] = { "_", "SHLVL", "OLDPWD" };
	const char *p, *end = b->data + b->len;
	char **v = NULL;
	size_t n = 0, len, nlen;
	bool bad;

	if (b->data == NULL ||
	    (p = memmem(b->data, b->len, LOGIN_MARK "\n",
	    sizeof LOGIN_MARK)) == NULL)
		return NULL;
	v = xcalloc(1, sizeof *v);
	for (p += sizeof LOGIN_MARK; p < end; p += len + 1) {
		len = strnlen(p, (size_t)(end - p));
		nlen = strcspn(p, "=");
		if (nlen == 0 || nlen >= len)
			continue;
		bad = false;
		for (size_t i = 0; i < nitems(skip); i++) {
			if (strlen(skip[i]) == nlen &&
			    strncmp(p, skip[i], nlen) == 0)
				bad = true;
		}
		if (bad)
			continue;
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrndup(p, len);
		v[n] = NULL;
	}
	return v;
}

char **
launch_login_env(const struct launch *l, const struct passwd *pw,
    int timeout_ms, char **cause)
{
	const char *shell, *base;
	char *argv[4], *env[6], **result = NULL;
	struct buf out;
	int fds[2], st, rc;
	pid_t pid;

	shell = pw->pw_shell != NULL && *pw->pw_shell != '\0' ?
	    pw->pw_shell : "/bin/sh";
	base = strrchr(shell, '/') != NULL ? strrchr(shell, '/') + 1 : shell;
	xasprintf(&argv[0], "-%s", base);	/* a login shell, as su - */
	argv[1] = xstrdup("-c");
	argv[2] = xstrdup("echo " LOGIN_MARK "; exec env -0");
	argv[3] = NULL;
	xasprintf(&env[0], "HOME=%s", pw->pw_dir != NULL ? pw->pw_dir : "/");
	xasprintf(&env[1], "USER=%s", pw->pw_name);
	xasprintf(&env[2], "LOGNAME=%s", pw->pw_name);
	xasprintf(&env[3], "SHELL=%s", shell);
	env[4] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[5] = NULL;
	buf_init(&out);

	if (pipe2(fds, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (pid == 0)
		login_child(l, shell, argv, env, pw->pw_dir, fds[1]);
	close(fds[1]);
	rc = login_read(fds[0], pid, timeout_ms, &out);
	close(fds[0]);
	/* Whatever the profile left in the helper's session goes too. */
	(void)kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (rc == -1) {
		xasprintf(cause, "%s did not finish within %d s", shell,
		    timeout_ms / 1000);
		goto out;
	}
	if ((result = login_parse(&out)) == NULL) {
		if (WIFEXITED(st))
			xasprintf(cause, "%s exited with status %d", shell,
			    WEXITSTATUS(st));
		else
			xasprintf(cause, "%s failed", shell);
	}
out:
	buf_free(&out);
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (size_t i = 0; env[i] != NULL; i++)
		free(env[i]);
	return result;
}
