#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: squeue columns printed uncut (right-justified time and node
#   fields, the NODELIST/SCHEDNODES/NODELIST(REASON) headers), -l with -h
#   (no date line), %e of a pending job with a start time, and the sort
#   keys S (both directions), e and the start-time pre-sort with jobs that
#   have no start time; -O widths "Name:", "Name:." and "Name:-8";
#   SLURM_TIME_FORMAT; --array-unique.
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref"):
#   squeue's _print_secs and node lists print with cut_output false:
#   `squeue -l` shows a 1-day limit as "1-00:00:00" in its 9-wide column,
#   `-o '%.3l|%.3M|%.2N|%.2Y'` prints "10:00|0:05|vm|(null)" and the
#   headers NODELIST and SCHEDNODES whole, while UNLIMITED, reasons and
#   left-justified columns are cut ("%.3l" of UNLIMITED is "UNL");
#   `squeue -h -l` prints no date line; %e of a pending job with a begin
#   time and no limit is NONE (its start plus a limit otherwise); jobs
#   without a start time (held) sort after the running ones for -S u,
#   -S S and -S -S; -S e puts a running unlimited job (end: start plus a
#   year) before a later-starting pending one.  `-O 'JobID:.6,Name:-8,
#   State'` prints "   259wide PENDING" (the negative width is "%s "),
#   "Name:,State:." prints "widePENDING".
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

hold='for i in $(seq 1 3000); do [ -e release ] && exit 0; sleep 0.02; done; exit 1'
submit -J day -c 1 -t 1-00:00 -o /dev/null --wrap="$hold"; r1=$JOB
wait_state "$r1" RUNNING
sleep 1		# distinct start times: the second job starts later
submit -J free -c 1 -o /dev/null --wrap="$hold"; r2=$JOB
wait_state "$r2" RUNNING
submit -J later --begin=now+1hour -o /dev/null --wrap=true; lt=$JOB
submit -J later10 -t 10 --begin=now+2hours -o /dev/null --wrap=true; l10=$JOB
submit -J held --hold -o /dev/null --wrap=true; hd=$JOB
wait_reason "$lt" BeginTime
wait_reason "$hd" JobHeldUser

# --- -l and -h ---------------------------------------------------------------
run squeue -h -l -j "$r1"
like "$OUT" "^ +$r1 +cpu +day +[^ ]+ +RUNNING +[0-9:]+ 1-00:00:00 +1 $HOST\$" \
    "squeue -h -l: no date line; the 1-day limit overflows its 9-wide column"
run squeue -l -j "$r1"
like "$(head -n 1 <<<"$OUT")" '^[A-Z][a-z]{2} [A-Z][a-z]{2} ' \
    "squeue -l (no -h) still starts with the date"

# --- uncut columns -----------------------------------------------------------
run squeue -j "$r1" -o '%.3l|%.2N|%.2Y|%.3L|%.2R'
like "$OUT" "^TIM\\|NODELIST\\|SCHEDNODES\\|TIM\\|NODELIST\\(REASON\\)
1-00:00:00\\|$HOST\\|\\(null\\)\\|[0-9:-]{5,}\\|$HOST\$" \
    "right-justified durations and node lists are not cut, nor their headers"
run squeue -j "$r2,$hd" -o '%.3l|%.3R|%-3l|%-2N'
is "$OUT" "TIM|NODELIST(REASON)|TIM|NO
UNL|(Jo|UNL|  
UNL|$(printf '%3s' "$HOST")|UNL|${HOST:0:2}" \
    "UNLIMITED, reasons and left-justified columns are cut"

# -O widths as squeue 22.05 reads them: after a colon strtol's number, so
# "Name:" and "State:." print the value as is, "Name:-8" the value and a
# space; without a colon 20.
run squeue -h -j "$hd" -O 'JobID:.6,Name:-8,State:,Partition:.'
is "$OUT" "$(printf '%6s' "$hd")held PENDINGcpu" "-O: negative and empty widths"
run squeue -j "$hd" -O 'Name:,State'
is "$OUT" "NAMESTATE               
heldPENDING             " "-O Name: (natural width) next to a default one"

# --- %e of pending jobs with a start time --------------------------------
run squeue -h -j "$lt" -o %e
is "$OUT" NONE "%e: a pending job with a begin time and no limit ends NONE"
b=$(squeue -h -j "$l10" -o %S)
e=$(squeue -h -j "$l10" -o %e)
is "$(( $(date -d "$e" +%s) - $(date -d "$b" +%s) ))" 600 \
    "%e: ... with a 10-minute limit, ten minutes after its start"

# --- sorting -------------------------------------------------------------
run squeue -h -S u -o %i
is "$OUT" "$l10
$lt
$r2
$r1
$hd" "-S u: ties by start time, latest first, unknown starts last"
run squeue -h -S S -o %i
is "$OUT" "$r1
$r2
$lt
$l10
$hd" "-S S: by start time, unknown last"
run squeue -h -S -S -o %i
is "$OUT" "$l10
$lt
$r2
$r1
$hd" "-S -S: latest first, unknown still last"
run squeue -h -S e -o %i
is "$OUT" "$hd
$l10
$r1
$r2
$lt" "-S e: by the end shown (unlimited: start plus a year; none first)"

# --- --array-unique -------------------------------------------------------
# (real 22.05: a task split off by an update keeps its own line)
submit -J au --array=0-5 --hold -o /dev/null --wrap=true; au=$JOB
scontrol update jobid="${au}_2" TimeLimit=5
run squeue -h -j "$au" -o '%i %l'
is "$OUT" "${au}_[0-5] UNLIMITED" "without --array-unique the split task joins the array's line"
run squeue --array-unique -h -j "$au" -o '%i %l'
is "$(sort <<<"$OUT")" "${au}_2 5:00
${au}_[0-1,3-5] UNLIMITED" "--array-unique: the split task on a line of its own"
scancel "$au"

# --- SLURM_TIME_FORMAT -------------------------------------------------------
# (real 22.05: a strftime format, "relative" (today: %H:%M:%S, tomorrow
# "Tomorr %H:%M"), "standard"; anything without a '%' is reported and
# standard is used)
run env SLURM_TIME_FORMAT='%F %T' squeue -h -j "$r1" -o %S
like "$OUT" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "SLURM_TIME_FORMAT='%F %T'"
run env SLURM_TIME_FORMAT=relative squeue -h -j "$r1" -o %S
like "$OUT" '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' "SLURM_TIME_FORMAT=relative: today's time"
run env SLURM_TIME_FORMAT=abc squeue -h -j "$r1" -o %S
like "$RC/$ERR/$OUT" "^0/squeue: error: invalid SLURM_TIME_FORMAT = 'abc'/[0-9]{4}-[0-9]{2}-[0-9]{2}T" \
    "SLURM_TIME_FORMAT=abc: Slurm's error, then the standard form"

touch release
wait_done "$r1"
wait_done "$r2"
done_testing
