#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a batch script that is too large (issue 2 part 8): sbatch refuses
#   a script over 4 MiB before sending it, the daemon refuses one over
#   SchedulerParameters=max_script_size; either way exit 1, nothing on
#   stdout, Slurm's "Batch job submission failed: Pathname of a file,
#   directory or other parameter too long", and no job queued; a script
#   of exactly the limit is taken.
# Slurm behaviour copied (checked on real Slurm 22.05.8, default
#   max_script_size 4 MiB): a script of 4194304 bytes is submitted, one
#   byte more is refused with exit 1 and "sbatch: error: Batch job
#   submission failed: Pathname of a file, directory or other parameter
#   too long" (ESLURM_PATHNAME_TOO_LONG, as for any oversized string).
. "$(dirname "$0")/lib.sh"

write_conf_ref "" && echo "SchedulerParameters=max_script_size=2000" \
    >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing

# script N FILE: a batch script of exactly N bytes.
script() {
	{ printf '#!/bin/sh\ntrue\n'; head -c "$(($1 - 16))" /dev/zero |
	    tr '\0' '#'; echo; } >"$2"
}

too_long="sbatch: error: Batch job submission failed: Pathname of a file, \
directory or other parameter too long"

# The client's limit: 4 MiB, as Slurm's default max_script_size.
script $((4 * 1024 * 1024 + 1)) big.sh
is "$(stat -c %s big.sh)" 4194305 "a script of 4 MiB + 1 byte"
run sbatch -o /dev/null big.sh
is "$RC/$OUT" "1/" "sbatch refuses it: exit 1, nothing on stdout"
is "$ERR" "$too_long" "…with Slurm's one line"

# The daemon's limit (max_script_size=2000 here).
script 2001 over.sh
run sbatch -o /dev/null over.sh
is "$RC/$OUT" "1/" "the daemon refuses a script over max_script_size: exit 1"
is "$ERR" "$too_long" "…with Slurm's one line"
run squeue -h -t all
is "$RC/$OUT" "0/" "no job was created by the refused scripts"

script 2000 limit.sh
submit -o limit.out limit.sh; j=$JOB
wait_done "$j"
is "$(job_state "$j")" COMPLETED "a script of exactly max_script_size runs"

done_testing
