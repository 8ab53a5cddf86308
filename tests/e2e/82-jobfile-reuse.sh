#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the daemon reuses the job files and scripts of ended jobs
#   (renamed to jobs/spare-<id>, jobs/spare-<id>.sh; src/daemon/supervise.c):
#   a job that reuses a longer job's files runs exactly its own script
#   with its own options (no tail of the previous script, spec or result),
#   jobs alternating long and short scripts all complete with their own
#   output and exit codes, a job whose files were reused after a daemon
#   restart runs correctly, and a starting daemon removes the spares an
#   earlier run left.
# Slurm behaviour copied: none (internal files); the observable contract is
#   Slurm's: each batch job runs its own script (10_sbatch_plain).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

jobs_dir=$BERTH_STATE_DIR/jobs
spares() { ls "$jobs_dir" 2>/dev/null | grep -c '^spare-'; }

# A long script (with many #SBATCH lines and a long body), then a short
# one: the short one is written over the long one's spare.
long='#!/bin/sh
#SBATCH -J longjob
#SBATCH --comment=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
echo long
'
for i in $(seq 1 60); do long+="# padding line $i: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
"; done
long+='exit 3
'
printf '%s' "$long" >long.sh
printf '#!/bin/sh\necho short\n' >short.sh

submit -o long.out long.sh
l=$JOB
wait_done "$l"
is "$(job_state "$l")" FAILED "the long job ran (exit 3)"
is "$(cat long.out 2>/dev/null)" long "the long job's output"
# (a function: wait_for runs its command again each time, while a
# "$(spares)" argument would be counted once, before the wait)
spares_ge() { [ "$(spares)" -ge "$1" ]; }
ok "an ended job leaves spare files" wait_for 20 spares_ge 2

submit -o short.out short.sh
s=$JOB
wait_done "$s"
is "$(job_state "$s")" COMPLETED \
    "a short script over a longer job's files completes (no leftover exit 3)"
is "$(cat short.out 2>/dev/null)" short "…and prints only its own output"
is "$(sacct -n -X -P -o JobName -j "$s" 2>&1)" short.sh \
    "…and has its own name, not the long job's spec"

# Alternate long and short jobs, several running at once.
ids=()
for i in 1 2 3 4 5 6; do
	if [ $((i % 2)) -eq 0 ]; then
		submit -o "alt$i.out" short.sh
	else
		submit -o "alt$i.out" long.sh
	fi
	ids+=("$JOB")
done
for j in "${ids[@]}"; do wait_done "$j"; done
good=0
for i in 1 2 3 4 5 6; do
	j=${ids[$((i - 1))]}
	if [ $((i % 2)) -eq 0 ]; then
		[ "$(job_state "$j")" = COMPLETED ] &&
		    [ "$(cat "alt$i.out" 2>/dev/null)" = short ] && good=$((good + 1))
	else
		[ "$(job_state "$j")" = FAILED ] &&
		    [ "$(cat "alt$i.out" 2>/dev/null)" = long ] && good=$((good + 1))
	fi
done
is "$good" 6 "alternating long and short jobs each ran their own script"
ok "the spares stay bounded" test "$(spares)" -le 128

# A restart removes the spares; jobs still run afterwards.
stop_daemon
ok "spares are left on disk after a stop" test "$(spares)" -ge 1
start_daemon || done_testing
submit -o after.out short.sh
a=$JOB
wait_done "$a"
is "$(job_state "$a")" COMPLETED "a job after a restart completes"
is "$(cat after.out 2>/dev/null)" short "…with its own output"
old=$(ls "$jobs_dir" | grep '^spare-' | grep -v "^spare-$a" | head -n 1)
is "$old" "" "a starting daemon removed the previous run's spares"

done_testing
