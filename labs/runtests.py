#!/usr/bin/env python3
"""Everything `make test` (and CI) runs, with one summary line at the end.

1. host unit tests of the pure kernel modules (cmocka, ASan, UBSan);
2. the full tree, built warning-free, passes every lab's grader, and
   again on a 32 MiB machine, and the hardware tests (grade/hw.py: the
   configurations of a current PC, issue 14);
3. the staging proof: `make labs` writes the reference branches, none
   mentions SOL or leaks solution text, and every branch lab N builds
   from a clean clone, boots, passes the graders of the labs below N and
   fails every test of lab N (a test that passes on its skeleton checks
   nothing);
4. the batch grader gives a lab-1 skeleton 0, the reference full marks
   and a kernel that panics at boot 0, and leaves no emulator running.

The last line, "N passed, N failed", counts every unit test, every
grader test on the full tree, every hardware test and every expectation of the skeleton proof.
"""
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = []        # (name, passed count, failed count, detail)


def run(cmd, cwd=ROOT, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=cwd, **kw)


def record(name, ok, detail="", passed=None, failed=None):
    """One check; passed/failed say how many tests it stands for."""
    if passed is None:
        passed, failed = (1, 0) if ok else (0, 1)
    results.append((name, passed, failed, detail))
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}",
          flush=True)


def labs():
    return sorted(int(m.group(1)) for f in glob.glob(os.path.join(ROOT, "grade/lab*.py"))
                  if (m := re.search(r"lab(\d+)\.py$", f)))


def counted(name, cmd, prefix):
    """Runs cmd, which ends with "PREFIX: N passed, M failed"; records
    its tests as that many."""
    p = run(cmd, capture_output=True, text=True)
    sys.stdout.write(p.stdout + p.stderr)
    m = re.search(rf"{prefix}: (\d+) passed, (\d+) failed", p.stdout)
    if not m:
        record(name, False, "no summary line (build failure?)")
        return
    passed, failed = int(m.group(1)), int(m.group(2))
    ok = p.returncode == 0 and failed == 0 and passed > 0
    record(name, ok, f"{passed} passed, {failed} failed",
           passed, failed if ok else max(failed, 1))


def unit_tests():
    counted("unit tests", ["make", "-s", "unit"], "unit")


def sanitizer():
    """The SAN=1 kernel builds, and its ubsan self-test reports both bugs."""
    p = run(["make", "-s", "-j2", "SAN=1", "kernel"])
    out = ""
    if p.returncode == 0:
        q = run(["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64", "-m", "64",
                 "-no-reboot", "-net", "none", "-display", "none", "-serial", "stdio",
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-kernel", "build/san/kernel32.elf", "-append", "test=ubsan"],
                capture_output=True, text=True, timeout=60)
        out = q.stdout
    found = [k for k in ("signed addition overflow", "shift out of bounds")
             if f"UBSAN: {k} at kernel/debug/debug_test.c" in out]
    record("SAN=1 kernel reports undefined behaviour", len(found) == 2,
           f"reported: {', '.join(found) or 'nothing'}")


def full_tree():
    p = run(["make", "-s", "-j2", "WERROR=1", "BUILD=build/werror", "kernel"])
    record("full tree builds with -Werror", p.returncode == 0)
    p = run(["make", "-s", "-j2", "all"])
    record("full tree builds the kernel and the ISO", p.returncode == 0)
    sanitizer()
    small_memory()
    hardware()
    for lab in labs():
        r = grade_dir(ROOT, lab)
        if r is None:
            record(f"lab {lab} grader on the full tree", False, "grader produced no results")
            continue
        bad = [t for t, ok in r.items() if not ok]
        record(f"lab {lab} grader on the full tree", not bad and bool(r),
               f"{len(r) - len(bad)}/{len(r)} tests pass" + (f"; failing: {', '.join(bad)}" if bad else ""),
               len(r) - len(bad), len(bad) if r else 1)


def hardware():
    """grade/hw.py: the full tree in the configurations of a current PC."""
    counted("hardware tests (grade/hw.py)",
            [sys.executable, "grade/hw.py", "--build", "build"], "hw")


def small_memory():
    """Every grader passes on a 32 MiB machine (the tests that choose
    their own memory keep it)."""
    out = os.path.join(ROOT, "build", "grade-32mib.json")
    if os.path.exists(out):
        os.remove(out)
    run(["make", "-s", "grade", "GRADE_MEM=32", f"JSON={out}"])
    bad = ["?"]
    if os.path.exists(out):
        with open(out) as f:
            bad = [f"lab{t['lab']} {t['name']}" for t in json.load(f)["tests"]
                   if t.get("counted", True) and not t["passed"]]
    record("every grader passes with 32 MiB of RAM", not bad,
           f"failing: {', '.join(bad)}" if bad else "")


def clone_build(repo, branch, where):
    """Clones branch into where and builds it as its README says; True if it built."""
    subprocess.run(["git", "clone", "-q", "-b", branch, repo, where], check=True)
    return run(["make", "-s", "-j2"], cwd=where).returncode == 0


def grade_dir(where, lab):
    """Grades one lab in a checkout; {test: passed} or None."""
    out = os.path.join(where, "build", f"grade-lab{lab}.json")
    if os.path.exists(out):
        os.remove(out)
    run(["make", "-s", "grade", f"LAB={lab}", f"JSON={out}"], cwd=where)
    if not os.path.exists(out):
        return None
    with open(out) as f:
        return {t["name"]: t["passed"] for t in json.load(f)["tests"] if t.get("counted", True)}


def branches(tmp):
    """The proof on generated reference branches: lab N builds, boots,
    passes the labs below it and fails every test of lab N."""
    repo = os.path.join(tmp, "labs")
    p = run([sys.executable, "labs/mklabs.py", repo, "--mode", "reference"])
    record("make labs writes the reference branches", p.returncode == 0)
    p = run([sys.executable, "labs/mklabs.py", "--check", repo])
    record("no branch mentions SOL or leaks solution text", p.returncode == 0)
    for lab in labs():
        where = os.path.join(tmp, f"lab{lab}")
        if not clone_build(repo, f"lab{lab}", where):
            record(f"lab{lab} branch builds from a clean clone", False)
            continue
        record(f"lab{lab} branch builds from a clean clone", True)
        for lower in range(1, lab):
            r = grade_dir(where, lower)
            bad = [t for t, ok in (r or {}).items() if not ok]
            record(f"lab{lab} branch passes lab {lower}", bool(r) and not bad,
                   f"failing: {', '.join(bad)}" if bad else "",
                   len(r or {}) - len(bad), len(bad) if r else 1)
        r = grade_dir(where, lab)
        if not r:
            record(f"lab{lab} branch fails every lab-{lab} test", False, "no results")
            continue
        passing = [t for t, ok in r.items() if ok]
        record(f"lab{lab} branch fails every lab-{lab} test", not passing,
               f"{len(r)} tests fail" if not passing else
               f"these pass on the skeleton, so they check nothing: {', '.join(passing)}",
               len(r) - len(passing), len(passing))


def emulators():
    """PIDs of emulator processes still running that the batch grader
    started: they run in (or name) one of its nexaos-batch-* copies."""
    p = subprocess.run(["pgrep", "-f", "qemu-system|bochs"], capture_output=True, text=True)
    mine = set()
    for pid in p.stdout.split():
        try:
            where = os.readlink(f"/proc/{pid}/cwd")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                where += f.read().decode(errors="replace")
        except OSError:
            continue            # gone meanwhile
        if "nexaos-batch-" in where:
            mine.add(pid)
    return mine


def batch(tmp):
    """Three lab-1 submissions: the skeleton, the reference, one that
    panics at boot, as a handin tarball; graded 0, full, 0."""
    subs = os.path.join(tmp, "submissions")
    os.makedirs(subs)
    sys.path.insert(0, os.path.join(ROOT, "labs"))
    import mklabs
    for name, sol in (("skeleton", 0), ("reference", 1), ("panics", 1)):
        d = os.path.join(tmp, "students", name)
        mklabs.export(1, sol, d)
        if name == "panics":
            main = os.path.join(d, "kernel", "main.c")
            with open(main) as f:
                text = f.read()
            text = text.replace("\tprint_banner(parsed);\n",
                                "\tprint_banner(parsed);\n\tpanic(\"student bug\");\n")
            with open(main, "w") as f:
                f.write("#include <panic.h>\n" + text)
        run(["git", "init", "-q", "-b", "lab1", d])
        run(["git", "-c", "user.name=S", "-c", f"user.email={name}@example.edu",
             "add", "-A"], cwd=d)
        run(["git", "-c", "user.name=S", "-c", f"user.email={name}@example.edu",
             "commit", "-qm", "my lab 1"], cwd=d)
        if name == "panics":
            env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null")
            subprocess.run(["git", "config", "user.email", f"{name}@example.edu"], cwd=d)
            subprocess.run(["make", "-s", "handin"], cwd=d, env=env)
            shutil.copy(os.path.join(d, "build", "handin", f"lab1-{name}.tar.gz"), subs)
        else:
            os.symlink(d, os.path.join(subs, name))
    before = emulators()
    out = os.path.join(tmp, "batch-out")
    p = run([sys.executable, "labs/batch.py", "--lab", "1", subs, out])
    scores = {}
    with open(os.path.join(out, "results.csv")) as f:
        for row in csv.DictReader(f):
            scores[row["student"]] = (int(row["score"]), int(row["max_score"]), row["reason"])
    full = scores.get("reference", (0, -1, ""))
    record("batch: the reference scores full marks", p.returncode == 0 and full[0] == full[1] > 0,
           f"{full[0]}/{full[1]}")
    sk = scores.get("skeleton", (-1, 0, ""))
    record("batch: the skeleton scores 0", sk[0] == 0, f"{sk[0]}/{sk[1]}")
    pa = scores.get("lab1-panics", (-1, 0, ""))
    with open(os.path.join(out, "lab1-panics", "results.json")) as f:
        gs = json.load(f)
    record("batch: the panicking kernel scores 0, with the panic as reason",
           pa[0] == 0 and any("panic" in t["output"].lower() for t in gs["tests"]),
           f"{pa[0]}/{pa[1]}")
    left = emulators() - before
    record("batch: no emulator left running", not left, f"left: {left}" if left else "")


def main():
    start = time.time()
    unit_tests()
    full_tree()
    with tempfile.TemporaryDirectory(prefix="nexaos-test-") as tmp:
        branches(tmp)
        batch(tmp)
    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    print(f"\n=== summary ({time.time() - start:.0f}s) ===")
    for name, p, f, detail in results:
        print(f"  {'FAIL' if f else 'ok  '} {name}{' (' + detail + ')' if detail else ''}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
