/* SPDX-License-Identifier: MIT */
/*
 * Parsers for Slurm's value syntaxes, shared by the CLI (options, #SBATCH)
 * and the daemon (berth.conf, updates).  All return 0 or -1 on bad input.
 */
#ifndef BERTH_PARSE_H
#define BERTH_PARSE_H

#include <stdint.h>

/*
 * Time limits as Slurm's -t takes them: "minutes", "minutes:seconds",
 * "hours:minutes:seconds", "days-hours", "days-hours:minutes",
 * "days-hours:minutes:seconds"; "UNLIMITED"/"INFINITE"/"-1" -> INFINITE.
 * Seconds round up to the next minute.  "0" means INFINITE as in Slurm.
 */
int	 parse_time_limit(const char *, uint32_t *minutes);
/*
 * Memory sizes: a number with optional K, M, G, T suffix (default M);
 * result in MB, rounded up.  "0" is allowed (means "all memory").
 */
int	 parse_mem_mb(const char *, uint64_t *mb);
/*
 * --begin values: now+N[seconds|minutes|hours|days|weeks] (units may be
 * abbreviated as in Slurm), HH:MM[:SS], YYYY-MM-DD[THH:MM[:SS]],
 * MM/DD[/YY], midnight, noon, fika, teatime, today, tomorrow.  now is the
 * current time; local time zone.
 */
int	 parse_begin_time(const char *, int64_t now, int64_t *out);
/*
 * GPUs asked by a Gres value: "gpu[:type][:count][,...]" (an optional
 * "gres/" or "gres:" prefix per item; "gpu:type" means one), or "none"
 * for 0.  Anything that is not a GPU is an error (Slurm's "Invalid generic
 * resource (gres) specification").  The empty string is an error too:
 * callers for which it means "none" check it first.
 */
int	 parse_gres_gpus(const char *, uint32_t *count);

#endif
