#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: kill -9 of a busy supervisor when no zygote reaps what it
#   leaves: the zygote was killed before (its supervisors are berthd's
#   then), or berthd spawned the supervisor itself (no zygote: here the
#   zygote's berth-jobsup -w fails at once).  berthd is a child
#   subreaper: the job's processes, those that left its process group
#   (setsid, double fork) too, become its children, and it kills them all
#   before the job ends NODE_FAIL or pends again (they once ran on for
#   good, next to the job's new attempt).
# Slurm behaviour copied: a job whose node fails ends NODE_FAIL, or is
#   requeued when it may be (slurmctld kill_running_job_by_node_name);
#   nothing of the failed attempt runs on.
. "$(dirname "$0")/lib.sh"

write_conf_ref
log=$BERTH_STATE_DIR/berthd.log

write_leftover_job

# 1. The zygote is gone, then its busy supervisor is killed.
start_daemon || done_testing
wait_for 5 has_zygote
submit --no-requeue -o /dev/null job.sh 1
a=$JOB
wait_for 10 test -s d1.0
s=$(supervisor_pids "$a")
z=$(zygote_pid)
ok "the zygote is killed" kill -KILL "$z"
parent_is() { [ "$(proc_stat_field "$1" 4)" = "$2" ]; }
ok "…its busy supervisor is now berthd's" wait_for 5 parent_is "$s" "$DAEMON_PID"
ok "the supervisor of job $a is killed" kill -KILL "$s"
wait_done "$a"
is "$(job_state "$a")" NODE_FAIL "the job ends NODE_FAIL"
leftovers_gone 1
ok "…killed before the job ended" \
    killed_before "$(cat d1.0)" "job=$a: supervisor ended without a result"
stop_daemon

# 2. No zygote: berthd spawns the supervisors itself.
wrap_jobsup
printf '#!/bin/sh\n[ "$1" = -w ] && exit 1\nexec "%s" "$@"\n' "$sup.real" >"$sup"
chmod +x "$sup"
start_daemon || done_testing
submit -o /dev/null job.sh 2
b=$JOB
wait_for 10 test -s d2.0
s=$(supervisor_pids "$b")
is "$(proc_stat_field "$s" 4)" "$DAEMON_PID" "job $b's supervisor is berthd's child"
ok "…it is killed" kill -KILL "$s"
ok "the job starts again" wait_for 10 test -s d2.1
run scontrol show job "$b"
like "$OUT" "Restarts=1 " "…with Restarts=1"
leftovers_gone 2 "the first attempt's process"
ok "…killed before the job was requeued" \
    killed_before "$(cat d2.0)" "job=$b: requeued after the failure"
ok "…while the second attempt's run" kill -0 "$(cat d2.1)"
touch go
run scancel "$b"
wait_done "$b"
submit -o /dev/null --wrap='echo ok >after'
wait_done "$JOB"
is "$(cat after 2>/dev/null)" ok "the next job runs"

done_testing
