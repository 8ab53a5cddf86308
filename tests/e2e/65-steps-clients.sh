#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: issue 4's leftovers (docs/issue4-audit.md): srun inside batch
#   scripts the way the client tools write them (submitit: --unbuffered
#   --output/--error %j_%t -n1 --cpu-bind=q -l, and `scancel --signal
#   USR2 ID` reaching the task; Parsl: srun --ntasks N -l bash cmd.sh with
#   SLURM_PROCID/SLURM_LOCALID/SLURM_NTASKS), sacct's step rows in
#   50_sacct's --format layout (ID.batch, ID.N named after the command or
#   -J, ExitCode, State, Elapsed, AllocCPUS, MaxRSS, TotalCPU), srun
#   outside an allocation with -N --mem -D --export -C, -v, "has been
#   allocated resources" after a wait, -I on a busy node, --unbuffered
#   partial lines, --cpu-bind cores/map_cpu/mask_cpu/verbose, --exclusive
#   steps, GPUs of steps (--gpus shares, waits), --mpi=none, --multi-prog, SIGUSR2 forwarded, sattach following a batch job's
#   step, --pty job control (Ctrl-Z, fg), and crash safety of steps inside
#   a batch job (srun killed with -9: tasks gone, step accounted, the
#   script goes on; berthd killed and restarted: the step keeps running,
#   and a step waiting for CPUs is asked for again by its srun).
# Slurm behaviour copied (slurm-reference 50_sacct steps_job rows,
#   60_srun, 23_env_srun_step; CLIENTS.md items 6 and 8; srun(1)).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

step_state() {	# step_state JOB.STEP: its State from sacct
	sacct -n -P -o JobID,State -j "${1%.*}" 2>/dev/null |
	    awk -F'|' -v id="$1" '($1 "") == (id "") { split($2, w, " "); print w[1] }'
}
step_state_is() { [ "$(step_state "$1")" = "$2" ]; }

# --- submitit: its batch script, srun with per-task files, USR2 ----------
mkdir -p logs
cat >task.py <<'PY'
import os, signal, sys, time
def usr2(sig, frame):
    print("got USR2 in task", os.environ["SLURM_PROCID"], flush=True)
    sys.exit(0)
signal.signal(signal.SIGUSR2, usr2)
print("ready", os.environ["SLURM_JOB_ID"], os.environ["SLURM_STEP_ID"],
      os.environ["SLURM_PROCID"], os.environ["SLURM_CPU_BIND"], flush=True)
print("to stderr", file=sys.stderr, flush=True)
while True:
    time.sleep(0.1)
PY
cat >submitit.sh <<EOF
#!/bin/bash

# Parameters
#SBATCH --cpus-per-task=1
#SBATCH --error=$T/work/logs/%j_0_log.err
#SBATCH --job-name=submitit
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --open-mode=append
#SBATCH --output=$T/work/logs/%j_0_log.out
#SBATCH --signal=USR2@90
#SBATCH --time=5
#SBATCH --wckey=submitit

# command
export SUBMITIT_EXECUTOR=slurm
srun --unbuffered --output $T/work/logs/%j_%t_log.out --error $T/work/logs/%j_%t_log.err -n1 --cpu-bind=q -l python3 -u $T/work/task.py
echo "srun exit \$?"
EOF
run sbatch submitit.sh
like "$OUT" 'job ([0-9]+)' "submitit: sbatch prints 'job N'"
s=${OUT##* }
wait_for 20 file_has "logs/${s}_0_log.out" "0: ready $s 0 0 quiet,mask_cpu:0x1"
is "$(cat "logs/${s}_0_log.out" 2>/dev/null)" "0: ready $s 0 0 quiet,mask_cpu:0x1" \
    "submitit: the task's output in %j_%t_log.out, labelled, unbuffered"
run scancel --signal USR2 "$s"
is "$RC/$ERR" "0/" "submitit: scancel --signal USR2 ID"
wait_done "$s"
is "$(cat "logs/${s}_0_log.out" 2>/dev/null)" "0: ready $s 0 0 quiet,mask_cpu:0x1
0: got USR2 in task 0
srun exit 0" "submitit: USR2 reached the task, which ended the step cleanly"
is "$(cat "logs/${s}_0_log.err" 2>/dev/null)" "0: to stderr" \
    "submitit: the task's stderr in %j_%t_log.err"
run sacct -P -n -o JobID,JobName,State,ExitCode -j "$s"
is "$OUT" "$s|submitit|COMPLETED|0:0
$s.batch|batch|COMPLETED|0:0
$s.0|python3|COMPLETED|0:0" "submitit: sacct rows, the step named after its command"

# --- Parsl: SrunLauncher's script ------------------------------------------
cat >parsl.sh <<'EOF'
#!/bin/bash
#SBATCH --job-name=parsl.block-0
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=2
#SBATCH --time=10
export CORES=$SLURM_CPUS_ON_NODE
echo "Found cores : $CORES"
WORKERCOUNT=2

cat << SLURM_EOF > cmd_$SLURM_JOB_NAME.sh
echo "worker \$SLURM_PROCID of \$SLURM_NTASKS local \$SLURM_LOCALID job \$SLURM_JOB_ID"
SLURM_EOF
chmod a+x cmd_$SLURM_JOB_NAME.sh

srun --ntasks $WORKERCOUNT -l bash cmd_$SLURM_JOB_NAME.sh

echo "Done"
EOF
submit -o parsl.out parsl.sh
p=$JOB
wait_done "$p"
is "$(head -n 1 parsl.out)/$(sed -n '2,3p' parsl.out | sort)/$(tail -n 1 parsl.out)" \
    "Found cores : 2/0: worker 0 of 2 local 0 job $p
1: worker 1 of 2 local 1 job $p/Done" \
    "Parsl: srun --ntasks 2 -l bash cmd.sh: one worker per rank, labelled"
run sacct -X --noheader --format=jobid,state%20 --job "$p"
like "$OUT" "^$p +COMPLETED *\$" "Parsl: its sacct -X poll"

# --- sacct's step rows as 50_sacct's steps_job --------------------------
cat >steps_job.sh <<'EOF'
#!/bin/bash
srun true
srun false
srun -J named_step sleep 1.2
srun python3 -c 'import time; t = time.process_time(); b = bytearray(32 << 20)
while time.process_time() - t < 0.5: pass'
EOF
submit -J steps_job -o /dev/null steps_job.sh
sj=$JOB
wait_done "$sj"
run sacct -j "$sj" --format=JobID,JobName,State,ExitCode,Elapsed,MaxRSS,AllocCPUS,ReqMem
# MaxRSS is masked: Slurm's column is empty for steps shorter than its
# 30 s sampling; berth's comes from the tasks' rusage, in Slurm's units
# ("980K", or "6.50M" from 1024K on: a task forked by an ASan srun
# counts srun's pages until its exec).
# Elapsed is whole seconds from start to end and depends on the load
# (the job alone takes 2 s or more): any value under a minute is masked
# as "E" here, and what it must be at least is checked below.
got=$(awk 'NR <= 2 { print; next } {
	$5 = ($5 ~ /^00:00:[0-5][0-9]$/) ? "E" : $5
	$6 = ($6 ~ /^[0-9]+(\.[0-9]+)?[KMG]$/) ? "RSS" : $6; print }' <<<"$OUT")
is "$got" "JobID           JobName      State ExitCode    Elapsed     MaxRSS  AllocCPUS     ReqMem 
------------ ---------- ---------- -------- ---------- ---------- ---------- ---------- 
$sj steps_job COMPLETED 0:0 E 1 1000M
$sj.batch batch COMPLETED 0:0 E RSS 1
$sj.0 true COMPLETED 0:0 E RSS 1
$sj.1 false FAILED 1:0 E RSS 1
$sj.2 named_step COMPLETED 0:0 E RSS 1
$sj.3 python3 COMPLETED 0:0 E RSS 1" \
    "sacct --format of 50_sacct: ID.batch, ID.0 ... named after the command or -J"
# The step that slept 1.2 s lasted at least a second, the job as long.
elapsed_s() { awk -v id="$1" '($1 "") == (id "") { split($5, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3] }' <<<"$OUT"; }
ok "Elapsed: the 1.2 s step at least 1 s, the job no less" \
    test "$(elapsed_s "$sj.2")" -ge 1 -a "$(elapsed_s "$sj")" -ge "$(elapsed_s "$sj.2")"
run sacct -n -P -o JobID,TotalCPU,MaxRSS --noconvert -j "$sj.3"
like "$OUT" "^$sj\\.3\\|[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\|[0-9]+K\$" "a step's TotalCPU and MaxRSS"
tc=$(cut -d'|' -f2 <<<"$OUT")
rss=$(cut -d'|' -f3 <<<"$OUT")
rss=${rss%K}
ok "TotalCPU counts the 0.5 s the task burned ($tc)" \
    awk -v t="$tc" 'BEGIN { n = split(t, a, ":"); exit !(a[n] + 0 >= 0.4) }'
ok "MaxRSS counts the 32 MB it touched (${rss}K)" test "$rss" -ge 32768

# --- srun outside an allocation: the job options -------------------------
mkdir -p elsewhere
export FOO=from-env
run srun -N 1 -n 1 --mem=200 -D elsewhere -C '' bash -c 'echo $PWD $SLURM_JOB_NUM_NODES $FOO'
is "$OUT/$RC" "$T/work/elsewhere 1 from-env/0" "-N 1 --mem -D -C: runs in the -D directory"
mj=$(sacct -n -X -P -o JobID | tail -n 1)
run sacct -n -X -P -o ReqMem,NNodes,WorkDir -j "$mj"
is "$OUT" "200M|1|$T/work/elsewhere" "sacct: the job's --mem, -N and -D"
run srun --export=NONE bash -c 'echo "FOO=$FOO JOB=${SLURM_JOB_ID:+set}"'
is "$OUT" "FOO= JOB=set" "--export=NONE: only SLURM_* variables"
run srun --export=BAR=1 bash -c 'echo "FOO=$FOO BAR=$BAR"'
is "$OUT" "FOO= BAR=1" "--export=NAME=value"
run srun --export=ALL,BAR=2 bash -c 'echo "FOO=$FOO BAR=$BAR"'
is "$OUT" "FOO=from-env BAR=2" "--export=ALL,NAME=value"
unset FOO

# -v: the options table, the allocation, the launch and each task's exit,
# in Slurm's words.
run srun -v -n 2 bash -c 'exit $SLURM_PROCID'
vj=$(sacct -n -X -P -o JobID | tail -n 1)
is "$RC/$(grep -v '_task_finish' <<<"$ERR")" "1/srun: defined options
srun: -------------------- --------------------
srun: ntasks              : 2
srun: verbose             : 1
srun: -------------------- --------------------
srun: end of defined options
srun: jobid $vj: nodes(1):\`$HOST', cpu counts: 2(x1)
srun: launching StepId=$vj.0 on host $HOST, 2 tasks: [0-1]
srun: launch/slurm: _task_start: Node $HOST, 2 tasks started
srun: error: $HOST: task 1: Exited with exit code 1" "-v: srun's verbose lines"
is "$(grep '_task_finish' <<<"$ERR" | sort)" "$(sort <<EOF
srun: launch/slurm: _task_finish: $HOST: task 0: Completed
srun: launch/slurm: _task_finish: Received task exit notification for 1 task of StepId=$vj.0 (status=0x0000).
srun: launch/slurm: _task_finish: Received task exit notification for 1 task of StepId=$vj.0 (status=0x0100).
EOF
)" \
    "-v: each exit notification, and the task that completed"
run srun -v -Q true
is "$RC/$ERR" "1/srun: error: don't specify both --verbose (-v) and --quiet (-Q)" \
    "-v with -Q: Slurm's error, exit 1"

# A busy node: srun waits, then prints that it got its resources; -I fails.
submit -n 2 -J hog --wrap='while [ ! -e stop_hog ]; do sleep 0.1; done'
hog=$JOB
wait_state "$hog" RUNNING
run srun -I true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Requested nodes are busy" \
    "srun -I on a busy node"
srun -J waiter bash -c 'echo ran' >"$T/waiter.out" 2>"$T/waiter.err" </dev/null &
waiter=$!
waiter_pending() { [ "$(squeue -h -n waiter -o %T)" = PENDING ]; }
wait_for 20 waiter_pending
wj=$(squeue -h -n waiter -o %i)
touch stop_hog
wait "$waiter"
is "$?/$(<"$T/waiter.out")" "0/ran" "the waiting srun ran once the node was free"
is "$(<"$T/waiter.err")" "srun: job $wj queued and waiting for resources
srun: job $wj has been allocated resources" "Slurm's two lines around the wait"

# --- srun inside an allocation: I/O, binding, --exclusive, --mpi ---------
cat >inalloc.sh <<'EOF'
#!/bin/bash
srun -n 2 -l --cpu-bind=cores bash -c 'grep Cpus_allowed_list /proc/self/status' | sort
srun -n 2 -l --cpu-bind=map_cpu:1,0 bash -c 'grep Cpus_allowed_list /proc/self/status' | sort
srun -n 2 -l --cpu-bind=mask_cpu:0x2,0x1 bash -c 'grep Cpus_allowed_list /proc/self/status' | sort
srun -n 1 --cpu-bind=verbose,map_cpu:1 true 2>&1 | sed 's/\[[0-9]*\]/[PID]/'
srun -n 1 --mpi=none bash -c 'echo mpi none ok'
srun -n 1 --exclusive bash -c 'touch excl.a; while [ ! -e excl.b ]; do sleep 0.1; done; echo excl 1' &
srun -n 1 --exclusive bash -c 'touch excl.b; while [ ! -e excl.a ]; do sleep 0.1; done; echo excl 2' &
wait
EOF
submit -n 2 -o inalloc.out -e inalloc.err inalloc.sh
ia=$JOB
wait_done "$ia"
is "$(sed -n '1,6p' inalloc.out)" "0: Cpus_allowed_list:	0
1: Cpus_allowed_list:	1
0: Cpus_allowed_list:	1
1: Cpus_allowed_list:	0
0: Cpus_allowed_list:	1
1: Cpus_allowed_list:	0" "--cpu-bind=cores, map_cpu:1,0, mask_cpu:0x2,0x1"
is "$(sed -n 7p inalloc.out)" "cpu-bind=MASK - $HOST, task  0  0 [PID]: mask 0x2 set" \
    "--cpu-bind=verbose: slurmd's line"
is "$(sed -n 8p inalloc.out)" "mpi none ok" "--mpi=none"
is "$(sed -n '9,10p' inalloc.out | sort)" "excl 1
excl 2" "two --exclusive steps of one CPU each run at once"
is "$(<inalloc.err)" "" "no step had to wait"

# GPUs: a step's share of its job's.
cat >gpus.sh <<'EOF'
#!/bin/bash
echo "job $CUDA_VISIBLE_DEVICES"
srun -n 1 bash -c 'echo "default $CUDA_VISIBLE_DEVICES"'
srun -n 1 --gpus=1 bash -c 'echo "one $CUDA_VISIBLE_DEVICES"'
srun -n 1 --gpus=3 true
srun -n 1 --exact --gpus=1 bash -c 'touch g.a; while [ ! -e g.b ]; do sleep 0.1; done; echo "a $CUDA_VISIBLE_DEVICES"' &
srun -n 1 --exact --gpus=1 bash -c 'touch g.b; while [ ! -e g.a ]; do sleep 0.1; done; echo "b $CUDA_VISIBLE_DEVICES"' &
wait
srun -n 1 --exact --gpus=2 bash -c 'touch g.c; while [ ! -e g.go ]; do sleep 0.1; done; echo "both $CUDA_VISIBLE_DEVICES"' &
while [ ! -e g.c ]; do sleep 0.1; done
srun -n 1 --exact --gpus=1 bash -c 'echo "after $CUDA_VISIBLE_DEVICES"'
wait
EOF
submit -n 2 --gpus=2 -o gpus.out -e gpus.err gpus.sh
gj=$JOB
wait_for 20 file_has gpus.err "srun: Job $gj step creation temporarily disabled, retrying (Requested nodes are busy)"
touch g.go
wait_done "$gj"
is "$(sed -n '1,3p' gpus.out)" "job 0,1
default 0,1
one 0" "a step gets all of the job's GPUs, or the --gpus it asks for"
is "$(sed -n '4,5p' gpus.out | awk '{ print $2 }' | sort | paste -sd' ')" "0 1" \
    "two concurrent --gpus=1 steps get different GPUs"
is "$(sed -n '6,7p' gpus.out)" "both 0,1
after 0" "a step wanting GPUs held by another waits for them"
is "$(<gpus.err)" "srun: error: Unable to create step for job $gj: Invalid generic resource (gres) specification
srun: Job $gj step creation temporarily disabled, retrying (Requested nodes are busy)
srun: Step created for StepId=$gj.5" "more GPUs than the job's: refused; busy GPUs: Slurm's wait lines"

# --multi-prog: a command per rank, %t and %o, Slurm's checks.
cat >mp.conf <<'EOF'
# rank 0 alone, then the rest
0    echo zero task:%t offset:%o
*    bash -c 'echo "rest $SLURM_PROCID offset %o"'
EOF
cat >mp2.conf <<'EOF'
0-1 echo range task %t offset %o
EOF
submit -n 2 -o mp.out --wrap='srun -l --multi-prog mp.conf | sort; srun -l --multi-prog mp2.conf | sort'
mpj=$JOB
wait_done "$mpj"
is "$(<mp.out)" "0: zero task:0 offset:0
1: rest 1 offset 1
0: range task 0 offset 0
1: range task 1 offset 1" "--multi-prog inside a batch job: each rank its line"
run sacct -n -P -o JobID,JobName -j "$mpj.0"
is "$OUT" "$mpj.0|mp.conf" "the step is named after the configuration file"
run srun -l --multi-prog mp2.conf
is "$(sort <<<"$OUT")/$RC" "0: range task 0 offset 0
1: range task 1 offset 1/0" "--multi-prog outside an allocation: the ranks set -n"
printf '0 echo a\n0 echo b\n' >dup.conf
run srun --multi-prog dup.conf
is "$RC/$ERR" "1/srun: error: Duplicate record for task 0
srun: error: Line 2 of configuration file dup.conf invalid" "a rank given twice"
printf '1 echo a\n' >miss.conf
run srun -n 2 --multi-prog miss.conf
is "$RC/$ERR" "1/srun: error: Configuration file miss.conf invalid, no record for task id 0" \
    "a rank without a line"
run srun -n 1 --multi-prog mp2.conf
is "$RC/$ERR" "1/srun: error: Invalid task id, 1 >= ntasks
srun: error: Line 1 of configuration file mp2.conf invalid" "a rank beyond -n"
run srun --multi-prog nosuch.conf
is "$RC/$ERR" "1/srun: error: Unable to open configuration file nosuch.conf" \
    "a missing configuration file"

# --unbuffered: a partial line reaches srun's output while the task runs.
srun -u bash -c 'printf partial; while [ ! -e go_u ]; do sleep 0.1; done; echo " done"' \
    >"$T/u.out" 2>&1 </dev/null &
upid=$!
partial() { [ "$(cat "$T/u.out")" = partial ]; }
ok "-u: the partial line arrives before the task ends" wait_for 20 partial
touch go_u
wait "$upid"
is "$(<"$T/u.out")" "partial done" "-u: then the rest"

# SIGUSR2 to srun reaches the tasks.
rm -f ready.*
srun -n 2 -l bash -c 'trap "echo got USR2; exit 0" USR2; touch ready.$SLURM_PROCID; while :; do sleep 0.1; done' \
    </dev/null >"$T/usr2.out" 2>"$T/usr2.err" &
pid=$!
both_ready() { [ -e ready.0 ] && [ -e ready.1 ]; }
wait_for 20 both_ready
kill -USR2 "$pid"
wait "$pid"
is "$?/$(sort "$T/usr2.out")" "0/0: got USR2
1: got USR2" "SIGUSR2 to srun is forwarded to every task"

# --- sattach follows a running step of a batch job -----------------------
cat >follow.sh <<'EOF'
#!/bin/bash
srun -J followed bash -c 'touch follow.ready; while [ ! -e follow.go ]; do sleep 0.1; done; for i in 1 2 3; do echo line $i; done' &
echo $! >follow.srun
wait
EOF
submit -o follow.out follow.sh
fj=$JOB
wait_for 20 test -e follow.ready
wait_for 20 test -s follow.srun
fsrun=$(<follow.srun)
sattach "$fj.0" </dev/null >"$T/att.out" 2>"$T/att.err" &
att=$!
wait_for 20 attached_is "$fsrun" 1	# attached before the task prints
touch follow.go
wait "$att"
is "$?/$(<"$T/att.out")" "0/line 1
line 2
line 3" "sattach ID.0 of a batch job's step: its output"
wait_done "$fj"
is "$(<follow.out)" "line 1
line 2
line 3" "the batch job's own output file has it too"

# --- --pty: job control in an interactive shell --------------------------
if command -v python3 >/dev/null 2>&1; then
	cat >jobctl.py <<'PY'
import os, pty, sys, time, select, signal
pid, master = pty.fork()
if pid == 0:
    os.execvp('srun', ['srun', '--pty', 'bash', '--norc', '--noprofile', '-i'])
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['E2E_DIR'])
from ptyread import Reader
reader = Reader(master)
wait_for = reader.wait_for
def send(s):
    os.write(master, s)
send(b'PS1="$ "; echo READY$((1+1))\r')
ok = wait_for(b'READY2')
# Ctrl-Z once the foreground job runs (it says so, then sleeps).
send(b'bash -c \'echo SLEEP$((4+4)); exec sleep 30\'\r')
ok = ok and wait_for(b'SLEEP8')
send(b'\x1a')                       # Ctrl-Z
ok = ok and wait_for(b'Stopped')
send(b'jobs; echo JOBS$((2+2))\r')
ok = ok and wait_for(b'JOBS4')
# bash refuses the first exit while a job is stopped; the second one
# ends it (and hangs up the stopped job).
send(b'exit 3\r')
if wait_for(b'There are stopped jobs', 10):
    send(b'exit 3\r')
_, st = os.waitpid(pid, 0)
text = reader.out.decode(errors='replace').replace('\r', '')
print('stopped' if 'Stopped' in text else 'not stopped')
print('jobs listed' if '[1]+  Stopped' in text and 'exec sleep 30' in text else 'no jobs')
print('exit=%d' % os.waitstatus_to_exitcode(st))
PY
	out=$(E2E_DIR=$E2E_DIR timeout 60 python3 jobctl.py 2>&1)
	is "$out" "stopped
jobs listed
exit=3" "--pty bash -i: Ctrl-Z stops the foreground job, jobs lists it, exit code"
else
	skip "--pty job control through python3's pty" "no python3"
fi

# --- crash safety of steps inside a batch job ----------------------------
cat >crash.sh <<EOF
#!/bin/bash
srun -J victim bash -c 'echo \$\$ >$T/victim.task; exec sleep 303' &
vs=\$!
echo \$vs >$T/victim.srun
wait \$vs
echo "victim srun exit \$?"
srun -J survivor bash -c 'touch $T/surv.ready; while [ ! -e $T/surv.go ]; do sleep 0.1; done; echo survived'
echo "survivor srun exit \$?"
EOF
submit -o crash.out crash.sh
cj=$JOB
wait_for 20 test -s "$T/victim.task"
wait_for 20 step_state_is "$cj.0" RUNNING
vtask=$(<"$T/victim.task")
kill -9 "$(<"$T/victim.srun")"
ok "kill -9 of a batch job's srun: its task is gone" wait_for 20 _pid_gone "$vtask"
wait_for 20 test -e "$T/surv.ready"
like "$(step_state "$cj.0")" "^(CANCELLED|FAILED)$" "the killed srun's step is accounted"
kill_daemon
start_daemon
is "$(step_state "$cj.1")" RUNNING "after a daemon restart the batch job's step runs on"
touch "$T/surv.go"
wait_done "$cj"
is "$(grep -v ' Killed ' crash.out)" "victim srun exit 137
survived
survivor srun exit 0" "the script saw srun die of SIGKILL, then its next step end well"
run sacct -n -P -o JobID,JobName,State -j "$cj"
like "$OUT" "^$cj\\|crash.sh\\|COMPLETED
$cj\\.batch\\|batch\\|COMPLETED
$cj\\.0\\|victim\\|(CANCELLED|FAILED)
$cj\\.1\\|survivor\\|COMPLETED\$" "sacct: both steps accounted"

# A step waiting for CPUs when berthd restarts: its srun asks again.
# (No autostart: the test starts the daemon itself.)
cat >pend.sh <<EOF
#!/bin/bash
export BERTH_NO_AUTOSTART=1
srun -n 1 bash -c 'touch $T/hold.ready; while [ ! -e $T/hold.go ]; do sleep 0.1; done' &
while [ ! -e $T/hold.ready ]; do sleep 0.1; done
srun -n 1 bash -c 'echo second step ran'
echo "second srun exit \$?"
wait
EOF
submit -n 1 -o pend.out -e pend.err pend.sh
pj=$JOB
wait_for 20 file_has pend.err "srun: Job $pj step creation temporarily disabled, retrying (Requested nodes are busy)"
kill_daemon
start_daemon
touch "$T/hold.go"
wait_done "$pj"
is "$(<pend.out)" "second step ran
second srun exit 0" "a step pending across a daemon restart runs after it"
is "$(<pend.err)" "srun: Job $pj step creation temporarily disabled, retrying (Requested nodes are busy)
srun: Step created for StepId=$pj.1" "... with Slurm's two lines, once"
run sacct -n -P -o JobID,State -j "$pj"
is "$OUT" "$pj|COMPLETED
$pj.batch|COMPLETED
$pj.0|COMPLETED
$pj.1|COMPLETED" "both steps accounted"

done_testing
