#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: `scontrol show step` of running steps: Slurm's seven-line layout
#   (StepId, UserId, StartTime, TimeLimit / State, Partition, NodeList /
#   Nodes, CPUs, Tasks, Name / TRES / ResvPorts / CPUFreqReq, Dist /
#   SrunHost:Pid), `-o` one line, one step by ID.N, all steps of a job,
#   "No job steps in the system", an unknown step or job, a malformed id.
# Slurm behaviour copied (slurm_sprint_job_step_info's lines; messages for
#   missing steps are berth's, see docs/compat.md).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

run scontrol show step
is "$RC/$OUT" "0/No job steps in the system" "no steps: Slurm's line"

j=$(sbatch --parsable -n 2 -o /dev/null \
    --wrap='srun -n 2 -J sleeper bash -c "touch up.\$SLURM_PROCID; sleep 30"')
wait_for 20 test -e up.1
# This test's srun: other test runs on the machine may have one like it.
srun_pid=
for p in $(pgrep -f 'srun -n 2 -J sleeper'); do
	grep -qsF -- "$T" "/proc/$p/environ" && { srun_pid=$p; break; }
done

run scontrol show step "$j.0"
is "$RC" 0 "show step $j.0 exits 0"
like "$(head -n 1 <<<"$OUT")" "^StepId=$j\\.0 UserId=$(id -u) StartTime=[0-9T:-]+ TimeLimit=UNLIMITED\$" \
    "line 1: StepId, UserId, StartTime, TimeLimit"
has_line "$OUT" "   State=RUNNING Partition=cpu NodeList=$(hostname -s)" &&
    pass "line 2: State, Partition, NodeList" ||
    fail "line 2: State, Partition, NodeList" "$OUT"
has_line "$OUT" "   Nodes=1 CPUs=2 Tasks=2 Name=sleeper Network=(null)" &&
    pass "line 3: the step's CPUs, tasks and name" ||
    fail "line 3: the step's CPUs, tasks and name" "$OUT"
like "$OUT" "   TRES=cpu=2,mem=[0-9]+M,node=1" "line 4: TRES"
has_line "$OUT" "   SrunHost:Pid=$(hostname -s):$srun_pid" &&
    pass "the last line names srun's host and pid" ||
    fail "the last line names srun's host and pid" "$OUT"

run scontrol -o show step "$j.0"
is "$(grep -c . <<<"$OUT")" 1 "-o: one line"
like "$OUT" "^StepId=$j\\.0 .* State=RUNNING .* SrunHost:Pid=" "…with every field"

run scontrol show step "$j"
like "$OUT" "^StepId=$j\\.0 " "a job id lists its steps"
run scontrol show step
like "$OUT" "^StepId=$j\\.0 " "no id lists every running step"

run scontrol show step "$j.7"
is "$RC/$ERR" "1/Job step $j.7 not found" "an unknown step: exit 1"
run scontrol show step 99999
is "$RC/$ERR" "1/Job step 99999 not found" "an unknown job: exit 1"
run scontrol show step abc
is "$RC/$ERR" "1/Invalid job step id: abc" "a malformed id: exit 1"

scancel "$j"
wait_done "$j"
run scontrol show step "$j.0"
is "$RC" 1 "an ended step is not shown"

done_testing
