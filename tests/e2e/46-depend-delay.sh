#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a +M dependency delay keeps a job pending (reason Dependency,
#   %E "afterok:N+1(unfulfilled)") after its dependency is met, until M
#   minutes after the other job's end; DependencyParameters=
#   kill_invalid_depend as the configured default (a never-satisfiable
#   job is cancelled with reason DependencyNeverSatisfied, unless the job
#   says --kill-on-invalid-dep=no), shown by scontrol show config; a
#   held job's %E with its state "(unfulfilled)"; bad
#   dependency specifications refused at submission and in scontrol
#   update, changing nothing.
# Slurm behaviour copied (man sbatch: "after:job_id[[+time]...] ... time
#   in minutes"; slurm.conf DependencyParameters kill_invalid_depend;
#   00_info.txt "DependencyParameters = (null)"; 02_sbatch_errors:
#   "Batch job submission failed: Job dependency problem", exit 1;
#   scontrol update: "Job dependency problem for job N", exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing
run scontrol show config
like "$OUT" "DependencyParameters *= \(null\)" "show config: DependencyParameters (null) by default"

# --- +M delay ------------------------------------------------------------------
submit -o /dev/null --wrap=true; a=$JOB
submit -o /dev/null -d "afterok:$a+1" --wrap=true; b=$JOB
wait_done "$a"
is "$(job_state "$a")" COMPLETED "the first job completed"
run squeue -h -j "$b" -o '%T %r %E'
is "$OUT" "PENDING Dependency afterok:$a+1(unfulfilled)" \
    "afterok:N+1: still waiting a minute after N completed"

# --- bad specifications change nothing -----------------------------------------
before=$(sacct -n -X -P -o JobID | wc -l)
for bad in afterok afterok:abc 'afterok:1+x' 'after:' 'bogus:12'; do
	run sbatch -o /dev/null -d "$bad" --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Job dependency problem" \
	    "-d $bad: refused, exit 1"
done
is "$(sacct -n -X -P -o JobID | wc -l)" "$before" "no job was created"
submit -o /dev/null -d "afterok:$b" --wrap=true; h=$JOB
wait_reason "$h" Dependency
run scontrol update jobid="$h" Dependency=afterok:abc
is "$RC/$ERR" "1/Job dependency problem for job $h" "scontrol update Dependency=afterok:abc refused"
run squeue -h -j "$h" -o %E
is "$OUT" "afterok:$b(unfulfilled)" "... and the dependency is unchanged"
# A held job's dependency is shown with its state too, as slurmctld
# writes it at submission.
submit -o /dev/null --hold -d "afterok:$b" --wrap=true; hh=$JOB
wait_reason "$hh" JobHeldUser
is "$(squeue -h -j "$hh" -o '%r %E')" "JobHeldUser afterok:$b(unfulfilled)" \
    "held: %E afterok:N(unfulfilled)"
run scancel "$h" "$b" "$hh"
stop_daemon

# --- DependencyParameters=kill_invalid_depend ----------------------------------
echo "DependencyParameters=kill_invalid_depend" >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing
run scontrol show config
like "$OUT" "DependencyParameters *= kill_invalid_depend" "show config: kill_invalid_depend"
submit -o /dev/null --wrap=false; f=$JOB
wait_done "$f"
submit -o /dev/null -d "afterok:$f" --wrap=true; k=$JOB
submit -o /dev/null -d "afterok:$f" --kill-on-invalid-dep=no --wrap=true; n=$JOB
wait_done "$k"
run sacct -n -X -P -o State,Reason -j "$k"
is "$OUT" "CANCELLED|DependencyNeverSatisfied" \
    "kill_invalid_depend: a never-satisfiable job is cancelled"
wait_reason "$n" DependencyNeverSatisfied
is "$(job_state "$n")/$(squeue -h -j "$n" -o %E)" "PENDING/afterok:$f(failed)" \
    "--kill-on-invalid-dep=no overrides it: pending"
run scancel "$n"

done_testing
