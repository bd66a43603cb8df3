#!/usr/bin/env python3
"""Sets the owner and permission bits of named entries of a cpio newc
archive in place (cpio -o takes one --owner for every entry; lab 7's
initramfs needs a few others):

    tools/cpio-own.py ARCHIVE PATH=UID:GID:OCTALMODE...

PATH is the entry's name as stored (no leading ./). Fails if a PATH is
not in the archive."""
import sys

HEADER = 110


def field(buf, off, i):
    """Header field i (0 is ino) of the entry at off, as an int."""
    start = off + 6 + 8 * i
    return int(buf[start:start + 8], 16), start


def main():
    path, specs = sys.argv[1], sys.argv[2:]
    want = {}
    for spec in specs:
        name, own = spec.split("=", 1)
        uid, gid, mode = own.split(":")
        want[name] = (int(uid), int(gid), int(mode, 8))
    buf = bytearray(open(path, "rb").read())
    off = 0
    while off + HEADER <= len(buf):
        if buf[off:off + 6] != b"070701":
            sys.exit(f"cpio-own: {path}: bad header at {off}")
        namesize, _ = field(buf, off, 11)
        filesize, _ = field(buf, off, 6)
        name = bytes(buf[off + HEADER:off + HEADER + namesize - 1]).decode()
        if name == "TRAILER!!!":
            break
        if name in want:
            uid, gid, perm = want.pop(name)
            mode, mstart = field(buf, off, 1)
            mode = (mode & ~0o7777) | perm
            _, ustart = field(buf, off, 2)
            _, gstart = field(buf, off, 3)
            buf[mstart:mstart + 8] = b"%08X" % mode
            buf[ustart:ustart + 8] = b"%08X" % uid
            buf[gstart:gstart + 8] = b"%08X" % gid
        off += (HEADER + namesize + 3) & ~3
        off += (filesize + 3) & ~3
    if want:
        sys.exit(f"cpio-own: {path}: no entries {', '.join(sorted(want))}")
    open(path, "wb").write(buf)


if __name__ == "__main__":
    main()
