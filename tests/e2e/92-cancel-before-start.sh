#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a job handed to its supervisor but not started yet (here the
#   idle supervisor that gets it is stopped, as in 88-stopped-supervisor)
#   when scancel or scontrol requeue arrives.  The supervisor looks for
#   such a request before it starts the script: a cancelled job ends
#   CANCELLED without ever running (no line of it, no output file, no
#   batch step), a requeued one pends again and runs once (it once
#   started, was killed at once, and ran again: twice).  A signal sent
#   meanwhile is sent once the job runs.
# Slurm behaviour copied: slurmd never starts a job that was killed
#   before its launch; scontrol requeue of a running job runs it again
#   (Restarts=1).
. "$(dirname "$0")/lib.sh"

write_conf_ref

has_idle() { [ -n "$(idle_pid)" ]; }
ran_count() { local n; n=$(grep -cx "$1" ran.log 2>/dev/null); echo "${n:-0}"; }
# A fresh daemon whose idle supervisor is stopped (STOPPED), and a job
# handed to it (RUNNING, not started): JOB.
handed_to_stopped() {
	stop_daemon
	start_daemon || done_testing
	wait_for 5 has_idle || return 1
	run scontrol ping
	STOPPED=$(idle_pid)
	[ -n "$STOPPED" ] || return 1
	kill -STOP "$STOPPED"
	submit "$@"
	wait_state "$JOB" RUNNING
}
job='echo "$SLURM_JOB_ID" >>ran.log'

# 1. scancel.
ok "a job is handed to a stopped supervisor" \
    handed_to_stopped -o out.%j --wrap="$job"
a=$JOB
run scancel "$a"
run_ok "scancel $a"
kill -CONT "$STOPPED"
wait_done "$a"
is "$(job_state "$a")/$(ran_count "$a")" CANCELLED/0 \
    "cancelled before its start, it ends CANCELLED and never runs"
ok "…no output file is made" test ! -e "out.$a"
run sacct -n -P -o JobID,State -j "$a"
is "$OUT" "$a|CANCELLED by $MY_UID" "…sacct shows no batch step"
like "$(cat "$BERTH_STATE_DIR/berthd.log")" \
    "job=$a: cancelled before it started; not starting it" \
    "…the supervisor says why"

# 2. scontrol requeue.
ok "another job is handed to a stopped supervisor" \
    handed_to_stopped --open-mode=append -o out.%j --wrap="$job"
b=$JOB
run scontrol requeue "$b"
run_ok "scontrol requeue $b"
kill -CONT "$STOPPED"
wait_done "$b"
is "$(job_state "$b")/$(ran_count "$b")" COMPLETED/1 \
    "requeued before its start, it runs once"
run scontrol show job "$b"
like "$OUT" "Restarts=1 " "…with Restarts=1"
unlike "$(cat "out.$b" 2>/dev/null)" "DUE TO JOB REQUEUE" \
    "…its first attempt never started (nothing was killed)"

# 3. A signal sent before the start reaches the job once it runs (as
#    it did when the supervisor read it only after the start).
ok "a third job is handed to a stopped supervisor" \
    handed_to_stopped -o /dev/null --wrap='sleep 600'
c=$JOB
run scancel -b --signal=KILL "$c"
run_ok "scancel -b --signal=KILL $c"
kill -CONT "$STOPPED"
wait_done "$c"
run sacct -n -X -P -o State,ExitCode -j "$c"
is "$OUT" "FAILED|0:9" "…the batch shell is killed once it runs"

done_testing
