#!/usr/bin/env python3
"""Records a Forth transcript from qemu-system-sparc -M SS-5 -nographic (the reference), or with
MACHINE = g3beige from qemu-system-ppc -M g3beige -nographic -nic none (the devices Vitrine's
powermac-g3 models, its standard VGA included; see hwdocs/powermac_g3.md).
usage: record_qemu.py FIRMWARE_DIR INPUT.txt OUTPUT.txt [MACHINE]
Types each input line after the `N > ` prompt, like a person, and writes the whole serial
output (banner included) to OUTPUT."""
import os, re, select, subprocess, sys, time
fwdir, inp, out = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [l.rstrip("\n") for l in open(inp)]
machine = sys.argv[4] if len(sys.argv) > 4 else "SS-5"
if machine == "g3beige":
    cmd = ["qemu-system-ppc", "-M", "g3beige", "-nographic", "-nic", "none",
           "-L", fwdir, "-bios", os.path.join(fwdir, "openbios-ppc"), "-m", "128"]
else:
    cmd = ["qemu-system-sparc", "-M", "SS-5", "-nographic", "-L", fwdir,
           "-bios", os.path.join(fwdir, "openbios-sparc32"), "-m", "64"]
p = subprocess.Popen(cmd + ["-monitor", "none", "-serial", "stdio"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
buf = b""
prompt = re.compile(rb"\n\d+ > $")
def wait_prompt(limit=30):
    global buf
    end = time.time() + limit
    while time.time() < end:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            d = os.read(p.stdout.fileno(), 65536)
            if not d: break
            buf += d
            if prompt.search(buf):
                time.sleep(0.3)
                r, _, _ = select.select([p.stdout], [], [], 0.2)
                if not r: return True
        # keep waiting
    return False
if not wait_prompt(60): sys.exit("no prompt: %r" % buf[-200:])
for l in lines:
    for ch in (l + "\r").encode():
        p.stdin.write(bytes([ch])); p.stdin.flush(); time.sleep(0.002)
    if not wait_prompt(): sys.exit("no prompt after %r: %r" % (l, buf[-300:]))
p.kill()
open(out, "wb").write(buf)
