/* SPDX-License-Identifier: MIT */
/*
 * scancel: cancel or signal jobs by id and/or by filter (-n, -p, -t, -u),
 * in one MSG_CANCEL; the daemon answers with a result per job it acted on
 * or could not find, which scancel-opt.c reports as Slurm 22.05 does.
 *
 * Options follow src/scancel/opt.c: -s/--signal takes a name or number,
 * -t one state, -n one name and -p one partition.  A comma in -n is part
 * of the name, as in Slurm 22.05 (the recorded "scancel -t PENDING -n
 * priority,renamed" cancels nothing).  SCANCEL_BATCH, SCANCEL_FULL,
 * SCANCEL_NAME, SCANCEL_PARTITION, SCANCEL_STATE, SCANCEL_USER and
 * SCANCEL_VERBOSE are read before the command line.  -u goes to the
 * daemon as typed and the daemon resolves it (this binary links
 * statically, without NSS); its BERTH_EUSER becomes Slurm's "Invalid user
 * name: X" (exit 1).
 *
 * Array ids: "12" is the whole array (its pending tasks and the running
 * ones), "12_3" and "12_[1-3]" some of its tasks.
 *
 * Step ids ("12.0"): that step only (its srun gets the cancel or the
 * signal).  Not supported yet, refused with an error: steps of array
 * tasks ("12_3.0"), and filters the protocol cannot carry (-A, -q, -R, -w, --wckey, --sibling)
 * and -i.  -H and --ctld are accepted and ignored.
 * -M/--clusters: berth's ClusterName (any case) or "all" is accepted;
 * other names get Slurm's errors and, when none is berth's, exit 1
 * (clusters.c).
 */
#include "gnuopt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "scancel.h"
#include "scontrol.h"

struct scancel_opts {
	struct cancel_req	 req;
	bool			 signal_set;
	bool			 batch;
	int			 verbose;
	const char		*name;
	const char		*partition;
	const char		*user;
	int			 state;		/* -1: none */
};

static void	 help(void);
static void	 usage(void);
static void	 env_bool(const char *, bool *);
static int	 parse_state(const char *, bool);
static int	 send_cancel(struct scancel_opts *);
static void	 flush_stderr(struct buf *);
static void	 no_match(const struct scancel_opts *);

/* SCANCEL_BATCH=true|T|false|F; anything else is reported and ignored. */
static void
env_bool(const char *var, bool *out)
{
	const char *v = getenv(var);

	if (v == NULL)
		return;
	if (strcasecmp(v, "true") == 0 || strcasecmp(v, "T") == 0)
		*out = true;
	else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "F") == 0)
		*out = false;
	else
		cli_err("Unrecognized %s value: %s", var, v);
}

/* Slurm's _xlate_state_name(): one job state, else exit 1. */
static int
parse_state(const char *s, bool from_env)
{
	int st;

	if ((st = job_state_parse(s)) != -1)
		return st;
	if (from_env)
		fprintf(stderr, "Unrecognized SCANCEL_STATE value: %s\n", s);
	else
		fprintf(stderr, "Invalid job state specified: %s\n", s);
	fprintf(stderr,
	    "Valid job states are PENDING, RUNNING, and SUSPENDED\n");
	return -1;
}

/* Write out the held messages of b and empty it. */
static void
flush_stderr(struct buf *b)
{
	if (b->len > 0)
		fwrite(b->data, 1, b->len, stderr);
	b->len = 0;
}

/* -v: Slurm lists the filters when nothing matched them. */
static void
no_match(const struct scancel_opts *o)
{
	struct buf b;

	buf_init(&b);
	if (o->name != NULL)
		buf_printf(&b, "job_name=%s ", o->name);
	if (o->partition != NULL)
		buf_printf(&b, "partition=%s ", o->partition);
	if (o->state != -1)
		buf_printf(&b, "state=%s ", job_state_name((uint32_t)o->state));
	if (o->user != NULL)
		buf_printf(&b, "user_name=%s ", o->user);
	if (b.len > 0)
		cli_err("No active jobs match ALL job filters, including: %s",
		    b.data);
	buf_free(&b);
}

/*
 * The reply to a filtered request: a result for every job matched, then
 * each one's name.  As Slurm's _cancel_job_id(), -v prints "Terminating
 * job NAME" (or "Signal N to job NAME") for each before its error, if
 * any.  Returns the worst exit status.
 */
static int
filtered_results(const struct scancel_opts *o, struct msg *resp, uint32_t n,
    struct buf *err)
{
	uint32_t *ids, *codes;
	char *name;
	int r, worst = 0;

	ids = xcalloc(n, sizeof *ids);
	codes = xcalloc(n, sizeof *codes);
	for (uint32_t i = 0; i < n; i++) {
		ids[i] = msg_get_u32(resp);
		codes[i] = msg_get_u32(resp);
	}
	for (uint32_t i = 0; i < n && !resp->err; i++) {
		name = msg_get_str(resp);
		if (resp->err)
			break;
		if (o->verbose > 0 && o->signal_set)
			buf_printf(err, "%s: Signal %u to job %s\n", cli_prog,
			    o->req.signal, name);
		else if (o->verbose > 0)
			buf_printf(err, "%s: Terminating job %s\n", cli_prog,
			    name);
		free(name);
		r = scancel_result(err, ids[i], codes[i], false, o->verbose);
		if (r > worst)
			worst = r;
	}
	free(ids);
	free(codes);
	return worst;
}

static int
send_cancel(struct scancel_opts *o)
{
	struct msg req, resp;
	struct buf err, verb;
	uint16_t rtype;
	uint32_t code, n, id, ecode;
	char *text = NULL;
	bool by_id_only, by_filter, filtered;
	int rc, worst = 0, r;

	filtered = o->req.users != NULL || o->req.names != NULL ||
	    o->req.partitions != NULL || o->req.states != 0;
	by_id_only = !filtered && !o->signal_set && !o->batch;
	/*
	 * -u: the daemon resolves the name (this binary links statically,
	 * without NSS), so hold the -v lines until it has: Slurm checks the
	 * user before it prints them.
	 */
	buf_init(&verb);
	if (o->verbose > 0) {
		for (uint32_t i = 0; i < o->req.nids; i++) {
			buf_printf(&verb, "%s: ", cli_prog);
			if (o->signal_set)
				buf_printf(&verb, "Signal %u to job %u\n",
				    o->req.signal, o->req.ids[i]);
			else
				buf_printf(&verb, "Terminating job %u\n",
				    o->req.ids[i]);
		}
	}
	if (o->user == NULL)
		flush_stderr(&verb);

	msg_init(&req);
	msg_init(&resp);
	proto_cancel_put(&req, &o->req);
	rc = client_request(MSG_CANCEL, &req, &rtype, &resp, &code, &text);
	msg_free(&req);
	if (rc == 1 && code == BERTH_EUSER && o->user != NULL) {
		/* Slurm's _opt_verify(). */
		cli_err("Invalid user name: %s", o->user);
		free(text);
		msg_free(&resp);
		buf_free(&verb);
		return 1;
	}
	flush_stderr(&verb);
	buf_free(&verb);
	if (rc == -1)
		return 1;
	if (rc == 1) {
		cli_err("%s", text);
		free(text);
		msg_free(&resp);
		return 1;
	}
	if (rtype != MSG_CANCEL_RESULT) {
		cli_err("Unexpected message received");
		msg_free(&resp);
		return 1;
	}
	buf_init(&err);
	n = msg_get_u32(&resp);
	/* Filters without ids: every job they matched, then their names. */
	by_filter = filtered && o->req.nids == 0;
	if (by_filter && !resp.err && n > 0)
		worst = filtered_results(o, &resp, n, &err);
	for (uint32_t i = 0, k = 0; !by_filter && i < n && !resp.err; i++) {
		id = msg_get_u32(&resp);
		ecode = msg_get_u32(&resp);
		if (resp.err)
			break;
		/* Results come in request order (some jobs skipped): find
		 * the id's entry to know whether it named a step. */
		while (k < o->req.nids && o->req.ids[k] != id)
			k++;
		if (k < o->req.nids && o->req.steps != NULL &&
		    o->req.steps[k] != NO_VAL)
			r = scancel_step_result(&err, id, o->req.steps[k],
			    ecode, o->verbose);
		else
			r = scancel_result(&err, id, ecode, by_id_only,
			    o->verbose);
		if (k < o->req.nids)
			k++;
		if (r > worst)
			worst = r;
	}
	if (msg_end(&resp) == -1) {
		cli_err("%s", berth_strerror(BERTH_EPROTO));
		worst = worst > 1 ? worst : 1;
	} else if (n == 0 && filtered && o->verbose > 0)
		no_match(o);
	if (err.len > 0)
		fwrite(err.data, 1, err.len, stderr);
	buf_free(&err);
	msg_free(&resp);
	/* Slurm exits with its errno; the shell sees the low 8 bits. */
	return worst & 0xff;
}

static void
usage(void)
{
	printf(
"Usage: scancel [-A account] [--batch] [--full] [--interactive] [-n job_name]\n"
"               [-p partition] [-Q] [-q qos] [-R reservation] [-s signal | integer]\n"
"               [-t PENDING | RUNNING | SUSPENDED] [--usage] [-u user_name]\n"
"               [--hurry] [-V] [-v] [-w hosts...] [--wckey=wckey]\n"
"               [job_id[_array_id][.step_id]]\n");
}

static void
help(void)
{
	printf(
"Usage: scancel [OPTIONS] [job_id[_array_id][.step_id]]\n"
"  -A, --account=account           act only on jobs charging this account\n"
"  -b, --batch                     signal batch shell for specified job\n"
"  -f, --full                      signal batch shell and all steps for specified job\n"
"  -H, --hurry                     avoid burst buffer stage out\n"
"  -i, --interactive               require response from user for each job\n"
"  -M, --clusters                  clusters to issue commands to.\n"
"                                  NOTE: SlurmDBD must be up.\n"
"      --me                        equivalent to --user=<current user>\n"
"  -n, --name=job_name             act only on jobs with this name\n"
"  -p, --partition=partition       act only on jobs in this partition\n"
"  -Q, --quiet                     disable warnings\n"
"  -q, --qos=qos                   act only on jobs with this quality of service\n"
"  -R, --reservation=reservation   act only on jobs with this reservation\n"
"      --sibling=cluster_name      remove an active sibling job from a federated job\n"
"  -s, --signal=name | integer     signal to send to job, default is SIGKILL\n"
"  -t, --state=states              act only on jobs in this state.  Valid job\n"
"                                  states are PENDING, RUNNING and SUSPENDED\n"
"  -u, --user=user_name            act only on jobs of this user\n"
"  -V, --version                   output version information and exit\n"
"  -v, --verbose                   verbosity level\n"
"  -w, --nodelist                  act only on jobs on these nodes\n"
"      --wckey=wckey               act only on jobs with this workload\n"
"                                  charactization key\n"
"\n"
"Help options:\n"
"  --help                          show this help message\n"
"  --usage                         display brief usage message\n");
}

int
cmd_scancel(int argc, char **argv)
{
	enum { O_HELP = 0x100, O_USAGE, O_CTLD, O_WCKEY, O_SIBLING, O_ME };
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'A' },
		{ "batch", no_argument, NULL, 'b' },
		{ "ctld", no_argument, NULL, O_CTLD },
		{ "full", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, O_HELP },
		{ "hurry", no_argument, NULL, 'H' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "cluster", required_argument, NULL, 'M' },
		{ "clusters", required_argument, NULL, 'M' },
		{ "jobname", required_argument, NULL, 'n' },
		{ "me", no_argument, NULL, O_ME },
		{ "name", required_argument, NULL, 'n' },
		{ "nodelist", required_argument, NULL, 'w' },
		{ "partition", required_argument, NULL, 'p' },
		{ "qos", required_argument, NULL, 'q' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ "reservation", required_argument, NULL, 'R' },
		{ "sibling", required_argument, NULL, O_SIBLING },
		{ "signal", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 't' },
		{ "usage", no_argument, NULL, O_USAGE },
		{ "user", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "wckey", required_argument, NULL, O_WCKEY },
		{ NULL, 0, NULL, 0 }
	};
	struct scancel_opts o;
	const char *v, *unsupported = NULL;
	char *me = NULL, *cl;
	bool full = false, verbose = false;
	int c, sig;

	memset(&o, 0, sizeof o);
	o.state = -1;
	env_bool("SCANCEL_BATCH", &o.batch);
	env_bool("SCANCEL_FULL", &full);
	if ((v = getenv("SCANCEL_NAME")) != NULL)
		o.name = v;
	if ((v = getenv("SCANCEL_PARTITION")) != NULL)
		o.partition = v;
	if ((v = getenv("SCANCEL_STATE")) != NULL &&
	    (o.state = parse_state(v, true)) == -1)
		return 1;
	if ((v = getenv("SCANCEL_USER")) != NULL)
		o.user = v;
	env_bool("SCANCEL_VERBOSE", &verbose);
	o.verbose = verbose ? 1 : 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "A:bfHiM:n:p:Qq:R:s:t:u:vVw:",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o.batch = true;
			break;
		case 'f':
			full = true;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'p':
			o.partition = optarg;
			break;
		case 'Q':
			o.verbose = -1;
			break;
		case 's':
			if ((sig = scancel_sig_parse(optarg)) == 0) {
				fprintf(stderr, "Unknown job signal: %s\n",
				    optarg);
				return 1;
			}
			o.req.signal = (uint32_t)sig;
			o.signal_set = true;
			break;
		case 't':
			if ((o.state = parse_state(optarg, false)) == -1)
				return 1;
			break;
		case 'u':
			o.user = optarg;
			break;
		case O_ME:
			free(me);
			me = xprintf("%u", (unsigned)getuid());
			o.user = me;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case O_HELP:
			help();
			return 0;
		case O_USAGE:
			usage();
			return 0;
		case 'A':
			unsupported = "--account";
			break;
		case 'q':
			unsupported = "--qos";
			break;
		case 'R':
			unsupported = "--reservation";
			break;
		case 'w':
			unsupported = "--nodelist";
			break;
		case O_WCKEY:
			unsupported = "--wckey";
			break;
		case O_SIBLING:
			unsupported = "--sibling";
			break;
		case 'i':
			unsupported = "--interactive";
			break;
		case 'H':
		case 'M':
			if (client_clusters_check(optarg, &cl) == -1)
				return 1;
			free(cl);
			break;
		case O_CTLD:
			break;
		default:
			fprintf(stderr, "Try \"scancel --help\" for more "
			    "information\n");
			return 1;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (scancel_add_steps(argv[i], &o.req.ids, &o.req.tasks,
		    &o.req.steps, &o.req.nids) == -1) {
			cli_err("Invalid job id %s", argv[i]);
			return 1;
		}
	}
	if (unsupported != NULL) {
		cli_err("%s is not supported by berth", unsupported);
		return 1;
	}
	if (o.user != NULL) {
		/* A name or a number: the daemon resolves it (send_cancel). */
		o.req.users = xcalloc(2, sizeof *o.req.users);
		o.req.users[0] = xstrdup(o.user);
	}
	if (o.req.nids == 0 && o.name == NULL && o.partition == NULL &&
	    o.state == -1 && o.user == NULL) {
		cli_err("No job identification provided");
		return 1;
	}
	if (o.name != NULL) {
		o.req.names = xcalloc(2, sizeof *o.req.names);
		o.req.names[0] = xstrdup(o.name);
	}
	if (o.partition != NULL) {
		o.req.partitions = xcalloc(2, sizeof *o.req.partitions);
		o.req.partitions[0] = xstrdup(o.partition);
	}
	if (o.state != -1)
		o.req.states = 1u << o.state;
	if (o.batch)
		o.req.flags |= CANCEL_F_BATCH;
	if (full)
		o.req.flags |= CANCEL_F_FULL;

	c = send_cancel(&o);
	cancel_req_free(&o.req);
	free(me);
	return c;
}
