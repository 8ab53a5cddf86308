#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: --constraint against the node's Feature= list (&, |, [..],
#   counts), --nodelist and --exclude of the one node, and Slurm's
#   submit-time refusals of what can never run on it; scontrol show job
#   keeps Features=.
# Slurm behaviour copied: an unsatisfiable feature or node request is
#   refused at submission ("Invalid feature specification", "Invalid node
#   name specified", "Requested node configuration is not available"),
#   exit 1, and no job is created.
. "$(dirname "$0")/lib.sh"

write_conf_ref "Feature=a100,ib"
start_daemon || done_testing

submit -o c1.out -C 'a100&ib' --wrap='echo ok'; c1=$JOB
wait_done "$c1"
is "$(job_state "$c1")" COMPLETED "-C a100&ib runs on a node with both"
submit -o /dev/null -C '[v100|a100]' --wrap=true; c2=$JOB
wait_done "$c2"
is "$(job_state "$c2")" COMPLETED "-C with a matching-or bracket runs"
run scontrol show job "$c2"
like "$OUT" "Features=\\[v100\\|a100\\]" "scontrol show job keeps Features="

before=$(sacct -n -X -P -o JobID | wc -l)
run sbatch -o /dev/null -C v100 --wrap=true
is "$RC/$OUT" "1/" "-C with a feature the node lacks: exit 1"
is "$ERR" "sbatch: error: Batch job submission failed: Invalid feature specification" \
    "with Slurm's message"
for bad in 'a100&' '[a100' 'a100||ib' '&ib'; do
	run sbatch -o /dev/null -C "$bad" --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Invalid feature specification" \
	    "a malformed constraint ($bad) is refused with Slurm's message"
done

submit -o /dev/null -w "$HOST" --wrap=true; n1=$JOB
wait_done "$n1"
is "$(job_state "$n1")" COMPLETED "--nodelist naming this node runs"
is "$(sacct -n -X -P -o JobID | wc -l)" "$((before + 1))" \
    "the refused constraints created no job"
before=$((before + 1))
run sbatch -o /dev/null -w nosuchnode --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid node name specified" \
    "--nodelist with another node: Slurm's error"
run sbatch -o /dev/null -x "$HOST" --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Requested node configuration is not available" \
    "--exclude of the only node: Slurm's error"
is "$(sacct -n -X -P -o JobID | wc -l)" "$before" \
    "the refused node requests created no job"

done_testing
