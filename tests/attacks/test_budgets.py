"""Attacks on the judge's budgets (issue 22, c): one huge answer, and load that starves classmates.

A student's answer over the wire is data the judge must read within a budget: a page of 32 MiB
(or a forged answer that announces it, written straight onto the sandbox's socket past the host)
must fail its check with a reason the student understands, and cost the judge process (not the
sandbox) far less than the page. It is the judge's side only, so it runs at one level, ``user``.

Many busy processes forked in one student's sandboxes must not cost a classmate graded beside them
(batch, ``--jobs 2``) a single point, and must be stopped together at the check's CPU budget, even
once they left the sandbox's process tree: run at ``user`` and ``uid``, where each sandbox has a
user of its own. Each attack has a control: the same submission without the size or the load,
whose classmate gets full marks and whose page passes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

import pytest

from grading import wire

from .conftest import assert_finished, copy_exercise

HELLO, RESPONSES = "01-hello", "04-responses"
MIB = 1024 * 1024
JUDGE_MEMORY = 200 * MIB  # what one answer may cost the judge process at most (its peak, all included)
LOAD_SECONDS = 40  # how long mallory's sandboxes load the machine, from the start of the batch
HOLD = 10  # seconds each of mallory's checks waits while its spinners spin (within its 15 s clock)


@pytest.fixture(autouse=True)
def isolation(level):
    """The level comes from ``conftest.level`` here, not from the suite's best/process pair."""
    return level.name


class Watch:
    """Polls /proc while a command runs: the judge's peak memory, and how many of the student's
    processes were running at once."""

    def __init__(self, judge_word: str, at):
        self.judge_word, self.comm, self.marker = judge_word.encode(), at.comm, at.marker.encode()
        self.judge_peak = 0  # bytes: the highest VmHWM of a judge process (the command and its forks)
        self.judges: set[int] = set()
        self.busiest = 0  # the student's processes seen running (state R) at once
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            running = 0
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    running += self._look(entry)
            self.busiest = max(self.busiest, running)

    def _look(self, pid: str) -> int:
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
            # judges are the command and its forks; sandboxes come from the zygote (_boot.py)
            if self.judge_word in cmdline and b"_boot.py" not in cmdline:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.judge_peak = max(self.judge_peak, int(line.split()[1]) * 1024)
                            self.judges.add(int(pid))
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            mine = name == self.comm or self.marker in cmdline
            return int(mine and stat.rsplit(")", 1)[1].split()[0] == "R")
        return 0


# -- one huge answer ------------------------------------------------------------------------------


def index_check(run) -> dict:
    """The check of 01-hello that asks for / (the page the attack makes huge)."""
    hello = run.exercise(HELLO)
    return next(c for c in hello["checks"] if "index" in c["name"] or "hello" in c["name"].lower())


@pytest.mark.parametrize("level", ["user"], indirect=True)
@pytest.mark.parametrize(("size", "forge", "dense"), [(32 * MIB, False, False), (32 * MIB, True, False),
                                                     (MIB - 64, True, True), (0, False, False)],
                         ids=["page-32MiB", "forged-32MiB", "forged-dense-1MiB", "control"])
def test_one_huge_answer_fails_its_check_and_costs_the_judge_little(at, size, forge, dense):
    """Attack: / answers 32 MiB (or the view writes onto the sandbox's socket an answer announcing
    32 MiB, or a 1 MiB one made of 350,000 JSON objects). The check of / must fail saying why, the
    judge's peak memory stay under 200 MB. Control: the same view answering the honest page passes."""
    root = at.submission(HELLO, "solutions", "huge_answer", size=size, forge=forge, dense=dense)
    report = at.tmp / "report.json"
    with Watch(str(report), at) as watch:
        run = at.grade(root, HELLO, report=report)
    assert_finished(run.outcome)
    assert watch.judges, "no judge process was seen: the measure measured nothing"
    check = index_check(run)
    assert watch.judge_peak < JUDGE_MEMORY, f"the judge peaked at {watch.judge_peak / MIB:.0f} MiB"
    if not size:
        assert check["points"] == check["max_points"], check
        assert run.exercise(HELLO)["score"] == at.honest(HELLO, "solutions").score
        return
    assert check["points"] == 0 and check["status"] == "failed", f"the huge answer passed: {check}"
    reason = "not a response the grader understands" if dense else wire.TOO_BIG  # dense: read, and no page
    assert reason in (check["message"] or ""), f"the reason is not said: {check}"


# -- load that starves a classmate --------------------------------------------------------------


@pytest.mark.parametrize("level", ["user", "uid"], indirect=True)
@pytest.mark.parametrize("forks", [40, 0], ids=["attack", "control"])
def test_busy_processes_cost_a_classmate_nothing(at, forks):
    """Attack: each of mallory's sandboxes forks as many busy processes as it may (each in a session
    of its own, ignoring SIGXCPU, outside its sandbox's process tree) and waits 10 s while they spin,
    as ada, a correct solution, is graded beside her (--jobs 2). Ada must get full marks. Control:
    mallory's same app without spinners or waits."""
    class_dir = at.tmp / "class"
    at.submission(RESPONSES, "solutions", "busy_load", root=class_dir / "mallory" / "exercises", kits=("_unhooked",),
                  forks=forks, until=time.time() + LOAD_SECONDS, hold=HOLD if forks else 0)
    copy_exercise(RESPONSES, "solutions", class_dir / "ada" / "exercises" / RESPONSES)
    out = at.tmp / "gradebook"
    with Watch(str(out), at) as watch:
        run = at.batch(class_dir, RESPONSES, out=out, timeout=300)
    assert_finished(run.outcome, codes=(0, 1))
    if forks:
        assert watch.busiest >= 8, f"the attack never loaded the machine ({watch.busiest} busy at once)"
    fair = at.honest(RESPONSES, "solutions")
    ada = run.exercise("ada", RESPONSES)
    lost = [(c["name"], c["message"]) for c in ada["checks"] if c["points"] < c["max_points"]]
    assert ada["score"] == fair.score == fair.max_score, f"ada lost points to mallory's load: {lost}"
    at.assert_no_leftovers(grace=5)


@pytest.mark.parametrize("level", ["user", "uid"], indirect=True)
@pytest.mark.parametrize("forks", [31, 0], ids=["attack", "control"])
def test_a_sandboxs_processes_share_one_cpu_budget(at, forks):
    """Attack: the first request of each check starts 31 spinners that leave the sandbox's process
    tree, then waits 10 s: together they use far more than the check's 5 s of CPU. The sandbox must
    be stopped for its CPU time (the check fails saying so). Control: no spinners, the page passes."""
    root = at.submission(HELLO, "solutions", "busy_load", kits=("_unhooked",), forks=forks,
                         until=time.time() + 30, hold=HOLD if forks else 0)
    run = at.grade(root, HELLO)
    assert_finished(run.outcome)
    check = index_check(run)
    if not forks:
        assert check["points"] == check["max_points"], check
        return
    assert check["points"] == 0 and "CPU time" in (check["message"] or ""), (
        f"{forks} spinners used more than the check's CPU time unstopped: {check}")
