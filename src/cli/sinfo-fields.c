/* SPDX-License-Identifier: MIT */
/*
 * sinfo's field table (-o letters and -O names, as Slurm's
 * src/sinfo/opts.c defines them), its node state names, and its built-in
 * formats.  Getters copy src/sinfo/print.c: partition limits print
 * "infinite" and "30:00", missing values "n/a", NULL strings "(null)" (as
 * printf("%s", NULL) does there).  Things berth does not model print what
 * Slurm prints on a plain cluster: ROOT no, OVERSUBSCRIBE NO,
 * TMP_DISK 0, WEIGHT 1, REASON none, PREEMPT_MODE OFF.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/util.h"
#include "../common/xmalloc.h"
#include "sinfo.h"

/* Node states in Slurm's order (the first seven are node_state_string). */
enum nstate {
	NS_UNKNOWN = 0,
	NS_DOWN,
	NS_IDLE,
	NS_ALLOCATED,
	NS_ERROR,
	NS_MIXED,
	NS_FUTURE,
	NS_BASE_END,
	NS_DRAIN = NS_BASE_END,	/* -t only: drained or draining */
	NS_DRAINED,
	NS_DRAINING,
	NS_NO_RESPOND,		/* -t only: the '*' flag */
	NS_RESERVED,
	NS_PERFCTRS,
	NS_CLOUD,
	NS_COMPLETING,
	NS_POWERED_DOWN,
	NS_POWERING_UP,
	NS_FAIL,
	NS_MAINT,
	NS_REBOOT,
	NS_PLANNED,
	NS_MAX
};

static const struct {
	const char	*name;
	const char	*compact;
} nstates[NS_MAX] = {
	[NS_UNKNOWN] = { "UNKNOWN", "UNK" },
	[NS_DOWN] = { "DOWN", "DOWN" },
	[NS_IDLE] = { "IDLE", "IDLE" },
	[NS_ALLOCATED] = { "ALLOCATED", "ALLOC" },
	[NS_ERROR] = { "ERROR", "ERR" },
	[NS_MIXED] = { "MIXED", "MIX" },
	[NS_FUTURE] = { "FUTURE", "FUTR" },
	[NS_DRAIN] = { "DRAIN", "DRAIN" },
	[NS_DRAINED] = { "DRAINED", "DRAIN" },
	[NS_DRAINING] = { "DRAINING", "DRNG" },
	[NS_NO_RESPOND] = { "NO_RESPOND", "NO_RESPOND" },
	[NS_RESERVED] = { "RESERVED", "RESV" },
	[NS_PERFCTRS] = { "PERFCTRS", "NPC" },
	[NS_CLOUD] = { "CLOUD", "CLOUD" },
	[NS_COMPLETING] = { "COMPLETING", "COMP" },
	[NS_POWERED_DOWN] = { "POWERED_DOWN", "POW_DN" },
	[NS_POWERING_UP] = { "POWERING_UP", "POW_UP" },
	[NS_FAIL] = { "FAIL", "FAIL" },
	[NS_MAINT] = { "MAINT", "MAINT" },
	[NS_REBOOT] = { "REBOOT_REQUESTED", "BOOT" },
	[NS_PLANNED] = { "PLANNED", "PLND" },
};

/* Exactly what real sinfo 22.05 lists after "Bad state string" (its
 * loop over the base states prints "?" for one and "unknown" twice). */
const char sinfo_valid_states[] =
    "unknown,down,idle,allocated,?,mixed,future,drain,drained,draining,"
    "no_respond,reserved,perfctrs,cloud,completing,powering_down,"
    "powered_down,power_down,powering_up,fail,maint,reboot,reboot^,unknown";

/* Flag characters Slurm appends to compact and long state names. */
static const char state_flags[] = "*~#$@!%^-";

enum nclass { NC_ALLOC, NC_IDLE, NC_OTHER };

static enum nstate	 state_of(const char *, const char **);
static enum nclass	 class_of(const struct node_info *);
static int		 state_token(const char *);
static void		 add_lower(struct buf *, const char *, size_t);
static void		 add_time(struct buf *, uint32_t);

/* Fields (getters), in table order. */
static fmt_get_fn get_alloc_mem, get_alloc_nodes, get_avail, get_cluster,
    get_cores, get_cpus, get_cpu_load, get_cpus_aiot, get_default_time,
    get_disk, get_features, get_free_mem, get_gres, get_groups,
    get_max_cpus, get_memory, get_node_addr, get_nodes_ai, get_nodes_aiot,
    get_node_host, get_node_list, get_nodes, get_oversubscribe,
    get_partition, get_partition_name, get_port, get_preempt_mode,
    get_prio_job_factor, get_prio_tier, get_reason, get_root, get_size,
    get_sct, get_sockets, get_state_compact, get_state_long, get_threads,
    get_time, get_timestamp, get_user, get_user_long, get_version,
    get_weight;

/*
 * Sorted by name (strcasecmp); the -O names are Slurm's.  Widths are
 * sinfo -O's default of 20.
 */
static const struct fmt_field sinfo_fields[] = {
	{ "AllocMem", 0, "ALLOCMEM", 20, get_alloc_mem },
	{ "AllocNodes", 'S', "ALLOCNODES", 20, get_alloc_nodes },
	{ "Available", 'a', "AVAIL", 20, get_avail },
	{ "Cluster", 'V', "CLUSTER", 20, get_cluster },
	{ "Cores", 'Y', "CORES", 20, get_cores },
	{ "CPUs", 'c', "CPUS", 20, get_cpus },
	{ "CPUsLoad", 'O', "CPU_LOAD", 20, get_cpu_load },
	{ "CPUsState", 'C', "CPUS(A/I/O/T)", 20, get_cpus_aiot },
	{ "DefaultTime", 'L', "DEFAULTTIME", 20, get_default_time },
	{ "Disk", 'd', "TMP_DISK", 20, get_disk },
	{ "Features", 'f', "AVAIL_FEATURES", 20, get_features },
	{ "features_act", 'b', "ACTIVE_FEATURES", 20, get_features },
	{ "FreeMem", 'e', "FREE_MEM", 20, get_free_mem },
	{ "Gres", 'G', "GRES", 20, get_gres },
	{ "Groups", 'g', "GROUPS", 20, get_groups },
	{ "MaxCPUsPerNode", 'B', "MAX_CPUS_PER_NODE", 20, get_max_cpus },
	{ "Memory", 'm', "MEMORY", 20, get_memory },
	{ "NodeAddr", 'o', "NODE_ADDR", 20, get_node_addr },
	{ "NodeAI", 'A', "NODES(A/I)", 20, get_nodes_ai },
	{ "NodeAIOT", 'F', "NODES(A/I/O/T)", 20, get_nodes_aiot },
	{ "NodeHost", 'n', "HOSTNAMES", 20, get_node_host },
	{ "NodeList", 'N', "NODELIST", 20, get_node_list },
	{ "Nodes", 'D', "NODES", 20, get_nodes },
	{ "OverSubscribe", 'h', "OVERSUBSCRIBE", 20, get_oversubscribe },
	{ "Partition", 'P', "PARTITION", 20, get_partition },
	{ "PartitionName", 'R', "PARTITION", 20, get_partition_name },
	{ "Port", 0, "PORT", 20, get_port },
	{ "PreemptMode", 'M', "PREEMPT_MODE", 20, get_preempt_mode },
	{ "PriorityJobFactor", 'I', "PRIO_JOB_FACTOR", 20,
	    get_prio_job_factor },
	{ "PriorityTier", 'p', "PRIO_TIER", 20, get_prio_tier },
	{ "Reason", 'E', "REASON", 20, get_reason },
	{ "Root", 'r', "ROOT", 20, get_root },
	{ "Share", 0, "OVERSUBSCRIBE", 20, get_oversubscribe },
	{ "Size", 's', "JOB_SIZE", 20, get_size },
	{ "SocketCoreThread", 'z', "S:C:T", 20, get_sct },
	{ "Sockets", 'X', "SOCKETS", 20, get_sockets },
	{ "StateCompact", 't', "STATE", 20, get_state_compact },
	{ "StateLong", 'T', "STATE", 20, get_state_long },
	{ "Threads", 'Z', "THREADS", 20, get_threads },
	{ "Time", 'l', "TIMELIMIT", 20, get_time },
	{ "Timestamp", 'H', "TIMESTAMP", 20, get_timestamp },
	{ "User", 'u', "USER", 20, get_user },
	{ "UserLong", 'U', "USER", 20, get_user_long },
	{ "Version", 'v', "VERSION", 20, get_version },
	{ "Weight", 'w', "WEIGHT", 20, get_weight },
};

const struct fmt_table sinfo_table = {
	sinfo_fields, sizeof sinfo_fields / sizeof sinfo_fields[0]
};

/*
 * The state a node reports ("IDLE", "MIXED", "IDLE*", "IDLE+DRAIN"), and
 * in *flags the trailing flag characters.
 */
static enum nstate
state_of(const char *s, const char **flags)
{
	char base[64], *plus;
	size_t len;
	bool drain = false;

	if (s == NULL) {
		*flags = "";
		return NS_UNKNOWN;
	}
	len = strcspn(s, state_flags);
	*flags = s + len;
	if (len >= sizeof base)
		len = sizeof base - 1;
	memcpy(base, s, len);
	base[len] = '\0';
	if ((plus = strchr(base, '+')) != NULL) {
		drain = strstr(plus, "DRAIN") != NULL;
		*plus = '\0';
	}
	for (int i = 0; i < NS_MAX; i++) {
		if (i == NS_DRAIN || i == NS_NO_RESPOND)
			continue;
		if (strcasecmp(base, nstates[i].name) == 0 ||
		    strcasecmp(base, nstates[i].compact) == 0) {
			if (drain)
				return (i == NS_IDLE || i == NS_DOWN) ?
				    NS_DRAINED : NS_DRAINING;
			return (enum nstate)i;
		}
	}
	if (strcasecmp(base, "DRAIN") == 0)
		return NS_DRAINED;
	return NS_UNKNOWN;
}

static enum nclass
class_of(const struct node_info *n)
{
	const char *flags;

	switch (state_of(n->state, &flags)) {
	case NS_ALLOCATED:
	case NS_MIXED:
	case NS_COMPLETING:
		return NC_ALLOC;
	case NS_IDLE:
		return NC_IDLE;
	default:
		return NC_OTHER;
	}
}

static void
add_lower(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i] != '\0'; i++)
		buf_addc(b, (char)tolower((unsigned char)s[i]));
}

void
sinfo_state_compact(struct buf *b, const char *state)
{
	const char *flags;
	enum nstate st = state_of(state, &flags);

	if (st == NS_UNKNOWN && state != NULL &&
	    strncasecmp(state, "UNK", 3) != 0) {
		add_lower(b, state, strlen(state));
		return;
	}
	add_lower(b, nstates[st].compact, strlen(nstates[st].compact));
	buf_adds(b, flags);
}

void
sinfo_state_long(struct buf *b, const char *state)
{
	const char *flags;
	enum nstate st = state_of(state, &flags);

	if (st == NS_UNKNOWN && state != NULL &&
	    strncasecmp(state, "UNK", 3) != 0) {
		add_lower(b, state, strlen(state));
		return;
	}
	add_lower(b, nstates[st].name, strlen(nstates[st].name));
	buf_adds(b, flags);
}

/*
 * Slurm's _node_state_id(): the first base state whose compact or long
 * name starts with the token, then the flag-like names.
 */
static int
state_token(const char *t)
{
	static const struct {
		const char	*name;
		enum nstate	 st;
	} extra[] = {
		{ "DRAIN", NS_DRAIN },
		{ "DRAINED", NS_DRAINED },
		{ "DRAINING", NS_DRAINING },
		{ "DRNG", NS_DRAINING },
		{ "RESV", NS_RESERVED },
		{ "RESERVED", NS_RESERVED },
		{ "PERFCTRS", NS_PERFCTRS },
		{ "NPC", NS_PERFCTRS },
		{ "CLOUD", NS_CLOUD },
		{ "COMP", NS_COMPLETING },
		{ "COMPLETING", NS_COMPLETING },
		{ "NO_RESPOND", NS_NO_RESPOND },
		{ "POWERED_DOWN", NS_POWERED_DOWN },
		{ "POWER_DOWN", NS_POWERED_DOWN },
		{ "POWERING_UP", NS_POWERING_UP },
		{ "POWER_UP", NS_POWERING_UP },
		{ "FAIL", NS_FAIL },
		{ "MAINT", NS_MAINT },
		{ "REBOOT_REQUESTED", NS_REBOOT },
		{ "REBOOT", NS_REBOOT },
		{ "PLANNED", NS_PLANNED },
		{ "PLND", NS_PLANNED },
	};
	size_t len = strlen(t);

	if (len == 0)
		return -1;
	for (int i = 0; i < NS_BASE_END; i++)
		if (strncasecmp(nstates[i].compact, t, len) == 0 ||
		    strncasecmp(nstates[i].name, t, len) == 0)
			return i;
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		if (strncasecmp(extra[i].name, t, len) == 0)
			return (int)extra[i].st;
	return -1;
}

int
sinfo_states_parse(const char *s, uint32_t *mask, char **bad)
{
	char **v;
	int st;

	*mask = 0;
	*bad = NULL;
	if (strcasecmp(s, "all") == 0) {
		*mask = (1u << NS_MAX) - 1;
		return 0;
	}
	v = strv_split(s, ",", NULL);
	for (size_t i = 0; v[i] != NULL; i++) {
		if ((st = state_token(v[i])) == -1) {
			*bad = xstrdup(v[i]);
			strv_free(v);
			*mask = 0;
			return -1;
		}
		*mask |= 1u << st;
	}
	strv_free(v);
	return 0;
}

bool
sinfo_state_match(uint32_t mask, const char *state)
{
	const char *flags;
	enum nstate st = state_of(state, &flags);

	if (mask & (1u << st))
		return true;
	if ((mask & (1u << NS_DRAIN)) &&
	    (st == NS_DRAINED || st == NS_DRAINING))
		return true;
	if ((mask & (1u << NS_NO_RESPOND)) && strchr(flags, '*') != NULL)
		return true;
	return false;
}

char *
sinfo_default_format(bool node_flag, bool long_output, bool summarize,
    int part_width, int node_width)
{
	if (summarize)
		return xprintf("%%%dP %%.5a %%.10l %%.16F %%N", part_width);
	if (node_flag && long_output)
		return xprintf("%%%dN %%.6D %%.%dP %%.11T %%4c %%.8z %%.6m "
		    "%%.8d %%.6w %%.8f %%20E", node_width, part_width);
	if (node_flag)
		return xprintf("%%%dN %%.6D %%.%dP %%6t", node_width,
		    part_width);
	if (long_output)
		return xprintf("%%%dP %%.5a %%.10l %%.10s %%.4r %%.8h %%.10g "
		    "%%.6D %%.11T %%N", part_width);
	return xprintf("%%%dP %%.5a %%.10l %%.6D %%.6t %%N", part_width);
}

int
sinfo_part_width(const struct sinfo_row *rows, size_t n)
{
	int w = 9, len;

	for (size_t i = 0; i < n; i++) {
		if (rows[i].part == NULL || rows[i].part->name == NULL)
			continue;
		len = (int)strlen(rows[i].part->name) +
		    (rows[i].part->is_default ? 1 : 0);
		if (len > w)
			w = len;
	}
	return w;
}

int
sinfo_node_width(const struct sinfo_row *rows, size_t n)
{
	int w = 9, len;

	for (size_t i = 0; i < n; i++) {
		if (rows[i].node == NULL || rows[i].node->name == NULL)
			continue;
		len = (int)strlen(rows[i].node->name);
		if (len > w)
			w = len;
	}
	return w;
}

/* Partition limits: "infinite", else squeue's "30:00" style. */
static void
add_time(struct buf *b, uint32_t minutes)
{
	if (minutes == INFINITE)
		buf_adds(b, "infinite");
	else
		fmt_duration(b, (int64_t)minutes * 60);
}

#define ROW(rec)	((const struct sinfo_row *)(rec))
#define NODE(rec)	(ROW(rec)->node)
#define PART(rec)	(ROW(rec)->part)

static void
get_alloc_mem(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%" PRIu64, NODE(r) != NULL ? NODE(r)->alloc_mem_mb : 0);
}

static void
get_alloc_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, PART(r) != NULL ? "all" : "n/a");
}

static void
get_avail(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	static const char *const names[] = { "down", "up", "drain",
	    "inactive" };

	(void)c;
	if (PART(r) == NULL)
		buf_adds(b, "n/a");
	else if (PART(r)->state_up < 4)
		buf_adds(b, names[PART(r)->state_up]);
	else
		buf_adds(b, "unknown");
}

static void
get_cluster(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "N/A");
}

static void
get_cores(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", NODE(r) != NULL ? NODE(r)->cores_per_socket : 0);
}

static void
get_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", NODE(r) != NULL ? NODE(r)->cpus : 0);
}

static void
get_cpu_load(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) == NULL)
		buf_adds(b, "0.00");
	else if (NODE(r)->load_x100 == NO_VAL)
		buf_adds(b, "N/A");
	else
		buf_printf(b, "%.2f", NODE(r)->load_x100 / 100.0);
}

static void
get_cpus_aiot(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct node_info *n = NODE(r);
	uint32_t alloc = 0, idle = 0, other = 0, total = 0;

	(void)c;
	if (n != NULL) {
		total = n->cpus;
		alloc = n->alloc_cpus > total ? total : n->alloc_cpus;
		if (class_of(n) == NC_OTHER)
			other = total - alloc;
		else
			idle = total - alloc;
	}
	buf_printf(b, "%u/%u/%u/%u", alloc, idle, other, total);
}

static void
get_default_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL || PART(r)->default_time == NO_VAL)
		buf_adds(b, "n/a");
	else
		add_time(b, PART(r)->default_time);
}

static void
get_disk(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "0");
}

static void
get_features(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) != NULL && NODE(r)->features != NULL &&
	    *NODE(r)->features != '\0')
		buf_adds(b, NODE(r)->features);
	else
		buf_adds(b, "(null)");
}

static void
get_free_mem(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) == NULL)
		buf_adds(b, "0");
	else if (NODE(r)->free_mem_mb == NO_VAL64)
		buf_adds(b, "N/A");
	else
		buf_printf(b, "%" PRIu64, NODE(r)->free_mem_mb);
}

static void
get_gres(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) != NULL && NODE(r)->gpus > 0 && NODE(r)->gpu_type != NULL)
		buf_printf(b, "gpu:%s:%u", NODE(r)->gpu_type, NODE(r)->gpus);
	else if (NODE(r) != NULL && NODE(r)->gpus > 0)
		buf_printf(b, "gpu:%u", NODE(r)->gpus);
	else
		buf_adds(b, "(null)");
}

static void
get_groups(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL)
		buf_adds(b, "n/a");
	else
		buf_adds(b, PART(r)->allow_groups != NULL ?
		    PART(r)->allow_groups : "all");
}

static void
get_max_cpus(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL || PART(r)->max_cpus_per_node == INFINITE ||
	    PART(r)->max_cpus_per_node == 0)
		buf_adds(b, "UNLIMITED");
	else
		buf_printf(b, "%u", PART(r)->max_cpus_per_node);
}

static void
get_memory(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%" PRIu64, NODE(r) != NULL ? NODE(r)->real_mem_mb : 0);
}

static void
get_node_addr(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) != NULL && NODE(r)->name != NULL)
		buf_adds(b, NODE(r)->name);
}

static void
get_nodes_ai(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct node_info *n = NODE(r);
	enum nclass k = n != NULL ? class_of(n) : NC_OTHER;

	(void)c;
	buf_printf(b, "%u/%u", n != NULL && k == NC_ALLOC ? 1u : 0u,
	    n != NULL && k == NC_IDLE ? 1u : 0u);
}

static void
get_nodes_aiot(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct node_info *n = NODE(r);
	enum nclass k = n != NULL ? class_of(n) : NC_OTHER;

	(void)c;
	buf_printf(b, "%u/%u/%u/%u", n != NULL && k == NC_ALLOC ? 1u : 0u,
	    n != NULL && k == NC_IDLE ? 1u : 0u,
	    n != NULL && k == NC_OTHER ? 1u : 0u, n != NULL ? 1u : 0u);
}

static void
get_node_host(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	get_node_addr(b, r, c);
}

static void
get_node_list(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	get_node_addr(b, r, c);
}

static void
get_nodes(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", NODE(r) != NULL ? 1u : 0u);
}

static void
get_oversubscribe(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "NO");
}

static void
get_partition(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL) {
		buf_adds(b, "n/a");
		return;
	}
	buf_adds(b, PART(r)->name != NULL ? PART(r)->name : "(null)");
	if (PART(r)->is_default)
		buf_addc(b, '*');
}

static void
get_partition_name(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL)
		buf_adds(b, "n/a");
	else
		buf_adds(b, PART(r)->name != NULL ? PART(r)->name : "(null)");
}

static void
get_port(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "0");
}

static void
get_preempt_mode(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "OFF");
}

static void
get_prio_job_factor(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", PART(r) != NULL ? PART(r)->priority_job_factor :
	    1);
}

static void
get_prio_tier(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", PART(r) != NULL ? PART(r)->priority_tier : 1);
}

static void
get_reason(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "none");
}

static void
get_root(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, PART(r) != NULL ? "no" : "n/a");
}

static void
get_size(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	uint32_t max;

	(void)c;
	if (PART(r) == NULL) {
		buf_adds(b, "n/a");
		return;
	}
	max = PART(r)->max_nodes;
	if (max == INFINITE || max == NO_VAL)
		buf_adds(b, "1-infinite");
	else if (max <= 1)
		buf_adds(b, "1");
	else
		buf_printf(b, "1-%u", max);
}

static void
get_sct(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	const struct node_info *n = NODE(r);

	(void)c;
	if (n == NULL)
		buf_adds(b, "0:0:0");
	else
		buf_printf(b, "%u:%u:%u", n->sockets, n->cores_per_socket,
		    n->threads_per_core);
}

static void
get_sockets(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", NODE(r) != NULL ? NODE(r)->sockets : 0);
}

static void
get_state_compact(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) == NULL)
		buf_adds(b, "n/a");
	else
		sinfo_state_compact(b, NODE(r)->state);
}

static void
get_state_long(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (NODE(r) == NULL)
		buf_adds(b, "n/a");
	else
		sinfo_state_long(b, NODE(r)->state);
}

static void
get_threads(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_printf(b, "%u", NODE(r) != NULL ? NODE(r)->threads_per_core : 0);
}

static void
get_time(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (PART(r) == NULL)
		buf_adds(b, "n/a");
	else
		add_time(b, PART(r)->max_time);
}

static void
get_timestamp(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "Unknown");
}

static void
get_user(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "Unknown");
}

static void
get_user_long(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	get_user(b, r, c);
}

static void
get_version(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	buf_adds(b, NODE(r) != NULL ? "22.05.8" : "N/A");
}

static void
get_weight(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)r;
	(void)c;
	buf_adds(b, "1");
}

void
sinfo_col_flags(struct fmt_list *l)
{
	for (size_t i = 0; i < l->ncols; i++) {
		fmt_get_fn *g = l->cols[i].field->get;

		/* Slurm's sinfo prints node lists (and their header) with
		 * cut_output false, and cuts a default partition's name
		 * before its '*' (checked: %.3P is "cp*", %.2N "NODELIST"). */
		if (g == get_node_list)
			l->cols[i].flags = FMT_F_NOCUT_HDR | FMT_F_NOCUT;
		else if (g == get_partition)
			l->cols[i].flags = FMT_F_STAR;
	}
}
