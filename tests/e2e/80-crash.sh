#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: crash safety.  kill -9 of the daemon while jobs run (they keep
#   running under their supervisors; one finishes while no daemon runs; a
#   restarted daemon re-adopts the others, starts the pending one and
#   accounts every job once), and kill -9 right after an acknowledged
#   sbatch, several times in a row and in the middle of a stream of short
#   jobs (no acknowledged job is lost, none runs twice, none stays RUNNING,
#   ids are never reused).
# Slurm behaviour copied: slurmctld keeps its state across restarts and
#   slurmstepd keeps jobs running while the controller is down; the
#   ARCHITECTURE.md promise: "An acknowledged request is durable" and "each
#   job runs exactly once ... never twice because of a crash".
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# Every job appends its id to ran.log when it starts; the long ones then
# wait (bounded) for release_<id> or release_all.
long='echo "$SLURM_JOB_ID" >>ran.log
for i in $(seq 1 3000); do [ -e release_$SLURM_JOB_ID ] || [ -e release_all ] && exit 0; sleep 0.02; done; exit 1'
short='echo "$SLURM_JOB_ID" >>ran.log'

ran_count() { local n; n=$(grep -cx "$1" ran.log 2>/dev/null); echo "${n:-0}"; }
ran_once() { [ "$(ran_count "$1")" = 1 ]; }

# --- kill -9 while two jobs run and one waits ----------------------------------
submit -o /dev/null --wrap="$long"; a=$JOB
submit -o /dev/null --wrap="$long"; b=$JOB
submit -o /dev/null --wrap="$long"; c=$JOB
wait_state "$a" RUNNING
wait_state "$b" RUNNING
wait_for 10 ran_once "$a"
wait_for 10 ran_once "$b"
is "$(job_state "$c")" PENDING "with 2 CPUs the third job waits"

kill_daemon
ok "after kill -9 job $a's supervisor is alive" supervisor_alive "$a"
ok "after kill -9 job $b's supervisor is alive" supervisor_alive "$b"
touch "release_$a"
supervisor_gone() { ! supervisor_alive "$1"; }
wait_for 10 supervisor_gone "$a"
ok "job $a finished while the daemon was down" supervisor_gone "$a"

start_daemon || done_testing
wait_done "$a"
is "$(sacct -n -X -P -o State,ExitCode -j "$a" 2>&1)" "COMPLETED|0:0" \
    "the restarted daemon collects the job that ended while it was down"
is "$(job_state "$b")" RUNNING "the restarted daemon re-adopts the running job"
wait_state "$c" RUNNING
is "$(job_state "$c")" RUNNING "…and starts the pending one in the freed CPU"
touch release_all
wait_done "$b"; wait_done "$c"
for j in "$a" "$b" "$c"; do
	is "$(ran_count "$j")/$(job_state "$j")" 1/COMPLETED "job $j ran once and COMPLETED"
	is "$(sacct -n -X -P -o JobID -j "$j" | wc -l | tr -d ' ')" 1 \
	    "job $j has one accounting record"
done

# --- kill -9 right after an acknowledged sbatch, five times -------------------------
crash_ids=()
for i in 1 2 3 4 5; do
	run sbatch --parsable -o /dev/null --wrap="$short"
	if [ "$RC" -eq 0 ]; then crash_ids+=("$OUT"); fi
	kill_daemon
	start_daemon || done_testing
done
is "${#crash_ids[@]}" 5 "five submissions acknowledged across five crashes"
is "$(printf '%s\n' "${crash_ids[@]}" | sort -u | wc -l | tr -d ' ')" 5 \
    "…with five different ids (no id reused after a crash)"
for j in "${crash_ids[@]}"; do
	wait_done "$j"
	is "$(ran_count "$j")/$(job_state "$j")" 1/COMPLETED \
	    "job $j, acknowledged just before a crash, ran once and COMPLETED"
done

# --- kill -9 in the middle of a stream of jobs -----------------------------------
stream=()
for i in $(seq 1 30); do
	run sbatch --parsable -o /dev/null --wrap="$short"
	[ "$RC" -eq 0 ] && stream+=("$OUT")
	if [ "$i" -eq 15 ]; then
		kill_daemon
		start_daemon || done_testing
	fi
done
is "${#stream[@]}" 30 "30 submissions acknowledged around a crash"
bad=""
for j in "${stream[@]}"; do
	wait_done "$j" >/dev/null || bad="$bad $j:$(job_state "$j")"
done
is "$bad" "" "every job of the stream reached a final state"
twice=""; never=""; notok=""
for j in "${stream[@]}"; do
	case $(ran_count "$j") in
	1) ;;
	0) never="$never $j" ;;
	*) twice="$twice $j" ;;
	esac
	[ "$(job_state "$j")" = COMPLETED ] || notok="$notok $j:$(job_state "$j")"
done
is "$never" "" "no job of the stream was lost"
is "$twice" "" "no job of the stream ran twice"
is "$notok" "" "every job of the stream COMPLETED"
run squeue -h -t R
is "$OUT" "" "nothing is left RUNNING"
all=$(printf '%s\n' "$a" "$b" "$c" "${crash_ids[@]}" "${stream[@]}")
is "$(sacct -n -X -P -o JobID | sort -n)" "$(sort -n <<<"$all")" \
    "sacct lists each job exactly once"

done_testing
