#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a running job whose supervisor vanished without a result (kill -9
#   of both the daemon and the supervisor, as when the machine goes down)
#   is Slurm's node failure: a requeueable batch job (--requeue, or by
#   default with JobRequeue=1) pends again and runs once more with
#   Restarts=1 and SLURM_RESTART_COUNT=1; a --no-requeue job ends
#   NODE_FAIL; with JobRequeue=0 in berth.conf only --requeue jobs are
#   requeued; a job being cancelled ends CANCELLED.  scontrol show config
#   shows JobRequeue.
# Slurm behaviour copied (node_mgr/job_mgr kill_running_job_by_node_name:
#   "requeue job ... due to failure of node", restart_cnt++, for batch
#   jobs with Requeue=1; others NODE_FAIL with reason FAIL_DOWN_NODE
#   "NodeDown" and exit_code 1; slurm.conf
#   JobRequeue default 1, 00_info.txt "JobRequeue = 1").
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

run scontrol show config
like "$OUT" "JobRequeue += 1" "scontrol show config: JobRequeue = 1"

body='echo run ${SLURM_RESTART_COUNT:-0}
for i in $(seq 1 3000); do [ -e go ] && exit 0; sleep 0.02; done; exit 1'
# crash: kill -9 the daemon and the supervisors of the jobs named.
crash() {
	local j p
	kill_daemon
	for j in "$@"; do
		for p in $(supervisor_pids "$j"); do kill -KILL "$p"; done
	done
	for j in "$@"; do wait_for 10 supervisor_gone "$j"; done
}
supervisor_gone() { ! supervisor_alive "$1"; }
show_field() { scontrol show job "$1" | grep -oE "(^| )$2=[^ ]*" | head -n 1 | sed 's/^ //'; }

submit -J dflt -o dflt.out --open-mode=append --wrap="$body"; d=$JOB
submit -J norq --no-requeue -o norq.out --wrap="$body"; n=$JOB
wait_state "$d" RUNNING
wait_state "$n" RUNNING
wait_for 10 file_has dflt.out "run 0"
wait_for 10 file_has norq.out "run 0"
crash "$d" "$n"
ok "both supervisors are gone" test -z "$(supervisor_pids "$d")$(supervisor_pids "$n")"
start_daemon || done_testing

wait_for 10 file_has dflt.out "run 1"
ok "the requeueable job runs again (SLURM_RESTART_COUNT=1)" \
    file_has dflt.out "run 1"
is "$(job_state "$d")/$(show_field "$d" Restarts)" "RUNNING/Restarts=1" \
    "RUNNING again with Restarts=1"
wait_done "$n"
run sacct -n -X -P -o State,ExitCode -j "$n"
is "$OUT" "NODE_FAIL|0:1" "the --no-requeue job: NODE_FAIL, exit code 1"
run squeue -h -t all -j "$n" -o '%T %r'
is "$OUT" "NODE_FAIL NodeDown" "squeue: NODE_FAIL, reason NodeDown"
touch go
wait_done "$d"
is "$(job_state "$d")" COMPLETED "its second run completes"
is "$(count_lines dflt.out)" 2 "it ran twice in all"
rm go

# A job being cancelled (it ignores SIGTERM, KillWait=2) when the crash
# comes is not brought back: it ends CANCELLED.
submit -J stubborn -o stub.out --wrap="trap '' TERM; $body"; sb=$JOB
wait_state "$sb" RUNNING
wait_for 10 file_has stub.out "run 0"
run scancel "$sb"
crash "$sb"
start_daemon || done_testing
wait_done "$sb"
is "$(job_state "$sb")" CANCELLED "cancelled before the crash: CANCELLED"
ok "and it did not run again" test ! -n "$(grep -x 'run 1' stub.out)"

# --- JobRequeue=0: only --requeue jobs come back ----------------------------
stop_daemon
echo "JobRequeue=0" >>"$BERTH_STATE_DIR/berth.conf"
start_daemon || done_testing
run scontrol show config
like "$OUT" "JobRequeue += 0" "scontrol show config: JobRequeue = 0"
submit -J plain -o plain.out --wrap="$body"; p=$JOB
submit -J asked --requeue -o asked.out --open-mode=append --wrap="$body"
r=$JOB
is "$(show_field "$p" Requeue)/$(show_field "$r" Requeue)" \
    "Requeue=0/Requeue=1" "JobRequeue=0: Requeue=0 unless --requeue"
wait_state "$p" RUNNING
wait_state "$r" RUNNING
wait_for 10 file_has plain.out "run 0"
wait_for 10 file_has asked.out "run 0"
crash "$p" "$r"
start_daemon || done_testing
wait_done "$p"
is "$(job_state "$p")" NODE_FAIL "JobRequeue=0: the plain job ends NODE_FAIL"
wait_for 10 file_has asked.out "run 1"
ok "the --requeue job runs again" file_has asked.out "run 1"
touch go
wait_done "$r"
is "$(job_state "$r")/$(show_field "$r" Restarts)" "COMPLETED/Restarts=1" \
    "and completes with Restarts=1"

done_testing
