#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch --time-min: a job whose time limit would delay the
#   reserved start of the top waiting job is backfilled with a lower limit
#   (the longest, in whole minutes, that ends by that start, never below
#   its time-min), shown as TimeLimit= next to TimeMin= in scontrol show
#   job; a time-min that would itself delay the top job keeps the job
#   pending; bad values refused with Slurm's words and exit codes.
# Slurm behaviour copied (plugins/sched/backfill: a job with time_min is
#   tested with it and then given a limit "as high as possible";
#   ESLURM_INVALID_TIME_MIN_LIMIT "Invalid time-min specification (exceeds
#   job's time or other limits)"; sbatch's "Invalid --time-min
#   specification", exit 255, like --time in 02_sbatch_errors.txt).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

run sbatch --time-min=garbage --wrap=true
is "$RC/$ERR" "255/sbatch: error: Invalid --time-min specification" \
    "--time-min=garbage: exit 255"
run sbatch -t 5 --time-min=10 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid time-min specification (exceeds job's time or other limits)" \
    "--time-min over the time limit is refused"
run squeue -h -t all -o %i
is "$OUT" "" "and no job was created"

waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
# One of the two CPUs for 10 minutes; the top job wants both.
submit -J run10 -n 1 -t 10 -o /dev/null --wrap="$(waiter go)"; a=$JOB
wait_state "$a" RUNNING
submit -J wide -n 2 -t 5 -o /dev/null --wrap=true; top=$JOB
wait_reason "$top" Resources
# Its time-min (11 min) already ends after the top job's start.
submit -J toolong -n 1 -t 60 --time-min=11 -o /dev/null --wrap=true; d=$JOB
# 5 minutes would do: it starts with what is left before the top job.
submit -J flex -n 1 -t 60 --time-min=5 -o /dev/null --wrap="$(waiter go)"
c=$JOB
wait_state "$c" RUNNING
run scontrol show job "$c"
like "$OUT" "TimeLimit=00:(09|10):00 TimeMin=00:05:00" \
    "backfilled with the time left before the reserved start"
run squeue -h -j "$c" -o %l
like "$OUT" "^(9|10):00$" "squeue %l shows the lowered limit"
is "$(job_state "$d")" PENDING "a time-min that delays the top job: pending"
is "$(job_reason "$d")" Priority "with reason Priority"
run scontrol show job "$d"
like "$OUT" "TimeLimit=01:00:00 TimeMin=00:11:00" "its limit is unchanged"
run squeue -h -j "$top" -o %T
is "$OUT" PENDING "the top job still waits for its reservation"

# scontrol update TimeMin= (pending jobs only, never over the limit).
run scontrol update jobid="$d" TimeMin=90
is "$RC/$ERR" "1/Invalid time-min specification (exceeds job's time or other limits) for job $d" \
    "update TimeMin over the time limit: refused"
run scontrol update jobid="$d" TimeMin=garbage
is "$RC/$ERR" "1/scontrol: error: Invalid TimeMin value" "update TimeMin=garbage"
run scontrol update jobid="$d" TimeMin=20
is "$RC/$ERR" "0/" "update TimeMin=20"
run scontrol show job "$d"
like "$OUT" "TimeLimit=01:00:00 TimeMin=00:20:00" "TimeMin updated"
run scontrol update jobid="$c" TimeMin=6
is "$RC/$ERR" "1/Job is no longer pending execution for job $c" \
    "update TimeMin of a running job: refused"

touch go
wait_done "$a"
wait_done "$c"
wait_done "$top"
is "$(job_state "$top")" COMPLETED "the top job ran"
wait_done "$d"
run sacct -n -X -P -o Timelimit -j "$d"
is "$OUT" "01:00:00" "started by the main scheduler: full limit"

done_testing
