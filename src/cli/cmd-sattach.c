// SPDX-License-Identifier: MIT
/*
 * sattach: attach to a running job step.  It connects to the attach
 * socket of the step's srun (attach.h), prints the tasks' output as it
 * comes (stdout and stderr apart; -l puts "N: " before each line; the
 * filters keep one task's), sends its standard input to the tasks (all,
 * or --input-filter's), and ends when the step does, with the highest exit
 * code of the tasks it saw end ("sattach: error: task 0 exited with exit
 * code 1", as Slurm's sattach).  --layout prints the step's layout and
 * exits.
 *
 * A step that cannot be reached: Slurm's "Could not get job step info:"
 * with the reason the daemon gives (its step list says whether the step
 * ended), exit 1.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/step.h"
#include "attach.h"
#include "cli.h"

struct sattach {
	uint32_t	 job, step;
	int64_t		 in_task, out_task, err_task;	/* -1: all */
	bool		 label, layout, quiet;
	uint32_t	 ntasks;
	int		 width;
	struct buf	*lines;		/* 2 per task, for -l */
	int		 rc;
};

static const struct option longopts[] = {
	{ "error-filter", required_argument, NULL, 'E' },
	{ "help", no_argument, NULL, 'h' },
	{ "input-filter", required_argument, NULL, 'I' },
	{ "label", no_argument, NULL, 'l' },
	{ "layout", no_argument, NULL, 'L' },
	{ "output-filter", required_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'Q' },
	{ "usage", no_argument, NULL, 'U' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "Usage: sattach [options] <jobid.stepid>\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	    "      --error-filter=taskid  only print stderr from the "
	    "specified task\n"
	    "      --input-filter=taskid  send stdin to only the specified "
	    "task\n"
	    "  -l, --label                prepend task number to lines of "
	    "stdout & stderr\n"
	    "      --layout               print task layout info and exit "
	    "(does not attach to tasks)\n"
	    "      --output-filter=taskid only print stdout from the "
	    "specified task\n"
	    "  -Q, --quiet                quiet mode (suppress informational "
	    "messages)\n"
	    "  -v, --verbose              verbose mode\n"
	    "\nHelp options:\n"
	    "  -h, --help                 show this help message\n"
	    "      --usage                display brief usage message\n"
	    "  -V, --version              output version information and "
	    "exit\n");
}

static int
task_arg(const char *v, int64_t *out)
{
	uint32_t n;

	if (parse_u32(v, &n) == -1) {
		cli_err("Invalid task id: %s", v);
		return -1;
	}
	*out = n;
	return 0;
}

/* Why the step cannot be reached, in Slurm's words. */
static void
not_reachable(const struct sattach *a)
{
	struct job_filter f;
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code, n;
	char *text = NULL;
	const char *why = berth_strerror(BERTH_EINVALID_JOB);

	memset(&f, 0, sizeof f);
	f.ids = (uint32_t *)(uintptr_t)&a->job;
	f.nids = 1;
	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &f);
	if (client_request(MSG_STEP_QUERY, &req, &rtype, &resp, &code,
	    &text) == 0 && rtype == MSG_STEP_LIST) {
		n = msg_get_u32(&resp);
		for (uint32_t i = 0; i < n && !resp.err; i++) {
			struct step s;

			if (proto_step_get(&resp, &s) == -1)
				break;
			if (s.step_id == a->step && s.state != JOB_RUNNING)
				why = berth_strerror(BERTH_EALREADY_DONE);
			step_free(&s);
		}
	}
	free(text);
	msg_free(&req);
	msg_free(&resp);
	cli_err("Could not get job step info: %s", why);
}

static void
out_data(struct sattach *a, int type, uint32_t task, const char *p,
    size_t n, bool eof)
{
	int fd = type == ATTACH_STDERR ? 2 : 1;
	int64_t filter = type == ATTACH_STDERR ? a->err_task : a->out_task;
	struct buf *line;

	if (filter >= 0 && filter != task)
		return;
	if (!a->label || task >= a->ntasks) {
		(void)write_full(fd, p, n);
		return;
	}
	line = &a->lines[2 * task + (fd == 2)];
	buf_add(line, p, n);
	for (;;) {
		char *nl = memchr(line->data, '\n', line->len);
		size_t len;
		struct buf out;

		if (nl == NULL && !(eof && line->len > 0))
			break;
		len = nl != NULL ? (size_t)(nl - line->data) + 1 : line->len;
		buf_init(&out);
		buf_printf(&out, "%*u: ", a->width, task);
		buf_add(&out, line->data, len);
		(void)write_full(fd, out.data, out.len);
		buf_free(&out);
		buf_consume(line, len);
	}
}

/* One record from srun; returns 1 at ATTACH_END. */
static int
record(struct sattach *a, int type, uint32_t task, const char *p, size_t n)
{
	switch (type) {
	case ATTACH_HELLO:
		a->ntasks = task;
		a->lines = xcalloc(2 * (size_t)task + 2, sizeof *a->lines);
		for (uint32_t v = task > 0 ? task - 1 : 0;; v /= 10) {
			a->width++;
			if (v < 10)
				break;
		}
		if (a->layout) {
			printf("Job step layout:\n");
			printf("\t%u tasks, 1 nodes (%.*s)\n\n", task, (int)n,
			    p);
			printf("\tNode 0 (%.*s), %u task(s): ", (int)n, p,
			    task);
			for (uint32_t i = 0; i < task; i++)
				printf("%u ", i);
			printf("\n");
			return 1;
		}
		break;
	case ATTACH_STDOUT:
	case ATTACH_STDERR:
		out_data(a, type, task, p, n, false);
		break;
	case ATTACH_EXIT:
		if (n == 4) {
			const unsigned char *u = (const unsigned char *)p;
			int st = (int)((uint32_t)u[0] | (uint32_t)u[1] << 8 |
			    (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24);

			out_data(a, ATTACH_STDOUT, task, NULL, 0, true);
			out_data(a, ATTACH_STDERR, task, NULL, 0, true);
			if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
				cli_err("task %u exited with exit code %d",
				    task, WEXITSTATUS(st));
				if (WEXITSTATUS(st) > a->rc)
					a->rc = WEXITSTATUS(st);
			}
		}
		break;
	case ATTACH_END:
		return 1;
	}
	return 0;
}

static uint32_t
get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
	    (uint32_t)u[3] << 24;
}

static void
put_u32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)((v >> (8 * i)) & 0xff);
}

static int
attach(struct sattach *a)
{
	struct sockaddr_un sun;
	socklen_t len = attach_addr(&sun, getuid(), a->job, a->step);
	struct buf in;
	char data[65536];
	bool stdin_open = !a->layout;
	int fd, done = 0;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		cli_err("socket: %s", strerror(errno));
		return 1;
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1) {
		close(fd);
		not_reachable(a);
		return 1;
	}
	buf_init(&in);
	while (!done) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, stdin_open ? 2 : 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (stdin_open && p[1].revents != 0) {
			char hdr[8];

			n = read(0, data, sizeof data);
			if (n <= 0)
				stdin_open = false;
			else {
				put_u32(hdr, a->in_task >= 0 ?
				    (uint32_t)a->in_task : ATTACH_ALL);
				put_u32(hdr + 4, (uint32_t)n);
				if (write_full(fd, hdr, sizeof hdr) == -1 ||
				    write_full(fd, data, (size_t)n) == -1)
					stdin_open = false;
			}
		}
		if (p[0].revents == 0)
			continue;
		n = read(fd, data, sizeof data);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(&in, data, (size_t)n);
		while (in.len >= ATTACH_HDR && !done) {
			uint32_t rlen = get_u32(in.data + 5);

			if (rlen > ATTACH_MAX) {
				done = 1;
				break;
			}
			if (in.len < ATTACH_HDR + (size_t)rlen)
				break;
			done = record(a, in.data[0], get_u32(in.data + 1),
			    in.data + ATTACH_HDR, rlen);
			buf_consume(&in, ATTACH_HDR + (size_t)rlen);
		}
	}
	buf_free(&in);
	close(fd);
	return a->rc;
}

int
cmd_sattach(int argc, char **argv)
{
	struct sattach a;
	char *end;
	int c, rc;

	memset(&a, 0, sizeof a);
	a.in_task = a.out_task = a.err_task = -1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "+hlQvV", longopts, NULL)) != -1) {
		switch (c) {
		case 'E':
			if (task_arg(optarg, &a.err_task) == -1)
				return 1;
			break;
		case 'I':
			if (task_arg(optarg, &a.in_task) == -1)
				return 1;
			break;
		case 'O':
			if (task_arg(optarg, &a.out_task) == -1)
				return 1;
			break;
		case 'l':
			a.label = true;
			break;
		case 'L':
			a.layout = true;
			break;
		case 'Q':
			a.quiet = true;
			break;
		case 'v':
			break;
		case 'h':
			help();
			return 0;
		case 'U':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		default:
			fprintf(stderr, "Try \"sattach --help\" for more "
			    "information\n");
			return 1;
		}
	}
	if (optind != argc - 1) {
		cli_err(optind >= argc ? "Must specify a job step id" :
		    "Only one job step id allowed");
		usage(stderr);
		return 1;
	}
	errno = 0;
	a.job = (uint32_t)strtoul(argv[optind], &end, 10);
	if (end == argv[optind] || *end != '.' || errno != 0 ||
	    parse_u32(end + 1, &a.step) == -1 || a.job == 0) {
		cli_err("Invalid job step id: %s", argv[optind]);
		return 1;
	}
	rc = attach(&a);
	if (a.lines != NULL)
		for (uint32_t i = 0; i < 2 * a.ntasks + 2; i++)
			buf_free(&a.lines[i]);
	free(a.lines);
	return rc;
}
