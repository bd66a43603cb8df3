#!/usr/bin/env python3
"""Grade a NexaOS build: python3 grade/grade.py --build DIR [--lab N]
[--emu qemu|bochs] [--json FILE] [--jobs N] [filters...]

Runs the tests of grade/labN.py (every lab that has a grader, or --lab N),
in parallel, and prints one line per test, with the reason, a diff and the
serial output around the failure for a failed one.  The last line is
`N passed, N failed`; the exit status is 0 iff every test passed.
"""
import argparse
import importlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

sys.dont_write_bytecode = True      # no __pycache__ in students' trees
sys.path.insert(0, str(Path(__file__).resolve().parent))
import gradelib as gl  # noqa: E402

HERE = Path(__file__).resolve().parent


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default="build", help="build directory "
                   "(kernel.elf, kernel32.elf, nexaos.iso)")
    p.add_argument("--lab", type=int, help="grade only lab N")
    p.add_argument("--emu", choices=["qemu", "bochs"], default="qemu")
    p.add_argument("--json", help="write machine-readable results here")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    p.add_argument("--mem", type=int, default=64, help="RAM in MiB for the "
                   "tests that do not choose their own (default 64)")
    p.add_argument("filters", nargs="*", help="run only tests whose name "
                   "contains one of these")
    return p.parse_args()


def load_rubric(emu):
    """rubric.json: timeout_scale, bochs_timeout_scale, labs -> test ->
    points/timeout.  GRADE_TIMEOUT_SCALE multiplies the scale, and so does
    the machine's load (1-minute load average per core, from 1x up to 4x);
    under --emu bochs, bochs_timeout_scale does too (Bochs is slower)."""
    rubric = json.loads((HERE / "rubric.json").read_text())
    scale = float(rubric.get("timeout_scale", 1.0))
    if emu == "bochs":
        scale *= float(rubric.get("bochs_timeout_scale", 1.0))
    scale *= float(os.environ.get("GRADE_TIMEOUT_SCALE") or 1.0)
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return rubric, scale * min(4.0, max(1.0, load))


def select_tests(args, rubric):
    labs = [args.lab] if args.lab else sorted(
        int(p.stem[3:]) for p in HERE.glob("lab*.py") if p.stem[3:].isdigit())
    for n in labs:
        if not (HERE / f"lab{n}.py").exists():
            sys.exit(f"grade: there is no grader for lab {n} "
                     f"(grade/lab{n}.py)")
        importlib.import_module(f"lab{n}")
    tests = []
    for td in gl.TESTS:
        if td.lab not in labs:
            continue
        r = rubric.get("labs", {}).get(str(td.lab), {}).get(td.name)
        if r is None:
            print(f"grade: warning: lab{td.lab} {td.name} is not in "
                  "grade/rubric.json; using its defaults", file=sys.stderr)
        else:
            td.points = r.get("points", td.points)
            td.timeout = r.get("timeout", td.timeout)
        if not args.filters or any(f in td.name for f in args.filters):
            tests.append(td)
    if not tests:
        sys.exit(f"grade: no test's name contains {' or '.join(args.filters)}"
                 " (TEST=NAME runs the tests whose name contains NAME); the "
                 "tests are:\n" + "\n".join(
                     f"  lab{n}: " + " ".join(td.name for td in gl.TESTS
                                              if td.lab == n) for n in labs))
    return tests


class Config:
    """What the tests see as t.cfg: build dir, emulator, time-limit scale,
    log dir, and kernel.elf parsed once for all tests."""

    def __init__(self, build, emu, scale, mem=64):
        self.build, self.emu, self.scale, self.mem = Path(build), emu, scale, mem
        self.logdir = self.build / "grade-logs"
        self._elf, self._lock = None, threading.Lock()

    def elf(self):
        with self._lock:
            if self._elf is None:
                self._elf = gl.Elf(gl.need_file(self.build / "kernel.elf"))
            return self._elf


class Result:
    def __init__(self, td):
        self.td, self.done = td, threading.Event()
        self.passed, self.skipped, self.seconds = False, None, 0.0
        self.reason, self.detail, self.context, self.logs = None, [], [], []
        self.data, self.counts = {}, True   # counts: a skip that fails
        self.stubs = {}     # {earlier lab: [hint]}: its stubs, seen failing


def context(err, n=10):
    """~n serial lines of the failed boot around the failure point."""
    b = err.boot
    if b is None:
        return []
    lines = b.lines
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if not lines:
        return [f"(no serial output from {b.emu})"]
    at = len(lines) - 1 if err.at is None else min(err.at, len(lines) - 1)
    lo = max(0, min(at - n // 2, len(lines) - n))
    hi = min(len(lines), lo + n)
    out = [f"serial output around the failure (lines {lo + 1}-{hi} of "
           f"{len(lines)}):"]
    for i in range(lo, hi):
        out.append(f"{'>' if i == at else ' '} {i + 1:4} | {lines[i]}")
    return out


def run_test(res, cfg, parent):
    td = res.td
    t = gl.T(td, cfg, parent and parent.data)
    res.data = t.data
    start, err = time.monotonic(), None
    try:
        td.fn(t)
        res.passed = True
    except gl.TestFail as e:
        err = e
        res.reason, res.detail = e.reason, list(e.detail or [])
    except Exception:
        tb = traceback.format_exc().strip().split("\n")
        res.reason, res.detail = "grader error (please report): " + tb[-1], tb
    finally:
        try:
            t.close(linger=not res.passed)
        except Exception:
            pass
        if not res.passed:
            res.detail += explain_resets(t)
        res.seconds = time.monotonic() - start
        res.logs = [str(p) for p in t.logs]
        if err:
            res.context = context(err)
        if not res.passed:
            res.stubs = gl.earlier_stubs(td.lab, [b.text for b in t.boots])
        res.done.set()


def explain_resets(t):
    """For a failed test: why each of its boots that triple-faulted did
    (QEMU: the same boot again with -d int,cpu_reset)."""
    out = []
    for b in t.boots:
        try:
            out += b.explain_reset()
        except Exception as e:
            out.append(f"(could not trace the reset: {e})")
    return out


def skip(res, why, counts=True):
    res.skipped, res.reason, res.counts = why, f"skipped: {why}", counts
    res.done.set()


def schedule(results, cfg, jobs):
    """Run the tests on `jobs` worker threads, those with the longest time
    limits first (they are the slow boots).  A test with a parent waits for
    it and is skipped if it did not pass."""
    by_name = {(r.td.lab, r.td.name): r for r in results}
    cond = threading.Condition()
    pending = []
    for i, res in enumerate(results):
        if cfg.emu not in res.td.emus:
            note = res.td.emu_note or ("it needs " + " or ".join(
                res.td.emus) + " (its grader does not say why)")
            skip(res, f"not run under {cfg.emu}: {note}", counts=False)
        else:
            pending.append((-res.td.timeout, i, res))
    pending.sort(key=lambda p: p[:2])

    def parent_of(res):
        return by_name.get((res.td.lab, res.td.parent))

    def worker():
        while True:
            with cond:
                while True:
                    ready = [p for p in pending if not parent_of(p[2])
                             or parent_of(p[2]).done.is_set()]
                    if ready or not pending:
                        break
                    cond.wait()
                if not ready:
                    return
                pending.remove(ready[0])
            res, parent = ready[0][2], parent_of(ready[0][2])
            if parent and not parent.passed:
                skip(res, f"parent test {parent.td.name} did not pass")
            else:
                run_test(res, cfg, parent)
            with cond:
                cond.notify_all()

    for _ in range(jobs):
        threading.Thread(target=worker, daemon=True).start()


def report(res, width):
    td = res.td
    name = f"lab{td.lab} {td.name} "
    dots = name + "." * max(3, width - len(name))
    if res.skipped:
        print(f"{dots} SKIP ({res.skipped})", flush=True)
        return
    verdict = "OK" if res.passed else "FAIL"
    print(f"{dots} {verdict} ({res.seconds:.1f}s)")
    if not res.passed:
        print(f"    {res.reason}")
        for ln in res.detail:
            print(f"        {ln}")
        for ln in stub_lines(res.stubs):
            print(f"    {ln}")
        for ln in res.context:
            print(f"    {ln}")
        for p in res.logs:
            print(f"    log: {p}")
    sys.stdout.flush()


def stub_lines(stubs):
    """`finish or merge lab K first: ...` for the stubs of earlier labs
    that a failed test's boots showed (one line, or a list)."""
    out = []
    for lab, hints in stubs.items():
        head = f"finish or merge lab {lab} first:"
        out += [f"{head} {hints[0]}"] if len(hints) == 1 else \
            [head] + [f"  - {h}" for h in hints]
    return out


def on_signal(sig, frame):
    gl.kill_all()
    print(f"\ngrade: {signal.Signals(sig).name}: stopped; every emulator "
          "was killed", file=sys.stderr, flush=True)
    os._exit(128 + sig)


def main():
    args = parse_args()
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    rubric, scale = load_rubric(args.emu)
    tests = select_tests(args, rubric)
    build = Path(args.build).resolve()
    if not build.is_dir():
        sys.exit(f"grade: build directory {build} does not exist: run make")
    cfg = Config(build, args.emu, scale, args.mem)
    cfg.logdir.mkdir(parents=True, exist_ok=True)
    results = [Result(td) for td in tests]
    note = f", time limits x{scale:.2f}" if scale != 1.0 else ""
    print(f"grading {build} with {args.emu}, {max(1, args.jobs)} jobs{note}",
          flush=True)
    if args.filters:
        chosen = {}
        for r in results:
            chosen.setdefault(r.td.lab, []).append(r.td.name)
        print(f"tests whose name contains {' or '.join(args.filters)}: "
              + "; ".join(f"lab{n} " + " ".join(names)
                          for n, names in chosen.items()), flush=True)
    try:
        schedule(results, cfg, max(1, args.jobs))
        width = max(28, max(len(f"lab{r.td.lab} {r.td.name} ")
                            for r in results) + 4)
        for res in results:                 # print in definition order
            while not res.done.wait(0.2):
                pass
            report(res, width)
    finally:
        gl.kill_all()
    return summarize(results, args)


def summarize(results, args):
    passed = sum(r.passed for r in results)
    failed = sum(not r.passed and r.counts for r in results)
    for lab in sorted({r.td.lab for r in results}):
        rs = [r for r in results if r.td.lab == lab and r.counts]
        got = sum(r.td.points for r in rs if r.passed)
        print(f"Lab {lab} score: {got}/{sum(r.td.points for r in rs)}")
        early = sorted({k for r in rs for k in r.stubs})
        if early:
            names = f"lab {early[0]}" if len(early) == 1 else "labs " + \
                ", ".join(map(str, early[:-1])) + f" and {early[-1]}"
            print(f"    {names} {'is' if len(early) == 1 else 'are'} not "
                  f"finished in this tree (their stubs show in lab {lab}'s "
                  "failures): finish them, or merge the branch with your "
                  f"work (handouts/lab{lab}.md, \"Getting started\")")
    if args.json:
        Path(args.json).write_text(json.dumps({"tests": [{
            "lab": r.td.lab, "name": r.td.name, "passed": r.passed,
            "skipped": bool(r.skipped), "counted": r.counts,
            "score": r.td.points if r.passed else 0,
            "max_score": r.td.points, "seconds": round(r.seconds, 2),
            "reason": r.reason, "detail": r.detail,
            "earlier_labs": stub_lines(r.stubs),
            "context": r.context,
            "log": r.logs[0] if r.logs else None,
            "logs": r.logs} for r in results],
            "passed": passed, "failed": failed}, indent=2) + "\n")
    skipped = len(results) - passed - failed
    if skipped:
        print(f"({skipped} not run under {args.emu})")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
