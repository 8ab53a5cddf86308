#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the user filters with jobs of two users in the queue (issue 2
#   part 7): squeue -u NAME and --me, sacct -u NAME and sacct's default
#   (an ordinary user sees its own jobs), scancel -u NAME cancelling only
#   that user's jobs; the owner (SO_PEERCRED of the submitter) shown by
#   squeue %u and sacct User.
# Slurm behaviour copied: 30_squeue (squeue -u alice, --me), 41_scancel
#   (scancel -u alice), sacct(1): "-u: by default, the running user's uid"
#   (checked on real Slurm 22.05.8 for an ordinary user).
. "$(dirname "$0")/lib.sh"

if ! can_add_users; then
	skip "filters by user" "needs root, useradd and setpriv"
	done_testing
fi
U=b54u$E2E_TAG
add_user "$U" || { fail "add_user $U"; done_testing; }

write_conf_ref
start_daemon || done_testing
share_daemon

submit -H -J mine -o /dev/null --wrap=true; r=$JOB
run as_user "$U" sbatch --parsable -H -J theirs -o /dev/null --wrap=true
u=$OUT
like "$u" '^[0-9]+$' "another user submits a job"

# (two held jobs of equal priority: newest first, as real squeue)
run squeue -h -o '%i %u' -j "$r,$u"
is "$OUT" "$u $U
$r $ME" "squeue %u: each job's owner"
run squeue -h -o %i -u "$U"
is "$OUT" "$u" "squeue -u NAME: only that user's job"
run squeue -h -o %i -u "$ME"
is "$OUT" "$r" "squeue -u root: only root's job"
run as_user "$U" squeue -h -o %i --me
is "$OUT" "$u" "squeue --me (as the other user): its own job only"

run sacct -n -X -P -o JobID,User -u "$U"
is "$OUT" "$u|$U" "sacct -u NAME: only that user's job"
run as_user "$U" sacct -n -X -P -o JobID,User
is "$OUT" "$u|$U" "sacct as an ordinary user: its own jobs by default"

run scancel -u "$U"
is "$RC/$ERR" "0/" "scancel -u NAME"
wait_done "$u"
is "$(job_state "$u")/$(job_state "$r")" CANCELLED/PENDING \
    "scancel -u NAME cancels that user's job only"
run scancel "$r"

done_testing
