#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch --test-only with a hold, a dependency, a begin time, a
#   time limit over the partition's MaxTime, and requests the node can
#   never hold (-c 999, -n 3, -N 2); SLURM_NTASKS_PER_NODE in a job, an
#   allocation and srun's tasks asked with --ntasks-per-node.
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref",
#   a 2-CPU job with -t 5 running): will_run does not look at --hold or
#   --dependency (the start is the running job's end), answers a later
#   --begin time with that time, ignores MaxTime (`-p debug -t 60` starts
#   now) and refuses -c 999, -n 3 and -N 2 with "allocation failure:
#   Requested node configuration is not available", exit 1.  sbatch
#   --ntasks-per-node=2 gives the job SLURM_NTASKS_PER_NODE=2, as salloc
#   (and the steps inside) and srun's tasks.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

when() { sed -n 's/.* to start at \([^ ]*\) using .*/\1/p' <<<"$ERR"; }

hold='for i in $(seq 1 3000); do [ -e release ] && exit 0; sleep 0.02; done; exit 1'
submit -J run5 -c 2 -t 5 -o /dev/null --wrap="$hold"; r=$JOB
wait_state "$r" RUNNING
ends=$(squeue -h -j "$r" -o %e)

run sbatch --test-only --wrap=true
is "$RC/$(when)" "0/$ends" "--test-only: the running job's end"
run sbatch --test-only --hold --wrap=true
is "$RC/$(when)" "0/$ends" "--test-only --hold: the same (the hold is not looked at)"
run sbatch --test-only --dependency=afterok:"$r" --wrap=true
is "$RC/$(when)" "0/$ends" "--test-only --dependency: the same"
run sbatch --test-only --begin=now+1hour --wrap=true
b=$(when)
like "$RC/$b" '^0/[0-9]{4}-[0-9]{2}-[0-9]{2}T' "--test-only --begin=now+1hour: a start time"
ok "... the begin time, after the running job's end ($b)" test "$b" \> "$ends"
run sbatch --test-only -p debug -t 60 --wrap=true
like "$RC/$ERR" "^0/sbatch: Job [0-9]+ to start at $ends using 1 processors on nodes $HOST in partition debug\$" \
    "--test-only over the partition's MaxTime: planned all the same"
for o in "-c 999" "-n 3" "-N 2"; do
	# shellcheck disable=SC2086
	run sbatch --test-only $o --wrap=true
	is "$RC/$ERR" "1/allocation failure: Requested node configuration is not available" \
	    "--test-only $o: never fits"
done
is "$(squeue -h -o %i)" "$r" "--test-only created no job"
touch release
wait_done "$r"

# --- SLURM_NTASKS_PER_NODE ---------------------------------------------------
j=$(sbatch --parsable --ntasks-per-node=2 -o tpn.out \
    --wrap='echo "tpn=$SLURM_NTASKS_PER_NODE n=$SLURM_NTASKS"')
wait_done "$j"
is "$(cat tpn.out)" "tpn=2 n=2" "--ntasks-per-node=2: SLURM_NTASKS_PER_NODE=2 in the job"
run salloc -N 1 --ntasks-per-node=2 sh -c 'echo "$SLURM_NTASKS_PER_NODE"; srun sh -c "echo \$SLURM_NTASKS_PER_NODE" | sort -u'
is "$RC/$OUT" "0/2
2" "salloc --ntasks-per-node=2: in salloc's command and its steps"
run srun -N 1 --ntasks-per-node=2 sh -c 'echo "$SLURM_NTASKS_PER_NODE"'
is "$RC/$OUT" "0/2
2" "srun --ntasks-per-node=2: in the tasks"

done_testing
