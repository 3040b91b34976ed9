"""Run a student's pytest suite against apps the grader provides, each run in a sandbox, within time limits.

Where students write the tests (15-testing), a grader judges a suite by running it against apps
whose behaviour it knows: correct ones, on which every test must pass, and broken ones, on which
some test should fail. :func:`run_suites` does that for many apps at once::

    runs = run_suites(open_session, student.path, {"given": source, "broken": broken_source}, gate=["given"])
    runs["given"].clean        # it ran, at least one test passed and none failed
    runs["broken"].caught      # at least one test failed (or could not even be collected)
    runs["given"].problem()    # "tests/test_app.py::test_create failed: assert 200 == 201"

The suite is student code: it runs only in sandboxes. :func:`run_suites` runs in the judge and
never imports it; :func:`grading.sandbox.suite.run_here` is the one run, called inside a sandbox by a probe.

How it keeps the grader safe and the result fair:

- Each app gets a folder of its own, always under the same name (``<temp>/project/``, nothing
  beside it), holding the app's source as ``app.py`` (the grader's own copy: the student's
  ``app.py`` is never used) and copies of the student's ``tests/`` and ``conftest.py``. A new
  sandbox is started on that folder (``open_session(folder)``, the plugin's fixture): its only
  writable places are that folder and its own temporary one, and, as far as the machine allows,
  it sees neither the grader's data nor the other runs nor the network; it ends, with all it
  started, when the run is over. The suite sees the app under test only as the app: the same
  module name and folder name every time, and no other run beside it.
- Sandboxes are forked from the engine's zygote, which has imported Flask, pytest and Hypothesis
  once: a run costs a fork and pytest's own work (where there is no ``fork``, each is a new
  interpreter: slower, same results). At most ``jobs`` sandboxes run at a time.
- In the sandbox, :func:`grading.sandbox.suite.run_here` imports ``app`` from its folder before pytest starts, so the
  suite's ``from app import create_app`` gets the grader's app, whatever ``sys.path`` it sets up.
- Time limits: pytest-timeout fails a test after ``test_timeout`` seconds; a sandbox that has not
  answered ``run_timeout`` seconds after it was asked is ended and its run is a timeout; runs not
  finished ``time_limit`` seconds after :func:`run_suites` started are timeouts too.
- Each answer is only a claim about its own run: the judge keeps what has the expected shape
  (anything else makes that run an error) and measures the time itself.
- Hypothesis runs derandomized, with 50 examples a test and without database, deadline or
  shrinking (unless the suite's own settings say otherwise): the same suite always gets the same
  result, fast, on any machine. Its home folder is one of the sandbox's own, holding a copy of the
  Unicode tables ``st.text()`` needs, which the judge reads once from the graders' home.
- What a run tells is the student's text: test ids and messages are capped (:data:`NODEID_LIMIT`,
  :data:`MESSAGE_LIMIT`). A run on an app students never see (``private``: its source could be
  carried out in a test id or a failure message, or counted in the number of tests) tells only
  whether a test failed or errored: no message, no count, and a test's id only when the same
  suite has that test on a public app too (:meth:`SuiteRun.withheld`).
- pytest runs with ``-x``: one failing test is all a grader needs to know. Hypothesis does not
  write a patch for each failing test (importing libcst for it costs a second per run).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge import remote
from grading.judge.sandboxes import hypothesis_home
from grading.judge.walk import remove_tree

COPY_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
OUTCOMES = ("passed", "failed", "skipped")
NODEID_LIMIT = 160  # characters of a test id a student is shown
MESSAGE_LIMIT = 300  # of a failure's message
HIDDEN = "a test (its id is not shown for this app)"
WITHHELD = "its output is not shown: this app's code is kept from students"


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
            return f"{nodeid} failed: {self.tests[nodeid]['message'] or WITHHELD}"
        if not self.passed:
            return "no test ran (pytest found no test function named test_... in tests/, or every test was skipped)"
        return None

    def withheld(self, shown_ids: set[str]) -> SuiteRun:
        """This run as a student may hear of it when its app is private: whether tests passed,
        failed or errored, ids only from ``shown_ids`` (the suite's ids on public apps), at most
        one test per outcome otherwise, and no message."""
        tests: dict[str, dict] = {}
        for nodeid, test in self.tests.items():
            if nodeid in shown_ids:
                tests[nodeid] = {"outcome": test["outcome"], "message": None}
            elif not any(t["outcome"] == test["outcome"] for i, t in tests.items() if i.startswith(HIDDEN)):
                tests[f"{HIDDEN} #{len(tests) + 1}"] = {"outcome": test["outcome"], "message": None}
        errors = [{"nodeid": e["nodeid"] if e["nodeid"] in shown_ids else "", "message": WITHHELD}
                  for e in self.errors[:1]]
        message = None if self.status == "done" else (self.message if self.status in ("timeout", "crashed", "skipped")
                                                      else f"the test run did not finish on this app ({WITHHELD})")
        return SuiteRun(self.name, self.status, self.exit_code, tests, errors, self.seconds, message)

    @classmethod
    def from_claim(cls, name: str, claim, seconds: float) -> SuiteRun:
        """A run as its sandbox tells it (what :func:`grading.sandbox.suite.run_here` returns), if it
        has that shape; test ids and messages capped."""
        try:
            status = claim["status"]
            tests = {_cap(t["nodeid"], NODEID_LIMIT): {"outcome": t["outcome"], "message": _cap(t["message"])}
                     for t in claim.get("tests", [])}
            errors = [{"nodeid": _cap(e["nodeid"], NODEID_LIMIT), "message": _cap(e["message"])}
                      for e in claim.get("errors", [])]
            exit_code = claim.get("exit_code")
            if status not in ("done", "error") or any(t["outcome"] not in OUTCOMES for t in tests.values()) \
                    or not isinstance(exit_code, (int, type(None))):
                raise ValueError(status)
            return cls(name, status, exit_code, tests, errors, seconds, _cap(claim.get("message")))
        except (TypeError, KeyError, ValueError, AttributeError):
            return cls(name, "error", seconds=seconds,
                       message="the test run gave an answer that could not be read")


def _cap(value, limit: int = MESSAGE_LIMIT) -> str | None:
    """``value`` as text of at most ``limit`` characters (``None`` stays ``None``)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 4] + " […]"


# -- in the judge: every run, each in a sandbox of its own ----------------------------------------


def run_suites(  # noqa: PLR0913
    open_session,
    student_dir: Path,
    apps: dict[str, str],
    *,
    probe,
    gate: tuple[str, ...] | list[str] = (),
    private: tuple[str, ...] | list[str] = (),
    copy: tuple[str, ...] = ("tests", "conftest.py"),
    folder_name: str = "project",
    time_limit: float = 60.0,
    run_timeout: float = 20.0,
    test_timeout: float = 5.0,
    jobs: int = 2,
) -> dict[str, SuiteRun]:
    """Run the suite in ``student_dir`` against each app (name -> source of ``app.py``).

    ``open_session(folder)`` gives a new sandbox on a folder (the plugin's fixture of that name);
    ``probe`` is the module-level function run in it as ``probe(folder, test_timeout,
    unicode_tables)``: :func:`grading.sandbox.suite.run_here` or a grader's function calling it. The apps named in
    ``gate`` run first; unless the suite is clean on all of them, the others are not run (their
    status is "skipped"). The runs of the apps named in ``private`` are :meth:`SuiteRun.withheld`.
    Returns a :class:`SuiteRun` per app, in ``apps`` order.
    """
    deadline = time.monotonic() + time_limit
    starting = threading.Lock()  # one sandbox starts at a time
    tables = _unicode_tables()

    def run(name: str) -> SuiteRun:
        seconds = min(run_timeout, deadline - time.monotonic())
        late = f"the tests were still running after {time_limit:g} s, the time limit"
        if seconds <= 0:
            return SuiteRun(name, "timeout", message=late)
        base = Path(tempfile.mkdtemp(prefix="suite-"))
        try:
            folder = base / folder_name
            _lay_out(folder, apps[name], Path(student_dir), copy)
            with starting:
                session = open_session(folder)
                session.sandbox  # noqa: B018 - started before its time runs
            late = late if seconds < run_timeout else f"the tests were still running after {run_timeout:g} s"
            return _ask(session, probe, name, (str(folder), test_timeout, tables), seconds, late)
        finally:
            remove_tree(base)

    first = [name for name in apps if name in gate]
    rest = [name for name in apps if name not in gate]
    pool = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="suite")
    try:
        runs = dict(zip(first, pool.map(run, first)))
        if all(runs[name].clean for name in first):
            runs.update(zip(rest, pool.map(run, rest)))
        else:
            runs.update((name, SuiteRun(name, "skipped", message="not run: the suite fails on a correct app"))
                        for name in rest)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    shown = {part for name, run in runs.items() if name not in private  # ids, and their files, seen on public apps
             for nodeid in [*run.tests, *(e["nodeid"] for e in run.errors)] for part in (nodeid, nodeid.split("::")[0])}
    return {name: runs[name].withheld(shown) if name in private else runs[name] for name in apps}


def _lay_out(folder: Path, source: str, student_dir: Path, copy: tuple[str, ...]) -> None:
    """The run's folder: the app under test as ``app.py``, and the student's files to copy."""
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    for entry in copy:
        _copy(student_dir / entry, folder / entry)


def _copy(source: Path, target: Path) -> None:
    if source.is_symlink():  # copied as a link: the sandbox resolves it, with what it may see
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, ignore=COPY_IGNORED, symlinks=True)
    elif source.is_file():
        shutil.copyfile(source, target)


def _ask(session, probe, name: str, args: tuple, seconds: float, late: str) -> SuiteRun:  # noqa: PLR0913
    """Run ``probe`` in the session's sandbox; past ``seconds``, the sandbox is ended (``late`` says so)."""
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        session.close()

    timer = threading.Timer(seconds, stop)
    started = time.monotonic()
    timer.start()
    try:
        claim = remote.probe(session, probe, None, *args)
    except (remote.StudentCodeError, remote.StudentError) as exc:
        took = time.monotonic() - started
        if expired.is_set():
            return SuiteRun(name, "timeout", seconds=took, message=late)
        if isinstance(exc, remote.StudentError):
            return SuiteRun(name, "error", seconds=took, message=f"the test run raised {exc.describe()}")
        return SuiteRun(name, "crashed", seconds=took,
                        message="the test run ended Python before pytest finished: "
                        "does a test call os._exit() or sys.exit()?")
    finally:
        timer.cancel()
        session.close()
    return SuiteRun.from_claim(name, claim, time.monotonic() - started)


def _unicode_tables() -> dict[str, bytes]:
    """Hypothesis' Unicode tables (``st.text()`` needs them: by category, and what UTF-8 encodes),
    as files of its home folder (path -> content), read once here from the graders' home and
    built there first if needed. Each sandbox gets its own copy: it may not write the graders'
    home, which Hypothesis writes 0600 anyway, and building them costs a run seconds."""
    home = Path(hypothesis_home())
    with contextlib.suppress(Exception):
        from hypothesis.configuration import storage_directory
        from hypothesis.internal import charmap

        if storage_directory(intent_to_write=False).path == home:  # as the grading plugin sets it
            charmap.charmap()
            charmap.intervals_from_codec("utf-8")
    tables = {}
    for path in sorted((home / "unicode_data" / unicodedata.unidata_version).glob("*.json.gz"))[:10]:
        with contextlib.suppress(OSError):
            tables[path.relative_to(home).as_posix()] = path.read_bytes()
    return tables


# -- in the sandbox: one run, pytest on one folder ----------------------------------------------










