#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: EASY backfill on the 2-CPU node: with one CPU busy for 5
#   minutes and a wide (2-CPU) job waiting at the top, a short 1-CPU job
#   (2 minutes) starts at once in front of it without moving its planned
#   start (squeue --start), and a long one (10 minutes) does not (reason
#   Priority); the wide job then starts before the long one.  --exclusive
#   blocking both ways: an exclusive job waits (Resources) while any job
#   runs, even with a CPU free, and while it runs a 1-CPU job waits
#   (Resources), as in 18_sbatch_exclusive.  sbatch --test-only: the
#   start from the running jobs' limits (the wide job's planned start for
#   a 2-CPU job, now for a 1-CPU one, Unknown behind an unlimited job).
# Slurm behaviour copied (sched/backfill: a lower job may start only if it
#   ends by the reserved start of the higher ones, using time limits;
#   slurm-reference 18_sbatch_exclusive: "11930 PENDING Resources 1" next
#   to "11929 RUNNING None 2"; 30_squeue: the top blocked job waits for
#   Resources, the others for Priority; --test-only is slurmctld's
#   will_run, which tries the job against the running jobs only, and
#   prints "Job N to start at T using C processors on nodes H in
#   partition P" on stderr, 02_sbatch_errors.txt).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
start_of() { squeue -h --start -j "$1" -o %S; }

# --- EASY backfill -----------------------------------------------------------
submit -J run5 -n 1 -t 5 -o /dev/null --wrap="$(waiter go1)"; r=$JOB
wait_state "$r" RUNNING
submit -J wide -n 2 -t 10 -o /dev/null --wrap="touch wide.ran; $(waiter go3)"; w=$JOB
wait_reason "$w" Resources
ends=$(squeue -h -j "$r" -o %e)
planned=$(start_of "$w")
is "$planned" "$ends" "the wide job's planned start is the running job's end (time limit)"

# sbatch --test-only answers as Slurm's will_run: from the running jobs'
# limits, as if the job were first in the queue; a 2-CPU job gets the
# wide job's planned start, a 1-CPU job now.
run sbatch --test-only -n 2 -t 5 --wrap=true
like "$RC/$ERR" "^0/sbatch: Job [0-9]+ to start at $planned using 2 processors on nodes $HOST in partition cpu$" \
    "--test-only -n 2: the start squeue --start shows for the wide job"
run sbatch --test-only -n 1 -t 10 --wrap=true
like "$RC/$ERR" "^0/sbatch: Job [0-9]+ to start at [0-9T:-]+ using 1 processors on nodes $HOST in partition cpu$" \
    "--test-only -n 1"
when=$(sed -n 's/.* to start at \([^ ]*\) .*/\1/p' <<<"$ERR")
ok "... starts now, before that ($when)" test "$when" "<" "$planned"
is "$(squeue -h -o %i | wc -l)" 2 "--test-only created no job"

submit -J short -n 1 -t 2 -o /dev/null --wrap="$(waiter go2)"; s=$JOB
submit -J long -n 1 -t 10 -o /dev/null --wrap="test -e wide.ran && touch long.after"; l=$JOB
wait_state "$s" RUNNING
wait_reason "$l" Priority
ok "the short job (ends before the reservation) started in front of the wide one" \
    job_state_is "$s" RUNNING
is "$(job_state "$w")/$(job_reason "$w")/$(start_of "$w")" \
    "PENDING/Resources/$planned" "... without delaying it: same planned start"
is "$(job_state "$l")/$(job_reason "$l")" "PENDING/Priority" \
    "the long job (would end after the reservation) does not start"
run squeue -h -o '%j %T %r' -t PD
is "$OUT" "wide PENDING Resources
long PENDING Priority" "squeue: the wide job first (Resources), then the long one (Priority)"

# The running job ends early: the wide job still waits for the short one
# (its limit ends before the old reservation), the long one still may not go.
touch go1
wait_done "$r"
is "$(job_state "$w")/$(job_state "$l")" "PENDING/PENDING" \
    "one CPU free: the long job would delay the wide one, so both wait"
touch go2
wait_state "$w" RUNNING
ok "the wide job started once the short one ended" job_state_is "$w" RUNNING
touch go3
wait_done "$w"
wait_done "$l"
ok "the long job ran only after the wide one" test -e long.after
is "$(job_state "$l")" COMPLETED "the long job completed"

# --- --exclusive blocking ------------------------------------------------------
submit -J one -n 1 -o /dev/null --wrap="$(waiter go4)"; o=$JOB
wait_state "$o" RUNNING
submit -J excl --exclusive -o excl.out \
    --wrap='echo CPUS_ON_NODE=$SLURM_CPUS_ON_NODE JOB_CPUS=$SLURM_JOB_CPUS_PER_NODE; '"$(waiter go5)"
e=$JOB
wait_reason "$e" Resources
is "$(job_state "$e")/$(job_reason "$e")/$(squeue -h -j "$e" -o %C)" \
    "PENDING/Resources/2" "--exclusive waits for the whole node while a 1-CPU job runs (a CPU is free)"
# A running job without a time limit: nobody knows when a 2-CPU job starts.
run sbatch --test-only -n 2 --wrap=true
like "$RC/$ERR" "^0/sbatch: Job [0-9]+ to start at Unknown using 2 processors" \
    "--test-only behind a job without a time limit: Unknown (slurm_make_time_str of 0)"
touch go4
wait_state "$e" RUNNING
submit -o /dev/null --wrap=true; t=$JOB
wait_reason "$t" Resources
run squeue -h -o '%i %T %r %C'
is "$OUT" "$t PENDING Resources 1
$e RUNNING None 2" "while it runs a 1-CPU job waits (Resources), as in 18_sbatch_exclusive"
touch go5
wait_done "$e"
wait_done "$t"
is "$(job_state "$t")" COMPLETED "... and runs after it"
is "$(cat excl.out 2>/dev/null)" "CPUS_ON_NODE=2 JOB_CPUS=2" \
    "the exclusive job had both CPUs"

done_testing
