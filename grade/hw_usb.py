"""Hardware tests: a USB keyboard behind an xHCI controller (issue 14).
The machines have no PS/2 controller (-machine i8042=off), and the keys
go to the usb-kbd alone (it is bound to the display "vga", to which QMP
input-send-event sends them): a key the kernel gets came through USB."""
import re

from gradelib.hwtest import fbcon_line, hw_test, screen_matches
from gradelib.qemu import keys_for

KBD = "vga"             # the display the USB keyboards are bound to
MACHINE = ["-machine", "i8042=off", "-vga", "none", "-device", "VGA,id=vga",
           "-device", "qemu-xhci,id=xhci"]
USB = MACHINE + ["-device", "usb-kbd,id=usbkbd,display=vga"]
XHCI_LINE = r"^xhci: 0000:00:[0-9a-f]{2}\.[0-7] xHCI 1\.\d, \d+ ports$"
KBD_LINE = r"^usb: keyboard on port (\d+) \(QEMU USB Keyboard\)$"

# debug's xHCI and USB steps, in order (XHCI_LINE among them)
DEBUG_STEPS = [
    (r"^xhci: 0000:\S+: controller 1b36:000d$", "the controller found"),
    (r"^xhci: \S+: version 1\.0, \d+ slots, 8 ports", "its version and ports"),
    (r"^xhci: \S+: (no legacy support capability|hand-off done)",
     "the firmware hand-off step"),
    (r"^xhci: \S+: reset$", "the reset"),
    (XHCI_LINE, "the controller's line"),
    (r"^usb: port \d+: slot \d+, address \d+$", "the slot and address"),
    (r"^usb: port \d+: device 0627:0001, USB 2\.00", "the device descriptor"),
    (r'^usb: port \d+: "QEMU USB Keyboard", configuration 1',
     "the configuration descriptor"),
    (r"^usb: port \d+: endpoint 0x81 \(context 3\), 8 bytes",
     "the interrupt endpoint"),
]


def type_usb(b, text):
    b.send_keys(keys_for(text), pause=0.05, device=KBD)


def no_ps2(b):
    b.expect(r"^boot: no PS/2 keyboard controller$",
             what="no PS/2 keyboard (the machine has none: i8042=off)")


def usb_login(t, b):
    """Logs in as root with keys on the USB keyboard; then Shift, Caps
    Lock, Backspace, Ctrl and the arrows in one command line, and a held
    key repeating."""
    b.expect(r"login: ", partial=True, what="login's prompt")
    type_usb(b, "root\r")
    b.expect(r"Password: ", partial=True, what="the password prompt "
             "(root typed on the USB keyboard)")
    type_usb(b, "nexaos\r")
    b.expect(r"root@nexa:~# ", partial=True, what="root's shell prompt")
    type_usb(b, "echo usb$((6*7))\r")
    b.expect(r"^usb42$", what="the echo typed on the USB keyboard")
    b.expect(r"root@nexa:~# ", partial=True, what="the next prompt")
    # "echo " CapsLock "ab" CapsLock "x" Backspace "c" Left Left "-" Enter
    keys = keys_for("echo ") + ["caps_lock", "a", "b", "caps_lock", "x",
                                "backspace", "c", "left", "left"] + \
        keys_for("-") + ["ctrl-e"] + keys_for("d\r")
    b.send_keys(keys, pause=0.05, device=KBD)
    b.expect(r"^A-Bcd$", what="the line edited with Caps Lock, Backspace, "
             "Left and Ctrl-E (echo A-Bcd)")
    b.expect(r"root@nexa:~# ", partial=True, what="the next prompt")
    # a key held 1.5 s repeats (the host's job with USB): after 0.5 s,
    # about 30 a second; Caps Lock held does not toggle again
    type_usb(b, "echo ")
    b.send_keys(["caps_lock"], pause=1.5, device=KBD)
    b.send_keys(["x"], pause=1.5, device=KBD)
    b.send_keys(["caps_lock"], pause=0.05, device=KBD)
    type_usb(b, "\r")
    m = b.expect(r"^(X+)$", what="a line of X typed by holding x 1.5 s "
                 "(with Caps Lock)")
    t.check(len(m[1]) >= 10, f"holding x for 1.5 s typed {len(m[1])} X, "
            "expected it to repeat (about 30 after the first 0.5 s)", boot=b,
            at=b.line_of(m.start()))
    b.expect(r"root@nexa:~# ", partial=True, what="the next prompt")


@hw_test("usb_pc_bios_debug")
def usb_pc_bios_debug(t):
    """pc, SeaBIOS, a bare debug (every item): each boot step named before
    it runs, the APICs' and the USB bring-up step by step; then a login and
    a line edited with keys typed on the USB keyboard."""
    with t.qemu("init=/sbin/init debug", mem="128", initrd=True,
                extra=USB) as b:
        for step in ("interrupts_init", "memory_init", "apic_init",
                     "proc_init", "xhci_init"):
            b.expect(rf"^boot: step {step}$", what=f"the step {step} named "
                     "(debug)")
            if step == "interrupts_init":
                no_ps2(b)
            if step == "apic_init":
                b.expect(r"^apic: MADT: ", what="the MADT's entries (debug)")
        for pat, what in DEBUG_STEPS:
            b.expect(pat, what=f"{what} (debug)")
        b.expect(KBD_LINE)
        usb_login(t, b)


APIC_REF = r"^apic: local APIC timer \d+ Hz \((HPET|PM timer)-calibrated"


def pc_login(t, machine, uefi, hpet, gib):
    """One PC of the matrix: machine (pc or q35), SeaBIOS or OVMF, with or
    without an HPET, gib GiB; a USB keyboard and no PS/2 controller. The
    login is typed on the USB keyboard; the screen (framebuffer on UEFI,
    VGA text on BIOS) shows the session."""
    extra = USB if hpet else USB + ["-machine", "hpet=off"]
    with t.qemu("init=/sbin/init", mem=str(gib * 1024), iso=True, uefi=uefi,
                screen=True, initrd=True, machine=machine, extra=extra) as b:
        no_ps2(b)
        m = b.expect(APIC_REF, what="the APIC line (the local APIC timer)")
        ref = "HPET" if hpet else "PM timer"
        t.check(m[1] == ref, f"the local APIC timer was calibrated against "
                f"the {m[1]}, expected the {ref}", boot=b,
                at=b.line_of(m.start()))
        if uefi:
            fbcon_line(b, "8x16")
        b.expect(XHCI_LINE)
        b.expect(KBD_LINE)
        usb_login(t, b)
        t.check(len(re.findall(r"^(xhci|usb): ", b.text, re.M)) == 2,
                "expected one xhci: and one usb: line without debug=usb",
                boot=b)
        screen_matches(t, b, "after the USB login")


def matrix():
    """pc and q35, SeaBIOS and OVMF, HPET or not, 1 and 4 GiB: 16 PCs."""
    for machine in ("pc", "q35"):
        for fw in ("bios", "uefi"):
            for hpet in (True, False):
                for gib in (1, 4):
                    name = (f"usb_{machine}_{fw}_{'hpet' if hpet else 'nohpet'}"
                            f"_{gib}g")
                    hw_test(name)(lambda t, m=machine, u=fw == "uefi", h=hpet,
                                  g=gib: pc_login(t, m, u, h, g))


matrix()


@hw_test("usb_hotplug")
def usb_hotplug(t):
    """q35, SeaBIOS: no keyboard at boot; one plugged in at the login
    prompt logs in, is pulled out (reported), and a second one works."""
    with t.qemu("init=/sbin/init", mem="128", initrd=True, machine="q35",
                extra=MACHINE) as b:
        no_ps2(b)
        b.expect(XHCI_LINE)
        b.expect(r"login: ", partial=True, what="login's prompt")
        t.check("usb: keyboard" not in b.text, "a keyboard before any was "
                "plugged in", boot=b)
        b.qmp.cmd("device_add", driver="usb-kbd", id="hot1", bus="xhci.0",
                  display="vga")
        # the kernel's line comes after login's prompt on the same line
        port = b.expect(KBD_LINE[1:], timeout=10,
                        what="the hot-plugged keyboard")[1]
        b.send("\r")            # a fresh prompt: the serial login was waiting
        usb_login(t, b)
        b.qmp.cmd("device_del", id="hot1")
        b.expect(rf"usb: keyboard on port {port} disconnected$", timeout=10,
                 what="the keyboard's removal")
        b.qmp.cmd("device_add", driver="usb-kbd", id="hot2", bus="xhci.0",
                  display="vga")
        b.expect(KBD_LINE[1:], timeout=10, what="a second keyboard plugged in")
        type_usb(b, "echo again$((6*7))\r")
        b.expect(r"^again42$", what="the echo typed on the second keyboard")


@hw_test("usb_xhci_off")
def usb_xhci_off(t):
    """pc, SeaBIOS, xhci=off: no controller line, and the USB keyboard's
    keys do not answer the login prompt."""
    with t.qemu("init=/sbin/init xhci=off", mem="128", initrd=True,
                extra=USB) as b:
        no_ps2(b)
        b.expect(r"login: ", partial=True, what="login's prompt")
        type_usb(b, "root\r")
        t.check(not b.wait_for_text("Password:", 4), "the USB keyboard typed "
                "at the login prompt with xhci=off", boot=b)
        t.check("xhci:" not in b.text and "usb:" not in b.text,
                "an xhci: or usb: line with xhci=off", boot=b)
