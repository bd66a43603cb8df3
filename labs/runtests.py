#!/usr/bin/env python3
"""Everything `make test` (and CI) runs, with one summary line at the end.

1. host unit tests of the pure kernel modules (cmocka, ASan, UBSan);
2. the full tree, built warning-free, passes every lab's grader;
3. the skeleton proof: for every lab N, the tree built with SOL=N-1
   passes the graders of the labs below N and fails every test of lab N
   (a test that passes on its skeleton checks nothing).

The last line, "N passed, N failed", counts every unit test, every
grader test on the full tree and every expectation of the skeleton proof.
"""
import glob
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = []        # (name, passed count, failed count, detail)


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, **kw)


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


def grade(build, lab, sol=None):
    """Grades one lab against a build; returns {test name: passed}."""
    out = os.path.join(ROOT, build, f"grade-lab{lab}.json")
    make = ["make", "-s", "grade", f"LAB={lab}", f"JSON={out}"]
    if sol is not None:
        make.insert(2, f"SOL={sol}")
    if os.path.exists(out):
        os.remove(out)
    run(make)
    if not os.path.exists(out):
        return None
    with open(out) as f:
        data = json.load(f)
    return {t["name"]: t["passed"] for t in data["tests"] if not t.get("skipped")}


def unit_tests():
    p = run(["make", "-s", "unit"], capture_output=True, text=True)
    sys.stdout.write(p.stdout + p.stderr)
    m = re.search(r"unit: (\d+) passed, (\d+) failed", p.stdout)
    if not m:
        record("unit tests", False, "no summary line (build failure?)")
        return
    passed, failed = int(m.group(1)), int(m.group(2))
    ok = p.returncode == 0 and failed == 0 and passed > 0
    record("unit tests", ok, f"{passed} passed, {failed} failed",
           passed, failed if ok else max(failed, 1))


def full_tree():
    p = run(["make", "-s", "-j2", "WERROR=1", "all"])
    record("full tree builds with -Werror", p.returncode == 0)
    for lab in labs():
        r = grade("build", lab)
        if r is None:
            record(f"lab {lab} grader on the full tree", False, "grader produced no results")
            continue
        bad = [t for t, ok in r.items() if not ok]
        record(f"lab {lab} grader on the full tree", not bad and bool(r),
               f"{len(r) - len(bad)}/{len(r)} tests pass" + (f"; failing: {', '.join(bad)}" if bad else ""),
               len(r) - len(bad), len(bad) if r else 1)


def skeletons():
    for lab in labs():
        sol = lab - 1
        p = run(["make", "-s", "-j2", f"SOL={sol}", "all"])
        if p.returncode:
            record(f"lab {lab} skeleton (SOL={sol}) builds", False)
            continue
        for lower in range(1, lab):
            r = grade(f"build/sol{sol}", lower, sol)
            bad = [t for t, ok in (r or {}).items() if not ok]
            record(f"lab {lab} skeleton passes lab {lower}", bool(r) and not bad,
                   f"failing: {', '.join(bad)}" if bad else "",
                   len(r or {}) - len(bad), len(bad) if r else 1)
        r = grade(f"build/sol{sol}", lab, sol)
        if not r:
            record(f"lab {lab} skeleton fails every lab-{lab} test", False, "no results")
            continue
        passing = [t for t, ok in r.items() if ok]
        record(f"lab {lab} skeleton fails every lab-{lab} test", not passing,
               f"{len(r)} tests fail" if not passing else
               f"these pass on the skeleton, so they check nothing: {', '.join(passing)}",
               len(r) - len(passing), len(passing))


def main():
    start = time.time()
    unit_tests()
    full_tree()
    skeletons()
    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    print(f"\n=== summary ({time.time() - start:.0f}s) ===")
    for name, p, f, detail in results:
        print(f"  {'FAIL' if f else 'ok  '} {name}{' (' + detail + ')' if detail else ''}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
