#!/usr/bin/env python3
"""Write malformed executables for the lab-4 loader tests.

usage: mkbadelf.py OUTDIR GOOD_ELF

Each file in OUTDIR is GOOD_ELF (a static, non-PIE x86_64 executable, e.g.
build/user/bin/hello) with one defect, named by the comment above it in
variants(); everything else stays valid, so only the check for that defect
can catch it. A correct kernel refuses every file with ENOEXEC before it
has destroyed the caller's address space, and does not crash; /bin/badelf
tries them all.
"""
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_LOAD, PT_INTERP = 1, 3
PT_GNU_STACK = 0x6474E551
PF_X = 1
ET_REL = 1
EM_ARM = 40
PAGE = 4096
INTERP = b"/lib/ld-musl-x86_64.so.1\0"


class Elf:
    """A mutable copy of the good file: header fields and phdrs by name."""

    FIELDS = ("ident type machine version entry phoff shoff flags ehsize "
              "phentsize phnum shentsize shnum shstrndx").split()
    PFIELDS = "type flags offset vaddr paddr filesz memsz align".split()

    def __init__(self, data):
        self.data = bytearray(data)
        self.h = dict(zip(self.FIELDS, EHDR.unpack_from(self.data)))
        self.phoff = self.h["phoff"]
        self.ph = []
        for i in range(self.h["phnum"]):
            off = self.phoff + i * PHDR.size
            self.ph.append(dict(zip(self.PFIELDS, PHDR.unpack_from(self.data, off))))

    def loads(self):
        return [p for p in self.ph if p["type"] == PT_LOAD]

    def bytes(self):
        out = bytearray(self.data)
        h = dict(self.h)
        EHDR.pack_into(out, 0, *[h[f] for f in self.FIELDS])
        # Program headers go back where the good file had them, whatever
        # e_phoff now claims.
        for i, p in enumerate(self.ph):
            PHDR.pack_into(out, self.phoff + i * PHDR.size,
                           *[p[f] for f in self.PFIELDS])
        return bytes(out)


def variants(good):
    """Yield (name, contents); the comment above each says what is wrong."""
    base = Elf(good)

    def mutate(fn):
        e = Elf(good)
        fn(e)
        return e.bytes()

    def set_ident(i, v):
        return good[:i] + bytes([v]) + good[i + 1:]

    # Shorter than the 64-byte ELF header.
    yield "truncated", good[:40]
    # A valid header, but the file ends in the middle of the second phdr.
    yield "short-phdrs", good[:base.h["phoff"] + PHDR.size + PHDR.size // 2]
    # "\x7fELX" instead of "\x7fELF".
    yield "bad-magic", set_ident(3, ord("X"))
    # EI_CLASS = ELFCLASS32: a 32-bit file.
    yield "elf32", set_ident(4, 1)
    # EI_DATA = ELFDATA2MSB: big-endian.
    yield "big-endian", set_ident(5, 2)
    # e_machine = EM_ARM.
    yield "wrong-machine", mutate(lambda e: e.h.update(machine=EM_ARM))
    # e_type = ET_REL: an object file, not an executable.
    yield "bad-type", mutate(lambda e: e.h.update(type=ET_REL))
    # e_phentsize = 16, not sizeof(Elf64_Phdr) = 56.
    yield "bad-phentsize", mutate(lambda e: e.h.update(phentsize=16))
    # e_phnum = 0xffff: 3.5 MiB of program headers in a small file.
    yield "too-many-phdrs", mutate(lambda e: e.h.update(phnum=0xFFFF))
    # e_phoff points past the end of the file.
    yield "phdrs-outside", mutate(lambda e: e.h.update(phoff=len(good) + PAGE))

    def seg_outside(e):
        # The last PT_LOAD claims 64 KiB more file than there is (memsz
        # grows with it, so filesz <= memsz still holds).
        p = e.loads()[-1]
        p["filesz"] = len(good) - p["offset"] + 0x10000
        p["memsz"] = max(p["memsz"], p["filesz"])
    yield "seg-outside-file", mutate(seg_outside)

    # The last PT_LOAD has p_filesz > p_memsz.
    yield "filesz-gt-memsz", mutate(
        lambda e: e.loads()[-1].update(memsz=e.loads()[-1]["filesz"] - 1))

    def overlap(e):
        # The last PT_LOAD moves down onto the last page of the one before
        # it, keeping p_vaddr congruent to p_offset.
        prev, last = e.loads()[-2:]
        page = (prev["vaddr"] + prev["memsz"] - 1) & ~(PAGE - 1)
        last["vaddr"] = last["paddr"] = page + last["offset"] % PAGE
    yield "overlap", mutate(overlap)

    # The last PT_LOAD has p_memsz = 2^47: it ends beyond user space.
    yield "huge-memsz", mutate(lambda e: e.loads()[-1].update(memsz=1 << 47))

    def kernel_vaddr(e):
        # The last PT_LOAD is placed in the kernel's half.
        p = e.loads()[-1]
        p["vaddr"] = p["paddr"] = 0xFFFFFFFF80000000 + p["offset"] % PAGE
    yield "kernel-vaddr", mutate(kernel_vaddr)

    def misaligned(e):
        # p_vaddr % p_align != p_offset % p_align: no mapping of file pages
        # can put the segment there.
        p = e.loads()[-1]
        p["vaddr"] += 8
        p["paddr"] += 8
    yield "misaligned", mutate(misaligned)

    def entry_outside(e):
        # e_entry is the start of a non-executable PT_LOAD (the data).
        data = [p for p in e.loads() if not p["flags"] & PF_X]
        e.h["entry"] = data[-1]["vaddr"] if data else 0x10
    yield "entry-outside", mutate(entry_outside)

    # Every PT_LOAD turned into PT_NULL: nothing to map.
    yield "no-load", mutate(lambda e: [p.update(type=0) for p in e.loads()])

    def interp(e):
        # A PT_INTERP (in place of a phdr the loader may ignore) naming
        # musl's dynamic linker, whose path is appended to the file: a
        # dynamic executable, which lab 4 does not support.
        spare = [p for p in e.ph if p["type"] not in (PT_LOAD, PT_GNU_STACK)]
        if not spare:
            sys.exit("mkbadelf: no spare program header for PT_INTERP")
        spare[0].update(type=PT_INTERP, flags=4, offset=len(e.data), vaddr=0,
                        paddr=0, filesz=len(INTERP), memsz=len(INTERP), align=1)
        e.data += INTERP
    yield "interp", mutate(interp)

    # A "#!" line that names no interpreter: lab 4 runs no scripts, and
    # lab 5 refuses this one as Linux does.
    yield "script", b"#!\necho hi\n"


def check_good(good):
    if good[:4] != b"\x7fELF" or good[4] != 2 or good[5] != 1:
        sys.exit("mkbadelf: GOOD_ELF is not a little-endian ELF64 file")
    e = Elf(good)
    if e.h["type"] != 2 or e.h["machine"] != 62 or e.h["phentsize"] != PHDR.size:
        sys.exit("mkbadelf: GOOD_ELF is not an x86_64 ET_EXEC")
    if len(e.loads()) < 2:
        sys.exit("mkbadelf: GOOD_ELF needs at least two PT_LOAD segments")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkbadelf.py OUTDIR GOOD_ELF")
    outdir, good_path = sys.argv[1:]
    with open(good_path, "rb") as f:
        good = f.read()
    check_good(good)
    os.makedirs(outdir, exist_ok=True)
    for name, data in variants(good):
        path = os.path.join(outdir, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)


if __name__ == "__main__":
    main()
