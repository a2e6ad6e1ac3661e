#!/usr/bin/env python3
"""Writes a 64 KiB x86 ROM (mapped at 0xFFFF0000) that copies every byte the 8042 keyboard
controller receives to the UART at 0x3F8 (waiting for the transmitter to be free): a guest that shows which scan codes a key produced.

usage: make_kbd_rom.py OUT.bin
"""
import struct
import sys

code = bytes([
    0xE4, 0x64,        # 0: in al, 0x64      ; 8042 status
    0xA8, 0x01,        # 2: test al, 1       ; output buffer full?
    0x74, 0xFA,        # 4: jz 0
    0xE4, 0x60,        # 6: in al, 0x60      ; the byte
    0x88, 0xC4,        # 8: mov ah, al
    0xBA, 0xFD, 0x03,  # 10: mov dx, 0x3FD   ; COM1 line status
    0xEC,              # 13: in al, dx
    0xA8, 0x20,        # 14: test al, 0x20   ; transmitter holding register empty?
    0x74, 0xFB,        # 16: jz 13
    0x88, 0xE0,        # 18: mov al, ah
    0xBA, 0xF8, 0x03,  # 20: mov dx, 0x3F8
    0xEE,              # 23: out dx, al      ; to COM1's transmitter
    0xEB, 0xE6,        # 24: jmp 0
])
rom = bytearray(b"\xff" * 0x10000)
rom[0:len(code)] = code
rom[0xFFF0:0xFFF3] = bytes([0xE9]) + struct.pack("<H", (0x0000 - 0xFFF3) & 0xFFFF)  # jmp near 0
with open(sys.argv[1], "wb") as f:
    f.write(rom)
