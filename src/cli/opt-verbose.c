/* SPDX-License-Identifier: MIT */
/*
 * The table of options that sbatch, srun and salloc print with -v, as
 * Slurm 22.05's slurm_print_set_options() does once all options are in
 * (command line, input environment variables, #SBATCH lines) and checked:
 *
 *	salloc: defined options
 *	salloc: -------------------- --------------------
 *	salloc: gpus                : tesla:1
 *	salloc: time                : 00:05:00
 *	salloc: verbose             : 1
 *	salloc: -------------------- --------------------
 *	salloc: end of defined options
 *
 * One line per option given, by long name in Slurm's (alphabetical)
 * order, "%-20s: %s", the value as Slurm's get functions show it (checked
 * on real Slurm 22.05.8): flags "set", times as "[D-]HH:MM:SS" in whole
 * minutes, memory in MB with the largest exact unit ("100", "2G"), node
 * counts "N" or "N-M", begin and deadline as local ISO times, sbatch's
 * -o/-e/-i made absolute, --gres with a "gres:" prefix, --exclusive as
 * "exclusive" or its value (--oversubscribe shows the same: both set one
 * field, the last given wins), --requeue "requeue", --open-mode "a" or "t";
 * anything else as given.  Slurm's lines about its plugins loading
 * (select/cons_tres, ...) follow the table there; berth has no plugins.
 */
#include <ctype.h>
#include "gnuopt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/xmalloc.h"
#include "opt.h"

static int	 by_name(const void *, const void *);
static void	 put_time(struct buf *, uint32_t);
static void	 put_mem(struct buf *, uint64_t);
static void	 put_date(struct buf *, int64_t);
static void	 put_value(struct buf *, const struct opts *,
		    const struct opt_def *, const char *);

/*
 * Slurm's order: its option table, alphabetical but for two pairs that
 * come the other way round (checked on 22.05.8: "jobid" before
 * "job-name"; the table has "contiguous" before "constraint").
 */
static int
by_name(const void *a, const void *b)
{
	static const char *const swapped[][2] = {
		{ "jobid", "job-name" }, { "contiguous", "constraint" },
	};
	const struct opt_def *x = *(const struct opt_def *const *)a;
	const struct opt_def *y = *(const struct opt_def *const *)b;

	for (size_t i = 0; i < sizeof swapped / sizeof swapped[0]; i++) {
		if (strcmp(x->name, swapped[i][0]) == 0 &&
		    strcmp(y->name, swapped[i][1]) == 0)
			return -1;
		if (strcmp(x->name, swapped[i][1]) == 0 &&
		    strcmp(y->name, swapped[i][0]) == 0)
			return 1;
	}
	return strcmp(x->name, y->name);
}

/* Slurm's mins2time_str. */
static void
put_time(struct buf *b, uint32_t min)
{
	if (min == INFINITE) {
		buf_adds(b, "UNLIMITED");
		return;
	}
	if (min >= 1440)
		buf_printf(b, "%u-", min / 1440);
	buf_printf(b, "%2.2u:%2.2u:00", (min / 60) % 24, min % 60);
}

/* Slurm's mbytes_to_str: the largest unit that divides exactly. */
static void
put_mem(struct buf *b, uint64_t mb)
{
	static const char unit[] = "MGTP";
	size_t i = 0;

	while (mb != 0 && mb % 1024 == 0 && i + 1 < sizeof unit - 1) {
		mb /= 1024;
		i++;
	}
	if (i == 0)
		buf_printf(b, "%llu", (unsigned long long)mb);
	else
		buf_printf(b, "%llu%c", (unsigned long long)mb, unit[i]);
}

static void
put_date(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[64];

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		buf_printf(b, "%lld", (long long)t);
	else
		buf_adds(b, s);
}

static void
put_value(struct buf *b, const struct opts *o, const struct opt_def *d,
    const char *cwd)
{
	const char *raw = o->raw[d->id], *p;

	switch (d->id) {
	case OPT_ID_TIME:
		put_time(b, o->time_limit);
		return;
	case OPT_ID_TIME_MIN:
		put_time(b, o->time_min);
		return;
	case OPT_ID_MEM:
		put_mem(b, o->mem_mb);
		return;
	case OPT_ID_MEM_PER_CPU:
		put_mem(b, o->mem_per_cpu_mb);
		return;
	case OPT_ID_MEM_PER_GPU:
		put_mem(b, o->mem_per_gpu_mb);
		return;
	case OPT_ID_BEGIN:
		put_date(b, o->begin);
		return;
	case OPT_ID_DEADLINE:
		put_date(b, o->deadline);
		return;
	case OPT_ID_NODES:
		buf_printf(b, "%u", o->min_nodes);
		if (o->max_nodes != 0 && o->max_nodes != o->min_nodes)
			buf_printf(b, "-%u", o->max_nodes);
		return;
	case OPT_ID_NTASKS:
		buf_printf(b, "%d", (int32_t)o->ntasks);
		return;
	case OPT_ID_CPUS_PER_TASK:
		buf_printf(b, "%d", (int32_t)o->cpus_per_task);
		return;
	case OPT_ID_NTASKS_PER_NODE:
	case OPT_ID_CPUS_PER_GPU:
		/* The int Slurm made of it, even one it then ignores. */
		if (raw != NULL) {
			buf_printf(b, "%d", (int32_t)(uint32_t)
			    (unsigned long long)strtoll(raw, NULL, 10));
			return;
		}
		break;
	case OPT_ID_NICE:
		buf_printf(b, "%d", (int)o->nice);
		return;
	case OPT_ID_JOBID:
		if (o->jobid == NO_VAL)
			buf_adds(b, "unset");
		else
			buf_printf(b, "%d", (int32_t)o->jobid);
		return;
	case OPT_ID_VERBOSE:
		buf_printf(b, "%d", o->verbose);
		return;
	case OPT_ID_IMMEDIATE:
		buf_printf(b, "%d", o->immediate);
		return;
	case OPT_ID_OPEN_MODE:
		buf_printf(b, "%c", o->open_mode != 0 ? o->open_mode : 't');
		return;
	case OPT_ID_REQUEUE:
		buf_adds(b, "requeue");
		return;
	case OPT_ID_EXCLUSIVE:
	case OPT_ID_OVERSUBSCRIBE:
		/* One setting, the last given of the two, on both rows. */
		p = o->raw[OPT_ID_EXCLUSIVE];
		if (o->exclusive == 1)
			buf_adds(b, "exclusive");
		else if (o->exclusive == 0)
			buf_adds(b, "oversubscribe");
		else
			buf_adds(b, p != NULL && strcasecmp(p, "mcs") == 0 ?
			    "mcs" : "user");
		return;
	case OPT_ID_KILL_ON_BAD_EXIT:
		buf_adds(b, raw != NULL && *raw != '\0' ? raw : "1");
		return;
	case OPT_ID_GRES:
		if (raw != NULL && strncmp(raw, "gres:", 5) != 0)
			buf_adds(b, "gres:");
		break;
	case OPT_ID_CPU_BIND:
		if (raw != NULL && strcasecmp(raw, "none") == 0) {
			buf_adds(b, "(null)");
			return;
		}
		break;
	case OPT_ID_SIGNAL:
		/* [B:]NAME@seconds, the name without "SIG" */
		if (o->warn_batch_only)
			buf_adds(b, "B:");
		p = raw != NULL ? raw : "";
		while (strncasecmp(p, "R:", 2) == 0 ||
		    strncasecmp(p, "B:", 2) == 0 ||
		    strncasecmp(p, "RB:", 3) == 0 ||
		    strncasecmp(p, "BR:", 3) == 0)
			p = strchr(p, ':') + 1;
		if (strncasecmp(p, "SIG", 3) == 0)
			p += 3;
		for (; *p != '\0' && *p != '@'; p++)
			buf_addc(b, (char)toupper((unsigned char)*p));
		buf_printf(b, "@%d", o->warn_time);
		return;
	case OPT_ID_OUTPUT:
	case OPT_ID_ERROR:
	case OPT_ID_INPUT:
		/* sbatch shows the path it will use, made absolute. */
		if (o->tool == OPT_SBATCH && raw != NULL && raw[0] != '/' &&
		    strcasecmp(raw, "none") != 0 && cwd != NULL) {
			buf_printf(b, "%s/%s", cwd, raw);
			return;
		}
		break;
	default:
		break;
	}
	if (d->has_arg == no_argument)
		buf_adds(b, "set");
	else if (raw != NULL)
		buf_adds(b, raw);
	else
		buf_adds(b, d->has_arg == optional_argument ? "set" : "(null)");
}

void
opt_print_set(const struct opts *o, FILE *f, const char *cwd)
{
	const struct opt_def *rows[OPT_NIDS];
	const char *nodes = NULL;
	size_t n = 0;
	struct buf b;

	for (size_t i = 0; i < OPT_NIDS; i++)
		if (o->src[i] != OPT_SRC_NONE && (opt_table[i].tools & o->tool))
			rows[n++] = &opt_table[i];
	qsort(rows, n, sizeof rows[0], by_name);

	buf_init(&b);
	buf_printf(&b, "%s: defined options\n", o->prog);
	buf_printf(&b, "%s: -------------------- --------------------\n",
	    o->prog);
	/*
	 * srun takes SLURM_NODELIST (an allocation's) as an option without a
	 * name, which Slurm lists as "(null)" after acctg-freq.
	 */
	if (o->tool == OPT_SRUN)
		nodes = getenv("SLURM_NODELIST");
	if (nodes != NULL && *nodes == '\0')
		nodes = NULL;
	for (size_t i = 0; i <= n; i++) {
		if (nodes != NULL && (i == n ||
		    strcmp(rows[i]->name, "acctg-freq") > 0)) {
			buf_printf(&b, "%s: %-20s: %s\n", o->prog, "(null)",
			    nodes);
			nodes = NULL;
		}
		if (i == n)
			break;
		buf_printf(&b, "%s: %-20s: ", o->prog, rows[i]->name);
		put_value(&b, o, rows[i], cwd);
		buf_addc(&b, '\n');
	}
	buf_printf(&b, "%s: -------------------- --------------------\n",
	    o->prog);
	buf_printf(&b, "%s: end of defined options\n", o->prog);
	fwrite(b.data, 1, b.len, f);
	fflush(f);
	buf_free(&b);
}
