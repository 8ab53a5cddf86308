/* SPDX-License-Identifier: MIT */
/*
 * berth.conf: detected machine values, overridden by a file in slurm.conf
 * syntax (see config.h and man/berth.conf.5).
 *
 * Syntax, as slurm.conf: each line holds KEY=VALUE pairs separated by
 * white space; keys are case-insensitive; a value may be double-quoted to
 * hold spaces; '#' starts a comment (outside quotes; "\#" is a literal
 * '#'); a trailing backslash joins the next line.  A line whose first key
 * is NodeName or PartitionName describes that object and its other pairs
 * are that object's keys; NodeName=DEFAULT and PartitionName=DEFAULT set
 * defaults for the lines that follow them.  Unknown keys are ignored, a
 * malformed value of a known key is an error naming the file and line.
 *
 * berth manages one node.  Its values come from the last named NodeName
 * line (built on the NodeName=DEFAULT values in force at that line), and
 * whatever that leaves unset is detected: CPUs from the affinity mask,
 * memory from /proc/meminfo, GPUs from nvidia-smi or /proc.  GPU detection
 * runs only when Gres= is not configured.
 *
 * Invariant after conf_load returns 0: nparts >= 1, exactly one partition
 * has is_default and default_part is its index, 1 <= cpus <= the usable
 * CPUs of the machine and cpu_ids lists exactly cpus ids.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "../common/parse.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "../proto/job.h"
#include "../resource/resource.h"
#include "config.h"

#define CONF_MAX_SIZE	(4 * 1024 * 1024)

/* Which fields of a NodeName line (or of the defaults) were given. */
#define NF_CPUS		0x001
#define NF_MEM		0x002
#define NF_GRES		0x004
#define NF_FEATURES	0x008
#define NF_SOCKETS	0x010
#define NF_CORES	0x020
#define NF_THREADS	0x040
#define NF_BOARDS	0x080
#define NF_SPB		0x100
#define NF_TOPOLOGY	(NF_SOCKETS | NF_CORES | NF_THREADS | NF_BOARDS | NF_SPB)

/* Top-level fields that change how defaults are computed. */
#define TF_DEFMEM	0x001

struct node_conf {
	char		*name;		/* NULL for the DEFAULT values */
	uint32_t	 set;		/* NF_* */
	int		 line;		/* last NodeName line applied */
	int		 cpus_line;	/* line that gave CPUs= */
	uint32_t	 cpus;
	uint64_t	 mem;
	uint32_t	 gpus;
	char		*gpu_type;
	char		*features;
	uint32_t	 sockets;
	uint32_t	 cores;
	uint32_t	 threads;
	uint32_t	 boards;
	uint32_t	 sockets_per_board;
};

struct parser {
	const char		*path;
	int			 line;
	char			**cause;
	struct berth_conf	*conf;
	uint32_t		 top_set;	/* TF_* */
	struct part_conf	 pdef;		/* PartitionName=DEFAULT */
	struct node_conf	 ndef;		/* NodeName=DEFAULT */
	struct node_conf	 node;		/* last named NodeName line */
	int			 have_node;
};

enum key_type {
	KT_IGNORE,	/* known, accepted, no effect on one node */
	KT_U32,		/* decimal, within [min, max] */
	KT_U64,
	KT_STR,		/* any text; "" -> NULL */
	KT_ACL,		/* text; "ALL" -> NULL */
	KT_CLUSTER,	/* text, lower-cased, not empty */
	KT_TIME,	/* parse_time_limit */
	KT_LIMIT,	/* decimal or UNLIMITED/INFINITE -> INFINITE */
	KT_MEMLIMIT,	/* MB or UNLIMITED/INFINITE -> 0 */
	KT_YESNO,	/* bool */
	KT_PSTATE,	/* UP, DOWN, DRAIN, INACTIVE */
	KT_GRES,	/* gpu[:type][:N][,...] */
	KT_SCHED,	/* SchedulerParameters */
	KT_DEPPARAM,	/* DependencyParameters */
	KT_PRIOTYPE,	/* priority/basic, priority/multifactor */
	KT_PTIME,	/* a Slurm time in minutes, "0" meaning 0 */
	KT_ENFORCE,	/* EnforcePartLimits: NO, ANY (YES), ALL */
};

/* Names are arrays, not pointers: the tables need no relocation and stay
 * in read-only data. */
struct conf_key {
	char		 name[24];
	enum key_type	 type;
	size_t		 off;
	uint32_t	 flag;	/* NF_* or TF_* set when given */
	uint64_t	 min;
	uint64_t	 max;	/* 0: no limit */
};

#define TOP(n, t, f, fl, mn, mx) \
	{ n, t, offsetof(struct berth_conf, f), fl, mn, mx }
static const struct conf_key top_keys[] = {
	TOP("ClusterName", KT_CLUSTER, cluster_name, 0, 0, 0),
	TOP("DefMemPerCPU", KT_U64, def_mem_per_cpu, TF_DEFMEM, 0, 0),
	TOP("DependencyParameters", KT_DEPPARAM, kill_invalid_depend, 0, 0,
	    0),
	TOP("EnforcePartLimits", KT_ENFORCE, enforce_part_limits, 0, 0, 0),
	TOP("FirstJobId", KT_U32, first_job_id, 0, 1, 0),
	TOP("JobRequeue", KT_U32, job_requeue, 0, 0, 1),
	TOP("KillWait", KT_U32, kill_wait, 0, 0, 65533),
	TOP("MaxArraySize", KT_U32, max_array_size, 0, 0, 4000001),
	TOP("MaxJobCount", KT_U32, max_job_count, 0, 1, 0),
	TOP("MinJobAge", KT_U32, min_job_age, 0, 0, 0),
	TOP("PriorityCalcPeriod", KT_PTIME, prio_calc_period, 0, 0, 0),
	TOP("PriorityDecayHalfLife", KT_PTIME, prio_half_life, 0, 0, 0),
	TOP("PriorityFavorSmall", KT_YESNO, prio_favor_small, 0, 0, 0),
	TOP("PriorityMaxAge", KT_PTIME, prio_max_age, 0, 0, 0),
	TOP("PriorityType", KT_PRIOTYPE, prio_multifactor, 0, 0, 0),
	TOP("PriorityWeightAge", KT_U32, prio_w_age, 0, 0, 0),
	TOP("PriorityWeightFairshare", KT_U32, prio_w_fs, 0, 0, 0),
	TOP("PriorityWeightJobSize", KT_U32, prio_w_js, 0, 0, 0),
	TOP("PriorityWeightPartition", KT_U32, prio_w_part, 0, 0, 0),
	TOP("PriorityWeightQOS", KT_U32, prio_w_qos, 0, 0, 0),
	TOP("SchedulerParameters", KT_SCHED, max_script_size, 0, 0, 0),
};
#undef TOP

#define NODE(n, t, f, fl, mn) \
	{ n, t, offsetof(struct node_conf, f), fl, mn, 0 }
static const struct conf_key node_keys[] = {
	NODE("Boards", KT_U32, boards, NF_BOARDS, 1),
	NODE("CoresPerSocket", KT_U32, cores, NF_CORES, 1),
	NODE("CPUs", KT_U32, cpus, NF_CPUS, 1),
	NODE("Feature", KT_STR, features, NF_FEATURES, 0),
	NODE("Features", KT_STR, features, NF_FEATURES, 0),
	NODE("Gres", KT_GRES, gpus, NF_GRES, 0),
	NODE("Procs", KT_U32, cpus, NF_CPUS, 1),
	NODE("RealMemory", KT_U64, mem, NF_MEM, 1),
	NODE("Sockets", KT_U32, sockets, NF_SOCKETS, 1),
	NODE("SocketsPerBoard", KT_U32, sockets_per_board, NF_SPB, 1),
	NODE("ThreadsPerCore", KT_U32, threads, NF_THREADS, 1),
};
#undef NODE

#define PART(n, t, f, mx) \
	{ n, t, offsetof(struct part_conf, f), 0, 0, mx }
static const struct conf_key part_keys[] = {
	PART("AllowAccounts", KT_ACL, allow_accounts, 0),
	PART("AllowGroups", KT_ACL, allow_groups, 0),
	PART("Default", KT_YESNO, is_default, 0),
	PART("DefaultTime", KT_TIME, default_time, 0),
	PART("MaxCPUsPerNode", KT_LIMIT, max_cpus_per_node, 0),
	PART("MaxMemPerNode", KT_MEMLIMIT, max_mem_per_node, 0),
	PART("MaxNodes", KT_LIMIT, max_nodes, 0),
	PART("MaxTime", KT_TIME, max_time, 0),
	{ "Nodes", KT_IGNORE, 0, 0, 0, 0 },
	PART("PriorityJobFactor", KT_U32, priority_job_factor, 65533),
	PART("PriorityTier", KT_U32, priority_tier, 65533),
	PART("State", KT_PSTATE, state, 0),
};
#undef PART

/* Lines describing objects berth does not have: skipped whole. */
static const char ignored_lines[][16] = {
	"DownNodes", "FrontendName", "NodeSet", "SwitchName",
};

static int	 perr(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const struct conf_key *key_find(const struct conf_key *, size_t,
		    const char *);
static int	 is_unlimited(const char *);
static int	 set_gres(struct parser *, struct node_conf *, const char *,
		    const char *);
static int	 set_sched(struct parser *, struct berth_conf *, const char *,
		    const char *);
static int	 set_value(struct parser *, const struct conf_key *, void *,
		    uint32_t *, const char *);
static void	 node_conf_copy(struct node_conf *, const struct node_conf *);
static void	 node_conf_free(struct node_conf *);
static void	 part_conf_copy(struct part_conf *, const struct part_conf *);
static void	 part_conf_free(struct part_conf *);
static void	 part_defaults(struct part_conf *);
static int	 do_node(struct parser *, char **, char **, size_t);
static int	 do_part(struct parser *, char **, char **, size_t);
static int	 do_pairs(struct parser *, char **, char **, size_t);
static int	 split_pairs(struct parser *, char *, char ***, char ***,
		    size_t *);
static int	 do_line(struct parser *, char *);
static size_t	 strip_comment(char *);
static int	 parse_text(struct parser *, const char *);
static char	*cpulist_first(const char *, uint32_t);
static void	 topo_override(const struct node_conf *, uint32_t *,
		    uint32_t *, uint32_t *);
static int	 finish_node(struct parser *, const char *, uint32_t, int,
		    uint64_t, const char *);
static void	 finish_parts(struct berth_conf *);

/* Sets *cause to "<path> line N: <message>" and returns -1. */
static int
perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(p->cause, "%s line %d: %s", p->path, p->line, msg);
	free(msg);
	return -1;
}

static const struct conf_key *
key_find(const struct conf_key *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(tab[i].name, name) == 0)
			return &tab[i];
	}
	return NULL;
}

static int
is_unlimited(const char *v)
{
	return strcasecmp(v, "UNLIMITED") == 0 ||
	    strcasecmp(v, "INFINITE") == 0;
}

/*
 * Gres=gpu:2, gpu:a100:2, gpu:a100 (one), gpu (one), comma-separated with
 * other GRES (ignored); a "(S:0-1)" socket binding suffix is dropped.
 * GPUs of two different types cannot be described by one gpu_type.
 */
static int
set_gres(struct parser *p, struct node_conf *n, const char *key,
    const char *val)
{
	char **items, **f, *plain, *w, *type = NULL, *tname;
	const char *r;
	uint32_t total = 0, cnt;
	size_t nf;
	bool bad = false;
	int rc = -1, depth = 0;

	/* Drop "(S:0,1)" binding suffixes first: they may hold commas. */
	plain = w = xstrdup(val);
	for (r = val; *r != '\0'; r++) {
		if (*r == '(')
			depth++;
		else if (*r == ')' && depth > 0)
			depth--;
		else if (depth == 0)
			*w++ = *r;
	}
	*w = '\0';
	items = strv_split(plain, ",", NULL);
	free(plain);
	for (char **it = items; *it != NULL; it++) {
		f = strv_split(*it, ":", &nf);
		if (nf == 0 || strcasecmp(f[0], "gpu") != 0) {
			strv_free(f);
			continue;	/* mps, shard, ...: not berth's */
		}
		cnt = 1;
		tname = NULL;
		if (nf == 2 && isdigit((unsigned char)f[1][0]))
			bad = parse_u32(f[1], &cnt) == -1;
		else if (nf == 2)
			tname = f[1];
		else if (nf == 3) {
			tname = f[1];
			bad = parse_u32(f[2], &cnt) == -1;
		} else
			bad = nf > 3;
		if (bad) {
			strv_free(f);
			perr(p, "invalid %s value '%s'", key, val);
			goto out;
		}
		if (tname != NULL && type != NULL && strcmp(type, tname) != 0) {
			perr(p, "%s: GPUs of several types (%s, %s) are not "
			    "supported on one node", key, type, tname);
			strv_free(f);
			goto out;
		}
		if (tname != NULL && type == NULL)
			type = xstrdup(tname);
		if (UINT32_MAX - total < cnt) {
			strv_free(f);
			perr(p, "invalid %s value '%s'", key, val);
			goto out;
		}
		total += cnt;
		strv_free(f);
	}
	free(n->gpu_type);
	n->gpu_type = type;
	type = NULL;
	n->gpus = total;
	rc = 0;
out:
	free(type);
	strv_free(items);
	return rc;
}

/*
 * SchedulerParameters is a comma list of options; berth uses
 * max_script_size=N (bytes, as Slurm) and ignores the others.
 */
static int
set_sched(struct parser *p, struct berth_conf *conf, const char *key,
    const char *val)
{
	char **items;
	uint32_t v;
	int rc = 0;

	items = strv_split(val, ",", NULL);
	for (char **it = items; *it != NULL; it++) {
		if (strncasecmp(*it, "max_script_size=", 16) != 0)
			continue;
		if (parse_u32(*it + 16, &v) == -1 || v == 0) {
			rc = perr(p, "invalid %s value '%s'", key, *it);
			break;
		}
		conf->max_script_size = v;
	}
	strv_free(items);
	return rc;
}

/*
 * DependencyParameters is a comma list; berth uses kill_invalid_depend
 * (cancel jobs whose dependency can never be met) and ignores the others.
 */
static void
set_depparams(struct berth_conf *conf, const char *val)
{
	char **items = strv_split(val, ",", NULL);

	for (char **it = items; *it != NULL; it++)
		if (strcasecmp(*it, "kill_invalid_depend") == 0)
			conf->kill_invalid_depend = 1;
	strv_free(items);
}

/* Stores val into the field of base that k describes. */
static int
set_value(struct parser *p, const struct conf_key *k, void *base,
    uint32_t *mask, const char *val)
{
	char *field = (char *)base + k->off, *s;
	uint64_t u64;
	uint32_t u32;

	switch (k->type) {
	case KT_IGNORE:
		return 0;
	case KT_U32:
		if (parse_u32(val, &u32) == -1 || u32 < k->min ||
		    (k->max != 0 && u32 > k->max))
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_U64:
		if (parse_u64(val, &u64) == -1 || u64 < k->min ||
		    (k->max != 0 && u64 > k->max))
			goto bad;
		memcpy(field, &u64, sizeof u64);
		break;
	case KT_STR:
	case KT_ACL:
	case KT_CLUSTER:
		if (k->type == KT_CLUSTER && *val == '\0')
			goto bad;
		if (*val == '\0' ||
		    (k->type == KT_ACL && strcasecmp(val, "ALL") == 0))
			s = NULL;
		else
			s = xstrdup(val);
		if (s != NULL && k->type == KT_CLUSTER) {
			/* slurmctld lower-cases ClusterName too. */
			for (char *c = s; *c != '\0'; c++)
				*c = (char)tolower((unsigned char)*c);
		}
		free(*(char **)(void *)field);
		memcpy(field, &s, sizeof s);
		break;
	case KT_TIME:
		if (parse_time_limit(val, &u32) == -1)
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_LIMIT:
		if (is_unlimited(val))
			u32 = INFINITE;
		else if (parse_u32(val, &u32) == -1)
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_MEMLIMIT:
		if (is_unlimited(val))
			u64 = 0;
		else if (parse_u64(val, &u64) == -1)
			goto bad;
		memcpy(field, &u64, sizeof u64);
		break;
	case KT_YESNO:
		if (strcasecmp(val, "YES") == 0)
			*(bool *)(void *)field = true;
		else if (strcasecmp(val, "NO") == 0)
			*(bool *)(void *)field = false;
		else
			goto bad;
		break;
	case KT_PSTATE:
		if (strcasecmp(val, "UP") == 0)
			u32 = PART_UP;
		else if (strcasecmp(val, "DOWN") == 0)
			u32 = PART_DOWN;
		else if (strcasecmp(val, "DRAIN") == 0)
			u32 = PART_DRAIN;
		else if (strcasecmp(val, "INACTIVE") == 0)
			u32 = PART_INACTIVE;
		else
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_GRES:
		if (set_gres(p, base, k->name, val) == -1)
			return -1;
		break;
	case KT_SCHED:
		if (set_sched(p, base, k->name, val) == -1)
			return -1;
		break;
	case KT_DEPPARAM:
		set_depparams(base, val);
		break;
	case KT_ENFORCE:
		if (strcasecmp(val, "NO") == 0)
			u32 = 0;
		else if (strcasecmp(val, "ANY") == 0 ||
		    strcasecmp(val, "YES") == 0)
			u32 = 1;
		else if (strcasecmp(val, "ALL") == 0)
			u32 = 2;
		else
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_PRIOTYPE:
		if (strcasecmp(val, "priority/basic") == 0)
			u32 = 0;
		else if (strcasecmp(val, "priority/multifactor") == 0)
			u32 = 1;
		else
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	case KT_PTIME:
		if (strcmp(val, "0") == 0)
			u32 = 0;
		else if (parse_time_limit(val, &u32) == -1)
			goto bad;
		memcpy(field, &u32, sizeof u32);
		break;
	}
	if (mask != NULL)
		*mask |= k->flag;
	return 0;
bad:
	return perr(p, "invalid %s value '%s'", k->name, val);
}

static void
node_conf_copy(struct node_conf *dst, const struct node_conf *src)
{
	*dst = *src;
	dst->name = xstrdup0(src->name);
	dst->gpu_type = xstrdup0(src->gpu_type);
	dst->features = xstrdup0(src->features);
}

static void
node_conf_free(struct node_conf *n)
{
	free(n->name);
	free(n->gpu_type);
	free(n->features);
	memset(n, 0, sizeof *n);
}

static void
part_conf_copy(struct part_conf *dst, const struct part_conf *src)
{
	*dst = *src;
	dst->name = xstrdup0(src->name);
	dst->allow_groups = xstrdup0(src->allow_groups);
	dst->allow_accounts = xstrdup0(src->allow_accounts);
}

static void
part_conf_free(struct part_conf *pc)
{
	free(pc->name);
	free(pc->allow_groups);
	free(pc->allow_accounts);
	memset(pc, 0, sizeof *pc);
}

/* Slurm's partition defaults (scontrol show partition of a bare line). */
static void
part_defaults(struct part_conf *pc)
{
	memset(pc, 0, sizeof *pc);
	pc->state = PART_UP;
	pc->max_time = INFINITE;
	pc->default_time = NO_VAL;
	pc->max_nodes = INFINITE;
	pc->max_cpus_per_node = INFINITE;
	pc->max_mem_per_node = 0;
	pc->priority_tier = 1;
	pc->priority_job_factor = 1;
}

/* Applies the pairs after NodeName=... (keys[0]) to the node or defaults. */
static int
do_node(struct parser *p, char **keys, char **vals, size_t n)
{
	struct node_conf *target, tmp;
	const struct conf_key *k;
	const char *name = vals[0];

	if (*name == '\0' || strpbrk(name, "[],") != NULL)
		return perr(p, "NodeName: berth manages one node; '%s' is "
		    "not a single node name", name);
	if (strcasecmp(name, "DEFAULT") == 0)
		target = &p->ndef;
	else {
		node_conf_copy(&tmp, &p->ndef);
		free(tmp.name);
		tmp.name = xstrdup(name);
		node_conf_free(&p->node);
		p->node = tmp;
		p->have_node = 1;
		target = &p->node;
	}
	target->line = p->line;
	for (size_t i = 1; i < n; i++) {
		if ((k = key_find(node_keys, nitems(node_keys), keys[i])) ==
		    NULL)
			continue;
		if (set_value(p, k, target, &target->set, vals[i]) == -1)
			return -1;
		if (k->flag == NF_CPUS)
			target->cpus_line = p->line;
	}
	return 0;
}

/* Applies the pairs after PartitionName=... to a new partition or defaults. */
static int
do_part(struct parser *p, char **keys, char **vals, size_t n)
{
	struct berth_conf *conf = p->conf;
	struct part_conf pc, *target;
	const struct conf_key *k;
	const char *name = vals[0];

	if (*name == '\0' || strpbrk(name, ", \t") != NULL)
		return perr(p, "invalid PartitionName value '%s'", name);
	if (strcasecmp(name, "DEFAULT") == 0)
		target = &p->pdef;
	else {
		if (conf_find_part(conf, name) != -1)
			return perr(p, "duplicate PartitionName '%s'", name);
		part_conf_copy(&pc, &p->pdef);
		free(pc.name);
		pc.name = xstrdup(name);
		conf->parts = xreallocarray(conf->parts, conf->nparts + 1,
		    sizeof *conf->parts);
		conf->parts[conf->nparts++] = pc;
		target = &conf->parts[conf->nparts - 1];
	}
	for (size_t i = 1; i < n; i++) {
		if ((k = key_find(part_keys, nitems(part_keys), keys[i])) ==
		    NULL)
			continue;
		if (set_value(p, k, target, NULL, vals[i]) == -1)
			return -1;
	}
	if (target->default_time != NO_VAL && target->max_time != INFINITE &&
	    (target->default_time == INFINITE ||
	    target->default_time > target->max_time))
		return perr(p, "PartitionName=%s: DefaultTime exceeds MaxTime",
		    name);
	return 0;
}

/* A line of plain KEY=VALUE settings. */
static int
do_pairs(struct parser *p, char **keys, char **vals, size_t n)
{
	const struct conf_key *k;

	for (size_t i = 0; i < n; i++) {
		if ((k = key_find(top_keys, nitems(top_keys), keys[i])) ==
		    NULL)
			continue;
		if (set_value(p, k, p->conf, &p->top_set, vals[i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * Splits a logical line in place into KEY=VALUE pairs.  A value may be
 * wrapped in double quotes to hold white space.  keys and vals point into
 * line; the caller frees the two arrays.
 */
static int
split_pairs(struct parser *p, char *line, char ***keysp, char ***valsp,
    size_t *np)
{
	char **keys = NULL, **vals = NULL, *s = line, *key, *val, *e;
	size_t n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		key = s;
		while (*s != '\0' && *s != '=' && *s != ' ' && *s != '\t')
			s++;
		if (*s != '=') {
			if (*s != '\0')
				*s = '\0';
			perr(p, "expected KEY=VALUE, found '%s'", key);
			goto fail;
		}
		*s++ = '\0';
		if (*key == '\0') {
			perr(p, "expected KEY=VALUE, found '=%s'", s);
			goto fail;
		}
		if (*s == '"') {
			val = ++s;
			if ((e = strchr(s, '"')) == NULL) {
				perr(p, "unterminated quote in %s value", key);
				goto fail;
			}
			*e = '\0';
			s = e + 1;
			if (*s != '\0' && *s != ' ' && *s != '\t') {
				perr(p, "junk after the quoted %s value", key);
				goto fail;
			}
		} else {
			val = s;
			while (*s != '\0' && *s != ' ' && *s != '\t')
				s++;
		}
		if (*s != '\0')
			*s++ = '\0';
		keys = xreallocarray(keys, n + 1, sizeof *keys);
		vals = xreallocarray(vals, n + 1, sizeof *vals);
		keys[n] = key;
		vals[n] = val;
		n++;
	}
	*keysp = keys;
	*valsp = vals;
	*np = n;
	return 0;
fail:
	free(keys);
	free(vals);
	return -1;
}

static int
do_line(struct parser *p, char *line)
{
	char **keys, **vals;
	size_t n, i;
	int rc = 0;

	if (split_pairs(p, line, &keys, &vals, &n) == -1)
		return -1;
	if (n == 0)
		goto out;
	for (i = 0; i < nitems(ignored_lines); i++) {
		if (strcasecmp(keys[0], ignored_lines[i]) == 0)
			goto out;
	}
	if (strcasecmp(keys[0], "NodeName") == 0)
		rc = do_node(p, keys, vals, n);
	else if (strcasecmp(keys[0], "PartitionName") == 0)
		rc = do_part(p, keys, vals, n);
	else
		rc = do_pairs(p, keys, vals, n);
out:
	free(keys);
	free(vals);
	return rc;
}

/*
 * Cuts a physical line at its comment and trailing white space, turning
 * "\#" into '#'.  Returns the new length.
 */
static size_t
strip_comment(char *s)
{
	char *r = s, *w = s;
	int quoted = 0;

	for (; *r != '\0'; r++) {
		if (*r == '\\' && r[1] == '#') {
			*w++ = '#';
			r++;
			continue;
		}
		if (*r == '"')
			quoted = !quoted;
		else if (*r == '#' && !quoted)
			break;
		*w++ = *r;
	}
	while (w > s && (w[-1] == ' ' || w[-1] == '\t' || w[-1] == '\r'))
		w--;
	*w = '\0';
	return (size_t)(w - s);
}

/* Parses the whole file; lines joined by '\' report their first line. */
static int
parse_text(struct parser *p, const char *text)
{
	struct buf logical;
	const char *s = text, *nl;
	char *phys;
	size_t len;
	int lineno = 0, rc = 0;

	buf_init(&logical);
	p->line = 0;
	while (*s != '\0') {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		phys = xstrndup(s, len);
		s += len + (nl != NULL);
		lineno++;
		if (logical.len == 0)
			p->line = lineno;
		len = strip_comment(phys);
		if (len > 0 && phys[len - 1] == '\\') {
			phys[len - 1] = ' ';
			buf_add(&logical, phys, len);
			free(phys);
			continue;
		}
		buf_add(&logical, phys, len);
		free(phys);
		if (logical.len != 0 && (rc = do_line(p, logical.data)) == -1)
			break;
		buf_reset(&logical);
	}
	if (rc == 0 && logical.len != 0)
		rc = do_line(p, logical.data);
	buf_free(&logical);
	return rc;
}

/* The first n ids of a list like "0-3,8-11" ("0-3,8" for n = 5). */
static char *
cpulist_first(const char *list, uint32_t n)
{
	struct buf b;
	char **items, *dash;
	uint32_t lo, hi, take;

	buf_init(&b);
	items = strv_split(list, ",", NULL);
	for (char **it = items; *it != NULL && n > 0; it++) {
		if ((dash = strchr(*it, '-')) != NULL)
			*dash++ = '\0';
		if (parse_u32(*it, &lo) == -1)
			continue;
		if (dash == NULL || parse_u32(dash, &hi) == -1 || hi < lo)
			hi = lo;
		take = hi - lo + 1 < n ? hi - lo + 1 : n;
		hi = lo + take - 1;
		if (b.len != 0)
			buf_addc(&b, ',');
		if (hi == lo)
			buf_printf(&b, "%u", lo);
		else
			buf_printf(&b, "%u-%u", lo, hi);
		n -= take;
	}
	strv_free(items);
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b);
}

/* Replaces detected topology values with the configured ones. */
static void
topo_override(const struct node_conf *n, uint32_t *s, uint32_t *c,
    uint32_t *t)
{
	uint64_t v;

	if (n->set & NF_SOCKETS)
		*s = n->sockets;
	else if (n->set & NF_SPB) {
		v = (uint64_t)n->sockets_per_board *
		    ((n->set & NF_BOARDS) ? n->boards : 1);
		*s = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	}
	if (n->set & NF_CORES)
		*c = n->cores;
	if (n->set & NF_THREADS)
		*t = n->threads;
}

/*
 * The node's values: configured ones, detection for the rest.  ncpus/ids
 * are the detected CPUs; mem_rc/mem the result of detect_memory, whose
 * failure matters only when RealMemory= is not configured.
 */
static int
finish_node(struct parser *p, const char *ids, uint32_t ncpus, int mem_rc,
    uint64_t mem, const char *mem_cause)
{
	struct berth_conf *conf = p->conf;
	struct node_conf *n = p->have_node ? &p->node : &p->ndef;
	uint64_t want;
	uint32_t s, c, t, gpus;
	char *gcause;

	conf->node_name = xstrdup(p->have_node ? n->name : short_hostname());
	p->line = n->line;
	detect_topology(ncpus, &s, &c, &t);
	topo_override(n, &s, &c, &t);
	if (n->set & NF_CPUS) {
		if (n->cpus > ncpus) {
			p->line = n->cpus_line;
			return perr(p, "NodeName: CPUs=%u exceeds the %u "
			    "usable CPUs of this machine", n->cpus, ncpus);
		}
		conf->cpus = n->cpus;
	} else if (n->set & NF_TOPOLOGY) {
		/* As Slurm: no CPUs= means Sockets x Cores x Threads. */
		want = s > ncpus || c > ncpus || t > ncpus ? UINT64_MAX :
		    (uint64_t)s * c * t;
		if (want > ncpus)
			return perr(p, "NodeName: Sockets=%u x CoresPerSocket=%u"
			    " x ThreadsPerCore=%u exceeds the %u usable CPUs "
			    "of this machine", s, c, t, ncpus);
		conf->cpus = (uint32_t)want;
	} else
		conf->cpus = ncpus;
	conf->cpu_ids = conf->cpus == ncpus ? xstrdup(ids) :
	    cpulist_first(ids, conf->cpus);

	/* Unconfigured topology fields describe the CPUs actually used. */
	if (conf->cpus != ncpus) {
		detect_topology(conf->cpus, &s, &c, &t);
		topo_override(n, &s, &c, &t);
	}
	conf->sockets = s;
	conf->cores_per_socket = c;
	conf->threads_per_core = t;

	if (n->set & NF_MEM)
		conf->real_mem_mb = n->mem;
	else if (mem_rc == 0)
		conf->real_mem_mb = mem;
	else {
		xasprintf(p->cause, "detect memory: %s (set RealMemory= on "
		    "the NodeName line of %s)", mem_cause,
		    p->path != NULL ? p->path : "berth.conf");
		return -1;
	}

	if (n->set & NF_GRES) {
		conf->gpus = n->gpus;
		conf->gpu_type = xstrdup0(n->gpu_type);
	} else if (detect_gpus(&gpus, &gcause) == 0)
		conf->gpus = gpus;
	else {
		xasprintf(p->cause, "detect GPUs: %s (set Gres=gpu:N on the "
		    "NodeName line of %s to skip detection)", gcause,
		    p->path != NULL ? p->path : "berth.conf");
		free(gcause);
		return -1;
	}
	conf->features = xstrdup0(n->features);

	if (!(p->top_set & TF_DEFMEM))
		conf->def_mem_per_cpu = conf->real_mem_mb / conf->cpus;
	return 0;
}

/* No partitions: "cpu".  Default: the last Default=YES, else the first. */
static void
finish_parts(struct berth_conf *conf)
{
	struct part_conf pc;
	uint32_t i, def = 0;

	if (conf->nparts == 0) {
		part_defaults(&pc);
		pc.name = xstrdup("cpu");
		pc.is_default = true;
		conf->parts = xcalloc(1, sizeof *conf->parts);
		conf->parts[0] = pc;
		conf->nparts = 1;
	}
	for (i = 0; i < conf->nparts; i++) {
		if (conf->parts[i].is_default)
			def = i;
	}
	for (i = 0; i < conf->nparts; i++)
		conf->parts[i].is_default = i == def;
	conf->default_part = def;
}

int
conf_load(const char *path, struct berth_conf *conf, char **cause)
{
	struct parser p;
	char *ids = NULL, *text = NULL, *dcause = NULL, *mem_cause = NULL;
	uint64_t mem = 0;
	uint32_t ncpus;
	int mem_rc, rc = -1;

	memset(conf, 0, sizeof *conf);
	memset(&p, 0, sizeof p);
	p.conf = conf;
	p.cause = cause;
	p.path = path;
	part_defaults(&p.pdef);

	conf->cluster_name = xstrdup("berth");
	conf->kill_wait = 30;
	conf->min_job_age = 300;
	conf->job_requeue = 1;
	conf->max_array_size = 1001;
	conf->max_job_count = 10000000;
	conf->first_job_id = 1;
	conf->max_script_size = 4 * 1024 * 1024;
	/* slurm.conf's defaults (22.05): FIFO unless configured. */
	conf->prio_max_age = 7 * 24 * 60;
	conf->prio_half_life = 7 * 24 * 60;
	conf->prio_calc_period = 5;

	if (detect_cpus(&ids, &ncpus, &dcause) == -1) {
		xasprintf(cause, "detect CPUs: %s", dcause);
		free(dcause);
		goto out;
	}
	mem_rc = detect_memory(&mem, NULL, &mem_cause);

	if (path != NULL) {
		text = read_file(path, CONF_MAX_SIZE, NULL);
		if (text == NULL && errno != ENOENT) {
			xasprintf(cause, "read %s: %s", path, strerror(errno));
			goto out;
		}
		if (text != NULL) {
			conf->path = xstrdup(path);
			if (parse_text(&p, text) == -1)
				goto out;
		}
	}
	if (finish_node(&p, ids, ncpus, mem_rc, mem, mem_cause) == -1)
		goto out;
	finish_parts(conf);
	rc = 0;
out:
	if (rc == -1)
		conf_free(conf);
	node_conf_free(&p.ndef);
	node_conf_free(&p.node);
	part_conf_free(&p.pdef);
	free(mem_cause);
	free(text);
	free(ids);
	return rc;
}

void
conf_free(struct berth_conf *conf)
{
	free(conf->cluster_name);
	free(conf->node_name);
	free(conf->cpu_ids);
	free(conf->gpu_type);
	free(conf->features);
	for (uint32_t i = 0; i < conf->nparts; i++)
		part_conf_free(&conf->parts[i]);
	free(conf->parts);
	free(conf->path);
	memset(conf, 0, sizeof *conf);
}

int
conf_find_part(const struct berth_conf *conf, const char *name)
{
	for (uint32_t i = 0; i < conf->nparts; i++) {
		if (strcmp(conf->parts[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}
