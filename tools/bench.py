#!/usr/bin/env python3
"""make bench-linux: the lab-4 benchmark (/bin/bench) booted on NexaOS and on
Debian's Linux kernel under identical QEMU flags, in interleaved runs;
prints the median of each row and the ratio Linux/NexaOS.

Linux is the kernel of Debian's linux-image-*-cloud-amd64 package, fetched
with `apt-get download` into BUILD/linux and unpacked there (nothing is
installed); its initramfs holds only /bin/bench and /bin/true.
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
QEMU = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64", "-m", "128",
        "-no-reboot", "-net", "none", "-display", "none", "-serial", "stdio",
        "-monitor", "none"]
ROW = re.compile(r"^bench: (.+?)\s+(\d+) ns\s+(\d+) cycles\s*$")


def linux_kernel():
    d = os.path.join(BUILD, "linux")
    found = glob.glob(os.path.join(d, "boot", "vmlinuz-*"))
    if found:
        return found[0]
    os.makedirs(d, exist_ok=True)
    name = subprocess.run(["apt-cache", "depends", "linux-image-cloud-amd64"],
                          capture_output=True, text=True).stdout
    m = re.search(r"Depends: (linux-image-\S+-cloud-amd64)", name)
    if not m:
        sys.exit("bench: no linux-image-cloud-amd64 in the package lists "
                 "(run apt-get update as root)")
    subprocess.run(["apt-get", "download", m[1]], cwd=d, check=True,
                   stderr=subprocess.DEVNULL)
    deb = glob.glob(os.path.join(d, "*.deb"))[0]
    subprocess.run(["dpkg-deb", "-x", deb, d], check=True)
    os.remove(deb)
    return glob.glob(os.path.join(d, "boot", "vmlinuz-*"))[0]


def linux_initrd():
    root = os.path.join(BUILD, "linux", "root")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "bin"))
    for prog in ("bench", "true"):
        shutil.copy(os.path.join(BUILD, "user", "bin", prog), os.path.join(root, "bin"))
    out = os.path.abspath(os.path.join(BUILD, "linux", "bench.cpio"))
    files = subprocess.run(["find", ".", "-mindepth", "1"], cwd=root,
                           capture_output=True, text=True).stdout
    subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, check=True,
                   input="\n".join(sorted(files.split())).encode(),
                   stdout=open(out, "wb"))
    return out


def run(argv):
    out = subprocess.run(argv, capture_output=True, timeout=300).stdout
    rows = {}
    for line in out.decode(errors="replace").splitlines():
        if m := ROW.match(line.strip()):
            rows[m[1]] = (int(m[2]), int(m[3]))
    if not rows:
        sys.exit("bench: no results from " + " ".join(argv[-4:]))
    return rows


def main():
    kernel, initrd = linux_kernel(), linux_initrd()
    nexa = QEMU + ["-kernel", os.path.join(BUILD, "kernel32.elf"), "-initrd",
                   os.path.join(BUILD, "initrd.cpio"), "-append", "init=/bin/bench",
                   "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    linux = QEMU + ["-kernel", kernel, "-initrd", initrd, "-append",
                    "console=ttyS0 rdinit=/bin/bench panic=-1 quiet"]
    results = {"nexa": [], "linux": []}
    for i in range(RUNS):
        print(f"bench: run {i + 1} of {RUNS}", file=sys.stderr)
        results["nexa"].append(run(nexa))
        results["linux"].append(run(linux))
    print(f"{'operation':<24} {'NexaOS ns':>11} {'Linux ns':>11} {'Linux/NexaOS':>13}")
    for name in results["nexa"][0]:
        n = statistics.median(r[name][0] for r in results["nexa"])
        on_linux = [r[name][0] for r in results["linux"] if name in r]
        if not on_linux:    # NexaOS's own calls (channels): nothing to compare
            print(f"{name:<24} {n:>11.0f} {'-':>11} {'-':>13}")
            continue
        lx = statistics.median(on_linux)
        print(f"{name:<24} {n:>11.0f} {lx:>11.0f} {lx / n:>12.2f}x")


if __name__ == "__main__":
    main()
