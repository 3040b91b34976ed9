"""How many grading processes run at once: the CPUs this process may use, not the host's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grading.judge import cpus
from grading.judge.cpus import available_cpus, cpu_quota


@pytest.fixture
def eight_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)


def cgroup(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_half_a_cpu_quota_on_cgroup_v2_gives_one_process(tmp_path, eight_cpus):
    """Gradescope's default container: many CPUs seen, half of one allowed."""
    root = cgroup(tmp_path, {"cpu.max": "50000 100000\n"})
    assert cpu_quota(root) == 0.5
    assert available_cpus(root) == 1


def test_quota_rounds_up_and_no_quota_leaves_the_affinity(tmp_path, eight_cpus):
    assert available_cpus(cgroup(tmp_path / "a", {"cpu.max": "250000 100000\n"})) == 3
    assert available_cpus(cgroup(tmp_path / "b", {"cpu.max": "max 100000\n"})) == 8
    assert available_cpus(tmp_path / "nothing") == 8


def test_cgroup_v1_quota(tmp_path, eight_cpus):
    root = cgroup(tmp_path, {"cpu/cpu.cfs_quota_us": "150000\n", "cpu/cpu.cfs_period_us": "100000\n"})
    assert available_cpus(root) == 2
    unlimited = cgroup(tmp_path / "u", {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"})
    assert available_cpus(unlimited) == 8


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only: CPU affinity")
def test_affinity_of_one_cpu_is_seen(tmp_path):
    """Restricted with taskset-like affinity, a real process counts one CPU whatever the host has."""
    code = f"from grading.judge.cpus import available_cpus; from pathlib import Path; print(available_cpus(Path({str(tmp_path)!r})))"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(cpus.__file__).resolve().parents[2], preexec_fn=lambda: os.sched_setaffinity(0, {0}),
    )
    assert proc.stdout.strip() == "1"
