"""Gradescope: the bundle run in a fake /autograder tree, with a hostile submission."""

from __future__ import annotations

import json

from .conftest import assert_finished

HELLO = "01-hello"


def test_submission_writing_results_json_and_killing_run_autograder(attack, bundle):
    """Attack: the starter's app.py writes its own results/results.json (1000 points) where Gradescope
    reads it, then SIGKILLs run_autograder's grading process so the judge never writes its own."""
    autograder = attack.autograder(bundle)
    attack.submission(
        HELLO, "exercises", "gradescope_results", root=autograder / "submission", autograder=str(autograder)
    )
    outcome, results = attack.run_autograder(autograder)
    assert_finished(outcome, codes=(0,))
    assert results is not None, outcome.explain()
    assert attack.marker not in json.dumps(results), "results.json is the student's"
    fair = attack.honest(HELLO, "exercises")
    hello = [t for t in results["tests"] if t["tags"] == [HELLO]]
    assert [t["max_score"] for t in hello] == [points for _, points in fair.plan]
    assert all(0 <= t["score"] <= t["max_score"] for t in results["tests"])
    assert results["score"] == sum(t["score"] for t in results["tests"]) <= fair.score  # the rest is missing
    attack.assert_no_leftovers()
