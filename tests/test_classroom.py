"""The GitHub Classroom workflow: shaped like Classroom's own, and never out of date."""

from __future__ import annotations

import re

import yaml

from grading.commands.classroom import WORKFLOW, exercise_points, render_workflow
from grading.judge.course import COURSE_DIR, load_course
from grading.outputs.classroom import runner_id

EXERCISES = load_course(COURSE_DIR)
COMMITTED = (COURSE_DIR / WORKFLOW).read_text(encoding="utf-8")


def test_committed_workflow_matches_the_course():
    """Adding an exercise or changing points needs `nox -s classroom`, never a hand edit."""
    fresh = render_workflow(EXERCISES, exercise_points(EXERCISES))
    assert COMMITTED == fresh, "the Classroom workflow is out of date: run `nox -s classroom` and commit it"


def test_workflow_mirrors_classrooms_generated_one():
    workflow = yaml.safe_load(COMMITTED)
    assert workflow["name"] == "Autograding Tests"
    assert workflow["on"] == ["push", "repository_dispatch"]
    [job] = workflow["jobs"].values()
    assert job["if"] == "github.actor != 'github-classroom[bot]'"


def test_workflow_uses_current_actions_and_least_permissions():
    """Node 24 actions; read-only contents; the token is not left in the checkout for student code."""
    workflow = yaml.safe_load(COMMITTED)
    assert workflow["permissions"] == {"contents": "read"}
    [job] = workflow["jobs"].values()
    checkout, python = job["steps"][:2]
    assert checkout["uses"] == "actions/checkout@v5" and checkout["with"]["persist-credentials"] is False
    assert python["uses"] == "actions/setup-python@v6"
    assert job["env"]["FORCE_JAVASCRIPT_ACTIONS_TO_NODE24"] is True


def test_runner_names_pass_the_reporters_own_check():
    """The reporter checks its input against this pattern when anything goes wrong."""
    [job] = yaml.safe_load(COMMITTED)["jobs"].values()
    [reporter] = [s for s in job["steps"] if s.get("uses", "").startswith("classroom-resources/")]
    assert re.fullmatch(r"([a-zA-Z0-9]+,)*[a-zA-Z0-9]+", reporter["with"]["runners"])


def test_grading_that_could_not_run_fails_clearly_before_the_reporter():
    [job] = yaml.safe_load(COMMITTED)["jobs"].values()
    names = [s["name"] for s in job["steps"]]
    check = job["steps"][names.index("Check that grading ran")]
    assert names.index("Grade every exercise") < names.index("Check that grading ran") < names.index("Autograding Reporter")
    assert check["if"] == f"steps.grade.outputs.{runner_id(EXERCISES[0].id)} == ''"
    assert "::error title=Grading could not run::" in check["run"] and check["run"].endswith("exit 1")


def test_one_grading_step_feeds_one_reporter_runner_per_exercise():
    [job] = yaml.safe_load(COMMITTED)["jobs"].values()
    graders = [s for s in job["steps"] if "nox -s grade" in s.get("run", "")]
    assert len(graders) == 1 and graders[0]["id"] == "grade"
    assert graders[0]["continue-on-error"] is True, "a failed check must not skip the reporter"
    [reporter] = [s for s in job["steps"] if s.get("uses", "").startswith("classroom-resources/")]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    runners = reporter["with"]["runners"].split(",")
    assert runners == [runner_id(e.id) for e in EXERCISES]
    assert reporter["env"] == {f"{r.upper()}_RESULTS": "${{ steps.grade.outputs.%s }}" % r for r in runners}
    assert not any("autograding-command-grader" in s.get("uses", "") for s in job["steps"])


def test_header_lists_each_exercises_points_and_the_total():
    points = exercise_points(EXERCISES)
    for exercise in EXERCISES:
        assert f"#   {exercise.id} " in COMMITTED
    total = next(line for line in COMMITTED.splitlines() if line.startswith("#   total"))
    assert total.split()[2] == f"{sum(points.values()):g}"


def test_readme_gives_instructors_the_courses_total_points():
    """Classroom's grade and the Gradescope assignment are out of this total."""
    total = f"{sum(exercise_points(EXERCISES).values()):g}"
    readme = " ".join((COURSE_DIR / "README.md").read_text(encoding="utf-8").split())
    assert f"({total} for the whole course)" in readme and f"worth **{total} points**" in readme
