#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: squeue's default view (header, widths, row order, reasons), -l,
#   -h, -o with and without widths, -O with and without widths, -t, -j, -u,
#   --me, -n, -p, the reasons Resources / Priority / JobHeldUser, the unknown
#   job id error and the bad state error.
# Slurm behaviour copied (slurm-reference 30_squeue.txt): on a 2-CPU node
#   with a running 2-CPU job, the first pending 1-CPU job waits for
#   Resources and the next for Priority; --hold gives JobHeldUser; rows are
#   sorted pending (by priority, held last) before running; "-j 999999"
#   prints "slurm_load_jobs error: Invalid job id specified" and exits 1.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

hold='for i in $(seq 1 3000); do [ -e release ] && exit 0; sleep 0.02; done; exit 1'
submit -J running -c 2 -o run.out --wrap="$hold"; r=$JOB
wait_state "$r" RUNNING
submit -J resources -c 1 -t 10 -o /dev/null --wrap='sleep 0.2'; rs=$JOB
submit -J priority -c 1 -o /dev/null --wrap='sleep 0.2'; pr=$JOB
submit -J held -o /dev/null --hold --wrap=true; hd=$JOB
wait_reason "$pr" Priority
wait_reason "$rs" Resources
U=${ME:0:8}

# The running row's TIME is whatever elapsed: take it from the output but
# check its shape.  $1: squeue output; prints the TIME column of the row
# for job $r (columns 51-60 of the default format).
run_time() {
	local line
	line=$(grep -E "^ +$r " <<<"$1")
	echo "${line:50:10}"
}

expected_default() {
	local t=$1
	squeue_row "$rs" cpu resources "$U" PD 0:00 1 '(Resources)'; echo
	squeue_row "$pr" cpu priority "$U" PD 0:00 1 '(Priority)'; echo
	squeue_row "$hd" cpu held "$U" PD 0:00 1 '(JobHeldUser)'; echo
	squeue_row "$r" cpu running "$U" R "$t" 1 "$HOST"
}

# --- default view ------------------------------------------------------
run squeue
t=$(run_time "$OUT")
like "$t" '^ *[0-9]+:[0-9]{2}$' "the running job's TIME looks like M:SS"
is "$OUT" "$SQUEUE_HDR
$(expected_default "${t// /}")" "default squeue: header, widths, order, reasons"
is "$RC/$ERR" "0/" "squeue exits 0 with nothing on stderr"

# -h
run squeue -h
is "$OUT" "$(expected_default "$(run_time "$OUT" | tr -d ' ')")" "squeue -h drops the header"

# the default format spelled out
run squeue -o '%.18i %.9P %.8j %.8u %.2t %.10M %.6D %R'
is "$OUT" "$SQUEUE_HDR
$(expected_default "$(run_time "$OUT" | tr -d ' ')")" \
    "squeue -o with the default format's widths gives the default view"

# --- -l ----------------------------------------------------------------------
run squeue -l
like "$(head -n 1 <<<"$OUT")" \
    '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$' \
    "squeue -l starts with the date"
lrow() { printf '%18.18s %9.9s %8.8s %8.8s %8.8s %10.10s %9.9s %6.6s %s' "$@"; }
lt=$(grep -E "^ +$r " <<<"$OUT"); lt=${lt:56:10}
is "$(tail -n +2 <<<"$OUT")" \
"$(lrow JOBID PARTITION NAME USER STATE TIME TIME_LIMI NODES 'NODELIST(REASON)')
$(lrow "$rs" cpu resources "$U" PENDING 0:00 10:00 1 '(Resources)')
$(lrow "$pr" cpu priority "$U" PENDING 0:00 UNLIMITED 1 '(Priority)')
$(lrow "$hd" cpu held "$U" PENDING 0:00 UNLIMITED 1 '(JobHeldUser)')
$(lrow "$r" cpu running "$U" RUNNING "${lt// /}" UNLIMITED 1 "$HOST")" \
    "squeue -l: long header, STATE and TIME_LIMIT columns"

# --- -o without widths --------------------------------------------------
run squeue -o '%i %T %r'
is "$OUT" "JOBID STATE REASON
$rs PENDING Resources
$pr PENDING Priority
$hd PENDING JobHeldUser
$r RUNNING None" "squeue -o '%i %T %r'"

run squeue -o '%i %j %C %D %l %m %P %t'
is "$OUT" "JOBID NAME CPUS NODES TIME_LIMIT MIN_MEMORY PARTITION ST
$rs resources 1 1 10:00 1000M cpu PD
$pr priority 1 1 UNLIMITED 1000M cpu PD
$hd held 1 1 UNLIMITED 1000M cpu PD
$r running 2 1 UNLIMITED 1000M cpu R" "squeue -o '%i %j %C %D %l %m %P %t'"

# --- -O --------------------------------------------------------------------
run squeue -O JobID,State,Reason
is "$OUT" "$(printf '%-20s%-20s%-20s\n' JOBID STATE REASON \
    "$rs" PENDING Resources "$pr" PENDING Priority "$hd" PENDING JobHeldUser \
    "$r" RUNNING None)" "squeue -O JobID,State,Reason: 20-wide columns"

run squeue -O 'JobID:10,Name:12,State:10,ReasonList:20,TimeLimit,NumCPUs,MinMemory,Dependency'
is "$OUT" "$(printf '%-10.10s%-12.12s%-10.10s%-20.20s%-20.20s%-20.20s%-20.20s%-20.20s\n' \
    JOBID NAME STATE 'NODELIST(REASON)' TIME_LIMIT CPUS MIN_MEMORY DEPENDENCY \
    "$rs" resources PENDING '(Resources)' 10:00 1 1000M '(null)' \
    "$pr" priority PENDING '(Priority)' UNLIMITED 1 1000M '(null)' \
    "$hd" held PENDING '(JobHeldUser)' UNLIMITED 1 1000M '(null)' \
    "$r" running RUNNING "$HOST" UNLIMITED 2 1000M '(null)')" \
    "squeue -O with explicit widths"

# --- filters ---------------------------------------------------------------
run squeue -h -t PD -o %i
is "$OUT" "$rs
$pr
$hd" "squeue -t PD lists the pending jobs"
run squeue -h -t R -o %i
is "$OUT" "$r" "squeue -t R lists the running job"
run squeue -h -t PD,R -o %i
is "$OUT" "$rs
$pr
$hd
$r" "squeue -t PD,R"
run squeue -h -t pending,running -o %i
is "$OUT" "$rs
$pr
$hd
$r" "squeue -t accepts long lower-case names"
run squeue -h -j "$r,$rs" -o %i
is "$OUT" "$rs
$r" "squeue -j a,b (rows in the usual order)"
run squeue -h -j "$pr" -o '%i %T'
is "$OUT" "$pr PENDING" "squeue -j one id"
run squeue -h -u "$ME" -o %i
is "$OUT" "$rs
$pr
$hd
$r" "squeue -u me"
run squeue --me -o '%i %u %T'
is "$OUT" "JOBID USER STATE
$rs $ME PENDING
$pr $ME PENDING
$hd $ME PENDING
$r $ME RUNNING" "squeue --me -o '%i %u %T'"
run squeue -h -n priority,held -o %i
is "$OUT" "$pr
$hd" "squeue -n priority,held"
run squeue -p debug
is "$RC/$OUT" "0/$SQUEUE_HDR" "squeue -p debug: only the header"
run squeue -h -p cpu -o %i
is "$OUT" "$rs
$pr
$hd
$r" "squeue -p cpu"

# --- errors ---------------------------------------------------------------
run squeue -j 999999
is "$RC/$OUT/$ERR" "1//slurm_load_jobs error: Invalid job id specified" \
    "squeue -j 999999: Slurm's error and exit 1"
run squeue -t BOGUS
is "$RC/$OUT/$ERR" "1//squeue: error: Invalid job state specified: BOGUS
squeue: error: Valid job states include: PENDING,RUNNING,SUSPENDED,COMPLETED,CANCELLED,FAILED,TIMEOUT,NODE_FAIL,PREEMPTED,BOOT_FAIL,DEADLINE,OUT_OF_MEMORY,COMPLETING,CONFIGURING,RESIZING,RESV_DEL_HOLD,REQUEUED,REQUEUE_FED,REQUEUE_HOLD,REVOKED,SIGNALING,SPECIAL_EXIT,STAGE_OUT,STOPPED" \
    "squeue -t BOGUS: Slurm's error and exit 1"

# An unknown -O name: Slurm reports it and goes on without it, exit 0.
run squeue -h -O JobID:8,BadField -j "$r"
is "$RC/$OUT/$ERR" "0/$(printf '%-8s' "$r")/squeue: error: Invalid job format specification: BadField" \
    "squeue -O with an unknown name: error, the rest printed, exit 0"
# An extra argument: Slurm's usage text on stdout, exit 1.
run squeue extra_arg
is "$RC/$ERR" "1/squeue: error: Unrecognized option: extra_arg" \
    "squeue extra_arg: error, exit 1"
is "$OUT" "Usage: squeue [-A account] [--clusters names] [-i seconds] [--job jobid]
              [-n name] [-o format] [-p partitions] [--qos qos]
              [--reservation reservation] [--sort fields] [--start]
              [--step step_id] [-t states] [-u user_name] [--usage]
              [-L licenses] [-w nodes] [--federation] [--local] [--sibling]
$(printf '\t')      [-ahjlrsv]" "squeue extra_arg: Slurm 22.05's usage text"

# --- the queue drains ---------------------------------------------------------
touch release
wait_done "$r"; wait_done "$rs"; wait_done "$pr"
is "$(job_state "$r")/$(job_state "$rs")/$(job_state "$pr")" \
    COMPLETED/COMPLETED/COMPLETED "once released, all three complete"
run squeue -h -o '%i %T %r'
is "$OUT" "$hd PENDING JobHeldUser" "the held job stays pending"
run squeue -h -t all -o '%i %T'
ok "squeue -t all still shows the finished job (within MinJobAge)" \
    has_line "$OUT" "$r COMPLETED"

done_testing
