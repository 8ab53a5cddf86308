#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sinfo (default, -N, -l, -s, -o with %P %a %l %D %t %N %C, -h -o %P)
#   idle and busy; scontrol show job / show jobid -dd (JobState=), show
#   node, show partition, show config, ping; unknown job; a partition's
#   DefaultTime applied to jobs without -t; cut %P and %N columns.
# Slurm behaviour copied (slurm-reference 00_info, 40_scontrol, 70_sinfo_busy,
#   10_sbatch_plain): the reference cluster's two partitions, cpu (Default)
#   and debug (MaxTime=30:00 DefaultTime=10:00); node states idle -> mix;
#   CPUS(A/I/O/T); "scontrol show job" field layout; "Slurmctld(primary) at
#   <host> is UP".  Machine-dependent values (times, load, free memory,
#   kernel, version) are masked.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# --- sinfo, idle --------------------------------------------------------------
sinfo_row() { printf '%-9s %5s %10s %6s %6s %s' "$@"; }
run sinfo
is "$RC/$ERR" "0/" "sinfo exits 0, nothing on stderr"
is "$OUT" "$(sinfo_row PARTITION AVAIL TIMELIMIT NODES STATE NODELIST)
$(sinfo_row 'cpu*' up infinite 1 idle "$HOST")
$(sinfo_row debug up 30:00 1 idle "$HOST")" "sinfo: both partitions, cpu* default, idle"

nrow() { printf '%-9s %6s %9s %-6s' "$@"; }
run sinfo -N
is "$OUT" "$(nrow NODELIST NODES PARTITION STATE)
$(nrow "$HOST" 1 'cpu*' idle)
$(nrow "$HOST" 1 debug idle)" "sinfo -N: one line per node and partition"

run sinfo -l
like "$(head -n 1 <<<"$OUT")" \
    '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$' \
    "sinfo -l starts with the date"
lrow() { printf '%-9s %5s %10s %10s %4s %8s %10s %6s %11s %s' "$@"; }
is "$(tail -n +2 <<<"$OUT")" "$(lrow PARTITION AVAIL TIMELIMIT JOB_SIZE ROOT OVERSUBS GROUPS NODES STATE NODELIST)
$(lrow 'cpu*' up infinite 1-infinite no NO all 1 idle "$HOST")
$(lrow debug up 30:00 1-infinite no NO all 1 idle "$HOST")" "sinfo -l"

run sinfo -o '%P %a %l %D %t %N'
is "$OUT" "PARTITION AVAIL TIMELIMIT NODES STATE NODELIST
cpu* up infinite 1 idle $HOST
debug up 30:00 1 idle $HOST" "sinfo -o '%P %a %l %D %t %N'"

run sinfo -s
srow() { printf '%-9s %5s %10s %16s %s' "$@"; }
is "$OUT" "$(srow PARTITION AVAIL TIMELIMIT 'NODES(A/I/O/T)' NODELIST)
$(srow 'cpu*' up infinite 0/1/0/1 "$HOST")
$(srow debug up 30:00 0/1/0/1 "$HOST")" "sinfo -s"

run sinfo -h -o %P
is "$OUT" "cpu*
debug" "sinfo -h -o %P (what CLIENTS.md tools parse)"

# Unknown -O names: reported, left out; none left: empty lines (Slurm).
run sinfo -O Partition:10,BadField
is "$RC/$OUT/$ERR" "0/PARTITION 
cpu*      
debug     /sinfo: error: Invalid job format specification: BadField" \
    "sinfo -O with an unknown name: error, the rest printed, exit 0"
run sinfo -O BadField
is "$RC/$(od -An -c "$T/.out" | tr -d ' ')/$ERR" \
    '0/\n\n/sinfo: error: Invalid job format specification: BadField' \
    "sinfo -O with no known name: two empty lines, exit 0 (no crash)"

run sinfo -t bogus
is "$RC/$OUT/$ERR" '1//sinfo: error: Bad state string: "bogus"
sinfo: error: valid states: unknown,down,idle,allocated,?,mixed,future,drain,drained,draining,no_respond,reserved,perfctrs,cloud,completing,powering_down,powered_down,power_down,powering_up,fail,maint,reboot,reboot^,unknown' \
    "sinfo -t bogus: real sinfo 22.05's two lines, exit 1"

run sinfo -N -h -o '%N %c %m %G %t'
is "$OUT" "$HOST 2 20000 gpu:2 idle
$HOST 2 20000 gpu:2 idle" "sinfo -N -o '%N %c %m %G %t'"

# --- scontrol: idle node, partitions, config, ping ------------------------------
run scontrol show node "$HOST"
is_masked "$OUT" "NodeName=$HOST Arch=$(uname -m) CoresPerSocket=2 
   CPUAlloc=0 CPUEfctv=2 CPUTot=2 CPULoad=@@
   AvailableFeatures=(null)
   ActiveFeatures=(null)
   Gres=gpu:2
   NodeAddr=$HOST NodeHostName=$HOST Version=@@
   OS=@@@
   RealMemory=20000 AllocMem=0 FreeMem=@@ Sockets=1 Boards=1
   State=IDLE ThreadsPerCore=1 TmpDisk=0 Weight=1 Owner=N/A MCS_label=N/A
   Partitions=cpu,debug 
   BootTime=@@ SlurmdStartTime=@@
   LastBusyTime=@@
   CfgTRES=cpu=2,mem=20000M,billing=2,gres/gpu=2
   AllocTRES=
   CapWatts=n/a
   CurrentWatts=0 AveWatts=0
   ExtSensorsJoules=n/s ExtSensorsWatts=0 ExtSensorsTemp=n/s" "scontrol show node (idle)"

part_text() {	# NAME DEFAULT DEFAULTTIME MAXTIME
	cat <<EOF
PartitionName=$1
   AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL
   AllocNodes=ALL Default=$2 QoS=N/A
   DefaultTime=$3 DisableRootJobs=NO ExclusiveUser=NO GraceTime=0 Hidden=NO
   MaxNodes=UNLIMITED MaxTime=$4 MinNodes=0 LLN=NO MaxCPUsPerNode=UNLIMITED
   Nodes=$HOST
   PriorityJobFactor=1 PriorityTier=1 RootOnly=NO ReqResv=NO OverSubscribe=NO
   OverTimeLimit=NONE PreemptMode=OFF
   State=UP TotalCPUs=2 TotalNodes=1 SelectTypeParameters=NONE
   JobDefaults=(null)
   DefMemPerNode=UNLIMITED MaxMemPerNode=UNLIMITED
   TRES=cpu=2,mem=20000M,node=1,billing=2,gres/gpu=2
EOF
}
run scontrol show partition cpu
is "$OUT" "$(part_text cpu YES NONE UNLIMITED)" "scontrol show partition cpu"
run scontrol show partition debug
is "$OUT" "$(part_text debug NO 00:10:00 00:30:00)" "scontrol show partition debug"
run scontrol show partition
is "$OUT" "$(part_text cpu YES NONE UNLIMITED)

$(part_text debug NO 00:10:00 00:30:00)" "scontrol show partition: both, blank line between"

run scontrol show config
is "$RC" 0 "scontrol show config exits 0"
like "$(head -n 1 <<<"$OUT")" '^Configuration data as of [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}$' \
    "show config: first line"
cfg() { printf '%-23s = %s' "$1" "$2"; }
for kv in "ClusterName|ref" "DefMemPerCPU|1000" "KillWait|2 sec" "MinJobAge|300 sec"; do
	ok "show config has '$(cfg "${kv%%|*}" "${kv#*|}")'" \
	    has_line "$OUT" "$(cfg "${kv%%|*}" "${kv#*|}")"
done
ok "show config: BOOT_TIME is a date, as Slurm prints it" \
    grep -qE '^BOOT_TIME {15}= [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$' "$T/.out"
is "$(tail -n 1 <<<"$OUT")" "Slurmctld(primary) at $HOST is UP" "show config ends with the ping line"

run scontrol ping
is "$RC/$OUT" "0/Slurmctld(primary) at $HOST is UP" "scontrol ping"

# --- a running job --------------------------------------------------------------
hold='for i in $(seq 1 3000); do [ -e release ] && exit 0; sleep 0.02; done; exit 1'
submit --wrap="$hold"; j=$JOB
wait_state "$j" RUNNING
run scontrol show job "$j"
is_masked "$OUT" "JobId=$j JobName=wrap
   UserId=$ME($MY_UID) GroupId=$(id -gn)($MY_GID) MCS_label=N/A
   Priority=@@ Nice=0 Account=@@ QOS=normal
   JobState=RUNNING Reason=None Dependency=(null)
   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0
   RunTime=@@ TimeLimit=UNLIMITED TimeMin=N/A
   SubmitTime=@@ EligibleTime=@@
   AccrueTime=@@
   StartTime=@@ EndTime=Unknown Deadline=N/A
   SuspendTime=None SecsPreSuspend=0 LastSchedEval=@@ Scheduler=Main
   Partition=cpu AllocNode:Sid=@@
   ReqNodeList=(null) ExcNodeList=(null)
   NodeList=$HOST
   BatchHost=$HOST
   NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:*
   TRES=cpu=1,mem=1000M,node=1,billing=1
   Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=*
   MinCPUsNode=1 MinMemoryCPU=1000M MinTmpDiskNode=0
   Features=(null) DelayBoot=00:00:00
   OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null)
   Command=(null)
   WorkDir=$T/work
   StdErr=$T/work/slurm-$j.out
   StdIn=/dev/null
   StdOut=$T/work/slurm-$j.out
   Power=
   " "scontrol show job (running --wrap job)"

run scontrol -o show job "$j"
like "$OUT" "^JobId=$j JobName=wrap UserId=.* JobState=RUNNING Reason=None .* Power= ?$" \
    "scontrol -o show job: one line"

# busy node
run sinfo
is "$OUT" "$(sinfo_row PARTITION AVAIL TIMELIMIT NODES STATE NODELIST)
$(sinfo_row 'cpu*' up infinite 1 mix "$HOST")
$(sinfo_row debug up 30:00 1 mix "$HOST")" "sinfo with one 1-CPU job: mix"
run sinfo -o '%P %a %l %D %t %N %C'
is "$OUT" "PARTITION AVAIL TIMELIMIT NODES STATE NODELIST CPUS(A/I/O/T)
cpu* up infinite 1 mix $HOST 1/1/0/2
debug up 30:00 1 mix $HOST 1/1/0/2" "sinfo %C: 1/1/0/2"
run scontrol show node "$HOST"
ok "show node: CPUAlloc=1" grep -q '^   CPUAlloc=1 CPUEfctv=2 CPUTot=2 ' "$T/.out"
ok "show node: AllocMem=1000" grep -qE '^   RealMemory=20000 AllocMem=1000 ' "$T/.out"
ok "show node: State=MIXED" grep -q '^   State=MIXED ' "$T/.out"
ok "show node: AllocTRES=cpu=1,mem=1000M" grep -qx '   AllocTRES=cpu=1,mem=1000M' "$T/.out"

touch release
wait_done "$j"
run scontrol show jobid -dd "$j"
ok "scontrol show jobid -dd: JobState=COMPLETED (snakemake)" \
    grep -q '^   JobState=COMPLETED Reason=None ' "$T/.out"
ok "scontrol show jobid -dd: DerivedExitCode line" \
    grep -qx '   DerivedExitCode=0:0' "$T/.out"
run scontrol show job abc
is "$RC/$OUT/$ERR" "1//scontrol_print_job error: Invalid job id specified" \
    "scontrol show job abc (real Slurm's words)"
run scontrol show job 999999
is "$RC/$OUT/$ERR" "1//slurm_load_jobs error: Invalid job id specified" \
    "scontrol show job 999999"

# --- partition defaults -----------------------------------------------------------
submit -p debug -o /dev/null --hold --wrap=true; d=$JOB
run squeue -h -j "$d" -o '%P %l'
is "$OUT" "debug 10:00" "a job in debug without -t gets DefaultTime=10:00"
run scancel "$d"

# Cut columns as real sinfo 22.05 cuts them: the default partition keeps
# its '*' ("cp*" in 3 columns, "*" in 1), node lists and the NODELIST
# header are printed whole.
run sinfo -o '%.3P|%.2N|%2P|%.1P|%.8N'
is "$OUT" "PAR|NODELIST|PA|P|NODELIST
cp*|$(printf '%2s' "$HOST")|c*|*|$(printf '%8s' "$HOST")
deb|$(printf '%2s' "$HOST")|de|d|$(printf '%8s' "$HOST")" \
    "sinfo -o: the default partition's '*' survives a cut; node lists are not cut"

# NtasksPerN:B:S:C shows --ntasks-per-node as given (0 without it, even
# with -n and -N), as real Slurm 22.05.8 does (checked).
for o in "--ntasks-per-node=2|2" "-n 2 -N 1|0" "--ntasks-per-node=1 -c 2|1"; do
	submit -o /dev/null --hold ${o%|*} --wrap=true; t=$JOB
	run scontrol show job "$t"
	like "$OUT" "Socks/Node=\* NtasksPerN:B:S:C=${o#*|}:0:\*:\* CoreSpec=\*" \
	    "scontrol show job ${o%|*}: NtasksPerN:B:S:C=${o#*|}:0:*:*"
	run scancel "$t"
done

# A pending job's NumNodes is its -N as given: a range once there is a
# maximum, so -N 1 is "1-1"; without -N just the count (real Slurm
# 22.05.8, checked: -N 1, -N 1-1, -N 1 -n 2 -> 1-1; -N 1-2 -> 1-2; none
# -> 1).  Once it runs, the nodes it has.
for o in "-N 1|1-1" "-N 1-1|1-1" "-N 1 -n 2|1-1" "-N 1-2|1-2" "-n 2|1"; do
	submit -o /dev/null --hold ${o%|*} --wrap=true; t=$JOB
	run scontrol show job "$t"
	like "$OUT" " NumNodes=${o#*|} NumCPUs=" \
	    "scontrol show job of a pending ${o%|*} job: NumNodes=${o#*|}"
	[ "${o%|*}" = "-N 1" ] && n1=$t || run scancel "$t"
done
run scontrol release "$n1"
wait_state "$n1" COMPLETED
run scontrol show job "$n1"
like "$OUT" " NumNodes=1 NumCPUs=" "…and NumNodes=1 once it has run"

done_testing
