#!/usr/bin/env python3
"""The Gradescope autograder of one lab.

  gradescope.py bundle --lab N OUT.zip    (make gradescope LAB=N)
  gradescope.py run [--root DIR]          (what run_autograder runs)

bundle writes Gradescope's autograder zip: setup.sh (installs the tools
on Gradescope's Ubuntu image and fails when QEMU or GRUB is too old),
run_autograder, grader.json (the grader's version, the trusted files) and
the lab-N student branch as `make labs` makes it, with labs/batch.py and
this file to run it.

run grades /autograder/submission (a whole tree, the files that changed,
a git repository or a `make handin` tarball) the way `make batch` does:
the submission over the lab's tree, then the trusted files (grader,
build, tests: labs/manifest) over it from the bundle, so a student cannot
change them. It builds, runs grade.py for the lab (each test has its time
limit from grade/rubric.json; the whole run has --timeout) and writes
/autograder/results/results.json. A submission that does not build,
hangs or panics gets a results.json that says so, never a crash. The
root is $NEXAOS_AUTOGRADER, or --root, or /autograder.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import batch  # noqa: E402
import mklabs  # noqa: E402

# Gradescope's images are Ubuntu. Every package keeps its Debian name
# (tools/deps.sh); bochs, bochsbios, vgabios, bochs-x, musl-tools and
# unifdef are in Ubuntu's universe component, which setup.sh enables.
# Ubuntu 22.04 has QEMU 6.2 and GRUB 2.06; 20.04's QEMU 4.2 is too old.
UBUNTU_PACKAGES = mklabs.UBUNTU_PACKAGES
QEMU_MIN, GRUB_MIN = "6.2", "2.04"

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's
# image (Ubuntu). It installs what NexaOS lab {lab} needs to build and be
# graded, and fails loudly when a tool is missing or too old.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
fail() {{ echo "setup.sh: $*" >&2; exit 1; }}
apt-get update -qq
# bochs, musl-tools, unifdef ... are in universe
if ! apt-cache policy 2>/dev/null | grep -q '/universe '; then
	apt-get install -y -qq software-properties-common
	add-apt-repository -y universe
	apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends {packages} ||
	fail "apt-get could not install: {packages}"
version_ge() {{ [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }}
v=$(qemu-system-x86_64 --version | head -n1 | sed 's/.*version \([0-9.]*\).*/\1/')
version_ge "$v" {qemu_min} ||
	fail "QEMU $v is too old: NexaOS needs {qemu_min} or newer (choose Gradescope's Ubuntu 22.04 image or newer)"
v=$(grub-mkrescue --version | sed 's/.* \([0-9][0-9.]*\).*/\1/')
version_ge "$v" {grub_min} || fail "GRUB $v is too old: NexaOS needs {grub_min} or newer"
[ -e /usr/share/ovmf/OVMF.fd ] || fail "/usr/share/ovmf/OVMF.fd is missing: the UEFI tests need the ovmf package's OVMF.fd"
# the tree's own check: every tool of the groups that `make grade` uses
cd "$(dirname "$0")"
sh tools/deps.sh check build iso qemu gdb {groups} || fail "tools/deps.sh found something missing"
echo "setup.sh: ready to grade NexaOS lab {lab} ($(qemu-system-x86_64 --version | head -n1))"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission. NEXAOS_AUTOGRADER moves the
# /autograder root (source, submission, results) to test it anywhere.
root=${NEXAOS_AUTOGRADER:-/autograder}
exec python3 "$root/source/labs/gradescope.py" run --root "$root"
"""


def git_version():
    """(git describe, commit) of this tree: the grader's version."""
    def out(*a):
        p = subprocess.run(["git", *a], cwd=mklabs.ROOT, capture_output=True, text=True)
        return p.stdout.strip() or "unknown"
    return out("describe", "--always", "--dirty", "--tags"), out("rev-parse", "HEAD")


def bundle(lab, dest, mode, visibility, timeout, scale):
    titles, rules, _ = mklabs.read_manifest()
    sol = lab - 1 if mode == "reference" else 0
    tree = mklabs.branch_files(lab, sol, mklabs.tracked_files(rules), rules, titles)
    trusted, patterns, owned = mklabs.trusted_files(lab, lab - 1)
    for path, data in trusted.items():
        if tree.get(path) != data:      # only files without solution markers
            mklabs.die(f"trusted file {path} differs between the branch and the grader")
    describe, commit = git_version()
    cfg = {"lab": lab, "title": titles.get(lab, ""), "mode": mode,
           "version": describe, "commit": commit,
           "bundled": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
           "visibility": visibility, "timeout": timeout, "timeout_scale": scale,
           "files": sorted(tree), "trusted": sorted(trusted),
           "patterns": patterns, "owned": owned}
    groups = "user" if lab >= 4 else ""
    if any(n == "bochs" for n in batch.lab_points(lab)):
        groups += " bochs"
    setup = SETUP_SH.format(lab=lab, packages=" ".join(UBUNTU_PACKAGES),
                            qemu_min=QEMU_MIN, grub_min=GRUB_MIN, groups=groups.strip())
    extra = {"setup.sh": (setup.encode(), True),
             "run_autograder": (RUN_AUTOGRADER.encode(), True),
             "grader.json": (json.dumps(cfg, indent=2).encode() + b"\n", False)}
    for name in ("batch.py", "mklabs.py", "gradescope.py", "manifest"):
        with open(os.path.join(mklabs.ROOT, "labs", name), "rb") as f:
            extra[f"labs/{name}"] = (f.read(), name.endswith(".py"))
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    tmp = dest + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        entries = {p: (d, os.access(os.path.join(mklabs.ROOT, p), os.X_OK))
                   for p, d in tree.items()}
        entries.update(extra)
        for path in sorted(entries):
            data, exe = entries[path]
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if exe else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(tmp, dest)
    print(f"gradescope: {dest}: lab {lab} ({mode} tree, {len(tree)} files, "
          f"{len(trusted)} trusted), grader {describe}")


# ---- run: inside the autograder ----

def submitted_tree(sub, lab, work, source, cfg):
    """Lays the submission out as a tree in work; returns how it was read.
    A git repository or a handin tarball is cloned (branch labN); a whole
    tree (a Makefile or .lab at the top, maybe inside one folder) is used
    as it is; anything else is laid over the lab's tree."""
    def visible(d):             # what a person put there, not an archiver's extras
        return [n for n in os.listdir(d) if not n.startswith(".") and n != "__MACOSX"]

    names = visible(sub)
    packed = [n for n in names if n.endswith((".tar.gz", ".tgz", ".bundle"))]
    if os.path.isdir(os.path.join(sub, ".git")):
        batch.checkout(sub, lab, work)
        return "a git repository"
    if len(packed) == 1 and len(names) == 1:
        batch.checkout(os.path.join(sub, packed[0]), lab, work)
        return f"the handin {packed[0]}"
    def whole(d):
        return os.path.exists(os.path.join(d, "Makefile")) or os.path.exists(os.path.join(d, ".lab"))
    top = sub
    while not whole(top):       # a zipped folder: the tree is inside it
        inner = visible(top)
        if len(inner) != 1 or not os.path.isdir(os.path.join(top, inner[0])):
            break
        top = os.path.join(top, inner[0])
    if not whole(top):
        top = sub               # some files (kernel/main.c): over the lab's tree
    if whole(top):
        shutil.copytree(top, work, symlinks=True)
        how = "a whole tree"
    else:
        for path in cfg["files"]:
            dst = os.path.join(work, path)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(os.path.join(source, path), dst)
        shutil.copytree(top, work, symlinks=True, dirs_exist_ok=True)
        how = "files laid over the lab's tree"
    shutil.rmtree(os.path.join(work, "build"), ignore_errors=True)    # build it here
    return how


def run(root):
    start = time.monotonic()
    source = os.path.join(root, "source")
    results = os.path.join(root, "results")
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(source, "grader.json")) as f:
        cfg = json.load(f)
    lab = cfg["lab"]
    banner = (f"Graded by the NexaOS lab {lab} grader {cfg['version']} "
              f"(commit {cfg['commit'][:12]}, bundled {cfg['bundled']}).")
    log = os.path.join(results, "grade.log")
    open(log, "w").close()
    tmp = tempfile.mkdtemp(prefix="nexaos-gradescope-")
    work = os.path.join(tmp, "src")
    result = {"tests": [], "reason": ""}
    how = ""
    try:
        how = submitted_tree(os.path.join(root, "submission"), lab, work, source, cfg)
        trusted = {}
        for path in cfg["trusted"]:
            with open(os.path.join(source, path), "rb") as f:
                trusted[path] = f.read()
        batch.overlay(work, trusted, cfg["patterns"], cfg["owned"])
        if cfg.get("timeout_scale"):
            os.environ["GRADE_TIMEOUT_SCALE"] = str(cfg["timeout_scale"])
        result = batch.grade_tree(work, lab, log, cfg["timeout"], os.cpu_count() or 1,
                                  os.path.join(tmp, "grade.json"))
    except (ValueError, OSError, batch.tarfile.TarError) as e:
        result["reason"] = f"cannot read the submission: {e}"
    except Exception:
        result["reason"] = ("autograder error (please tell the course staff):\n"
                            + traceback.format_exc())
    finally:
        batch.kill_leftovers(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
    gs = batch.results_json(result, lab, cfg.get("visibility"))
    gs["output"] = "\n".join(filter(None, [
        banner, f"Your submission was read as {how}." if how else "", result["reason"]]))
    gs["execution_time"] = round(time.monotonic() - start, 1)
    gs["stdout_visibility"] = "hidden"
    gs["extra_data"] = {"grader_version": cfg["version"], "grader_commit": cfg["commit"]}
    with open(os.path.join(results, "results.json"), "w") as f:
        json.dump(gs, f, indent=2)
    print(f"{banner}\nlab {lab}: {gs['score']}/{gs['max_score']}"
          + (f"\n{result['reason']}" if result["reason"] else ""))
    with open(log, "rb") as f:
        sys.stdout.write(f.read()[-20000:].decode(errors="replace"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bundle", help="write the autograder zip of one lab")
    b.add_argument("--lab", type=int, required=True)
    b.add_argument("out")
    b.add_argument("--mode", choices=["own", "reference"], default="own",
                   help="the lab tree a partial submission is laid over (as make labs MODE=)")
    b.add_argument("--visibility", default="visible",
                   choices=["visible", "hidden", "after_due_date", "after_published"],
                   help="when students see each test's result (Gradescope's visibility)")
    b.add_argument("--timeout", type=int, default=1800,
                   help="seconds for build and grading together (default 1800)")
    b.add_argument("--timeout-scale", type=float, default=0,
                   help="GRADE_TIMEOUT_SCALE for the tests' time limits (slow machines)")
    r = sub.add_parser("run", help="grade /autograder/submission (run_autograder)")
    r.add_argument("--root", default=os.environ.get("NEXAOS_AUTOGRADER") or "/autograder")
    a = ap.parse_args()
    if a.cmd == "bundle":
        if a.lab not in mklabs.existing_labs():
            mklabs.die(f"there is no lab {a.lab} (grade/lab{a.lab}.py)")
        bundle(a.lab, a.out, a.mode, a.visibility, a.timeout, a.timeout_scale)
    else:
        run(a.root)


if __name__ == "__main__":
    main()
