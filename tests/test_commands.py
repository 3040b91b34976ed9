"""Every command the README shows exists, and the instructors' commands work end to end.

A session lost in a merge is the first thing a newcomer meets: here every ``nox -s NAME`` in the
README (and in the students' template's README) must be a session of the noxfile beside it, and
the instructors' path runs for real, through nox, on a copy of the course in a temporary folder:
``template``, ``classroom``, ``gradescope``, ``batch`` of a class of two and ``verify`` of one
exercise.
"""

from __future__ import annotations

import ast
import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grading.judge.course import COURSE_DIR

NOX_COMMAND = re.compile(r"\bnox -s ([A-Za-z_][\w-]*)")
NOX = shutil.which("nox")


def documented_sessions(readme: Path) -> set[str]:
    return set(NOX_COMMAND.findall(readme.read_text(encoding="utf-8")))


def noxfile_sessions(noxfile: Path) -> set[str]:
    """The sessions a noxfile defines: functions decorated with ``@nox.session`` (or a call of it)."""
    found = set()
    for node in ast.parse(noxfile.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator.func if isinstance(decorator, ast.Call) else decorator
            if ast.unparse(call) == "nox.session":
                names = [k.value for k in getattr(decorator, "keywords", []) if k.arg == "name"]
                found.add(names[0].value if names else node.name)
    return found


def test_every_session_the_readme_shows_exists():
    """`nox -s NAME` in README.md names a session of noxfile.py."""
    shown = documented_sessions(COURSE_DIR / "README.md")
    assert {"grade", "tests", "template", "batch", "verify"} <= shown  # the test reads the README at all
    missing = shown - noxfile_sessions(COURSE_DIR / "noxfile.py")
    assert not missing, f"README.md shows `nox -s {', '.join(sorted(missing))}`, which noxfile.py does not define"


def test_every_session_an_exercise_readme_shows_exists():
    """The exercises' READMEs only show sessions students have."""
    sessions = noxfile_sessions(COURSE_DIR / "noxfile.py")
    for readme in sorted((COURSE_DIR / "exercises").glob("*/README.md")):
        missing = documented_sessions(readme) - sessions
        assert not missing, f"{readme.relative_to(COURSE_DIR)} shows `nox -s {', '.join(sorted(missing))}`"


def test_a_session_removed_from_the_noxfile_is_noticed(tmp_path):
    """The check above can fail: without the template session, the README's command is missing."""
    text = (COURSE_DIR / "noxfile.py").read_text(encoding="utf-8")
    without = re.sub(r"@nox\.session(\([^)]*\))?[^\n]*\ndef template\(", "def template(", text)  # any arguments
    assert without != text
    (tmp_path / "noxfile.py").write_text(without, encoding="utf-8")
    assert "template" in documented_sessions(COURSE_DIR / "README.md") - noxfile_sessions(tmp_path / "noxfile.py")


# -- the instructors' path, through nox -------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course as a clone has it (the files git tracks), with an environment folder of its own."""
    target = tmp_path_factory.mktemp("course") / "flask-exercises"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=COURSE_DIR, capture_output=True, check=False)
    names = [n for n in tracked.stdout.decode().split("\0") if n] if tracked.returncode == 0 else None
    if not names:  # not a git checkout: everything but what git would ignore
        shutil.copytree(COURSE_DIR, target, ignore=shutil.ignore_patterns(".nox", ".git", "__pycache__", "dist"))
        return target
    for name in names:
        source = COURSE_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def nox(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``nox ARGS`` in ``course``, as an instructor types it."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    proc = subprocess.run(
        [NOX, "--envdir", str(course.parent / "nox-envs"), *args],
        cwd=course, env=env, capture_output=True, text=True, timeout=timeout,
    )
    return proc


needs_nox = pytest.mark.skipif(NOX is None, reason="nox is not on PATH (CI installs it, see .ci/run)")


@needs_nox
def test_nox_s_template_writes_the_students_repository(course, tmp_path):
    """`nox -s template -- DIR --repository ORG/NAME`, DIR as typed (from where nox runs), writes the
    template, whose README only shows its own sessions and whose workflow grades with ORG/NAME's graders."""
    proc = nox(course, "-s", "template", "--", "../flask-exercises-template", "--repository", "acme/flask-template")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    template = course.parent / "flask-exercises-template"
    assert "repository: acme/flask-template" in (template / ".github" / "workflows" / "classroom.yml").read_text()
    assert (template / "graders" / "MANIFEST.sha256").is_file()
    assert not (template / "solutions").exists()
    shown, sessions = documented_sessions(template / "README.md"), noxfile_sessions(template / "noxfile.py")
    assert "grade" in shown and "template" not in sessions
    assert shown <= sessions, f"the template's README shows `nox -s {', '.join(sorted(shown - sessions))}`"


@needs_nox
def test_nox_s_classroom_and_gradescope_write_their_files(course):
    """`nox -s classroom` rewrites the workflow and manifest as committed; `nox -s gradescope` builds the zip."""
    workflow = course / ".github" / "workflows" / "classroom.yml"
    manifest = course / "graders" / "MANIFEST.sha256"
    before = workflow.read_bytes(), manifest.read_bytes()
    workflow.unlink()
    manifest.unlink()
    proc = nox(course, "-s", "classroom")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (workflow.read_bytes(), manifest.read_bytes()) == before
    proc = nox(course, "-s", "gradescope")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with zipfile.ZipFile(course / "dist" / "gradescope-autograder.zip") as bundle:
        names = bundle.namelist()
    assert {"setup.sh", "run_autograder", "graders/test_01_hello.py"} <= set(names)


@needs_nox
def test_nox_s_batch_grades_a_class_of_two(course, tmp_path):
    """`nox -s batch -- DIR 01` grades each student's folder and writes grades.csv."""
    for student, base in (("ada", "solutions"), ("bob", "exercises")):
        shutil.copytree(course / base / "01-hello", tmp_path / "class" / student / "exercises" / "01-hello")
    out = tmp_path / "gradebook"
    proc = nox(course, "-s", "batch", "--", str(tmp_path / "class"), "01", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {row["student"]: row for row in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert set(rows) >= {"ada", "bob"}
    assert float(rows["ada"]["total"]) > float(rows["bob"]["total"])


@needs_nox
def test_nox_s_verify_checks_one_exercise(course):
    """`nox -s verify -- 01 --no-tests`: the reference solution full, the starter not."""
    proc = nox(course, "-s", "verify", "--", "01", "--no-tests")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "01-hello" in proc.stdout


def test_the_ci_script_runs_the_readmes_test_command():
    """.ci/run installs nox and runs exactly what the README tells a contributor to type."""
    readme = (COURSE_DIR / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^\$ (nox -s tests.*)$", readme, re.M).group(1).strip()
    ci = (COURSE_DIR / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in [line.strip() for line in ci]
