#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: EnforcePartLimits: NO (the default) lets requests over a
#   partition's limits pend; ANY/ALL refuse them at submission (MaxTime,
#   MaxMemPerNode, more nodes than the partition has) with Slurm's
#   messages, exit 1, and no job; requests the partition limits do not
#   cover (-c 999, MaxCPUsPerNode) still pend; scontrol show config shows
#   the setting; a bad value is refused by scontrol reconfigure; scontrol
#   show partition and sinfo -O show MaxCPUsPerNode and MaxMemPerNode.
# Slurm behaviour copied (slurm.conf EnforcePartLimits, default NO, 00_info
#   "EnforcePartLimits = NO"; job_mgr.c _valid_job_part: ESLURM_INVALID_
#   NODE_COUNT "Node count specification invalid", ESLURM_INVALID_TIME_
#   LIMIT "Requested time limit is invalid (missing or exceeds some
#   limit)", ESLURM_INVALID_TASK_MEMORY "Memory required by task is not
#   available"; sbatch: "Batch job submission failed: <error>", exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
echo "PartitionName=small MaxMemPerNode=4000 MaxCPUsPerNode=1 State=UP" >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing
run scontrol show partition small
like "$OUT" "MaxCPUsPerNode=1" "show partition: MaxCPUsPerNode=1"
like "$OUT" "DefMemPerNode=UNLIMITED MaxMemPerNode=4000" "show partition: MaxMemPerNode=4000"
run scontrol show partition cpu
like "$OUT" "MaxCPUsPerNode=UNLIMITED" "... UNLIMITED where not set"
like "$OUT" "MaxMemPerNode=UNLIMITED" "... UNLIMITED where not set"
run sinfo -h -p small -O PartitionName,MaxCPUsPerNode
is "$(tr -s ' ' <<<"$OUT")" "small 1 " "sinfo -O MaxCPUsPerNode"
submit -o /dev/null -p small -c 2 --wrap=true; p2=$JOB
wait_reason "$p2" PartitionConfig
is "$(job_reason "$p2")" PartitionConfig "-c 2 over MaxCPUsPerNode=1 pends (PartitionConfig)"
run scancel "$p2"
run scontrol show config
like "$OUT" "EnforcePartLimits *= NO" "show config: EnforcePartLimits = NO by default"
submit -o /dev/null -p debug -t 60 --wrap=true; p1=$JOB
wait_reason "$p1" PartitionConfig
is "$(job_reason "$p1")" PartitionConfig "NO: -p debug -t 60 pends (PartitionConfig)"
run scancel "$p1"

echo "EnforcePartLimits=ALL" >>"$BERTH_STATE_DIR/berth.conf"
run scontrol reconfigure
is "$RC/$ERR" "0/" "reconfigure with EnforcePartLimits=ALL"
run scontrol show config
like "$OUT" "EnforcePartLimits *= ALL" "show config: ALL"
before=$(sacct -n -X -P -o JobID | wc -l)
run sbatch -o /dev/null -p debug -t 60 --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)" \
    "-t over MaxTime refused"
run sbatch -o /dev/null -N 2 --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Node count specification invalid" \
    "-N 2 on a one-node partition refused"
run sbatch -o /dev/null -p small --mem=5000 --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Memory required by task is not available" \
    "--mem over MaxMemPerNode refused"
is "$(sacct -n -X -P -o JobID | wc -l)" "$before" "no job was created"
submit -o /dev/null -p debug -t 20 --wrap=true; ok1=$JOB
submit -o /dev/null -p small --mem=3000 --wrap=true; ok2=$JOB
wait_done "$ok1"
wait_done "$ok2"
is "$(job_state "$ok1")/$(job_state "$ok2")" "COMPLETED/COMPLETED" "requests within the limits run"
submit -o /dev/null -c 999 --wrap=true; c=$JOB
wait_reason "$c" PartitionConfig
is "$(job_reason "$c")" PartitionConfig "-c 999 (no partition limit) still pends"
run scancel "$c"

sed -i 's/^EnforcePartLimits=ALL$/EnforcePartLimits=maybe/' "$BERTH_STATE_DIR/berth.conf"
run scontrol reconfigure
is "$RC" 1 "EnforcePartLimits=maybe: reconfigure refused"
like "$ERR" "^slurm_reconfigure error: .*invalid EnforcePartLimits value 'maybe'" \
    "... with the parse error"
run sbatch -o /dev/null -p debug -t 60 --wrap=true
is "$RC" 1 "and the old setting (ALL) still holds"

done_testing
