# SPDX-License-Identifier: MIT
# Reading a pty's master side for the --pty tests (62-steps,
# 65-steps-clients): everything read so far is kept in Reader.out, and
# wait_for() reads until a text shows up, the other side closes, or the
# time is up.
import os
import select
import time


class Reader:
    def __init__(self, master):
        self.master = master
        self.out = b''

    def wait_for(self, text, secs=20):
        end = time.time() + secs
        while text not in self.out and time.time() < end:
            r, _, _ = select.select([self.master], [], [], 0.2)
            if r:
                try:
                    d = os.read(self.master, 4096)
                except OSError:
                    break
                if not d:
                    break
                self.out += d
        return text in self.out
