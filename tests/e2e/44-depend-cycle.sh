#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: circular dependencies refused: `scontrol update job X
#   Dependency=afterok:Y` when Y (directly or through other pending jobs)
#   depends on X; the error text and exit code, and nothing changed.  A
#   held job naming the next job's id has it lifted, so that job may
#   depend on the held one.
# Slurm behaviour copied (job_mgr.c update_job_dependency/_scan_depend:
#   ESLURM_CIRCULAR_DEPENDENCY "Circular job dependency", up to 10 levels;
#   scontrol update prints "<error> for job N", exit 1; sbatch prints
#   "Batch job submission failed: <error>", exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J a -H -o /dev/null --wrap=true; a=$JOB
submit -J b -H -o /dev/null -d "afterok:$a" --wrap=true; b=$JOB
submit -J c -H -o /dev/null -d "afterany:$b" --wrap=true; c=$JOB

run scontrol update jobid="$a" Dependency="afterok:$b"
is "$RC/$ERR" "1/Circular job dependency for job $a" "A -> B -> A refused"
run scontrol show job "$a"
like "$OUT" "Dependency=\(null\)" "A's dependency unchanged"
run scontrol update jobid="$a" Dependency="afterany:$c" JobName=renamed
is "$RC/$ERR" "1/Circular job dependency for job $a" "A -> C -> B -> A refused"
run squeue -h -j "$a" -o %j
is "$OUT" a "and no other key of the request applied"
run scontrol update jobid="$a" Dependency="afterok:$a"
is "$RC/$ERR" "1/Job dependency problem for job $a" "a job naming itself"

# A ?-list with one item closing the cycle is still a cycle.
run scontrol update jobid="$a" Dependency="afterok:999999?afternotok:$c"
is "$RC/$ERR" "1/Circular job dependency for job $a" "cycle inside a ?-list"

# Not a cycle: a fourth job depending on B too.
submit -J d -H -o /dev/null --wrap=true; d=$JOB
run scontrol update jobid="$d" Dependency="afterok:$b"
is "$RC/$ERR" "0/" "a dependency without a cycle is accepted"
run scontrol update jobid="$a" Dependency="afterok:$d"
is "$RC/$ERR" "1/Circular job dependency for job $a" "A -> D -> B -> A refused"

# A held job naming the id the next job will get no longer waits for it
# once its list is read (the id is lifted, 46-depend-held), so the job
# that gets the id may depend on the held one: no cycle.  (Real Slurm
# refuses this one with "Circular job dependency" until its next
# periodic pass lifts the id, within a minute.)
submit -J w -o /dev/null --wrap=true; w=$JOB
submit -J x -H -o /dev/null -d "afterok:$((w + 2))" --wrap=true; x=$JOB
lifted() { [ "$(squeue -h -j "$x" -o %E)" = "(null)" ]; }
wait_for 10 lifted
run sbatch --parsable -J y -H -o /dev/null -d "afterok:$x" --wrap=true
is "$RC/$OUT/$ERR" "0/$((w + 2))/" \
    "the job taking the lifted id may depend on the held job"

scancel "$a" "$b" "$c" "$d" "$x" "$((w + 2))"
done_testing
