/* SPDX-License-Identifier: MIT */
/*
 * Slurm's priority/multifactor, pure: the factors of one pending job and
 * the priority they add up to, fair share from decayed usage.  No I/O, no
 * clock (now is a parameter), no globals.  The daemon (daemon/priority.c)
 * keeps the usage and decides when to recompute; sprio shows the factors.
 *
 * As slurmctld's priority_multifactor.c computes them, each factor in
 * [0, 1]:
 *   age        time eligible / PriorityMaxAge, at most 1
 *   fairshare  2^(-U/S): U the user's share of all decayed usage, S the
 *              user's share of the machine (equal shares: 1 / users)
 *   jobsize    one node: (1 + cpus / node cpus) / 2, or with
 *              PriorityFavorSmall (0 + (node cpus - cpus) / node cpus) / 2
 *   partition  the partition's PriorityJobFactor / the highest one
 *   qos        0 (no QOS priorities)
 * priority = sum of weight * factor - nice, at least 1, truncated.
 */
#ifndef BERTH_PRIO_H
#define BERTH_PRIO_H

#include <stdbool.h>
#include <stdint.h>

struct prio_conf {
	uint32_t	 w_age;		/* PriorityWeightAge */
	uint32_t	 w_fs;		/* PriorityWeightFairshare */
	uint32_t	 w_js;		/* PriorityWeightJobSize */
	uint32_t	 w_part;	/* PriorityWeightPartition */
	uint32_t	 w_qos;		/* PriorityWeightQOS */
	uint32_t	 max_age;	/* PriorityMaxAge, seconds */
	bool		 favor_small;	/* PriorityFavorSmall */
	uint32_t	 node_cpus;	/* CPUs of the node (> 0) */
	uint32_t	 max_part_factor; /* highest PriorityJobFactor */
};

struct prio_job {
	int64_t		 eligible;	/* when it began to accrue age; 0 not */
	uint32_t	 ncpus;
	uint32_t	 min_nodes;
	uint32_t	 part_factor;	/* its partition's PriorityJobFactor */
	double		 fairshare;	/* its user's factor (prio_fairshare) */
	int32_t		 nice;
};

/* The weighted factors (factor * weight), as sprio prints them. */
struct prio_factors {
	double		 age;
	double		 fs;
	double		 js;
	double		 part;
	double		 qos;
};

/* Usage decayed over dt seconds with half-life hl seconds (0: none). */
double	 prio_decay(double usage, int64_t dt, uint32_t hl);
/* F = 2^(-U/S), U = user / total usage, S = 1 / nusers; 1 if no usage. */
double	 prio_fairshare(double user_usage, double total_usage,
	    uint32_t nusers);
/* Factors of one job at now; returns its priority (>= 1). */
uint32_t prio_compute(const struct prio_conf *, const struct prio_job *,
	    int64_t now, struct prio_factors *out);

#endif
