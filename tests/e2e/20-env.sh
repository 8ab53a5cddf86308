#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the SLURM_* (and CUDA/GPU) environment of a batch job: a plain
#   job, -n 2 -c 1, -n 1 -c 2 --mem=1G, -n 2 -c 2 (does not fit: pends with
#   PartitionConfig), --gpus=1, --gres=gpu:2, and two concurrent 1-GPU jobs
#   getting different devices.
# Slurm behaviour copied: slurm-reference 20_env_plain, 22_env_ntasks and
#   24_env_gpu (envdump.sh there).  Exactly the same variable names must be
#   set; values that depend on the machine (pids, paths of the config,
#   cluster address) are compared by name only, the rest by value with the
#   reference's host/user/ids replaced by ours.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

script envdump.sh '#!/bin/bash' \
    "env | grep -E '^(SLURM|SBATCH|CUDA|GPU|OMP)' | sort"

# The variables every batch job has (20_env_plain.txt); "*" = any value.
base_env() {
	local id=$1 name=$2
	cat <<EOF
SLURMD_NODENAME=$HOST
SLURM_CLUSTER_NAME=ref
SLURM_CONF=*
SLURM_CPUS_ON_NODE=1
SLURM_GTIDS=0
SLURM_JOBID=$id
SLURM_JOB_ACCOUNT=*
SLURM_JOB_CPUS_PER_NODE=1
SLURM_JOB_GID=$MY_GID
SLURM_JOB_ID=$id
SLURM_JOB_NAME=$name
SLURM_JOB_NODELIST=$HOST
SLURM_JOB_NUM_NODES=1
SLURM_JOB_PARTITION=cpu
SLURM_JOB_QOS=normal
SLURM_JOB_UID=$MY_UID
SLURM_JOB_USER=$ME
SLURM_LOCALID=0
SLURM_MEM_PER_CPU=1000
SLURM_NNODES=1
SLURM_NODEID=0
SLURM_NODELIST=$HOST
SLURM_NODE_ALIASES=(null)
SLURM_PRIO_PROCESS=0
SLURM_PROCID=0
SLURM_SUBMIT_DIR=$T/work
SLURM_SUBMIT_HOST=$HOST
SLURM_TASKS_PER_NODE=1
SLURM_TASK_PID=*
SLURM_TOPOLOGY_ADDR=$HOST
SLURM_TOPOLOGY_ADDR_PATTERN=node
SLURM_WORKING_CLUSTER=*
EOF
}

# edit_env VAR=VALUE... (stdin: env lines): set, replace or (VAR=-) delete.
edit_env() {
	local kv k
	local -A set=()
	for kv in "$@"; do set[${kv%%=*}]=${kv#*=}; done
	{
		while IFS= read -r line; do
			k=${line%%=*}
			if [ -n "${set[$k]+x}" ]; then
				[ "${set[$k]}" != - ] && echo "$k=${set[$k]}"
				unset "set[$k]"
			else
				echo "$line"
			fi
		done
		for k in "${!set[@]}"; do
			[ "${set[$k]}" != - ] && echo "$k=${set[$k]}"
		done
	} | sort
}

# compare_env FILE EXPECTED DESC: same names, then same values where the
# expected value is not "*".
compare_env() {
	local file=$1 want=$2 desc=$3 got masked
	got=$(cat "$file" 2>/dev/null)
	is "$(cut -d= -f1 <<<"$got")" "$(cut -d= -f1 <<<"$want")" \
	    "$desc: the same variable names as Slurm"
	masked=$(while IFS= read -r line; do
		k=${line%%=*}
		if grep -qxF "$k=*" <<<"$want"; then echo "$k=*"; else
			echo "$line"; fi
	done <<<"$got")
	is "$masked" "$want" "$desc: the same values as Slurm"
}

# --- plain job ----------------------------------------------------------
submit -o env_plain.out envdump.sh
p=$JOB
wait_done "$p"
compare_env env_plain.out "$(base_env "$p" envdump.sh)" "plain job"

# --- -n 2 -c 2 does not fit 2 CPUs ----------------------------------------
submit -n 2 -c 2 -o env_n2c2.out envdump.sh
j=$JOB
wait_reason "$j" PartitionConfig
run squeue -j "$j" -o '%i %T %r %C %D'
is "$OUT" "JOBID STATE REASON CPUS NODES
$j PENDING PartitionConfig 4 2" "-n 2 -c 2 pends with PartitionConfig, 4 CPUs 2 nodes"
run scancel "$j"

# --- -n 2 -c 1 ----------------------------------------------------------
submit -n 2 -c 1 -o env_n2c1.out envdump.sh
j=$JOB
wait_done "$j"
compare_env env_n2c1.out "$(base_env "$j" envdump.sh | edit_env \
    SLURM_CPUS_ON_NODE=2 SLURM_CPUS_PER_TASK=1 SLURM_JOB_CPUS_PER_NODE=2 \
    SLURM_NPROCS=2 SLURM_NTASKS=2 SLURM_TASKS_PER_NODE=2)" "-n 2 -c 1"

# --- -n 1 -c 2 --mem=1G ---------------------------------------------------
submit -n 1 -c 2 --mem=1G -o env_n1c2.out envdump.sh
j=$JOB
wait_done "$j"
compare_env env_n1c2.out "$(base_env "$j" envdump.sh | edit_env \
    SLURM_CPUS_ON_NODE=2 SLURM_CPUS_PER_TASK=2 SLURM_JOB_CPUS_PER_NODE=2 \
    SLURM_MEM_PER_CPU=- SLURM_MEM_PER_NODE=1024 \
    SLURM_NPROCS=1 SLURM_NTASKS=1)" "-n 1 -c 2 --mem=1G"

# --- GPUs ---------------------------------------------------------------
submit --gpus=1 -o env_gpu1.out envdump.sh
g1=$JOB
wait_done "$g1"
compare_env env_gpu1.out "$(base_env "$g1" envdump.sh | edit_env \
    CUDA_VISIBLE_DEVICES=0 GPU_DEVICE_ORDINAL=0 SLURM_GPUS=1 \
    SLURM_GPUS_ON_NODE=1 SLURM_JOB_GPUS=0)" "--gpus=1"

submit --gres=gpu:2 -o env_gpu2.out envdump.sh
g2=$JOB
wait_done "$g2"
compare_env env_gpu2.out "$(base_env "$g2" envdump.sh | edit_env \
    CUDA_VISIBLE_DEVICES=0,1 GPU_DEVICE_ORDINAL=0,1 \
    SLURM_GPUS_ON_NODE=2 SLURM_JOB_GPUS=0,1)" "--gres=gpu:2"

run sacct -n -X -P -o AllocTRES -j "$g1,$g2"
is "$OUT" "billing=1,cpu=1,gres/gpu=1,mem=1000M,node=1
billing=1,cpu=1,gres/gpu=2,mem=1000M,node=1" "sacct AllocTRES counts the GPUs"

# Two 1-GPU jobs at once get different devices.  Each writes its devices,
# then waits (bounded) for the test to release it.
gpujob='echo "$CUDA_VISIBLE_DEVICES $SLURM_JOB_GPUS" > gpu_$SLURM_JOB_ID.txt
for i in $(seq 1 1500); do [ -e release ] && exit 0; sleep 0.02; done; exit 1'
submit --gpus=1 -o /dev/null --wrap="$gpujob"; ga=$JOB
submit --gpus=1 -o /dev/null --wrap="$gpujob"; gb=$JOB
wait_for 20 file_nonempty "gpu_$ga.txt"
wait_for 20 file_nonempty "gpu_$gb.txt"
da=$(cat "gpu_$ga.txt" 2>/dev/null)
db=$(cat "gpu_$gb.txt" 2>/dev/null)
like "$da" '^[01] [01]$' "a 1-GPU job sees exactly one device"
like "$db" '^[01] [01]$' "the other 1-GPU job sees exactly one device"
isnt "${da%% *}" "${db%% *}" "two concurrent 1-GPU jobs get different devices"
is "${da%% *}" "${da##* }" "CUDA_VISIBLE_DEVICES matches SLURM_JOB_GPUS"

# A third GPU job waits for a free device.
submit --gpus=1 -o /dev/null --wrap=true; gc=$JOB
wait_reason "$gc" Resources
run squeue -h -j "$gc" -o '%T %r'
is "$OUT" "PENDING Resources" "a third 1-GPU job waits with Resources"
touch release
wait_done "$ga"; wait_done "$gb"; wait_done "$gc"
is "$(job_state "$gc")" COMPLETED "…and runs once a GPU is free"

# A large environment (500 more variables, as module systems make):
# every one reaches the job once, with sbatch's own variables
# over an inherited one and SBATCH_* input read among them.
big=$(for i in $(seq 1 500); do printf 'BIG_%d=v%d ' "$i" "$i"; done)
# shellcheck disable=SC2086
JOB=$(env $big SLURM_SUBMIT_HOST=stale SBATCH_JOB_NAME=bigenv \
	sbatch --parsable -o big.out --wrap='env > big.env')
wait_done "$JOB"
is "$(grep -c '^BIG_' big.env)" 500 "500 variables reach the job"
is "$(grep '^BIG_' big.env | cut -d= -f1 | sort -u | wc -l)" 500 \
	"each of them once"
is "$(grep '^BIG_377=' big.env)" "BIG_377=v377" "BIG_377 keeps its value"
is "$(grep -c '^SLURM_SUBMIT_HOST=' big.env)" 1 "SLURM_SUBMIT_HOST once"
isnt "$(grep '^SLURM_SUBMIT_HOST=' big.env)" "SLURM_SUBMIT_HOST=stale" \
	"sbatch's SLURM_SUBMIT_HOST over the inherited one"
is "$(squeue -h -j "$JOB" -o %j 2>/dev/null; sacct -n -X -j "$JOB" -o JobName%20 | tr -d ' ')" \
	"bigenv" "SBATCH_JOB_NAME read among 500 other variables"

done_testing
