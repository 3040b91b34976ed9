"""Batch grading of a class, for real: `python -m grading.batch` in a subprocess.

A class of three: one hands in the reference solutions, one the starters, one hostile code
(sys.exit at import in 01-hello, an endless loop in a view of 02-routing). The gradebook must
give the first two exactly what the engine gives those folders on their own.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest

from conftest import EXERCISES
from grading.course import COURSE_DIR
from grading.worker import grade as run_grading

IDS = ["01-hello", "02-routing"]


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """Grade the class of three once; return (process, output folder, class folder)."""
    class_dir = tmp_path_factory.mktemp("class")
    for student, source in (("ada", "solutions"), ("bob", "exercises"), ("eve", "solutions")):
        # ada and bob are clones of the repository; eve holds the exercise folders directly
        home = class_dir / student / "exercises" if student != "eve" else class_dir / student
        for ex in IDS:
            shutil.copytree(COURSE_DIR / source / ex, home / ex)
        shutil.copytree(COURSE_DIR / "graders", class_dir / student / "graders")  # her own graders: ignored
    eve = class_dir / "eve"
    hello = eve / "01-hello" / "app.py"
    hello.write_text("import sys\nsys.exit(3)\n" + hello.read_text(encoding="utf-8"), encoding="utf-8")
    routing = eve / "02-routing" / "app.py"
    text = routing.read_text(encoding="utf-8")
    view = text.index("def ", text.index("@app.route"))
    body = text.index("\n", view) + 1
    routing.write_text(text[:body] + "    while True:\n        pass\n" + text[body:], encoding="utf-8")
    # a grader in eve's checkout that gives everything full marks must change nothing
    for grader in (eve / "graders").glob("test_*.py"):
        grader.write_text("def test_free_points():\n    pass\n", encoding="utf-8")

    out = tmp_path_factory.mktemp("gradebook")
    proc = subprocess.run(
        [sys.executable, "-m", "grading.batch", str(class_dir), "01", "02", "--out", str(out), "--jobs", "2"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc, out, class_dir


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """The engine's own scores for the solutions and the starters, graded on their own."""
    exercises = [EXERCISES[i] for i in IDS]
    return {
        folder: {r.id: r.score for r in run_grading(exercises, COURSE_DIR / folder, jobs=2)}
        for folder in ("solutions", "exercises")
    }


def _rows(out):
    with (out / "grades.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_csv_has_a_column_per_exercise_and_a_row_per_student(gradebook):
    _, out, _ = gradebook
    rows = _rows(out)
    assert rows[0] == ["student", *IDS, "total", "graders_changed"]
    assert [r[0] for r in rows[1:]] == ["ada", "bob", "eve"]


def test_student_who_edited_graders_is_flagged_in_the_gradebook(gradebook):
    """Eve rewrote her graders: they graded nothing, but the instructor sees which."""
    proc, out, _ = gradebook
    flagged = {row[0]: row[-1].split() for row in _rows(out)[1:]}
    assert flagged["ada"] == flagged["bob"] == []
    assert "graders/test_01_hello.py" in flagged["eve"] and "graders/test_02_routing.py" in flagged["eve"]
    assert "warning: eve changed grading files" in proc.stdout


def test_hostile_student_does_not_change_the_others_scores(gradebook, alone):
    _, out, _ = gradebook
    table = {row[0]: row[1:-1] for row in _rows(out)[1:]}
    for student, folder in (("ada", "solutions"), ("bob", "exercises")):
        expected = [alone[folder][i] for i in IDS]
        assert [float(x) for x in table[student]] == [*expected, sum(expected)], student
    assert alone["exercises"]["01-hello"] < alone["solutions"]["01-hello"]  # the two rows differ


def test_hostile_student_loses_exactly_what_their_code_breaks(gradebook, alone):
    _, out, _ = gradebook
    report = json.loads((out / "eve.json").read_text(encoding="utf-8"))
    hello, routing = report["exercises"]
    assert hello["score"] == 0 and hello["status"] == "error"
    assert "sys.exit" in hello["error"]
    timed_out = [c for c in routing["checks"] if c["status"] == "timeout"]
    assert len(timed_out) == 1, routing["checks"]
    assert routing["score"] == alone["solutions"]["02-routing"] - timed_out[0]["max_points"]


def test_reports_have_the_shape_of_grade_json(gradebook, tmp_path):
    _, out, _ = gradebook
    cli_report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "grading", "--no-cache", "--root", "solutions", "--json", str(cli_report), *IDS],
        cwd=COURSE_DIR, capture_output=True, timeout=120, check=True,
    )
    expected = json.loads(cli_report.read_text(encoding="utf-8"))
    ada = json.loads((out / "ada.json").read_text(encoding="utf-8"))
    assert ada == expected
    assert sorted(p.name for p in out.iterdir()) == ["ada.json", "bob.json", "eve.json", "grades.csv"]


def test_plain_progress_lines_and_summary_without_a_terminal(gradebook):
    proc, _, _ = gradebook
    lines = proc.stdout.splitlines()
    assert lines[0] == "Grading 3 students x 2 exercises, 2 at a time"
    assert sorted(line.split("]")[0] for line in lines if line.startswith("[")) == ["[1/3", "[2/3", "[3/3"]
    assert "  eve 01-hello: " in proc.stdout  # the exercise that could not be graded is named
    assert "Graded 3 students in " in proc.stdout


def test_missing_class_folder_is_a_usage_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "grading.batch", str(tmp_path / "nowhere")],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "is not a folder" in proc.stderr
