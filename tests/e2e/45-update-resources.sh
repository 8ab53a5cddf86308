#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol update job NumCPUs=, MinMemoryNode=/MinMemoryCPU= and
#   Gres= of a pending job (seen in scontrol show job and squeue %C %m
#   %b, and acted on: a job raised to both CPUs waits for both), their
#   bad values (client-side messages, and the daemon's for what the node
#   can never give) changing nothing, and the same keys refused for a
#   running job.
# Slurm behaviour copied (scontrol/update_job.c: "Invalid NumCPUs value:
#   abc", "Invalid MinMemoryCPU value: abc", exit 1 before anything is
#   sent; job_mgr.c update_job: ESLURM_JOB_NOT_PENDING "Job is no longer
#   pending execution", ESLURM_INVALID_GRES, "Requested node configuration
#   is not available", each "<error> for job N", exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit --hold -o /dev/null --wrap=true; h=$JOB
run scontrol update jobid="$h" NumCPUs=2 MinMemoryNode=3000 Gres=gpu:1
is "$RC/$ERR" "0/" "update NumCPUs=2 MinMemoryNode=3000 Gres=gpu:1"
run scontrol show job "$h"
like "$OUT" "NumCPUs=2 " "show job: NumCPUs=2"
like "$OUT" "MinMemoryNode=3000M" "show job: MinMemoryNode=3000M"
like "$OUT" "TRES=cpu=2,mem=3000M,node=1,billing=2,gres/gpu=1" "show job: TRES"
is "$(squeue -h -j "$h" -o '%C %m %b')" "2 3000M gres:gpu:1" "squeue %C %m %b"

run scontrol update jobid="$h" NumCPUs=abc
is "$RC/$ERR" "1/scontrol: error: Invalid NumCPUs value: abc" "NumCPUs=abc"
run scontrol update jobid="$h" MinMemoryCPU=abc
is "$RC/$ERR" "1/scontrol: error: Invalid MinMemoryCPU value: abc" "MinMemoryCPU=abc"
run scontrol update jobid="$h" Gres=foo:1
is "$RC/$ERR" "1/Invalid generic resource (gres) specification for job $h" "Gres=foo:1"
run scontrol update jobid="$h" Gres=gpu:9
is "$RC/$ERR" "1/Requested node configuration is not available for job $h" \
    "Gres=gpu:9 (the node has 2)"
run scontrol update jobid="$h" MinMemoryNode=30000
is "$RC/$ERR" "1/Requested node configuration is not available for job $h" \
    "MinMemoryNode=30000 (the node has 20000)"
is "$(squeue -h -j "$h" -o '%C %m %b')" "2 3000M gres:gpu:1" "the bad values changed nothing"

# Acted on: with one CPU busy the 2-CPU job waits for Resources.
submit -o /dev/null --wrap="while [ ! -e go ]; do sleep 0.05; done"; r=$JOB
wait_state "$r" RUNNING
run scontrol release "$h"
wait_reason "$h" Resources
is "$(job_reason "$h")" Resources "released, it waits for both CPUs"
run scontrol update jobid="$r" NumCPUs=2
is "$RC/$ERR" "1/Job is no longer pending execution for job $r" "NumCPUs of a running job"
touch go
wait_done "$h"
is "$(sacct -n -X -P -o State,AllocCPUS -j "$h")" "COMPLETED|2" "then it ran on 2 CPUs"

done_testing
