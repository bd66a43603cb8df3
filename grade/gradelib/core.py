"""The test registry, failures, and the processes the grader owns.

Every process a test starts goes through spawn(): it runs in its own process
group, is remembered until kill()ed, and kill_all() (on Ctrl-C, SIGTERM,
SIGHUP and at exit) ends whatever is left.
"""
import difflib
import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
TESTS = []          # every TestDef of the loaded labs, in definition order


class TestFail(Exception):
    """A failed test: reason (one line), detail (more lines, e.g. a diff),
    the boot whose serial output to show and the line index to show it at."""

    def __init__(self, reason, detail=None, boot=None, at=None):
        super().__init__(reason)
        self.reason, self.detail, self.boot, self.at = reason, detail, boot, at


class TestDef:
    def __init__(self, lab, name, fn, points, timeout, parent, emus,
                 emu_note=None):
        self.lab, self.name, self.fn, self.points = lab, name, fn, points
        self.timeout, self.parent, self.emus = timeout, parent, emus
        self.emu_note = emu_note


def test(name, points=1, timeout=20, parent=None, emus=("qemu",),
         emu_note=None):
    """Declare a test of the lab whose module defines it (labN.py: lab N).
    parent: a test of the same lab that must pass first, or this one is
    skipped (and counts as failed); its t.data is this one's t.parent_data.
    emus: the --emu values under which the test runs; else it is skipped,
    saying emu_note (why it needs those emulators) if given."""
    def deco(fn):
        lab = int(re.search(r"(\d+)$", fn.__module__)[1])
        TESTS.append(TestDef(lab, name, fn, points, timeout, parent, emus,
                             emu_note))
        return fn
    return deco


def boot_modules(build, initrd):
    """The boot modules a test asked for: none (initrd False), the build's
    initrd.cpio (True), or initrd.cpio then the archives listed (lab 5
    unpacks every module into its root file system)."""
    if not initrd:
        return []
    extra = list(initrd) if isinstance(initrd, (list, tuple)) else []
    return [need_file(Path(build) / "initrd.cpio")] + [need_file(m) for m in extra]


def need_file(path):
    if not Path(path).is_file():
        raise TestFail(f"{path} does not exist: build it first (make; "
                       "make iso for the ISO)")
    return Path(path)


class Lines(list):
    """Serial lines that remember where they start: .start is the index of
    the first one in boot.lines (failures point there)."""

    def __init__(self, items, start):
        super().__init__(items)
        self.start = start


# A negative number standing alone (not in quotes, not part of a word or
# a decimal), as the kernel prints a -errno return.
ERRNO_RX = re.compile(r'"[^"]*"|(?<![\w.-])-(\d+)\b(?![\w.(])')


def errno_names(line):
    """line with the Linux errno name beside each negative number that is
    one: `vmm: map again -17` -> `vmm: map again -17 (EEXIST)`.  -1 stays
    bare: it is also the usual `no result`."""
    def name(m):
        n = m[1] and int(m[1])
        if not n or n == 1 or n not in errno.errorcode:
            return m[0]
        return f"{m[0]} ({errno.errorcode[n]})"
    return ERRNO_RX.sub(name, line)


def diff(expected, got, limit=40):
    """A unified diff of two lists of lines (at most `limit` lines), with
    errno names beside the -errno numbers of the lines shown."""
    d = list(difflib.unified_diff(expected, got, "expected", "got",
                                  lineterm="", n=2))
    d = d[:2] + [ln if ln.startswith("@@") else errno_names(ln)
                 for ln in d[2:]]
    return d[:limit] + (["..."] if len(d) > limit else [])


# Regex pieces and how an expected line shows them to a student.
SHAPES = [(r"0x\(?\[0-9a-f\](?:\+|\{\d+\})\)?", "0x<hex>"),
          (r"\(?\[0-9a-f\](?:\+|\{\d+\})\)?", "<hex>"),
          (r"\(?\\d(?:\+|\{\d+\})\)?", "<N>"),
          (r"\(?\\S\+\)?", "<word>"),
          (r"\(?\[\^\)\]\*\)?", "<text>"),
          (r"\(?\.[*+]\)?", "..."),
          (r"\\s[*+]", " "), (r"\\b", ""),
          (r"\\([^A-Za-z0-9])", r"\1")]


def shape(pattern):
    """The line a regex stands for, as a student reads it:
    `^pmm: managed (\\d+) frames$` -> `pmm: managed <N> frames`.  A regex
    too intricate to read that way comes back as it is."""
    text = re.sub(r"^\^|\$$", "", pattern)
    text = text.replace(r"\(", "\1").replace(r"\)", "\2")  # literal ( )
    for rx, rep in SHAPES:
        text = re.sub(rx, rep, text)
    if re.search(r"[|()\[\]]|(?<!\.)[*+?]", text):
        return pattern
    return text.replace("\1", "(").replace("\2", ")")


def tail(text, n=20):
    return text.rstrip("\n").split("\n")[-n:]

# ------------------------------------------------------------ processes


_procs, _procs_lock, _tmpdirs = set(), threading.Lock(), set()


def spawn(argv, **kw):
    """Popen in a new process group, remembered until kill()ed.  Under
    setpriv(1) the child also dies if the grader is SIGKILLed."""
    argv = [str(a) for a in argv]
    setpriv = shutil.which("setpriv")      # the grader's own, whatever PATH the child gets
    if setpriv:
        argv = [setpriv, "--pdeathsig", "KILL", "--"] + argv
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
