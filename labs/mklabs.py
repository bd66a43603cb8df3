#!/usr/bin/env python3
"""Generate the student lab branches from this (full) tree.

  mklabs.py DEST [--mode own|reference]

writes branches lab1..labN (one per grade/labN.py) into the git repository
DEST (created if missing). Branch labN holds the files labs/manifest gives
to lab N, with every `#if SOL >= k` resolved by unifdef. A later lab's
subsystem plugs into earlier files by registration (kernel/include/
init.h), so a branch needs nothing but the right files:

  reference: SOL=N-1, so lab N starts from the reference solutions of
             the labs before it;
  own:       SOL=0 on every branch, so students carry their own solutions
             forward when they merge the next branch.

The commit of lab{N+1} has lab{N}'s as a parent (merge the next lab and
keep your code). Re-running adds commits on top of the existing branches
and never rewrites them; a branch whose content did not change is left as
it is. `mklabs.py --check DEST` verifies the branches (see check_branch).
"""
import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SOL = 7
UNIFDEF_SUFFIXES = (".c", ".h", ".S")
# What building and grading a lab needs on Ubuntu (Gradescope's images,
# GitHub's runners): the Debian names of tools/deps.sh, which Ubuntu
# shares; bochs*, vgabios, musl-* and unifdef are in Ubuntu's universe.
UBUNTU_PACKAGES = ("gcc make binutils python3 git ca-certificates grub-common grub-pc-bin "
                   "grub-efi-amd64-bin xorriso mtools qemu-system-x86 ovmf bochs bochsbios "
                   "vgabios bochs-x gdb musl-tools musl-dev cpio libcrypt-dev unifdef "
                   "libcmocka-dev").split()
WORKFLOW = ".github/workflows/grade.yml"


def die(msg):
    sys.exit(f"mklabs: {msg}")


def git(*args, cwd=ROOT, env=None, input=None):
    p = subprocess.run(["git", *args], cwd=cwd, env=env, input=input,
                       capture_output=True, text=True)
    if p.returncode:
        die(f"git {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout.strip()


def read_manifest():
    """(titles {lab: text}, rules [(pattern, first lab or None)], trusted patterns)."""
    titles, rules, trusted = {}, [], []
    with open(os.path.join(ROOT, "labs/manifest")) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("title "):
                _, lab, text = line.split(None, 2)
                titles[int(lab)] = text
                continue
            if line.startswith("trusted "):
                trusted.append(line.split()[1])
                continue
            f_ = line.split()
            if len(f_) != 2 or not (f_[1] == "never" or f_[1].isdigit()):
                die(f"labs/manifest:{n}: expected 'PATTERN FIRST-LAB|never'")
            rules.append((f_[0], None if f_[1] == "never" else int(f_[1])))
    return titles, rules, trusted


def first_lab(path, rules):
    for pattern, lab in rules:
        if fnmatch.fnmatchcase(path, pattern):
            return lab if lab is not None else 0
    die(f"{path} matches no rule in labs/manifest: add one")


def existing_labs():
    labs = []
    for name in os.listdir(os.path.join(ROOT, "grade")):
        m = re.fullmatch(r"lab(\d+)\.py", name)
        if m:
            labs.append(int(m.group(1)))
    return sorted(labs)


def resolve(path, sol):
    """The file's text for a branch built with SOL=sol."""
    src = os.path.join(ROOT, path)
    if not path.endswith(UNIFDEF_SUFFIXES):
        with open(src, "rb") as f:
            return f.read()
    p = subprocess.run(["unifdef", f"-DSOL={sol}", "-x", "2",
                        "-B", src],
                       capture_output=True)
    if p.returncode:
        die(f"unifdef {path}: {p.stderr.decode().strip()}")
    return p.stdout


def branch_files(lab, sol, files, rules, titles):
    """{path: bytes} of branch lab."""
    out = {}
    for path in files:
        first = first_lab(path, rules)
        if first and first <= lab:
            out[path] = resolve(path, sol)
    with open(os.path.join(ROOT, "labs/README.lab.md")) as f:
        readme = f.read().replace("{lab}", str(lab)).replace(
            "{title}", titles.get(lab, f"lab {lab}"))
    out["README.md"] = readme.encode()
    with open(os.path.join(ROOT, "labs/classroom.yml")) as f:
        out[WORKFLOW] = f.read().replace("{lab}", str(lab)).replace(
            "{packages}", " ".join(UBUNTU_PACKAGES)).encode()
    out[".lab"] = f"{lab}\n".encode()
    return out


def write_files(files, dest):
    """Writes {path: bytes} under dest, executable where the source is."""
    for path, data in files.items():
        full = os.path.join(dest, path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        src = os.path.join(ROOT, path)
        if os.path.exists(src) and os.access(src, os.X_OK):
            os.chmod(full, 0o755)


def write_tree(dest_git, files):
    """A git tree object in dest holding files."""
    with tempfile.TemporaryDirectory() as work, tempfile.TemporaryDirectory() as idx:
        write_files(files, work)
        env = dict(os.environ, GIT_DIR=dest_git, GIT_WORK_TREE=work,
                   GIT_INDEX_FILE=os.path.join(idx, "index"))
        git("add", "-A", ".", cwd=work, env=env)
        return git("write-tree", cwd=work, env=env)


def tracked_files(rules):
    files = [p for p in git("ls-files").splitlines()
             if os.path.isfile(os.path.join(ROOT, p))]
    for p in files:
        first_lab(p, rules)     # every file must have a rule
    return files


def export(lab, sol, dest, only=None):
    """Writes branch lab's files (built with SOL=sol) under dest; with
    only, just the files matching one of those patterns."""
    titles, rules, _ = read_manifest()
    files = branch_files(lab, sol, tracked_files(rules), rules, titles)
    write_files({p: d for p, d in files.items()
                 if only is None or any(fnmatch.fnmatchcase(p, o) for o in only)}, dest)


MARKER = re.compile(rb"^[ \t]*#[ \t]*(if|elif)\b.*\bSOL\b", re.M)


def trusted_files(lab, sol):
    """(files, patterns, owned) for grading lab N: files {path: bytes} are
    branch lab's files (built with SOL=sol) that a grader takes from this
    tree, not from a submission: those matching a `trusted` pattern of
    labs/manifest. A file under such a pattern that holds solution
    markers is the student's to write (lab 7's user/lib/session.c), so it
    is left out and listed in owned."""
    titles, rules, patterns = read_manifest()
    files = branch_files(lab, sol, tracked_files(rules), rules, titles)
    out, owned = {}, []
    for path, data in files.items():
        if not any(fnmatch.fnmatchcase(path, o) for o in patterns):
            continue
        with open(os.path.join(ROOT, path), "rb") as f:
            if MARKER.search(f.read()):
                owned.append(path)
                continue
        out[path] = data
    return out, patterns, sorted(owned)


def generate(dest, mode):
    titles, rules, _ = read_manifest()
    files = tracked_files(rules)
    labs = existing_labs()
    if not labs:
        die("no grade/labN.py: no labs to generate")
    if not os.path.isdir(os.path.join(dest, ".git")):
        os.makedirs(dest, exist_ok=True)
        git("init", "-q", "-b", "lab1", dest)
        git("config", "nexaos.mode", mode, cwd=dest)
    old_mode = subprocess.run(["git", "config", "nexaos.mode"], cwd=dest,
                              capture_output=True, text=True).stdout.strip()
    if old_mode and old_mode != mode:
        die(f"{dest} holds '{old_mode}' branches; refusing to add '{mode}' ones")
    dest_git = os.path.join(os.path.abspath(dest), ".git")
    source = git("rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "-uno") else ""
    prev = None
    for lab in labs:
        sol = lab - 1 if mode == "reference" else 0
        tree = write_tree(dest_git, branch_files(lab, sol, files, rules, titles))
        ref = f"refs/heads/lab{lab}"
        head = subprocess.run(["git", "rev-parse", "-q", "--verify", ref], cwd=dest,
                              capture_output=True, text=True).stdout.strip()
        parents = [head] if head else []
        if prev and not (head and subprocess.run(
                ["git", "merge-base", "--is-ancestor", prev, head], cwd=dest).returncode == 0):
            parents.append(prev)
        if head and len(parents) == 1 and git("rev-parse", f"{head}^{{tree}}", cwd=dest) == tree:
            print(f"lab{lab}: unchanged ({head[:10]})")
            prev = head
            continue
        args = ["commit-tree", tree, "-m",
                f"Lab {lab}: {titles.get(lab, '')}\n\nGenerated from NexaOS {source}{dirty}, {mode} mode."]
        for p in parents:
            args += ["-p", p]
        commit = git(*args, cwd=dest)
        git("update-ref", ref, commit, *([head] if head else []), cwd=dest)
        print(f"lab{lab}: {commit[:10]} ({'updated' if head else 'new'}, SOL={sol})")
        prev = commit
    git("symbolic-ref", "HEAD", f"refs/heads/lab{labs[0]}", cwd=dest)


def solution_lines(sol):
    """Substantial lines found only in solutions above SOL=sol, by file:
    lines that no file of the tree built with SOL=sol contains."""
    full, kept = {}, set()
    for path in git("ls-files").splitlines():
        if not os.path.isfile(os.path.join(ROOT, path)):
            continue
        try:
            kept |= {l.strip() for l in resolve(path, sol).decode().splitlines()}
            if path.endswith(UNIFDEF_SUFFIXES):
                full[path] = {l.strip() for l in resolve(path, MAX_SOL).decode().splitlines()}
        except UnicodeDecodeError:
            continue
    leaks = {}
    for path, lines in full.items():
        only = {l for l in lines - kept if len(l) >= 16}
        if only:
            leaks[path] = only
    return leaks


def check_branch(dest, lab, mode):
    """Problems of branch lab: SOL mentioned, solution text leaked, instructor files."""
    sol = lab - 1 if mode == "reference" else 0
    problems = []
    names = git("ls-tree", "-r", "--name-only", f"lab{lab}", cwd=dest).splitlines()
    texts = {}
    for name in names:
        if name.startswith(("solutions/", "labs/", ".ci/")):
            problems.append(f"instructor file {name} is in lab{lab}")
        data = subprocess.run(["git", "show", f"lab{lab}:{name}"], cwd=dest,
                              capture_output=True).stdout
        try:
            texts[name] = data.decode()
        except UnicodeDecodeError:
            continue
        # STAGE: the old staging markers, replaced by registration.
        for word in ("SOL", "STAGE"):
            if re.search(rf"\b{word}\b", texts[name]):
                problems.append(f"{name} mentions {word}")
    every_line = {l.strip() for t in texts.values() for l in t.splitlines()}
    for path, lines in solution_lines(sol).items():
        for l in sorted(lines & every_line):
            problems.append(f"solution text from {path} leaked into lab{lab}: {l!r}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest")
    ap.add_argument("--mode", choices=["own", "reference"], default="own")
    ap.add_argument("--check", action="store_true", help="verify DEST's branches")
    a = ap.parse_args()
    if shutil.which("unifdef") is None:
        die("unifdef is missing: apt-get install unifdef (or make deps)")
    if not a.check:
        generate(a.dest, a.mode)
        return
    mode = git("config", "nexaos.mode", cwd=a.dest)
    bad = 0
    for lab in existing_labs():
        problems = check_branch(a.dest, lab, mode)
        bad += bool(problems)
        print(f"lab{lab}: {'ok' if not problems else 'FAIL'}")
        for p in problems:
            print(f"  {p}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
