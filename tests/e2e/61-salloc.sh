#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: salloc running a command in a new allocation: the 61_salloc
#   reference cases (srun inside, SLURM_JOB_ID/SLURM_NTASKS, the command's
#   exit code, a pending allocation cancelled by scancel), the
#   allocation's environment, a running allocation revoked by scancel,
#   salloc -Q, the default command ($SHELL), bad input.
# Slurm behaviour copied (slurm-reference 61_salloc: "Granted job
#   allocation N", "Relinquishing job allocation N", "Pending job
#   allocation N", "Job allocation N has been revoked."); checked on real
#   Slurm 22.05.8: the job is named "interactive" whatever the command
#   (sacct JobName, SLURM_JOB_NAME), and SLURM_MEM_PER_CPU/_PER_NODE are
#   set only when --mem-per-cpu/--mem was given.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

alloc_id() { sed -n 's/^salloc: Granted job allocation \([0-9]*\)$/\1/p' <<<"$1"; }

run salloc -n 1 srun hostname
id=$(alloc_id "$ERR")
is "$OUT/$RC" "$HOST/0" "salloc -n 1 srun hostname"
is "$ERR" "salloc: Granted job allocation $id
salloc: Relinquishing job allocation $id" "granted and relinquished"

run salloc -n 1 sh -c 'echo "$SLURM_JOB_NAME/${SLURM_MEM_PER_CPU-unset}"'
is "$RC/$OUT" "0/interactive/unset" \
    "salloc's job is 'interactive'; no SLURM_MEM_PER_CPU unless given"
run salloc -n 1 --mem-per-cpu=500 sh -c 'echo "$SLURM_MEM_PER_CPU"'
is "$RC/$OUT" "0/500" "…and SLURM_MEM_PER_CPU when given"

run salloc -n 2 bash -c 'echo JOB=$SLURM_JOB_ID NTASKS=$SLURM_NTASKS; srun -l hostname'
id=$(alloc_id "$ERR")
is "$(head -n 1 <<<"$OUT")" "JOB=$id NTASKS=2" "SLURM_JOB_ID and SLURM_NTASKS in the command"
is "$(tail -n +2 <<<"$OUT" | sort)" "0: $HOST
1: $HOST" "srun inside runs the allocation's two tasks"
run sacct -n -P -o JobID,JobName,State,ExitCode -j "$id"
is "$OUT" "$id|interactive|COMPLETED|0:0
$id.0|hostname|COMPLETED|0:0" "sacct: the allocation and its step"

run salloc -n 1 bash -c 'exit 5'
is "$RC" 5 "salloc exits with the command's exit code"
id=$(alloc_id "$ERR")
run sacct -n -X -P -o State,ExitCode -j "$id"
is "$OUT" "FAILED|5:0" "the allocation ends FAILED 5:0"

# A pending allocation cancelled by scancel (-c 999 never fits).
salloc -J hang_salloc -n 1 -c 999 true </dev/null >"$T/hang.out" 2>"$T/hang.err" &
hang=$!
hang_pending() { [ "$(squeue -h -n hang_salloc -o %T)" = PENDING ]; }
wait_for 20 hang_pending
hid=$(squeue -h -n hang_salloc -o %i)
run scancel -n hang_salloc
wait "$hang"
is "$?" 1 "a cancelled pending salloc exits 1"
is "$(<"$T/hang.err")" "salloc: Requested partition configuration not available now
salloc: Pending job allocation $hid
salloc: job $hid queued and waiting for resources
salloc: Job allocation $hid has been revoked.
salloc: Job has been cancelled
salloc: error: Job submit/allocate failed: Job/step already completing or completed" \
    "pending, then revoked: Slurm's lines"

# The allocation's environment.
run salloc -n 2 -c 1 --mem=100 -J envtest bash -c 'env | grep -E "^SLURM_" | sort'
id=$(alloc_id "$ERR")
is_masked "$OUT" "SLURM_CLUSTER_NAME=ref
SLURM_CONF=@@
SLURM_CPUS_PER_TASK=1
SLURM_JOBID=$id
SLURM_JOB_ACCOUNT=@@
SLURM_JOB_CPUS_PER_NODE=2
SLURM_JOB_ID=$id
SLURM_JOB_NAME=envtest
SLURM_JOB_NODELIST=$HOST
SLURM_JOB_NUM_NODES=1
SLURM_JOB_PARTITION=cpu
SLURM_JOB_QOS=normal
SLURM_MEM_PER_NODE=100
SLURM_NNODES=1
SLURM_NODELIST=$HOST
SLURM_NODE_ALIASES=(null)
SLURM_NPROCS=2
SLURM_NTASKS=2
SLURM_SUBMIT_DIR=$T/work
SLURM_SUBMIT_HOST=@@
SLURM_TASKS_PER_NODE=2" "the allocation's SLURM_* variables"

# A running allocation revoked by scancel: the command is hung up.
salloc -J revoke_me bash -c 'echo ready >ready; sleep 100' \
    </dev/null >"$T/rev.out" 2>"$T/rev.err" &
rev=$!
wait_for 20 file_nonempty ready
rid=$(squeue -h -n revoke_me -o %i)
run scancel "$rid"
wait "$rev"
is "$?" 129 "the revoked command died of SIGHUP: salloc exits 129"
is "$(<"$T/rev.err")" "salloc: Granted job allocation $rid
salloc: Job allocation $rid has been revoked." "revoked: no Relinquishing line"
wait_for 20 job_done "$rid"
run sacct -n -X -P -o State -j "$rid"
like "$OUT" "^CANCELLED" "the allocation is CANCELLED"

# -Q and the default command.
run env SHELL=/bin/sh salloc -Q -n 1 </dev/null
is "$RC/$ERR" "0/" "salloc -Q: no informational lines; the shell read EOF"
# The default command is the login shell of /etc/passwd (Slurm's
# getpwuid), not $SHELL: with SHELL=/bin/false the shell still runs.
login_shell=$(awk -F: -v u="$(id -u)" '$3 == u { print $7; exit }' /etc/passwd)
if [ -n "$login_shell" ] && [ -x "$login_shell" ] &&
    [ "$login_shell" != /bin/false ] &&
    [ "${login_shell##*/}" != nologin ]; then
	out=$(env SHELL=/bin/false salloc -Q -n 1 2>&1 \
	    <<<'echo "shell=$0 job=${SLURM_JOB_ID:+set}"')
	is "$?/$out" "0/shell=$login_shell job=set" \
	    "the default command is the passwd login shell, not \$SHELL"
else
	skip "the default command is the passwd login shell" "no login shell"
fi
run salloc -Q /bin/echo hello
is "$OUT/$ERR/$RC" "hello//0" "salloc -Q COMMAND"

# Bad input.
run salloc --bogus true
is "$RC" 255 "an unknown option exits 255"
run salloc -p nosuch true
is "$RC/$ERR" "1/salloc: error: Job submit/allocate failed: Invalid partition name specified" \
    "an unknown partition"
run salloc --mem=100000 true
is "$RC/$ERR" "1/salloc: error: Memory specification can not be satisfied
salloc: error: Job submit/allocate failed: Requested node configuration is not available" \
    "impossible memory: Slurm's two lines"
run salloc -Q nosuchcommand
is "$RC/$ERR" "1/salloc: error: _fork_command: Unable to find command \"nosuchcommand\"" \
    "a missing command: Slurm's _fork_command error, exit 1"

# srun -N 0: refused outside an allocation, accepted inside one (a step
# on the job's one node), as real Slurm 22.05.8 does both (checked on
# the reference machine: "srun -N 0 true" exits 1 with the line below;
# inside salloc and inside an sbatch script it runs, SLURM_STEP_NUM_NODES
# 1).
run srun -N 0 true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Node count specification invalid" \
    "srun -N 0 outside an allocation: refused"
run salloc -Q -n 1 bash -c 'srun -N 0 bash -c "echo \$SLURM_STEP_NUM_NODES"; echo rc=$?'
is "$RC/$OUT/$ERR" "0/1
rc=0/" "srun -N 0 inside an allocation: a step on the job's node"
submit -o n0.out --wrap='srun -N 0 hostname -s; echo rc=$?'; n0=$JOB
wait_done "$n0"
is "$(<n0.out)" "$HOST
rc=0" "and inside an sbatch script"

done_testing
