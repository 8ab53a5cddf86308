#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the scheduler's submission fast path (docs/performance.md): a
#   submission into a queue whose top job waits for Resources is decided
#   against that job alone, with the outcome of a full pass.  On the
#   2-CPU node with one CPU busy and a 2-CPU job waiting (Resources), new
#   low-priority jobs of its partition get Priority; one in the other
#   partition that would end after the reservation gets the long
#   NodesDown reason, one that ends before it starts at once; a --begin
#   and a --hold job keep their reasons.  A job in a partition with a
#   higher PriorityTier sorts before the top job: a full pass decides it
#   and it starts in the main scheduler although it could not backfill.
#   After a job ends the reasons are a full pass's again.  The daemon
#   runs with BERTH_TEST_SCHED_CHECK=1: after each fast pass it runs a
#   full pass that applies nothing and logs whether both agree; the log
#   must show agreement for the submissions expected to take the fast
#   path, none for the one that must not, and no difference.
# Slurm behaviour copied (30_squeue: the top blocked job waits for
#   Resources, the later ones of its partition for Priority, those of
#   another partition for "Nodes required for job are DOWN, DRAINED or
#   reserved for jobs in higher priority partitions"; sched/backfill: a
#   job that ends before the top job's reserved start runs at once;
#   PriorityTier orders the queue before priority).
. "$(dirname "$0")/lib.sh"

write_conf "ClusterName=ref" \
    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000" \
    "DefMemPerCPU=1000" "KillWait=2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP" \
    "PartitionName=debug MaxTime=30:00 DefaultTime=10:00 State=UP" \
    "PartitionName=high PriorityTier=2 MaxTime=INFINITE State=UP"
BERTH_TEST_SCHED_CHECK=1 start_daemon || done_testing

LOG=$BERTH_STATE_DIR/berthd.log
NODES_DOWN="Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions"
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
start_of() { squeue -h --start -j "$1" -o %S; }
agreed() { grep -c "sched check: fast pass for [0-9]* jobs from job=$1 agrees" "$LOG"; }

submit -J run10 -n 1 -t 10 -o /dev/null --wrap="$(waiter go1)"; r=$JOB
wait_state "$r" RUNNING
submit -J wide -n 2 -t 10 -o /dev/null --wrap="$(waiter go3)"; w=$JOB
wait_reason "$w" Resources
planned=$(start_of "$w")
is "$planned" "$(squeue -h -j "$r" -o %e)" "the wide job waits for the running job's end"

# Later jobs of the same partition (no time limit: they can never run
# before the wide job): Priority, decided by the fast path.
submit -J low1 -n 1 -o /dev/null --wrap=true; l1=$JOB
submit -J low2 -n 1 -o /dev/null --wrap=true; l2=$JOB
wait_reason "$l2" Priority
is "$(job_state "$l1")/$(job_reason "$l1")" PENDING/Priority "low1: Priority"
is "$(agreed "$l1")/$(agreed "$l2")" 1/1 "both taken by the fast path, as a full pass decides"

# The other partition: too long to backfill (NodesDown), short enough (runs).
submit -p debug -J other -n 1 -t 20 -o /dev/null --wrap="$(waiter go4)"; o=$JOB
wait_reason "$o" "$NODES_DOWN"
is "$(agreed "$o")" 1 "the debug job too"
submit -p debug -J short -n 1 -t 5 -o /dev/null --wrap="$(waiter go2)"; s=$JOB
wait_state "$s" RUNNING
is "$(agreed "$s")" 1 "the short debug job started by the fast path"
is "$(job_state "$w")/$(job_reason "$w")/$(start_of "$w")" \
    "PENDING/Resources/$planned" "the wide job keeps its reason and planned start"

# Blocked ones keep their own reasons.
submit -J later -n 1 --begin=now+3600 -o /dev/null --wrap=true; b=$JOB
submit -J held -n 1 -H -o /dev/null --wrap=true; h=$JOB
wait_reason "$b" BeginTime
is "$(job_reason "$h")" JobHeldUser "a held job: JobHeldUser"
is "$(agreed "$b")" 1 "the --begin job by the fast path"

# A higher tier sorts first: a full pass, which starts it in the main
# scheduler (a 60-minute job could never backfill here).
touch go2
wait_done "$s"
submit -p high -J high -n 1 -t 60 -o /dev/null --wrap="$(waiter go5)"; hi=$JOB
wait_state "$hi" RUNNING
is "$(agreed "$hi")" 0 "the higher-tier job was not taken by the fast path"
is "$(job_reason "$w")/$(job_reason "$l1")/$(job_reason "$o")" \
    "Resources/Priority/$NODES_DOWN" "the others keep their reasons"

# A job ends: full pass.  The wide job now waits for the high job's end;
# the debug job (20 minutes) ends before that and starts.
touch go1
wait_done "$r"
wait_state "$o" RUNNING
is "$(job_state "$w")/$(job_reason "$w")/$(start_of "$w")" \
    "PENDING/Resources/$(squeue -h -j "$hi" -o %e)" \
    "after the end: the wide job waits for the high job"
is "$(job_reason "$l1")/$(job_reason "$l2")" Priority/Priority \
    "the low jobs: Priority"
# The next submission after a full pass that started a job is decided by
# a full pass; the one after that by the fast path again.
submit -J low3 -n 1 -o /dev/null --wrap=true; l3=$JOB
submit -J low4 -n 1 -o /dev/null --wrap=true; l4=$JOB
wait_reason "$l4" Priority
is "$(job_reason "$l3")" Priority "low3: Priority"
is "$(agreed "$l4")" 1 "low4 by the fast path"

# The wide job starts once both CPUs are free; the first low job is then
# the top one.
touch go4 go5
wait_state "$w" RUNNING
wait_reason "$l1" Resources
is "$(job_reason "$l2")/$(job_reason "$l3")" Priority/Priority \
    "the later low jobs: Priority"
touch go3
wait_done "$w"

n=$(grep -c "sched check: .* differs\|sched check: job=" "$LOG")
is "$n" 0 "no fast pass differed from a full pass"
scancel "$l1" "$l2" "$l3" "$l4" "$b" "$h"
done_testing
