/* SPDX-License-Identifier: MIT */
/*
 * sprio's field table (Slurm's src/sprio/print.c, one row per %letter),
 * sorted by name for bsearch.  Records are const struct fmt_prio_rec *:
 * a row of the daemon's reply, or (row NULL) the "Weights" line that
 * `sprio -w` prints under the header.
 *
 * Values as Slurm prints them: weighted factors "%.0f", normalized ones
 * (factor / weight, 0 when the weight is 0) "%.7f", the normalized
 * priority "%16.14f" of priority / 0xffffffff.  A job whose priority was
 * set explicitly shows its priority, zero factors and zero NICE and SITE.
 * ASSOC, SITE and TRES factors do not exist in berth and print 0 or "".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../proto/prio.h"
#include "fmt-int.h"

#define PR(rec)		((const struct fmt_prio_rec *)(rec))
#define GETTER(name)	static void name(struct buf *, const void *, \
			    const struct fmt_ctx *)

GETTER(get_age);
GETTER(get_age_n);
GETTER(get_assoc);
GETTER(get_assoc_n);
GETTER(get_fs);
GETTER(get_fs_n);
GETTER(get_id);
GETTER(get_js);
GETTER(get_js_n);
GETTER(get_nice);
GETTER(get_part);
GETTER(get_part_n);
GETTER(get_partition);
GETTER(get_prio);
GETTER(get_prio_n);
GETTER(get_qos);
GETTER(get_qos_n);
GETTER(get_site);
GETTER(get_tres);
GETTER(get_user);

static const struct fmt_field prio_fields[] = {
	{ "Age",		'A', "AGE",		10, get_age },
	{ "AgeNorm",		'a', "AGE",		10, get_age_n },
	{ "Assoc",		'B', "ASSOC",		10, get_assoc },
	{ "AssocNorm",		'b', "ASSOC",		10, get_assoc_n },
	{ "Fairshare",		'F', "FAIRSHARE",	10, get_fs },
	{ "FairshareNorm",	'f', "FAIRSHARE",	10, get_fs_n },
	{ "JobID",		'i', "JOBID",		15, get_id },
	{ "JobSize",		'J', "JOBSIZE",		10, get_js },
	{ "JobSizeNorm",	'j', "JOBSIZE",		10, get_js_n },
	{ "Nice",		'N', "NICE",		10, get_nice },
	{ "Partition",		'r', "PARTITION",	9, get_partition },
	{ "PartitionPrio",	'P', "PARTITION",	10, get_part },
	{ "PartitionPrioNorm",	'p', "PARTITION",	10, get_part_n },
	{ "Priority",		'Y', "PRIORITY",	10, get_prio },
	{ "PriorityNorm",	'y', "PRIORITY",	10, get_prio_n },
	{ "QOS",		'Q', "QOS",		10, get_qos },
	{ "QOSNorm",		'q', "QOS",		10, get_qos_n },
	{ "Site",		'S', "SITE",		10, get_site },
	{ "TRES",		'T', "TRES",		20, get_tres },
	{ "TRESNorm",		't', "TRES",		20, get_tres },
	{ "User",		'u', "USER",		8, get_user },
};

const struct fmt_table fmt_prio_table = { prio_fields, nitems(prio_fields) };

/* digits: 0 ("%.0f"), 7 ("%.7f") or 14 ("%16.14f"). */
static void
num(struct buf *b, int digits, double v)
{
	char s[64];

	if (digits == 14)
		snprintf(s, sizeof s, "%16.14f", v);
	else
		snprintf(s, sizeof s, "%.*f", digits, v);
	fmt_adds(b, s);
}

/* A weighted factor; the weight itself on the Weights line. */
static void
weighted(struct buf *b, const void *r, double v, uint32_t w)
{
	if (PR(r)->row == NULL)
		fmt_u64(b, w);
	else if (PR(r)->row->fixed)
		fmt_adds(b, "0");
	else
		num(b, 0, v);
}

static void
normalized(struct buf *b, const void *r, double v, uint32_t w)
{
	if (PR(r)->row == NULL)
		fmt_u64(b, w);
	else
		num(b, 7, w != 0 && !PR(r)->row->fixed ? v / w : 0);
}

#define ROW(r)		(PR(r)->row)
#define LIST(r)		(PR(r)->list)

static void
get_age(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, ROW(r) ? ROW(r)->age : 0, LIST(r)->w_age);
}

static void
get_age_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, ROW(r) ? ROW(r)->age : 0, LIST(r)->w_age);
}

static void
get_assoc(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, 0, 0);
}

static void
get_assoc_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, 0, 0);
}

static void
get_fs(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, ROW(r) ? ROW(r)->fs : 0, LIST(r)->w_fs);
}

static void
get_fs_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, ROW(r) ? ROW(r)->fs : 0, LIST(r)->w_fs);
}

static void
get_id(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) == NULL)
		fmt_adds(b, "Weights");
	else
		fmt_u64(b, ROW(r)->id);
}

static void
get_js(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, ROW(r) ? ROW(r)->js : 0, LIST(r)->w_js);
}

static void
get_js_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, ROW(r) ? ROW(r)->js : 0, LIST(r)->w_js);
}

static void
get_nice(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) != NULL)
		fmt_i64(b, ROW(r)->fixed ? 0 : ROW(r)->nice);
}

static void
get_part(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, ROW(r) ? ROW(r)->part : 0, LIST(r)->w_part);
}

static void
get_part_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, ROW(r) ? ROW(r)->part : 0, LIST(r)->w_part);
}

static void
get_partition(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) != NULL)
		fmt_str0(b, ROW(r)->partition);
}

static void
get_prio(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) != NULL)
		fmt_u64(b, ROW(r)->priority);
}

static void
get_prio_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) != NULL)
		num(b, 14, (double)ROW(r)->priority / 4294967295.0);
}

static void
get_qos(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	weighted(b, r, ROW(r) ? ROW(r)->qos : 0, LIST(r)->w_qos);
}

static void
get_qos_n(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	normalized(b, r, ROW(r) ? ROW(r)->qos : 0, LIST(r)->w_qos);
}

static void
get_site(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	fmt_adds(b, ROW(r) == NULL ? "1" : "0");
}

static void
get_tres(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)b;
	(void)r;
	(void)c;
}

static void
get_user(struct buf *b, const void *r, const struct fmt_ctx *c)
{
	(void)c;
	if (ROW(r) != NULL)
		fmt_str0(b, ROW(r)->user);
}
