#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: SLURM_GPUS, SLURM_GPUS_PER_NODE, SLURM_GPUS_PER_TASK,
#   SLURM_STEP_GPUS and SLURM_JOB_GPUS in jobs and steps of sbatch, srun
#   and salloc asked with --gpus, --gpus-per-node, --gpus-per-task and
#   --gres, typed (Gres=gpu:tesla:2) and not.
# Slurm behaviour copied (checked on real Slurm 22.05.8, node
#   Gres=gpu:tesla:2, gres.conf Type=tesla): sbatch and salloc export
#   --gpus=X as SLURM_GPUS=X, --gpus-per-node=X as SLURM_GPUS_PER_NODE=X,
#   --gpus-per-task=X as SLURM_GPUS_PER_TASK=X, exactly as given
#   ("tesla:1", "1"); --gres=gpu:tesla:1 exports none of them.  A batch
#   job also has CUDA_VISIBLE_DEVICES, GPU_DEVICE_ORDINAL, SLURM_JOB_GPUS
#   and SLURM_GPUS_ON_NODE; salloc's command only the SLURM_GPUS* one.
#   A step of srun outside an allocation has CUDA_VISIBLE_DEVICES,
#   GPU_DEVICE_ORDINAL, SLURM_GPUS_ON_NODE and SLURM_STEP_GPUS (no
#   SLURM_GPUS*, no SLURM_JOB_GPUS); inside salloc or sbatch it also
#   inherits the allocation's SLURM_GPUS* (and the batch job's
#   SLURM_JOB_GPUS).  An --exclusive job gets every GPU (CUDA_VISIBLE_DEVICES
#   =0,1, gres/gpu=2 in AllocTRES).
. "$(dirname "$0")/lib.sh"

write_conf "ClusterName=ref" \
    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000 Gres=gpu:tesla:2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
start_daemon || done_testing

cat >gpuenv.sh <<'X'
#!/bin/sh
env | grep -E '^(SLURM_[A-Z_]*GPU|CUDA_VISIBLE|GPU_DEVICE)' | sort | paste -sd' '
X
printf '#!/bin/sh\nsrun ./gpuenv.sh\n' >step.sh
chmod +x gpuenv.sh step.sh

batch() {	# batch OPTS...: the GPU variables of a batch job
	local j
	j=$(sbatch --parsable -o "b_$$.out" "$@" "${SCRIPT:-./gpuenv.sh}") ||
	    return
	wait_done "$j"
	cat "b_$$.out"
}

dev="CUDA_VISIBLE_DEVICES=0 GPU_DEVICE_ORDINAL=0"
is "$(batch --gpus=tesla:1)" \
    "$dev SLURM_GPUS=tesla:1 SLURM_GPUS_ON_NODE=1 SLURM_JOB_GPUS=0" \
    "sbatch --gpus=tesla:1: SLURM_GPUS=tesla:1"
# --exclusive takes the whole node, GPUs too (real 22.05:
# CUDA_VISIBLE_DEVICES=0,1 in the job; 18_sbatch_exclusive's AllocTRES
# has gres/gpu=2).
is "$(batch --exclusive)" \
    "CUDA_VISIBLE_DEVICES=0,1 GPU_DEVICE_ORDINAL=0,1 SLURM_GPUS_ON_NODE=2 SLURM_JOB_GPUS=0,1" \
    "sbatch --exclusive: every GPU"
last=$(sacct -n -X -P -o JobID | tail -n 1)
is "$(sacct -n -X -P -o AllocTRES -j "$last")" \
    "billing=2,cpu=2,gres/gpu=2,mem=20000M,node=1" \
    "... and sacct's AllocTRES counts them"
is "$(batch --gpus-per-node=tesla:1)" \
    "$dev SLURM_GPUS_ON_NODE=1 SLURM_GPUS_PER_NODE=tesla:1 SLURM_JOB_GPUS=0" \
    "sbatch --gpus-per-node=tesla:1: SLURM_GPUS_PER_NODE"
is "$(batch -n 1 --gpus-per-task=tesla:1)" \
    "$dev SLURM_GPUS_ON_NODE=1 SLURM_GPUS_PER_TASK=tesla:1 SLURM_JOB_GPUS=0" \
    "sbatch --gpus-per-task=tesla:1: SLURM_GPUS_PER_TASK"
is "$(batch --gres=gpu:tesla:1)" \
    "$dev SLURM_GPUS_ON_NODE=1 SLURM_JOB_GPUS=0" \
    "sbatch --gres=gpu:tesla:1: none of them"
is "$(batch -n 1 --gpus-per-task=1)" \
    "$dev SLURM_GPUS_ON_NODE=1 SLURM_GPUS_PER_TASK=1 SLURM_JOB_GPUS=0" \
    "sbatch --gpus-per-task=1 (untyped)"
is "$(SLURM_GPUS=tesla:2 SLURM_GPUS_PER_NODE=2 batch --export=NONE)" "" \
    "an inherited SLURM_GPUS* does not reach a job without GPUs"
is "$(SCRIPT=./step.sh batch --gpus=tesla:1)" \
    "$dev SLURM_GPUS=tesla:1 SLURM_GPUS_ON_NODE=1 SLURM_JOB_GPUS=0 SLURM_STEP_GPUS=0" \
    "a step in the batch job inherits SLURM_GPUS, SLURM_JOB_GPUS"

run srun --gpus=tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/$dev SLURM_GPUS_ON_NODE=1 SLURM_STEP_GPUS=0" \
    "srun --gpus=tesla:1: SLURM_STEP_GPUS, no SLURM_GPUS"
run srun -n 1 --gpus-per-task=tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/$dev SLURM_GPUS_ON_NODE=1 SLURM_STEP_GPUS=0" \
    "srun --gpus-per-task=tesla:1: the same"

run salloc --gpus=tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/SLURM_GPUS=tesla:1" "salloc --gpus=tesla:1"
run salloc --gpus-per-node=tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/SLURM_GPUS_PER_NODE=tesla:1" "salloc --gpus-per-node=tesla:1"
run salloc -n 1 --gpus-per-task=tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/SLURM_GPUS_PER_TASK=tesla:1" "salloc --gpus-per-task=tesla:1"
run salloc --gres=gpu:tesla:1 ./gpuenv.sh
is "$RC/$OUT" "0/" "salloc --gres=gpu:tesla:1: none"
run salloc --gpus=tesla:1 srun ./gpuenv.sh
is "$RC/$OUT" "0/$dev SLURM_GPUS=tesla:1 SLURM_GPUS_ON_NODE=1 SLURM_STEP_GPUS=0" \
    "srun inside salloc inherits SLURM_GPUS"

done_testing
