#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a task split off a pending array (src/daemon/schedule.c,
#   job_array_take()) whose own record cannot be stored stays in the
#   array and runs later: no task is lost.  (The array's record was once
#   saved without the task before the task's record was made, so a failed
#   insert lost it.)  The store's failure is provoked by
#   BERTH_TEST_FAIL_AT=split in the daemon's environment, a test hook that
#   fails the first split as if the insert had been refused.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's (12_sbatch_array): every task of an array runs once.
. "$(dirname "$0")/lib.sh"

write_conf_ref
BERTH_TEST_FAIL_AT=split start_daemon || done_testing

submit --array=0-3 -o 'out_%a' --wrap='echo task $SLURM_ARRAY_TASK_ID'
a=$JOB
tasks_done() {
	[ "$(sacct -n -X -P -o State -j "$a" 2>/dev/null |
	    grep -c COMPLETED)" -eq 4 ]
}
ok "all four tasks complete" wait_for 20 tasks_done
run sacct -n -X -P -o JobID,State -j "$a"
is "$(sort <<<"$OUT")" "${a}_0|COMPLETED
${a}_1|COMPLETED
${a}_2|COMPLETED
${a}_3|COMPLETED" "sacct: each task once, COMPLETED"
good=0
for t in 0 1 2 3; do
	[ "$(cat "out_$t" 2>/dev/null)" = "task $t" ] && good=$((good + 1))
done
is "$good" 4 "each task wrote its own output"
ok "the failed split was logged" grep -q \
    "split task .*BERTH_TEST_FAIL_AT=split; it stays in the array" \
    "$BERTH_STATE_DIR/berthd.log"
run squeue -h
is "$OUT" "" "nothing is left pending"

done_testing
