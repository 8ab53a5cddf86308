#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: MaxJobCount enforced at submission: the jobs the daemon holds
#   (pending, running, ended within MinJobAge; an array record as many
#   jobs as its pending tasks) plus the new job (an array: its task
#   count) must stay below it; srun and salloc say so once and retry
#   after 1, 2, ... seconds, and go on once a job has gone; so does
#   sbatch, with its own line.
# Slurm behaviour copied (checked on real Slurm 22.05.8 with
#   MaxJobCount=8: seven jobs accepted, the eighth refused with EAGAIN;
#   --array=0-7 refused on an empty queue, --array=0-6 accepted):
#   srun prints "srun: error: Slurm controller not responding, sleeping
#   and retrying." and gives up after 55 s with exit 1 and no other line;
#   salloc "salloc: error: Slurm job queue full, sleeping and retrying."
#   then after 55 s "salloc: error: Job submit/allocate failed: Resource
#   temporarily unavailable", exit 1; sbatch "sbatch: error: Slurm
#   temporarily unable to accept job, sleeping and retrying", after 120 s
#   "sbatch: error: Batch job submission failed: Resource temporarily
#   unavailable", exit 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
printf '%s\n' MaxJobCount=4 MinJobAge=0 >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing

run scontrol show config
like "$OUT" "MaxJobCount +=? 4" "MaxJobCount shown"

# Three tasks: three jobs.
submit -H -o /dev/null --array=0-2 --wrap=true; arr=$JOB

# srun: refused (3 + 1 reaches 4), says so, retries; a cancelled task
# leaves (MinJobAge=0) and the retry gets through.
srun -J s1 echo srun-ran >srun.out 2>srun.err &
sp=$!
said() { grep -q 'sleeping and retrying' "$1"; }
wait_for 10 said srun.err
is "$(<srun.err)" "srun: error: Slurm controller not responding, sleeping and retrying." \
    "srun at MaxJobCount: Slurm's line, once"
scancel "${arr}_2"
wait "$sp"
rc=$?
is "$rc/$(<srun.out)" "0/srun-ran" "srun's retry went through once a task had gone"

# salloc: two tasks left, plus a held job: 3 again.
submit -H -o /dev/null --wrap=true; h=$JOB
salloc -J a1 true >salloc.out 2>salloc.err &
sp=$!
wait_for 10 said salloc.err
is "$(head -n 1 salloc.err)" "salloc: error: Slurm job queue full, sleeping and retrying." \
    "salloc at MaxJobCount: Slurm's line"
scancel "$h"
wait "$sp"
rc=$?
is "$rc" 0 "salloc's retry went through once a job had gone"
like "$(<salloc.err)" "salloc: Granted job allocation [0-9]+" "and was granted"

# sbatch: two tasks held.  An array of two would reach 4 (its tasks
# count): refused, said once, retried; through once the tasks are gone.
sbatch --parsable -H -o /dev/null --array=0-1 --wrap=true >sb.out 2>sb.err &
sp=$!
wait_for 10 said sb.err
is "$(<sb.err)" "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying" \
    "sbatch at MaxJobCount: Slurm's line, once"
is "$(squeue -h -o %i | sort)" "${arr}_[0-1]" "nothing queued while it waits"
scancel "$arr"
wait "$sp"
rc=$?
like "$rc/$(<sb.out)" '^0/[0-9]+$' "sbatch's retry went through once the tasks had gone"
is "$(squeue -h -r -o %i | wc -l)" 2 "…with its two tasks"
scancel "$(<sb.out)"
done_testing
