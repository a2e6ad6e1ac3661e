#!/usr/bin/env python3
"""Runs QEMU with a monitor socket, waits SECONDS of host time (the firmware screens recorded
here are stable: a prompt or "No bootable device."), stops the guest and saves its screen:
  qemu_shot.py SECONDS OUTPREFIX QEMU-ARGS...  -> OUTPREFIX.ppm (screendump) and
                                                 OUTPREFIX.b8000 (4000 bytes of VGA text memory)"""
import socket, subprocess, sys, time, os
secs=float(sys.argv[1]); out=sys.argv[2]; args=sys.argv[3:]
sock=out+'.sock'
if os.path.exists(sock): os.unlink(sock)
p=subprocess.Popen(args+['-monitor','unix:'+sock+',server=on,wait=off'],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
time.sleep(secs)
s=socket.socket(socket.AF_UNIX); s.connect(sock); s.settimeout(1)
def cmd(c):
    s.sendall((c+'\n').encode()); time.sleep(1)
    try:
        s.recv(65536)
    except OSError:
        pass
cmd('stop')
cmd('pmemsave 0xb8000 4000 "'+out+'.b8000"')
cmd('screendump ' + out + '.ppm')
cmd('quit')
p.wait(timeout=10)
