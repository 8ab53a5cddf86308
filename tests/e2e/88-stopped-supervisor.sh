#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a job handed to a supervisor that has not started it yet (here:
#   every idle supervisor is stopped, so the job file waits in its socket
#   or its hands) when the daemon is killed, or the supervisor is.
#   A restarted daemon finds the job file locked by that supervisor and
#   adopts it by the pid the daemon recorded before the hand-over (it
#   once waited 5 s for a record only the job's start writes, gave up
#   and left the job RUNNING for good); continued, the supervisor runs
#   the job once (its "go" had been sent), or, when the daemon died
#   before the "go" (BERTH_TEST_DIE_AT=go, see 86-early-handover), exits
#   and the job pends again and runs once.  A supervisor killed before
#   it started its job: the job never ran and pends again (as recovery
#   has it), even with --no-requeue (it ended NODE_FAIL), unless it was
#   cancelled meanwhile: then it ends CANCELLED without running.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: an accepted job runs once, none stays RUNNING forever.
. "$(dirname "$0")/lib.sh"

write_conf_ref

has_idle() { [ -n "$(idle_pid)" ]; }
ran_count() { local n; n=$(grep -cx "$1" ran.log 2>/dev/null); echo "${n:-0}"; }
# Stop the idle supervisor of a daemon just started (the zygote forks
# one and no other until a job starts); STOPPED lists it.
stop_idle() {
	wait_for 5 has_idle || return 1
	run scontrol ping
	STOPPED=$(idle_pid)
	for p in $STOPPED; do
		kill -STOP "$p"
	done
	[ -n "$STOPPED" ]
}
cont_stopped() {
	for p in $STOPPED; do
		kill -CONT "$p" 2>/dev/null
	done
}
kill_stopped() {
	for p in $STOPPED; do
		kill -KILL "$p"
		wait_for 5 proc_gone "$p"
	done
}
job='echo "$SLURM_JOB_ID" >>ran.log'
# A fresh daemon whose idle supervisor is stopped, and a job handed to
# it (RUNNING, not started): JOB.
handed_to_stopped() {
	stop_daemon
	start_daemon || done_testing
	ok "the idle supervisor is stopped" stop_idle
	submit --no-requeue -o /dev/null --wrap="$job"
	wait_state "$JOB" RUNNING
}

# 1. The daemon is killed while its job waits in a stopped supervisor.
start_daemon || done_testing
ok "the idle supervisor is stopped" stop_idle
submit --no-requeue -o /dev/null --wrap="$job"
a=$JOB
wait_state "$a" RUNNING
kill_daemon
start_daemon || done_testing
is "$(job_state "$a")" RUNNING "after a restart the job is still RUNNING"
cont_stopped
wait_done "$a"
is "$(job_state "$a")/$(ran_count "$a")" COMPLETED/1 \
    "…re-adopted: once continued, its supervisor runs it, once"

# 2. The daemon dies after the commit, before the "go".
kill_daemon
BERTH_TEST_DIE_AT=go start_daemon || done_testing
ok "the idle supervisor is stopped" stop_idle
run sbatch --parsable --no-requeue -J gocase -o /dev/null --wrap="$job"
isnt "$RC" 0 "sbatch fails when the daemon dies before the go"
kill_daemon
start_daemon || done_testing
run sacct -n -X -P --name=gocase -o JobID
b=$OUT
ok "the committed job is in the history" test -n "$b"
cont_stopped
wait_done "$b"
is "$(job_state "$b")/$(ran_count "$b")" COMPLETED/1 \
    "…its supervisor, adopted and continued, exits; the job runs once"

# 3. The stopped supervisor holding the job is killed.
handed_to_stopped
c=$JOB
kill_stopped
wait_done "$c"
is "$(job_state "$c")/$(ran_count "$c")" COMPLETED/1 \
    "a job whose supervisor was killed before it started runs once"
run scontrol show job "$c"
like "$OUT" "Restarts=0 " "…with no restart counted"

# 4. The same, cancelled before the supervisor is killed.
handed_to_stopped
d=$JOB
run scancel "$d"
kill_stopped
wait_done "$d"
is "$(job_state "$d")/$(ran_count "$d")" CANCELLED/0 \
    "…cancelled meanwhile, it ends CANCELLED and never runs"

submit -o /dev/null --wrap="$job"
wait_done "$JOB"
is "$(job_state "$JOB")/$(ran_count "$JOB")" COMPLETED/1 "the next job runs"

done_testing
