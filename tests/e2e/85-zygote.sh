#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the supervisor zygote (berth-jobsup -w, src/jobsup/zygote.c and
#   src/daemon/supervise.c): one stays started across jobs and forks an
#   idle supervisor ahead of each job, which leads its own session, takes
#   the job and is not the daemon's child; a zygote that stops answering
#   is killed after a few seconds and jobs still run exactly once (their
#   own supervisor spawned), then a new zygote waits; a job whose supervisor the zygote forked can be
#   cancelled; processes a job leaves behind (in its process group or in
#   a session of their own) are killed when its batch shell exits.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: submitted jobs run once and end COMPLETED (or CANCELLED).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# The zygote is the daemon's child, the idle supervisor the zygote's; both
# show as "berth-jobsup -w <jobs>/idle-supervisor-waiting" (lib.sh).
has_zygote() { [ -n "$(zygote_pid)" ]; }
has_idle() { [ -n "$(idle_pid)" ]; }

run scontrol ping
ok "the zygote waits for jobs" wait_for 5 has_zygote
ok "…with an idle supervisor it forked" wait_for 5 has_idle
z=$(zygote_pid)
i=$(idle_pid)
is "$(proc_stat_field "$i" 6)" "$i" "the idle supervisor leads its own session"

for n in 1 2 3; do
	submit --wrap="echo run$n" || break
	ids+=("$JOB")
done
for id in "${ids[@]}"; do
	wait_done "$id"
done
n=0
for k in 1 2 3; do
	id=${ids[$((k - 1))]}
	[ "$(job_state "$id")" = COMPLETED ] &&
	    [ "$(cat "slurm-$id.out" 2>/dev/null)" = "run$k" ] && n=$((n + 1))
done
is "$n" 3 "three jobs complete with their output"
is "$(zygote_pid)" "$z" "…and the same zygote is still there"
ok "…with a new idle supervisor" wait_for 5 has_idle
isnt "$(idle_pid)" "$i" "…not the one that took a job"

submit --wrap='until [ -e go ]; do sleep 0.02; done; echo long'
a=$JOB
wait_state "$a" RUNNING
ok "job $a has its supervisor" wait_for 5 supervisor_alive "$a"
s=$(supervisor_pids "$a")
is "$(proc_stat_field "$s" 4)" "$z" "its parent is the zygote, not the daemon"
is "$(proc_stat_field "$s" 6)" "$s" "it leads its own session"
run scancel "$a"
wait_done "$a"
is "$(job_state "$a")" CANCELLED "a job forked by the zygote is cancelled"

# What the batch shell leaves behind dies with the job, in its process
# group or not (the supervisor is a subreaper and walks its descendants
# when any is left).
submit --wrap='sleep 300 & echo $! >bg1; setsid sleep 300 & echo $! >bg2; sleep 0.2'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "a job leaving processes behind completes"
gone_file() { ! kill -0 "$(cat "$1")" 2>/dev/null ||
    _is_zombie "$(cat "$1")"; }
ok "…its background process is killed" wait_for 5 gone_file bg1
ok "…and the one that left its session too" wait_for 5 gone_file bg2

# A zygote that does not answer: the idle supervisor it forked before
# takes the next job; the one after waits for a few seconds, then the
# daemon kills the zygote and spawns the job's supervisor itself.
ok "an idle supervisor waits" wait_for 5 has_idle
kill -STOP "$z"
submit --wrap='echo b >>ran'
b=$JOB
wait_done "$b"
is "$(job_state "$b")" COMPLETED "with the zygote stopped, a job completes"
submit --wrap='echo c >>ran'
c=$JOB
wait_done "$c" 30
is "$(job_state "$c")" COMPLETED "…and so does the next (after a wait)"
is "$(sort ran 2>/dev/null | tr '\n' ' ')" "b c " "…each ran once"
gone() { ! kill -0 "$1" 2>/dev/null || _is_zombie "$1"; }
ok "the stopped zygote is gone" wait_for 5 gone "$z"
ok "a new zygote waits" wait_for 5 has_zygote
isnt "$(zygote_pid)" "$z" "…with another pid"
submit --wrap='echo after'
wait_done "$JOB"
is "$(cat "slurm-$JOB.out" 2>/dev/null)" after "the new zygote starts jobs"

touch go
done_testing
