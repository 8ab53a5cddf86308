#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: one-request clients (src/cli/client.c client_send) shut their
#   side of the connection down after the request; the daemon
#   (src/daemon/server.c client_watch) then stops waiting for input on it,
#   so a client that does not read a large reply (stopped, slow) costs no
#   CPU while the reply waits, and the connection is freed once the
#   client goes away.  The request is the real one of `scontrol show job`,
#   caught on a socket of the test's own (BERTH_SOCKET), then replayed to
#   the daemon by a client that never reads.
# Slurm behaviour copied: none (internal).
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
write_conf_ref
start_daemon || done_testing

# Eight held jobs with 60 KB comments: a reply far larger than a socket
# buffer.
big=$(head -c 60000 /dev/zero | tr '\0' x)
for _ in 1 2 3 4 5 6 7 8; do
	submit -H --comment="$big" --wrap=true || break
done

cat >catch.py <<'PY'
import os, socket, subprocess, sys, time
fake, real, out = sys.argv[1], sys.argv[2], sys.argv[3]
hold, delay = float(sys.argv[4]), float(sys.argv[5])
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(fake)
srv.listen(1)
env = dict(os.environ, BERTH_SOCKET=fake)
cli = subprocess.Popen(["scontrol", "show", "job"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
conn, _ = srv.accept()
req = b""
while True:                 # the client's end of file ends its request
    b = conn.recv(65536)
    if not b:
        break
    req += b
cli.kill()
cli.wait()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(real)
s.sendall(req)
time.sleep(delay)           # > 0: the reply is under way before the EOF
s.shutdown(socket.SHUT_WR)
open(out, "w").write("%d\n" % len(req))
time.sleep(hold)            # never reads; exits, closing the socket
PY

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$DAEMON_PID/stat"; }
nfds() { ls "/proc/$DAEMON_PID/fd" | wc -l; }
fds_back() { [ "$(nfds)" -le "$fds0" ]; }

fds0=$(nfds)
# The end of file with the request (as sbatch sends it), then after it.
for delay in 0 0.3; do
	rm -f caught "$T/fake.sock"
	python3 catch.py "$T/fake.sock" "$BERTH_STATE_DIR/berthd.sock" \
	    caught 3 "$delay" &
	py=$!
	wait_for 10 test -s caught
	sleep 0.5
	t0=$(ticks)
	sleep 1.5
	t1=$(ticks)
	ok "EOF after ${delay}s: the request was caught ($(cat caught 2>/dev/null) bytes) and sent" \
	    test "$(cat caught 2>/dev/null || echo 0)" -gt 0
	ok "…the daemon idles while the reply waits for a reader ($((t1 - t0)) ticks in 1.5 s)" \
	    test $((t1 - t0)) -lt 30
	wait "$py"
	ok "…and frees the connection once the client is gone" \
	    wait_for 5 fds_back
done
run scontrol ping
is "$RC" 0 "the daemon still answers"
run sbatch --parsable --wrap=true
is "$RC" 0 "…and takes submissions"

done_testing
