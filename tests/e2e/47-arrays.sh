#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: job arrays (sbatch --array): index lists, ranges and steps, the
#   %N throttle (never more running at once) and scontrol update
#   ArrayTaskThrottle, the SLURM_ARRAY_* values in
#   a task, %A/%a output names and the default slurm-%A_%a.out, squeue
#   folding "ID_[a-b%k]" and -r, -j ID showing every task, scancel of a
#   whole array, sacct rows "ID_i", afterok on a whole array, invalid
#   specifications, and a 100000-task array submitted as one record.
# Slurm behaviour copied (slurm-reference 12_sbatch_array, 21_env_array,
#   02_sbatch_errors): the array's id is ArrayJobId; tasks started while
#   others still pend get new ids, the last task left takes the array's
#   own id; abc, 5-1 and an index >= MaxArraySize are "Batch job
#   submission failed: Invalid job array specification", exit 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
sed -i '$a MaxArraySize=100000' "$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing

# --- invalid specifications ------------------------------------------------
for spec in abc 5-1 0-100000 1-3:0; do
	run sbatch --array=$spec --wrap=true
	is "$RC/$OUT/$ERR" \
	    "1//sbatch: error: Batch job submission failed: Invalid job array specification" \
	    "--array=$spec is refused as in Slurm"
done

# --- a held array: folded, -r, -j ID ---------------------------------------
submit --array=0-3%2 --hold -J arr -o /dev/null --wrap=true; h=$JOB
run squeue -h -o '%i %T %r' -j "$h"
is "$OUT" "${h}_[0-3%2] PENDING JobHeldUser" "squeue folds the pending tasks: ID_[0-3%2]"
run squeue -h -r -o '%i %A %F %K %T'
is "$OUT" "${h}_0 $h $h 0 PENDING
${h}_1 $h $h 1 PENDING
${h}_2 $h $h 2 PENDING
${h}_3 $h $h 3 PENDING" "squeue -r: one line per pending task"
run squeue -h -o %i -j "${h}_2"
is "$OUT" "${h}_2" "squeue -j ID_i shows the task"
run sacct -n -X -P -o JobID,State -j "${h}_2"
is "$OUT" "${h}_[0-3%2]|PENDING" "sacct -j ID_i of a task pending in the array record: the record's row"
run scontrol show job "$h"
like "$(head -n 1 <<<"$OUT")" "^JobId=$h ArrayJobId=$h ArrayTaskId=0-3%2 ArrayTaskThrottle=2 JobName=arr$" \
    "scontrol show job: ArrayTaskId=0-3%2 ArrayTaskThrottle=2"
like "$OUT" "StdOut=/dev/null" "scontrol show job of the array record"

# The array record survives a daemon restart.
stop_daemon
start_daemon || done_testing
run squeue -h -o '%i %T %r' -j "$h"
is "$OUT" "${h}_[0-3%2] PENDING JobHeldUser" "after a restart: still one record ID_[0-3%2]"

run scontrol release "$h"
is "$RC" 0 "scontrol release of the array"
sdone() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
wait_for 30 sdone "$h"
ok "the released array ran" sdone "$h"

# --- the throttled array runs, never more than 1 at once (2 CPUs) ----------
script task.sh '#!/bin/bash' \
    'echo "task $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_JOB_ID (job $SLURM_JOB_ID) min=$SLURM_ARRAY_TASK_MIN max=$SLURM_ARRAY_TASK_MAX count=$SLURM_ARRAY_TASK_COUNT step=$SLURM_ARRAY_TASK_STEP"' \
    'mkdir -p run; touch run/$SLURM_JOB_ID; n=$(ls run | wc -l); echo $n >>conc.txt' \
    'sleep 0.3; rm run/$SLURM_JOB_ID'
submit --array=0-5%1 -o 'arr_A%A_a%a_j%j.out' task.sh; t=$JOB
throttled() { [ "$(squeue -h -j "$t" -t PD -o %r 2>/dev/null)" = JobArrayTaskLimit ]; }
wait_for 20 throttled
ok "the pending rest waits with reason JobArrayTaskLimit" throttled
all_done() { [ -z "$(squeue -h -j "$t" -o %i 2>/dev/null)" ]; }
wait_for 30 all_done
ok "the throttled array finished" all_done
max=$(sort -n conc.txt 2>/dev/null | tail -n 1)
is "$max" 1 "--array=0-5%1 on 2 CPUs: never 2 tasks at once"
run sacct -n -X -P -o JobID,JobIDRaw,State -j "$t"
want=""
for i in 0 1 2 3 4; do want+="${t}_$i|$((t + 1 + i))|COMPLETED"$'\n'; done
want+="${t}_5|$t|COMPLETED"
is "$OUT" "$want" "sacct: one row per task; the last task has the array's id"
is "$(cat "arr_A${t}_a0_j$((t + 1)).out" 2>/dev/null)" \
    "task 0 of $t (job $((t + 1))) min=0 max=5 count=6 step=1" \
    "task 0: %A_%a_%j output name and SLURM_ARRAY_* values"
is "$(cat "arr_A${t}_a5_j$t.out" 2>/dev/null)" \
    "task 5 of $t (job $t) min=0 max=5 count=6 step=1" \
    "the last task runs as the array's own id"

# --- scontrol update ArrayTaskThrottle ---------------------------------------
# Tasks wait for a file; with %1 one runs.  Raised to 2 two run (2 CPUs),
# and the number running never exceeds the throttle of the moment.
script thr.sh '#!/bin/bash' \
    'mkdir -p thr; touch thr/$SLURM_JOB_ID; ls thr | wc -l >>thr.txt' \
    'while [ ! -e thr.go ]; do sleep 0.05; done; rm thr/$SLURM_JOB_ID'
submit --array=0-5%1 -o /dev/null thr.sh; u=$JOB
running_is() { [ "$(squeue -h -r -j "$u" -t R -o %i 2>/dev/null | wc -l)" = "$1" ]; }
wait_for 10 running_is 1
wait_reason "$u" JobArrayTaskLimit
run scontrol update jobid="$u" ArrayTaskThrottle=-1
is "$RC/$ERR" "1/scontrol: error: Invalid ArrayTaskThrottle value" \
    "ArrayTaskThrottle=-1: Slurm's error, exit 1"
like "$(scontrol show job "$u" | head -n 1)" "ArrayTaskThrottle=1 " "... and the throttle is unchanged"
run scontrol update jobid="$u" ArrayTaskThrottle=2
is "$RC/$ERR" "0/" "scontrol update ArrayTaskThrottle=2"
wait_for 10 running_is 2
ok "two tasks run now" running_is 2
like "$(scontrol show job "$u" | head -n 1)" "ArrayTaskThrottle=2 " "scontrol show job: ArrayTaskThrottle=2"
is "$(squeue -h -j "$u" -t PD -o %i)" "${u}_[2-5%2]" "squeue folds the rest as ID_[2-5%2]"
touch thr.go
wait_for 30 sdone "$u"
is "$(sort -n thr.txt 2>/dev/null | tail -n 1)" 2 "never more than the throttle of the moment ran"
submit -o /dev/null --hold --wrap=true; nj=$JOB
run scontrol update jobid="$nj" ArrayTaskThrottle=3
is "$RC/$ERR" "0/" "ArrayTaskThrottle of a job that is no array: ignored, as Slurm"
run scancel "$nj"

# --- steps and lists; default output name --------------------------------
script env.sh '#!/bin/bash' \
    'echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $SLURM_ARRAY_TASK_MIN $SLURM_ARRAY_TASK_MAX $SLURM_ARRAY_TASK_STEP"'
submit --array=1-9:4 env.sh; s=$JOB
submit --array=1,3,5-9:2 -o 'l_%a.out' env.sh; l=$JOB
wait_for 30 job_done "$s"
wait_for 30 job_done "$l"
wait_for 30 sdone "$s"
wait_for 30 sdone "$l"
is "$(cat slurm-${s}_1.out slurm-${s}_5.out slurm-${s}_9.out 2>/dev/null)" \
    "1 3 1 9 4
5 3 1 9 4
9 3 1 9 4" "--array=1-9:4: tasks 1,5,9, default output slurm-%A_%a.out"
is "$(cat l_1.out l_3.out l_5.out l_7.out l_9.out 2>/dev/null)" \
    "1 5 1 9 2
3 5 1 9 2
5 5 1 9 2
7 5 1 9 2
9 5 1 9 2" "--array=1,3,5-9:2: five tasks, step 2"

# --- #SBATCH --array and SBATCH_ARRAY_INX --------------------------------
script dir.sh '#!/bin/bash' '#SBATCH --array=2-3' '#SBATCH -o d_%a.out' \
    'echo $SLURM_ARRAY_TASK_ID'
submit dir.sh; da=$JOB
SBATCH_ARRAY_INX=4-5 submit -o e_%a.out --wrap='echo $SLURM_ARRAY_TASK_ID'; ea=$JOB
wait_for 30 sdone "$da"
wait_for 30 sdone "$ea"
is "$(cat d_2.out d_3.out e_4.out e_5.out 2>/dev/null | tr '\n' ' ')" "2 3 4 5 " \
    "#SBATCH --array=2-3 and SBATCH_ARRAY_INX=4-5"

# --- sbatch -W waits for the whole array -----------------------------------
script w.sh '#!/bin/bash' \
    '[ "$SLURM_ARRAY_TASK_ID" = 0 ] && sleep 1.5' 'touch w_$SLURM_ARRAY_TASK_ID'
run sbatch -W --array=0-2 -o /dev/null w.sh
is "$RC" 0 "sbatch -W --array: exit 0"
is "$(ls w_* 2>/dev/null | wc -l)" 3 "sbatch -W returned after every task ended"
script w3.sh '#!/bin/bash' '[ "$SLURM_ARRAY_TASK_ID" = 0 ] && sleep 1 && exit 3' \
    '[ "$SLURM_ARRAY_TASK_ID" = 1 ] && exit 2' 'exit 0'
run sbatch -W --array=0-2 -o /dev/null w3.sh
is "$RC" 3 "sbatch -W --array: the highest exit code of any task (task 0 ends last)"
# A task's end that comes before sbatch -W has asked to wait must still
# count.  sbatch prints the id, then asks; with its stdout a full pipe it
# cannot ask until we read, so the order is certain: first the whole
# array ends before the wait (task 0 failed, the array's own record - the
# last task - succeeded), then only the failed task has.
mkfifo "$T/wpipe"
exec 7<>"$T/wpipe"
dd if=/dev/zero bs=4096 count=64 status=none | tr '\0' '\n' >"$T/nl"
fill_pipe() {
	dd if="$T/nl" of="$T/wpipe" bs=4096 oflag=nonblock status=none \
	    2>/dev/null
	return 0
}
# unblock sbatch: read the pipe up to its "Submitted batch job N" line
wjob() { timeout 10 grep -m 1 '^Submitted batch job' <&7 | awk '{print $4}'; }
# Both tasks of array NAME are in the history and neither is active (the
# background sbatch may not have submitted yet when we first look, so
# "no job of that name in squeue" alone would pass too early).
array_over() {
	local rows
	rows=$(sacct -n -X -P -o State --name "$1" 2>/dev/null)
	[ "$(grep -c . <<<"$rows")" = 2 ] && ! grep -qE 'PENDING|RUNNING' <<<"$rows"
}
script w4.sh '#!/bin/bash' '[ "$SLURM_ARRAY_TASK_ID" = 0 ] && exit 4' \
    'while [ ! -e "$GO" ]; do sleep 0.05; done' 'exit 0'
fill_pipe
GO=$T/work/go1 sbatch -W -J wsync1 --array=0-1 -o /dev/null w4.sh >&7 2>&1 &
wpid=$!
touch go1
wait_for 30 array_over wsync1
run sacct -n -X -P -o JobID,State,ExitCode --name wsync1
like "$OUT" "_0\|FAILED\|4:0" "sbatch -W, array over before the wait: task 0 failed"
w1=$(wjob)
wait "$wpid"
is "$?" 4 "sbatch -W --array: a failed task that ended before the wait counts (whole array over)"
fill_pipe
GO=$T/work/go2 sbatch -W -J wsync2 --array=0-1 -o /dev/null w4.sh >&7 2>&1 &
wpid=$!
failed0() { [ "$(sacct -n -X -P -o State --name wsync2 2>/dev/null | grep -c FAILED)" = 1 ]; }
wait_for 30 failed0
ok "sbatch -W, task 0 failed before the wait, task 1 still running" failed0
w2=$(wjob)
ok "... and task 1 was still running when sbatch asked to wait" \
    job_state_is "$w2" RUNNING
touch go2
wait "$wpid"
is "$?" 4 "sbatch -W --array: a failed task that ended before the wait counts (others still running)"
exec 7>&-
like "$w1/$w2" "^[0-9]+/[0-9]+$" "sbatch -W printed both ids"

# --- afterok on a whole array; scancel -----------------------------------
# Task 0 runs longest, task 2 (the array's own id, started last) ends
# before it: afterok:ARRAY still waits for every task.
script slow.sh '#!/bin/bash' \
    '[ "$SLURM_ARRAY_TASK_ID" = 0 ] && sleep 2' 'touch done_$SLURM_ARRAY_TASK_ID'
submit --array=0-2 -o /dev/null slow.sh; a=$JOB
submit --dependency=afterok:$a -o after.out --wrap='ls done_* | wc -l'; d=$JOB
run squeue -h -o '%r' -j "$d"
is "$OUT" "Dependency" "afterok:ARRAY pends with reason Dependency"
wait_for 30 sdone "$a"
wait_for 30 file_nonempty after.out
is "$(tr -d ' ' <after.out 2>/dev/null)" 3 \
    "afterok:ARRAY ran after all three tasks completed"

submit --array=0-3 --hold -o /dev/null --wrap=true; ht=$JOB
submit --dependency=afterok:${ht}_2 -o /dev/null --wrap=true; d2=$JOB
wait_reason "$d2" Dependency
is "$(job_reason "$d2")" Dependency "afterok:ID_T waits for a task pending in the array record"
run scancel "$ht"
wait_reason "$d2" DependencyNeverSatisfied
is "$(job_reason "$d2")" DependencyNeverSatisfied \
    "the task cancelled while pending: afterok never satisfied"
run scancel "$d2"

submit --array=0-9 --hold -o /dev/null --wrap=true; c=$JOB
run scancel "$c"
is "$RC/$ERR" "0/" "scancel of a whole pending array"
wait_for 10 sdone "$c"
run sacct -n -X -P -o JobID,State -j "$c"
is "$OUT" "${c}_[0-9]|CANCELLED by $MY_UID" "sacct: the cancelled array is one row ID_[0-9]"

# --- scancel of pending tasks, of a running task, of the rest -------------
submit --array=0-7 --hold -o /dev/null --wrap=true; p=$JOB
run scancel "${p}_2"
is "$RC/$ERR" "0/" "scancel ID_2 of a pending array"
run scancel "${p}_[4-6]"
is "$RC/$ERR" "0/" "scancel ID_[4-6] of a pending array"
run squeue -h -o %i -j "$p"
is "$OUT" "${p}_[0-1,3,7]" "the cancelled tasks left the array's pending set"
run squeue -h -r -o %i -j "$p"
is "$(tr '\n' ' ' <<<"$OUT")" "${p}_0 ${p}_1 ${p}_3 ${p}_7 " "squeue -r after the cancels"
run scancel "${p}_[0-1,3,7]"
wait_for 10 sdone "$p"
run sacct -n -X -P -o JobID,JobIDRaw,State -j "$p"
is "$OUT" "${p}_2|$((p + 1))|CANCELLED by $MY_UID
${p}_[0-1,3,7]|$p|CANCELLED by $MY_UID
${p}_[4-6]|$((p + 2))|CANCELLED by $MY_UID" \
    "sacct: the tasks cancelled while pending, each cancel its own record"

# 41_scancel: a task held on its own (split off), then the array
# cancelled while pending.  Real Slurm 22.05.8 (checked): rows ID_3 and
# ID_[0-1,4-5] (the tasks left in the array's record); the held task
# never merges with another record.  (berth also keeps a row for a task
# cancelled alone, ID_2, which Slurm drops: compat.md.)
submit --array=0-5 --begin=now+600 -o /dev/null --wrap=true; h=$JOB
run scontrol hold "${h}_3"
run scancel "${h}_2"
run scancel -t PENDING "$h"
wait_for 10 sdone "$h"
run sacct -n -X -P -o JobID,JobIDRaw,State -j "$h"
has3=$(grep -c "^${h}_3|" <<<"$OUT")
is "$has3/$(grep -c "^${h}_\[0-1,4-5\]|$h|CANCELLED" <<<"$OUT")/$(grep -c '\[2-3\]' <<<"$OUT")" \
    "1/1/0" "sacct: the held task ID_3 a row of its own, the array's ID_[0-1,4-5]"

submit --array=0-1 -o /dev/null --wrap='sleep 300'; r=$JOB
both_running() { [ "$(squeue -h -j "$r" -t R -o %i | wc -l)" = 2 ]; }
wait_for 10 both_running
ok "both tasks run" both_running
# Real Slurm 22.05.8 (checked): squeue -j of one array id lists the
# array's own record (task 1 here) first, then the tasks split off,
# newest first; without -j, task 0 comes first.
run squeue -h -o '%i %T' -j "$r"
is "$OUT" "${r}_1 RUNNING
${r}_0 RUNNING" "squeue -j ID: every task of the array, its own record first"
run scancel "${r}_0"
is "$RC/$ERR" "0/" "scancel ID_0 of a running task"
r0=$((r + 1))
wait_state "$r0" CANCELLED
is "$(job_state "$r0")" CANCELLED "task 0 (its own job id) is CANCELLED"
is "$(job_state "$r")" RUNNING "task 1 (the array's id) still runs"
run scancel "$r"
wait_state "$r" CANCELLED
is "$(job_state "$r")" CANCELLED "scancel ID ends the rest of the array"

# --- a partly started array: running tasks ID_i, the pending rest folded ---
submit --array=0-5%1 -o /dev/null --wrap='sleep 300'; m=$JOB
one_running() { [ "$(squeue -h -j "$m" -t R -o %i)" = "${m}_0" ]; }
wait_for 10 one_running
run squeue -h -j "$m" -o '%i %t'
is "$(sort <<<"$OUT")" "${m}_0 R
${m}_[1-5%1] PD" "squeue: ${m}_0 running, ${m}_[1-5%1] pending"
run scontrol show job "${m}_0"
like "$(head -n 1 <<<"$OUT")" "^JobId=[0-9]+ ArrayJobId=$m ArrayTaskId=0 ArrayTaskThrottle=1 JobName=" \
    "show job of a running task of a throttled array: ArrayTaskThrottle too (real Slurm)"
run scancel -t PENDING "$m"
is "$RC/$ERR" "0/" "scancel -t PENDING of the array"
run squeue -h -j "$m" -o '%i %t'
is "$OUT" "${m}_0 R" "only the pending rest was cancelled"
run scancel "$m"
wait_for 10 sdone "$m"

# --- a task requeued after the array's own record ended still runs --------
script rq.sh '#!/bin/bash' \
    'if [ "$SLURM_ARRAY_TASK_ID" = 0 ]; then echo run >>rq.txt; sleep 300; fi'
submit --array=0-1 -o /dev/null rq.sh; q=$JOB
q0=$((q + 1))
task_state_is() { [ "$(squeue -h -t all -j "$1" -o %T 2>/dev/null)" = "$2" ]; }
wait_for 10 task_state_is "${q}_1" COMPLETED
ok "task 1 (the array's own record) completed" task_state_is "${q}_1" COMPLETED
wait_for 10 task_state_is "${q}_0" RUNNING
run scontrol requeue "$q0"
is "$RC" 0 "scontrol requeue of a task whose array record ended"
two_runs() { [ "$(wc -l <rq.txt 2>/dev/null)" = 2 ]; }
wait_for 20 two_runs
ok "the requeued task ran again (the array's script was kept)" two_runs
run scancel "$q"
wait_state "$q0" CANCELLED
is "$(job_state "$q0")" CANCELLED "scancel of the array cancels its requeued task"

# --- 100000 tasks: one record ----------------------------------------------
submit --array=0-99999 --hold -o /dev/null --wrap=true; big=$JOB
run squeue -h -o %i -j "$big"
is "$OUT" "${big}_[0-99999]" "--array=0-99999 is one pending record"
run squeue -h -o %i
is "$(grep -c "^${big}" <<<"$OUT")" 1 "squeue without -r: one line for the big array"
run squeue -h -r -o %i -j "$big"
is "$(wc -l <<<"$OUT")" 100000 "squeue -r: 100000 lines"
run sbatch --parsable --hold --wrap=true
is "$RC" 0 "the daemon still answers"
run scancel "${big}_[5-4000000000]"
is "$RC/$ERR" "0/" "scancel ID_[5-4000000000] of the big array"
run squeue -h -o %i -j "$big"
is "$OUT" "${big}_[0-4]" "tasks 0-4 are left pending"
run scancel "$big"
is "$RC" 0 "scancel of the big array"

done_testing
