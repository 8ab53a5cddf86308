#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: counts over 32 bits in the options of sbatch, salloc and srun
#   (-n, -c, --ntasks-per-node, -N), the array throttle, %t/%j widths
#   in file names, and job ids over 32 bits (squeue, scontrol, scancel,
#   sacct, sprio, srun --jobid).
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
#   "Invalid job id 0", exit 1; a task over 32 bits (A_4294967298,
#   A_[4294967298], A_4294967294) names no task: silent, exit 0, the
#   array untouched.  sacct -j reads atoi's int in 32 bits: J+2^32 is J,
#   0 and 4294967296 (job 0) every job unless other ids are listed
#   ("0,J" is J), 4294967295, 2147483648 and past LONG_MAX no job, exit
#   0.  sprio -j reads an int as squeue does ("Invalid job id: N", exit
#   1).  srun --jobid (and SLURM_JOB_ID, its input variable; not
#   SLURM_JOBID) is parse_int's int in 32 bits: J+2^32 is J (-v's table
#   says "jobid : J"), 4294967296 is job 0 and 2147483648 job 2147483648
#   ("Unable to confirm allocation for job N: Invalid job id specified",
#   then "Check SLURM_JOB_ID environment variable. Expired or invalid job
#   N", exit 1), 4294967294 (NO_VAL) unset: a new allocation; 0, abc,
#   J_0, -5: 'Invalid numeric value "X" for --jobid.', past LONG_MAX
#   "Numeric argument (9223372036854775807) to big for --jobid.", exit
#   1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
echo "PriorityType=priority/multifactor" >>"$BERTH_STATE_DIR/berth.conf"
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
for id in "${a}_4294967298" "${a}_[4294967298]" "${a}_4294967294" \
    "${j}_4294967297"; do
	run scancel "$id"
	is "$RC/$ERR" "0/" "scancel $id: no such task, silent, exit 0"
done
run squeue -h -r -j "$a" -o %i
is "$RC/$OUT" "0/${a}_1
${a}_2
${a}_3" "…and the array's tasks are all there"

# sacct reads an id with atoi, into 32 bits; job 0 is every job.
run sacct -X -n -P -j "$w" -o jobid
is "$RC/$OUT" "0/$j" "sacct -j J+2^32 is job J"
every=$(sacct -X -n -P -S 2000-01-01 -o jobid)
for id in 0 4294967296; do
	run sacct -X -n -P -j "$id" -o jobid
	is "$RC/$OUT" "0/$every" "sacct -j $id is job 0: every job"
done
run sacct -X -n -P -j "0,$j" -o jobid
is "$RC/$OUT" "0/$j" "sacct -j 0,J: job J only"
for id in 4294967295 2147483648 99999999999999999999 "${j}_4294967297"; do
	run sacct -X -n -P -j "$id" -o jobid
	is "$RC/$OUT/$ERR" "0//" "sacct -j $id: no job, exit 0"
done

# sprio reads an int, as squeue does (a job pending for CPUs has a row).
submit -c 2 --wrap='sleep 300'
big=$JOB
wait_state "$big" RUNNING
submit --wrap=true
p=$JOB
wait_reason "$p" Resources
run sprio -h -j "$p" -o %i
is "$RC/$OUT" "0/$p" "sprio -j P: the pending job's row"
run sprio -h -j $((p + 4294967296)) -o %i
is "$RC/$OUT" "0/$p" "sprio -j P+2^32 is job P"
run scancel "$big" "$p"
for bad in 4294967296 4294967295 2147483648 99999999999999999999; do
	run sprio -h -j "$bad"
	is "$RC/$ERR" "1/sprio: error: Invalid job id: $bad" \
	    "sprio -j $bad: not a positive int, invalid"
done

run scancel "$w"
is "$RC/$ERR/$(job_state "$j")" "0//CANCELLED" "scancel J+2^32 cancels job J"
run scancel 0
is "$RC/$ERR" "1/scancel: error: Invalid job id 0" "scancel 0: invalid, exit 1"
run scancel -u "$ME"

# --- srun --jobid over 32 bits ----------------------------------------------
submit --wrap='sleep 300'
r=$JOB
wait_state "$r" RUNNING
run srun --jobid=$((r + 4294967296)) printenv SLURM_JOB_ID
is "$RC/$OUT" "0/$r" "srun --jobid=J+2^32 runs in job J"
run env SLURM_JOB_ID=$((r + 4294967296)) srun printenv SLURM_JOB_ID
is "$RC/$OUT" "0/$r" "…and so does SLURM_JOB_ID=J+2^32"
run srun -v --jobid=$((r + 4294967296)) true
like "$ERR" "(^|
)srun: jobid               : $r
" "…srun -v's table has the id it became"
for id in 4294967296 2147483648; do
	n=$((id % 4294967296))
	run srun --jobid=$id true
	is "$RC/$ERR" "1/srun: error: Unable to confirm allocation for job $n: Invalid job id specified
srun: Check SLURM_JOB_ID environment variable. Expired or invalid job $n" \
	    "srun --jobid=$id is job $n: unknown"
done
run srun --jobid=4294967294 printenv SLURM_JOB_ID
isnt "$RC/$OUT" "0/$r" "srun --jobid=4294967294 (NO_VAL): unset"
like "$RC/$OUT" "^0/[0-9]+$" "…so srun makes its own allocation"
run env SLURM_JOBID="$r" srun printenv SLURM_JOB_ID
isnt "$RC/$OUT" "0/$r" "srun does not read SLURM_JOBID"
for id in 0 abc "${r}_0" -5; do
	run srun --jobid="$id" true
	is "$RC/$ERR" "1/srun: error: Invalid numeric value \"$id\" for --jobid." \
	    "srun --jobid=$id: Slurm's parse_int error"
done
run srun --jobid=99999999999999999999 true
is "$RC/$ERR" "1/srun: error: Numeric argument (9223372036854775807) to big for --jobid." \
    "srun --jobid past LONG_MAX: 'to big'"
run scancel "$r"

# --- widths in file names -------------------------------------------------
run srun -o 'a.%4294967297t' true
run srun -o 'b.%9t' true
submit -W -o 'c.%99999999999999999999j' --wrap=true
is "$(ls a.* b.* c.* 2>&1 | tr '\n' ' ')" "a.0000000000 b.000000000 c.$(printf %010d "$JOB") " \
    "widths stop at 10 digits"

done_testing
