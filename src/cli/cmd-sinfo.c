/* SPDX-License-Identifier: MIT */
/*
 * sinfo: options, one MSG_NODE_QUERY, then sinfo-print.c prints the table.
 * -l prints the date line first (unless -h); -i repeats every N seconds
 * with a blank line between passes, as Slurm does.
 *
 * Partitions whose AllowGroups leave the caller out are shown only with
 * -a or -p, as Slurm does (SHOW_ALL).
 * -M/--clusters: the daemon's ClusterName (any case) or "all" prints
 * "CLUSTER: name" before each pass's output (after -l's date line; not
 * with -h); other names get Slurm's errors (clusters.c), exit 1 when no
 * name is berth's cluster, as real sinfo 22.05 does.
 * Accepted and ignored (one cluster, no Hidden partitions, no sort keys
 * beyond the default): -e, -S, -v, --hide, --local, --federation,
 * --noconvert.  -T prints the empty reservation table (berth has no
 * reservations).
 */
#include "gnuopt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "cli.h"
#include "scontrol.h"
#include "sinfo.h"

static void	 help(void);
static void	 usage_brief(void);
static int	 one_pass(const struct sinfo_opts *);
static int	 load(struct node_info *, struct part_info **, uint32_t *);

/* -M's cluster name, printed as "CLUSTER: name"; NULL without -M. */
static char	*cluster;

static int
load(struct node_info *node, struct part_info **parts, uint32_t *nparts)
{
	struct msg req, resp;
	uint16_t rtype;
	uint32_t code, n;
	char *text = NULL;
	int rc;

	memset(node, 0, sizeof *node);
	*parts = NULL;
	*nparts = 0;
	msg_init(&req);
	msg_init(&resp);
	rc = client_request(MSG_NODE_QUERY, &req, &rtype, &resp, &code, &text);
	msg_free(&req);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		fprintf(stderr, "slurm_load_partitions: %s\n", text);
		free(text);
		msg_free(&resp);
		return -1;
	}
	if (rtype != MSG_NODE_INFO || proto_node_get(&resp, node) == -1)
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
	fprintf(stderr, "slurm_load_partitions: %s\n",
	    berth_strerror(BERTH_EPROTO));
	msg_free(&resp);
	for (uint32_t i = 0; i < *nparts; i++)
		part_info_free(&(*parts)[i]);
	free(*parts);
	*parts = NULL;
	*nparts = 0;
	node_info_free(node);
	return -1;
}

static int
one_pass(const struct sinfo_opts *o)
{
	struct node_info node;
	struct part_info *parts;
	uint32_t nparts;
	char date[64];
	time_t now;
	int rc;

	if (o->long_output && !o->no_header) {
		now = time(NULL);
		strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y",
		    localtime(&now));
		printf("%s\n", date);
	}
	if (cluster != NULL && !o->no_header)
		printf("CLUSTER: %s\n", cluster);
	if (o->resv) {
		if (!o->no_header)
			printf("%-9s  %8s  %19s  %19s  %11s  %s\n",
			    "RESV_NAME", "STATE", "START_TIME", "END_TIME",
			    "DURATION", "NODELIST");
		return 0;
	}
	if (load(&node, &parts, &nparts) == -1)
		return 1;
	rc = sinfo_print(stdout, o, &node, parts, nparts, now_sec()) == -1;
	for (uint32_t i = 0; i < nparts; i++)
		part_info_free(&parts[i]);
	free(parts);
	node_info_free(&node);
	return rc;
}

static void
usage_brief(void)
{
	printf(
"Usage: sinfo [-adelNRrsTv] [-i seconds] [-t states] [-p partition] [-n nodes]\n"
"             [-S fields] [-o format] [-O Format] [--federation] [--local]\n");
}

static void
help(void)
{
	printf(
"Usage: sinfo [OPTIONS]\n"
"  -a, --all                  show all partitions (including hidden and those\n"
"                             not accessible)\n"
"  -d, --dead                 show only non-responding nodes\n"
"  -e, --exact                group nodes only on exact match of configuration\n"
"      --federation           Report federated information if a member of one\n"
"  -h, --noheader             no headers on output\n"
"  --hide                     do not show hidden or non-accessible partitions\n"
"  -i, --iterate=seconds      specify an iteration period\n"
"      --local                show only local cluster in a federation.\n"
"                             Overrides --federation.\n"
"  -l, --long                 long output - displays more information\n"
"  -M, --clusters=names       clusters to issue commands to. Implies --local.\n"
"                             NOTE: SlurmDBD must be up.\n"
"  -n, --nodes=NODES          report on specific node(s)\n"
"  --noconvert                don't convert units from their original type\n"
"                             (e.g. 2048M won't be converted to 2G).\n"
"  -N, --Node                 Node-centric format\n"
"  -o, --format=format        format specification\n"
"  -O, --Format=format        long format specification\n"
"  -p, --partition=PARTITION  report on specific partition\n"
"  -r, --responding           report only responding nodes\n"
"  -R, --list-reasons         list reason nodes are down or drained\n"
"  -s, --summarize            report state summary only\n"
"  -S, --sort=fields          comma separated list of fields to sort on\n"
"  -t, --states=node_state    specify the what states of nodes to view\n"
"  -T, --reservation          show only reservation information\n"
"  -v, --verbose              verbosity level\n"
"  -V, --version              output version information and exit\n"
"\n"
"Help options:\n"
"  --help                     show this help message\n"
"  --usage                    display brief usage message\n");
}

int
cmd_sinfo(int argc, char **argv)
{
	enum { O_HELP = 0x100, O_USAGE, O_IGNORE };
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "dead", no_argument, NULL, 'd' },
		{ "exact", no_argument, NULL, 'e' },
		{ "federation", no_argument, NULL, O_IGNORE },
		{ "help", no_argument, NULL, O_HELP },
		{ "hide", no_argument, NULL, O_IGNORE },
		{ "iterate", required_argument, NULL, 'i' },
		{ "local", no_argument, NULL, O_IGNORE },
		{ "long", no_argument, NULL, 'l' },
		{ "cluster", required_argument, NULL, 'M' },
		{ "clusters", required_argument, NULL, 'M' },
		{ "nodes", required_argument, NULL, 'n' },
		{ "noconvert", no_argument, NULL, O_IGNORE },
		{ "noheader", no_argument, NULL, 'h' },
		{ "Node", no_argument, NULL, 'N' },
		{ "format", required_argument, NULL, 'o' },
		{ "Format", required_argument, NULL, 'O' },
		{ "partition", required_argument, NULL, 'p' },
		{ "responding", no_argument, NULL, 'r' },
		{ "list-reasons", no_argument, NULL, 'R' },
		{ "summarize", no_argument, NULL, 's' },
		{ "sort", required_argument, NULL, 'S' },
		{ "states", required_argument, NULL, 't' },
		{ "reservation", no_argument, NULL, 'T' },
		{ "usage", no_argument, NULL, O_USAGE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sinfo_opts o;
	const char *env;
	char *bad;
	bool a_set = false;
	int c, rc;

	memset(&o, 0, sizeof o);
	if ((env = getenv("SINFO_PARTITION")) != NULL && *env != '\0')
		o.parts = strv_split(env, ",", NULL);
	optind = 1;
	while ((c = getopt_long(argc, argv, "adehi:lM:n:No:O:p:rRsS:t:TvV",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			a_set = true;
			o.all = true;
			strv_free(o.parts);
			o.parts = NULL;
			break;
		case 'd':
			o.dead = true;
			break;
		case 'h':
			o.no_header = true;
			break;
		case 'i':
			o.iterate = atoi(optarg);
			if (o.iterate <= 0) {
				cli_err("Error: invalid entry for "
				    "--iterate=%s", optarg);
				return 1;
			}
			break;
		case 'l':
			o.long_output = true;
			break;
		case 'n':
			strv_free(o.nodes);
			o.nodes = strv_split(optarg, ",", NULL);
			break;
		case 'N':
			o.node_flag = true;
			break;
		case 'o':
			o.format = optarg;
			o.long_format = NULL;
			break;
		case 'O':
			o.long_format = optarg;
			o.format = NULL;
			break;
		case 'p':
			if (a_set) {
				cli_err("Conflicting options, -a and -p, "
				    "specified. Please choose one or the "
				    "other.");
				return 1;
			}
			strv_free(o.parts);
			o.parts = strv_split(optarg, ",", NULL);
			o.all = true;	/* Slurm: -p sets all_flag */
			break;
		case 'r':
			o.responding = true;
			break;
		case 'R':
			o.reasons = true;
			break;
		case 's':
			o.summarize = true;
			break;
		case 't':
			if (sinfo_states_parse(optarg, &o.states, &bad) == -1) {
				cli_err("Bad state string: \"%s\"", bad);
				cli_err("valid states: %s", sinfo_valid_states);
				free(bad);
				return 1;
			}
			o.have_states = true;
			break;
		case 'T':
			o.resv = true;
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case O_HELP:
			help();
			return 0;
		case O_USAGE:
			usage_brief();
			return 0;
		case 'M':
			free(cluster);
			if (client_clusters_check(optarg, &cluster) == -1)
				return 1;
			break;
		case 'e':
		case 'S':
		case 'v':
		case O_IGNORE:
			break;
		default:
			fprintf(stderr, "Try \"sinfo --help\" for more "
			    "information\n");
			return 1;
		}
	}
	if (o.reasons && !o.have_states) {
		(void)sinfo_states_parse("down,fail,drain", &o.states, &bad);
		o.have_states = true;
	}
	for (;;) {
		rc = one_pass(&o);
		fflush(stdout);
		if (o.iterate <= 0)
			break;
		printf("\n");
		sleep((unsigned)o.iterate);
	}
	strv_free(o.parts);
	strv_free(o.nodes);
	free(cluster);
	return rc;
}
