#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: `scontrol show job ID_N` of a task still pending inside its
#   array's record (the task alone, as a task), with -d and -o; the whole
#   array while one task runs and the others pend; a task number the array
#   does not have, a task of a plain job, and an array id nobody has.
# Slurm behaviour copied (checked on real Slurm 22.05.8; scontrol's
#   _scontrol_load_jobs/scontrol_print_job):
#   * `show job 298_2` of `--array=1-3` still pending: the array's record
#     printed as the task: "JobId=298 ArrayJobId=298 ArrayTaskId=2
#     JobName=wrap", StdOut with %a as 2 (slurm-298_2.out), exit 0; only
#     that record.  A throttle shows as "ArrayTaskThrottle=2" after it.
#   * `show job 299` (task 1 running as job 300, 2-4 pending): the pending
#     record "JobId=299 ArrayJobId=299 ArrayTaskId=2-4" (StdOut
#     slurm-299_4294967294.out) then "JobId=300 ArrayJobId=299
#     ArrayTaskId=1"; `show job 299_3` is "JobId=299 ... ArrayTaskId=3".
#   * `show job 298_9` (no such task), `301_1` (301 a plain job): "Job
#     298_9 not found" on stdout, exit 1; -Q prints nothing, exit 1.
#     `298_` is task 0: "Job 298_0 not found".
#   * `show job 999999_1`, `999999`: stderr "slurm_load_jobs error:
#     Invalid job id specified", exit 1.
#   * By a task's own job id: `--array=0-2` gave tasks 331_0 = job 332 and
#     331_1 = job 333; `show job 332_0` and `333_1` show those tasks
#     (exit 0), `332_1` and `333_2` are "Job 332_1 not found" (exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

first() { head -n 1 <<<"$1"; }
nrec() { grep -c '^JobId=' <<<"$1"; }

# --- a task pending inside a held array's record ----------------------------
submit -H --array=1-3 -o 'o-%A-%a-%j.txt' --wrap=true; a=$JOB
run scontrol show job "${a}_2"
is "$RC/$ERR" "0/" "show job ID_2 of a pending array: exit 0"
is "$(first "$OUT")" "JobId=$a ArrayJobId=$a ArrayTaskId=2 JobName=wrap" \
    "shown as the task, not as the array"
is "$(nrec "$OUT")" 1 "one record"
like "$OUT" "
   StdOut=$T/work/o-$a-2-$a.txt
" "StdOut with %a as the task"
like "$OUT" "JobState=PENDING Reason=JobHeldUser" "its state"
run scontrol show job -d "${a}_2"
is "$RC/$(first "$OUT")" \
    "0/JobId=$a ArrayJobId=$a ArrayTaskId=2 JobName=wrap" "the same with -d"
like "$OUT" "
   DerivedExitCode=0:0
" "-d: DerivedExitCode"
run scontrol -o show job "${a}_3"
like "$OUT" "^JobId=$a ArrayJobId=$a ArrayTaskId=3 JobName=wrap .* StdOut=$T/work/o-$a-3-$a.txt Power= \$" \
    "-o: one line, task 3"
run scontrol show job "$a"
is "$(first "$OUT")" "JobId=$a ArrayJobId=$a ArrayTaskId=1-3 JobName=wrap" \
    "show job ID: the whole array record"
like "$OUT" "StdOut=$T/work/o-$a-4294967294-$a.txt" \
    "the record's StdOut: %a is NO_VAL, as Slurm's"

# --- tasks it does not have; unknown ids -------------------------------------
run scontrol show job "${a}_9"
is "$RC/$OUT/$ERR" "1/Job ${a}_9 not found/" \
    "a task number the array does not have: Job ID_9 not found, exit 1"
run scontrol show job -d "${a}_9"
is "$RC/$OUT/$ERR" "1/Job ${a}_9 not found/" "the same with -d"
run scontrol -Q show job "${a}_9"
is "$RC/$OUT/$ERR" "1//" "-Q: nothing printed, exit 1"
run scontrol show job "${a}_"
is "$RC/$OUT/$ERR" "1/Job ${a}_0 not found/" "ID_ is task 0"
submit -H --wrap=true; p=$JOB
run scontrol show job "${p}_1"
is "$RC/$OUT/$ERR" "1/Job ${p}_1 not found/" "a task of a plain job"
none=$((p + 1000))
run scontrol show job "${none}_1"
is "$RC/$OUT/$ERR" "1//slurm_load_jobs error: Invalid job id specified" \
    "an array id nobody has: Invalid job id specified, exit 1"
run scontrol show job "$none"
is "$RC/$OUT/$ERR" "1//slurm_load_jobs error: Invalid job id specified" \
    "a job id nobody has: the same"

# --- a throttled array -------------------------------------------------------
submit -H --array=1-3%2 --wrap=true; th=$JOB
run scontrol show job "${th}_2"
is "$(first "$OUT")" \
    "JobId=$th ArrayJobId=$th ArrayTaskId=2 ArrayTaskThrottle=2 JobName=wrap" \
    "a throttled array's task: ArrayTaskThrottle after the task id"
scancel "$a" "$p" "$th"

# --- one task running, the others pending ------------------------------------
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
submit --array=1-4 -c 2 -o /dev/null --wrap="$(waiter go)"; b=$JOB
wait_for 10 job_state_is "${b}_1" RUNNING
run squeue -h -j "${b}_1" -o %A
t1=$OUT
isnt "$t1" "$b" "the running task has its own job id"
run scontrol show job "$b"
is "$RC/$(grep '^JobId=' <<<"$OUT")" \
    "0/JobId=$b ArrayJobId=$b ArrayTaskId=2-4 JobName=wrap
JobId=$t1 ArrayJobId=$b ArrayTaskId=1 JobName=wrap" \
    "show job ID: the pending record, then the running task"
run scontrol show job "${b}_3"
is "$RC/$(grep '^JobId=' <<<"$OUT")" \
    "0/JobId=$b ArrayJobId=$b ArrayTaskId=3 JobName=wrap" \
    "show job ID_3: the pending task alone"
like "$OUT" "JobState=PENDING" "pending"
run scontrol show job "${b}_1"
is "$RC/$(grep '^JobId=' <<<"$OUT")" \
    "0/JobId=$t1 ArrayJobId=$b ArrayTaskId=1 JobName=wrap" \
    "show job ID_1: the running task"
like "$OUT" "JobState=RUNNING" "running"
run scontrol show job "${b}_9"
is "$RC/$OUT/$ERR" "1/Job ${b}_9 not found/" \
    "no such task while others run: not found"
run scontrol show job "${t1}_1"
is "$RC/$(grep '^JobId=' <<<"$OUT")" \
    "0/JobId=$t1 ArrayJobId=$b ArrayTaskId=1 JobName=wrap" \
    "show job OWNID_1: the task by its own job id and its index"
run scontrol show job "${t1}_2"
is "$RC/$OUT/$ERR" "1/Job ${t1}_2 not found/" \
    "…with another index: not found"
touch go
scancel "$b"

done_testing
