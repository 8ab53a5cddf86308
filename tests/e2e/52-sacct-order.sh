#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sacct's order over a mixed history, as the daemon now sends it
#   (MSG_ACCT_QUERY replies come in sacct's order, and sacct -X formats
#   them as they arrive): an array whose tasks ran while other jobs were
#   submitted lists its tasks at the array's id, by task id, the record
#   that kept the array's id last; a run of more than 32 held jobs (rows
#   the daemon's scan skips, taking them from memory) between finished
#   ones; the same rows and order as the sorting path (-X with
#   DerivedExitCode, and without -X); filters (-s, --name) on both kinds.
# Slurm behaviour copied: sacct lists by job id, an array's tasks at the
#   array's id in task order (slurm-reference 47_arrays / 50_sacct).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -J first -o /dev/null --wrap=true; first=$JOB
submit -J arr --array=0-3%1 -o /dev/null --wrap='sleep 0.2'; arr=$JOB
mids=()
for i in 1 2 3; do
	submit -J mid -o /dev/null --wrap=true; mids+=("$JOB")
	sleep 0.25
done
holds=()
for i in $(seq 1 40); do
	submit -J held --hold -o /dev/null --wrap=true; holds+=("$JOB")
done
submit -J last -o /dev/null --wrap=true; last=$JOB
arr_done() { [ -z "$(squeue -h -j "$arr" -o %i 2>/dev/null)" ]; }
wait_for 30 arr_done
for j in "$first" "${mids[@]}" "$last"; do wait_done "$j"; done

# The expected JobID order: by id, the array's rows at its id.
tasks=$(sacct -n -X -P -o JobIDRaw,JobID -j "$arr" 2>/dev/null)
is "$(wc -l <<<"$tasks")" 4 "the array has four task rows"
arr_ids=$(cut -d'|' -f2 <<<"$tasks")
is "$arr_ids" "${arr}_0
${arr}_1
${arr}_2
${arr}_3" "its tasks by task id"
is "$(sed -n 4p <<<"$tasks" | cut -d'|' -f1)" "$arr" \
    "the last task kept the array's id"
want="$first
$arr_ids"
for j in "${mids[@]}" "${holds[@]}" "$last"; do want+=$'\n'"$j"; done
# (the array's later tasks have ids among the other jobs': check that
# some did, or the test proves nothing about the order)
late=$(cut -d'|' -f1 <<<"$tasks" | sort -n | tail -n 1)
ok "array tasks got ids after other jobs'" test "$late" -gt "${mids[0]}"

run sacct -n -X -o JobID%20 -S now-1hours
is "$RC" 0 "sacct -X: exit 0"
is "$(tr -d ' ' <<<"$OUT")" "$want" \
    "sacct -X: jobs by id, the array's tasks at its id, held jobs in place"
stream=$OUT
run sacct -n -X -o JobID%20,DerivedExitCode -S now-1hours
is "$(awk '{ print $1 }' <<<"$OUT")" "$(tr -d ' ' <<<"$stream")" \
    "the same order when sacct sorts itself (DerivedExitCode)"
run sacct -n -o JobID%20 -S now-1hours
is "$(grep -v '\.' <<<"$OUT" | tr -d ' ')" "$want" \
    "the same job rows without -X"

run sacct -n -X -P -o JobID,State -s PD
want=""
for j in "${holds[@]}"; do want+="$j|PENDING"$'\n'; done
is "$OUT" "${want%$'\n'}" "-s PD: the held jobs only, from memory"
run sacct -n -X -P -o JobID --name mid,arr
is "$OUT" "$arr_ids
$(printf '%s\n' "${mids[@]}")" "--name: the array's tasks and the mid jobs, in order"
run sacct -n -X -P -o JobID,State -s CD --name held
is "$RC/$OUT" "0/" "no finished held job: nothing"

done_testing
