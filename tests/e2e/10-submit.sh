#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch FILE / --parsable / --wrap / -J, the default output file
#   slurm-N.out, a script deleted right after sbatch (dask-jobqueue),
#   #SBATCH directives (-J, -o with %j/%x, -c, --mem, -t), command line over
#   #SBATCH, SBATCH_* environment, --export=NONE/ALL/list, -D,
#   --open-mode=append, a script on stdin, -W exit code propagation,
#   --mem=0 and --mem-per-cpu=0.
# Slurm behaviour copied (slurm-reference 10_sbatch_plain, 11_sbatch_directives,
#   16_sbatch_export, 17_sbatch_chdir, 03_sbatch_wait): sbatch prints exactly
#   "Submitted batch job N\n" (or "N\n" with --parsable), reads the script at
#   submit time, output goes to <submit dir>/slurm-N.out; precedence is
#   command line > SBATCH_* environment > #SBATCH; -W returns the job's exit
#   code, or 1 when the job was killed by a signal.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- plain sbatch FILE: exact stdout, nothing on stderr --------------------
script job.sh '#!/bin/bash' 'echo "hello from $SLURM_JOB_ID on $(hostname -s)"'
run sbatch job.sh
id=${OUT##* }
is "$RC" 0 "sbatch job.sh exits 0"
like "$OUT" '^Submitted batch job [0-9]+$' "sbatch prints 'Submitted batch job N'"
is "$ERR" "" "sbatch prints nothing on stderr"
printf 'Submitted batch job %s\n' "$id" | cmp -s - "$T/.out"
is "$?" 0 "stdout is exactly one line with a newline"
wait_done "$id"
is "$(job_state "$id")" COMPLETED "job.sh completes"
ok "output goes to slurm-$id.out in the submit dir" test -f "slurm-$id.out"
is "$(cat "slurm-$id.out" 2>/dev/null)" "hello from $id on $HOST" \
    "slurm-$id.out holds the script's output"

# --- --parsable ------------------------------------------------------------
run sbatch --parsable job.sh
is "$RC" 0 "sbatch --parsable exits 0"
like "$OUT" '^[0-9]+$' "--parsable prints only the id"
pid=$OUT
isnt "$pid" "$id" "a new job gets a new id"
[[ $pid =~ ^[0-9]+$ ]] && [[ $id =~ ^[0-9]+$ ]] &&
    ok "job ids increase" test "$pid" -gt "$id"

# --- --wrap and the default job name "wrap" ---------------------------------
run sbatch --wrap='echo wrapped; hostname -s'
wid=${OUT##* }
like "$OUT" '^Submitted batch job [0-9]+$' "sbatch --wrap prints the id line"
wait_done "$wid"
is "$(cat "slurm-$wid.out" 2>/dev/null)" "wrapped
$HOST" "--wrap runs the command under a shell"
is "$(sacct -n -X -P -o JobName -j "$wid" 2>&1)" wrap "--wrap job is named wrap"
is "$(sacct -n -X -P -o JobName -j "$id" 2>&1)" job.sh \
    "a script job is named after the script"

# -J sets the name
submit -J named --wrap='echo named'
nid=$JOB
wait_done "$nid"
is "$(sacct -n -X -P -o JobName -j "$nid" 2>&1)" named "-J sets the job name"
is "$(cat "slurm-$nid.out" 2>/dev/null)" named "-J job output"

# --- the script is read at submit time (dask-jobqueue deletes it) ---------
script tmpjob.sh '#!/bin/bash' 'sleep 0.5' 'echo still-ran'
submit tmpjob.sh
rm -f tmpjob.sh
did=$JOB
wait_done "$did"
is "$(job_state "$did")" COMPLETED "a script deleted right after sbatch still runs"
is "$(cat "slurm-$did.out" 2>/dev/null)" still-ran "…and prints its output"

# --- #SBATCH directives ----------------------------------------------------
script directives.sh '#!/bin/bash' \
    '#SBATCH -J dirtest' \
    '#SBATCH -c 2' \
    '#SBATCH --mem=500M' \
    '#SBATCH -t 00:05:00' \
    '#SBATCH -o out_j%j_x%x.txt' \
    'echo "name=$SLURM_JOB_NAME cpus=$SLURM_CPUS_PER_TASK mem=$SLURM_MEM_PER_NODE"'
submit directives.sh
xid=$JOB
wait_done "$xid"
ok "#SBATCH -o with %j/%x names the output file" test -f "out_j${xid}_xdirtest.txt"
is "$(cat "out_j${xid}_xdirtest.txt" 2>/dev/null)" \
    "name=dirtest cpus=2 mem=500" "#SBATCH -J, -c and --mem reach the job"
run sacct -n -X -P -o JobName,AllocCPUS,Timelimit,ReqMem -j "$xid"
is "$OUT" "dirtest|2|00:05:00|500M" "sacct shows the #SBATCH name, cpus, limit, mem"

# command line overrides #SBATCH
submit -J cli_overrides -c 1 directives.sh
cid=$JOB
wait_done "$cid"
is "$(cat "out_j${cid}_xcli_overrides.txt" 2>/dev/null)" \
    "name=cli_overrides cpus=1 mem=500" "command line options override #SBATCH"

# SBATCH_* environment: over #SBATCH, under the command line
run env SBATCH_JOB_NAME=fromenv sbatch --parsable directives.sh
eid=$OUT
wait_done "$eid"
is "$(cat "out_j${eid}_xfromenv.txt" 2>/dev/null)" \
    "name=fromenv cpus=2 mem=500" "SBATCH_JOB_NAME overrides #SBATCH -J"
run env SBATCH_JOB_NAME=fromenv sbatch --parsable -J fromcli directives.sh
eid=$OUT
wait_done "$eid"
ok "the command line overrides SBATCH_JOB_NAME" \
    test -f "out_j${eid}_xfromcli.txt"

# %j %x in -o / -e, subdirectory relative to the submit dir
mkdir -p sub
submit -o 'sub/%x-%j.out' -e 'sub/%x-%j.err' -J split \
    --wrap='echo to-out; echo to-err >&2'
sid=$JOB
wait_done "$sid"
is "$(cat "sub/split-$sid.out" 2>/dev/null)" to-out "-o sub/%x-%j.out gets stdout"
is "$(cat "sub/split-$sid.err" 2>/dev/null)" to-err "-e sub/%x-%j.err gets stderr"

# --- --export --------------------------------------------------------------
w='echo MYVAR=$MYVAR FOO=$FOO HOME=$HOME'
run env MYVAR=hello sbatch --parsable -o exp_default.out --wrap="$w"
a=$OUT
run env MYVAR=hello sbatch --parsable -o exp_all.out --export=ALL,FOO=bar --wrap="$w"
b=$OUT
run env MYVAR=hello sbatch --parsable -o exp_none.out --export=NONE \
    --wrap="$w; env | grep -c ^SLURM_JOB_ID="
c=$OUT
run env MYVAR=hello sbatch --parsable -o exp_foo.out --export=FOO=bar --wrap="$w"
d=$OUT
for j in "$a" "$b" "$c" "$d"; do wait_done "$j"; done
is "$(cat exp_default.out 2>/dev/null)" "MYVAR=hello FOO= HOME=$HOME" \
    "by default the submitter's environment reaches the job"
is "$(cat exp_all.out 2>/dev/null)" "MYVAR=hello FOO=bar HOME=$HOME" \
    "--export=ALL,FOO=bar adds FOO"
# With NONE (or a list without ALL) Slurm loads the user's login
# environment, so HOME is the passwd home, not the submitter's $HOME.
pwhome=$(getent passwd "$ME" | cut -d: -f6)
is "$(cat exp_none.out 2>/dev/null)" "MYVAR= FOO= HOME=$pwhome
1" "--export=NONE drops MYVAR, HOME is the login home, SLURM_* are set"
is "$(cat exp_foo.out 2>/dev/null)" "MYVAR= FOO=bar HOME=$pwhome" \
    "--export=FOO=bar exports only FOO (and SLURM_*)"

# --- -D / --chdir ------------------------------------------------------------
mkdir -p "$T/work/cd"
submit -D "$T/work/cd" -o chdir.out --wrap='pwd; echo SUBMIT_DIR=$SLURM_SUBMIT_DIR'
j=$JOB
wait_done "$j"
is "$(cat "$T/work/cd/chdir.out" 2>/dev/null)" "$T/work/cd
SUBMIT_DIR=$T/work" "-D sets the working dir; relative -o resolves against it"
submit -D /nonexistent_dir --wrap=pwd
j=$JOB
wait_done "$j"
is "$(sacct -n -X -P -o State,ExitCode -j "$j" 2>&1)" "FAILED|0:53" \
    "-D /nonexistent_dir: the job fails with 0:53 (17_sbatch_chdir)"

# --- --open-mode=append ----------------------------------------------------
echo "previous line" >app.out
submit -o app.out --open-mode=append --wrap='echo appended'
j=$JOB
wait_done "$j"
is "$(cat app.out)" "previous line
appended" "--open-mode=append keeps the old content"
echo "previous line" >trunc.out
submit -o trunc.out --wrap='echo truncated'
j=$JOB
wait_done "$j"
is "$(cat trunc.out)" "truncated" "the default open mode truncates"

# --- script on stdin -----------------------------------------------------------
run_in '#!/bin/sh
echo from-stdin' sbatch --parsable
j=$OUT
is "$RC" 0 "sbatch reads a script from stdin"
if [[ $j =~ ^[0-9]+$ ]]; then
	wait_done "$j"
	is "$(cat "slurm-$j.out" 2>/dev/null)" from-stdin "the stdin script runs"
	is "$(sacct -n -X -P -o JobName -j "$j" 2>&1)" sbatch \
	    "a stdin script is named sbatch"
fi

# --- -W / --wait ---------------------------------------------------------------
run sbatch -W -o /dev/null --wrap='exit 3'
is "$RC" 3 "sbatch -W returns the job's exit code (exit 3 -> 3)"
like "$OUT" '^Submitted batch job [0-9]+$' "sbatch -W prints the id line first"
run sbatch -W -o /dev/null --wrap='exit 0'
is "$RC" 0 "sbatch -W: exit 0 -> 0"
run sbatch -W -o /dev/null --wrap='kill -9 $$'
is "$RC" 1 "sbatch -W: a job killed by a signal -> 1"
j=${OUT##* }
[[ $j =~ ^[0-9]+$ ]] && is "$(sacct -n -X -P -o State,ExitCode -j "$j" 2>&1)" \
    "FAILED|0:9" "the killed job is FAILED 0:9"

# --- --mem=0 and --mem-per-cpu=0: the whole node's memory ----------------
# (real 22.05: TRES=cpu=1,mem=20000M,node=1,billing=1 for either)
for m in --mem=0 --mem-per-cpu=0; do
	submit --hold "$m" -o /dev/null --wrap=true; z=$JOB
	is "$(scontrol show job "$z" | grep -o 'TRES=[^ ]*')" \
	    "TRES=cpu=1,mem=20000M,node=1,billing=1" "sbatch $m: all of the node's memory"
	scancel "$z"
done

done_testing
