# GDB setup for NexaOS: `make qemu-gdb` in one terminal, `make gdb` (or
# `gdb -x .gdbinit`) in another. GDB loads a project .gdbinit only when
# allowed: add "add-auto-load-safe-path /path/to/nexaos/.gdbinit" to
# ~/.config/gdb/gdbinit, or pass -x .gdbinit as above.
#
# QEMU always sends the 64-bit register set: GDB must be in x86-64 mode
# before it connects, or it fails with "Remote 'g' packet reply is too long".
set architecture i386:x86-64
set confirm off
set pagination off
python
import os
kernel = os.environ.get("NEXAOS_KERNEL", "build/kernel.elf")
port = int(os.environ.get("NEXAOS_GDB_PORT") or 26000 + os.getuid() % 5000)
gdb.execute("file " + kernel)
print("nexaos: connecting to QEMU on localhost:%d (kernel %s)" % (port, kernel))
gdb.execute("target remote localhost:%d" % port)
end
# Hardware breakpoints (hbreak) also work under KVM and before paging changes.
define kbreak
  hbreak $arg0
end
document kbreak
Set a hardware breakpoint: kbreak kmain
end
