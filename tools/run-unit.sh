#!/bin/sh
# Run the unit test binaries (TAP) and fail if any fails.
fail=0
for t in "$@"; do
	echo "# $t"
	if ! "$t"; then
		echo "not ok - $t failed" >&2
		fail=1
	fi
done
exit $fail
