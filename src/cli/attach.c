// SPDX-License-Identifier: MIT
/*
 * srun's attach socket (attach.h): a listener, its clients, the records
 * that go to them and the input records that come back.  Writes to a
 * client never block srun: each client has a queue, and a client that
 * lets more than ATTACH_QUEUE bytes pile up is dropped.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "attach.h"
#include "cli.h"

#define ATTACH_QUEUE	(8u << 20)
#define ATTACH_CLIENTS	16

struct attach_client {
	int		 fd;
	struct buf	 out;
	struct buf	 in;
};

struct attach {
	int			 lfd;
	uint32_t		 ntasks;
	char			*node;
	struct attach_client	 c[ATTACH_CLIENTS];
};

static void
put_u32(char *p, uint32_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)((v >> 8) & 0xff);
	p[2] = (char)((v >> 16) & 0xff);
	p[3] = (char)((v >> 24) & 0xff);
}

static uint32_t
get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
	    (uint32_t)u[3] << 24;
}

socklen_t
attach_addr(void *p, uid_t uid, uint32_t job, uint32_t step)
{
	struct sockaddr_un *sun = p;
	int n;

	const char *d = berth_socket_path();
	uint32_t h = 2166136261u;	/* FNV-1a of the daemon's socket */

	for (; *d != '\0'; d++)
		h = (h ^ (unsigned char)*d) * 16777619u;
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	/* abstract: sun_path[0] is NUL */
	n = snprintf(sun->sun_path + 1, sizeof sun->sun_path - 1,
	    "berth-step-%u-%08x-%u.%u", (unsigned)uid, h, job, step);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)n);
}

struct attach *
attach_open(uint32_t job, uint32_t step, uint32_t ntasks, const char *node)
{
	struct sockaddr_un sun;
	socklen_t len = attach_addr(&sun, getuid(), job, step);
	struct attach *a;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return NULL;
	if (bind(fd, (struct sockaddr *)&sun, len) == -1 ||
	    listen(fd, 8) == -1) {
		close(fd);
		return NULL;
	}
	a = xcalloc(1, sizeof *a);
	a->lfd = fd;
	a->ntasks = ntasks;
	a->node = xstrdup(node);
	for (int i = 0; i < ATTACH_CLIENTS; i++)
		a->c[i].fd = -1;
	return a;
}

static void
drop(struct attach_client *c)
{
	close(c->fd);
	c->fd = -1;
	buf_free(&c->out);
	buf_free(&c->in);
}

static void
queue(struct attach_client *c, int type, uint32_t task, const void *p,
    size_t n)
{
	char hdr[ATTACH_HDR];

	if (c->out.len + n > ATTACH_QUEUE) {
		drop(c);
		return;
	}
	hdr[0] = (char)type;
	put_u32(hdr + 1, task);
	put_u32(hdr + 5, (uint32_t)n);
	buf_add(&c->out, hdr, sizeof hdr);
	if (n > 0)
		buf_add(&c->out, p, n);
}

static void
flush(struct attach_client *c)
{
	ssize_t n;

	while (c->fd != -1 && c->out.len > 0) {
		n = write(c->fd, c->out.data, c->out.len);
		if (n > 0)
			buf_consume(&c->out, (size_t)n);
		else if (n == -1 && errno == EINTR)
			continue;
		else {
			if (n == -1 && errno != EAGAIN)
				drop(c);
			return;
		}
	}
}

void
attach_send(struct attach *a, int type, uint32_t task, const void *p,
    size_t n)
{
	if (a == NULL)
		return;
	for (int i = 0; i < ATTACH_CLIENTS; i++) {
		if (a->c[i].fd == -1)
			continue;
		while (n > ATTACH_MAX) {
			queue(&a->c[i], type, task, p, ATTACH_MAX);
			p = (const char *)p + ATTACH_MAX;
			n -= ATTACH_MAX;
		}
		if (a->c[i].fd != -1)
			queue(&a->c[i], type, task, p, n);
		flush(&a->c[i]);
	}
}

int
attach_pollfds(struct attach *a, struct pollfd *pfd, int max)
{
	int n = 0;

	if (a == NULL || max < 1)
		return 0;
	pfd[n].fd = a->lfd;
	pfd[n++].events = POLLIN;
	for (int i = 0; i < ATTACH_CLIENTS && n < max; i++) {
		if (a->c[i].fd == -1)
			continue;
		pfd[n].fd = a->c[i].fd;
		pfd[n++].events = POLLIN | (a->c[i].out.len > 0 ? POLLOUT : 0);
	}
	return n;
}

static void
accept_one(struct attach *a)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd;

	fd = accept4(a->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    (cred.uid != getuid() && cred.uid != 0)) {
		close(fd);
		return;
	}
	for (int i = 0; i < ATTACH_CLIENTS; i++) {
		if (a->c[i].fd != -1)
			continue;
		a->c[i].fd = fd;
		buf_init(&a->c[i].out);
		buf_init(&a->c[i].in);
		queue(&a->c[i], ATTACH_HELLO, a->ntasks, a->node,
		    strlen(a->node));
		flush(&a->c[i]);
		return;
	}
	close(fd);	/* too many */
}

/* Input records from a client. */
static void
read_client(struct attach_client *c, attach_input_fn fn, void *arg)
{
	char data[16384];
	ssize_t n = read(c->fd, data, sizeof data);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c);
		return;
	}
	buf_add(&c->in, data, (size_t)n);
	while (c->in.len >= 8) {
		uint32_t task = get_u32(c->in.data);
		uint32_t len = get_u32(c->in.data + 4);

		if (len > ATTACH_MAX) {
			drop(c);
			return;
		}
		if (c->in.len < 8 + (size_t)len)
			break;
		fn(arg, task, c->in.data + 8, len);
		buf_consume(&c->in, 8 + (size_t)len);
	}
}

int
attach_event(struct attach *a, int fd, short revents, attach_input_fn fn,
    void *arg)
{
	if (a == NULL)
		return 0;
	if (fd == a->lfd) {
		accept_one(a);
		return 1;
	}
	for (int i = 0; i < ATTACH_CLIENTS; i++) {
		struct attach_client *c = &a->c[i];

		if (c->fd != fd)
			continue;
		if (revents & POLLOUT)
			flush(c);
		if (c->fd != -1 && (revents & (POLLIN | POLLHUP | POLLERR)))
			read_client(c, fn, arg);
		return 1;
	}
	return 0;
}

void
attach_close(struct attach *a)
{
	if (a == NULL)
		return;
	for (int i = 0; i < ATTACH_CLIENTS; i++) {
		struct attach_client *c = &a->c[i];
		int64_t until = mono_msec() + 1000;

		if (c->fd == -1)
			continue;
		queue(c, ATTACH_END, 0, NULL, 0);
		while (c->fd != -1 && c->out.len > 0 && mono_msec() < until) {
			struct pollfd p = { c->fd, POLLOUT, 0 };

			(void)poll(&p, 1, 100);
			flush(c);
		}
		if (c->fd != -1)
			drop(c);
	}
	close(a->lfd);
	free(a->node);
	free(a);
}
