#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: control signals to a supervisor that serves job after job (they
#   name the job, spec_ctl_value()): scancel -b --signal=USR1, scancel
#   --full --signal and scontrol requeue reach the job it runs now, not
#   the one it ran before; a requeued job starts again and runs to its
#   end; nothing sent to an earlier job reaches a later one.
# Slurm behaviour copied: scancel -b signals the batch shell, --full every
#   process of the batch step (slurm-reference/41_scancel.txt).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# Each job logs the signals it gets, then waits for stop_<id> (bounded).
cat >job.sh <<'SH'
#!/bin/sh
id=$SLURM_JOB_ID
trap 'echo "$id USR1" >>sig.log' USR1
trap 'echo "$id USR2" >>sig.log' USR2
echo "$id start ${SLURM_RESTART_COUNT:-0} $PPID" >>sig.log
i=0
while [ ! -e "stop_$id" ] && [ $i -lt 1500 ]; do
	sleep 0.02; i=$((i + 1))
done
echo "$id end" >>sig.log
SH
chmod +x job.sh
started() { grep -q "^$1 start $2 " sig.log 2>/dev/null; }
got() { grep -qx "$1 $2" sig.log 2>/dev/null; }
sup_of() { awk -v j="$1" -v r="$2" '$1 == j && $2 == "start" && $3 == r { print $4 }' sig.log; }

ids=()
for k in 1 2 3; do
	submit -o /dev/null job.sh || break
	j=$JOB
	ids+=("$j")
	wait_for 10 started "$j" 0
	run scancel -b --signal=USR1 "$j"
	ok "job $j gets USR1 (scancel -b)" wait_for 10 got "$j" USR1
	run scancel --full --signal=USR2 "$j"
	ok "…and USR2 (scancel --full)" wait_for 10 got "$j" USR2
	touch "stop_$j"
	wait_done "$j"
done
a=${ids[0]}
is "$(sup_of "${ids[1]}" 0):$(sup_of "${ids[2]}" 0)" "$(sup_of "$a" 0):$(sup_of "$a" 0)" \
    "the three jobs ran one after another on one supervisor"
is "$(grep -c 'USR' sig.log)" 6 "each got its two signals, once"

# Requeue on the reused supervisor: the job ends, pends, runs again to
# its end (the requeue is not applied to its next run, nor to the job
# after it).
submit -o /dev/null job.sh
r=$JOB
wait_for 10 started "$r" 0
run scontrol requeue "$r"
run_ok "scontrol requeue $r"
ok "the requeued job starts again" wait_for 20 started "$r" 1
touch "stop_$r"
wait_done "$r"
is "$(job_state "$r")" COMPLETED "…and completes"
submit -o /dev/null job.sh
n=$JOB
wait_for 10 started "$n" 0
touch "stop_$n"
wait_done "$n"
is "$(job_state "$n")" COMPLETED "the job after it completes"
is "$(grep -c "^$n " sig.log)" 2 "…unsignalled (start, end)"

done_testing
