#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the daemon reuses the job files and scripts of ended jobs
#   (kept as jobs/<id>, jobs/<id>.sh and renamed to the next job's names;
#   src/daemon/supervise.c): a job reuses an ended job's files (the same
#   inodes), a job that reuses a longer job's files runs exactly its own script
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
# Files in the jobs directory: running jobs' and spares.
nfiles() { ls "$jobs_dir" 2>/dev/null | wc -l; }
inode() { stat -c %i "$1" 2>/dev/null; }

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
# The ended job's files stay where they are, as spares.
ok "an ended job's file stays as a spare" test -f "$jobs_dir/$l"
ok "…and its script" test -f "$jobs_dir/$l.sh"
lfile=$(inode "$jobs_dir/$l")
lscript=$(inode "$jobs_dir/$l.sh")

submit -o short.out short.sh
s=$JOB
wait_done "$s"
is "$(inode "$jobs_dir/$s")" "$lfile" \
    "the next job's file is the ended job's (renamed, not created)"
is "$(inode "$jobs_dir/$s.sh")" "$lscript" "…and so is its script"
ok "…so the ended job's names are gone" test ! -e "$jobs_dir/$l"
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
ok "the spares stay bounded" test "$(nfiles)" -le 128

# A requeued job takes its own files back.
# (Another job ends after it, so its spare is not simply the newest.)
submit -o /dev/null --wrap='sleep 1'
x=$JOB
submit -o rq.out --open-mode=append \
    --wrap='echo run${SLURM_RESTART_COUNT:-0}'
r=$JOB
wait_done "$r"
rfile=$(inode "$jobs_dir/$r")
ok "the ended job's file is a spare" test -n "$rfile"
wait_done "$x"
ok "…and so is the job's that ended after it" test -f "$jobs_dir/$x"
run scontrol requeue "$r"
is "$RC" 0 "requeue of the COMPLETED job"
wait_for 20 file_has rq.out run1
ok "it ran again, with its own script" file_has rq.out run1
wait_done "$r"
is "$(job_state "$r")" COMPLETED "…and completed"
is "$(inode "$jobs_dir/$r")" "$rfile" \
    "…from its own file of the first run (no other spare renamed over it)"

# A restart removes the spares; jobs still run afterwards.
stop_daemon
ok "spares are left on disk after a stop" test "$(nfiles)" -ge 2
printf 'stale' >"$jobs_dir/spare-7"
start_daemon || done_testing
submit -o after.out short.sh
a=$JOB
wait_done "$a"
is "$(job_state "$a")" COMPLETED "a job after a restart completes"
is "$(cat after.out 2>/dev/null)" short "…with its own output"
is "$(ls "$jobs_dir" | grep -v "^$a\(\.sh\)\?\$" | head -n 3 | tr '\n' ' ')" "" \
    "a starting daemon removed the previous run's spares"

done_testing
