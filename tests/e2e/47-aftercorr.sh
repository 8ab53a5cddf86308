#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: --dependency=aftercorr evaluated task by task: task i of array B
#   starts once task i of array A completed successfully, while B's other
#   tasks keep waiting (reason Dependency); when task i of A fails, B's
#   task i never starts (DependencyNeverSatisfied) and the others are not
#   affected; the pending record splits tasks off as they are decided and
#   squeue (folded and -r) stays right.
# Slurm behaviour copied (man sbatch: "A task of this job array can begin
#   execution after the corresponding task ID in the specified job has
#   completed successfully (ran to completion with an exit code of
#   zero)"; job_scheduler.c/depend: a failed corresponding task makes that
#   task's dependency never satisfied).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A: three tasks one at a time (%1), each waiting for its go_<i> file;
# task 1 fails.
submit --array=0-2%1 -J A -o /dev/null --wrap='
i=$SLURM_ARRAY_TASK_ID
for k in $(seq 1 3000); do [ -e go_$i ] && break; sleep 0.02; done
[ "$i" = 1 ] && exit 1; exit 0'
a=$JOB
submit --array=0-2 -J B -o 'b_%a.out' -d "aftercorr:$a" --wrap='echo ran'
b=$JOB
wait_state "${a}_0" RUNNING
wait_reason "$b" Dependency
run squeue -h -j "$b" -o '%i %T %r'
is "$OUT" "${b}_[0-2] PENDING Dependency" "B waits as one record"

touch go_0
wait_done "${a}_0"
wait_for 10 file_has b_0.out ran
ok "task 0 of B ran once task 0 of A completed" file_has b_0.out ran
wait_done "${b}_0"
is "$(job_state "${b}_0")" COMPLETED "B_0 completed"
wait_state "${a}_1" RUNNING
run squeue -h -r -j "$b" -o '%i %T %r'
is "$OUT" "${b}_1 PENDING Dependency
${b}_2 PENDING Dependency" "B_1 and B_2 still wait (squeue -r)"
ok "and did not run" test ! -e b_1.out -a ! -e b_2.out

touch go_1
wait_done "${a}_1"
is "$(job_state "${a}_1")" FAILED "A_1 failed"
wait_reason "${b}_1" DependencyNeverSatisfied
is "$(job_reason "${b}_1")" DependencyNeverSatisfied \
    "B_1: DependencyNeverSatisfied"
is "$(job_reason "${b}_2")" Dependency "B_2 still waits for A_2"
run squeue -h -r -j "$b" -o '%i %r'
ok "squeue -r -j shows B_1 with its own reason" \
    has_line "$OUT" "${b}_1 DependencyNeverSatisfied"
ok "and B_2 with its own" has_line "$OUT" "${b}_2 Dependency"
# Without -r, Slurm's squeue folds the split-off B_1 back into the line
# of the array's pending record, reasons joined.
run squeue -h -j "$b" -o '%i %r'
is "$OUT" "${b}_[1-2] Dependency,DependencyNeverSatisfied" \
    "squeue -j: B_1 folded into the array's line, reasons joined"

touch go_2
wait_done "${a}_2"
wait_for 10 file_has b_2.out ran
ok "task 2 of B ran once task 2 of A completed" file_has b_2.out ran
wait_done "${b}_2"
is "$(job_state "${b}_1")" PENDING "B_1 never runs"
ok "B_1 produced nothing" test ! -e b_1.out
run scancel "${b}_1"
wait_done "${b}_1"
run sacct -n -X -P -o JobID,State -j "$b"
is "$OUT" "${b}_0|COMPLETED
${b}_1|CANCELLED by $(id -u)
${b}_2|COMPLETED" "sacct: one row per task"

done_testing
