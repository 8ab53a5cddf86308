#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: job ends nobody waits for are committed a few milliseconds late,
#   together with the next submission (src/daemon/main.c,
#   end_of_iteration): a daemon killed right after jobs ended, before any
#   client asked about them, still reports each of them COMPLETED (or
#   FAILED with its exit code) after a restart, and none ran twice; the
#   ended jobs' files are retired after all, also when the daemon died
#   between the commit and their removal.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: a finished job keeps its final state across a controller
#   restart (sacct, squeue -t all).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

ids=()
for i in 1 2 3 4 5; do
	code=0
	[ "$i" -eq 4 ] && code=3
	submit --wrap="echo run >>ran$i; touch end$i; exit $code"
	ids+=("$JOB")
done
# Watch the files, not the daemon: a query would force the commit.
all_ended() { for i in 1 2 3 4 5; do [ -e "end$i" ] || return 1; done; }
ok "the jobs ran" wait_for 20 all_ended
kill_daemon
start_daemon || done_testing
for i in 1 2 3 4 5; do
	j=${ids[$((i - 1))]}
	wait_done "$j"
done
states=
for j in "${ids[@]}"; do states+="$(job_state "$j") "; done
is "$states" "COMPLETED COMPLETED COMPLETED FAILED COMPLETED " \
    "each job kept its final state across the crash"
is "$(sacct -n -X -P -o ExitCode -j "${ids[3]}" 2>&1)" 3:0 \
    "the failed job's exit code survived"
runs=0
for i in 1 2 3 4 5; do runs=$((runs + $(wc -l <"ran$i"))); done
is "$runs" 5 "no job ran twice"
retired() {
	local j
	for j in "${ids[@]}"; do
		[ -e "$BERTH_STATE_DIR/jobs/$j" ] && return 1
	done
	return 0
}
ok "the ended jobs' files are retired" wait_for 10 retired

# A daemon killed after committing the ends but before retiring the
# files leaves them behind: the next start removes them (and the jobs
# stay finished, not run again).
kill_daemon
j=${ids[0]}
printf 'stale' >"$BERTH_STATE_DIR/jobs/$j"
printf 'stale' >"$BERTH_STATE_DIR/jobs/$j.sh"
printf 'stale' >"$BERTH_STATE_DIR/jobs/spare-99"
start_daemon || done_testing
gone() {
	[ ! -e "$BERTH_STATE_DIR/jobs/$j" ] &&
	    [ ! -e "$BERTH_STATE_DIR/jobs/$j.sh" ] &&
	    [ ! -e "$BERTH_STATE_DIR/jobs/spare-99" ]
}
ok "files left by a crash after the commit are removed at start" gone
is "$(job_state "$j")" COMPLETED "…and their job stays COMPLETED"
is "$(wc -l <ran1)" 1 "…without running again"

done_testing
