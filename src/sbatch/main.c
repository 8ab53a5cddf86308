/* SPDX-License-Identifier: MIT */
/*
 * bin/sbatch: the sbatch command as a program of its own, without the
 * other tools of the multi-call `berth` (src/cli/main.c).  Its start is
 * most of its cost (a benchmark's submission loop runs one per job), and
 * the pages a start touches are a good part of that: linked alone, with
 * the sections nothing calls dropped (the Makefile), its code is 115 KB
 * instead of 390 and an `sbatch --hold` takes 16 page faults instead of
 * 24 (docs/performance.md, "sbatch's own cost").
 */
#include "../cli/cli.h"

int
main(int argc, char **argv)
{
	cli_prog = "sbatch";
	return cmd_sbatch(argc, argv);
}
