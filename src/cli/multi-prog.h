/* SPDX-License-Identifier: MIT */
/*
 * srun --multi-prog: the configuration file that gives each task rank its
 * own command (srun(1) "MULTIPLE PROGRAM CONFIGURATION").  No I/O but
 * reading the file; errors come back as Slurm's lines (without the
 * "srun: error: " prefix), one per line of *cause.
 */
#ifndef BERTH_CLI_MULTI_PROG_H
#define BERTH_CLI_MULTI_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mp_range {
	uint32_t	 lo, hi;	/* ranks lo..hi; the whole step for '*' */
	bool		 all;		/* '*' */
	char		*cmd;		/* the rest of the line */
};

struct multi_prog {
	char		*path;
	struct mp_range	*v;
	size_t		 n;
	uint32_t	 ntasks;	/* -n, or as the ranks extended it */
};

/*
 * Read and check PATH for NTASKS tasks (0: -n not given, so 1 that the
 * ranks may extend, as Slurm).  Every rank must have a line.  Returns 0,
 * or -1 with *cause.
 */
int	 multi_prog_load(const char *path, uint32_t ntasks,
	    struct multi_prog *, char **cause);
/*
 * Each task's argv for a step of NTASKS tasks (%t: the task's rank, %o:
 * its offset in its line's range; single and double quotes group words).
 * NULL with *cause when a rank has no line.
 */
char	***multi_prog_argv(const struct multi_prog *, uint32_t ntasks,
	    char **cause);
void	 multi_prog_argv_free(char ***, uint32_t ntasks);
void	 multi_prog_free(struct multi_prog *);

#endif
