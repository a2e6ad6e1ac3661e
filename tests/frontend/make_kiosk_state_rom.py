#!/usr/bin/env python3
"""Writes a 64 KiB x86 ROM (mapped at 0xFFFF0000) for the kiosk pristine-state test: at boot it
prints the first byte of disk sector 0 on the test device's console; then for every byte the
8042 receives it prints sector 0's first byte (what the disk holds now), a RAM counter of bytes
received so far, and the byte itself, and stores the byte as sector 0's first byte. After a
reset that loads a saved state (no boot) the next key shows both the disk and RAM as they were
in that state. vitrine-testdev in I/O space at 0x1000 (as make_disk_rom.py).

usage: make_kiosk_state_rom.py OUT.bin
"""
import struct
import sys

boot = bytes([
    0xBA, 0x20, 0x10, 0x30, 0xC0, 0xEE,  # mov dx, 0x1020; xor al, al; out dx, al: LBA = 0
    0xBA, 0x24, 0x10, 0xB0, 0x01, 0xEE,  # mov dx, 0x1024; mov al, 1; out dx, al: read sector 0
    0xBA, 0x00, 0x12, 0xEC,              # mov dx, 0x1200; in al, dx: its first byte
    0xBA, 0x14, 0x10, 0xEE,              # mov dx, 0x1014; out dx, al: to the console
])
loop = bytes([
    0xE4, 0x64, 0xA8, 0x01, 0x74, 0xFA,  # wait: in al, 0x64; test al, 1; jz wait
    0xE4, 0x60, 0x88, 0xC4,              # in al, 0x60; mov ah, al: the received byte
    0xBA, 0x24, 0x10, 0xB0, 0x01, 0xEE,  # read sector 0 again
    0xBA, 0x00, 0x12, 0xEC,              # its first byte now
    0xBA, 0x14, 0x10, 0xEE,              # to the console
    0xA0, 0x00, 0x05, 0xEE,              # mov al, [0x500]; out dx, al: the RAM counter
    0xFE, 0x06, 0x00, 0x05,              # inc byte [0x500]
    0x88, 0xE0, 0xEE,                    # mov al, ah; out dx, al: the byte itself
    0xBA, 0x00, 0x12, 0xEE,              # buffer[0] = byte
    0xBA, 0x24, 0x10, 0xB0, 0x02, 0xEE,  # write the buffer to sector 0
])
code = boot + loop + bytes([0xEB, (-(len(loop) + 2)) & 0xFF])  # jmp wait
rom = bytearray(b"\xff" * 0x10000)
rom[0:len(code)] = code
rom[0xFFF0:0xFFF3] = bytes([0xE9]) + struct.pack("<H", (0x0000 - 0xFFF3) & 0xFFFF)  # jmp near 0
with open(sys.argv[1], "wb") as f:
    f.write(rom)
