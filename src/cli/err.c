/* SPDX-License-Identifier: MIT */
/*
 * Slurm-style error output for every tool: "<tool>: error: ...".  Apart
 * from the multi-call dispatch (main.c) so that bin/sbatch, which has a
 * main of its own (src/sbatch/main.c), links it too.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

const char *cli_prog = "berth";

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
