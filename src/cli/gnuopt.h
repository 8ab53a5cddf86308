/* SPDX-License-Identifier: MIT */
/*
 * The command-line tools' getopt_long: GNU semantics (argument permutation,
 * "+" for stop-at-first-non-option, unique abbreviations of long options,
 * "--opt=value" and "--opt value") and glibc's exact error messages, with
 * any C library.  Slurm's commands parse with glibc's getopt_long and
 * scripts see its messages ("sbatch: unrecognized option '--foo'"); berth's
 * static programs are linked against musl when it is installed (see the
 * Makefile), whose getopt words them differently.
 *
 * Files include this header instead of <getopt.h>; it maps the usual names
 * (getopt_long, optarg, optind, opterr, optopt) onto gnuopt's own, so call
 * sites read like ordinary getopt code.  optind = 0 (or 1) before a loop
 * starts a new parse.
 */
#ifndef BERTH_GNUOPT_H
#define BERTH_GNUOPT_H

#include <getopt.h>	/* struct option, no_argument, ... */

extern char	*gnuopt_arg;
extern int	 gnuopt_ind;
extern int	 gnuopt_err;
extern int	 gnuopt_opt;

int	 gnuopt_long(int argc, char *const *argv, const char *optstring,
	    const struct option *longopts, int *longindex);

#define getopt_long	gnuopt_long
#define optarg		gnuopt_arg
#define optind		gnuopt_ind
#define opterr		gnuopt_err
#define optopt		gnuopt_opt

#endif
