/* SPDX-License-Identifier: MIT */
/*
 * The client side of the protocol: find the socket, start the daemon when
 * none answers (like tmux), send a request frame and read reply frames.
 *
 * Autostart: when connect fails with ENOENT or ECONNREFUSED, the client runs
 * `berthd` (found beside this binary as ../sbin/berthd) and waits for it to
 * exit: berthd's parent exits only once the socket listens, or at once with
 * status 3 when another berthd holds the state lock, in which case we retry
 * connecting while that daemon finishes starting.  Two racing clients thus
 * never start two daemons.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/passwd.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/step.h"
#include "cli.h"

extern char **environ;

struct client {
	int		fd;
	struct buf	in;
};

/*
 * The two paths are kept on the heap, not in static PATH_MAX buffers:
 * a start of sbatch touches fewer pages so (its .bss fits in one).
 */
const char *
berth_state_dir(void)
{
	static char *dir;
	const char *e, *home;
	struct passwd_ent pe = { 0 };

	if (dir != NULL)
		return dir;
	if ((e = getenv("BERTH_STATE_DIR")) != NULL && *e != '\0')
		dir = xstrdup(e);
	else if ((e = getenv("XDG_STATE_HOME")) != NULL && *e == '/')
		dir = xprintf("%s/berth", e);
	else {
		/* No getpwuid(): this binary links statically (no NSS). */
		home = getenv("HOME");
		if ((home == NULL || *home == '\0') &&
		    passwd_find(PASSWD_FILE, NULL, getuid(), &pe) == 0)
			home = pe.dir;
		dir = xprintf("%s/.local/state/berth",
		    home != NULL ? home : "/tmp");
		passwd_ent_free(&pe);
	}
	return dir;
}

const char *
berth_socket_path(void)
{
	static const char sock[] = "/berthd.sock";
	static char *path;
	const char *e, *dir;
	size_t n;

	if (path != NULL)
		return path;
	if ((e = getenv("BERTH_SOCKET")) != NULL && *e != '\0')
		path = xstrdup(e);
	else {
		/* <dir>/berthd.sock, without printf (each sbatch asks) */
		dir = berth_state_dir();
		n = strlen(dir);
		path = xmalloc(n + sizeof sock);
		memcpy(path, dir, n);
		memcpy(path + n, sock, sizeof sock);
	}
	return path;
}

static int
try_connect(const char *path, int *err)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		*err = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

/* Run berthd and wait for its parent to exit.  Returns its exit status. */
static int
start_daemon(char **cause)
{
	char *dir, *path;
	char *argv[3];
	pid_t pid;
	int st, rc;

	dir = self_dir();
	xasprintf(&path, "%s/../sbin/berthd", dir);
	free(dir);
	if (access(path, X_OK) == -1) {
		free(path);
		path = xstrdup("berthd");
	}
	argv[0] = path;
	argv[1] = NULL;
	rc = posix_spawnp(&pid, path, NULL, NULL, argv, environ);
	if (rc != 0) {
		xasprintf(cause, "cannot start berthd (%s): %s", path,
		    strerror(rc));
		free(path);
		return -1;
	}
	free(path);
	while (waitpid(pid, &st, 0) == -1) {
		if (errno != EINTR) {
			xasprintf(cause, "waitpid berthd: %s", strerror(errno));
			return -1;
		}
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

struct client *
client_open(char **cause)
{
	struct client *c;
	const char *path = berth_socket_path();
	int fd, err = 0, rc;
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	fd = try_connect(path, &err);
	if (fd == -1 && (err == ENOENT || err == ECONNREFUSED) &&
	    getenv("BERTH_NO_AUTOSTART") == NULL) {
		rc = start_daemon(cause);
		if (rc == -1)
			return NULL;
		if (rc != 0 && rc != 3) {
			xasprintf(cause, "berthd failed to start (exit %d); "
			    "see %s/berthd.log", rc, berth_state_dir());
			return NULL;
		}
		/* Another daemon won the race: it is finishing its start. */
		for (int i = 0; i < 1000; i++) {
			fd = try_connect(path, &err);
			if (fd != -1 || (err != ENOENT && err != ECONNREFUSED))
				break;
			nanosleep(&ts, NULL);
		}
	}
	if (fd == -1) {
		xasprintf(cause, "Unable to contact berth daemon at %s: %s",
		    path, strerror(err));
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	buf_init(&c->in);
	return c;
}

void
client_close(struct client *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	buf_free(&c->in);
	free(c);
}

/*
 * A reply is read into one buffer of its frame's size (known from the
 * header), which the payload then takes over without a copy: replies
 * listing many jobs are megabytes.
 */
int
client_recv(struct client *c, uint16_t *rtype, struct msg *resp, char **cause)
{
	uint32_t errcode;
	size_t want;
	ssize_t n;
	int r;

	for (;;) {
		r = proto_unframe_take(&c->in, rtype, resp, &errcode);
		if (r == 1)
			return 0;
		if (r == -1) {
			xasprintf(cause, "bad reply from berth daemon: %s",
			    berth_strerror(errcode));
			return -1;
		}
		want = proto_frame_missing(&c->in);
		buf_reserve(&c->in, want > 0 ? want : 65536);
		n = read(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "berth daemon closed the connection%s%s",
			    n == -1 ? ": " : "", n == -1 ? strerror(errno) : "");
			return -1;
		}
		c->in.len += (size_t)n;
		c->in.data[c->in.len] = '\0';
	}
}

/* All of iov[0..n-1], or -1 with errno set. */
static int
writev_full(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = writev(fd, iov, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; n > 0 && (size_t)w >= iov->iov_len; iov++, n--)
			w -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * Send one request: its frame's header, then the payload from where it
 * was built, not both copied into one buffer first (for sbatch that copy
 * was the size of its environment, and a page fault per 4 KB of it).
 * last: it is the connection's only one, so shut our side down for
 * writing too: the daemon then reads the end of file with the request
 * and closes its side once the reply is out, instead of waking up once
 * more for it (a tenth of its wake-ups per sbatch).
 */
static int
client_send(struct client *c, uint16_t type, const struct msg *req,
    bool last, char **cause)
{
	uint8_t h[PROTO_HDR_LEN];
	struct iovec iov[2];
	size_t plen = req != NULL ? req->b.len : 0;
	int rc;

	proto_frame_header(h, type, plen);
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof h;
	iov[1].iov_base = plen > 0 ? req->b.data : NULL;
	iov[1].iov_len = plen;
	rc = writev_full(c->fd, iov, plen > 0 ? 2 : 1);
	if (rc == -1 || (last && shutdown(c->fd, SHUT_WR) == -1)) {
		xasprintf(cause, "write to berth daemon: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
client_call(struct client *c, uint16_t type, const struct msg *req,
    uint16_t *rtype, struct msg *resp, char **cause)
{
	if (client_send(c, type, req, false, cause) == -1)
		return -1;
	return client_recv(c, rtype, resp, cause);
}

int
client_request(uint16_t type, const struct msg *req, uint16_t *rtype,
    struct msg *resp, uint32_t *errcode, char **errtext)
{
	struct client *c;
	char *cause = NULL;

	if ((c = client_open(&cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		return -1;
	}
	if (client_send(c, type, req, true, &cause) == -1 ||
	    client_recv(c, rtype, resp, &cause) == -1) {
		cli_err("%s", cause);
		free(cause);
		client_close(c);
		return -1;
	}
	client_close(c);
	if (*rtype == MSG_ERROR) {
		*errcode = msg_get_u32(resp);
		*errtext = msg_get_str(resp);
		if (*errtext == NULL)
			*errtext = xstrdup(berth_strerror(*errcode));
		return 1;
	}
	return 0;
}

bool
client_retry_wait(unsigned *n, unsigned retries, const char *note)
{
	if (*n >= retries)
		return false;
	if (*n == 0)
		cli_err("%s", note);
	sleep(++*n);
	return true;
}

int
client_request_retry(uint16_t type, const struct msg *req, uint16_t *rtype,
    struct msg *resp, uint32_t *errcode, char **errtext, const char *note,
    unsigned retries)
{
	unsigned n = 0;
	int r;

	for (;;) {
		r = client_request(type, req, rtype, resp, errcode, errtext);
		if (r != 1 || *errcode != BERTH_EAGAIN || n >= retries)
			return r;
		free(*errtext);
		*errtext = NULL;
		msg_free(resp);
		msg_init(resp);
		(void)client_retry_wait(&n, retries, note);
	}
}

int
client_request_list(uint16_t type, const struct msg *req, struct job_list *jl,
    uint32_t *errcode, char **errtext)
{
	return client_request_list_some(type, req, 0, NULL, NULL, jl, errcode,
	    errtext);
}

/*
 * The next frame of a listing, read into the connection's buffer and
 * left there: *view reads it in place, until client_recv_drop() drops it.
 * The parts of a long listing (128 KB each) so come one after another
 * into the same pages, not each into a fresh buffer (a page fault per
 * 4 KB read: a third of squeue's faults over 10,000 jobs).  *view must
 * not be given to msg_free().
 */
static int
client_recv_view(struct client *c, uint16_t *rtype, struct msg *view,
    char **cause)
{
	const uint8_t *p;
	uint32_t len;
	size_t want;
	ssize_t n;

	for (;;) {
		p = (const uint8_t *)c->in.data;
		if (c->in.len >= PROTO_HDR_LEN) {
			len = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
			    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
			if (len < 4 || len > PROTO_MAX_FRAME ||
			    (p[4] | p[5] << 8) != PROTO_VERSION) {
				xasprintf(cause, "bad reply from berth daemon: "
				    "%s", berth_strerror(len < 4 ||
				    len > PROTO_MAX_FRAME ? BERTH_EPROTO :
				    BERTH_EVERSION));
				return -1;
			}
			if (c->in.len >= (size_t)len + 4) {
				*rtype = (uint16_t)(p[6] | p[7] << 8);
				msg_init(view);
				view->b.data = c->in.data;
				view->b.len = (size_t)len + 4;
				view->pos = PROTO_HDR_LEN;
				return 0;
			}
		}
		/* No more than the frame lacks (64 KB while its header is
		 * not there): reading ahead would spread the frames over
		 * more pages than the largest one. */
		want = proto_frame_missing(&c->in);
		if (want == 0)
			want = 65536;
		buf_reserve(&c->in, want);
		n = read(c->fd, c->in.data + c->in.len, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			xasprintf(cause, "berth daemon closed the "
			    "connection%s%s", n == -1 ? ": " : "",
			    n == -1 ? strerror(errno) : "");
			return -1;
		}
		c->in.len += (size_t)n;
		c->in.data[c->in.len] = '\0';
	}
}

/* Drop the frame client_recv_view() gave. */
static void
client_recv_drop(struct client *c, struct msg *view)
{
	buf_consume(&c->in, view->b.len);
	msg_init(view);
}

int
client_request_list_some(uint16_t type, const struct msg *req, uint64_t skip,
    client_list_fn *each, void *arg, struct job_list *jl, uint32_t *errcode,
    char **errtext)
{
	struct client *c;
	struct msg resp;
	char *cause = NULL;
	uint16_t rtype;
	int rc = -1;

	memset(jl, 0, sizeof *jl);
	if ((c = client_open(&cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		return -1;
	}
	msg_init(&resp);
	if (client_send(c, type, req, false, &cause) == -1 ||
	    client_recv_view(c, &rtype, &resp, &cause) == -1)
		goto fail;
	/* Parts come only for long listings: room for many at once. */
	if (rtype == MSG_JOB_LIST_PART && job_list_expect(jl, 65536) == -1)
		goto bad;
	while (rtype == MSG_JOB_LIST_PART) {
		if (proto_job_list_add_some(&resp, jl, skip) == -1)
			goto bad;
		if (each != NULL)
			each(arg, jl, false);
		client_recv_drop(c, &resp);
		if (client_recv_view(c, &rtype, &resp, &cause) == -1)
			goto fail;
	}
	if (rtype == MSG_ERROR) {
		*errcode = msg_get_u32(&resp);
		*errtext = msg_get_str(&resp);
		if (*errtext == NULL)
			*errtext = xstrdup(berth_strerror(*errcode));
		rc = 1;
		goto out;
	}
	if (rtype != MSG_JOB_LIST) {
		cli_err("unexpected reply %u to %s", rtype,
		    type == MSG_ACCT_QUERY ? "an accounting query" :
		    "a job query");
		goto out;
	}
	if (proto_job_list_add_some(&resp, jl, skip) == -1)
		goto bad;
	if (each != NULL)
		each(arg, jl, true);
	rc = 0;
	goto out;

bad:
	cli_err("malformed job list from the daemon");
	goto out;
fail:
	cli_err("%s", cause);
	free(cause);
out:
	if (rc != 0)
		job_list_free(jl);
	client_close(c);
	return rc;
}

struct step *
client_steps(uint32_t *ids, uint32_t nids, size_t *n)
{
	struct job_filter f;
	struct msg req, resp;
	struct step *v = NULL;
	uint16_t rtype;
	uint32_t errcode = 0, count;
	char *errtext = NULL;
	int rc;

	*n = 0;
	memset(&f, 0, sizeof f);
	f.ids = ids;
	f.nids = nids;
	msg_init(&req);
	proto_filter_put(&req, &f);
	msg_init(&resp);
	rc = client_request(MSG_STEP_QUERY, &req, &rtype, &resp, &errcode,
	    &errtext);
	msg_free(&req);
	free(errtext);
	if (rc != 0 || rtype != MSG_STEP_LIST) {
		msg_free(&resp);
		return NULL;
	}
	count = msg_get_u32(&resp);
	if (!resp.err && count <= resp.b.len / 8) {
		v = xcalloc((size_t)count + 1, sizeof *v);
		for (uint32_t i = 0; i < count; i++) {
			if (proto_step_get(&resp, &v[i]) == -1)
				break;
			(*n)++;
		}
	}
	msg_free(&resp);
	return v;
}

int
client_submitted(struct msg *resp, const struct job_desc *d, uint32_t *id)
{
	char *part = NULL, *node = NULL, when[64];
	uint32_t ncpus = d->job.ncpus;
	int64_t start = 0;
	time_t tt;
	struct tm tm;

	*id = msg_get_u32(resp);
	if (msg_remaining(resp)) {
		start = msg_get_i64(resp);
		ncpus = msg_get_u32(resp);
		part = msg_get_str(resp);
		node = msg_get_str(resp);
	}
	if (resp->err) {
		free(part);
		free(node);
		return -1;
	}
	if (d->test_only) {
		/* Slurm's slurm_make_time_str: "Unknown" for 0. */
		tt = (time_t)start;
		if (start == 0 || localtime_r(&tt, &tm) == NULL ||
		    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			snprintf(when, sizeof when, "Unknown");
		cli_warn("Job %u to start at %s using %u processors on nodes "
		    "%s in partition %s", *id, when, ncpus,
		    node != NULL ? node : short_hostname(),
		    part != NULL ? part : d->job.partition != NULL ?
		    d->job.partition : "(null)");
	}
	free(part);
	free(node);
	return 0;
}

/* The number of a user the daemon knows, for messages; NO_VAL if unknown. */
static uint32_t
user_number(const char *user, const struct job_list *jl)
{
	struct passwd_ent pe;
	uint32_t uid;

	if (parse_u32(user, &uid) == 0)
		return uid;
	if (jl->n > 0)
		return jl->jobs[0].uid;	/* the query asked for user's jobs */
	if (passwd_find(PASSWD_FILE, user, 0, &pe) == -1)
		return NO_VAL;
	uid = pe.uid;
	passwd_ent_free(&pe);
	return uid;
}

int
client_user_known(const char *user, uint32_t *uid, char **cause)
{
	struct client *c;
	struct job_filter f;
	struct job_list jl;
	struct msg req, resp;
	char *users[2] = { (char *)user, NULL };
	uint32_t none = 0, code;
	uint16_t rtype;
	int rc = -1;

	/* Without uid, ask for job 0, which never exists: an empty list. */
	memset(&f, 0, sizeof f);
	f.users = users;
	f.flags = FILTER_F_ALL_STATES;
	if (uid == NULL) {
		f.ids = &none;
		f.nids = 1;
	}
	if ((c = client_open(cause)) == NULL)
		return -1;
	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &f);
	if (client_call(c, MSG_JOB_QUERY, &req, &rtype, &resp, cause) == -1)
		goto out;
	if (rtype == MSG_ERROR) {
		code = msg_get_u32(&resp);
		if (code == BERTH_EUSER)
			rc = 0;
		else
			*cause = xstrdup(berth_strerror(code));
		goto out;
	}
	if (rtype != MSG_JOB_LIST || proto_job_list_get(&resp, &jl) == -1) {
		*cause = xstrdup(berth_strerror(BERTH_EPROTO));
		goto out;
	}
	rc = 1;
	if (uid != NULL)
		*uid = user_number(user, &jl);
	job_list_free(&jl);
out:
	msg_free(&req);
	msg_free(&resp);
	client_close(c);
	return rc;
}
