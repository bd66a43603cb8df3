"""gradelib: what every NexaOS lab grader (grade/labN.py) is built from.

A grader is a list of tests, each a function decorated with @test:

    @test("printf", points=5)
    def printf(t):
        with t.boot("test=printf") as b:        # boot; b reads its serial
            block = b.ktest("printf")           # lines between ktest: begin/end
            t.compare(expected_lines, block, "printf lines", b)

A test passes when its function returns and fails when it raises TestFail
(t.fail, t.check, t.compare, or any Boot method that gives up).  Points and
time limits come from grade/rubric.json; the numbers in @test are defaults.

A Boot (QemuBoot, BochsBoot) is one run of an emulator.  Serial output is read
as it arrives; b.expect(regex) waits for the next complete line that matches.
A kernel panic, a triple fault or the emulator stopping ends every wait at
once with that as the reason, never as a timeout.  The grader owns its
processes: each runs in its own process group and every exit path (return,
exception, timeout, Ctrl-C, SIGTERM) kills it.
"""
import difflib
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OVMF = "/usr/share/ovmf/OVMF.fd"
BXSHARE = os.environ.get("BXSHARE", "/usr/share/bochs")
VGA_TEXT, VGA_SIZE = 0xB8000, 80 * 25 * 2
TESTS = []          # every TestDef of the loaded labs, in definition order

# ------------------------------------------------------------- test API


class TestFail(Exception):
    """A failed test: reason (one line), detail (more lines, e.g. a diff),
    the boot whose serial output to show and the line index to show it at."""

    def __init__(self, reason, detail=None, boot=None, at=None):
        super().__init__(reason)
        self.reason, self.detail, self.boot, self.at = reason, detail, boot, at


class TestDef:
    def __init__(self, lab, name, fn, points, timeout, parent, emus):
        self.lab, self.name, self.fn, self.points = lab, name, fn, points
        self.timeout, self.parent, self.emus = timeout, parent, emus


def test(name, points=1, timeout=20, parent=None, emus=("qemu",)):
    """Declare a test of the lab whose module defines it (labN.py: lab N).
    parent: a test of the same lab that must pass first, or this one is
    skipped (and counts as failed); its t.data is this one's t.parent_data.
    emus: the --emu values under which the test runs; else it is skipped."""
    def deco(fn):
        lab = int(re.search(r"(\d+)$", fn.__module__)[1])
        TESTS.append(TestDef(lab, name, fn, points, timeout, parent, emus))
        return fn
    return deco


def need_file(path):
    if not Path(path).is_file():
        raise TestFail(f"{path} does not exist: build it first (make; "
                       "make iso for the ISO)")
    return Path(path)


class T:
    """The running test, passed to its function as `t`.  cfg (from grade.py)
    has build, emu, scale (time-limit factor), logdir and elf()."""

    def __init__(self, tdef, cfg, parent_data=None):
        self.cfg, self.name, self.lab = cfg, tdef.name, tdef.lab
        self.build = cfg.build
        self.timeout = tdef.timeout * cfg.scale
        self.deadline = time.monotonic() + self.timeout
        self.boots, self.logs = [], []
        self.data, self.parent_data = {}, parent_data or {}

    @property
    def elf(self):
        """The build's kernel.elf, parsed (an Elf)."""
        return self.cfg.elf()

    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def logpath(self, suffix=""):
        """labN-TEST.log, then labN-TEST-2.log, ... (serial logs), or
        labN-TEST<suffix>.log."""
        if not suffix:
            n = sum(p.suffixes == [".log"] for p in self.logs)
            suffix = f"-{n + 1}" if n else ""
        p = self.cfg.logdir / f"lab{self.lab}-{self.name}{suffix}.log"
        self.logs.append(p)
        return p

    def _add(self, boot):
        self.boots.append(boot)
        return boot.start()

    def qemu(self, cmdline="", mem=64, iso=False, uefi=False, screen=False,
             gdb_port=None, expect_panic=False):
        """Boot QEMU: kernel32.elf via Multiboot1 with `cmdline`, or the ISO
        (iso=True; uefi=True adds OVMF).  screen=True: no debug-exit device,
        so power-off only stops QEMU and b.screen() can read VGA memory.
        gdb_port: stay halted for gdb on that port."""
        return self._add(QemuBoot(self, cmdline, mem, iso, uefi, screen,
                                  gdb_port, expect_panic))

    def bochs(self, cmdline=None, mem=64, expect_panic=False):
        """Boot under Bochs (serial output only): nexaos.iso, or given a
        cmdline, an ISO made from kernel.elf whose GRUB passes it."""
        return self._add(BochsBoot(self, cmdline, mem, expect_panic))

    def boot(self, cmdline, mem=64, expect_panic=False):
        """Boot with a kernel command line under the --emu emulator."""
        if self.cfg.emu == "bochs":
            return self.bochs(cmdline, mem, expect_panic)
        return self.qemu(cmdline, mem, expect_panic=expect_panic)

    def boot_iso(self, mem=64, expect_panic=False):
        """Boot nexaos.iso (BIOS) under the --emu emulator."""
        if self.cfg.emu == "bochs":
            return self.bochs(None, mem, expect_panic)
        return self.qemu(mem=mem, iso=True, expect_panic=expect_panic)

    def close(self, linger=False):
        """Stop every boot; linger: let the kernel finish its output first."""
        for b in self.boots:
            if linger:
                b.linger()
            b.close()

    def fail(self, reason, detail=None, boot=None, at=None):
        raise TestFail(reason, detail, boot, at)

    def check(self, cond, reason, detail=None, boot=None, at=None):
        if not cond:
            raise TestFail(reason, detail, boot, at)

    def compare(self, expected, got, what, boot=None, at=None):
        """Fail with a unified diff unless the two lists of lines are equal.
        The failure points at the first bad line: at is got's line indices
        in boot.lines (a list), or got is a Lines block."""
        exp, got_l = list(expected), list(got)
        if exp == got_l:
            return
        pairs = list(zip(exp, got_l))
        first = next((i for i, (a, b) in enumerate(pairs) if a != b),
                     len(pairs))
        bad = sum(a != b for a, b in pairs) + abs(len(exp) - len(got_l))
        if at is None and isinstance(got, Lines):
            at = range(got.start, got.start + len(got))
        at = at[min(first, len(at) - 1)] if at else None
        raise TestFail(f"{what} differ from the expected ({bad} of "
                       f"{len(exp)} lines)", diff(exp, got_l), boot, at)

    def run(self, argv, env=None, log=None):
        """Run a host program (e.g. gdb) in its own process group until the
        test's deadline; return (status, output).  With log, the output is
        saved as labN-TEST.<log>.log."""
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                  stderr=subprocess.STDOUT, env=env)
        try:
            out, status = p.communicate(timeout=self.remaining())[0], 0
        except subprocess.TimeoutExpired:
            kill(p)
            out, status = p.communicate()[0], None
        finally:
            kill(p)
        out = out.decode("utf-8", "replace")
        if log:
            path = self.logpath("." + log)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(out)
        if status is None:
            raise TestFail(f"{Path(argv[0]).name} did not finish within "
                           f"{self.timeout:.0f}s (the test's time limit)",
                           tail(out))
        return p.returncode, out


def diff(expected, got, limit=40):
    d = list(difflib.unified_diff(expected, got, "expected", "got",
                                  lineterm="", n=2))
    return d[:limit] + (["..."] if len(d) > limit else [])


def tail(text, n=20):
    return text.rstrip("\n").split("\n")[-n:]

# ------------------------------------------------------------ processes


_procs, _procs_lock, _tmpdirs = set(), threading.Lock(), set()


def spawn(argv, **kw):
    """Popen in a new process group, remembered until kill()ed.  Under
    setpriv(1) the child also dies if the grader is SIGKILLed."""
    argv = [str(a) for a in argv]
    if shutil.which("setpriv"):
        argv = ["setpriv", "--pdeathsig", "KILL", "--"] + argv
    with _procs_lock:
        p = subprocess.Popen(argv, start_new_session=True, **kw)
        _procs.add(p)
    return p


def kill(p, wait=5):
    """Kill p's whole process group and reap it."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        pass
    with _procs_lock:
        _procs.discard(p)


def kill_all():
    """Kill every emulator and helper still running; remove temp dirs."""
    with _procs_lock:
        procs = list(_procs)
    for p in procs:
        kill(p, wait=2)
    for d in list(_tmpdirs):
        shutil.rmtree(d, ignore_errors=True)


def mktemp():
    d = tempfile.mkdtemp(prefix="nexaos-grade-")
    _tmpdirs.add(d)
    return Path(d)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

# ------------------------------------------------------------------ ELF


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
        self.loads = []
        for i in range(phnum):
            ptype, _, _, vaddr, paddr, _, memsz, _ = struct.unpack_from(
                "<IIQQQQQQ", data, phoff + i * phsz)
            if ptype == 1 and memsz:
                self.loads.append((paddr, memsz, vaddr))
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

# --------------------------------------------------------------- screen


class Screen:
    """The 80x25 VGA text screen: rows[r] (text, right-stripped, control
    bytes shown as spaces), attr(r, c) the attribute byte of a cell."""

    def __init__(self, data):
        self.data = data
        text = bytes(c if c >= 0x20 else 0x20 for c in data[0::2])
        text = text.decode("cp437")
        self.rows = [text[r * 80:(r + 1) * 80].rstrip() for r in range(25)]

    def attr(self, r, c):
        return self.data[(r * 80 + c) * 2 + 1]

    def attrs(self, r, c0=0, n=80):
        """The set of attribute bytes of cells c0..c0+n-1 of row r."""
        return {self.attr(r, c) for c in range(c0, c0 + n)}

    def dump(self):
        return ["VGA screen:"] + [f"{r:2} |{row}"
                                  for r, row in enumerate(self.rows)]

# ---------------------------------------------------------------- boots


ANSI_RX = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|.)|\r|\0")
PANIC_RX = re.compile(r"^KERNEL PANIC in (\S+) \(([^)]*)\): (.*)$", re.M)
MAX_SERIAL = 8 << 20        # a kernel printing more is stopped


def clean(raw):
    """Serial bytes as text without \r, NUL and ANSI escape sequences."""
    return ANSI_RX.sub("", raw.decode("utf-8", "replace"))


class Lines(list):
    """Serial lines that remember where they start: .start is the index of
    the first one in boot.lines (failures point there)."""

    def __init__(self, items, start):
        super().__init__(items)
        self.start = start


class Boot:
    """One emulator run's serial output, with waits that fail fast.
    b.text is the output so far (\\r and ANSI escapes removed), b.lines its
    lines, b.pos where the next expect() starts; once b.done, b.end says
    how it ended and b.status is the exit status (QEMU)."""
    emu, can_send = "emulator", False

    def __init__(self, t, expect_panic):
        self.t, self.expect_panic = t, expect_panic
        self.raw, self.text, self.pos = bytearray(), "", 0
        self._clean, self._clean_upto = "", 0
        self.cond = threading.Condition()
        self.done, self.status, self.end, self.panic_at = False, None, "", None
        self.log, self.tmp, self.proc = t.logpath(), None, None

    def __enter__(self):
        return self

    def __exit__(self, etype, *_):
        if etype:
            self.linger()
        self.close()

    @property
    def lines(self):
        return self.text.split("\n")

    def line_of(self, offset):
        return self.text.count("\n", 0, offset)

    def _feed(self, data):
        with self.cond:
            if len(self.raw) > MAX_SERIAL:
                return self._finish(None, "flooded the serial port (more "
                                    f"than {MAX_SERIAL >> 20} MiB)")
            self.raw += data
            # clean complete lines once; redo only the unfinished last one
            nl, scan = self.raw.rfind(b"\n") + 1, len(self._clean)
            if nl > self._clean_upto:
                self._clean += clean(self.raw[self._clean_upto:nl])
                self._clean_upto = nl
            self.text = self._clean + clean(self.raw[self._clean_upto:])
            if self.panic_at is None and (
                    m := PANIC_RX.search(self.text, scan)):
                self.panic_at = m.start()
            self.cond.notify_all()

    def _finish(self, status, end):
        with self.cond:
            if not self.done:
                self.done, self.status, self.end = True, status, end
                self.cond.notify_all()

    def _deadline(self, timeout):
        if timeout is None:
            return self.t.deadline
        return min(self.t.deadline, time.monotonic() + timeout * self.t.cfg.scale)

    def _wait(self, deadline):
        """Wait for news (holding cond); False once deadline has passed."""
        left = deadline - time.monotonic()
        if left > 0:
            self.cond.wait(min(left, 0.25))
        return left > 0

    def _timeout(self, what):
        return TestFail(f"timeout: {what} within {self.t.timeout:.0f}s (the "
                        "test's time limit)", boot=self)

    def panic_report(self):
        """(message, report lines, line index) of the kernel panic; frames
        the kernel printed as ?? get the grader's symbol from kernel.elf."""
        m = PANIC_RX.search(self.text)
        start, out = self.line_of(m.start()), []
        for ln in self.lines[self.line_of(m.start()):][:60]:
            f = FRAME_RX.match(ln)
            sym = f and f[6] and self.t.elf.symbolize(int(f[3], 16))
            out.append(ln + (f"   [kernel.elf: {sym}]"
                             if sym and sym != "??" else ""))
            if ln.startswith("System halted"):
                break
        return m[3], out, start

    def _check_panic(self, deadline):
        if self.panic_at is None or self.expect_panic:
            return
        end = min(deadline, time.monotonic() + 2 * self.t.cfg.scale)
        while ("System halted" not in self.text[self.panic_at:]
               and not self.done and self._wait(end)):
            pass                                # let the report finish
        msg, report, at = self.panic_report()
        raise TestFail(f"kernel panic: {msg}", report, self, at)

    def expect(self, pattern, timeout=None, what=None, partial=False):
        """Wait for the next complete serial line (after the previous match)
        in which regex `pattern` matches; return the match.  partial=True
        matches text not yet ended by a newline, e.g. a prompt."""
        rx, what = re.compile(pattern, re.M), what or repr(pattern)
        deadline = self._deadline(timeout)
        start = self.pos
        with self.cond:
            while True:
                # a line pattern sees complete lines only: `$` matches at endpos
                endpos = len(self.text) if partial else self.text.rfind("\n")
                m = rx.search(self.text, start, endpos)
                if m and (self.panic_at is None or self.expect_panic
                          or m.start() < self.panic_at):
                    self.pos = m.end() if partial else \
                        self.text.find("\n", m.end()) + 1
                    return m
                # lines searched need no second look (a prompt might have
                # begun near the end)
                start = max(start, endpos - 256 if partial else endpos + 1)
                self._check_panic(deadline)
                if self.done:
                    raise TestFail(f"{self.emu} {self.end} before {what} "
                                   "appeared on serial", boot=self)
                if not self._wait(deadline):
                    raise self._timeout(f"{what} did not appear on serial")

    def lines_between(self, begin, end, timeout=None):
        """The lines strictly between the next line matching regex `begin`
        and the next one after it matching regex `end`, as Lines."""
        self.expect(begin, timeout)
        first = self.line_of(self.pos)
        self.expect(end, timeout)
        return Lines(self.lines[first:self.line_of(self.pos) - 1], first)

    def ktest(self, name, timeout=None):
        """The output of kernel self-test NAME: the lines between
        `ktest: begin NAME` and `ktest: end NAME`."""
        n = re.escape(name)
        return self.lines_between(rf"^ktest: begin {n}$",
                                  rf"^ktest: end {n}$", timeout)

    def wait_done(self, timeout=None, what="power-off"):
        """Wait until the emulator exits (or stops, for screen boots)."""
        deadline = self._deadline(timeout)
        with self.cond:
            while not self.done:
                self._check_panic(deadline)
                if not self._wait(deadline):
                    raise self._timeout(f"no {what}")
            self._check_panic(deadline)
        return self.status

    def linger(self, quiet=0.3, most=1.0):
        """Let a failed boot finish its output for the log: until it stops,
        is quiet for `quiet` s, or `most` s have passed."""
        end = time.monotonic() + most
        with self.cond:
            n = -1
            while self.proc and not self.done and len(self.raw) != n \
                    and time.monotonic() < end:
                n = len(self.raw)
                self.cond.wait(quiet)

    def close(self):
        if self.proc:
            kill(self.proc)
            self._finish(None, "was stopped by the grader")
            self._join()
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self.log.write_bytes(bytes(self.raw))
        elif self.log in self.t.logs:           # never started: no log
            self.t.logs.remove(self.log)
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            _tmpdirs.discard(str(self.tmp))


QEMU_EXITS = {1: "powered off cleanly (status 1)",
              3: "powered off reporting failure (status 3, debug-exit 1)",
              5: "stopped after a kernel panic (status 5, debug-exit 2)",
              0: "exited after a triple fault or reset (status 0)"}


class QemuBoot(Boot):
    emu, can_send = "QEMU", True
    stop_reason = None              # from QMP's SHUTDOWN event

    def __init__(self, t, cmdline, mem, iso, uefi, screen, gdb_port,
                 expect_panic):
        super().__init__(t, expect_panic)
        self.cmdline, self.mem, self.iso, self.uefi = cmdline, mem, iso, uefi
        self.screen_mode, self.gdb_port = screen, gdb_port

    def start(self):
        if not shutil.which("qemu-system-x86_64"):
            raise TestFail("qemu-system-x86_64 not found: install Debian's "
                           "qemu-system-x86 package")
        b = self.t.build
        media = (["-cdrom", need_file(b / "nexaos.iso")] if self.iso else
                 ["-kernel", need_file(b / "kernel32.elf"),
                  "-append", self.cmdline])
        if self.uefi:
            media += ["-bios", need_file(OVMF)]
        self.tmp = mktemp()
        self.qmp_path = self.tmp / "qmp"
        a = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64",
             "-m", self.mem, "-no-reboot", "-net", "none", "-display", "none",
             "-serial", "stdio", "-monitor", "none", "-S",
             "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        a += ["-no-shutdown"] if self.screen_mode else \
            ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        a += media
        if self.gdb_port:
            a += ["-gdb", f"tcp:127.0.0.1:{self.gdb_port}"]
        self.argv = [str(x) for x in a]
        self.stderr = open(self.tmp / "stderr", "w+b")
        self.proc = spawn(self.argv, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=self.stderr)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        # started halted (-S) so that no QMP event is missed; gdb's
        # `continue` starts a gdb boot
        self.qmp = QMP(self)
        if not self.gdb_port:
            self.qmp.cmd("cont")
        return self

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            if select.select([fd], [], [], 0.05)[0]:
                data = os.read(fd, 65536)
                if not data:
                    break
                self._feed(data)
            elif self.stop_reason:      # stopped, and all output is read
                self._finish(None, self.stop_reason)
        try:
            st = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            st = None
        err = self.stderr_text()
        self._finish(st, QEMU_EXITS[st] if st in QEMU_EXITS and not err else
                     f"exited with status {st}" + (f": {err}" if err else ""))

    def _event(self, ev):
        if ev.get("event") == "SHUTDOWN":
            r = ev.get("data", {}).get("reason", "")
            self.stop_reason = {"guest-reset": "stopped after a triple fault "
                                "or reset", "guest-shutdown":
                                "powered off (ACPI)"}.get(r, f"stopped ({r})")

    def stderr_text(self):
        """QEMU's error messages (its warnings left out)."""
        self.stderr.seek(0)
        err = self.stderr.read().decode("utf-8", "replace").split("\n")
        return "\n".join(ln for ln in err if ln.strip()
                         and "warning:" not in ln)[-500:]

    def send(self, text):
        """Type text into the serial port (end a command with \\r)."""
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except OSError:
            raise TestFail(f"could not type {text!r} on serial: QEMU "
                           f"{self.end or 'has exited'}", boot=self)

    def expect_exit(self, status, timeout=None):
        """Wait for QEMU to exit with `status` (1 clean, 3 failure, 5 panic)."""
        st = self.wait_done(timeout)
        self.t.check(st == status, f"expected QEMU to have "
                     f"{QEMU_EXITS.get(status, status)}, but it {self.end}",
                     boot=self)

    def _pmem(self):
        path = self.tmp / "vga.bin"
        self.qmp.cmd("pmemsave", val=VGA_TEXT, size=VGA_SIZE,
                     filename=str(path))
        return Screen(path.read_bytes())

    def screen(self, timeout=None):
        """The VGA text screen once the kernel has powered off (a boot with
        screen=True).  A panic or a triple fault fails the test instead."""
        self.wait_done(timeout, "ACPI power-off")
        self.t.check(self.stop_reason == "powered off (ACPI)", "expected the "
                     f"kernel to power off, but QEMU {self.end}", boot=self)
        return self._pmem()

    def screen_now(self):
        """The VGA text screen at this moment (stop, read, continue)."""
        self.qmp.cmd("stop")
        try:
            return self._pmem()
        finally:
            self.qmp.cmd("cont")

    def _join(self):
        self.reader.join(timeout=5)
        self.stderr.close()
        if getattr(self, "qmp", None):
            self.qmp.close()


class QMP:
    """A QMP client on QEMU's unix socket; events go to boot._event."""

    def __init__(self, boot):
        self.boot, self.replies = boot, []
        self.cond = threading.Condition()
        deadline = time.monotonic() + 10 * boot.t.cfg.scale
        while True:
            self.sock = socket.socket(socket.AF_UNIX)
            try:
                self.sock.connect(str(boot.qmp_path))
                break
            except OSError:
                self.sock.close()
                if boot.proc.poll() is not None or time.monotonic() > deadline:
                    kill(boot.proc)
                    raise TestFail("QEMU failed to start: " + (
                        boot.stderr_text() or "no QMP socket"),
                        ["command: " + " ".join(boot.argv)])
                time.sleep(0.01)
        self.sock.settimeout(10 * boot.t.cfg.scale)
        self.f = self.sock.makefile("rb")
        json.loads(self.f.readline())           # the greeting
        self.sock.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()
        self.cmd("qmp_capabilities")

    def _read(self):
        try:
            for line in self.f:
                msg = json.loads(line)
                if "event" in msg:
                    self.boot._event(msg)
                    continue
                with self.cond:
                    self.replies.append(msg)
                    self.cond.notify_all()
        except (OSError, ValueError):
            pass
        with self.cond:
            self.replies.append(None)           # closed
            self.cond.notify_all()

    def cmd(self, name, **args):
        msg = {"execute": name} | ({"arguments": args} if args else {})
        with self.cond:
            self.sock.sendall(json.dumps(msg).encode() + b"\n")
            deadline = time.monotonic() + 10 * self.boot.t.cfg.scale
            while not self.replies:
                if not self.cond.wait(max(0, deadline - time.monotonic())):
                    raise TestFail(f"QMP {name}: QEMU did not answer")
            r = self.replies.pop(0)
        if r is None or "error" in r:
            why = r["error"].get("desc") if r else "QEMU closed the connection"
            raise TestFail(f"QMP {name} failed: {why}", boot=self.boot)
        return r.get("return")

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


BOCHSRC = """\
megs: {mem}
romimage: file={share}/BIOS-bochs-latest
vgaromimage: file={share}/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={serial}
display_library: rfb, options="timeout=0"
magic_break: enabled=0
speaker: enabled=0
sound: driver=dummy
log: {log}
panic: action=fatal
error: action=report
cpu: count=1, ips=50000000, reset_on_triple_fault=0
cpuid: x86_64=1
clock: sync=none
"""
GRUB_CFG = """\
set timeout=0
set default=0
insmod all_video
menuentry "NexaOS" {
\tmultiboot2 /boot/kernel.elf %s
\tboot
}
"""


class BochsBoot(Boot):
    """An ISO under Bochs.  Serial goes to a file, polled; Bochs gets no
    serial input.  Bochs always exits with status 1: its farewell message
    tells a power-off from a triple fault.  Bochs's rfb display takes the
    first free TCP port from 5900 to 5949, so several Bochs can run."""
    emu = "Bochs"

    def __init__(self, t, cmdline, mem, expect_panic):
        super().__init__(t, expect_panic)
        self.cmdline, self.mem = cmdline, mem

    def _make_iso(self):
        """An ISO like nexaos.iso whose GRUB passes self.cmdline."""
        tree = self.tmp / "iso"
        (tree / "boot/grub").mkdir(parents=True)
        shutil.copy(need_file(self.t.build / "kernel.elf"), tree / "boot")
        (tree / "boot/grub/grub.cfg").write_text(GRUB_CFG % self.cmdline)
        iso = self.tmp / "nexaos.iso"
        p = spawn(["grub-mkrescue", "-o", iso, tree], stdin=subprocess.DEVNULL,
                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            out = p.communicate(timeout=60)[0].decode(errors="replace")
        finally:
            kill(p)
        if p.returncode != 0:
            raise TestFail("grub-mkrescue failed", tail(out))
        return iso

    def start(self):
        if not shutil.which("bochs"):
            raise TestFail("bochs not found: install Debian's bochs, "
                           "bochsbios and vgabios packages")
        self.tmp = mktemp()
        iso = need_file(self.t.build / "nexaos.iso") if self.cmdline is None \
            else self._make_iso()
        self.serial, self.blog = self.tmp / "serial", self.tmp / "bochs.log"
        rc = self.tmp / "bochsrc"
        rc.write_text(BOCHSRC.format(mem=self.mem, share=BXSHARE, iso=iso,
                                     serial=self.serial, log=self.blog))
        (self.tmp / "cmds").write_text("c\n")   # leave the debugger's stop
        self.out = open(self.tmp / "stdout", "w+b")
        self.proc = spawn(["bochs", "-q", "-f", rc, "-rc", self.tmp / "cmds"],
                          stdin=subprocess.DEVNULL, stdout=self.out,
                          stderr=subprocess.STDOUT, cwd=self.tmp)
        self.poller = threading.Thread(target=self._poll, daemon=True)
        self.poller.start()
        return self

    def _poll(self):
        off = 0
        while not self.done:
            exited = self.proc.poll() is not None
            if self.serial.exists():
                with open(self.serial, "rb") as f:
                    f.seek(off)
                    data = f.read()
                off += len(data)
                if data:
                    self._feed(data)
            if self.text.count("NexaOS 0.1.0") > 1:
                self._finish(None, "rebooted (triple fault or reset)")
            elif exited:
                self._finish(1, self.exit_desc())
            time.sleep(0.02)

    def exit_desc(self):
        """Why Bochs exited, from its farewell message or its log."""
        self.out.seek(0)
        out = self.out.read().decode("utf-8", "replace")
        m = re.search(r"the following message:\n(?:\[[^]]*\])?\s*(.*)", out)
        log = self.blog.read_text(errors="replace") \
            if self.blog.exists() else ""
        bad = re.findall(r">>PANIC<< (.*)", log)
        why = (m[1] if m else bad[-1] if bad else tail(out, 1)[0]).strip()
        if re.search(r"shutdown requested|power.?off", why, re.I):
            return "powered off"
        if re.search(r"3rd \(\d+\) exception|triple fault", why, re.I):
            return f"stopped after a triple fault ({why})"
        return "exited" + (f": {why}" if why else "")

    def _join(self):
        self.poller.join(timeout=5)
        self.out.close()
