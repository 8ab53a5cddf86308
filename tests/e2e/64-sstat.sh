#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sstat on a batch job running srun steps that hold memory and
#   burn CPU: the default (lowest numbered step) row and Slurm's default
#   header, -j ID.STEP, -a (ID.batch and every step), -o with
#   -P/-p/-n and %N widths, MaxRSS/AveCPU/NTasks/MaxRSSTask/Nodelist
#   values, -i (pids), a job running no step (header only), ID.batch,
#   --noconvert, -e, and the errors: no job given, an invalid field, a bad
#   step, a step that is not running, an unknown job, a finished job.
# Slurm behaviour copied (sstat 22.05 sstat.c/options.c/print.c; widths
#   and units as 50_sacct's step rows).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

cat >burn.py <<'PY'
import os, time
b = bytearray(64 * 1024 * 1024)
for i in range(0, len(b), 4096):
    b[i] = 1
t0 = time.process_time()
while time.process_time() - t0 < 1.2:
    pass
open("ready.burn", "w").close()
while not os.path.exists("stop"):
    time.sleep(0.05)
PY
cat >wait.py <<'PY'
import os, time
open("ready." + os.environ["SLURM_PROCID"], "w").close()
while not os.path.exists("stop"):
    time.sleep(0.05)
PY
cat >steps.sh <<'SCRIPT'
#!/bin/bash
srun -n 1 --exact python3 burn.py &
while [ ! -e ready.burn ]; do sleep 0.1; done
srun -n 2 --overlap python3 wait.py &
wait
SCRIPT
submit -n 2 -o steps.out steps.sh
id=$JOB
ok "the steps are running" wait_for 30 test -e ready.burn -a -e ready.0 \
    -a -e ready.1

# --- the default: the lowest numbered running step ----------------------
run sstat -j "$id"
is "$RC" 0 "sstat -j ID exits 0"
want="JobID         MaxVMSize  MaxVMSizeNode  MaxVMSizeTask  AveVMSize     MaxRSS MaxRSSNode MaxRSSTask     AveRSS MaxPages "
line=$(sed -n 1p <<<"$OUT")
is "${line:0:${#want}}" "$want" "Slurm's default header"
want="------------ ---------- -------------- -------------- ---------- "
line=$(sed -n 2p <<<"$OUT")
is "${line:0:${#want}}" "$want" "dashes under the header"
is "$(wc -l <<<"$OUT")" 3 "one row"
like "$(sed -n 3p <<<"$OUT")" "^$id\\.0 +[0-9.]+[KMG] +$HOST +0 " \
    "the row is step 0, with MaxVMSize, its node and task"
is "$(sed -n 1p <<<"$OUT" | wc -c)" "$(sed -n 3p <<<"$OUT" | wc -c)" \
    "row and header have the same width"

# --- -o, -P, -n: the burning step ------------------------------------------
run sstat -j "$id.0" -o JobID,MaxRSS,AveCPU,NTasks,MaxRSSTask -P -n
row=$OUT
like "$row" "^$id\\.0\\|[0-9.]+[KMG]\\|00:00:0[1-9]\\|1\\|0$" \
    "-P -n: JobID, MaxRSS, AveCPU, NTasks, MaxRSSTask"
rss=$(cut -d'|' -f2 <<<"$row")
case $rss in
*K) kb=${rss%K} ;;
*M) kb=$(awk -v v="${rss%M}" 'BEGIN { printf "%d", v * 1024 }') ;;
*G) kb=$(awk -v v="${rss%G}" 'BEGIN { printf "%d", v * 1048576 }') ;;
*) kb=0 ;;
esac
ok "MaxRSS counts the 64 MB the task touched ($rss)" test "${kb%.*}" -ge 65536
run sstat -j "$id.0" -o JobID,TRESUsageInMax -P -n
like "$OUT" "^$id\\.0\\|cpu=00:00:0[1-9],energy=0,fs/disk=[0-9.]+[KMG]?,mem=[0-9.]+[KMG],pages=[0-9.]+[KMG]?,vmem=[0-9.]+[KMG]$" \
    "TRESUsageInMax lists cpu, energy, fs/disk, mem, pages, vmem"
run sstat -j "$id.0" -o JobID,TRESUsageInMaxNode,TRESUsageInMaxTask,TRESUsageOutMaxTask -P -n
is "$OUT" "$id.0|cpu=$HOST,energy=$HOST,fs/disk=$HOST,mem=$HOST,pages=$HOST,vmem=$HOST|cpu=00:00:00,fs/disk=0,mem=0,pages=0,vmem=0|fs/disk=0" \
    "the node and task TRES strings"
run sstat -j "$id.0" -o MaxRSS --noconvert -P -n
like "$OUT" "^[0-9]+$" "--noconvert prints bytes"

# --- -a: ID.batch first, then every step ----------------------------------
run sstat -a -j "$id" -o JobID,NTasks -P -n
is "$OUT" "$id.batch|1
$id.0|1
$id.1|2" "-a: the batch step and both steps with their task counts"
run sstat -j "$id.1" -o JobID,NTasks,Nodelist,AveCPUFreq%12 -p
like "$OUT" "^JobID\\|NTasks\\|Nodelist\\|AveCPUFreq\\|
$id\\.1\\|2\\|$HOST\\|[0-9.]+[KMG]?\\|$" "-p: a '|' after every field"
run sstat -j "$id.1" -o JobID%-8,NTasks%3
is "$OUT" "JobID    NTa 
-------- --- 
$id.1        2 " "%N widths: negative left-justified, positive right, cut"
run sstat -j "$id.batch" -o JobID,AveCPU,ReqCPUFreqMin,ReqCPUFreq -P -n
is "$OUT" "$id.batch|00:00:00|0|0" "ID.batch"
run sstat -j "$id.0" -o ReqCPUFreqMin,ConsumedEnergy -P -n
is "$OUT" "Unknown|0" "a step: ReqCPUFreqMin Unknown, ConsumedEnergy 0"

# --- -i: the pids ----------------------------------------------------------
run sstat -i -j "$id.1" -n -P
like "$OUT" "^$id\\.1\\|$HOST\\|[0-9]+(,[0-9]+)+$" "-i: JobID, Nodelist, Pids"
pids=$(cut -d'|' -f3 <<<"$OUT")
all=1
n=0
for p in ${pids//,/ }; do
	tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
	    grep -qx SLURM_STEP_ID=1 || all=0
	n=$((n + 1))
done
is "$all:$n" 1:2 "the pids are step 1's two tasks"
run sstat -j "$id.batch" -i -o NTasks -P -n
like "$OUT" "^$id\\.batch\\|$HOST\\|[0-9,]+\\|0$" \
    "-i with -o: usage fields are empty, NTasks 0"

# --- errors ----------------------------------------------------------------
run sstat -j "$id.7" -o JobID
is "$RC:$OUT" "0:JobID        
------------ " "a step that is not running: header only, exit 0"
is "$ERR" "sstat: error: StepId=$id.7 not found running." \
    "... and Slurm's message"
run sstat -j 99999 -n
is "$RC:$OUT:$ERR" "0::sstat: error: couldn't get steps for job 99999" \
    "an unknown job"
run sstat
is "$RC:$ERR" "1:sstat: error: You didn't give me any jobs to stat." \
    "no job given"
run sstat -j "$id" -o JobID,NoSuchField
is "$RC:$OUT:$ERR" "1::sstat: error: Invalid field requested: \"NoSuchField\"" \
    "an invalid field"
run sstat -j "$id.x"
is "$RC:$ERR" "1:sstat: fatal: Bad step specified: $id" "a bad step"
run sstat -e
is "$(head -n 1 <<<"$OUT")" "AveCPU              AveCPUFreq          AveDiskRead         AveDiskWrite       " \
    "-e: four names a line"
is "$(sed -n '8,9p' <<<"$OUT")" "Nodelist            NTasks              Pids                ReqCPUFreq         
ReqCPUFreqMin       ReqCPUFreqMax       ReqCPUFreqGov       TRESUsageInAve     " \
    "-e: in Slurm's order"
run sstat -n -P -o JobID "$id.0"
is "$OUT" "$id.0" "the job as an operand"
run sstat -n -P -o JobID -j "$id.0,$id.0" -j "$id.0"
is "$OUT" "$id.0" "a step given twice is shown once"

touch stop
wait_done "$id"
run sstat -j "$id" -n
is "$RC:$OUT:$ERR" "0::sstat: error: No steps running for job $id" \
    "a finished job: no steps running"

# --- srun outside an allocation: step 0 of an interactive job -----------
mkdir inter
(cd inter && exec srun -J inter python3 ../wait.py) </dev/null \
    >/dev/null 2>&1 &
srun_pid=$!
ok "the interactive step runs" wait_for 20 test -e inter/ready.0
id3=$(squeue -h -n inter -o %i)
run sstat -a -j "$id3" -o JobID,NTasks,Nodelist -P -n
is "$OUT" "$id3.0|1|$HOST" "srun's own allocation: step 0, no batch step"
run sstat -j "$id3.batch" -n
is "$ERR" "sstat: error: StepId=$id3.batch not found running." \
    "an interactive job has no batch step"
touch inter/stop
wait "$srun_pid"

# --- a batch job without steps ----------------------------------------------
submit -o plain.out --wrap='touch plain.ready; while [ ! -e stop2 ]; do sleep 0.1; done'
id2=$JOB
ok "the plain job runs" wait_for 20 test -e plain.ready
run sstat -j "$id2" -o JobID -P
is "$RC:$OUT:$ERR" "0:JobID:" "no step but the batch step: only the header"
run sstat -j "$id2.batch" -o JobID,NTasks,MaxRSS -P -n
like "$OUT" "^$id2\\.batch\\|1\\|[0-9.]+[KMG]$" "ID.batch of a job without steps"
touch stop2
wait_done "$id2"

done_testing
