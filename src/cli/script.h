/* SPDX-License-Identifier: MIT */
/*
 * Batch scripts as sbatch sees them: reading (file or stdin), Slurm's sanity
 * checks, the --wrap script, and the #SBATCH directive scanner.  Pure apart
 * from script_read; messages come back in *cause (Slurm's wording, one
 * "<tool>: error: " line per '\n'-separated line) and the caller prints
 * them.  Returned strings and vectors belong to the caller (free/strv_free).
 */
#ifndef BERTH_SCRIPT_H
#define BERTH_SCRIPT_H

#include <stddef.h>

/* Largest script accepted: Slurm's default MaxScriptSize (4 MiB). */
#define SCRIPT_MAX_SIZE	(4u * 1024 * 1024)

/*
 * Read the whole script from path, or from standard input when path is
 * NULL.  Returns 0 with *textp (NUL-terminated) and *lenp, -1 with *cause:
 * "Unable to open file X", or the too-large error.
 */
int	 script_read(const char *path, char **textp, size_t *lenp,
	    char **cause);
/*
 * Slurm's checks, in Slurm's order: empty, only whitespace, no "#!" at the
 * start, a NUL byte, DOS line breaks.  0 if fine, else -1 with *cause.
 */
int	 script_check(const char *text, size_t len, char **cause);
/* The script --wrap=CMD submits, byte for byte what Slurm builds. */
char	*script_wrap(const char *cmd);
/*
 * Collect the arguments of the directive lines (those starting with magic,
 * "#SBATCH", in column 0) up to the first line that is neither blank nor a
 * comment, split as Slurm splits them: blanks separate, '' and "" quote,
 * backslash escapes, an unquoted '#' starts a comment.  Returns a
 * NULL-terminated vector (possibly empty) in *argvp; -1 with *cause for an
 * unmatched quote or a hetjob separator (not supported).  name is the
 * script's name for messages.
 */
int	 script_directives(const char *text, size_t len, const char *magic,
	    const char *name, char ***argvp, char **cause);

#endif
