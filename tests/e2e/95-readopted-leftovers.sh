#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the processes of a job that left its process group (setsid,
#   double fork) die with the job whether or not berthd restarted while
#   it ran.  A supervisor re-adopted after a restart is no descendant of
#   the new berthd, but the zygote that forked it outlives the daemon
#   that started it while it has busy supervisors, as a child subreaper:
#   (1) a re-adopted supervisor killed mid-job: what its job left is
#   killed before the job ends NODE_FAIL; (2) a supervisor killed while
#   no berthd runs: its leftovers are killed at once, and the next
#   berthd finds the job cut short; (3) a re-adopted supervisor whose job
#   ends by itself kills its leftovers as before.  (They once ran on under
#   init.)
# Slurm behaviour copied: with proctrack/cgroup everything a job started
#   dies with it, slurmd restarted or not; a job whose node fails ends
#   NODE_FAIL or is requeued.
. "$(dirname "$0")/lib.sh"

write_conf_ref
log=$BERTH_STATE_DIR/berthd.log

write_leftover_job
readopted() { grep -q "job=$1: re-adopted supervisor" "$log"; }

# 1. Restart, then the re-adopted supervisor is killed.
start_daemon || done_testing
wait_for 5 has_zygote
submit --no-requeue -o /dev/null job.sh 1
a=$JOB
wait_for 10 test -s d1.0
s=$(supervisor_pids "$a")
kill_daemon
start_daemon || done_testing
ok "the restarted berthd re-adopts job $a's supervisor" wait_for 10 readopted "$a"
ok "…which is killed" kill -KILL "$s"
wait_done "$a"
is "$(job_state "$a")" NODE_FAIL "the job ends NODE_FAIL"
leftovers_gone 1
ok "…killed before the job ended" \
    killed_before "$(cat d1.0)" "job=$a: supervisor ended without a result"

# 2. The supervisor is killed while no berthd runs.
submit -o /dev/null job.sh 2
b=$JOB
wait_for 10 test -s d2.0
s=$(supervisor_pids "$b")
kill_daemon
ok "with berthd gone, job $b's supervisor is killed" kill -KILL "$s"
leftovers_gone 2
start_daemon || done_testing
ok "the next berthd starts the job again" wait_for 10 test -s d2.1
run scontrol show job "$b"
like "$OUT" "Restarts=1 " "…with Restarts=1"
touch go
run scancel "$b"
wait_done "$b"
rm -f go

# 3. Restart, then the re-adopted supervisor's job ends by itself.
cat >job3.sh <<'SH'
#!/bin/sh
(setsid sh -c 'sleep 300 & echo $! >d3' &)
until [ -e go3 ]; do sleep 0.05; done
SH
submit -o /dev/null job3.sh
c=$JOB
wait_for 10 test -s d3
kill_daemon
start_daemon || done_testing
ok "job $c's supervisor is re-adopted" wait_for 10 readopted "$c"
touch go3
wait_done "$c"
is "$(job_state "$c")" COMPLETED "its job completes"
ok "…and what left its group is gone" wait_for 5 proc_gone_file d3

submit -o /dev/null --wrap='echo ok >after'
wait_done "$JOB"
is "$(cat after 2>/dev/null)" ok "the next job runs"
done_testing
