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
    assert "every file their own" in proc.stdout
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
