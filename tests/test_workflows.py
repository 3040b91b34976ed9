"""Our GitHub workflows are checked as GitHub reads them: actionlint, with ShellCheck for `run:` scripts.

Both come with ``nox -s tests`` (TEST_REQUIREMENTS in noxfile.py). The class-grading workflow
(``grade-class.yml``) also may only use what we have: each ``nox -s NAME`` a session, each option
it gives batch one batch takes; and its scripts run here, with stand-ins for ``gh`` (a folder of
repositories), ``sudo`` and ``nox``, shard by shard, then merged.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys

import yaml
from test_commands import NOX_COMMAND, noxfile_sessions

from grading.commands.batch import build_parser
from grading.commands.shards import shard_of
from grading.judge.course import COURSE_DIR

WORKFLOWS = COURSE_DIR / ".github" / "workflows"
GRADE_CLASS = WORKFLOWS / "grade-class.yml"
OURS = [GRADE_CLASS, WORKFLOWS / "tests.yml"]  # classroom.yml is generated: tests/test_classroom*.py


def actionlint(*paths):
    return subprocess.run([shutil.which("actionlint"), "-oneline", *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)


def test_our_workflows_pass_actionlint_and_shellcheck():
    assert shutil.which("actionlint") and shutil.which("shellcheck"), "nox -s tests installs both"
    proc = actionlint(*OURS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_reports_a_mistake_in_the_workflow(tmp_path):
    """The check above can fail: a misspelt matrix key and an unquoted shell variable are found."""
    text = GRADE_CLASS.read_text(encoding="utf-8")
    broken = text.replace("${{ matrix.shard }}/", "${{ matrix.shards }}/").replace('"class/$name"', "class/$name")
    assert broken.count("matrix.shards") == 1 and "class/$name" in broken.replace('"class/$name"', "")
    (tmp_path / "grade-class.yml").write_text(broken, encoding="utf-8")
    proc = actionlint(tmp_path / "grade-class.yml")
    assert proc.returncode == 1
    assert 'property "shards" is not defined' in proc.stdout and "SC2086" in proc.stdout, proc.stdout


def steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_grade_class_uses_only_our_sessions_and_batch_options():
    workflow = yaml.safe_load(GRADE_CLASS.read_text(encoding="utf-8"))
    scripts = "\n".join(step.get("run", "") for step in steps(workflow))
    used = set(NOX_COMMAND.findall(scripts))
    assert used == {"batch", "merge"}
    assert used <= noxfile_sessions(COURSE_DIR / "noxfile.py")
    grading = next(step["run"] for step in steps(workflow) if step.get("name") == "Grade this shard, as root")
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", grading))
    assert options == {"--shard", "--out", "--before", "--roster", "--repository"}
    assert options <= set(build_parser()._option_string_actions)
    assert "sudo" in grading  # as root: the sandbox's `user` level


# -- grade-class.yml's scripts, run here with stand-ins for gh, sudo and nox -------------------------

STAND_INS = {
    "gh": """#!/bin/sh
case "$1 $2" in
  "repo list") cat "$FAKE_REPOSITORIES" ;;
  "repo clone") mkdir -p "$4" && cp -R "$FAKE_CLASS/${3#*/}/." "$4/" ;;
  *) exit 9 ;;
esac
""",
    "sudo": '#!/bin/sh\nexec "$@"\n',
    "nox": '#!/bin/sh\nsession="$2"; shift 3\nexec "$FAKE_PYTHON" -m "grading.commands.$session" "$@"\n',
}


def run_step(step, cwd, env):
    script = step["run"]
    cwd.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True,
                          env={**env, **{k: str(v) for k, v in step.get("env", {}).items()}}, timeout=600, check=False)
    assert proc.returncode == 0, f"{step.get('name')}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_grade_class_scripts_clone_each_shard_grade_it_and_merge(tmp_path):
    """The workflow's own scripts, with its expressions filled in: a class of three in two shards."""
    workflow = yaml.safe_load(GRADE_CLASS.read_text(encoding="utf-8"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in STAND_INS.items():
        (bin_dir / name).write_text(text, encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    students = ["hw-ada", "hw-bob", "hw-cat"]
    for name in students:
        shutil.copytree(COURSE_DIR / "solutions" / "01-hello", tmp_path / "org" / name / "01-hello")
    (tmp_path / "repositories.txt").write_text("\n".join([*students, "hw2-zed", "course"]) + "\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(COURSE_DIR),
           "FAKE_REPOSITORIES": str(tmp_path / "repositories.txt"), "FAKE_CLASS": str(tmp_path / "org"),
           "FAKE_PYTHON": sys.executable, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output")}
    inputs = {"${{ inputs.organization }}": "org", "${{ inputs.assignment }}": "hw", "${{ inputs.deadline }}": "",
              "${{ inputs.roster }}": "", "${{ inputs.template }}": "org/template", "${{ inputs.shards }}": "2",
              "${{ secrets.CLASSROOM_TOKEN }}": "token"}

    def filled(step, **more):
        values = {**inputs, **more}
        return {**step, "env": {k: values.get(v, v) for k, v in step.get("env", {}).items()}}

    run_step(filled(workflow["jobs"]["plan"]["steps"][0]), tmp_path / "plan", env)
    assert (tmp_path / "output").read_text(encoding="utf-8") == "shards=[1,2]\n"

    grade = workflow["jobs"]["grade"]
    for k in (1, 2):
        job_env = {**env, "SHARD": f"{k}/2"}
        assert grade["env"]["SHARD"] == "${{ matrix.shard }}/${{ inputs.shards }}"
        for step in [s for s in grade["steps"] if "run" in s and "nox[uv]" not in s["run"]]:
            run_step(filled(step), tmp_path / f"job-{k}", job_env)
        mine = sorted(p.name for p in (tmp_path / f"job-{k}" / "class").iterdir())
        assert mine == [s for s in students if shard_of(s, 2) == k]  # only this shard's repositories
        shutil.copytree(tmp_path / f"job-{k}" / "shard", tmp_path / "merge" / "shards" / f"shard-{k}")  # the artifacts

    merging = next(s for s in workflow["jobs"]["merge"]["steps"] if s.get("name") == "Merge the shards' gradebooks")
    run_step(merging, tmp_path / "merge", env)
    with (tmp_path / "merge" / "gradebook" / "grades.csv").open(newline="", encoding="utf-8") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert sorted(rows) == ["Points Possible", *students]
    assert all(rows[s]["01-hello"] == rows["Points Possible"]["01-hello"] for s in students)
    assert "Merged 2 shards: 3 students graded" in (tmp_path / "summary.md").read_text(encoding="utf-8")
