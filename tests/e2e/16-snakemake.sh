#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the real Snakemake 7 (Debian's snakemake 7.21, `snakemake --slurm`)
#   driving berth unchanged: a two-rule workflow (one rule writes a file,
#   the next reads it) with mem_mb, runtime, threads/cpus_per_task and
#   slurm_partition; the rule without a partition takes sinfo's default;
#   a failing rule; Ctrl-C cancelling a running job.  What Snakemake runs:
#   `sacct -nu USER -o Account%20` (account guess), `sinfo -o %P`,
#   `sbatch -J -o .snakemake/slurm_logs/rule_R/%j.log --export=ALL [-A] -p
#   -t --mem --cpus-per-task -D --wrap=...` (last token of the output is
#   the id), inside the job `srun -n1 --cpu-bind=q python3 -m snakemake`,
#   polls `sacct -P -n --format=JobIdRaw,State -j ID`, and `scancel ID`
#   on SIGINT (src/snakemake/executors/slurm/ of the package).
# Slurm behaviour copied: CLIENTS.md (Snakemake 7), through the tool itself.
# Skipped when snakemake 7 with --slurm is not installed (tools/deps.sh
# test installs Debian's package).
. "$(dirname "$0")/lib.sh"

if ! command -v snakemake >/dev/null ||
    ! snakemake --help 2>/dev/null | grep -q -- '--slurm '; then
	skip "snakemake --slurm runs a workflow on berth" \
	    "no snakemake 7 with --slurm (apt-get install snakemake)"
	done_testing
fi

write_conf_ref
start_daemon || done_testing

# Snakemake's SLURM executor polls sacct every 33 s unless told otherwise;
# one check a second keeps the test short.  Every run has a deadline, a
# guard against a hang only: on a loaded 2-core host (CI under ASan, with
# other work) one run of the workflow took over 90 s.
smk_deadline=300
smk() {
	timeout "$smk_deadline" snakemake --slurm --jobs 2 --max-status-checks-per-second 1 \
	    "$@" >smk.log 2>&1
}

# jobs_in LOG: the SLURM job ids snakemake reported, in submission order.
jobs_in() {
	sed -n 's/.*has been submitted with SLURM jobid \([0-9]*\) .*/\1/p' "$1"
}

# --- a workflow of two rules ------------------------------------------------
mkdir wf && cd wf || done_testing
cat >Snakefile <<'EOF'
rule all:
    input: "result.txt"

rule make_data:
    output: "data.txt"
    threads: 1
    resources:
        mem_mb=100,
        runtime=5,
        slurm_partition="debug"
    shell:
        "echo job=$SLURM_JOB_ID partition=$SLURM_JOB_PARTITION > {output}; "
        "echo mem=$SLURM_MEM_PER_NODE >> {output}"

rule count:
    input: "data.txt"
    output: "result.txt"
    threads: 2
    resources:
        mem_mb=200,
        runtime=3,
        cpus_per_task=2
    shell:
        "wc -l < {input} > {output}; "
        "echo cpus=$SLURM_CPUS_PER_TASK partition=$SLURM_JOB_PARTITION >> {output}"
EOF
smk; rc=$?
is "$rc" 0 "snakemake --slurm: the workflow succeeds" ||
    diag "$(tail -n 30 smk.log)"
mapfile -t ids < <(jobs_in smk.log)
is "${#ids[@]}" 2 "two rules went to berth as two jobs"
a=${ids[0]:-0} b=${ids[1]:-0}
is "$(cat data.txt 2>/dev/null)" "job=$a partition=debug
mem=100" "the first rule ran in its job with its partition and memory"
is "$(cat result.txt 2>/dev/null)" "2
cpus=2 partition=cpu" \
    "the second read the first's output; cpus_per_task, sinfo's default partition"
run sacct -P -n --format=JobIdRaw,State -j "$a,$b"
is "$OUT" "$a|COMPLETED
$a.batch|COMPLETED
$a.0|COMPLETED
$b|COMPLETED
$b.batch|COMPLETED
$b.0|COMPLETED" "sacct: every job and step COMPLETED (the srun step is .0)"
run sacct -X -P -n -o JobName,Partition,AllocCPUS,ReqMem,Timelimit -j "$a,$b"
is "$OUT" "snakejob_make_data_2|debug|1|100M|00:05:00
snakejob_count_1|cpu|2|200M|00:03:00" \
    "sbatch got -J, -p, --cpus-per-task, --mem and -t from the rules"
ok "each job's output is in .snakemake/slurm_logs/rule_NAME/ID.log" \
    test -s ".snakemake/slurm_logs/rule_make_data/$a.log" -a \
    -s ".snakemake/slurm_logs/rule_count/$b.log"

# A second run guesses the account from sacct (now that there are jobs),
# which gives "-A <group>" to sbatch.
smk --forceall; rc=$?
is "$rc" 0 "a forced rerun succeeds" || diag "$(tail -n 30 smk.log)"
like "$(cat smk.log)" "Guessed SLURM account: $(id -gn)" \
    "the account guess (sacct -nu USER -o Account%20) finds the group"
mapfile -t ids < <(jobs_in smk.log)
run sacct -X -P -n -o State,Account -j "${ids[0]:-0},${ids[1]:-0}"
is "$OUT" "COMPLETED|$(id -gn)
COMPLETED|$(id -gn)" "…and the rerun's jobs completed under that account"
cd .. || done_testing

# --- a failing rule -----------------------------------------------------------
mkdir bad && cd bad || done_testing
cat >Snakefile <<'EOF'
rule bad:
    output: "bad.txt"
    resources: mem_mb=100, runtime=5, slurm_partition="cpu"
    shell: "echo partial > {output}; exit 3"
EOF
smk; rc=$?
isnt "$rc" 0 "snakemake exits non-zero when a rule fails"
c=$(jobs_in smk.log)
like "$(cat smk.log)" "SLURM-job '$c' failed, SLURM status is: 'FAILED'" \
    "snakemake read FAILED from sacct"
is "$(job_state "$c")" FAILED "the job is FAILED in berth"
ok "snakemake removed the failed rule's output" test ! -e bad.txt
cd .. || done_testing

# --- Ctrl-C: snakemake cancels its running jobs --------------------------------
mkdir slow && cd slow || done_testing
cat >Snakefile <<'EOF'
rule slow:
    output: "slow.txt"
    resources: mem_mb=100, runtime=5, slurm_partition="cpu"
    shell: "sleep 60; touch {output}"
EOF
# timeout(1) passes the SIGINT it receives on to snakemake, whose SIGINT
# is then not ignored (as it is for a plain background job of a script);
# --foreground, or it would send it to its process group a second time,
# and the second Ctrl-C stops snakemake's cancelling of its jobs.
timeout --foreground "$smk_deadline" snakemake --slurm --jobs 2 --max-status-checks-per-second 1 \
    >smk.log 2>&1 &
p=$!
submitted() { [ -n "$(jobs_in smk.log)" ]; }
wait_for 30 submitted
c=$(jobs_in smk.log)
c=${c:-0}
wait_state "$c" RUNNING
# Snakemake's poll while the rule runs in its srun step inside the job.
running_rows() {
	[ "$(sacct -P -n --format=JobIdRaw,State -j "$c")" = "$c|RUNNING
$c.batch|RUNNING
$c.0|RUNNING" ]
}
ok "sacct -P -n --format=JobIdRaw,State: the job, .batch and .0 RUNNING" \
    wait_for 20 running_rows
kill -INT "$p"
wait "$p"; rc=$?
isnt "$rc" 0 "snakemake stops on SIGINT"
like "$(cat smk.log)" "Terminating processes on user request" \
    "…terminating its jobs"
wait_done "$c"
run sacct -X -P -n -o State -j "$c"
is "$OUT" "CANCELLED by $MY_UID" "its scancel cancelled the running job"
cd .. || done_testing

done_testing
