#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: counts over 32 bits in the options of sbatch, salloc and srun
#   (-n, -c, --ntasks-per-node, -N), the array throttle, and %t/%j widths
#   in file names.
# Slurm behaviour copied (checked on real Slurm 22.05.8): parse_int reads
#   a count with strtol and only LONG_MAX (9223372036854775807, also what
#   a longer number saturates to) is "Numeric argument (...) to big for
#   --ntasks.", exit 1; anything else is cast to int, so -n 4294967297 is
#   one task (-v's table says "ntasks : 1"), 2147483648 is -2147483648.
#   Then "invalid number of tasks (-n N)" for N < 0 (srun and salloc: also
#   0) and "invalid number of cpus per task (-c N)" for N <= 0, each on
#   its line, after "don't specify both --verbose (-v) and --quiet (-Q)",
#   exit 1, no table; sbatch -n 4294967296 (0) is submitted and refused:
#   "Batch job submission failed: Node count specification invalid", exit
#   1, after the table.  --ntasks-per-node <= 0 after the cast is
#   ignored (the table still shows the int).  -N 4294967297 is 1 node,
#   4294967297k 1024, 2147483648 '"2147483648" is not a valid node count'
#   (exit 255), 1-2147483648 "Maximum node count -2147483648 is less than
#   minimum node count 1" (exit 255).  The throttle after % is atoi's:
#   1%4294967298 and 1%2x are 2, 1%abc, 1% and 1%2147483649 none.  Width
#   digits in a file name pattern stop at 10 (%4294967297t is 10 digits).
#   Job ids: squeue -j reads an int (J+2^32 is J, 4294967296, 4294967295
#   and 2147483648 "Invalid job id: N", exit 1), scontrol show job 32 bits
#   (4294967296 is job 0: every job; 0_1 "Job 0_1 not found" on stdout,
#   exit 1); array tasks wrap the same way (A_4294967298 is A_2), and so
#   do scontrol's hold, update, ... (an unknown one "Invalid job id
#   specified for job 4294967296", named as given).  scancel
#   sends the id to slurmctld, which takes 32 bits: J+2^32 cancels J,
#   4294967297 and 4294967296 are unknown jobs (silent, exit 0); 0 is
#   "Invalid job id 0", exit 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing


# --- -n and -c ----------------------------------------------------------
run srun -n 4294967297 sh -c 'echo $SLURM_NTASKS'
is "$RC/$OUT/$ERR" "0/1/" "srun -n 4294967297: one task"
run sbatch -v -n 4294967297 --wrap=true
like "$RC/$ERR" "^0/$(verbose_table sbatch 'ntasks              : 1' \
    'verbose             : 1' 'wrap                : true')$" \
    "sbatch -v -n 4294967297: the table says 1"
id=${OUT##* }
like "$(scontrol show job "$id")" "NumTasks=1 " "…and the job has one task"
run salloc -n 4294967297 sh -c 'echo $SLURM_NTASKS'
is "$RC/$OUT" "0/1" "salloc -n 4294967297: one task"
run srun -v -c 4294967298 -n 4294967297 true
like "$RC/$ERR" "^0/$(verbose_table srun 'cpus-per-task       : 2' \
    'ntasks              : 1' 'verbose             : 1')" \
    "srun -c 4294967298 -n 4294967297: 2 CPUs, one task"

for tool in srun salloc sbatch; do
	[ $tool = sbatch ] && cmd=(--wrap=true) || cmd=(true)
	run $tool -n 99999999999999999999 "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: error: Numeric argument (9223372036854775807) to big for --ntasks." \
	    "$tool -n past LONG_MAX: Slurm's 'to big', exit 1"
	run $tool -v -Q -n 2147483648 -c 2147483648 "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: error: don't specify both --verbose (-v) and --quiet (-Q)
$tool: error: invalid number of tasks (-n -2147483648)
$tool: error: invalid number of cpus per task (-c -2147483648)" \
	    "$tool -n/-c 2147483648: negative ints, every error, exit 1"
	run $tool -c 4294967296 "${cmd[@]}"
	is "$RC/$ERR" "1/$tool: error: invalid number of cpus per task (-c 0)" \
	    "$tool -c 4294967296: 0 CPUs per task, exit 1"
done
for tool in srun salloc; do
	run $tool -v -n 4294967296 true
	is "$RC/$ERR" "1/$tool: error: invalid number of tasks (-n 0)" \
	    "$tool -v -n 4294967296: 0 tasks, before the table"
done
run sbatch -v -n 4294967296 --wrap=true
is "$RC/$ERR" "1/$(verbose_table sbatch 'ntasks              : 0' \
    'verbose             : 1' 'wrap                : true')
sbatch: error: Batch job submission failed: Node count specification invalid" \
    "sbatch -v -n 4294967296: the table, then slurmctld's refusal"

# --- --ntasks-per-node, -N ------------------------------------------------
run sbatch -v -H --ntasks-per-node=2147483648 --wrap=true
like "$RC/$ERR" "^0/$(verbose_table sbatch 'hold                : set' \
    'ntasks-per-node     : -2147483648' 'verbose             : 1' \
    'wrap                : true')$" \
    "--ntasks-per-node=2147483648: accepted, shown as the int"
id=${OUT##* }
like "$(scontrol show job "$id")" "NumTasks=1 " "…and ignored"
run sbatch -v -H --ntasks-per-node=4294967298 --wrap=true
like "$ERR" "ntasks-per-node     : 2" "--ntasks-per-node=4294967298 is 2"
id=${OUT##* }
like "$(scontrol show job "$id")" "NumTasks=2 " "…two tasks"

run sbatch -v -H -N 4294967297 --wrap=true
like "$RC/$ERR" "nodes               : 1" "-N 4294967297 is one node"
run sbatch -v -H -N 4294967298-4294967299 --wrap=true
like "$RC/$ERR" "nodes               : 2-3" "-N 4294967298-4294967299 is 2-3"
run sbatch -v -H -N 4294967297k --wrap=true
like "$RC/$ERR" "nodes               : 1024" "-N 4294967297k is 1024"
run sbatch -N 2147483648 --wrap=true
is "$RC/$ERR" '255/sbatch: error: "2147483648" is not a valid node count' \
    "-N 2147483648: not a valid node count, exit 255"
run sbatch -N 1-2147483648 --wrap=true
is "$RC/$ERR" "255/sbatch: error: Maximum node count -2147483648 is less than minimum node count 1" \
    "-N 1-2147483648: the negative maximum, exit 255"
run sbatch -N 4294967296 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Node count specification invalid" \
    "-N 4294967296 is 0 nodes: refused at submission"
run scancel -u "$ME"

# --- the array throttle ---------------------------------------------------
thr() {	# thr SPEC: the first line of the array's show job
	submit -H -a "$1" --wrap=true || return
	scontrol show job "$JOB" | head -n 1
}
like "$(thr '1%4294967298')" " ArrayTaskThrottle=2 " "throttle 4294967298 is 2"
like "$(thr '1%2x')" " ArrayTaskThrottle=2 " "throttle 2x is 2"
unlike "$(thr '1%2147483649')" "Throttle" "throttle 2147483649: none"
unlike "$(thr '1%abc')" "Throttle" "throttle abc: none"
unlike "$(thr '1%')" "Throttle" "an empty throttle: none"
run sbatch -a 0-4294967297 --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid job array specification" \
    "an index over 32 bits: refused"
run scancel -u "$ME"

# --- job ids over 32 bits in squeue and scontrol show job ------------------
submit -H --wrap=true
j=$JOB
submit -H -a 1-3 --wrap=true
a=$JOB
w=$((j + 4294967296))
run squeue -h -j "$w" -o %i
is "$RC/$OUT" "0/$j" "squeue -j J+2^32 is job J"
run squeue -h -j "${a}_4294967298" -o %i
is "$RC/$OUT" "0/${a}_2" "squeue -j A_4294967298 is task 2"
for bad in 4294967296 4294967295 2147483648 99999999999999999999; do
	run squeue -h -j "$bad"
	is "$RC/$ERR" "1/squeue: error: Invalid job id: $bad" \
	    "squeue -j $bad: not a positive int, invalid"
done
run scontrol show job "$w"
like "$RC/$OUT" "^0/JobId=$j JobName=wrap" "scontrol show job J+2^32 is job J"
run scontrol show job "${a}_4294967298"
like "$RC/$OUT" "^0/JobId=$a ArrayJobId=$a ArrayTaskId=2 " \
    "scontrol show job A_4294967298 is task 2"
all=$(scontrol show job)
run scontrol show job 4294967296
is "$RC/$OUT" "0/$all" "scontrol show job 4294967296 is job 0: every job"
run scontrol show job 0_1
is "$RC/$OUT" "1/Job 0_1 not found" "scontrol show job 0_1: not found"
run scontrol show job 99999999999999999999
is "$RC/$ERR" "1/slurm_load_jobs error: Invalid job id specified" \
    "scontrol show job past LONG_MAX: job 4294967295, none"
run scontrol update jobid="$w" timelimit=5
is "$RC/$ERR" "0/" "scontrol update jobid=J+2^32 updates job J"
like "$(scontrol show job "$j")" "TimeLimit=00:05:00" "…its time limit"
run scontrol hold "$w"
is "$RC/$ERR" "0/" "scontrol hold J+2^32"
run scontrol hold 4294967296
is "$RC/$ERR" "1/Invalid job id specified for job 4294967296
slurm_suspend error: Invalid job id specified" \
    "scontrol hold 4294967296: job 0, named as given"
for id in 4294967297 4294967296 99999999999999999999; do
	run scancel "$id"
	is "$RC/$ERR" "0/" "scancel $id: no such job, silent, exit 0"
done
run scancel "$w"
is "$RC/$ERR/$(job_state "$j")" "0//CANCELLED" "scancel J+2^32 cancels job J"
run scancel 0
is "$RC/$ERR" "1/scancel: error: Invalid job id 0" "scancel 0: invalid, exit 1"
run scancel -u "$ME"

# --- widths in file names -------------------------------------------------
run srun -o 'a.%4294967297t' true
run srun -o 'b.%9t' true
submit -W -o 'c.%99999999999999999999j' --wrap=true
is "$(ls a.* b.* c.* 2>&1 | tr '\n' ' ')" "a.0000000000 b.000000000 c.$(printf %010d "$JOB") " \
    "widths stop at 10 digits"

done_testing
