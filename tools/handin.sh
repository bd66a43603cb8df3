#!/bin/sh
# make handin: package this lab branch's commits for submission.
# Writes build/handin/labN-USER.tar.gz holding a git bundle of the branch.
set -eu
lab=$(cat .lab 2>/dev/null || true)
if [ -z "$lab" ]; then
	echo "handin: this is not a lab branch (no .lab file); nothing to hand in" >&2
	exit 1
fi
branch=$(git symbolic-ref --short -q HEAD || echo "(detached HEAD)")
if [ "$branch" != "lab$lab" ]; then
	echo "handin: you are on '$branch', but this work is lab $lab." >&2
	echo "handin: check out lab$lab (git checkout lab$lab) and hand in from there." >&2
	exit 1
fi
dirty=$(git status --porcelain)
if [ -n "$dirty" ]; then
	echo "handin: commit (or remove) these changes first; only commits are handed in:" >&2
	echo "$dirty" | sed 's/^/  /' >&2
	exit 1
fi
# The handout asks for answers to its questions in answers-labN.md: say
# so when the commit being handed in has none (a warning: the code counts).
answers="answers-lab$lab.md"
if grep -q "$answers" "handouts/lab$lab.md" 2>/dev/null &&
		! git cat-file -e "HEAD:$answers" 2>/dev/null; then
	echo "handin: warning: $answers is missing: handouts/lab$lab.md asks for your" >&2
	echo "handin: answers to its questions in it. Write it, commit it, and run make handin again." >&2
fi
user=$(git config user.email 2>/dev/null | sed 's/@.*//' | tr -cd 'A-Za-z0-9._-')
[ -n "$user" ] || user=$(id -un | tr -cd 'A-Za-z0-9._-')
name="lab$lab-$user"
out="build/handin"
tmp="$out/$name"
rm -rf "$tmp"
mkdir -p "$tmp"
git bundle create -q "$tmp/$name.bundle" "lab$lab"
{
	echo "lab=$lab"
	echo "user=$user"
	echo "commit=$(git rev-parse HEAD)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$tmp/HANDIN"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
rm -rf "$tmp"
echo "handin: wrote $out/$name.tar.gz (lab $lab, commit $(git rev-parse --short HEAD))"
echo "handin: submit that file as your course tells you."
