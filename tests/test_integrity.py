"""Graders integrity: a changed grading file is flagged in every report the instructor sees."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import grading_command

from grading.judge.course import COURSE_DIR
from grading.judge.integrity import MANIFEST, changed_files, read_manifest, render_manifest


def test_committed_manifest_matches_the_graders():
    """After changing a grader or the engine, `nox -s classroom` rewrites the manifest."""
    stale = changed_files(COURSE_DIR)
    assert not stale, f"out of date in {MANIFEST}: {stale}; run `nox -s classroom` and commit it"


@pytest.fixture
def course(tmp_path):
    """A copy of the course's grading files and exercises, with its manifest."""
    copy = tmp_path / "course"
    for name in ("grading", "graders", "exercises", "requirements"):
        shutil.copytree(COURSE_DIR / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(COURSE_DIR / "noxfile.py", copy)
    (copy / MANIFEST).write_text(render_manifest(copy), encoding="utf-8")
    return copy


def test_edited_added_and_removed_files_are_all_listed(course):
    assert changed_files(course) == []
    grader = course / "graders" / "test_01_hello.py"
    grader.write_text(grader.read_text() + "\n# free points\n")
    (course / "graders" / "conftest.py").write_text("import pytest\n")
    (course / "requirements" / "grading.txt").unlink()
    assert changed_files(course) == ["graders/conftest.py", "graders/test_01_hello.py", "requirements/grading.txt"]


def test_a_checkout_is_compared_with_the_course_manifest_when_given(course):
    """A student who rewrites the manifest too is still caught against the instructor's copy."""
    grader = course / "graders" / "test_01_hello.py"
    grader.write_text(grader.read_text().replace("points(", "points(10 * "))
    (course / MANIFEST).write_text(render_manifest(course), encoding="utf-8")
    assert changed_files(course) == []
    assert changed_files(course, expected=read_manifest(COURSE_DIR)) == ["graders/test_01_hello.py"]


def test_grade_command_warns_about_an_edited_grader(course, tmp_path):
    grader = course / "graders" / "test_01_hello.py"
    grader.write_text(grader.read_text() + "\n# edited\n")
    summary = tmp_path / "summary.md"
    run = grading_command(
        COURSE_DIR / "solutions", "01", workdir=tmp_path, cwd=course, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert run.code == 0, run.err
    shown = " ".join(run.out.split())  # lines wrap to the terminal's width
    assert "Warning: Grading files differ from graders/MANIFEST.sha256: graders/test_01_hello.py" in shown
    assert "graders/test_01_hello.py" in summary.read_text(encoding="utf-8")


def test_manifest_covers_the_workflow_the_noxfile_and_root_level_python(course):
    (course / ".github" / "workflows").mkdir(parents=True)
    (course / ".github" / "workflows" / "classroom.yml").write_text("on: push\n")
    (course / MANIFEST).write_text(render_manifest(course), encoding="utf-8")
    assert changed_files(course) == []
    (course / ".github" / "workflows" / "classroom.yml").write_text("on: push  # edited\n")
    (course / "yaml.py").write_text("# shadows PyYAML\n")
    (course / "noxfile.py").write_text("# edited\n")
    assert changed_files(course) == [".github/workflows/classroom.yml", "noxfile.py", "yaml.py"]


def test_odd_files_in_a_students_graders_are_flagged_never_read(course, tmp_path):
    """A link to /proc/self/mem, a pipe, a huge file: listed as changed at once, never followed."""
    graders = course / "graders"
    (graders / "test_01_hello.py").unlink()
    (graders / "test_01_hello.py").symlink_to("/proc/self/mem")
    (graders / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(graders / "pipe.py")
    with open(graders / "huge.py", "wb") as f:
        f.truncate(64 * 1024**3)  # sparse: 64 GB that take no room
    shutil.rmtree(course / "grading")
    (course / "grading").symlink_to(COURSE_DIR / "grading", target_is_directory=True)
    changed = changed_files(course, expected=read_manifest(COURSE_DIR))
    for name in ("graders/test_01_hello.py", "graders/zero.py", "graders/pipe.py", "graders/huge.py", "grading"):
        assert name in changed


def test_a_manifest_that_is_a_link_is_no_manifest(course):
    (course / MANIFEST).unlink()
    (course / MANIFEST).symlink_to("/dev/zero")
    assert read_manifest(course) is None
    assert changed_files(course) == [MANIFEST.as_posix()]


def test_the_students_template_noxfile_is_the_courses_own(course):
    """A checkout of the students' template has a shorter noxfile: that is no edit."""
    from grading.commands.template import course_manifest, student_noxfile

    (course / "noxfile.py").write_text(student_noxfile((COURSE_DIR / "noxfile.py").read_text(encoding="utf-8")))
    assert changed_files(course, expected=course_manifest(COURSE_DIR)) == []
    (course / "noxfile.py").write_text("# edited\n")
    assert changed_files(course, expected=course_manifest(COURSE_DIR)) == ["noxfile.py"]
