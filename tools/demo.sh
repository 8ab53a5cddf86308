#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `make demo`: a small real workload on a private berth daemon, shown the
# way a Slurm user would type it.  Everything lives under a temp root (state
# dir, job scripts, outputs) that is removed at the end; the daemon is
# stopped by the pid it wrote, so a daemon you run yourself is untouched.
#
#	BERTH_BUILD=/abs/build tools/demo.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${BERTH_BUILD:=$(cd "$here/.." && pwd)/build}"
export PATH="$BERTH_BUILD/bin:/usr/bin:/bin"
for v in $(compgen -e); do
	case $v in SLURM_*|SBATCH_*|BERTH_SOCKET) unset "$v" ;; esac
done

root=$(mktemp -d "${TMPDIR:-/tmp}/berth-demo.XXXXXX")
export BERTH_STATE_DIR=$root/state
mkdir -p "$BERTH_STATE_DIR" "$root/work"
cd "$root/work"

. "$here/private-daemon.sh"

heading() { printf '\n=== %s ===\n\n' "$*"; }
# show CMD...: print the command as typed, then run it.
show() {
	local a line='$'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./,=:%-]*) line+=" '$a'" ;;
		*) line+=" $a" ;;
		esac
	done
	echo "$line"
	"$@"
}

# wait_until TIMEOUT_S CMD...: poll every 50 ms, fail after the deadline.
wait_until() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "demo: timed out waiting for: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}
state_of() { sacct -n -X -P -o State -j "$1" | head -n 1; }
is_running() { [ "$(squeue -h -j "$1" -o %T 2>/dev/null)" = RUNNING ]; }
queue_empty() { [ -z "$(squeue -h -t PD,R)" ]; }

heading "Starting a private berth daemon"
echo "state directory: $BERTH_STATE_DIR"
cat >"$BERTH_STATE_DIR/berth.conf" <<EOF
ClusterName=demo
KillWait=5
EOF
"$BERTH_BUILD/sbin/berthd"
dpid=$(tr -d '[:space:]' <"$BERTH_STATE_DIR/berthd.pid")
echo "berthd is running as pid $dpid"
show scontrol ping
show sinfo

heading "Submitting four jobs (the last runs a job step with srun)"
cat >hello.sh <<'EOF'
#!/bin/bash
#SBATCH -J hello
#SBATCH -o hello-%j.out
#SBATCH -c 1
#SBATCH --mem=100M
#SBATCH -t 00:05:00
echo "Hello from job $SLURM_JOB_ID ($SLURM_JOB_NAME) on $SLURMD_NODENAME"
echo "I have $SLURM_CPUS_ON_NODE CPU(s) and ${SLURM_MEM_PER_NODE} MB"
sleep 2
EOF
echo "The first job script, with #SBATCH directives:"
sed 's/^/    /' hello.sh
echo
# sub DISPLAY ARGS...: show "$ sbatch DISPLAY", run sbatch ARGS, set ID.
sub() {
	local display=$1 out; shift
	printf '$ sbatch %s\n' "$display"
	out=$(sbatch "$@")
	echo "$out"
	ID=${out##* }
}
sub "hello.sh" hello.sh; hello=$ID
sub "-J failing -o failing-%j.out --wrap='echo about to fail; exit 3'" \
    -J failing -o failing-%j.out --wrap='echo about to fail; exit 3'
failing=$ID
sub "-J long -o /dev/null --wrap='sleep 300'" \
    -J long -o /dev/null --wrap='sleep 300'
long=$ID
sub "-J steps -n 2 -o steps-%j.out --wrap='srun -l hostname; sleep 2'" \
    -J steps -n 2 -o steps-%j.out --wrap='srun -l hostname; sleep 2'
nap=$ID

heading "The queue while they run"
wait_until 30 is_running "$long"
show squeue
echo
show squeue -o '%.8i %.10j %.9T %.6C %.10M %R'

heading "Cancelling the long job while it runs"
show scancel "$long"
wait_until 30 queue_empty
echo "all jobs have finished"

heading "An interactive step: srun outside any job"
show srun -n 2 -l bash -c 'echo task $SLURM_PROCID of $SLURM_NTASKS'

heading "Accounting"
show sacct -j "$hello,$failing,$long,$nap"
echo
show sacct -X -o JobID,JobName,State,ExitCode,Elapsed
echo
echo "states: hello=$(state_of "$hello") failing=$(state_of "$failing")" \
    "long=$(state_of "$long") steps=$(state_of "$nap")"

heading "Job output"
show cat "hello-$hello.out"
show cat "failing-$failing.out"
show cat "steps-$nap.out"

heading "Stopping the daemon"
kill -TERM "$dpid"
wait_until 10 bash -c "! kill -0 $dpid 2>/dev/null"
echo "berthd $dpid stopped; removing $root"
dpid=
