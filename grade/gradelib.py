"""gradelib: what every NexaOS lab grader (grade/labN.py) is built from.

A grader is a list of tests, each a function decorated with @test:

    @test("printf", points=5)
    def printf(t):
        with t.qemu("test=printf") as b:         # boot, serial on b
            block = b.ktest("printf")           # lines between ktest: begin/end
            t.compare(expected, block, "printf lines")

A test passes when its function returns and fails when it raises TestFail
(t.fail, t.check, t.compare, or any Boot method that gives up).  Points and
time limits come from grade/rubric.json; the numbers in @test are defaults.

Boot (QemuBoot, BochsBoot) is one run of an emulator.  Serial output is read
as it arrives; b.expect(regex) waits for a complete line that matches, after
the previous match.  A kernel panic, a triple fault or the emulator exiting
ends every wait at once with that as the reason, never as a timeout.
The grader owns its processes: each runs in its own process group, and every
exit path (return, exception, timeout, Ctrl-C, SIGTERM) kills them.
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

# ------------------------------------------------------------------ tests

TESTS = []          # TestDef objects, in definition order, all labs
BOCHS_LOCK = threading.Lock()   # one Bochs at a time: it is slow and noisy


class TestFail(Exception):
    """A test failed: reason (one line), detail (more lines, e.g. a diff),
    the boot whose serial output to show, and the line index to show it at."""

    def __init__(self, reason, detail=None, boot=None, at=None):
        super().__init__(reason)
        self.reason, self.detail, self.boot, self.at = reason, detail, boot, at


class TestDef:
    def __init__(self, lab, name, fn, points, timeout, parent, emus):
        self.lab, self.name, self.fn = lab, name, fn
        self.points, self.timeout = points, timeout
        self.parent, self.emus = parent, emus
        self.doc = (fn.__doc__ or "").strip()


def test(name, points=1, timeout=20, parent=None, emus=("qemu",)):
    """Declare a test of the lab whose module defines it (labN.py -> lab N).
    parent: a test of the same lab that must pass first (else: skipped).
    emus: the --emu values under which the test runs (else: skipped)."""
    def deco(fn):
        lab = int(re.search(r"(\d+)$", fn.__module__).group(1))
        TESTS.append(TestDef(lab, name, fn, points, timeout, parent, emus))
        return fn
    return deco


class Config:
    """What grade.py decided: build dir, emulator, time scale, log dir."""

    def __init__(self, build, emu="qemu", scale=1.0):
        self.build = Path(build)
        self.emu, self.scale = emu, scale
        self.logdir = self.build / "grade-logs"
        self._elf, self._lock = None, threading.Lock()

    def elf(self):
        with self._lock:
            if self._elf is None:
                self._elf = Elf(need_file(self.build / "kernel.elf"))
            return self._elf


def need_file(path):
    if not Path(path).is_file():
        raise TestFail(f"{path} does not exist: build the kernel first "
                       f"(make, or make iso for the ISO)")
    return Path(path)


class T:
    """The running test: what its function receives as `t`."""

    def __init__(self, tdef, cfg):
        self.tdef, self.cfg = tdef, cfg
        self.name, self.lab, self.build = tdef.name, tdef.lab, cfg.build
        self.timeout = tdef.timeout * cfg.scale
        self.deadline = time.monotonic() + self.timeout
        self.boots, self.logs, self.data = [], [], {}

    @property
    def elf(self):
        """kernel.elf of the build, parsed (Elf)."""
        return self.cfg.elf()

    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def restart_clock(self):
        self.deadline = time.monotonic() + self.timeout

    def logpath(self, suffix=""):
        """A new log file name: labN-TEST.log, labN-TEST-2.log, ... for
        serial logs; labN-TEST<suffix>.log for others."""
        if not suffix:
            n = sum(1 for p in self.logs if p.name.count(".") == 1)
            suffix = f"-{n + 1}" if n else ""
        p = self.cfg.logdir / f"lab{self.lab}-{self.name}{suffix}.log"
        self.logs.append(p)
        return p

    # boots
    def qemu(self, cmdline="", mem=64, iso=False, uefi=False, screen=False,
             gdb_port=None, expect_panic=False):
        """Boot QEMU: kernel32.elf with `cmdline` (Multiboot1), or the ISO
        (iso=True; uefi=True adds OVMF).  screen=True: no debug-exit device,
        power-off stops QEMU so that b.screen() can read VGA memory."""
        b = QemuBoot(self, cmdline, mem, iso, uefi, screen, gdb_port,
                     expect_panic)
        self.boots.append(b)
        return b.start()

    def bochs(self, mem=64, expect_panic=False):
        """Boot nexaos.iso under Bochs (serial output only, no input)."""
        b = BochsBoot(self, mem, expect_panic)
        self.boots.append(b)
        return b.start()

    def boot_iso(self, mem=64, **kw):
        """The ISO under the emulator chosen with --emu (BIOS)."""
        if self.cfg.emu == "bochs":
            return self.bochs(mem, **kw)
        return self.qemu(mem=mem, iso=True, **kw)

    def close(self, linger=False):
        """Stop every boot; linger: first let the kernel finish its output
        (until it stops, is quiet for 0.3 s, or 1 s passed) for the log."""
        for b in self.boots:
            if linger:
                b.linger()
            b.close()

    # checks
    def fail(self, reason, detail=None, boot=None, at=None):
        raise TestFail(reason, detail, boot, at)

    def check(self, cond, reason, detail=None, boot=None, at=None):
        if not cond:
            raise TestFail(reason, detail, boot, at)

    def compare(self, expected, got, what, boot=None):
        """Fail with a unified diff unless the lists of lines are equal.
        got may be a Lines block (the context is then shown at the first
        differing line)."""
        expected, got_l = list(expected), list(got)
        if expected == got_l:
            return
        first = next((i for i, (a, b) in enumerate(zip(expected, got_l))
                      if a != b), min(len(expected), len(got_l)))
        bad = sum(a != b for a, b in zip(expected, got_l)) + \
            abs(len(expected) - len(got_l))
        at = getattr(got, "start", None)
        raise TestFail(f"{what} differ from what is expected "
                       f"({bad} of {len(expected)} lines)",
                       diff(expected, got_l), boot,
                       None if at is None else at + first)

    def run(self, argv, env=None, timeout=None, log=None):
        """Run a host program (e.g. gdb) in its own process group, killed at
        the test's deadline.  Returns (status, output); output is saved to
        the log labN-TEST.<log>.log when log is given."""
        t = self.remaining() if timeout is None else min(
            timeout * self.cfg.scale, self.remaining())
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                  stderr=subprocess.STDOUT, env=env)
        try:
            out, _ = p.communicate(timeout=t)
            status = p.returncode
        except subprocess.TimeoutExpired:
            kill(p)
            out, _ = p.communicate()
            status = None
        finally:
            kill(p)
        out = out.decode("utf-8", "replace")
        if log:
            p = self.logpath("." + log)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(out)
        if status is None:
            raise TestFail(f"{argv[0]} did not finish within {t:.0f}s",
                           tail(out))
        return status, out


def diff(expected, got, limit=40):
    d = list(difflib.unified_diff(expected, got, "expected", "got",
                                  lineterm="", n=2))
    return d[:limit] + (["..."] if len(d) > limit else [])


def tail(text, n=20):
    return text.rstrip("\n").split("\n")[-n:]

# --------------------------------------------------------------- processes


_procs, _procs_lock = set(), threading.Lock()
_tmpdirs = set()


def spawn(argv, **kw):
    """Popen in a new process group, remembered until kill()ed.  Under
    setpriv(1) the child also dies with the grader if it is SIGKILLed."""
    argv = [str(a) for a in argv]
    if shutil.which("setpriv"):
        argv = ["setpriv", "--pdeathsig", "KILL", "--"] + argv
    with _procs_lock:
        p = subprocess.Popen(argv, start_new_session=True, **kw)
        _procs.add(p)
    return p


def kill(p):
    """Kill p's whole process group and reap it."""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    with _procs_lock:
        _procs.discard(p)


def kill_all():
    """Kill every emulator and helper still running; remove temp dirs."""
    with _procs_lock:
        procs = list(_procs)
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
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

# -------------------------------------------------------------------- ELF


class Sym:
    def __init__(self, name, value, size, kind):
        self.name, self.value, self.size, self.kind = name, value, size, kind

    def __repr__(self):
        return f"{self.name}@{self.value:#x}+{self.size:#x}"


class Elf:
    """The parts of an ELF64 file the graders use: sections (name ->
    (sh_addr, sh_size)), loads [(p_paddr, p_memsz, p_vaddr)], symbols."""

    def __init__(self, path):
        data = Path(path).read_bytes()
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise TestFail(f"{path} is not an ELF64 file")
        (_, _, _, _, self.entry, phoff, shoff, _, _, phsz, phnum, shsz, shnum,
         shstrndx) = struct.unpack_from("<16sHHIQQQIHHHHHH", data)
        self.loads = []
        for i in range(phnum):
            (ptype, _, _, vaddr, paddr, _, memsz, _) = struct.unpack_from(
                "<IIQQQQQQ", data, phoff + i * phsz)
            if ptype == 1 and memsz:
                self.loads.append((paddr, memsz, vaddr))
        shdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shsz)
                 for i in range(shnum)]

        def strtab(off, i):
            return data[off + i:data.index(b"\0", off + i)].decode()
        shstr = shdrs[shstrndx][4]
        self.sections = {}
        for (nm, _, _, addr, off, size, link, _, _, _) in shdrs:
            self.sections[strtab(shstr, nm)] = (addr, size)
        self.symbols, self.funcs = {}, []
        for (_, stype, _, _, off, size, link, _, _, esz) in shdrs:
            if stype != 2:          # SHT_SYMTAB
                continue
            stroff = shdrs[link][4]
            for j in range(1, size // esz):
                (nm, info, _, shndx, value, ssize) = struct.unpack_from(
                    "<IBBHQQ", data, off + j * esz)
                if not nm or shndx == 0:
                    continue
                s = Sym(strtab(stroff, nm), value, ssize, info & 15)
                self.symbols.setdefault(s.name, []).append(s)
                if s.kind == 2:     # STT_FUNC
                    self.funcs.append(s)
        self.funcs.sort(key=lambda s: s.value)

    def func_at(self, addr):
        """The STT_FUNC symbol whose [value, value+size) holds addr."""
        for s in self.funcs:
            if s.value <= addr < s.value + max(s.size, 1):
                return s
        return None

    def symbolize(self, addr):
        s = self.func_at(addr)
        return f"{s.name}+{addr - s.value:#x}" if s else "??"

    def kernel_end(self):
        """Physical address of the last byte of the highest PT_LOAD."""
        return max(p + m for p, m, _ in self.loads) - 1

# ------------------------------------------------------------- backtraces


FRAME_RX = re.compile(r"^\s*#(\d+) rbp (0x[0-9a-f]+) rip (0x[0-9a-f]+) "
                      r"(?:(\S+)\+0x([0-9a-f]+)|(\?\?))$")


class Frame:
    def __init__(self, m, line):
        self.num, self.rbp, self.rip = int(m[1]), int(m[2], 16), int(m[3], 16)
        self.name = m[4] or "??"
        self.off = int(m[5], 16) if m[5] else None
        self.line = line            # index in the boot's lines


def parse_backtrace(lines, start=0):
    """Frames of the first `Stack backtrace:` block in lines, or None."""
    try:
        i = lines.index("Stack backtrace:")
    except ValueError:
        return None
    frames = []
    for j in range(i + 1, len(lines)):
        m = FRAME_RX.match(lines[j])
        if not m:
            break
        frames.append(Frame(m, start + j))
    return frames


def check_backtrace(t, frames, expected, boot=None, what="backtrace"):
    """Frames #0.. must name `expected` in order, be numbered 0,1,2..., and
    every frame must agree with kernel.elf: name+off == rip and rip inside
    that function (or rip-1, for a call that ends a function)."""
    if frames is None:
        t.fail(f"no 'Stack backtrace:' line in the {what}", boot=boot)
    got = [f.name for f in frames[:len(expected)]]
    at = frames[0].line if frames else None
    t.check(got == list(expected),
            f"{what}: the first frames do not name the expected functions",
            diff(list(expected), got), boot, at)
    elf = t.elf
    for i, f in enumerate(frames):
        t.check(f.num == i, f"{what}: frame #{f.num} where #{i} was expected",
                boot=boot, at=f.line)
        real = elf.func_at(f.rip) or elf.func_at(f.rip - 1)
        if f.name == "??":
            t.check(real is None, f"{what}: frame #{i} rip {f.rip:#x} is in "
                    f"{real and real.name}, but the kernel printed ??",
                    boot=boot, at=f.line)
            continue
        syms = elf.symbols.get(f.name, [])
        t.check(syms, f"{what}: frame #{i} names {f.name}, which is not a "
                "symbol of kernel.elf", boot=boot, at=f.line)
        t.check(any(s.value + f.off == f.rip for s in syms),
                f"{what}: frame #{i}: {f.name}+{f.off:#x} is "
                f"{syms[0].value + f.off:#x} in kernel.elf, not rip "
                f"{f.rip:#x}", boot=boot, at=f.line)
        t.check(real is None or real.name == f.name,
                f"{what}: frame #{i}: rip {f.rip:#x} lies in {real and real.name}"
                f", not in {f.name}", boot=boot, at=f.line)

# ------------------------------------------------------------------ screen


class Screen:
    """The 80x25 VGA text screen: rows[r] (text, right-stripped) and
    attr(r, c) (attribute byte of a cell)."""

    def __init__(self, data):
        self.data = data
        text = bytes(c if c >= 0x20 else 0x20 for c in data[0::2])
        text = text.decode("cp437")
        self.rows = [text[r * 80:(r + 1) * 80].rstrip() for r in range(25)]

    def attr(self, r, c):
        return self.data[(r * 80 + c) * 2 + 1]

    def attrs(self, r, c0=0, n=80):
        """The set of attribute bytes on cells c0..c0+n-1 of row r."""
        return {self.attr(r, c) for c in range(c0, c0 + n)}

    def dump(self):
        return [f"{r:2} |{row}" for r, row in enumerate(self.rows)]

# ------------------------------------------------------------------- boots


ANSI_RX = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|.)|\r|\0")
PANIC_RX = re.compile(r"^KERNEL PANIC in (\S+) \(([^)]*)\): (.*)$", re.M)


class Lines(list):
    """A list of serial lines that remembers where it starts (.start, the
    index of its first line in boot.lines), for failure context."""

    def __init__(self, items, start):
        super().__init__(items)
        self.start = start


class Boot:
    """Serial output of one emulator run, with waits that fail fast."""
    emu = "emulator"
    can_send = False

    def __init__(self, t, expect_panic):
        self.t, self.expect_panic = t, expect_panic
        self.raw, self.text, self.pos = bytearray(), "", 0
        self.cond = threading.Condition()
        self.done, self.status, self.end = False, None, None
        self.panic_at = None
        self.log = t.logpath()
        self.tmp = None                 # a temp dir, made by start()

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
            self.raw += data
            self.text = ANSI_RX.sub("", self.raw.decode("utf-8", "replace"))
            if self.panic_at is None:
                m = PANIC_RX.search(self.text)
                if m:
                    self.panic_at = m.start()
            self.cond.notify_all()

    def _finish(self, status, end):
        with self.cond:
            if not self.done:
                self.done, self.status, self.end = True, status, end
                self.cond.notify_all()

    def _deadline(self, timeout):
        d = self.t.deadline
        if timeout is not None:
            d = min(d, time.monotonic() + timeout * self.t.cfg.scale)
        return d

    def _wait(self, deadline):
        """Wait for news; False once the deadline has passed."""
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        self.cond.wait(min(left, 0.25))
        return True

    def panic_report(self):
        """(message, lines) of the panic, grader's symbolization added."""
        m = PANIC_RX.search(self.text)
        start = self.line_of(m.start())
        lines = self.lines[start:start + 60]
        out = []
        for ln in lines:
            f = FRAME_RX.match(ln)
            if f and f[6]:
                ln += f"   [kernel.elf: {self.t.elf.symbolize(int(f[3], 16))}]"
            out.append(ln)
            if ln.startswith("System halted"):
                break
        return m[3], out, start

    def _check_panic(self, limit):
        if self.panic_at is None or self.expect_panic:
            return
        end = time.monotonic() + 2 * self.t.cfg.scale   # let the report finish
        while ("System halted" not in self.text[self.panic_at:]
               and not self.done and self._wait(min(end, limit))):
            pass
        msg, report, at = self.panic_report()
        raise TestFail(f"kernel panic: {msg}", report, self, at)

    def why_stopped(self):
        return f"{self.emu} {self.end}"

    def expect(self, pattern, timeout=None, what=None, partial=False):
        """Wait for a complete serial line (after the last match) in which
        the regex matches; return the match.  partial=True matches raw
        text, e.g. a prompt without newline."""
        rx = re.compile(pattern, re.M)
        what = what or repr(pattern)
        deadline = self._deadline(timeout)
        with self.cond:
            while True:
                # line patterns see complete lines only: `$` at endpos
                endpos = len(self.text) if partial else self.text.rfind("\n")
                m = rx.search(self.text, self.pos, endpos)
                if m and (self.panic_at is None or self.expect_panic
                          or m.start() < self.panic_at):
                    self.pos = m.end() if partial else \
                        self.text.find("\n", m.end()) + 1
                    return m
                self._check_panic(deadline)
                if self.done:
                    raise TestFail(f"{self.why_stopped()} before {what} "
                                   "appeared on serial", boot=self)
                if not self._wait(deadline):
                    raise TestFail(f"timeout: {what} did not appear on "
                                   f"serial within {self.t.timeout:.0f}s "
                                   "(the test's time limit)", boot=self)

    def lines_between(self, begin, end, timeout=None):
        """The lines strictly between the next line matching `begin` and the
        next line after it matching `end` (both regexes), as Lines."""
        self.expect(begin, timeout)
        first = self.line_of(self.pos)
        self.expect(end, timeout)
        last = self.line_of(self.pos) - 1
        return Lines(self.lines[first:last], first)

    def ktest(self, name, timeout=None):
        """The output of kernel self-test NAME: the lines between
        `ktest: begin NAME` and `ktest: end NAME`."""
        n = re.escape(name)
        return self.lines_between(rf"^ktest: begin {n}$",
                                  rf"^ktest: end {n}$", timeout)

    def wait_done(self, timeout=None, what="the power-off"):
        """Wait until the emulator exits (or stops, for screen boots)."""
        deadline = self._deadline(timeout)
        with self.cond:
            while not self.done:
                self._check_panic(deadline)
                if not self._wait(deadline):
                    raise TestFail(f"timeout: no {what} within "
                                   f"{self.t.timeout:.0f}s (the test's "
                                   "time limit)", boot=self)
            self._check_panic(deadline)
        return self.status

    def linger(self, quiet=0.3, most=1.0):
        end = time.monotonic() + most
        with self.cond:
            n = len(self.raw)
            while not self.done and self.tmp and time.monotonic() < end:
                self.cond.wait(quiet)
                if len(self.raw) == n:
                    break
                n = len(self.raw)

    def close(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.write_bytes(bytes(self.raw))
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            _tmpdirs.discard(str(self.tmp))


QEMU_EXITS = {1: "powered off cleanly (status 1)",
              3: "powered off reporting failure (status 3, debug-exit 1)",
              5: "stopped after a kernel panic (status 5, debug-exit 2)",
              0: "exited after a triple fault or reset (status 0)"}


class QemuBoot(Boot):
    emu = "QEMU"
    can_send = True

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
             "-m", str(self.mem), "-no-reboot", "-net", "none",
             "-display", "none", "-serial", "stdio", "-monitor", "none",
             "-S", "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        if self.screen_mode:
            a += ["-no-shutdown"]
        else:
            a += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        a += media
        if self.gdb_port:
            a += ["-gdb", f"tcp:127.0.0.1:{self.gdb_port}"]
        self.argv = [str(x) for x in a]
        self.stderr = open(self.tmp / "stderr", "w+b")
        self.proc = spawn(self.argv, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=self.stderr)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.qmp = QMP(self)
        if not self.gdb_port:
            self.qmp.cmd("cont")        # gdb's `continue` starts a gdb boot
        return self

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                data = os.read(fd, 65536)
                if not data:
                    break
                self._feed(data)
            elif self.stop_reason and not self.done:
                self._finish(None, self.stop_reason)
        try:
            st = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            st = None
        self._finish(st, self.exit_desc(st))

    stop_reason = None

    def _event(self, ev):
        if ev.get("event") == "SHUTDOWN":
            r = ev.get("data", {}).get("reason", "")
            self.stop_reason = ("stopped after a triple fault or reset"
                                if r == "guest-reset" else
                                "powered off (ACPI)" if r == "guest-shutdown"
                                else f"shut down ({r})")

    def exit_desc(self, st):
        if st in QEMU_EXITS:
            if st == 1 and self.stderr_text():
                return f"exited with status 1: {self.stderr_text()}"
            return QEMU_EXITS[st]
        err = self.stderr_text()
        return f"exited with status {st}" + (f": {err}" if err else "")

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace").strip()[-500:]

    def send(self, text):
        """Type text into the serial port (end a command with \\r)."""
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except OSError:
            raise TestFail(f"could not write {text!r} to serial: "
                           f"{self.why_stopped()}", boot=self)

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
        """VGA text screen after the kernel powered off (screen=True boots).
        A panic or a triple fault fails the test instead."""
        self.wait_done(timeout, "ACPI power-off")
        self.t.check(self.stop_reason == "powered off (ACPI)",
                     f"expected the kernel to power off, but QEMU "
                     f"{self.end}", boot=self)
        return self._pmem()

    def screen_now(self):
        """VGA text screen at this moment (stop, read, continue)."""
        self.qmp.cmd("stop")
        try:
            return self._pmem()
        finally:
            self.qmp.cmd("cont")

    def close(self):
        if getattr(self, "proc", None):
            kill(self.proc)
            self.reader.join(timeout=5)
            self.stderr.close()
        if getattr(self, "qmp", None):
            self.qmp.close()
        super().close()


class QMP:
    """A QMP client on QEMU's unix socket; events go to boot._event."""

    def __init__(self, boot):
        self.boot, self.replies = boot, []
        self.cond = threading.Condition()
        deadline = time.monotonic() + 10 * boot.t.cfg.scale
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(str(boot.qmp_path))
                break
            except OSError:
                self.sock.close()
                if boot.proc.poll() is not None or time.monotonic() > deadline:
                    kill(boot.proc)
                    raise TestFail(f"QEMU failed to start: "
                                   f"{boot.stderr_text() or 'no QMP socket'}"
                                   f"\n  command: {' '.join(boot.argv)}")
                time.sleep(0.01)
        self.sock.settimeout(10 * boot.t.cfg.scale)
        self.f = self.sock.makefile("rb")
        json.loads(self.f.readline())           # greeting
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
            self.replies.append(None)
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
        if r is None:
            raise TestFail(f"QMP {name}: QEMU closed the connection "
                           f"({self.boot.stderr_text()})", boot=self.boot)
        if "error" in r:
            raise TestFail(f"QMP {name} failed: {r['error'].get('desc')}",
                           boot=self.boot)
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


class BochsBoot(Boot):
    """nexaos.iso under Bochs.  Serial goes to a file that is polled; Bochs
    has no serial input here, so send() is not available.  Bochs always
    exits with status 1: its log tells power-off from a triple fault."""
    emu = "Bochs"

    def __init__(self, t, mem, expect_panic):
        super().__init__(t, expect_panic)
        self.mem = mem

    def start(self):
        if not shutil.which("bochs"):
            raise TestFail("bochs not found: install Debian's bochs, "
                           "bochsbios, vgabios and bochs-x packages")
        iso = need_file(self.t.build / "nexaos.iso")
        self.tmp = mktemp()
        BOCHS_LOCK.acquire()
        self.locked = True
        self.t.restart_clock()          # waiting for the lock is not its time
        self.serial, self.blog = self.tmp / "serial", self.tmp / "bochs.log"
        rc = self.tmp / "bochsrc"
        rc.write_text(BOCHSRC.format(mem=self.mem, share=BXSHARE, iso=iso,
                                     serial=self.serial, log=self.blog))
        (self.tmp / "cmds").write_text("c\n")
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
            try:
                with open(self.serial, "rb") as f:
                    f.seek(off)
                    data = f.read()
            except FileNotFoundError:
                data = b""
            if data:
                off += len(data)
                self._feed(data)
            if self.text.count("NexaOS 0.1.0") > 1:
                self._finish(None, "rebooted (triple fault or reset)")
            elif exited:
                self._finish(1, self.exit_desc())
            time.sleep(0.02)

    def exit_desc(self):
        log = self.blog.read_text(errors="replace") if self.blog.exists() \
            else ""
        if re.search(r"soft power off|ACPI.*power off|Power off", log, re.I):
            return "powered off"
        if re.search(r"triple fault|3rd \(\d+\) exception", log):
            return "stopped after a triple fault"
        bad = [ln for ln in log.split("\n") if re.search(r"\b[pe]\[", ln)]
        self.out.seek(0)
        out = self.out.read().decode("utf-8", "replace").strip()
        why = (bad[-1] if bad else out.split("\n")[-1] if out else "")
        return "exited" + (f": {why.strip()}" if why else "")

    def close(self):
        if getattr(self, "proc", None):
            kill(self.proc)
            self._finish(None, "was killed by the grader")
            self.poller.join(timeout=5)
            self.out.close()
        if getattr(self, "locked", False):
            self.locked = False
            BOCHS_LOCK.release()
        super().close()
