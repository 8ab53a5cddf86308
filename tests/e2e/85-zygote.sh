#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the supervisor zygote (berth-jobsup -w, src/jobsup/zygote.c and
#   src/daemon/supervise.c): one stays started across jobs and forks each
#   job's supervisor, which leads its own session and is not the daemon's
#   child; a zygote that stops answering is killed after a few seconds and
#   the job still runs exactly once (its own supervisor spawned), then a new
#   zygote waits; a job whose supervisor the zygote forked can be
#   cancelled; processes a job leaves behind (in its process group or in
#   a session of their own) are killed when its batch shell exits.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: submitted jobs run once and end COMPLETED (or CANCELLED).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

zygote_pids() {
	local f p
	for f in $(grep -lsF -- "$BERTH_STATE_DIR/jobs/idle-supervisor-waiting" \
	    /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}; p=${p%%/*}
		grep -qsF berth-jobsup "$f" && echo "$p"
	done
}
has_zygote() { [ -n "$(zygote_pids)" ]; }
# field N of /proc/PID/stat after the command name: 4 ppid, 6 session
stat_field() { awk -v n="$2" '{ sub(/^.*\) /, ""); print $(n - 2) }' \
    "/proc/$1/stat"; }

run scontrol ping
ok "the zygote waits for jobs" wait_for 5 has_zygote
z=$(zygote_pids)

for i in 1 2 3; do
	submit --wrap="echo run$i" || break
	ids+=("$JOB")
done
for id in "${ids[@]}"; do
	wait_done "$id"
done
n=0
for i in 1 2 3; do
	id=${ids[$((i - 1))]}
	[ "$(job_state "$id")" = COMPLETED ] &&
	    [ "$(cat "slurm-$id.out" 2>/dev/null)" = "run$i" ] && n=$((n + 1))
done
is "$n" 3 "three jobs complete with their output"
is "$(zygote_pids)" "$z" "…and the same zygote is still waiting"

submit --wrap='until [ -e go ]; do sleep 0.02; done; echo long'
a=$JOB
wait_state "$a" RUNNING
ok "job $a has its supervisor" wait_for 5 supervisor_alive "$a"
s=$(supervisor_pids "$a")
is "$(stat_field "$s" 4)" "$z" "its parent is the zygote, not the daemon"
is "$(stat_field "$s" 6)" "$s" "it leads its own session"
run scancel "$a"
wait_done "$a"
is "$(job_state "$a")" CANCELLED "a job forked by the zygote is cancelled"

# What the batch shell leaves behind dies with the job, in its process
# group or not (the supervisor is a subreaper and walks its descendants
# when any is left).
submit --wrap='sleep 300 & echo $! >bg1; setsid sleep 300 & echo $! >bg2; sleep 0.2'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "a job leaving processes behind completes"
gone() { ! kill -0 "$(cat "$1")" 2>/dev/null || _is_zombie "$(cat "$1")"; }
ok "…its background process is killed" wait_for 5 gone bg1
ok "…and the one that left its session too" wait_for 5 gone bg2

# A zygote that does not answer: the daemon gives up on it after a few
# seconds, kills it and spawns the job's supervisor itself.
kill -STOP "$z"
submit --wrap='echo once >>ran'
b=$JOB
wait_done "$b" 30
is "$(job_state "$b")" COMPLETED "a job submitted to a stopped zygote completes"
is "$(cat ran 2>/dev/null)" once "…and ran once"
ok "the stopped zygote is gone" wait_for 5 eval '! kill -0 '"$z"
ok "a new zygote waits" wait_for 5 has_zygote
isnt "$(zygote_pids)" "$z" "…with another pid"
submit --wrap='echo after'
wait_done "$JOB"
is "$(cat "slurm-$JOB.out" 2>/dev/null)" after "the new zygote starts jobs"

touch go
done_testing
