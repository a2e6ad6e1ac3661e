#!/usr/bin/env python3
"""Writes a 64 KiB x86 ROM (mapped at 0xFFFF0000) that plays a PC-speaker tone.

usage: make_tone_rom.py OUT.bin COUNT
The reset vector (offset 0xFFF0) jumps to offset 0, which programs 8254 channel 2 in mode 3
with COUNT (1193182 / COUNT Hz), sets port 0x61 bits 0-1 (gate + speaker) and halts.
"""
import struct
import sys

out, count = sys.argv[1], int(sys.argv[2], 0)
code = bytes([
    0xB0, 0xB6,              # mov al, 0xB6   ; counter 2, LSB then MSB, mode 3, binary
    0xE6, 0x43,              # out 0x43, al
    0xB8]) + struct.pack("<H", count) + bytes([  # mov ax, COUNT
    0xE6, 0x42,              # out 0x42, al
    0x88, 0xE0,              # mov al, ah
    0xE6, 0x42,              # out 0x42, al
    0xB0, 0x03,              # mov al, 3
    0xE6, 0x61,              # out 0x61, al
    0xFA,                    # cli
    0xF4,                    # hlt
    0xEB, 0xFD,              # jmp hlt
])
rom = bytearray(b"\xff" * 0x10000)
rom[0:len(code)] = code
rom[0xFFF0:0xFFF3] = bytes([0xE9]) + struct.pack("<H", (0x0000 - 0xFFF3) & 0xFFFF)  # jmp near 0 (CS base 0xFFFF0000)
with open(out, "wb") as f:
    f.write(rom)
