#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a step's tasks are killed by their process group only while
#   the group is theirs, never by the group's number alone
#   (docs/steps.md).  srun: a task that leads a group (task 0) and ends
#   stays srun's zombie until the step is over, so the number cannot be
#   given out again while srun may still signal the group (before, srun
#   reaped it and its final kill of "what the tasks left" reached any
#   group that took the number since); its exit status is still
#   reported (srun's exit code, the task line).  berthd: srun is killed
#   while berthd is stopped, task 0's zombie goes to the job's
#   supervisor (a subreaper), which reaps it, so the number is free
#   while task 1, in a session of its own, keeps the step running; a
#   decoy process is given it (clone3 with set_tid, pidat.py) and leads
#   a group of that number; then berthd sees srun gone (step_exited):
#   the decoy must live on (kill(-pgid) killed it).  And the tasks are
#   still killed: a task's child in the group outlives srun's kill -9
#   (PR_SET_PDEATHSIG is task 0's only) and is killed, also when berthd
#   looks only after the leader was reaped; scancel ID.N with srun
#   stopped kills the tasks after KillWait; a cancelled srun
#   allocation's tasks go with it.  berthd's part twice: on this kernel,
#   and as on one without PIDFD_SIGNAL_PROCESS_GROUP (Linux < 6.9:
#   BERTH_TEST_OLD_KERNEL=pgrp, a test hook).  Needs root (set_tid) and
#   python3: skipped otherwise.
# Slurm behaviour copied: none (internal); steps end as in 63-steps-daemon.
. "$(dirname "$0")/lib.sh"

need_pidat "step group kill"

write_conf_ref

step_state() {	# step_state JOB.STEP: its State from sacct
	sacct -n -P -o JobID,State -j "${1%.*}" 2>/dev/null |
	    awk -F'|' -v id="$1" '($1 "") == (id "") { split($2, w, " "); print w[1] }'
}
step_state_is() { [ "$(step_state "$1")" = "$2" ]; }
step_ended() { local s; s=$(step_state "$1"); [ -n "$s" ] && [ "$s" != RUNNING ]; }
step_named() {	# step_named JOB NAME: the id of its step NAME
	sacct -n -P -o JobID,JobName -j "$1" 2>/dev/null |
	    awk -F'|' -v n="$2" '$2 == n { sub(/^.*\./, "", $1); print $1 }'
}
reaped() { ! [ -e "/proc/$1" ]; }
alive() { [ -e "/proc/$1" ] && [ "$(proc_stat_field "$1" 3)" != Z ]; }

# Task 0 records its pid (the group's number) and ends; task 1 leaves the
# group for a session of its own and stays.
cat >free.sh <<'SH'
#!/bin/bash
if [ "$SLURM_PROCID" = 0 ]; then echo $$ >"$1.leader"; exit 0; fi
echo $$ >"$1.task1"
exec setsid sleep 300
SH
# Task 0 leads the group and has a child in it that outlives it.
cat >member.sh <<'SH'
#!/bin/bash
echo $$ >"$1.leader"
sleep 300 & echo $! >"$1.member"
wait
SH
chmod +x free.sh member.sh

DECOY=
decoy() {	# decoy N: a `sleep 300` with pid N, leading its group
	local rc
	DECOY=$("$PIDAT" "$1" sleep 300 2>"$T/pidat.err")
	rc=$?
	[ "$rc" -eq 3 ] && return 3
	[ "$rc" -eq 0 ] && [ "$DECOY" = "$1" ]
}
# freed TAG: once free.sh's task 0 has ended and task 1 runs, srun is
# killed with berthd stopped, and task 0's number, free once the job's
# supervisor has reaped it, goes to a decoy; sets N (the number).
freed() {
	local tag=$1 rc srun
	N=
	wait_for 20 file_nonempty "$T/$tag.leader" || return 1
	wait_for 20 file_nonempty "$T/$tag.task1" || return 1
	N=$(cat "$T/$tag.leader")
	srun=$(proc_stat_field "$(cat "$T/$tag.task1")" 4)
	kill -STOP "$DAEMON_PID"
	kill -KILL "$srun"
	wait_for 10 reaped "$N" || { kill -CONT "$DAEMON_PID"; return 1; }
	wait_for 10 decoy "$N"
	rc=$?
	kill -CONT "$DAEMON_PID"
	[ "$rc" -eq 0 ] && [ "$(proc_stat_field "$N" 5)" = "$N" ] && return 0
	[ "$rc" -eq 3 ] && skip "a decoy with the step's group number" \
	    "$(cat "$T/pidat.err")"
	return 1
}
decoy_lives() {	# decoy_lives WHAT
	is "$(proc_stat_field "$N" 3)" S "$1: the decoy lives on (state S)"
	kill -KILL "$N" 2>/dev/null
}

cases() {	# cases LABEL
	local l=$1 job t bg

	# --- srun killed: the step ends without its result (step_exited).
	t=$l-exit
	submit -n 2 -o /dev/null --wrap "srun -n 2 ./free.sh $T/$t; sleep 300"
	job=$JOB
	if freed "$t"; then
		ok "$l: srun killed, its step ends" \
		    wait_for 20 step_ended "$job.0"
		decoy_lives "$l: srun killed"
	else
		fail "$l: a decoy with the step's group number" \
		    "$(cat "$T/pidat.err" 2>/dev/null)"
	fi
	scancel "$job"
	wait_for 20 job_done "$job"

	# --- srun killed while berthd is stopped: berthd looks after the
	# leader was reaped; the leader's child must go all the same.
	t=$l-late
	submit -n 1 -o /dev/null --wrap "srun ./member.sh $T/$t; sleep 300"
	job=$JOB
	wait_for 20 file_nonempty "$T/$t.member"
	kill -STOP "$DAEMON_PID"
	kill -KILL "$(proc_stat_field "$(cat "$T/$t.leader")" 4)"
	wait_for 10 reaped "$(cat "$T/$t.leader")"
	kill -CONT "$DAEMON_PID"
	ok "$l: srun killed, its leader reaped: the task's child is killed" \
	    wait_for 20 proc_gone "$(cat "$T/$t.member")"
	is "$(job_state "$job")" RUNNING "$l: …and the job runs on"
	scancel "$job"
	wait_for 20 job_done "$job"

	# --- scancel ID.0 with srun stopped: the tasks after KillWait.
	t=$l-step
	submit -n 1 -o /dev/null --wrap "srun ./member.sh $T/$t; sleep 300"
	job=$JOB
	wait_for 20 file_nonempty "$T/$t.member"
	srun_pid=$(proc_stat_field "$(cat "$T/$t.leader")" 4)
	kill -STOP "$srun_pid"
	scancel "$job.0"
	ok "$l: scancel ID.0, srun stopped: the task is killed" \
	    wait_for 20 proc_gone "$(cat "$T/$t.leader")"
	ok "$l: …and its child" wait_for 20 proc_gone "$(cat "$T/$t.member")"
	kill -KILL "$srun_pid"
	scancel "$job"
	wait_for 20 job_done "$job"

	# --- srun outside a job, stopped, its allocation cancelled.
	t=$l-holder
	srun -J "$t" ./member.sh "$T/$t" >/dev/null 2>&1 &
	bg=$!
	wait_for 20 file_nonempty "$T/$t.member"
	job=$(squeue -h -n "$t" -o %i)
	kill -STOP "$(proc_stat_field "$(cat "$T/$t.leader")" 4)"
	scancel "$job"
	ok "$l: a cancelled allocation's task's child is killed" \
	    wait_for 20 proc_gone "$(cat "$T/$t.member")"
	wait_for 20 job_done "$job"
	wait "$bg" 2>/dev/null
}

# srun's own part: task 0 (the leader) exits 3 at once, task 1 leaves
# the group for a session of its own and waits for a file.  So nothing
# else holds the group's number: meanwhile task 0 stays srun's zombie
# and the number cannot be had (before, it could, and srun's kill of
# "what the tasks left", once task 1 ended, reached the group that had
# taken it).
cat >hold.sh <<'SH'
#!/bin/bash
if [ "$SLURM_PROCID" = 0 ]; then echo $$ >"$1.leader"; exit 3; fi
echo $$ >"$1.task1"
exec setsid bash -c 'while ! [ -e "$1.go" ]; do sleep 0.1; done' bash "$1"
SH
chmod +x hold.sh
zombie_of() { [ "$(proc_stat_field "$1" 3)" = Z ] &&
    [ "$(proc_stat_field "$1" 4)" = "$2" ]; }
srun_holds() {
	local t=$T/hold bg n s
	rm -f "$t".*
	srun -n 2 ./hold.sh "$t" >"$t.out" 2>"$t.err" &
	bg=$!
	wait_for 20 file_nonempty "$t.task1" &&
	    wait_for 20 file_nonempty "$t.leader"
	n=$(cat "$t.leader")
	s=$(proc_stat_field "$(cat "$t.task1")" 4)
	ok "srun: task 0 ended, it stays srun's zombie while task 1 runs" \
	    wait_for 20 zombie_of "$n" "$s"
	if "$PIDAT" "$n" sleep 300 >"$t.decoy" 2>/dev/null; then
		fail "srun: task 0's number cannot be had meanwhile" \
		    "pidat.py took $n"
		kill -KILL "$(cat "$t.decoy")" 2>/dev/null
	else
		pass "srun: task 0's number cannot be had meanwhile"
	fi
	touch "$t.go"
	wait "$bg"
	is "$?" 3 "srun: its exit code is task 0's (3)"
	like "$(cat "$t.err")" "error: $HOST: task 0: Exited with exit code 3" \
	    "srun: …and task 0's line says so"
	ok "srun: task 0 reaped once the step is over" reaped "$n"
}

start_daemon || done_testing
srun_holds
cases pgrp
stop_daemon
BERTH_TEST_OLD_KERNEL=pgrp start_daemon || done_testing
cases old
done_testing
