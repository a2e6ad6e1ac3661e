#!/usr/bin/env python3
"""Records tests/frontend/qemu_ss5_typed.png: QEMU 7.2's SS-5 (-display none, OpenBIOS's console
on the TCX and the Sun keyboard) after the monitor's `sendkey` types `1 2 + .` and Return at
the OpenBIOS prompt; the screendump is the reference for the keyboard test (sunkbd.sh).
  record_qemu_sunkbd.py QEMU-DATA-DIR   (run from the repository root; needs qemu-system-sparc)"""
import os, socket, subprocess, sys, tempfile, time
qdata = sys.argv[1]
work = tempfile.mkdtemp()
sock = os.path.join(work, 'mon.sock')
p = subprocess.Popen(['qemu-system-sparc', '-M', 'SS-5', '-m', '64', '-display', 'none',
                      '-net', 'none', '-serial', 'null', '-L', qdata,
                      '-monitor', 'unix:' + sock + ',server=on,wait=off'],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(15)  # OpenBIOS is at its prompt after ~2 s
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
s.settimeout(1)
def cmd(c, wait=0.5):
    s.sendall((c + '\n').encode())
    time.sleep(wait)
    try:
        s.recv(65536)
    except OSError:
        pass
for k in ['1', 'spc', '2', 'spc', 'shift-equal', 'spc', 'dot', 'ret']:
    cmd('sendkey ' + k)
time.sleep(2)
cmd('stop')
cmd('screendump ' + os.path.join(work, 'typed.ppm'), 1)
cmd('quit')
p.wait(timeout=10)
subprocess.check_call(['python3', 'tests/display/imgcmp.py', 'topng', os.path.join(work, 'typed.ppm'),
                       'tests/frontend/qemu_ss5_typed.png'])
