#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: squeue -M/--clusters and sacct -M/-L with the daemon's own
#   ClusterName (any case, "all"), with names it does not have, and with
#   a mix of both.
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref"):
#   squeue -M ref prints "CLUSTER: ref" before the usual output (after
#   -l's date line; not with -h; before the jobs are asked for, so also
#   before "slurm_load_jobs error: ..."), -M REF and -M all the same;
#   -M nosuch,other prints "squeue: error: No cluster 'X' known by
#   database." per name, then "squeue: error: 'nosuch,other' can't be
#   reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr
#   list clusters' to see available clusters.", exit 1; -M ref,nosuch
#   the line for nosuch, then ref's output, exit 0.  sacct -M nosuch
#   prints the header and no row, exit 0; -M nosuch,ref ref's rows.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J held -H -o /dev/null --wrap=true; h=$JOB
submit -J done -o /dev/null --wrap=true; d=$JOB
wait_done "$d"

run squeue -M ref -o '%i %j'
is "$RC/$OUT/$ERR" "0/CLUSTER: ref
JOBID NAME
$h held/" "squeue -M ref: CLUSTER line, then the jobs"
run squeue --clusters=REF -h -o '%i'
is "$RC/$OUT/$ERR" "0/$h/" "--clusters, any case; -h drops the CLUSTER line"
run squeue -M all -s
is "$RC/$OUT" "0/CLUSTER: ref
         STEPID     NAME PARTITION     USER      TIME NODELIST" \
    "-M all, and with -s"
run squeue -M ref -l
like "$(head -n 3 <<<"$OUT")" $'^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}\nCLUSTER: ref\n +JOBID ' \
    "-l: the date line, then CLUSTER"
run squeue -M ref -j 999999
is "$RC/$OUT/$ERR" "1/CLUSTER: ref/slurm_load_jobs error: Invalid job id specified" \
    "CLUSTER comes before the jobs are asked for"
run squeue -M nosuch,other
is "$RC/$OUT/$ERR" "1//squeue: error: No cluster 'nosuch' known by database.
squeue: error: No cluster 'other' known by database.
squeue: error: 'nosuch,other' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." \
    "unknown clusters only: exit 1"
run squeue -M ref,nosuch -h -o '%i'
is "$RC/$OUT/$ERR" "0/$h/squeue: error: No cluster 'nosuch' known by database." \
    "a known and an unknown cluster: the line, then the jobs"

# An empty list names the cluster "" (no name at all: the list itself);
# its one unknown name once overran the list of them (ASan build).
run squeue -M ''
is "$RC/$OUT/$ERR" "1//squeue: error: No cluster '' known by database.
squeue: error: '' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." \
    "-M '': an unknown cluster"
run squeue -M ,
is "$RC/$OUT" "1/" "-M ,: no cluster either"

run sacct -M nosuch -X -o JobID,State
is "$RC/$OUT/$ERR" "0/JobID             State 
------------ ---------- /" "sacct -M unknown: the header, no row"
run sacct -M nosuch -n -X -o JobID
is "$RC/$OUT/$ERR" "0//" "and nothing with -n"
run sacct -M nosuch,REF -n -X -P -o JobID -j "$d"
is "$RC/$OUT/$ERR" "0/$d/" "sacct -M with the cluster's name (any case)"
run sacct -M nosuch -L -n -X -P -o JobID -j "$d"
is "$RC/$OUT/$ERR" "0/$d/" "-L: all clusters"

scancel "$h"
done_testing
