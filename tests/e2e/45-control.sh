#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: scontrol hold/uhold/release (JobHeldAdmin for root, JobHeldUser,
#   Priority 0 while held, a --hold job released runs), requeue of a running
#   --requeue job (PENDING again, RUNNING with Restarts=1,
#   SLURM_RESTART_COUNT=1, the "DUE TO JOB REQUEUE" line with
#   --open-mode=append), requeuehold, requeue of a --no-requeue or pending
#   job, hold of a running job, update of TimeLimit/JobName/Partition/
#   Comment/StartTime/Nice/Priority seen in squeue and scontrol show job,
#   bad keys and values changing nothing, a failed check in the daemon
#   changing nothing, an unknown job, a finished job, top; as an ordinary
#   user (nobody, when the test runs as root): user holds, no release of
#   an admin hold, Priority refused, TimeLimit raised only up to MaxTime,
#   someone else's job.
# Slurm behaviour copied (slurm-reference 14_sbatch_begin_hold.txt,
#   15_sbatch_requeue.txt, 40_scontrol.txt): errors read "<error> for job
#   <id>" and exit 1; hold/release add "slurm_suspend error: <error>";
#   client-side errors ("scontrol: error: Invalid TimeLimit value",
#   "Update of this parameter is not supported: X" + "Request aborted")
#   exit 1 before anything is sent.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# A job that waits (bounded) until the test creates $1.
waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
waiting() { [[ $(job_reason "$1") =~ ^(Priority|Resources)$ ]]; }
show_field() { scontrol show job "$1" | grep -oE "(^| )$2=[^ ]*" | head -n 1 | sed 's/^ //'; }

# --- --hold at submit, release --------------------------------------------
submit -J held -o held.out --hold --wrap='echo released'; h=$JOB
run squeue -j "$h" -o '%i %T %r %p'
is "$OUT" "JOBID STATE REASON PRIORITY
$h PENDING JobHeldUser 0.00000000000000" "--hold: JobHeldUser, priority 0"
run scontrol release "$h"
is "$RC/$OUT/$ERR" "0//" "scontrol release: exit 0, silent"
wait_done "$h"
is "$(job_state "$h")" COMPLETED "the released job ran"
is "$(cat held.out 2>/dev/null)" released "…and wrote its output"

# --- a blocker keeps the next jobs pending ---------------------------------
submit -J blocker -c 2 -o /dev/null --wrap="$(waiter go.blocker)"; blk=$JOB
wait_state "$blk" RUNNING
submit -J p1 -o /dev/null --wrap=true; p1=$JOB
submit -J p2 -o /dev/null --wrap=true; p2=$JOB
submit -J p3 -o /dev/null --wrap=true; p3=$JOB

# --- hold, uhold, release -------------------------------------------------
run scontrol hold "$p1"
is "$RC/$OUT/$ERR" "0//" "scontrol hold (root): exit 0, silent"
run squeue -j "$p1" -o '%i %T %r %Q'
is "$OUT" "JOBID STATE REASON PRIORITY
$p1 PENDING JobHeldAdmin 0" "root's hold is an admin hold, priority 0"
is "$(show_field "$p1" Priority)" "Priority=0" "scontrol show job: Priority=0"
run scontrol uhold "$p1"
is "$RC/$ERR" "0/" "scontrol uhold: exit 0"
is "$(job_reason "$p1")" JobHeldUser "uhold makes it a user hold"
run scontrol release "$p1"
is "$RC/$ERR" "0/" "release of the user hold: exit 0"
wait_for 20 waiting "$p1"
like "$(job_reason "$p1")" '^(Priority|Resources)$' "released: waits like the others"
like "$(squeue -h -j "$p1" -o %Q)" '^[1-9][0-9]*$' "released: priority back"
run scontrol release "$p1"
is "$RC/$ERR" "0/" "release of a job that is not held: no-op"
run scontrol hold JobID="$p2" "$p3"
is "$RC/$ERR" "0/" "hold JobID=<id> <id>"
is "$(job_reason "$p2")/$(job_reason "$p3")" "JobHeldAdmin/JobHeldAdmin" \
    "both held"
run scontrol release "$p2","$p3"
is "$RC/$ERR" "0/" "release <id>,<id>"
run scontrol hold Name=p2
is "$RC/$ERR" "0/" "hold Name=p2"
is "$(job_reason "$p2")/$(job_reason "$p3")" "JobHeldAdmin/Priority" \
    "hold Name= holds the jobs of that name"
run scontrol release "$p2"
run scontrol hold 999999
is "$RC/$OUT/$ERR" "1//Invalid job id specified for job 999999
slurm_suspend error: Invalid job id specified" "hold of an unknown job"
run scontrol hold abc
is "$RC/$ERR" "1/Invalid job id specified for job abc
slurm_suspend error: Invalid job id specified" "hold of a non-id"
run scontrol hold "$blk"
is "$RC/$ERR" "1/Job is no longer pending execution for job $blk
slurm_suspend error: Job is no longer pending execution" "hold of a running job"
run scontrol hold
is "$RC/$ERR" "1/too few arguments for keyword:hold" "hold without a job"

# --- top ---------------------------------------------------------------------
prio_order() { squeue -h -t PD -S -p -o %i | tr '\n' ' '; }
is "$(prio_order)" "$p1 $p2 $p3 " "pending in submit order"
run scontrol top "$p3"
is "$RC/$OUT/$ERR" "0//" "scontrol top: exit 0, silent"
is "$(prio_order)" "$p3 $p1 $p2 " "top moves the job first"
run scontrol top "$p2,$p1"
is "$RC/$ERR" "0/" "top of a list"
is "$(prio_order)" "$p2 $p1 $p3 " "…in the order given"
run scontrol top "$blk"
is "$RC/$ERR" "1/Job is no longer pending execution for job $blk" \
    "top of a running job"

# --- update ------------------------------------------------------------------
run scontrol update jobid="$p1" TimeLimit=5 JobName=renamed
is "$RC/$OUT/$ERR" "0//" "update TimeLimit JobName: exit 0, silent"
run squeue -j "$p1" -o '%i %j %l'
is "$OUT" "JOBID NAME TIME_LIMIT
$p1 renamed 5:00" "squeue shows the new name and limit"
run scontrol update JobId="$p1" Partition=debug Comment=hello
is "$RC/$ERR" "0/" "update Partition Comment"
is "$(show_field "$p1" Partition)/$(show_field "$p1" Comment)" \
    "Partition=debug/Comment=hello" "scontrol show job: Partition, Comment"
run squeue -j "$p1" -o '%P'
is "$OUT" "PARTITION
debug" "squeue shows the new partition"
run scontrol update jobid="$p1" TimeLimit=10:00 Nice=100
is "$RC/$ERR" "0/" "update TimeLimit=10:00 Nice=100"
is "$(show_field "$p1" TimeLimit)/$(show_field "$p1" Nice)" \
    "TimeLimit=00:10:00/Nice=100" "…TimeLimit 10 minutes, Nice 100"
run scontrol update jobid="$p1" Priority=100000
is "$RC/$ERR" "0/" "root may set Priority"
is "$(show_field "$p1" Priority)/$(show_field "$p1" Nice)" \
    "Priority=100000/Nice=0" "Priority=100000 (nice reset)"

# nothing changes on a bad key or value (checked by scontrol)
run scontrol update jobid="$p1" Bogus=1 TimeLimit=7
is "$RC/$OUT/$ERR" "1//Update of this parameter is not supported: Bogus=1
Request aborted" "unknown key: Slurm's message, exit 1"
run scontrol update jobid="$p1" TimeLimit=garbage
is "$RC/$ERR" "1/scontrol: error: Invalid TimeLimit value" "bad TimeLimit"
# …nor when the daemon refuses one key of several
run scontrol update jobid="$p1" TimeLimit=7 Partition=nosuch JobName=x
is "$RC/$ERR" "1/Invalid partition name specified for job $p1" \
    "unknown partition: refused"
is "$(show_field "$p1" TimeLimit)/$(show_field "$p1" JobName)" \
    "TimeLimit=00:10:00/JobName=renamed" "…and nothing of the request changed"
run scontrol update jobid=999999 TimeLimit=5
is "$RC/$ERR" "1/Invalid job id specified for job 999999" "update of an unknown job"
run scontrol update jobid="$p1"
is "$RC/$ERR" "1/No changes specified" "update without a change"
run scontrol update jobid="$blk" Partition=debug
is "$RC/$ERR" "1/Job is no longer pending execution for job $blk" \
    "Partition of a running job"
run scontrol update jobid="$blk" Comment=running
is "$RC/$ERR" "0/" "Comment of a running job"
is "$(show_field "$blk" Comment)" "Comment=running" "…is set"
run scontrol update JobName=p3 Comment=byname
is "$RC/$ERR" "0/" "update JobName=<name> without JobId"
is "$(show_field "$p3" Comment)" "Comment=byname" "…updates the jobs of that name"

# StartTime: a --begin job runs once its begin time is now
submit -J begin60 -o /dev/null --begin=now+600 --wrap=true; b=$JOB
is "$(job_reason "$b")" BeginTime "--begin=now+600: BeginTime"
run scontrol update jobid="$b" StartTime=now
is "$RC/$ERR" "0/" "update StartTime=now"
wait_for 20 waiting "$b"
like "$(job_reason "$b")" '^(Priority|Resources)$' "…no longer waits for its begin time"

# --- requeue -------------------------------------------------------------------
run scontrol requeue "$p2"
is "$RC/$OUT/$ERR" "1//Job is pending execution for job $p2" "requeue of a pending job"
touch go.blocker
wait_done "$blk"

submit -J rq --requeue -o rq.out --open-mode=append \
    --wrap='echo run $SLURM_RESTART_COUNT; sleep 30'; rq=$JOB
wait_state "$rq" RUNNING 30
wait_for 10 file_has rq.out run
run scontrol requeue "$rq"
is "$RC/$OUT/$ERR" "0//" "requeue of a running job: exit 0, silent"
wait_for 20 file_has rq.out "run 1"
run cat rq.out
like "$OUT" "^run
slurmstepd-$HOST: error: \\*\\*\\* JOB $rq ON $HOST CANCELLED AT [0-9T:-]+ DUE TO JOB REQUEUE \\*\\*\\*
run 1$" "the output: first run, the requeue line, SLURM_RESTART_COUNT=1"
wait_state "$rq" RUNNING
is "$(show_field "$rq" Restarts)/$(show_field "$rq" Requeue)" \
    "Restarts=1/Requeue=1" "running again with Restarts=1"

run scontrol requeuehold "$rq"
is "$RC/$ERR" "0/" "requeuehold"
wait_state "$rq" PENDING
is "$(job_reason "$rq")/$(show_field "$rq" Restarts)" "JobHeldUser/Restarts=2" \
    "requeuehold: pending, held, Restarts=2"
run scontrol release "$rq"
wait_state "$rq" RUNNING
wait_for 10 file_has rq.out "run 2"
ok "released, it runs a third time (SLURM_RESTART_COUNT=2)" file_has rq.out "run 2"
run scancel "$rq"
wait_done "$rq"

submit -J norq --no-requeue -o /dev/null --wrap='sleep 30'; nr=$JOB
wait_state "$nr" RUNNING 30
run scontrol requeue "$nr"
is "$RC/$OUT/$ERR" "1//Requested operation is presently disabled for job $nr" \
    "requeue of a --no-requeue job"
run scontrol update jobid="$nr" Requeue=1
is "$RC/$ERR" "0/" "update Requeue=1"
is "$(show_field "$nr" Requeue)" "Requeue=1" "…is shown"
run scancel "$nr"
wait_done "$nr"

# --- an ordinary user (40_scontrol.txt's alice) ----------------------------
if [ "$MY_UID" -ne 0 ] || ! command -v setpriv >/dev/null ||
    ! getent passwd nobody >/dev/null; then
	skip "ordinary user's controls" "needs root, setpriv and user nobody"
else
	# Let nobody reach the daemon and the working directory.
	chmod 755 "$T" "$BERTH_STATE_DIR"
	chmod 777 "$T/work" "$BERTH_STATE_DIR/berthd.sock"
	nob() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	getent group nogroup >/dev/null ||
	    nob() { setpriv --reuid=nobody --regid="$(id -g nobody)" \
	    --clear-groups "$@"; }
	run nob sbatch --parsable -J alice -p debug -o /dev/null \
	    --begin=now+600 --wrap=true
	a=$OUT
	like "$a" '^[0-9]+$' "nobody submits a job"
	run nob scontrol hold "$a"
	is "$RC/$ERR/$(job_reason "$a")" "0//JobHeldUser" \
	    "a user's hold is a user hold"
	run nob scontrol release "$a"
	is "$RC/$ERR" "0/" "the user releases it"
	run scontrol hold "$a"
	is "$(job_reason "$a")" JobHeldAdmin "root holds it: admin hold"
	run nob scontrol release "$a"
	is "$RC/$ERR/$(job_reason "$a")" "1/Access/permission denied for job $a
slurm_suspend error: Access/permission denied/JobHeldAdmin" \
	    "the user cannot release an admin hold"
	run scontrol release "$a"
	run nob scontrol update jobid="$a" Priority=100000
	is "$RC/$ERR" "1/Changes to job priority are not persistent, change nice instead for job $a" \
	    "the user cannot set Priority"
	run nob scontrol update jobid="$a" TimeLimit=20
	is "$RC/$ERR" "0/" "pending: the user may raise TimeLimit up to MaxTime"
	run nob scontrol update jobid="$a" TimeLimit=40
	is "$RC/$ERR/$(show_field "$a" TimeLimit)" \
	    "1/Access/permission denied for job $a/TimeLimit=00:20:00" \
	    "…not beyond"
	run nob scontrol update jobid="$a" Nice=-5
	is "$RC/$ERR" "1/Access/permission denied for job $a" \
	    "a negative Nice is root's"
	submit -J roots -o /dev/null --hold --wrap=true; rj=$JOB
	run nob scontrol update jobid="$rj" Comment=mine
	is "$RC/$ERR" "1/Invalid user id for job $rj" "someone else's job"
	run nob scontrol requeue "$rj"
	is "$RC/$ERR" "1/Access/permission denied for job $rj" \
	    "…cannot be requeued either"
	# scancel with filters tries someone else's matching jobs too
	# (real scancel 22.05: each refused, exit 210).
	run nob scancel -n roots
	is "$RC/$ERR/$(job_state "$rj")" "210/scancel: error: Kill job error on job id $rj: Access/permission denied/PENDING" \
	    "scancel -n NAME of someone else's job: refused, exit 210"
	run nob scancel -u nobody -n roots
	is "$RC/$ERR" "0/" "…but not when -u leaves it out"
	run scancel "$a" "$rj"
fi

# --- finished jobs ------------------------------------------------------------------
run scontrol update jobid="$h" Comment=late
is "$RC/$ERR" "1/Job has already finished for job $h" "update of a finished job"
run scontrol release "$h"
is "$RC/$ERR" "1/Job has already finished for job $h
slurm_suspend error: Job has already finished" "release of a finished job"

# --- a requeue survives a daemon crash in the middle --------------------
# The job ignores TERM, so the old attempt lives KillWait (2 s) after the
# requeue; the daemon is killed in that window and restarted.
submit -J rqcrash --requeue -o rqcrash.out --open-mode=append \
    --wrap='trap "" TERM; echo "run ${SLURM_RESTART_COUNT:-0}"; sleep 30'
rc=$JOB
wait_state "$rc" RUNNING
wait_for 10 file_has rqcrash.out "run 0"
run scontrol requeue "$rc"
is "$RC" 0 "requeue of a job that ignores TERM"
kill_daemon
start_daemon || done_testing
wait_for 20 file_has rqcrash.out "run 1"
ok "after a crash mid-requeue the job ran again as restart 1" \
    file_has rqcrash.out "run 1"
run scontrol show job "$rc"
like "$OUT" "Restarts=1" "and counts one restart"
run scancel "$rc"

done_testing
