"""How many CPUs this process may really use: how many grading processes to run at once.

``os.cpu_count()`` counts the host's CPUs. A container sees them all but may be allowed only a
few of them (affinity) or a fraction of their time (a cgroup quota): Gradescope's default
container gets half a CPU. Starting a process per host CPU there makes every check slow.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _affinity() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def _quota_v2(cgroup: Path) -> float | None:
    """``cpu.max`` holds ``"<quota> <period>"`` or ``"max <period>"`` (no limit)."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    return int(quota) / int(period)


def _quota_v1(cgroup: Path) -> float | None:
    try:
        quota = int((cgroup / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((cgroup / "cpu" / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    if quota <= 0 or period <= 0:  # -1: no limit
        return None
    return quota / period


def cpu_quota(cgroup: Path = CGROUP) -> float | None:
    """The cgroup's CPU quota in CPUs (0.5 is half a CPU), or ``None`` when there is none."""
    return _quota_v2(cgroup) or _quota_v1(cgroup)


def available_cpus(cgroup: Path = CGROUP) -> int:
    """CPUs this process may use: its affinity, lowered to the cgroup quota (rounded up), at least 1."""
    count = _affinity()
    quota = cpu_quota(cgroup)
    if quota:
        count = min(count, math.ceil(quota))
    return max(1, count)
