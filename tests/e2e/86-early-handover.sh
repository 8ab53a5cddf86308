#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the early hand-over (src/daemon/supervise.c,
#   supervise_prelaunch(); src/jobsup/zygote.c, zygote_wait_go()): the
#   first job to start in a daemon iteration is handed to the waiting
#   supervisor before the commit of its start, and runs only after the
#   daemon's "go", sent once that commit succeeded.  A daemon that dies
#   between the hand-over and the commit: the supervisor exits without
#   running the job, whose submission never happened (sbatch fails, no
#   record, no files after a restart).  A daemon that dies after the
#   commit but before the "go" (sent before the replies, so sbatch gets
#   no id): the supervisor exits without running it, and after a restart
#   the job, RUNNING in the store but never started, pends again and runs
#   exactly once.
#   The crashes are provoked by BERTH_TEST_DIE_AT=handover|go in the
#   daemon's environment, a test hook that makes berthd _exit(3) at that
#   point (documented in docs/performance.md; harmless otherwise: only
#   whoever starts the daemon sets its environment).
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: an accepted job runs once, a refused submission never runs.
. "$(dirname "$0")/lib.sh"

write_conf_ref

has_idle() { [ -n "$(idle_pid)" ]; }
# A supervisor is waiting and the daemon holds it (a request makes the
# daemon take the zygote's answer at the end of its iteration).
idle_ready() {
	wait_for 5 has_idle || return 1
	run scontrol ping
	IDLE=$(idle_pid)
}

# 1. Death between the hand-over and the commit.
BERTH_TEST_DIE_AT=handover start_daemon || done_testing
ok "an idle supervisor waits" idle_ready
run sbatch --parsable --wrap='echo run >>ran1'
isnt "$RC" 0 "sbatch fails when the daemon dies before its commit"
ok "the supervisor that had the job exits" wait_for 5 proc_gone "$IDLE"
kill_daemon
start_daemon || done_testing
run squeue -h -o %i
is "$OUT" "" "the submission left no job"
is "$(ls "$BERTH_STATE_DIR/jobs" | grep -c '^[0-9]')" 0 \
    "…and no job files after the restart"
submit --wrap='echo run >>ran2'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "the next job runs"
ok "the refused job never ran" test ! -e ran1
kill_daemon

# 2. Death after the commit, before the "go" (which goes out before the
# replies): sbatch got no id, but the job is in the store.
BERTH_TEST_DIE_AT=go start_daemon || done_testing
ok "an idle supervisor waits" idle_ready
run sbatch --parsable -J gocase --wrap='echo run >>ran3'
isnt "$RC" 0 "sbatch fails when the daemon dies before the go"
ok "the supervisor that had the job exits" wait_for 5 proc_gone "$IDLE"
ok "…without running it" test ! -e ran3
kill_daemon
start_daemon || done_testing
run sacct -n -X -P --name=gocase -o JobID
id=$OUT
ok "the committed job is in the history" test -n "$id"
wait_done "$id"
is "$(job_state "$id")" COMPLETED "after a restart the job runs"
is "$(cat ran3 2>/dev/null)" run "…exactly once"
kill_daemon

start_daemon || done_testing
submit --wrap='echo run >>ran5'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "the next job runs"

done_testing
