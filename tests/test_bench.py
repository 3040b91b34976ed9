"""The bench helpers run where the README says: right after the Quick start, with nox's Python."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grading.judge.course import COURSE_DIR, load_course


def test_make_class_needs_only_the_standard_library(tmp_path):
    """``python -S``: no site-packages at all, so no PyYAML, Flask or pytest."""
    proc = subprocess.run(
        [sys.executable, "-S", "bench/make_class.py", "12", str(tmp_path / "class")],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    students = sorted(p.name for p in (tmp_path / "class").iterdir())
    assert students == [f"student-{i:03d}" for i in range(1, 13)]
    ids = [e.id for e in load_course(COURSE_DIR)]
    assert sorted(p.name for p in (tmp_path / "class" / "student-001" / "exercises").iterdir()) == ids
    assert sorted(p.name for p in (tmp_path / "class" / "student-010").iterdir()) == ids  # folders at the top
    hostile = (tmp_path / "class" / "student-011" / "exercises" / "08-blueprints" / "shop" / "__init__.py")
    assert hostile.read_text(encoding="utf-8").startswith("import sys\nsys.exit(3)")


def test_distinct_class_has_no_two_equal_files(tmp_path):
    """``--distinct``: each student's entry modules are their own, so batch grades every folder."""
    proc = subprocess.run(
        [sys.executable, "-S", "bench/make_class.py", "3", str(tmp_path / "class"), "--distinct"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    apps = [(tmp_path / "class" / f"student-00{i}" / "exercises" / "01-hello" / "app.py").read_text(encoding="utf-8")
            for i in (1, 2, 3)]
    assert len(set(apps)) == 3 and apps[1].rstrip().endswith("# student-002")


def test_distinct_class_hands_in_other_styles_mistakes_and_half_done_work(tmp_path):
    """``--distinct``: per exercise, many different folders, not just the solution and the starter."""
    proc = subprocess.run(
        [sys.executable, "-S", "bench/make_class.py", "20", str(tmp_path / "class"), "--distinct"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    sorts = dict(reversed(part.split(" ", 1)) for part in proc.stdout.split("exercises: ")[1].strip().split(", "))
    assert set(sorts) == {"alternative", "half-done", "mistake", "solution", "starter"}
    assert int(sorts["mistake"]) + int(sorts["half-done"]) > 20 * 15 * 0.25
    solution = (COURSE_DIR / "solutions" / "05-templates" / "templates" / "hello.html").read_text(encoding="utf-8")
    handed_in = set()
    for student in (tmp_path / "class").iterdir():
        folder = student / "exercises" if (student / "exercises").is_dir() else student
        app = (folder / "05-templates" / "app.py").read_text(encoding="utf-8")
        templates = sorted((folder / "05-templates" / "templates").glob("*.html"))
        handed_in.add((app.rsplit("\n# student-", 1)[0], *(t.read_text(encoding="utf-8") for t in templates)))
    assert len(handed_in) >= 6  # the solution, the starter, other styles, different mistakes
    assert any(solution not in folder for folder in handed_in)


def test_mutants_are_read_from_the_tests_without_importing_them():
    sys.path.insert(0, str(COURSE_DIR))
    from bench.make_class import alternatives, mutants

    found = mutants(COURSE_DIR)
    assert {"templates/hello.html": [("{{ name }}", "{{ name|safe }}")]} in found["05-templates"]
    assert set(found) == {e.id for e in load_course(COURSE_DIR)}  # a mistake for every exercise
    assert all(folder.is_dir() for folders in alternatives(COURSE_DIR).values() for folder in folders)


def test_bench_batch_imports_with_the_standard_library_and_measures(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-S", "-c", "import sys; sys.path.insert(0, '.'); import bench.batch"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [sys.executable, "bench/batch.py", "--students", "3", "01", "--jobs", "2"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("students per minute") == 2 and proc.stdout.startswith("3 students (")
    assert "distinct: other styles, mistakes, half done, every file their own" in proc.stdout
    assert "MB peak (summed PSS of the command and all its processes; sampled every" in proc.stdout


GRANDCHILD = "import time; data = bytes(range(256)) * 400_000; time.sleep(1)"  # 100 MB, really written


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_peak_memory_counts_every_descendant():
    """The command's own grandchild holds the memory: it must be in the peak, as sandboxes are."""
    from bench.memory import measure

    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {GRANDCHILD!r}])"
    run = measure([sys.executable, "-S", "-c", child], cwd=COURSE_DIR)
    assert run.returncode == 0, run.stderr
    assert run.kind == "PSS" and 100 < run.peak_mb < 400
