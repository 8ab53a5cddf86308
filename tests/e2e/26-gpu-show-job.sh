#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the GPU request lines of `scontrol show job` (TresPerJob from
#   --gpus, TresPerNode from --gpus-per-node and --gres, TresPerTask from
#   --gpus-per-task) for jobs from sbatch, salloc and srun, kept across a
#   daemon restart; `scontrol show job -d`'s JOB_GRES and GRES= with and
#   without a GPU type configured; the node's type in `scontrol show node`
#   and `sinfo -o %G`; a request with and without a type refused.
# Slurm behaviour copied (checked on real Slurm 22.05.8, node Gres=gpu:2
# and Gres=gpu:tesla:2):
#   * After "Power=", in this order and only when requested:
#     "TresPerJob=gres:gpu:2" (--gpus as given after "gpu:", e.g.
#     gres:gpu:tesla:1), "TresPerNode=gres:gpu:2" (--gpus-per-node, then
#     each --gres item: "--gres=gpu:1 --gpus-per-node=2" is
#     "gres:gpu:2,gres:gpu:1" and TRES gres/gpu=2; "--gres=gpu" is
#     "gres:gpu"; "--gres=gres:gpu:1" is "gres:gpu:1"; --gres=none prints
#     nothing), "TresPerTask=gres:gpu:1" (--gpus-per-task).
#   * squeue -O tres-per-job,tres-per-node,tres-per-task: the same
#     strings, "N/A" for none, 20 columns each.
#   * -d on a running job: "JOB_GRES=gpu:N" and "GRES=gpu:N(IDX:0-1)"; on a
#     node with Gres=gpu:tesla:2 the type shows whether or not the request
#     named it: "JOB_GRES=gpu:tesla:1", "GRES=gpu:tesla:1(IDX:0)".
#   * "-G tesla:2 --gpus-per-task=1 -n 2", "--gres=gpu:1 -G tesla:1":
#     "sbatch: error: Invalid GRES specification (with and without type
#     identification)", exit 1; salloc and srun likewise.
. "$(dirname "$0")/lib.sh"

# tres ID: the job's TresPer* lines, and the line before them.
tres() {
	scontrol show job "$1" | sed -n '/^   Power=/,$p' | sed '/^ *$/d'
}
P='   Power='

write_conf_ref
start_daemon || done_testing

check() {	# check "OPTIONS" "EXPECTED LINES" [TRES]
	local opts=$1 want=$2
	# shellcheck disable=SC2086
	submit -H $opts --wrap=true || return
	is "$(tres "$JOB")" "$want" "sbatch $opts: TresPer lines"
	if [ -n "${3:-}" ]; then
		like "$(scontrol show job "$JOB")" "TRES=$3"$'\n' \
		    "sbatch $opts: TRES $3"
	fi
}

check "--gpus=1" "$P
   TresPerJob=gres:gpu:1"
check "--gpus=2 -n 2" "$P
   TresPerJob=gres:gpu:2"
check "--gpus-per-task=1 -n 2" "$P
   TresPerTask=gres:gpu:1" "cpu=2,mem=2000M,node=1,billing=2,gres/gpu=2"
check "--gpus-per-node=2" "$P
   TresPerNode=gres:gpu:2"
check "--gres=gpu:2" "$P
   TresPerNode=gres:gpu:2"
check "--gres=gpu" "$P
   TresPerNode=gres:gpu"
check "--gres=gres:gpu:1" "$P
   TresPerNode=gres:gpu:1"
check "--gres=none" "$P"
check "-G 2 --gpus-per-task=1 -n 2" "$P
   TresPerJob=gres:gpu:2
   TresPerTask=gres:gpu:1"
check "--gpus=2 --gpus-per-node=2" "$P
   TresPerJob=gres:gpu:2
   TresPerNode=gres:gpu:2"
check "--gres=gpu:1 --gpus=1" "$P
   TresPerJob=gres:gpu:1
   TresPerNode=gres:gpu:1"
check "--gres=gpu:1 --gpus-per-node=2" "$P
   TresPerNode=gres:gpu:2,gres:gpu:1" \
    "cpu=1,mem=1000M,node=1,billing=1,gres/gpu=2"
check "--gpus-per-node=1 --gres=gpu:2" "$P
   TresPerNode=gres:gpu:1,gres:gpu:2" \
    "cpu=1,mem=1000M,node=1,billing=1,gres/gpu=2"
check "--gpus=1 --gpus-per-node=1 --gpus-per-task=1 -n 1" "$P
   TresPerJob=gres:gpu:1
   TresPerNode=gres:gpu:1
   TresPerTask=gres:gpu:1"
KEEP=$JOB
check "-n 1" "$P"
# squeue -O: the same strings, N/A for none, 20 columns each (cut).
run squeue -h -j "$KEEP" -O tres-per-job,tres-per-node,tres-per-task
is "$OUT" "gres:gpu:1          gres:gpu:1          gres:gpu:1          " \
    "squeue -O tres-per-job,tres-per-node,tres-per-task"
run squeue -h -j "$JOB" -O tres-per-job,tres-per-node,tres-per-task
is "$OUT" "N/A                 N/A                 N/A                 " \
    "squeue -O tres-per-*: N/A without a GPU request"

# The record keeps them over a restart (the store's copy).
stop_daemon
start_daemon || done_testing
is "$(tres "$KEEP")" "$P
   TresPerJob=gres:gpu:1
   TresPerNode=gres:gpu:1
   TresPerTask=gres:gpu:1" "TresPer lines kept over a daemon restart"
run scontrol show job "$KEEP"
like "$OUT" "   TresPerTask=gres:gpu:1"$'\n   $' \
    "the record still ends with its blank line"
run scancel -u "$(id -un)"

# salloc's job.
run salloc -G 1 --gpus-per-task=1 -n 1 bash -c \
    'scontrol show job $SLURM_JOB_ID | grep "^   TresPer"'
is "$RC/$OUT" "0/   TresPerJob=gres:gpu:1
   TresPerTask=gres:gpu:1" "salloc's job has TresPerJob and TresPerTask"

run srun --gpus-per-node=1 --gres=gpu:1 bash -c \
    'scontrol show job $SLURM_JOB_ID | grep "^   TresPer"'
is "$RC/$OUT" "0/   TresPerNode=gres:gpu:1,gres:gpu:1" \
    "srun's job has TresPerNode"

# -d on running jobs, untyped GPUs.
submit --gres=gpu:2 -o /dev/null --wrap='sleep 60'
wait_state "$JOB" RUNNING
run scontrol show job -d "$JOB"
like "$OUT" $'\n   JOB_GRES=gpu:2\n     Nodes=[^ ]* CPU_IDs=0 Mem=1000 GRES=gpu:2\\(IDX:0-1\\)\n' \
    "-d: JOB_GRES=gpu:2 and GRES=gpu:2(IDX:0-1) without a type"
run scancel "$JOB"
wait_done "$JOB"
run scontrol show node
like "$OUT" $'\n   Gres=gpu:2\n' "show node: Gres=gpu:2"
stop_daemon

# Typed GPUs.
write_conf "ClusterName=ref" \
    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000 Gres=gpu:tesla:2" \
    "DefMemPerCPU=1000" "KillWait=2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
start_daemon || done_testing

check "--gpus=tesla:1" "$P
   TresPerJob=gres:gpu:tesla:1"
check "--gres=gpu:tesla:2" "$P
   TresPerNode=gres:gpu:tesla:2"
check "--gres=gpu:tesla" "$P
   TresPerNode=gres:gpu:tesla"
check "--gpus-per-task=tesla:1 -n 2" "$P
   TresPerTask=gres:gpu:tesla:1"
check "--gpus-per-node=tesla:1" "$P
   TresPerNode=gres:gpu:tesla:1"
check "-G tesla:2 --gpus-per-task=tesla:1 -n 2" "$P
   TresPerJob=gres:gpu:tesla:2
   TresPerTask=gres:gpu:tesla:1"
check "--gres=gpu:tesla:1 --gpus-per-node=tesla:2" "$P
   TresPerNode=gres:gpu:tesla:2,gres:gpu:tesla:1"
run scancel -u "$(id -un)"

mixed="Invalid GRES specification (with and without type identification)"
run sbatch -G tesla:2 --gpus-per-task=1 -n 2 --wrap=true
is "$RC/$ERR" "1/sbatch: error: $mixed" "sbatch: typed -G, untyped --gpus-per-task"
run sbatch --gres=gpu:1 -G tesla:1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: $mixed" "sbatch: untyped --gres, typed -G"
run sbatch --gres=gpu -G tesla:1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: $mixed" "sbatch: --gres=gpu, typed -G"
run sbatch --gpus-per-node=tesla:1 --gpus-per-task=1 -n 1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: $mixed" "sbatch: typed --gpus-per-node, untyped --gpus-per-task"
run srun -n 1 -G tesla:1 --gpus-per-task=1 true
is "$RC/$ERR" "1/srun: error: $mixed" "srun: typed and untyped"
run salloc -n 1 -G tesla:1 --gpus-per-task=1 true
is "$RC/$ERR" "1/salloc: error: $mixed" "salloc: typed and untyped"
run squeue -h
is "$OUT" "" "nothing refused was queued"

# -d: the node's type, whether or not the request named it.
submit --gpus=1 -o /dev/null --wrap='sleep 60'
wait_state "$JOB" RUNNING
run scontrol show job -d "$JOB"
like "$OUT" $'\n   JOB_GRES=gpu:tesla:1\n     Nodes=[^ ]* CPU_IDs=0 Mem=1000 GRES=gpu:tesla:1\\(IDX:0\\)\n' \
    "-d: JOB_GRES=gpu:tesla:1 and GRES=gpu:tesla:1(IDX:0) for --gpus=1"
like "$OUT" $'\n   Power=\n   TresPerJob=gres:gpu:1\n   $' \
    "-d: TresPerJob as given (no type)"
run scancel "$JOB"
wait_done "$JOB"
run scontrol show node
like "$OUT" $'\n   Gres=gpu:tesla:2\n' "show node: Gres=gpu:tesla:2"
run sinfo -h -o %G
is "$OUT" "gpu:tesla:2" "sinfo %G: gpu:tesla:2"
done_testing
