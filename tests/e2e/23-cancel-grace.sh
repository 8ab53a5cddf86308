#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scancel of a running job whose processes ignore or outlive
#   SIGTERM (issue 2 part 4: TERM, grace, KILL of the whole process group
#   on cancel): the batch shell gets SIGTERM first (its trap runs), the
#   job goes on for KillWait, then SIGKILL ends the shell and a background
#   child that ignores SIGTERM; the job is CANCELLED, its batch step
#   CANCELLED 0:9; no process of the job is left.
# Slurm behaviour copied: slurmstepd's kill on scancel (SIGCONT, SIGTERM,
#   KillWait, SIGKILL to the job's processes); 41_scancel / 50_sacct for
#   the states; 41-timeout has the same for the time limit.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -o out.txt --wrap='
(trap "" TERM; exec sleep 300) & echo $! >child
trap "echo got TERM" TERM
echo started
for i in $(seq 1 1500); do sleep 0.2; done'
j=$JOB
wait_for 10 file_has out.txt started
wait_for 10 file_nonempty child
c=$(cat child 2>/dev/null)
like "$c" '^[0-9]+$' "the job started a background child that ignores TERM"

run scancel "$j"
is "$RC/$ERR" "0/" "scancel of the running job"
wait_for 10 file_has out.txt "got TERM"
ok "SIGTERM reached the batch shell first (its trap ran)" \
    file_has out.txt "got TERM"
wait_done "$j"
is "$(sacct -n -P -o JobID,State,ExitCode -j "$j" 2>&1 | sed 's/ by [0-9]*//')" \
    "$j|CANCELLED|0:0
$j.batch|CANCELLED|0:9" "after KillWait SIGKILL: job CANCELLED, batch step CANCELLED 0:9"
wait_for 10 proc_gone "${c:-0}"
ok "the child that ignored SIGTERM is gone too" proc_gone "${c:-0}"
ok "the job's output says it was cancelled" \
    grep -qE "^slurmstepd-$HOST: error: \\*\\*\\* JOB $j ON $HOST CANCELLED AT [0-9T:-]+ \\*\\*\\*$" out.txt

done_testing
