# SPDX-License-Identifier: MIT
# Sourced by bench/run.sh and tools/demo.sh, which run a private berthd
# under a temporary root: stop it and remove the root on exit.
#   root  the temporary directory (state, work files)
#   dpid  the daemon's pid, empty until it runs
# Jobs are cancelled, the daemon gets SIGTERM (SIGKILL after 10 s), and
# leftover supervisors of this root (their command lines name it) are
# killed.
private_daemon_cleanup() {
	set +e
	if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then
		scancel -u "$(id -un)" >/dev/null 2>&1
		kill -TERM "$dpid"
		for _ in $(seq 1 500); do
			kill -0 "$dpid" 2>/dev/null || break
			sleep 0.02
		done
		kill -KILL "$dpid" 2>/dev/null
	fi
	for f in $(grep -lsF -- "$root" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}; p=${p%%/*}
		grep -qsF berth-jobsup "$f" && kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$root"
}
dpid=
trap private_daemon_cleanup EXIT
trap 'exit 130' INT TERM
