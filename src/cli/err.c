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

static void	cli_vmsg(const char *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
cli_vmsg(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", cli_prog, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg("error: ", fmt, ap);
	va_end(ap);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg("", fmt, ap);
	va_end(ap);
}
