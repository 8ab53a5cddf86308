#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the options of sbatch, salloc and srun that scripts written for a
#   cluster carry and berth once refused as unknown: -M/--clusters/--cluster,
#   --switches, --delay-boot, --container, --bb/--bbf, --power, --prefer,
#   --mcs-label, --cluster-constraint, --context, -S/--core-spec,
#   --thread-spec, --batch, --ntasks-per-gpu/--ntasks-per-tres,
#   --gpus-per-socket, --tasks-per-node, --export-file, -F/--nodefile,
#   --reboot, --uid/--gid; salloc's --bell/--no-bell/-K/--x11; srun's
#   -T/--whole/--msg-timeout/--cpu_bind/... (on the command line and in
#   #SBATCH lines).
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref", one
#   node, no burst buffer, power, MCS or switch plugin, no node features):
#   sbatch -M ref prints "Submitted batch job N on cluster ref" ("N;ref"
#   with --parsable); an unknown cluster is "No cluster 'X' known by
#   database." then "'X' can't be reached now, or it is an invalid entry
#   for --cluster.  Use 'sacctmgr list clusters' to see available
#   clusters.", exit 1 (SBATCH_CLUSTERS and SLURM_CLUSTERS the same).
#   scontrol show job shows MCS_label=, DelayBoot=, ClusterFeatures=,
#   Switches=N@HH:MM:SS (the wait at most 5 minutes, 5 by default),
#   BurstBuffer=, Power=LEVEL, TresPerSocket=, NtasksPerTRES=, Container=;
#   the job has SLURM_CONTAINER, SLURM_NTASKS_PER_GPU, SLURM_GPUS_PER_SOCKET.
#   -S and --thread-spec warn "Ignoring ... (AllowSpecResourcesUsage = No)"
#   and submit; --power=x warns "Ignoring unrecognized power option (x)".
#   Refusals: --switches=x (exit 1), --delay-boot=x (255), --bbf of a
#   missing file (1), --batch not within --constraint (1), --prefer of a
#   feature the node lacks (1), --ntasks-per-gpu without GPUs (1),
#   --gpus-per-socket without --sockets-per-node (1), --reboot by a user
#   (1), --uid by a user (255), -F of a missing file (255), --export-file
#   of a missing file (1); salloc --container (1), -K FOO (255), --x11
#   without DISPLAY (255).
. "$(dirname "$0")/lib.sh"

write_conf_ref "Feature=fast"
start_daemon || done_testing

# --- -M/--clusters ---------------------------------------------------------
run sbatch -M ref -o /dev/null --wrap=true
like "$RC/$OUT/$ERR" '^0/Submitted batch job [0-9]+ on cluster ref/$' \
    "sbatch -M ref: the cluster's name after the id"
run sbatch -M ref --parsable -o /dev/null --wrap=true
like "$RC/$OUT/$ERR" '^0/[0-9]+;ref/$' "--parsable -M ref: N;ref"
run sbatch --clusters=REF -o /dev/null --wrap=true
like "$RC/$OUT" '^0/Submitted batch job [0-9]+ on cluster ref$' \
    "--clusters, any case"
run sbatch --cluster=all -o /dev/null --wrap=true
like "$RC/$OUT" '^0/Submitted batch job [0-9]+ on cluster ref$' \
    "--cluster=all"
run sbatch -M nosuch -o /dev/null --wrap=true
is "$RC/$OUT/$ERR" "1//sbatch: error: No cluster 'nosuch' known by database.
sbatch: error: 'nosuch' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." \
    "-M unknown: Slurm's two lines, exit 1"
run sbatch -M ref,nosuch -o /dev/null --wrap=true
like "$RC/$OUT/$ERR" "^0/Submitted batch job [0-9]+ on cluster ref/sbatch: error: No cluster 'nosuch' known by database.\$" \
    "-M ref,nosuch: the unknown one's line, then submitted"
printf '#!/bin/sh\n#SBATCH -M ref\n#SBATCH -o /dev/null\ntrue\n' >"$T/m.sh"
run sbatch "$T/m.sh"
like "$RC/$OUT" '^0/Submitted batch job [0-9]+ on cluster ref$' \
    "#SBATCH -M ref"
run env SBATCH_CLUSTERS=ref sbatch -o /dev/null --wrap=true
like "$RC/$OUT" '^0/Submitted batch job [0-9]+ on cluster ref$' \
    "SBATCH_CLUSTERS"
run env SLURM_CLUSTERS=nosuch sbatch -o /dev/null --wrap=true
is "$RC/$OUT" "1/" "SLURM_CLUSTERS=nosuch: refused"
run salloc -M nosuch true
is "$RC/$ERR" "1/salloc: error: No cluster 'nosuch' known by database.
salloc: error: 'nosuch' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." \
    "salloc -M unknown"
run srun -M nosuch true
is "$RC/$ERR" "1/srun: error: No cluster 'nosuch' known by database.
srun: error: 'nosuch' can't be reached now, or it is an invalid entry for --cluster.  Use 'sacctmgr list clusters' to see available clusters." \
    "srun -M unknown"
run srun -M ref echo hi
is "$RC/$OUT" "0/hi" "srun -M ref runs"

# --- what scontrol show job shows -----------------------------------------
cat >"$T/show.sh" <<'EOF'
#!/bin/sh
#SBATCH --mcs-label=foo --power=level --bb=x --delay-boot=5
#SBATCH --switches=1 --cluster-constraint=cc --container=/c
#SBATCH --context=x -o /dev/null
env
EOF
submit -H "$T/show.sh"
run scontrol show job "$JOB"
show=$OUT
has_line "$show" "   UserId=$(id -un)($(id -u)) GroupId=$(id -gn)($(id -g)) MCS_label=foo" &&
    pass "MCS_label=foo" || fail "MCS_label=foo" "$show"
has_line "$show" "   Features=(null) DelayBoot=00:05:00" &&
    pass "DelayBoot=00:05:00" || fail "DelayBoot" "$show"
like "$show" $'DelayBoot=00:05:00\n   ClusterFeatures=cc\n   OverSubscribe' \
    "ClusterFeatures after Features"
like "$show" $'\n   StdOut=/dev/null\n   Switches=1@00:05:00\n   BurstBuffer=x\n   Power=LEVEL\n   Container=/c\n' \
    "Switches, BurstBuffer, Power=LEVEL, Container in Slurm's order"
shown=$JOB
submit -H -o /dev/null --wrap=true
plain=$JOB
fields=JobID,Container,MCSLabel,DelayBoot,BurstBuffer,ClusterFeature,Prefer,BurstBufferState
run squeue -j "$shown" -O "$fields"
is "$RC/$OUT" "0/$(printf '%-20s' JOBID CONTAINER MCSLABEL DELAY_BOOT \
    BURST_BUFFER CLUSTER_FEATURES PREFER BURST_BUFFER_STATE)
$(printf '%-20s' "$shown" /c foo 5:00 x cc '(null)' '(null)')" \
    "squeue -O Container,MCSLabel,DelayBoot,BurstBuffer,ClusterFeature,..."
run squeue -h -j "$plain" -O "$fields"
is "$RC/$OUT" "0/$(printf '%-20s' "$plain" '(null)' '(null)' 0:00 '(null)' \
    '(null)' '(null)' '(null)')" "... and without the options"
scancel "$shown" "$plain"
submit -o /dev/null --container=/c --mcs-label=foo --wrap=true
wait_done "$JOB"
run sacct -j "$JOB" -o JobID,Container,McsLabel -P
is "$RC/$OUT" "0/JobID|Container|McsLabel
$JOB|/c|foo
$JOB.batch|/c|" "sacct Container (job and steps), McsLabel (job)"

# kept across a restart of the daemon (the store's record), and a value
# cannot add lines of its own
submit -H -o /dev/null --mcs-label=$'foo\nPrefer=nosuch' --switches=1 \
    --wrap=true
kill_daemon
start_daemon || done_testing
run scontrol show job "$JOB"
has_line "$OUT" "   UserId=$(id -un)($(id -u)) GroupId=$(id -gn)($(id -g)) MCS_label=foo Prefer=nosuch" &&
    has_line "$OUT" "   Switches=1@00:05:00" &&
    pass "MCS_label and Switches after a restart" ||
    fail "MCS_label and Switches after a restart" "$OUT"
scancel "$JOB"

run sbatch --switches=x --wrap=true
is "$RC/$ERR" '1/sbatch: error: Invalid numeric value "x" for --switches.' \
    "--switches=x: exit 1"
for w in "2@10:00/2@00:05:00" "1@1:00/1@00:01:00" "3/3@00:05:00"; do
	submit -H -o /dev/null --switches="${w%/*}" --wrap=true
	run scontrol show job "$JOB"
	has_line "$OUT" "   Switches=${w#*/}" &&
	    pass "--switches=${w%/*} shows ${w#*/}" ||
	    fail "--switches=${w%/*}" "$OUT"
	scancel "$JOB"
done
run env SBATCH_REQ_SWITCH=2 sbatch --parsable -H -o /dev/null --wrap=true
j=$OUT
run scontrol show job "$j"
has_line "$OUT" "   Switches=2@00:05:00" && pass "SBATCH_REQ_SWITCH" ||
    fail "SBATCH_REQ_SWITCH" "$OUT"
scancel "$j"
for w in "1:00/2@00:01:00" "x/2@00:05:00"; do
	run env SBATCH_WAIT4SWITCH="${w%/*}" sbatch --parsable -H -o /dev/null \
	    --switches=2 --wrap=true
	j=$OUT
	run scontrol show job "$j"
	has_line "$OUT" "   Switches=${w#*/}" &&
	    pass "SBATCH_WAIT4SWITCH=${w%/*}: ${w#*/}" ||
	    fail "SBATCH_WAIT4SWITCH=${w%/*}" "$OUT"
	scancel "$j"
done
run sbatch --delay-boot=x --wrap=true
is "$RC/$ERR" "255/sbatch: error: Invalid --delay-boot specification" \
    "--delay-boot=x: exit 255"
run sbatch --bbf=/nonexistent --wrap=true
is "$RC/$ERR" "1/sbatch: error: Invalid --bbf specification" \
    "--bbf of a missing file: exit 1"
echo "#BB create_persistent" >"$T/bb"
submit -H -o /dev/null --bbf="$T/bb" --wrap=true
run scontrol show job "$JOB"
unlike "$OUT" 'BurstBuffer' "--bbf: no BurstBuffer without a plugin"
scancel "$JOB"

# --- warnings, and accepted --------------------------------------------------
run sbatch -H -o /dev/null --power=level,x --wrap=true
like "$RC/$OUT/$ERR" '^0/Submitted batch job [0-9]+/sbatch: error: Ignoring unrecognized power option \(x\)
sbatch: error: Ignoring unrecognized power option \(x\)$' \
    "--power=level,x: warned twice (command line), submitted"
scancel "${OUT##* }"
printf '#!/bin/sh\n#SBATCH --power=x\n#SBATCH -o /dev/null\ntrue\n' >"$T/pw.sh"
run sbatch -H "$T/pw.sh"
like "$RC/$OUT/$ERR" '^0/Submitted batch job [0-9]+/sbatch: error: Ignoring unrecognized power option \(x\)$' \
    "#SBATCH --power=x: warned once"
scancel "${OUT##* }"
run sbatch -H -o /dev/null -S 1 --thread-spec=1 --wrap=true
like "$RC/$OUT/$ERR" "^0/Submitted batch job [0-9]+/sbatch: error: Ignoring -S since it's not allowed by configuration \\(AllowSpecResourcesUsage = No\\)
sbatch: error: Ignoring --thread-spec since it's not allowed by configuration \\(AllowSpecResourcesUsage = No\\)\$" \
    "-S and --thread-spec: warned, submitted"
scancel "${OUT##* }"
run sbatch --core-spec=x --wrap=true
is "$RC/$ERR" '1/sbatch: error: Invalid numeric value "x" for --core-spec.' \
    "--core-spec=x: exit 1"

# --- refusals ------------------------------------------------------------------
run sbatch --batch=foo --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Job --batch option is invalid or not a subset of --constraints" \
    "--batch outside --constraint"
submit -H -o /dev/null -C fast --batch=fast --wrap=true && pass \
    "--batch within --constraint" && scancel "$JOB"
run sbatch --prefer=foo --wrap=true
is "$RC/$ERR" "1/sbatch: error: Batch job submission failed: Invalid preferred feature specification" \
    "--prefer of a feature the node lacks"
submit -H -o /dev/null --prefer=fast --wrap=true && pass \
    "--prefer of the node's feature" && scancel "$JOB"
run srun --prefer=foo true
is "$RC/$ERR" "1/srun: error: Unable to allocate resources: Invalid preferred feature specification" \
    "srun --prefer refused the same way"

# --- GPUs and tasks ----------------------------------------------------------------
run sbatch --ntasks-per-gpu=1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: gres_job_state_validate: --ntasks-per-tres needs either a GRES GPU specification or a node/ntask specification
sbatch: error: Invalid generic resource (gres) specification" \
    "--ntasks-per-gpu without GPUs"
submit -o "$T/npg.out" --ntasks-per-gpu=1 -G 2 \
    --wrap='echo $SLURM_NTASKS_PER_GPU $SLURM_NTASKS'
wait_done "$JOB"
run scontrol show job "$JOB"
like "$OUT" 'NumTasks=2 ' "--ntasks-per-gpu=1 -G 2: two tasks"
has_line "$OUT" "   NtasksPerTRES=1" && pass "NtasksPerTRES=1" ||
    fail "NtasksPerTRES" "$OUT"
is "$(cat "$T/npg.out")" "1 2" "SLURM_NTASKS_PER_GPU and SLURM_NTASKS"
run sbatch --ntasks-per-tres=1 -G 2 -o /dev/null --wrap=true
is "$RC" 0 "--ntasks-per-tres: --ntasks-per-gpu's other name"
run sbatch --gpus-per-socket=1 --wrap=true
is "$RC/$ERR" "1/sbatch: error: --gpus-per-socket option requires --sockets-per-node specification
sbatch: error: Invalid generic resource (gres) specification" \
    "--gpus-per-socket without --sockets-per-node"
submit -o "$T/gps.out" --gpus-per-socket=1 --sockets-per-node=1 \
    --wrap='echo $SLURM_GPUS_PER_SOCKET $SLURM_GPUS_ON_NODE'
wait_done "$JOB"
run scontrol show job "$JOB"
has_line "$OUT" "   TresPerSocket=gres:gpu:1" && pass "TresPerSocket" ||
    fail "TresPerSocket" "$OUT"
is "$(cat "$T/gps.out")" "1 1" "SLURM_GPUS_PER_SOCKET, one GPU"
run sbatch --gpus-per-socket=1 --sockets-per-node=1 --ntasks-per-gpu=1 \
    --wrap=true
is "$RC/$ERR" "1/sbatch: fatal: --gpus-per-socket is mutually exclusive with --ntasks-per-gpu and SLURM_NTASKS_PER_GPU" \
    "--gpus-per-socket with --ntasks-per-gpu"
submit -H -o /dev/null --tasks-per-node=2 --wrap=true
run scontrol show job "$JOB"
like "$OUT" 'NumTasks=2 ' "--tasks-per-node is --ntasks-per-node"
scancel "$JOB"

# --- the job's environment -------------------------------------------------------
submit -o "$T/c.out" --container=/c --wrap='echo $SLURM_CONTAINER'
wait_done "$JOB"
is "$(cat "$T/c.out")" "/c" "SLURM_CONTAINER"
printf 'FOO=bar\nBAZ=qux quux\n' >"$T/ef-nl"
printf 'FOO=nul\0BAZ=z\0' >"$T/ef-nul"
submit -o "$T/ef1.out" --export-file="$T/ef-nl" --wrap='echo "$FOO/$BAZ"'
wait_done "$JOB"
is "$(cat "$T/ef1.out")" "bar/qux quux" "--export-file, one a line"
submit -o "$T/ef2.out" --export-file="$T/ef-nul" --wrap='echo "$FOO/$BAZ"'
wait_done "$JOB"
is "$(cat "$T/ef2.out")" "nul/z" "--export-file, NUL-separated"
submit -o "$T/ef3.out" --export-file="$T/ef-nl" --export=NONE \
    --wrap='echo "${FOO:-unset}"'
wait_done "$JOB"
is "$(cat "$T/ef3.out")" "unset" "--export-file: not with --export=NONE"
run sbatch --export-file=/nonexistent --wrap=true
is "$RC/$ERR" "1/sbatch: error: Could not open user environment file /nonexistent" \
    "--export-file of a missing file"

# --- nodes ------------------------------------------------------------------------
echo "$HOST" >"$T/nodes"
submit -H -o /dev/null -F "$T/nodes" --wrap=true
run scontrol show job "$JOB"
like "$OUT" "ReqNodeList=$HOST " "-F: the file's nodes are --nodelist"
scancel "$JOB"
run sbatch --nodefile=/nonexistent --wrap=true
is "$RC/$ERR" "255/sbatch: error: slurm_allocate_resources error opening file /nonexistent, No such file or directory
sbatch: error: Invalid --nodefile node file" "-F of a missing file"

# --- root only ---------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
	run sbatch --reboot --wrap=true
	is "$RC/$ERR" "1/sbatch: error: rebooting of nodes is only allowed for admins
sbatch: error: Batch job submission failed: Access/permission denied" \
	    "--reboot by a user"
	run sbatch --uid=0 --wrap=true
	is "$RC/$ERR" "255/sbatch: error: --uid only permitted by root user" \
	    "--uid by a user"
	run salloc --gid=0 true
	is "$RC/$ERR" "255/salloc: error: --gid only permitted by root user" \
	    "salloc --gid by a user"
else
	submit -H -o /dev/null --reboot --uid=root --gid=0 --wrap=true &&
	    pass "--reboot, --uid and --gid of root by root" && scancel "$JOB"
	run sbatch --uid=nobody --wrap=true
	is "$RC/$ERR" "255/sbatch: error: Invalid --uid specification: berth runs a job as the user who submits it" \
	    "--uid of another user: refused"
fi

# --- salloc and srun's own ----------------------------------------------------------
run salloc --bell --no-bell -K true
is "$RC" 0 "salloc --bell --no-bell -K"
run salloc --kill-command=FOO true
is "$RC/$ERR" "255/salloc: error: Invalid --kill-command specification" \
    "salloc -K of an unknown signal"
# -K=USR1: the command gets SIGUSR1 (only) when the allocation is
# revoked (checked on Slurm 22.05.8; without -K berth's salloc sends
# SIGHUP, SIGCONT and SIGTERM)
salloc -J kcmd --kill-command=USR1 bash -c '
	for s in HUP TERM USR1; do trap "echo got $s; [ $s = USR1 ] && exit 0" $s; done
	touch "$0"
	while :; do sleep 0.1; done' "$T/k.ready" </dev/null >"$T/k.out" \
	2>"$T/k.err" &
kpid=$!
wait_for 20 test -e "$T/k.ready"
scancel -n kcmd
wait "$kpid"
is "$(cat "$T/k.out")" "got USR1" "salloc -K=USR1: only that signal on revocation"
run env SALLOC_KILL_CMD=FOO salloc true
is "$RC/$ERR" "255/salloc: error: Invalid --kill-command specification" \
    "SALLOC_KILL_CMD is -K"
run env -u DISPLAY salloc --x11 true
is "$RC/$ERR" "255/salloc: error: No DISPLAY variable set, cannot setup x11 forwarding." \
    "salloc --x11 without DISPLAY"
run salloc --container=/c true
is "$RC/$ERR" "1/salloc: error: --container requires LaunchParameters=use_interactive_step" \
    "salloc --container"
run salloc -S 1 true
is "$RC/${ERR%%$'\n'*}" "0/salloc: error: Ignoring -S since it's not allowed by configuration (AllowSpecResourcesUsage = No)" \
    "salloc -S: warned first"
run srun -T 2 --whole --msg-timeout=5 --cpu_bind=none --quit-on-interrupt \
    --accel-bind=g --slurmd-debug=1 --send-libs=no --bcast --compress \
    --switches=1 --mcs-label=m --container=/c echo ok
is "$RC/$OUT/$ERR" "0/ok/" "srun's cluster options: accepted"
run srun --container=/c --ntasks-per-gpu=1 -G 1 \
    printenv SLURM_CONTAINER SLURM_NTASKS_PER_TRES
is "$RC/$OUT" "0//c
1" "srun: SLURM_CONTAINER and SLURM_NTASKS_PER_TRES in the task"
run salloc --ntasks-per-gpu=1 -G 1 printenv SLURM_NTASKS_PER_GPU
is "$RC/$OUT" "0/1" "salloc: SLURM_NTASKS_PER_GPU"
run salloc --gpus-per-socket=1 --sockets-per-node=1 \
    printenv SLURM_GPUS_PER_SOCKET
is "$RC/$OUT" "0/1" "salloc: SLURM_GPUS_PER_SOCKET"
run srun --power=x true
is "$RC/$ERR" "0/srun: error: Ignoring unrecognized power option (x)" \
    "srun --power=x: warned"

# --- srun's prolog, epilog, task prolog and epilog ------------------------
printf '#!/bin/sh\necho "PROLOG $SLURM_JOB_ID.$SLURM_STEP_ID" >&2\nexit ${RCX:-0}\n' >"$T/pro.sh"
printf '#!/bin/sh\necho export TP_VAR=hello\necho print from task prolog\n' >"$T/tpro.sh"
printf '#!/bin/sh\necho "TASKEPI $SLURM_PROCID" >&2\n' >"$T/tepi.sh"
chmod +x "$T/pro.sh" "$T/tpro.sh" "$T/tepi.sh"
run srun --prolog="$T/pro.sh" echo hi
like "$RC/$OUT/$ERR" '^0/hi/PROLOG [0-9]+\.0$' "--prolog runs before the step"
run srun --epilog="$T/pro.sh" echo hi
like "$RC/$OUT/$ERR" '^0/hi/PROLOG [0-9]+\.0$' "--epilog runs after it"
run env RCX=3 srun --prolog="$T/pro.sh" echo hi
like "$RC/$OUT/$ERR" $'^1//PROLOG [0-9]+\\.0\nsrun: error: srun prolog failed rc = 3\\. Aborting step\\.$' \
    "a failing --prolog aborts the step"
run env RCX=3 srun --epilog="$T/pro.sh" echo hi
like "$RC/$OUT/$ERR" $'^0/hi/PROLOG [0-9]+\\.0\nsrun: error: srun epilog failed status=3$' \
    "a failing --epilog is reported"
run srun --prolog=/nonexistent echo hi
is "$RC/$OUT/$ERR" "0/hi/srun: Access denied for /nonexistent: No such file or directory" \
    "--prolog of a missing file"
run srun --task-prolog="$T/tpro.sh" printenv TP_VAR
is "$RC/$OUT/$ERR" "0/from task prolog
hello/" "--task-prolog: export and print lines"
run srun -n 2 --task-epilog="$T/tepi.sh" true
is "$RC/$(sort <<<"$ERR")" "0/TASKEPI 0
TASKEPI 1" "--task-epilog after each task"
run srun --task-prolog=./tpro.sh true
like "$RC/$ERR" "^1/.*user task_prolog is not fully qualified pathname \\(\\./tpro\\.sh\\)" \
    "--task-prolog: a relative path fails the task"
run srun -r 0 true
is "$RC/$ERR" "1/srun: fatal: --relative option invalid for job allocation request" \
    "srun -r outside an allocation"
run srun -Z true
is "$RC/$ERR" "1/srun: error: must specify a node list with -Z, --no-allocate." \
    "srun -Z without -w"
run srun --test-only -n 2 echo hi
like "$RC/$OUT/$ERR" "^0//srun: Job [0-9]+ to start at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8} using 2 processors on nodes $HOST in partition cpu\$" \
    "srun --test-only: when, and nothing runs"
run srun --test-only -c 99 echo hi
is "$RC/$OUT/$ERR" "1//allocation failure: Requested node configuration is not available" \
    "srun --test-only of what cannot run"
run srun -E --resv-ports -W 5 --het-group=0 --interactive echo ok
is "$RC/$OUT/$ERR" "0/ok/" "srun -E, --resv-ports, -W, --het-group: accepted"

done_testing
