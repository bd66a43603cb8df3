#!/usr/bin/env python3
"""Grade a directory of submissions for one lab.

  batch.py --lab N SUBMISSIONS OUT [--timeout S] [--jobs J]

SUBMISSIONS holds git repositories (folders) and `make handin` tarballs
(labN-USER.tar.gz). Each one is graded in its own temporary copy, with the
trusted files of labs/manifest (grader, build, tests) taken from this tree,
so a student cannot pass by editing them. Submissions run in parallel, each
with a time limit; a submission that does not build, hangs, panics or
floods the console gets 0 for what it broke, with the reason, and never
stops the batch or leaves an emulator behind.

OUT gets results.csv (one row per student) and, per student, a folder with
Gradescope's results.json and the full grading log.
"""
import argparse
import concurrent.futures
import csv
import fnmatch
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mklabs  # noqa: E402

LOG_LIMIT = 4 << 20     # bytes of make/grader output kept per submission


def student_of(path):
    name = os.path.basename(path.rstrip("/"))
    for suffix in (".tar.gz", ".tgz", ".bundle", ".git"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def checkout(src, lab, work):
    """Clones submission src into work (branch labN when it has one)."""
    if os.path.isfile(src) and src.endswith((".tar.gz", ".tgz")):
        unpacked = os.path.join(os.path.dirname(work), "unpacked")
        with tarfile.open(src) as t:
            t.extractall(unpacked, filter="data")
        bundles = glob.glob(os.path.join(unpacked, "**", "*.bundle"), recursive=True)
        if not bundles:
            raise ValueError("the tarball holds no git bundle: was it made by make handin?")
        src = bundles[0]
    elif os.path.isfile(src) and src.endswith(".bundle"):
        pass                    # git clones a bundle as it does a repository
    elif not (os.path.isdir(src) and (os.path.isdir(os.path.join(src, ".git"))
                                      or os.path.isfile(os.path.join(src, "HEAD")))):
        raise ValueError("neither a git repository nor a handin tarball")
    p = subprocess.run(["git", "clone", "-q", "--no-hardlinks", src, work],
                       capture_output=True, text=True)
    if p.returncode:
        raise ValueError(f"git clone failed: {p.stderr.strip()}")
    subprocess.run(["git", "checkout", "-q", f"lab{lab}"], cwd=work,
                   capture_output=True)


def kill_leftovers(root):
    """Kills every process whose working directory lies under root."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(root):
                os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass


def run_limited(cmd, cwd, log, timeout):
    """Runs cmd in its own session, output appended to log (capped);
    returns its status, or None when it ran out of time."""
    with open(log, "ab") as out:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        written = 0
        os.set_blocking(p.stdout.fileno(), False)
        while True:
            chunk = p.stdout.read(65536)
            if chunk:
                if written < LOG_LIMIT:
                    out.write(chunk[: LOG_LIMIT - written])
                written += len(chunk)
            elif p.poll() is not None:
                break
            else:
                time.sleep(0.05)
            if time.monotonic() > deadline:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                return None
        if written > LOG_LIMIT:
            out.write(f"\n[batch: {written - LOG_LIMIT} more bytes of output dropped]\n".encode())
        return p.returncode


def tail(path, n=15):
    try:
        with open(path, "rb") as f:
            return "\n".join(f.read().decode(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def _real_dirs(work, path):
    """Makes every folder on the way to path a real folder inside work: a
    submission's symbolic link (grade -> elsewhere) would send the trusted
    files somewhere else."""
    d = work
    for part in path.split("/")[:-1]:
        d = os.path.join(d, part)
        if os.path.islink(d) or (os.path.exists(d) and not os.path.isdir(d)):
            os.remove(d)
        if not os.path.isdir(d):
            os.mkdir(d)


def overlay(work, files, patterns, owned=()):
    """Makes the trusted part of the tree work that of the grader: every
    file of work matching one of patterns is removed (a student's own
    grade/json.py would shadow the module the grader imports), but those
    in owned (the student writes them), then files {path: bytes} are
    written. Used by the batch grader and by the Gradescope autograder."""
    owned = set(owned)
    for dirpath, dirs, names in os.walk(work):
        if dirpath == work and ".git" in dirs:
            dirs.remove(".git")
        rel = os.path.relpath(dirpath, work)
        for n in names + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
            path = n if rel == "." else f"{rel}/{n}"
            if path not in owned and any(fnmatch.fnmatchcase(path, p) for p in patterns):
                os.remove(os.path.join(dirpath, n))
    for path, data in files.items():
        _real_dirs(work, path)
        full = os.path.join(work, path)
        if os.path.lexists(full):
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full)
            else:
                os.remove(full)
        with open(full, "wb") as f:
            f.write(data)
        if data.startswith(b"#!"):     # a script: run as tools/handin.sh is
            os.chmod(full, 0o755)


def grade_tree(work, lab, log, timeout, jobs, json_out):
    """Builds and grades lab in the tree work (its trusted files already
    laid over it); the result {"tests": [...], "reason": why it could not
    be graded or ""}. A tree that does not build, a grader that runs out
    of time and a kernel that panics are results, never exceptions."""
    result = {"tests": [], "reason": ""}
    status = run_limited(["make", "-s", "grade", f"LAB={lab}", f"JSON={json_out}",
                          f"JOBS={jobs}"], work, log, timeout)
    if status is None:
        result["reason"] = f"grading took longer than {timeout} s and was stopped"
    if os.path.exists(json_out):
        with open(json_out) as f:
            result["tests"] = json.load(f)["tests"]
    elif not result["reason"]:
        built = os.path.exists(os.path.join(work, "build", "kernel.elf"))
        result["reason"] = ("the grader did not finish" if built else
                            "the kernel does not build") + ":\n" + tail(log)
    return result


def grade_one(src, lab, out_dir, timeout, jobs, trusted):
    student = student_of(src)
    sdir = os.path.join(out_dir, student)
    os.makedirs(sdir, exist_ok=True)
    log = os.path.join(sdir, "grade.log")
    open(log, "w").close()
    tmp = tempfile.mkdtemp(prefix=f"nexaos-batch-{student}-")
    work = os.path.join(tmp, "src")
    result = {"student": student, "tests": [], "reason": ""}
    try:
        try:
            checkout(src, lab, work)
        except (ValueError, OSError, tarfile.TarError) as e:
            result["reason"] = f"cannot read the submission: {e}"
            return result
        overlay(work, *trusted)
        result.update(grade_tree(work, lab, log, timeout, jobs,
                                 os.path.join(tmp, "grade.json")))
        return result
    finally:
        kill_leftovers(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
        write_student(sdir, result, lab)


def lab_points(lab):
    """{test: points} of lab, from this tree's grade/rubric.json."""
    with open(os.path.join(mklabs.ROOT, "grade", "rubric.json")) as f:
        tests = json.load(f)["labs"][str(lab)]
    return {name: t["points"] for name, t in tests.items()}


OUTPUT_LIMIT = 8000     # characters of output per test


def test_output(t, reason):
    """What a student reads for one test: why it failed, the diff, and the
    serial output around the failure."""
    if t and t["passed"]:
        return "passed"
    if not t and reason:        # never ran: the reason in full is the run's output
        return "not run: " + reason.splitlines()[0]
    lines = [(t and t.get("reason")) or reason or "failed"]
    if t:
        lines += ["    " + l for l in t.get("detail") or []]
        lines += t.get("earlier_labs") or []
        lines += t.get("context") or []
    text = "\n".join(lines)
    if len(text) > OUTPUT_LIMIT:
        text = text[:OUTPUT_LIMIT] + "\n[... cut]"
    return text


def results_json(result, lab, visibility=None):
    """Gradescope's results.json for one graded tree. A test the grader
    never ran (the kernel did not build, time ran out) scores 0, with the
    reason."""
    ran = {t["name"]: t for t in result["tests"]}
    tests = []
    for name, points in lab_points(lab).items():
        t = ran.get(name)
        passed = bool(t and t["passed"])
        test = {"name": f"lab{lab} {name}", "score": points if passed else 0,
                "max_score": points, "output": test_output(t, result["reason"])}
        if visibility:
            test["visibility"] = visibility
        tests.append(test)
    gs = {"score": sum(t["score"] for t in tests),
          "max_score": sum(t["max_score"] for t in tests), "tests": tests}
    if result["reason"]:
        gs["output"] = result["reason"]
    return gs


def write_student(sdir, result, lab):
    gs = results_json(result, lab)
    with open(os.path.join(sdir, "results.json"), "w") as f:
        json.dump(gs, f, indent=2)
    result["score"], result["max_score"] = gs["score"], gs["max_score"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("submissions")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds per submission, build included (default 600)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="submissions graded at once (default: cores)")
    a = ap.parse_args()
    srcs = sorted(os.path.join(a.submissions, n) for n in os.listdir(a.submissions)
                  if not n.startswith("."))
    if not srcs:
        sys.exit(f"batch: no submissions in {a.submissions}")
    trusted = mklabs.trusted_files(a.lab, a.lab - 1)
    os.makedirs(a.out, exist_ok=True)
    # Each submission's grader gets the cores the batch leaves it.
    per = max(1, (os.cpu_count() or 1) // min(a.jobs, len(srcs)))
    rows = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(grade_one, s, a.lab, a.out, a.timeout, per, trusted): s
                   for s in srcs}
        for fut in concurrent.futures.as_completed(futures):
            r = fut.result()
            first = r["reason"].splitlines()[0] if r["reason"] else ""
            failed = [t["name"] for t in r["tests"] if not t["passed"]]
            print(f"{r['student']:24} {r['score']:4}/{r['max_score']:<4} {first}", flush=True)
            rows.append([r["student"], r["score"], r["max_score"],
                         " ".join(failed), first])
    rows.sort()
    with open(os.path.join(a.out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "score", "max_score", "failed_tests", "reason"])
        w.writerows(rows)
    print(f"batch: {len(rows)} submissions graded; {os.path.join(a.out, 'results.csv')}")


if __name__ == "__main__":
    main()
