#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: srun outside an allocation (its own job with step 0): the
#   60_srun reference cases (--label, exit codes, the task error lines,
#   a missing command, a pending srun cancelled by scancel, -J/-t, --gpus,
#   the step environment compared with the recording), a task killed by a
#   signal (128+signal), -o/-e patterns per task, --input, --cpu-bind,
#   stdin copied to every task, -K, bad input with Slurm's words and exit
#   codes.
# Slurm behaviour copied (slurm-reference 60_srun; srun(1) of 22.05 for
#   --input=all being the default and 128+signal).  Differences masked:
#   job ids, pids, host, user, account, SLURM_CONF; SLURM_SRUN_COMM_PORT,
#   SLURM_STEP_LAUNCHER_PORT and SLURM_WORKING_CLUSTER's port are 0 in
#   berth (no ports).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

sorted() { sort <<<"$1"; }

# --- the reference cases --------------------------------------------------
run srun -n 2 --label hostname
is "$(sorted "$OUT")/$ERR/$RC" "0: $HOST
1: $HOST//0" "srun -n 2 --label hostname"

run srun -n 2 -l bash -c 'echo task $SLURM_PROCID of $SLURM_NTASKS'
is "$(sorted "$OUT")/$RC" "0: task 0 of 2
1: task 1 of 2/0" "SLURM_PROCID and SLURM_NTASKS per task, labelled"

run srun false
is "$RC/$ERR" "1/srun: error: $HOST: task 0: Exited with exit code 1" \
    "srun false: exit 1 and Slurm's task line"

run srun bash -c 'exit 7'
is "$RC/$ERR" "7/srun: error: $HOST: task 0: Exited with exit code 7" \
    "exit code 7 is srun's"

run srun -n 2 bash -c 'exit $SLURM_PROCID'
is "$RC/$ERR" "1/srun: error: $HOST: task 1: Exited with exit code 1" \
    "the highest task exit code; only the failed task is reported"

run srun nosuchcommand
is "$RC/$(sorted "$ERR")" "2/slurmstepd-$HOST: error: execve(): nosuchcommand: No such file or directory
srun: error: $HOST: task 0: Exited with exit code 2" \
    "a missing command: slurmstepd's execve line, exit 2"

run srun -t 1 -J srun_named bash -c 'echo $SLURM_JOB_NAME $SLURM_STEP_ID'
is "$OUT/$RC" "srun_named 0/0" "-J names the job, the step is 0"

run srun --gpus=1 bash -c 'echo CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES'
is "$OUT/$RC" "CUDA_VISIBLE_DEVICES=0/0" "--gpus=1: one device"

# A pending srun cancelled by scancel (3 tasks do not fit 2 CPUs).
srun -J hang_srun -n 3 true </dev/null >"$T/hang.out" 2>"$T/hang.err" &
hang=$!
hang_pending() { [ "$(squeue -h -n hang_srun -o %T)" = PENDING ]; }
wait_for 20 hang_pending
hid=$(squeue -h -n hang_srun -o %i)
run scancel -n hang_srun
wait "$hang"
is "$?" 1 "a cancelled pending srun exits 1"
is "$(<"$T/hang.err")" "srun: Requested partition configuration not available now
srun: job $hid queued and waiting for resources
srun: Job has been cancelled
srun: error: Unable to allocate resources: Job/step already completing or completed" \
    "pending and cancelled: Slurm's four lines"

# The environment of a step (60_srun's last case), masked where berth
# differs by design.
run srun -n 1 bash -c 'env | grep -E "^(SLURM|SBATCH|CUDA|GPU|OMP)" | sort'
is_masked "$OUT" "SLURMD_NODENAME=$HOST
SLURM_CLUSTER_NAME=ref
SLURM_CONF=@@
SLURM_CPUS_ON_NODE=1
SLURM_CPU_BIND=quiet,mask_cpu:0x1
SLURM_CPU_BIND_LIST=0x1
SLURM_CPU_BIND_TYPE=mask_cpu:
SLURM_CPU_BIND_VERBOSE=quiet
SLURM_GTIDS=0
SLURM_JOBID=@@
SLURM_JOB_ACCOUNT=@@
SLURM_JOB_CPUS_PER_NODE=1
SLURM_JOB_GID=$MY_GID
SLURM_JOB_ID=@@
SLURM_JOB_NAME=bash
SLURM_JOB_NODELIST=$HOST
SLURM_JOB_NUM_NODES=1
SLURM_JOB_PARTITION=cpu
SLURM_JOB_QOS=normal
SLURM_JOB_UID=$MY_UID
SLURM_JOB_USER=$ME
SLURM_LAUNCH_NODE_IPADDR=127.0.0.1
SLURM_LOCALID=0
SLURM_NNODES=1
SLURM_NODEID=0
SLURM_NODELIST=$HOST
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
SLURM_UMASK=@@
SLURM_WORKING_CLUSTER=ref:$HOST:0:9728:109" "the step environment of 60_srun"
run srun -n 2 bash -c 'echo $SLURM_PROCID $SLURM_LOCALID $SLURM_GTIDS $SLURM_STEP_NUM_TASKS $SLURM_TASK_PID $$'
is "$(awk '$5 != $6 { print "task", $1, "pid", $5, "!=", $6 }' <<<"$OUT")" "" \
    "SLURM_TASK_PID is the task's own pid"
is "$(awk '{ print $1, $2, $3, $4 }' <<<"$OUT" | sort)" "0 0 0,1 2
1 1 0,1 2" "SLURM_PROCID, SLURM_LOCALID, SLURM_GTIDS, SLURM_STEP_NUM_TASKS"

# --- exit codes and signals ----------------------------------------------
run srun bash -c 'kill -9 $$'
is "$RC/$ERR" "137/srun: error: $HOST: task 0: Killed" \
    "a task killed by SIGKILL: exit 137, Slurm's 'Killed' line"
run srun -n 2 bash -c 'exit 3'
like "$RC/$ERR" "^3/srun: error: $HOST: (tasks 0-1: Exited with exit code 3|task [01]: Exited with exit code 3
srun: error: $HOST: task [01]: Exited with exit code 3)\$" \
    "two failed tasks: reported (together when they end together)"

run srun -n 2 -K bash -c 'if [ $SLURM_PROCID = 1 ]; then exit 3; fi; sleep 100'
like "$ERR" "srun: error: $HOST: task 1: Exited with exit code 3
srun: launch/slurm: _step_signal: Terminating StepId=[0-9]+\\.0
srun: error: $HOST: task 0: Terminated" "-K: a failed task ends the step"
isnt "$RC" 0 "-K: srun fails"

# --- output and input ----------------------------------------------------
run srun -n 2 -o 'out-%j-%t.txt' bash -c 'echo out $SLURM_PROCID; echo err $SLURM_PROCID >&2'
jid=$(sacct -n -X -P -o JobID | tail -n 1)
is "$RC/$OUT/$ERR" "0//" "-o: nothing on srun's own streams"
is "$(cat "out-$jid-0.txt" 2>&1 | sort)" "err 0
out 0" "-o %j-%t: task 0's file, stderr follows -o"
is "$(cat "out-$jid-1.txt" 2>&1 | sort)" "err 1
out 1" "-o %j-%t: task 1's file"
run srun -l -e 'err-%s.txt' bash -c 'echo out; echo oops >&2'
is "$OUT/$(cat err-0.txt 2>&1)" "0: out/0: oops" "-e %s: the step's error file, labelled"
run srun -n 2 -o 1 bash -c 'echo from $SLURM_PROCID'
is "$OUT" "from 1" "-o 1: only task 1's output"

printf 'line1\nline2\n' >input.txt
out=$(srun -n 2 -l cat <input.txt 2>&1 | sort)
is "$out" "0: line1
0: line2
1: line1
1: line2" "stdin goes to every task (--input=all)"
out=$(srun -n 2 -l --input=1 cat <input.txt 2>&1 | sort)
is "$out" "1: line1
1: line2" "--input=1: only task 1 reads it"
run srun -n 2 -l -i input.txt head -n 1
is "$(sorted "$OUT")" "0: line1
1: line1" "-i FILE: each task reads the file"

out=$(srun yes 2>"$T/yes.err" | head -n 2; echo "${PIPESTATUS[0]}")
is "$out" "y
y
141" "srun's reader goes away: the task gets SIGPIPE, srun exits 141"

# --- CPU binding ------------------------------------------------------------
run srun -n 2 -l --cpu-bind=rank bash -c 'grep Cpus_allowed_list /proc/self/status; echo $SLURM_CPU_BIND'
is "$(sorted "$OUT")" "0: Cpus_allowed_list:	0
0: quiet,mask_cpu:0x1,0x2
1: Cpus_allowed_list:	1
1: quiet,mask_cpu:0x1,0x2" "--cpu-bind=rank: one CPU per task"
run srun -n 1 -c 2 bash -c 'grep Cpus_allowed_list /proc/self/status'
is "$OUT" "Cpus_allowed_list:	0-1" "default binding: all CPUs of the step"
run srun --cpu-bind=none bash -c 'echo $SLURM_CPU_BIND $SLURM_CPU_BIND_TYPE'
is "$OUT" "quiet,none none" "--cpu-bind=none"
run srun --cpu-bind=bogus true
is "$RC/$ERR" "1/srun: error: Invalid --cpu-bind argument: bogus" \
    "a bad --cpu-bind"

# --- bad input -------------------------------------------------------------
run srun
is "$RC/$ERR" "1/srun: fatal: No command given to execute." "no command"
run srun --bogus true
is "$RC" 255 "an unknown option exits 255"
like "$ERR" "unrecognized option '--bogus'" "getopt names the option"
run srun -n 0 true
is "$RC/$ERR" "1/srun: error: Invalid numeric value \"0\" for --ntasks." \
    "-n 0: Slurm's invalid numeric value"
run srun -p nosuch true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Invalid partition name specified" \
    "an unknown partition"
run srun --mem=100000 true
is "$RC/$ERR" "1/srun: error: Memory specification can not be satisfied
srun: error: Unable to allocate resources: Requested node configuration is not available" \
    "impossible resources (--mem above the node's): Slurm's two lines"
run srun --mpi=pmix true
is "$RC/$ERR" "1/srun: error: MPI: Cannot create context for mpi/pmix" \
    "only --mpi=none"

done_testing
