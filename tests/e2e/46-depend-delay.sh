#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a +M dependency delay keeps a job pending (reason Dependency,
#   %E "afterok:N+1(unfulfilled)") after its dependency is met, until M
#   minutes after the other job's end; DependencyParameters=
#   kill_invalid_depend as the configured default (a never-satisfiable
#   job is cancelled with reason DependencyNeverSatisfied, unless the job
#   says --kill-on-invalid-dep=no, and held or not), shown by scontrol
#   show config; dependencies evaluated before the hold and the begin
#   time (a held job's %E shows a failed item, reason Dependency before
#   BeginTime, a dependency met while held kept until the release,
#   EligibleTime set by the release); bad
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
# Dependencies are tested before the hold (slurmctld job_independent(),
# "so we can cancel jobs before dependent job records get purged"): a
# held job whose dependency failed is cancelled without a release.
submit -o /dev/null --hold -d "afterok:$f" --wrap=true; hk=$JOB
wait_done "$hk"
run sacct -n -X -P -o State,Reason -j "$hk"
is "$OUT" "CANCELLED|DependencyNeverSatisfied" \
    "kill_invalid_depend: a held job is cancelled too, without a release"
stop_daemon

# --- dependencies evaluated before the hold and the begin time ------------------
write_conf_ref
start_daemon || done_testing
submit -o /dev/null --wrap=false; f=$JOB
wait_done "$f"
submit -o /dev/null --wrap="$(printf 'for i in $(seq 1 3000); do [ -e %s ] && exit 0; sleep 0.02; done; exit 1' "$T/work/go_r")"; r=$JOB
submit -o /dev/null --hold -d "afterok:$f" --wrap=true; h1=$JOB
submit -o /dev/null --hold -d "afterok:$r" --wrap=true; h2=$JOB
submit -o /dev/null --begin=now+600 -d "afterok:$r" --wrap=true; bt=$JOB
wait_state "$r" RUNNING
is "$(squeue -h -j "$h1" -o '%r %E')" "JobHeldUser afterok:$f(failed)" \
    "held: %E shows the failed item; the reason stays the hold's"
is "$(squeue -h -j "$bt" -o '%r')" "Dependency" \
    "an unmet dependency is the reason before a begin time to come"
touch "$T/work/go_r"
wait_done "$r"
wait_reason "$bt" BeginTime
is "$(squeue -h -j "$bt" -o '%r %E')" "BeginTime (null)" \
    "…then, met, the begin time is"
is "$(squeue -h -j "$h2" -o '%r %E')" "JobHeldUser afterok:$r(unfulfilled)" \
    "a held job's dependency met while held is kept, to be decided at the release"
like "$(scontrol show job "$h2")" "EligibleTime=Unknown" \
    "…and it is not eligible until released"
run scontrol release "$h1" "$h2"
wait_done "$h2"
is "$(job_state "$h2")" COMPLETED "released, it runs"
wait_reason "$h1" DependencyNeverSatisfied
is "$(job_state "$h1")" PENDING \
    "released behind a failed dependency: DependencyNeverSatisfied"
like "$(scontrol show job "$h1")" "EligibleTime=Unknown" \
    "…and its EligibleTime stays unknown"
run scancel "$h1" "$bt"

done_testing
