#!/usr/bin/env python3
"""Writes a 64 KiB x86 ROM (mapped at 0xFFFF0000) for the kiosk tests: at boot it prints the
first byte of disk sector 0 on the test device's console, then for every byte the 8042
receives it echoes it on the console and writes it as the first byte of sector 0. A fresh
machine therefore shows whether its disk still holds what a previous visitor typed.
The vitrine-testdev is in I/O space at 0x1000 (LBA 0x1020, CMD 0x1024, CONSOLE 0x1014,
buffer 0x1200).

usage: make_disk_rom.py OUT.bin
"""
import struct
import sys

code = bytes([
    0xBA, 0x20, 0x10,  # 0: mov dx, 0x1020  ; LBA
    0x30, 0xC0,        # 3: xor al, al
    0xEE,              # 5: out dx, al      ; LBA = 0
    0xBA, 0x24, 0x10,  # 6: mov dx, 0x1024  ; CMD
    0xB0, 0x01,        # 9: mov al, 1
    0xEE,              # 11: out dx, al     ; read sector 0 into the buffer
    0xBA, 0x00, 0x12,  # 12: mov dx, 0x1200
    0xEC,              # 15: in al, dx      ; its first byte
    0xBA, 0x14, 0x10,  # 16: mov dx, 0x1014
    0xEE,              # 19: out dx, al     ; to the console
    0xE4, 0x64,        # 20: in al, 0x64    ; 8042 status
    0xA8, 0x01,        # 22: test al, 1
    0x74, 0xFA,        # 24: jz 20
    0xE4, 0x60,        # 26: in al, 0x60    ; a scan code byte
    0xBA, 0x14, 0x10,  # 28: mov dx, 0x1014
    0xEE,              # 31: out dx, al     ; echoed
    0xBA, 0x00, 0x12,  # 32: mov dx, 0x1200
    0xEE,              # 35: out dx, al     ; buffer[0] = byte
    0xBA, 0x24, 0x10,  # 36: mov dx, 0x1024
    0xB0, 0x02,        # 39: mov al, 2
    0xEE,              # 41: out dx, al     ; write the buffer to sector 0
    0xEB, 0xE8,        # 42: jmp 20
])
rom = bytearray(b"\xff" * 0x10000)
rom[0:len(code)] = code
rom[0xFFF0:0xFFF3] = bytes([0xE9]) + struct.pack("<H", (0x0000 - 0xFFF3) & 0xFFFF)  # jmp near 0
with open(sys.argv[1], "wb") as f:
    f.write(rom)
