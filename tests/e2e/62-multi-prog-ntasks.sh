#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: srun --multi-prog without -n, outside an allocation, inside
#   salloc and inside a batch job, with a configuration file of several
#   task ranges.
# Slurm behaviour copied (checked on real Slurm 22.05.8, 2-CPU node):
#   * Outside an allocation the highest rank in the file sets the task
#     count: "0 ...\n1 ..." runs 2 tasks, "*" alone 1, "0,1" 2; a file
#     with ranks 0-3 asks for 4 CPUs and pends (PartitionConfig, NumTasks=4,
#     srun prints "Requested partition configuration not available now"
#     and "job N queued and waiting for resources"); ranks 0 and 2 only:
#     "Configuration file F invalid, no record for task id 1", exit 1.
#   * Inside an allocation with a task count (salloc -n2, sbatch -n2) that
#     count is srun's -n: a rank beyond it is "Invalid task id, 2 >=
#     ntasks" and "Line 2 of configuration file F invalid", exit 1.
#   * Inside an allocation without one (salloc, sbatch without -n) the
#     file's ranks set the count and the step must fit the allocation:
#     two ranks in a one-CPU job are "Unable to create step for job N:
#     More processors requested than permitted", exit 1; in a job with
#     -c 2 they run.
#   * With -O (srun -O, or SLURM_OVERCOMMIT from salloc -O) the four
#     ranks share the CPUs and run.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

cat >two.conf <<'EOF'
# two ranges, the second first
1 echo second task:%t offset:%o
0 echo first task:%t offset:%o
EOF
cat >four.conf <<'EOF'
0   echo zero %t
1-2 echo onetwo %t %o
3   echo three
EOF
printf '0 echo zero\n2 echo two\n' >gap.conf
printf '* echo star %%t\n' >star.conf
printf '0,1 echo list %%t\n' >list.conf

# --- outside an allocation --------------------------------------------------
run srun -l --multi-prog two.conf
is "$RC/$(sort <<<"$OUT")/$ERR" "0/0: first task:0 offset:0
1: second task:1 offset:0/" "two ranks: two tasks, each its line"
run srun -l --multi-prog star.conf
is "$RC/$OUT" "0/0: star 0" "'*' alone: one task"
run srun -l --multi-prog list.conf
is "$RC/$(sort <<<"$OUT")" "0/0: list 0
1: list 1" "'0,1': two tasks"
run srun --multi-prog gap.conf
is "$RC/$ERR" "1/srun: error: Configuration file gap.conf invalid, no record for task id 1" \
    "a rank missing below the highest"

srun -l --multi-prog four.conf </dev/null >four.out 2>four.err &
srun_pid=$!
four_pending() { [ "$(squeue -h -u "$ME" -o %r)" = PartitionConfig ]; }
ok "four ranks on two CPUs pend (PartitionConfig)" wait_for 10 four_pending
jid=$(squeue -h -u "$ME" -o %i)
like "$(scontrol show job "$jid")" "NumCPUs=4 NumTasks=4 " \
    "…asking for four tasks"
is "$(head -n 2 four.err)" "srun: Requested partition configuration not available now
srun: job $jid queued and waiting for resources" "…with srun's two lines"
run scancel "$jid"
wait "$srun_pid"

run srun -O -l --multi-prog four.conf
is "$RC/$(sort <<<"$OUT")" "0/0: zero 0
1: onetwo 1 0
2: onetwo 2 1
3: three" "srun -O: four ranks share the CPUs"

# --- inside salloc ---------------------------------------------------------
run salloc -n2 srun -l --multi-prog four.conf
like "$RC/$ERR" "^1/salloc: Granted job allocation [0-9]+
srun: error: Invalid task id, 2 >= ntasks
srun: error: Line 2 of configuration file four.conf invalid
salloc: Relinquishing job allocation [0-9]+$" \
    "salloc -n2: SLURM_NTASKS is -n, rank 2 is beyond it"
run salloc -n2 srun -l --multi-prog two.conf
is "$RC/$(sort <<<"$OUT")" "0/0: first task:0 offset:0
1: second task:1 offset:0" "salloc -n2: two ranks run"
run salloc srun -l --multi-prog two.conf
like "$RC/$ERR" "^1/salloc: Granted job allocation ([0-9]+)
srun: error: Unable to create step for job ([0-9]+): More processors requested than permitted
salloc: Relinquishing job allocation ([0-9]+)$" \
    "salloc without -n: two ranks do not fit one CPU"
run salloc -O srun -l --multi-prog four.conf
is "$RC/$(sort <<<"$OUT")" "0/0: zero 0
1: onetwo 1 0
2: onetwo 2 1
3: three" "salloc -O: srun's four ranks share its CPU"
run salloc srun -l --multi-prog star.conf
is "$RC/$OUT" "0/0: star 0" "salloc without -n: '*' is one task"

# --- inside a batch job ----------------------------------------------------
submit -o b1.out --wrap='srun -l --multi-prog two.conf; echo rc=$?'
b1=$JOB
submit -n2 -o b2.out --wrap='srun -l --multi-prog four.conf; echo rc=$?'
b2=$JOB
submit -c2 -o b3.out --wrap='srun -l --multi-prog two.conf | sort; echo rc=$?'
b3=$JOB
wait_done "$b1"; wait_done "$b2"; wait_done "$b3"
is "$(<b1.out)" "srun: error: Unable to create step for job $b1: More processors requested than permitted
rc=1" "batch job without -n: two ranks do not fit one CPU"
is "$(<b2.out)" "srun: error: Invalid task id, 2 >= ntasks
srun: error: Line 2 of configuration file four.conf invalid
rc=1" "batch job with -n2: rank 2 is beyond SLURM_NTASKS"
is "$(<b3.out)" "0: first task:0 offset:0
1: second task:1 offset:0
rc=0" "batch job with -c 2: two ranks run"

done_testing
