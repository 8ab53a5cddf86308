#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the four tools of shared/CLIENTS.md, driven the way they drive
#   Slurm: submitit (its generated #SBATCH script with --exclusive,
#   --gpus-per-node, --signal=USR2@90, --open-mode=append, --wckey ...;
#   "job (\d+)" parsing; sacct --parsable2 polling; scancel --signal),
#   dask-jobqueue (a temp script deleted right after sbatch; -J -n
#   --cpus-per-task --mem -t; scancel on close), Snakemake 7 (--wrap with
#   --export=ALL, -D, an output pattern in a subdirectory; last token of
#   stdout+stderr; sacct -P -n --format=JobIdRaw,State; scontrol show jobid
#   -dd), Parsl (sacct -X probe; script with --nodes --ntasks-per-node
#   --time=<min>; sacct -X --noheader --format=jobid,state%20 --job 'a,b';
#   squeue --noheader --format='%i %t' --job ID).
# Slurm behaviour copied: CLIENTS.md items 1-10 (what each tool relies on).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- submitit ---------------------------------------------------------------
mkdir -p logs
script submitit.sh '#!/bin/bash' '' '# Parameters' \
    '#SBATCH --comment=from-submitit' \
    '#SBATCH --cpus-per-task=1' \
    "#SBATCH --error=$T/work/logs/%j_0_log.err" \
    '#SBATCH --exclusive' \
    '#SBATCH --gpus-per-node=1' \
    '#SBATCH --job-name=submitit' \
    '#SBATCH --mem=1GB' \
    '#SBATCH --nodes=1' \
    '#SBATCH --ntasks-per-node=1' \
    '#SBATCH --open-mode=append' \
    "#SBATCH --output=$T/work/logs/%j_0_log.out" \
    '#SBATCH --partition=cpu' \
    '#SBATCH --signal=USR2@90' \
    '#SBATCH --time=5' \
    '#SBATCH --wckey=submitit' \
    '' '# command' 'export SUBMITIT_EXECUTOR=slurm' \
    'echo "submitit job $SLURM_JOB_ID gpus=$CUDA_VISIBLE_DEVICES ntasks=$SLURM_NTASKS"' \
    'echo "to stderr" >&2'
run sbatch submitit.sh
like "$OUT" 'job ([0-9]+)' "submitit: sbatch output matches 'job (\\d+)'"
is "$ERR" "" "submitit: nothing on stderr"
s=${OUT##* }
wait_done "$s"
run sacct -o JobID,State,NodeList --parsable2 -j "$s"
is "$OUT" "JobID|State|NodeList
$s|COMPLETED|$HOST
$s.batch|COMPLETED|$HOST" "submitit: sacct --parsable2 polling sees COMPLETED"
# (Whether --exclusive also grants every GPU is not pinned down by the
# reference; the device list must be Slurm's comma list either way.)
like "$(cat "logs/${s}_0_log.out" 2>/dev/null)" \
    "^submitit job $s gpus=[0-9](,[0-9])* ntasks=1\$" \
    "submitit: --output with %j, GPUs as a comma list, SLURM_NTASKS=1"
is "$(cat "logs/${s}_0_log.err" 2>/dev/null)" "to stderr" "submitit: --error with %j"
run sacct -n -X -P -o AllocCPUS,Timelimit,ReqMem,WCKey,Comment -j "$s"
is "$OUT" "2|00:05:00|1G|submitit|from-submitit" \
    "submitit: --exclusive takes the whole node; time, mem, wckey, comment kept"

# a submitit job that is signalled (USR2 to the batch shell, as for
# preemption) and then cancelled
script sig.sh '#!/bin/bash' \
    "trap 'echo got USR2' USR2" 'echo ready' \
    'for i in $(seq 1 1500); do sleep 0.02; done'
submit -o sig.out sig.sh; g=$JOB
wait_for 10 file_has sig.out ready
run scancel "$g" --signal USR2
is "$RC/$ERR" "0/" "submitit: 'scancel ID --signal USR2' (option after the id)"
is "$(job_state "$g")" RUNNING "…signals without killing"
run scancel -b --signal=SIGUSR2 "$g"
wait_for 10 file_has sig.out "got USR2"
ok "scancel -b --signal=SIGUSR2 (SIG prefix) reaches the batch shell" \
    file_has sig.out "got USR2"
run scancel "$g"
wait_state "$g" CANCELLED
run sacct -P -n --format=JobID,State -j "$g"
is "$(head -n 1 <<<"$OUT")" "$g|CANCELLED by $MY_UID" "submitit: sees 'CANCELLED by <uid>'"

# --- dask-jobqueue ------------------------------------------------------------
tmp=$(mktemp "$T/work/tmpXXXXXX.sh")
cat >"$tmp" <<'EOF'
#!/usr/bin/env bash

#SBATCH -J dask-worker
#SBATCH -n 1
#SBATCH --cpus-per-task=1
#SBATCH --mem=954M
#SBATCH -t 00:30:00

echo "dask worker $SLURM_JOB_ID name=$SLURM_JOB_NAME mem=$SLURM_MEM_PER_NODE"
for i in $(seq 1 3000); do [ -e stop_dask ] && exit 0; sleep 0.02; done
EOF
run sbatch "$tmp"
rm -f "$tmp"
like "$OUT" '^Submitted batch job [0-9]+$' "dask: sbatch of a temp script"
d=${OUT##* }
wait_state "$d" RUNNING
wait_for 10 file_nonempty "slurm-$d.out"
is "$(cat "slurm-$d.out")" "dask worker $d name=dask-worker mem=954" \
    "dask: the deleted script runs with its #SBATCH options"
run scancel "$d"
is "$RC/$ERR" "0/" "dask: scancel on close"
wait_state "$d" CANCELLED
is "$(job_state "$d")" CANCELLED "dask: the worker job is cancelled"

# --- Snakemake 7 ------------------------------------------------------------------
mkdir -p .snakemake/slurm_logs/rule_a
run sbatch --job-name 3f1c0b6e-uuid --output ".snakemake/slurm_logs/rule_a/%j.log" \
    --export=ALL -p cpu --mem 100 --cpus-per-task=1 -D "$T/work" \
    --wrap="echo snakemake rule a"
n=$(printf '%s %s' "$OUT" "$ERR" | awk '{ t = $NF } END { print t }')
like "$n" '^[0-9]+$' "snakemake: the last token of stdout+stderr is the id"
wait_done "$n"
run sacct -P -n --format=JobIdRaw,State -j "$n"
is "$OUT" "$n|COMPLETED
$n.batch|COMPLETED" "snakemake: sacct -P -n --format=JobIdRaw,State -j ID"
run scontrol show jobid -dd "$n"
ok "snakemake: scontrol show jobid -dd shows JobState=COMPLETED" \
    grep -q 'JobState=COMPLETED' "$T/.out"
is "$(cat ".snakemake/slurm_logs/rule_a/$n.log" 2>/dev/null)" "snakemake rule a" \
    "snakemake: the log lands in its subdirectory"

# --- Parsl ---------------------------------------------------------------------
run sacct -X
is "$RC" 0 "parsl: the 'sacct -X' probe exits 0"
mkdir -p runinfo
script parsl.submit '#!/bin/bash' \
    '#SBATCH --job-name=parsl.slurm.1700000000.1' \
    "#SBATCH --output=$T/work/runinfo/parsl.stdout" \
    "#SBATCH --error=$T/work/runinfo/parsl.stderr" \
    '#SBATCH --nodes=1' \
    '#SBATCH --time=10' \
    '#SBATCH --ntasks-per-node=1' \
    '' 'echo parsl block started' \
    'for i in $(seq 1 3000); do [ -e stop_parsl ] && exit 0; sleep 0.02; done'
run sbatch parsl.submit
like "$OUT" '^Submitted batch job [0-9]+$' "parsl: re.match('Submitted batch job (\\S*)')"
p1=${OUT##* }
submit -o /dev/null --wrap=true; p2=$JOB
wait_state "$p1" RUNNING
wait_done "$p2"
run squeue --noheader --format='%i %t' --job "$p1"
is "$OUT" "$p1 R" "parsl: squeue --noheader --format='%i %t' --job ID"
run squeue -h -j "$p1" -o %T
is "$OUT" RUNNING "squeue -h -j ID -o %T"
run sacct -X --noheader --format=jobid,state%20 --job "$p1,$p2"
is "$OUT" "$(printf '%-12s %20s \n%-12s %20s ' "$p1" RUNNING "$p2" COMPLETED)" \
    "parsl: sacct -X --noheader --format=jobid,state%20 --job 'a,b'"
touch stop_parsl
wait_done "$p1"
is "$(cat runinfo/parsl.stdout 2>/dev/null)" "parsl block started" "parsl: its --output file"
run sinfo -h -o %P
is "$OUT" "cpu*
debug" "sinfo -h -o %P lists the partitions, * on the default"

done_testing
