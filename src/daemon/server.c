/* SPDX-License-Identifier: MIT */
/*
 * The listening socket and client connections.  Each client is identified
 * by SO_PEERCRED at accept time.  Input is framed (proto_unframe); a bad
 * frame closes that connection only.  Replies are appended to the client's
 * out-buffer and written by server_flush_all() after the iteration's
 * commit; a client that cannot take them all at once gets EPOLLOUT.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/errors.h"
#include "../proto/proto.h"
#include "daemon.h"

#define CLIENT_MAX_IN	(PROTO_MAX_FRAME + 64)

static void	client_free(struct client *);
static void	in_take(struct buf *);
static void	in_give(struct buf *);

int
server_listen(char **cause)
{
	struct sockaddr_un sun;
	struct epoll_event ee;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(D->socket_path) >= sizeof sun.sun_path) {
		xasprintf(cause, "socket path too long: %s", D->socket_path);
		return -1;
	}
	strcpy(sun.sun_path, D->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	/* We hold the state lock: any socket file here is stale. */
	if (unlink(D->socket_path) == -1 && errno != ENOENT) {
		xasprintf(cause, "unlink %s: %s", D->socket_path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    chmod(D->socket_path, 0700) == -1 || listen(fd, 512) == -1) {
		xasprintf(cause, "bind/listen %s: %s", D->socket_path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	D->listenfd = fd;
	D->listen_ev.kind = EV_LISTEN;
	ee.events = EPOLLIN;
	ee.data.ptr = &D->listen_ev;
	if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		xasprintf(cause, "epoll_ctl listen: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void	client_read(struct client *);
static void	client_watch(struct client *);

void
server_accept(void)
{
	struct epoll_event ee;
	struct client *c;
	struct ucred cred;
	socklen_t len;
	int fd;

	for (;;) {
		fd = accept4(D->listenfd, NULL, NULL, SOCK_CLOEXEC |
		    SOCK_NONBLOCK);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("accept");
			return;
		}
		len = sizeof cred;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) ==
		    -1) {
			log_warn("getsockopt SO_PEERCRED");
			close(fd);
			continue;
		}
		c = xcalloc(1, sizeof *c);
		c->ev.kind = EV_CLIENT;
		c->fd = fd;
		c->events = EPOLLIN;
		c->uid = cred.uid;
		c->gid = cred.gid;
		c->pid = cred.pid;
		in_take(&c->in);
		buf_init(&c->out);
		ee.events = EPOLLIN;
		ee.data.ptr = c;
		if (epoll_ctl(D->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
			log_warn("epoll_ctl client");
			close(fd);
			free(c);
			continue;
		}
		TAILQ_INSERT_TAIL(&D->clients, c, entry);
		/* Clients write their request right after connecting: it is
		 * often here already, a wake-up of the loop earlier. */
		client_read(c);
	}
}

/*
 * One client's input buffer outlives it for the next: every client reads
 * into 64 KB of room, and allocating and freeing those 128 KB per request
 * made glibc consolidate its free lists each time (malloc_consolidate in
 * berthd's profile).  Only a buffer of the usual size is kept.
 */
static struct buf in_spare;

static void
in_take(struct buf *b)
{
	*b = in_spare;
	buf_init(&in_spare);
}

static void
in_give(struct buf *b)
{
	if (in_spare.data == NULL && b->cap <= 128 * 1024) {
		buf_reset(b);
		in_spare = *b;
		buf_init(b);
	}
	buf_free(b);
}

static void
client_free(struct client *c)
{
	alloc_client_gone(c);
	TAILQ_REMOVE(&D->clients, c, entry);
	/* Not left to the close: a child spawned a moment ago may still
	 * hold a copy until its exec closes it, and the epoll set would
	 * keep the socket, with c, until then. */
	if (epoll_ctl(D->epfd, EPOLL_CTL_DEL, c->fd, NULL) == -1)
		log_warn("epoll_ctl del client fd %d", c->fd);
	close(c->fd);
	/* Every client's input has room for 64 KB reads (128 KB): only
	 * more than that, or a large reply, is worth a trim. */
	if (c->in.cap > 128 * 1024 || c->out.cap >= 128 * 1024)
		idle_trim_due();
	in_give(&c->in);
	buf_free(&c->out);
	free(c);
}

static void
client_read(struct client *c)
{
	struct msg m;
	uint16_t type;
	uint32_t errcode;
	ssize_t n;
	int r;

	for (;;) {
		buf_reserve(&c->in, 65536);
		n = read(c->fd, c->in.data + c->in.len,
		    c->in.cap - c->in.len - 1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			log_debug("read client pid %ld: %s", (long)c->pid,
			    strerror(errno));
			c->closing = true;
			buf_reset(&c->out);
			c->out_off = 0;
			return;
		}
		if (n == 0) {
			/* Peer closed; a pending wait has no one to tell.  It
			 * is no longer watched for input from the end of this
			 * iteration on (server_flush_all()), if it is still
			 * there: usually its reply goes out and it is freed
			 * then. */
			c->closing = true;
			c->wait_job = 0;
			break;
		}
		c->in.len += (size_t)n;
		if (c->in.len > CLIENT_MAX_IN)
			break;
	}
	msg_init(&m);
	while (!c->closing || c->in.len > 0) {
		r = proto_unframe(&c->in, &type, &m, &errcode);
		if (r == 0)
			break;
		if (r == -1) {
			log_warnx("client pid %ld uid %u: bad frame (%s); "
			    "closing its connection", (long)c->pid,
			    (unsigned)c->uid, berth_strerror(errcode));
			client_error(c, errcode, NULL);
			c->closing = true;
			buf_reset(&c->in);
			break;
		}
		dispatch(c, type, &m);
	}
	msg_free(&m);
}

void
server_client_event(struct client *c, uint32_t events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		client_read(c);
	/* A hang-up is reported whatever we wait for: try the output, whose
	 * failure frees the client, rather than be woken for it again. */
	if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		c->dirty = true;
}

void
client_reply(struct client *c, uint16_t type, const struct msg *m)
{
	proto_frame(&c->out, type, m);
	c->dirty = true;
}

void
client_reply_frame(struct client *c, uint16_t type, struct msg *m)
{
	proto_frame_close(m, type);
	if (c->out.len == 0) {
		/* Take the frame's buffer instead of copying megabytes. */
		struct buf tmp = c->out;

		c->out = m->b;
		c->out_off = 0;
		m->b = tmp;
	} else
		buf_add(&c->out, m->b.data, m->b.len);
	c->dirty = true;
}

void
client_error(struct client *c, uint32_t code, const char *text)
{
	struct msg m;

	msg_init(&m);
	msg_put_u32(&m, code);
	msg_put_str(&m, text != NULL ? text : berth_strerror(code));
	client_reply(c, MSG_ERROR, &m);
	msg_free(&m);
}

/*
 * What to wait for on a client: input until it has closed its side (its
 * end of file stays readable, and level-triggered EPOLLIN would wake us
 * at every turn until the reply is out: a one-request client shuts its
 * side down right after the request), and room for output while some
 * is left.
 */
static void
client_watch(struct client *c)
{
	struct epoll_event ee;
	uint32_t ev;

	ev = (c->closing ? 0 : EPOLLIN) | (c->out.len > 0 ? EPOLLOUT : 0);
	if (ev == c->events)
		return;
	c->events = ev;
	ee.events = ev;
	ee.data.ptr = c;
	if (epoll_ctl(D->epfd, EPOLL_CTL_MOD, c->fd, &ee) == -1)
		log_warn("epoll_ctl mod client");
}

/* Write what we can; a large reply goes out over several turns without
 * moving its remaining bytes around (out_off marks progress). */
static void
client_flush(struct client *c)
{
	ssize_t n;

	while (c->out_off < c->out.len) {
		n = write(c->fd, c->out.data + c->out_off,
		    c->out.len - c->out_off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			log_debug("write client pid %ld: %s", (long)c->pid,
			    strerror(errno));
			buf_reset(&c->out);
			c->out_off = 0;
			c->closing = true;
			c->wait_job = 0;
			break;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out.len) {
		/* A listing's parts went through here: once idle, give
		 * back what they used. */
		if (c->out.cap >= 128 * 1024)
			idle_trim_due();
		/* All sent: drop a big buffer rather than keep it. */
		if (c->out.cap > 1024 * 1024)
			buf_free(&c->out);
		else
			buf_reset(&c->out);
		c->out_off = 0;
	}
	c->dirty = false;
}

/* Whether a reply was staged since the last server_flush_all(). */
bool
server_output_pending(void)
{
	struct client *c;

	TAILQ_FOREACH(c, &D->clients, entry)
		if (c->dirty)
			return true;
	return false;
}

void
client_reply_part(struct client *c, uint16_t type, struct msg *m)
{
	client_reply_frame(c, type, m);
	if (!store_in_txn(D->store) && !c->closing) {
		client_flush(c);
		client_watch(c);
	}
}

void
server_flush_all(void)
{
	struct client *c, *next;

	for (c = TAILQ_FIRST(&D->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dirty)
			client_flush(c);
		if (c->closing && c->out.len == 0 && c->wait_job == 0)
			client_free(c);
		else
			client_watch(c);	/* no system call if unchanged */
	}
}

void
server_close_all(void)
{
	struct client *c;

	server_flush_all();
	while ((c = TAILQ_FIRST(&D->clients)) != NULL)
		client_free(c);
	if (D->listenfd != -1) {
		close(D->listenfd);
		unlink(D->socket_path);
	}
}
