#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: seff on real jobs: one that burns CPU for 1.5 s of its own CPU
#   time (CPU Utilized >= 00:00:01, a non-zero efficiency), one that
#   fails (State: FAILED (exit code 3)), a two-core job burning both
#   cores (Nodes/Cores per node, core-walltime = 2 x wall-clock), array
#   tasks (Array Job ID), one that allocates 80 MB (Memory Utilized,
#   Memory Efficiency of its --mem), an srun step with two tasks
#   (ID.0: "(estimated maximum)" and "(1000.00 MB/core)"), CPU time of
#   a lone srun and of a batch job's step (counted once), a running
#   job (the warning), a pending job, a job cancelled before it started,
#   -d, -v, -h, and the errors: an unknown job (exit 2), an array whose
#   tasks have not started (exit 3) and such a task (exit 2), bad ids
#   (exit 1).
# Slurm behaviour copied: contribs/seff/seff 2.1 as shipped with Slurm
#   22.05, its lines and arithmetic, checked against it on the reference
#   cluster (Debian 12 libslurmdb-perl): "Cores: 1" for one core,
#   "CPU Efficiency: 50.00% of 00:00:02 core-walltime", "Memory
#   Efficiency: 9.04% of 1000.00 MB" for one task, "0.00 MB (estimated
#   maximum)" without memory data, "16.00 B" for a job never allocated,
#   "Job not found." (exit 2, also for a task still in its array's
#   record), "Badly formatted array jobid N with task_id = -2" (exit 3,
#   the array's id while its tasks wait), "perl: fatal: Bad job/step
#   specified: x" (exit 1), usage and version (exit 1).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# Burns $1 hundredths of a second of its own CPU time, whatever the load.
cat >burn.sh <<'SH'
#!/bin/sh
want=$1
while :; do
	read -r line </proc/$$/stat
	set -- ${line#*) }
	[ $(( ${12} + ${13} )) -lt "$want" ] || break
done
SH
hz=$(getconf CLK_TCK)

# field NAME: the value of "NAME: value" in $OUT
field() { sed -n "s/^$1: //p" <<<"$OUT"; }
# secs HH:MM:SS
secs() { local IFS=:; set -- $1; echo $((10#$1 * 3600 + 10#$2 * 60 + 10#$3)); }

submit --wrap "sh burn.sh $((hz * 3 / 2))"; burn=$JOB
submit --wrap 'exit 3'; fail3=$JOB
submit -c 2 \
    --wrap "sh burn.sh $((hz * 3 / 2)) & sh burn.sh $((hz * 3 / 2)); wait"
two=$JOB
submit --mem=500M --wrap 'python3 -c "
b = bytearray(80 * 1024 * 1024)
for i in range(0, len(b), 4096): b[i] = 1
import time; time.sleep(1)"'
mem=$JOB
submit -a 1-2 --wrap true; arr=$JOB
submit -n 2 --wrap 'srun python3 -c "
b = bytearray(40 * 1024 * 1024)
for i in range(0, len(b), 4096): b[i] = 1
import time; time.sleep(1)"'
step=$JOB
for j in $burn $fail3 $two $mem ${arr}_1 ${arr}_2 $step; do
	wait_done "$j"
done

run seff "$burn"
is "$RC" 0 "seff of a completed job exits 0"
is "$(sed -n 1,5p <<<"$OUT")" "Job ID: $burn
Cluster: ref
User/Group: $ME/$(id -gn)
State: COMPLETED (exit code 0)
Cores: 1" "…its id, cluster, user/group, state and one core"
cpu=$(secs "$(field 'CPU Utilized')")
ok "…CPU Utilized is at least 00:00:01 (got $(field 'CPU Utilized'))" \
    test "$cpu" -ge 1
like "$(field 'CPU Efficiency')" '^[0-9]+\.[0-9][0-9]% of [0-9:]+ core-walltime$' \
    "…CPU Efficiency reads '% of HH:MM:SS core-walltime'"
wall=$(secs "$(field 'Job Wall-clock time')")
ok "…the core-walltime of one core is the wall-clock time" \
    test "$(field 'CPU Efficiency' | sed 's/.* of //; s/ .*//')" = \
    "$(field 'Job Wall-clock time')"
unlike "$(field 'CPU Efficiency')" '^0\.00%' "…and the efficiency is not zero"
like "$(field 'Memory Utilized')" '^[0-9]+\.[0-9][0-9] [KM]B$' \
    "…Memory Utilized of its one task, without '(estimated maximum)'"
like "$(field 'Memory Efficiency')" '^[0-9]+\.[0-9][0-9]% of 1000\.00 MB$' \
    "…Memory Efficiency of DefMemPerCPU's 1000 MB"
is "$(wc -l <<<"$OUT")" 10 "…ten lines"

run seff "$fail3"
is "$(field State)" "FAILED (exit code 3)" \
    "a failed job: State: FAILED (exit code 3)"

run seff "$two"
is "$(sed -n 5,6p <<<"$OUT")" "Nodes: 1
Cores per node: 2" "a two-core job: Nodes: 1, Cores per node: 2"
cpu=$(secs "$(field 'CPU Utilized')")
wall=$(secs "$(field 'Job Wall-clock time')")
ok "…CPU Utilized counts both cores (at least 00:00:03, got $(field 'CPU Utilized'))" \
    test "$cpu" -ge 3
cw=$(field 'CPU Efficiency' | sed 's/.* of //; s/ .*//')
is "$(secs "$cw")" $((2 * wall)) "…core-walltime is twice the wall-clock time"
like "$(field 'Memory Efficiency')" '% of 1\.95 GB$' \
    "…of the memory of 2 x 1000 MB"

run seff "$mem"
mu=$(field 'Memory Utilized')
like "$mu" '^[0-9]+\.[0-9][0-9] MB$' "a job holding 80 MB: Memory Utilized in MB"
ok "…at least 80 MB (got $mu)" test "${mu%%.*}" -ge 80
like "$(field 'Memory Efficiency')" '^(1[6-9]|2[0-9])\.[0-9][0-9]% of 500\.00 MB$' \
    "…Memory Efficiency: 80-odd MB of its --mem=500M"

run seff "${arr}_1"
is "$RC" 0 "an array task by ID_TASK"
t1=$(field 'Job ID')
is "$(field 'Array Job ID')" "${arr}_1" "…Array Job ID: ${arr}_1"
run seff "$t1"
is "$(field 'Array Job ID')" "${arr}_1" "…and the same task by its own job id"
run seff "$arr"
is "$(sed -n 1,2p <<<"$OUT")" "Job ID: $arr
Array Job ID: ${arr}_2" "the array's id names the task that kept it (the last)"

run seff "$step.0"
is "$(field 'Memory Utilized' | sed 's/.* (/(/')" "(estimated maximum)" \
    "an srun step of two tasks: Memory Utilized is an estimated maximum"
like "$(field 'Memory Efficiency')" '% of 1\.95 GB \(1000\.00 MB/core\)$' \
    "…Memory Efficiency per core (memory per CPU)"
mu=$(field 'Memory Utilized')
ok "…two tasks of 40 MB each (got $mu)" test "${mu%%.*}" -ge 80

# CPU time with steps: an srun of its own (an allocation: its steps),
# and a batch job whose one srun step burns (counted once).
run srun -n 1 sh burn.sh $((hz * 3 / 2))
run seff "$(sacct -n -X -o jobid | tail -n 1 | tr -d ' ')"
cpu=$(secs "$(field 'CPU Utilized')")
ok "srun on its own: its step's CPU time (got $(field 'CPU Utilized'))" \
    test "$cpu" -ge 1
submit --wrap "srun sh burn.sh $((hz * 3 / 2))"
wait_done "$JOB"
run seff "$JOB"
cpu=$(secs "$(field 'CPU Utilized')")
ok "a batch job's srun step is counted once (got $(field 'CPU Utilized'))" \
    test "$cpu" -ge 1 -a "$cpu" -le 2

run seff -d "$burn"
is "$(sed -n 1p <<<"$OUT")" "Slurm data: JobID ArrayJobID User Group State Clustername Ncpus Nnodes Ntasks Reqmem PerNode Cput Walltime Mem ExitStatus" \
    "-d: the header of the raw data"
like "$(sed -n 2p <<<"$OUT")" "^Slurm data: $burn  $ME [^ ]+ COMPLETED ref 1 1 1 1024000 0 [0-9]+ [0-9]+ [0-9]+ 0\$" \
    "…the values"
is "$(sed -n 4p <<<"$OUT")" "Job ID: $burn" "…then the report"

# A running job, a pending one behind it, one cancelled while pending.
submit -c 2 --wrap 'while [ ! -e stop ]; do sleep 0.1; done'
run_job=$JOB
wait_state "$run_job" RUNNING
submit --wrap true; pend=$JOB
wait_state "$pend" PENDING
run seff "$run_job"
is "$(field State)" RUNNING "a running job: State: RUNNING, no exit code"
is "$(tail -n 1 <<<"$OUT")" \
    "WARNING: Efficiency statistics may be misleading for RUNNING jobs." \
    "…and the warning last"
run seff "$pend"
is "$OUT" "Job ID: $pend
Cluster: ref
User/Group: $ME/$(id -gn)
State: PENDING
Cores: 1
Efficiency not available for jobs in the PENDING state." \
    "a pending job: no figures"
# An array whose tasks all wait (the running job holds the CPUs): its
# record has no task id yet, and a task of it has no record.
submit -a 1-3 --wrap true
parr=$JOB
wait_state "$parr" PENDING
run seff "$parr"
is "$RC:$OUT:$ERR" "3::Badly formatted array jobid $parr with task_id = -2" \
    "an array whose tasks have not started: Badly formatted array jobid, exit 3"
run seff "${parr}_2"
is "$RC:$OUT:$ERR" "2::Job not found." \
    "…and one of its tasks: Job not found., exit 2"
scancel "$pend" "$parr"
wait_done "$pend"
touch stop
wait_done "$run_job"
run seff "$pend"
is "$(sed -n '4p;6,$p' <<<"$OUT")" "State: CANCELLED (exit code 0)
CPU Utilized: 00:00:00
CPU Efficiency: 0.00% of 00:00:00 core-walltime
Job Wall-clock time: 00:00:00
Memory Utilized: 0.00 MB (estimated maximum)
Memory Efficiency: 0.00% of 16.00 B (16.00 B/core)" \
    "a job cancelled before it started: the script's figures for no allocation"

usage="Usage: seff [Options] <Jobid>
       Options:
       -h    Help menu
       -v    Version
       -d    Debug mode: display raw Slurm data"
run seff
is "$RC:$OUT" "1:$usage" "no job id: the usage, exit 1"
run seff -h "$burn"
is "$RC:$OUT" "1:$usage" "-h: the usage, exit 1"
run seff "$burn" "$fail3"
is "$RC:$OUT" "1:$usage" "two ids: the usage, exit 1"
run seff -v
is "$RC:$OUT" "1:seff Version 2.1" "-v: the version, exit 1"
run seff 999999
is "$RC:$OUT:$ERR" "2::Job not found." "an unknown job: Job not found., exit 2"
run seff abc
is "$RC:$ERR" "1:perl: fatal: Bad job/step specified: abc" \
    "a bad id: Bad job/step specified (as the script's libslurm), exit 1"
run seff "${burn}_x"
is "$RC:$ERR" "1:perl: fatal: Bad job array element specified: $burn" \
    "a bad array task: Bad job array element specified, exit 1"
run seff -q "$fail3"
is "$RC:$ERR:$(field State)" "0:Unknown option: q:FAILED (exit code 3)" \
    "an unknown option is reported and skipped (Getopt::Std)"

done_testing
