/* SPDX-License-Identifier: MIT */
/*
 * scontrol: show job/node/partition/config, ping, version.
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
 * "Node x not found", "invalid entity:x for keyword:show ").
 *
 * Differences: scontrol -M/--cluster and -u/--uid are accepted and
 * ignored (one cluster, the caller's identity); entities other than
 * config, job(s)/jobid, node(s) and partition(s) are "invalid entity".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "scontrol.h"

struct sc {
	bool	 one_liner;
	bool	 details;
	int	 quiet;		/* 1 quiet (-Q), -1 verbose, 0 normal */
	int	 exit_code;
	bool	 quit;
};

struct sc_cmd {
	const char	*name;
	size_t		 min_len;	/* shortest abbreviation accepted */
	void		(*fn)(struct sc *, int, char **);
};

struct sc_entity {
	const char	*name;
	size_t		 min_len;
	void		(*fn)(struct sc *, const char *);
};

static void	 sc_ping(struct sc *, int, char **);
static void	 sc_show(struct sc *, int, char **);
static void	 sc_version(struct sc *, int, char **);
static void	 sc_details(struct sc *, int, char **);
static void	 sc_oneliner(struct sc *, int, char **);
static void	 sc_quit(struct sc *, int, char **);
static void	 sc_help(struct sc *, int, char **);

static void	 show_config(struct sc *, const char *);
static void	 show_job(struct sc *, const char *);
static void	 show_node(struct sc *, const char *);
static void	 show_part(struct sc *, const char *);

static bool	 abbrev(const char *, size_t, const char *, size_t);
static int	 parse_job_id(const char *, uint32_t *, uint32_t *);
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

/* In Slurm's order: first match wins. */
static const struct sc_cmd sc_cmds[] = {
	{ "details", 1, sc_details },
	{ "exit", 2, sc_quit },
	{ "help", 2, sc_help },
	{ "oneliner", 1, sc_oneliner },
	{ "ping", 3, sc_ping },
	{ "quit", 4, sc_quit },
	{ "show", 3, sc_show },
	{ "version", 4, sc_version },
};

static const struct sc_entity sc_entities[] = {
	{ "config", 1, show_config },
	{ "jobs", 1, show_job },
	{ "jobid", 1, show_job },
	{ "nodes", 1, show_node },
	{ "partitions", 2, show_part },
	{ "partitionname", 2, show_part },
};

static void
put_buf(struct buf *b)
{
	fwrite(b->data, 1, b->len, stdout);
	buf_reset(b);
}

/*
 * Slurm's xstrncasecmp(tag, name, MAX(taglen, min_len)) == 0: the tag is
 * a prefix of the name, at least min_len long.
 */
static bool
abbrev(const char *tag, size_t taglen, const char *name, size_t min_len)
{
	if (taglen < min_len || taglen > strlen(name))
		return false;
	return strncasecmp(tag, name, taglen) == 0;
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

static void
sc_details(struct sc *sc, int argc, char **argv)
{
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
		return;
	}
	sc->details = true;
}

static void
sc_oneliner(struct sc *sc, int argc, char **argv)
{
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
	}
	sc->one_liner = true;
}

static void
sc_quit(struct sc *sc, int argc, char **argv)
{
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
	}
	sc->quit = true;
}

static void
sc_help(struct sc *sc, int argc, char **argv)
{
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
	}
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
	if (argc > 1) {
		sc->exit_code = 1;
		fprintf(stderr, "too many arguments for keyword:%s\n", argv[0]);
		return;
	}
	print_ping(sc, NULL);
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
		if (abbrev(tag, taglen, sc_entities[i].name,
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
 * A job id as scontrol takes it: "12", or "12_3" for one array task.
 * Returns -1 on anything else.
 */
static int
parse_job_id(const char *s, uint32_t *id, uint32_t *task)
{
	char *dup, *us;
	int rc = 0;

	dup = xstrdup(s);
	*task = NO_VAL;
	if ((us = strchr(dup, '_')) != NULL) {
		*us++ = '\0';
		if (parse_u32(us, task) == -1)
			rc = -1;
	}
	if (rc == 0 && (parse_u32(dup, id) == -1 || *id == 0))
		rc = -1;
	free(dup);
	return rc;
}

static void
show_job(struct sc *sc, const char *val)
{
	struct job_filter f;
	struct msg req, resp;
	struct show_opts o;
	struct buf b;
	struct job j;
	uint32_t id = 0, task = NO_VAL, n, shown = 0;

	if (val != NULL && parse_job_id(val, &id, &task) == -1) {
		sc->exit_code = 1;
		if (sc->quiet != 1)
			fprintf(stderr, "slurm_load_jobs error: %s\n",
			    berth_strerror(BERTH_EINVALID_JOB));
		return;
	}
	memset(&f, 0, sizeof f);
	f.flags = FILTER_F_ALL_STATES;
	if (val != NULL) {
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
	for (uint32_t i = 0; i < n && !resp.err; i++) {
		if (proto_job_get(&resp, &j) == -1)
			break;
		if (task == NO_VAL || (j.array_job_id == id &&
		    j.array_task_id == task)) {
			scontrol_show_job(&b, &j, &o);
			shown++;
		}
		job_free(&j);
	}
	if (msg_end(&resp) == -1) {
		sc->exit_code = 1;
		fprintf(stderr, "slurm_load_jobs error: %s\n",
		    berth_strerror(BERTH_EPROTO));
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

static int
process(struct sc *sc, int argc, char **argv)
{
	size_t len;

	if (argc < 1)
		return 0;
	len = strlen(argv[0]);
	for (size_t i = 0; i < nitems(sc_cmds); i++) {
		if (abbrev(argv[0], len, sc_cmds[i].name,
		    sc_cmds[i].min_len)) {
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
"     oneliner                 report output one record per line.\n"
"     ping                     print status of slurmctld daemons.\n"
"     quit                     terminate this command.\n"
"     show <ENTITY> [<ID>]     display state of identified entity, default\n"
"                              is all records.\n"
"     version                  display tool version number.\n"
"\n"
"  <ENTITY> may be \"config\", \"job\", \"node\" or \"partition\".\n"
"\n"
"  <ID> may be a configuration parameter name, job id, node name or\n"
"       partition name.\n");
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
		case 'F':
		case 'M':
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
