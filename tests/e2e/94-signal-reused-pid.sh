#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: berthd signals supervisors and allocation holders through their
#   pidfds, never by a bare pid.  The case that shows it: the daemon is
#   stopped, scancel's request waits in its socket, the job's supervisor
#   (or salloc, the allocation's holder) is killed and reaped, and a
#   decoy process is given its pid (/proc/sys/kernel/ns_last_pid); the
#   continued daemon handles the cancel before it sees the end.  The
#   job's processes go first (the supervisor reaps them): they live in
#   the supervisor's session, whose id keeps its pid from being reused.  The
#   decoy must not get the control signal (SIGRTMAX-1, whose default
#   action ends it: it once did); the job ends CANCELLED all the same.
#   Needs root (ns_last_pid, /proc/PID/syscall) and ss(8): skipped
#   otherwise.
# Slurm behaviour copied: none (internal); scancel ends the job.
. "$(dirname "$0")/lib.sh"

if [ "$MY_UID" -ne 0 ] || ! [ -w /proc/sys/kernel/ns_last_pid ] ||
    ! command -v ss >/dev/null; then
	skip "signals through pidfds" "needs root, ns_last_pid and ss"
	done_testing
fi

write_conf_ref
start_daemon || done_testing

gone() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_stat_field "$1" 3)" = Z ]; }
# scancel has connected (berthd's accept queue holds it) and waits for
# the answer (blocked in read(2)).
queued() {
	local q
	q=$(ss -xlH src "$BERTH_STATE_DIR/berthd.sock" 2>/dev/null |
	    awk '{ print $3 }')
	[ "${q:-0}" -ge 1 ] &&
	    [ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" = 0 ]
}
# decoy PID: start `sleep 300` as PID (DECOY), a few tries (other
# processes on the machine fork too).
decoy() {
	local i
	for i in $(seq 1 50); do
		echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
		sleep 300 &
		DECOY=$!
		[ "$DECOY" = "$1" ] && return 0
		kill "$DECOY"
		wait "$DECOY" 2>/dev/null
	done
	return 1
}
# no_children PID: PID has reaped every child it had.
no_children() { [ -z "$(cat "/proc/$1/task/$1/children" 2>/dev/null)" ]; }
# cancel_dead_pid ID PID [reap|job]: with berthd stopped, queue `scancel
# ID`, kill PID (reaped by its parent, or by us with reap; with job, the
# job's process groups first, reaped by PID), put a decoy on PID,
# continue berthd.
cancel_dead_pid() {
	local sc c
	kill -STOP "$DAEMON_PID"
	scancel "$1" >/dev/null 2>&1 &
	sc=$!
	wait_for 10 queued "$sc" || return 1
	if [ "${3:-}" = job ]; then
		for c in $(cat "/proc/$2/task/$2/children"); do
			kill -KILL -- "-$c"
		done
		wait_for 10 no_children "$2" || return 1
	fi
	kill -KILL "$2"
	[ "${3:-}" = reap ] && wait "$2" 2>/dev/null
	wait_for 10 test ! -e "/proc/$2" || return 1
	decoy "$2" || return 1
	kill -CONT "$DAEMON_PID"
	wait "$sc"
}

# 1. A supervisor from the zygote (watched through its socket).
submit -o /dev/null --wrap='sleep 300'
a=$JOB
wait_for 10 supervisor_alive "$a"
s=$(supervisor_pids "$a")
ok "scancel $a is handled before the end of its supervisor $s, whose pid went to a decoy" \
    cancel_dead_pid "$a" "$s" job
wait_done "$a"
is "$(job_state "$a")" CANCELLED "the job ends CANCELLED"
ok "…the decoy got no signal" kill -0 "$DECOY"
kill "$DECOY"

# 2. salloc, the holder of an allocation.
salloc -J holder -n 1 sleep 300 </dev/null >/dev/null 2>&1 &
h=$!
running() { [ "$(squeue -h -n holder -o %T)" = RUNNING ]; }
wait_for 20 running
b=$(squeue -h -n holder -o %i)
ok "scancel $b is handled before the end of its holder $h, whose pid went to a decoy" \
    cancel_dead_pid "$b" "$h" reap
wait_done "$b"
is "$(job_state "$b")" CANCELLED "the allocation ends CANCELLED"
ok "…the decoy got no signal" kill -0 "$DECOY"
kill "$DECOY"

done_testing
