#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sattach to a running step: --layout, the output from then on
#   (with -l, and --output-filter), input to every task or one
#   (--input-filter), the tasks' exit codes ("task N exited with exit code
#   M", the highest is sattach's), sattach from the step's own tasks as
#   soon as they run, and Slurm's "Could not get job step info" for a
#   finished step, an unknown job, bad arguments.
# Slurm behaviour copied (sattach.c: print_layout_info, _exit_handler,
#   "Could not get job step info: %m"; sattach(1)).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A step that waits for a go file and prints; task 1 then reads a line.
# srun's stdin stays open (a fifo held by a sleep) so input can reach it.
mkfifo keep
sleep 60 >keep &
keeper=$!
srun -n 2 -J att bash -c 'touch ready.$SLURM_PROCID; while [ ! -e go ]; do sleep 0.1; done; echo out $SLURM_PROCID; echo err $SLURM_PROCID >&2; if [ $SLURM_PROCID = 1 ]; then read x; echo got $x; fi; exit $((SLURM_PROCID + 2))' \
    <keep >"$T/srun.out" 2>"$T/srun.err" &
srun_pid=$!
both_ready() { [ -e ready.0 ] && [ -e ready.1 ]; }
wait_for 20 both_ready
id=$(squeue -h -n att -o %i)

run sattach --layout "$id.0"
is "$RC/$OUT" "0/Job step layout:
	2 tasks, 1 nodes ($HOST)

	Node 0 ($HOST), 2 task(s): 0 1 " "--layout: Slurm's layout lines"
wait_for 20 attached_is "$srun_pid" 0	# the --layout connection is gone

# Attach with labels; the first sattach gets everything, the second only
# task 1's output.  Input "hello" goes to task 1 only.
mkfifo in1
sattach -l --input-filter=1 "$id.0" <in1 >"$T/a1.out" 2>"$T/a1.err" &
a1=$!
sattach --output-filter=1 --error-filter=1 "$id.0" </dev/null \
    >"$T/a2.out" 2>"$T/a2.err" &
a2=$!
exec 3>in1
wait_for 20 attached_is "$srun_pid" 2	# both attached before the tasks print
touch go
echo hello >&3
wait "$a1"
rc1=$?
exec 3>&-
wait "$a2"
rc2=$?
kill "$keeper" 2>/dev/null
wait "$srun_pid"
is "$rc1" 3 "sattach exits with the highest task exit code"
is "$(grep -v '^[01]: got' "$T/a1.out" | sort)" "0: out 0
1: out 1" "sattach -l: every task's output, labelled"
is "$(grep '^[01]: got' "$T/a1.out")" "1: got hello" \
    "--input-filter=1: the input reached task 1"
is "$(sort "$T/a1.err")" "0: err 0
1: err 1
sattach: error: task 0 exited with exit code 2
sattach: error: task 1 exited with exit code 3" "stderr and the tasks' exit codes"
is "$rc2/$(<"$T/a2.out")" "3/out 1
got hello" "--output-filter=1: only task 1's output"
is "$(grep -v '^sattach:' "$T/a2.err")" "err 1" "--error-filter=1: only task 1's errors"

# A task may attach to its own step from its first instruction: srun's
# attach socket listens before any task runs (it used to open just after
# starting them, and a quick sattach found no step: 1 srun in 10
# under ASan).
run srun -n 2 bash -c 'sattach --layout "$SLURM_JOB_ID.$SLURM_STEP_ID" >/dev/null && echo attached $SLURM_PROCID'
is "$RC/$(sort <<<"$OUT")/$ERR" "0/attached 0
attached 1/" "sattach from the step's own tasks, at once"

run sattach "$id.0"
is "$RC/$ERR" "1/sattach: error: Could not get job step info: Job/step already completing or completed" \
    "a finished step"
run sattach 99999.0
is "$RC/$ERR" "1/sattach: error: Could not get job step info: Invalid job id specified" \
    "an unknown job"
run sattach
is "$RC" 1 "no step id"
run sattach 12
is "$RC/$ERR" "1/sattach: error: Invalid job step id: 12" "a job id without step"

done_testing
