#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: --dependency enforced by the daemon (afterok, afterany,
#   afternotok, after, singleton, ?-lists), reasons Dependency and
#   DependencyNeverSatisfied with squeue %E strings, unknown job ids
#   ignored, bad specifications refused, dependencies surviving a daemon
#   restart; --begin with reason BeginTime, the planned start in
#   squeue --start, EligibleTime, and the job starting on its own when the
#   time comes (no polling: the daemon's timer).
# Slurm behaviour copied (slurm-reference 13_sbatch_dependency.txt,
#   02_sbatch_errors.txt, 14_sbatch_begin_hold.txt, 30_squeue.txt):
#   `afterok:<failed job>` pends with DependencyNeverSatisfied and %E
#   "afterok:N(failed)"; `afterok:999999` is accepted and ignored;
#   `garbage:1` is refused with "Job dependency problem", exit 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A job that runs until the test creates $1 (bounded).
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }

submit -J a -o /dev/null --wrap="$(waiter go_a)"; a=$JOB
submit -J f -o /dev/null --wrap='exit 1'; f=$JOB
wait_done "$f"
submit -J ok -o /dev/null -d "afterok:$a" --wrap=true; ok=$JOB
submit -J never -o /dev/null -d "afterok:$f" --wrap=true; never=$JOB
submit -J notok -o notok.out -d "afternotok:$f" --wrap='echo ran'; notok=$JOB
submit -J any -o /dev/null -d "afterany:$a" --wrap=true; any=$JOB
submit -J after -o after.out -d "after:$a" --wrap='echo ran'; aft=$JOB
submit -J either -o either.out -d "afterok:$a?afternotok:$f" \
    --wrap='echo ran'; either=$JOB

wait_reason "$ok" Dependency
is "$(job_reason "$ok")" Dependency "afterok on a running job: Dependency"
run squeue -h -j "$ok" -o %E
is "$OUT" "afterok:$a(unfulfilled)" "%E shows the unfulfilled item"
wait_reason "$never" DependencyNeverSatisfied
is "$(job_reason "$never")" DependencyNeverSatisfied \
    "afterok on a failed job: DependencyNeverSatisfied"
run squeue -h -j "$never" -o %E
is "$OUT" "afterok:$f(failed)" "%E shows the failed item"
wait_done "$notok"
is "$(job_state "$notok")" COMPLETED "afternotok on a failed job runs"
wait_done "$aft"
is "$(job_state "$aft")" COMPLETED "after: runs once the job has started"
wait_done "$either"
is "$(job_state "$either")" COMPLETED "a ?-list runs when one item is met"
is "$(job_state "$any")" PENDING "afterany waits while the job runs"

touch go_a
wait_done "$a"
wait_done "$ok"
is "$(job_state "$ok")" COMPLETED "afterok runs after the job succeeded"
wait_done "$any"
is "$(job_state "$any")" COMPLETED "afterany runs after the job ended"
run squeue -h -j "$never" -o '%T %r'
is "$OUT" "PENDING DependencyNeverSatisfied" \
    "the never-satisfiable job still pends"

# --- --kill-on-invalid-dep ----------------------------------------------
submit -J killme -o /dev/null -d "afterok:$f" --kill-on-invalid-dep=yes \
    --wrap=true; km=$JOB
wait_done "$km"
run sacct -n -X -P -o State,Reason -j "$km"
is "$OUT" "CANCELLED|DependencyNeverSatisfied" \
    "--kill-on-invalid-dep=yes cancels a never-satisfiable job"
submit -J keepme -o /dev/null -d "afterok:$f" --kill-on-invalid-dep=no \
    --wrap=true; kp=$JOB
wait_reason "$kp" DependencyNeverSatisfied
is "$(job_state "$kp")" PENDING "--kill-on-invalid-dep=no keeps it pending"
run scancel "$kp"

# --- unknown and bad specifications -------------------------------------
run sbatch --parsable -o /dev/null -d afterok:999999 --wrap=true
is "$RC" 0 "a dependency on an unknown job is accepted"
u=$OUT
wait_done "$u"
is "$(job_state "$u")" COMPLETED "and ignored: the job runs"
before=$(sacct -n -X -P -o JobID | wc -l)
run sbatch -o /dev/null -d garbage:1 --wrap=true
is "$RC/$OUT" "1/" "a bad dependency: exit 1, nothing on stdout"
is "$ERR" "sbatch: error: Batch job submission failed: Job dependency problem" \
    "with Slurm's message"
is "$(sacct -n -X -P -o JobID | wc -l)" "$before" "and no job was created"

# --- singleton ------------------------------------------------------------
submit -J single -o /dev/null --wrap="$(waiter go_s)"; s1=$JOB
submit -J single -o /dev/null -d singleton --wrap=true; s2=$JOB
wait_reason "$s2" Dependency
is "$(job_reason "$s2")" Dependency "singleton waits for the running namesake"
touch go_s
wait_done "$s2"
is "$(job_state "$s2")" COMPLETED "and runs after it"

# --- a dependency survives a daemon restart -----------------------------
submit -J b -o /dev/null --wrap="$(waiter go_b)"; b=$JOB
submit -J dep -o /dev/null -d "afterok:$b" --wrap=true; d=$JOB
wait_reason "$d" Dependency
kill_daemon
start_daemon || done_testing
run squeue -h -j "$d" -o '%T %r %E'
is "$OUT" "PENDING Dependency afterok:$b(unfulfilled)" \
    "after a kill -9 and restart the dependency still holds"
touch go_b
wait_done "$d"
is "$(job_state "$d")" COMPLETED "and is satisfied when the job ends"

# --- --begin ----------------------------------------------------------------
# sbatch reads the clock somewhere between t0 and t1; the begin time is
# 5 s on, room for the three looks below on a loaded machine.
t0=$(date +%s)
submit -J later -o later.out --begin=now+5 --wrap='date +%s'; l=$JOB
t1=$(date +%s)
wait_reason "$l" BeginTime
is "$(job_reason "$l")" BeginTime "a future --begin pends with BeginTime"
run squeue -h -j "$l" --start -o '%S'
begin_ok() {
	local t
	for t in $(seq $((t0 + 5)) $((t1 + 5))); do
		[ "$1" = "$(date -d "@$t" +%Y-%m-%dT%H:%M:%S)" ] && return 0
	done
	return 1
}
ok "squeue --start shows the begin time ($OUT)" begin_ok "$OUT"
wait_done "$l" 15
is "$(job_state "$l")" COMPLETED "the job starts by itself at its begin time"
ran=$(cat later.out 2>/dev/null)
ok "not before the begin time ($ran >= $((t0 + 5)))" \
    test "${ran:-0}" -ge $((t0 + 5))
run sacct -n -X -P -o Eligible,Start -j "$l"
e=${OUT%%|*}
ok "EligibleTime is the begin time ($e)" begin_ok "$e"
submit -J past -o /dev/null --begin=2000-01-01 --wrap=true; p=$JOB
wait_done "$p"
is "$(job_state "$p")" COMPLETED "a begin time in the past runs at once"

done_testing
