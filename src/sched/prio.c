/* SPDX-License-Identifier: MIT */
/*
 * priority/multifactor arithmetic (see prio.h for the formulas and where
 * they come from).  Doubles throughout, as slurmctld computes them, and
 * the sum is truncated to an integer the same way, so sprio's PRIORITY
 * column (the sum of the printed factors) equals the job's Priority=.
 */
#include <math.h>
#include <stdint.h>

#include "prio.h"

double
prio_decay(double usage, int64_t dt, uint32_t hl)
{
	if (hl == 0 || dt <= 0 || usage <= 0)
		return usage < 0 ? 0 : usage;
	return usage * exp2(-(double)dt / (double)hl);
}

double
prio_fairshare(double user_usage, double total_usage, uint32_t nusers)
{
	double u, s;

	if (total_usage <= 0 || user_usage <= 0 || nusers == 0)
		return 1.0;
	u = user_usage / total_usage;
	s = 1.0 / (double)nusers;
	return exp2(-u / s);
}

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

uint32_t
prio_compute(const struct prio_conf *c, const struct prio_job *j,
    int64_t now, struct prio_factors *f)
{
	double age = 0, js, part = 0, sum;
	double cpus = c->node_cpus > 0 ? (double)c->node_cpus : 1;
	double ncpus = j->ncpus;

	if (c->w_age != 0 && j->eligible > 0 && now > j->eligible) {
		if (c->max_age == 0 || now - j->eligible >= c->max_age)
			age = 1;
		else
			age = (double)(now - j->eligible) / c->max_age;
	}
	/* One node in the cluster: the node part is min_nodes/1. */
	if (c->favor_small)
		js = ((1.0 - (double)j->min_nodes) + (cpus - ncpus) / cpus) /
		    2;
	else
		js = ((double)j->min_nodes + ncpus / cpus) / 2;
	js = clamp01(js);
	if (c->max_part_factor > 0)
		part = clamp01((double)j->part_factor / c->max_part_factor);

	f->age = age * c->w_age;
	f->fs = clamp01(j->fairshare) * c->w_fs;
	f->js = js * c->w_js;
	f->part = part * c->w_part;
	f->qos = 0;
	sum = f->age + f->fs + f->js + f->part + f->qos - (double)j->nice;
	if (sum < 1)
		return 1;
	if (sum >= 4294967294.0)
		return 4294967294u;
	return (uint32_t)sum;
}
