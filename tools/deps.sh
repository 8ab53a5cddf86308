#!/bin/sh
# Install what berth needs on Debian/Ubuntu, only when something is missing.
#   deps.sh build   compiler, make, SQLite headers
#   deps.sh test    the above plus what the tests use; also, if it can,
#                   Snakemake for tests/e2e/16-snakemake.sh (optional: a
#                   failed install only warns, and the test skips)
set -eu
what=${1:-build}
need=""
opt=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
[ -f /usr/include/sqlite3.h ] || need="$need libsqlite3-dev"
# musl for the static programs (faster process start; see the Makefile).
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
if [ "$what" = test ]; then
	command -v python3 >/dev/null 2>&1 || need="$need python3"
	command -v setsid >/dev/null 2>&1 || need="$need util-linux"
	command -v clang >/dev/null 2>&1 || need="$need clang"
	# The e2e tests run with PATH=build/bin:/usr/bin:/bin (lib.sh).
	PATH=/usr/bin:/bin command -v snakemake >/dev/null 2>&1 ||
	    opt=" snakemake"
fi
[ -z "$need$opt" ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
	# Optional packages only without a password prompt.
	if [ -n "$opt" ] && ! sudo -n true >/dev/null 2>&1; then
		echo "berth: not installing (optional, needs sudo):$opt" >&2
		opt=""
	fi
fi
[ -z "$need$opt" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	[ -n "$opt" ] && echo "berth: optional, for more tests:$opt" >&2
	[ -z "$need" ] && exit 0
	echo "berth: please install:$need (no apt-get here)" >&2
	exit 1
fi
echo "berth: installing:$need${opt:+ (optional)$opt}"
if [ -n "$need" ]; then
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
elif ! $SUDO apt-get update -qq; then
	echo "berth: apt-get update failed; not installing:$opt" >&2
	exit 0
fi
[ -z "$opt" ] && exit 0
# Snakemake's recommends (cloud storage clients, imagemagick, ...) are
# not needed for its SLURM executor.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $opt ||
    echo "berth: could not install$opt; tests/e2e/16-snakemake.sh will skip" >&2
