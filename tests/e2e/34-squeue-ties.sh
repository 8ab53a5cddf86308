#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the order squeue gives jobs that sort equal (same partition,
#   state and priority): held jobs and array tasks held one by one, with
#   the default sort, -r, -S S,i / i,S / i / -i and -j of one array.
# Slurm behaviour copied (checked on real Slurm 22.05.8, cluster "ref",
#   the same submissions: running 102, array 103 (0-3), held 104, hold
#   103_1 (split off as 105), held 106, hold 103_2 (107), hold 103):
#   squeue lists slurmctld's job list, where a task split off an array
#   takes the array record's place and the record moves to the end
#   (102, 105, 104, 107, 106, 103), then sorts stably by start time
#   (latest first; jobs without one last, each such sort reversing their
#   order) and by the keys.  Default: 103_[0-3], 106, 104, 102; -r:
#   103_0, 103_3, 106, 103_2, 104, 103_1, 102; -S S,i: 102, 106, 104,
#   103_[0-3]; -S i,S: 102, 103_[0-3], 104, 106; -r -S i: 102, 103_1,
#   103_2, 103_0, 103_3, 104, 106 (the array record sorts as one job with
#   task id NO_VAL); -r -S -i: 106, 104, 103_0, 103_3, 103_2, 103_1, 102;
#   -r -j 103 (one id: the array's record first, then its tasks newest
#   first): 103_1, 103_2, 103_0, 103_3.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J r -c 2 -o /dev/null --wrap='sleep 300'; r=$JOB
wait_state "$r" RUNNING
submit -J x --array=0-3 -o /dev/null --wrap=true; x=$JOB
submit -J y --hold -o /dev/null --wrap=true; y=$JOB
run scontrol hold "${x}_1"
is "$RC" 0 "scontrol hold ${x}_1"
submit -J z --hold -o /dev/null --wrap=true; z=$JOB
run scontrol hold "${x}_2"
is "$RC" 0 "scontrol hold ${x}_2"
run squeue -h -r -o %i
is "$OUT" "${x}_0
${x}_3
$z
${x}_2
$y
${x}_1
$r" "-r: held jobs and tasks, the newest in the job list first"
run scontrol hold "$x"
is "$RC" 0 "scontrol hold $x"

run squeue -h -o %i
is "$OUT" "${x}_[0-3]
$z
$y
$r" "default sort: the held array's line at its record's place, then newest first"
run squeue -h -r -o %i
is "$OUT" "${x}_0
${x}_3
$z
${x}_2
$y
${x}_1
$r" "-r, all held"
run squeue -h -S S,i -o %i
is "$OUT" "$r
$z
$y
${x}_[0-3]" "-S S,i: the start-time sort reverses the id order of held jobs"
run squeue -h -S i,S -o %i
is "$OUT" "$r
${x}_[0-3]
$y
$z" "-S i,S: by id"
run squeue -h -r -S i -o %i
is "$OUT" "$r
${x}_1
${x}_2
${x}_0
${x}_3
$y
$z" "-r -S i: the array record after its split tasks, its tasks in order"
run squeue -h -r -S -i -o %i
is "$OUT" "$z
$y
${x}_0
${x}_3
${x}_2
${x}_1
$r" "-r -S -i: the array record first, its tasks still in order"
run squeue -h -r -j "$x" -o %i
is "$OUT" "${x}_1
${x}_2
${x}_0
${x}_3" "-r -j of one array: its record first, tasks newest first, reversed"
run squeue -h -r -j "$x,$y" -o %i
is "$OUT" "${x}_0
${x}_3
${x}_2
$y
${x}_1" "-r -j of two ids: the job list's order"

run scancel "$r" "$x" "$y" "$z"
done_testing
