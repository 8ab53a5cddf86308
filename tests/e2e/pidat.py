#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pidat.py PID CMD [ARG...]: run CMD as process PID, leading a session
(and process group) of its own, stdin and stdout /dev/null, without
waiting for it: its pid is printed.  Uses clone3()
with set_tid (Linux 5.5, CAP_SYS_ADMIN): no write to
/proc/sys/kernel/ns_last_pid.  Exit status 0 once started, 2 if PID is
taken (EEXIST) or another error, 3 if clone3 or set_tid is missing.
For the e2e tests that give a process a pid that just became free."""
import ctypes
import errno
import os
import signal
import struct
import sys

SYS_clone3 = 435  # x86_64 and aarch64 alike


def main():
    pid = int(sys.argv[1])
    argv = sys.argv[2:]
    libc = ctypes.CDLL(None, use_errno=True)
    tid = (ctypes.c_int * 1)(pid)
    # struct clone_args (version 2, 88 bytes): flags, pidfd, child_tid,
    # parent_tid, exit_signal, stack, stack_size, tls, set_tid,
    # set_tid_size, cgroup.
    args = struct.pack("11Q", 0, 0, 0, 0, signal.SIGCHLD, 0, 0, 0,
                       ctypes.addressof(tid), 1, 0)
    buf = ctypes.create_string_buffer(args, len(args))
    libc.syscall.restype = ctypes.c_long
    r = libc.syscall(ctypes.c_long(SYS_clone3), buf,
                     ctypes.c_size_t(len(args)))
    if r == 0:
        try:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.setsid()
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    if r < 0:
        e = ctypes.get_errno()
        print("clone3: %s" % os.strerror(e), file=sys.stderr)
        sys.exit(3 if e in (errno.ENOSYS, errno.E2BIG) else 2)
    print(r)
    sys.exit(0)


main()
