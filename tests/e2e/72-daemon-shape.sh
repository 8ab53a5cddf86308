#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the daemon's and the supervisor's process shape (issue 2 parts 2
#   and 4), as /proc shows it: berthd is one thread, idle and while a job
#   runs; it waits on an epoll set with a signalfd and a timerfd, and
#   watches a running job through a pidfd; an idle daemon does not wake
#   up (no periodic tick: scheduling runs on events); a batch job leads
#   its own process group, in the session of its supervisor
#   (berth-jobsup, its parent and the session leader), not in the
#   daemon's session.
# Slurm behaviour copied: none (berth's architecture, ARCHITECTURE.md);
#   the job's own process group is what slurmstepd gives a batch script.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

threads() { sed -n 's/^Threads:[[:space:]]*//p' "/proc/$DAEMON_PID/status"; }
fdkinds() {
	local f
	for f in "/proc/$DAEMON_PID"/fd/*; do readlink "$f"; done |
	    sed -n 's/^anon_inode:\[\(.*\)\]$/\1/p' | sort -u | tr '\n' ' '
}
wakeups() {
	awk '/ctxt_switches/ { n += $2 } END { print n }' \
	    "/proc/$DAEMON_PID/status"
}

is "$(threads)" 1 "idle berthd is one thread"
like "$(fdkinds)" 'eventpoll .*signalfd .*timerfd' \
    "it waits on epoll, with a signalfd and a timerfd"

# Idle: nothing to do, so no wake-up at all for a second and a half.
# (Up to three tries, so that the end of its start-up work does not
# count; a daemon with a periodic tick wakes up in every one.)
quiet=no
for try in 1 2 3; do
	w0=$(wakeups)
	sleep 1.5
	[ "$(wakeups)" = "$w0" ] && { quiet=yes; break; }
done
is "$quiet" yes "an idle daemon does not wake up (no polling tick)"

submit -o /dev/null --wrap='read -r _ _ _ pp pg sid _ </proc/$$/stat
echo "$$ $pp $pg $sid" >ids.tmp; cat /proc/$pp/comm >>ids.tmp
mv ids.tmp ids; for i in $(seq 1 3000); do [ -e release ] && exit 0; sleep 0.02; done'
j=$JOB
wait_for 10 file_nonempty ids
read -r me ppid pgid sid <ids
is "$(threads)" 1 "berthd is one thread while a job runs"
like "$(fdkinds)" 'pidfd' "…and watches the job through a pidfd"

is "$pgid" "$me" "the batch script leads its own process group"
is "$sid" "$ppid" "…in the session its parent leads"
is "$(sed -n 2p ids)" berth-jobsup "…and that parent is the supervisor"
dsid=$(proc_stat_field "$DAEMON_PID" 6)
isnt "$sid" "$dsid" "the job's session is not the daemon's"

touch release
wait_done "$j"
is "$(job_state "$j")" COMPLETED "the job completes"

done_testing
