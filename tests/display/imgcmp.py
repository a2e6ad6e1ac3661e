#!/usr/bin/env python3
"""Image helpers for the display suite, without PIL: reads binary PPM (P6, QEMU's screendump) and
8-bit RGB/RGBA PNG (decoded with zlib, all five PNG filters), writes PNG.
  imgcmp.py compare A B [TOLERANCE]  -> prints "size WxH, N pixels differ (max channel delta D)";
                                        exit 0 when sizes match and N <= TOLERANCE (default 0)
  imgcmp.py topng IN OUT.png         -> converts (e.g. a reference PPM to a small PNG)
  imgcmp.py info IN                  -> "WxH colours=N" """
import struct
import sys
import zlib


def read_ppm(data):
    fields, pos = [], 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[pos:end]))
        pos = end
    w, h, maxval = fields
    if maxval != 255:
        raise ValueError("PPM maxval %d unsupported" % maxval)
    pix = data[pos + 1:pos + 1 + w * h * 3]
    return w, h, pix


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("only 8-bit RGB/RGBA non-interlaced PNG")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        prev = line
        if bpp == 4:
            del line[3::4]
        out += line
    return w, h, bytes(out)


def read(path):
    data = open(path, "rb").read()
    return read_ppm(data) if data[:2] == b"P6" else read_png(data)


def write_png(path, w, h, pix):
    raw = b"".join(b"\0" + pix[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                          chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main(argv):
    if argv[1] == "compare":
        (wa, ha, a), (wb, hb, b) = read(argv[2]), read(argv[3])
        tol = int(argv[4]) if len(argv) > 4 else 0
        if (wa, ha) != (wb, hb):
            print("size differs: %dx%d vs %dx%d" % (wa, ha, wb, hb))
            return 1
        diff, delta = 0, 0
        for i in range(0, len(a), 3):
            if a[i:i + 3] != b[i:i + 3]:
                diff += 1
                delta = max(delta, max(abs(a[i + k] - b[i + k]) for k in range(3)))
        print("size %dx%d, %d pixels differ (max channel delta %d)" % (wa, ha, diff, delta))
        return 0 if diff <= tol else 1
    if argv[1] == "topng":
        w, h, pix = read(argv[2])
        write_png(argv[3], w, h, pix)
        return 0
    if argv[1] == "info":
        w, h, pix = read(argv[2])
        print("%dx%d colours=%d" % (w, h, len({pix[i:i + 3] for i in range(0, len(pix), 3)})))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
