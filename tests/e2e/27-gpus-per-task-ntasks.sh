#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: --gpus-per-task without a task count refused by sbatch (argv,
#   #SBATCH, SBATCH_GPUS_PER_TASK), salloc and srun; what counts as a task
#   count (-n, a single -N count, --ntasks-per-node, --gpus); srun inside
#   an allocation.
# Slurm behaviour copied (checked on real Slurm 22.05.8):
#   * "sbatch --gpus-per-task=1 --wrap true" (also with -c 1, --exclusive,
#     --gpus-per-node=1, --gres=gpu:1, -G tesla:1 (the type error comes
#     after this one), --gpus=0, -N 1-2,
#     -N 1-2 --ntasks-per-node=1, --gpus-per-task=abc, -p nosuch):
#       sbatch: error: Failed to validate job spec. --gpus-per-task used without either --gpus or -n/--ntasks is not allowed.
#       sbatch: error: Invalid generic resource (gres) specification
#     exit 1; salloc and srun the same with their names.
#   * accepted: -n 1, --gpus=1, -N 1, -N 2, -N 1-1, --ntasks-per-node=1,
#     --gpus-per-task=0; "srun -N 1 --gpus-per-task=1" runs;
#     "salloc --gpus=1 srun --gpus-per-task=1 true" runs (exit 0).
#   * --gpus with --gpus-per-task, exit 1 and then "Invalid generic
#     resource (gres) specification": "-G 1 --gpus-per-task=2" (with or
#     without -n 1): "Failed to ensure --gpus >= --gres=gpu/--gpus-per-node
#     >= --gpus-per-socket"; "-G 3 --gpus-per-task=2" (also -n 1) and
#     "-G 4 --gpus-per-task=3 -n 1": "Failed to validate job spec, --gpus
#     not multiple of --gpus-per-task"; "-G 1 --gpus-per-task=1 -n 2",
#     "-G 4 --gpus-per-task=2 -n 1", "-G 2 --gpus-per-task=1 -n 1": "Failed
#     to validate job spec. Based on --gpus and --gpus-per-task number of
#     requested tasks differ from -n/--ntasks."; "-G 2 --gpus-per-task=1"
#     without -n: NumTasks=2, NumCPUs=2, SLURM_NTASKS=2 in the job.
#     Not for a step: "salloc -G 2 srun --gpus-per-task=1 [-n 1] sh -c
#     'echo $SLURM_NTASKS'" prints 1 (the allocation's SLURM_GPUS=2 is
#     no --gpus for that check).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

msg() {
	printf '%s: error: Failed to validate job spec. --gpus-per-task used without either --gpus or -n/--ntasks is not allowed.\n%s: error: Invalid generic resource (gres) specification' "$1" "$1"
}

refused() {	# refused "OPTIONS" [DESC]
	# shellcheck disable=SC2086
	run sbatch $1 --wrap=true
	is "$RC/$OUT/$ERR" "1//$(msg sbatch)" "sbatch $1: refused"
}
accepted() {	# accepted "OPTIONS"
	# shellcheck disable=SC2086
	run sbatch -H --parsable $1 --wrap=true
	like "$RC/$OUT/$ERR" "^0/[0-9]+/\$" "sbatch $1: accepted"
	[ "$RC" = 0 ] && scancel "$OUT"
}

refused "--gpus-per-task=1"
refused "--gpus-per-task=tesla:1"
refused "--gpus-per-task=1 -c 1"
refused "--gpus-per-task=1 --exclusive"
refused "--gpus-per-task=1 --gpus-per-node=1"
refused "--gpus-per-task=1 --gres=gpu:1"
refused "--gpus-per-task=1 -G tesla:1"
refused "--gpus-per-task=tesla:1 -G 1"
refused "--gpus-per-task=1 --gpus=0"
refused "--gpus-per-task=1 -N 1-2"
refused "--gpus-per-task=1 -N 1-2 --ntasks-per-node=1"
refused "--gpus-per-task=abc"
refused "--gpus-per-task=1 -p nosuch"
refused "--gpus-per-task=1 --array=1-2"

printf '#!/bin/sh\n#SBATCH --gpus-per-task=1\ntrue\n' >g.sh
run sbatch g.sh
is "$RC/$OUT/$ERR" "1//$(msg sbatch)" "#SBATCH --gpus-per-task=1: refused"
run env SBATCH_GPUS_PER_TASK=1 sbatch --wrap=true
is "$RC/$OUT/$ERR" "1//$(msg sbatch)" "SBATCH_GPUS_PER_TASK=1: refused"
run sacct -n -X -o JobID
is "$OUT" "" "nothing was queued"

accepted "--gpus-per-task=1 -n 1"
accepted "--gpus-per-task=1 --gpus=1"
accepted "--gpus-per-task=1 -N 1"
accepted "--gpus-per-task=1 -N 2"
accepted "--gpus-per-task=1 -N 1-1"
accepted "--gpus-per-task=1 --ntasks-per-node=1"
accepted "--gpus-per-task=0"

run salloc --gpus-per-task=1 true
is "$RC/$OUT/$ERR" "1//$(msg salloc)" "salloc: refused"
run srun --gpus-per-task=1 true
is "$RC/$OUT/$ERR" "1//$(msg srun)" "srun: refused"
run srun -N 1-2 --gpus-per-task=1 true
is "$RC/$OUT/$ERR" "1//$(msg srun)" "srun -N 1-2: refused"
run srun -N 1 --gpus-per-task=1 sh -c 'echo $SLURM_STEP_GPUS'
is "$RC/$OUT/$ERR" "0/0/" "srun -N 1 --gpus-per-task=1: runs, with a GPU"
run salloc --gpus=1 srun --gpus-per-task=1 true
is "$RC" 0 "srun --gpus-per-task=1 inside an allocation: runs"
unlike "$ERR" "error" "no error"

# --gpus with --gpus-per-task: slurmctld's checks, then the task count.
gres_refused() {	# gres_refused "OPTIONS" MESSAGE
	# shellcheck disable=SC2086
	run sbatch $1 --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: $2
sbatch: error: Invalid generic resource (gres) specification" "sbatch $1: refused"
}
few="Failed to ensure --gpus >= --gres=gpu/--gpus-per-node >= --gpus-per-socket"
mult="Failed to validate job spec, --gpus not multiple of --gpus-per-task"
differ="Failed to validate job spec. Based on --gpus and --gpus-per-task number of requested tasks differ from -n/--ntasks."
gres_refused "-G 1 --gpus-per-task=2" "$few"
gres_refused "-G 1 --gpus-per-task=2 -n 1" "$few"
gres_refused "-G 3 --gpus-per-task=2" "$mult"
gres_refused "-G 3 --gpus-per-task=2 -n 1" "$mult"
gres_refused "-G 4 --gpus-per-task=3 -n 1" "$mult"
gres_refused "-G 1 --gpus-per-task=1 -n 2" "$differ"
gres_refused "-G 4 --gpus-per-task=2 -n 1" "$differ"
gres_refused "-G 2 --gpus-per-task=1 -n 1" "$differ"
run salloc -G 1 --gpus-per-task=2 true
is "$RC/$ERR" "1/salloc: error: $few
salloc: error: Invalid generic resource (gres) specification" "salloc: the same check"
accepted "--gpus-per-task=2 -G 2 -n 1"
accepted "--gpus-per-task=1 -G 2 -n 2"

# Without -n, the task count is --gpus over --gpus-per-task.
submit -o two.out --gpus-per-task=1 -G 2 \
    --wrap='echo "$SLURM_NTASKS $SLURM_NPROCS $SLURM_GPUS_PER_TASK"'
wait_done "$JOB"
is "$(cat two.out)" "2 2 1" "-G 2 --gpus-per-task=1: two tasks in the job"
is "$(scontrol show job "$JOB" | grep -o 'NumCPUs=[0-9]* NumTasks=[0-9]*')" \
    "NumCPUs=2 NumTasks=2" "…and two CPUs, as Slurm"
# A step inside an allocation: the job's SLURM_GPUS is not --gpus here.
run salloc -G 2 srun --gpus-per-task=1 -n 1 sh -c 'echo $SLURM_NTASKS'
is "$RC/$OUT" "0/1" "salloc -G 2 srun --gpus-per-task=1 -n 1: one task"
run salloc -G 2 srun --gpus-per-task=1 sh -c 'echo $SLURM_NTASKS'
is "$RC/$OUT" "0/1" "salloc -G 2 srun --gpus-per-task=1: one task"
done_testing
