/* SPDX-License-Identifier: MIT */
/*
 * scancel's pure parts (scancel-opt.c): signal names, job id arguments,
 * and how a per-job result is reported, apart from cmd-scancel.c so unit
 * tests can link them without a daemon.
 */
#ifndef BERTH_CLI_SCANCEL_H
#define BERTH_CLI_SCANCEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/buf.h"

/*
 * Slurm's sig_name2num(): a number ("10"), or a name with or without
 * "SIG" in any case ("USR1", "SIGusr1").  Returns the signal number, or 0
 * when the text names no signal (scancel then says "Unknown job signal").
 */
int	 scancel_sig_parse(const char *);

/*
 * Append the job ids of one argument ("12", "12,13", "12_3", "12_[1-3]")
 * to *ids, and to *tasks (parallel) the array task set of each ("3",
 * "1-3") or NULL for a whole job or array.  Returns 0, or -1 when the
 * argument is not such a list (no step ids here).
 */
int	 scancel_add_ids(const char *, uint32_t **ids, char ***tasks,
	    uint32_t *nids);
/* The same with step ids ("12.0"): *steps (parallel) gets the step id of
 * each, NO_VAL for a whole job. */
int	 scancel_add_steps(const char *, uint32_t **ids, char ***tasks,
	    uint32_t **steps, uint32_t *nids);

/* The Slurm errno number of a berth error code (scancel's exit status is
 * Slurm's errno, truncated to 8 bits: 2002 "Access denied" exits 210). */
int	 scancel_slurm_errno(uint32_t code);

/*
 * Report the result of one job in err ("scancel: error: ..." lines) and
 * return its contribution to the exit status (the largest wins).
 * by_id_only: scancel ran with job ids and no filter or --signal/--batch;
 * then Slurm signals the ids directly and ignores jobs that are unknown or
 * already finished, else it first checks the ids against the job list and
 * calls them invalid.  verbose: -v count, -1 for -Q.
 */
int	 scancel_result(struct buf *err, uint32_t id, uint32_t code,
	    bool by_id_only, int verbose);
/* The same for one step ("scancel 12.3"): "job step id 12.3". */
int	 scancel_step_result(struct buf *err, uint32_t id, uint32_t step,
	    uint32_t code, int verbose);

#endif
