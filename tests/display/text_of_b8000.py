#!/usr/bin/env python3
"""Prints an 80x25 VGA text page (character, attribute pairs, as QEMU's `pmemsave 0xb8000 4000`
saves it) the way `vitrine run --screen-text` writes a screen: code page 437 as UTF-8, trailing
blanks and trailing empty rows removed."""
import sys

data = open(sys.argv[1], "rb").read()
rows = []
for r in range(25):
    chars = bytes(data[(r * 80 + c) * 2] for c in range(80))
    rows.append(chars.replace(b"\0", b" ").decode("cp437").rstrip(" \xa0"))
while rows and not rows[-1]:
    rows.pop()
sys.stdout.write("".join(row + "\n" for row in rows))
