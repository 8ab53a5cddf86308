#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run the end-to-end tests and print one TAP stream.
#
#	BERTH_BUILD=/abs/build tests/e2e/run.sh            # every test
#	BERTH_BUILD=/abs/build tests/e2e/run.sh 10 submit   # tests whose name
#	                                                    # contains a word
#
# Each tests/e2e/[0-9]*.sh runs in its own private world (see lib.sh), two
# at a time (E2E_JOBS=N to change), longest first (scripts carrying a
# "# slow" line start first so they overlap with the rest).  A script's own
# TAP lines are renumbered into one stream and prefixed with its name; a
# script that dies without reporting, or overruns E2E_TEST_TIMEOUT seconds,
# counts as a failure.  The last line is "N passed, N failed" and the exit
# status is non-zero when anything failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${BERTH_BUILD:=$(cd "$here/../.." && pwd)/build}"
export BERTH_BUILD
: "${E2E_JOBS:=2}"
: "${E2E_TEST_TIMEOUT:=300}"

# Sanitizer builds are slower, and UBSan reports only to stderr: scale the
# deadlines and keep the daemon's stderr (see lib.sh start_daemon).
case $BERTH_BUILD in
*asan*) : "${E2E_TIMEOUT_SCALE:=3}" "${E2E_DAEMON_FG:=1}" ;;
*) : "${E2E_TIMEOUT_SCALE:=1}" "${E2E_DAEMON_FG:=}" ;;
esac
export E2E_TIMEOUT_SCALE E2E_DAEMON_FG

for f in "$BERTH_BUILD/bin/berth" "$BERTH_BUILD/sbin/berthd" \
    "$BERTH_BUILD/libexec/berth/berth-jobsup"; do
	if [ ! -x "$f" ]; then
		echo "Bail out! $f is missing: run make first"
		exit 1
	fi
done

# Select the tests: all, or those whose file name contains an argument.
all=()
for f in "$here"/[0-9]*.sh; do
	[ -e "$f" ] && all+=("$f")
done
tests=()
if [ $# -eq 0 ]; then
	tests=("${all[@]}")
else
	for f in "${all[@]}"; do
		for pat in "$@"; do
			case $(basename "$f") in
			*"$pat"*) tests+=("$f"); break ;;
			esac
		done
	done
fi
if [ ${#tests[@]} -eq 0 ]; then
	echo "Bail out! no test matches: $*"
	exit 1
fi

# Slow ones first.
ordered=()
for f in "${tests[@]}"; do
	grep -q '^# slow' "$f" && ordered+=("$f")
done
for f in "${tests[@]}"; do
	grep -q '^# slow' "$f" || ordered+=("$f")
done

res=$(mktemp -d "${TMPDIR:-/tmp}/berth-e2e-run.XXXXXX")
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM

n=0
passed=0
failed=0
skipped=0
failed_names=()

# Print one finished script's TAP, renumbered.
report() {
	local f=$1 name rc line seen=0 bad=0 secs
	name=$(basename "$f" .sh)
	rc=$(<"$res/$name.rc")
	secs=$(<"$res/$name.time")
	echo "# $name (${secs}s)"
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+(\ -)?\ ?(.*)$ ]]; then
			n=$((n + 1)); seen=$((seen + 1))
			if [ -n "${BASH_REMATCH[1]}" ]; then
				failed=$((failed + 1)); bad=1
				echo "not ok $n - $name: ${BASH_REMATCH[3]}"
			else
				case $line in
				*"# SKIP"*) skipped=$((skipped + 1)) ;;
				*) passed=$((passed + 1)) ;;
				esac
				echo "ok $n - $name: ${BASH_REMATCH[3]}"
			fi
		elif [[ $line =~ ^1\.\.[0-9]+$ ]]; then
			:
		elif [[ $line =~ ^# ]]; then
			echo "$line"
		elif [ -n "$line" ]; then
			echo "# $line"
		fi
	done <"$res/$name.tap"
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		n=$((n + 1)); failed=$((failed + 1)); bad=1
		if [ "$rc" -eq 124 ]; then
			echo "not ok $n - $name: timed out after ${E2E_TEST_TIMEOUT}s"
		else
			echo "not ok $n - $name: exited $rc without a failing test"
		fi
	elif [ "$seen" -eq 0 ]; then
		n=$((n + 1)); failed=$((failed + 1)); bad=1
		echo "not ok $n - $name: ran no test"
	fi
	[ "$bad" -eq 1 ] && failed_names+=("$name")
}

# Run one script in the background, recording TAP, exit status, duration.
launch() {
	local f=$1 name
	name=$(basename "$f" .sh)
	(
		start=$EPOCHSECONDS
		timeout -k 10 "$E2E_TEST_TIMEOUT" bash "$f" \
		    >"$res/$name.tap" 2>&1 </dev/null
		echo $? >"$res/$name.rc.tmp"
		echo $((EPOCHSECONDS - start)) >"$res/$name.time"
		mv "$res/$name.rc.tmp" "$res/$name.rc"
	) &
}

started=$EPOCHSECONDS
pending=("${ordered[@]}")
running=()
while [ ${#pending[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
	while [ ${#running[@]} -lt "$E2E_JOBS" ] && [ ${#pending[@]} -gt 0 ]; do
		launch "${pending[0]}"
		running+=("${pending[0]}")
		pending=("${pending[@]:1}")
	done
	wait -n 2>/dev/null || true
	still=()
	for f in "${running[@]}"; do
		if [ -f "$res/$(basename "$f" .sh).rc" ]; then
			report "$f"
		else
			still+=("$f")
		fi
	done
	running=("${still[@]+"${still[@]}"}")
done
wait

echo "1..$n"
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "# failed scripts: ${failed_names[*]}"
fi
echo "# e2e took $((EPOCHSECONDS - started))s"
if [ "$skipped" -gt 0 ]; then
	echo "e2e: $passed passed, $failed failed, $skipped skipped"
else
	echo "e2e: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
