#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the supervisor zygote (berth-jobsup -w, src/jobsup/zygote.c and
#   src/daemon/supervise.c): one stays started across jobs and forks an
#   idle supervisor ahead of each job, which leads its own session, takes
#   the job and is not the daemon's child; a zygote that stops answering
#   is killed after a few seconds and jobs still run exactly once (their
#   own supervisor spawned), then a new zygote waits; a job whose supervisor the zygote forked can be
#   cancelled; processes a job leaves behind (in its process group or in
#   a session of their own) are killed when its batch shell exits.
#   A supervisor that ended its job (and left nothing running) waits for
#   the next one: jobs run one after another share it, each with its own
#   usage figures (MaxRSS, TotalCPU) in sacct; a job cancelled before its
#   (reused or new) supervisor has woken up to take it is cancelled all
#   the same; idle supervisors exit on SIGTERM, and with none left a job
#   waits for the zygote again.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: submitted jobs run once and end COMPLETED (or CANCELLED).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# The zygote is the daemon's child, the idle supervisor the zygote's; both
# show as "berth-jobsup -w <jobs>/idle-supervisor-waiting" (lib.sh).
has_idle() { [ -n "$(idle_pid)" ]; }

run scontrol ping
ok "the zygote waits for jobs" wait_for 5 has_zygote
ok "…with an idle supervisor it forked" wait_for 5 has_idle
z=$(zygote_pid)
i=$(idle_pid)
is "$(proc_stat_field "$i" 6)" "$i" "the idle supervisor leads its own session"

for n in 1 2 3; do
	submit --wrap="echo run$n" || break
	ids+=("$JOB")
done
for id in "${ids[@]}"; do
	wait_done "$id"
done
n=0
for k in 1 2 3; do
	id=${ids[$((k - 1))]}
	[ "$(job_state "$id")" = COMPLETED ] &&
	    [ "$(cat "slurm-$id.out" 2>/dev/null)" = "run$k" ] && n=$((n + 1))
done
is "$n" 3 "three jobs complete with their output"
is "$(zygote_pid)" "$z" "…and the same zygote is still there"
ok "…with a new idle supervisor" wait_for 5 has_idle
isnt "$(idle_pid)" "$i" "…not the one that took a job"

submit --wrap='until [ -e go ]; do sleep 0.02; done; echo long'
a=$JOB
wait_state "$a" RUNNING
# One process: until the batch shell's exec, the child the supervisor
# vforked for it has the supervisor's command line too (seen under load).
one_supervisor() { [ "$(supervisor_pids "$1" | wc -l)" -eq 1 ]; }
ok "job $a has its supervisor" wait_for 5 one_supervisor "$a"
s=$(supervisor_pids "$a")
is "$(proc_stat_field "$s" 4)" "$z" "its parent is the zygote, not the daemon"
is "$(proc_stat_field "$s" 6)" "$s" "it leads its own session"
run scancel "$a"
wait_done "$a"
is "$(job_state "$a")" CANCELLED "a job forked by the zygote is cancelled"

# What the batch shell leaves behind dies with the job, in its process
# group or not (the supervisor is a subreaper and walks its descendants
# when any is left).
submit --wrap='sleep 300 & echo $! >bg1; setsid sleep 300 & echo $! >bg2; sleep 0.2'
wait_done "$JOB"
is "$(job_state "$JOB")" COMPLETED "a job leaving processes behind completes"
gone_file() { ! kill -0 "$(cat "$1")" 2>/dev/null ||
    _is_zombie "$(cat "$1")"; }
ok "…its background process is killed" wait_for 5 gone_file bg1
ok "…and the one that left its session too" wait_for 5 gone_file bg2

# Jobs one after another: the supervisor of the first, done, takes the
# second, and so on (the batch shell's parent), and sacct has each job's
# own usage, not the sum or the peak of the supervisor's jobs.
ppids=()
for w in 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null' \
    'i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done' true; do
	submit --wrap="$w; echo \$PPID"
	wait_done "$JOB"
	ppids+=("$(cat "slurm-$JOB.out" 2>/dev/null)")
	seq_jobs+=("$JOB")
done
is "${ppids[1]}:${ppids[2]}" "${ppids[0]}:${ppids[0]}" \
    "jobs one after another share one supervisor"
is "$(proc_stat_field "${ppids[0]}" 4)" "$z" "…forked by the zygote"
is "$(proc_stat_field "${ppids[0]}" 6)" "${ppids[0]}" \
    "…leading its own session"
# In K: Slurm's own choice shows a multiple of 512 K in M ("65.50M").
rss_kb() { sacct -n -P --units=K -o MaxRSS -j "$1.batch" | tr -d 'K\n'; }
cpu_s() { sacct -n -P -X -o TotalCPU -j "$1" |
    awk -F: '{ print ($(NF - 1) * 60 + $NF) }'; }
r0=$(rss_kb "${seq_jobs[0]}")
r1=$(rss_kb "${seq_jobs[1]}")
ok "the first job's MaxRSS is its 64 MB buffer ($r0 K)" \
    test "${r0:-0}" -ge 60000
ok "the next job's is its own ($r1 K)" test "${r1:-999999}" -lt 30000
c1=$(cpu_s "${seq_jobs[1]}")
c2=$(cpu_s "${seq_jobs[2]}")
ok "the loop job used CPU time ($c1 s)" awk -v c="$c1" 'BEGIN { exit !(c > 0.05) }'
ok "the job after it has its own TotalCPU ($c2 s)" \
    awk -v c="$c2" -v d="$c1" 'BEGIN { exit !(c < d / 2) }'

# A job handed to a supervisor that has not woken up yet (here: every idle
# one is stopped) and cancelled meanwhile is cancelled when it does: the
# control signal, which names the job, waits for it.
stopped=$(idle_pid)
for p in $stopped; do
	kill -STOP "$p"
done
submit --wrap='sleep 3; echo notcancelled'
c0=$JOB
wait_state "$c0" RUNNING
run scancel "$c0"
for p in $stopped; do
	kill -CONT "$p"
done
wait_done "$c0"
is "$(job_state "$c0")" CANCELLED \
    "a job cancelled before its supervisor woke up ends CANCELLED"
ok "…without running to its end" \
    test -z "$(grep notcancelled "slurm-$c0.out" 2>/dev/null)"

# A zygote that does not answer: an idle supervisor takes the next job;
# with none left (they exit on SIGTERM), the one after waits for a few
# seconds, then the daemon kills the zygote and spawns the job's
# supervisor itself.
ok "an idle supervisor waits" wait_for 5 has_idle
kill -STOP "$z"
submit --wrap='echo b >>ran'
b=$JOB
wait_done "$b"
is "$(job_state "$b")" COMPLETED "with the zygote stopped, a job completes"
for p in $(idle_pid); do
	kill -TERM "$p"
done
# (A zombie's command line is empty: idle_pid lists it no more.)
no_idle() { [ -z "$(idle_pid)" ]; }
ok "idle supervisors exit on SIGTERM" wait_for 5 no_idle
submit --wrap='echo c >>ran'
c=$JOB
wait_done "$c" 30
is "$(job_state "$c")" COMPLETED "…and so does the next (after a wait)"
is "$(sort ran 2>/dev/null | tr '\n' ' ')" "b c " "…each ran once"
gone() { ! kill -0 "$1" 2>/dev/null || _is_zombie "$1"; }
ok "the stopped zygote is gone" wait_for 5 gone "$z"
ok "a new zygote waits" wait_for 5 has_zygote
isnt "$(zygote_pid)" "$z" "…with another pid"
submit --wrap='echo after'
wait_done "$JOB"
is "$(cat "slurm-$JOB.out" 2>/dev/null)" after "the new zygote starts jobs"

# A zygote killed while the daemon is idle (an idle supervisor waits, so
# no launch asks the zygote): reaped at once, not left a zombie, and
# another one started.
ok "an idle supervisor waits again" wait_for 5 has_idle
z=$(zygote_pid)
kill -KILL "$z"
reaped() { [ ! -e "/proc/$z" ]; }
ok "a zygote killed while idle is reaped" wait_for 5 reaped
ok "…and another one waits" wait_for 5 has_zygote
isnt "$(zygote_pid)" "$z" "…with another pid"

touch go
done_testing
