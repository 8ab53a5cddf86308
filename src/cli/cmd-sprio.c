/* SPDX-License-Identifier: MIT */
/*
 * sprio: the factors of pending jobs' priorities under
 * priority/multifactor, as Slurm's sprio prints them (src/sprio/: the
 * default and -l/-n formats, the Weights line of -w, "-S" keys with "i"
 * as default).  One MSG_PRIO_QUERY answers with the priority type, the
 * weights and one row per pending, eligible, not held job; the daemon
 * recomputes priorities for it, so the PRIORITY column is the Priority=
 * that squeue (%Q) and scontrol show.
 *
 * With priority/basic sprio fails as Slurm's does ("You are not running a
 * supported priority plugin"), exit 1.  Default columns: those whose
 * weight is not 0, as in Slurm.
 *
 * Differs: %c (cluster), %n (QOS name) and %o (account) are not
 * available, and an unknown %letter is an error (Slurm prints an error
 * and goes on); --federation, --local and --sibling are accepted and
 * ignored (one cluster).  -M/--clusters: berth's ClusterName (any case)
 * or "all" is accepted (no CLUSTER line: Slurm's sprio prints none);
 * other names get Slurm's errors and, when none is berth's, exit 1
 * (clusters.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../fmt/fmt.h"
#include "../proto/prio.h"
#include "cli.h"

#define SPRIO_LONG \
	"%.15i %9r %.8u %.10Y %.10S %.10A %.10B %.10F %.10J %.10P %.10Q " \
	"%.11N %.20T"
#define SPRIO_NORM_LONG \
	"%.15i %9r %.8u %10y %10a %10b %10f %10j %10p %10q %20t"

struct sprio_opts {
	bool		 noheader;
	bool		 longfmt;
	bool		 norm;
	bool		 weights;
	const char	*format;
	const char	*sort;
	struct job_filter f;
};

static const struct option longopts[] = {
	{ "noheader",	no_argument,	   NULL, 'h' },
	{ "jobs",	optional_argument, NULL, 'j' },
	{ "long",	no_argument,	   NULL, 'l' },
	{ "cluster",	required_argument, NULL, 'M' },
	{ "clusters",	required_argument, NULL, 'M' },
	{ "norm",	no_argument,	   NULL, 'n' },
	{ "format",	required_argument, NULL, 'o' },
	{ "sort",	required_argument, NULL, 'S' },
	{ "partition",	required_argument, NULL, 'p' },
	{ "user",	required_argument, NULL, 'u' },
	{ "users",	required_argument, NULL, 'u' },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ "weights",	no_argument,	   NULL, 'w' },
	{ "federation",	no_argument,	   NULL, 0x100 },
	{ "help",	no_argument,	   NULL, 0x101 },
	{ "local",	no_argument,	   NULL, 0x102 },
	{ "sib",	no_argument,	   NULL, 0x103 },
	{ "sibling",	no_argument,	   NULL, 0x103 },
	{ "usage",	no_argument,	   NULL, 0x104 },
	{ NULL,		0,		   NULL, 0 }
};

static const char usage_text[] =
"Usage: sprio [-j jid[s]] [-u user_name[s]] [-o format] [-p partitions]\n"
"     [--federation] [--local] [--sibling] [--usage] [-hlnvVw]\n";

static const char help_text[] =
"Usage: sprio [OPTIONS]\n"
"  -h, --noheader                  no headers on output\n"
"  -j, --jobs                      comma separated list of jobs\n"
"                                  to view, default is all\n"
"  -l, --long                      long report\n"
"  -M, --cluster=cluster_name      cluster to issue commands to.  Default is\n"
"                                  current cluster.  cluster with no name will\n"
"                                  reset to default.\n"
"  -n, --norm                      display normalized values\n"
"  -o, --format=format             format specification\n"
"  -p, --partition=partition_name  comma separated list of partitions\n"
"  -S, --sort=fields               comma separated list of fields to sort on\n"
"  -u, --user=user_name            comma separated list of users to view\n"
"  -v, --verbose                   verbosity level\n"
"  -V, --version                   output version information and exit\n"
"  -w, --weights                   show the weights for each priority factor\n"
"      --federation                Report federated information if a member\n"
"                                  of one\n"
"      --local                     Report information only about jobs on the\n"
"                                  local cluster.\n"
"      --sibling                   Report information about all sibling jobs\n"
"                                  on a federated cluster.\n"
"\n"
"Help options:\n"
"  --help                          show this help message\n"
"  --usage                         display a brief summary of sprio options\n";

/*
 * "12,13": job ids; -1 on a bad one (Slurm: "Invalid job id: X").  Each
 * is read as Slurm's sprio reads it, with strtol into an int (checked on
 * 22.05.8): J+2^32 is J; 0, 2147483648, 4294967295 and 4294967296 are
 * invalid.
 */
static int
parse_jobs(struct job_filter *f, const char *s)
{
	char **v = strv_split(s, ",", NULL), *end;
	int32_t id;
	size_t n = strv_len(v);

	f->ids = xreallocarray(f->ids, f->nids + n + 1, sizeof *f->ids);
	for (size_t i = 0; i < n; i++) {
		id = (int32_t)(uint32_t)(unsigned long long)strtoll(v[i], &end,
		    10);
		if (end == v[i] || *end != '\0' || id <= 0) {
			cli_err("Invalid job id: %s", v[i]);
			strv_free(v);
			return -1;
		}
		f->ids[f->nids++] = (uint32_t)id;
	}
	strv_free(v);
	return 0;
}

/* Drop users the daemon does not know, with Slurm's error for each. */
static int
check_users(struct job_filter *f)
{
	char **known, *cause = NULL;
	size_t k = 0;
	int r;

	if (f->users == NULL)
		return 0;
	known = xcalloc(strv_len(f->users) + 1, sizeof *known);
	for (size_t i = 0; f->users[i] != NULL; i++) {
		if ((r = client_user_known(f->users[i], NULL, &cause)) == -1) {
			fprintf(stderr, "Couldn't get priority factors from "
			    "controller: %s\n", cause);
			free(cause);
			strv_free(known);
			return -1;
		}
		if (r == 1)
			known[k++] = xstrdup(f->users[i]);
		else
			cli_err("Invalid user: %s\n", f->users[i]);
	}
	strv_free(f->users);
	f->users = known;
	return 0;
}

static const char *
default_format(const struct sprio_opts *o, const struct prio_list *l,
    struct buf *b)
{
	bool users = o->f.users != NULL;

	if (o->longfmt)
		return o->norm ? SPRIO_NORM_LONG : SPRIO_LONG;
	buf_init(b);
	if (o->norm) {
		buf_printf(b, "%%.15i %%9r%s %%10y", users ? " %.8u" : "");
		if (l->w_age)
			buf_printf(b, " %%10a");
		if (l->w_fs)
			buf_printf(b, " %%10f");
		if (l->w_js)
			buf_printf(b, " %%10j");
		if (l->w_part)
			buf_printf(b, " %%10p");
		if (l->w_qos)
			buf_printf(b, " %%10q");
	} else {
		buf_printf(b, "%%.15i %%9r%s %%.10Y %%.10S",
		    users ? " %.8u" : "");
		if (l->w_age)
			buf_printf(b, " %%.10A");
		if (l->w_fs)
			buf_printf(b, " %%.10F");
		if (l->w_js)
			buf_printf(b, " %%.10J");
		if (l->w_part)
			buf_printf(b, " %%.10P");
		if (l->w_qos)
			buf_printf(b, " %%.10Q");
	}
	return b->data;
}

/* -S keys: a comma list of letters, '-' before one for descending. */
static double
sort_value(const struct prio_row *r, char key)
{
	switch (key) {
	case 'a': case 'A': return r->age;
	case 'f': case 'F': return r->fs;
	case 'j': case 'J': return r->js;
	case 'p': case 'P': return r->part;
	case 'q': case 'Q': return r->qos;
	case 'y': case 'Y': return r->priority;
	case 'N': return r->nice;
	case 't': case 'T': return 0;
	default: return r->id;
	}
}

static int
sort_cmp(const void *pa, const void *pb, void *spec)
{
	const struct prio_row *a = ((const struct fmt_prio_rec *)pa)->row;
	const struct prio_row *b = ((const struct fmt_prio_rec *)pb)->row;
	const char *s = spec;
	int c = 0;
	for (; *s != '\0' && c == 0; s++) {
		bool desc = false;
		double x, y;

		if (*s == ',' || *s == '+')
			continue;
		if (*s == '-') {
			desc = true;
			if (*++s == '\0')
				break;
		}
		if (*s == 'r' || *s == 'u') {
			c = strcmp(*s == 'r' ? (a->partition ? a->partition :
			    "") : (a->user ? a->user : ""), *s == 'r' ?
			    (b->partition ? b->partition : "") : (b->user ?
			    b->user : ""));
		} else {
			x = sort_value(a, *s);
			y = sort_value(b, *s);
			c = x < y ? -1 : x > y;
		}
		if (desc)
			c = -c;
	}
	if (c == 0)
		c = a->id < b->id ? -1 : a->id > b->id;
	return c;
}

static int
check_sort(const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr(",+-iNruaAfFjJpPqQtTyY", *s) == NULL) {
			cli_err("Invalid sort specification: %c", *s);
			return -1;
		}
	}
	return 0;
}

int
cmd_sprio(int argc, char **argv)
{
	struct sprio_opts o;
	struct prio_list l;
	struct fmt_list fl;
	struct fmt_prio_rec *recs, weights;
	const void **ptrs;
	struct fmt_ctx ctx;
	struct msg req, resp;
	struct buf fb;
	const char *fmt, *env;
	char *text = NULL, *cause = NULL, *cl;
	uint16_t rtype;
	uint32_t code;
	bool jobs_flag = false, fmt_given = false;
	int c, rc;

	memset(&o, 0, sizeof o);
	memset(&fb, 0, sizeof fb);
	optind = 1;
	while ((c = getopt_long(argc, argv, "hj::lM:no:S:p:u:vVw", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			o.noheader = true;
			break;
		case 'j':
			jobs_flag = true;
			if (optarg != NULL && parse_jobs(&o.f, optarg) == -1)
				return 1;
			break;
		case 'l':
			o.longfmt = true;
			fmt_given = true;
			break;
		case 'M':
			if (client_clusters_check(optarg, &cl) == -1)
				return 1;
			free(cl);
			break;
		case 'v':
		case 0x100:
		case 0x102:
		case 0x103:
			break;
		case 'n':
			o.norm = true;
			break;
		case 'o':
			o.format = optarg;
			fmt_given = true;
			break;
		case 'S':
			o.sort = optarg;
			break;
		case 'p':
			strv_free(o.f.partitions);
			o.f.partitions = strv_split(optarg, ",", NULL);
			break;
		case 'u':
			strv_free(o.f.users);
			o.f.users = strv_split(optarg, ",", NULL);
			break;
		case 'V':
			printf("%s\n", BERTH_VERSION_LINE);
			return 0;
		case 'w':
			o.weights = true;
			break;
		case 0x101:
			fputs(help_text, stdout);
			return 0;
		case 0x104:
			fputs(usage_text, stdout);
			return 0;
		default:
			fprintf(stderr, "Try \"sprio --help\" for more "
			    "information\n");
			return 1;
		}
	}
	if (o.longfmt && o.format != NULL) {
		fprintf(stderr, "%s: fatal: Options -o(--format) and -l(--long) "
		    "are mutually exclusive. Please remove one and retry.\n",
		    cli_prog);
		return 1;
	}
	if (!fmt_given && (env = getenv("SPRIO_FORMAT")) != NULL)
		o.format = env;
	if (optind < argc) {
		if (jobs_flag && parse_jobs(&o.f, argv[optind++]) == -1)
			return 1;
		if (optind < argc) {
			cli_err("Unrecognized option: %s", argv[optind]);
			fputs(usage_text, stdout);
			return 1;
		}
	}
	if (o.sort != NULL && check_sort(o.sort) == -1)
		return 1;
	if (check_users(&o.f) == -1)
		return 1;

	msg_init(&req);
	msg_init(&resp);
	proto_filter_put(&req, &o.f);
	rc = client_request(MSG_PRIO_QUERY, &req, &rtype, &resp, &code, &text);
	msg_free(&req);
	if (rc == -1)
		return 1;
	if (rc == 1) {
		fprintf(stderr, "Couldn't get priority factors from "
		    "controller: %s\n", text);
		return 1;
	}
	if (rtype != MSG_PRIO_LIST || prio_list_get(&resp, &l) == -1 ||
	    msg_end(&resp) == -1) {
		fprintf(stderr, "Couldn't get priority factors from "
		    "controller: %s\n", berth_strerror(BERTH_EPROTO));
		return 1;
	}
	msg_free(&resp);
	if (!l.multifactor) {
		fprintf(stderr, "You are not running a supported priority "
		    "plugin\n(priority/basic).\nOnly 'priority/multifactor' "
		    "is supported.\n");
		return 1;
	}

	fmt = o.format != NULL ? o.format : default_format(&o, &l, &fb);
	if (fmt_parse_letters(&fl, &fmt_prio_table, "job", fmt, &cause) ==
	    -1) {
		cli_err("%s", cause);
		return 1;
	}
	memset(&ctx, 0, sizeof ctx);
	if (o.f.nids > 0 && l.n == 0) {
		printf("Unable to find jobs matching user/id(s) specified\n");
		return 0;
	}
	if (o.weights) {
		weights.row = NULL;
		weights.list = &l;
		ptrs = xcalloc(1, sizeof *ptrs);
		ptrs[0] = &weights;
		fmt_print(stdout, &fl, ptrs, 1, &ctx,
		    o.noheader ? FMT_NOHEADER : 0);
		fflush(stdout);
		return ferror(stdout) ? 1 : 0;
	}
	recs = xcalloc(l.n + 1, sizeof *recs);
	ptrs = xcalloc(l.n + 1, sizeof *ptrs);
	for (uint32_t i = 0; i < l.n; i++) {
		recs[i].row = &l.rows[i];
		recs[i].list = &l;
	}
	/* Slurm's default: "i"; the id breaks any remaining tie. */
	qsort_r(recs, l.n, sizeof *recs, sort_cmp, (void *)(uintptr_t)
	    (o.sort != NULL ? o.sort : "i"));
	for (uint32_t i = 0; i < l.n; i++)
		ptrs[i] = &recs[i];
	fmt_print(stdout, &fl, ptrs, l.n, &ctx, o.noheader ? FMT_NOHEADER :
	    0);
	fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}
