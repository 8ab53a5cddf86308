#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol reconfigure and SIGHUP re-read berth.conf without
#   dropping jobs: a new partition appears in sinfo and takes jobs, a
#   running job keeps running and finishes, a broken file is refused with
#   the parse error (exit 1) and changes nothing.
# Slurm behaviour copied: `scontrol reconfigure` prints nothing and exits
#   0 on success; errors print "slurm_reconfigure error: <text>", exit 1.
. "$(dirname "$0")/lib.sh"

conf1=("NodeName=$HOST CPUs=2 RealMemory=20000" "KillWait=2"
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP")
write_conf "${conf1[@]}"
start_daemon || done_testing

waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
submit -J keep -o keep.out --wrap="echo started; $(waiter go)"; k=$JOB
wait_state "$k" RUNNING

run sinfo -h -o %P
is "$OUT" "cpu*" "one partition before"
write_conf "${conf1[@]}" "PartitionName=long MaxTime=2-0 State=UP"
run scontrol reconfigure
is "$RC/$OUT/$ERR" "0//" "scontrol reconfigure: exit 0, silent"
run sinfo -h -o '%P %l'
is "$OUT" "cpu* infinite
long 2-00:00:00" "the new partition is there"
is "$(job_state "$k")" RUNNING "the running job keeps running"
submit -p long -o long.out --wrap='echo in long'; l=$JOB
wait_done "$l"
is "$(job_state "$l")" COMPLETED "a job in the new partition runs"

printf 'NodeName=%s CPUs=abc\n' "$HOST" >"$BERTH_STATE_DIR/berth.conf"
run scontrol reconfigure
is "$RC" 1 "a broken berth.conf: exit 1"
like "$ERR" "^slurm_reconfigure error: .*invalid CPUs value 'abc'" \
    "with the parse error"
run sinfo -h -o %P
is "$OUT" "cpu*
long" "and the configuration is unchanged"

write_conf "${conf1[@]}" "PartitionName=debug MaxTime=30:00 State=UP"
kill -HUP "$DAEMON_PID"
wait_for 10 sh -c 'sinfo -h -o %P | grep -qx debug'
run sinfo -h -o %P
is "$OUT" "cpu*
debug" "SIGHUP re-reads berth.conf too"
ok "the daemon survived SIGHUP" daemon_alive

touch go
wait_done "$k"
is "$(job_state "$k")" COMPLETED "the job that ran through it all completed"
ok "and its output is intact" file_has keep.out started

done_testing
