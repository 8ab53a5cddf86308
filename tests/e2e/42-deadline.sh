#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch --deadline: a pending job that can no longer end before
#   its deadline (its --time-min, else its time limit, from now) is removed
#   with state DEADLINE, reason DeadLine, by the daemon's timer (no
#   polling); a held job is not looked at until released; a job started
#   with a deadline runs at most until it (its TimeLimit is cut to the
#   whole minutes left); Deadline= in scontrol show job and squeue
#   -O Deadline; bad values refused with Slurm's words and exit codes.
# Slurm behaviour copied (job_scheduler.c deadline_ok() and _schedule(),
#   backfill.c): the job is ended when deadline < now + time_min (or
#   time_limit) minutes, with JOB_DEADLINE / FAIL_DEADLINE ("DeadLine");
#   a starting job's time limit becomes MIN(limit, (deadline-now)/60);
#   sbatch's parse_time errors ("Invalid time specification (pos=0):
#   garbage" + "sbatch: error: Invalid --deadline specification", exit 255,
#   as for --begin in 02_sbatch_errors.txt).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- bad input --------------------------------------------------------------
run sbatch --deadline=garbage --wrap=true
is "$RC" 255 "--deadline=garbage: exit 255"
is "$ERR" "Invalid time specification (pos=0): garbage
sbatch: error: Invalid --deadline specification" "--deadline=garbage: Slurm's two lines"
run sbatch --deadline=2020-01-01T00:00:00 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid time specified" \
    "a deadline in the past is refused"
run sbatch --begin=now+7200 --deadline=now+3600 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid time specified" \
    "a deadline before the begin time is refused"
run squeue -h -t all -o %i
is "$OUT" "" "and no job was created"

# --- a pending job that cannot make it any more ----------------------------
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
submit -J blocker --exclusive -o /dev/null --wrap="$(waiter go)"; blk=$JOB
wait_state "$blk" RUNNING

# One minute of run time, a deadline 63 s away: it may start during the
# next 3 s only; the node stays busy, so the timer removes it.
submit -J late -t 1 -o /dev/null --deadline=now+63 --wrap=true; late=$JOB
# The same, but held: Slurm looks only at jobs it could schedule.
submit -J held -H -t 1 -o /dev/null --deadline=now+63 --wrap=true; held=$JOB
# Plenty of time: stays pending.
submit -J roomy -t 1 --time-min=1 -o /dev/null --deadline=now+3600 \
    --wrap=true; roomy=$JOB

wait_for 15 job_state_is "$late" DEADLINE
run squeue -h -t all -j "$late" -o '%T|%r'
is "$OUT" "DEADLINE|DeadLine" "squeue: DEADLINE, reason DeadLine"
run sacct -n -X -P -o State,Reason -j "$late"
is "$OUT" "DEADLINE|DeadLine" "sacct: DEADLINE"
run scontrol show job "$late"
like "$OUT" "JobState=DEADLINE Reason=DeadLine" "scontrol: JobState=DEADLINE Reason=DeadLine"
like "$OUT" "Deadline=[0-9]{4}-[0-9]{2}-[0-9]{2}T" "scontrol shows the deadline"

is "$(job_state "$held")" PENDING "a held job past its deadline stays pending"
is "$(job_reason "$held")" JobHeldUser "with its hold reason"
run scontrol release "$held"
is "$RC" 0 "scontrol release"
wait_for 10 job_state_is "$held" DEADLINE
is "$(job_state "$held")" DEADLINE "released, it is removed at once"

is "$(job_state "$roomy")" PENDING "a job with time to spare still pends"
run scontrol show job "$roomy"
like "$OUT" "TimeLimit=00:01:00 TimeMin=00:01:00" "TimeMin shown"
run squeue -h -j "$roomy" -O Deadline
like "$OUT" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8} *$" "squeue -O Deadline"
run scontrol update jobid="$roomy" Deadline=2020-01-01T00:00:00
is "$RC/$ERR" "1/Invalid time specified for job $roomy" \
    "update Deadline in the past: refused"
run scontrol update jobid="$roomy" Deadline=garbage
is "$RC/$ERR" "1/scontrol: error: Invalid time specification (pos=0): garbage
No changes specified" "update Deadline=garbage: no change"
# A deadline 61 s away for a one-minute job: removed within a second.
run scontrol update jobid="$roomy" Deadline=now+61
is "$RC/$ERR" "0/" "update Deadline=now+61"
wait_for 10 job_state_is "$roomy" DEADLINE
is "$(job_state "$roomy")" DEADLINE "the new deadline applies at once"
run scontrol update jobid="$blk" Deadline=now+3600
is "$RC/$ERR" "1/Job is no longer pending execution for job $blk" \
    "update Deadline of a running job: refused"

# --- a job started with a deadline runs until it at most -------------------
touch go
wait_done "$blk"
submit -J cut -o /dev/null --deadline=now+170 --wrap="$(waiter go2)"; cut=$JOB
wait_state "$cut" RUNNING
run squeue -h -j "$cut" -o %l
is "$OUT" "2:00" "no time limit + deadline in 170 s: TimeLimit 2:00"
submit -J short -t 1 -o /dev/null --deadline=now+3600 --wrap="$(waiter go2)"
short=$JOB
wait_state "$short" RUNNING
run squeue -h -j "$short" -o %l
is "$OUT" "1:00" "a shorter own limit is kept"
touch go2
wait_done "$cut"
wait_done "$short"
is "$(job_state "$cut")" COMPLETED "the job ran normally"

done_testing
