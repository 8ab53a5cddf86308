/* SPDX-License-Identifier: MIT */
/*
 * The multi-call binary: the tool is picked by the exact basename of
 * argv[0] from tools[], or by the first argument when invoked as `berth`
 * ("berth sbatch ...").  This file is the only place that compares
 * command names.  (bin/sbatch is linked with a main of its own,
 * src/sbatch/main.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_tool tools[] = {
	{ "sacct", cmd_sacct },
	{ "salloc", cmd_salloc },
	{ "sattach", cmd_sattach },
	{ "sbatch", cmd_sbatch },
	{ "scancel", cmd_scancel },
	{ "scontrol", cmd_scontrol },
	{ "seff", cmd_seff },
	{ "sinfo", cmd_sinfo },
	{ "sprio", cmd_sprio },
	{ "squeue", cmd_squeue },
	{ "srun", cmd_srun },
	{ "sstat", cmd_sstat },
};

static const struct cli_tool *
find_tool(const char *name)
{
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		if (strcmp(tools[i].name, name) == 0)
			return &tools[i];
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: berth <tool> [args...]\ntools:");
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		fprintf(stderr, " %s", tools[i].name);
	fprintf(stderr, "\n");
}

int
main(int argc, char **argv)
{
	const struct cli_tool *t;
	const char *base;

	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	if ((t = find_tool(base)) == NULL) {
		if (argc < 2) {
			usage();
			return 1;
		}
		if ((t = find_tool(argv[1])) == NULL) {
			fprintf(stderr, "berth: unknown tool: %s\n", argv[1]);
			usage();
			return 1;
		}
		argc--;
		argv++;
	}
	cli_prog = t->name;
	return t->main(argc, argv);
}
