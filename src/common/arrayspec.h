/* SPDX-License-Identifier: MIT */
/*
 * Job array index sets, kept as a short list of ranges "lo-hi:step" so
 * that --array=0-99999 costs one range, not 100000 entries.  The stored
 * form (job.array_spec) is the --array syntax without the throttle:
 * "0-99999", "1,3,5-9:2".  Used by sbatch validation (daemon), the
 * scheduler (take the next task, remove cancelled ones) and the clients
 * (squeue folds the pending rest as "ID_[0-3%2]").
 *
 * Ownership: an arrayspec owns its ranges; arrayspec_free releases them.
 * Strings returned by the formatters are the caller's to free.
 */
#ifndef BERTH_ARRAYSPEC_H
#define BERTH_ARRAYSPEC_H

#include <stdbool.h>
#include <stdint.h>

struct array_range {
	uint32_t	 lo;
	uint32_t	 hi;		/* lo + k * step, the last index */
	uint32_t	 step;		/* >= 1 */
};

struct arrayspec {
	struct array_range	*r;
	uint32_t		 n;
};

/*
 * Parse Slurm's --array value: comma-separated N, N-M, N-M:S, with an
 * optional "%T" throttle at the end (*throttle: T, or 0 if none; may be
 * NULL to refuse a throttle).  T is read as slurmctld's atoi() reads it:
 * its leading number cast to int (4294967298 is 2), no throttle if that
 * is not > 0, anything after the number ignored.  Every index must be
 * below max_size (Slurm's MaxArraySize).  -1 with *cause on a bad value, or when overlapping
 * ranges add up to more than 8M indexes.  Ranges are sorted; duplicates
 * are removed.
 */
int	 arrayspec_parse(const char *, uint32_t max_size,
	    struct arrayspec *, uint32_t *throttle, char **cause);
/* Whatever is passed in, the ranges of a set are sorted and disjoint. */
void	 arrayspec_free(struct arrayspec *);
uint64_t arrayspec_count(const struct arrayspec *);
bool	 arrayspec_empty(const struct arrayspec *);
uint32_t arrayspec_min(const struct arrayspec *);	/* of a non-empty set */
uint32_t arrayspec_max(const struct arrayspec *);
/* The step for SLURM_ARRAY_TASK_STEP: the common gap, else 1. */
uint32_t arrayspec_step(const struct arrayspec *);
bool	 arrayspec_has(const struct arrayspec *, uint32_t);
/* Remove and return the lowest index (set must not be empty). */
uint32_t arrayspec_take(struct arrayspec *);
/* Append an index above every index of the set (-1 if it is not). */
int	 arrayspec_append(struct arrayspec *, uint32_t);
/* Remove one index; false if it was not there. */
bool	 arrayspec_remove(struct arrayspec *, uint32_t);
/* The stored form, "0-99999" / "1,3,5-9:2" ("" for the empty set). */
char	*arrayspec_format(const struct arrayspec *);
/* Slurm's display (squeue, scontrol): steps expanded, consecutive runs
 * as "a-b": "0-3", "1,3,5,7,9". */
char	*arrayspec_display(const struct arrayspec *);

#endif
