#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: where -v's option table comes among the errors of sbatch, salloc
#   and srun, and --exclusive with --oversubscribe.
# Slurm behaviour copied (checked on real Slurm 22.05.8, stderr compared
#   line by line): a GPU request that Slurm checks while building or
#   submitting the job (--gpus-per-task without a task count, a malformed
#   --gres, --gpus not a multiple of --gpus-per-task, a type in one place
#   only, -G 1 with --gres=gpu:2 or --gpus-per-node=2: "Failed to ensure
#   --gpus >= --gres=gpu/--gpus-per-node >= --gpus-per-socket") is
#   reported after the table, exit 1; option parsing errors
#   (-n abc, "invalid number of tasks") and the checks across options
#   (-v with -Q, two memory options) come without a table.  --exclusive
#   and --oversubscribe set one field: the last one given wins (no error),
#   and the table shows its value on both rows ("exclusive : oversubscribe",
#   "oversubscribe : oversubscribe").  The table is in Slurm's order:
#   alphabetical but "jobid" before "job-name" and "contiguous" before
#   "constraint"; srun in an allocation lists SLURM_NODELIST as an option
#   without a name, "(null)              : vm", after acctg-freq, and
#   after the table "jobid N: nodes(1):`vm', cpu counts: 1(x1)" for the
#   allocation it runs in, before the step's own errors.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing


for tool in sbatch salloc srun; do
	if [ "$tool" = sbatch ]; then
		cmd=(--wrap=true); wrap=('wrap                : true')
	else
		cmd=(true); wrap=()
	fi
	run "$tool" -v --gpus-per-task=1 "${cmd[@]}"
	is "$RC/$ERR" "1/$(verbose_table "$tool" 'gpus-per-task       : 1' \
	    'verbose             : 1' "${wrap[@]}")
$tool: error: Failed to validate job spec. --gpus-per-task used without either --gpus or -n/--ntasks is not allowed.
$tool: error: Invalid generic resource (gres) specification" \
	    "$tool -v --gpus-per-task=1: the table, then Slurm's two errors"

	run "$tool" -v --gres=gpu:x:y:z "${cmd[@]}"
	is "$RC/$ERR" "1/$(verbose_table "$tool" 'gres                : gres:gpu:x:y:z' \
	    'verbose             : 1' "${wrap[@]}")
$tool: error: Invalid generic resource (gres) specification" \
	    "$tool -v --gres=gpu:x:y:z: the table, then the error"

	run "$tool" -v -G 3 --gpus-per-task=2 "${cmd[@]}"
	is "$RC/$ERR" "1/$(verbose_table "$tool" 'gpus                : 3' \
	    'gpus-per-task       : 2' 'verbose             : 1' "${wrap[@]}")
$tool: error: Failed to validate job spec, --gpus not multiple of --gpus-per-task
$tool: error: Invalid generic resource (gres) specification" \
	    "$tool -v -G 3 --gpus-per-task=2: the table, then the errors"

	run "$tool" -v -G tesla:2 --gpus-per-task=1 -n 2 "${cmd[@]}"
	is "$RC/$ERR" "1/$(verbose_table "$tool" 'gpus                : tesla:2' \
	    'gpus-per-task       : 1' 'ntasks              : 2' \
	    'verbose             : 1' "${wrap[@]}")
$tool: error: Invalid GRES specification (with and without type identification)" \
	    "$tool -v with a GPU type in one place: the table, then the error"

	run "$tool" -v -G 1 --gres=gpu:2 "${cmd[@]}"
	is "$RC/$ERR" "1/$(verbose_table "$tool" 'gpus                : 1' \
	    'gres                : gres:gpu:2' 'verbose             : 1' \
	    "${wrap[@]}")
$tool: error: Failed to ensure --gpus >= --gres=gpu/--gpus-per-node >= --gpus-per-socket
$tool: error: Invalid generic resource (gres) specification" \
	    "$tool -v -G 1 --gres=gpu:2: the table, then the errors"
	run "$tool" -G 1 --gpus-per-node=2 "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: error: Failed to ensure --gpus >= --gres=gpu/--gpus-per-node >= --gpus-per-socket
$tool: error: Invalid generic resource (gres) specification" \
	    "$tool -G 1 --gpus-per-node=2: fewer GPUs than the node needs"

	run "$tool" -v --mem=1 --mem-per-cpu=1 "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: fatal: --mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive." \
	    "$tool -v with two memory options: no table"

	run "$tool" -v -n abc "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: error: Invalid numeric value \"abc\" for --ntasks." \
	    "$tool -v -n abc: no table"
done

# --exclusive and --oversubscribe: the last wins, both rows show it.
run sbatch -v -H --exclusive -s --wrap=true
like "$RC/$ERR" "^0/$(verbose_table sbatch 'exclusive           : oversubscribe' \
    'hold                : set' 'oversubscribe       : oversubscribe' \
    'verbose             : 1' 'wrap                : true')$" \
    "sbatch --exclusive -s: accepted, oversubscribe on both rows"
id=$OUT; id=${id##* }
like "$(scontrol show job "$id")" "OverSubscribe=OK" \
    "…and the job may share its node"
run sbatch -v -H -s --exclusive --wrap=true
like "$RC/$ERR" "^0/$(verbose_table sbatch 'exclusive           : exclusive' \
    'hold                : set' 'oversubscribe       : exclusive' \
    'verbose             : 1' 'wrap                : true')$" \
    "sbatch -s --exclusive: accepted, exclusive on both rows"
id=$OUT; id=${id##* }
like "$(scontrol show job "$id")" "OverSubscribe=NO" \
    "…and the job has its node to itself"
run sbatch -v -H -s --exclusive=user --wrap=true
like "$RC/$ERR" "^0/$(verbose_table sbatch 'exclusive           : user' \
    'hold                : set' 'oversubscribe       : user' \
    'verbose             : 1' 'wrap                : true')$" \
    "sbatch -s --exclusive=user: user on both rows"
run salloc -v --oversubscribe --exclusive true
like "$RC/$ERR" "^0/$(verbose_table salloc 'exclusive           : exclusive' \
    'oversubscribe       : exclusive' 'verbose             : 1')
salloc: Granted job allocation [0-9]+
salloc: Relinquishing job allocation [0-9]+$" \
    "salloc --oversubscribe --exclusive: accepted"
run scancel -u "$ME"

# Slurm's table order: jobid before job-name, contiguous before
# constraint; srun lists SLURM_NODELIST as "(null)".
run salloc -n1 srun -v true
like "$RC/$ERR" "^0/salloc: Granted job allocation ([0-9]+)
$(verbose_table srun '(null)              : '"$HOST" \
    'jobid               : [0-9]+' 'job-name            : interactive' \
    'nodes               : 1' 'ntasks              : 1' \
    'verbose             : 1' | sed 's/[()]/\\&/g')
srun: jobid \1: nodes\(1\):\`$HOST', cpu counts: 1\(x1\)
srun: launching StepId=" \
    "srun -v in salloc: (null) for SLURM_NODELIST, jobid before job-name, the allocation's line"
run salloc -n1 srun -v -n 3 true
like "$RC/$ERR" "srun: end of defined options
srun: jobid ([0-9]+): nodes\(1\):\`$HOST', cpu counts: 1\(x1\)
srun: error: Unable to create step for job \1: More processors requested than permitted
salloc: Relinquishing" "srun -v in salloc: the allocation's line before the step's error"
run env SLURM_NODELIST= srun -v -H -C x --contiguous true
like "$ERR" "^$(verbose_table srun 'contiguous          : set' \
    'constraint          : x' 'hold                : set' \
    'verbose             : 1')" "contiguous before constraint"

done_testing
