// SPDX-License-Identifier: MIT
/*
 * Step CPU selection, pure: which CPUs of a job's allocation a new step
 * gets (docs/steps.md).  A step takes the lowest CPUs of the job's set
 * that no running step holds; with --overlap it takes the lowest of the
 * whole set, held or not.
 */
#include "sched.h"

int
sched_step_cpus(const struct bitmap *job, const struct bitmap *used,
    uint32_t need, bool overlap, struct bitmap *out)
{
	uint32_t got = 0;

	bitmap_clear(out);
	if (need == 0)
		need = 1;
	if (need > bitmap_count(job))
		return -1;
	for (uint32_t c = 0; c < SCHED_MAX_CPUS && got < need; c++) {
		if (!bitmap_test(job, c))
			continue;
		if (!overlap && bitmap_test(used, c))
			continue;
		bitmap_set(out, c);
		got++;
	}
	if (got < need) {
		bitmap_clear(out);
		return 0;
	}
	return 1;
}
