#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the table of options sbatch, salloc and srun print with -v
#   (from the command line, input environment variables and #SBATCH
#   lines), and its value formats.
# Slurm behaviour copied (checked on real Slurm 22.05.8): at -v each of
#   sbatch, salloc and srun prints "TOOL: defined options", a dashed
#   line, "TOOL: %-20s: value" for each option given in alphabetical
#   order, the dashed line and "TOOL: end of defined options" on stderr
#   before submitting (then lines about plugins loading, which berth has
#   not); e.g. `salloc -v -N1 -n2 -J myname -t 5 --mem=100 --gpus=tesla:1
#   true` lists gpus tesla:1, job-name myname, mem 100, nodes 1, ntasks 2,
#   time 00:05:00, verbose 1; -t 1-02:03:04 shows 1-02:04:00, --mem=2G
#   2G, flags "set", --gres=gpu:1 "gres:gpu:1", --exclusive "exclusive",
#   --requeue "requeue", --open-mode=append "a", sbatch's -o relative
#   path made absolute, SBATCH_PARTITION and #SBATCH lines listed too.
#   -v with -Q: "TOOL: error: don't specify both --verbose (-v) and
#   --quiet (-Q)", exit 1, for sbatch, salloc and srun.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

head='defined options
-------------------- --------------------'
tail='-------------------- --------------------
end of defined options'
table() {	# table TOOL LINE...: the expected table
	local tool=$1 l
	shift
	while IFS= read -r l; do printf '%s: %s\n' "$tool" "$l"; done \
	    <<<"$head"$'\n'"$(printf '%s\n' "$@")"$'\n'"$tail"
}

run salloc -v true
like "$RC/$ERR" "^0/$(table salloc 'verbose             : 1')
salloc: Granted job allocation [0-9]+
salloc: Relinquishing job allocation [0-9]+$" \
    "salloc -v: the table, then the allocation"

run salloc -v -N1 -n2 -J myname -t 5 --mem=100 --gpus=1 true
is "$RC/$(head -n 11 <<<"$ERR")" "0/$(table salloc \
    'gpus                : 1' 'job-name            : myname' \
    'mem                 : 100' 'nodes               : 1' \
    'ntasks              : 2' 'time                : 00:05:00' \
    'verbose             : 1')" "salloc -v with options: sorted by name"

run salloc -vv -c 1 --mem-per-cpu=1G --gres=gpu:1 --exclusive -d singleton \
    --nice=5 -k -t 1-02:03:04 --time-min=10 --signal=USR1@30 -O --no-shell
like "$ERR" "^$(table salloc 'cpus-per-task       : 1' \
    'dependency          : singleton' 'exclusive           : exclusive' \
    'gres                : gres:gpu:1' 'mem-per-cpu         : 1G' \
    'nice                : 5' 'no-kill             : set' \
    'no-shell            : set' 'overcommit          : set' \
    'signal              : USR1@30' 'time                : 1-02:04:00' \
    'time-min            : 00:10:00' 'verbose             : 2')" \
    "salloc -vv: the value formats"
run scancel -u "$(id -un)"

printf '#!/bin/sh\n#SBATCH -J fromdirective\n#SBATCH --comment=c\ntrue\n' >dir.sh
run env SBATCH_PARTITION=cpu sbatch -v -N 1-1 -t 5 --gpus=2 -o o.txt \
    --open-mode=append --requeue --parsable dir.sh
is "$RC/$ERR" "0/$(table sbatch 'comment             : c' \
    'gpus                : 2' 'job-name            : fromdirective' \
    'nodes               : 1' 'open-mode           : a' \
    "output              : $PWD/o.txt" 'parsable            : set' \
    'partition           : cpu' 'requeue             : requeue' \
    'time                : 00:05:00' 'verbose             : 1')" \
    "sbatch -v: command line, environment and #SBATCH lines"
like "$OUT" '^[0-9]+$' "…and the job id after it"

run srun -v -l -u -n1 --mem=2G --cpu-bind=none -K true
like "$ERR" "^$(table srun 'cpu-bind            : \(null\)' \
    'kill-on-bad-exit    : 1' 'label               : set' \
    'mem                 : 2G' 'ntasks              : 1' \
    'unbuffered          : set' 'verbose             : 1')
srun: jobid " "srun -v: the table before the launch lines"

run sbatch --wrap=true
is "$RC/$ERR" "0/" "no table without -v"

run sbatch -v -Q --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: don't specify both --verbose (-v) and --quiet (-Q)" \
    "sbatch -v -Q: Slurm's error, exit 1"
for t in salloc srun; do
	run $t -v -Q true
	is "$RC/$OUT/$ERR" "1//$t: error: don't specify both --verbose (-v) and --quiet (-Q)" \
	    "$t -v -Q: Slurm's error, exit 1"
done

done_testing
