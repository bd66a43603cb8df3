#!/usr/bin/env python3
"""GitHub Classroom's view of a grading run.

  python3 tools/classroom.py GRADE.json LAB >> "$GITHUB_OUTPUT"

Reads what `make grade LAB=N JSON=GRADE.json` wrote and prints
`result=BASE64`: the JSON that GitHub Classroom's reporter
(classroom-resources/autograding-grading-reporter) reads from a step's
`result` output, one entry per test with its points, so the classroom
records the lab's score. Every test of grade/rubric.json is listed: when
the grader wrote nothing (the kernel did not build) each scores 0 and
says so. The points also go to standard error, for the job's log.
"""
import base64
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def result(grade_json, lab):
    with open(os.path.join(ROOT, "grade", "rubric.json")) as f:
        points = {n: t["points"] for n, t in json.load(f)["labs"][str(lab)].items()}
    ran, why = {}, "the grader wrote no results: did the kernel build? (see the step's log)"
    try:
        with open(grade_json) as f:
            ran = {t["name"]: t for t in json.load(f)["tests"] if t.get("lab", lab) == lab}
    except (OSError, ValueError, KeyError) as e:
        why += f" ({e.__class__.__name__})"
    tests = []
    for name, pts in points.items():
        t = ran.get(name)
        ok = bool(t and t["passed"])
        tests.append({"name": f"lab{lab} {name}", "status": "pass" if ok else "fail",
                      "score": pts if ok else 0, "max_score": pts,
                      "message": "" if ok else (t and t.get("reason")) or why,
                      "line_no": 0, "test_code": f"make grade LAB={lab} TEST={name}"})
    return {"version": 1, "status": "pass" if all(t["status"] == "pass" for t in tests)
            else "fail", "max_score": sum(points.values()), "tests": tests}


def main():
    if len(sys.argv) != 3 or not sys.argv[2].isdigit():
        sys.exit(__doc__.strip().splitlines()[2].strip())
    r = result(sys.argv[1], int(sys.argv[2]))
    got = sum(t["score"] for t in r["tests"])
    print(f"Points {got}/{r['max_score']}", file=sys.stderr)
    print("result=" + base64.b64encode(json.dumps(r).encode()).decode())


if __name__ == "__main__":
    main()
