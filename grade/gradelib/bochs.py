"""Bochs boots: an ISO (nexaos.iso, or one made for a kernel command line)
under a bochsrc the grader writes; serial output goes to a file."""
import os
import re
import shutil
import subprocess
import threading
import time

from .boot import Boot
from .core import TestFail, kill, mktemp, need_file, spawn, tail

BXSHARE = os.environ.get("BXSHARE", "/usr/share/bochs")
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
\t%s
\tboot
}
"""


class BochsBoot(Boot):
    """An ISO under Bochs.  Serial goes to a file, polled; Bochs gets no
    serial input.  Bochs always exits with status 1: its farewell message
    tells a power-off from a triple fault.  Bochs's rfb display takes the
    first free TCP port from 5900 to 5949, so several Bochs can run."""
    emu = "Bochs"

    def __init__(self, t, cmdline, mem, expect_panic, initrd=False):
        super().__init__(t, expect_panic)
        self.cmdline, self.mem, self.initrd = cmdline, mem, initrd

    def _make_iso(self):
        """An ISO like nexaos.iso whose GRUB passes self.cmdline."""
        tree = self.tmp / "iso"
        (tree / "boot/grub").mkdir(parents=True)
        shutil.copy(need_file(self.t.build / "kernel.elf"), tree / "boot")
        module = ""
        if self.initrd:
            shutil.copy(need_file(self.t.build / "initrd.cpio"), tree / "boot")
            module = "module2 /boot/initrd.cpio initrd.cpio"
        (tree / "boot/grub/grub.cfg").write_text(GRUB_CFG % (self.cmdline, module))
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
