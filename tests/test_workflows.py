"""Our GitHub workflows are checked as GitHub reads them: actionlint, with ShellCheck for `run:` scripts.

Both come with ``nox -s tests`` (TEST_REQUIREMENTS in noxfile.py). The class-grading workflow
(``grade-class.yml``) also may only use what we have: each ``nox -s NAME`` a session, each option
it gives batch one batch takes.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import yaml
from test_commands import NOX_COMMAND, noxfile_sessions

from grading.commands.batch import build_parser
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
    assert options == {"--shard", "--out", "--before", "--roster"}
    assert options <= set(build_parser()._option_string_actions)
    assert "sudo" in grading  # as root: the sandbox's `user` level
