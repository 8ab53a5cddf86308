/* SPDX-License-Identifier: MIT */
/*
 * An index by name over a vector of "NAME=value" strings (an environment
 * being built), so that setting or finding a variable is not a walk of
 * all the others: sbatch merges the whole environment and then sets its
 * SLURM_* variables, the supervisor sets ~120 over the user's.  The
 * vector stays the caller's; the index holds positions in it.
 */
#ifndef BERTH_ENVIDX_H
#define BERTH_ENVIDX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct envidx {
	uint32_t	*slot;		/* position in the vector + 1; 0: empty */
	size_t		 cap;		/* a power of two, > twice the entries */
};

/* The position of NAME (its first len bytes) in v, or -1.  An entry
 * without '=' is all name. */
ssize_t	envidx_find(const struct envidx *, char *const *v, const char *name,
	    size_t len);
/*
 * v[n - 1] was just appended, its name its first len bytes.  If an
 * earlier entry has that name, returns its position and leaves the index
 * as it was (the caller replaces that entry and drops v[n - 1]); else
 * indexes v[n - 1] and returns n - 1: one look-up to set a variable.
 */
ssize_t	envidx_put(struct envidx *, char *const *v, size_t n, size_t len);
/* Room for total entries in all, v[0..n-1] already there (indexed anew),
 * so that adding up to total does not rebuild the index on the way. */
void	envidx_reserve(struct envidx *, char *const *v, size_t n,
	    size_t total);
/* Index v[0..n-1] anew, after entries were removed or moved. */
void	envidx_rebuild(struct envidx *, char *const *v, size_t n);
void	envidx_free(struct envidx *);

#endif
