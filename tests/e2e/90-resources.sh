#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: CPU and memory allocation on a 2-CPU, 20000 MB node: a job is
#   bound to exactly its cores (taskset -pc $$ inside the job), two 1-CPU
#   jobs run at once on different cores and a third waits with Resources,
#   a 2-CPU job waits for both cores, memory is a consumable resource
#   (two 15000 MB jobs do not run together), --mem over the node is
#   refused with Slurm's text, -c 999 pends with PartitionConfig.
# Slurm behaviour copied: select/cons_tres with CR_Core_Memory as in the
#   reference cluster (slurm-reference README, 02_sbatch_errors,
#   40_scontrol "CPU_IDs=0-1"), task/affinity binding the batch step to its
#   cores.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A job that records its CPU affinity, then waits (bounded) for release_<id>.
cpujob='taskset -pc $$ | sed "s/.*: //" >cpus_$SLURM_JOB_ID.txt
for i in $(seq 1 3000); do [ -e release_$SLURM_JOB_ID ] && exit 0; sleep 0.02; done; exit 1'

# cpu_count LIST: number of CPUs in "0", "0,1", "0-1"...
cpu_count() {
	local n=0 part a b
	local IFS=,
	for part in $1; do
		case $part in
		*-*) a=${part%-*}; b=${part#*-}; n=$((n + b - a + 1)) ;;
		'') ;;
		*) n=$((n + 1)) ;;
		esac
	done
	echo "$n"
}

# --- two 1-CPU jobs at once, a third waits --------------------------------
submit -c 1 -o /dev/null --wrap="$cpujob"; j1=$JOB
submit -c 1 -o /dev/null --wrap="$cpujob"; j2=$JOB
submit -c 1 -o /dev/null --wrap="$cpujob"; j3=$JOB
wait_state "$j1" RUNNING
wait_state "$j2" RUNNING
is "$(job_state "$j1")/$(job_state "$j2")" RUNNING/RUNNING \
    "two 1-CPU jobs run at the same time on 2 CPUs"
wait_reason "$j3" Resources
is "$(squeue -h -j "$j3" -o '%T %r')" "PENDING Resources" "a third waits with Resources"
wait_for 10 file_nonempty "cpus_$j1.txt"
wait_for 10 file_nonempty "cpus_$j2.txt"
c1=$(cat "cpus_$j1.txt" 2>/dev/null)
c2=$(cat "cpus_$j2.txt" 2>/dev/null)
is "$(cpu_count "$c1")" 1 "job $j1 is bound to one core (taskset: '$c1')"
is "$(cpu_count "$c2")" 1 "job $j2 is bound to one core (taskset: '$c2')"
isnt "$c1" "$c2" "the two jobs are on different cores"
run scontrol show job -d "$j1"
ok "scontrol show job -d names the job's core ($c1)" \
    grep -q "^     Nodes=$HOST CPU_IDs=$c1 Mem=1000 GRES=" "$T/.out"

touch "release_$j1"
wait_state "$j3" RUNNING
is "$(job_state "$j3")" RUNNING "the third starts when a core frees up"
wait_for 10 file_nonempty "cpus_$j3.txt"
is "$(cat "cpus_$j3.txt" 2>/dev/null)" "$c1" "…on the core the first one freed"

# --- a 2-CPU job waits for both cores ---------------------------------------
submit -c 2 -o /dev/null --wrap="$cpujob"; j4=$JOB
wait_reason "$j4" Resources
is "$(job_state "$j4")" PENDING "a 2-CPU job waits while one core is busy"
touch "release_$j2" "release_$j3"
wait_state "$j4" RUNNING
wait_for 10 file_nonempty "cpus_$j4.txt"
is "$(cpu_count "$(cat "cpus_$j4.txt" 2>/dev/null)")" 2 "the 2-CPU job is bound to both cores"
touch "release_$j4"
for j in "$j1" "$j2" "$j3" "$j4"; do wait_done "$j"; done
is "$(job_state "$j4")" COMPLETED "the 2-CPU job completes"

# --- memory is consumable --------------------------------------------------
submit --mem=15000 -o /dev/null --wrap="$cpujob"; m1=$JOB
submit --mem=15000 -o /dev/null --wrap="$cpujob"; m2=$JOB
wait_state "$m1" RUNNING
wait_reason "$m2" Resources
is "$(squeue -h -j "$m2" -o '%T %r')" "PENDING Resources" \
    "a second 15000 MB job waits for memory though a CPU is free"
touch "release_$m1" "release_$m2"
wait_done "$m1"; wait_done "$m2"
is "$(job_state "$m2")" COMPLETED "…and runs once the memory is free"

submit --mem=20000 -o /dev/null --wrap=true; m3=$JOB
wait_done "$m3"
is "$(job_state "$m3")" COMPLETED "--mem equal to RealMemory runs"
run sbatch --mem=100000 --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: Memory specification can not be satisfied
sbatch: error: Batch job submission failed: Requested node configuration is not available" \
    "--mem over the node is refused (02_sbatch_errors)"

# --- impossible CPU counts pend -------------------------------------------
submit -c 999 -o /dev/null --wrap=true; big=$JOB
wait_reason "$big" PartitionConfig
is "$(squeue -h -j "$big" -o '%T %r %C')" "PENDING PartitionConfig 999" \
    "-c 999 pends with PartitionConfig"
run scancel "$big"

done_testing
