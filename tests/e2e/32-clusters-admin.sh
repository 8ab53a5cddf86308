#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: -M/--clusters of sinfo, scontrol, scancel and sprio with the
#   daemon's own ClusterName (any case, "all"), with names it does not
#   have, and with a mix of both (squeue and sacct: 31-clusters.sh).
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref"):
#   sinfo -M ref prints "CLUSTER: ref" before the table (after -l's date
#   line; not with -h); scontrol, scancel and sprio print no such line.
#   Each tool with -M nosuch prints "TOOL: error: No cluster 'nosuch'
#   known by database." and "TOOL: error: 'nosuch' can't be reached now,
#   or it is an invalid entry for --cluster.  Use 'sacctmgr list
#   clusters' to see available clusters.", exit 1, and does nothing
#   else; -M nosuch,ref prints the first line and goes on (scontrol -M
#   ref,nosuch show job: the line, then "No jobs in the system", exit 0;
#   scancel -M nosuch,ref -u alice cancels alice's job).
. "$(dirname "$0")/lib.sh"

write_conf "ClusterName=ref" \
    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000" \
    "PriorityType=priority/multifactor" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
start_daemon || done_testing

unknown() {	# unknown TOOL LIST: Slurm's two lines for a list of unknowns
	printf "%s: error: No cluster '%s' known by database.\n" "$1" "$2"
	printf "%s: error: '%s' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." "$1" "$2"
}

run sinfo -M ref -o '%P %a'
is "$RC/$OUT/$ERR" "0/CLUSTER: ref
PARTITION AVAIL
cpu* up/" "sinfo -M ref: CLUSTER line, then the table"
run sinfo --clusters=REF -h -o '%P'
is "$RC/$OUT/$ERR" "0/cpu*/" "--clusters, any case; -h drops the CLUSTER line"
run sinfo -M all -l -o '%P'
like "$OUT" $'^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}\nCLUSTER: ref\nPARTITION\ncpu\\*$' \
    "sinfo -M all -l: the date line, then CLUSTER"
run sinfo -M nosuch
is "$RC/$OUT/$ERR" "1//$(unknown sinfo nosuch)" "sinfo -M unknown: exit 1"
run sinfo -M nosuch,ref -h -o '%P'
is "$RC/$OUT/$ERR" "0/cpu*/sinfo: error: No cluster 'nosuch' known by database." \
    "sinfo: a known and an unknown cluster"

submit -J held -H -o /dev/null --wrap=true; h=$JOB
run scontrol -M ref show job "$h"
like "$RC/$OUT" "^0/JobId=$h JobName=held" "scontrol -M ref show job"
run scontrol -M nosuch show job "$h"
is "$RC/$OUT/$ERR" "1//$(unknown scontrol nosuch)" \
    "scontrol -M unknown: exit 1 before the command"
run scontrol -M all ping
like "$RC/$OUT" "^0/Slurmctld\\(primary\\) at .* is UP" "scontrol -M all ping"
run scontrol -M ref,nosuch -o show job "$h"
like "$RC/$ERR/$OUT" "^0/scontrol: error: No cluster 'nosuch' known by database./JobId=$h " \
    "scontrol: a known and an unknown cluster"

w=$(sprio -w)
run sprio -M ref -w
is "$RC/$OUT/$ERR" "0/$w/" "sprio -M ref: no CLUSTER line"
run sprio --clusters=all,nosuch -w
is "$RC/$OUT/$ERR" "0/$w/sprio: error: No cluster 'nosuch' known by database." \
    "sprio: a known and an unknown cluster"
run sprio -M nosuch -w
is "$RC/$OUT/$ERR" "1//$(unknown sprio nosuch)" "sprio -M unknown: exit 1"

run scancel -M nosuch "$h"
is "$RC/$OUT/$ERR/$(job_state "$h")" "1//$(unknown scancel nosuch)/PENDING" \
    "scancel -M unknown: exit 1, the job is left alone"
run scancel -M Ref "$h"
is "$RC/$OUT/$ERR/$(job_state "$h")" "0///CANCELLED" "scancel -M ref cancels"
submit -J held2 -H -o /dev/null --wrap=true; h2=$JOB
run scancel -M nosuch,ref -n held2
is "$RC/$OUT/$ERR/$(job_state "$h2")" \
    "0//scancel: error: No cluster 'nosuch' known by database./CANCELLED" \
    "scancel: a known and an unknown cluster"

done_testing
