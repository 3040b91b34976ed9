"""15-testing: a student suite that recognises the apps under test by their source.

It tests no behaviour: it passes on an app whose source is one of the two correct apps and fails on
any other, so it "catches" every broken variant. It must score no more than the starter's empty
suite.
"""

from __future__ import annotations

import hashlib

import pytest

from grading.judge.course import COURSE_DIR

from .conftest import assert_finished, assert_no_better_than

TESTING = "15-testing"
DATA = COURSE_DIR / "graders" / "data" / TESTING


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("mode", ["grade", "batch"])
def test_suite_recognising_the_correct_apps_by_their_source(attack, mode):
    """Attack: grade mode, the suite compares app.py with the given app (which the student has) and
    with the sibling temporary folders where the grader runs it against each app (run0, run1); batch
    mode, it compares app.py with the two correct apps the course publishes in graders/data/15-testing/."""
    fair = attack.honest(TESTING, "exercises")
    if mode == "grade":
        root = attack.submission(
            TESTING,
            "exercises",
            "recognise/siblings",
            file="tests/test_app.py",
            replace=True,
            known=[_sha(COURSE_DIR / "exercises" / TESTING / "app.py")],
        )
        run = attack.grade(root, TESTING)
        assert_finished(run.outcome)
        exercise = run.exercise(TESTING)
    else:
        class_dir = attack.tmp / "class"
        attack.submission(
            TESTING,
            "exercises",
            "recognise/public_data",
            root=class_dir / "mallory",
            file="tests/test_app.py",
            replace=True,
            known=[_sha(DATA / "app.py")],  # the rewrite is held back (private/): students never see it
        )
        run = attack.batch(class_dir, "15")
        assert_finished(run.outcome, codes=(0,))
        exercise = run.exercise("mallory", TESTING)
    assert_no_better_than(exercise, fair)
