#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# slow: about 65 s (an interactive job's one-minute time limit); run.sh
#   starts it first so that it overlaps with the other tests.
# covers: the daemon's side of steps and interactive allocations
#   (docs/steps.md): srun/salloc jobs in squeue, scontrol (BatchFlag=0)
#   and sacct (no .batch row, ID.N step rows after ID.batch), scancel
#   ID.N of a running step, scancel --signal reaching srun's tasks, kill -9
#   of an srun (tasks gone, step and job accounted), kill -9 of berthd
#   while steps run (re-adopted after the restart, then accounted), an
#   srun dying while berthd is down (accounted at the restart), no
#   requeue of allocations,
#   salloc --no-shell + scancel, salloc -I on a busy node, and the time
#   limit of an interactive job (TIMEOUT from the daemon's timer), squeue
#   -s listing a running step, sbatch --signal=[B:]SIG@T from the daemon's
#   timer.
# Slurm behaviour copied (slurm-reference 50_sacct: steps_job rows
#   "ID.0 true COMPLETED 0:0", "ID.1 false FAILED 1:0"; 60_srun, 61_salloc).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# Started first: its one-minute limit runs while the rest is checked.
srun -t 1 -J limited sleep 300 >"$T/limited.out" 2>&1 &
limited_pid=$!

step_state() {	# step_state JOB.STEP: its State from sacct
	sacct -n -P -o JobID,State -j "${1%.*}" 2>/dev/null |
	    awk -F'|' -v id="$1" '($1 "") == (id "") { split($2, w, " "); print w[1] }'
}
step_state_is() { [ "$(step_state "$1")" = "$2" ]; }
limited_job() { squeue -h -n limited -o %i 2>/dev/null | head -n 1; }
has_limited() { [ -n "$(limited_job)" ]; }
wait_for 20 has_limited
lj=$(limited_job)

# --- srun outside an allocation: a job and its step 0 --------------------
run srun -J okstep true
is "$RC" 0 "srun true exits 0"
run sacct -n -P -o JobID,JobName,State,ExitCode,AllocCPUS -n --name okstep
ok_id=${OUT%%|*}
is "$OUT" "$ok_id|okstep|COMPLETED|0:0|1
$ok_id.0|okstep|COMPLETED|0:0|1" "sacct: the job and its step 0, no .batch row"
run srun -J failstep bash -c 'exit 3'
is "$RC" 3 "srun returns the task's exit code"
run sacct -n -P -o JobName,State,ExitCode --name failstep
is "$OUT" "failstep|FAILED|3:0
failstep|FAILED|3:0" "a failing srun: job and step FAILED 3:0"

# --- salloc --no-shell: scontrol, squeue, then scancel --------------------
run salloc --no-shell -J noshell -n 1
is "$RC" 0 "salloc --no-shell exits 0"
ns=$(squeue -h -n noshell -o %i)
run squeue -h -j "$ns" -o '%j %T'
is "$OUT" "noshell RUNNING" "squeue lists the allocation RUNNING"
run scontrol show job "$ns"
like "$OUT" "BatchFlag=0" "scontrol: BatchFlag=0 for an allocation"
unlike "$OUT" "StdOut=" "scontrol: no standard streams for an allocation"

# -I on a node now busy with a job of both CPUs.
submit -n 2 -J hog --wrap='sleep 300'
hog=$JOB
wait_state "$hog" PENDING
run salloc -I -n 2 true
is "$RC" 1 "salloc -I fails when it cannot start at once"
like "$ERR" "Requested nodes are busy" "in Slurm's words"

run scancel "$ns"
is "$RC" 0 "scancel of the allocation"
wait_for 10 job_done "$ns"
run sacct -n -X -P -o State -j "$ns"
like "$OUT" "^CANCELLED" "the allocation ends CANCELLED"
run scancel "$hog"
wait_for 10 job_done "$hog"

# --- steps of a batch job: scancel ID.N, scancel --signal -----------------
cat >steps.sh <<EOF
#!/bin/bash
srun -J s_true true
srun -J s_false false
srun -J s_long sleep 300
echo "long=\$?"
srun -J s_trap bash -c 'trap "echo got-usr1 >$T/usr1; exit 0" USR1; touch $T/trap-ready; while :; do sleep 0.1; done'
echo "trap=\$?"
EOF
submit -n 1 -o steps.out steps.sh
b=$JOB
wait_for 20 step_state_is "$b.2" RUNNING
run scancel "$b.2"
is "$RC/$ERR" "0/" "scancel ID.2 of the running step"
wait_for 20 step_state_is "$b.2" CANCELLED
is "$(step_state "$b.2")" CANCELLED "the step ends CANCELLED"
is "$(job_state "$b")" RUNNING "its job keeps running"
wait_for 20 test -e "$T/trap-ready"
wait_for 20 step_state_is "$b.3" RUNNING
run scancel --signal=USR1 "$b"
is "$RC/$ERR" "0/" "scancel --signal=USR1 of the job"
wait_for 20 job_done "$b"
is "$(cat "$T/usr1" 2>/dev/null)" got-usr1 "the signal reached the step's task"
run sacct -n -P -o JobID,JobName,State,ExitCode -j "$b"
is "$OUT" "$b|steps.sh|COMPLETED|0:0
$b.batch|batch|COMPLETED|0:0
$b.0|s_true|COMPLETED|0:0
$b.1|s_false|FAILED|1:0
$b.2|s_long|CANCELLED|0:15
$b.3|s_trap|COMPLETED|0:0" "sacct: ID, ID.batch, then the steps in order"
like "$(cat steps.out)" "trap=0" "the batch script saw the step end"
run sacct -n -X -P -o ExitCode,DerivedExitCode -j "$b"
is "$OUT" "0:0|1:0" "DerivedExitCode: the worst step's exit code (50_sacct)"
run scontrol show job -d "$b"
like "$OUT" "
   DerivedExitCode=1:0
" "scontrol show job -d: DerivedExitCode is the worst step's too"

# --- --signal=SIG@T: the steps' tasks, or with B: the batch shell ---------
# Due 10 s after the start: the signal goes to the steps that exist then,
# so the job's srun must have started its task (and the task set its
# trap) by that time, also on a loaded machine.
submit -t 1 --signal=USR1@50 -o warn1.out \
    --wrap "srun bash -c 'trap \"echo step-usr1 >$T/warn1; exit 0\" USR1; while :; do sleep 0.1; done'"
w1=$JOB
submit -t 1 --signal=B:USR2@50 -o warn2.out \
    --wrap "trap 'echo batch-usr2 >$T/warn2; exit 0' USR2; while :; do sleep 0.1; done"
w2=$JOB
wait_for 30 job_done "$w1"
wait_for 30 job_done "$w2"
is "$(cat "$T/warn1" 2>/dev/null)" step-usr1 \
    "--signal=USR1@50: the step's task got USR1 before the limit"
is "$(cat "$T/warn2" 2>/dev/null)" batch-usr2 \
    "--signal=B:USR2@50: the batch shell got USR2"
run sacct -n -X -P -o State -j "$w1,$w2"
is "$OUT" "COMPLETED
COMPLETED" "both ended by themselves, before their limit"

# --- kill -9 of an srun: its tasks go, the step is accounted --------------
srun -J victim bash -c "echo \$\$ >$T/victim.pid; exec sleep 301" \
    >/dev/null 2>&1 &
vpid=$!
wait_for 20 test -s "$T/victim.pid"
task=$(cat "$T/victim.pid")
v=$(squeue -h -n victim -o %i)
kill -9 "$vpid"
wait "$vpid" 2>/dev/null
wait_for 20 job_done "$v"
ok "the task of the killed srun is gone" wait_for 10 _pid_gone "$task"
run sacct -n -P -o JobID,State -j "$v"
like "$OUT" "^$v\|CANCELLED
$v\.0\|(CANCELLED|FAILED)" "the step and its job are accounted"

# --- kill -9 of berthd while a step runs ---------------------------------
srun -J survivor bash -c "touch $T/surv.ready; sleep 4; echo survived" \
    >"$T/surv.out" 2>&1 &
spid=$!
wait_for 20 test -e "$T/surv.ready"
sv=$(squeue -h -n survivor -o %i)
run squeue -h -s -j "$sv"
like "$OUT" "^ +$sv\.0 +survivor +[^ ]+ +[^ ]+ +0:0[0-9] +$HOST\$" \
    "squeue -s lists the running step"
kill_daemon
start_daemon
is "$(step_state "$sv.0")" RUNNING "after a daemon restart the step still runs"
wait "$spid"
is "$?" 0 "its srun ends well"
is "$(cat "$T/surv.out")" survived "with the task's output"
wait_for 10 job_done "$sv"
run sacct -n -P -o JobID,State -j "$sv"
is "$OUT" "$sv|COMPLETED
$sv.0|COMPLETED" "and it is accounted COMPLETED"

# --- an srun that dies while berthd is down ------------------------------
srun -J orphan bash -c "touch $T/orphan.ready; exec sleep 302" \
    >/dev/null 2>&1 &
opid=$!
wait_for 20 test -e "$T/orphan.ready"
oj=$(squeue -h -n orphan -o %i)
run scontrol requeue "$oj"
like "$ERR" "Requested operation is presently disabled" \
    "an allocation cannot be requeued"
kill_daemon
kill -9 "$opid"
wait "$opid" 2>/dev/null
start_daemon
run sacct -n -P -o JobID,State -j "$oj"
like "$OUT" "^$oj\|CANCELLED
$oj\.0\|(CANCELLED|FAILED)" \
    "its allocation and step are accounted after the restart"

# --- the interactive time limit ------------------------------------------
wait "$limited_pid"
wait_for 30 job_done "$lj"
run sacct -n -X -P -o JobName,State -j "$lj"
is "$OUT" "limited|TIMEOUT" "an srun job over its limit ends TIMEOUT"

done_testing
