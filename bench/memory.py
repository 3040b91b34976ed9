"""Peak memory of a command and every process it starts, read from ``/proc`` (Linux).

    run = measure([sys.executable, "-m", "grading", "--no-cache"], cwd=COURSE)
    run.seconds, run.peak_mb, run.kind          # kind: "PSS", or "RSS" where PSS could not be read

Every 20 ms, or less often where sampling would take over a tenth of a core, a thread sums the
memory of the command and all its descendants (the zygote and the sandboxes too; a process once
seen counts until it ends, even when its parent has gone).
PSS (``/proc/PID/smaps_rollup``) shares each page among the processes that map it, so the sum
is the memory the run really holds; RSS (``/proc/PID/statm``), the fallback, counts shared
pages once per process and so overstates it. Standard library only.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
EVERY = 0.02  # seconds between samples, or more: sampling takes at most a tenth of a core
SHARE = 0.1


@dataclass
class Run:
    returncode: int
    stderr: str
    seconds: float
    peak_mb: float | None  # None where there is no /proc
    kind: str = "PSS"
    cost: float = 0.0  # CPU seconds the sampling itself used, taken from the run's cores
    samples: int = 0


def _parents() -> dict[int, tuple[int, bytes]]:
    """``{pid: (parent pid, start time)}`` of every process."""
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            fields = stat[stat.rindex(b")") + 2:].split()
            found[int(name)] = (int(fields[1]), fields[19])
    return found


def _kb(pid: int) -> tuple[int, str]:
    """A process's PSS in kB, or its RSS where PSS cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            pss = [line for line in f if line.startswith(b"Pss:")]
        return (int(pss[0].split()[1]) if pss else 0), "PSS"  # none: a process that has ended
    except (ProcessLookupError, FileNotFoundError):
        return 0, "PSS"  # ending, or ended
    except OSError:
        pass  # not ours to read (another user): its RSS, which anyone may read
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_KB, "RSS"
    except (OSError, IndexError, ValueError):
        return 0, "PSS"  # ended meanwhile


class _Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.tree: dict[int, bytes] = {}  # pid -> start time, of the command and its descendants
        self.root = pid
        self.peak_kb, self.kind, self.cost, self.samples = 0, "PSS", 0.0, 0
        self.done = threading.Event()

    def sample(self) -> None:
        parents = _parents()
        if self.root in parents:
            self.tree.setdefault(self.root, parents[self.root][1])
        self.tree = {pid: start for pid, start in self.tree.items() if parents.get(pid, (0, None))[1] == start}
        grew = True
        while grew:
            new = {pid: start for pid, (ppid, start) in parents.items() if ppid in self.tree and pid not in self.tree}
            self.tree.update(new)
            grew = bool(new)
        total = 0
        for pid in self.tree:
            kb, kind = _kb(pid)
            total += kb
            if kind == "RSS":
                self.kind = "RSS"
        self.peak_kb = max(self.peak_kb, total)

    def run(self) -> None:
        last = 0.0  # CPU seconds of the last sample: reading smaps_rollup walks page tables
        while not self.done.wait(max(EVERY, last / SHARE - last)):
            start = time.thread_time()
            self.sample()
            last = time.thread_time() - start
            self.samples += 1
        self.cost = time.thread_time()


def measure(cmd: list[str], **popen) -> Run:
    """Run ``cmd`` (stdout discarded, stderr kept) and return its wall time and peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **popen)
    sampler = _Sampler(proc.pid) if os.path.exists("/proc/self/stat") else None
    if sampler:
        sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if not sampler:
        return Run(proc.returncode, stderr, seconds, None)
    sampler.done.set()
    sampler.join()
    return Run(proc.returncode, stderr, seconds, sampler.peak_kb / 1024, sampler.kind, sampler.cost, sampler.samples)


def describe(run: Run) -> str:
    """``612 MB peak (summed PSS ...)``, or why there is no figure."""
    if run.peak_mb is None:
        return "peak memory: not measured here (no /proc)"
    every = run.seconds / max(1, run.samples) * 1000
    return (f"{run.peak_mb:.0f} MB peak (summed {run.kind} of the command and all its processes; "
            f"sampled every {every:.0f} ms on average, using {run.cost:.1f} s of CPU)")
