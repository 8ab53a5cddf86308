#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: listings long enough that the daemon sends them in parts
#   (MSG_JOB_LIST_PART, 128 KB each) which squeue and sacct decode as they
#   arrive: every row is there once, in order, with its own name, for
#   squeue with light columns (fields omitted from the query) and with a
#   column that reads a long string (nothing omitted), and for sacct -X.
# Slurm behaviour copied: the rows are those of short listings.
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

N=1200
seq 1 "$N" | xargs -n 100 sh -c \
    'for i do sbatch --hold -J "n$i" -o /dev/null --wrap=true >/dev/null ||
    exit 255; done' sh
is "$?" 0 "$N held jobs submitted, one after the other"

# What the rows should be: ids in submission order; name n<i> for job i
# of the batch (ids start at 1 on a fresh state dir).
expect_ids=$(seq 1 "$N")

run squeue -h -S i -o "%i %j"
is "$RC" 0 "squeue of $N jobs"
is "$(awk '{ print $1 }' <<<"$OUT")" "$expect_ids" "every job once, by id"
is "$(awk '$2 != "n" $1' <<<"$OUT" | wc -l)" 0 "each with its own name"

run squeue -h -S i -o "%i %j %Z"
is "$RC" 0 "squeue with a working directory column (no field omitted)"
is "$(awk '{ print $1 }' <<<"$OUT")" "$expect_ids" "every job once"
is "$(awk -v w="$PWD" '$2 != "n" $1 || $3 != w' <<<"$OUT" | wc -l)" 0 \
    "names and working directories intact"

run squeue
is "$RC" 0 "default squeue"
is "$(wc -l <<<"$OUT")" "$((N + 1))" "header and $N rows"

scancel -t PENDING
# (a function: wait_for runs its command again each time, while a
# "$(...)" argument would be counted once, before the wait)
queue_empty() { [ "$(squeue -h | wc -l)" -eq 0 ]; }
wait_for 30 queue_empty
run sacct -X -n -P -o JobID,JobName,State
is "$RC" 0 "sacct -X of $N jobs"
is "$(cut -d'|' -f1 <<<"$OUT")" "$expect_ids" "every job once, by id"
is "$(awk -F'|' '$2 != "n" $1 || $3 !~ /^CANCELLED/' <<<"$OUT" | wc -l)" 0 \
    "names and states intact"
done_testing
