#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: supervisors that keep dying before their job starts (here a
#   berth-jobsup that exits at once, as one not matching berthd might):
#   the job pends again after each, and after three in a row it is held
#   (JobHeldAdmin) instead of being started again and again; `scontrol
#   release` gives it three more tries; scancel ends it.
# Slurm behaviour copied: a job whose launch fails is requeued and held
#   ("launch failed requeued held"), released with scontrol release.
. "$(dirname "$0")/lib.sh"

write_conf_ref
mkdir -p "$T/inst"
cp -a "$BERTH_BUILD/sbin" "$BERTH_BUILD/libexec" "$T/inst/"
printf '#!/bin/sh\nexit 1\n' >"$T/inst/libexec/berth/berth-jobsup"
BERTHD=$T/inst/sbin/berthd
start_daemon || done_testing

log=$BERTH_STATE_DIR/berthd.log
tries() { grep -c "job=$1: supervisor never started the job; pending again" "$log"; }
held_admin() { [ "$(squeue -h -j "$1" -o %r)" = JobHeldAdmin ]; }

run sbatch --parsable -o /dev/null --wrap=true
is "$RC" 0 "sbatch is accepted"
j=$OUT
ok "after supervisors died before starting it, the job is held" \
    wait_for 30 held_admin "$j"
is "$(squeue -h -j "$j" -o %T)" PENDING "…and pending"
is "$(tries "$j")" 3 "…after three attempts, not more"
like "$(cat "$log")" "job=$j: 3 supervisors in a row died before starting it; held" \
    "…and the log says why"

# A job submitted after it is tried as well (the hold is the job's).
run sbatch --parsable -o /dev/null --wrap=true
k=$OUT
ok "a second job is held in turn" wait_for 30 held_admin "$k"
is "$(tries "$j")" 3 "…and the first was not tried again meanwhile"

run scontrol release "$j"
is "$RC" 0 "scontrol release of the held job"
two_rounds() { [ "$(tries "$j")" -ge 6 ] && held_admin "$j"; }
ok "…gives it three more tries, then it is held again" wait_for 30 two_rounds
is "$(tries "$j")" 6 "…six tries in all"

run scancel "$j" "$k"
is "$RC" 0 "scancel of the held jobs"
is "$(job_state "$j")" CANCELLED "the first ends CANCELLED"
is "$(job_state "$k")" CANCELLED "the second too"
done_testing
