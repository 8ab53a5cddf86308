#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: -O/--overcommit of sbatch, salloc and srun: the job's CPUs, its
#   environment, the steps' tasks sharing CPUs.
# Slurm behaviour copied (checked on real Slurm 22.05.8, 2-CPU node):
#   sbatch -O -n4 runs at once with NumCPUs=1 NumTasks=4 (TRES cpu=1,
#   mem=1000M), SLURM_CPUS_ON_NODE=1, SLURM_JOB_CPUS_PER_NODE=1,
#   SLURM_NTASKS=4, SLURM_TASKS_PER_NODE=4, SLURM_OVERCOMMIT=1; srun
#   inside (which takes SLURM_OVERCOMMIT as -O) runs its 4 tasks all bound
#   to CPU 0, and even -n 5.  -O -n4 -c2: NumCPUs=2, the tasks bound to
#   0-1.  salloc -O -n4 exports the same variables; srun -O outside an
#   allocation likewise.  Without -O, a one-CPU allocation refuses srun
#   -n 3 ("Unable to create step for job N: More processors requested
#   than permitted"); srun -O -n 3 there runs.  Held (pending), scontrol
#   show job has slurmctld's node estimate, --ntasks-per-node or the
#   node's CPUs over -c (at least 1) tasks a node, at least -N's minimum,
#   capped by -N's maximum into a range, and one CPU a node: -O -n4
#   NumNodes=2 NumCPUs=1; -n4 -c2 4 (TRES cpu=1,mem=1000M,node=1,
#   billing=1); -n3 2; -n2 -c3 2; -n4 --ntasks-per-node=4 1, =1 4; -n4
#   -N1 1-1; -n4 -N1-3 2-3; -n2 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

body='scontrol show job $SLURM_JOB_ID | grep -oE "NumCPUs=[0-9]+ NumTasks=[0-9]+|TRES=[^ ]*"
env | grep -E "^SLURM_(NTASKS|CPUS_ON_NODE|JOB_CPUS_PER_NODE|TASKS_PER_NODE|OVERCOMMIT)=" | sort
srun -l sh -c "grep Cpus_allowed_list /proc/self/status" | sort
srun -n 5 true; echo rc=$?'

submit -O -n4 -o o1.out --wrap="$body"
j1=$JOB
submit -O -n4 -c2 -o o2.out --wrap="$body"
j2=$JOB
wait_done "$j1"; wait_done "$j2"
is "$(<o1.out)" "NumCPUs=1 NumTasks=4
TRES=cpu=1,mem=1000M,node=1,billing=1
SLURM_CPUS_ON_NODE=1
SLURM_JOB_CPUS_PER_NODE=1
SLURM_NTASKS=4
SLURM_OVERCOMMIT=1
SLURM_TASKS_PER_NODE=4
0: Cpus_allowed_list:	0
1: Cpus_allowed_list:	0
2: Cpus_allowed_list:	0
3: Cpus_allowed_list:	0
rc=0" "sbatch -O -n4: one CPU, four tasks sharing it"
is "$(<o2.out)" "NumCPUs=2 NumTasks=4
TRES=cpu=2,mem=2000M,node=1,billing=2
SLURM_CPUS_ON_NODE=2
SLURM_JOB_CPUS_PER_NODE=2
SLURM_NTASKS=4
SLURM_OVERCOMMIT=1
SLURM_TASKS_PER_NODE=4
0: Cpus_allowed_list:	0-1
1: Cpus_allowed_list:	0-1
2: Cpus_allowed_list:	0-1
3: Cpus_allowed_list:	0-1
rc=0" "sbatch -O -n4 -c2: one task's two CPUs, shared"

run salloc -O -n4 sh -c 'env | grep -E "^SLURM_(NTASKS|JOB_CPUS_PER_NODE|TASKS_PER_NODE|OVERCOMMIT)=" | sort; srun -l hostname | sort'
is "$RC/$OUT" "0/SLURM_JOB_CPUS_PER_NODE=1
SLURM_NTASKS=4
SLURM_OVERCOMMIT=1
SLURM_TASKS_PER_NODE=4
0: $HOST
1: $HOST
2: $HOST
3: $HOST" "salloc -O -n4: the same variables, srun runs four tasks"

run srun -O -n 4 -l sh -c 'grep Cpus_allowed_list /proc/self/status'
is "$RC/$(sort <<<"$OUT")" "0/0: Cpus_allowed_list:	0
1: Cpus_allowed_list:	0
2: Cpus_allowed_list:	0
3: Cpus_allowed_list:	0" "srun -O -n 4: four tasks on one CPU"

# Held, a -O job shows slurmctld's node estimate and one CPU per node.
while read -r opts want; do
	opts=${opts//_/ }
	# shellcheck disable=SC2086
	submit -H $opts --wrap=true
	run scontrol show job "$JOB"
	like "$OUT" "
   $want ReqB:S:C:T" "held sbatch $opts: $want"
	scancel "$JOB"
done <<'EOF_'
-O_-n4 NumNodes=2 NumCPUs=1 NumTasks=4 CPUs/Task=1
-O_-n4_-c2 NumNodes=4 NumCPUs=1 NumTasks=4 CPUs/Task=2
-O_-n3 NumNodes=2 NumCPUs=1 NumTasks=3 CPUs/Task=1
-O_-n2_-c3 NumNodes=2 NumCPUs=1 NumTasks=2 CPUs/Task=3
-O_-n4_--ntasks-per-node=4 NumNodes=1 NumCPUs=1 NumTasks=4 CPUs/Task=1
-O_-n4_--ntasks-per-node=1 NumNodes=4 NumCPUs=1 NumTasks=4 CPUs/Task=1
-O_-n4_-N1 NumNodes=1-1 NumCPUs=1 NumTasks=4 CPUs/Task=1
-O_-n4_-N1-3 NumNodes=2-3 NumCPUs=1 NumTasks=4 CPUs/Task=1
-O_-n2 NumNodes=1 NumCPUs=1 NumTasks=2 CPUs/Task=1
EOF_
submit -H -O -n4 -c2 --wrap=true
like "$(scontrol show job "$JOB")" "
   TRES=cpu=1,mem=1000M,node=1,billing=1
" "held sbatch -O -n4 -c2: TRES of one CPU"
scancel "$JOB"

run salloc -n1 srun -n 3 true
like "$RC/$ERR" "srun: error: Unable to create step for job [0-9]+: More processors requested than permitted" \
    "without -O: three tasks do not fit one CPU"
run salloc -n1 srun -O -n 3 true
is "$RC" 0 "srun -O -n 3 in a one-CPU allocation runs"

done_testing
