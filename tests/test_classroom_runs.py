"""GitHub Classroom's workflow, run step by step here as GitHub runs it, up to the grade Classroom records.

A template is built with ``--repository`` and committed (the course's repository); a student's
repository is a copy of it that the student changed. :func:`run_workflow` plays each step of the
generated ``.github/workflows/classroom.yml``: the checkouts, the grading script through bash in
its working directory (``nox`` is a stand-in that runs the command the noxfile's ``grade`` session
runs), the *Check that grading ran* condition, and the reporter, which reads each runner's
``<ID>_RESULTS`` as ``autograding-grading-reporter`` does (base64 JSON; a runner without one crashes
it) and records Σ score / Σ max_score.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from grading.commands.classroom import WORKFLOW, exercise_points
from grading.commands.template import build
from grading.judge.course import COURSE_DIR, load_course
from grading.judge.integrity import write_manifest
from grading.judge.worker import grade
from grading.outputs.classroom import runner_id

REPOSITORY = "acme/flask-exercises-template"
EXERCISES = load_course(COURSE_DIR)
TOTAL = sum(exercise_points(EXERCISES).values())
NOX_STAND_IN = f"""#!/bin/sh
# `nox -s grade -- ARGS` as the noxfile's grade session runs it: the checkout's own engine, from its folder
[ "$1" = "-s" ] && [ "$2" = "grade" ] || {{ echo "unexpected: nox $*" >&2; exit 99; }}
shift 2; [ "$1" = "--" ] && shift
GRADING_INVOKED_FROM="$PWD" exec {sys.executable} -I grading/_boot.py grading.commands.grade:main "$@"
"""


def git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=Instructor", "-c", "user.email=i@example.com", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The template's repository on GitHub: built with --repository, committed on main."""
    repo = build(tmp_path_factory.mktemp("course") / "template", repository=REPOSITORY, ref="main")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "Flask exercises", cwd=repo)
    return repo


def student_copy(course: Path, target: Path, keep: dict[str, str]) -> Path:
    """A student's repository made from the template: ``keep`` maps each exercise folder left
    (under the name given) to ``starter`` or ``solution``; every other exercise folder is deleted."""
    shutil.copytree(course, target, ignore=shutil.ignore_patterns(".git"))
    shutil.rmtree(target / "exercises")
    for exercise_id, (name, what) in keep.items():
        source = COURSE_DIR / ("solutions" if what == "solution" else "exercises") / exercise_id
        shutil.copytree(source, target / "exercises" / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(COURSE_DIR / "exercises" / exercise_id / "exercise.yaml", target / "exercises" / name)
    return target


def forge_grader(student: Path, exercise_id: str) -> None:
    """Every check of the student's copy of a grader passes at once; the manifest made again to match."""
    grader = student / "graders" / f"test_{exercise_id.replace('-', '_')}.py"
    tree = ast.parse(grader.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            node.body = [ast.Return()]
    grader.write_text(ast.unparse(tree), encoding="utf-8")
    write_manifest(student)


@dataclass
class Job:
    outputs: dict[str, str]
    grading_ran: bool
    points: float | None  # what Classroom records; None when the reporter crashed
    max_points: float | None
    results: dict[str, dict]
    summary: str
    log: str


def expand(value: str, outputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{ steps\.grade\.outputs\.(\w+) \}\}", lambda m: outputs.get(m[1], ""), value)


def reporter(step: dict, outputs: dict[str, str]) -> tuple[float | None, float | None, dict]:
    """``autograding-grading-reporter@v1``: each runner's results from ``<RUNNER>_RESULTS``; the
    total of the runners whose max_score is not 0, as its notify step posts it."""
    env = {name: expand(value, outputs) for name, value in step["env"].items()}
    results = {}
    try:
        for runner in step["with"]["runners"].split(","):
            encoded = env[f"{runner.strip().upper()}_RESULTS"]
            results[runner] = json.loads(base64.b64decode(encoded).decode("utf-8"))
    except (KeyError, ValueError):
        return None, None, results  # JSON.parse("") throws: "The runners input must be a comma-separated list"
    scored = [r for r in results.values() if r["max_score"]]
    return sum(t["score"] for r in scored for t in r["tests"]), sum(r["max_score"] for r in scored), results


def run_workflow(workflow_of: Path, course: Path, student: Path, work: Path, **runner_env: str) -> Job:
    """The job of ``workflow_of``'s Classroom workflow on a push of ``student``, here (on a runner
    whose environment adds ``runner_env``)."""
    [job] = yaml.safe_load((workflow_of / WORKFLOW).read_text(encoding="utf-8"))["jobs"].values()
    workspace, bin_dir = work / "workspace", work / "bin"
    workspace.mkdir(parents=True)
    bin_dir.mkdir()
    (bin_dir / "nox").write_text(NOX_STAND_IN)
    (bin_dir / "nox").chmod(0o755)
    files = {"GITHUB_OUTPUT": work / "output", "GITHUB_STEP_SUMMARY": work / "summary.md"}
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(work), "GITHUB_ACTIONS": "true", "CI": "true",
           "GITHUB_WORKSPACE": str(workspace), **{k: str(v) for k, v in files.items()}, **runner_env}
    outputs, ran, log = {}, None, ""
    for step in job["steps"]:
        uses, given = step.get("uses", ""), step.get("with") or {}
        if uses.startswith("actions/checkout@"):
            where = workspace / given.get("path", "")
            if "repository" in given:  # the course: a clone at the ref, its origin on GitHub, as checkout leaves it
                git("clone", "-q", "--branch", given.get("ref", "main"), str(course), str(where), cwd=work)
                git("remote", "set-url", "origin", f"https://github.com/{given['repository']}", cwd=where)
            else:
                shutil.copytree(student, where, dirs_exist_ok=True)
        elif step.get("id") == "grade":
            cwd = workspace / step.get("working-directory", "")
            proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=900)
            log = proc.stdout + proc.stderr
            if files["GITHUB_OUTPUT"].exists():
                outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines())
        elif step["name"] == "Check that grading ran":
            [runner] = re.fullmatch(r"steps\.grade\.outputs\.(\w+) == ''", step["if"]).groups()
            ran = bool(outputs.get(runner))
        elif "autograding-grading-reporter" in uses:
            assert ran, f"the job stopped at 'Check that grading ran':\n{log}"
            points, max_points, results = reporter(step, outputs)
    summary = files["GITHUB_STEP_SUMMARY"].read_text() if files["GITHUB_STEP_SUMMARY"].exists() else ""
    return Job(outputs, ran, points, max_points, results, summary, log)


def honest_points(student: Path, exercise_ids: list[str]) -> float:
    """The student's exercises graded by the course itself, here: what the grade should be."""
    chosen = [e for e in EXERCISES if e.id in exercise_ids]
    return sum(r.score for r in grade(chosen, student / "exercises"))


def test_forged_graders_in_the_students_repository_do_not_change_the_classroom_grade(course, tmp_path):
    """A student edits a grader and makes the manifest again: the template's workflow still grades honestly."""
    student = student_copy(course, tmp_path / "student", {"01-hello": ("01-hello", "solution"),
                                                          "02-routing": ("02-routing", "starter")})
    forge_grader(student, "02-routing")
    honest = honest_points(student, ["01-hello", "02-routing"])
    assert 0 < honest < 5 + 9
    # the student's own graders, as the workflow without --repository runs them, take the forgery
    own = run_workflow(COURSE_DIR, course, student, tmp_path / "own")
    assert own.points == 5 + 9 and own.max_points == TOTAL, own.log
    assert "this repository's own copy of the graders" in own.summary
    job = run_workflow(course, course, student, tmp_path / "template")
    assert job.points == honest and job.max_points == TOTAL, job.log
    commit = git("rev-parse", "HEAD", cwd=course)
    assert f"Graded with the course's graders from [{REPOSITORY}](https://github.com/{REPOSITORY})" in job.summary
    assert f"commit [`{commit[:12]}`](https://github.com/{REPOSITORY}/commit/{commit})" in job.summary
    assert "Warning" not in job.summary  # the course's checkout is its own: nothing to flag


def test_deleted_and_renamed_folders_still_record_a_grade_out_of_the_whole_course(course, tmp_path):
    """01-hello deleted, 02-routing renamed: both graded 0 with a message; Classroom records a grade out of 151."""
    student = student_copy(course, tmp_path / "student", {"02-routing": ("02_routing", "solution"),
                                                          "03-request-data": ("03-request-data", "solution")})
    for workflow_of, name, env in ((course, "template", {}), (COURSE_DIR, "own", {"GRADING_ISOLATION": "process"})):
        job = run_workflow(workflow_of, course, student, tmp_path / name, **env)
        assert job.grading_ran, job.log
        assert list(job.outputs) == [runner_id(e.id) for e in EXERCISES]
        assert (job.points, job.max_points) == (11, TOTAL), (name, job.log)
        hello, routing = job.results["ex01hello"], job.results["ex02routing"]
        assert hello["max_score"] == 5 and {t["score"] for t in hello["tests"]} == {0}
        assert all("exercises/01-hello was not found." in t["message"] for t in hello["tests"])
        assert all("rename it back to 02-routing" in t["message"] and "02_routing" in t["message"]
                   for t in routing["tests"])
        assert f"/{TOTAL:g} points" in job.summary.splitlines()[0]
        assert "rename it back to 02-routing" in job.summary and "(level `" in job.summary
        [level] = re.findall(r"\(level `(\w+)`\)", job.summary)
        assert level == "process" or not env  # as asked, or the strongest this machine gives
        untrusted = "**Untrusted grade:** student code ran in a separate process only (level `process`)"
        assert (untrusted in job.summary) == (level == "process"), job.summary
        assert "rename it back to 02-routing" in job.log  # the grading step's log, as the student reads it


def test_batch_takes_the_template_workflow_as_the_courses_and_flags_an_edited_one(course, tmp_path):
    """Protected in Classroom, settled by batch: the workflow `--repository` wrote is not an edit; any other is."""
    from grading.commands.batch import graders_changed

    student = student_copy(course, tmp_path / "student", {"01-hello": ("01-hello", "starter")})
    assert graders_changed(student / "exercises", COURSE_DIR) == []
    workflow = student / WORKFLOW
    workflow.write_text(workflow.read_text().replace("nox -s grade --", "nox -s grade -- 01 "), encoding="utf-8")
    assert graders_changed(student / "exercises", COURSE_DIR) == [WORKFLOW.as_posix()]


def test_batch_given_the_template_repository_flags_a_workflow_that_names_another(course, tmp_path):
    """A student may point the workflow at their own repository of forged graders: `--repository` flags it."""
    from grading.commands.batch import graders_changed

    student = student_copy(course, tmp_path / "student", {"01-hello": ("01-hello", "starter")})
    assert graders_changed(student / "exercises", COURSE_DIR, REPOSITORY) == []
    assert graders_changed(student / "exercises", COURSE_DIR, REPOSITORY.upper()) == []  # GitHub ignores case
    workflow = student / WORKFLOW
    workflow.write_text(workflow.read_text().replace(REPOSITORY, "mallory/forged-graders"), encoding="utf-8")
    assert graders_changed(student / "exercises", COURSE_DIR) == []  # a well-formed workflow, for some repository
    assert graders_changed(student / "exercises", COURSE_DIR, REPOSITORY) == [WORKFLOW.as_posix()]
