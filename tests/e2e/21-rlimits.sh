#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: resource limits propagated from sbatch to the job: by default
#   (PropagateResourceLimits=ALL) the submitter's soft limits, with
#   --propagate=NONE none (the job keeps the daemon's), with a list only
#   those named ("RLIMIT_" optional), with --get-user-env none;
#   SLURM_RLIMIT_* not shown to the job;
#   an unknown name refused before anything is submitted.
# Slurm behaviour copied: sbatch's _set_rlimit_env() and parse_rlimits()
#   (src/sbatch/sbatch.c, src/common/slurm_rlimits_info.c): each
#   propagated limit travels as SLURM_RLIMIT_<NAME>=[U]<soft>, slurmstepd
#   applies it and removes the variable; a bad name prints "Bad rlimit
#   name: X" and "--propagate=X is not valid." and exits 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

script limits.sh '#!/bin/sh' \
    'echo "nofile=$(ulimit -n) stack=$(ulimit -s) rlimit_vars=$(env | grep -c ^SLURM_RLIMIT_)"'

# A limit of a process as `ulimit` prints it (KB for the stack).
limit_of() {	# PID FIELD SOFT|HARD
	awk -v what="$2" -v col="$3" 'index($0, what) == 1 {
		sub(what, ""); split($0, f, " +")
		v = col == "SOFT" ? f[2] : f[3]
		if (v != "unlimited" && what == "Max stack size") v = v / 1024
		print v; exit }' "/proc/$1/limits"
}
# The daemon's soft limits: what a job gets when nothing is propagated.
d_nofile=$(limit_of "$DAEMON_PID" "Max open files" SOFT)
d_stack_kb=$(limit_of "$DAEMON_PID" "Max stack size" SOFT)
# Submitter limits below the shell's hard limits and unlike the
# daemon's, so that each is seen.
h_nofile=$(limit_of $$ "Max open files" HARD)
nofile=$((h_nofile > 600 ? 555 : h_nofile / 2))
[ "$nofile" = "$d_nofile" ] && nofile=$((nofile - 1))
stack=4096
[ "$d_stack_kb" = 4096 ] && stack=2048

# limited ARGS...: sbatch ARGS limits.sh with the lowered soft limits.
limited() {
	run bash -c "ulimit -S -n $nofile && ulimit -S -s $stack &&
	    exec sbatch --parsable -o %j.out $* limits.sh"
	JOB=$OUT
}

limited
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$nofile stack=$stack rlimit_vars=0" \
    "by default the submitter's soft limits reach the job, the variables do not"

limited --propagate
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$nofile stack=$stack rlimit_vars=0" \
    "--propagate alone: all of them"

limited --propagate=NONE
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$d_nofile stack=$d_stack_kb rlimit_vars=0" \
    "--propagate=NONE: the job keeps the daemon's limits"

limited --propagate=RLIMIT_NOFILE
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$nofile stack=$d_stack_kb rlimit_vars=0" \
    "--propagate=RLIMIT_NOFILE: only that one"

limited --propagate=STACK,CORE
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$d_nofile stack=$stack rlimit_vars=0" \
    "--propagate=STACK,CORE: only those"

limited --get-user-env
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$d_nofile stack=$d_stack_kb rlimit_vars=0" \
    "--get-user-env: none (as Slurm's sbatch)"

script limits2.sh '#!/bin/sh' '#SBATCH --propagate=NOFILE' \
    'echo "nofile=$(ulimit -n) stack=$(ulimit -s)"'
run bash -c "ulimit -S -n $nofile && ulimit -S -s $stack &&
    exec sbatch --parsable -o %j.out limits2.sh"
JOB=$OUT
wait_done "$JOB"
is "$(cat "$JOB.out")" "nofile=$nofile stack=$d_stack_kb" \
    "#SBATCH --propagate=NOFILE"

before=$(sacct -X -n -o JobID | wc -l)
run sbatch --propagate=FOO,NOFILE -o /dev/null limits.sh
is "$RC/$OUT" "1/" "an unknown rlimit name: exit 1, no job id"
is "$ERR" "sbatch: error: Bad rlimit name: FOO
sbatch: error: --propagate=FOO,NOFILE is not valid." "…in Slurm's words"
run sbatch --propagate=nofile -o /dev/null limits.sh
is "$RC" 1 "names are upper case, as in Slurm"
is "$(sacct -X -n -o JobID | wc -l)" "$before" "…and nothing was submitted"

done_testing
