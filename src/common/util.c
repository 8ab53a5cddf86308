/* SPDX-License-Identifier: MIT */
/* Shared helpers: see util.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"
#include "xmalloc.h"

int
write_full(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
read_full(int fd, void *p, size_t n)
{
	char *c = p;
	ssize_t r;

	while (n > 0) {
		r = read(fd, c, n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0) {
			errno = EPIPE;
			return -1;
		}
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

char *
read_file(const char *path, size_t max, size_t *lenp)
{
	char *data = NULL;
	size_t len = 0, cap = 0;
	ssize_t r;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			data = xrealloc(data, cap);
		}
		r = read(fd, data + len, cap - len - 1);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	if (data == NULL)
		data = xmalloc(1);
	data[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return data;
fail:
	saved = errno;
	close(fd);
	free(data);
	errno = saved;
	return NULL;
}

int
write_file_atomic(const char *path, const void *p, size_t n, mode_t mode,
    bool sync)
{
	char tmp[PATH_MAX];
	int fd, saved;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd == -1)
		return -1;
	if (write_full(fd, p, n) == -1 || (sync && fdatasync(fd) == -1))
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
set_nonblock(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
set_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1)
		return -1;
	return fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

int
mkdir_p(const char *path, mode_t mode)
{
	char *p, *s;
	int rc = 0;

	p = xstrdup(path);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

void
proc_children(pid_t pid, void (*fn)(pid_t, void *), void *arg)
{
	char path[64], *text, *s, *end;
	struct dirent *de;
	DIR *d;
	long v;

	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%ld/task/%ld/children",
		    (long)pid, strtol(de->d_name, NULL, 10));
		if ((text = read_file(path, 1 << 20, NULL)) == NULL)
			continue;
		for (s = text; *s != '\0'; s = end) {
			errno = 0;
			v = strtol(s, &end, 10);
			if (end == s)
				break;
			if (errno == 0 && v > 0)
				fn((pid_t)v, arg);
		}
		free(text);
	}
	closedir(d);
}

void
kill_leftover(pid_t pid)
{
	static pid_t said[16];
	static unsigned next;
	unsigned i;

	if (kill(pid, SIGKILL) == -1)
		return;
	for (i = 0; i < nitems(said) && said[i] != pid; i++)
		;
	if (i < nitems(said))
		return;
	said[next++ % nitems(said)] = pid;
	log_warnx("killing process %ld, left by a dead supervisor",
	    (long)pid);
}

int
rmdir_flat(const char *path)
{
	DIR *d;
	struct dirent *de;
	int dfd;

	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : -1;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		(void)unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
	return rmdir(path);
}

int64_t
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

int64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
mono_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
self_dir(void)
{
	char path[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return xstrdup(".");
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) != NULL)
		*slash = '\0';
	return xstrdup(path);
}

const char *
short_hostname(void)
{
	static char host[256];
	char *dot;

	if (host[0] != '\0')
		return host;
	if (gethostname(host, sizeof host - 1) == -1)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	return host;
}

char **
strv_split(const char *s, const char *delims, size_t *np)
{
	char **v = NULL;
	size_t n = 0;
	const char *p = s, *e;

	if (s == NULL)
		s = p = "";
	while (*p != '\0') {
		e = p + strcspn(p, delims);
		if (e > p) {
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = xstrndup(p, (size_t)(e - p));
		}
		p = *e != '\0' ? e + 1 : e;
	}
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	v[n] = NULL;
	if (np != NULL)
		*np = n;
	return v;
}

void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

char *
fmt_decimal(char *end, unsigned long long v)
{
	*end = '\0';
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return end;
}

int
parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, &v) == -1 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

ssize_t
sock_send_fd(int sock, const void *p, size_t n, int fd)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	ssize_t r;

	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = (void *)(uintptr_t)p;
	iov.iov_len = n;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd != -1) {
		mh.msg_control = cm.b;
		mh.msg_controllen = sizeof cm.b;
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	do {
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (r == -1 && errno == EINTR);
	return r;
}

ssize_t
sock_recv_fd(int sock, void *p, size_t n, int flags, int *fdp)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	ssize_t r;

	*fdp = -1;
	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = p;
	iov.iov_len = n;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof cm.b;
	do {
		r = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC);
	} while (r == -1 && errno == EINTR);
	if (r == -1)
		return -1;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fdp, CMSG_DATA(c), sizeof(int));
	return r;
}
