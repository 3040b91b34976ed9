"""Fixtures for our own tests: grade a solution, a starter, an alternative or a mutant.

    def test_post_without_int_converter_loses_the_404_check(grade):
        result = grade.mutant("02-routing", {"app.py": [("<int:post_id>", "<post_id>")]})
        assert result.lost == {"post_with_text_id_is_404"}

``grade.solution(id)``, ``grade.starter(id)``, ``grade.alternative(id, name)`` (the folder
``tests/alternatives/<id>/<name>/``) and ``grade.mutant(id, edits)`` (the reference solution with
text replacements, each of which must apply) all return a :class:`Graded`.

``grade_cli(root, *args, env=...)`` runs the whole command, ``python -m grading``, in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from grading.judge.course import COURSE_DIR, load_course
from grading.judge.results import ExerciseResult
from grading.judge.worker import grade as run_grading

# The adversarial suite reads /proc, forks and sends signals: it attacks the Linux sandboxes.
collect_ignore_glob = [] if sys.platform.startswith("linux") else ["attacks/*"]

TESTS_DIR = Path(__file__).resolve().parent
ALTERNATIVES = TESTS_DIR / "alternatives"
EXERCISES = {e.id: e for e in load_course(COURSE_DIR)}


@dataclass
class Graded:
    """One exercise's result, with the shortcuts tests need."""

    result: ExerciseResult

    @property
    def full(self) -> bool:
        return self.result.status == "passed"

    @property
    def lost(self) -> set[str]:
        """The checks that did not get their points."""
        return {c.name for c in self.result.checks if c.points < c.max_points}

    @property
    def score(self) -> float:
        return self.result.score

    def check(self, name: str):
        return next(c for c in self.result.checks if c.name == name)

    def explain(self) -> str:
        lines = [f"{self.result.id}: {self.result.status} {self.result.score}/{self.result.max_score} {self.result.error or ''}"]
        lines += [f"  {c.name}: {c.status} {c.message}" for c in self.result.checks if c.status != "passed"]
        return "\n".join(lines)


class Grader:
    def __init__(self, tmp_path_factory):
        self.tmp = tmp_path_factory

    def tree(self, exercise_id: str, source: Path) -> Path:
        root = self.tmp.mktemp("root")
        shutil.copytree(source, root / exercise_id, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        return root

    def root(self, root: Path, exercise_id: str) -> Graded:
        [result] = run_grading([EXERCISES[exercise_id]], root, jobs=1)
        return Graded(result)

    def folder(self, exercise_id: str, source: Path) -> Graded:
        return self.root(self.tree(exercise_id, source), exercise_id)

    def solution(self, exercise_id: str) -> Graded:
        return self.folder(exercise_id, COURSE_DIR / "solutions" / exercise_id)

    def starter(self, exercise_id: str) -> Graded:
        return self.folder(exercise_id, COURSE_DIR / "exercises" / exercise_id)

    def alternative(self, exercise_id: str, name: str) -> Graded:
        return self.folder(exercise_id, ALTERNATIVES / exercise_id / name)

    def mutant(self, exercise_id: str, edits: dict[str, list[tuple[str, str]]]) -> Graded:
        """The reference solution with each ``(old, new)`` replacement applied once."""
        root = self.tree(exercise_id, COURSE_DIR / "solutions" / exercise_id)
        for file, replacements in edits.items():
            path = root / exercise_id / file
            text = path.read_text(encoding="utf-8")
            for old, new in replacements:
                assert old in text, f"the mutation {old!r} does not apply to solutions/{exercise_id}/{file}"
                text = text.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
        return self.root(root, exercise_id)


@pytest.fixture
def grade(tmp_path_factory) -> Grader:
    """Grade solutions, starters, alternatives and mutants of an exercise with the real engine."""
    return Grader(tmp_path_factory)


class Run:
    """One finished `python -m grading` run: exit code, output, and the JSON report."""

    def __init__(self, proc: subprocess.CompletedProcess, report: dict | None, seconds: float):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.report = report
        self.seconds = seconds

    def exercise(self, exercise_id: str) -> dict:
        return next(e for e in self.report["exercises"] if e["id"] == exercise_id)

    def check(self, exercise_id: str, name: str) -> dict:
        return next(c for c in self.exercise(exercise_id)["checks"] if c["name"] == name)


def grading_command(
    root: Path, *args: str, workdir: Path, env: dict | None = None, cwd: Path = COURSE_DIR, timeout: float = 120
) -> Run:
    """Run ``python -m grading --no-cache --root ROOT --json ...`` from ``cwd``; return a :class:`Run`."""
    report_path = workdir / "report.json"
    report_path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "grading", "--no-cache", "--root", str(root), "--json", str(report_path), *args]
    outer = {k: v for k, v in os.environ.items() if k not in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**outer, **(env or {})})
    seconds = time.monotonic() - start
    report = json.loads(report_path.read_text()) if report_path.exists() else None
    return Run(proc, report, seconds)


@pytest.fixture
def grade_cli(tmp_path):
    """``grade_cli(root, *args, env=...)``: the whole grading command, in a subprocess."""

    def run(root: Path, *args: str, **kwargs) -> Run:
        return grading_command(root, *args, workdir=tmp_path, **kwargs)

    return run


def unpack_autograder(bundle: Path, root: Path) -> Path:
    """Gradescope's ``/autograder`` at ``root``: source/ unpacked from the bundle, run_autograder
    beside it, an empty submission/."""
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    return root
