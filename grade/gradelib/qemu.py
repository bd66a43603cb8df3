"""QEMU boots: the command line, the QMP client, power-off and the screen.

QEMU starts halted (-S) and is started through QMP once the grader listens
for its events, so a power-off or reset is never missed.
"""
import json
import os
import select
import shutil
import socket
import subprocess
import threading
import time

from .boot import Boot
from .core import TestFail, boot_modules, kill, mktemp, need_file, spawn
from .iso import make_iso
from .fbscreen import read_ppm
from .screen import VGA_SIZE, VGA_TEXT, Screen
from .trace import explain

OVMF = "/usr/share/ovmf/OVMF.fd"
# US layout: the qcode of each character that is not itself a qcode
# (letters and digits are); SHIFTED ones are typed with shift held.
PLAIN = {" ": "spc", "\r": "ret", "\n": "ret", "\t": "tab",
         "\b": "backspace", "-": "minus", "=": "equal", "[": "bracket_left",
         "]": "bracket_right", ";": "semicolon", "'": "apostrophe",
         "`": "grave_accent", "\\": "backslash", ",": "comma", ".": "dot",
         "/": "slash"}
SHIFTED = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6",
           "&": "7", "*": "8", "(": "9", ")": "0", "_": "minus",
           "+": "equal", "{": "bracket_left", "}": "bracket_right",
           ":": "semicolon", '"': "apostrophe", "~": "grave_accent",
           "|": "backslash", "<": "comma", ">": "dot", "?": "slash"}


def keys_for(text):
    """The keys (for QemuBoot.send_keys) that type text on a US keyboard."""
    keys = []
    for c in text:
        if c in PLAIN:
            keys.append(PLAIN[c])
        elif c in SHIFTED:
            keys.append("shift-" + SHIFTED[c])
        elif c.isascii() and c.isalnum():
            keys.append("shift-" + c.lower() if c.isupper() else c)
        else:
            raise ValueError(f"no key types {c!r}")
    return keys

QEMU_EXITS = {1: "powered off cleanly (status 1)",
              3: "powered off reporting failure (status 3, debug-exit 1)",
              5: "stopped after a kernel panic (status 5, debug-exit 2)",
              0: "exited after a triple fault or reset (status 0)"}


class QemuBoot(Boot):
    emu, can_send = "QEMU", True
    stop_reason = None              # from QMP's SHUTDOWN event

    def __init__(self, t, cmdline, mem, iso, uefi, screen, gdb_port,
                 expect_panic, initrd=False, cpu="qemu64", machine="pc",
                 gfxpayload=None, extra=()):
        super().__init__(t, expect_panic)
        self.extra = list(extra)
        self.cmdline, self.mem, self.iso, self.uefi = cmdline, mem, iso, uefi
        self.initrd, self.cpu = initrd, cpu
        self.machine, self.gfxpayload = machine, gfxpayload
        self.screen_mode, self.gdb_port = screen, gdb_port

    def start(self):
        if not shutil.which("qemu-system-x86_64"):
            raise TestFail("qemu-system-x86_64 not found: install Debian's "
                           "qemu-system-x86 package")
        b = self.t.build
        self.tmp = mktemp()
        if self.iso:
            # nexaos.iso as make built it, or one made for this command line
            iso = need_file(b / "nexaos.iso") if self.cmdline is None else \
                make_iso(self.t, self.tmp, self.cmdline, self.initrd,
                         self.gfxpayload)
            media = ["-cdrom", iso]
        else:
            media = ["-kernel", need_file(b / "kernel32.elf"), "-append", self.cmdline]
            modules = boot_modules(b, self.initrd)
            if modules:
                media += ["-initrd", ",".join(str(m) for m in modules)]
        if self.uefi:
            media += ["-bios", need_file(OVMF)]
        self.qmp_path = self.tmp / "qmp"
        a = ["qemu-system-x86_64", "-machine", self.machine, "-cpu", self.cpu,
             "-m", self.mem, "-no-reboot", "-net", "none", "-display", "none",
             "-serial", "stdio", "-monitor", "none", "-S",
             "-qmp", f"unix:{self.qmp_path},server=on,wait=off"]
        a += ["-no-shutdown"] if self.screen_mode else \
            ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        a += media + self.extra
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

    def send_keys(self, keys, pause=0.03, device=None):
        """Press keys on the PS/2 keyboard (QMP send-key: scancode set 1
        through the 8042), one at a time, `pause` seconds apart.  A key is
        a QEMU qcode ("a", "ret", "kp_enter", "caps_lock"), or qcodes
        joined by "-" that are held together, modifiers first ("shift-w",
        "ctrl_r-u"); QEMU releases them in reverse order.  With device,
        a display device's id, the keys go to the keyboards bound to that
        display alone (QMP input-send-event: the presses, `pause`, the
        releases), e.g. "-device VGA,id=vga -device usb-kbd,display=vga"
        for a USB keyboard; send-key's PS/2 keyboard then gets none."""
        for key in keys:
            if self.done:
                raise TestFail(f"could not press the key {key}: QEMU "
                               f"{self.end}", boot=self)
            try:
                if device is not None:
                    self._device_key(device, key.split("-"), pause)
                    continue
                self.qmp.cmd("send-key", keys=[{"type": "qcode", "data": q}
                                               for q in key.split("-")])
            except TestFail:
                # A key that powers off (ret after `poweroff`) can make
                # QEMU exit before it answers; the caller's next wait
                # says whether that was expected.
                try:
                    self.proc.wait(timeout=2)
                    return
                except subprocess.TimeoutExpired:
                    raise
            time.sleep(pause)

    def _device_key(self, device, qcodes, pause):
        def events(down, codes):
            return [{"type": "key", "data": {"down": down, "key": {
                "type": "qcode", "data": q}}} for q in codes]
        self.qmp.cmd("input-send-event", device=device,
                     events=events(True, qcodes))
        time.sleep(pause)
        self.qmp.cmd("input-send-event", device=device,
                     events=events(False, qcodes[::-1]))
        time.sleep(pause)

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

    def screendump(self):
        """The display as QEMU shows it (QMP screendump): (width, height,
        RGB bytes), read from a PPM file."""
        path = self.tmp / "screen.ppm"
        self.qmp.cmd("screendump", filename=str(path))
        return read_ppm(path)

    def explain_reset(self):
        """After a triple fault: boot the same machine again with `-d
        int,cpu_reset` and say which exceptions led to the reset (see
        trace.py).  The log is kept as labN-TEST.int.log.  [] for a boot
        that did not reset."""
        reset = self.status == 0 or "triple fault" in (self.stop_reason or "")
        if not reset or self.gdb_port:
            return []
        path = self.t.logpath(".int")
        skip = {"-S", "-no-shutdown"}
        argv, i = [], 0
        while i < len(self.argv):
            a = self.argv[i]
            if a in ("-qmp", "-gdb"):
                i += 2
                continue
            if a not in skip:
                argv.append(a)
            i += 1
        argv += ["-d", "int,cpu_reset", "-D", str(path)]
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL)
        try:
            p.wait(timeout=10 * self.t.cfg.scale)
        except subprocess.TimeoutExpired:
            pass
        finally:
            kill(p)
        head = "the same boot again with -d int,cpu_reset:"
        try:
            with open(path, "rb") as f:         # the end tells the reset
                f.seek(max(0, path.stat().st_size - (1 << 20)))
                data = f.read()
            path.write_bytes(data)              # keep only that end
            log = data.decode("utf-8", "replace")
        except OSError:
            return [head, "  QEMU wrote no log"]
        why = explain(log, self.t.elf.symbolize)
        return [head] + ["  " + ln for ln in why or
                         ["  it did not reset this time"]]

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

