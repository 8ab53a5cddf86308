#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# berth's benchmarks, printed as "name: value" lines on stdout (progress
# goes to stderr).  The workloads are those of the core issue, measured the
# way a user sees them (each figure includes starting the client process):
#
#   W1  latency of 200 sequential `sbatch --wrap=true -o /dev/null`
#       -> w1_sbatch_median_ms, w1_sbatch_p90_ms
#   W2  1000 such jobs, first submit to last completion (the last job is
#       submitted with `sbatch -W`, which returns when it ends; then
#       `squeue -h -t PD,R` must be empty, polled every 20 ms if not: the
#       polling alone overshot the end by 10-20 ms), submitted by a
#       sequential loop in /bin/sh (dash on Debian, as a `#!/bin/sh`
#       submission script runs); three runs one after the other, each to
#       an empty queue, and the median run reported (one run lasts about
#       1-1.3 s, and a burst of the host's load moves it by up to a third:
#       docs/performance.md)
#       -> w2_run1_jobs_per_s, w2_run2_jobs_per_s, w2_run3_jobs_per_s,
#          w2_1000_jobs_s, w2_jobs_per_s (the median run)
#       The same loop in bash, each bash run right after the sh run
#       (bash's fork and exec of `sbatch` cost about 0.45 ms of CPU per
#       job against dash's ~0.15, on the two CPUs the jobs use: a quarter
#       of the throughput; docs/performance.md, session 12)
#       -> w2_bash_run1_jobs_per_s .. w2_bash_run3_jobs_per_s,
#          w2_bash_jobs_per_s (the median run)
#       and each CPU's busy share over the six runs (/proc/stat: all that
#       is not idle or iowait; the machine's, not only berth's)
#          w2_cpuN_busy_pct
#   W2p the same 1000 jobs from two submitters at once (two sequential
#       /bin/sh loops of 500, as `xargs -P 2` would run them; one per CPU;
#       each loop's last job with `sbatch -W`, as in W2)
#       -> w2p_1000_jobs_s, w2p_jobs_per_s
#   srun  200 sequential `srun true` on the idle daemon (three requests,
#         two commits each)
#       -> srun_true_median_ms, srun_true_p90_ms
#   W3  idle daemon: from just before sbatch to the job's own first
#       timestamp (`date +%s.%N`), 100 samples (30 made the median move by
#       0.3-0.5 ms from run to run)
#       -> w3_start_median_ms, w3_start_p90_ms
#   W4  `squeue` and `sacct -X` with 10,000 finished jobs in the history
#       (submitted held, then cancelled: the fastest way to make them) and
#       10,000 pending (held) jobs; 20 samples each
#       -> w4_squeue_median_ms, w4_sacct_median_ms
#   W5  the daemon's VmRSS idle and with 10,000 pending jobs (idle: read
#       0.1 s after the last request)
#       -> w5_rss_idle_mb, w5_rss_10k_pending_mb
#   W1p W1's latency (200 samples) with 10,000 jobs pending that cannot
#       run: a 2-CPU job holds the node, the first pending job waits for
#       Resources and the rest for Priority, as do the 200 new ones
#       -> w1_10k_pending_median_ms
#   floors  the machine's own, in the same run (bench/floor.c), before W1
#       and again after W3: a process start, `sh -c true`, a 512-byte
#       write with fdatasync, and one iteration of a bash loop starting
#       /bin/true (the figures of PERFORMANCE-NOTES.md move by 2x and more
#       with the host's load; a workload's figure is read next to them)
#       -> floor_spawn_true_ms, floor_spawn_sh_ms, floor_fdatasync_ms,
#          floor_bash_true_ms, and the same as floor_end_*
#   and, when bench/sched-pass.c exists, its own line(s) (the scheduler
#   pass on synthetic snapshots, no daemon).
#
# The daemon is private: state under a temp dir, a berth.conf with 2 CPUs,
# stopped and removed on exit.  BENCH_SMALL=1 shrinks every workload (for a
# quick check of the script itself).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
: "${BERTH_BUILD:=$repo/build}"
export PATH="$BERTH_BUILD/bin:/usr/bin:/bin"
for v in $(compgen -e); do
	case $v in SLURM_*|SBATCH_*|BERTH_SOCKET) unset "$v" ;; esac
done

if [ -n "${BENCH_SMALL:-}" ]; then
	N1=20 N2=100 N3=5 N4=200 S4=5
else
	N1=200 N2=1000 N3=100 N4=10000 S4=20
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/berth-bench.XXXXXX")
export BERTH_STATE_DIR=$root/state HOME=$root
mkdir -p "$BERTH_STATE_DIR" "$root/work"
cd "$root/work"
host=$(hostname -s 2>/dev/null || uname -n)
cat >"$BERTH_STATE_DIR/berth.conf" <<EOF
ClusterName=bench
NodeName=${host%%.*} CPUs=2 RealMemory=20000
DefMemPerCPU=1000
KillWait=2
MinJobAge=2
MaxArraySize=100000
PartitionName=cpu Default=YES MaxTime=INFINITE State=UP
EOF

. "$here/../tools/private-daemon.sh"

say() { echo "bench: $*" >&2; }
# Timestamps are read inline (t0=${EPOCHREALTIME/./}): a $(...) here
# would fork a subshell inside the timed window.
now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }

# stats FILE: "median p90" of the numbers in FILE (nearest rank), in the
# file's unit divided by 1000 (us -> ms), two decimals.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan nan"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		i = int(0.9 * NR); if (i < 0.9 * NR) i++; if (i < 1) i = 1
		printf "%.2f %.2f\n", m / 1000, v[i] / 1000 }'
}

rss_mb() {
	awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$dpid/status"
}

# wait_until TIMEOUT_S CMD...: poll every 20 ms.
wait_until() {
	local deadline=$(($(now_us) + $1 * 1000000)); shift
	until "$@"; do
		[ "$(now_us)" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}
queue_empty() { [ "$(squeue -h -t PD,R | wc -l)" -eq 0 ]; }

# --- the machine's floors ---------------------------------------------------
say "floors: compiling bench/floor.c"
cc -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror "$repo/bench/floor.c" \
    -o "$root/floor"
# floors PREFIX: the floor lines (bench/floor.c), then one iteration of a
# bash loop starting /bin/true, the average of $N1.
floors() {
	local t0 t1
	"$root/floor" "$1" "$root/work" "$N1"
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
	for _ in $(seq 1 "$N1"); do /bin/true; done
	t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	awk -v us=$((t1 - t0)) -v n="$N1" -v p="$1" 'BEGIN {
		printf "%s_bash_true_ms: %.2f\n", p, us / n / 1000 }'
}

# --- the daemon ------------------------------------------------------------
"$BERTH_BUILD/sbin/berthd"
dpid=$(tr -d '[:space:]' <"$BERTH_STATE_DIR/berthd.pid")
say "berthd pid $dpid, state $BERTH_STATE_DIR"
scontrol ping >/dev/null

# W5 idle, before any job.
echo "w5_rss_idle_mb: $(rss_mb)"

say "floors, before W1"
floors floor

# --- W1 ----------------------------------------------------------------------
# sbatch_times FILE: the latency (us) of $N1 sequential
# `sbatch --wrap=true -o /dev/null`, one per line.
sbatch_times() {
	local t0 t1
	: >"$1"
	for _ in $(seq 1 "$N1"); do
		t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
		sbatch --wrap=true -o /dev/null >/dev/null
		t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
		echo $((t1 - t0)) >>"$1"
	done
}
say "W1: $N1 sequential sbatch"
sbatch_times w1.us
read -r med p90 < <(stats w1.us)
echo "w1_sbatch_median_ms: $med"
echo "w1_sbatch_p90_ms: $p90"
wait_until 120 queue_empty || say "W1 jobs did not drain"

# --- srun ----------------------------------------------------------------------
# `srun true` on the idle daemon: an allocation with step 0, the task, the
# release (three requests, two commits).  Target: under 10 ms.
say "srun: $N1 sequential srun true"
: >srun.us
for _ in $(seq 1 "$N1"); do
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
	srun true </dev/null
	t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	echo $((t1 - t0)) >>srun.us
done
read -r med p90 < <(stats srun.us)
echo "srun_true_median_ms: $med"
echo "srun_true_p90_ms: $p90"

# --- W2 ----------------------------------------------------------------------
# cpu_times: "cpuN busy total" per CPU from /proc/stat (USER_HZ ticks).
cpu_times() {
	awk '/^cpu[0-9]/ { t = 0; for (i = 2; i <= NF; i++) t += $i
		print $1, t - $5 - $6, t }' /proc/stat
}
: >w2.us
: >w2bash.us
cpu_times >w2.cpu0
# w2_loop SHELL: one run; the loop in SHELL, timed from this shell
# (SHELL's own start, about a millisecond, included).
w2_loop() {
	"$1" -c 'for _ in $(seq 2 "$1"); do
		sbatch --wrap=true -o /dev/null >/dev/null
	done
	sbatch -W --wrap=true -o /dev/null >/dev/null' "$1" "$N2"
}
for run in 1 2 3; do
	for sh in sh bash; do
		say "W2 run $run: $N2 jobs from a $sh loop"
		t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
		w2_loop "$sh"
		wait_until 600 queue_empty || say "W2 jobs did not drain in 600 s"
		t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
		if [ "$sh" = sh ]; then
			echo $((t1 - t0)) >>w2.us
			name=w2_run$run
		else
			echo $((t1 - t0)) >>w2bash.us
			name=w2_bash_run$run
		fi
		awk -v us=$((t1 - t0)) -v n="$N2" -v name="$name" 'BEGIN {
			printf "%s_jobs_per_s: %.1f\n", name, n / (us / 1e6) }'
	done
done
sort -n w2.us | awk -v n="$N2" 'NR == 2 {
	printf "w2_%d_jobs_s: %.2f\n", n, $1 / 1e6
	printf "w2_jobs_per_s: %.1f\n", n / ($1 / 1e6) }'
sort -n w2bash.us | awk -v n="$N2" 'NR == 2 {
	printf "w2_bash_jobs_per_s: %.1f\n", n / ($1 / 1e6) }'
cpu_times | awk 'NR == FNR { b[$1] = $2; t[$1] = $3; next }
	$3 > t[$1] { printf "w2_%s_busy_pct: %.0f\n", $1,
	    100 * ($2 - b[$1]) / ($3 - t[$1]) }' w2.cpu0 -

# --- W3 ----------------------------------------------------------------------
say "W3: $N3 submit-to-start samples on an idle daemon"
: >w3.us
for i in $(seq 1 "$N3"); do
	rm -f "w3_$i.ts"
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
	id=$(sbatch --parsable -o /dev/null --wrap="date +%s.%N >w3_$i.tmp && mv w3_$i.tmp w3_$i.ts")
	wait_until 30 test -s "w3_$i.ts" || { say "W3 job $id did not start"; continue; }
	ts=$(<"w3_$i.ts")
	s=${ts%.*}; ns=${ts#*.}
	echo $(( (10#$s * 1000000 + 10#${ns:0:6}) - t0 )) >>w3.us
	wait_until 30 queue_empty || true
done
read -r med p90 < <(stats w3.us)
echo "w3_start_median_ms: $med"
echo "w3_start_p90_ms: $p90"
say "floors, after W3"
floors floor_end

# --- arrays -------------------------------------------------------------------
# A pending array is one record: submitting 100,000 tasks should cost about
# what one job costs.  Held, then cancelled, so nothing runs.
say "arrays: sbatch --array=0-99999 vs a single job"
: >arr.us
: >one.us
for _ in $(seq 1 5); do
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
	a=$(sbatch --parsable --hold -o /dev/null --array=0-99999 --wrap=true)
	t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	echo $((t1 - t0)) >>arr.us
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
	o=$(sbatch --parsable --hold -o /dev/null --wrap=true)
	t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	echo $((t1 - t0)) >>one.us
	scancel "$a" "$o"
done
read -r med _ < <(stats arr.us)
echo "array_100k_submit_median_ms: $med"
read -r med _ < <(stats one.us)
echo "single_submit_median_ms: $med"
wait_until 60 queue_empty || true

# --- W4 ----------------------------------------------------------------------
# submit_held N: N held jobs, two clients at a time.
submit_held() {
	seq 1 "$1" | xargs -P 2 -n 50 sh -c \
	    'for _ do sbatch --hold -o /dev/null --wrap=true >/dev/null || exit 255; done' sh
}
say "W4: $N4 finished jobs (held, then cancelled)"
submit_held "$N4"
scancel -t PENDING
wait_until 120 queue_empty || say "cancelled jobs still listed"
say "W4: $N4 pending (held) jobs"
submit_held "$N4"
pending_only() { [ "$(squeue -h -t all | wc -l)" -le "$N4" ]; }
wait_until 30 pending_only || say "finished jobs still in the daemon's memory"
say "W4: queries ($S4 samples each)"
: >w4q.us
: >w4a.us
for _ in $(seq 1 "$S4"); do
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0)); squeue >/dev/null; t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	echo $((t1 - t0)) >>w4q.us
	t0=${EPOCHREALTIME/./}; t0=$((10#$t0)); sacct -X >/dev/null; t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
	echo $((t1 - t0)) >>w4a.us
done
echo "w4_queue_rows: $(squeue -h | wc -l | tr -d ' ')"
echo "w4_history_rows: $(sacct -X -n | wc -l | tr -d ' ')"
read -r med _ < <(stats w4q.us)
echo "w4_squeue_median_ms: $med"
read -r med _ < <(stats w4a.us)
echo "w4_sacct_median_ms: $med"

# --- W5 with the pending jobs ----------------------------------------------------
# Read once the daemon is idle: it hands a listing's buffers back after
# 5 ms without requests (src/daemon/idle.c), and the row counts above
# were listings of 10,000 and 23,510 jobs a moment ago.
sleep 0.1
echo "w5_rss_10k_pending_mb: $(rss_mb)"
scancel -t PENDING
wait_until 120 queue_empty || say "pending jobs still listed"

# --- W1p ---------------------------------------------------------------------
# W1 into a long queue that cannot run.  Each such submission used to cost
# a scheduling pass over every pending job; the fast path decides it
# against the top job alone (docs/performance.md).
say "W1p: $N4 pending jobs behind a 2-CPU job"
holder=$(sbatch --parsable -n 2 -o /dev/null --wrap="sleep 3600")
holder_runs() { [ "$(squeue -h -j "$holder" -o %T)" = RUNNING ]; }
wait_until 30 holder_runs || say "W1p: the 2-CPU job did not start"
seq 1 "$N4" | xargs -P 2 -n 50 sh -c \
    'for _ do sbatch -o /dev/null --wrap=true >/dev/null || exit 255; done' sh
say "W1p: $N1 sequential sbatch"
sbatch_times w1p.us
read -r med _ < <(stats w1p.us)
echo "w1_10k_pending_median_ms: $med"
scancel -t PENDING
scancel "$holder"
wait_until 120 queue_empty || say "W1p jobs still listed"

# --- W2p ---------------------------------------------------------------------
# W2 is bound by one sequential submitter: each iteration waits for the
# shell's fork, sbatch and the commit while the jobs compete for the two
# CPUs (docs/performance.md).  The same jobs from two loops at once show
# what the daemon sustains when submissions overlap.  Last, so that its
# jobs change no other figure.
say "W2p: $N2 jobs from two submitters"
t0=${EPOCHREALTIME/./}; t0=$((10#$t0))
N2=$((N2 / 2)) w2_loop sh & p1=$!
N2=$((N2 - N2 / 2)) w2_loop sh & p2=$!
wait "$p1" "$p2"
wait_until 600 queue_empty || say "W2p jobs did not drain in 600 s"
t1=${EPOCHREALTIME/./}; t1=$((10#$t1))
awk -v us=$((t1 - t0)) -v n="$N2" 'BEGIN {
	printf "w2p_%d_jobs_s: %.2f\n", n, us / 1e6
	printf "w2p_jobs_per_s: %.1f\n", n / (us / 1e6) }'

# --- the scheduler pass alone ------------------------------------------------
if [ -f "$repo/bench/sched-pass.c" ]; then
	say "sched-pass: compiling bench/sched-pass.c"
	if (cd "$repo" && cc -std=c17 -D_GNU_SOURCE -O2 -Isrc bench/sched-pass.c \
	    src/sched/*.c src/common/*.c src/proto/*.c \
	    -o "$BERTH_BUILD/sched-pass" -lm); then
		"$BERTH_BUILD/sched-pass"
	else
		say "sched-pass did not compile"
	fi
fi
