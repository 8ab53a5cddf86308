#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol requeue / requeuehold of FINISHED batch jobs
#   (COMPLETED, FAILED, CANCELLED before it ran): the job pends again and
#   runs once more with Restarts+1 and SLURM_RESTART_COUNT; requeuehold
#   leaves it held; a --no-requeue job is refused; a job already forgotten
#   by the daemon's memory (older than MinJobAge) but in the store is
#   requeued the same way.
# Slurm behaviour copied (man scontrol: "Requeue a running, suspended or
#   finished Slurm batch job into pending state"; job_mgr.c
#   _job_requeue_op: any finished state, ESLURM_DISABLED "Requested
#   operation is presently disabled" without Requeue=1, errors "<error>
#   for job N", exit 1 as in 15_sbatch_requeue.txt).
. "$(dirname "$0")/lib.sh"

# The default MinJobAge (300 s) first: the finished jobs stay in the
# daemon's memory while their Restarts= are read (scontrol show job knows
# no forgotten job).  MinJobAge=2 comes later, for the forgotten job.
write_conf_ref
start_daemon || done_testing

show_field() { scontrol show job "$1" | grep -oE "(^| )$2=[^ ]*" | head -n 1 | sed 's/^ //'; }

# COMPLETED, then FAILED on its second run, then requeued again.
submit -J rq -o rq.out --open-mode=append \
    --wrap='echo run ${SLURM_RESTART_COUNT:-0}; [ -e fail ] && exit 3; exit 0'
c=$JOB
wait_done "$c"
is "$(job_state "$c")" COMPLETED "first run completed"
touch fail
run scontrol requeue "$c"
is "$RC/$OUT/$ERR" "0//" "requeue of a COMPLETED job: exit 0, silent"
wait_for 10 file_has rq.out "run 1"
ok "it ran again with SLURM_RESTART_COUNT=1" file_has rq.out "run 1"
wait_done "$c"
is "$(job_state "$c")" FAILED "second run failed"
is "$(show_field "$c" Restarts)" "Restarts=1" "Restarts=1"
rm fail
run scontrol requeue "$c"
is "$RC/$ERR" "0/" "requeue of a FAILED job"
wait_for 10 file_has rq.out "run 2"
wait_done "$c"
is "$(job_state "$c")/$(show_field "$c" Restarts)" "COMPLETED/Restarts=2" \
    "third run completed, Restarts=2"
run sacct -n -X -P -o JobID,State,ExitCode -j "$c"
is "$OUT" "$c|COMPLETED|0:0" "sacct: one row, the last run"

# requeuehold of a finished job: held, runs once released.
run scontrol requeuehold "$c"
is "$RC/$ERR" "0/" "requeuehold of a COMPLETED job"
is "$(job_state "$c")/$(job_reason "$c")" "PENDING/JobHeldUser" \
    "pending and held"
run scontrol release "$c"
wait_for 10 file_has rq.out "run 3"
ok "released, it runs (SLURM_RESTART_COUNT=3)" file_has rq.out "run 3"
wait_done "$c"

# A job cancelled before it ran (while held: it stays held).
submit -J never -H -o never.out --wrap='echo ran'; n=$JOB
run scancel "$n"
wait_done "$n"
run scontrol requeue "$n"
is "$RC/$ERR" "0/" "requeue of a job CANCELLED while pending"
is "$(job_state "$n")/$(job_reason "$n")" "PENDING/JobHeldUser" \
    "pending again, still held"
run scontrol release "$n"
wait_for 10 file_has never.out ran
ok "released, it runs" file_has never.out ran

# --no-requeue: refused, nothing changes.
submit -J norq --no-requeue -o /dev/null --wrap=true; nr=$JOB
wait_done "$nr"
run scontrol requeue "$nr"
is "$RC/$OUT/$ERR" "1//Requested operation is presently disabled for job $nr" \
    "requeue of a finished --no-requeue job"
is "$(job_state "$nr")" COMPLETED "it stays COMPLETED"

# Forgotten by memory (MinJobAge=2), still in the store.  Its second run
# waits for go_old, so that its Restarts= is read while the daemon still
# knows it (a finished job is forgotten 1 to 2 s after its end).
stop_daemon
echo "MinJobAge=2" >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing
submit -J old -o old.out --open-mode=append \
    --wrap='echo run ${SLURM_RESTART_COUNT:-0}
[ "${SLURM_RESTART_COUNT:-0}" = 0 ] && exit 0
for i in $(seq 1 3000); do [ -e go_old ] && exit 0; sleep 0.02; done; exit 1'
o=$JOB
wait_done "$o"
gone() { [ -z "$(squeue -h -t all -j "$o" -o %i 2>/dev/null)" ]; }
wait_for 15 gone
ok "the daemon forgot the finished job" gone
run scontrol requeue "$o"
is "$RC/$ERR" "0/" "requeue of a job known only to the store"
wait_for 10 file_has old.out "run 1"
ok "it ran again with SLURM_RESTART_COUNT=1" file_has old.out "run 1"
is "$(show_field "$o" Restarts)" "Restarts=1" "Restarts=1"
touch go_old
wait_done "$o"
is "$(job_state "$o")" COMPLETED "and completed"
run scontrol requeue 999999
is "$RC/$ERR" "1/Invalid job id specified for job 999999" "an unknown job"

done_testing
