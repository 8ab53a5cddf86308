#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-layers.sh: only src/store/ touches SQLite (ARCHITECTURE.md,
# issue 2 part 3).  Fails, naming each offender, when a file elsewhere
# under src/ includes sqlite3.h or calls an sqlite3_ function, or when a
# built program other than berthd holds SQLite's code.
#   tools/check-layers.sh [BUILD]   (BUILD: build directory, default build)
cd "$(dirname "$0")/.." || exit 2
build=${1:-build}
rc=0

bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"]sqlite3\.h|sqlite3_[a-z_]+[[:space:]]*\(' \
    src --include='*.c' --include='*.h' | grep -v '^src/store/')
for f in $bad; do
	echo "check-layers: $f uses SQLite; only src/store/ may" >&2
	rc=1
done

for p in "$build"/bin/berth "$build"/bin/sbatch "$build"/libexec/berth/berth-jobsup; do
	[ -f "$p" ] || continue
	if grep -q 'sqlite3_prepare' "$p"; then
		echo "check-layers: $p holds SQLite's code; only berthd may" >&2
		rc=1
	fi
done
[ -f "$build/sbin/berthd" ] && ! grep -q sqlite3_prepare "$build/sbin/berthd" &&
    ! ldd "$build/sbin/berthd" 2>/dev/null | grep -q libsqlite3 && {
	echo "check-layers: $build/sbin/berthd does not use SQLite?" >&2
	rc=1
}
[ "$rc" -eq 0 ] && echo "check-layers: only src/store/ uses SQLite"
exit "$rc"
