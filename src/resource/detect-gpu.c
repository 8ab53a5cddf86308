/* SPDX-License-Identifier: MIT */
/*
 * NVIDIA GPU detection (see resource.h).  Sources, in order:
 *
 *   1. `nvidia-smi --query-gpu=index --format=csv,noheader` when an
 *      executable nvidia-smi is on PATH: one line per GPU.  It runs once at
 *      daemon start, so a bounded blocking wait (5 s, then SIGKILL) is
 *      acceptable here; the event loop is not running yet.
 *   2. The entries of /proc/driver/nvidia/gpus (one per PCI device), when
 *      nvidia-smi is missing or fails.
 *   3. Neither: 0 GPUs.
 *
 * nvidia-smi exiting non-zero with no /proc/driver/nvidia means "tools
 * installed, no driver": 0 GPUs, not an error.  A hang, a crash or output
 * that is not a list of indices, with nothing in /proc to fall back on, is
 * an error naming nvidia-smi, so the caller can say why.
 *
 * The child is started with posix_spawn (no fork in this module): stdout
 * to a pipe, stdin and stderr on /dev/null, an empty signal mask and
 * default dispositions (the daemon blocks signals for its signalfd, and a
 * blocked mask survives exec).
 */
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "resource.h"

#define NVSMI		"nvidia-smi"
#define NVSMI_ARGS	"--query-gpu=index --format=csv,noheader"
#define NVPROC		"/proc/driver/nvidia/gpus"
#define NVSMI_MSEC	5000
#define NVSMI_MAXOUT	(64 * 1024)

extern char **environ;

/* How running nvidia-smi went. */
enum smi_result {
	SMI_OK,		/* exit 0, count valid */
	SMI_EXIT,	/* ran, exited non-zero: no driver or no devices */
	SMI_FAIL,	/* could not run, hung, crashed or said nonsense */
};

static char	*path_search(const char *);
static int	 wait_deadline(pid_t, int64_t, int *);
static enum smi_result smi_run(const char *, uint32_t *, char **);
static int	 smi_count(const char *, const char *, uint32_t *, char **);

/* First executable regular file called name in $PATH, or NULL. */
static char *
path_search(const char *name)
{
	const char *path = getenv("PATH");
	char **dirs, *file;
	struct stat st;

	if (path == NULL)
		path = "/usr/bin:/bin";
	dirs = strv_split(path, ":", NULL);
	for (char **d = dirs; *d != NULL; d++) {
		/* Relative entries ("" or ".") would depend on the cwd. */
		if ((*d)[0] != '/')
			continue;
		xasprintf(&file, "%s/%s", *d, name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(file, X_OK) == 0) {
			strv_free(dirs);
			return file;
		}
		free(file);
	}
	strv_free(dirs);
	return NULL;
}

/*
 * Waits for pid until the monotonic deadline (ms), then kills it.  Returns
 * 0 with the wait status, or -1 on timeout (the child has been killed and
 * reaped) or waitpid failure.  Uses a pidfd to bound the wait; where the
 * kernel has none, waits without a bound (stdout already hit EOF, so the
 * child is exiting).
 */
static int
wait_deadline(pid_t pid, int64_t deadline, int *status)
{
	struct pollfd pfd;
	int64_t left;
	int fd, rc;
	bool timedout = false;

	if ((fd = sys_pidfd_open(pid, 0)) != -1) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		for (;;) {
			left = deadline - mono_msec();
			if (left <= 0) {
				timedout = true;
				break;
			}
			rc = poll(&pfd, 1, (int)left);
			if (rc == -1 && errno == EINTR)
				continue;
			if (rc != 0)
				break;
		}
		close(fd);
	}
	if (timedout)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return timedout ? -1 : 0;
}

/* Counts the lines of nvidia-smi output; each must be a GPU index. */
static int
smi_count(const char *path, const char *out, uint32_t *count, char **cause)
{
	char **lines;
	uint32_t n = 0, idx;
	size_t len;

	lines = strv_split(out, "\n", NULL);
	for (char **l = lines; *l != NULL; l++) {
		len = strlen(*l);
		while (len > 0 && ((*l)[len - 1] == '\r' ||
		    (*l)[len - 1] == ' '))
			(*l)[--len] = '\0';
		if (len == 0)
			continue;
		if (parse_u32(*l, &idx) == -1) {
			xasprintf(cause, "%s " NVSMI_ARGS ": unexpected "
			    "output line '%s'", path, *l);
			strv_free(lines);
			return -1;
		}
		n++;
	}
	strv_free(lines);
	*count = n;
	return 0;
}

/* Runs nvidia-smi at path; see enum smi_result. */
static enum smi_result
smi_run(const char *path, uint32_t *count, char **cause)
{
	char *const argv[] = { (char *)NVSMI, (char *)"--query-gpu=index",
	    (char *)"--format=csv,noheader", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	sigset_t mask, defs;
	struct pollfd pfd;
	struct buf out;
	enum smi_result res = SMI_FAIL;
	int64_t deadline, left;
	pid_t pid;
	ssize_t r;
	char chunk[4096];
	int p[2], rc, status;

	if (pipe2(p, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe for %s: %s", path, strerror(errno));
		return SMI_FAIL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&sa);
	sigemptyset(&mask);
	sigemptyset(&defs);
	sigaddset(&defs, SIGPIPE);
	sigaddset(&defs, SIGCHLD);
	sigaddset(&defs, SIGHUP);
	sigaddset(&defs, SIGINT);
	sigaddset(&defs, SIGTERM);
	sigaddset(&defs, SIGQUIT);
	posix_spawnattr_setsigmask(&sa, &mask);
	posix_spawnattr_setsigdefault(&sa, &defs);
	posix_spawnattr_setflags(&sa,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, path, &fa, &sa, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	close(p[1]);
	if (rc != 0) {
		close(p[0]);
		xasprintf(cause, "spawn %s: %s", path, strerror(rc));
		return SMI_FAIL;
	}

	buf_init(&out);
	deadline = mono_msec() + NVSMI_MSEC;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		left = deadline - mono_msec();
		if (left <= 0) {
			kill(pid, SIGKILL);
			(void)wait_deadline(pid, 0, &status);
			xasprintf(cause, "%s " NVSMI_ARGS ": no answer within "
			    "%d seconds, killed", path, NVSMI_MSEC / 1000);
			goto out;
		}
		rc = poll(&pfd, 1, (int)left);
		if (rc == -1 && errno != EINTR) {
			xasprintf(cause, "poll %s output: %s", path,
			    strerror(errno));
			kill(pid, SIGKILL);
			(void)wait_deadline(pid, 0, &status);
			goto out;
		}
		if (rc <= 0)
			continue;
		r = read(p[0], chunk, sizeof chunk);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			xasprintf(cause, "read %s output: %s", path,
			    strerror(errno));
			kill(pid, SIGKILL);
			(void)wait_deadline(pid, 0, &status);
			goto out;
		}
		if (r == 0)
			break;
		if (out.len + (size_t)r > NVSMI_MAXOUT) {
			xasprintf(cause, "%s " NVSMI_ARGS ": more than %d "
			    "bytes of output", path, NVSMI_MAXOUT);
			kill(pid, SIGKILL);
			(void)wait_deadline(pid, 0, &status);
			goto out;
		}
		buf_add(&out, chunk, (size_t)r);
	}

	if (wait_deadline(pid, deadline, &status) == -1) {
		xasprintf(cause, "%s " NVSMI_ARGS ": did not exit within "
		    "%d seconds, killed", path, NVSMI_MSEC / 1000);
		goto out;
	}
	if (WIFSIGNALED(status)) {
		xasprintf(cause, "%s " NVSMI_ARGS ": killed by signal %d",
		    path, WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		xasprintf(cause, "%s " NVSMI_ARGS ": exited with status %d",
		    path, WEXITSTATUS(status));
		res = SMI_EXIT;
		goto out;
	}
	if (smi_count(path, out.data != NULL ? out.data : "", count,
	    cause) == 0)
		res = SMI_OK;
out:
	close(p[0]);
	buf_free(&out);
	return res;
}

/*
 * Counts the entries of dir (the driver's NVPROC: one per PCI device).
 * Returns 1 with *count when the directory exists, 0 when it does not,
 * -1 when it is unreadable.
 */
int
gpu_proc_count(const char *dir, uint32_t *count, char **cause)
{
	DIR *d;
	struct dirent *de;
	uint32_t n = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		xasprintf(cause, "opendir %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	closedir(d);
	*count = n;
	return 1;
}

int
detect_gpus(uint32_t *count, char **cause)
{
	enum smi_result res = SMI_EXIT;
	char *smi, *smi_cause = NULL, *proc_cause = NULL;
	uint32_t n = 0;
	int rc;

	if ((smi = path_search(NVSMI)) != NULL) {
		res = smi_run(smi, &n, &smi_cause);
		free(smi);
		if (res == SMI_OK) {
			*count = n;
			return 0;
		}
	}
	rc = gpu_proc_count(NVPROC, &n, &proc_cause);
	if (rc == 1 || (rc == 0 && res != SMI_FAIL)) {
		free(smi_cause);
		*count = rc == 1 ? n : 0;
		return 0;
	}
	if (rc == -1 && smi_cause != NULL) {
		xasprintf(cause, "%s; %s", smi_cause, proc_cause);
		free(smi_cause);
		free(proc_cause);
	} else if (rc == -1)
		*cause = proc_cause;
	else
		*cause = smi_cause;
	return -1;
}
