#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: srun's errors for a step asking for GPUs its allocation does
#   not have, with and without -v.
# Slurm behaviour copied (checked on real Slurm 22.05.8): in an
#   allocation without GPUs, a step with --gpus-per-task=1, -G 1,
#   --gres=gpu:1 or --gpus-per-node=1 gets two lines, "srun: error: Step
#   requested GRES but job doesn't have GRES" and "srun: error: Unable to
#   create step for job N: Invalid generic resource (gres) specification",
#   exit 1; in a one-GPU allocation -G 2 gets the second line (Slurm adds
#   "Step requested gres=gpu:2 is more than the job's gres=gpu:1" first,
#   berth does not: docs/compat.md).  What the step needs on the node is
#   the largest of its --gres, --gpus-per-node and --gpus-per-task times
#   its tasks, ahead of --gpus (for a -G job also SLURM_GPUS): in a -G 1
#   allocation --gres=gpu:2, --gpus-per-task=2, "--gpus=1 --gres=gpu:2"
#   and --gpus-per-node=2 get the second line, exit 1; in a -G 2 one
#   --gres=gpu:1, "--gpus=2 --gres=gpu:1", "--gpus=2 --gpus-per-task=1"
#   and --gpus-per-node=1 get one GPU, a count of 0 (--gres=gpu:0) both
#   of the job's.  With -v a GPU request error comes
#   after the option table and the allocation's line ("jobid N:
#   nodes(1):`vm', cpu counts: 1(x1)").
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

for g in --gpus-per-task=1 '-G 1' --gres=gpu:1 --gpus-per-node=1; do
	# shellcheck disable=SC2086
	run salloc -n1 srun $g true
	like "$RC/$ERR" "^1/salloc: Granted job allocation ([0-9]+)
srun: error: Step requested GRES but job doesn't have GRES
srun: error: Unable to create step for job [0-9]+: Invalid generic resource \(gres\) specification
salloc: Relinquishing job allocation [0-9]+$" \
	    "srun $g in an allocation without GPUs: the reason, then the error"
done
run salloc -n1 -G1 srun -G 2 true
like "$RC/$ERR" "^1/salloc: Granted job allocation [0-9]+
srun: error: Unable to create step for job [0-9]+: Invalid generic resource \(gres\) specification
salloc: Relinquishing job allocation [0-9]+$" \
    "srun -G 2 in a one-GPU allocation: refused"
# The step's own per-node or per-task count, not the job's SLURM_GPUS
# (its --gpus), says what it needs on the node.
for g in --gres=gpu:2 --gpus-per-task=2 '--gpus=1 --gres=gpu:2' \
    --gpus-per-node=2; do
	# shellcheck disable=SC2086
	run salloc -n1 -G1 srun $g true
	like "$RC/$ERR" "^1/salloc: Granted job allocation [0-9]+
srun: error: Unable to create step for job [0-9]+: Invalid generic resource \(gres\) specification
salloc: Relinquishing job allocation [0-9]+$" \
	    "srun $g in a one-GPU allocation: refused"
done
for g in --gres=gpu:1 '--gpus=2 --gres=gpu:1' '--gpus=2 --gpus-per-task=1' \
    --gpus-per-node=1; do
	# shellcheck disable=SC2086
	run salloc -n1 -G2 srun $g printenv CUDA_VISIBLE_DEVICES
	is "$RC/$OUT" "0/0" "srun $g in a two-GPU allocation: one GPU"
done
for g in --gres=gpu:0 --gpus-per-task=0 --gpus-per-node=0; do
	run salloc -n1 -G2 srun $g printenv CUDA_VISIBLE_DEVICES
	is "$RC/$OUT" "0/0,1" "srun $g in a two-GPU allocation: the job's GPUs"
done
run salloc -n1 srun -v --gres=gpu:x:y:z true
like "$RC/$ERR" "^1/salloc: Granted job allocation [0-9]+
srun: defined options
(srun: .*
)*srun: end of defined options
srun: jobid [0-9]+: nodes\(1\):\`$HOST', cpu counts: 1\(x1\)
srun: error: Invalid generic resource \(gres\) specification
salloc: Relinquishing job allocation [0-9]+$" \
    "srun -v with a malformed --gres in an allocation: after the table"

done_testing
