#!/usr/bin/env python3
"""Adds lab 7's users to a staged initramfs tree (ROOT/etc/passwd and
group, from user/etc, get the ordinary user; ROOT/etc/shadow is made)
and makes their home directories:

    tools/mkshadow.py ROOT

The hashes are bcrypt ($2b$, cost 12) made by the host's libxcrypt, as
authd checks them; the salts come from the user names, not from chance,
so that the archive stays the same from build to build (the passwords are
public anyway: user/README.md)."""
import ctypes
import ctypes.util
import hashlib
import os
import sys

COST = 12
DAY = 20000  # the last change, in days since 1970 (fixed, as the archive's times are)
USERS = [
    # name, password, uid, gid, gecos, home, shell
    ("root", "nexaos", 0, 0, "root", "/root", "/bin/sh"),
    ("student", "student", 1000, 1000, "NexaOS student", "/home/student", "/bin/sh"),
]
GROUPS = [("users", 100, ["student"]), ("student", 1000, [])]


def libcrypt():
    """The host's libxcrypt."""
    name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
    lib = ctypes.CDLL(name)
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    return lib


def bcrypt(lib, name, password):
    """password's $2b$ hash, salted from name."""
    rbytes = hashlib.sha256(b"nexaos-salt-" + name.encode()).digest()[:16]
    setting = lib.crypt_gensalt(b"$2b$", COST, rbytes, len(rbytes))
    h = lib.crypt(password.encode(), setting)
    if not h or not h.startswith(b"$2b$"):
        sys.exit(f"mkshadow: libxcrypt made no bcrypt hash for {name}")
    return h.decode()


def main():
    root = sys.argv[1]
    etc = os.path.join(root, "etc")
    lib = libcrypt()
    have = {l.split(":")[0] for l in open(os.path.join(etc, "passwd"))}
    with open(os.path.join(etc, "passwd"), "a") as f:
        for name, _, uid, gid, gecos, home, shell in USERS:
            if name not in have:
                f.write(f"{name}:x:{uid}:{gid}:{gecos}:{home}:{shell}\n")
    have = {l.split(":")[0] for l in open(os.path.join(etc, "group"))}
    with open(os.path.join(etc, "group"), "a") as f:
        for name, gid, members in GROUPS:
            if name not in have:
                f.write(f"{name}:x:{gid}:{','.join(members)}\n")
    with open(os.path.join(etc, "shadow"), "w") as f:
        for name, password, *_ in USERS:
            f.write(f"{name}:{bcrypt(lib, name, password)}:{DAY}:0:99999:7:::\n")
    for name, _, uid, gid, _, home, _ in USERS:
        os.makedirs(os.path.join(root, home.lstrip("/")), exist_ok=True)
    for d in ("var/log", "run"):
        os.makedirs(os.path.join(root, d), exist_ok=True)


if __name__ == "__main__":
    main()
