"""Gradescope: build the autograder zip (``nox -s gradescope``) and grade inside it.

The zip holds ``setup.sh`` and ``run_autograder`` at its top, the engine, the graders, every
``exercise.yaml`` and the pinned requirements. Gradescope unpacks it into
``/autograder/source``, runs ``setup.sh`` once per image (a virtualenv with the pinned
requirements in ``/autograder/venv``), then ``run_autograder`` for each submission: that calls
``python -m grading.commands.gradescope``, which finds the exercise folders wherever the submission has
them (a clone of the course, ``flask-exercises-main/`` from GitHub's *Download ZIP*, just the
exercise folders), grades a private copy of them with the bundle's own graders, never the
submission's copies, as many at once as the container has CPUs (often half of one), and writes
``/autograder/results/results.json`` in one step.

``AUTOGRADER_ROOT`` (default ``/autograder``) moves the whole layout, so tests can run it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from grading.judge import sandboxes
from grading.judge.course import COURSE_DIR, load_course
from grading.judge.integrity import MANIFEST, warning, watched_files
from grading.judge.submissions import find_exercise_root, private_copy, write_atomic
from grading.judge.walk import remove_tree
from grading.outputs.gradescope import explain_missing, results_json

BUNDLE = Path("dist") / "gradescope-autograder.zip"

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
# `venv --help` works without ensurepip, but creating a venv with pip needs it
if ! python3 -m ensurepip --version >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-venv
fi
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --upgrade pip
"$ROOT/venv/bin/python" -m pip install --quiet -r "$ROOT/source/requirements/grading.txt"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: grade it with this bundle's graders.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
cd "$ROOT/source" && exec "$PYTHON" -I grading/_boot.py grading.commands.gradescope:main --autograder-root "$ROOT" "$@"
"""


# -- building the zip ---------------------------------------------------------------------------


def bundle_files(course_dir: Path) -> list[str]:
    """What the zip carries besides the two scripts, relative to ``course_dir``: every file that
    decides a score (the engine, the graders, the pinned requirements), the graders' manifest and
    every ``exercise.yaml``."""
    files = watched_files(course_dir)
    if (course_dir / MANIFEST).is_file():
        files.append(MANIFEST.as_posix())
    return files + [f"exercises/{e.id}/exercise.yaml" for e in load_course(course_dir)]


def build(course_dir: Path = COURSE_DIR, out: Path | None = None) -> Path:
    out = out or course_dir / BUNDLE
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable
            bundle.writestr(info, text)
        for rel in bundle_files(course_dir):
            bundle.write(course_dir / rel, rel)
    return out


# -- grading inside Gradescope --------------------------------------------------------------------






def run(autograder_root: Path, course_dir: Path = COURSE_DIR, allow_process_level: bool = False) -> dict | None:
    """Grade the submission and write ``results.json``: always, whatever the submission holds;
    ``None`` (and a results.json saying why, with no score) where this container only offers the
    ``process`` level and that was not allowed."""
    start = time.monotonic()
    level = sandboxes.require_wall(course_dir, allow_process_level)
    if level is None:
        refused = {"score": 0, "output": sandboxes.REFUSAL, "visibility": "visible", "tests": []}
        write_atomic(autograder_root / "results" / "results.json", json.dumps(refused, indent=2) + "\n")
        return None
    try:
        report = _grade(autograder_root, course_dir, start, level)
    except Exception as exc:  # noqa: BLE001 - Gradescope shows nothing at all without results.json
        why = f"{type(exc).__name__}: {exc}"[:300]
        report = results_json([], time.monotonic() - start,
                              f"this submission could not be graded ({why}): tell your instructor.")
    write_atomic(autograder_root / "results" / "results.json", json.dumps(report, indent=2) + "\n")
    print(report["output"])
    return report


def _grade(autograder_root: Path, course_dir: Path, start: float, level: str) -> dict:
    from grading.commands.batch import graders_changed
    from grading.judge.worker import grade

    exercises = load_course(course_dir)
    submission = autograder_root / "submission"
    found = find_exercise_root(submission, [e.id for e in exercises])
    tmp = tempfile.mkdtemp(prefix="submission-")
    notes: list[str] = []
    try:
        root = private_copy(found, [e.id for e in exercises], Path(tmp), home=submission, notes=notes)
        results = [explain_missing(r) for r in grade(exercises, root)]
    finally:
        remove_tree(tmp)  # however deep what the student's code left there
    said = [f"your submission: {'; '.join(notes)}."] if notes else []
    said += [warning(graders_changed(found, course_dir)) or ""]  # a whole clone: were its graders edited?
    if level == "process":
        said.insert(0, sandboxes.UNTRUSTED)
    return results_json(results, time.monotonic() - start, " ".join(p for p in said if p) or None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading.commands.gradescope")
    parser.add_argument("--allow-process-level", action="store_true",
                        help="grade even where student code can only be put in a process of its own (untrusted)")
    parser.add_argument("--build", action="store_true", help=f"write {BUNDLE} (what `nox -s gradescope` does)")
    parser.add_argument(
        "--autograder-root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"),
        help="Gradescope's folder holding source/, submission/ and results/",
    )
    args = parser.parse_args(argv)
    if args.build:
        print(f"wrote {build().relative_to(COURSE_DIR)}: upload it as the assignment's autograder")
        return 0
    if run(Path(args.autograder_root), allow_process_level=args.allow_process_level) is None:
        return 2
    return 0  # Gradescope reads the score from results.json, not from the exit status


if __name__ == "__main__":
    sys.exit(main())
