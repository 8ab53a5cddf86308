// links: sched/prio.c
/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for priority/multifactor (src/sched/prio.c) on synthetic
 * inputs: each factor at its bounds, Slurm's fair-share formula, decay
 * with the half-life, nice, and the floor of 1.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sched/prio.h"
#include "t.h"

#define NOW	1000000
#define DAY	86400

static int
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static struct prio_conf
conf(void)
{
	struct prio_conf c;

	memset(&c, 0, sizeof c);
	c.w_age = 1000;
	c.w_fs = 10000;
	c.w_js = 100;
	c.w_part = 1000;
	c.w_qos = 0;
	c.max_age = 7 * DAY;
	c.node_cpus = 8;
	c.max_part_factor = 10;
	return c;
}

static struct prio_job
job(void)
{
	struct prio_job j;

	memset(&j, 0, sizeof j);
	j.eligible = NOW;
	j.ncpus = 2;
	j.min_nodes = 1;
	j.part_factor = 10;
	j.fairshare = 1.0;
	return j;
}

static void
test_age(void)
{
	struct prio_conf c = conf();
	struct prio_job j = job();
	struct prio_factors f;

	prio_compute(&c, &j, NOW, &f);
	ok(near(f.age, 0), "age 0 when just eligible");
	prio_compute(&c, &j, NOW + 7 * DAY / 2, &f);
	ok(near(f.age, 500), "age half of PriorityMaxAge: half the weight");
	prio_compute(&c, &j, NOW + 30 * DAY, &f);
	ok(near(f.age, 1000), "age capped at 1 after PriorityMaxAge");
	j.eligible = 0;
	prio_compute(&c, &j, NOW + DAY, &f);
	ok(near(f.age, 0), "not eligible (held, dependency): no age");
	j.eligible = NOW + DAY;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.age, 0), "begin time in the future: no age");
}

static void
test_jobsize(void)
{
	struct prio_conf c = conf();
	struct prio_job j = job();
	struct prio_factors f;

	j.ncpus = 8;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.js, 100), "the whole node: jobsize 1");
	j.ncpus = 4;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.js, 75), "half the CPUs: (1 + 0.5) / 2");
	c.favor_small = true;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.js, 25), "PriorityFavorSmall: (0 + 0.5) / 2");
	j.ncpus = 1;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.js, 100.0 * 7 / 16), "PriorityFavorSmall, 1 of 8 CPUs");
	c.favor_small = false;
	j.ncpus = 64;
	j.min_nodes = 3;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.js, 100), "more than the machine: capped at 1");
}

static void
test_partition(void)
{
	struct prio_conf c = conf();
	struct prio_job j = job();
	struct prio_factors f;

	j.part_factor = 5;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.part, 500), "PriorityJobFactor 5 of at most 10");
	c.max_part_factor = 0;
	prio_compute(&c, &j, NOW, &f);
	ok(near(f.part, 0), "no partition factors: 0");
}

static void
test_fairshare(void)
{
	ok(near(prio_fairshare(0, 0, 3), 1), "no usage at all: 1");
	ok(near(prio_fairshare(0, 100, 2), 1), "a user without usage: 1");
	ok(near(prio_fairshare(50, 100, 2), 0.5),
	    "used exactly its share: 2^-1");
	ok(near(prio_fairshare(100, 100, 2), 0.25),
	    "used everything, share 1/2: 2^-2");
	ok(near(prio_fairshare(100, 100, 1), 0.5),
	    "the only user: 2^-1");
	ok(prio_fairshare(10, 100, 2) > prio_fairshare(90, 100, 2),
	    "less usage, higher factor");
}

static void
test_decay(void)
{
	ok(near(prio_decay(1000, 0, DAY), 1000), "no time, no decay");
	ok(near(prio_decay(1000, DAY, DAY), 500), "one half-life: half");
	ok(near(prio_decay(1000, 2 * DAY, DAY), 250), "two: a quarter");
	ok(near(prio_decay(1000, 5 * DAY, 0), 1000),
	    "PriorityDecayHalfLife=0: no decay");
	ok(near(prio_decay(-5, DAY, DAY), 0), "negative usage is 0");
}

static void
test_sum(void)
{
	struct prio_conf c = conf();
	struct prio_job j = job();
	struct prio_factors f;
	uint32_t p;

	j.fairshare = 0.5;
	p = prio_compute(&c, &j, NOW + 7 * DAY / 2, &f);
	/* 500 age + 5000 fs + 100*(1+2/8)/2 = 62.5 js + 1000 part */
	is_int(p, 6562, "priority is the truncated sum");
	j.nice = 100;
	p = prio_compute(&c, &j, NOW + 7 * DAY / 2, &f);
	is_int(p, 6462, "a positive nice lowers it");
	j.nice = -1000;
	p = prio_compute(&c, &j, NOW + 7 * DAY / 2, &f);
	is_int(p, 7562, "a negative nice raises it");
	memset(&c, 0, sizeof c);
	c.node_cpus = 8;
	j.nice = 0;
	p = prio_compute(&c, &j, NOW, &f);
	is_int(p, 1, "all weights 0: priority 1 (0 is for held jobs)");
	j.nice = 50;
	p = prio_compute(&c, &j, NOW, &f);
	is_int(p, 1, "never below 1");
}

int
main(void)
{
	test_age();
	test_jobsize();
	test_partition();
	test_fairshare();
	test_decay();
	test_sum();
	return done_testing();
}
