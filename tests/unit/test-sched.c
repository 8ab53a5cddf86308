// links: sched/sched.c sched/bitmap.c
/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the pure scheduling policy: bitmaps and sched_pass on
 * synthetic snapshots, no daemon.  Scenarios mirror the recorded Slurm
 * behaviour in /work/shared/slurm-reference (30_squeue, 02_sbatch_errors,
 * 18_sbatch_exclusive) plus backfill cases from Slurm's sched/backfill.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/job.h"
#include "sched/sched.h"
#include "t.h"

#define NOW	1000000
#define FX_MAX	64

struct fx {
	struct sched_input	in;
	struct sched_part	parts[4];
	struct sched_running	run[16];
	struct sched_job	pend[FX_MAX];
	struct sched_decision	out[FX_MAX];
	uint32_t		scratch[FX_MAX];
	uint32_t		started;
};

static void
fx_init(struct fx *f, const char *cpus, uint64_t mem, uint32_t gpus)
{
	memset(f, 0, sizeof *f);
	f->in.now = NOW;
	if (bitmap_parse(&f->in.node_cpus, cpus) != 0)
		abort();
	f->in.node_mem_mb = mem;
	f->in.node_gpus = gpus;
	f->parts[0] = (struct sched_part){ "cpu", INFINITE, INFINITE, INFINITE,
	    0, 1, true, false };
	f->parts[1] = (struct sched_part){ "debug", 30, INFINITE, INFINITE,
	    0, 1, true, false };
	f->in.parts = f->parts;
	f->in.nparts = 2;
	f->in.running = f->run;
	f->in.pending = f->pend;
}

static struct sched_job *
fx_job(struct fx *f, uint32_t id, uint32_t prio, uint32_t ncpus,
    uint32_t limit)
{
	struct sched_job	*j = &f->pend[f->in.npending];

	memset(j, 0, sizeof *j);
	j->idx = 100 + f->in.npending;
	j->id = id;
	j->priority = prio;
	j->ncpus = ncpus;
	j->min_nodes = 1;
	j->time_limit = limit;
	j->submit_time = NOW - 100 + id % 50;
	j->blocked = WAIT_NO_REASON;
	f->in.npending++;
	return j;
}

static struct sched_running *
fx_run(struct fx *f, const char *cpus, int64_t end)
{
	struct sched_running	*r = &f->run[f->in.nrunning++];

	memset(r, 0, sizeof *r);
	if (bitmap_parse(&r->cpus, cpus) != 0)
		abort();
	r->end_time = end;
	return r;
}

static uint32_t
fx_pass(struct fx *f)
{
	f->started = sched_pass(&f->in, f->out, f->scratch);
	return f->started;
}

static const struct sched_decision *
fx_dec(struct fx *f, uint32_t id)
{
	uint32_t	i;

	for (i = 0; i < f->in.npending; i++) {
		if (f->pend[i].id == id) {
			if (f->out[i].idx != f->pend[i].idx)
				abort();
			return &f->out[i];
		}
	}
	abort();
}

static const char *
fx_reason(struct fx *f, uint32_t id)
{
	const struct sched_decision	*d = fx_dec(f, id);

	return d->start ? "START" : job_reason_name(d->reason);
}

static const char *
fmt_bits(const struct bitmap *b)
{
	static char	buf[4][256];
	static int	n;
	char		*p = buf[n++ % 4];

	bitmap_format(b, p, 256);
	return p;
}

static void
test_bitmap(void)
{
	struct bitmap	b;
	char		buf[64], small[6];
	const char	*bad[] = { "1-", "-1", "3-1", "1,,2", "a", "1,", ",1",
	    " 1", "1 ", "1024", "0-1024", "+1", "1-2-3", "99999999999" };
	size_t		i;

	ok(bitmap_parse(&b, "0-3,8,10-11") == 0, "parse 0-3,8,10-11");
	is_int(bitmap_count(&b), 7, "count 7");
	ok(bitmap_test(&b, 3) && !bitmap_test(&b, 4) && bitmap_test(&b, 8) &&
	    bitmap_test(&b, 11) && !bitmap_test(&b, 12), "members");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "0-3,8,10-11", "format round trip");

	ok(bitmap_parse(&b, "11,10,8,3,2,1,0") == 0, "unsorted list parses");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "0-3,8,10-11", "formats sorted with ranges");

	ok(bitmap_parse(&b, "0,1") == 0, "parse 0,1");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "0-1", "a pair prints as a range, as Slurm does");

	ok(bitmap_parse(&b, "") == 0 && bitmap_count(&b) == 0, "empty set");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "", "empty formats as empty string");

	ok(bitmap_parse(&b, "0-1023") == 0, "full range");
	is_int(bitmap_count(&b), 1024, "1024 ids");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "0-1023", "full range formats");
	ok(bitmap_parse(&b, "63-64,127,1023") == 0, "word boundaries");
	bitmap_format(&b, buf, sizeof buf);
	is_str(buf, "63-64,127,1023", "word boundaries round trip");

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		bitmap_set(&b, 5);
		ok(bitmap_parse(&b, bad[i]) == -1 && bitmap_count(&b) == 0,
		    "reject '%s' (and leave it empty)", bad[i]);
	}

	bitmap_clear(&b);
	bitmap_set(&b, 7);
	bitmap_set(&b, 2000);
	ok(bitmap_test(&b, 7) && !bitmap_test(&b, 2000) &&
	    bitmap_count(&b) == 1, "set beyond SCHED_MAX_CPUS is ignored");
	bitmap_unset(&b, 7);
	ok(!bitmap_test(&b, 7) && bitmap_count(&b) == 0, "unset");

	bitmap_parse(&b, "0-3,8,10-11");
	bitmap_format(&b, small, sizeof small);
	ok(strlen(small) < sizeof small && strncmp(small, "0-3,8",
	    strlen(small)) == 0, "truncated output is a NUL-terminated "
	    "prefix ('%s')", small);
	bitmap_format(&b, small, 0);	/* must not write anything */
}

/* FIFO on an empty node; queue order decides who gets the low core ids. */
static void
test_fifo(void)
{
	struct fx	f;

	fx_init(&f, "0-3", 8000, 0);
	fx_job(&f, 12, 10, 1, INFINITE);
	fx_job(&f, 11, 10, 1, INFINITE);
	fx_job(&f, 13, 20, 2, INFINITE);
	is_int(fx_pass(&f), 3, "fifo: all three start");
	is_str(fmt_bits(&fx_dec(&f, 13)->cpus), "0-1",
	    "fifo: highest priority gets the lowest cores");
	is_str(fmt_bits(&fx_dec(&f, 11)->cpus), "2",
	    "fifo: then the lower job id at equal priority/submit");
	is_str(fmt_bits(&fx_dec(&f, 12)->cpus), "3", "fifo: then the next");
	is_int(fx_dec(&f, 12)->planned_start, NOW, "started: planned = now");
	is_int(fx_dec(&f, 12)->reason, WAIT_NO_REASON, "started: no reason");
	is_int(fx_dec(&f, 12)->idx, 100, "idx echoed");
}

/* Order: priority, then submit time, then id. */
static void
test_order(void)
{
	struct fx		 f;
	struct sched_job	*j;

	fx_init(&f, "0", 8000, 0);
	j = fx_job(&f, 5, 10, 1, INFINITE);
	j->submit_time = NOW - 10;
	j = fx_job(&f, 4, 10, 1, INFINITE);
	j->submit_time = NOW - 5;
	fx_pass(&f);
	is_str(fx_reason(&f, 5), "START", "order: earlier submit first");
	is_str(fx_reason(&f, 4), "Resources", "order: later submit waits");

	fx_init(&f, "0", 8000, 0);
	fx_job(&f, 7, 10, 1, INFINITE)->submit_time = NOW;
	fx_job(&f, 6, 10, 1, INFINITE)->submit_time = NOW;
	fx_pass(&f);
	is_str(fx_reason(&f, 6), "START", "order: same submit, lower id");

	/* Partition PriorityTier comes before job priority (Slurm). */
	fx_init(&f, "0", 8000, 0);
	f.parts[1].priority_tier = 5;
	fx_job(&f, 1, 1000, 1, INFINITE);
	j = fx_job(&f, 2, 1, 1, 10);
	j->part = 1;
	fx_pass(&f);
	is_str(fx_reason(&f, 2), "START", "order: higher PriorityTier first");
	is_str(fx_reason(&f, 1), "Resources",
	    "order: the first misfit gets Resources, whatever its partition");
}

/* Exact ids: lowest free cores and GPUs, started jobs subtract. */
static void
test_ids(void)
{
	struct fx		 f;
	struct sched_running	*r;
	struct sched_job	*j;

	fx_init(&f, "0-7", 16000, 4);
	r = fx_run(&f, "0-1,4", INT64_MAX);
	bitmap_set(&r->gpus, 0);
	r->mem_mb = 1000;
	j = fx_job(&f, 1, 10, 3, 60);
	j->gpus = 2;
	j->mem_mb = 2000;
	j = fx_job(&f, 2, 9, 2, 60);
	j->gpus = 1;
	is_int(fx_pass(&f), 2, "ids: both start");
	is_str(fmt_bits(&fx_dec(&f, 1)->cpus), "2-3,5",
	    "ids: lowest free cores");
	is_str(fmt_bits(&fx_dec(&f, 1)->gpus), "1-2", "ids: lowest free GPUs");
	is_str(fmt_bits(&fx_dec(&f, 2)->cpus), "6-7",
	    "ids: cores of jobs started earlier in the pass are taken");
	is_str(fmt_bits(&fx_dec(&f, 2)->gpus), "3", "ids: next free GPU");

	/* Node with holes in its usable cores (e.g. a cgroup cpuset). */
	fx_init(&f, "2-3,6,9", 16000, 0);
	fx_job(&f, 1, 10, 3, 60);
	fx_pass(&f);
	is_str(fmt_bits(&fx_dec(&f, 1)->cpus), "2-3,6", "ids: usable set only");
}

/* 30_squeue: one unlimited 2-CPU job runs on the 2-CPU node. */
static void
test_squeue_reasons(void)
{
	struct fx		 f;
	struct sched_job	*j;
	uint32_t		 t;

	fx_init(&f, "0-1", 20000, 2);
	fx_run(&f, "0-1", INT64_MAX);
	fx_job(&f, 11942, 100, 1, 10);
	fx_job(&f, 11943, 99, 1, INFINITE);
	fx_job(&f, 11944, 98, 1, INFINITE)->blocked = WAIT_DEPENDENCY;
	fx_job(&f, 11945, 97, 1, INFINITE)->blocked = WAIT_BEGIN_TIME;
	fx_job(&f, 11946, 0, 1, INFINITE)->blocked = WAIT_HELD_USER;
	for (t = 0; t < 6; t++)
		fx_job(&f, 11947, 96, 1, INFINITE);
	j = fx_job(&f, 11948, 95, 1, 10);
	j->part = 1;
	is_int(fx_pass(&f), 0, "squeue: nothing starts");
	is_str(fx_reason(&f, 11942), "Resources", "squeue: 11942 Resources");
	is_int(fx_dec(&f, 11942)->planned_start, 0,
	    "squeue: start unknown behind an unlimited job (N/A)");
	is_str(fx_reason(&f, 11943), "Priority", "squeue: 11943 Priority");
	is_str(fx_reason(&f, 11944), "Dependency", "squeue: Dependency kept");
	is_str(fx_reason(&f, 11945), "BeginTime", "squeue: BeginTime kept");
	is_str(fx_reason(&f, 11946), "JobHeldUser", "squeue: held kept");
	for (t = 0; t < 6; t++)
		is_str(job_reason_name(f.out[5 + t].reason), "Priority",
		    "squeue: array task %u Priority", t);
	is_str(fx_reason(&f, 11948), "Nodes required for job are DOWN, "
	    "DRAINED or reserved for jobs in higher priority partitions",
	    "squeue: debug partition job behind a cpu job");
}

/* 02_sbatch_errors and 22_env_ntasks: impossible requests. */
static void
test_impossible(void)
{
	struct fx		 f;
	struct sched_job	*j;

	fx_init(&f, "0-1", 20000, 2);
	fx_job(&f, 11874, 100, 999, INFINITE);		/* -c 999 */
	fx_job(&f, 11875, 99, 3, INFINITE)->min_nodes = 2; /* -n 3 */
	fx_job(&f, 11876, 98, 2, INFINITE)->min_nodes = 2; /* -N 2 */
	j = fx_job(&f, 11884, 97, 1, 60);		/* -p debug -t 60 */
	j->part = 1;
	fx_job(&f, 1, 96, 3, INFINITE);			/* -n 3, 1 node */
	fx_job(&f, 2, 95, 1, INFINITE)->mem_mb = 30000;
	fx_job(&f, 3, 94, 1, INFINITE)->gpus = 5;
	fx_job(&f, 4, 93, 1, INFINITE)->part = 7;	/* no such partition */
	fx_job(&f, 5, 1, 2, INFINITE);			/* possible, lowest */
	is_int(fx_pass(&f), 1, "impossible: they do not block job 5");
	is_str(fx_reason(&f, 11874), "PartitionConfig", "-c 999");
	is_str(fx_reason(&f, 11875), "PartitionConfig", "-n 3 -N 2");
	is_str(fx_reason(&f, 11876), "PartitionConfig", "-N 2");
	is_str(fx_reason(&f, 11884), "PartitionConfig",
	    "time over MaxTime: PartitionConfig as recorded in 02");
	is_str(fx_reason(&f, 1), "PartitionConfig", "3 CPUs on a 2-CPU node");
	is_str(fx_reason(&f, 2), "PartitionConfig", "mem over the node");
	is_str(fx_reason(&f, 3), "PartitionConfig", "gpus over the node");
	is_str(fx_reason(&f, 4), "PartitionConfig", "bad partition index");
	is_str(fx_reason(&f, 5), "START", "possible job starts");

	fx_init(&f, "0-7", 20000, 0);
	f.parts[0].max_nodes = 1;
	f.parts[0].max_cpus_per_node = 4;
	f.parts[0].max_mem_per_node = 1000;
	f.parts[1].up = false;
	fx_job(&f, 1, 10, 1, INFINITE)->min_nodes = 2;
	fx_job(&f, 2, 10, 5, INFINITE);
	fx_job(&f, 3, 10, 1, INFINITE)->mem_mb = 1001;
	j = fx_job(&f, 4, 10, 1, 10);
	j->part = 1;
	j = fx_job(&f, 5, 10, 100, 60);		/* down wins over -c 100 */
	j->part = 1;
	fx_job(&f, 6, 10, 4, INFINITE)->mem_mb = 1000;
	fx_pass(&f);
	is_str(fx_reason(&f, 1), "PartitionNodeLimit", "-N 2 over MaxNodes=1");
	is_str(fx_reason(&f, 2), "PartitionConfig", "over MaxCPUsPerNode");
	is_str(fx_reason(&f, 3), "PartitionConfig", "over MaxMemPerNode");
	is_str(fx_reason(&f, 4), "PartitionDown", "partition down");
	is_str(fx_reason(&f, 5), "PartitionDown", "down before config");
	is_str(fx_reason(&f, 6), "START", "at the limits: starts");

	/* State=INACTIVE: PartitionInactive; a higher job there blocks
	 * nobody. */
	fx_init(&f, "0-1", 20000, 0);
	f.parts[1].up = false;
	f.parts[1].inactive = true;
	j = fx_job(&f, 1, 100, 2, 10);
	j->part = 1;
	fx_job(&f, 2, 10, 2, INFINITE);
	fx_pass(&f);
	is_str(fx_reason(&f, 1), "PartitionInactive", "partition inactive");
	is_str(fx_reason(&f, 2), "START", "…and blocks no one");
}

/* Blocked jobs keep their reason and block nobody. */
static void
test_blocked(void)
{
	struct fx	f;

	fx_init(&f, "0", 1000, 0);
	fx_job(&f, 1, 100, 1, INFINITE)->blocked = WAIT_HELD;
	fx_job(&f, 2, 90, 1, INFINITE)->blocked = WAIT_DEP_INVALID;
	fx_job(&f, 3, 80, 1, INFINITE);
	is_int(fx_pass(&f), 1, "blocked: one start");
	is_str(fx_reason(&f, 1), "JobHeldAdmin", "blocked: held admin kept");
	is_str(fx_reason(&f, 2), "DependencyNeverSatisfied",
	    "blocked: never satisfied kept");
	is_str(fx_reason(&f, 3), "START", "blocked: lower job runs");
	is_int(fx_dec(&f, 1)->planned_start, 0, "blocked: no plan");
}

/* 18_sbatch_exclusive and exclusive blocking. */
static void
test_exclusive(void)
{
	struct fx		 f;
	struct sched_job	*j;
	struct sched_running	*r;

	/* Empty node: gets every core and GPU; nothing else fits after. */
	fx_init(&f, "0-1", 20000, 2);
	j = fx_job(&f, 11929, 100, 1, INFINITE);
	j->exclusive = true;
	j->mem_mb = 1000;
	fx_job(&f, 11930, 99, 1, INFINITE);
	is_int(fx_pass(&f), 1, "excl: one start");
	is_str(fmt_bits(&fx_dec(&f, 11929)->cpus), "0-1", "excl: all cores");
	is_str(fmt_bits(&fx_dec(&f, 11929)->gpus), "0-1", "excl: all GPUs");
	is_str(fx_reason(&f, 11930), "Resources",
	    "excl: next job waits on Resources (as recorded)");

	/* A running exclusive job: nothing fits, even with cores free. */
	fx_init(&f, "0-3", 20000, 0);
	r = fx_run(&f, "0", NOW + 600);
	r->exclusive = true;
	fx_job(&f, 1, 10, 1, 5);
	fx_job(&f, 2, 9, 1, 5);
	is_int(fx_pass(&f), 0, "excl running: nothing starts");
	is_str(fx_reason(&f, 1), "Resources", "excl running: Resources");
	is_int(fx_dec(&f, 1)->planned_start, NOW + 600,
	    "excl running: planned at its end");
	is_str(fx_reason(&f, 2), "Priority", "excl running: Priority");

	/* An exclusive job waits for an empty node. */
	fx_init(&f, "0-3", 20000, 0);
	fx_run(&f, "0", NOW + 3600);
	fx_run(&f, "1", NOW + 1800);
	fx_job(&f, 1, 10, 1, 60)->exclusive = true;
	fx_job(&f, 2, 9, 1, 30);		/* ends by the last end */
	fx_job(&f, 3, 8, 1, 61);		/* would run past it */
	fx_job(&f, 4, 7, 1, INFINITE);
	fx_job(&f, 5, 6, 1, 10)->exclusive = true;
	is_int(fx_pass(&f), 1, "excl wait: one backfill");
	is_str(fx_reason(&f, 1), "Resources", "excl wait: Resources");
	is_int(fx_dec(&f, 1)->planned_start, NOW + 3600,
	    "excl wait: planned when the last job ends");
	is_str(fx_reason(&f, 2), "START", "excl wait: short job backfills");
	is_str(fmt_bits(&fx_dec(&f, 2)->cpus), "2", "excl wait: free core");
	is_str(fx_reason(&f, 3), "Priority", "excl wait: long job waits");
	is_str(fx_reason(&f, 4), "Priority", "excl wait: unlimited waits");
	is_str(fx_reason(&f, 5), "Priority", "excl wait: exclusive waits");
}

/* EASY backfill around a waiting wide job. */
static void
test_backfill(void)
{
	struct fx		 f;
	struct sched_job	*j;

	/* 8 cores, 6 busy for an hour; the top job wants all 8. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 3600);
	fx_job(&f, 1, 100, 8, 60);
	fx_job(&f, 2, 90, 2, 120);		/* long: would delay job 1 */
	fx_job(&f, 3, 80, 2, INFINITE);	/* unlimited: would delay it */
	fx_job(&f, 4, 70, 2, 60);		/* ends exactly at the start */
	fx_job(&f, 5, 60, 1, 10);		/* no room left */
	is_int(fx_pass(&f), 1, "bf: one backfill");
	is_str(fx_reason(&f, 1), "Resources", "bf: wide job Resources");
	is_int(fx_dec(&f, 1)->planned_start, NOW + 3600,
	    "bf: reserved start is the running job's end");
	is_str(fx_reason(&f, 2), "Priority", "bf: long job not started");
	is_str(fx_reason(&f, 3), "Priority", "bf: unlimited job not started");
	is_str(fx_reason(&f, 4), "START", "bf: short job started in front");
	is_str(fmt_bits(&fx_dec(&f, 4)->cpus), "6-7", "bf: on the free cores");
	is_str(fx_reason(&f, 5), "Priority", "bf: node now full");

	/* Top job needs 6 of 8 at the reserved start: 2 are spare then. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 3600);
	fx_job(&f, 1, 100, 6, 60);
	fx_job(&f, 2, 90, 1, INFINITE);	/* fits in the leftover */
	fx_job(&f, 3, 80, 1, 600);		/* fits in the leftover too */
	fx_job(&f, 4, 70, 1, 10);		/* no core free now */
	is_int(fx_pass(&f), 2, "bf leftover: two start");
	is_str(fx_reason(&f, 2), "START", "bf leftover: unlimited job fits "
	    "in what the top job cannot use");
	is_str(fx_reason(&f, 3), "START", "bf leftover: long job too");
	is_str(fx_reason(&f, 4), "Priority", "bf leftover: full now");

	/* Leftover used up: only one of two long jobs. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 3600);
	fx_job(&f, 1, 100, 7, 60);
	fx_job(&f, 2, 90, 1, INFINITE);
	fx_job(&f, 3, 80, 1, INFINITE);
	fx_pass(&f);
	is_str(fx_reason(&f, 2), "START", "bf: first long job takes the spare");
	is_str(fx_reason(&f, 3), "Priority", "bf: second would delay the top");

	/* Staggered ends: reserved start is the first sufficient end. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-1", NOW + 600);
	fx_run(&f, "2-3", NOW + 1200);
	fx_run(&f, "4-5", NOW + 1800);
	fx_job(&f, 1, 100, 5, 60);
	fx_job(&f, 2, 90, 2, 20);		/* ends at NOW+1200: ok */
	fx_pass(&f);
	is_int(fx_dec(&f, 1)->planned_start, NOW + 1200,
	    "bf: reserved start at the second end");
	is_str(fx_reason(&f, 2), "START", "bf: job ending at it starts");

	/* Jobs started in this pass count for the reservation. */
	fx_init(&f, "0-3", 64000, 0);
	fx_job(&f, 1, 100, 3, 30);
	fx_job(&f, 2, 90, 3, 60);
	fx_job(&f, 3, 80, 1, 20);
	fx_job(&f, 4, 70, 1, 40);
	is_int(fx_pass(&f), 2, "bf pass: two start");
	is_str(fx_reason(&f, 1), "START", "bf pass: first starts");
	is_str(fx_reason(&f, 2), "Resources", "bf pass: second waits");
	is_int(fx_dec(&f, 2)->planned_start, NOW + 1800,
	    "bf pass: planned at the first job's end");
	is_str(fx_reason(&f, 3), "START", "bf pass: short one backfills");
	is_str(fx_reason(&f, 4), "Priority", "bf pass: no core left");

	/* Lower partition job also backfills; reason otherwise NODES_DOWN. */
	fx_init(&f, "0-3", 64000, 0);
	fx_run(&f, "0-1", NOW + 3600);
	fx_job(&f, 1, 100, 4, 60);
	j = fx_job(&f, 2, 90, 1, 30);
	j->part = 1;
	j = fx_job(&f, 3, 80, 1, 30);
	j->part = 1;
	fx_job(&f, 4, 70, 1, 30);
	fx_pass(&f);
	is_str(fx_reason(&f, 2), "START", "bf: debug job backfills");
	is_str(fx_reason(&f, 3), "START", "bf: second debug job backfills");
	is_str(fx_reason(&f, 4), "Priority", "bf: full; same partition");
}

/*
 * --time-min: a job whose limit would delay the top job backfills with a
 * shorter limit, the longest (whole minutes) that still ends by the
 * reserved start, never below its time-min.
 */
static void
test_time_min(void)
{
	struct fx		 f;
	struct sched_job	*j;

	/* 8 cores, 6 busy for 50 minutes; the top job wants all 8. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 50 * 60);
	fx_job(&f, 1, 100, 8, 60);
	j = fx_job(&f, 2, 90, 2, 120);		/* too long, but ... */
	j->time_min = 30;			/* ... 30 min would do */
	is_int(fx_pass(&f), 1, "tmin: one backfill");
	is_str(fx_reason(&f, 2), "START", "tmin: started with a lower limit");
	is_int(fx_dec(&f, 2)->time_limit, 50,
	    "tmin: the longest limit ending by the reserved start");
	is_str(fx_reason(&f, 1), "Resources", "tmin: top job still waits");
	is_int(fx_dec(&f, 1)->planned_start, NOW + 50 * 60,
	    "tmin: and its reserved start is unchanged");

	/* The reserved start in 50.5 minutes: whole minutes only. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 50 * 60 + 30);
	fx_job(&f, 1, 100, 8, 60);
	j = fx_job(&f, 2, 90, 2, INFINITE);
	j->time_min = 10;
	fx_pass(&f);
	is_str(fx_reason(&f, 2), "START", "tmin: unlimited job with time-min");
	is_int(fx_dec(&f, 2)->time_limit, 50, "tmin: limit rounded down");

	/* Its time-min itself would delay the top job: not started. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 50 * 60);
	fx_job(&f, 1, 100, 8, 60);
	j = fx_job(&f, 2, 90, 2, 120);
	j->time_min = 51;
	is_int(fx_pass(&f), 0, "tmin too long: nothing starts");
	is_str(fx_reason(&f, 2), "Priority", "tmin too long: Priority");

	/* A job that fits with its own limit keeps it. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 50 * 60);
	fx_job(&f, 1, 100, 8, 60);
	j = fx_job(&f, 2, 90, 2, 40);
	j->time_min = 10;
	fx_pass(&f);
	is_int(fx_dec(&f, 2)->time_limit, 40, "tmin: own limit kept if it fits");

	/* The main scheduler never lowers a limit. */
	fx_init(&f, "0-7", 64000, 0);
	j = fx_job(&f, 1, 100, 2, 120);
	j->time_min = 5;
	fx_pass(&f);
	is_int(fx_dec(&f, 1)->time_limit, 120, "tmin: free node, full limit");

	/* Unknown reserved start (an unlimited job holds the cores): no
	 * time-min backfill, whatever the time-min. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", INT64_MAX);
	fx_job(&f, 1, 100, 8, 60);
	j = fx_job(&f, 2, 90, 2, 120);
	j->time_min = 1;
	is_int(fx_pass(&f), 0, "tmin, unknown start: nothing starts");

	/* An --exclusive top job: a short enough time-min still backfills. */
	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", NOW + 20 * 60);
	j = fx_job(&f, 1, 100, 1, 60);
	j->exclusive = true;
	j = fx_job(&f, 2, 90, 2, 60);
	j->time_min = 15;
	fx_pass(&f);
	is_str(fx_reason(&f, 2), "START", "tmin, exclusive top: backfills");
	is_int(fx_dec(&f, 2)->time_limit, 20, "tmin, exclusive top: 20 min");
}

/* Reserved start unknown: backfill only into what the top job can't use. */
static void
test_backfill_unknown(void)
{
	struct fx		 f;
	struct sched_job	*j;
	struct sched_running	*r;

	fx_init(&f, "0-7", 64000, 0);
	fx_run(&f, "0-5", INT64_MAX);
	fx_job(&f, 1, 100, 4, 60);
	fx_job(&f, 2, 90, 1, 10);
	is_int(fx_pass(&f), 0, "unknown: nothing starts");
	is_int(fx_dec(&f, 1)->planned_start, 0, "unknown: planned 0");
	is_str(fx_reason(&f, 2), "Priority",
	    "unknown: short job would take a core the top job needs");

	/* Top job blocked on a GPU: spare cores can be used. */
	fx_init(&f, "0-7", 64000, 2);
	r = fx_run(&f, "0", INT64_MAX);
	bitmap_set(&r->gpus, 0);
	bitmap_set(&r->gpus, 1);
	j = fx_job(&f, 1, 100, 2, 60);
	j->gpus = 1;
	fx_job(&f, 2, 90, 4, INFINITE);
	fx_job(&f, 3, 80, 2, INFINITE);	/* would leave 1 < 2 cores */
	fx_job(&f, 4, 70, 1, INFINITE);
	is_int(fx_pass(&f), 2, "unknown gpu: two start");
	is_str(fx_reason(&f, 1), "Resources", "unknown gpu: Resources");
	is_str(fx_reason(&f, 2), "START", "unknown gpu: spare cores used");
	is_str(fx_reason(&f, 3), "Priority", "unknown gpu: keep 2 cores");
	is_str(fx_reason(&f, 4), "START", "unknown gpu: last spare core");
	is_str(fmt_bits(&fx_dec(&f, 4)->cpus), "5", "unknown gpu: core 5");
}

/* Memory and GPU limits. */
static void
test_mem_gpu(void)
{
	struct fx		 f;
	struct sched_job	*j;
	struct sched_running	*r;

	fx_init(&f, "0-7", 1000, 2);
	r = fx_run(&f, "0", NOW + 600);
	r->mem_mb = 600;
	bitmap_set(&r->gpus, 1);
	fx_job(&f, 1, 100, 1, 60)->mem_mb = 300;
	j = fx_job(&f, 2, 90, 1, 60);
	j->gpus = 1;
	is_int(fx_pass(&f), 2, "mem/gpu: both fit");
	is_str(fmt_bits(&fx_dec(&f, 2)->gpus), "0", "mem/gpu: free GPU 0");

	fx_init(&f, "0-7", 1000, 2);
	r = fx_run(&f, "0", NOW + 600);
	r->mem_mb = 600;
	fx_job(&f, 1, 100, 1, 60)->mem_mb = 900;
	fx_job(&f, 2, 90, 1, 60)->mem_mb = 100;	/* ends after: leftover */
	fx_job(&f, 3, 80, 1, 60)->mem_mb = 200;	/* fits now, not after */
	fx_job(&f, 4, 70, 1, 5)->mem_mb = 300;		/* ends before */
	fx_pass(&f);
	is_str(fx_reason(&f, 1), "Resources", "mem: waits for memory");
	is_int(fx_dec(&f, 1)->planned_start, NOW + 600, "mem: planned");
	is_str(fx_reason(&f, 2), "START", "mem: fits the leftover");
	is_str(fx_reason(&f, 3), "Priority", "mem: over the leftover");
	is_str(fx_reason(&f, 4), "START", "mem: short one fits now");

	fx_init(&f, "0-7", 1000, 2);
	r = fx_run(&f, "0", NOW + 600);
	bitmap_set(&r->gpus, 0);
	fx_job(&f, 1, 100, 1, 60)->gpus = 2;
	fx_job(&f, 2, 90, 1, 60)->gpus = 1;
	fx_job(&f, 3, 80, 1, 60);
	fx_pass(&f);
	is_str(fx_reason(&f, 1), "Resources", "gpu: waits for 2 GPUs");
	is_str(fx_reason(&f, 2), "Priority", "gpu: would take its GPU");
	is_str(fx_reason(&f, 3), "START", "gpu: CPU-only job runs");
}

/* Same input, same output; input order does not matter. */
static void
test_deterministic(void)
{
	static struct fx	a, b;
	uint32_t		i, n, id;

	fx_init(&a, "0-15", 64000, 4);
	fx_run(&a, "0-3", NOW + 900);
	fx_run(&a, "4-5", INT64_MAX);
	for (i = 0; i < 40; i++) {
		id = 1 + (i * 17) % 40;
		fx_job(&a, id, id % 5, 1 + id % 6, id % 3 ? 10 * id : INFINITE)
		    ->gpus = id % 7 == 0;
	}
	b = a;
	b.in.parts = b.parts;
	b.in.running = b.run;
	b.in.pending = b.pend;
	fx_pass(&a);
	fx_pass(&b);
	ok(memcmp(a.out, b.out, sizeof a.out) == 0, "det: same output twice");

	/* Reverse the input: each job gets the same decision. */
	n = a.in.npending;
	for (i = 0; i < n; i++)
		b.pend[i] = a.pend[n - 1 - i];
	fx_pass(&b);
	for (i = 0; i < n; i++) {
		if (memcmp(&a.out[i], &b.out[n - 1 - i], sizeof a.out[i]) != 0)
			break;
	}
	ok(i == n, "det: input order does not change decisions");
	ok(a.started > 0 && a.started < n, "det: a mixed outcome (%u)",
	    a.started);
}

/* Queue order for jobs of one partition: priority, submit, id. */
static int
queue_before(const struct sched_job *a, const struct sched_job *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->submit_time != b->submit_time)
		return a->submit_time < b->submit_time;
	return a->id < b->id;
}

/*
 * A larger shuffled queue sorts right (exercises the quicksort).  Looks at
 * scratch after the pass: white-box, sched.c leaves the queue order there.
 */
static void
test_sort_large(void)
{
	static struct sched_job		pend[5000];
	static struct sched_decision	out[5000];
	static uint32_t			scratch[5000];
	struct sched_part		part = { "cpu", INFINITE, INFINITE,
	    INFINITE, 0, 1, true, false };
	struct sched_input		in;
	uint32_t			i, x = 12345, n, best = 0;

	memset(&in, 0, sizeof in);
	in.now = NOW;
	bitmap_set(&in.node_cpus, 0);
	in.node_mem_mb = 1000;
	in.parts = &part;
	in.nparts = 1;
	in.pending = pend;
	in.npending = 5000;
	for (i = 0; i < 5000; i++) {
		x = x * 1103515245 + 12345;
		memset(&pend[i], 0, sizeof pend[i]);
		pend[i].idx = i;
		pend[i].id = i + 1;
		pend[i].priority = (x >> 8) % 1000;
		pend[i].submit_time = (x >> 20) % 50;
		pend[i].ncpus = 1;
		pend[i].min_nodes = 1;
		pend[i].time_limit = INFINITE;
		if (queue_before(&pend[i], &pend[best]))
			best = i;
	}
	n = sched_pass(&in, out, scratch);
	is_int(n, 1, "large: one start");
	ok(out[best].start, "large: the first in queue order starts");
	for (i = 1; i < 5000; i++) {
		if (!queue_before(&pend[scratch[i - 1]], &pend[scratch[i]]))
			break;
	}
	ok(i == 5000, "large: scratch holds the queue order");
}

static uint32_t
rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Random snapshots: allocations are disjoint, inside the node and of the
 * right size; at most one job gets Resources; and with a known reserved
 * start, everything still running then leaves room for the top job.
 */
static void
test_invariants(void)
{
	static struct fx		 f;
	const struct sched_decision	*d;
	struct sched_job		*j;
	struct sched_running		*r;
	struct bitmap			 used, usedg;
	uint32_t			 x = 2463534242u, iter, i, c, w, top;
	uint32_t			 nres, bad_alloc = 0, bad_res = 0;
	uint32_t			 bad_delay = 0, nplanned = 0, nbf = 0;
	uint32_t			 ntmin = 0;
	int64_t				 S, fc, fm, fg, nrun, end;

	for (iter = 0; iter < 500; iter++) {
		fx_init(&f, "0-15", 32000, 4);
		f.parts[1].max_time = INFINITE;
		bitmap_clear(&used);
		bitmap_clear(&usedg);
		for (i = 0, c = 0; i < rnd(&x) % 8; i++) {
			w = 1 + rnd(&x) % 3;
			if (c + w > 16)
				break;
			r = fx_run(&f, "", rnd(&x) % 4 == 0 ? INT64_MAX :
			    NOW + 60 * (1 + rnd(&x) % 120));
			for (; w > 0; w--, c++) {
				bitmap_set(&r->cpus, c);
				bitmap_set(&used, c);
			}
			r->mem_mb = rnd(&x) % 4000;
			if (i < 4 && rnd(&x) % 2) {
				bitmap_set(&r->gpus, i);
				bitmap_set(&usedg, i);
			}
			r->exclusive = rnd(&x) % 40 == 0;
		}
		for (i = 0; i < 30; i++) {
			j = fx_job(&f, i + 1, rnd(&x) % 5, 1 + rnd(&x) % 8,
			    rnd(&x) % 4 == 0 ? INFINITE : 1 + rnd(&x) % 180);
			j->mem_mb = rnd(&x) % 6000;
			j->gpus = rnd(&x) % 5 == 0 ? 1 + rnd(&x) % 2 : 0;
			j->exclusive = rnd(&x) % 25 == 0;
			j->part = rnd(&x) % 3 == 0;
			if (rnd(&x) % 10 == 0)
				j->blocked = WAIT_HELD_USER;
			if (rnd(&x) % 3 == 0)
				j->time_min = 1 + rnd(&x) % 60;
		}
		fx_pass(&f);

		nres = 0;
		top = UINT32_MAX;
		fm = 32000;
		for (i = 0; i < f.in.nrunning; i++)
			fm -= (int64_t)f.run[i].mem_mb;
		for (i = 0; i < f.in.npending; i++) {
			d = &f.out[i];
			if (d->reason == WAIT_RESOURCES) {
				nres++;
				top = i;
			}
			if (!d->start)
				continue;
			nbf += d->start && f.in.nrunning > 0;
			/* The chosen limit: the job's own, or lowered but
			 * never below its time-min. */
			if (d->time_limit != f.pend[i].time_limit) {
				ntmin++;
				if (f.pend[i].time_min == 0 || d->time_limit <
				    f.pend[i].time_min || (f.pend[i].time_limit
				    != INFINITE && d->time_limit >
				    f.pend[i].time_limit))
					bad_alloc++;
			}
			for (w = 0; w < SCHED_WORDS; w++) {
				if ((d->cpus.w[w] & used.w[w]) != 0 ||
				    (d->cpus.w[w] & ~f.in.node_cpus.w[w]) != 0 ||
				    (d->gpus.w[w] & usedg.w[w]) != 0)
					bad_alloc++;
				used.w[w] |= d->cpus.w[w];
				usedg.w[w] |= d->gpus.w[w];
			}
			if (!f.pend[i].exclusive &&
			    (bitmap_count(&d->cpus) != f.pend[i].ncpus ||
			    bitmap_count(&d->gpus) != f.pend[i].gpus))
				bad_alloc++;
			fm -= (int64_t)f.pend[i].mem_mb;
		}
		if (fm < 0 || bitmap_count(&usedg) > 4)
			bad_alloc++;
		if (nres > 1)
			bad_res++;
		if (top == UINT32_MAX || f.out[top].planned_start == 0)
			continue;

		/* What still runs at the reserved start S. */
		nplanned++;
		S = f.out[top].planned_start;
		fc = 16;
		fg = 4;
		fm = 32000;
		nrun = 0;
		for (i = 0; i < f.in.nrunning; i++) {
			r = &f.run[i];
			if (r->end_time <= S)
				continue;
			fc -= bitmap_count(&r->cpus);
			fg -= bitmap_count(&r->gpus);
			fm -= (int64_t)r->mem_mb;
			nrun++;
			if (r->exclusive)
				fc = -1000;
		}
		for (i = 0; i < f.in.npending; i++) {
			if (!f.out[i].start)
				continue;
			j = &f.pend[i];
			end = f.out[i].time_limit == INFINITE ? INT64_MAX :
			    NOW + 60 * (int64_t)f.out[i].time_limit;
			if (end <= S)
				continue;
			fc -= bitmap_count(&f.out[i].cpus);
			fg -= bitmap_count(&f.out[i].gpus);
			fm -= (int64_t)j->mem_mb;
			nrun++;
			if (j->exclusive)
				fc = -1000;
		}
		j = &f.pend[top];
		if (j->exclusive ? nrun != 0 : (fc < j->ncpus ||
		    fg < j->gpus || fm < (int64_t)j->mem_mb))
			bad_delay++;
	}
	is_int(bad_alloc, 0, "random: allocations disjoint, inside, sized");
	is_int(bad_res, 0, "random: at most one Resources");
	is_int(bad_delay, 0, "random: backfill never takes the top job's "
	    "room at its reserved start (%u planned)", nplanned);
	ok(nplanned > 50 && nbf > 50 && ntmin > 10,
	    "random: cases exercised (%u, %u, %u lowered limits)",
	    nplanned, nbf, ntmin);
}

int
main(void)
{
	test_bitmap();
	test_fifo();
	test_order();
	test_ids();
	test_squeue_reasons();
	test_impossible();
	test_blocked();
	test_exclusive();
	test_backfill();
	test_backfill_unknown();
	test_time_min();
	test_mem_gpu();
	test_deterministic();
	test_sort_large();
	test_invariants();
	return done_testing();
}
