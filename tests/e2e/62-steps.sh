#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: srun inside an allocation: a batch script running
#   `srun -n 2 --label` and two concurrent steps (sacct rows ID.0, ID.1,
#   ...), a step waiting for CPUs held by another ("step creation
#   temporarily disabled"), --overlap, the step environment inside a batch job (23_env_srun_step), a
#   failing step's exit code in the script, signals sent to srun reaching
#   the tasks (SIGUSR1, SIGTERM), Ctrl-C twice within a second, scancel of
#   a running srun (Slurm's "Job step aborted" and "*** STEP ...
#   CANCELLED ***" lines), and --pty driven through a pseudo-terminal
#   (script(1), python3's pty module): task 0 on a terminal, the exit
#   code, the terminal's settings restored, the window size and SIGWINCH,
#   typed input; without a terminal Slurm's two error lines.
# Slurm behaviour copied (slurm-reference 23_env_srun_step, 50_sacct
#   steps_job; srun(1) SIGNALS AND ESCAPE SEQUENCES; srun.c's "Not using a
#   pseudo-terminal, disregarding --pty option").
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- a batch script with steps -------------------------------------------
cat >steps.sh <<'SCRIPT'
#!/bin/bash
srun -n 2 --label hostname
srun -n 1 --exact bash -c 'sleep 1; echo first' &
srun -n 1 --exact bash -c 'sleep 1; echo second' &
wait
srun -n 1 false
echo "false: $?"
SCRIPT
submit -n 2 -o steps.out steps.sh
id=$JOB
wait_done "$id"
out=$(cat steps.out)
is "$(head -n 2 <<<"$out" | sort)" "0: $HOST
1: $HOST" "srun -n 2 --label inside a batch job"
is "$(sed -n '3,4p' <<<"$out" | sort)" "first
second" "two concurrent steps both ran"
is "$(grep -v "^[01]: \|^first\|^second" <<<"$out")" "srun: error: $HOST: task 0: Exited with exit code 1
false: 1" "a failing step: its line and exit code in the script"
run sacct -n -P -o JobID,JobName,State,ExitCode,AllocCPUS -j "$id"
is "$(sed -n '1,3p' <<<"$OUT")" "$id|steps.sh|COMPLETED|0:0|2
$id.batch|batch|COMPLETED|0:0|2
$id.0|hostname|COMPLETED|0:0|2" "sacct: the job, its batch step and step 0"
is "$(sed -n '4,5p' <<<"$OUT" | cut -d'|' -f2-5 | sort)" "bash|COMPLETED|0:0|1
bash|COMPLETED|0:0|1" "sacct: the concurrent steps, one CPU each"
is "$(sed -n '6p' <<<"$OUT" | cut -d'|' -f1-4)" "$id.3|false|FAILED|1:0" "sacct: the failed step"

# --- steps share the job's CPUs: without --exact the second one waits ------
# The first step holds its CPUs until the second srun has said it waits
# (a fixed sleep would not, on a loaded machine).
cat >wait.sh <<'SCRIPT'
#!/bin/bash
srun -n 1 bash -c 'touch started; for i in $(seq 1 600); do grep -q "temporarily disabled" wait.err && exit 0; sleep 0.1; done; exit 1' &
while [ ! -e started ]; do sleep 0.1; done
srun -n 1 bash -c 'echo second ran'
srun -n 1 --overlap bash -c 'echo overlap ran' &
srun -n 1 --overlap bash -c 'echo overlap ran' &
wait
SCRIPT
submit -n 2 -o wait.out -e wait.err wait.sh
id=$JOB
wait_done "$id"
is "$(sort wait.out)" "overlap ran
overlap ran
second ran" "every step ran"
is "$(<wait.err)" "srun: Job $id step creation temporarily disabled, retrying (Requested nodes are busy)
srun: Step created for StepId=$id.1" \
    "a step wanting CPUs held by another waits, with Slurm's lines"

# --- squeue -s: the steps and the batch script (real squeue 22.05) ----------
submit -J stepper -o /dev/null --wrap='srun -J sleeper bash -c "touch step.up; exec sleep 300"'
sj=$JOB
wait_for 20 test -e step.up
run squeue -h -s -j "$sj"
like "$OUT" "^ +$sj\.0 +sleeper +cpu +[^ ]+ +[0-9]+:[0-9]{2} $HOST
 +$sj\.batch +batch +cpu +[^ ]+ +[0-9]+:[0-9]{2} $HOST\$" \
    "squeue -s: the step, then the batch script as ID.batch"
run squeue -h --steps="$sj.0"
like "$OUT" "^ +$sj\.0 +sleeper " "squeue --steps=ID.0: that step only"
is "$(wc -l <<<"$OUT")" 1 "…one line"
run squeue --steps=abc
is "$RC/$OUT/$ERR" "1//squeue: error: Invalid job_step id: abc.??" \
    "squeue --steps=abc: Slurm's error, exit 1"
run scancel "$sj"
# A task of an array: ARRAY_TASK.STEP, as its job id (Slurm's
# _print_step_id), not the task's own job id.
submit -J arrstep -o /dev/null --array=4 \
    --wrap='srun -J sleeper bash -c "touch arr.up; exec sleep 300"'
aj=$JOB
wait_for 20 test -e arr.up
run squeue -h -s
like "$OUT" "(^|
) +${aj}_4\.0 +sleeper .*
 +${aj}_4\.batch +batch " "squeue -s: an array task's step and batch script as ARRAY_TASK.STEP"
run scancel "$aj"

# --- the environment of a step in a batch job (23_env_srun_step) ----------
cat >envdump.sh <<'SCRIPT'
#!/bin/bash
env | grep -E "^(SLURM|SBATCH|CUDA|GPU|OMP)" | sort
SCRIPT
chmod +x envdump.sh
submit -n 2 -o env_step.out --wrap='srun -n 1 ./envdump.sh'
id=$JOB
wait_done "$id"
is_masked "$(cat env_step.out)" "SLURMD_NODENAME=$HOST
SLURM_CLUSTER_NAME=ref
SLURM_CONF=@@
SLURM_CPUS_ON_NODE=2
SLURM_CPU_BIND=quiet,mask_cpu:0x3
SLURM_CPU_BIND_LIST=0x3
SLURM_CPU_BIND_TYPE=mask_cpu:
SLURM_CPU_BIND_VERBOSE=quiet
SLURM_DISTRIBUTION=cyclic
SLURM_GTIDS=0
SLURM_JOBID=$id
SLURM_JOB_ACCOUNT=@@
SLURM_JOB_CPUS_PER_NODE=2
SLURM_JOB_CPUS_PER_NODE_PACK_GROUP_0=2
SLURM_JOB_GID=$MY_GID
SLURM_JOB_ID=$id
SLURM_JOB_NAME=wrap
SLURM_JOB_NODELIST=$HOST
SLURM_JOB_NUM_NODES=1
SLURM_JOB_PARTITION=cpu
SLURM_JOB_QOS=normal
SLURM_JOB_UID=$MY_UID
SLURM_JOB_USER=$ME
SLURM_LAUNCH_NODE_IPADDR=127.0.0.1
SLURM_LOCALID=0
SLURM_MEM_PER_CPU=1000
SLURM_NNODES=1
SLURM_NODEID=0
SLURM_NODELIST=$HOST
SLURM_NODE_ALIASES=(null)
SLURM_NPROCS=1
SLURM_NTASKS=1
SLURM_PRIO_PROCESS=0
SLURM_PROCID=0
SLURM_SRUN_COMM_HOST=127.0.0.1
SLURM_SRUN_COMM_PORT=0
SLURM_STEPID=0
SLURM_STEP_ID=0
SLURM_STEP_LAUNCHER_PORT=0
SLURM_STEP_NODELIST=$HOST
SLURM_STEP_NUM_NODES=1
SLURM_STEP_NUM_TASKS=1
SLURM_STEP_TASKS_PER_NODE=1
SLURM_SUBMIT_DIR=$T/work
SLURM_SUBMIT_HOST=@@
SLURM_TASKS_PER_NODE=1
SLURM_TASK_PID=@@
SLURM_TOPOLOGY_ADDR=$HOST
SLURM_TOPOLOGY_ADDR_PATTERN=node
SLURM_UMASK=0022
SLURM_WORKING_CLUSTER=ref:$HOST:0:9728:109" "23_env_srun_step: a step's environment in a batch job"

# --- signals to srun reach the tasks --------------------------------------
srun -n 2 -l bash -c 'trap "echo got USR1; exit 0" USR1; touch ready.$SLURM_PROCID; while :; do sleep 0.1; done' \
    </dev/null >"$T/usr1.out" 2>"$T/usr1.err" &
pid=$!
both_ready() { [ -e ready.0 ] && [ -e ready.1 ]; }
wait_for 20 both_ready
kill -USR1 "$pid"
wait "$pid"
is "$?/$(sort "$T/usr1.out")" "0/0: got USR1
1: got USR1" "SIGUSR1 to srun is forwarded to every task"

rm -f ready.*
srun bash -c 'touch ready.0; sleep 100' </dev/null >/dev/null 2>"$T/term.err" &
pid=$!
wait_for 20 test -e ready.0
kill -TERM "$pid"
wait "$pid"
is "$?/$(<"$T/term.err")" "143/srun: error: $HOST: task 0: Terminated" \
    "SIGTERM to srun: the task is terminated, srun exits 143"

rm -f ready.*
srun bash -c 'trap "echo INT; exit 9" INT; touch ready.0; while :; do sleep 0.1; done' \
    </dev/null >"$T/int.out" 2>"$T/int.err" &
pid=$!
wait_for 20 test -e ready.0
kill -INT "$pid"
# Signals do not queue: the second one must come after srun took the
# first, and within srun's 1 s window.  srun writes nothing to stderr
# before its "interrupt" line, so the wait is for a non-empty file, polled
# without a fork (read -t on a fifo nobody writes is the pause): on a
# loaded machine each fork of wait_for's grep and sleep can take long
# enough to miss the window.
mkfifo "$T/tick"
exec 8<>"$T/tick"
until_us=$(( ${EPOCHREALTIME/./} + 20000000 * E2E_TIMEOUT_SCALE ))
until [ -s "$T/int.err" ] || [ "${EPOCHREALTIME/./}" -gt "$until_us" ]; do
	read -r -t 0.005 -u 8 _
done
exec 8>&-
kill -INT "$pid"
# Had the window been missed anyway, the task would loop for ever: end it
# so that the assertions below report it.
wait_for 20 _pid_gone "$pid" || kill -KILL "$pid"
wait "$pid"
rc=$?
err=$(<"$T/int.err")
is "$rc/$(<"$T/int.out")" "9/INT" "Ctrl-C twice: SIGINT reaches the task"
like "$err" "^srun: interrupt \\(one more within 1 sec to abort\\)
srun: StepId=[0-9]+\\.0 task 0: running
srun: sending Ctrl-C to StepId=[0-9]+\\.0
srun: error: $HOST: task 0: Exited with exit code 9\$" \
    "Ctrl-C: the tasks' states, then 'sending Ctrl-C'"

# --- scancel of a running srun --------------------------------------------
rm -f ready.*
srun -J cancel_me bash -c 'touch ready.0; sleep 100' </dev/null >/dev/null 2>"$T/cancel.err" &
pid=$!
wait_for 20 test -e ready.0
cid=$(squeue -h -n cancel_me -o %i)
run scancel "$cid"
wait "$pid"
rc=$?
like "$(<"$T/cancel.err")" "^srun: Job step aborted: Waiting up to [0-9]+ seconds for job step to finish\\.
slurmstepd: error: \\*\\*\\* STEP $cid\\.0 ON $HOST CANCELLED AT [0-9T:-]+ \\*\\*\\*
srun: error: $HOST: task 0: Terminated\$" "scancel: Slurm's step-cancelled lines"
is "$rc" 143 "srun of a cancelled step exits 143"
wait_for 20 job_done "$cid"
run sacct -n -P -o JobID,State -j "$cid"
like "$OUT" "^$cid\\|CANCELLED( by [0-9]+)?
$cid\\.0\\|CANCELLED" "sacct: job and step CANCELLED"

# --- --pty ---------------------------------------------------------------
if command -v script >/dev/null 2>&1; then
	# script(1) passes a NUL on to srun when its own stdin ends (the
	# task's terminal would echo "^@"): its stdin is a fifo it holds open
	# itself (opened read-write), which never ends, however long srun
	# takes (a "sleep 3 |" did not, under load).
	mkfifo "$T/script.in"
	out=$(command script -qec "stty -g >before; srun --pty bash -c 'tty; exit 4'; echo rc=\$?; stty -g >after" /dev/null 0<>"$T/script.in" | tr -d '\r')
	like "$out" "(^|"$'\n'")/dev/pts/[0-9]+" "--pty: task 0's stdin is a terminal"
	like "$out" "rc=4" "--pty: the task's exit code"
	is "$(cat before)" "$(cat after)" "--pty: srun's terminal settings restored"
	out=$(command script -qec "srun --pty -n 2 -l bash -c 'if [ -t 0 ]; then echo tty; else echo notty; fi'" /dev/null 0<>"$T/script.in" | tr -d '\r' | sort)
	is "$out" "0: tty
1: notty" "--pty: only task 0 is on the terminal"
else
	skip "--pty through script(1)" "no script(1)"
fi
# Window size changes and typed input, through a pty of our own.
if command -v python3 >/dev/null 2>&1; then
	cat >winch.py <<'PY'
import os, pty, sys, time, fcntl, termios, struct, signal, select
def setsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
master, slave = pty.openpty()
setsize(master, 30, 100)
pid = os.fork()
if pid == 0:
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    os.close(master)
    os.execvp('srun', ['srun', '--pty', 'bash', '-c', 'stty size; read x; stty size; echo got $x'])
os.close(slave)
sys.dont_write_bytecode = True
sys.path.insert(0, os.environ['E2E_DIR'])
from ptyread import Reader
reader = Reader(master)
wait_for = reader.wait_for
ok1 = wait_for(b'30 100')
setsize(master, 40, 120)
os.kill(pid, signal.SIGWINCH)
time.sleep(0.3)
os.write(master, b'hello\r')
ok2 = wait_for(b'got hello')
_, st = os.waitpid(pid, 0)
sys.stdout.write(reader.out.decode(errors='replace').replace('\r', ''))
sys.stdout.write('exit=%d\n' % os.waitstatus_to_exitcode(st))
PY
	out=$(E2E_DIR=$E2E_DIR python3 winch.py 2>&1)
	is "$out" "30 100
hello
40 120
got hello
exit=0" "--pty: the window size, SIGWINCH's new size, typed input"
else
	skip "--pty window size through python3's pty" "no python3"
fi
run srun --pty true
is "$RC/$ERR" "0/srun: error: ioctl(TIOCGWINSZ): Inappropriate ioctl for device
srun: error: Not using a pseudo-terminal, disregarding --pty option" \
    "--pty without a terminal: Slurm's two lines, then runs"

done_testing
