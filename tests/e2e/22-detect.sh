#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: capacity detected at start when berth.conf names no node (issue 2
#   part 5): the CPUs this process may run on (sched_getaffinity, as
#   nproc counts them) with their ids, MemTotal of /proc/meminfo in MB,
#   and the GPUs nvidia-smi lists (tests/fake/nvidia-smi, FAKE_GPUS);
#   sinfo, scontrol show node and a job's cores and devices show them;
#   a NodeName line overrides the detection.
# Slurm behaviour copied: slurmd -C's view of the node (CPUs, RealMemory,
#   Gres=gpu:N), shown as sinfo -N -o '%c %m %G' and scontrol show node.
. "$(dirname "$0")/lib.sh"

ncpu=$(nproc)
cpus=$(taskset -pc $$ | sed 's/.*: //')
mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)

write_conf "ClusterName=det"
export FAKE_GPUS=3
start_daemon || done_testing

run sinfo -N -h -o '%N %c %m %G'
is "$OUT" "$HOST $ncpu $mem gpu:3" \
    "detected: nproc CPUs, MemTotal in MB, the GPUs nvidia-smi lists"
run scontrol show node "$HOST"
like "$OUT" "CPUTot=$ncpu " "scontrol show node: CPUTot"
like "$OUT" "RealMemory=$mem " "scontrol show node: RealMemory"
like "$OUT" "Gres=gpu:3" "scontrol show node: Gres"

# A job that asks for the whole node gets exactly the detected CPUs and
# every GPU.
submit -c "$ncpu" --gpus=3 -o whole.out \
    --wrap='taskset -pc $$ | sed "s/.*: //"; echo "$CUDA_VISIBLE_DEVICES"'
j=$JOB
wait_done "$j"
is "$(cat whole.out 2>/dev/null)" "$cpus
0,1,2" "a whole-node job runs on the detected CPUs with every GPU"

# NodeName overrides the detection.
stop_daemon
write_conf "ClusterName=det" "NodeName=$HOST CPUs=1 RealMemory=1000 Gres=gpu:1"
start_daemon || done_testing
run sinfo -N -h -o '%N %c %m %G'
is "$OUT" "$HOST 1 1000 gpu:1" "berth.conf's NodeName overrides the detection"

done_testing
