#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the supervisor started ahead of time (berth-jobsup -w, waiting
#   for its job file on a socketpair; src/daemon/supervise.c): a running
#   daemon keeps one waiting; a job handed to it runs and its supervisor
#   shows as "berth-jobsup <state>/jobs/<id>" like a spawned one; when the
#   waiting one was killed the next job still starts (spawned as before);
#   a job started through it is re-adopted after a daemon crash; stopping
#   the daemon ends the waiting supervisor.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: submitted jobs run once and end COMPLETED.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

idle_pids() { idle_supervisor_pids; }
has_idle() { [ -n "$(idle_pids)" ]; }
no_idle() { [ -z "$(idle_pids)" ]; }

# The daemon starts one once it has run its first loop iteration.
run scontrol ping
ok "a supervisor waits for the next job" wait_for 20 has_idle

submit --wrap='until [ -e go ]; do sleep 0.02; done; echo ran'
a=$JOB
wait_state "$a" RUNNING
ok "the job's supervisor is 'berth-jobsup <jobs>/$a'" \
    wait_for 20 supervisor_alive "$a"
ok "another supervisor waits for the next job" wait_for 20 has_idle

# The waiting one dies, and the zygote with it (the daemon starts
# another zygote at once, whose new supervisor may wait already): the
# next job still runs.
killed=$(idle_pids)
for p in $killed; do kill -KILL "$p"; done
all_gone() {
	local p
	for p in $killed; do proc_gone "$p" || return 1; done
}
ok "the waiting supervisor is gone" wait_for 20 all_gone
submit --wrap='echo second'
b=$JOB
wait_done "$b"
is "$(job_state "$b")" COMPLETED \
    "a job submitted after the waiting supervisor died completes"
is "$(cat "slurm-$b.out" 2>/dev/null)" second "…with its output"

# Crash with job a (started through a waiting supervisor) still running.
kill_daemon
ok "a waiting supervisor ends when the daemon dies" wait_for 20 no_idle
ok "job $a's supervisor survives the daemon" supervisor_alive "$a"
start_daemon || done_testing
touch go
wait_done "$a"
is "$(job_state "$a")" COMPLETED "job $a is re-adopted and completes"
is "$(cat "slurm-$a.out" 2>/dev/null)" ran "…and ran once"

ok "the restarted daemon keeps one waiting" wait_for 20 has_idle
stop_daemon
ok "stopping the daemon ends the waiting supervisor" wait_for 20 no_idle

done_testing
