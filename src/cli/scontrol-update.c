/* SPDX-License-Identifier: MIT */
/*
 * `scontrol update job`: the Key=Value words turned into the request the
 * daemon takes, with Slurm's client-side checks and messages
 * (scontrol/update_job.c, scontrol_update_job()).  No I/O: messages go to
 * a buffer; the job's current time limit (TimeLimit=+N / -N) comes from a
 * callback, so unit tests run without a daemon.
 *
 * Keys match as in Slurm: what the user typed must be a prefix of the
 * key's name at least as long as the key's minimum, without case, in
 * Slurm's order ("pa" is Partition, "n" nothing, "nice" alone means
 * Nice=100).  "Key Value" (two words) works like "Key=Value".  Keys are
 * sent under their full name and values in the form the daemon parses:
 * TimeLimit in minutes (or UNLIMITED), TimeMin in minutes (0: none),
 * StartTime and Deadline as epoch seconds,
 * memory in MB, the rest as typed.
 *
 * Differences: keys berth does not implement (ReqNodeList, Features,
 * StdOut, ...) get "Update of this parameter is not supported" as
 * unknown keys do in Slurm; memory sizes take K/M/G/T suffixes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/parse.h"
#include "../common/util.h"
#include "../common/xmalloc.h"
#include "scontrol.h"

/* NICE_OFFSET - 3 in Slurm 22.05. */
#define NICE_MAX	2147483645LL

enum ukey {
	UK_JOBID,
	UK_COMMENT,
	UK_TIMELIMIT,
	UK_PRIORITY,
	UK_NICE,
	UK_NUMCPUS,
	UK_REQUEUE,
	UK_MEMNODE,
	UK_MEMCPU,
	UK_PARTITION,
	UK_QOS,
	UK_NAME,
	UK_WCKEY,
	UK_GRES,
	UK_ACCOUNT,
	UK_DEPENDENCY,
	UK_STARTTIME,
	UK_USERID,
	UK_TIMEMIN,
	UK_DEADLINE,
	UK_THROTTLE,
};

struct ukey_def {
	const char	*tag;		/* what the user may type */
	size_t		 min_len;
	enum ukey	 key;
	const char	*name;		/* sent to the daemon; NULL: local */
};

/* Slurm's order: the first match wins. */
static const struct ukey_def ukeys[] = {
	{ "JobId", 3, UK_JOBID, NULL },
	{ "Comment", 3, UK_COMMENT, "Comment" },
	{ "TimeLimit", 5, UK_TIMELIMIT, "TimeLimit" },
	{ "TimeMin", 5, UK_TIMEMIN, "TimeMin" },
	{ "Priority", 2, UK_PRIORITY, "Priority" },
	{ "Nice", 2, UK_NICE, "Nice" },
	{ "NumCPUs", 6, UK_NUMCPUS, "NumCPUs" },
	{ "Requeue", 4, UK_REQUEUE, "Requeue" },
	{ "MinMemoryNode", 10, UK_MEMNODE, "MinMemoryNode" },
	{ "MinMemoryCPU", 10, UK_MEMCPU, "MinMemoryCPU" },
	{ "Partition", 2, UK_PARTITION, "Partition" },
	{ "QOS", 2, UK_QOS, "QOS" },
	{ "Name", 2, UK_NAME, "JobName" },
	{ "JobName", 4, UK_NAME, "JobName" },
	{ "WCKey", 1, UK_WCKEY, "WCKey" },
	{ "Gres", 2, UK_GRES, "Gres" },
	{ "Account", 1, UK_ACCOUNT, "Account" },
	{ "Dependency", 1, UK_DEPENDENCY, "Dependency" },
	{ "EligibleTime", 2, UK_STARTTIME, "StartTime" },
	{ "StartTime", 2, UK_STARTTIME, "StartTime" },
	{ "UserID", 3, UK_USERID, NULL },
	{ "Deadline", 3, UK_DEADLINE, "Deadline" },
	{ "ArrayTaskThrottle", 10, UK_THROTTLE, "ArrayTaskThrottle" },
};

bool
scontrol_abbrev(const char *tag, size_t taglen, const char *name,
    size_t min_len)
{
	if (taglen < min_len || taglen > strlen(name))
		return false;
	return strncasecmp(tag, name, taglen) == 0;
}

static const struct ukey_def *
find_key(const char *tag, size_t taglen)
{
	for (size_t i = 0; i < nitems(ukeys); i++)
		if (scontrol_abbrev(tag, taglen, ukeys[i].tag,
		    ukeys[i].min_len))
			return &ukeys[i];
	return NULL;
}

static void
add(struct sc_update *u, const char *key, const char *val)
{
	u->keys = xreallocarray(u->keys, u->n + 2, sizeof *u->keys);
	u->vals = xreallocarray(u->vals, u->n + 2, sizeof *u->vals);
	u->keys[u->n] = xstrdup(key);
	u->vals[u->n] = xstrdup(val);
	u->n++;
	u->keys[u->n] = u->vals[u->n] = NULL;
}

/* Slurm's parse_uint32/parse_uint16: digits only, in range. */
static int
parse_num(const char *s, uint32_t max, uint32_t *out)
{
	uint32_t v;

	if (parse_u32(s, &v) == -1 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* NumCPUs: "N" or "N-M", N >= 1. */
static int
parse_cpus(const char *s, uint32_t *min)
{
	char *dup, *dash;
	uint32_t lo, hi = 0;
	int rc = 0;

	dup = xstrdup(s);
	if ((dash = strchr(dup, '-')) != NULL)
		*dash++ = '\0';
	if (parse_u32(dup, &lo) == -1 || lo == 0 || (dash != NULL &&
	    (parse_u32(dash, &hi) == -1 || hi < lo)))
		rc = -1;
	free(dup);
	*min = lo;
	return rc;
}

/* TimeLimit=[+|-]time: the new limit in minutes, or -1 after a message. */
static int
time_limit(const char *val, const struct sc_update *u,
    scontrol_limit_fn limit_fn, void *arg, uint32_t *out, struct buf *err)
{
	bool incr = val[0] == '+', decr = val[0] == '-';
	uint32_t mins, cur;

	if (incr || decr)
		val++;
	if (parse_time_limit(val, &mins) == -1) {
		buf_printf(err, "scontrol: error: Invalid TimeLimit value\n");
		return -1;
	}
	if (!incr && !decr) {
		*out = mins;
		return 0;
	}
	if (u->job_ids == NULL) {
		buf_printf(err, "scontrol: error: JobId must precede "
		    "TimeLimit increment or decrement\n");
		return -1;
	}
	if (mins == INFINITE) {
		buf_printf(err, "scontrol: error: Invalid TimeLimit value\n");
		return -1;
	}
	if (limit_fn == NULL ||
	    (cur = limit_fn(arg, u->job_ids, err)) == NO_VAL)
		return -1;
	if (cur == INFINITE) {
		buf_printf(err, "scontrol: error: Cannot increment/decrement "
		    "TimeLimit when set to UNLIMITED.\n");
		return -1;
	}
	if (incr)
		*out = cur + mins;
	else if (mins > cur) {
		buf_printf(err, "scontrol: error: TimeLimit decrement larger "
		    "than current time limit (%u > %u)\n", mins, cur);
		return -1;
	} else
		*out = cur - mins;
	return 0;
}

/* One Key=Value: 1 counted, 0 not counted, -1 abort. */
static int
one_key(struct sc_update *u, const struct ukey_def *k, const char *val,
    int64_t now, scontrol_limit_fn limit_fn, scontrol_uid_fn uid_fn,
    void *arg, struct buf *err)
{
	char num[64];
	uint32_t v32;
	uint64_t v64;
	int64_t t;
	long long nice;
	int r;

	switch (k->key) {
	case UK_JOBID:
		free(u->job_ids);
		u->job_ids = xstrdup(val);
		return 0;
	case UK_USERID:
		/* No getpwnam() here: the daemon knows the users. */
		free(u->user);
		u->user = xstrdup(val);
		if (parse_u32(val, &v32) == 0)
			u->uid = v32;
		else if (uid_fn == NULL ||
		    (r = uid_fn(arg, val, &u->uid, err)) == -1) {
			buf_printf(err, "Invalid UserID: %s\nRequest aborted\n",
			    val);
			return -1;
		} else if (r == -2)
			return -1;
		return 0;
	case UK_TIMELIMIT:
		if (time_limit(val, u, limit_fn, arg, &v32, err) == -1)
			return -1;
		if (v32 == INFINITE)
			snprintf(num, sizeof num, "UNLIMITED");
		else
			snprintf(num, sizeof num, "%u", v32);
		val = num;
		break;
	case UK_PRIORITY:
		if (parse_num(val, UINT32_MAX, &v32) == -1) {
			buf_printf(err, "scontrol: error: Invalid Priority "
			    "value: %s\n", val);
			return -1;
		}
		break;
	case UK_NICE:
		nice = strtoll(val, NULL, 10);
		if (llabs(nice) > NICE_MAX) {
			buf_printf(err, "scontrol: error: Nice value out of "
			    "range (+/- %lld). Value ignored\n", NICE_MAX);
			return -1;
		}
		snprintf(num, sizeof num, "%lld", nice);
		val = num;
		break;
	case UK_NUMCPUS:
		if (parse_cpus(val, &v32) == -1) {
			buf_printf(err, "scontrol: error: Invalid NumCPUs "
			    "value: %s\n", val);
			return -1;
		}
		snprintf(num, sizeof num, "%u", v32);
		val = num;
		break;
	case UK_REQUEUE:
		if (parse_num(val, UINT16_MAX, &v32) == -1) {
			buf_printf(err, "scontrol: error: Invalid Requeue "
			    "value: %s\n", val);
			return -1;
		}
		val = v32 > 0 ? "1" : "0";
		break;
	case UK_MEMNODE:
	case UK_MEMCPU:
		if (parse_mem_mb(val, &v64) == -1) {
			buf_printf(err, "scontrol: error: Invalid %s value: "
			    "%s\n", k->name, val);
			return -1;
		}
		snprintf(num, sizeof num, "%llu", (unsigned long long)v64);
		val = num;
		break;
	case UK_STARTTIME:
		/* Slurm's parse_time: a bad time is reported and skipped. */
		if (parse_begin_time(val, now, &t) == -1 || t == 0) {
			buf_printf(err, "scontrol: error: Invalid time "
			    "specification (pos=0): %s\n", val);
			return 0;
		}
		snprintf(num, sizeof num, "%lld",
		    (long long)(t < now ? now : t));
		val = num;
		break;
	case UK_TIMEMIN:
		/* Slurm: time_str2mins, "Invalid TimeMin value". */
		if (parse_time_limit(val, &v32) == -1) {
			buf_printf(err, "scontrol: error: Invalid TimeMin "
			    "value\n");
			return -1;
		}
		snprintf(num, sizeof num, "%u", v32 == INFINITE ? 0 : v32);
		val = num;
		break;
	case UK_DEADLINE:
		/* parse_time(): a bad time is reported, no change made. */
		if (parse_begin_time(val, now, &t) == -1 || t == 0) {
			buf_printf(err, "scontrol: error: Invalid time "
			    "specification (pos=0): %s\n", val);
			return 0;
		}
		snprintf(num, sizeof num, "%lld", (long long)t);
		val = num;
		break;
	case UK_THROTTLE:
		/* Slurm: strtoll, so "abc" is 0 (no limit); below 0 is
		 * refused and nothing is sent. */
		nice = strtoll(val, NULL, 10);
		if (nice < 0 || nice > UINT32_MAX) {
			buf_printf(err, "scontrol: error: Invalid "
			    "ArrayTaskThrottle value\n");
			return -1;
		}
		snprintf(num, sizeof num, "%lld", nice);
		val = num;
		break;
	case UK_NAME:
		free(u->name);
		u->name = xstrdup(val);
		break;
	default:
		break;
	}
	add(u, k->name, val);
	return 1;
}

int
scontrol_update_parse(int argc, char **argv, int64_t now,
    scontrol_limit_fn limit_fn, scontrol_uid_fn uid_fn, void *arg,
    struct sc_update *u, struct buf *err)
{
	const struct ukey_def *k;
	const char *tag, *val, *eq;
	size_t taglen;
	bool plusminus;
	int counted = 0, r;

	memset(u, 0, sizeof *u);
	u->uid = NO_VAL;
	for (int i = 0; i < argc; i++) {
		tag = argv[i];
		plusminus = false;
		if ((eq = strchr(tag, '=')) != NULL) {
			taglen = (size_t)(eq - tag);
			if (taglen > 0 && (eq[-1] == '+' || eq[-1] == '-')) {
				plusminus = true;
				taglen--;
			}
			val = eq + 1;
		} else if (scontrol_abbrev(tag, strlen(tag), "Nice", 2)) {
			add(u, "Nice", "100");
			counted++;
			continue;
		} else if (i + 1 < argc) {
			taglen = strlen(tag);
			val = argv[++i];
		} else {
			buf_printf(err, "Invalid input: %s\nRequest aborted\n",
			    argv[i]);
			return -1;
		}
		if ((k = find_key(tag, taglen)) == NULL) {
			buf_printf(err, "Update of this parameter is not "
			    "supported: %s\nRequest aborted\n", argv[i]);
			return -1;
		}
		if (plusminus) {
			buf_printf(err, "scontrol: error: Option %.*s does not "
			    "accept [+|-]= syntax\n", (int)taglen, tag);
			return -1;
		}
		if ((r = one_key(u, k, val, now, limit_fn, uid_fn, arg,
		    err)) == -1)
			return -1;
		counted += r;
	}
	if (counted == 0) {
		buf_printf(err, "No changes specified\n");
		return -1;
	}
	if (u->job_ids == NULL && u->name == NULL) {
		buf_printf(err, "scontrol: error: No job ID specified\n");
		return -1;
	}
	return 0;
}

void
scontrol_update_free(struct sc_update *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->keys[i]);
		free(u->vals[i]);
	}
	free(u->keys);
	free(u->vals);
	free(u->job_ids);
	free(u->name);
	free(u->user);
	memset(u, 0, sizeof *u);
}

/*
 * Slurm's _is_job_id(): digits, one '_' per id, brackets and '-' inside a
 * task range, ',' or ' ' between ids.
 */
bool
scontrol_is_job_id(const char *s)
{
	bool under = false;
	int brackets = 0;

	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s == '_') {
			if (under)
				return false;
			under = true;
		} else if (*s == '[')
			brackets++;
		else if (*s == ']')
			brackets--;
		else if (*s == '-') {
			if (brackets == 0 && !under)
				return false;
		} else if (*s == ',' || *s == ' ') {
			if (brackets == 0)
				under = false;
		} else if (*s < '0' || *s > '9')
			return false;
	}
	return brackets == 0;
}
