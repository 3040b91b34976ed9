"""The `process` level is no wall (issue 22, e): batch and Gradescope refuse it.

At `process` (macOS, Windows, Linux without namespaces) only Python's audit hook stands between a
student's code and the grader: a path relative to a directory descriptor, a second interpreter
started by ``_posixsubprocess.fork_exec`` and the classmates' files are all within reach
(``submissions/process_escape.py``). So batch and Gradescope must refuse to grade there (exit 2, a
message saying what works) unless given --allow-process-level, and then say the grades are
untrusted (``Attack.batch`` and ``Attack.run_autograder`` check both). A student's own grade keeps
working at any level.
"""

from __future__ import annotations

import pytest

from .conftest import assert_finished, copy_exercise

HELLO = "01-hello"


@pytest.fixture(autouse=True)
def isolation(level):
    return level.name


@pytest.mark.parametrize("level", ["process"], indirect=True)
def test_batch_refuses_a_hostile_class_at_the_process_level(at):
    """Attack: mallory's app escapes the hook (dir_fd, a second interpreter) to rewrite alice's app.
    Batch must refuse to grade at `process`, and mark what --allow-process-level grades untrusted."""
    class_dir = at.tmp / "class"
    at.evidence.mkdir(parents=True)
    copy_exercise(HELLO, "solutions", class_dir / "alice" / "exercises" / HELLO)
    at.submission(HELLO, "exercises", "process_escape", root=class_dir / "mallory" / "exercises",
                  kits=("_unhooked",), classmate=str(class_dir / "alice" / "exercises" / HELLO / "app.py"))
    run = at.batch(class_dir, HELLO)
    assert run.refused, "batch graded at the process level"


@pytest.mark.parametrize("level", ["process"], indirect=True)
def test_gradescope_refuses_the_process_level(at, bundle):
    """Gradescope at `process` exits 2 and gives no points (``Attack.run_autograder`` checks it)."""
    autograder = at.autograder(bundle)
    at.evidence.mkdir(parents=True)
    at.submission(HELLO, "solutions", "process_escape", root=autograder / "submission", kits=("_unhooked",),
                  classmate=str(at.evidence / "classmate.py"))
    outcome, results = at.run_autograder(autograder)
    assert results is None and outcome.code == 2


@pytest.mark.parametrize("level", ["process"], indirect=True)
def test_control_a_students_own_grade_still_works_at_the_process_level(at):
    """Control: `nox -s grade` (python -m grading) grades the solution at `process`, full marks."""
    run = at.grade(at.submission(HELLO, "solutions"), HELLO)
    assert_finished(run.outcome, codes=(0,))
    hello = run.exercise(HELLO)
    assert hello["isolation"] == "process" and hello["score"] == at.honest(HELLO, "solutions").score
