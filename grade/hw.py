#!/usr/bin/env python3
"""Hardware tests of the full tree (issue 14), not a student lab: NexaOS
in the configurations of a current PC.  Each grade/hw_*.py declares its
tests with gradelib.hwtest's hw_test (hw_fb.py: the framebuffer console,
read back from a QMP screendump as text with the kernel's own font).

    python3 grade/hw.py --build build [NAME...]

prints one line per test and "hw: N passed, M failed"; exit status 1 if
any failed.
"""
import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gradelib as gl                                   # noqa: E402
from gradelib.hwtest import HW                          # noqa: E402
from grade import Config, load_rubric                   # noqa: E402

for _mod in sorted(HERE.glob("hw_*.py")):
    importlib.import_module(_mod.stem)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default="build")
    p.add_argument("names", nargs="*", help="run the tests whose name contains one")
    args = p.parse_args()
    _, scale = load_rubric("qemu")
    cfg = Config(Path(args.build).resolve(), "qemu", scale, 64)
    cfg.logdir.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    try:
        for td in HW:
            if args.names and not any(n in td.name for n in args.names):
                continue
            t, start = gl.T(td, cfg), time.monotonic()
            try:
                td.fn(t)
                ok, why = True, t.data.get("note", "")
            except gl.TestFail as e:
                ok, why = False, "\n    ".join([e.reason] + list(e.detail or []))
            except Exception:
                ok, why = False, "grader error: " + traceback.format_exc()
            finally:
                t.close()
            passed, failed = passed + ok, failed + (not ok)
            print(f"hw {td.name:.<28} {'OK' if ok else 'FAIL'} "
                  f"({time.monotonic() - start:.1f}s){': ' + why if why else ''}",
                  flush=True)
    finally:
        gl.kill_all()
    print(f"hw: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
