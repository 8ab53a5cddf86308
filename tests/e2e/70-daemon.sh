#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: the daemon's life cycle: autostart by the first client command,
#   two racing clients starting only one daemon, berthd refusing a second
#   instance (exit 3) and a bad config (exit 1 with a message),
#   BERTH_NO_AUTOSTART, graceful SIGTERM leaving a running job running and
#   a restarted daemon reporting its completion, malformed / oversized /
#   wrong-version / truncated protocol frames closing only that connection,
#   and "job=N" on the daemon log's job lines.
# Slurm behaviour copied: none directly (slurmctld is a system service);
#   this is berth's own contract (ARCHITECTURE.md "Processes", STYLE.md
#   patterns 3, 9 and 10).  What users see afterwards is Slurm's: sbatch
#   prints "Submitted batch job N", sacct shows COMPLETED.
. "$(dirname "$0")/lib.sh"

write_conf_ref

# berthd processes serving our state dir (by environment or command line).
our_daemons() {
	local f p
	for f in $(grep -lsF -- "$T/state" /proc/[0-9]*/environ \
	    /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}; p=${p%%/*}
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$BERTHD" ] && echo "$p"
	done | sort -u
}
n_daemons() { our_daemons | wc -l | tr -d ' '; }

# --- BERTH_NO_AUTOSTART -----------------------------------------------------
run env BERTH_NO_AUTOSTART=1 squeue
isnt "$RC" 0 "with BERTH_NO_AUTOSTART=1 and no daemon, squeue fails"
isnt "$ERR" "" "…with a message on stderr"
is "$(n_daemons)" 0 "…and starts no daemon"

# --- autostart --------------------------------------------------------------
# (with a descriptor beyond 0-2 open, as a script's pipe may be: the
# daemon and its supervisors must not keep it)
run sbatch -o /dev/null --wrap=true 9>>"$T/inherited"
is "$RC" 0 "sbatch with no daemon running exits 0"
like "$OUT" '^Submitted batch job [0-9]+$' "…and prints the job id (autostart)"
j=${OUT##* }
DAEMON_PID=$(_daemon_pid_from_file)
ok "the autostarted daemon wrote its pid file" test -n "$DAEMON_PID"
ok "the autostarted daemon is running" daemon_alive
is "$(n_daemons)" 1 "exactly one daemon serves the state dir"
ok "the socket exists" test -S "$T/state/berthd.sock"
wait_done "$j"
is "$(job_state "$j")" COMPLETED "the autostart job ran"
is "$(find /proc/[0-9]*/fd -lname "$T/inherited" 2>/dev/null | wc -l)" 0 \
    "…and no process keeps the descriptor sbatch had open beyond 0-2"

# --- a second berthd is refused ---------------------------------------------
run "$BERTHD"
is "$RC" 3 "a second berthd on the same state dir exits 3"
is "$(n_daemons)" 1 "…and the first keeps serving alone"
stop_daemon
ok "berthd stops on SIGTERM" test "$(n_daemons)" = 0

# --- racing clients start one daemon ------------------------------------------
for i in 1 2 3 4; do
	sbatch --parsable -o /dev/null --wrap=true >"$T/race$i" 2>&1 </dev/null &
done
wait
ids=$(cat "$T"/race[1-4])
like "$(tr '\n' ' ' <<<"$ids")" '^[0-9]+ [0-9]+ [0-9]+ [0-9]+ $' \
    "four racing sbatch calls all print an id"
is "$(sort -u <<<"$ids" | wc -l | tr -d ' ')" 4 "…four different ids"
is "$(n_daemons)" 1 "racing clients started exactly one daemon"
DAEMON_PID=$(_daemon_pid_from_file)
for id in $ids; do wait_done "$id"; done
stop_daemon

# --- started with stdin closed: its lock stays held -------------------------
# (a client run with `<&-` autostarts it so; the state lock's descriptor
# was then 0, which the daemon's /dev/null replaced: a second berthd got
# the lock and died on the database instead, exit 1)
j=$(sbatch --parsable -o /dev/null --wrap=true <&- 2>"$T/.err")
is "$?" 0 "sbatch with stdin closed autostarts the daemon"
DAEMON_PID=$(_daemon_pid_from_file)
wait_done "$j"
"$BERTHD" <&- >/dev/null 2>&1
is "$?" 3 "…and a second berthd, stdin closed too, exits 3"
is "$(n_daemons)" 1 "…and the first keeps serving alone"
stop_daemon

# --- startup errors ---------------------------------------------------------
cp "$T/state/berth.conf" "$T/good.conf"
write_conf "NodeName=$HOST CPUs=abc"
run "$BERTHD"
is "$RC" 1 "berthd with a malformed berth.conf exits 1"
isnt "$ERR" "" "…with a message on stderr"
is "$(n_daemons)" 0 "…and is not left running"
cp "$T/good.conf" "$T/state/berth.conf"

# --- graceful stop keeps running jobs -----------------------------------------
start_daemon || done_testing
submit -o graceful.out --wrap='echo started; for i in $(seq 1 3000); do [ -e release ] && break; sleep 0.02; done; echo finished'
g=$JOB
wait_state "$g" RUNNING
wait_for 10 file_has graceful.out started
ok "the job has a supervisor 'berth-jobsup <state>/jobs/$g'" supervisor_alive "$g"
stop_daemon
ok "SIGTERM stops the daemon" test "$(n_daemons)" = 0
ok "…the job's supervisor survives" supervisor_alive "$g"
touch release
wait_for 10 file_has graceful.out finished
is "$(cat graceful.out)" "started
finished" "the job finishes while no daemon runs"
start_daemon || done_testing
wait_done "$g"
is "$(sacct -n -X -P -o State,ExitCode -j "$g" 2>&1)" "COMPLETED|0:0" \
    "the restarted daemon reports the job COMPLETED"
is "$(sacct -n -P -o JobID -j "$g" | wc -l | tr -d ' ')" 2 \
    "the job is accounted once (job + batch rows)"

# --- bad frames close only that connection --------------------------------------
# send_frame HEX: connect, send the bytes, report how the daemon answered:
# "closed" when it closed the connection within 5 s, else "open".
send_frame() {
	python3 - "$T/state/berthd.sock" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(bytes.fromhex(sys.argv[2]))
try:
    while True:
        b = s.recv(65536)
        if not b:
            print("closed")
            break
except socket.timeout:
    print("open")
except (ConnectionResetError, BrokenPipeError):
    print("closed")
EOF
}
pid_before=$DAEMON_PID
# "GET / HTTP/1.0\r\n\r\n": a length of ~540 MB
is "$(send_frame 474554202f20485454502f312e300d0a0d0a)" closed \
    "garbage bytes: the daemon closes that connection"
# length 64 MiB + 1 (over PROTO_MAX_FRAME), version 1, MSG_SUBMIT
is "$(send_frame 0100000401006500)" closed \
    "an oversized frame header: closed without reading the body"
# length 2 (shorter than version + type)
is "$(send_frame 0200000001006400)" closed "a frame shorter than its header: closed"
# version 99, MSG_PING
is "$(send_frame 0400000063006400)" closed "a wrong protocol version: closed"
# a MSG_SUBMIT whose payload is 8 zero bytes (undecodable)
send_frame 0c000000010065000000000000000000 >/dev/null
pass "an undecodable MSG_SUBMIT payload was sent"
# half a header, then the client goes away
python3 -c "
import socket,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.send(b'\x10\x00'); s.close()
" "$T/state/berthd.sock"
run scontrol ping
is "$RC" 0 "after the bad frames the daemon still answers"
is "$DAEMON_PID" "$pid_before" "…and it is the same daemon process"
submit -o /dev/null --wrap=true; a=$JOB
wait_done "$a"
is "$(job_state "$a")" COMPLETED "…and still runs jobs"

# --- the log ----------------------------------------------------------------------
ok "berthd.log exists" test -s "$T/state/berthd.log"
ok "berthd.log has lines with job=$a" grep -q "job=$a\\b" "$T/state/berthd.log"
run grep -E '\b[Jj]ob( id)? #?[0-9]+' "$T/state/berthd.log"
is "$OUT" "" "no log line names a job other than as job=N"

done_testing
