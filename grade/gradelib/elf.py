"""Symbols and sections of kernel.elf, and checking a kernel backtrace
against them."""
import re
import struct
from pathlib import Path

from .core import TestFail, diff


class Sym:
    def __init__(self, name, value, size, kind):
        self.name, self.value, self.size, self.kind = name, value, size, kind


class Elf:
    """What graders need of an ELF64 file: sections {name: (sh_addr,
    sh_size)}, loads [(p_paddr, p_memsz, p_vaddr)] of PT_LOAD segments,
    symbols {name: [Sym]} and funcs (STT_FUNC symbols by address)."""

    def __init__(self, path):
        data = Path(path).read_bytes()
        if data[:5] != b"\x7fELF\x02":
            raise TestFail(f"{path} is not an ELF64 file")
        (_, _, _, _, self.entry, phoff, shoff, _, _, phsz, phnum, shsz, shnum,
         shstrndx) = struct.unpack_from("<16sHHIQQQIHHHHHH", data)
        self.loads, self._segs, self._data = [], [], data
        for i in range(phnum):
            ptype, _, off, vaddr, paddr, filesz, memsz, _ = \
                struct.unpack_from("<IIQQQQQQ", data, phoff + i * phsz)
            if ptype == 1 and memsz:
                self.loads.append((paddr, memsz, vaddr))
                self._segs.append((vaddr, off, filesz))
        shdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shsz)
                 for i in range(shnum)]

        def cstr(off):
            return data[off:data.index(b"\0", off)].decode()
        shstr = shdrs[shstrndx][4]
        self.sections = {cstr(shstr + h[0]): (h[3], h[5]) for h in shdrs}
        self.symbols, self.funcs = {}, []
        for (_, stype, _, _, off, size, link, _, _, esz) in shdrs:
            if stype != 2:                      # SHT_SYMTAB
                continue
            for j in range(1, size // esz):
                nm, info, _, shndx, value, ssize = struct.unpack_from(
                    "<IBBHQQ", data, off + j * esz)
                if nm and shndx:
                    s = Sym(cstr(shdrs[link][4] + nm), value, ssize, info & 15)
                    self.symbols.setdefault(s.name, []).append(s)
                    if s.kind == 2:             # STT_FUNC
                        self.funcs.append(s)
        self.funcs.sort(key=lambda s: s.value)

    def func_at(self, addr):
        """The STT_FUNC symbol whose [value, value+size) holds addr."""
        return next((s for s in self.funcs
                     if s.value <= addr < s.value + max(s.size, 1)), None)

    def caller_at(self, ret):
        """The function of a return address: a call that ends a function
        returns just past its end, so ret-1 is tried too."""
        return self.func_at(ret) or self.func_at(ret - 1)

    def symbolize(self, addr):
        s = self.caller_at(addr)
        return f"{s.name}+{addr - s.value:#x}" if s else "??"

    def read(self, addr, n):
        """The n bytes the file loads at virtual address addr (for example
        the instruction at a reported rip); b"" where it loads none."""
        for vaddr, off, filesz in self._segs:
            if vaddr <= addr and addr + n <= vaddr + filesz:
                return self._data[off + addr - vaddr:off + addr - vaddr + n]
        return b""

    def kernel_end(self):
        """Physical address of the last byte of the highest PT_LOAD."""
        return max(p + m for p, m, _ in self.loads) - 1

# ----------------------------------------------------------- backtraces


FRAME_RX = re.compile(r"^\s*#(\d+) rbp (0x[0-9a-f]+) rip (0x[0-9a-f]+) "
                      r"(?:(\S+)\+0x([0-9a-f]+)|(\?\?))$")


class Frame:
    def __init__(self, m, line):
        self.num, self.rbp, self.rip = int(m[1]), int(m[2], 16), int(m[3], 16)
        self.name, self.off = m[4] or "??", int(m[5] or "0", 16)
        self.line = line                        # index in the boot's lines


def parse_backtrace(lines, start=0):
    """Frames of the first `Stack backtrace:` block of lines (a list whose
    first line is the boot's line `start`), or None if there is none."""
    if "Stack backtrace:" not in lines:
        return None
    i = lines.index("Stack backtrace:") + 1
    frames = []
    while i < len(lines) and (m := FRAME_RX.match(lines[i])):
        frames.append(Frame(m, start + i))
        i += 1
    return frames


def check_backtrace(t, frames, expected, boot=None, what="backtrace"):
    """Frames #0.. must name `expected` in order and be numbered 0, 1, ...;
    every frame must agree with kernel.elf: NAME+OFF == rip, and rip (or
    rip-1) inside NAME; `??` only where rip is in no function."""
    if frames is None:
        t.fail(f"no `Stack backtrace:` line in the {what}", boot=boot)
    got = [f.name for f in frames[:len(expected)]]
    t.check(got == list(expected), f"{what}: the first frames do not name "
            "the expected functions", diff(list(expected), got), boot,
            frames[0].line if frames else None)
    for i, f in enumerate(frames):
        def ok(cond, msg):
            t.check(cond, f"{what}: frame #{f.num}: {msg}", boot=boot,
                    at=f.line)
        ok(f.num == i, f"numbered #{f.num}, expected #{i}")
        real = t.elf.caller_at(f.rip)
        if f.name == "??":
            ok(real is None, f"rip {f.rip:#x} is in {real and real.name}, "
               "but the kernel printed ??")
            continue
        syms = t.elf.symbols.get(f.name, [])
        ok(syms, f"{f.name} is not a symbol of kernel.elf")
        ok(any(s.value + f.off == f.rip for s in syms), f"{f.name}+"
           f"{f.off:#x} is {syms[0].value + f.off:#x} in kernel.elf, not "
           f"rip {f.rip:#x}")
        ok(real is None or real.name == f.name, f"rip {f.rip:#x} lies in "
           f"{real and real.name}, not in {f.name}")
