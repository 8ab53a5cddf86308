#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: every sbatch error of slurm-reference/02_sbatch_errors.txt that
#   applies to one machine: exact stderr text, exact exit code, nothing on
#   stdout, and no job left behind; plus the requests Slurm accepts and
#   leaves pending (-c 999, -n 3, -N 2, -p debug -t 60) or accepts as is
#   (unknown --qos/-A, afterok on an unknown job).
# Slurm behaviour copied: option-parsing errors exit 255, rejections by the
#   controller exit 1 with "Batch job submission failed: <slurm_strerror>";
#   unsatisfiable requests pend with PartitionConfig.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

printf 'echo no shebang\n' >noshebang.sh

# check_err EXPECTED_RC EXPECTED_STDERR ARGS...
check_err() {
	local rc=$1 err=$2; shift 2
	run sbatch "$@"
	is "$RC/$ERR" "$rc/$err" "sbatch $*: exit $rc and Slurm's message"
	is "$OUT" "" "sbatch $*: nothing on stdout"
}

check_err 255 'sbatch: error: Invalid --mem specification' \
    --mem=abc --wrap=true
check_err 1 'sbatch: error: Invalid numeric value "0" for --cpus-per-task.' \
    -c 0 --wrap=true
check_err 1 'sbatch: error: Memory specification can not be satisfied
sbatch: error: Batch job submission failed: Requested node configuration is not available' \
    --mem=100000 --wrap=true
check_err 255 'sbatch: error: Invalid --time specification' \
    --time=garbage --wrap=true
check_err 1 'sbatch: error: invalid partition specified: nosuchpart
sbatch: error: Batch job submission failed: Invalid partition name specified' \
    -p nosuchpart --wrap=true
check_err 1 'sbatch: error: Unable to open file missing_script.sh' \
    missing_script.sh
check_err 1 'sbatch: error: This does not look like a batch script.  The first
sbatch: error: line must start with #! followed by the path to an interpreter.
sbatch: error: For instance: #!/bin/sh' \
    noshebang.sh
check_err 1 'sbatch: error: Batch job submission failed: Invalid job array specification' \
    --array=abc --wrap=true
check_err 1 'sbatch: error: Batch job submission failed: Invalid job array specification' \
    --array=5-1 --wrap=true
check_err 1 'sbatch: error: Batch job submission failed: Invalid job array specification' \
    --array=0-20000 --wrap=true
check_err 1 'sbatch: error: Batch job submission failed: Job dependency problem' \
    --dependency=garbage:1 --wrap=true
check_err 1 'sbatch: error: Batch job submission failed: Requested node configuration is not available' \
    --gpus=5 --wrap=true
check_err 1 'sbatch: error: Invalid generic resource (gres) specification' \
    --gres=foo:1 --wrap=true
check_err 255 'Invalid time specification (pos=0): garbage
sbatch: error: Invalid --begin specification' \
    --begin=garbage --wrap=true
check_err 255 "sbatch: unrecognized option '--nosuchoption'
Try \"sbatch --help\" for more information" \
    --nosuchoption --wrap=true
check_err 1 'sbatch: error: Script arguments not permitted with --wrap option' \
    --wrap=true extra_arg_script.sh
# Not in the recordings; what real Slurm 22.05 printed for them:
check_err 1 'sbatch: error: Batch job submission failed: Node count specification invalid' \
    -N 0 --wrap=true
check_err 1 'sbatch: error: Batch script is empty!' /etc
check_err 1 'sbatch: error: Batch job submission failed: Requested node configuration is not available' \
    --gres=gpu:abc --wrap=true
check_err 1 'sbatch: error: Batch job submission failed: Requested node configuration is not available' \
    --gres=gpu:tesla:1 --wrap=true

# `sbatch` with an empty stdin, and a stdin script without #!
run sbatch
is "$RC/$ERR" "1/sbatch: error: Batch script is empty!" \
    "sbatch with an empty stdin: exit 1, 'Batch script is empty!'"
run_in 'echo from stdin' sbatch
is "$RC/$ERR" '1/sbatch: error: This does not look like a batch script.  The first
sbatch: error: line must start with #! followed by the path to an interpreter.
sbatch: error: For instance: #!/bin/sh' \
    "a stdin script without #!: exit 1 and the three-line message"

# None of the above left a job behind.
run squeue -h
is "$RC/$OUT" "0/" "no job was queued by a rejected sbatch"

# -N 0-1 is accepted (real Slurm: one node).
submit -o /dev/null -N 0-1 --wrap=true; n01=$JOB
wait_done "$n01"
is "$(sacct -n -X -P -o NNodes,State -j "$n01" 2>&1)" "1|COMPLETED" \
    "-N 0-1 is accepted and runs on one node"

# --- accepted, and pending for good -----------------------------------------
submit -c 999 --wrap=true; c999=$JOB
submit -n 3 --wrap=true; n3=$JOB
submit -N 2 --wrap=true; n2=$JOB
submit -p debug -t 60 --wrap=true; dbg=$JOB
wait_reason "$dbg" PartitionConfig
run squeue -h -j "$c999,$n3,$n2,$dbg" -o '%i %T %r %C %D %l'
is "$OUT" "$c999 PENDING PartitionConfig 999 1 UNLIMITED
$n3 PENDING PartitionConfig 3 2 UNLIMITED
$n2 PENDING PartitionConfig 2 2 UNLIMITED
$dbg PENDING PartitionConfig 1 1 1:00:00" \
    "unsatisfiable requests pend with PartitionConfig (02: squeue -j ...)"
run scancel "$c999" "$n3" "$n2" "$dbg"
is "$RC/$ERR" "0/" "scancel of the pending ones"

# accepted and runnable
submit -o /dev/null --qos=nosuchqos --wrap=true; q=$JOB
submit -o /dev/null -A nosuchaccount --wrap=true; a=$JOB
submit -o /dev/null --dependency=afterok:999999 --wrap=true; d=$JOB
submit -o /dev/null -t 0 --wrap=true; t0=$JOB
for j in "$q" "$a" "$d" "$t0"; do wait_done "$j"; done
is "$(job_state "$q")" COMPLETED "--qos=nosuchqos is accepted and runs"
is "$(job_state "$a")" COMPLETED "-A nosuchaccount is accepted and runs"
is "$(job_state "$d")" COMPLETED "afterok on an unknown job id is ignored"
is "$(sacct -n -X -P -o State,Timelimit -j "$t0" 2>&1)" "COMPLETED|UNLIMITED" \
    "-t 0 means no time limit"

# An unknown option and --version/--usage: the first on the command line
# wins, as in Slurm 22.05.8 (checked: exit 255 or 0).
for c in sbatch salloc srun; do
	for a in version usage; do
		run $c --bogus --$a
		is "$RC/$OUT/$ERR" "255//$c: unrecognized option '--bogus'
Try \"$c --help\" for more information" "$c --bogus --$a: the unknown option, exit 255"
		run $c --$a --bogus
		is "$RC" 0 "$c --$a --bogus: --$a first, exit 0"
		like "$OUT" "slurm-wlm 22.05.8|Usage: $c" "$c --$a --bogus: prints its $a"
	done
done

done_testing
