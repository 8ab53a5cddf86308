#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a job whose supervisor died while berthd was away: the next
#   berthd kills what is left of the job's process group, but only
#   processes of that job, never by the group's number alone.  Here the
#   job's processes are all gone and reaped before berthd starts, and a
#   decoy process leads a new process group with the number of the job's
#   (the batch shell's pid, given to it with clone3's set_tid: no write
#   to /proc/sys).  The decoy must live on (it was killed: kill(-pgid));
#   the job ends NODE_FAIL all the same.  Needs root (set_tid): skipped
#   otherwise.
# Slurm behaviour copied: a job whose node fails ends NODE_FAIL.
. "$(dirname "$0")/lib.sh"

need_pidat "group kill after recovery"

write_conf_ref
start_daemon || done_testing
log=$BERTH_STATE_DIR/berthd.log

cat >job.sh <<'SH'
#!/bin/sh
echo $$ >shell
sleep 300 & echo $! >member
wait
SH
submit --no-requeue -o /dev/null job.sh
a=$JOB
wait_for 10 test -s member
n=$(cat shell)
is "$(proc_stat_field "$n" 5)" "$n" "the batch shell leads the job's process group"
s=$(supervisor_pids "$a")
kill_daemon
ok "with berthd gone, job $a's supervisor is killed" kill -KILL "$s"
kill -KILL -- "-$n" 2>/dev/null
reaped() { ! [ -e "/proc/$1" ]; }
ok "…its processes are gone and reaped" wait_for 10 reaped "$n"
wait_for 10 reaped "$(cat member)"

DECOY=
decoy() {
	local rc
	DECOY=$("$PIDAT" "$n" sleep 300 2>"$T/pidat.err")
	rc=$?
	[ "$rc" -eq 3 ] && return 3
	[ "$rc" -eq 0 ] && [ "$DECOY" = "$n" ]
}
wait_for 10 decoy
rc=$?
if [ "$rc" -ne 0 ]; then
	skip "a decoy with the job's group number" "$(cat "$T/pidat.err")"
	done_testing
fi
is "$(proc_stat_field "$n" 5)" "$n" "a decoy leads a process group with the job's number"

start_daemon || done_testing
wait_done "$a"
is "$(job_state "$a")" NODE_FAIL "the restarted berthd ends the job NODE_FAIL"
submit -o /dev/null --wrap=true
wait_done "$JOB"
is "$(proc_stat_field "$n" 3)" S "…and the decoy lives on (state S)"
kill -KILL "$n" 2>/dev/null
done_testing
