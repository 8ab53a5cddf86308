#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol hold/uhold, release, update and requeue of ONE task still
#   pending inside an array record (`scontrol hold 12_5`): the task is
#   split off into its own record with the next job id, the action applies
#   to it alone, and squeue (folded and -r) shows the rest of the array
#   unchanged; a task the array does not have is an unknown job.
# Slurm behaviour copied (job_mgr.c: updating one task of a pending array
#   splits it from the meta record, job_array_split; the errors read
#   "<error> for job 12_5", exit 1 - 40_scontrol.txt, 15_sbatch_requeue).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- release one task of a held array --------------------------------------
submit --array=0-3 -H -J held -o 'h_%a.out' --wrap='echo ran'; h=$JOB
run scontrol release "${h}_2"
is "$RC/$OUT/$ERR" "0//" "release of one pending task: exit 0, silent"
wait_for 10 file_has h_2.out ran
ok "the released task ran" file_has h_2.out ran
wait_done "${h}_2"
run squeue -h -j "$h" -o '%i %T %r'
is "$OUT" "${h}_[0-1,3] PENDING JobHeldUser" \
    "the others still held, folded without task 2"
run sacct -n -X -P -o JobID,State -j "${h}_2"
is "$OUT" "${h}_2|COMPLETED" "sacct: the task's own row"
ok "no other task ran" test ! -e h_0.out -a ! -e h_1.out -a ! -e h_3.out

# --- hold / update one task of a pending array -----------------------------
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
submit -J blocker --exclusive -o /dev/null --wrap="$(waiter go)"; blk=$JOB
wait_state "$blk" RUNNING
submit --array=0-4 -t 10 -J arr -o /dev/null --wrap=true; a=$JOB
wait_reason "$a" Resources
run squeue -h -r -j "$a" -o '%i %r'
is "$OUT" "${a}_0 Resources
${a}_1 Resources
${a}_2 Resources
${a}_3 Resources
${a}_4 Resources" "the top pending array: every task waits for Resources (41_scancel)"
run scontrol uhold "${a}_1"
is "$RC/$ERR" "0/" "uhold of one pending task"
run scontrol update jobid="${a}_3" TimeLimit=5 Comment=three
is "$RC/$ERR" "0/" "update of one pending task"
run squeue -h -r -j "$a" -o '%i %l %r'
ok "squeue -r: task 1 held" has_line "$OUT" "${a}_1 10:00 JobHeldUser"
ok "squeue -r: task 3 with the new limit" has_line "$OUT" "${a}_3 5:00 Priority"
ok "squeue -r: task 0 unchanged" has_line "$OUT" "${a}_0 10:00 Resources"
ok "squeue -r: task 4 unchanged" has_line "$OUT" "${a}_4 10:00 Resources"
is "$(wc -l <<<"$OUT")" 5 "squeue -r: five tasks"
# Slurm's squeue folds pending tasks split off an array back into the
# array's line (same name and partition), reasons joined (41_scancel:
# "11947_[0-5] arr PENDING Resources,JobHeldUser").
run squeue -h -j "$a" -o '%i %r'
is "$OUT" "${a}_[0-4] Resources,JobHeldUser,Priority" \
    "squeue folds the split-off tasks back into the array's line"
run scontrol show job "${a}_3"
like "$OUT" "ArrayTaskId=3 " "show job of the split task"
like "$OUT" "Comment=three" "its comment"
run scontrol show job "${a}_4"
like "$OUT" "TimeLimit=00:10:00" "task 4 kept its limit"
run scontrol requeue "${a}_4"
is "$RC/$ERR" "1/Job is pending execution for job ${a}_4" \
    "requeue of a pending task"
run scontrol hold "${a}_9"
is "$RC/$ERR" "1/Invalid job id specified for job ${a}_9
slurm_suspend error: Invalid job id specified" \
    "a task the array does not have: an unknown job"

# The array's id still names every pending task, split off or not.
run scontrol update jobid="$a" Comment=all
is "$RC/$ERR" "0/" "update of the whole array"
run squeue -h -r -j "$a" -o '%i %k'
is "$(sort <<<"$OUT")" "${a}_0 all
${a}_1 all
${a}_2 all
${a}_3 all
${a}_4 all" "…reaches the split-off tasks too"
touch go
wait_done "$blk"
wait_done "${a}_0"
wait_done "${a}_3"
wait_done "${a}_4"
is "$(job_state "${a}_1")" PENDING "the held task still pends"
run scontrol release "${a}_1"
wait_done "${a}_1"
is "$(job_state "${a}_1")" COMPLETED "and runs once released"
run sacct -n -X -P -o JobID,State,Timelimit -j "$a"
is "$OUT" "${a}_0|COMPLETED|00:10:00
${a}_1|COMPLETED|00:10:00
${a}_2|COMPLETED|00:10:00
${a}_3|COMPLETED|00:05:00
${a}_4|COMPLETED|00:10:00" "sacct: every task once"

done_testing
