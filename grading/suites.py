"""Run a student's pytest suite against apps the grader provides, in a subprocess, within time limits.

Where students write the tests (15-testing), a grader judges a suite by running it against apps
whose behaviour it knows: correct ones, on which every test must pass, and broken ones, on which
some test should fail. :func:`run_suites` does that for many apps at once::

    runs = run_suites(student.path, {"given": source, "broken": broken_source}, gate=["given"])
    runs["given"].clean        # it ran, at least one test passed and none failed
    runs["broken"].caught      # at least one test failed (or could not even be collected)
    runs["given"].problem()    # "tests/test_app.py::test_create failed: assert 200 == 201"

How it keeps the grader safe and the result fair:

- Each app gets a throwaway folder holding the app's source as ``app.py`` (the grader's own copy:
  the student's ``app.py`` is never used) and copies of the student's ``tests/`` and
  ``conftest.py``. The suite runs there, with that folder as its working directory, so what it
  writes lands in the copy, deleted afterwards; nothing of the grader is run in place.
- The suites run in one fresh Python process (no memory shared with the grader, which keeps its
  result files; FLASK_*, PYTEST_*, HYPOTHESIS_* ... variables removed; installed pytest plugins
  not autoloaded). It imports Flask, pytest and Hypothesis once, freezes them out of the garbage
  collector's sight (pytest calls ``gc.collect()`` in every run), then forks a child per app,
  ``jobs`` at a time: a run costs 0.1-0.3 s instead of a 0.7 s interpreter start plus imports.
  Where ``fork`` does not exist, each child is a new interpreter instead (slower, same results).
- Each child imports ``app`` from its folder before pytest starts, so the suite's
  ``from app import create_app`` gets the grader's app, whatever ``sys.path`` it sets up.
- Time limits: pytest-timeout fails a test after ``test_timeout`` seconds; a run still going after
  ``run_timeout`` is killed; after ``time_limit`` the whole process group is killed and the runs
  not finished are reported as such.
- Hypothesis runs derandomized, with 50 examples a test and without database, deadline or
  shrinking (unless the suite's own settings say otherwise): the same suite always gets the same
  result, fast, on any machine. Its home folder, with the Unicode tables ``st.text()`` needs, is
  the graders' one in the system's temporary folder, read once by the runner.
- pytest runs with ``-x``: one failing test is all a grader needs to know. Hypothesis does not
  write a patch for each failing test (importing libcst for it costs a second per run).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

CLEARED_ENV_PREFIXES = ("FLASK_", "APP_ENV", "WERKZEUG_", "PYTEST_", "HYPOTHESIS_", "PYTHONSTARTUP", "PYTHONBREAKPOINT")
COPY_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
PYTEST_INI = "[pytest]\ntestpaths = tests\n"


@dataclass
class SuiteRun:
    """What one run of the suite against one app gave."""

    name: str
    status: str  # done | timeout | crashed | skipped | error
    exit_code: int | None = None
    tests: dict[str, dict] = field(default_factory=dict)  # node id -> {"outcome", "message"}
    errors: list[dict] = field(default_factory=list)  # collection errors: {"nodeid", "message"}
    seconds: float = 0.0
    message: str | None = None  # why a run is not "done"

    def outcomes(self, outcome: str) -> list[str]:
        return [nodeid for nodeid, t in self.tests.items() if t["outcome"] == outcome]

    @property
    def passed(self) -> list[str]:
        return self.outcomes("passed")

    @property
    def failed(self) -> list[str]:
        return self.outcomes("failed")

    @property
    def clean(self) -> bool:
        """Finished, collected, at least one test passed and none failed."""
        return self.status == "done" and not self.errors and not self.failed and bool(self.passed)

    @property
    def caught(self) -> bool:
        """Finished, and at least one test failed (or the suite could not be collected)."""
        return self.status == "done" and bool(self.errors or self.failed)

    def problem(self) -> str | None:
        """Why this run is not clean, in a sentence for the student; ``None`` when it is."""
        if self.status != "done":
            return self.message or f"the run did not finish ({self.status})"
        if self.errors:
            error = self.errors[0]
            return f"{error['nodeid'] or 'the tests'} could not be collected: {error['message']}"
        if self.failed:
            nodeid = self.failed[0]
            return f"{nodeid} failed: {self.tests[nodeid]['message']}"
        if not self.passed:
            return "no test ran (pytest found no test function named test_... in tests/, or every test was skipped)"
        return None

    @classmethod
    def from_json(cls, data: dict) -> SuiteRun:
        return cls(**data)


def run_suites(  # noqa: PLR0913
    student_dir: Path,
    apps: dict[str, str],
    *,
    gate: tuple[str, ...] | list[str] = (),
    copy: tuple[str, ...] = ("tests", "conftest.py"),
    time_limit: float = 60.0,
    run_timeout: float = 20.0,
    test_timeout: float = 5.0,
    jobs: int | None = None,
) -> dict[str, SuiteRun]:
    """Run the suite in ``student_dir`` against each app (name -> source of ``app.py``).

    The apps named in ``gate`` run first; unless the suite is clean on all of them, the others are
    not run (their status is "skipped"). Returns a :class:`SuiteRun` per app, in ``apps`` order.
    """
    base = Path(tempfile.mkdtemp(prefix="suites-"))
    try:
        runs = []
        for index, (name, source) in enumerate(apps.items()):
            folder = base / f"run{index}"
            folder.mkdir()
            (folder / "app.py").write_text(source, encoding="utf-8")
            for entry in copy:
                _copy(Path(student_dir) / entry, folder / entry)
            runs.append({"name": name, "folder": str(folder), "result": str(base / f"run{index}.json")})
        (base / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
        spec = {
            "runs": runs,
            "gate": [name for name in gate if name in apps],
            "ini": str(base / "pytest.ini"),
            "jobs": max(1, jobs or os.cpu_count() or 1),
            "run_timeout": run_timeout,
            "test_timeout": test_timeout,
            "hypothesis_home": str(Path(tempfile.gettempdir()) / "flask-exercises-hypothesis"),
        }
        spec_path = base / "spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        _serve_in_subprocess(spec_path, base, time_limit)
        return {run["name"]: _read_result(run, time_limit) for run in runs}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=COPY_IGNORED, symlinks=True)
    elif source.is_file():
        shutil.copyfile(source, target)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED_ENV_PREFIXES)}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONHASHSEED="0")
    return env


def _bootstrap(*call: str) -> list[str]:
    """A command running ``grading.suites.<call>`` without leaving the course on ``sys.path``."""
    course = str(Path(__file__).resolve().parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {course!r}); import grading.suites as s; "
        f"sys.path.remove({course!r}); s.{call[0]}(*sys.argv[1:])"
    )
    return [sys.executable, "-c", code, *call[1:]]


def _serve_in_subprocess(spec_path: Path, base: Path, time_limit: float) -> None:
    with open(base / "runner.log", "wb") as log:
        process = subprocess.Popen(
            _bootstrap("_serve", str(spec_path)),
            cwd=base,
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=hasattr(os, "setsid"),
        )
        try:
            process.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    """End the runner and whatever the suites started that is still around."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with contextlib.suppress(Exception):
        process.wait(5)


def _read_result(run: dict, time_limit: float) -> SuiteRun:
    try:
        with open(run["result"], encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return SuiteRun(run["name"], "timeout", message=f"the tests were still running after {time_limit:g} s, the time limit")
    except ValueError:
        return SuiteRun(run["name"], "error", message="the test run left an unreadable result")
    data["name"] = run["name"]
    return SuiteRun.from_json(data)


# -- the runner process -----------------------------------------------------------------------


def _serve(spec_path: str) -> None:
    """Runs in the subprocess: every run of the spec, the gate first, ``jobs`` at a time."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    _preload(spec["hypothesis_home"])
    gc.freeze()  # what is loaded now stays: pytest's gc.collect() calls in each child skip it
    gate = [r for r in spec["runs"] if r["name"] in spec["gate"]]
    rest = [r for r in spec["runs"] if r["name"] not in spec["gate"]]
    _run_all(gate, spec)
    if all(_load(r).clean for r in gate):
        _run_all(rest, spec)
    else:
        for run in rest:
            _write(run["result"], {"status": "skipped", "message": "not run: the suite fails on a correct app"})


def _preload(hypothesis_home: str) -> None:
    import importlib

    import flask  # noqa: F401
    import flask.testing  # noqa: F401
    import pytest  # noqa: F401
    from _pytest.config import default_plugins

    for name in default_plugins:  # pytest imports these on every start otherwise
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{name}")

    with contextlib.suppress(ImportError):
        import pytest_timeout  # noqa: F401
    with contextlib.suppress(ImportError):
        import _hypothesis_pytestplugin  # noqa: F401
        from hypothesis import HealthCheck, Phase, settings
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(hypothesis_home)
        settings.register_profile(
            "graded-suite",
            database=None,
            derandomize=True,
            deadline=None,
            max_examples=50,
            print_blob=False,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        settings.load_profile("graded-suite")
        sys.modules["hypothesis.extra._patching"] = None  # its plugin then skips writing patches
        from hypothesis.internal import charmap

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "slow code in plugin": exactly why it happens here, once
            charmap.charmap()  # st.text() needs it: built (or read from the home folder) once, not per run


def _load(run: dict) -> SuiteRun:
    try:
        with open(run["result"], encoding="utf-8") as f:
            return SuiteRun.from_json({**json.load(f), "name": run["name"]})
    except (OSError, ValueError, TypeError):
        return SuiteRun(run["name"], "error")


def _write(path: str, data: dict) -> None:
    with open(path + ".part", "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(path + ".part", path)


def _run_all(runs: list[dict], spec: dict) -> None:
    pending = list(runs)
    running: dict[int, tuple[dict, float, object]] = {}  # pid -> (run, started, Popen or None)
    while pending or running:
        while pending and len(running) < spec["jobs"]:
            run = pending.pop(0)
            pid, handle = _start(run, spec)
            running[pid] = (run, time.monotonic(), handle)
        time.sleep(0.005)
        for pid, (run, started, handle) in list(running.items()):
            code = _poll(pid, handle)
            seconds = time.monotonic() - started
            if code is None and seconds < spec["run_timeout"]:
                continue
            if code is None:
                _kill_pid(pid, handle)
                _write(run["result"], {
                    "status": "timeout",
                    "seconds": seconds,
                    "message": f"the tests were still running after {spec['run_timeout']:g} s",
                })
            elif not os.path.exists(run["result"]):
                _write(run["result"], {
                    "status": "crashed",
                    "exit_code": code,
                    "seconds": seconds,
                    "message": f"the test run ended Python before pytest finished (exit status {code}): "
                               "does a test call os._exit() or sys.exit()?",
                })
            del running[pid]


def _start(run: dict, spec: dict):
    args = (run["folder"], run["result"], spec["ini"], str(spec["test_timeout"]))
    if hasattr(os, "fork"):
        pid = os.fork()
        if pid == 0:
            try:
                _child(*args)
            finally:
                os._exit(70)
        return pid, None
    handle = subprocess.Popen(_bootstrap("_spawned_child", spec["hypothesis_home"], *args), env=os.environ.copy())
    return handle.pid, handle


def _spawned_child(hypothesis_home: str, *args: str) -> None:
    """A child started as a new interpreter, where ``fork`` does not exist."""
    _preload(hypothesis_home)
    _child(*args)


def _poll(pid: int, handle) -> int | None:
    if handle is not None:
        return handle.poll()
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def _kill_pid(pid: int, handle) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.kill(pid, signal.SIGKILL)
    if handle is not None:
        handle.wait()
    else:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


# -- one run: pytest on one folder ------------------------------------------------------------


class _Recorder:
    """A pytest plugin that notes every test's outcome and every collection error."""

    def __init__(self):
        self.tests: dict[str, dict] = {}
        self.errors: list[dict] = []

    def pytest_runtest_logreport(self, report):
        entry = self.tests.setdefault(report.nodeid, {"outcome": "passed", "message": None})
        if report.failed and entry["outcome"] != "failed":
            entry.update(outcome="failed", message=_short(report))
        elif report.skipped and report.when in ("setup", "call"):
            entry["outcome"] = "skipped"

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append({"nodeid": report.nodeid, "message": _short(report)})


def _short(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()] or [""]
    text = lines[0] if crash is not None else lines[-1]  # a collection error ends with its cause
    return text if len(text) <= 300 else text[:295] + " […]"


def _child(folder: str, result: str, ini: str, test_timeout: str) -> None:
    """pytest on the suite in ``folder``, whose ``app.py`` is the app under test."""
    started = time.monotonic()
    os.chdir(folder)
    out = os.open(os.path.join(folder, "pytest-output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    sys.stdout = sys.stderr = open(1, "w", closefd=False)
    sys.dont_write_bytecode = True
    sys.path.insert(0, folder)
    data: dict = {"status": "done"}
    try:
        import app  # noqa: F401 - the grader's app, whatever path the suite sets up
    except BaseException as exc:  # noqa: BLE001
        data = {"status": "error", "message": f"the app under test could not be imported ({type(exc).__name__}: {exc})"}
    else:
        import pytest

        recorder = _Recorder()
        args = [
            "tests", "-c", ini, "--rootdir", folder, "-x", "-q", "-p", "no:cacheprovider",
            "--basetemp", os.path.join(folder, ".pytest-tmp"), "-W", "ignore::DeprecationWarning",
        ]
        with contextlib.suppress(ImportError):
            import pytest_timeout  # noqa: F401

            args += ["-p", "pytest_timeout", "-o", f"timeout={test_timeout}", "-o", "timeout_method=signal"]
        with contextlib.suppress(ImportError):
            import _hypothesis_pytestplugin  # noqa: F401

            args += ["-p", "_hypothesis_pytestplugin"]
        code = pytest.main(args, plugins=[recorder])
        data.update(exit_code=int(code), tests=recorder.tests, errors=recorder.errors)
    data["seconds"] = time.monotonic() - started
    sys.stdout.flush()
    _write(result, data)
    os._exit(0)
