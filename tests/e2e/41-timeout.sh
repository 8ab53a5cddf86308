#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# slow: about 65 s (Slurm's smallest time limit is one minute); run.sh
#   starts it first so that it overlaps with the other tests.
# covers: a job over its time limit (--time=1): state TIMEOUT 0:0 with a
#   batch step CANCELLED 0:15, reason TimeLimit, the "*** JOB N ON host
#   CANCELLED AT ... DUE TO TIME LIMIT ***" line in its output, SIGTERM then
#   SIGKILL after KillWait for a job that ignores SIGTERM.
# Slurm behaviour copied (slurm-reference 01_prep_longjobs, 50_sacct:
#   timeout_job): "sacct" shows TIMEOUT 0:0 and timeout.out ends with
#   "slurmstepd-vm: error: *** JOB 11867 ON vm CANCELLED AT <time> DUE TO
#   TIME LIMIT ***".
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J timeout_job -t 1 -o timeout.out --wrap='echo start; sleep 120'
a=$JOB
# This one ignores SIGTERM: it must still end, by SIGKILL after KillWait=2.
# It starts with 10 minutes, lowered to 1 while it runs (scontrol update):
# its supervisor must apply the new limit.
submit -J stubborn -t 10 -o stubborn.out \
    --wrap="trap '' TERM; echo start; for i in \$(seq 1 600); do sleep 0.2; done"
b=$JOB
wait_state "$a" RUNNING
wait_state "$b" RUNNING
run scontrol update JobId="$b" TimeLimit=1
is "$RC/$ERR" "0/" "scontrol update TimeLimit=1 of the running job"
run squeue -h -j "$a" -o '%l'
is "$OUT" "1:00" "squeue shows the one-minute limit"

# Both must be gone about 60 s after they started (+ KillWait 2 s).
wait_for 90 job_done "$a"
wait_for 90 job_done "$b"
run sacct -n -P -o JobID,JobName,State,ExitCode -j "$a"
is "$OUT" "$a|timeout_job|TIMEOUT|0:0
$a.batch|batch|CANCELLED|0:15" "sacct: TIMEOUT 0:0, batch CANCELLED 0:15"
run sacct -n -X -P -o Timelimit,Elapsed -j "$a"
like "$OUT" '^00:01:00\|00:01:[0-9]{2}$' "Timelimit 00:01:00 and about a minute elapsed"
run sacct -n -X -o State -j "$a"
is "$(tr -d ' ' <<<"$OUT")" TIMEOUT "fixed-width sacct shows TIMEOUT"
run squeue -h -t all -j "$a" -o '%T %r'
is "$OUT" "TIMEOUT TimeLimit" "squeue: TIMEOUT with reason TimeLimit"
out=$(cat timeout.out 2>/dev/null)
is "$(head -n 1 <<<"$out")" start "the job's own output is kept"
like "$(tail -n 1 <<<"$out")" \
    "\\*\\*\\* JOB $a ON $HOST CANCELLED AT [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} DUE TO TIME LIMIT \\*\\*\\*$" \
    "the output ends with '*** JOB $a ON $HOST CANCELLED AT <time> DUE TO TIME LIMIT ***'"

run sacct -n -P -o JobID,State,ExitCode -j "$b"
is "$OUT" "$b|TIMEOUT|0:0
$b.batch|CANCELLED|0:9" "a job ignoring SIGTERM is killed after KillWait: batch 0:9"
run sacct -n -X -P -o Timelimit,Elapsed -j "$b"
like "$OUT" '^00:01:00\|00:01:[0-9]{2}$' \
    "the lowered limit ended it after about a minute, not ten"

done_testing
