/* SPDX-License-Identifier: MIT */
/*
 * scontrol: show job/node/partition/config, ping, version; hold, uhold,
 * release, requeue, requeuehold, top and update job (MSG_JOB_CONTROL, whose
 * rules live in daemon/rpc-control.c; the update words are parsed by
 * scontrol-update.c).
 *
 * Dispatch copies Slurm's _process_command()/_show_it(): a keyword or
 * entity matches when what the user typed is a prefix of its name at least
 * min_len characters long, compared without case, in table order ("sh"
 * is not "show", "j" is "jobs", "pa" is "partitions").  Adding a command
 * (hold, release, update, requeue) is one function and one line in
 * sc_cmds[].  Options may appear anywhere (GNU getopt permutes them), so
 * `scontrol show jobid -dd 12` works as in Slurm.  With no command,
 * commands are read from stdin after a "scontrol: " prompt.
 *
 * Exit status as Slurm: 0, or 1 once any command failed.  Messages keep
 * Slurm's wording ("slurm_load_jobs error: Invalid job id specified",
 * "Job 12_9 not found" for a task a known id does not have, "Node x not
 * found", "invalid entity:x for keyword:show "); a job that a
 * control command fails on gets "<error> for job <id>" (hold and release
 * add "slurm_suspend error: <error>" per argument, as Slurm's
 * scontrol_hold() caller does).
 *
 * -M/--clusters: berth's ClusterName (any case) or "all" is accepted;
 * other names get Slurm's errors and, when none is berth's, exit 1
 * before any command (clusters.c).
 * Differences: scontrol -u/--uid is accepted and ignored (the caller's
 * identity); entities other than
 * config, job(s)/jobid, node(s) and partition(s) are "invalid entity";
 * `update` of nodes, partitions, reservations or steps is refused with
 * "slurm_update error: Requested operation is presently disabled".
 */
#include "gnuopt.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/step.h"
#include "cli.h"
#include "scontrol.h"

struct sc {
	bool	 one_liner;
	bool	 details;
	int	 quiet;		/* 1 quiet (-Q), -1 verbose, 0 normal */
	int	 exit_code;
	bool	 quit;
	bool	 all;		/* -a: partitions hidden from the caller */
};

struct sc_cmd {
	const char	*name;
	size_t		 min_len;	/* shortest abbreviation accepted */
	void		(*fn)(struct sc *, int, char **);
	bool		 fixed;		/* Slurm compares exactly min_len
					 * characters: "holdu" is "hold" */
};

/* One job a control command names, and how messages name it. */
struct sc_target {
	uint32_t	 id;		/* 0: unknown (the daemon says so) */
	uint32_t	 task;		/* a task pending inside array record
					 * id, else NO_VAL */
	char		*label;		/* "12", "12_3" */
};

struct sc_entity {
	const char	*name;
	size_t		 min_len;
	void		(*fn)(struct sc *, const char *);
};

static void	 sc_ping(struct sc *, int, char **);
static void	 sc_reconfigure(struct sc *, int, char **);
static void	 sc_show(struct sc *, int, char **);
static void	 sc_version(struct sc *, int, char **);
static void	 sc_details(struct sc *, int, char **);
static void	 sc_oneliner(struct sc *, int, char **);
static void	 sc_quit(struct sc *, int, char **);
static void	 sc_help(struct sc *, int, char **);
static void	 sc_requeue(struct sc *, int, char **);
static void	 sc_hold(struct sc *, int, char **);
static void	 sc_top(struct sc *, int, char **);
static void	 sc_update(struct sc *, int, char **);

static void	 show_config(struct sc *, const char *);
static void	 show_job(struct sc *, const char *);
static void	 show_step(struct sc *, const char *);
static void	 show_node(struct sc *, const char *);
static void	 show_part(struct sc *, const char *);

static int	 parse_id_wrap(const char *, uint32_t *);
static int	 parse_job_id(const char *, uint32_t *, uint32_t *, bool);
static int	 show_job_id(const char *, uint32_t *, uint32_t *);
static int	 process(struct sc *, int, char **);
static void	 interactive(struct sc *);
static void	 usage(void);
static int	 request(struct sc *, uint16_t, const struct msg *, uint16_t,
		    struct msg *, const char *);
static bool	 ping_daemon(void);
static void	 print_ping(struct sc *, const char *);
static int	 load_nodes(struct sc *, struct node_info *,
		    struct part_info **, uint32_t *, const char *);
static void	 put_buf(struct buf *);
static int	 load_jobs(struct sc *, uint32_t, struct job_list *);
static void	 targets_free(struct sc_target *, size_t);
static int	 resolve_ids(struct sc *, const char *, struct sc_target **,
		    size_t *);
static int	 control(struct sc *, uint32_t, const struct sc_target *,
		    size_t, const struct sc_update *, uint32_t *);
static uint32_t	 report(struct sc *, const struct sc_target *, size_t,
		    const uint32_t *);
static const char *strip_job_prefix(const char *);

/* In Slurm's order: first match wins. */
static const struct sc_cmd sc_cmds[] = {
	{ "details", 1, sc_details, false },
	{ "exit", 2, sc_quit, false },
	{ "help", 2, sc_help, false },
	{ "oneliner", 1, sc_oneliner, false },
	{ "ping", 3, sc_ping, false },
	{ "quit", 4, sc_quit, false },
	{ "reconfigure", 3, sc_reconfigure, false },
	{ "requeue", 3, sc_requeue, false },
	{ "requeuehold", 11, sc_requeue, true },
	{ "hold", 4, sc_hold, true },		/* also holdu */
	{ "uhold", 5, sc_hold, true },
	{ "release", 3, sc_hold, false },
	{ "top", 3, sc_top, false },
	{ "show", 3, sc_show, false },
	{ "update", 1, sc_update, false },
	{ "version", 4, sc_version, false },
};

static const struct sc_entity sc_entities[] = {
	{ "config", 1, show_config },
	{ "jobs", 1, show_job },
	{ "jobid", 1, show_job },
	{ "nodes", 1, show_node },
	{ "partitions", 2, show_part },
	{ "partitionname", 2, show_part },
	{ "steps", 1, show_step },
};

static void
put_buf(struct buf *b)
{
	if (b->len > 0)		/* an empty buf may have no data yet */
		fwrite(b->data, 1, b->len, stdout);
	buf_reset(b);
}

/*
 * One request and its reply.  Returns 0 with resp loaded when the reply
 * is of type want; otherwise prints "<what>: <error>" (as slurm_perror)
 * and returns -1.
 */
static int
request(struct sc *sc, uint16_t type, const struct msg *req, uint16_t want,
    struct msg *resp, const char *what)
{
	uint16_t rtype;
	uint32_t code;
	char *text = NULL;
	int rc;

	rc = client_request(type, req, &rtype, resp, &code, &text);
	if (rc == -1) {
		sc->exit_code = 1;
		return -1;
	}
	if (rc == 1) {
		if (sc->quiet != 1)
			fprintf(stderr, "%s: %s\n", what, text);
		free(text);
		msg_free(resp);
		sc->exit_code = 1;
		return -1;
	}
	if (rtype != want) {
		if (sc->quiet != 1)
			fprintf(stderr, "%s: Unexpected message received\n",
			    what);
		msg_free(resp);
		sc->exit_code = 1;
		return -1;
	}
	return 0;
}

/* A keyword that takes no arguments got some: Slurm's message, exit 1. */
static bool
too_many(struct sc *sc, int argc, char **argv)
{
	if (argc <= 1)
		return false;
	sc->exit_code = 1;
	fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
	return true;
}

static void
sc_details(struct sc *sc, int argc, char **argv)
{
	if (too_many(sc, argc, argv))
		return;
	sc->details = true;
}

static void
sc_oneliner(struct sc *sc, int argc, char **argv)
{
	(void)too_many(sc, argc, argv);
	sc->one_liner = true;
}

static void
sc_quit(struct sc *sc, int argc, char **argv)
{
	(void)too_many(sc, argc, argv);
	sc->quit = true;
}

static void
sc_help(struct sc *sc, int argc, char **argv)
{
	(void)too_many(sc, argc, argv);
	usage();
}

static void
sc_version(struct sc *sc, int argc, char **argv)
{
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for %s keyword\n", argv[0]);
	}
	printf("%s\n", BERTH_VERSION_LINE);
}

/* Ping without starting a daemon: a DOWN daemon must stay down. */
static bool
ping_daemon(void)
{
	struct client *c;
	struct msg req, resp;
	uint16_t rtype;
	char *cause = NULL, *saved;
	bool up = false;

	saved = xstrdup0(getenv("BERTH_NO_AUTOSTART"));
	setenv("BERTH_NO_AUTOSTART", "1", 1);
	c = client_open(&cause);
	if (saved != NULL)
		setenv("BERTH_NO_AUTOSTART", saved, 1);
	else
		unsetenv("BERTH_NO_AUTOSTART");
	free(saved);
	if (c == NULL) {
		free(cause);
		return false;
	}
	msg_init(&req);
	msg_init(&resp);
	if (client_call(c, MSG_PING, &req, &rtype, &resp, &cause) == 0)
		up = rtype == MSG_OK;
	else
		free(cause);
	msg_free(&req);
	msg_free(&resp);
	client_close(c);
	return up;
}

static void
print_ping(struct sc *sc, const char *host)
{
	struct buf b;
	bool up;

	up = ping_daemon();
	buf_init(&b);
	scontrol_ping_line(&b, host != NULL ? host : short_hostname(), up);
	put_buf(&b);
	buf_free(&b);
	if (!up) {
		sc->exit_code = 1;
		if (getuid() == 0) {
			printf("*****************************************\n");
			printf("** RESTORE SLURMCTLD DAEMON TO SERVICE **\n");
			printf("*****************************************\n");
		}
	}
}

static void
sc_ping(struct sc *sc, int argc, char **argv)
{
	if (too_many(sc, argc, argv))
		return;
	print_ping(sc, NULL);
}

/* Re-read berth.conf in the daemon; silent on success, as Slurm. */
static void
sc_reconfigure(struct sc *sc, int argc, char **argv)
{
	struct msg req, resp;

	if (too_many(sc, argc, argv))
		return;
	msg_init(&req);
	msg_init(&resp);
	if (request(sc, MSG_RECONFIGURE, &req, MSG_OK, &resp,
	    "slurm_reconfigure error") == 0)
		msg_free(&resp);
	msg_free(&req);
}

static void
sc_show(struct sc *sc, int argc, char **argv)
{
	const char *tag, *val, *eq;
	size_t taglen;

	if (argc < 2) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "too few arguments for keyword:%s\n",
			    argv[0]);
		return;
	}
	if (argc > 3) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "too many arguments for keyword:%s\n",
			    argv[0]);
		return;
	}
	tag = argv[1];
	taglen = strlen(tag);
	if ((eq = strchr(tag, '=')) != NULL) {
		taglen = (size_t)(eq - tag);
		val = eq + 1;
	} else
		val = argc == 3 ? argv[2] : NULL;
	for (size_t i = 0; i < nitems(sc_entities); i++) {
		if (scontrol_abbrev(tag, taglen, sc_entities[i].name,
		    sc_entities[i].min_len)) {
			sc_entities[i].fn(sc, val);
			return;
		}
	}
	sc->exit_code = 1;
	if (sc->quiet != 1)
		fprintf(stderr, "invalid entity:%.*s for keyword:%s \n",
		    (int)taglen, tag, argv[0]);
}

static void
show_config(struct sc *sc, const char *val)
{
	struct msg req, resp;
	struct buf b;
	char **keys, **vals;
	const char *host = NULL;
	uint32_t n;

	(void)val;	/* Slurm 22.05 prints everything regardless */
	msg_init(&req);
	msg_init(&resp);
	if (request(sc, MSG_CONFIG_QUERY, &req, MSG_KV_LIST, &resp,
	    "slurm_load_ctl_conf error") == -1) {
		msg_free(&req);
		return;
	}
	msg_free(&req);
	n = msg_get_u32(&resp);
	if (resp.err || n > resp.b.len / 8) {
		fprintf(stderr, "slurm_load_ctl_conf error: %s\n",
		    berth_strerror(BERTH_EPROTO));
		sc->exit_code = 1;
		msg_free(&resp);
		return;
	}
	keys = xcalloc(n + 1, sizeof *keys);
	vals = xcalloc(n + 1, sizeof *vals);
	for (uint32_t i = 0; i < n; i++) {
		keys[i] = msg_get_str(&resp);
		vals[i] = msg_get_str(&resp);
		if (keys[i] != NULL && vals[i] != NULL &&
		    strcmp(keys[i], "SlurmctldHost[0]") == 0)
			host = vals[i];
	}
	if (msg_end(&resp) == -1) {
		fprintf(stderr, "slurm_load_ctl_conf error: %s\n",
		    berth_strerror(BERTH_EPROTO));
		sc->exit_code = 1;
	} else {
		buf_init(&b);
		scontrol_show_config(&b, (const char *const *)keys,
		    (const char *const *)vals, n, now_sec());
		put_buf(&b);
		buf_free(&b);
		print_ping(sc, host);
	}
	for (uint32_t i = 0; i < n; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	free(keys);
	free(vals);
	msg_free(&resp);
}

/*
 * A number of a job id as Slurm's scontrol reads it: strtol (saturated
 * at LONG_MAX) cast to 32 bits, so 4294967297 is job 1 (checked on
 * 22.05.8); digits only.
 */
static int
parse_id_wrap(const char *s, uint32_t *out)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		v = v > ((unsigned long long)LLONG_MAX - d) / 10 ?
		    (unsigned long long)LLONG_MAX : v * 10 + d;
	}
	if (*s != '\0')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/*
 * A job id as scontrol takes it: "12", or "12_3" for one array task
 * (parse_id_wrap's numbers).  Returns -1 on anything else, and on job 0
 * (show job's "all") unless zero_ok.
 */
static int
parse_job_id(const char *s, uint32_t *id, uint32_t *task, bool zero_ok)
{
	char *dup, *us;
	int rc = 0;

	dup = xstrdup(s);
	*task = NO_VAL;
	if ((us = strchr(dup, '_')) != NULL) {
		*us++ = '\0';
		if (parse_id_wrap(us, task) == -1)
			rc = -1;
	}
	if (rc == 0 && (parse_id_wrap(dup, id) == -1 ||
	    (*id == 0 && !zero_ok)))
		rc = -1;
	free(dup);
	return rc;
}

/*
 * show job's id: parse_job_id's, except that Slurm reads the task with
 * strtol, so "12_" is task 0 ("Job 12_0 not found"), and that job 0
 * (also 4294967296) is every job, as Slurm's scontrol_load_job takes it.
 */
static int
show_job_id(const char *s, uint32_t *id, uint32_t *task)
{
	size_t len = strlen(s);
	char *dup;
	int rc;

	if (len < 2 || s[len - 1] != '_' || memchr(s, '_', len - 1) != NULL)
		return parse_job_id(s, id, task, true);
	dup = xstrdup(s);
	dup[len - 1] = '\0';
	rc = parse_job_id(dup, id, task, true);
	free(dup);
	*task = 0;
	return rc;
}

/*
 * `show job -d`: each job's DerivedExitCode, the highest wait status of
 * its steps (as slurmctld keeps it, and sacct shows it).  One
 * MSG_STEP_QUERY for the listed jobs; 0 for all when it fails.
 */
static int32_t *
worst_steps(const struct job *jobs, size_t n)
{
	struct job_filter f;
	struct msg req, resp;
	struct step s;
	int32_t *worst = xcalloc(n, sizeof *worst);
	uint16_t rtype;
	uint32_t errcode = 0, count;
	char *errtext = NULL;

	memset(&f, 0, sizeof f);
	f.ids = xcalloc(n, sizeof *f.ids);
	for (size_t i = 0; i < n; i++)
		f.ids[f.nids++] = jobs[i].id;
	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &f);
	free(f.ids);
	if (client_request(MSG_STEP_QUERY, &req, &rtype, &resp, &errcode,
	    &errtext) != 0 || rtype != MSG_STEP_LIST)
		goto out;
	count = msg_get_u32(&resp);
	for (uint32_t k = 0; k < count && !resp.err; k++) {
		if (proto_step_get(&resp, &s) == -1)
			break;
		for (size_t i = 0; i < n; i++)
			if (jobs[i].id == s.job_id &&
			    s.exit_status > worst[i])
				worst[i] = s.exit_status;
		step_free(&s);
	}
out:
	free(errtext);
	msg_free(&req);
	msg_free(&resp);
	return worst;
}

static void
show_job(struct sc *sc, const char *val)
{
	struct job_filter f;
	struct msg req, resp;
	struct show_opts o;
	struct buf b;
	struct job *jobs;
	struct node_info node;
	struct part_info *parts;
	int32_t *derived = NULL;
	size_t njobs = 0;
	uint32_t id = 0, task = NO_VAL, n, shown = 0, nparts;

	/* An id that does not parse is refused before any query, with
	 * scontrol_print_job's words (real scontrol show job abc). */
	if (val != NULL && show_job_id(val, &id, &task) == -1) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "scontrol_print_job error: %s\n",
			    berth_strerror(BERTH_EINVALID_JOB));
		return;
	}
	memset(&f, 0, sizeof f);
	f.flags = FILTER_F_ALL_STATES;
	if (val != NULL && id == 0 && task == NO_VAL)
		val = NULL;	/* job 0: every job */
	if (val != NULL && id != 0) {	/* 0_T: a task of no job */
		f.ids = &id;
		f.nids = 1;
	}
	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &f);
	if (request(sc, MSG_JOB_QUERY, &req, MSG_JOB_LIST, &resp,
	    "slurm_load_jobs error") == -1) {
		msg_free(&req);
		return;
	}
	msg_free(&req);

	memset(&o, 0, sizeof o);
	o.one_liner = sc->one_liner;
	o.details = sc->details;
	o.now = now_sec();
	o.host = short_hostname();
	buf_init(&b);
	n = msg_get_u32(&resp);
	jobs = xcalloc((size_t)n + 1, sizeof *jobs);
	for (uint32_t i = 0; i < n && !resp.err; i++) {
		if (proto_job_get(&resp, &jobs[njobs]) == -1)
			break;
		/* ID_T is task T of array ID, or a task whose own job id is
		 * ID if T is its index (scontrol show job 332_0 of array
		 * 331's task 0, job 332, on 22.05.8). */
		if (task != NO_VAL && !job_is_task(&jobs[njobs], id, task) &&
		    !(jobs[njobs].id == id && jobs[njobs].array_spec == NULL &&
		    jobs[njobs].array_job_id != 0 &&
		    jobs[njobs].array_task_id == task)) {
			job_free(&jobs[njobs]);
			continue;
		}
		/*
		 * A task still pending inside its array's record is shown
		 * as that task, as scontrol_print_job() does: the record
		 * with its task list dropped and the task's id (so %a in
		 * StdOut is the task), nothing of the other tasks.
		 */
		if (task != NO_VAL && jobs[njobs].array_spec != NULL) {
			free(jobs[njobs].array_spec);
			jobs[njobs].array_spec = NULL;
			jobs[njobs].array_task_id = task;
		}
		njobs++;
	}
	if (sc->details && njobs > 0)
		derived = worst_steps(jobs, njobs);
	/* JOB_GRES names the node's GPU type: ask for it when it shows. */
	memset(&node, 0, sizeof node);
	for (size_t i = 0; sc->details && i < njobs; i++) {
		if (jobs[i].gpus > 0 && jobs[i].nodelist != NULL &&
		    (jobs[i].state == JOB_RUNNING ||
		    jobs[i].state == JOB_SUSPENDED)) {
			if (load_nodes(sc, &node, &parts, &nparts,
			    "slurm_load_node error") == 0) {
				for (uint32_t k = 0; k < nparts; k++)
					part_info_free(&parts[k]);
				free(parts);
				o.gpu_type = node.gpu_type;
			}
			break;
		}
	}
	/* A pending -O job shows an estimate from the node's CPUs. */
	for (size_t i = 0; i < njobs; i++) {
		if ((jobs[i].flags & JOB_F_OVERCOMMIT) &&
		    jobs[i].state == JOB_PENDING) {
			struct node_info cn;

			memset(&cn, 0, sizeof cn);
			if (load_nodes(sc, &cn, &parts, &nparts,
			    "slurm_load_node error") == 0) {
				for (uint32_t k = 0; k < nparts; k++)
					part_info_free(&parts[k]);
				free(parts);
				o.node_cpus = cn.cpus;
			}
			node_info_free(&cn);
			break;
		}
	}
	for (size_t i = 0; i < njobs; i++) {
		o.derived = derived != NULL ? derived[i] : 0;
		scontrol_show_job(&b, &jobs[i], &o);
		shown++;
		job_free(&jobs[i]);
	}
	free(jobs);
	free(derived);
	node_info_free(&node);
	if (msg_end(&resp) == -1) {
		sc->exit_code = 1;
		fprintf(stderr, "slurm_load_jobs error: %s\n",
		    berth_strerror(BERTH_EPROTO));
	} else if (shown == 0 && task != NO_VAL && n > 0) {
		/* The id is known but has no such task (Slurm: on stdout). */
		sc->exit_code = 1;
		if (sc->quiet != 1)
			printf("Job %u_%u not found\n", id, task);
	} else if (shown == 0 && val != NULL) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "slurm_load_jobs error: %s\n",
			    berth_strerror(BERTH_EINVALID_JOB));
	} else if (shown == 0) {
		if (sc->quiet != 1)
			printf("No jobs in the system\n");
	} else
		put_buf(&b);
	buf_free(&b);
	msg_free(&resp);
}

/*
 * scontrol show step [ID[.N]]: the running steps (MSG_STEP_QUERY), with
 * their jobs (MSG_JOB_QUERY) for partition and memory.  Slurm's messages:
 * "No job steps in the system", and for an id with no such running step
 * "Job step ID.N not found" (berth's wording: not recorded).
 */
static void
show_step(struct sc *sc, const char *val)
{
	struct job_filter f;
	struct msg req, resp, jresp;
	struct show_opts o;
	struct buf b;
	struct step *steps = NULL;
	struct job *jobs = NULL;
	uint32_t id = 0, step = NO_VAL, task = NO_VAL, n, nj = 0, ns = 0;
	unsigned long v;
	const char *dot;
	char *end;

	if (val != NULL) {
		char *jid = xstrdup(val);

		if ((dot = strchr(val, '.')) != NULL) {
			jid[dot - val] = '\0';
			if (strcmp(dot + 1, "batch") == 0 ||
			    strcmp(dot + 1, "extern") == 0)
				step = NO_VAL - 1;	/* never running here */
			else {
				errno = 0;
				v = strtoul(dot + 1, &end, 10);
				if (*end != '\0' || errno != 0 ||
				    v >= NO_VAL - 1 || dot[1] == '\0')
					step = INFINITE;
				else
					step = (uint32_t)v;
			}
		}
		if (step == INFINITE ||
		    parse_job_id(jid, &id, &task, false) == -1) {
			free(jid);
			sc->exit_code = 1;
			if (sc->quiet != 1)
				fprintf(stderr, "Invalid job step id: %s\n",
				    val);
			return;
		}
		free(jid);
	}
	memset(&f, 0, sizeof f);
	if (val != NULL) {
		f.ids = &id;
		f.nids = 1;
	}
	msg_init(&req);
	msg_init(&resp);
	msg_init(&jresp);
	proto_filter_put(&req, &f);
	if (request(sc, MSG_STEP_QUERY, &req, MSG_STEP_LIST, &resp,
	    "slurm_get_job_steps error") == -1)
		goto out;
	n = msg_get_u32(&resp);
	steps = xcalloc((size_t)n + 1, sizeof *steps);
	for (uint32_t i = 0; i < n && !resp.err; i++) {
		if (proto_step_get(&resp, &steps[ns]) == -1)
			break;
		if (steps[ns].state == JOB_RUNNING && (step == NO_VAL ||
		    steps[ns].step_id == step))
			ns++;
		else
			step_free(&steps[ns]);
	}
	/* Their jobs: partition and memory. */
	f.flags = FILTER_F_ALL_STATES;
	msg_free(&req);
	msg_init(&req);
	proto_filter_put(&req, &f);
	if (ns > 0 && request(sc, MSG_JOB_QUERY, &req, MSG_JOB_LIST, &jresp,
	    "slurm_load_jobs error") == 0) {
		n = msg_get_u32(&jresp);
		jobs = xcalloc((size_t)n + 1, sizeof *jobs);
		for (uint32_t i = 0; i < n && !jresp.err; i++)
			if (proto_job_get(&jresp, &jobs[nj]) == 0)
				nj++;
	}
	memset(&o, 0, sizeof o);
	o.one_liner = sc->one_liner;
	o.now = now_sec();
	o.host = short_hostname();
	buf_init(&b);
	for (uint32_t i = 0; i < ns; i++) {
		const struct job *j = NULL;

		for (uint32_t k = 0; k < nj && j == NULL; k++)
			if (jobs[k].id == steps[i].job_id)
				j = &jobs[k];
		scontrol_show_step(&b, &steps[i], j, &o);
	}
	if (ns > 0)
		put_buf(&b);
	else if (val == NULL) {
		if (sc->quiet != 1)
			printf("No job steps in the system\n");
	} else {
		sc->exit_code = 1;
		if (sc->quiet != 1) {
			if (step == NO_VAL)
				fprintf(stderr, "Job step %u not found\n", id);
			else
				fprintf(stderr, "Job step %s not found\n", val);
		}
	}
	buf_free(&b);
out:
	for (uint32_t i = 0; i < ns; i++)
		step_free(&steps[i]);
	free(steps);
	for (uint32_t i = 0; i < nj; i++)
		job_free(&jobs[i]);
	free(jobs);
	msg_free(&req);
	msg_free(&resp);
	msg_free(&jresp);
}

/* MSG_NODE_QUERY: the node and the partitions.  Caller frees. */
static int
load_nodes(struct sc *sc, struct node_info *node, struct part_info **parts,
    uint32_t *nparts, const char *what)
{
	struct msg req, resp;
	uint32_t n;

	*parts = NULL;
	*nparts = 0;
	memset(node, 0, sizeof *node);
	msg_init(&req);
	msg_init(&resp);
	if (request(sc, MSG_NODE_QUERY, &req, MSG_NODE_INFO, &resp,
	    what) == -1) {
		msg_free(&req);
		return -1;
	}
	msg_free(&req);
	if (proto_node_get(&resp, node) == -1)
		goto bad;
	n = msg_get_u32(&resp);
	if (resp.err || n > resp.b.len)
		goto bad;
	*parts = xcalloc(n + 1, sizeof **parts);
	for (; *nparts < n; (*nparts)++)
		if (proto_part_get(&resp, &(*parts)[*nparts]) == -1)
			goto bad;
	if (msg_end(&resp) == -1)
		goto bad;
	msg_free(&resp);
	return 0;

bad:
	fprintf(stderr, "%s: %s\n", what, berth_strerror(BERTH_EPROTO));
	sc->exit_code = 1;
	msg_free(&resp);
	for (uint32_t i = 0; i < *nparts; i++)
		part_info_free(&(*parts)[i]);
	free(*parts);
	*parts = NULL;
	*nparts = 0;
	node_info_free(node);
	return -1;
}

static void
show_node(struct sc *sc, const char *val)
{
	struct node_info node;
	struct part_info *parts;
	struct show_opts o;
	struct buf b;
	uint32_t nparts;
	char **names;

	if (load_nodes(sc, &node, &parts, &nparts, "slurm_load_node error")
	    == -1)
		return;
	memset(&o, 0, sizeof o);
	o.one_liner = sc->one_liner;
	o.details = sc->details;
	o.now = now_sec();
	buf_init(&b);
	if (val == NULL) {
		if (node.name != NULL)
			scontrol_show_node(&b, &node, &o);
		else if (sc->quiet != 1)
			printf("No nodes in the system\n");
	} else {
		names = strv_split(val, ",", NULL);
		for (size_t i = 0; names[i] != NULL; i++) {
			if (node.name != NULL &&
			    strcmp(names[i], node.name) == 0)
				scontrol_show_node(&b, &node, &o);
			else {
				put_buf(&b);
				sc->exit_code = 1;
				if (sc->quiet != 1)
					printf("Node %s not found\n",
					    names[i]);
			}
		}
		strv_free(names);
	}
	put_buf(&b);
	buf_free(&b);
	for (uint32_t i = 0; i < nparts; i++)
		part_info_free(&parts[i]);
	free(parts);
	node_info_free(&node);
}

static void
show_part(struct sc *sc, const char *val)
{
	struct node_info node;
	struct part_info *parts;
	struct show_opts o;
	struct buf b;
	uint32_t nparts, shown = 0;

	if (load_nodes(sc, &node, &parts, &nparts,
	    "slurm_load_partitions error") == -1)
		return;
	memset(&o, 0, sizeof o);
	o.one_liner = sc->one_liner;
	o.details = sc->details;
	buf_init(&b);
	for (uint32_t i = 0; i < nparts; i++) {
		if (val != NULL && (parts[i].name == NULL ||
		    strcmp(parts[i].name, val) != 0))
			continue;
		/* Slurm: not in AllowGroups, the partition is shown
		 * with -a only */
		if (parts[i].hidden && !sc->all)
			continue;
		scontrol_show_part(&b, &parts[i], &node, &o);
		shown++;
	}
	put_buf(&b);
	if (shown == 0 && val != NULL) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			printf("Partition %s not found\n", val);
	} else if (shown == 0 && sc->quiet != 1)
		printf("No partitions in the system\n");
	buf_free(&b);
	for (uint32_t i = 0; i < nparts; i++)
		part_info_free(&parts[i]);
	free(parts);
	node_info_free(&node);
}

/* "JobID=12" and "Job=12" name the job 12, as in Slurm. */
static const char *
strip_job_prefix(const char *s)
{
	if (strncasecmp(s, "JobID=", 6) == 0)
		s += 6;
	if (strncasecmp(s, "Job=", 4) == 0)
		s += 4;
	return s;
}

/* Active and recent jobs, all users and states (id 0: every job). */
static int
load_jobs(struct sc *sc, uint32_t id, struct job_list *jl)
{
	struct job_filter f;
	struct msg req, resp;

	memset(jl, 0, sizeof *jl);
	memset(&f, 0, sizeof f);
	f.flags = FILTER_F_ALL_STATES | FILTER_F_ALL_USERS;
	if (id != 0) {
		f.ids = &id;
		f.nids = 1;
	}
	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &f);
	if (request(sc, MSG_JOB_QUERY, &req, MSG_JOB_LIST, &resp,
	    "slurm_load_jobs error") == -1) {
		msg_free(&req);
		return -1;
	}
	msg_free(&req);
	if (proto_job_list_get(&resp, jl) == -1) {
		fprintf(stderr, "slurm_load_jobs error: %s\n",
		    berth_strerror(BERTH_EPROTO));
		sc->exit_code = 1;
		msg_free(&resp);
		return -1;
	}
	msg_free(&resp);
	return 0;
}

static void
targets_free(struct sc_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].label);
	free(t);
}

static void
target_add(struct sc_target **t, size_t *n, uint32_t id, const char *label)
{
	*t = xreallocarray(*t, *n + 1, sizeof **t);
	(*t)[*n].id = id;
	(*t)[*n].task = NO_VAL;
	(*t)[*n].label = xstrdup(label);
	(*n)++;
}

/*
 * "1-3,7" (the inside of brackets) into values; -1 if malformed.  Caller
 * frees *out.
 */
static int
expand_range(const char *s, uint32_t **out, size_t *n)
{
	char **items;
	uint32_t lo, hi;
	size_t nitem;
	char *dash;
	int rc = 0;

	*out = NULL;
	*n = 0;
	items = strv_split(s, ",", &nitem);
	for (size_t i = 0; i < nitem && rc == 0; i++) {
		if ((dash = strchr(items[i], '-')) != NULL)
			*dash++ = '\0';
		if (parse_u32(items[i], &lo) == -1 || (dash != NULL &&
		    (parse_u32(dash, &hi) == -1 || hi < lo ||
		    hi - lo > 1000000))) {
			rc = -1;
			break;
		}
		if (dash == NULL)
			hi = lo;
		for (uint32_t v = lo;; v++) {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = v;
			if (v == hi)
				break;
		}
	}
	strv_free(items);
	return nitem == 0 ? -1 : rc;
}

/*
 * The jobs a job id string names, as Slurm's _next_job_id() walks it:
 * "12", "12_3", "12_[1-3]", "[12-14]", separated by ',' or ' '.  Array
 * tasks are looked up among the daemon's jobs; one that is not there
 * stays with id 0.  Returns -1 (nothing printed) on a malformed string.
 */
static int
resolve_ids(struct sc *sc, const char *str, struct sc_target **t, size_t *n)
{
	struct job_list jl;
	bool loaded = false, plain;
	char *dup, *tok, *save = NULL, *under, *p, label[64];
	uint32_t *ids, *tasks, one = 0;
	size_t nids, ntasks;
	int depth = 0, rc = 0;

	*t = NULL;
	*n = 0;
	memset(&jl, 0, sizeof jl);
	dup = xstrdup(str);
	for (p = dup; *p != '\0'; p++) {	/* separators outside [] */
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if ((*p == ',' || *p == ' ') && depth == 0)
			*p = '^';
	}
	for (tok = strtok_r(dup, "^", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, "^", &save)) {
		tasks = NULL;
		ntasks = 0;
		plain = false;
		if ((under = strchr(tok, '_')) != NULL) {
			*under++ = '\0';
			if (*under == '[') {
				under[strcspn(under, "]")] = '\0';
				rc = expand_range(under + 1, &tasks, &ntasks);
			} else
				rc = expand_range(under, &tasks, &ntasks) ||
				    ntasks != 1 ? -1 : 0;
		}
		if (rc == 0 && *tok == '[') {
			tok[strcspn(tok, "]")] = '\0';
			rc = expand_range(tok + 1, &ids, &nids);
		} else if (rc == 0) {
			/* 32 bits, as slurmctld takes it (22.05.8) */
			rc = parse_id_wrap(tok, &one);
			ids = xmalloc(sizeof *ids);
			ids[0] = one;
			nids = 1;
			plain = ntasks == 0;
		} else
			ids = NULL;
		if (rc == 0 && ntasks > 0 && !loaded) {
			if (load_jobs(sc, 0, &jl) == -1) {
				free(ids);
				free(tasks);
				rc = -1;
				break;
			}
			loaded = true;
		}
		for (size_t i = 0; rc == 0 && i < nids; i++) {
			if (ntasks == 0) {
				/* Slurm names it as given ("for job
				 * 4294967297") */
				if (plain)
					snprintf(label, sizeof label, "%s",
					    tok);
				else
					snprintf(label, sizeof label, "%u",
					    ids[i]);
				target_add(t, n, ids[i], label);
				continue;
			}
			for (size_t k = 0; k < ntasks; k++) {
				uint32_t id = 0, in_rec = NO_VAL;

				/* A task with its own record, or one still
				 * pending inside the array record: the
				 * daemon splits it off (rpc-control.c). */
				for (size_t j = 0; j < jl.n; j++) {
					const struct job *jj = &jl.jobs[j];

					if (!job_is_task(jj, ids[i], tasks[k]))
						continue;
					id = jj->id;
					in_rec = jj->array_spec != NULL ?
					    tasks[k] : NO_VAL;
				}
				snprintf(label, sizeof label, "%u_%u", ids[i],
				    tasks[k]);
				target_add(t, n, id, label);
				(*t)[*n - 1].task = in_rec;
			}
		}
		free(ids);
		free(tasks);
	}
	if (loaded)
		job_list_free(&jl);
	free(dup);
	if (rc == -1) {
		targets_free(*t, *n);
		*t = NULL;
		*n = 0;
	}
	return rc;
}

/*
 * One MSG_JOB_CONTROL for n jobs; codes[i] gets the result for t[i] (the
 * daemon's error for all of them if it refuses the whole request).
 * Returns -1 (message printed) when the daemon cannot be asked.
 */
static int
control(struct sc *sc, uint32_t op, const struct sc_target *t, size_t n,
    const struct sc_update *u, uint32_t *codes)
{
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code, cnt, id;
	char *text = NULL;
	int rc;

	msg_init(&req);
	msg_init(&resp);
	msg_put_u32(&req, op);
	msg_put_u32(&req, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msg_put_u32(&req, t[i].id);
	msg_put_u32(&req, u != NULL ? (uint32_t)u->n : 0);
	for (size_t i = 0; u != NULL && i < u->n; i++) {
		msg_put_str(&req, u->keys[i]);
		msg_put_str(&req, u->vals[i]);
	}
	for (size_t i = 0; i < n; i++)
		msg_put_u32(&req, t[i].task);
	rc = client_request(MSG_JOB_CONTROL, &req, &rtype, &resp, &code,
	    &text);
	msg_free(&req);
	if (rc == -1) {
		sc->exit_code = 1;
		return -1;
	}
	if (rc == 1) {
		free(text);
		for (size_t i = 0; i < n; i++)
			codes[i] = code;
		return 0;
	}
	if (rtype != MSG_CANCEL_RESULT)
		goto bad;
	cnt = msg_get_u32(&resp);
	if (resp.err || cnt != n)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		id = msg_get_u32(&resp);
		codes[i] = msg_get_u32(&resp);
		if (id != t[i].id)
			goto bad;
	}
	if (msg_end(&resp) == -1)
		goto bad;
	msg_free(&resp);
	return 0;

bad:
	msg_free(&resp);
	cli_err("%s", berth_strerror(BERTH_EPROTO));
	sc->exit_code = 1;
	return -1;
}

/* "<error> for job <id>" for each failure; the last failure's code. */
static uint32_t
report(struct sc *sc, const struct sc_target *t, size_t n,
    const uint32_t *codes)
{
	uint32_t last = BERTH_OK;

	for (size_t i = 0; i < n; i++) {
		if (codes[i] == BERTH_OK)
			continue;
		last = codes[i];
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "%s for job %s\n",
			    berth_strerror(codes[i]), t[i].label);
	}
	return last;
}

/* control() then report(): the last failure's code, NO_VAL when the
 * daemon could not be asked (reported). */
static uint32_t
control_report(struct sc *sc, uint32_t op, const struct sc_target *t,
    size_t n, const struct sc_update *u)
{
	uint32_t *codes, last;

	codes = xcalloc(n + 1, sizeof *codes);
	if (control(sc, op, t, n, u, codes) == -1)
		last = NO_VAL;		/* reported */
	else
		last = report(sc, t, n, codes);
	free(codes);
	return last;
}

/* Control op on the jobs str names; the last failure's code, NO_VAL
 * when the daemon could not be asked (reported). */
static uint32_t
control_ids(struct sc *sc, uint32_t op, const char *str,
    const struct sc_update *u)
{
	struct sc_target *t;
	uint32_t last;
	size_t n;

	if (!scontrol_is_job_id(str) || resolve_ids(sc, str, &t, &n) == -1) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "%s for job %s\n",
			    berth_strerror(BERTH_EINVALID_JOB), str);
		return BERTH_EINVALID_JOB;
	}
	last = control_report(sc, op, t, n, u);
	targets_free(t, n);
	return last;
}

/*
 * requeue and requeuehold [State=SpecialExit] <job_list>...: Slurm's
 * state flags are accepted and have no effect (berth has no special exit
 * state).
 */
static void
sc_requeue(struct sc *sc, int argc, char **argv)
{
	uint32_t op;
	int i = 1;

	op = strncasecmp(argv[0], "requeuehold", 11) == 0 ? CTL_REQUEUEHOLD :
	    CTL_REQUEUE;
	if (argc < 2) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "too few arguments for keyword:%s\n",
			    argv[0]);
		return;
	}
	for (; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (eq == NULL || strncasecmp(argv[i], "state", 5) != 0 ||
		    (strncasecmp(eq + 1, "specialexit", 11) != 0 &&
		    strncasecmp(eq + 1, "se", 2) != 0))
			break;
	}
	for (; i < argc; i++) {
		if (argv[i][0] == '\0') {
			sc->exit_code = 1;
			continue;
		}
		(void)control_ids(sc, op, strip_job_prefix(argv[i]), NULL);
	}
}

/* hold/uhold/release Name=<name>: the named jobs that are pending. */
static uint32_t
hold_by_name(struct sc *sc, uint32_t op, const char *name)
{
	struct job_list jl;
	struct sc_target *t = NULL;
	uint32_t last = BERTH_OK;
	char label[32];
	size_t n = 0;

	if (load_jobs(sc, 0, &jl) == -1)
		return NO_VAL;		/* reported */
	for (size_t i = 0; i < jl.n; i++) {
		const struct job *j = &jl.jobs[i];

		if (j->name == NULL || strcmp(j->name, name) != 0 ||
		    j->state != JOB_PENDING)
			continue;
		if (j->array_task_id != NO_VAL)
			snprintf(label, sizeof label, "%u_%u",
			    j->array_job_id, j->array_task_id);
		else
			snprintf(label, sizeof label, "%u", j->id);
		target_add(&t, &n, j->id, label);
	}
	job_list_free(&jl);
	if (n > 0)
		last = control_report(sc, op, t, n, NULL);
	targets_free(t, n);
	return last;
}

/* hold, holdu, uhold, release <job_list>|Name=<name>... */
static void
sc_hold(struct sc *sc, int argc, char **argv)
{
	const char *arg;
	uint32_t op, code;

	if (strncasecmp(argv[0], "holdu", 5) == 0 ||
	    strncasecmp(argv[0], "uhold", 5) == 0)
		op = CTL_UHOLD;
	else if (strncasecmp(argv[0], "hold", 4) == 0)
		op = CTL_HOLD;
	else
		op = CTL_RELEASE;
	if (argc < 2) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "too few arguments for keyword:%s\n",
			    argv[0]);
		return;
	}
	for (int i = 1; i < argc; i++) {
		arg = strip_job_prefix(argv[i]);
		if (scontrol_is_job_id(arg))
			code = control_ids(sc, op, arg, NULL);
		else if (strncasecmp(arg, "Name=", 5) == 0)
			code = hold_by_name(sc, op, arg + 5);
		else if (strncasecmp(arg, "JobName=", 8) == 0)
			code = hold_by_name(sc, op, arg + 8);
		else
			code = control_ids(sc, op, arg, NULL);
		if (code != BERTH_OK) {
			sc->exit_code = 1;
			if (sc->quiet != 1 && code != NO_VAL)
				fprintf(stderr, "slurm_suspend error: %s\n",
				    berth_strerror(code));
		}
	}
}

/* top <job_list>: one message naming the whole list on failure. */
static void
sc_top(struct sc *sc, int argc, char **argv)
{
	struct sc_target *t;
	uint32_t *codes;
	const char *arg;
	size_t n;

	if (argc != 2) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "too %s arguments for keyword:%s\n",
			    argc < 2 ? "few" : "many", argv[0]);
		return;
	}
	arg = strip_job_prefix(argv[1]);
	if (!scontrol_is_job_id(arg) || resolve_ids(sc, arg, &t, &n) == -1) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "%s for job %s\n",
			    berth_strerror(BERTH_EINVALID_JOB), arg);
		return;
	}
	codes = xcalloc(n + 1, sizeof *codes);
	if (control(sc, CTL_TOP, t, n, NULL, codes) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (codes[i] == BERTH_OK)
				continue;
			sc->exit_code = 1;
			if (sc->quiet != 1)
				fprintf(stderr, "%s for job %s\n",
				    berth_strerror(codes[i]), arg);
			break;
		}
	}
	free(codes);
	targets_free(t, n);
}

/* TimeLimit=+N/-N: the job's current limit (Slurm's _get_job_time). */
static uint32_t
current_limit(void *arg, const char *job_ids, struct buf *err)
{
	struct sc *sc = arg;
	struct job_list jl;
	uint32_t id, task = NO_VAL, limit = NO_VAL;
	char *dup, *us;
	int bad;

	dup = xstrdup(job_ids);
	if ((us = strchr(dup, '_')) != NULL)
		*us++ = '\0';
	bad = parse_id_wrap(dup, &id) == -1 || (us != NULL &&
	    parse_u32(us, &task) == -1);
	free(dup);
	if (bad) {
		buf_printf(err, "scontrol: error: Invalid job ID %s\n",
		    job_ids);
		return NO_VAL;
	}
	if (load_jobs(sc, id, &jl) == -1)
		return NO_VAL;
	for (size_t i = 0; i < jl.n; i++) {
		const struct job *j = &jl.jobs[i];

		if ((task == NO_VAL && j->id == id) || (task != NO_VAL &&
		    j->array_job_id == id && j->array_task_id == task)) {
			limit = j->time_limit == NO_VAL ? INFINITE :
			    j->time_limit;
			break;
		}
	}
	job_list_free(&jl);
	if (limit == NO_VAL)
		buf_printf(err, "scontrol: error: Job ID %s not found\n",
		    job_ids);
	return limit;
}

/* UserID=NAME: the daemon knows the users (see client_user_known). */
static int
user_uid(void *arg, const char *user, uint32_t *uid, struct buf *err)
{
	char *cause = NULL;
	int r;

	(void)arg;
	if ((r = client_user_known(user, uid, &cause)) == 1)
		return 0;
	if (r == 0)
		return -1;
	buf_printf(err, "%s: error: %s\n", cli_prog, cause);
	free(cause);
	return -2;
}

/* update JobName=x without JobId: every job of that name (and user). */
static int
update_by_name(struct sc *sc, const struct sc_update *u)
{
	struct job_list jl;
	struct sc_target *t = NULL;
	char label[32];
	size_t n = 0;

	if (load_jobs(sc, 0, &jl) == -1)
		return -1;
	if (jl.n == 0)
		cli_err("JobName %s not found", u->name);
	for (size_t i = 0; i < jl.n; i++) {
		const struct job *j = &jl.jobs[i];

		if ((u->user != NULL && (u->uid == NO_VAL ||
		    j->uid != u->uid)) ||
		    j->name == NULL || strcmp(j->name, u->name) != 0)
			continue;
		if (j->array_task_id != NO_VAL)
			snprintf(label, sizeof label, "%u_%u",
			    j->array_job_id, j->array_task_id);
		else
			snprintf(label, sizeof label, "%u", j->id);
		target_add(&t, &n, j->id, label);
	}
	if (n == 0 && jl.n > 0) {
		if (u->user == NULL)
			cli_err("No jobs with name '%s'", u->name);
		else if (u->uid == NO_VAL)	/* a user without jobs */
			cli_err("No jobs with user ID %s and name '%s'",
			    u->user, u->name);
		else
			cli_err("No jobs with user ID %u and name '%s'",
			    u->uid, u->name);
	}
	job_list_free(&jl);
	if (n == 0) {
		sc->exit_code = 1;
		return -1;
	}
	(void)control_report(sc, CTL_UPDATE, t, n, u);
	targets_free(t, n);
	return 0;
}

static void
update_job(struct sc *sc, int argc, char **argv)
{
	struct sc_update u;
	struct buf err;
	int rc;

	buf_init(&err);
	rc = scontrol_update_parse(argc, argv, now_sec(), current_limit,
	    user_uid, sc, &u, &err);
	if (err.len > 0)
		fwrite(err.data, 1, err.len, stderr);
	buf_free(&err);
	if (rc == -1)
		sc->exit_code = 1;
	else if (u.job_ids != NULL)
		(void)control_ids(sc, CTL_UPDATE, u.job_ids, &u);
	else
		(void)update_by_name(sc, &u);
	scontrol_update_free(&u);
}

/*
 * update <SPECIFICATIONS>: Slurm's _update_it() picks the entity from the
 * tags; only jobs are berth's to update.
 */
static void
sc_update(struct sc *sc, int argc, char **argv)
{
	static const struct {
		const char	*name;
		size_t		 min_len;
	} others[] = {
		{ "NodeName", 3 }, { "PartitionName", 3 }, { "StepId", 4 },
		{ "FrontendName", 2 }, { "ReservationName", 3 },
		{ "SlurmctldDebug", 2 },
	};
	bool job = false, other = false;
	const char *eq;
	size_t taglen;

	if (argc < 2) {
		sc->exit_code = 1;
		fprintf(stderr, "too few arguments for %s keyword\n", argv[0]);
		return;
	}
	for (int i = 1; i < argc; i++) {
		if ((eq = strchr(argv[i], '=')) != NULL)
			taglen = (size_t)(eq - argv[i]);
		else
			taglen = strlen(argv[i]);
		if (scontrol_abbrev(argv[i], taglen, "JobId", 3) ||
		    scontrol_abbrev(argv[i], taglen, "JobNAME", 3))
			job = true;
		for (size_t k = 0; k < nitems(others); k++)
			if (scontrol_abbrev(argv[i], taglen, others[k].name,
			    others[k].min_len))
				other = true;
		if (eq == NULL)
			i++;
	}
	if (job)
		update_job(sc, argc - 1, argv + 1);
	else if (other) {
		sc->exit_code = 1;
		fprintf(stderr, "slurm_update error: %s\n",
		    berth_strerror(BERTH_EDISABLED));
	} else {
		sc->exit_code = 1;
		fprintf(stderr, "No valid entity in update command\n");
		fprintf(stderr, "Input line must include \"NodeName\", ");
		fprintf(stderr, "\"PartitionName\", \"Reservation\", "
		    "\"JobId\", or \"SlurmctldDebug\"\n");
	}
}

static int
process(struct sc *sc, int argc, char **argv)
{
	size_t len;

	if (argc < 1)
		return 0;
	len = strlen(argv[0]);
	for (size_t i = 0; i < nitems(sc_cmds); i++) {
		if (sc_cmds[i].fixed ? strncasecmp(argv[0], sc_cmds[i].name,
		    sc_cmds[i].min_len) == 0 : scontrol_abbrev(argv[0], len,
		    sc_cmds[i].name, sc_cmds[i].min_len)) {
			sc_cmds[i].fn(sc, argc, argv);
			return 0;
		}
	}
	sc->exit_code = 1;
	fprintf(stderr, "invalid keyword: %s\n", argv[0]);
	return 0;
}

/*
 * Commands from stdin, one per line, words split at blanks outside
 * quotes (the quotes are kept, as Slurm keeps them).
 */
static void
interactive(struct sc *sc)
{
	char *line = NULL, **argv;
	size_t cap = 0;
	ssize_t len;
	int argc;
	bool dq, sq;

	argv = xcalloc(128, sizeof *argv);
	while (!sc->quit) {
		printf("scontrol: ");
		fflush(stdout);
		if ((len = getline(&line, &cap, stdin)) == -1) {
			putchar('\n');
			break;
		}
		argc = 0;
		for (char *p = line; *p != '\0' && argc < 127;) {
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (*p == '\0')
				break;
			argv[argc++] = p;
			dq = sq = false;
			for (; *p != '\0'; p++) {
				if (*p == '"' && !sq)
					dq = !dq;
				else if (*p == '\'' && !dq)
					sq = !sq;
				else if (!dq && !sq && (*p == ' ' ||
				    *p == '\t' || *p == '\n')) {
					*p++ = '\0';
					break;
				}
			}
		}
		argv[argc] = NULL;
		process(sc, argc, argv);
		fflush(stdout);
	}
	free(argv);
	free(line);
}

static void
usage(void)
{
	printf(
"scontrol [<OPTION>] [<COMMAND>]\n"
"    Valid <OPTION> values are:\n"
"     -a or --all: equivalent to \"all\" command\n"
"     -d or --details: equivalent to \"details\" command\n"
"     -h or --help: equivalent to \"help\" command\n"
"     -o or --oneliner: equivalent to \"oneliner\" command\n"
"     -Q or --quiet: equivalent to \"quiet\" command\n"
"     -v or --verbose: equivalent to \"verbose\" command\n"
"     -V or --version: equivalent to \"version\" command\n"
"\n"
"  <keyword> may be omitted from the execute line and scontrol will execute\n"
"  in interactive mode. It will process commands as entered until explicitly\n"
"  terminated.\n"
"\n"
"    Valid <COMMAND> values are:\n"
"     details                  evoke additional details when showing jobs.\n"
"     exit                     terminate scontrol\n"
"     help                     print this description of use.\n"
"     hold <job_list>          prevent specified job from starting. <job_list>\n"
"                              is either a space separate list of job IDs or\n"
"                              job names\n"
"     holdu <job_list>         place user hold on specified job (see hold)\n"
"     oneliner                 report output one record per line.\n"
"     ping                     print status of slurmctld daemons.\n"
"     quit                     terminate this command.\n"
"     release <job_list>       permit specified job to start (see hold)\n"
"     requeue <job_id>         re-queue a batch job\n"
"     requeuehold <job_id>     re-queue and hold a batch\n"
"     show <ENTITY> [<ID>]     display state of identified entity, default\n"
"                              is all records.\n"
"     top <job_list>           Put specified job first in queue for user\n"
"     uhold <jobid_list>       place user hold on specified job (see hold)\n"
"     update <SPECIFICATIONS>  update job per the supplied specification.\n"
"     version                  display tool version number.\n"
"\n"
"  <ENTITY> may be \"config\", \"job\", \"node\" or \"partition\".\n"
"\n"
"  <ID> may be a configuration parameter name, job id, node name or\n"
"       partition name.\n"
"\n"
"  <SPECIFICATIONS> are specified in the same format as the configuration\n"
"  file. You may wish to use the \"show\" keyword first, then use the\n"
"  output as input to the update command. Job updates take JobId= (or\n"
"  JobName=) and any of JobName, Partition, TimeLimit, Priority, Nice,\n"
"  NumCPUs, MinMemoryNode, MinMemoryCPU, Gres, Dependency, StartTime,\n"
"  Comment, Account, QOS, WCKey and Requeue.\n");
}

int
cmd_scontrol(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "cluster", required_argument, NULL, 'M' },
		{ "clusters", required_argument, NULL, 'M' },
		{ "details", no_argument, NULL, 'd' },
		{ "federation", no_argument, NULL, 0x105 },
		{ "future", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "hide", no_argument, NULL, 0x102 },
		{ "local", no_argument, NULL, 0x103 },
		{ "oneliner", no_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "sibling", no_argument, NULL, 0x104 },
		{ "uid", required_argument, NULL, 'u' },
		{ "usage", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sc sc;
	char *cl;
	int c;

	memset(&sc, 0, sizeof sc);
	optind = 1;
	while ((c = getopt_long(argc, argv, "adhM:FoQu:vV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'd':
			sc.details = true;
			break;
		case 'h':
			usage();
			return 0;
		case 'o':
			sc.one_liner = true;
			break;
		case 'Q':
			sc.quiet = 1;
			break;
		case 'v':
			sc.quiet = -1;
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case 0x102:
			sc.details = false;
			break;
		case 'a':
			sc.all = true;
			break;
		case 'M':
			if (client_clusters_check(optarg, &cl) == -1)
				return 1;
			free(cl);
			break;
		case 'F':
		case 'u':
		case 0x103:
		case 0x104:
		case 0x105:
			break;
		default:
			fprintf(stderr, "Try \"scontrol --help\" for more "
			    "information\n");
			return 1;
		}
	}
	if (optind < argc)
		process(&sc, argc - optind, argv + optind);
	else
		interactive(&sc);
	fflush(stdout);
	return sc.exit_code;
}
