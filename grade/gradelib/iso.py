"""ISOs the grader makes: kernel.elf under GRUB with a kernel command line
of the test's choosing (and the boot modules it asks for), for the boots
that go through GRUB (Bochs always; QEMU's BIOS and UEFI tests)."""
import shutil
import subprocess

from .core import TestFail, boot_modules, kill, need_file, spawn, tail

GRUB_CFG = """\
set timeout=0
set default=0
insmod all_video
menuentry "NexaOS" {
\tmultiboot2 /boot/kernel.elf %s
\t%s
\t%s
\tboot
}
"""
# After the multiboot2 command (which sets gfxpayload from the kernel's
# framebuffer tag): VGA text on BIOS, as tools/grub.cfg.in.
TEXT_ON_BIOS = 'if [ "$grub_platform" = pc ]; then set gfxpayload=text; fi'


def make_iso(t, tmp, cmdline, initrd=False, gfxpayload=None):
    """tmp/nexaos.iso: the build's kernel.elf, GRUB passing cmdline, and
    the modules initrd asks for (see boot_modules).  gfxpayload: GRUB's
    video mode for the kernel ("1024x768x32", "auto"); None keeps VGA
    text on BIOS (UEFI has a framebuffer either way)."""
    tree = tmp / "iso"
    (tree / "boot/grub").mkdir(parents=True)
    shutil.copy(need_file(t.build / "kernel.elf"), tree / "boot")
    lines = []
    for i, m in enumerate(boot_modules(t.build, initrd)):
        name = "initrd.cpio" if i == 0 else f"module{i}.cpio"
        shutil.copy(m, tree / "boot" / name)
        lines.append(f"module2 /boot/{name} {name}")
    video = f"set gfxpayload={gfxpayload}" if gfxpayload else TEXT_ON_BIOS
    (tree / "boot/grub/grub.cfg").write_text(
        GRUB_CFG % (cmdline, video, "\n\t".join(lines)))
    iso = tmp / "nexaos.iso"
    p = spawn(["grub-mkrescue", "-o", iso, tree], stdin=subprocess.DEVNULL,
              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out = p.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        kill(p)
    if p.returncode != 0:
        raise TestFail("grub-mkrescue failed", tail(out))
    return iso
