#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scancel of pending and running jobs (CANCELLED in squeue/sacct,
#   "CANCELLED by <uid>" with -P, "CANCELLED+" in the fixed-width view), the
#   "*** JOB N ON host CANCELLED AT ... ***" line in a cancelled running
#   job's output, the job's process group being gone afterwards,
#   --signal=USR1 with and without -b, -n, -t PENDING, -u, an unknown id, a
#   second scancel of the same job, an unknown user, -v with filters.
# Slurm behaviour copied (slurm-reference 41_scancel.txt, 50_sacct.txt):
#   --signal without -b does not reach the batch shell (no steps there), with
#   -b it reaches the shell's trap and the job goes on; scancel of an
#   unknown or finished job exits 0 silently; -u nosuchuser exits 1 with
#   "scancel: error: Invalid user name: nosuchuser".
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A job that waits (bounded) until the test creates $1.
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }

# --- cancel a pending job ----------------------------------------------------
submit -J pend --hold -o /dev/null --wrap=true; p=$JOB
run scancel "$p"
is "$RC/$OUT/$ERR" "0//" "scancel of a pending job: exit 0, silent"
wait_state "$p" CANCELLED
is "$(job_state "$p")" CANCELLED "the pending job is CANCELLED"
run sacct -n -X -P -o JobID,JobName,State,ExitCode -j "$p"
is "$OUT" "$p|pend|CANCELLED by $MY_UID|0:0" "sacct -P: 'CANCELLED by <uid>', 0:0"
run sacct -n -X -o State -j "$p"
is "$(tr -d ' ' <<<"$OUT")" "CANCELLED+" "sacct fixed width: CANCELLED+"
run sacct -n -P -o JobID -j "$p"
is "$OUT" "$p" "a job cancelled while pending has no .batch step"
# What held a pending job back stays its reason once cancelled (real
# Slurm: squeue -t all "CANCELLED Dependency", sacct Reason in 41_scancel).
submit -J dep -d "afterany:$p" -o /dev/null --wrap=true
submit -J dep2 -d "afterok:999999" --begin=now+600 -o /dev/null --wrap=true; bg=$JOB
submit -J blocker -d "afterany:$bg" -o /dev/null --wrap=true; dp=$JOB
run scancel "$bg" "$dp"
run squeue -h -t all -j "$p,$bg,$dp" -o '%i %T %r'
is "$OUT" "$bg CANCELLED BeginTime
$dp CANCELLED Dependency
$p CANCELLED JobHeldUser" "squeue -t all: cancelled pending jobs keep their reason"
run sacct -n -X -P -o JobID,Reason -j "$p,$bg,$dp"
is "$OUT" "$p|JobHeldUser
$bg|BeginTime
$dp|Dependency" "sacct Reason of cancelled pending jobs (41_scancel)"

# --- cancel a running job -----------------------------------------------------
script runjob.sh '#!/bin/bash' \
    'read -r _ _ _ _ pgid _ </proc/$$/stat; echo "$pgid" >pgid.txt' \
    'sleep 300 &' 'echo started' 'sleep 300' 'wait'
submit -J cancel_running -o running.out runjob.sh; r=$JOB
wait_state "$r" RUNNING
wait_for 10 file_nonempty pgid.txt
pgid=$(cat pgid.txt 2>/dev/null)
like "$pgid" '^[0-9]+$' "the running job recorded its process group"
run scancel "$r"
is "$RC/$OUT/$ERR" "0//" "scancel of a running job: exit 0, silent"
wait_state "$r" CANCELLED
is "$(job_state "$r")" CANCELLED "the running job is CANCELLED"
run sacct -n -P -o JobID,State,ExitCode -j "$r"
is "$(head -n 1 <<<"$OUT")" "$r|CANCELLED by $MY_UID|0:0" \
    "sacct -P job row: 'CANCELLED by <uid>' 0:0"
like "$(sed -n 2p <<<"$OUT")" "^$r\\.batch\\|CANCELLED[^|]*\\|0:15$" \
    "sacct -P batch row: CANCELLED, killed by SIGTERM (0:15)"
wait_for 20 grep -q "CANCELLED AT" running.out
like "$(cat running.out 2>/dev/null)" \
    "\\*\\*\\* JOB $r ON $HOST CANCELLED AT [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} \\*\\*\\*" \
    "the output gets '*** JOB $r ON $HOST CANCELLED AT <time> ***'"
pg_gone() { ! kill -0 -- "-$1" 2>/dev/null; }
if [[ $pgid =~ ^[0-9]+$ ]]; then
	wait_for 10 pg_gone "$pgid"
	ok "no process of the cancelled job's group is left" pg_gone "$pgid"
fi
run scancel "$r"
is "$RC/$OUT/$ERR" "0//" "scancel of an already cancelled job: exit 0, silent"

# --- --signal=USR1 without and with -b -----------------------------------
script trap_usr1.sh '#!/bin/bash' \
    "trap 'echo \"batch shell got USR1\"; exit 0' USR1" \
    'echo start' \
    'for i in $(seq 1 300); do sleep 0.2; done'
submit -J sig -o sig.out trap_usr1.sh; s=$JOB
wait_state "$s" RUNNING
wait_for 10 file_has sig.out start
run scancel --signal=USR1 "$s"
is "$RC/$OUT/$ERR" "0//" "scancel --signal=USR1: exit 0, silent"
# Nothing should happen: give a trap the time it would need (a loop turn is
# 0.2 s) and check it did not run.
if wait_for 1 file_has sig.out "batch shell got USR1" >/dev/null; then
	fail "--signal=USR1 without -b does not reach the batch shell" \
	    "$(cat sig.out)"
else
	pass "--signal=USR1 without -b does not reach the batch shell"
fi
is "$(job_state "$s")" RUNNING "…and the job keeps running"
run scancel -b --signal=USR1 "$s"
is "$RC/$OUT/$ERR" "0//" "scancel -b --signal=USR1: exit 0, silent"
wait_for 10 file_has sig.out "batch shell got USR1"
is "$(cat sig.out)" "start
batch shell got USR1" "-b --signal=USR1 runs the batch shell's trap"
wait_done "$s"
is "$(sacct -n -X -P -o State,ExitCode -j "$s" 2>&1)" "COMPLETED|0:0" \
    "the trap's exit 0 completes the job"

# --- -n, -t PENDING, -u ---------------------------------------------------
submit -J keep -o /dev/null --wrap="$(waiter go_keep)"; k=$JOB
wait_state "$k" RUNNING
submit -J byname --hold -o /dev/null --wrap=true; n1=$JOB
submit -J other --hold -o /dev/null --wrap=true; n2=$JOB
submit -J other2 --hold -o /dev/null --wrap=true; n3=$JOB
run scancel -n byname
is "$RC/$ERR" "0/" "scancel -n byname"
wait_state "$n1" CANCELLED
is "$(job_state "$n1")/$(job_state "$n2")" CANCELLED/PENDING \
    "scancel -n cancels only the named job"
run scancel -t PENDING
is "$RC/$ERR" "0/" "scancel -t PENDING"
wait_state "$n2" CANCELLED
wait_state "$n3" CANCELLED
is "$(job_state "$n2")/$(job_state "$n3")/$(job_state "$k")" \
    CANCELLED/CANCELLED/RUNNING "scancel -t PENDING leaves the running job"
run scancel -u "$ME"
is "$RC/$ERR" "0/" "scancel -u me"
wait_state "$k" CANCELLED
is "$(job_state "$k")" CANCELLED "scancel -u cancels my running job"
run squeue -h
is "$OUT" "" "nothing left in the queue"

# --- errors ------------------------------------------------------------------
run scancel 999999
is "$RC/$OUT/$ERR" "0//" "scancel 999999: exit 0, silent (22.05)"
run scancel -u nosuchuser
is "$RC/$OUT/$ERR" "1//scancel: error: Invalid user name: nosuchuser" \
    "scancel -u nosuchuser: Slurm's error, exit 1"

# --- -v with filters ------------------------------------------------------
# Real scancel 22.05 names each job it matched ("Terminating job 219_1",
# "Terminating job 219_[2-3%1]" for an array's pending tasks, "Signal 10
# to job N" with --signal), and only with nothing matched "No active jobs
# match ALL job filters".
submit -J vf --hold -o /dev/null --wrap=true; v1=$JOB
run scancel -v -t PENDING -n vf
is "$RC/$ERR" "0/scancel: Terminating job $v1" "scancel -v -t PENDING -n: names the job"
wait_state "$v1" CANCELLED
submit -J va --array=1-3%1 -o /dev/null --wrap="$(waiter va.go)"; va=$JOB
wait_for 10 eval '[ "$(squeue -h -r -t R -n va -o %i)" = "${va}_1" ]'
run scancel -v -n va
is "$RC/$ERR" "0/scancel: Terminating job ${va}_[2-3%1]
scancel: Terminating job ${va}_1" "scancel -v -n: an array's pending tasks, then its running task"
submit -J vs -o /dev/null --wrap="trap '' USR1; $(waiter vs.go)"; vs=$JOB
wait_state "$vs" RUNNING
run scancel -v --signal=USR1 -b -n vs
is "$RC/$ERR" "0/scancel: Signal 10 to job $vs" "scancel -v --signal -n: 'Signal 10 to job N'"
touch vs.go
wait_done "$vs"
run scancel -v -n vnone
is "$RC/$ERR" "0/scancel: error: No active jobs match ALL job filters, including: job_name=vnone " \
    "scancel -v -n with nothing matched"

done_testing
