#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol requeue of a running job reaches its supervisor only
#   once the request is committed (src/daemon/supervise.c,
#   supervise_committed()).  A daemon that dies after taking the request
#   but before its commit (BERTH_TEST_DIE_AT=requeue, a test hook as in
#   86-early-handover): scontrol fails, and after a restart the job is
#   still running its first attempt, untouched (the supervisor was told
#   first: the job was killed and, the request lost, ended CANCELLED).
#   A requeue asked again then works: the job runs again, Restarts=1.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: a request that failed changed nothing.
. "$(dirname "$0")/lib.sh"

write_conf_ref

cat >job.sh <<'SH'
#!/bin/sh
echo "start ${SLURM_RESTART_COUNT:-0}" >>ran.log
i=0
while [ ! -e "release_${SLURM_RESTART_COUNT:-0}" ] && [ $i -lt 1500 ]; do
	sleep 0.02; i=$((i + 1))
done
SH
chmod +x job.sh
started() { grep -qx "start $1" ran.log 2>/dev/null; }

BERTH_TEST_DIE_AT=requeue start_daemon || done_testing
submit -o /dev/null job.sh
j=$JOB
ok "job $j runs" wait_for 10 started 0
run scontrol requeue "$j"
isnt "$RC" 0 "scontrol requeue fails when the daemon dies before its commit"
kill_daemon
start_daemon || done_testing
is "$(job_state "$j")" RUNNING "after a restart the job still runs"
ok "…its supervisor too" supervisor_alive "$j"
is "$(cat ran.log)" "start 0" "…its first attempt, once"

run scontrol requeue "$j"
run_ok "scontrol requeue $j, asked again"
ok "the job starts again" wait_for 20 started 1
touch release_1
wait_done "$j"
is "$(job_state "$j")" COMPLETED "…and completes"
run scontrol show job "$j"
like "$OUT" "Restarts=1 " "…with Restarts=1"
is "$(tr '\n' ' ' <ran.log)" "start 0 start 1 " "…two attempts in all"

# A requeued job starts again in the loop iteration that ends its
# attempt, and the daemon dies after that commit but before the ended
# attempt's files are retired (BERTH_TEST_DIE_AT=retire): the job file
# of the attempt that ended is still there under the job's name.  After
# a restart the new attempt must run, not end with the old one's result.
stop_daemon
rm -f ran.log release_*
BERTH_TEST_DIE_AT=retire start_daemon || done_testing
submit -o /dev/null job.sh
k=$JOB
ok "job $k runs" wait_for 10 started 0
run scontrol requeue "$k"
daemon_dead() { ! kill -0 "$DAEMON_PID" 2>/dev/null; }
ok "the daemon dies before retiring the ended attempt's files" \
    wait_for 20 daemon_dead
start_daemon || done_testing
ok "the new attempt runs after the restart" wait_for 20 started 1
touch release_1
wait_done "$k"
is "$(job_state "$k")" COMPLETED "…and completes"
is "$(tr '\n' ' ' <ran.log)" "start 0 start 1 " "…two attempts in all"

done_testing
