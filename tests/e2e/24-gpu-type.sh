#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the GPU type of sbatch/srun/salloc --gpus=TYPE:N and
#   --gpus-per-task=TYPE:N checked against the node's Gres type
#   (Gres=gpu:TYPE:N in berth.conf; an untyped Gres=gpu:N has none), as
#   --gres=gpu:TYPE:N and --gpus-per-node=TYPE:N already were.
# Slurm behaviour copied (checked on real Slurm 22.05.8, node Gres=gpu:2):
#   `srun --gpus=tesla:1` prints "srun: error: Unable to allocate
#   resources: Requested node configuration is not available", exit 1;
#   salloc "salloc: error: Job submit/allocate failed: Requested node
#   configuration is not available", exit 1; sbatch "sbatch: error:
#   Batch job submission failed: Requested node configuration is not
#   available", exit 1 (`--gpus=gpu:1` too: "gpu" is read as the type).
. "$(dirname "$0")/lib.sh"

# Untyped GPUs (the reference machine).
write_conf_ref
start_daemon || done_testing

run srun --gpus=tesla:1 true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Requested node configuration is not available" \
    "srun --gpus=TYPE:1 on untyped GPUs refused"
run srun -n 2 --gpus-per-task=tesla:1 true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Requested node configuration is not available" \
    "srun --gpus-per-task=TYPE:1 refused"
run salloc --gpus=tesla:1 true
is "$RC/$ERR" "1/salloc: error: Job submit/allocate failed: Requested node configuration is not available" \
    "salloc --gpus=TYPE:1 refused"
run sbatch --gpus=tesla:1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Requested node configuration is not available" \
    "sbatch --gpus=TYPE:1 refused"
run sbatch -n 2 --gpus-per-task=tesla:1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Requested node configuration is not available" \
    "sbatch --gpus-per-task=TYPE:1 refused"
run srun --gpus=gpu:1 true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Requested node configuration is not available" \
    "--gpus=gpu:1: 'gpu' is a type the node does not have"
run srun --gpus=1 bash -c 'echo $CUDA_VISIBLE_DEVICES'
is "$RC/$OUT" "0/0" "an untyped --gpus=1 runs"
run squeue -h
is "$OUT" "" "nothing refused was queued"
stop_daemon

# Typed GPUs.
write_conf "ClusterName=ref" \
    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000 Gres=gpu:tesla:2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
start_daemon || done_testing
run srun --gpus=tesla:1 bash -c 'echo $CUDA_VISIBLE_DEVICES'
is "$RC/$OUT" "0/0" "srun --gpus=tesla:1 on tesla GPUs runs"
run salloc --gpus=tesla:2 true
is "$RC" 0 "salloc --gpus=tesla:2 is granted"
JOB=$(sbatch --parsable --gpus=tesla:1 -o typed.out --wrap='echo $CUDA_VISIBLE_DEVICES')
wait_done "$JOB"
is "$(job_state "$JOB")/$(cat typed.out 2>/dev/null)" "COMPLETED/0" \
    "sbatch --gpus=tesla:1 on tesla GPUs runs"
run sbatch --gpus=v100:1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Requested node configuration is not available" \
    "sbatch: another type is refused"
run srun --gpus=v100:1 true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Requested node configuration is not available" \
    "another type is refused"
run srun --gpus=1 true
is "$RC" 0 "an untyped request is fine on typed GPUs"
done_testing
