"""The GitHub Classroom workflow: shaped like Classroom's own, and never out of date."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

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


TEMPLATE_WORKFLOW = render_workflow(EXERCISES, exercise_points(EXERCISES), "acme/flask-template", "v2")


def steps_of(text: str) -> dict[str, dict]:
    [job] = yaml.safe_load(text)["jobs"].values()
    return {step["name"]: step for step in job["steps"]}


def test_template_workflow_checks_out_the_course_beside_the_students_work():
    """With --repository the course's engine, graders and metadata come from the template, read-only."""
    steps = steps_of(TEMPLATE_WORKFLOW)
    names = list(steps)
    student, course = steps["Checkout code"], steps["Checkout the course's graders"]
    assert names.index("Checkout the course's graders") < names.index("Grade every exercise")
    assert student["with"] == {"persist-credentials": False, "path": "student"}
    assert course["uses"] == "actions/checkout@v5"
    assert course["with"] == {"repository": "acme/flask-template", "ref": "v2", "path": "course",
                              "persist-credentials": False, "token": "${{ secrets.TEMPLATE_TOKEN || github.token }}"}
    grading = steps["Grade every exercise"]
    assert grading["working-directory"] == "course"
    assert grading["run"].rstrip().endswith('nox -s grade -- --root "$GITHUB_WORKSPACE/student/exercises"')
    assert yaml.safe_load(TEMPLATE_WORKFLOW)["permissions"] == {"contents": "read"}


def test_template_workflow_without_ref_takes_the_default_branch():
    text = render_workflow(EXERCISES, exercise_points(EXERCISES), "acme/flask-template")
    assert "ref" not in steps_of(text)["Checkout the course's graders"]["with"]
    assert "acme/flask-template (its default branch)" in " ".join(line.lstrip("# ") for line in text.splitlines())


def test_grading_runs_as_root_where_sudo_allows_it():
    """GitHub's runners give passwordless sudo: as root the sandbox gets its own user and namespaces."""
    for text in (COMMITTED, TEMPLATE_WORKFLOW):
        grading = steps_of(text)["Grade every exercise"]
        assert grading["shell"] == "bash"
        assert 'if sudo -n true 2>/dev/null; then as_root=(sudo -E env "PATH=$PATH"); fi' in grading["run"]
        assert '"${as_root[@]}" nox -s grade' in grading["run"]
        assert subprocess.run(["bash", "-n", "-c", grading["run"]], capture_output=True).returncode == 0


def test_every_expression_names_a_step_or_context_the_workflow_has():
    """What a linter would catch: a `${{ }}` naming a step id that does not exist, or an unknown context."""
    for text in (COMMITTED, TEMPLATE_WORKFLOW):
        [job] = yaml.safe_load(text)["jobs"].values()
        ids = {step["id"] for step in job["steps"] if "id" in step}
        runners = {runner_id(e.id) for e in EXERCISES}
        expressions = re.findall(r"\$\{\{(.*?)\}\}", text) + [s["if"] for s in job["steps"] if "if" in s] + [job["if"]]
        for expression in expressions:
            for ref in re.findall(r"\b(steps|secrets|github|env|vars)\.([\w.-]+)", expression):
                context, path = ref
                if context == "steps":
                    step, kind, output = path.split(".")
                    assert step in ids and kind == "outputs" and output in runners, expression
                else:
                    assert (context, path) in {("secrets", "TEMPLATE_TOKEN"), ("github", "token"),
                                               ("github", "actor")}, expression


def test_template_command_refuses_what_is_not_a_repository(tmp_path):
    for args in (["--repository", "not a repo"], ["--repository", "acme/x", "--ref", "a b"], ["--ref", "main"]):
        proc = subprocess.run([sys.executable, "-m", "grading.commands.template", str(tmp_path / "t"), *args],
                              cwd=COURSE_DIR, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "error:" in proc.stderr, args
        assert not (tmp_path / "t").exists()


def test_both_workflows_pass_actionlint_and_shellcheck(tmp_path):
    """As GitHub reads them (actionlint, with ShellCheck on the grading script); a broken copy fails."""
    assert shutil.which("actionlint") and shutil.which("shellcheck"), "nox -s tests installs both"
    template = tmp_path / "template.yml"
    template.write_text(TEMPLATE_WORKFLOW, encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(TEMPLATE_WORKFLOW.replace("steps.grade.outputs.ex01hello", "steps.grading.outputs.ex01hello"),
                      encoding="utf-8")
    for path, clean in ((COURSE_DIR / WORKFLOW, True), (template, True), (broken, False)):
        proc = subprocess.run([shutil.which("actionlint"), "-oneline", str(path)], capture_output=True, text=True,
                              timeout=120, check=False)
        assert (proc.returncode == 0) == clean, proc.stdout + proc.stderr
