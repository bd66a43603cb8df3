"""Boot: one emulator run's serial output, with waits that fail fast.

QemuBoot (qemu.py) and BochsBoot (bochs.py) feed it the serial bytes and
say how the run ended; every wait here ends at once, with that as the
reason, when the kernel panics or the emulator stops.
"""
import re
import shutil
import threading
import time

from .core import Lines, TestFail, _tmpdirs, kill, shape
from .elf import FRAME_RX


ANSI_RX = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|.)|\r|\0")
PANIC_RX = re.compile(r"^KERNEL PANIC in (\S+) \(([^)]*)\): (.*)$", re.M)
MAX_SERIAL = 8 << 20        # a kernel printing more is stopped


def clean(raw):
    """Serial bytes as text without \r, NUL and ANSI escape sequences."""
    return ANSI_RX.sub("", raw.decode("utf-8", "replace"))


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

    def _timeout(self, what, timeout=None, detail=None):
        """The failure of a wait; timeout: the wait's own limit, if it had
        one shorter than the test's."""
        if timeout is not None and timeout * self.t.cfg.scale < self.t.timeout:
            return TestFail(f"timeout: {what} within "
                            f"{timeout * self.t.cfg.scale:.1f}s", detail,
                            boot=self)
        return TestFail(f"timeout: {what} within {self.t.timeout:.0f}s (the "
                        "test's time limit)", detail, boot=self)

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
        matches text not yet ended by a newline, e.g. a prompt.  A failure
        quotes the line expected (shape(pattern))."""
        rx, line = re.compile(pattern, re.M), shape(pattern)
        expected = None
        if what is None:
            what = f"`{line}`" if line != pattern else \
                f"a line matching the regex `{pattern}`"
        elif line not in what:
            expected = [f"expected a line like `{line}`" if line != pattern
                        else f"expected a line matching the regex `{pattern}`"]
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
                                   "appeared on serial", expected, boot=self)
                if not self._wait(deadline):
                    raise self._timeout(f"{what} did not appear on serial",
                                        timeout, expected)

    def wait_for_text(self, text, seconds):
        """Whether text appears in the output after the last match within
        `seconds` (for checking that something does NOT happen too soon)."""
        end = time.monotonic() + seconds
        with self.cond:
            while text not in self.text[self.pos:]:
                if self.done or not self._wait(end):
                    return False
            return True

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
                    raise self._timeout(f"no {what}", timeout)
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

    def explain_reset(self):
        """Lines that say why the machine reset (a triple fault), after a
        failed test; [] when it did not or the emulator cannot tell."""
        return []

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

