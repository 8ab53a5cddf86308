#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a job waiting with after:N starts as soon as N has started and
#   cores are free, without any other event: the scheduling pass that
#   starts N asks for another look (before, it waited for N's end); the
#   same for an after:N chain of three; afterok:N stays pending while N
#   runs.
# Slurm behaviour copied (man sbatch: "after:job_id ... This job can begin
#   execution after the specified jobs start or are cancelled";
#   slurmctld's next scheduling pass starts it).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# hold_node: a job on both cores ($HOLDER), running, and a one-core job
# ($JOB) waiting behind it for Resources.
hold_node() {
	submit -o /dev/null -c 2 --wrap='sleep 300'; HOLDER=$JOB
	wait_state "$HOLDER" RUNNING
	submit -o /dev/null --wrap='sleep 300'
}

# x waits for the cores, y for x's start.
hold_node; c=$HOLDER x=$JOB
submit -o /dev/null -d "after:$x" --wrap='sleep 300'; y=$JOB
submit -o /dev/null -d "afterok:$x" --wrap='sleep 300'; z=$JOB
wait_reason "$x" Resources
is "$(job_reason "$y")" Dependency "after:N pends with reason Dependency while N pends"
run scancel "$c"
wait_state "$x" RUNNING
wait_state "$y" RUNNING 10
is "$(job_state "$y")" RUNNING "after:N started once N started, nothing else happening"
is "$(squeue -h -j "$z" -o '%T %r')" "PENDING Dependency" \
    "afterok:N still pends while N runs"
run scancel "$x" "$y" "$z"
wait_done "$x"; wait_done "$y"; wait_done "$z"

# A chain a <- b <- c of after: behind a held job: each start lets the
# next one start (one core each, so two run and the third waits).
hold_node; h=$HOLDER a=$JOB
submit -o /dev/null -d "after:$a" --wrap='sleep 300'; b=$JOB
submit -o /dev/null -d "after:$b" --wrap='sleep 300'; cc=$JOB
wait_reason "$a" Resources
run scancel "$h"
wait_state "$b" RUNNING 10
is "$(job_state "$a")/$(job_state "$b")" RUNNING/RUNNING "after: chain: a and b run"
wait_reason "$cc" Resources 10
is "$(squeue -h -j "$cc" -o '%T %r')" "PENDING Resources" \
    "after: chain: c's dependency is met, it waits for a core"
run scancel "$a"
wait_state "$cc" RUNNING 10
is "$(job_state "$cc")" RUNNING "after: chain: c starts when a core frees"
run scancel "$b" "$cc"
stop_daemon
done_testing
