"""The GitHub Classroom workflow: shaped like Classroom's own, and never out of date."""

from __future__ import annotations

import yaml

from grading.classroom import WORKFLOW, exercise_points, render_workflow, runner_id
from grading.course import COURSE_DIR, load_course

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
    assert workflow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    [job] = workflow["jobs"].values()
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    assert job["steps"][0]["uses"] == "actions/checkout@v4"


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
