/* SPDX-License-Identifier: MIT */
/*
 * The log sink shared by berthd and berth-jobsup.  Lines are written with a
 * single write(2) so concurrent writers (daemon and supervisors appending to
 * one file) never interleave inside a line.  While held (log_hold(), the
 * daemon during a loop iteration) lines gather in memory and go out
 * together at log_flush(): one write for an iteration's few lines instead
 * of one each.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

bool log_debug_enabled;

static int log_fd = 2;
static const char *log_prog = "berth";
static bool log_mirror;
static bool log_held;
static char log_buf[8192];		/* held lines */
static size_t log_len;

void
log_hold(bool on)
{
	if (!on)
		log_flush();
	log_held = on;
}

void
log_flush(void)
{
	if (log_len > 0)
		(void)!write(log_fd, log_buf, log_len);
	log_len = 0;
}

int
log_open(const char *path, const char *prog, bool debug)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	log_flush();
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	log_prog = prog;
	log_debug_enabled = debug;
	return 0;
}

void
log_set_stderr(const char *prog, bool debug)
{
	log_flush();
	if (log_fd > 2)
		close(log_fd);
	log_fd = 2;
	log_prog = prog;
	log_debug_enabled = debug;
}

void
log_mirror_stderr(bool on)
{
	log_mirror = on;
}

void
log_close(void)
{
	log_flush();
	if (log_fd > 2)
		close(log_fd);
	log_fd = 2;
}

static void log_vmsg(const char *, const char *, int, const char *, va_list)
    __attribute__((format(printf, 4, 0)));

static void
log_vmsg(const char *lvl, const char *func, int errnum, const char *fmt,
    va_list ap)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof line - n, ".%03ld %s[%ld] %s: %s: ",
	    ts.tv_nsec / 1000000, log_prog, (long)getpid(), lvl, func);
	if (r > 0 && (size_t)r < sizeof line - n)
		n += (size_t)r;
	r = vsnprintf(line + n, sizeof line - n, fmt, ap);
	if (r > 0)
		n = n + (size_t)r < sizeof line ? n + (size_t)r : sizeof line - 1;
	if (errnum != 0 && n < sizeof line - 1) {
		r = snprintf(line + n, sizeof line - n, ": %s",
		    strerror(errnum));
		if (r > 0)
			n = n + (size_t)r < sizeof line ? n + (size_t)r :
			    sizeof line - 1;
	}
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (log_held && lvl[0] != 'f') {
		if (log_len + n > sizeof log_buf)
			log_flush();
		memcpy(log_buf + log_len, line, n);
		log_len += n;
	} else {
		log_flush();
		(void)!write(log_fd, line, n);
	}
	if (log_mirror && log_fd != 2 && strcmp(lvl, "info") != 0 &&
	    strcmp(lvl, "debug") != 0) {
		/* Drop the timestamp and function: "prog: message". */
		char *msg = strstr(line, ": ");

		if (msg != NULL && (msg = strstr(msg + 2, ": ")) != NULL) {
			msg += 2;
			(void)!write(2, log_prog, strlen(log_prog));
			(void)!write(2, ": ", 2);
			(void)!write(2, msg, (size_t)(line + n - msg));
		}
	}
}

void
log_msg(const char *lvl, const char *func, bool err, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vmsg(lvl, func, err ? saved : 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_fatal(const char *func, bool err, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vmsg("fatal", func, err ? saved : 0, fmt, ap);
	va_end(ap);
	exit(1);
}
