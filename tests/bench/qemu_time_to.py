#!/usr/bin/env python3
# Host seconds from starting a QEMU command until MARKER appears on its stdout (or TIMEOUT):
#   qemu_time_to.py MARKER TIMEOUT QEMU-ARGS...   → prints "%.3f"; exit 1 on timeout.
# For the side-by-side boot benchmarks (QEMU's guest clock follows the host, so host time is
# the only comparable figure).
import os
import select
import subprocess
import sys
import time

marker, timeout, cmd = sys.argv[1].encode(), float(sys.argv[2]), sys.argv[3:]
t0 = time.time()
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
buf = b""
found = False
while time.time() - t0 < timeout:
    r, _, _ = select.select([p.stdout], [], [], 0.05)
    if r:
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        buf = (buf + chunk)[-4096:]
        if marker in buf:
            found = True
            break
print("%.3f" % (time.time() - t0))
p.kill()
p.wait()
sys.exit(0 if found else 1)
