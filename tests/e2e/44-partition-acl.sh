#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: partition AllowGroups and AllowAccounts at submission and on
#   scontrol update Partition=, with real users; State=UP|DOWN|DRAIN|
#   INACTIVE: which states take new jobs and which schedule pending ones,
#   the reasons PartitionDown and PartitionInactive; what sinfo and
#   scontrol show partition print, and partitions hidden from users
#   outside AllowGroups unless -a (or sinfo -p).
# Slurm behaviour copied (slurm.conf(5) State=, job_mgr.c
#   _part_access_check, partition_mgr.c validate_group): DOWN takes jobs
#   that pend, DRAIN refuses new jobs but runs queued ones, INACTIVE does
#   neither; refusals exit 1 with "Batch job submission failed: Required
#   partition not available (inactive or drain)", "User's group not
#   permitted to use this partition", "Invalid account or account/
#   partition combination specified"; root and the daemon's user pass
#   AllowGroups, not AllowAccounts.
. "$(dirname "$0")/lib.sh"

waiter() { echo "for i in \$(seq 1 3000); do [ -e $1 ] && exit 0; sleep 0.02; done; exit 1"; }

users=
G44=berth44g$E2E_TAG U44A=berth44a$E2E_TAG U44B=berth44b$E2E_TAG
if can_add_users && add_group ${G44} && add_user ${U44A} ${G44} &&
    add_user ${U44B}; then
	users=yes
fi

base=("NodeName=$HOST CPUs=2 RealMemory=20000" "KillWait=2"
    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP"
    "PartitionName=grp AllowGroups=${G44} State=UP"
    "PartitionName=acc AllowAccounts=physics,chem State=UP"
    "PartitionName=dn State=DOWN" "PartitionName=dr State=DRAIN"
    "PartitionName=in State=INACTIVE")
write_conf "${base[@]}" "PartitionName=d2 State=UP" "PartitionName=i2 State=UP"
start_daemon || done_testing

# --- what sinfo and scontrol show -----------------------------------------
run sinfo -h -o '%P %a %g'
is "$OUT" "cpu* up all
grp up ${G44}
acc up all
dn down all
dr drain all
in inactive all
d2 up all
i2 up all" "sinfo: AVAIL of each state, GROUPS"
run sinfo -p in
is "$(sed -n 2p <<<"$OUT" | awk '{ print $1, $2 }')" "in inact" \
    "sinfo's default view cuts INACTIVE to 5 columns"
run scontrol show partition acc
like "$OUT" "AllowGroups=ALL AllowAccounts=physics,chem AllowQos=ALL" \
    "scontrol show partition: AllowAccounts"
run scontrol show partition grp
like "$OUT" "AllowGroups=${G44} AllowAccounts=ALL" "…AllowGroups"
for s in dn:DOWN dr:DRAIN in:INACTIVE cpu:UP; do
	run scontrol show partition "${s%%:*}"
	like "$OUT" "State=${s#*:} " "scontrol show partition: State=${s#*:}"
done

# --- states at submission ---------------------------------------------------
for p in dr in; do
	run sbatch -p "$p" -o /dev/null --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Required partition not available (inactive or drain)" \
	    "State=$(scontrol show partition "$p" | grep -o 'State=[A-Z]*'): no new jobs"
done
submit -p dn -o /dev/null --wrap=true; down=$JOB
wait_reason "$down" PartitionDown
is "$(job_state "$down")" PENDING "State=DOWN takes the job; it pends (PartitionDown)"

# DRAIN and INACTIVE on jobs already queued: d2 and i2 become DRAIN and
# INACTIVE while their jobs wait behind a blocker.
submit -J block -o /dev/null --exclusive --wrap="$(waiter go1)"; b=$JOB
wait_state "$b" RUNNING
submit -p d2 -o /dev/null --wrap=true; dq=$JOB
submit -p i2 -o /dev/null --wrap=true; iq=$JOB
write_conf "${base[@]}" "PartitionName=d2 State=DRAIN" \
    "PartitionName=i2 State=INACTIVE"
run scontrol reconfigure
wait_reason "$iq" PartitionInactive
is "$(job_state "$iq")" PENDING "INACTIVE: a queued job pends (PartitionInactive)"
touch go1
wait_done "$dq"
is "$(job_state "$dq")" COMPLETED "DRAIN: a queued job still runs"
submit -o /dev/null --wrap=true; later=$JOB
wait_done "$later"
is "$(job_state "$iq")/$(job_reason "$iq")" PENDING/PartitionInactive \
    "INACTIVE: it stays pending on an idle node"
is "$(job_state "$down")/$(job_reason "$down")" PENDING/PartitionDown \
    "DOWN: so does the job there"
write_conf "${base[@]/PartitionName=dn State=DOWN/PartitionName=dn State=UP}" \
    "PartitionName=d2 State=UP" "PartitionName=i2 State=UP"
run scontrol reconfigure
wait_done "$down"
is "$(job_state "$down")" COMPLETED "the partition UP again: the job runs"
wait_done "$iq"

# --- AllowAccounts -------------------------------------------------------
run sbatch -p acc -o /dev/null --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified" \
    "AllowAccounts: another account is refused (root too)"
submit -p acc -A chem -o /dev/null --wrap=true; a=$JOB
wait_done "$a"
is "$(job_state "$a")" COMPLETED "…a listed account is taken"
submit -p cpu -A other -o /dev/null --hold --wrap=true; h=$JOB
run scontrol update jobid="$h" Partition=acc
is "$RC/$ERR" "1/Invalid account or account/partition combination specified for job $h" \
    "scontrol update Partition= checks AllowAccounts too"
run scancel "$h"

# --- AllowGroups, with real users ------------------------------------------
submit -p grp -o /dev/null --wrap=true; r=$JOB
wait_done "$r"
is "$(job_state "$r")" COMPLETED "AllowGroups: root may use any partition"
if [ -z "$users" ]; then
	skip "AllowGroups for other users" "needs root, useradd and setpriv"
else
	share_daemon
	run as_user ${U44B} sbatch -p grp -o /dev/null --wrap=true
	is "$RC/$OUT/$ERR" "1//sbatch: error: Batch job submission failed: User's group not permitted to use this partition" \
	    "a user outside AllowGroups is refused"
	run as_user ${U44A} sbatch --parsable -p grp -o /dev/null --wrap=true
	m=$OUT
	wait_done "$m"
	is "$(job_state "$m")" COMPLETED \
	    "a member (supplementary group) is taken and the job runs"
	run as_user ${U44B} sinfo -h -o %P
	is "$OUT" "cpu*
acc
dn
dr
in
d2
i2" "sinfo hides the partition from a user outside AllowGroups"
	run as_user ${U44B} sinfo -a -h -o %P
	is "$(grep -x grp <<<"$OUT")" "grp" "…sinfo -a shows it"
	run as_user ${U44B} sinfo -h -o %P -p grp
	is "$OUT" "grp" "…so does sinfo -p"
	run as_user ${U44B} scontrol show partition grp
	is "$RC/$OUT" "1/Partition grp not found" "…so does scontrol show"
	run as_user ${U44B} scontrol -a show partition grp
	like "$OUT" "^PartitionName=grp" "…unless -a"
	run as_user ${U44A} sinfo -h -o %P -p grp
	is "$OUT" "grp" "a member sees it"
	run as_user ${U44B} sbatch --parsable -o /dev/null --hold --wrap=true
	o=$OUT
	run as_user ${U44B} scontrol update jobid="$o" Partition=grp
	is "$RC/$ERR" "1/User's group not permitted to use this partition for job $o" \
	    "scontrol update Partition= checks AllowGroups"
	run scancel "$o"
fi

done_testing
