#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a supervisor berthd spawned itself (no zygote: here the
#   zygote's berth-jobsup -w fails at once) that is stopped before it
#   could record its own pid, while berthd is killed and restarted.
#   berthd records the pid right after posix_spawn, as it does for an
#   idle supervisor before the hand-over, so the restarted daemon adopts
#   the stopped supervisor at once (it once waited 5 s for the
#   supervisor's own record, gave up and left the job RUNNING for good);
#   continued, the supervisor runs the job once and its end is seen.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: an accepted job runs once, none stays RUNNING forever.
. "$(dirname "$0")/lib.sh"

write_conf_ref
# An installation whose berth-jobsup is a wrapper: as the zygote (-w) it
# exits, so that berthd spawns every supervisor itself; with
# $T/stop-next, the next supervisor stops itself before anything else.
wrap_jobsup
cat >"$sup" <<SH
#!/bin/sh
[ "\$1" = -w ] && exit 1
if [ -e "$T/stop-next" ]; then
	rm -f "$T/stop-next"
	kill -STOP \$\$
fi
exec "$sup.real" "\$@"
SH
chmod +x "$sup"
start_daemon || done_testing

log=$BERTH_STATE_DIR/berthd.log
job='echo "$SLURM_JOB_ID" >>ran.log'
ran_count() { local n; n=$(grep -cx "$1" ran.log 2>/dev/null); echo "${n:-0}"; }
stopped() {
	local s
	s=$(supervisor_pids "$1")
	[ -n "$s" ] && [ "$(proc_stat_field "$s" 3)" = T ]
}

submit -o /dev/null --wrap="$job"
wait_done "$JOB"
is "$(job_state "$JOB")/$(ran_count "$JOB")" COMPLETED/1 \
    "a job runs under a supervisor berthd spawned"

touch "$T/stop-next"
submit --no-requeue -o /dev/null --wrap="$job"
a=$JOB
wait_state "$a" RUNNING
ok "its supervisor is stopped before it records its pid" \
    wait_for 10 stopped "$a"
s=$(supervisor_pids "$a")
is "$(proc_stat_field "$s" 4)" "$DAEMON_PID" "…a child of berthd"
kill_daemon
start_daemon || done_testing
is "$(job_state "$a")" RUNNING "after a restart the job is RUNNING"
like "$(cat "$log")" "job=$a: re-adopted supervisor $s" \
    "…its stopped supervisor is adopted by the pid berthd recorded"
unlike "$(cat "$log")" "job=$a: live supervisor without a pid record" \
    "…without waiting for a record of its own"
kill -CONT "$s"
wait_done "$a"
is "$(job_state "$a")/$(ran_count "$a")" COMPLETED/1 \
    "…continued, it runs the job once, and its end is seen"

submit -o /dev/null --wrap="$job"
wait_done "$JOB"
is "$(job_state "$JOB")/$(ran_count "$JOB")" COMPLETED/1 "the next job runs"

done_testing
