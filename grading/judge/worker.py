"""Grade exercises, each in a judge process of its own, within time limits.

Each exercise's grader module runs with pytest in a judge process (a child of this one). The
judges never run student code: every check gets a sandbox of its own, forked by this run's
zygote (:mod:`grading.judge.sandboxes`), started here before the judges. Why not a judge per check:
starting pytest costs about 0.4 s, so the checks of one exercise share one.

Where ``fork`` exists the judges are forked from this process after Flask, pytest and
Hypothesis are imported once, so a judge starts in milliseconds. Elsewhere they are spawned
(slower, same results).

The points of a check are the judge's: the plan's points when it passed, 0 otherwise.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.metadata
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge import sandboxes
from grading.judge.course import RENAME_ADVICE, Exercise, grader_ids, renamed_folder, requirement_modules
from grading.judge.cpus import available_cpus
from grading.judge.results import CheckResult, ExerciseResult
from grading.judge.walk import remove_tree

CHECK_TIMEOUT = 5.0  # seconds per check, unless a check's @pytest.mark.timeout says otherwise
MAX_RESTARTS = 5  # after a crash, the remaining checks get a fresh process this many times
CLEAN_ENV_PREFIXES = ("FLASK_", "APP_ENV", "WERKZEUG_")

_context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")


def preload(exercises: list[Exercise]) -> None:
    """Import what every judge will need, once, before forking (no student code, no extension)."""
    import _hypothesis_pytestplugin  # noqa: F401
    import flask  # noqa: F401
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    import pytest_timeout  # noqa: F401
    from _pytest.config import default_plugins

    import grading.judge.plugin  # noqa: F401

    for name in default_plugins:  # pytest imports these lazily on every start otherwise
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{name}")
    gc.collect()
    gc.freeze()  # the judges' collections (pytest runs gc.collect() at its end) skip all of this


# -- the child --------------------------------------------------------------------------------


def _child(grader: str, root: str, results: str, skip: list[str], failed: list[str], collect_only: bool,  # noqa: PLR0913
           debug: bool) -> None:
    """Runs in the exercise's own process: pytest on one grader module."""
    if hasattr(os, "setsid"):
        os.setsid()  # so the parent can end us and anything we start, together
    if not debug:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)  # megabytes printed by student code go nowhere, fast
        sys.stdout = sys.stderr = open(os.devnull, "w")  # also when forked from a captured pytest
    for key in list(os.environ):
        if key.startswith(CLEAN_ENV_PREFIXES):
            del os.environ[key]
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only our plugins, not whatever is installed
    sys.dont_write_bytecode = True  # no __pycache__ appears in the student's folder
    for name in [m for m in sys.modules if m.startswith(("test_", "conftest", "tests."))]:
        del sys.modules[name]  # when forked from our own tests, their modules are not graders
    import pytest

    args = [
        grader,
        "-c", str(Path(grader).parent / "pytest.ini"),
        "--rootdir", str(Path(grader).parent.parent),
        "--exercise-root", root,
        "--grading-results", results,
        "--basetemp", results + ".tmp",  # a fresh folder: no scan of old pytest temp folders
        "--grading-skip", ",".join(skip),
        "--grading-failed", ",".join(failed),  # what a check needs is known across restarts
        "-q", "-p", "no:cacheprovider", "-p", "pytest_timeout", "-p", "_hypothesis_pytestplugin",
    ]
    if collect_only:
        args.append("--collect-only")
    code = pytest.main(args)
    with open(results, "a", encoding="utf-8") as out:
        out.write(json.dumps({"event": "done", "exit": int(code)}) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _kill(process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.join(1)


# -- the parent -------------------------------------------------------------------------------


@dataclass
class _Job:
    exercise: Exercise
    root: Path
    missing: bool
    started: float = 0.0
    restarts: int = 0
    plan: list[dict] = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)
    crashed: list[str] = field(default_factory=list)
    error: str | None = None
    process: object = None
    events_path: str = ""
    done: bool = False
    isolation: str | None = None


def grade(
    exercises: list[Exercise],
    root: Path,
    jobs: int | None = None,
    on_result=None,
    debug: bool = False,
) -> list[ExerciseResult]:
    """Grade ``exercises`` found under ``root``; call ``on_result`` as each one finishes."""
    root = Path(root).resolve()
    jobs = max(1, jobs or default_jobs())
    pending = [_Job(e, root, missing=not (root / e.id).is_dir() or (root / e.id).is_symlink()) for e in exercises]
    own_zygote = sandboxes._current is None and any(not job.missing for job in pending)
    if own_zygote:  # first: it starts while this process imports what the judges need
        sandboxes.start(exercises[0].course_dir, requirement_modules(exercises), hide=[str(root)])
    preload(exercises)
    tmp = tempfile.mkdtemp(prefix="grading-")
    running: list[_Job] = []
    finished: dict[str, ExerciseResult] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                job = pending.pop(0)
                job.started = time.monotonic()
                _start(job, tmp, debug)
                running.append(job)
            now = time.monotonic()
            deadline = min(j.started + j.exercise.time_limit for j in running)
            multiprocessing.connection.wait([j.process.sentinel for j in running], timeout=max(0.0, deadline - now))
            for job in list(running):
                over_time = time.monotonic() > job.started + job.exercise.time_limit
                if job.process.is_alive() and not over_time:
                    continue
                if over_time and job.process.is_alive():
                    _kill(job.process)
                    job.error = (
                        f"Grading took longer than {job.exercise.time_limit:g} s and was stopped: "
                        "look for code that never finishes."
                    )
                job.process.join()
                _read_events(job)
                if job.error is None and _needs_restart(job):
                    job.restarts += 1
                    _start(job, tmp, debug)
                    continue
                running.remove(job)
                result = _result(job)
                finished[job.exercise.id] = result
                if on_result:
                    on_result(result)
    finally:
        for job in running:
            _kill(job.process)
        if own_zygote:
            sandboxes.stop()  # every sandbox, and all they started, ends here
        remove_tree(tmp)  # however deep what student code left there
    return [finished[e.id] for e in exercises]


def default_jobs() -> int:
    """Exercises graded at once: one more than the CPUs, since a judge mostly waits (for its
    sandboxes, or for a check that sleeps, as 13-async's do) and the CPUs then do another's work."""
    return available_cpus() + 1


def _start(job: _Job, tmp: str, debug: bool) -> None:
    job.events_path = os.path.join(tmp, f"{job.exercise.id}-{job.restarts}.jsonl")
    skip = list(job.results) + job.crashed
    failed = [name for name, got in job.results.items() if got.get("status") != "passed"] + job.crashed
    job.process = _context.Process(
        target=_child,
        args=(str(job.exercise.grader), str(job.root), job.events_path, skip, failed, job.missing, debug),
        daemon=True,
    )
    job.process.start()


def _read_events(job: _Job) -> None:
    job.done = False
    running_check = None
    try:
        with open(job.events_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        kind = event.get("event")
        if kind == "plan" and not job.plan:
            job.plan = event["checks"]
        elif kind == "start":
            running_check = event["name"]
        elif kind == "result":
            job.results[event["name"]] = event
            running_check = None
        elif kind == "isolation":
            job.isolation = str(event.get("level"))
        elif kind == "done":
            job.done = True
            if event["exit"] in (2, 3, 4) and not job.results and not job.missing:
                job.error = "The grader could not be loaded (pytest exit %d): tell your instructor." % event["exit"]
    if not job.done and job.error is None:
        if running_check and running_check not in job.crashed:
            job.crashed.append(running_check)
        elif not job.plan:
            job.error = (
                "The grading process ended before any check ran "
                f"(exit code {job.process.exitcode}): tell your instructor."
            )


def _needs_restart(job: _Job) -> bool:
    if job.done or not job.plan:
        return False
    left = [c for c in job.plan if c["name"] not in job.results and c["name"] not in job.crashed]
    return bool(left) and job.restarts < MAX_RESTARTS


def missing_message(root: Path, exercise: Exercise) -> str:
    """An exercise folder not found, and the folder that looks like it renamed, if there is one."""
    where = f"{root.name}/{exercise.id} was not found"
    renamed = renamed_folder(root, exercise.id, grader_ids(exercise.course_dir))
    if renamed:
        return f"{where}, but {root.name}/{renamed} is there: {RENAME_ADVICE} {exercise.id}."
    return where + "."


def _result(job: _Job) -> ExerciseResult:
    ex = job.exercise
    checks = []
    crash_message = (
        "The grading process stopped during this check: your code ended Python "
        "(os._exit, a crash, or a signal)."
    )
    missing = missing_message(job.root, ex) if job.missing else None
    for planned in job.plan:
        name = planned["name"]
        got = job.results.get(name)
        cause = got.get("cause") if got else None
        hint = ex.hint(name.split("[")[0], cause)
        if job.missing:
            status, points, message = "error", 0.0, missing
        elif got:  # the judge's verdict; the points are the plan's, never the child's word
            status, message = got["status"], got["message"]
            points = float(planned["points"]) if status == "passed" else 0.0
        elif name in job.crashed:
            status, points, message = "error", 0.0, crash_message
        else:
            status, points = "error", 0.0
            message = job.error or "Not run: the grading process stopped before this check."
        checks.append(
            CheckResult(
                name=name,
                points=float(points),
                max_points=float(planned["points"]),
                status=status,
                message=message,
                hint=None if status in ("passed", "not_run") else hint,
                doc=planned["doc"],
                cause=cause,
                details=got.get("details") if got and isinstance(got.get("details"), dict) else None,
            )
        )
    result = ExerciseResult(id=ex.id, title=ex.title, status="failed", checks=checks)
    result.seconds = time.monotonic() - job.started
    result.isolation = job.isolation
    if job.missing:
        result.status = "missing"
        result.error = missing
    elif job.error:
        result.status = "error"
        result.error = job.error
    elif checks and all(c.status in ("error", "timeout", "not_run") for c in checks):
        result.status = "error"
        result.error = next((c.message for c in checks if c.message), "No check could run.")
    elif result.max_score and result.score == result.max_score:
        result.status = "passed"
    elif not checks:
        result.status = "error"
        result.error = "The grader has no checks: tell your instructor."
    return result
