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
   and a kernel that panics at boot 0, and leaves no emulator running;
5. the Gradescope autograder (make gradescope) of lab 1, run in a scratch
   /autograder, scores the reference, the skeleton, a submission with its
   own grader, one that does not build and one that panics;
6. every student branch's GitHub Classroom workflow parses and runs
   commands the branch has.

`runtests.py STEP...` runs only those steps (unit full branches batch
gradescope classroom).

The last line, "N passed, N failed", counts every unit test, every
grader test on the full tree, every hardware test and every expectation of the skeleton proof,
the batch, Gradescope and classroom checks.
"""
import argparse
import base64
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


def emulators(tag="nexaos-batch-"):
    """PIDs of emulator processes still running that the batch grader (or
    the Gradescope autograder, tag nexaos-gradescope-) started: they run
    in (or name) one of its TAG* copies."""
    p = subprocess.run(["pgrep", "-f", "qemu-system|bochs"], capture_output=True, text=True)
    mine = set()
    for pid in p.stdout.split():
        try:
            where = os.readlink(f"/proc/{pid}/cwd")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                where += f.read().decode(errors="replace")
        except OSError:
            continue            # gone meanwhile
        if tag in where:
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
            add_panic(d)
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


def lab_submission(d, lab, sol):
    """Writes branch lab's tree with the solutions of labs 1..sol into d."""
    sys.path.insert(0, os.path.join(ROOT, "labs"))
    import mklabs
    mklabs.export(lab, sol, d)


def add_panic(d):
    """The reference with a panic right after the banner (a student bug)."""
    main = os.path.join(d, "kernel", "main.c")
    with open(main) as f:
        text = f.read()
    text = text.replace("\tprint_banner(parsed);\n",
                        "\tprint_banner(parsed);\n\tpanic(\"student bug\");\n")
    with open(main, "w") as f:
        f.write("#include <panic.h>\n" + text)


FAKE_GRADER = """import json, os, sys
if "--json" not in sys.argv:        # as $(PYTHON): run the other scripts
    os.execvp("python3", ["python3"] + sys.argv[1:])
lab = sys.argv[sys.argv.index("--lab") + 1]
tests = json.load(open("grade/rubric.json"))["labs"][lab]
out = sys.argv[sys.argv.index("--json") + 1]
json.dump({"tests": [{"lab": int(lab), "name": n, "passed": True, "score": t["points"],
  "max_score": t["points"]} for n, t in tests.items()]}, open(out, "w"))
print(f"{len(tests)} passed, 0 failed")
"""


def gradescope(tmp):
    """make gradescope writes a bundle for every lab; lab 1's (or those of
    NEXAOS_GRADESCOPE_LABS=2,4: by hand, they take longer), unpacked into
    a scratch /autograder as Gradescope lays it out, grades five
    submissions: the reference (full marks, a whole tree), the skeleton
    (0, inside a folder), a skeleton whose grader was replaced by one
    that passes everything, with a GNUmakefile, a labs/instructor.mk and
    a build/*.d that would each run it, in a git repository (0: the
    trusted grader runs every test), one
    that does not build (0, says so; only its kernel/main.c submitted)
    and one that panics (0, the panic shown; a git repository)."""
    out = os.path.join(tmp, "gradescope")
    bundles = []
    for lab in labs():
        z = os.path.join(out, f"lab{lab}.zip")
        p = run([sys.executable, "labs/gradescope.py", "bundle", "--lab", str(lab), z],
                capture_output=True, text=True)
        if p.returncode == 0 and os.path.exists(z):
            bundles.append(lab)
        else:
            sys.stdout.write(p.stdout + p.stderr)
    record("make gradescope writes every lab's bundle", bundles == labs(),
           f"labs {bundles}")
    for lab in map(int, (os.environ.get("NEXAOS_GRADESCOPE_LABS") or "1").split(",")):
        if lab in bundles:
            autograder(tmp, os.path.join(out, f"lab{lab}.zip"), lab)


def commit(d, lab, *add):
    """Makes the tree d a git repository with its files committed on labN."""
    git = ["git", "-c", "user.name=S", "-c", "user.email=s@example.edu"]
    subprocess.run(git + ["init", "-q", "-b", f"lab{lab}", d], check=True)
    subprocess.run(git + ["add", "-A"], cwd=d, check=True)
    if add:
        subprocess.run(git + ["add", *add], cwd=d, check=True)
    subprocess.run(git + ["commit", "-qm", f"my lab {lab}"], cwd=d, check=True)


def autograder(tmp, bundle, lab):
    import zipfile
    ag = os.path.join(tmp, f"autograder{lab}")
    with zipfile.ZipFile(bundle) as z:
        z.extractall(os.path.join(ag, "source"))
        names = set(z.namelist())
    with open(os.path.join(ag, "source", "grader.json")) as f:
        cfg = json.load(f)
    leaked = [n for n in names if n.startswith(("solutions/", ".ci/"))]
    record(f"gradescope: the lab-{lab} bundle holds setup.sh, run_autograder and the lab tree",
           {"setup.sh", "run_autograder", "grader.json", "Makefile", f"grade/lab{lab}.py"} <= names
           and f"grade/lab{lab + 1}.py" not in names and not leaked, f"{len(names)} files")
    shutil.copy(os.path.join(ag, "source", "run_autograder"), os.path.join(ag, "run_autograder"))
    os.chmod(os.path.join(ag, "run_autograder"), 0o755)
    env = dict(os.environ, NEXAOS_AUTOGRADER=ag)

    def submit(name, make):
        sub = os.path.join(ag, "submission")
        shutil.rmtree(sub, ignore_errors=True)
        shutil.rmtree(os.path.join(ag, "results"), ignore_errors=True)
        os.makedirs(sub)
        make(sub)
        before = emulators("nexaos-gradescope-")
        start = time.time()
        p = run([os.path.join(ag, "run_autograder")], env=env, capture_output=True, text=True)
        took = time.time() - start
        try:
            with open(os.path.join(ag, "results", "results.json")) as f:
                gs = json.load(f)
        except (OSError, ValueError) as e:
            sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
            gs = {"score": -1, "max_score": 0, "tests": [], "output": f"no results.json: {e}"}
        left = emulators("nexaos-gradescope-") - before
        print(f"gradescope lab {lab} {name}: {gs['score']}/{gs['max_score']} in {took:.0f}s",
              flush=True)
        if gs["score"] and name != "reference":
            print("\n".join(f"  {t['name']}: {t['score']}" for t in gs["tests"] if t["score"]))
        ok = (p.returncode == 0 and not left and gs.get("extra_data", {}).get("grader_commit")
              == cfg["commit"] and gs["score"] == sum(t["score"] for t in gs["tests"]))
        return gs, ok, f"{gs['score']}/{gs['max_score']} in {took:.0f}s" + (
            f"; emulators left: {left}" if left else "")

    gs, ok, detail = submit("reference", lambda d: lab_submission(d, lab, lab))
    if gs["score"] != gs["max_score"]:
        print("\n".join(f"  {t['name']}: {t['output'][:300]}" for t in gs["tests"]
                        if t["score"] != t["max_score"]))
    record(f"gradescope lab {lab}: the reference scores full marks",
           ok and gs["score"] == gs["max_score"] > 0, detail)

    gs, ok, detail = submit("skeleton",
                            lambda d: lab_submission(os.path.join(d, f"nexaos-lab{lab}"), lab, lab - 1))
    record(f"gradescope lab {lab}: the skeleton scores 0", ok and gs["score"] == 0 and gs["tests"],
           detail)

    def tampered(d):
        lab_submission(d, lab, lab - 1)
        with open(os.path.join(d, "grade", "grade.py"), "w") as f:
            f.write(FAKE_GRADER)
        with open(os.path.join(d, "grade", "fnmatch.py"), "w") as f:
            f.write("raise SystemExit('a student module shadowed the grader')\n")
        # each of these alone would make `make grade` run cheat.py
        with open(os.path.join(d, "cheat.py"), "w") as f:
            f.write(FAKE_GRADER)
        cheat = ".PHONY: grade\ngrade:\n\tpython3 cheat.py --lab $(LAB) --json $(JSON)\n"
        with open(os.path.join(d, "GNUmakefile"), "w") as f:
            f.write(cheat)
        os.makedirs(os.path.join(d, "labs"))
        with open(os.path.join(d, "labs", "instructor.mk"), "w") as f:
            f.write("PYTHON := python3 cheat.py\n")
        os.makedirs(os.path.join(d, "build", "kernel"))
        with open(os.path.join(d, "build", "kernel", "main.c.d"), "w") as f:
            f.write(cheat)
        commit(d, lab, "-f", "build")   # a repository: build/ is not dropped with it
    gs, ok, detail = submit("tampered", tampered)
    ran = [t for t in gs["tests"] if not t["output"].startswith("not run")]
    record(f"gradescope lab {lab}: a submission's own grader is ignored (0, every test run "
           "by the trusted one)",
           ok and gs["score"] == 0 and gs["tests"] and len(ran) == len(gs["tests"]), detail)

    def broken(d):
        os.makedirs(os.path.join(d, "kernel"))
        src = os.path.join(tmp, f"broken-src{lab}")
        lab_submission(src, lab, lab)
        with open(os.path.join(src, "kernel", "main.c")) as f:
            text = f.read()
        with open(os.path.join(d, "kernel", "main.c"), "w") as f:
            f.write(text + "\nint broken(void) { return }\n")
    gs, ok, detail = submit("broken", broken)
    record(f"gradescope lab {lab}: a tree that does not build scores 0 and says so",
           ok and gs["score"] == 0 and "does not build" in gs.get("output", ""), detail)

    def panics(d):
        lab_submission(d, lab, lab)
        add_panic(d)
        commit(d, lab)
    gs, ok, detail = submit("panics", panics)
    record(f"gradescope lab {lab}: a kernel that panics scores 0, with the panic in the output",
           ok and gs["score"] == 0 and any("panic" in t["output"].lower() for t in gs["tests"]),
           detail)


def make_targets(makefile):
    """The targets a Makefile's text defines (rules and .PHONY)."""
    names = set()
    for line in makefile.splitlines():
        m = re.match(r"^([A-Za-z0-9_.%/ -]+?)\s*:(?![:=])", line)
        if m and not line.startswith("\t"):
            names.update(m.group(1).split())
    return names


def workflow_problems(repo, lab, yaml):
    """What is wrong with branch labN's GitHub Classroom workflow: YAML,
    the classroom's job and reporter wiring, and every make target and
    file its commands name existing in the branch."""
    def show(path):
        p = subprocess.run(["git", "show", f"lab{lab}:{path}"], cwd=repo,
                           capture_output=True, text=True)
        return p.stdout if p.returncode == 0 else None
    text = show(".github/workflows/grade.yml")
    if text is None:
        return ["no .github/workflows/grade.yml"]
    try:
        wf = yaml.safe_load(text)
    except yaml.YAMLError as e:
        return [f"not YAML: {e}"]
    files = set(subprocess.run(["git", "ls-tree", "-r", "--name-only", f"lab{lab}"],
                               cwd=repo, capture_output=True, text=True).stdout.split())
    targets = make_targets(show("Makefile") or "")
    bad = []
    if "push" not in (wf.get("on") or {}):
        bad.append("does not run on push")
    job = (wf.get("jobs") or {}).get("grade") or {}
    if job.get("name") != "Autograding Tests":      # the check run the reporter updates
        bad.append("the job is not named 'Autograding Tests'")
    steps = job.get("steps") or []
    ids = {s.get("id") for s in steps}
    known = {"actions/checkout@v4", "classroom-resources/autograding-grading-reporter@v1"}
    for s in steps:
        if "uses" in s and s["uses"] not in known:
            bad.append(f"unknown action {s['uses']}")
        if s.get("uses", "").startswith("classroom-resources/autograding-grading-reporter"):
            for r in str((s.get("with") or {}).get("runners", "")).split(","):
                r = r.strip()
                want = "${{ steps.%s.outputs.result }}" % r
                if r not in ids or (s.get("env") or {}).get(f"{r.upper()}_RESULTS") != want:
                    bad.append(f"the reporter's runner {r!r} is not wired to a step's result")
        for line in (s.get("run") or "").splitlines():
            for cmd in re.split(r"\|\||&&|;", line.split(">>")[0]):
                words = cmd.split()
                if words[:1] == ["sudo"]:
                    words = words[1:]
                if words[:1] == ["make"]:
                    for w in words[1:]:
                        if not w.startswith("-") and "=" not in w and w not in targets:
                            bad.append(f"make {w}: no such target in the branch's Makefile")
                for w in words[1:]:
                    if re.fullmatch(r"[\w.-]+/[\w./-]+", w) and not w.startswith("build/") \
                            and w not in files:
                        bad.append(f"{w}: no such file in the branch")
                if words and "/" in words[0] and words[0] not in files:
                    bad.append(f"{words[0]}: no such file in the branch")
    if not any(f"LAB={lab}" in (s.get("run") or "") for s in steps):
        bad.append(f"no step grades lab {lab}")
    return bad


def classroom(tmp, repo=None):
    """Every student branch carries a GitHub Classroom workflow that
    parses, whose commands exist in the branch, and whose points line
    (tools/classroom.py) gives the lab's full score for a passing run and
    0 for one whose kernel did not build."""
    try:
        import yaml
    except ImportError:
        record("classroom workflows", False, "python3-yaml is missing (make deps)")
        return
    if repo is None:
        repo = os.path.join(tmp, "labs")
        run([sys.executable, "labs/mklabs.py", repo, "--mode", "reference"],
            capture_output=True)
    with open(os.path.join(ROOT, "grade", "rubric.json")) as f:
        rubric = json.load(f)["labs"]
    for lab in labs():
        bad = workflow_problems(repo, lab, yaml)
        where = os.path.join(tmp, f"classroom{lab}")
        if not bad:
            subprocess.run(["git", "worktree", "add", "-q", "--detach", where, f"lab{lab}"],
                           cwd=repo, capture_output=True)
            full = os.path.join(where, "full.json")
            with open(full, "w") as f:
                json.dump({"tests": [{"lab": lab, "name": n, "passed": True}
                                     for n in rubric[str(lab)]]}, f)
            total = sum(t["points"] for t in rubric[str(lab)].values())
            for grade_json, want in ((full, total), ("missing.json", 0)):
                p = subprocess.run([sys.executable, "tools/classroom.py", grade_json, str(lab)],
                                   cwd=where, capture_output=True, text=True)
                m = re.fullmatch(r"result=(\S+)\n", p.stdout)
                r = json.loads(base64.b64decode(m.group(1))) if m else {}
                got = sum(t.get("score", 0) for t in r.get("tests", []))
                if r.get("max_score") != total or got != want:
                    bad.append(f"tools/classroom.py on {os.path.basename(grade_json)}: "
                               f"{got}/{r.get('max_score')}, expected {want}/{total}")
        record(f"lab{lab} branch's classroom workflow", not bad, "; ".join(bad))


STEPS = ("unit", "full", "branches", "batch", "gradescope", "classroom")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("steps", nargs="*", metavar="STEP",
                    help="run only these steps (default: all): " + " ".join(STEPS))
    steps = ap.parse_args().steps or STEPS
    for s in steps:
        if s not in STEPS:
            ap.error(f"no step {s!r}; the steps are: {' '.join(STEPS)}")
    start = time.time()
    if "unit" in steps:
        unit_tests()
    if "full" in steps:
        full_tree()
    with tempfile.TemporaryDirectory(prefix="nexaos-test-") as tmp:
        repo = None
        if "branches" in steps:
            branches(tmp)
            repo = os.path.join(tmp, "labs")
        if "batch" in steps:
            batch(tmp)
        if "gradescope" in steps:
            gradescope(tmp)
        if "classroom" in steps:
            classroom(tmp, repo)
    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    print(f"\n=== summary ({time.time() - start:.0f}s) ===")
    for name, p, f, detail in results:
        print(f"  {'FAIL' if f else 'ok  '} {name}{' (' + detail + ')' if detail else ''}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
