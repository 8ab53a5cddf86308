#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: a berth-jobsup whose zygote (berth-jobsup -w) fails at once:
#   berthd no longer starts a zygote again at every launch, logging each
#   failure; after three failures in a row it says so once and spawns
#   the supervisors itself, trying the zygote again after 1 s, then less
#   and less often.  Jobs keep running meanwhile.
# Slurm behaviour copied: none (internal); the observable contract is
#   Slurm's: every submitted job runs once and completes.
. "$(dirname "$0")/lib.sh"

write_conf_ref
# berth-jobsup as a wrapper: as the zygote (-w) it notes the start in
# $T/zygote-starts and exits; as a supervisor it runs the real one.
wrap_jobsup
cat >"$sup" <<SH
#!/bin/sh
if [ "\$1" = -w ]; then echo x >>"$T/zygote-starts"; exit 1; fi
exec "$sup.real" "\$@"
SH
chmod +x "$sup"
start_daemon || done_testing
log=$BERTH_STATE_DIR/berthd.log

n=0
for k in $(seq 1 10); do
	submit -o /dev/null --wrap="echo $k >>ran"
	wait_done "$JOB"
	[ "$(job_state "$JOB")" = COMPLETED ] && n=$((n + 1))
done
is "$n" 10 "ten jobs run one after another complete"
is "$(sort -n ran | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 10 " "…each once"
starts=$(wc -l <"$T/zygote-starts")
ok "the zygote was started fewer times than jobs ran ($starts)" \
    test "$starts" -lt 10
ok "…at least three times" test "$starts" -ge 3
is "$(grep -c 'supervisor zygote failed 3 times in a row; spawning supervisors directly' "$log")" 1 \
    "one log line says the supervisors are spawned directly"
done_testing
