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
#   A daemon that dies while that commit runs on the store's thread
#   (the hand-over of a job submitted in the same iteration overlaps it:
#   src/daemon/main.c, end_of_iteration()): sbatch fails, and the job
#   either never existed or runs exactly once after a restart.
#   The crashes are provoked by BERTH_TEST_DIE_AT=handover|inflight|go in the
#   daemon's environment, a test hook that makes berthd _exit(3) at that
#   point (documented in docs/performance.md; harmless otherwise: only
#   whoever starts the daemon sets its environment).
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: an accepted job runs once, a refused submission never runs.
. "$(dirname "$0")/lib.sh"

write_conf_ref

has_idle() { [ -n "$(idle_pid)" ]; }
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_stat_field "$1" 3)" = Z ]; }
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
ok "the supervisor that had the job exits" wait_for 5 gone "$IDLE"
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
ok "the supervisor that had the job exits" wait_for 5 gone "$IDLE"
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

# 3. Death while the commit runs on the store's thread (the hand-over of
# a job submitted in the same iteration overlaps it): the commit may or
# may not have reached the disk, so the job either never existed or, after
# a restart, runs exactly once; sbatch got no id either way.
BERTH_TEST_DIE_AT=inflight start_daemon || done_testing
ok "an idle supervisor waits" idle_ready
run sbatch --parsable -J inflight --wrap='echo run >>ran4'
isnt "$RC" 0 "sbatch fails when the daemon dies during its commit"
is "$OUT" "" "…and prints no job id"
ok "the supervisor that had the job exits" wait_for 5 gone "$IDLE"
ok "…without running it" test ! -e ran4
kill_daemon
start_daemon || done_testing
run sacct -n -X -P --name=inflight -o JobID
id=$OUT
if [ -n "$id" ]; then
	wait_done "$id"
	is "$(job_state "$id")" COMPLETED "the committed job runs after a restart"
	is "$(cat ran4 2>/dev/null)" run "…exactly once"
else
	ok "the job that was not committed never runs" test ! -e ran4
	is "$(ls "$BERTH_STATE_DIR/jobs" | grep -c '^[0-9]')" 0 \
	    "…and left no job files"
fi
submit --wrap='echo run >>ran5'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "the next job runs"

done_testing
