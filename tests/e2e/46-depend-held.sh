#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a held job's dependency on job ids no job has: lifted at once
#   (at submission, on scontrol update), not kept until the release, so a
#   job that takes such an id later is not waited for; ','-lists keep
#   their other items, a '?'-list is met; the release then starts the
#   job.  A job forgotten by memory (MinJobAge) still counts (berth's
#   documented difference).
# Slurm behaviour copied (checked on real Slurm 22.05.8 on the reference
#   machine): `sbatch --hold -d afterok:999999` shows
#   "afterok:999999(unfulfilled)" until slurmctld's next periodic pass
#   (purge_old_job, within a minute), then "(null)" with reason
#   JobHeldUser; `afterok:999998,afterok:R` (R running) keeps
#   "afterok:R(unfulfilled)"; `afterok:999997?afterok:R` becomes
#   "(null)"; `scontrol update Dependency=afterok:999996` of a held job
#   the same; `scontrol release` of such a job lets it run.  Not held,
#   `afterok:999999` is "(null)" at once (02_sbatch_errors.txt).
. "$(dirname "$0")/lib.sh"

write_conf_ref
echo "MinJobAge=1" >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing

# A job that runs until the test creates $1 (bounded).
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
dep_is() { [ "$(squeue -h -j "$1" -o %E)" = "$2" ]; }

submit -J r -o /dev/null --wrap="$(waiter go_r)"; r=$JOB
wait_state "$r" RUNNING

submit -J h1 -H -o /dev/null -d afterok:999999 --wrap=true; h1=$JOB
wait_for 10 dep_is "$h1" "(null)"
run squeue -h -j "$h1" -o '%T|%r|%E'
is "$OUT" "PENDING|JobHeldUser|(null)" \
    "held, afterok on an id no job has: lifted, still held"

submit -J h2 -H -o /dev/null -d "afterok:999998,afterok:$r" --wrap=true; h2=$JOB
wait_for 10 dep_is "$h2" "afterok:$r(unfulfilled)"
is "$(squeue -h -j "$h2" -o %E)" "afterok:$r(unfulfilled)" \
    "a ','-list keeps its other items"

submit -J h3 -H -o /dev/null -d "afterok:999997?afterok:$r" --wrap=true; h3=$JOB
wait_for 10 dep_is "$h3" "(null)"
is "$(squeue -h -j "$h3" -o %E)" "(null)" "a '?'-list is met by the lifted item"

submit -J h5 -H -o /dev/null --wrap=true; h5=$JOB
run scontrol update jobid="$h5" Dependency=afterok:999996
is "$RC/$ERR" "0/" "scontrol update of a held job to an unknown id is accepted"
wait_for 10 dep_is "$h5" "(null)"
is "$(squeue -h -j "$h5" -o '%r|%E')" "JobHeldUser|(null)" \
    "and the id is lifted, the job still held"
run scontrol update jobid="$h5" Dependency="afterok:$r"
is "$(squeue -h -j "$h5" -o %E)" "afterok:$r(unfulfilled)" \
    "a known job is kept"

# The id the next job gets: lifted before that job exists, so the held
# job does not wait for it (before, the release made it wait for the
# failed job, DependencyNeverSatisfied).
submit -J w -o /dev/null --wrap=true; w=$JOB
submit -J h4 -H -o h4.out -d "afterok:$((w + 2))" --wrap='echo ran'; h4=$JOB
wait_for 10 dep_is "$h4" "(null)"
submit -J f -o /dev/null --wrap='exit 1'; f=$JOB
is "$f" "$((w + 2))" "the failing job took the id the held job named"
wait_done "$f"
run scontrol release "$h4"
is "$RC/$ERR" "0/" "release"
wait_done "$h4"
is "$(sacct -n -X -P -o State -j "$h4")" "COMPLETED" \
    "the released job ran: the failed job that took the id is not its dependency"
ok "and wrote its output" file_has h4.out ran

run scontrol release "$h1"
wait_done "$h1"
is "$(sacct -n -X -P -o State -j "$h1")" "COMPLETED" \
    "releasing the job whose only item was lifted runs it"

# A failed job forgotten by memory (MinJobAge=1) is still known: held,
# the item shows failed (Slurm has forgotten it and lifts the item).
gone() { [ -z "$(squeue -h -t all -j "$f" -o %i 2>/dev/null)" ]; }
wait_for 20 gone
submit -J h6 -H -o /dev/null -d "afterok:$f" --wrap=true; h6=$JOB
wait_for 10 dep_is "$h6" "afterok:$f(failed)"
is "$(squeue -h -j "$h6" -o '%r|%E')" "JobHeldUser|afterok:$f(failed)" \
    "a failed job no longer in memory still fails the item"

touch go_r
wait_done "$r"
scancel "$h2" "$h3" "$h5" "$h6"
done_testing
