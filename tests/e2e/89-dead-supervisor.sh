#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: kill -9 of a busy supervisor (one the zygote forked): the job
#   ends NODE_FAIL (--no-requeue) or pends again and runs anew (Restarts
#   +1), as recovery does for a supervisor that died mid-job, and nothing
#   of the dead attempt runs on: not its process group (the daemon kills
#   it) and not a process that left it (setsid, double fork), which
#   the zygote, a subreaper, inherits, and which it and berthd kill (it
#   once ran on for good, next to the job's new attempt).  The zygote
#   carries on.
# Slurm behaviour copied: a job whose node fails ends NODE_FAIL, or is
#   requeued when it may be (slurmctld kill_running_job_by_node_name).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

write_leftover_job
wait_for 5 has_zygote
z=$(zygote_pid)

kill_sup() {
	local s
	wait_for 5 supervisor_alive "$1" || return 1
	s=$(supervisor_pids "$1")
	[ "$(proc_stat_field "$s" 4)" = "$z" ] || return 1
	kill -KILL "$s"
}

# --no-requeue: NODE_FAIL, nothing left.
submit --no-requeue -o /dev/null job.sh 1; a=$JOB
wait_for 10 test -s d1.0
ok "the zygote's supervisor of job $a is killed" kill_sup "$a"
wait_done "$a"
is "$(job_state "$a")" NODE_FAIL "the job ends NODE_FAIL"
ok "…its process group is killed" wait_for 5 proc_gone_file g1.0
ok "…and the process that left it" wait_for 5 proc_gone_file d1.0

# Requeueable: runs again; the first attempt's processes are gone.
submit -o /dev/null job.sh 2; b=$JOB
wait_for 10 test -s d2.0
ok "the supervisor of job $b is killed" kill_sup "$b"
wait_for 10 test -s d2.1
ok "the job starts again" test "$(wc -l <ran.2)" -eq 2
run scontrol show job "$b"
like "$OUT" "Restarts=1 " "…with Restarts=1"
ok "…the first attempt's process group is gone" wait_for 5 proc_gone_file g2.0
ok "…and the process that left it" wait_for 5 proc_gone_file d2.0
ok "…while the second attempt's runs" kill -0 "$(cat d2.1)"
touch go
run scancel "$b"
wait_done "$b"
is "$(zygote_pid)" "$z" "the zygote is still there"
submit -o /dev/null --wrap='echo ok >after'
wait_done "$JOB"
is "$(cat after 2>/dev/null)" ok "…and the next job runs"

done_testing
