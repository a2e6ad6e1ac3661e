#!/usr/bin/env python3
"""Generates the robustness suite's malformed inputs (nothing binary is committed).

Usage: gen.py OUTDIR VITRINE
Writes OUTDIR/NNN-name/ per case: the input files and `cmd`, the vitrine arguments one per
line, run inside that directory. Cases: machine profiles (INI), ROM archives and manifests,
disk images (qcow2 header fields one at a time, truncations, backing loops, raw oddities) and
ELF programs for `vitrine user arm|i386`. Each case is expected to exit 2 with a message;
`ctl-*` cases are controls (the unbroken input, expected to exit 0). Deterministic: same
output every run (fixed seeds, fixed timestamps).
"""
import hashlib
import io
import os
import random
import struct
import subprocess
import sys
import tarfile
import warnings
import zipfile
import zlib

OUT, VITRINE = sys.argv[1], os.path.abspath(sys.argv[2])
warnings.simplefilter("ignore")  # zipfile warns about the duplicate-entry case
cases = []  # (name, {path: bytes | FIFO | DIR | ('link', target)}, [args], expected exit)
FIFO, DIR = object(), object()


def case(name, files, args, expect=2):
    cases.append((name, files, args, expect))


# --- machine profiles ---------------------------------------------------------------------
PROFILE = """[machine]
name = robo
description = robustness test machine
cpu = none
endian = little

[memory.ram]
base = 0x0
size = 1M

[device.intc]
type = vitrine-testdev
base = 0x10000000
size = 0x1000

[device.timer]
type = vitrine-testdev
base = 0x10001000
size = 0x1000
clock = 3579545
irq = intc.5
"""
RUN = ["run", "./p.ini", "--until", "1ms", "--serial", "none"]


def prof(name, text, extra=None, args=None, expect=2):
    files = {"p.ini": text.encode() if isinstance(text, str) else text}
    files.update(extra or {})
    case("ini-" + name if expect == 2 else name, files, args or RUN, expect)


def edit(old, new):
    assert old in PROFILE, old
    return PROFILE.replace(old, new, 1)


prof("ctl-profile", PROFILE, expect=0)
prof("unclosed-section", PROFILE + "[device.x\nflavour = 1\n")
prof("key-without-equals", PROFILE + "[device.y]\ntype vitrine-testdev\n")
prof("unknown-machine-key", edit("endian = little", "endian = little\nturbo = yes"))
prof("unknown-device-key", PROFILE.replace("irq = intc.5", "irq = intc.5\nfrobnicate = 3"))
prof("unknown-section-kind", PROFILE + "[gizmo.a]\nx = 1\n")
prof("unknown-device-type", PROFILE + "[device.z]\ntype = no-such-chip\nbase = 0x2000\nsize = 16\n")
prof("huge-number", edit("size = 1M", "size = 99999999999999999999999999"))
prof("size-suffix-overflow", edit("size = 1M", "size = 18446744073709551615G"))
prof("bad-number", edit("size = 1M", "size = 0x"))
prof("negative-size", edit("size = 1M", "size = -4096"))
prof("zero-size", edit("size = 1M", "size = 0"))
prof("ram-wraps-address-space", edit("base = 0x0\nsize = 1M", "base = 0xfffffffffffff000\nsize = 1M"))
prof("overlapping-ram", PROFILE + "[memory.ram2]\nbase = 0x80000\nsize = 1M\n")
prof("device-over-ram", edit("base = 0x10001000", "base = 0x1000"))
prof("overlapping-devices", edit("base = 0x10001000", "base = 0x10000800"))
prof("duplicate-section", PROFILE + "[device.intc]\ntype = vitrine-testdev\nbase = 0x3000\nsize = 16\n")
prof("duplicate-key", edit("cpu = none", "cpu = none\ncpu = none"))
prof("no-machine-section", "[memory.ram]" + PROFILE.split("[memory.ram]")[1])
prof("empty-file", "")
prof("only-comments", "; nothing\n# here\n")
prof("unknown-cpu", edit("cpu = none", "cpu = z80000\nclock = 1000000"))
prof("bad-endian", edit("endian = little", "endian = middle"))
prof("irq-to-nothing", PROFILE.replace("irq = intc.5", "irq = nosuch.5"))
prof("irq-line-out-of-range", PROFILE.replace("irq = intc.5", "irq = intc.99999"))
prof("irq-garbage", PROFILE.replace("irq = intc.5", "irq = intc."))
SPARC = edit("cpu = none\nendian = little", "cpu = microsparc2\nclock = 1000000\nendian = big")
prof("ctl-sparc-profile", SPARC, expect=0)
prof("irq-cpu-99", SPARC.replace("irq = intc.5", "irq = cpu.99"))
prof("clock-huge", PROFILE.replace("clock = 3579545", "clock = 0xffffffffffffffff"))
prof("clock-zero", PROFILE.replace("clock = 3579545", "clock = 0"))
prof("include-missing", PROFILE + "include = nothere.ini\n")
prof("include-self", "include = p.ini\n" + PROFILE)
prof("include-loop", "include = b.ini\n" + PROFILE, {"b.ini": b"include = p.ini\n"})
prof("include-directory", "include = d\n" + PROFILE, {"d": DIR})
prof("include-fifo", "include = f.ini\n" + PROFILE, {"f.ini": FIFO})
prof("include-binary", "include = g.bin\n" + PROFILE,
     {"g.bin": bytes(random.Random(7).getrandbits(8) for _ in range(3000))})
prof("include-deep-chain", "include = i0.ini\n" + PROFILE,
     {"i%d.ini" % k: ("include = i%d.ini\n" % (k + 1)).encode() for k in range(200)})
prof("long-garbage-line", PROFILE + "x" * 100000 + "\n")
prof("long-key-no-value", PROFILE + "[device.q]\n" + "k" * 5000 + "\n")
prof("binary-garbage", bytes(random.Random(1).getrandbits(8) for _ in range(4096)))
prof("nul-bytes", PROFILE.encode().replace(b"cpu = none", b"cpu = no\0ne"))
prof("utf16-file", PROFILE.encode("utf-16"))
prof("until-negative", PROFILE, args=["run", "./p.ini", "--until", "-1ps", "--serial", "none"])
prof("until-overflow", PROFILE,
     args=["run", "./p.ini", "--until", "-18446744073709541616ps", "--serial", "none"])
prof("until-garbage", PROFILE, args=["run", "./p.ini", "--until", "soon", "--serial", "none"])
prof("set-unknown-key", PROFILE, args=RUN + ["--set", "machine.warp=9"])
prof("set-no-equals", PROFILE, args=RUN + ["--set", "machine.cpu"])
# a bare ARM1136 in system mode over RAM is a valid machine: it runs (once, this crashed the host)
prof("ctl-arm-cpu-without-board", edit("cpu = none", "cpu = arm1136\nclock = 10000000"), expect=0)
prof("profile-is-fifo", "", {"p.ini": FIFO})
prof("profile-is-directory", "", {"p.ini": DIR})

# --- ROM archives and manifests ------------------------------------------------------------
ROM = bytes((i * 7 + 3) & 255 for i in range(4096))
MANIFEST = ("[romset]\nname = robo\ndescription = robustness test set\n\n[file.rom.bin]\n"
            "size = 4096\ncrc32 = %08x\nsha1 = %s\n" % (zlib.crc32(ROM), hashlib.sha1(ROM).hexdigest()))
ROM_PROFILE = PROFILE + "[rom.r]\nromset = ./robo.ini\nfile = rom.bin\nbase = 0x20000000\nsize = 0x1000\n"
ROM_RUN = RUN + ["--rom-path", "roms"]


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = method
            if isinstance(data, tuple):  # ('symlink', target)
                info.external_attr = (0o120777 << 16)
                data = data[1].encode()
            z.writestr(info, data)
    return b.getvalue()


def tar_bytes(entries, mode="w"):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode, format=tarfile.PAX_FORMAT) as t:
        for name, data, kind in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 946684800
            ti.type = kind
            if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                ti.linkname = data
                t.addfile(ti)
            elif kind == tarfile.REGTYPE:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            else:
                t.addfile(ti)
    return b.getvalue()


def archive(name, fname, data, expect=2):
    case("rom-" + name if expect == 2 else name,
         {"p.ini": ROM_PROFILE.encode(), "robo.ini": MANIFEST.encode(), "roms/" + fname: data},
         ROM_RUN, expect)


GOOD_ZIP = zip_bytes([("rom.bin", ROM)])
GOOD_TGZ = tar_bytes([("rom.bin", ROM, tarfile.REGTYPE)], "w:gz")
archive("ctl-rom-zip", "robo.zip", GOOD_ZIP, expect=0)
archive("ctl-rom-tgz", "robo.tar.gz", GOOD_TGZ, expect=0)
for n in (0, 4, 30, len(GOOD_ZIP) // 2):
    archive("zip-truncated-%d" % n, "robo.zip", GOOD_ZIP[:n])
for n in (10, len(GOOD_TGZ) // 2):
    archive("tgz-truncated-%d" % n, "robo.tar.gz", GOOD_TGZ[:n])
archive("zip-garbage", "robo.zip", bytes(random.Random(2).getrandbits(8) for _ in range(2000)))
archive("zip-flipped-data", "robo.zip", GOOD_ZIP[:60] + bytes([GOOD_ZIP[60] ^ 0xff]) + GOOD_ZIP[61:])
archive("zip-traversal", "robo.zip", zip_bytes([("rom.bin", ROM), ("../evil", b"x")]))
archive("zip-absolute", "robo.zip", zip_bytes([("/etc/evil", b"x"), ("rom.bin", ROM)]))
archive("zip-backslash", "robo.zip", zip_bytes([("..\\evil", b"x"), ("rom.bin", ROM)]))
archive("zip-drive-letter", "robo.zip", zip_bytes([("C:evil", b"x"), ("rom.bin", ROM)]))
archive("zip-symlink", "robo.zip", zip_bytes([("rom.bin", ("symlink", "/etc/passwd"))], zipfile.ZIP_STORED))
archive("zip-duplicate", "robo.zip", zip_bytes([("rom.bin", ROM), ("rom.bin", ROM)]))
archive("zip-wrong-content", "robo.zip", zip_bytes([("rom.bin", ROM[::-1])]))
archive("zip-short-dump", "robo.zip", zip_bytes([("rom.bin", ROM[:100])]))
archive("zip-huge-entry", "robo.zip", zip_bytes([("rom.bin", bytes(64 << 20))]))
archive("zip-bomb-other-entries", "robo.zip",
        zip_bytes([("pad%d" % k, bytes(24 << 20)) for k in range(3)] + [("rom.bin", ROM)]))
archive("zip-too-many-entries", "robo.zip", zip_bytes([("e%d" % k, b"") for k in range(300)]))
archive("zip-missing-file", "robo.zip", zip_bytes([("other.bin", ROM)]))
archive("tar-traversal", "robo.tar", tar_bytes([("../rom.bin", ROM, tarfile.REGTYPE)]))
archive("tar-symlink", "robo.tar", tar_bytes([("rom.bin", "/etc/passwd", tarfile.SYMTYPE)]))
archive("tar-hardlink", "robo.tar",
        tar_bytes([("x", ROM, tarfile.REGTYPE), ("rom.bin", "x", tarfile.LNKTYPE)]))
archive("tar-fifo-entry", "robo.tar", tar_bytes([("rom.bin", None, tarfile.FIFOTYPE)]))
archive("tar-device-entry", "robo.tar", tar_bytes([("rom.bin", None, tarfile.CHRTYPE)]))
archive("7z-garbage", "robo.7z", b"7z\xbc\xaf\x27\x1c" + bytes(random.Random(3).getrandbits(8) for _ in range(500)))
archive("xz-garbage", "robo.tar.xz", b"\xfd7zXZ\0" + bytes(200))
case("rom-archive-is-fifo", {"p.ini": ROM_PROFILE.encode(), "robo.ini": MANIFEST.encode(),
                             "roms/robo.zip": FIFO}, ROM_RUN)
case("rom-set-dir-symlink", {"p.ini": ROM_PROFILE.encode(), "robo.ini": MANIFEST.encode(),
                             "roms/robo/rom.bin": ("link", "/etc/passwd")}, ROM_RUN)


def manifest(name, text):
    case("manifest-" + name, {"robo.ini": text.encode() if isinstance(text, str) else text,
                              "roms/robo.zip": GOOD_ZIP}, ["romset", "--rom-path", "roms", "audit", "./robo.ini"])


case("ctl-manifest", {"robo.ini": MANIFEST.encode(), "roms/robo.zip": GOOD_ZIP},
     ["romset", "--rom-path", "roms", "audit", "./robo.ini"], expect=0)
manifest("no-size", MANIFEST.replace("size = 4096\n", ""))
manifest("bad-crc", MANIFEST.replace("crc32 = ", "crc32 = zz"))
manifest("short-sha1", MANIFEST.replace("sha1 = ", "sha1 = 12").split("sha1")[0] + "sha1 = 1234\n")
manifest("huge-size", MANIFEST.replace("size = 4096", "size = 64G"))
manifest("name-with-slash", MANIFEST.replace("[file.rom.bin]", "[file.../rom.bin]"))
manifest("bad-set-name", MANIFEST.replace("name = robo", "name = ro/bo"))
manifest("unknown-key", MANIFEST + "colour = blue\n")
manifest("duplicate-file", MANIFEST + MANIFEST.split("\n\n")[1])
manifest("empty", "")
manifest("binary", bytes(random.Random(4).getrandbits(8) for _ in range(1000)))
manifest("no-files", MANIFEST.split("\n\n")[0] + "\n")

# --- disk images ----------------------------------------------------------------------------
tmp = os.path.join(OUT, ".work")
os.makedirs(tmp)


def vt(*args):
    subprocess.run([VITRINE] + list(args), cwd=tmp, check=True, stdout=subprocess.DEVNULL)


with open(os.path.join(tmp, "data.raw"), "wb") as f:
    f.write(bytes(random.Random(5).getrandbits(8) for _ in range(64 << 10)) + bytes(960 << 10))
vt("img", "convert", "-O", "qcow2", "data.raw", "good.qcow2")
GOOD = open(os.path.join(tmp, "good.qcow2"), "rb").read()


def poke(img, off, fmt, val):
    b = bytearray(img)
    struct.pack_into(fmt, b, off, val)
    return bytes(b)


def image(name, files, verb="info", target="d.qcow2", expect=2):
    case("img-" + name if expect == 2 else name, files, ["img", verb, target], expect)


image("ctl-qcow2", {"d.qcow2": GOOD}, expect=0)
image("ctl-qcow2-check", {"d.qcow2": GOOD}, "check", expect=0)
HEADER_FIELDS = [  # (field, offset, struct format, bad values)
    ("version", 4, ">I", [0, 1, 4, 0xffffffff]),
    ("backing-offset", 8, ">Q", [0xfffffffffffffff0, 0x10000 - 4]),
    ("cluster-bits", 20, ">I", [0, 8, 22, 31, 0xffffffff]),
    ("size", 24, ">Q", [1 << 62, 0xffffffffffffffff]),
    ("crypt-method", 32, ">I", [1, 2, 0xffffffff]),
    ("l1-size", 36, ">I", [0, 0x7fffffff, 0xffffffff]),
    ("l1-offset", 40, ">Q", [0, 0x30200, 1 << 60, 0xfffffffffffffe00]),
    ("reftable-offset", 48, ">Q", [0, 0x10200, 1 << 60]),
    ("reftable-clusters", 56, ">I", [0, 0xffffffff, 1000]),
    ("nb-snapshots", 60, ">I", [0xffffffff]),
    ("incompat", 72, ">Q", [1 << 2, 1 << 4, 1 << 5, 1 << 63]),
    ("refcount-order", 96, ">I", [7, 64, 0xffffffff]),
    ("header-length", 100, ">I", [0, 7, 103, 105, 0x20000, 0xffffffff]),
]
for field, off, fmt, values in HEADER_FIELDS:
    for v in values:
        img = poke(GOOD, off, fmt, v)
        if field == "backing-offset":
            img = poke(img, 16, ">I", 100)
        image("hdr-%s-%#x" % (field, v), {"d.qcow2": img})
image("hdr-backing-length-huge", {"d.qcow2": poke(poke(GOOD, 8, ">Q", 512), 16, ">I", 0xffffffff)})
image("hdr-backing-name-nul", {"d.qcow2": poke(poke(GOOD, 8, ">Q", 0x800), 16, ">I", 8)})
EXT_AT = 112  # header extensions follow the 112-byte v3 header
image("ext-overruns-cluster", {"d.qcow2": poke(poke(GOOD, EXT_AT, ">I", 0x12345678), EXT_AT + 4, ">I", 0x7fffffff)})
image("ext-bad-fingerprint", {"d.qcow2": poke(poke(GOOD, EXT_AT, ">I", 0x56744650), EXT_AT + 4, ">I", 8)})
image("ext-bad-commit-marker", {"d.qcow2": poke(poke(GOOD, EXT_AT, ">I", 0x5674434d), EXT_AT + 4, ">I", 2)})
for n in (4, 50, 71, 100, 111, 0x10000, 0x10000 + 8):
    image("truncated-%d" % n, {"d.qcow2": GOOD[:n]})
l1 = struct.unpack_from(">Q", GOOD, 40)[0]
l2 = struct.unpack_from(">Q", GOOD, l1)[0] & 0x00fffffffffffe00
image("l1-entry-past-eof", {"d.qcow2": poke(GOOD, l1, ">Q", (1 << 63) | (1 << 40))}, "check")
image("l1-entry-unaligned", {"d.qcow2": poke(GOOD, l1, ">Q", (1 << 63) | (l2 + 512))}, "check")
image("l2-entry-past-eof", {"d.qcow2": poke(GOOD, l2, ">Q", (1 << 63) | (1 << 40))}, "check")
image("l2-over-reftable", {"d.qcow2": poke(GOOD, l1, ">Q", (1 << 63) | 0x10000)}, "check")
image("data-over-reftable", {"d.qcow2": poke(GOOD, l2, ">Q", (1 << 63) | 0x10000)}, "check")
reft = struct.unpack_from(">Q", GOOD, 48)[0]
image("refblock-unaligned", {"d.qcow2": poke(GOOD, reft, ">Q", 0x20100)}, "check")
image("refblock-zero-refcount", {"d.qcow2": poke(GOOD, struct.unpack_from(">Q", GOOD, reft)[0], ">H", 0)}, "check")

vt("img", "create", "-f", "raw", "base.raw", "1M")
vt("img", "create", "-b", "base.raw", "-F", "raw", "ov.qcow2")
OV = open(os.path.join(tmp, "ov.qcow2"), "rb").read()
BASE = bytes(1 << 20)


def set_backing(img, name, fmt=None):
    """The overlay's backing name replaced in place (our header keeps it last in cluster 0),
    and its base fingerprint turned into an unknown extension, so that the chain itself is
    what gets checked."""
    off, ln = struct.unpack_from(">QI", img, 8)
    b = bytearray(img)
    fp = b.find(struct.pack(">I", 0x56744650), 112, off)
    struct.pack_into(">I", b, fp, 0x12345678)
    b[off:off + ln] = bytes(ln)
    b[off:off + len(name)] = name.encode()
    struct.pack_into(">I", b, 16, len(name))
    bf = b.find(struct.pack(">I", 0xE2792ACA), 112, off)  # backing format "raw"
    if fmt is None:  # probe the format
        struct.pack_into(">I", b, bf, 0x12345679)
    else:
        b[bf + 8:bf + 11] = fmt.encode()
    return bytes(b)


image("ctl-overlay", {"d.qcow2": OV, "base.raw": BASE}, expect=0)
image("backing-missing", {"d.qcow2": OV})
image("backing-fifo", {"d.qcow2": OV, "base.raw": FIFO})
image("backing-directory", {"d.qcow2": OV, "base.raw": DIR})
image("backing-changed", {"d.qcow2": OV, "base.raw": b"\1" + BASE[1:]}, "map")
image("backing-self", {"d.qcow2": set_backing(OV, "d.qcow2")}, "map")
image("backing-loop", {"d.qcow2": set_backing(OV, "e.qcow2"),
                       "e.qcow2": set_backing(OV, "d.qcow2")}, "map")
chain = {"d.qcow2": set_backing(OV, "c0.qcow2")}
for k in range(20):
    chain["c%d.qcow2" % k] = set_backing(OV, "c%d.qcow2" % (k + 1))
chain["c20.qcow2"] = OV
chain["base.raw"] = BASE
image("backing-chain-too-deep", chain, "map")
image("backing-unknown-format", {"d.qcow2": set_backing(OV, "base.raw", "vhd"), "base.raw": BASE}, "map")
image("raw-fifo", {"d.qcow2": FIFO})
image("raw-directory", {"d.qcow2": DIR})
image("raw-missing", {}, target="nothere.img")
image("raw-dev-null", {}, target="/dev/null")
image("raw-dev-zero", {}, target="/dev/zero")
case("img-create-over-fifo", {"f.img": FIFO}, ["img", "create", "f.img", "1M"])
case("img-create-bad-size", {}, ["img", "create", "x.qcow2", "-5"])
case("img-create-huge", {}, ["img", "create", "x.qcow2", "1E"])
case("img-create-cluster-size", {}, ["img", "create", "-o", "cluster_size=1000", "x.qcow2", "1M"])
case("img-convert-fifo-input", {"f.img": FIFO}, ["img", "convert", "-O", "raw", "f.img", "out.raw"])
case("img-check-bad-repair-mode", {"d.qcow2": GOOD}, ["img", "check", "-r", "everything", "d.qcow2"])

# --- ELF programs for `vitrine user` ------------------------------------------------------------
def elf(machine, code, vaddr, endian="<"):
    """A minimal static ELF32 executable: one PT_LOAD (the whole file), entry after the phdr."""
    ehdr = struct.Struct(endian + "16sHHIIIIIHHHHHH")
    phdr = struct.Struct(endian + "IIIIIIII")
    ident = b"\x7fELF\x01" + (b"\x01" if endian == "<" else b"\x02") + b"\x01" + bytes(9)
    size = ehdr.size + phdr.size + len(code)
    flags = 0x5000000 if machine == 40 else 0  # ARM EABI version 5
    head = ehdr.pack(ident, 2, machine, 1, vaddr + 84, 52, 0, flags, 52, 32, 1, 40, 0, 0)
    return head + phdr.pack(1, 0, vaddr, vaddr, size, size, 5, 0x1000) + code


ARM_EXIT0 = struct.pack("<III", 0xE3A00000, 0xE3A07001, 0xEF000000)  # mov r0,#0; mov r7,#1; svc 0
I386_EXIT0 = bytes([0x31, 0xDB, 0xB8, 1, 0, 0, 0, 0xCD, 0x80])  # xor ebx,ebx; mov eax,1; int 0x80
PROGS = {"arm": elf(40, ARM_EXIT0, 0x10000), "i386": elf(3, I386_EXIT0, 0x8048000)}
PH = 52  # program header offset


def prog(name, arch, data, extra=None, args=None, expect=2):
    files = {"prog": data}
    files.update(extra or {})
    case("elf-%s-%s" % (arch, name) if expect == 2 else name, files,
         ["user", arch] + (args or ["./prog"]), expect)


for arch, good in PROGS.items():
    vaddr = struct.unpack_from("<I", good, PH + 8)[0]
    prog("ctl-elf-" + arch, arch, good, expect=0)
    prog("empty", arch, b"")
    prog("magic-only", arch, b"\x7fELF")
    prog("truncated-ehdr", arch, good[:40])
    prog("truncated-phdr", arch, good[:60])
    prog("shell-script", arch, b"#!/bin/sh\nexit 0\n")
    prog("class64", arch, poke(good, 4, "B", 2))
    prog("big-endian", arch, poke(good, 5, "B", 2))
    prog("wrong-machine", arch, poke(good, 18, "<H", 62))
    prog("relocatable", arch, poke(good, 16, "<H", 1))
    prog("core-file", arch, poke(good, 16, "<H", 4))
    prog("phoff-past-eof", arch, poke(good, 28, "<I", 0x7ffffff0))
    prog("phnum-huge", arch, poke(good, 44, "<H", 0xffff))
    prog("phnum-zero", arch, poke(good, 44, "<H", 0))
    prog("phentsize-zero", arch, poke(good, 42, "<H", 0))
    prog("phentsize-small", arch, poke(good, 42, "<H", 12))
    prog("filesz-over-memsz", arch, poke(good, PH + 16, "<I", len(good) + 0x2000))
    prog("offset-past-eof", arch, poke(good, PH + 4, "<I", 0x100000))
    prog("memsz-huge", arch, poke(good, PH + 20, "<I", 0xfffff000))
    prog("vaddr-wraps", arch, poke(poke(good, PH + 8, "<I", 0xfffff000), PH + 20, "<I", 0x10000))
    prog("offset-vaddr-misaligned", arch, poke(good, PH + 4, "<I", 0x10))
    load = good[PH:PH + 32]

    def with_phdrs(body, *extra):
        """body plus a program header table at its end: the original PT_LOAD, then extra."""
        table = load + b"".join(struct.pack("<IIIIIIII", *p) for p in extra)
        return poke(poke(body + table, 28, "<I", len(body)), 44, "<H", 1 + len(extra))

    prog("overlapping-segments", arch,
         with_phdrs(good, (1, 0, vaddr + 0x40, vaddr + 0x40, 0x40, 0x2000, 6, 0x1000)))
    name = b"/lib/ld-missing.so.1\0"
    body = good + name
    prog("interp-missing", arch, with_phdrs(body, (3, len(good), 0, 0, len(name), len(name), 4, 1)))
    prog("interp-not-terminated", arch, with_phdrs(good + b"./prog", (3, len(good), 0, 0, 6, 6, 4, 1)))
    prog("interp-huge", arch, with_phdrs(body, (3, len(good), 0, 0, 0x7fffffff, 0x7fffffff, 4, 1)))
    prog("interp-past-eof", arch, with_phdrs(body, (3, 0x100000, 0, 0, 21, 21, 4, 1)))

    prog("program-is-directory", arch, b"", {"prog": DIR})
    prog("program-is-fifo", arch, b"", {"prog": FIFO})
    prog("program-missing", arch, b"", args=["./nothere"])
prog("kuser-page", "arm", poke(poke(PROGS["arm"], PH + 8, "<I", 0xffff0000), PH + 12, "<I", 0xffff0000))

# --- write them out -------------------------------------------------------------------------
names = set()
for i, (name, files, args, expect) in enumerate(cases):
    assert name not in names, name
    names.add(name)
    d = os.path.join(OUT, "%03d-%s" % (i, name))
    os.makedirs(d)
    for rel, data in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if data is FIFO:
            os.mkfifo(p)
        elif data is DIR:
            os.makedirs(p, exist_ok=True)
        elif isinstance(data, tuple):
            os.symlink(data[1], p)
        else:
            with open(p, "wb") as f:
                f.write(data)
    with open(os.path.join(d, "cmd"), "w") as f:
        f.write("".join(a + "\n" for a in args))
    with open(os.path.join(d, "expect"), "w") as f:
        f.write("%d\n" % expect)
subprocess.run(["rm", "-rf", tmp], check=True)
print(len(cases))
