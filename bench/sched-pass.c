/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of one scheduling pass: a synthetic snapshot of 10,000 pending
 * and 100 running jobs on a 64-core node, fed straight to sched_pass() 20
 * times; prints the median as "sched_pass_10k_ms: <ms>".  `make bench`
 * builds it from this file plus every .c under src/sched, src/common and
 * src/proto (cc -O2 -Isrc ...).
 *
 * The snapshot is made by a fixed pseudo-random generator, so every run
 * measures the same work: shuffled input order (the pass must sort), mixed
 * sizes, time limits (a fifth unlimited), memory and GPUs, a tenth held or
 * waiting on dependencies, a few impossible requests, two partitions.  The
 * 100 running jobs share cores 0-55 round-robin (a real node would run at
 * most 64 one-core jobs; the pass does not care), leaving 56-63 free, so a
 * pass starts a few jobs, reserves for a wide one and tries to backfill
 * every other job.
 *
 * A second line, "prio_recalc_10k_ms", times what priority/multifactor
 * adds to a pass when it recomputes every pending job's priority (age,
 * fair share of 8 users, job size, partition; src/sched/prio.c), which
 * berthd does after a job ends and every PriorityCalcPeriod.
 *
 * A third, "sched_fast_10k_us", times the submission fast path
 * (sched_fast_pass): the jobs the pass started are made running, passes
 * run until one starts nothing (the state berthd caches), and one new
 * low-priority job is decided against it, in microseconds.
 */

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/job.h"
#include "sched/prio.h"
#include "sched/sched.h"

#define NPENDING	10000
#define NRUNNING	100
#define NRUNS		20
#define NOW		1700000000

static uint64_t	bench_rand(uint64_t *);
static double	bench_ms(void);
static int	bench_cmp(const void *, const void *);

/* xorshift64*: small, fixed, good enough for synthetic data. */
static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static double
bench_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(void)
{
	static struct sched_job		pend[NPENDING];
	static struct sched_running	run[NRUNNING + NPENDING];
	static struct sched_decision	out[NPENDING];
	static uint32_t			scratch[NPENDING];
	struct sched_part		parts[2] = {
		{ "cpu", INFINITE, INFINITE, INFINITE, 0, 1, true },
		{ "debug", 60, INFINITE, INFINITE, 0, 1, true },
	};
	struct sched_input		in;
	struct sched_job		*j, tmp;
	double				ms[NRUNS], t0;
	uint64_t			s = 0x9e3779b97f4a7c15ull, r;
	uint32_t			i, k, started = 0;

	memset(&in, 0, sizeof in);
	in.now = NOW;
	bitmap_parse(&in.node_cpus, "0-63");
	in.node_mem_mb = 256000;
	in.node_gpus = 4;
	in.parts = parts;
	in.nparts = 2;

	for (i = 0; i < NRUNNING; i++) {
		r = bench_rand(&s);
		bitmap_set(&run[i].cpus, i % 56);
		run[i].mem_mb = 1000;
		if (i < 3)
			bitmap_set(&run[i].gpus, i);
		run[i].end_time = r % 10 == 0 ? INT64_MAX :
		    NOW + 60 + (int64_t)(r % 86400);
	}
	in.running = run;
	in.nrunning = NRUNNING;

	for (i = 0; i < NPENDING; i++) {
		j = &pend[i];
		r = bench_rand(&s);
		memset(j, 0, sizeof *j);
		j->idx = i;
		j->id = 1000 + i;
		j->priority = (uint32_t)(r % 1000);
		j->submit_time = NOW - 86400 + (int64_t)(i * 8);
		j->min_nodes = 1;
		j->ncpus = r % 100 < 70 ? 1 : 1 + (uint32_t)((r >> 10) % 16);
		j->mem_mb = 500 + (r >> 20) % 7500;
		j->gpus = (r >> 30) % 20 == 0;
		j->part = (r >> 35) % 10 == 0;
		if (j->part == 1)
			j->time_limit = 5 + (uint32_t)((r >> 40) % 56);
		else if ((r >> 40) % 5 == 0)
			j->time_limit = INFINITE;
		else
			j->time_limit = 10 + (uint32_t)((r >> 43) % 1430);
		if ((r >> 50) % 10 == 0)
			j->blocked = (r >> 54) % 2 ? WAIT_DEPENDENCY :
			    WAIT_HELD_USER;
		if ((r >> 56) % 100 == 0)
			j->ncpus = 100;		/* PartitionConfig */
	}
	/* Shuffle (Fisher-Yates) so the input is not in queue order. */
	for (i = NPENDING - 1; i > 0; i--) {
		k = (uint32_t)(bench_rand(&s) % (i + 1));
		tmp = pend[i];
		pend[i] = pend[k];
		pend[k] = tmp;
	}
	in.pending = pend;
	in.npending = NPENDING;

	for (i = 0; i < NRUNS; i++) {
		t0 = bench_ms();
		started = sched_pass(&in, out, scratch);
		ms[i] = bench_ms() - t0;
	}
	qsort(ms, NRUNS, sizeof ms[0], bench_cmp);
	fprintf(stderr, "sched-pass: %u pending, %u running, %u started; "
	    "min %.3f ms, max %.3f ms\n", NPENDING, NRUNNING, started, ms[0],
	    ms[NRUNS - 1]);
	printf("sched_pass_10k_ms: %.3f\n", (ms[NRUNS / 2 - 1] +
	    ms[NRUNS / 2]) / 2);

	{
		/* The fast path: settle first, on copies. */
		static struct sched_job		p2[NPENDING + 1];
		struct sched_fast		f;
		struct sched_input		in2 = in, one;
		struct sched_decision		d1;
		uint32_t			n, m, st, passes = 0;
		int				rc = 0;

		memcpy(p2, pend, sizeof pend);
		in2.pending = p2;
		do {
			st = sched_pass(&in2, out, scratch);
			sched_fast_note(&f, &in2, out, st);
			for (n = 0, m = 0; n < in2.npending; n++) {
				if (!out[n].start) {
					p2[m++] = p2[n];
					continue;
				}
				run[in2.nrunning].cpus = out[n].cpus;
				run[in2.nrunning].gpus = out[n].gpus;
				run[in2.nrunning].mem_mb = p2[n].mem_mb;
				run[in2.nrunning].end_time =
				    out[n].time_limit == INFINITE ? INT64_MAX :
				    NOW + (int64_t)out[n].time_limit * 60;
				in2.nrunning++;
			}
			in2.npending = m;
			passes++;
		} while (st != 0);
		memset(&p2[m], 0, sizeof p2[m]);
		p2[m].idx = m;
		p2[m].id = 1000 + NPENDING;
		p2[m].priority = 0;
		p2[m].submit_time = NOW;
		p2[m].min_nodes = 1;
		p2[m].ncpus = 1;
		p2[m].mem_mb = 1000;
		p2[m].time_limit = 60;
		one = in2;
		one.pending = &p2[m];
		one.npending = 1;
		for (i = 0; i < NRUNS; i++) {
			t0 = bench_ms();
			rc = sched_fast_pass(&f, &one, &d1);
			ms[i] = bench_ms() - t0;
		}
		qsort(ms, NRUNS, sizeof ms[0], bench_cmp);
		fprintf(stderr, "sched-fast: %u pending, %u running after %u "
		    "passes; top job %s; fast pass %d, reason %u\n", m,
		    in2.nrunning, passes, f.has_top ? "waiting" : "none", rc,
		    d1.reason);
		printf("sched_fast_10k_us: %.1f\n", 1e3 * (ms[NRUNS / 2 - 1] +
		    ms[NRUNS / 2]) / 2);
	}

	{
		static struct prio_job	pj[NPENDING];
		struct prio_conf	pc;
		struct prio_factors	f;
		double			fs[8];

		memset(&pc, 0, sizeof pc);
		pc.w_age = 1000;
		pc.w_fs = 10000;
		pc.w_js = 100;
		pc.w_part = 1000;
		pc.max_age = 7 * 86400;
		pc.node_cpus = 64;
		pc.max_part_factor = 10;
		for (k = 0; k < 8; k++)
			fs[k] = prio_fairshare(1000.0 * (k + 1), 36000.0, 8);
		for (i = 0; i < NPENDING; i++) {
			pj[i].eligible = pend[i].submit_time;
			pj[i].ncpus = pend[i].ncpus;
			pj[i].min_nodes = 1;
			pj[i].part_factor = pend[i].part ? 10 : 1;
			pj[i].fairshare = fs[pend[i].id % 8];
		}
		for (i = 0; i < NRUNS; i++) {
			t0 = bench_ms();
			for (k = 0; k < NPENDING; k++)
				pend[k].priority = prio_compute(&pc, &pj[k],
				    NOW, &f);
			ms[i] = bench_ms() - t0;
		}
		qsort(ms, NRUNS, sizeof ms[0], bench_cmp);
		printf("prio_recalc_10k_ms: %.3f\n", (ms[NRUNS / 2 - 1] +
		    ms[NRUNS / 2]) / 2);
	}
	return 0;
}
