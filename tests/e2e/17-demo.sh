#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: `make demo` (issue 2, "What a user must be able to do"): the
#   target installs build dependencies (tools/deps.sh build) and runs
#   tools/demo.sh, which starts a private daemon under a temporary root,
#   submits a few jobs (one with #SBATCH directives, one failing, one
#   cancelled while it runs), shows squeue while they run and sacct at
#   the end, and stops its daemon and removes its root.
# Slurm behaviour copied: what the demo shows is Slurm's output
#   ("Submitted batch job N", squeue's and sacct's default views, FAILED
#   3:0, CANCELLED+); checked in detail by 10-submit, 30-squeue, 50-sacct.
. "$(dirname "$0")/lib.sh"

# The Makefile's demo target: dependencies, then the demo script.  (make
# -n only prints; the build under test is not touched.)
run make -n -s -C "$REPO" BUILD="$BERTH_BUILD" demo
like "$OUT" 'tools/deps\.sh build' "make demo installs missing build dependencies first"
like "$OUT" 'tools/demo\.sh' "…then runs tools/demo.sh"

# The demo itself, as `make demo` runs it, with its temp root under $T.
run env TMPDIR="$T" BERTH_BUILD="$BERTH_BUILD" bash "$REPO/tools/demo.sh"
is "$RC" 0 "the demo exits 0"
demo=$OUT

root=$(sed -n 's/^state directory: \(.*\)\/state$/\1/p' <<<"$demo")
dpid=$(sed -n 's/^berthd is running as pid \([0-9]*\)$/\1/p' <<<"$demo")
like "$root" "^$T/berth-demo\\." "it runs its daemon under a temporary root"
like "$dpid" '^[0-9]+$' "…and says which daemon it started"

is "$(grep -c '^Submitted batch job [0-9]*$' <<<"$demo")" 4 \
    "four sbatch calls print 'Submitted batch job N'"
ok "one job script uses #SBATCH directives" \
    has_line "$demo" '    #SBATCH -J hello'
ok "squeue while the jobs run: Slurm's header" has_line "$demo" \
    "$SQUEUE_HDR"
like "$demo" "$(printf '\n +[0-9]+ +cpu +long +%s +R ' "${ME:0:8}")" \
    "…with the long job running"
ok "sacct at the end: Slurm's default header" has_line "$demo" \
    'JobID           JobName  Partition    Account  AllocCPUS      State ExitCode '
like "$demo" $'\n[0-9]+ +failing +cpu +[^ ]+ +1 +FAILED +3:0 \n' \
    "…the failing job FAILED 3:0"
like "$demo" $'\n[0-9]+ +long +cpu +[^ ]+ +1 CANCELLED\\+ +0:0 \n' \
    "…the cancelled job CANCELLED+"
like "$demo" $'\n[0-9]+ +hello +cpu +[^ ]+ +1 +COMPLETED +0:0 \n' \
    "…the #SBATCH job COMPLETED"
like "$demo" 'states: hello=COMPLETED failing=FAILED long=CANCELLED by [0-9]+ ' \
    "the demo's summary of the states"
ok "the #SBATCH -o pattern and output" has_line "$demo" \
    "I have 1 CPU(s) and 100 MB"

# It stopped its daemon and removed its root.
ok "the demo's daemon is gone" proc_gone "${dpid:-0}"
ok "its temporary root is removed" test -n "$root" -a ! -e "${root:-/}"
left=$(grep -lsF -- "${root:-/nonexistent}" /proc/[0-9]*/cmdline 2>/dev/null)
is "$left" "" "no process of the demo is left"

done_testing
