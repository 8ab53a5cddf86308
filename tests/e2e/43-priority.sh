#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: PriorityType (basic by default, sprio refusing it), priority/
#   multifactor: each factor as sprio shows it (default view, -l, -n, -w,
#   -o, -h, -j, -u, -p), the same number in sprio, squeue %Q and
#   scontrol show job Priority=, the order jobs start in, fair share
#   charged from finished jobs (CPUs x elapsed) and kept across a daemon
#   restart, two real users, Nice, scontrol update Priority= and top
#   (a set priority is fixed), sbatch --priority (root: set and fixed;
#   others: ignored), a negative --nice (root: raises the priority;
#   others: "Invalid nice value"), held and not yet eligible jobs not
#   listed.
# Slurm behaviour copied (src/sprio/, priority_multifactor.c): default
#   columns are those with a non-zero weight; factors print weighted
#   ("%.0f") or with -n normalized ("%.7f"); a priority set explicitly
#   shows zero factors; with priority/basic sprio prints "You are not
#   running a supported priority plugin" and exits 1; -j of no pending
#   job prints "Unable to find jobs matching user/id(s) specified".
. "$(dirname "$0")/lib.sh"

waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }
show_field() { scontrol show job "$1" | grep -oE "(^| )$2=[^ ]*" | head -n 1 | sed 's/^ //'; }
# row ID...: sprio's default columns for these values
row() { printf '%15s %-9s %10s %10s %10s %10s %10s %10s\n' "$@"; }
HDR=$(row JOBID PARTITION PRIORITY SITE AGE FAIRSHARE JOBSIZE PARTITION)

# Users for the fair-share part, created before the daemon resolves names.
users=
U43A=berth43a$E2E_TAG U43B=berth43b$E2E_TAG
if can_add_users && add_user ${U43A} && add_user ${U43B}; then
	users=yes
fi

# --- priority/basic, the default -------------------------------------------
write_conf "NodeName=$HOST CPUs=2 RealMemory=20000" "KillWait=2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
start_daemon || done_testing
run sprio
is "$RC/$OUT/$ERR" "1//You are not running a supported priority plugin
(priority/basic).
Only 'priority/multifactor' is supported." \
    "priority/basic (the default): sprio refuses, as Slurm's"
run scontrol show config
like "$OUT" "PriorityType *= priority/basic" "show config: priority/basic"
submit -o /dev/null --begin=now+600 --wrap=true; b1=$JOB
submit -o /dev/null --begin=now+600 --nice=10 --wrap=true; b2=$JOB
is "$(squeue -h -j "$b1" -o %Q)" "$(( 4294901760 - b1 ))" \
    "basic: later jobs lower (0xffff0000 - id)"
is "$(show_field "$b2" Priority)/$(squeue -h -j "$b2" -o %Q)" \
    "Priority=$(( 4294901760 - b2 - 10 ))/$(( 4294901760 - b2 - 10 ))" \
    "basic: a nice lowers it; scontrol and squeue show the same number"
submit -o /dev/null --begin=now+600 --nice=-10 --wrap=true; bn=$JOB
is "$(squeue -h -j "$bn" -o %Q)" "$(( 4294901760 - bn + 10 ))" \
    "basic: root's negative nice raises it"
run scancel "$bn"
submit -o /dev/null --begin=now+600 --priority=5000 --wrap=true; b3=$JOB
is "$(show_field "$b3" Priority)/$(squeue -h -j "$b3" -o %Q)" \
    "Priority=5000/5000" "root: sbatch --priority=N sets the priority"
submit -o /dev/null --begin=now+600 --priority=top --wrap=true; b4=$JOB
is "$(squeue -h -j "$b4" -o %Q)" 4294967293 \
    "sbatch --priority=TOP: the highest a job gets (NO_VAL - 1, as sbatch sends)"
submit -o /dev/null --hold --priority=5000 --wrap=true; b5=$JOB
is "$(squeue -h -j "$b5" -o %Q)" 0 "sbatch --hold --priority=N: held, priority 0"
run scontrol release "$b5"
isnt "$(squeue -h -j "$b5" -o %Q)" 5000 "... released: the computed priority, not N"
run scancel "$b5"
if [ -z "$users" ]; then
	skip "an ordinary user's sbatch --priority" "needs root, useradd and setpriv"
else
	share_daemon
	run as_user ${U43A} sbatch --parsable -o /dev/null --begin=now+600 \
	    --priority=5000 --wrap=true
	b6=$OUT
	is "$RC/$ERR/$(squeue -h -j "$b6" -o %Q)" "0//$(( 4294901760 - b6 ))" \
	    "an ordinary user's --priority is ignored without a word (Slurm: operators only)"
	run scancel "$b6"
	run as_user ${U43A} sbatch -o /dev/null --begin=now+600 --nice=-10 \
	    --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Invalid nice value" \
	    "an ordinary user's negative --nice is refused"
fi
run scancel "$b1" "$b2" "$b3" "$b4"
stop_daemon

# --- priority/multifactor --------------------------------------------------
conf=("NodeName=$HOST CPUs=2 RealMemory=20000" "KillWait=2"
    "PriorityType=priority/multifactor" "PriorityWeightAge=1000"
    "PriorityWeightFairshare=10000" "PriorityWeightJobSize=100"
    "PriorityWeightPartition=1000"
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
    "PartitionName=high PriorityJobFactor=10 State=UP")
write_conf "${conf[@]}"
start_daemon || done_testing
run scontrol show config
like "$OUT" "PriorityType *= priority/multifactor" \
    "show config: priority/multifactor"
like "$OUT" "PriorityWeightFairShare *= 10000" "…and the weights"
like "$OUT" "PriorityMaxAge *= 7-00:00:00" "…PriorityMaxAge's default 7-0"

# (the blocker runs over a second: usage is CPUs x whole seconds)
submit -J block -o /dev/null --exclusive --wrap="sleep 1; $(waiter go1)"
B=$JOB
wait_state "$B" RUNNING
submit -o /dev/null -c 1 --wrap="$(waiter go9)"; X=$JOB
submit -o /dev/null -c 2 --wrap="$(waiter go3)"; Y=$JOB
submit -o /dev/null -c 2 -p high --wrap="$(waiter go2)"; Z=$JOB
submit -o /dev/null --hold --wrap=true; H=$JOB
submit -o /dev/null --begin=now+600 --wrap=true; L=$JOB

# No usage yet: fair share 1.  Job size (1 + cpus/2) / 2; partition
# PriorityJobFactor over the highest (1/10, 10/10); age 0 (seconds old).
run sprio
is "$OUT" "$HDR
$(row "$X" cpu 10175 0 0 10000 75 100)
$(row "$Y" cpu 10200 0 0 10000 100 100)
$(row "$Z" high 11100 0 0 10000 100 1000)" \
    "sprio: weighted factors; held and future jobs are not listed"
is "$(show_field "$X" Priority)/$(squeue -h -j "$X" -o %Q)" \
    "Priority=10175/10175" "scontrol and squeue show sprio's number"
run sprio -l
is "$(sed -n 1p <<<"$OUT")" \
    "$(printf '%15s %-9s %8s %10s %10s %10s %10s %10s %10s %10s %10s %11s %20s' \
    JOBID PARTITION USER PRIORITY SITE AGE ASSOC FAIRSHARE JOBSIZE \
    PARTITION QOS NICE TRES)" "sprio -l: header"
is "$(sed -n 4p <<<"$OUT")" \
    "$(printf '%15s %-9s %8s %10s %10s %10s %10s %10s %10s %10s %10s %11s %20s' \
    "$Z" high "$ME" 11100 0 0 0 10000 100 1000 0 0 "")" "sprio -l: a row"
run sprio -n -j "$Y"
is "$(sed -n 1p <<<"$OUT")" "$(printf '%15s %-9s %-10s %-10s %-10s %-10s %-10s' \
    JOBID PARTITION PRIORITY AGE FAIRSHARE JOBSIZE PARTITION)" \
    "sprio -n: header"
# (the age factor is a few seconds over 7 days: not 0 at "%.7f")
is "$(sed -n 2p <<<"$OUT" | awk '{ $4 = "age"; print }')" \
    "$Y cpu 0.00000237 age 1.0000000 1.0000000 0.1000000" \
    "sprio -n: normalized factors"
run sprio -w
is "$OUT" "$HDR
$(row Weights '' '' 1 1000 10000 100 1000)" "sprio -w: the weights"
run sprio -h -o '%i|%r|%Y|%F|%N' -p high
is "$OUT" "$Z|high|11100|10000|0" "sprio -h -o FORMAT -p PARTITION"
run sprio -j "$H"
is "$RC/$OUT" "0/Unable to find jobs matching user/id(s) specified" \
    "sprio -j of a held job"
run sprio -u "$ME" -o '%.6i %u' -S -y
is "$OUT" "$(printf '%6s %s\n%6s %s\n%6s %s\n%6s %s' JOBID USER "$Z" "$ME" \
    "$Y" "$ME" "$X" "$ME")" "sprio -u, -S -y (descending priority)"

# The blocker ends: its 2 CPUs x elapsed are root's usage, the only
# user's, so its fair share halves (2^-(U/S), U = S = 1).  The highest
# job starts; the others are recomputed.
touch go1
wait_state "$Z" RUNNING
is "$(job_state "$X")/$(job_state "$Y")" PENDING/PENDING \
    "the highest priority (partition factor) starts first"
run sprio -h -o '%i %Y %F'
is "$OUT" "$X 5175 5000
$Y 5200 5000" "usage charged: fair share 0.5"
is "$(show_field "$Y" Priority)" "Priority=5200" "…and scontrol agrees"
touch go2
wait_state "$Y" RUNNING
is "$(job_state "$X")" PENDING "then the next in priority order (2 CPUs)"

# Nice, then top and an explicit Priority: fixed numbers.
submit -o /dev/null -c 2 --wrap="$(waiter go5)"; W=$JOB
run scontrol update jobid="$W" Nice=100
is "$(show_field "$W" Priority)/$(sprio -h -j "$W" -o %N)" \
    "Priority=5100/100" "Nice=100 lowers the priority by 100"
run scontrol top "$W"
is "$RC/$(show_field "$W" Priority)" "0/Priority=5176" \
    "scontrol top: above the user's other pending job"
run sprio -h -l -j "$W"
is "$(tr -s ' ' <<<"$OUT")" " $W cpu $ME 5176 0 0 0 0 0 0 0 0 " \
    "a set priority: sprio shows zero factors"
run scontrol update jobid="$X" Priority=7000
is "$RC/$(show_field "$X" Priority)" "0/Priority=7000" \
    "root sets Priority="
touch go3
wait_state "$X" RUNNING
is "$(job_state "$W")/$(show_field "$W" Priority)" "PENDING/Priority=5176" \
    "the set priority went first, and stays fixed through recomputation"
run scancel "$W"
touch go9
wait_done "$X"

# --- two users -------------------------------------------------------------
if [ -z "$users" ]; then
	skip "fair share between users" "needs root, useradd and setpriv"
else
	share_daemon
	run as_user ${U43A} sbatch --parsable -o /dev/null -c 2 \
	    --wrap='sleep 2'
	A0=$OUT
	wait_done "$A0"
	submit -J block -o /dev/null --exclusive --wrap="$(waiter go6)"; C=$JOB
	wait_state "$C" RUNNING
	run as_user ${U43A} sbatch --parsable -o /dev/null -c 2 \
	    --wrap="$(waiter go7)"
	JA=$OUT
	run as_user ${U43B} sbatch --parsable -o /dev/null -c 2 \
	    --wrap="$(waiter go7)"
	JB=$OUT
	run sprio -h -u ${U43A},${U43B} -o '%i %u %F'
	fa=$(awk -v j="$JA" '$1 == j { print $3 }' <<<"$OUT")
	fb=$(awk -v j="$JB" '$1 == j { print $3 }' <<<"$OUT")
	ok "a user with recent usage has a lower fair share ($fa)" \
	    test "$fa" -lt 10000
	is "$fb" 10000 "a user without usage has fair share 1"
	run as_user ${U43B} sprio -h -o '%i %u'
	is "$OUT" "$JA ${U43A}
$JB ${U43B}" "users see every pending job"
	stop_daemon
	start_daemon
	share_daemon
	run sprio -h -j "$JA" -o %F
	is "$OUT" "$fa" "the usage is durable: same fair share after a restart"
	touch go6
	wait_state "$JB" RUNNING
	is "$(job_state "$JA")" PENDING \
	    "the user without usage starts first though it submitted later"
	touch go7
	wait_done "$JA"
fi

# --- back to priority/basic by a reconfiguration ---------------------------
submit -o /dev/null --begin=now+600 --wrap=true; q=$JOB
is "$(squeue -h -j "$q" -o %Q)" "$(show_field "$q" Priority | cut -d= -f2)" \
    "a multifactor priority"
write_conf "NodeName=$HOST CPUs=2 RealMemory=20000" "KillWait=2" \
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP" \
    "PartitionName=high State=UP"
run scontrol reconfigure
prio_is() { [ "$(squeue -h -j "$1" -o %Q)" = "$2" ]; }
ok "reconfigured to priority/basic: submission order again" \
    wait_for 10 prio_is "$q" "$(( 4294901760 - q ))"
run sprio
is "$RC" 1 "…and sprio refuses"
run scancel "$q"

done_testing
