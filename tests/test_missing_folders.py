"""Exercise folders deleted or renamed: graded 0 with a message, out of the course's points, in every mode.

The Classroom workflow's own run with such folders is in ``test_classroom_runs.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import unpack_autograder

from grading.commands.gradescope import build
from grading.judge.course import COURSE_DIR, CourseError, load_course, renamed_to
from grading.judge.submissions import private_copy

EXERCISES = {e.id: e for e in load_course(COURSE_DIR)}


@pytest.mark.parametrize(("name", "exercise_id"), [
    ("02_routing", "02-routing"), ("02-Routing", "02-routing"), ("routing", "02-routing"),
    ("02-routing (1)", "02-routing"), ("2-routing", "02-routing"), ("Request Data", "03-request-data"),
    ("hello", "01-hello"), ("15-tests", "15-testing"),
    ("notes", None), ("static", None), ("01-hi", None), ("venv", None),
])
def test_a_folder_close_to_an_exercises_name_is_taken_for_it(name, exercise_id):
    assert renamed_to(name, list(EXERCISES)) == exercise_id


def checkout(tmp_path, drop=(), rename=None):
    """A copy of the course's exercises/ and graders/, some exercise folders deleted or renamed."""
    for folder in ("exercises", "graders"):
        shutil.copytree(COURSE_DIR / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for exercise_id in drop:
        shutil.rmtree(tmp_path / "exercises" / exercise_id)
    for old, new in (rename or {}).items():
        (tmp_path / "exercises" / old).rename(tmp_path / "exercises" / new)
    return tmp_path


def test_course_keeps_an_exercise_whose_folder_was_deleted_or_renamed(tmp_path):
    """Its grader still names it: every exercise stays, so the maximum stays the course's."""
    course = checkout(tmp_path, drop=["01-hello"], rename={"02-routing": "02_routing"})
    exercises = load_course(course)
    assert [e.id for e in exercises] == list(EXERCISES)
    assert exercises[0].title == EXERCISES["01-hello"].title  # from its grader: "Grader for 01-hello: the smallest ..."
    assert exercises[1].title == EXERCISES["02-routing"].title


def test_a_badly_named_folder_like_no_exercise_is_still_an_error_of_the_course(tmp_path):
    course = checkout(tmp_path)
    shutil.copytree(course / "exercises" / "01-hello", course / "exercises" / "16_sessions")
    with pytest.raises(CourseError, match="named NN-slug"):
        load_course(course)


def test_private_copy_takes_a_renamed_folder_under_its_own_name_and_nothing_else(tmp_path):
    student = tmp_path / "ann"
    shutil.copytree(COURSE_DIR / "solutions" / "02-routing", student / "02_routing")
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", student / "notes")
    copy = private_copy(student, list(EXERCISES), tmp_path / "copy", home=student)
    assert sorted(os.listdir(copy)) == ["02_routing"]


def test_batch_names_the_renamed_folder_and_grades_it_zero(tmp_path):
    from grading.judge.schedule import Task, grade_roots

    shutil.copytree(COURSE_DIR / "solutions" / "02-routing", tmp_path / "ann" / "02-Routing")
    chosen = [EXERCISES["01-hello"], EXERCISES["02-routing"]]
    hello, routing = grade_roots([Task("ann", tmp_path / "ann", chosen, private=True)], jobs=2)["ann"]
    assert (hello.status, hello.error) == ("missing", "exercises/01-hello was not found.")
    assert routing.status == "missing" and routing.score == 0 and routing.max_score == 9
    assert routing.error == ("exercises/02-routing was not found, but exercises/02-Routing is there: "
                             "rename it back to 02-routing.")


def test_gradescope_names_the_renamed_folder_and_keeps_the_courses_maximum(tmp_path):
    autograder = unpack_autograder(build(COURSE_DIR, tmp_path / "autograder.zip"), tmp_path / "autograder")
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", autograder / "submission" / "routing")
    env = {**os.environ, "AUTOGRADER_ROOT": str(autograder), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run([str(autograder / "run_autograder")], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    results = json.loads((autograder / "results" / "results.json").read_text(encoding="utf-8"))
    assert sum(t["max_score"] for t in results["tests"]) == sum(
        c.max_points for r in _plans().values() for c in r.checks)
    routing = [t for t in results["tests"] if t["tags"] == ["02-routing"]]
    assert routing and all(t["score"] == 0 for t in routing)
    assert all("exercises/routing is there: rename it back to 02-routing." in t["output"] for t in routing)
    hello = [t for t in results["tests"] if t["tags"] == ["01-hello"]]
    assert all(t["output"].startswith("01-hello is not in your submission") for t in hello)


def _plans():
    from grading.judge.schedule import plans

    return plans(list(EXERCISES.values()))
