#!/usr/bin/env python3
"""Writes the generated seed inputs of the fuzz targets into corpus/NAME/.

Run from anywhere: python3 tests/fuzz/make-seeds.py. The seeds are small,
well-formed inputs that reach deep into each parser (a Multiboot2 structure
like GRUB's, an ACPI address space with RSDP, XSDT, FADT, DSDT, MADT and
HPET, shell input with editing keys, tokenizer text). Inputs that crashed a
parser once are added to the same directories by hand, named crash-*.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- Multiboot2
def tag(kind, payload):
    data = struct.pack("<II", kind, 8 + len(payload)) + payload
    return data + b"\0" * (-len(data) % 8)


def info(*tags):
    body = b"".join(tags) + tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def rsdp(revision):
    body = b"RSD PTR " + b"\0" + b"FLUIDx" + bytes([revision]) + struct.pack("<I", 0x1000)
    body += struct.pack("<IQ", 36, 0x2000) + b"\0\0\0\0"
    return body


def multiboot_seeds():
    memory_map = struct.pack("<II", 24, 0)
    for base, length, kind in [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2), (0x100000, 0x7EE0000, 1),
                               (0x7FE0000, 0x20000, 2), (0xFFFC0000, 0x40000, 2)]:
        memory_map += struct.pack("<QQII", base, length, kind, 0)
    framebuffer = struct.pack("<QIIIBBH", 0xFD000000, 4096, 1024, 768, 32, 1, 0) + bytes([16, 8, 8, 8, 0, 8])
    section = struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    symtab = struct.pack("<IIQQQQIIQQ", 1, 2, 0, 0x200000, 0, 0x300, 2, 0, 8, 24)
    strtab = struct.pack("<IIQQQQIIQQ", 9, 3, 0, 0x201000, 0, 0x100, 0, 0, 1, 0)
    elf = struct.pack("<III", 3, 64, 0) + section + symtab + strtab
    write("bootinfo", "grub-bios", info(
        tag(1, b"console=serial tier=on\0"), tag(2, b"GRUB 2.06-13\0"),
        tag(3, struct.pack("<II", 0x200000, 0x201234) + b"/modules/fib.bc\0"),
        tag(3, struct.pack("<II", 0x202000, 0x203000) + b"/modules/matmul.bc\0"),
        tag(4, struct.pack("<II", 639, 130048)), tag(6, memory_map), tag(8, framebuffer), tag(9, elf),
        tag(14, rsdp(0)[:20]), tag(21, struct.pack("<I", 0x100000))))
    write("bootinfo", "grub-uefi", info(
        tag(1, b"\0"), tag(2, b"GRUB\0"), tag(12, struct.pack("<Q", 0x7F9E018)), tag(18, b""),
        tag(6, memory_map), tag(15, rsdp(2)), tag(14, rsdp(0)[:20]),
        tag(8, struct.pack("<QIIIBBH", 0xB8000, 160, 80, 25, 16, 2, 0))))
    write("bootinfo", "minimal", info())


# ---------------------------------------------------------------- ACPI
def checksum(data):
    return (-sum(data)) & 0xFF


def table(signature, body, revision=1):
    header = bytearray(signature + struct.pack("<IBB", 36 + len(body), revision, 0) + b"FLUID " + b"FLUIDTBL"
                       + struct.pack("<I", 1) + b"FLUD" + struct.pack("<I", 1))
    data = bytearray(header + body)
    data[9] = checksum(data)
    return bytes(data)


def acpi_space(use_xsdt=True, s5=True):
    # Layout (physical address = offset into the space, RSDP at 0):
    # XSDT 0x100, RSDT 0x180, FADT 0x200, DSDT 0x400, MADT 0x500, HPET 0x600.
    here = os.path.join(HERE, "..", "unit", "acpi", "data")
    madt = open(os.path.join(here, "qemu-pc-smp4-apic.bin"), "rb").read()
    hpet = open(os.path.join(here, "qemu-pc-smp4-hpet.bin"), "rb").read()
    aml = b"\x10\x05_SB_" + (b"\x08_S5_\x12\x08\x04\x0a\x05\x0a\x05\x00\x00" if s5 else b"\x08_S4_\x12\x04\x02\x00\x00")
    dsdt = table(b"DSDT", aml, 2)
    fadt_body = bytearray(244 - 36)
    struct.pack_into("<I", fadt_body, 40 - 36, 0x400)           # DSDT
    struct.pack_into("<I", fadt_body, 64 - 36, 0x604)           # PM1a_CNT_BLK
    struct.pack_into("<I", fadt_body, 112 - 36, 1 << 10)        # flags: RESET_REG_SUP
    fadt_body[116 - 36:128 - 36] = struct.pack("<BBBBQ", 1, 8, 0, 1, 0xCF9)
    fadt_body[128 - 36] = 6
    struct.pack_into("<Q", fadt_body, 140 - 36, 0x400)          # X_DSDT
    fadt = table(b"FACP", bytes(fadt_body), 6)
    space = bytearray(0x700)
    revision = 2 if use_xsdt else 0
    header = bytearray(b"RSD PTR " + b"\0" + b"FLUIDx" + bytes([revision]) + struct.pack("<IIQ", 0x180, 36, 0x100)
                       + b"\0\0\0\0")
    header[8] = checksum(header[:20])
    header[32] = checksum(header)
    space[0:36] = header
    for at, data in [(0x100, table(b"XSDT", struct.pack("<QQQ", 0x200, 0x500, 0x600))),
                     (0x180, table(b"RSDT", struct.pack("<III", 0x200, 0x500, 0x600))),
                     (0x200, fadt), (0x400, dsdt), (0x500, madt), (0x600, hpet)]:
        space[at:at + len(data)] = data
    return bytes(space)


def acpi_seeds():
    # Byte 0 is the harness's mode: 1 = fix checksums, 2 = also feed the raw
    # bytes to MADT/HPET/AML, 0 = bytes as they are.
    write("acpi", "qemu-xsdt", b"\x00" + acpi_space())
    write("acpi", "qemu-rsdt-fixsums", b"\x01" + acpi_space(use_xsdt=False))
    write("acpi", "no-s5", b"\x03" + acpi_space(s5=False))
    here = os.path.join(HERE, "..", "unit", "acpi", "data")
    write("acpi", "raw-madt", b"\x02" + open(os.path.join(here, "qemu-pc-smp4-apic.bin"), "rb").read())


# ---------------------------------------------------------------- shell
def shell_seeds():
    write("shell", "commands", b"help\r\nls /modules\nmodule load fib\r\ncall fib fib 20\njit run bench --json\n")
    write("shell", "quotes", b'echo "a b" "c \\" d" \\\\ "" x\nput "/dir/A Long Name.txt" "text with \\\\"\n')
    write("shell", "editing", b"lx\x7fs\x08 /\x1b[A\x1b[D\x1bOH\x03tier steps\r\ntier pin fib fib O3 --json\n\x00\xff\xe9\n")
    write("shell", "long", b"x" * 300 + b"\n" + b" ".join([b"a"] * 40) + b"\n")


# ---------------------------------------------------------------- tokenizer
def tokenizer_seeds():
    # Byte 0: bits 0-1 pick the vocabulary, bit 2 adds BOS.
    write("tokenizer", "hello", b"\x00Hello world, hello the world.\n")
    write("tokenizer", "utf8", b"\x05caf\xc3\xa9 \xf0\x9f\xa6\x99 \xe4\xb8\xad\xe6\x96\x87  double  space")
    write("tokenizer", "bytes", b"\x02\x00\x01\x7f\x80\xff<s>x</s>\xe2\x96\x81\xc3")
    write("tokenizer", "spaces", b"\x03   leading and trailing   ")


# ---------------------------------------------------------------- allowlist
def allowlist_seeds():
    # /modules/ALLOWED as `sha256sum *.bc` writes it, and the variants it accepts.
    abc = b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    empty = b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    write("allowlist", "sha256sum", abc + b"  fib.bc\n" + empty + b"  matmul.bc\n")
    write("allowlist", "binary-crlf-comments", b"# modules\r\n\r\n" + abc.upper() + b" *modules/fib.bc\r\n")
    write("allowlist", "bad-lines", abc[:63] + b"  a.bc\n" + abc + b" b.bc\n" + abc + b"  A.BC\n\\" + abc + b"  x\n")


if __name__ == "__main__":
    multiboot_seeds()
    acpi_seeds()
    shell_seeds()
    tokenizer_seeds()
    allowlist_seeds()
