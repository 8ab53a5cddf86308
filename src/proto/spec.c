/* SPDX-License-Identifier: MIT */
/* Supervisor spec and result encodings: see spec.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "spec.h"

void
job_spec_free(struct job_spec *s)
{
	job_free(&s->job);
	strv_free(s->env);
	strv_free(s->argv);
	free(s->cluster_name);
	free(s->node_name);
	free(s->submit_host);
	free(s->conf_path);
	free(s->daemon_socket);
	free(s->script_path);
	free(s->user_home);
	free(s->user_shell);
	free(s->groups);
	memset(s, 0, sizeof *s);
}

void
proto_spec_put(struct msg *m, const struct job_spec *s)
{
	proto_job_put(m, &s->job);
	msg_put_strv(m, s->env);
	msg_put_strv(m, s->argv);
	msg_put_str(m, s->cluster_name);
	msg_put_str(m, s->node_name);
	msg_put_str(m, s->submit_host);
	msg_put_str(m, s->conf_path);
	msg_put_str(m, s->daemon_socket);
	msg_put_u32(m, s->kill_wait);
	msg_put_u32(m, s->cgroup_mode);
	msg_put_str(m, s->script_path);
	msg_put_u32(m, s->user_known);
	msg_put_str(m, s->user_home);
	msg_put_str(m, s->user_shell);
	msg_put_u32(m, s->ngroups);
	for (uint32_t i = 0; i < s->ngroups; i++)
		msg_put_u32(m, s->groups[i]);
}

int
proto_spec_get(struct msg *m, struct job_spec *s)
{
	memset(s, 0, sizeof *s);
	if (proto_job_get(m, &s->job) == -1)
		return -1;
	s->env = msg_get_strv(m);
	s->argv = msg_get_strv(m);
	s->cluster_name = msg_get_str(m);
	s->node_name = msg_get_str(m);
	s->submit_host = msg_get_str(m);
	s->conf_path = msg_get_str(m);
	s->daemon_socket = msg_get_str(m);
	s->kill_wait = msg_get_u32(m);
	s->cgroup_mode = msg_get_u32(m);
	s->script_path = msg_get_str(m);
	s->user_known = msg_get_u32(m);
	s->user_home = msg_get_str(m);
	s->user_shell = msg_get_str(m);
	s->ngroups = msg_get_u32(m);
	if (!m->err && s->ngroups <= 65536) {
		s->groups = xcalloc((size_t)s->ngroups + 1, sizeof *s->groups);
		for (uint32_t i = 0; i < s->ngroups; i++)
			s->groups[i] = msg_get_u32(m);
	} else
		m->err = true;
	if (msg_end(m) == -1) {
		job_spec_free(s);
		return -1;
	}
	return 0;
}

char *
job_result_format(const struct job_result *r)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "status=%d\nstart=%lld\nend=%lld\nmaxrss=%llu\n"
	    "maxvsize=%llu\nutime=%llu\nstime=%llu\ntimeout=%u\n"
	    "cancelled=%u\noom=%u\nlaunch_failed=%u\n", r->status,
	    (long long)r->start_time, (long long)r->end_time,
	    (unsigned long long)r->max_rss_kb,
	    (unsigned long long)r->max_vsize_kb,
	    (unsigned long long)r->user_usec, (unsigned long long)r->sys_usec,
	    r->timeout, r->cancelled, r->oom, r->launch_failed);
	if (r->error != NULL) {
		buf_adds(&b, "error=");
		for (const char *p = r->error; *p != '\0'; p++)
			buf_addc(&b, *p == '\n' ? ' ' : *p);
		buf_addc(&b, '\n');
	}
	return buf_steal(&b);
}

int
job_result_parse(const char *text, struct job_result *r)
{
	char **lines = strv_split(text, "\n", NULL);
	int have_status = 0;

	memset(r, 0, sizeof *r);
	for (char **l = lines; *l != NULL; l++) {
		char *eq = strchr(*l, '=');
		const char *k = *l, *v;

		if (eq == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		if (strcmp(k, "status") == 0) {
			r->status = (int32_t)strtol(v, NULL, 10);
			have_status = 1;
		} else if (strcmp(k, "start") == 0)
			r->start_time = strtoll(v, NULL, 10);
		else if (strcmp(k, "end") == 0)
			r->end_time = strtoll(v, NULL, 10);
		else if (strcmp(k, "maxrss") == 0)
			r->max_rss_kb = strtoull(v, NULL, 10);
		else if (strcmp(k, "maxvsize") == 0)
			r->max_vsize_kb = strtoull(v, NULL, 10);
		else if (strcmp(k, "utime") == 0)
			r->user_usec = strtoull(v, NULL, 10);
		else if (strcmp(k, "stime") == 0)
			r->sys_usec = strtoull(v, NULL, 10);
		else if (strcmp(k, "timeout") == 0)
			r->timeout = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "cancelled") == 0)
			r->cancelled = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "oom") == 0)
			r->oom = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "launch_failed") == 0)
			r->launch_failed = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "error") == 0) {
			free(r->error);
			r->error = xstrdup(v);
		}
	}
	strv_free(lines);
	return have_status ? 0 : -1;
}

void
job_result_free(struct job_result *r)
{
	free(r->error);
	r->error = NULL;
}

/* Write a 64-byte header line at off: text, spaces, '\n'. */
static int
hdr_line(int fd, off_t off, const char *text)
{
	char line[64];
	size_t n = strlen(text);

	if (n > sizeof line - 1)
		n = sizeof line - 1;
	memset(line, ' ', sizeof line);
	memcpy(line, text, n);
	line[sizeof line - 1] = '\n';
	if (pwrite(fd, line, sizeof line, off) != (ssize_t)sizeof line) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The header's two lines, blank. */
static void
hdr_blank(char hdr[JOBFILE_HDR])
{
	memset(hdr, ' ', JOBFILE_HDR);
	hdr[63] = '\n';
	hdr[JOBFILE_HDR - 1] = '\n';
}

int
jobfile_clear(int fd)
{
	char hdr[JOBFILE_HDR];

	hdr_blank(hdr);
	if (pwrite(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/*
 * The blank header and the spec, in one write.  The file may be a reused
 * one (see supervise.c), longer than this spec: it is cut after the spec,
 * since the spec's length is the file's.  Not truncated to 0 first: on
 * ext4 that makes the last close start writeback (auto_da_alloc), a disk
 * write per job.
 */
int
jobfile_write_spec(int fd, const struct job_spec *s)
{
	char hdr[JOBFILE_HDR];
	struct iovec iov[2];
	struct stat sb;
	struct msg m;
	off_t end;
	int rc = -1;

	if (fstat(fd, &sb) == -1)
		return -1;
	hdr_blank(hdr);
	msg_init(&m);
	proto_spec_put(&m, s);
	end = JOBFILE_HDR + (off_t)m.b.len;
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof hdr;
	iov[1].iov_base = m.b.data;
	iov[1].iov_len = m.b.len;
	if (pwritev(fd, iov, 2, 0) != (ssize_t)end) {
		if (errno == 0)
			errno = EIO;
	} else if (sb.st_size <= end || ftruncate(fd, end) == 0)
		rc = 0;
	msg_free(&m);
	return rc;
}

/*
 * The spec runs from the header to the result the supervisor appended
 * (its mark: "R <offset> <length>" in the header's second line), or to
 * the end of the file while there is none.
 */
int
jobfile_read_spec(int fd, struct job_spec *s)
{
	char hdr[JOBFILE_HDR + 1];
	struct stat sb;
	struct msg m;
	char *data;
	long long off;
	size_t len, rlen;
	off_t end;
	ssize_t n;
	int rc;

	if (fstat(fd, &sb) == -1)
		return -1;
	if (sb.st_size < JOBFILE_HDR || sb.st_size > 256 * 1024 * 1024) {
		errno = EINVAL;
		return -1;
	}
	end = sb.st_size;
	if ((n = pread(fd, hdr, JOBFILE_HDR, 0)) == JOBFILE_HDR) {
		hdr[JOBFILE_HDR] = '\0';
		if (sscanf(hdr + 64, "R %lld %zu", &off, &rlen) == 2 &&
		    off >= JOBFILE_HDR && off < end)
			end = (off_t)off;
	}
	len = (size_t)(end - JOBFILE_HDR);
	data = xmalloc(len + 1);
	n = pread(fd, data, len, JOBFILE_HDR);
	if (n != (ssize_t)len) {
		free(data);
		errno = n == -1 ? errno : EIO;
		return -1;
	}
	msg_init(&m);
	msg_load(&m, data, len);
	free(data);
	rc = proto_spec_get(&m, s);
	msg_free(&m);
	if (rc == -1)
		errno = EINVAL;
	return rc;
}

int
jobfile_set_pids(int fd, long sup, long job)
{
	char text[64];

	snprintf(text, sizeof text, "P %ld %ld", sup, job);
	return hdr_line(fd, 0, text);
}

int
jobfile_set_result(int fd, const struct job_result *r)
{
	struct stat sb;
	char *text, mark[64];
	size_t n;
	int rc = -1;

	if (fstat(fd, &sb) == -1)
		return -1;
	text = job_result_format(r);
	n = strlen(text);
	/* The text first, then the mark that says where it is. */
	if (pwrite(fd, text, n, sb.st_size) == (ssize_t)n) {
		snprintf(mark, sizeof mark, "R %lld %zu",
		    (long long)sb.st_size, n);
		rc = hdr_line(fd, 64, mark);
	} else if (errno == 0)
		errno = EIO;
	free(text);
	return rc;
}

/*
 * A header line's tag and two numbers ("P <sup> <job>", "R <off> <len>"),
 * as sscanf(s, "T %lld %lld") reads them, without its machinery (berthd
 * reads one header per job end): the count read, 0-2.
 */
static int
hdr_pair(const char *s, char tag, long long *a, long long *b)
{
	char *end;

	if (*s != tag)
		return 0;
	errno = 0;
	*a = strtoll(s + 1, &end, 10);
	if (end == s + 1 || errno != 0)
		return 0;
	s = end;
	*b = strtoll(s, &end, 10);
	return end == s || errno != 0 ? 1 : 2;
}

int
jobfile_read_state(int fd, long *sup, long *job, struct job_result *r)
{
	char hdr[JOBFILE_HDR + 1], *text;
	long long off, len, a, b;
	ssize_t n;
	int rc;

	*sup = *job = 0;
	n = pread(fd, hdr, JOBFILE_HDR, 0);
	if (n == -1)
		return -1;
	hdr[n] = '\0';
	if (n < JOBFILE_HDR)
		return 0;
	hdr[63] = '\0';
	if (hdr_pair(hdr, 'P', &a, &b) == 2) {
		*sup = (long)a;
		*job = (long)b;
	}
	if (hdr_pair(hdr + 64, 'R', &off, &len) != 2 || off <
	    JOBFILE_HDR || len <= 0 || len > 65536)
		return 0;
	text = xmalloc((size_t)len + 1);
	n = pread(fd, text, (size_t)len, (off_t)off);
	if (n != (ssize_t)len) {
		free(text);
		return 0;
	}
	text[len] = '\0';
	rc = job_result_parse(text, r) == 0 ? 1 : 0;
	free(text);
	return rc;
}

const struct spec_rlimit spec_rlimits[SPEC_NRLIMITS] = {
	{ "CPU", RLIMIT_CPU },
	{ "FSIZE", RLIMIT_FSIZE },
	{ "DATA", RLIMIT_DATA },
	{ "STACK", RLIMIT_STACK },
	{ "CORE", RLIMIT_CORE },
	{ "RSS", RLIMIT_RSS },
	{ "NPROC", RLIMIT_NPROC },
	{ "NOFILE", RLIMIT_NOFILE },
	{ "MEMLOCK", RLIMIT_MEMLOCK },
	{ "AS", RLIMIT_AS },
};
