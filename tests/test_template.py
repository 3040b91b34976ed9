"""The students' template (`nox -s template -- DIR`): nothing that gives answers away, and grading works in it.

The template is built once, then graded for real inside it (``python -m grading`` run from the
template, so its own engine, graders and metadata are used): the starters as they are must fall
short of full marks, and the reference solutions copied over the starters must get them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from grading.commands.template import INSTRUCTOR_SESSIONS, course_manifest
from grading.judge.course import COURSE_DIR, load_course
from grading.judge.integrity import changed_files

EXERCISE_IDS = [e.id for e in load_course(COURSE_DIR)]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    target = tmp_path_factory.mktemp("template") / "flask-exercises-template"
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.template", str(target)], cwd=COURSE_DIR, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return target


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def grade_in(template, root: str) -> dict:
    report = template.parent / f"{root.replace('/', '-')}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "grading", "--no-cache", "--root", root, "--json", str(report)],
        cwd=template, capture_output=True, text=True, timeout=600,
    )
    assert report.exists(), proc.stdout + proc.stderr
    return {e["id"]: e for e in json.loads(report.read_text(encoding="utf-8"))["exercises"]}


def test_template_holds_no_solution_test_bench_or_private_grader_data(template):
    names = files(template)
    assert not [n for n in names if n.startswith(("solutions/", "tests/", "bench/"))]
    assert not [n for n in names if "/private/" in n or n.endswith("rewrite.py")]
    solutions = {p.read_bytes() for p in (COURSE_DIR / "solutions").rglob("*.py")}
    starters = {p.read_bytes() for p in (COURSE_DIR / "exercises").rglob("*.py")}
    leaked = [n for n in names if (template / n).read_bytes() in solutions - starters]
    assert not leaked, f"reference solution files in the template: {leaked}"


def test_template_has_what_students_need(template):
    names = set(files(template))
    for exercise_id in EXERCISE_IDS:
        assert {f"exercises/{exercise_id}/README.md", f"exercises/{exercise_id}/exercise.yaml"} <= names
    assert {"noxfile.py", "README.md", "requirements/grading.txt", ".github/workflows/classroom.yml",
            "graders/MANIFEST.sha256", "grading/__main__.py", ".gitignore"} <= names
    assert "graders/data/15-testing/variants.yaml" in names


def test_noxfile_and_readme_are_the_students_half(template):
    noxfile = (template / "noxfile.py").read_text(encoding="utf-8")
    assert "def grade(session" in noxfile
    for name in INSTRUCTOR_SESSIONS:
        assert f"def {name}(session" not in noxfile and f"nox -s {name} " not in noxfile
    compile(noxfile, "noxfile.py", "exec")
    readme = (template / "README.md").read_text(encoding="utf-8")
    assert "## Quick start" in readme and "## Working through an exercise" in readme
    for gone in ("For instructors", "Adding an exercise", "solutions", "nox -s tests", "<!--"):
        assert gone not in readme


def test_templates_manifest_is_its_own_and_the_courses(template):
    """`sha256sum -c` passes in the template, and batch grading does not flag its files as edited."""
    assert changed_files(template) == []
    assert changed_files(template, expected=course_manifest(COURSE_DIR)) == []


def test_starters_in_the_template_are_below_full_marks(template):
    graded = grade_in(template, "exercises")
    assert list(graded) == EXERCISE_IDS
    for exercise_id, result in graded.items():
        assert result["status"] != "error", result
        assert result["score"] < result["max_score"], exercise_id


def test_solutions_copied_over_the_starters_get_full_marks(template):
    for exercise_id in EXERCISE_IDS:
        shutil.copytree(COURSE_DIR / "solutions" / exercise_id, template / "solved" / exercise_id,
                        ignore=shutil.ignore_patterns("__pycache__"))
    graded = grade_in(template, "solved")
    for exercise_id, result in graded.items():
        assert result["score"] == result["max_score"] > 0, (exercise_id, result)


def test_rebuilding_keeps_git_and_refuses_the_course_itself(template, tmp_path):
    (template / ".git").mkdir(exist_ok=True)
    (template / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (template / "stale.txt").write_text("from an earlier build\n")
    proc = subprocess.run([sys.executable, "-m", "grading.commands.template", str(template)], cwd=COURSE_DIR,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (template / ".git" / "HEAD").is_file() and not (template / "stale.txt").exists()
    course = tmp_path / "course"  # a course checkout given by mistake: never emptied
    (course / "solutions").mkdir(parents=True)
    (course / "graders").mkdir()
    (course / "graders" / "MANIFEST.sha256").write_text("")
    (tmp_path / "something.txt").write_text("not a template\n")
    for target in (course, tmp_path):
        proc = subprocess.run([sys.executable, "-m", "grading.commands.template", str(target)], cwd=COURSE_DIR,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode != 0 and "error:" in proc.stderr
    assert (course / "solutions").is_dir() and (tmp_path / "something.txt").is_file()
