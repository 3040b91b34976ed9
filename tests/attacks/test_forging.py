"""Forging results in-process: student code that rewrites what the grading plugin reports.

Each submission is 01-hello (the starter, or the solution with a wrong greeting) plus an attack
run when app.py is imported. Graded with `python -m grading --json`, it must get no more than the
same folder without the attack, with exactly the course's checks.
"""

from __future__ import annotations

import pytest

from .conftest import assert_finished, assert_no_better_than

HELLO = "01-hello"
WRONG_GREETING = [('return "Hello, Flask!"', 'return "Goodbye, Flask!"')]  # honestly 3/5: loses one check


def test_forged_result_lines_in_the_results_file(attack):
    """Attack: find the results file via /proc/self/fd, append `passed` lines worth 1000 points and
    `done`, then os._exit (today: 4000/5)."""
    root = attack.submission(HELLO, "exercises", "forge_results")
    run = attack.grade(root, HELLO)
    assert_finished(run.outcome)
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "exercises"))
    assert run.outcome.code == 1


def test_forged_plan_with_a_bonus_check(attack):
    """Attack: rewrite the results file with a plan of one 100-point bonus check, passed, and `done`
    (today: 100/100 and exit status 0)."""
    root = attack.submission(HELLO, "exercises", "forge_plan")
    run = attack.grade(root, HELLO)
    assert_finished(run.outcome)
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "exercises"))
    assert run.outcome.code == 1


@pytest.mark.parametrize(
    "patch",
    ["patch_judge", "patch_callinfo", "patch_expect"],
    ids=["grading.judge.plugin._judge", "_pytest.runner.CallInfo.from_call", "grading.judge.expect"],
)
def test_monkeypatched_judging(attack, patch):
    """Attack: replace grading.judge.plugin._judge, wrap _pytest.runner.CallInfo.from_call, or make every
    grading.judge.expect function a no-op, so that every check passes (today: 5/5 for a 3/5 app)."""
    root = attack.submission(HELLO, "solutions", patch, edits=WRONG_GREETING)
    run = attack.grade(root, HELLO)
    assert_finished(run.outcome)
    fair = attack.honest(HELLO, "solutions", WRONG_GREETING)
    assert 0 < fair.score < fair.max_score
    assert_no_better_than(run.exercise(HELLO), fair)
