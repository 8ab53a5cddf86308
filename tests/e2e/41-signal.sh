#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: sbatch --signal=B:SIG@secs for batch jobs: the signal reaches the
#   batch shell secs seconds before the time limit (not at the start),
#   once; the shell's trap ends the job COMPLETED before the limit;
#   without B: the batch shell is not signalled; a TimeLimit lowered by
#   scontrol update while the job runs brings the signal forward; the
#   same from #SBATCH --signal and SBATCH_SIGNAL; bad values refused.
# Slurm behaviour copied (slurm-reference 04_sbatch_signal.txt: -t 2
#   --signal=B:USR1@100, the shell's USR1 trap runs about 20 s after the
#   start and the job is COMPLETED 0:0; man sbatch: "B: signal only the
#   batch shell, none of the other processes will be signaled. By
#   default all job steps will be signaled, but not the batch shell
#   itself"; an invalid value: "sbatch: error: Invalid --signal
#   specification", exit 255).
. "$(dirname "$0")/lib.sh"

write_conf_ref
start_daemon || done_testing

# The trap records when it ran (epoch seconds); without a signal the job
# would run into its one-minute limit (TIMEOUT).
script trap_usr1.sh '#!/bin/bash' \
    'trap '\''echo "batch shell got USR1 at $(date +%s)"; exit 0'\'' USR1' \
    'echo start' \
    'for i in $(seq 1 300); do sleep 0.2; done'

# -t 1 with @55: the signal is due 5 s after the start.
submit -J sig_job -t 1 --signal=B:USR1@55 -o sig.out trap_usr1.sh; a=$JOB
wait_done "$a" 40
run sacct -n -X -P -o State,ExitCode -j "$a"
is "$OUT" "COMPLETED|0:0" "--signal=B:USR1@55 -t 1: the trap ended the job before its limit"
got=$(sed -n 's/^batch shell got USR1 at \([0-9]*\)$/\1/p' sig.out 2>/dev/null)
like "$got" '^[0-9]+$' "the batch shell got USR1"
# Due 55 s before the limit: 5 s after the start the daemon recorded
# (whole seconds), however late the shell itself started.
start=$(date -d "$(sacct -n -X -P -o Start -j "$a")" +%s 2>/dev/null)
ok "... not at the start but 55 s before the limit ($((${got:-0} - ${start:-0})) s after the start)" \
    test "${got:-0}" -ge $((${start:-0} + 5)) -a "${got:-0}" -lt $((${start:-0} + 60))

# #SBATCH --signal and SBATCH_SIGNAL reach the job the same way.
script trap_dir.sh '#!/bin/bash' '#SBATCH --signal=B:USR1@57' '#SBATCH -t 1' \
    'trap '\''echo got; exit 0'\'' USR1' \
    'for i in $(seq 1 300); do sleep 0.2; done'
submit -o dir.out trap_dir.sh; d=$JOB
SBATCH_SIGNAL=B:USR1@57 submit -t 1 -o env.out \
    --wrap="trap 'echo got; exit 0' USR1; for i in \$(seq 1 300); do sleep 0.2; done"
e=$JOB
wait_done "$d" 40
wait_done "$e" 40
is "$(cat dir.out env.out 2>/dev/null | tr '\n' ' ')/$(job_state "$d")/$(job_state "$e")" \
    "got got /COMPLETED/COMPLETED" "#SBATCH --signal and SBATCH_SIGNAL"

# Without B: Slurm signals the job's steps, never the batch shell.
submit -t 1 --signal=USR1@58 -o nob.out \
    --wrap="trap 'echo got USR1' USR1; sleep 4; echo no signal"
n=$JOB
wait_done "$n" 30
is "$(cat nob.out 2>/dev/null)/$(job_state "$n")" "no signal/COMPLETED" \
    "--signal=USR1@58 (no B:): the batch shell is not signalled"

# The limit lowered while the job runs: the signal comes at once (10
# minutes, @570: due after 30 s; TimeLimit=1 puts it in the past).
submit -t 10 --signal=B:USR1@570 -o upd.out trap_usr1.sh; u=$JOB
wait_state "$u" RUNNING
wait_for 10 file_has upd.out start
run scontrol update JobId="$u" TimeLimit=1
is "$RC/$ERR" "0/" "scontrol update TimeLimit=1 of the running job"
wait_done "$u" 20
like "$(cat upd.out 2>/dev/null)" "batch shell got USR1" \
    "a lowered limit brings the signal forward"
is "$(job_state "$u")" COMPLETED "... and the trap ended the job"

# Bad values change nothing.
for bad in B:NOSUCH@10 USR1@abc USR1@-1 0; do
	run sbatch --signal="$bad" --wrap=true
	is "$RC/$OUT/$ERR" "255//sbatch: error: Invalid --signal specification" \
	    "--signal=$bad refused (exit 255)"
done
run squeue -h -o %i
is "$OUT" "" "no job left behind"

done_testing
