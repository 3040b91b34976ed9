"""Outside the process: a student's repository or code reaching what the judge reads and writes.

yaml.py at the repository root, a committed .grading-cache/ entry, writes to GITHUB_OUTPUT and the
job summary, and a daemon that rewrites the reports after the run.
"""

from __future__ import annotations

import base64
import json
import shutil
import time

import pytest
import yaml

from grading.commands.classroom import WORKFLOW
from grading.judge.course import COURSE_DIR
from grading.outputs.classroom import runner_id

from .conftest import (
    assert_finished,
    assert_no_better_than,
    assert_same_as,
    base_env,
    copy_course,
    copy_exercise,
)

HELLO = "01-hello"


def test_yaml_py_at_the_repository_root(attack):
    """Attack: yaml.py at the root of the student's clone shadows PyYAML in the grading parent, run
    the way `nox -s grade` runs it (the clone's root is first on sys.path), and makes every score its
    maximum."""
    clone = copy_course(attack.tmp / "clone")
    (clone / "yaml.py").write_text(attack.source("yaml_shadow"), encoding="utf-8")
    report = attack.tmp / "report.json"
    outcome = attack.like_nox(clone, "grade", "--no-cache", "--json", str(report), "01")
    assert_finished(outcome)
    assert not (attack.evidence / "yaml-imported").exists(), (attack.evidence / "yaml-imported").read_text()
    [exercise] = json.loads(report.read_text(encoding="utf-8"))["exercises"]
    assert_no_better_than(exercise, attack.honest(HELLO, "exercises"))
    warning = next((line for line in outcome.out.splitlines() if "Warning: " in line), "")
    assert "yaml.py" in warning, "a Python file added at the repository root is flagged under the total"


def test_classroom_checkout_keeps_no_credentials_for_student_code():
    """Attack: student code reads the job's GITHUB_TOKEN from .git/config, where actions/checkout
    leaves it unless told not to (persist-credentials: false)."""
    workflow = yaml.safe_load((COURSE_DIR / WORKFLOW).read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts), (
        checkouts
    )


def _forge_cache(attack, clone):
    """As the student: grade the clone once with the cache on, then edit every 01-hello entry of its
    .grading-cache/ into full marks (what gets committed)."""
    env = base_env()
    env.pop("GRADING_NO_CACHE", None)
    assert_finished(attack.like_nox(clone, "grade", "01", env=env))
    # An engine that keeps no cache in the repository leaves nothing to commit: the attack is moot.
    entries = sorted((clone / ".grading-cache").glob("01-hello*.json"))
    for entry in entries:
        data = json.loads(entry.read_text(encoding="utf-8"))
        result = data["result"]
        for check in result["checks"]:
            check.update(points=check["max_points"], status="passed", message=None, hint=None)
        result.update(status="passed", score=result["max_score"], error=None)
        entry.write_text(json.dumps(data), encoding="utf-8")
    return env


@pytest.mark.parametrize("mode", ["local", "ci", "batch", "gradescope"])
def test_committed_cache_entry_claiming_full_marks(attack, bundle, mode):
    """Attack: a .grading-cache/ entry edited to claim full marks, committed with the starter. It is
    ignored locally (this machine did not write it as it is), with CI=true, in batch and in
    Gradescope."""
    fair = attack.honest(HELLO, "exercises")
    if mode == "batch":
        clone = copy_course(attack.tmp / "class" / "mallory")
    elif mode == "gradescope":
        autograder = attack.autograder(bundle)
        autograder.joinpath("submission").rmdir()
        clone = copy_course(autograder / "submission")
    else:
        clone = copy_course(attack.tmp / "clone")
    env = _forge_cache(attack, clone)
    if mode in ("local", "ci"):
        report = attack.tmp / "report.json"
        if mode == "ci":
            env = {**env, "CI": "true", "GITHUB_ACTIONS": "true"}
        outcome = attack.like_nox(clone, "grade", "--json", str(report), "01", env=env)
        assert_finished(outcome)
        [exercise] = json.loads(report.read_text(encoding="utf-8"))["exercises"]
    elif mode == "batch":
        run = attack.batch(attack.tmp / "class", "01")
        assert_finished(run.outcome, codes=(0,))
        exercise = run.exercise("mallory", HELLO)
    else:
        for folder in (clone / "exercises").iterdir():  # the student hands in 01-hello only
            if folder.name != HELLO:
                shutil.rmtree(folder)
        outcome, results = attack.run_autograder(autograder)
        assert_finished(outcome, codes=(0,))
        hello = [t for t in results["tests"] if t["tags"] == [HELLO]]
        assert [t["max_score"] for t in hello] == [points for _, points in fair.plan]
        assert sum(t["score"] for t in hello) <= fair.score
        assert results["score"] <= fair.score
        return
    assert_no_better_than(exercise, fair)


def test_github_output_and_step_summary_hold_only_the_judges_results(attack):
    """Attack: student code appends its own Classroom results to $GITHUB_OUTPUT and its own job
    summary to $GITHUB_STEP_SUMMARY, then SIGKILLs the grading processes above it."""
    output, summary = attack.tmp / "github_output", attack.tmp / "step_summary.md"
    output.write_text("earlier=step\n", encoding="utf-8")
    summary.write_text("# An earlier step\n", encoding="utf-8")
    paths = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    root = attack.submission(HELLO, "exercises", "github_output", **paths)
    run = attack.grade(root, HELLO, env=base_env(**paths, GITHUB_ACTIONS="true", CI="true"))
    assert_finished(run.outcome)
    fair = attack.honest(HELLO, "exercises")
    assert_no_better_than(run.exercise(HELLO), fair)

    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier=step", "what earlier steps wrote must stay"
    written = [line.split("=", 1) for line in lines[1:]]
    assert [key for key, _ in written] == [runner_id(HELLO)], (
        f"GITHUB_OUTPUT holds more than the judge wrote: {lines}"
    )
    results = json.loads(base64.b64decode(written[0][1]))
    assert [t["test_code"] for t in results["tests"]] == [name for name, _ in fair.plan]
    assert results["max_score"] == fair.max_score
    assert 0 <= sum(t["score"] for t in results["tests"]) <= fair.score
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# An earlier step\n") and attack.marker not in text, text
    assert "Flask exercises: 0/5 points" in text
    attack.assert_no_leftovers()


SECRETS = ["GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AUTOGRADER_TOKEN"]


def test_secrets_of_the_environment_are_not_passed_to_student_code(attack):
    """Attack: the app reads the job's tokens from its environment (GITHUB_TOKEN, ACTIONS_*,
    AUTOGRADER_*): the sandbox's environment comes from an allow-list."""
    root = attack.submission(HELLO, "solutions", "env_secrets", secrets=SECRETS)
    run = attack.grade(root, HELLO, env=base_env(**{name: f"{attack.marker}-{name}" for name in SECRETS}))
    assert_finished(run.outcome)
    assert_no_better_than(run.exercise(HELLO), attack.honest(HELLO, "solutions"))


@pytest.mark.parametrize("mode", ["grade-json", "batch-csv"])
def test_daemon_rewriting_the_reports_after_the_run(attack, mode):
    """Attack: a double-forked daemon (exec'd, so its command line carries the marker) waits for the
    --json report or the batch's grades.csv, then rewrites it with full marks a second later."""
    fair = attack.honest(HELLO, "exercises")
    if mode == "grade-json":
        report = attack.tmp / "report.json"
        root = attack.submission(HELLO, "exercises", "daemon", targets=[str(report)])
        run = attack.grade(root, HELLO, report=report)
        assert_finished(run.outcome)
        files = [report]
    else:
        out = attack.tmp / "gradebook"
        class_dir = attack.tmp / "class"
        copy_exercise(HELLO, "solutions", class_dir / "alice" / HELLO)
        attack.submission(
            HELLO, "exercises", "daemon", root=class_dir / "mallory", targets=[str(out / "grades.csv")]
        )
        run = attack.batch(class_dir, "01", out=out)
        assert_finished(run.outcome, codes=(0,))
        files = [out / "grades.csv", out / "alice.json", out / "mallory.json"]
    written = {path: path.read_bytes() for path in files}
    time.sleep(3)
    changed = [path.name for path in files if path.read_bytes() != written[path]]
    left = attack.leftovers()
    assert not changed, f"rewritten after the run: {changed}"
    assert not left, f"the student's daemon outlived the run: {left}"
    if mode == "grade-json":
        assert_no_better_than(run.exercise(HELLO), fair)
    else:
        assert_no_better_than(run.exercise("mallory", HELLO), fair)
        assert_same_as(run.exercise("alice", HELLO), attack.honest(HELLO, "solutions"))
