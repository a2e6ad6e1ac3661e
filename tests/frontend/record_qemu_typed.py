#!/usr/bin/env python3
"""Records the keyboard tests' references (typed.sh): QEMU 7.2's screen after the monitor's
`sendkey` types `1 2 + .` and Return at OpenBIOS's prompt, the console on the display:
  ss5: -M SS-5 (TCX, Sun Type 5 keyboard)  -> tests/frontend/qemu_ss5_typed.png
  g3:  -M g3beige (VGA, ADB keyboard on CUDA) -> tests/frontend/qemu_g3_typed.png
  record_qemu_typed.py ss5|g3 QEMU-DATA-DIR   (from the repository root; needs qemu-system-*)"""
import os, socket, subprocess, sys, tempfile, time
which, qdata = sys.argv[1], sys.argv[2]
machine = {'ss5': ['qemu-system-sparc', '-M', 'SS-5', '-m', '64'],
           'g3': ['qemu-system-ppc', '-M', 'g3beige', '-m', '256']}[which]
work = tempfile.mkdtemp()
sock = os.path.join(work, 'mon.sock')
p = subprocess.Popen(machine + ['-display', 'none', '-net', 'none', '-serial', 'null', '-L', qdata,
                      '-monitor', 'unix:' + sock + ',server=on,wait=off'],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(15)  # OpenBIOS is at its prompt after a few seconds on both
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
                       'tests/frontend/qemu_%s_typed.png' % which])
