#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# covers: `make install PREFIX=...` (the programs, the Slurm command names
#   as links, man pages, the optional systemd user unit with the installed
#   berthd's path and KillMode=process, checked by systemd-analyze when the
#   machine has it), the installed sbatch starting the installed daemon,
#   and `make uninstall`.
# Slurm behaviour copied: none (installation is berth's own); what the user
#   then sees is Slurm's "Submitted batch job N".
. "$(dirname "$0")/lib.sh"

repo=$(cd "$(dirname "$0")/../.." && pwd)
P=$T/prefix
# Install what the suite runs, without rebuilding it: the other test
# running meanwhile runs its programs.  The sanitizer build is made with
# STATIC= (see `make asan`), so its install must say so too, and the
# tree's flag stamp ($BUILD/.flags) is given as the flags of this make:
# a make run with other flags (here: without the sanitizers and -O1 of
# `make asan`) rebuilds every object and program in place.  It did: for
# 16 s the programs of the tree were being relinked (scancel failing
# with exit 126, a shell's first look-up of scontrol finding real
# Slurm's in /usr/bin), and the rest of the ASan suite ran without
# sanitizers.
mk=(make -s -C "$repo" BUILD="$BERTH_BUILD" PREFIX="$P")
case $BERTH_BUILD in *asan*) mk+=(STATIC=) ;; esac
[ -f "$BERTH_BUILD/.flags" ] && mk+=("FLAGS_NOW=$(<"$BERTH_BUILD/.flags")")
built() {
	stat -c '%n %i %s %Y' "$BERTH_BUILD/.flags" "$BERTH_BUILD/bin/berth" \
	    "$BERTH_BUILD/bin/sbatch" "$BERTH_BUILD/sbin/berthd" \
	    "$BERTH_BUILD/libexec/berth/berth-jobsup" 2>&1
}
before=$(built)

write_conf_ref
run "${mk[@]}" install
is "$RC" 0 "make install PREFIX=... succeeds"
is "$(built)" "$before" \
    "…and leaves the build it installs (the suite's programs) as it was"
for f in bin/berth bin/sbatch sbin/berthd libexec/berth/berth-jobsup \
    share/man/man1/sbatch.1 share/man/man1/seff.1 share/man/man8/berthd.8; do
	ok "installs $f" test -f "$P/$f"
done
# sbatch is its own program (the CLI linked with musl, see the Makefile)
ok "the installed sbatch runs" sh -c "'$P/bin/sbatch' --version | grep -q '^slurm'"
for t in squeue sacct scancel sinfo scontrol seff; do
	is "$(readlink "$P/bin/$t")" berth "bin/$t is a link to berth"
done

unit=$P/share/systemd/user/berthd.service
ok "installs the systemd user unit" test -f "$unit"
ok "…whose ExecStart is the installed berthd in the foreground" \
    grep -qxF "ExecStart=$P/sbin/berthd --foreground" "$unit"
ok "…which leaves the jobs alone on stop (KillMode=process)" \
    grep -qxF "KillMode=process" "$unit"
if command -v systemd-analyze >/dev/null 2>&1; then
	run systemd-analyze verify --man=no "$unit"
	is "$RC" 0 "systemd-analyze verify accepts the unit"
else
	skip "systemd-analyze verify accepts the unit" "no systemd-analyze"
fi

# The installed commands find the installed daemon and supervisor.
run env PATH="$P/bin:$PATH" sbatch -o "$T/work/inst.out" --wrap='echo installed'
is "$RC" 0 "the installed sbatch starts the installed daemon"
j=${OUT##* }
DAEMON_PID=$(_daemon_pid_from_file)
is "$(readlink "/proc/$DAEMON_PID/exe")" "$P/sbin/berthd" \
    "…which is the installed berthd"
wait_done "$j"
is "$(job_state "$j")" COMPLETED "…and runs the job"
ok "…through the installed supervisor" file_has "$T/work/inst.out" installed
stop_daemon

run "${mk[@]}" uninstall
is "$RC" 0 "make uninstall succeeds"
for f in bin/berth bin/sbatch bin/seff sbin/berthd \
    share/systemd/user/berthd.service; do
	ok "uninstall removes $f" test ! -e "$P/$f"
done

done_testing
