#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: requests arriving together share one SQLite transaction (issue
#   2 part 2): with berthd stopped, six `sbatch` clients connect and send
#   their submissions; once it continues, it reads all six in one loop
#   iteration and commits them with one commit (its debug log's
#   "commit: N requests since the last" line, berthd -d), and each
#   client gets its own "Submitted batch job N" only after that commit:
#   six distinct ids, six jobs, all kept across a restart.
# Slurm behaviour copied: none (berth's architecture: group commit).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon -d || done_testing
LOG=$BERTH_STATE_DIR/berthd.log

# pending N: connections waiting in the listening socket's queue (ss's
# Recv-Q of a listening socket).
pending() {
	ss -xlH 2>/dev/null | awk -v p="$BERTH_STATE_DIR/berthd.sock" \
	    '$5 == p { print $3 }'
}
queued() { [ "$(pending)" = "$1" ]; }

if [ -z "$(pending)" ]; then
	skip "group commit" "ss does not show the daemon's listening socket"
	done_testing
fi

kill -STOP "$DAEMON_PID"
subs=()
for i in 1 2 3 4 5 6; do
	sbatch --hold -o /dev/null --wrap=true >"$T/sub.$i" 2>&1 &
	subs+=($!)
done
ok "six sbatch connected while berthd is stopped" wait_for 20 queued 6
# Each writes its request right after its connect returns, then waits.
sleep 0.5
before=$(grep -c 'commit: ' "$LOG")
kill -CONT "$DAEMON_PID"
wait "${subs[@]}"	# not the daemon: under ASan it is this shell's child
ids=$(sed -n 's/^Submitted batch job \([0-9]*\)$/\1/p' "$T"/sub.* | sort -n |
    tr '\n' ' ')
is "$(echo $ids | wc -w)" 6 "each sbatch printed its 'Submitted batch job N'"
is "$(echo $ids | tr ' ' '\n' | sort -u | wc -l)" 6 "…six distinct ids"
last=$(sed -n 's/.*commit: \([0-9]*\) requests since the last$/\1/p' "$LOG" |
    tail -n +$((before + 1)) | head -1)
is "$last" 6 "the six submissions shared one commit (log: commit: 6 requests)"
run squeue -h -t PD -o %i
is "$(echo $OUT | tr ' ' '\n' | sort -n | tr '\n' ' ')" "$ids" \
    "squeue lists the six jobs"
stop_daemon
start_daemon -d || done_testing
run squeue -h -t PD -o %i
is "$(echo $OUT | tr ' ' '\n' | sort -n | tr '\n' ' ')" "$ids" \
    "…and after a restart"

done_testing
