# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Shared helpers for the end-to-end tests.  Each tests/e2e/NN-topic.sh starts
#
#	. "$(dirname "$0")/lib.sh"
#
# and gets a private world: a fresh temp dir $T (HOME=$T, state dir
# $T/state, working dir $T/work), a sanitized environment (the script
# re-executes itself under `env -i`, so no SLURM_*/SBATCH_* or user setting
# leaks in), and a trap that on exit stops only this test's daemon (by the
# pid we recorded), kills only this test's leftover supervisors and jobs
# (processes whose cmdline or environment names $T), reports sanitizer
# logs, and removes $T.
#
# Output is TAP: ok/is/like/... print "ok N - desc" or "not ok N - desc"
# with got/expected diagnostics; done_testing prints the plan and sets the
# exit status.  run.sh renumbers and aggregates the per-script streams.
#
# Waiting is polling with a deadline (wait_for), never sleep-and-hope.
#
# Variables (from the caller's environment):
#	E2E_KEEP=1		keep $T after the test (for debugging)
#	E2E_TIMEOUT_SCALE=N	multiply every wait_for deadline (sanitizers)
#	E2E_DAEMON_FG=1		run berthd -f with stderr kept (sanitizers)

# --- sanitized environment -------------------------------------------------

if [ -z "${BERTH_E2E_CLEAN:-}" ]; then
	_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	if [ -z "${BERTH_BUILD:-}" ]; then
		BERTH_BUILD=$(cd "$_lib_dir/../.." && pwd)/build
	fi
	exec env -i BERTH_E2E_CLEAN=1 BERTH_BUILD="$BERTH_BUILD" \
	    E2E_KEEP="${E2E_KEEP:-}" E2E_TIMEOUT_SCALE="${E2E_TIMEOUT_SCALE:-}" \
	    E2E_DAEMON_FG="${E2E_DAEMON_FG:-}" \
	    LANG=C LC_ALL=C TERM=dumb \
	    PATH="$BERTH_BUILD/bin:/usr/bin:/bin" \
	    /bin/bash "$0" "$@"
fi

set -u
set -o pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
FAKE_DIR=$REPO/tests/fake
BERTHD=$BERTH_BUILD/sbin/berthd
JOBSUP=$BERTH_BUILD/libexec/berth/berth-jobsup
TEST_NAME=$(basename "$0" .sh)
ME=$(id -un)
MY_UID=$(id -u)
MY_GID=$(id -g)
HOST=$(hostname -s 2>/dev/null || uname -n)
HOST=${HOST%%.*}

# Timeouts are scaled up for sanitizer builds (set by run.sh).
: "${E2E_TIMEOUT_SCALE:=1}"
[ -n "$E2E_TIMEOUT_SCALE" ] || E2E_TIMEOUT_SCALE=1

T=$(mktemp -d "${TMPDIR:-/tmp}/berth-e2e.XXXXXX") || {
	echo "not ok 1 - mktemp failed"; exit 1; }
export HOME=$T
export BERTH_STATE_DIR=$T/state
export USER=$ME LOGNAME=$ME
mkdir -p "$T/state" "$T/work"
cd "$T/work" || exit 1

# Sanitizer reports land in $T and are turned into test failures.  The CLI
# may leave freeing to exit (STYLE.md), so leak checking is on only for the
# daemon (and the supervisors it starts), see start_daemon.
export ASAN_OPTIONS="log_path=$T/asan:detect_leaks=0:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$T/ubsan:print_stacktrace=1:halt_on_error=1"
DAEMON_ASAN_OPTIONS="log_path=$T/asan:detect_leaks=1:abort_on_error=0"

# Fake GPUs (tests/fake/nvidia-smi prints FAKE_GPUS of them), first on PATH.
export FAKE_GPUS=2
[ -x "$FAKE_DIR/nvidia-smi" ] && export PATH="$FAKE_DIR:$PATH"

# The berth commands are pinned to the build under test: a look-up made
# while one of its programs is missing or being relinked would otherwise
# find real Slurm's in /usr/bin and keep it for the rest of the test
# (_foreign_cmd_diag below).  A test that sets PATH itself drops this.
for _t in berth sbatch squeue sacct scancel sinfo scontrol sprio srun \
    salloc sattach sstat seff; do
	[ -e "$BERTH_BUILD/bin/$_t" ] && hash -p "$BERTH_BUILD/bin/$_t" "$_t"
done
unset _t

# --- TAP -------------------------------------------------------------------

_n=0
_fail=0

diag() {
	local line
	while IFS= read -r line; do
		printf '#   %s\n' "$line"
	done <<<"$*"
}

pass() { _n=$((_n + 1)); printf 'ok %d - %s\n' "$_n" "$1"; }

fail() {
	_n=$((_n + 1)); _fail=$((_fail + 1))
	printf 'not ok %d - %s\n' "$_n" "$1"
	shift
	[ $# -gt 0 ] && diag "$*"
	_last_run_diag
	return 1
}

# The last `run` command, its exit code and the start of its stderr, for a
# failure that may come from it (a test often checks a command's effect,
# not its exit code, and a rare failure is otherwise without a trace).
_last_run_diag() {
	[ -n "${_LAST_RUN:-}" ] || return 0
	diag "last run: $_LAST_RUN (exit ${RC:-?})"
	[ -n "${ERR:-}" ] && diag "  its stderr: $(head -c 400 <<<"$ERR")"
	_foreign_cmd_diag "${_LAST_RUN%% *}"
	return 0
}

# A berth command that the shell runs from elsewhere than the build under
# test: real Slurm's in /usr/bin is found (and kept in the shell's hash)
# by a look-up made while the build's program is missing or being
# relinked (e2e 71-install once rebuilt it under the running suite), and
# the failure it makes points nowhere near that.
_foreign_cmd_diag() {
	local p
	case $1 in
	berth|berthd|sbatch|squeue|sacct|scancel|sinfo|scontrol|sprio|srun|\
	salloc|sattach|sstat) ;;
	*) return 0 ;;
	esac
	p=$(hash -t "$1" 2>/dev/null || type -P "$1" 2>/dev/null) || p=none
	case $p in
	"$BERTH_BUILD"/*) ;;
	*) diag "  $1 here is $p, not the build's ($BERTH_BUILD)" ;;
	esac
	return 0
}

# ok DESC CMD...: passes when CMD succeeds.
ok() {
	local desc=$1; shift
	if "$@"; then pass "$desc"; else fail "$desc" "command failed: $*"; fi
}

# is GOT EXPECTED DESC.  Multi-line values that differ are shown as a
# unified diff (- expected, + got).
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
		return 0
	fi
	_n=$((_n + 1)); _fail=$((_fail + 1))
	printf 'not ok %d - %s\n' "$_n" "$3"
	if [[ $1 == *$'\n'* || $2 == *$'\n'* ]]; then
		printf '#   diff (- expected, + got):\n'
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$1") |
		    tail -n +3 | sed 's/^/#   /'
	else
		printf '#   got:      %s\n' "$1"
		printf '#   expected: %s\n' "$2"
	fi
	_last_run_diag
	return 1
}

# isnt GOT UNEXPECTED DESC
isnt() {
	if [ "$1" != "$2" ]; then pass "$3"; else
		fail "$3" "got (and did not want): $1"; fi
}

# like GOT ERE DESC
like() {
	if [[ $1 =~ $2 ]]; then pass "$3"; else
		_n=$((_n + 1)); _fail=$((_fail + 1))
		printf 'not ok %d - %s\n' "$_n" "$3"
		printf '#   got:\n'; diag "$1"
		printf '#   expected to match: %s\n' "$2"
		return 1
	fi
}

# unlike GOT ERE DESC
unlike() {
	if [[ $1 =~ $2 ]]; then
		fail "$3" "got: $1" "(should not match: $2)"
	else pass "$3"; fi
}

# is_masked GOT EXPECTED DESC: like is, but in EXPECTED "@@@" matches
# anything and "@@" any run of non-blanks (times, pids, load...).  Lines
# are compared in order.
is_masked() {
	local got=$1 want=$2 desc=$3 out="" gl wl re i
	local -a G W
	mapfile -t G <<<"$got"
	mapfile -t W <<<"$want"
	for i in "${!G[@]}"; do
		gl=${G[i]}
		wl=${W[i]-}
		if [[ $wl == *@@* ]]; then
			re=$(printf '%s' "$wl" | sed -e 's/[][\.*^$(){}+?|/]/\\&/g' \
			    -e 's/@@@/.*/g' -e 's/@@/[^ ]*/g')
			[[ $gl =~ ^$re$ ]] && gl=$wl
		fi
		out+=$gl$'\n'
	done
	is "${out%$'\n'}" "$want" "$desc"
}

# skip DESC REASON
skip() { _n=$((_n + 1)); printf 'ok %d - %s # SKIP %s\n' "$_n" "$1" "$2"; }

done_testing() {
	_finish_checks
	printf '1..%d\n' "$_n"
	[ "$_fail" -eq 0 ] && exit 0
	exit 1
}

# --- running commands ----------------------------------------------------

# run CMD...: runs CMD with stdin from /dev/null; sets OUT, ERR (trailing
# newlines stripped), RC, and leaves the raw streams in $T/.out / $T/.err.
run() {
	_LAST_RUN="$*"
	"$@" </dev/null >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(<"$T/.out")
	ERR=$(<"$T/.err")
	_check_sanitizer_err "$@"
	return 0
}

# A sanitizer report on a command's stderr (UBSan ignores log_path) is a
# failure of its own, named after the command.
_check_sanitizer_err() {
	case $ERR in
	*"runtime error:"*|*"ERROR: AddressSanitizer"*|*"ERROR: LeakSanitizer"*)
		fail "no sanitizer report from: $*" "$(head -n 12 <<<"$ERR")" ;;
	esac
	return 0
}

# run_in TEXT CMD...: like run, with TEXT (plus newline) on stdin.
run_in() {
	local input=$1; shift
	printf '%s\n' "$input" | "$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(<"$T/.out")
	ERR=$(<"$T/.err")
	_check_sanitizer_err "$@"
	return 0
}

# Expect the last run to have exited RC with empty stderr.
run_ok() {
	local desc=$1
	if [ "$RC" -eq 0 ] && [ -z "$ERR" ]; then pass "$desc"; else
		fail "$desc" "exit $RC" "stdout: $OUT" "stderr: $ERR"; fi
}

# submit ARGS...: sbatch --parsable ARGS; sets JOB.  Reports a failure and
# returns 1 if sbatch did not print an id.
submit() {
	run sbatch --parsable "$@"
	JOB=${OUT%%;*}
	if [ "$RC" -ne 0 ] || ! [[ $JOB =~ ^[0-9]+$ ]]; then
		fail "sbatch --parsable $*" "exit $RC" "stdout: $OUT" \
		    "stderr: $ERR"
		JOB=0
		return 1
	fi
	return 0
}

# --- waiting -------------------------------------------------------------

_now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# wait_for TIMEOUT CMD...: poll CMD every 20 ms until it succeeds; after
# TIMEOUT seconds (scaled for sanitizer builds) print a diagnostic and fail.
wait_for() {
	local timeout=$1; shift
	local deadline=$(($(_now_ms) + timeout * 1000 * E2E_TIMEOUT_SCALE))
	while :; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [ "$(_now_ms)" -ge "$deadline" ]; then
			printf '# wait_for: timed out after %ss: %s\n' \
			    "$((timeout * E2E_TIMEOUT_SCALE))" "$*"
			return 1
		fi
		sleep 0.02
	done
}

# job_state ID: the job's state name (first word: "CANCELLED by 0" ->
# CANCELLED), from squeue while the daemon still lists it, else sacct.
job_state() {
	local s
	s=$(squeue -h -j "$1" -o %T 2>/dev/null | head -n 1)
	s=${s//[[:space:]]/}
	if [ -z "$s" ]; then
		s=$(sacct -n -X -P -o State -j "$1" 2>/dev/null | head -n 1)
		s=${s%% *}
	fi
	printf '%s\n' "$s"
}

job_state_is() { [ "$(job_state "$1")" = "$2" ]; }

# job_done ID: true once the job is in a final state.
job_done() {
	case $(job_state "$1") in
	COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|BOOT_FAIL|\
	DEADLINE|PREEMPTED) return 0 ;;
	esac
	return 1
}

# wait_state ID STATE [TIMEOUT]: wait for the job to reach STATE; returns
# non-zero (after printing a diagnostic) when it does not.
wait_state() {
	wait_for "${3:-20}" job_state_is "$1" "$2" && return 0
	printf '# job %s is %s, wanted %s\n' "$1" "$(job_state "$1")" "$2"
	return 1
}

# job_reason ID: squeue's %r for the job.
job_reason() { squeue -h -j "$1" -o %r 2>/dev/null | head -n 1; }
job_reason_is() { [ "$(job_reason "$1")" = "$2" ]; }
wait_reason() {
	wait_for "${3:-10}" job_reason_is "$1" "$2" && return 0
	printf '# job %s has reason %s, wanted %s\n' "$1" "$(job_reason "$1")" "$2"
	return 1
}

wait_done() {
	wait_for "${2:-20}" job_done "$1" && return 0
	printf '# job %s is still %s\n' "$1" "$(job_state "$1")"
	return 1
}

# has_line TEXT LINE: TEXT has LINE as one of its lines.
has_line() { grep -qxF -- "$2" <<<"$1"; }

# file_has FILE TEXT: the file exists and contains TEXT on a line.
file_has() { [ -f "$1" ] && grep -qxF -- "$2" "$1"; }
file_nonempty() { [ -s "$1" ]; }

# verbose_table TOOL LINE...: the option table -v prints, as expected
# (sbatch, salloc and srun: "TOOL: defined options", a rule, LINEs, a
# rule, "TOOL: end of defined options").
verbose_table() {
	local tool=$1 l rule='-------------------- --------------------'
	shift
	for l in 'defined options' "$rule" "$@" "$rule" \
	    'end of defined options'; do
		printf '%s: %s\n' "$tool" "$l"
	done
}

# --- daemon --------------------------------------------------------------

DAEMON_PID=

# write_conf LINES...: writes $T/state/berth.conf, one argument a line.
write_conf() {
	printf '%s\n' "$@" >"$BERTH_STATE_DIR/berth.conf"
}

# The reference cluster (slurm-reference/README.md): one node with 2 CPUs,
# RealMemory=20000, Gres=gpu:2, DefMemPerCPU=1000, partitions cpu (default,
# no limit) and debug (MaxTime=30:00, DefaultTime=10:00); plus KillWait=2
# so cancelled jobs go quickly.  Extra arguments are appended to the
# NodeName line.
write_conf_ref() {
	write_conf "ClusterName=ref" \
	    "NodeName=$HOST CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=20000 Gres=gpu:2 $*" \
	    "DefMemPerCPU=1000" "KillWait=2" \
	    "PartitionName=cpu Default=YES MaxTime=INFINITE State=UP" \
	    "PartitionName=debug MaxTime=30:00 DefaultTime=10:00 State=UP"
}

_daemon_pid_from_file() {
	local p
	[ -f "$BERTH_STATE_DIR/berthd.pid" ] || return 1
	p=$(<"$BERTH_STATE_DIR/berthd.pid")
	p=${p//[[:space:]]/}
	[[ $p =~ ^[0-9]+$ ]] || return 1
	echo "$p"
}

# start_daemon [ARGS...]: runs berthd (which returns once its socket
# listens) and records its pid from the pid file.  Fails the test's
# current step (returns 1) if it does not come up.
#
# With E2E_DAEMON_FG=1 (run.sh sets it for sanitizer builds) the daemon
# runs as `berthd -f` in its own session with stderr kept in
# $T/berthd.stderr: UBSan writes its reports to stderr only, which a
# daemonized berthd points at /dev/null.
start_daemon() {
	local rc
	if [ -n "${E2E_DAEMON_FG:-}" ]; then
		_start_daemon_fg "$@"
		return
	fi
	ASAN_OPTIONS=$DAEMON_ASAN_OPTIONS "$BERTHD" "$@" </dev/null \
	    >"$T/.daemon.out" 2>"$T/.daemon.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "start berthd" "berthd exited $rc" \
		    "$(cat "$T/.daemon.out" "$T/.daemon.err")"
		return 1
	fi
	if ! DAEMON_PID=$(_daemon_pid_from_file); then
		fail "start berthd" "no pid in $BERTH_STATE_DIR/berthd.pid"
		DAEMON_PID=
		return 1
	fi
	if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
		fail "start berthd" "pid $DAEMON_PID from the pid file is not running"
		return 1
	fi
	return 0
}

_fg_ready() {
	local p
	p=$(_daemon_pid_from_file) || return 1
	[ "$p" = "$1" ] && BERTH_NO_AUTOSTART=1 scontrol ping >/dev/null 2>&1
}

_start_daemon_fg() {
	local pid
	rm -f "$BERTH_STATE_DIR/berthd.pid"
	ASAN_OPTIONS=$DAEMON_ASAN_OPTIONS setsid "$BERTHD" -f "$@" </dev/null \
	    >>"$T/berthd.stderr" 2>&1 &
	pid=$!
	if ! wait_for 10 _fg_ready "$pid"; then
		fail "start berthd -f" "not ready (pid $pid, pid file:" \
		    "$(_daemon_pid_from_file 2>&1); ping: $(BERTH_NO_AUTOSTART=1 \
		    timeout 10 scontrol ping 2>&1 | head -c 300))" \
		    "$(tail -n 20 "$T/berthd.stderr")"
		_foreign_cmd_diag scontrol
		kill -KILL "$pid" 2>/dev/null
		return 1
	fi
	DAEMON_PID=$pid
	return 0
}

daemon_alive() { [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; }
_pid_gone() { ! kill -0 "$1" 2>/dev/null || _is_zombie "$1"; }
_is_zombie() {
	local st
	st=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ "$st" = Z ]
}

# stop_daemon: SIGTERM the recorded daemon and wait (with a deadline) for it
# to exit; SIGKILL it if it does not.  Returns 1 if it had to be killed.
stop_daemon() {
	local pid=$DAEMON_PID
	[ -n "$pid" ] || return 0
	DAEMON_PID=
	kill -TERM "$pid" 2>/dev/null || return 0
	if ! wait_for 10 _pid_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait_for 5 _pid_gone "$pid"
		printf '# berthd %s did not stop on SIGTERM; killed\n' "$pid"
		return 1
	fi
	return 0
}

# kill_daemon: kill -9 the recorded daemon (crash simulation) and wait for
# it to be gone, and for its state-directory lock to be free: a supervisor
# it was spawning at the kill holds a copy of the lock (close-on-exec)
# until its exec, and a berthd started in that moment would see another
# instance (exit 3).
_lock_free() { flock -n "$BERTH_STATE_DIR/berthd.lock" true; }
kill_daemon() {
	local pid=$DAEMON_PID
	[ -n "$pid" ] || return 0
	DAEMON_PID=
	kill -KILL "$pid" 2>/dev/null
	wait_for 5 _pid_gone "$pid"
	[ -e "$BERTH_STATE_DIR/berthd.lock" ] && wait_for 5 _lock_free
	return 0
}

# Pids of this test's supervisors (cmdline names $T) and job processes
# (environment has SLURM_JOB_ID and names $T), never our own shell.
_test_pids() {
	local f p files
	files=$(grep -lsF -- "$T" /proc/[0-9]*/cmdline /proc/[0-9]*/environ \
	    2>/dev/null)
	for f in $files; do
		p=${f#/proc/}; p=${p%%/*}
		[ "$p" = "$$" ] && continue
		[ "$p" = "$BASHPID" ] && continue
		case $f in
		*/cmdline)
			grep -qsF berth-jobsup "$f" && echo "$p" ;;
		*/environ)
			grep -qsz '^SLURM_JOB_ID=' "$f" && echo "$p" ;;
		esac
	done | sort -u
}

# wrap_jobsup: start_daemon runs a copy of the build's sbin and libexec
# under $T/inst (BERTHD), whose berth-jobsup is moved to $sup.real: the
# test writes its own wrapper at $sup (and makes it executable).
wrap_jobsup() {
	mkdir -p "$T/inst"
	cp -a "$BERTH_BUILD/sbin" "$BERTH_BUILD/libexec" "$T/inst/"
	sup=$T/inst/libexec/berth/berth-jobsup
	mv "$sup" "$sup.real"
	BERTHD=$T/inst/sbin/berthd
}

# need_pidat WHAT: PIDAT names tests/e2e/pidat.py (a process given a
# chosen pid: clone3 with set_tid), or WHAT is skipped and the test ends
# (it needs root and python3).
need_pidat() {
	PIDAT=$E2E_DIR/pidat.py
	if [ "$MY_UID" -ne 0 ] || ! command -v python3 >/dev/null; then
		skip "$1" "needs root and python3"
		done_testing
	fi
}

# leftovers_gone N [WHAT]: job.sh N's process that left its group (dN.0)
# and its process group (gN.0) are gone.
leftovers_gone() {
	ok "…${2:-the process} that left its group is gone" \
	    wait_for 5 proc_gone_file "d$1.0"
	ok "…its process group too" wait_for 5 proc_gone_file "g$1.0"
}

# supervisor_pids ID: pids of "berth-jobsup <state>/jobs/ID".  For a job,
# not the child the supervisor vforked for the batch shell, which has the
# same command line until its exec (its parent has it too); the zygote's
# idle supervisor (ID idle-supervisor-waiting) is listed with the zygote.
supervisor_pids() {
	local f p pp
	for f in $(grep -lszxF -- "$BERTH_STATE_DIR/jobs/$1" \
	    /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}; p=${p%%/*}
		grep -qsF berth-jobsup "$f" || continue
		if [ "$1" != idle-supervisor-waiting ]; then
			pp=$(proc_stat_field "$p" 4)
			[ -n "$pp" ] && cmp -s "$f" "/proc/$pp/cmdline" &&
			    continue
		fi
		echo "$p"
	done
}
supervisor_alive() { [ -n "$(supervisor_pids "$1")" ]; }
# idle_supervisor_pids: the zygote and the idle supervisor it forked, both
# "berth-jobsup -w <state>/jobs/idle-supervisor-waiting".
idle_supervisor_pids() { supervisor_pids idle-supervisor-waiting; }
# proc_stat_field PID N: field N of /proc/PID/stat (3 state, 4 ppid,
# 6 session), counted as proc(5) does, past the command name.
proc_stat_field() { awk -v n="$2" '{ sub(/^.*\) /, ""); print $(n - 2) }' \
    "/proc/$1/stat" 2>/dev/null; }
# zygote_pid: the daemon's zygote (its child); idle_pid: the idle
# supervisor the zygote forked.
zygote_pid() {
	local p
	for p in $(idle_supervisor_pids); do
		[ "$(proc_stat_field "$p" 4)" = "$DAEMON_PID" ] && echo "$p"
	done
}
has_zygote() { [ -n "$(zygote_pid)" ]; }
# killed_before PID LINE: berthd's "killing process PID," (a leftover
# killed) comes before the first line holding LINE in the log $log.
killed_before() {
	awk -v p="killing process $1," -v l="$2" '
	    index($0, p) { k = NR } index($0, l) && !e { e = NR }
	    END { exit !(k && e && k < e) }' "$log"
}
idle_pid() {
	local p z
	z=$(zygote_pid)
	for p in $(idle_supervisor_pids); do
		[ -n "$z" ] && [ "$(proc_stat_field "$p" 4)" = "$z" ] && echo "$p"
	done
}
# proc_gone PID: no such process, or a zombie; proc_gone_file F: F
# holds such a pid.
proc_gone() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_stat_field "$1" 3)" = Z ]; }
proc_gone_file() { [ -s "$1" ] && proc_gone "$(cat "$1")"; }
# write_leftover_job: ./job.sh N, a job that leaves a process in its own
# group (its pid in gN.R, R its restart count) and one in a session of
# its own (dN.R), appends to ran.N, then waits (ends at once if ./go
# exists).
write_leftover_job() {
	cat >job.sh <<'SH'
#!/bin/sh
n=$1 r=${SLURM_RESTART_COUNT:-0}
echo x >>ran.$n
sleep 300 & echo $! >g$n.$r
(setsid sh -c "sleep 300 & echo \$! >d$n.$r" &)
[ -e go ] && exit 0; sleep 300
SH
}

# attached PID: how many sattach clients the srun PID has accepted: its
# sockets bound to a step's attach address (an accepted socket carries
# its listener's address in /proc/net/unix), less the listener itself
# (flags __SO_ACCEPTCON).  Counting all of srun's sockets instead would
# also count its daemon connection, open for a moment after the tasks
# start.
attached() {
	local inodes
	inodes=$(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' \
	    2>/dev/null | tr -dc '0-9\n')
	awk -v inodes="$inodes" '
	    BEGIN { n = split(inodes, a, "\n"); for (i = 1; i <= n; i++) mine[a[i]] = 1 }
	    $8 ~ /^@berth-step-/ && $4 != "00010000" && ($7 in mine) { c++ }
	    END { print c + 0 }' /proc/net/unix
}
attached_is() { [ "$(attached "$1")" -eq "$2" ]; }

# berthd processes whose state dir is ours (by pid file, autostart included).
_test_daemons() {
	local p
	p=$(_daemon_pid_from_file) || return 0
	grep -qsF berthd "/proc/$p/cmdline" && echo "$p"
}

# Sanitizer reports: ASan/LSan files (log_path), and UBSan or ASan lines
# in the daemon's stderr (foreground mode) and log (supervisors' stderr).
_sanitizer_lines() {
	grep -hE 'runtime error:|ERROR: (Address|Leak)Sanitizer|SUMMARY: (Address|UndefinedBehavior)Sanitizer' \
	    "$T/berthd.stderr" "$BERTH_STATE_DIR/berthd.log" 2>/dev/null
}

_finish_checks() {
	[ -n "${_finished:-}" ] && return 0
	_finished=1
	local f lines
	if [ -n "$DAEMON_PID" ] && ! daemon_alive; then
		fail "berthd (pid $DAEMON_PID) is still running at the end" \
		    "it died during the test"
	fi
	stop_daemon >/dev/null
	for f in "$T"/asan.* "$T"/ubsan.*; do
		[ -e "$f" ] || continue
		fail "no sanitizer report ($(basename "$f"))" "$(head -n 40 "$f")"
	done
	lines=$(_sanitizer_lines)
	if [ -n "$lines" ]; then
		fail "no sanitizer report in the daemon's stderr or log" \
		    "$(head -n 20 <<<"$lines")"
		[ -f "$T/berthd.stderr" ] && diag "$(head -n 40 "$T/berthd.stderr")"
	fi
}

# --- other users (tests running as root) ---------------------------------
#
# can_add_users: true when this test may create real users (root, with
# useradd and setpriv).  add_group NAME and add_user NAME [GROUP,...]
# create them (a user gets its own group plus the supplementary ones
# named); both are removed when the test exits.  as_user NAME CMD...
# runs CMD as that user with its groups.  share_daemon lets other users
# reach this test's daemon and working directory.

_E2E_USERS=()
_E2E_GROUPS=()
# A suffix for the names of the users and groups a test creates, unique
# to this run: two suites running at once must not share (and delete)
# each other's.
E2E_TAG=$(printf '%x' "$$")

_SBIN_PATH=$PATH:/usr/sbin:/sbin

can_add_users() {
	[ "$MY_UID" -eq 0 ] && PATH=$_SBIN_PATH command -v useradd >/dev/null &&
	    PATH=$_SBIN_PATH command -v groupadd >/dev/null &&
	    command -v setpriv >/dev/null
}

add_group() {
	getent group "$1" >/dev/null && return 0
	PATH=$_SBIN_PATH groupadd "$1" || return 1
	_E2E_GROUPS+=("$1")
}

add_user() {
	getent passwd "$1" >/dev/null && return 0
	PATH=$_SBIN_PATH useradd -M -U -d /nonexistent -s /bin/false \
	    ${2:+-G "$2"} "$1" || return 1
	_E2E_USERS+=("$1")
}

as_user() {
	local u=$1; shift
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups "$@"
}

share_daemon() {
	chmod 755 "$T" "$BERTH_STATE_DIR"
	chmod 711 "$BERTH_STATE_DIR/jobs"
	chmod 777 "$T/work"
	[ -S "$BERTH_STATE_DIR/berthd.sock" ] &&
	    chmod 777 "$BERTH_STATE_DIR/berthd.sock"
	return 0
}

_cleanup_users() {
	local u
	for u in "${_E2E_USERS[@]}"; do
		PATH=$_SBIN_PATH userdel "$u" >/dev/null 2>&1
		getent group "$u" >/dev/null &&
		    PATH=$_SBIN_PATH groupdel "$u" >/dev/null 2>&1
	done
	for u in "${_E2E_GROUPS[@]}"; do
		PATH=$_SBIN_PATH groupdel "$u" >/dev/null 2>&1
	done
}

_cleanup() {
	local rc=$? p i
	set +e
	stop_daemon >/dev/null
	for p in $(_test_daemons); do
		kill -TERM "$p" 2>/dev/null
		wait_for 5 _pid_gone "$p" >/dev/null || kill -KILL "$p" 2>/dev/null
	done
	for i in 1 2 3; do
		p=$(_test_pids)
		[ -n "$p" ] || break
		# shellcheck disable=SC2086
		kill -KILL $p 2>/dev/null
		sleep 0.05
	done
	if [ "$_fail" -gt 0 ] && [ -f "$BERTH_STATE_DIR/berthd.log" ]; then
		echo "# last lines of berthd.log:"
		tail -n 25 "$BERTH_STATE_DIR/berthd.log" | sed 's/^/#   /'
	fi
	_cleanup_users
	if [ -n "${E2E_KEEP:-}" ]; then
		echo "# kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- small utilities ------------------------------------------------------

# job script helper: script FILE LINES... writes an executable script.
script() {
	local f=$1; shift
	printf '%s\n' "$@" >"$f"
	chmod +x "$f"
}

# squeue default row as Slurm prints it: "%.18i %.9P %.8j %.8u %.2t %.10M
# %.6D %R".
squeue_row() {
	printf '%18.18s %9.9s %8.8s %8.8s %2.2s %10.10s %6.6s %s' "$@"
}
SQUEUE_HDR=$(squeue_row JOBID PARTITION NAME USER ST TIME NODES \
    'NODELIST(REASON)')

# count_lines FILE: number of lines (0 if missing).
count_lines() {
	if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}
