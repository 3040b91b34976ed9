"""``python -m grading.commands.verify``: after changing the course, check the graders still tell right from wrong.

    nox -s verify                  every exercise
    nox -s verify -- 02 03         some exercises
    nox -s verify -- --no-tests    only the folders (faster)

For each exercise of ``exercises/*/exercise.yaml``: the reference solution (``solutions/NN-slug``)
must get full marks, the starter (``exercises/NN-slug``) must not, and every correct solution in
another style (``tests/alternatives/NN-slug/<style>/``) must get full marks. Then each exercise's
own tests (``tests/test_NN_slug.py``: the plausible mistakes that must lose exactly one check, and
the rest) must pass. Prints a table (exercise, what, expected, got, ok) and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from grading.judge.schedule import Task, grade_roots
from grading.judge.course import COURSE_DIR, Exercise, UsageError, load_course, module_name_for, select
from grading.judge.cpus import available_cpus
from grading.judge.results import ExerciseResult
from grading.outputs.report import Painter, fmt_points, use_colour

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2
FULL, NOT_FULL, PASS = "full marks", "not full", "pass"
TEST_TIMEOUT = 900  # seconds for one exercise's test module


@dataclass
class Row:
    exercise: str
    what: str
    expected: str
    got: str
    ok: bool
    detail: str = ""


# -- folders: solution, starter, alternatives ------------------------------------------------


def folder_tasks(course_dir: Path, chosen: list[Exercise], tmp: Path) -> list[tuple[Task, str, str]]:
    """``(task, what, expected)`` for every folder to grade; alternatives are copied under ``tmp``."""
    alternatives = course_dir / "tests" / "alternatives"
    tasks = []
    for ex in chosen:
        tasks.append((Task(f"{ex.id} solution", course_dir / "solutions", [ex]), "solution", FULL))
        tasks.append((Task(f"{ex.id} starter", course_dir / "exercises", [ex]), "starter", NOT_FULL))
        for style in _folders(alternatives / ex.id):
            root = tmp / f"{ex.id}--{style.name}"
            shutil.copytree(style, root / ex.id, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            tasks.append((Task(f"{ex.id} {style.name}", root, [ex]), f"alternative {style.name}", FULL))
    return tasks


def _folders(path: Path) -> list[Path]:
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def folder_row(exercise: Exercise, what: str, expected: str, result: ExerciseResult) -> Row:
    got = f"{fmt_points(result.score)}/{fmt_points(result.max_score)}"
    full = result.status == "passed"
    ok = full if expected == FULL else not full and result.max_score > 0
    detail = ""
    if result.error:
        detail = result.error
    elif expected == FULL and not full:
        detail = "; ".join(f"{c.name}: {c.message}" for c in result.checks if c.points < c.max_points)
    elif expected == NOT_FULL and full:
        detail = "the starter already passes every check: no check asks for what the exercise teaches"
    return Row(exercise.id, what, expected, got, ok, detail)


def orphan_rows(course_dir: Path, chosen: list[Exercise]) -> list[Row]:
    """Alternatives for an exercise that does not exist (renamed?) would never be graded."""
    known = {e.id for e in chosen}
    return [
        Row(folder.name, "tests/alternatives/" + folder.name, "an exercise", "none", False,
            "no exercises/<id>/exercise.yaml has this id")
        for folder in _folders(course_dir / "tests" / "alternatives")
        if folder.name not in known
    ]


# -- each exercise's own tests (the mutants) ---------------------------------------------------


def tests_of(course_dir: Path, exercise: Exercise) -> Path:
    return course_dir / "tests" / module_name_for(exercise.id)


def run_test_modules(course_dir: Path, chosen: list[Exercise], jobs: int, tmp: Path) -> list[Row]:
    """Run each exercise's test module with pytest, ``jobs`` at a time; a row per test."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(COURSE_DIR), os.environ.get("PYTHONPATH")]))}
    env["GRADING_NO_CACHE"] = "1"
    rows: dict[str, list[Row]] = {}
    todo = []
    for ex in chosen:
        module = tests_of(course_dir, ex)
        if module.is_file():
            todo.append(ex)
        else:
            rows[ex.id] = [Row(ex.id, module.relative_to(course_dir).as_posix(), "exists", "missing", False, "every exercise needs its tests")]
    running: list[tuple[Exercise, subprocess.Popen, Path, float]] = []
    while todo or running:
        while todo and len(running) < jobs:
            ex = todo.pop(0)
            xml = tmp / f"{ex.id}.xml"
            cmd = [sys.executable, "-m", "pytest", str(tests_of(course_dir, ex)), "-q",
                   "-p", "no:cacheprovider", f"--junitxml={xml}"]
            proc = subprocess.Popen(cmd, cwd=course_dir, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            running.append((ex, proc, xml, time.monotonic()))
        ex, proc, xml, started = running.pop(0)
        try:
            output, _ = proc.communicate(timeout=max(1.0, started + TEST_TIMEOUT - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
            output = f"stopped after {TEST_TIMEOUT} s\n" + output
        rows[ex.id] = _junit_rows(ex, tests_of(course_dir, ex).relative_to(course_dir).as_posix(), xml, output)
    return [row for ex in chosen for row in rows[ex.id]]


def _junit_rows(exercise: Exercise, module: str, xml: Path, output: str) -> list[Row]:
    try:
        cases = ET.parse(xml).getroot().iter("testcase")
    except (OSError, ET.ParseError):
        cases = []
    rows = []
    for case in cases:
        name = case.get("name", "?")
        problem = next((case.find(tag) for tag in ("failure", "error") if case.find(tag) is not None), None)
        if case.find("skipped") is not None:
            got, detail = "skipped", case.find("skipped").get("message", "")
        elif problem is not None:
            got, detail = "fail", (problem.get("message") or problem.text or "").strip()
        else:
            got, detail = PASS, ""
        rows.append(Row(exercise.id, name, PASS, got, got in (PASS, "skipped"), detail))
    if not rows:
        tail = "\n".join(output.strip().splitlines()[-5:])
        rows.append(Row(exercise.id, module, PASS, "no test ran", False, tail))
    return rows


# -- the table ---------------------------------------------------------------------------------


def render(rows: list[Row], paint: Painter) -> str:
    header = ("exercise", "what", "expected", "got", "ok")
    cells = [(r.exercise, r.what, r.expected, r.got) for r in rows]
    widths = [max(len(x) for x in column) for column in zip(header[:4], *cells)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, [*widths, 2]))]
    for row, cell in zip(rows, cells):
        mark = paint("✓", "green") if row.ok else paint("✗", "red")
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths)) + "  " + mark)
    bad = [r for r in rows if not r.ok]
    if bad:
        lines.append("")
        lines.append(paint("Mismatches:", "bold"))
        for r in bad:
            lines.append(f"  {r.exercise} {r.what}: expected {r.expected}, got {r.got}")
            for line in r.detail.splitlines()[:6]:
                lines.append(f"      {line}")
    lines.append("")
    if bad:
        lines.append(paint(f"{len(bad)} of {len(rows)} expectations not met.", "red"))
    else:
        lines.append(paint(f"All {len(rows)} expectations met.", "green"))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s verify --",
        description="Check that solutions and alternatives get full marks, starters do not, and the tests pass.",
    )
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help="ids or numbers to verify (default: all)")
    parser.add_argument("--jobs", type=int, default=None, help="gradings run at once (default: CPU cores)")
    parser.add_argument("--no-tests", action="store_true", help="skip tests/test_NN_*.py (the mutants)")
    return parser


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        chosen = select(load_course(course_dir), args.exercises)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    jobs = max(1, args.jobs or available_cpus())
    with tempfile.TemporaryDirectory(prefix="verify-") as tmp:
        tasks = folder_tasks(course_dir, chosen, Path(tmp))
        print(f"Grading {len(tasks)} folders of {len(chosen)} exercise(s), {jobs} at a time", flush=True)
        results = grade_roots([t for t, _, _ in tasks], jobs)
        rows = [
            folder_row(task.exercises[0], what, expected, results[task.name][0])
            for task, what, expected in tasks
        ]
        if not args.exercises:
            rows += orphan_rows(course_dir, chosen)
        if not args.no_tests:
            print(f"Running the tests of {len(chosen)} exercise(s), {jobs} at a time", flush=True)
            rows += run_test_modules(course_dir, chosen, jobs, Path(tmp))
    order = {e.id: i for i, e in enumerate(chosen)}
    rows.sort(key=lambda r: order.get(r.exercise, len(order)))
    print(render(rows, Painter(use_colour())), flush=True)
    return EXIT_OK if all(r.ok for r in rows) else EXIT_MISMATCH


if __name__ == "__main__":
    sys.exit(main())
