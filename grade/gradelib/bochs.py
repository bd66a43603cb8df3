"""Bochs boots: an ISO (nexaos.iso, or one made for a kernel command line)
under a bochsrc the grader writes.  COM1 is a TCP connection to the
grader (Bochs's `socket-client` mode), so the grader reads the serial
output as it comes and can type on the serial port, as with QEMU."""
import os
import re
import shutil
import socket
import subprocess
import threading
import time

from .boot import Boot
from .core import TestFail, kill, mktemp, need_file, spawn, tail
from .iso import make_iso

BXSHARE = os.environ.get("BXSHARE", "/usr/share/bochs")
# time0=utc: the RTC starts at the host's UTC time, as QEMU's does (the
# default, local time, differs from it by the host's time zone).
BOCHSRC = """\
megs: {mem}
romimage: file={share}/BIOS-bochs-latest
vgaromimage: file={share}/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=socket-client, dev=127.0.0.1:{port}
display_library: rfb, options="timeout=0"
magic_break: enabled=0
speaker: enabled=0
sound: driver=dummy
log: {log}
panic: action=fatal
error: action=report
cpu: count=1, ips=50000000, reset_on_triple_fault=0
cpuid: x86_64=1
clock: sync=none, time0=utc
"""
class BochsBoot(Boot):
    """An ISO under Bochs, COM1 connected to the grader.  Bochs always
    exits with status 1: its farewell message tells a power-off from a
    triple fault, and b.status is set as QEMU's would be (1 after a
    power-off, 0 after a triple fault or reset).  Bochs has no exit
    device, so it cannot tell a failure power-off from a clean one.
    Its rfb display takes the first free TCP port from 5900 to 5949, so
    several Bochs can run at once."""
    emu, can_send = "Bochs", True

    def __init__(self, t, cmdline, mem, expect_panic, initrd=False):
        super().__init__(t, expect_panic)
        self.cmdline, self.mem, self.initrd = cmdline, mem, initrd
        self.conn, self.connected = None, threading.Event()

    def start(self):
        if not shutil.which("bochs"):
            raise TestFail("bochs not found: install Debian's bochs, "
                           "bochsbios and vgabios packages")
        self.tmp = mktemp()
        iso = need_file(self.t.build / "nexaos.iso") if self.cmdline is None \
            else make_iso(self.t, self.tmp, self.cmdline, self.initrd)
        # Listening before Bochs starts: its COM1 connects once, at startup.
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.blog = self.tmp / "bochs.log"
        rc = self.tmp / "bochsrc"
        rc.write_text(BOCHSRC.format(mem=self.mem, share=BXSHARE, iso=iso,
                                     port=self.listener.getsockname()[1],
                                     log=self.blog))
        (self.tmp / "cmds").write_text("c\n")   # leave the debugger's stop
        self.out = open(self.tmp / "stdout", "w+b")
        self.proc = spawn(["bochs", "-q", "-f", rc, "-rc", self.tmp / "cmds"],
                          stdin=subprocess.DEVNULL, stdout=self.out,
                          stderr=subprocess.STDOUT, cwd=self.tmp)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _accept(self):
        """Wait for Bochs's COM1 to connect; False if Bochs exited first
        or took longer than 10 s (scaled)."""
        deadline = time.monotonic() + 10 * self.t.cfg.scale
        self.listener.settimeout(0.1)
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                self.conn = self.listener.accept()[0]
                self.connected.set()
                return True
            except socket.timeout:
                pass
        return False

    def _read(self):
        try:
            if not self._accept():
                why = self.exit_desc() if self.proc.poll() is not None else \
                    "is running, but its COM1 never connected to the grader"
                return self._finish(None, why)
            while True:
                data = self.conn.recv(65536)
                if not data:
                    break
                self._feed(data)
                if self.text.count("NexaOS 0.1.0") > 1:
                    return self._finish(0, "rebooted (triple fault or reset)")
        except OSError:
            pass
        finally:
            self.listener.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return self._finish(None, "closed its serial port")
        end = self.exit_desc()
        if self.blog.exists():          # read it before close() removes it
            self.bochs_log = self.blog.read_text(errors="replace")
        self._finish(1 if end == "powered off" else
                     0 if end.startswith("stopped after a triple fault")
                     else None, end)

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

    def explain_reset(self):
        """After a triple fault: the CPU's complaints in Bochs's log (QEMU
        names the exceptions; Bochs says what was wrong with them)."""
        if self.status != 0:
            return []
        errs = []
        for m in re.finditer(r"^\d+[ep]\[CPU\d*\s*\] (?:>>PANIC<< )?(.*)$",
                             getattr(self, "bochs_log", ""), re.M):
            if m[1] not in errs:
                errs.append(m[1])
        out = ["Bochs's log before the reset:"] + [f"  {e}" for e in errs[-6:]]
        if any("gate descriptor" in e for e in errs):
            out.append("  hint: an IDT gate is missing or malformed: is "
                       "idt_set_gate written and the IDT loaded (lidt)? "
                       "(under QEMU the grader names the vector)")
        return out if errs else []

    def send(self, text):
        """Type text into the serial port (end a command with \\r)."""
        if not self.connected.wait(10 * self.t.cfg.scale) or self.done:
            raise TestFail(f"could not type {text!r} on serial: Bochs "
                           f"{self.end or 'never connected its COM1'}",
                           boot=self)
        try:
            self.conn.sendall(text.encode())
        except OSError:
            raise TestFail(f"could not type {text!r} on serial: Bochs "
                           f"{self.end or 'has exited'}", boot=self)

    def expect_exit(self, status, timeout=None):
        """What QEMU's exit status `status` means, as far as Bochs can
        tell: 1 or 3 (a power-off; Bochs has no exit device to tell them
        apart) is Bochs powering off; 5 (a panic) is a panic report that
        ended with `System halted.` (Bochs keeps running the halted CPU)."""
        if status != 5:
            self.wait_done(timeout)
            self.t.check(self.status == 1, "expected the kernel to power "
                         f"off Bochs, but Bochs {self.end}", boot=self)
            return
        deadline = self._deadline(timeout)
        with self.cond:
            while self.panic_at is None or \
                    "System halted" not in self.text[self.panic_at:]:
                if self.done:
                    raise TestFail("expected a kernel panic ending in "
                                   f"`System halted.`, but Bochs {self.end}",
                                   boot=self)
                if not self._wait(deadline):
                    raise self._timeout("no panic ending in `System halted.`",
                                        timeout)

    def _join(self):
        self.reader.join(timeout=5)
        if self.conn:
            self.conn.close()
        self.out.close()
