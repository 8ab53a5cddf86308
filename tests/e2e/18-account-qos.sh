#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch -A/--account, --qos, --comment and --wckey are stored
#   and shown (issue 2 part 6): squeue -o %a %q %k and -O, sacct
#   Account,QOS,WCKey,Comment, scontrol show job Account= QOS= Comment=,
#   from the command line and from #SBATCH lines, also after a daemon
#   restart; without them the job has QOS normal and no comment.
# Slurm behaviour copied: 02_sbatch_errors (an unknown --qos or -A is
#   accepted: no associations are enforced), 40_scontrol ("Account=...
#   QOS=normal" on the Priority line).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

submit -H -A physics --qos=high --comment='my comment' --wckey=wk1 \
    -o /dev/null --wrap=true; j=$JOB
cat >dir.sh <<'EOF'
#!/bin/sh
#SBATCH --account=chem
#SBATCH --qos=low
#SBATCH --comment=from-directive
#SBATCH --wckey=wk2
true
EOF
submit -H -o /dev/null dir.sh; d=$JOB
submit -H -o /dev/null --wrap=true; n=$JOB

# (three held jobs of equal priority: newest first, as real squeue)
run squeue -h -j "$j,$d,$n" -o '%i|%a|%q|%k'
is "$OUT" "$n|$(id -gn)|normal|(null)
$d|chem|low|from-directive
$j|physics|high|my comment" "squeue %a %q %k: account, QOS, comment"
run squeue -h -j "$j" -O 'Account:10,QOS:6,Comment:12,WCKey:5'
is "$OUT" "$(printf '%-10s%-6s%-12s%-5s' physics high 'my comment' wk1)" \
    "squeue -O Account,QOS,Comment,WCKey"

show() { scontrol show job "$1" 2>&1; }
ok "scontrol show job: Account= QOS= as given" \
    grep -q "^   Priority=[0-9]* Nice=0 Account=physics QOS=high$" <(show "$j")
ok "scontrol show job: the Comment= line" \
    grep -q "^   Comment=my comment *$" <(show "$j")
ok "scontrol show job: #SBATCH --account/--qos" \
    grep -q " Account=chem QOS=low$" <(show "$d")
ok "scontrol show job: QOS=normal by default" \
    grep -q " QOS=normal$" <(show "$n")

# The values survive a restart (they are in the store, not only in memory).
stop_daemon
start_daemon || done_testing
run squeue -h -j "$j,$d" -o '%i|%a|%q|%k'
is "$OUT" "$d|chem|low|from-directive
$j|physics|high|my comment" "after a daemon restart: the same account, QOS, comment"

run scancel "$j" "$d" "$n"
wait_done "$j"; wait_done "$d"; wait_done "$n"
run sacct -n -X -P -j "$j,$d" -o JobID,Account,QOS,WCKey,Comment
is "$OUT" "$j|physics|high|wk1|my comment
$d|chem|low|wk2|from-directive" "sacct Account,QOS,WCKey,Comment of ended jobs"

done_testing
