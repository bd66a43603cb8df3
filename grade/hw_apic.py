"""Hardware tests: the APICs (issue 14). The full tree boots to login on
QEMU pc and q35, SeaBIOS and OVMF, with and without an HPET, with 1 and 4
GiB; each test reads the kernel's APIC line, logs in, times `sleep 2`
against the grader's clock and reads /proc/interrupts before and after
it: the tick must come from the source the line names (LOC: the local
APIC timer; IRQ 0: the PIT) at timer_hz(), and no other."""
import re
import time

from gradelib.hwtest import hw_test, login_on_keyboard

LAPIC = (r"^apic: local APIC timer (\d+) Hz \((HPET|PM timer)-calibrated, "
         r"(\d+) MHz bus\), I/O APIC (\d+) pins, TSC (\d+) MHz$")
PIT_IOAPIC = (r"^apic: PIT timer (\d+) Hz on the I/O APIC \((\d+) pins\), "
              r"TSC (\d+) MHz \((HPET|PM timer|PIT)-calibrated\)$")
PIC = r"^apic: (noapic|no MADT): interrupts from the 8259 PIC, tick from the PIT$"
SLEEP = 2.0
SLACK = 0.25            # sleep 2 takes 2 s of the grader's time, +-25%


def login_serial(t, b):
    b.expect(r"login: ", partial=True, what="login's prompt")
    b.send("root\r")
    b.expect(r"Password: ", partial=True, what="the password prompt")
    b.send("nexaos\r")
    b.expect(r"root@nexa:~# ", partial=True, what="root's shell prompt")


def run(b, cmd, what):
    """Runs cmd in the shell over serial; returns its output's lines."""
    start = len(b.text)
    b.send(cmd + "; echo END$((40+2))\r")
    m = b.expect(r"^END42$", what=what)
    b.expect(r"root@nexa:~# ", partial=True, what="the prompt after " + what)
    out = b.text[start:m.start()].splitlines()
    return [line for line in out[1:] if line.strip()]     # out[0]: the echo


def interrupts(t, b):
    """/proc/interrupts as {line: (count, controller)}."""
    lines = run(b, "cat /proc/interrupts", "/proc/interrupts")
    got = {}
    for line in lines[1:]:
        m = re.match(r"^\s*(\w+):\s+(\d+)\s+(.*)$", line)
        t.check(m is not None, f"/proc/interrupts: cannot read {line!r}",
                lines, b)
        got[m[1]] = (int(m[2]), m[3].strip())
    return got


def timed_sleep(t, b, tick, hz, chip):
    """sleep 2 under the grader's clock; the tick (`LOC` or `0`) counts
    hz a second meanwhile, the other tick source nothing; the lines
    are on chip; /proc/uptime moves with the wall clock."""
    before, up0, w0 = interrupts(t, b), None, time.monotonic()
    up0 = float(run(b, "cat /proc/uptime", "/proc/uptime")[0].split()[0])
    t0 = time.monotonic()
    b.send(f"sleep {SLEEP:.0f}; echo slept$((1+1))\r")
    b.expect(r"^slept2$", what="the end of sleep 2")
    took = time.monotonic() - t0
    after = interrupts(t, b)
    up1 = float(run(b, "cat /proc/uptime", "/proc/uptime")[0].split()[0])
    wall = time.monotonic() - w0
    date = int(run(b, "date +%s", "date +%s")[0])
    t.check(abs(date - time.time()) <= 5, f"date says {date}, the grader's "
            f"clock {time.time():.0f} (QEMU's RTC is the host's UTC)", boot=b)
    t.check(abs(took - SLEEP) <= SLACK * SLEEP, f"sleep 2 took {took:.2f} s "
            "of wall time", boot=b)
    t.check(abs((up1 - up0) - wall) <= SLACK * wall, f"/proc/uptime moved "
            f"{up1 - up0:.2f} s in {wall:.2f} s of wall time", boot=b)
    other = "0" if tick == "LOC" else "LOC"
    t.check(tick in after, f"no {tick} line in /proc/interrupts",
            [f"{k}: {v}" for k, v in after.items()], b)
    n = after[tick][0] - before.get(tick, (0, ""))[0]
    rate = n / wall
    t.check(abs(rate - hz) <= SLACK * hz, f"{tick} came {n} times in "
            f"{wall:.2f} s: {rate:.0f}/s, the tick is {hz} Hz", boot=b)
    if other in after:
        m = after[other][0] - before.get(other, (0, ""))[0]
        t.check(m == 0, f"{other} came {m} times too: two tick sources",
                boot=b)
    serial = after.get("4")
    t.check(serial and serial[1] == chip, f"the serial line (IRQ 4) is not "
            f"on the {chip}: {serial}", boot=b)
    t.data["note"] = (f"sleep 2: {took:.2f} s, {tick}: {rate:.0f}/s, uptime "
                      f"{up1 - up0:.2f} s in {wall:.2f} s")


def lapic_boot(t, ref, hz=100, keyboard=False, opts="", **kw):
    """Boots to login with the local APIC timer calibrated against ref."""
    with t.qemu(f"init=/sbin/init {opts}".strip(), initrd=True, **kw) as b:
        m = b.expect(LAPIC, what="the APIC line (local APIC timer)")
        t.check(m[2] == ref and int(m[1]) == hz, f"expected the local APIC "
                f"timer at {hz} Hz calibrated against the {ref}", boot=b,
                at=b.line_of(m.start()))
        (login_on_keyboard if keyboard else login_serial)(t, b)
        timed_sleep(t, b, "LOC", hz, "I/O APIC")
        return b


@hw_test("apic_pc_hpet_debug")
def apic_pc_hpet_debug(t):
    """pc, SeaBIOS, 1 GiB, debug=apic: the MADT's IRQ 0 -> GSI 2 override
    applied, the HPET as reference; login typed on the keyboard (IRQ 1 on
    the I/O APIC)."""
    b = lapic_boot(t, "HPET", keyboard=True, opts="debug=apic", mem="1024")
    for pat in (r"^apic: MADT: override IRQ 0 -> GSI 2, edge, active high$",
                r"^apic:   IRQ 0 -> GSI 2 \(pin 2\), vector 32, edge",
                r"^apic:   IRQ 1 -> GSI 1 \(pin 1\), vector 33, edge",
                r"^apic: calibrated against the HPET: TSC \d+ kHz"):
        t.check(re.search(pat, b.text, re.M), f"debug=apic did not print "
                f"/{pat}/", boot=b)


@hw_test("apic_pc_nohpet_250hz")
def apic_pc_nohpet_250hz(t):
    """pc, SeaBIOS, -no-hpet, hz=250: calibrated against the ACPI PM
    timer, the local APIC timer at 250 Hz."""
    lapic_boot(t, "PM timer", hz=250, opts="hz=250", mem="1024",
               extra=["-no-hpet"])


@hw_test("apic_q35_4g")
def apic_q35_4g(t):
    """q35, SeaBIOS, 4 GiB (memory above 4 GiB, past the PCI hole), the
    HPET."""
    lapic_boot(t, "HPET", mem="4096", machine="q35")


@hw_test("apic_q35_uefi_nohpet")
def apic_q35_uefi_nohpet(t):
    """q35 with hpet=off, OVMF, 1 GiB: the PM timer (q35's port 0x608)."""
    lapic_boot(t, "PM timer", mem="1024", machine="q35,hpet=off", iso=True,
               uefi=True)


@hw_test("apic_pc_uefi_4g")
def apic_pc_uefi_4g(t):
    """pc, OVMF, 4 GiB, the HPET; login typed on the keyboard."""
    lapic_boot(t, "HPET", keyboard=True, mem="4096", iso=True, uefi=True)


@hw_test("apic_nolapic_timer")
def apic_nolapic_timer(t):
    """pc, nolapic_timer: the I/O APIC routes, the PIT's IRQ 0 (on GSI 2)
    stays the tick."""
    with t.qemu("init=/sbin/init nolapic_timer", initrd=True) as b:
        m = b.expect(PIT_IOAPIC, what="the APIC line (PIT on the I/O APIC)")
        t.check(m[4] == "HPET", f"the TSC was calibrated against the {m[4]}, "
                "not the HPET", boot=b, at=b.line_of(m.start()))
        login_serial(t, b)
        timed_sleep(t, b, "0", 100, "I/O APIC")


@hw_test("apic_noapic")
def apic_noapic(t):
    """pc, noapic: the 8259 and the PIT, as in the labs."""
    with t.qemu("init=/sbin/init noapic", initrd=True) as b:
        b.expect(PIC, what="the APIC line (noapic: the 8259)")
        login_serial(t, b)
        timed_sleep(t, b, "0", 100, "8259 PIC")
