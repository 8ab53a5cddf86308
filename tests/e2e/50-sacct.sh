#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sacct's default view (header, dashes, widths, "+" truncation,
#   .batch rows), -X, -P, -p, -n, --format/-o with %N widths, -j lists,
#   repeated -j and --job, -s with -S/-E, FAILED 3:0, a job killed by a
#   signal (0:9), a cancelled pending job (no .batch row), an unknown job
#   (header only, exit 0), an unknown field (error, exit 1), and the exact
#   command lines of the tools in CLIENTS.md (Snakemake, Parsl, submitit),
#   ConsumedEnergy of job rows (0 or empty, as 50_sacct -l).
# Slurm behaviour copied (slurm-reference 50_sacct.txt): default fields
#   JobID,JobName,Partition,Account,AllocCPUS,State,ExitCode; JobID is
#   left-justified in 12 columns, the rest right-justified in 10 (ExitCode
#   8), each followed by a space; an over-long value shows its first W-1
#   characters and "+"; -P separates with "|", -p also ends lines with "|".
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J ok_job -o ok.out --wrap='echo ok'; okj=$JOB
submit -J fail3 -o fail3.out --wrap='echo failing; exit 3'; f3=$JOB
submit -J killed9 -o /dev/null --wrap='kill -9 $$'; k9=$JOB
submit -J timeout_jobname_long -o /dev/null --wrap=true; lng=$JOB
submit -J cancel_me --hold -o /dev/null --wrap=true; ca=$JOB
run scancel "$ca"
for j in "$okj" "$f3" "$k9" "$lng" "$ca"; do wait_done "$j"; done
ids="$okj,$f3,$k9,$lng,$ca"
acct=$(sacct -n -X -P -o Account -j "$okj" 2>/dev/null)

# Slurm's fixed-width cell: right-justified in W, "+"-truncated.
cell() {
	local w=$1 s=$2 left=${3:-}
	[ ${#s} -gt "$w" ] && s="${s:0:w-1}+"
	if [ -n "$left" ]; then printf "%-${w}s " "$s"; else printf "%${w}s " "$s"; fi
}
row() {	# JobID JobName Partition Account AllocCPUS State ExitCode
	cell 12 "$1" left; cell 10 "$2"; cell 10 "$3"; cell 10 "$4"
	cell 10 "$5"; cell 10 "$6"; cell 8 "$7"; echo
}
HDR="$(row JobID JobName Partition Account AllocCPUS State ExitCode)
------------ ---------- ---------- ---------- ---------- ---------- -------- "
cby="CANCELLED by $MY_UID"
all_rows() {
	row "$okj" ok_job cpu "$acct" 1 COMPLETED 0:0
	row "$okj.batch" batch "" "$acct" 1 COMPLETED 0:0
	row "$f3" fail3 cpu "$acct" 1 FAILED 3:0
	row "$f3.batch" batch "" "$acct" 1 FAILED 3:0
	row "$k9" killed9 cpu "$acct" 1 FAILED 0:9
	row "$k9.batch" batch "" "$acct" 1 FAILED 0:9
	row "$lng" timeout_jobname_long cpu "$acct" 1 COMPLETED 0:0
	row "$lng.batch" batch "" "$acct" 1 COMPLETED 0:0
	row "$ca" cancel_me cpu "$acct" 1 "$cby" 0:0
}

# --- default view --------------------------------------------------------
isnt "$acct" "" "jobs have an account"
run sacct -j "$ids"
is "$RC/$ERR" "0/" "sacct -j list: exit 0, nothing on stderr"
is "$OUT" "$HDR
$(all_rows)" "sacct default view: header, dashes, job and .batch rows, widths, '+'"

run sacct -n -j "$ids"
is "$OUT" "$(all_rows)" "sacct -n drops the two header lines"

run sacct -X -j "$ids"
is "$OUT" "$HDR
$(all_rows | grep -v '\.batch')" "sacct -X: only job rows"

# --- -P / -p ----------------------------------------------------------------
prow() { local IFS='|'; echo "$*"; }
prows() {
	prow "$okj" ok_job cpu "$acct" 1 COMPLETED 0:0
	prow "$okj.batch" batch "" "$acct" 1 COMPLETED 0:0
	prow "$f3" fail3 cpu "$acct" 1 FAILED 3:0
	prow "$f3.batch" batch "" "$acct" 1 FAILED 3:0
	prow "$k9" killed9 cpu "$acct" 1 FAILED 0:9
	prow "$k9.batch" batch "" "$acct" 1 FAILED 0:9
	prow "$lng" timeout_jobname_long cpu "$acct" 1 COMPLETED 0:0
	prow "$lng.batch" batch "" "$acct" 1 COMPLETED 0:0
	prow "$ca" cancel_me cpu "$acct" 1 "$cby" 0:0
}
run sacct -P -j "$ids"
is "$OUT" "JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode
$(prows)" "sacct -P"
run sacct -p -j "$ids"
is "$OUT" "$(sed 's/$/|/' <<<"JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode
$(prows)")" "sacct -p ends every line with |"
run sacct -n -P -j "$ids"
is "$OUT" "$(prows)" "sacct -n -P"

# --- --format / -o with widths --------------------------------------------
run sacct -X -j "$f3,$lng" -o JobID,JobName%30,State%15,ExitCode
is "$OUT" "$(cell 12 JobID left; cell 30 JobName; cell 15 State; cell 8 ExitCode; echo)
------------ ------------------------------ --------------- -------- 
$(cell 12 "$f3" left; cell 30 fail3; cell 15 FAILED; cell 8 3:0; echo)
$(cell 12 "$lng" left; cell 30 timeout_jobname_long; cell 15 COMPLETED; cell 8 0:0; echo)" \
    "sacct -o JobID,JobName%30,State%15,ExitCode"
run sacct -X -n -j "$ca" --format=JobID,State%15
is "$OUT" "$(cell 12 "$ca" left; cell 15 "$cby")" \
    "State%15 shows 'CANCELLED by <uid>' (with + when too long)"
run sacct -n -P -j "$okj" -o jobid,jobname,state,exitcode,nodelist,partition,alloccpus
is "$OUT" "$okj|ok_job|COMPLETED|0:0|$HOST|cpu|1
$okj.batch|batch|COMPLETED|0:0|$HOST||1" "field names are case-insensitive"

# --- -j forms -----------------------------------------------------------------
run sacct -n -X -P -o JobID -j "$okj" -j "$f3"
is "$OUT" "$okj
$f3" "repeated -j"
run sacct -n -X -P -o JobID --job "$okj,$f3"
is "$OUT" "$okj
$f3" "--job a,b"
run sacct -n -X -P -o JobID --jobs="$f3,$okj"
is "$OUT" "$okj
$f3" "--jobs= (rows in id order)"

# --- -s / -S / -E --------------------------------------------------------------
run sacct -n -X -P -o JobID,State -s F -S 2000-01-01 -E now
is "$OUT" "$f3|FAILED
$k9|FAILED" "sacct -s F -S 2000-01-01 -E now: the failed jobs"
run sacct -n -X -P -o JobID -s CA,F -S 2000-01-01 -E now
is "$OUT" "$f3
$k9
$ca" "sacct -s CA,F"
# Slurm: with -s, -E defaults to -S, and a final state counts when the
# job ended in [-S, -E] (50_sacct: "sacct -s F -S 2000-01-01" is empty).
run sacct -X -o JobID,JobName,State,ExitCode -s F -S 2000-01-01
is "$RC/$OUT/$ERR" "0/$(cell 12 JobID left; cell 10 JobName; cell 10 State; cell 8 ExitCode)
------------ ---------- ---------- -------- /" \
    "sacct -s F -S 2000-01-01 without -E: header only (the window is that second)"
run sacct -n -X -P -o JobID -s F -j "$f3,$okj"
is "$OUT" "$f3" "sacct -s F -j: from the epoch to now"
run sacct -n -X -P -o JobID -S 2000-01-01
is "$OUT" "$okj
$f3
$k9
$lng
$ca" "sacct -S 2000-01-01: every job"
run sacct -n -X -P -o JobID -S 2000-01-01 -E 2000-01-02
is "$RC/$OUT" "0/" "sacct -S/-E in the past: no job"
run sacct -n -X -P -o JobID
is "$OUT" "$okj
$f3
$k9
$lng
$ca" "sacct with no -j lists today's jobs"

# --- errors ----------------------------------------------------------------
run sacct -j 999999
is "$RC/$OUT/$ERR" "0/$HDR/" "sacct -j 999999: header only, exit 0"
run sacct -o NoSuchField -j "$okj"
is "$RC/$OUT/$ERR" "1//sacct: error: Invalid field requested: \"NoSuchField\"" \
    "sacct -o NoSuchField: error, exit 1"

# sacct's Reason is slurmdbd's last reason for waiting, not why a job
# ended (real Slurm 22.05: a failed job None, a held job still pending
# None, a held job cancelled JobHeldUser as in 41_scancel).
submit -J stillheld --hold -o /dev/null --wrap=true; sh=$JOB
run sacct -n -X -P -o JobID,State,Reason -j "$f3,$ca,$sh"
is "$OUT" "$f3|FAILED|None
$ca|$cby|JobHeldUser
$sh|PENDING|None" "sacct Reason: None for a failed and a pending job, JobHeldUser for a cancelled held one"
run scancel "$sh"

# ReqMem is the job's memory request in total (ReqTRES mem=): --mem-per-cpu
# times CPUs; a pending job's Start is Unknown (real Slurm 22.05).
submit -J later --begin=now+300 --mem-per-cpu=300 -c 2 -o /dev/null --wrap=true; lt=$JOB
run sacct -n -X -P -o ReqMem,ReqCPUS,ReqTRES,Start -j "$lt"
is "$OUT" "600M|2|billing=2,cpu=2,mem=600M,node=1|Unknown" \
    "sacct: ReqMem 600M for --mem-per-cpu=300 -c 2, Start Unknown while pending"
# --units (real sacct 22.05: 1000M is "0.98G" with --units=G, "1024000K"
# with K, in ReqMem and in the TRES strings alike; 2048M is "2G"; a bad
# letter is fatal).
run sacct -n -X -P --units=G -o ReqMem,ReqTRES -j "$lt"
is "$OUT" "0.59G|billing=2,cpu=2,mem=0.59G,node=1" "sacct --units=G: ReqMem and TRES in G"
run sacct -n -X -P --units=k -o ReqMem -j "$lt"
is "$OUT" "614400K" "sacct --units=k: in K (the letter in any case)"
run sacct -n -X -P --units=X -o ReqMem -j "$lt"
is "$RC/$OUT/$ERR" "1//sacct: error: Invalid unit type 'X'. Possible options are 'KMGTP'
sacct: fatal: Invalid unit type" "sacct --units=X: Slurm's error, exit 1"
# A window that ends before it starts (real 22.05: -S defaults to
# midnight, so -E now-1days alone is refused, exit 1).
run sacct -X -n -E now-1days
like "$RC/$ERR" "^1/sacct: error: Start time \\([0-9T:-]+\\) requested is after end time \\([0-9T:-]+\\)\\.\$" \
    "sacct -E before -S: Slurm's error, exit 1"
# SACCT_FORMAT stands in for -o when none of -o, -b, -l is given.
run env SACCT_FORMAT=JobID,ReqMem%6 sacct -X -j "$lt"
is "$OUT" "JobID        ReqMem 
------------ ------ 
$(printf '%-12s %6s ' "$lt" 600M)" "SACCT_FORMAT gives the columns"
run env SACCT_FORMAT=JobID sacct -n -X -P -o State -j "$lt"
is "$OUT" "PENDING" "... -o wins over it"
# --delimiter (real 22.05: "f1,FAILED," with -p, "f1:FAILED" with -P,
# ignored without either)
run sacct -n -X -p --delimiter=, -o ReqMem,State -j "$lt"
is "$OUT" "600M,PENDING," "sacct -p --delimiter=,"
run sacct -X -P --delimiter=:: -o ReqMem,State -j "$lt"
is "$OUT" "ReqMem::State
600M::PENDING" "sacct -P --delimiter=:: (header too)"
run sacct -n -X --delimiter=, -o State -j "$lt"
is "$OUT" "   PENDING " "sacct --delimiter without -p/-P: ignored"
run scancel "$lt"

# The named steps Slurm has and berth does not (extern, interactive) are
# valid selections that match no row; a bad step name is refused.
run sacct -n -P -o JobID -j "$okj.extern,$okj.interactive"
is "$RC/$OUT/$ERR" "0//" "sacct -j ID.extern,ID.interactive: no row, exit 0"
run sacct -n -P -o JobID -j "$okj.extern,$okj.batch"
is "$RC/$OUT" "0/$okj.batch" "…beside ID.batch, only the batch row"
run sacct -j "$okj.bogus"
is "$RC/$ERR" "1/sacct: fatal: Bad step specified: $okj" \
    "sacct -j ID.bogus: Slurm's error, exit 1"

# Option errors, in real sacct 22.05's words (exit 1).
for c in "-j abc|sacct: fatal: Bad job/step specified: abc" \
    "-S garbage|Invalid time specification (pos=0): garbage" \
    "-E garbage|Invalid time specification (pos=0): garbage" \
    "-s BOGUS|sacct: fatal: unrecognized job state value 'BOGUS'" \
    "--nosuch|sacct: unrecognized option '--nosuch'" \
    "-u nosuchuser_h2|sacct: error: Invalid user id: nosuchuser_h2" \
    "extra_arg|sacct: error: Unknown arguments:
sacct: error:  extra_arg"; do
	# shellcheck disable=SC2086
	run sacct ${c%%|*}
	is "$RC/$OUT/$ERR" "1//${c#*|}" "sacct ${c%%|*}: Slurm's error, exit 1"
done

# --- output files -------------------------------------------------------------
is "$(cat fail3.out 2>/dev/null)" failing "the failed job's output"
is "$(cat ok.out 2>/dev/null)" ok "the completed job's output"

# --- the tools of CLIENTS.md ----------------------------------------------------
# Snakemake: sacct -P -n --format=JobIdRaw,State -j ID
run sacct -P -n --format=JobIdRaw,State -j "$f3"
is "$RC/$OUT" "0/$f3|FAILED
$f3.batch|FAILED" "snakemake's sacct line"
# Parsl: sacct -X --noheader --format=jobid,state%20 --job 'a,b'
run sacct -X --noheader --format=jobid,state%20 --job "$okj,$f3"
is "$RC/$OUT" "0/$(cell 12 "$okj" left; cell 20 COMPLETED; echo)
$(cell 12 "$f3" left; cell 20 FAILED)" "parsl's sacct line"
run sacct -X
is "$RC/$ERR" "0/" "parsl's probe 'sacct -X' exits 0"
# submitit: sacct -o JobID,State,NodeList --parsable2 -j ID
run sacct -o JobID,State,NodeList --parsable2 -j "$okj" -j "$ca"
is "$RC/$OUT" "0/JobID|State|NodeList
$okj|COMPLETED|$HOST
$okj.batch|COMPLETED|$HOST
$ca|$cby|None assigned" "submitit's sacct line"

# ConsumedEnergy of a job row (50_sacct `sacct -l -P`): 0 for a job that
# never had an allocation (cancelled pending, a pending array record) and
# for one with srun steps, empty for a batch job without steps; step rows
# read 0.
submit -J steps_job -o /dev/null --wrap='srun true; srun true'; sj=$JOB
submit -J pend_arr --array=0-3 --hold -o /dev/null --wrap=true; pa=$JOB
wait_done "$sj"
run sacct -n -P -o JobID,ConsumedEnergy -j "$okj,$ca,$sj"
is "$OUT" "$okj|
$okj.batch|0
$ca|0
$sj|0
$sj.batch|0
$sj.0|0
$sj.1|0" "sacct ConsumedEnergy: 0 unless an allocation without srun steps"
run sacct -n -X -P -o JobID,ConsumedEnergy -j "$okj,$sj,$pa"
is "$OUT" "$okj|
$sj|0
${pa}_[0-3]|0" "sacct -X ConsumedEnergy (steps read for it), a pending array"
run scancel "$pa"

done_testing
