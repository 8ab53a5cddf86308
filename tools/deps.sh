#!/bin/sh
# Install what berth needs on Debian/Ubuntu, only when something is missing.
#   deps.sh build   compiler, make, SQLite headers
#   deps.sh test    the above plus what the tests use
set -eu
what=${1:-build}
need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
[ -f /usr/include/sqlite3.h ] || need="$need libsqlite3-dev"
# musl for the static programs (faster process start; see the Makefile).
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
if [ "$what" = test ]; then
	command -v python3 >/dev/null 2>&1 || need="$need python3"
	command -v setsid >/dev/null 2>&1 || need="$need util-linux"
	command -v clang >/dev/null 2>&1 || need="$need clang"
fi
[ -z "$need" ] && exit 0
echo "berth: installing:$need"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if ! command -v apt-get >/dev/null 2>&1; then
	echo "berth: please install:$need (no apt-get here)" >&2
	exit 1
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
