"""The pytest plugin every grader runs under (``-p grading.judge.plugin``, set in ``graders/pytest.ini``).

This is the judge: it runs in the grading process, which never imports or runs student code.
It gives a grader module the fixtures it needs, each a stand-in for the student's code running
in a sandbox of its own, new for every check (:mod:`grading.judge.remote`, :mod:`grading.judge.sandboxes`):

``exercise``  the exercise's metadata (``exercise.yaml``)
``student``   the student's code, in a private copy (their files are never touched)
``test_config`` ``None``; a factory exercise's grader overrides it
``app``       the student's app, built afresh for each check, in the check's sandbox
``make_app``  ``make_app(arg)`` builds one more (a second app, another configuration)
``client``    ``app.test_client()``: answers come back as Flask responses
``runner``    ``app.test_cli_runner()``
``templates`` the ``(template name, context)`` pairs rendered during the check
``environ``   the environment of the student's code in this check (graders set ``FLASK_*`` here)
``open_session`` ``open_session(folder)``: more sandboxes, on folders of the grader's choice

Each check is a test function marked ``@pytest.mark.points(n)``; ``@pytest.mark.needs("check", ...)``
names earlier checks it builds on (check50's dependencies): when one of them did not pass, this
check is *not run* (0 points, no hint), so one cause is said once. The plugin records every check's
outcome (passed or not, a message for the student) as JSON lines for :mod:`grading.judge.worker`, which
gives the points: those of the plan, never more, never less than zero.
"""

from __future__ import annotations

import builtins
import inspect
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from grading.judge import sandboxes
from grading.judge.course import COURSE_DIR, exercise_id_for_grader, load_exercise
from grading.judge.expect import CheckFailed, PreconditionFailed, exception_cause
from grading.judge.remote import Session, Student, StudentCodeError, StudentError

IGNORED_WHEN_COPYING = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".git", ".venv", "venv", "node_modules", ".pytest_cache", ".hypothesis"
)
HUNG_OPS = ("import", "app", "call", "run_main")
CHECK_SECONDS = 5.0  # CPU seconds a check's student code may use, unless the check says otherwise
# A crowded or slow machine (half a CPU on Gradescope) must not cost a correct solution its points:
# student code is stopped by its CPU time, and by the clock only at this many times that (code that
# sleeps or waits forever).
WALL_FACTOR = 3


def pytest_addoption(parser):
    group = parser.getgroup("grading")
    group.addoption("--exercise-root", default=None, help="folder holding the exercise folders to grade")
    group.addoption("--grading-results", default=None, help="write check results here as JSON lines")
    group.addoption("--grading-skip", default="", help="comma-separated checks not to run again")
    group.addoption("--grading-failed", default="", help="comma-separated checks that did not pass in an earlier run")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): the points a check is worth")
    config.addinivalue_line("markers", "needs(*checks): earlier checks this one builds on; not run unless they pass")
    _configure_hypothesis()
    out = config.getoption("--grading-results")
    config.stash[_events_key] = open(out, "a", encoding="utf-8") if out else None


def _configure_hypothesis():
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "flask-exercises-hypothesis")
    settings.register_profile(
        "grading",
        database=None,  # nothing is written next to the student's code
        derandomize=True,  # the same code always gets the same score
        max_examples=40,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no slow 'explain' phase
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    settings.load_profile("grading")


def pytest_unconfigure(config):
    stream = config.stash.get(_events_key, None)
    if stream:
        stream.close()
    sandboxes.stop()  # only if this process started the zygote (pytest run on a grader by hand)


_events_key = pytest.StashKey()


def _emit(config, event: dict) -> None:
    stream = config.stash.get(_events_key, None)
    if stream:
        stream.write(json.dumps(event) + "\n")
        stream.flush()


# -- what a check is ----------------------------------------------------------------------


def check_name(item) -> str:
    return item.name.removeprefix("test_")


def check_doc(item) -> str:
    """What a check is about: the whole first paragraph of its docstring, on one line."""
    doc = inspect.cleandoc((getattr(item, "function", None) and item.function.__doc__) or "")
    return " ".join(doc.split("\n\n")[0].split()) or check_name(item)


def check_points(item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid}: every check needs @pytest.mark.points(n)")
    return float(marker.args[0])


def pytest_collection_modifyitems(session, config, items):
    skip = {s for s in config.getoption("--grading-skip").split(",") if s}
    plan = [{"name": check_name(i), "doc": check_doc(i), "points": check_points(i)} for i in items]
    _emit(config, {"event": "plan", "checks": plan})
    _check_needs(items)
    failed = {s for s in config.getoption("--grading-failed").split(",") if s}
    config.stash[_outcomes_key] = {(i.module.__name__, check_name(i)): ("failed", None) for i in items
                                   if check_name(i) in failed}
    items[:] = [i for i in items if check_name(i) not in skip]
    for item in items:  # a check's time is CPU time; the clock only stops code that sleeps or blocks
        seconds = check_seconds(item)
        item.stash[_cpu_key] = seconds
        item.add_marker(pytest.mark.timeout(seconds * WALL_FACTOR), append=False)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_cancel_timer(item):
    """Before pytest-timeout stops a check's clock: stop it here first, where the sandboxes' watchdog
    (which moves it while the machine is too busy to run the student's code) cannot race it."""
    sandboxes.WATCHDOG.cancel_deadline()


def check_seconds(item) -> float:
    """The CPU time a check's sandbox may use: its ``@pytest.mark.timeout``, or the graders' default."""
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    return float(item.config.getini("timeout") or CHECK_SECONDS)


_cpu_key = pytest.StashKey()
_session_key = pytest.StashKey()


def check_needs(item) -> list[str]:
    """The checks ``item`` builds on: the names in its ``@pytest.mark.needs(...)`` markers."""
    return [str(name) for marker in item.iter_markers("needs") for name in marker.args]


def _check_needs(items) -> None:
    """A check may only need checks of its own grader defined above it; also when it runs alone (a
    check whose prerequisite is not run in this session runs: nothing says the prerequisite failed)."""
    for item in items:
        defined = [name.removeprefix("test_") for name in vars(item.module) if name.startswith("test_")]
        name = item.originalname.removeprefix("test_") if hasattr(item, "originalname") else check_name(item)
        above = set(defined[: defined.index(name)]) if name in defined else set()
        for needed in check_needs(item):
            if needed not in above:
                raise pytest.UsageError(f"{item.nodeid}: needs {needed!r}, which is not a check above it in its grader")


_outcomes_key = pytest.StashKey()  # (grader module, check) -> (status, message), as the checks finish
_not_run_key = pytest.StashKey()


def pytest_runtest_logstart(nodeid, location):
    pass


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _emit(item.config, {"event": "start", "name": check_name(item)})
    outcomes = item.config.stash.get(_outcomes_key, {})
    unmet = [n for n in check_needs(item) if outcomes.get((item.module.__name__, n), ("passed",))[0] != "passed"]
    if unmet:  # the cause is said by the check it needs (or, if that one was not run either, by its cause)
        status, message = outcomes[(item.module.__name__, unmet[0])]
        item.stash[_not_run_key] = message if status == "not_run" and message else f"{NOT_RUN}needs {unmet[0]} (see above)."
        pytest.skip(item.stash[_not_run_key])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "call" or (call.when == "setup" and report.outcome != "passed"):
        cause = None
        if _not_run_key in item.stash:
            status, message = "not_run", item.stash[_not_run_key]
        else:
            status, message = _judge(item, call, report)
            status, message = _once(item, call, status, message)
            if status in ("failed", "error", "timeout") and call.excinfo is not None:
                cause = cause_of(call.excinfo.value)
        item.config.stash.setdefault(_outcomes_key, {})[(item.module.__name__, check_name(item))] = (status, message)
        points = check_points(item) if status == "passed" else 0.0
        event = {"event": "result", "name": check_name(item), "status": status, "points": points, "message": message,
                 "cause": cause}
        if status not in ("passed", "not_run"):
            event["details"] = _details(item, call)
        _emit(item.config, event)
        if status != "passed" and report.outcome == "passed":
            report.outcome = "failed"


def _judge(item, call, report) -> tuple[str, str | None]:
    if report.outcome == "passed" or call.excinfo is None:
        return "passed", None
    exc = _unwrap(call.excinfo.value)
    doing, importing = Session.in_flight, Session.importing
    Session.in_flight = Session.importing = None
    if isinstance(exc, StudentCodeError):
        status = {"timeout": "timeout", "import": "error", "gone": "error"}.get(exc.kind, "failed")
        return status, str(exc)
    if _is_timeout(exc) and importing:
        return "timeout", (
            f"Importing {importing}.py (or building the app) did not finish in time: look for an endless loop, "
            "input() or a server started at module level."
        )
    if _is_timeout(exc):
        limit = re.search(r">([\d.]+)s", str(exc))
        seconds = f"{float(limit.group(1)):g} s" if limit else "the time limit"
        while_doing = f" (while answering {doing})" if doing else ""
        return "timeout", (
            f"This check did not finish within {seconds}{while_doing}: look for an endless loop or a "
            "call that waits forever."
        )
    if isinstance(exc, CheckFailed):
        return "failed", str(exc) + _raised_meanwhile(item, str(exc))
    if isinstance(exc, AssertionError):
        said = str(exc).split("\nassert ")[0].strip() or "An expectation of this check was not met."
        return "failed", said + _raised_meanwhile(item, said)
    if isinstance(exc, StudentError):
        return "failed", f"{doing or 'Your code'} raised {exc.describe()}."
    cause = student_cause(exc)  # the student's exception, caught and raised again as another one
    if isinstance(cause, StudentCodeError):
        return ("timeout" if cause.kind == "timeout" else "failed"), str(cause)
    if isinstance(cause, StudentError):
        return "failed", f"{doing or 'Your code'} raised {cause.describe()}."
    return "error", f"The grader could not run this check ({type(exc).__name__}: {exc}); tell your instructor."


def _raised_meanwhile(item, message: str) -> str:
    """`` Your code raised ... in app.py, line N (f).`` when student code raised, unhandled, during a
    failed check whose message does not say so (a grader comparing bodies sees only a 500 page)."""
    session = item.stash.get(_session_key, None)
    last = next((f for f in reversed(session.failures) if f.get("type") and not f.get("handled")), None) \
        if session is not None else None  # an exception the app's own error handler answered is not a cause
    if last is None:
        return ""
    raised = StudentError(last)
    if " raised " in message or "Your error handler" in message or raised.describe() in message or (
            raised.where and raised.where in message):
        return ""
    return f" Your code raised {raised.describe()}."


def _details(item, call) -> dict | None:
    """For ``--debug``: the student's frames of the exception behind a failure (or the last one the
    check saw) and what their code printed during the check."""
    session = item.stash.get(_session_key, None)
    exc = _unwrap(call.excinfo.value) if call.excinfo is not None else None
    behind = exc if isinstance(exc, (StudentError, StudentCodeError)) else (
        getattr(exc, "student_exception", None) or student_cause(exc) if exc is not None else None)
    frames = getattr(behind, "frames", None) or []
    if not frames and session is not None:
        frames = next((f["frames"] for f in reversed(session.failures) if f.get("frames")), [])
    printed = session.printed if session is not None else ""
    return {"frames": frames, "printed": printed} if frames or printed else None


SHARED_KINDS = ("import", "missing", "failed", "timeout")
NOT_RUN = "Not run: "


def _once(item, call, status: str, message: str | None) -> tuple[str, str | None]:
    """One message per cause: a check that fails for the same reason as an earlier check of its
    grader (the app cannot be built, a module never finishes importing, a precondition the
    grader says several checks share) is *not run*, and its message names the cause once."""
    if status == "passed" or call.excinfo is None or not message:
        return status, message
    if message.startswith(NOT_RUN):  # the engine already knows the cause (a module that never finished)
        return "not_run", message
    exc = _unwrap(call.excinfo.value)
    raised = exc if isinstance(exc, StudentError) else getattr(exc, "student_exception", None)
    if raised is None and not isinstance(exc, (CheckFailed, StudentCodeError)):
        cause = student_cause(exc)
        raised = cause if isinstance(cause, StudentError) else None
    if isinstance(exc, PreconditionFailed) or (isinstance(exc, StudentCodeError) and exc.kind in SHARED_KINDS) or (
        status == "timeout" and message.startswith("Importing ")
    ):
        key = message
    elif isinstance(raised, StudentError) and raised.type_name in ("TemplateNotFound", "TemplatesNotFound"):
        key = f"{raised.type_name}: {raised.message}"  # one missing template, wherever it is asked for
    elif isinstance(raised, StudentError) and raised.where:  # the same kind of exception from the same line of
        key = f"{raised.type_name}{raised.where}"  # student code: KeyError: 1 and KeyError: 7 of one lookup are one cause
    else:
        return status, message
    seen = item.config.stash.setdefault(_causes_key, {}).setdefault(item.module.__name__, {})
    if key in seen:
        return "not_run", NOT_RUN + seen[key]
    seen[key] = message
    return status, message


_causes_key = pytest.StashKey()


def cause_of(exc: BaseException) -> str | None:
    """What went wrong, as the key of the hint to show: the expectation's, or the student's exception's."""
    exc = _unwrap(exc)
    if isinstance(exc, CheckFailed):
        return exc.cause
    if isinstance(exc, StudentCodeError):
        return exc.cause
    raised = exc if isinstance(exc, StudentError) else student_cause(exc)
    return exception_cause(raised) if isinstance(raised, StudentError) else None


def student_cause(exc: BaseException) -> BaseException | None:
    """The student's exception behind ``exc`` (its cause or context, or one of a group's), if any:
    a failure of student code, or of Flask on its behalf, is never blamed on the grader."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        one = todo.pop(0)
        if one is None or id(one) in seen:
            continue
        seen.add(id(one))
        if isinstance(one, (StudentError, StudentCodeError)):
            return one
        todo += [one.__cause__, one.__context__, *getattr(one, "exceptions", ())]
    return None


def _is_timeout(exc: BaseException) -> bool:
    return "Timeout (>" in str(exc)


def _unwrap(exc: BaseException) -> BaseException:
    """Hypothesis may wrap the real failure in an exception group; find the first one."""
    group = getattr(builtins, "BaseExceptionGroup", ())  # Python 3.11+; Hypothesis backports it
    while group and isinstance(exc, group) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exercise(request):
    """The metadata of the exercise this grader module grades."""
    grader = Path(request.module.__file__)
    course = grader.parent.parent if (grader.parent.parent / "exercises").is_dir() else COURSE_DIR
    return load_exercise(course / "exercises" / exercise_id_for_grader(grader), course)


@pytest.fixture(scope="module")
def submission(request, exercise, tmp_path_factory):
    """The student's folder for this exercise, copied where checks (and sandboxes) may change it."""
    root = request.config.getoption("--exercise-root") or str(exercise.course_dir / "exercises")
    source = Path(root).resolve() / exercise.id
    copy = tmp_path_factory.mktemp(exercise.slug) / exercise.id
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, copy, ignore=IGNORED_WHEN_COPYING, symlinks=True)
        drop_links_out_of(copy)
    else:
        copy.mkdir()
    shown = os.path.relpath(source, Path.cwd()) if not os.path.isabs(root) else str(source)
    return copy, shown


def drop_links_out_of(folder: Path) -> None:
    """Remove symbolic links that lead out of ``folder`` (to a classmate's work, /proc, the course)."""
    top = folder.resolve()
    for path in list(folder.rglob("*")):
        if path.is_symlink():
            target = Path(os.path.realpath(path))
            if target != top and top not in target.parents:
                path.unlink()


_hung: set[str] = set()  # modules whose import (or factory) never finished: not waited for twice


def _starter(exercise, folder: Path, shown: str, cpu_seconds: float = 0):
    """How to start a sandbox on ``folder`` (its private copy): forked by this run's zygote, or
    a new interpreter where there is none."""
    private = [str(exercise.course_dir / "graders" / "data")]

    def start():
        zygote = sandboxes.current(exercise.course_dir)
        if zygote is None:
            return sandboxes.SpawnedSandbox(str(folder), exercise.course_dir, shown, private, cpu_seconds)
        return zygote.sandbox(str(folder), shown, private=private, cpu_seconds=cpu_seconds)

    return start


@pytest.fixture
def session(request, exercise, submission):
    """The sandbox of this check: started on first use, killed (with all it started) at the end."""
    copy, shown = submission
    seconds = request.node.stash.get(_cpu_key, CHECK_SECONDS)
    check = _GuardedSession(_starter(exercise, copy, shown, seconds), copy, seconds, seconds * WALL_FACTOR)
    request.node.stash[_session_key] = check
    yield check
    check.close()
    if check.level:
        _emit(request.config, {"event": "isolation", "level": check.level})


@pytest.fixture(scope="module")
def open_session(request, exercise, submission):
    """``open_session(folder)``: one more sandbox, on a folder the grader prepared (the only one it
    may write besides its temporary folder), as a :class:`~grading.judge.remote.Session`. Each is
    started on first use and killed, with all it started, when the grader closes it or at the end
    of the grader module. (15-testing runs the student's suite in one per app.)"""
    _, shown = submission
    opened: list[Session] = []

    def open_(folder) -> Session:
        opened.append(Session(_starter(exercise, Path(folder), shown), Path(folder)))
        return opened[-1]

    yield open_
    for one in opened:
        one.close()
    level = next((one.level for one in opened if one.level), None)
    if level:
        _emit(request.config, {"event": "isolation", "level": level})


class _GuardedSession(Session):
    """A session that does not wait twice for student code that never finished."""

    def ask(self, op: str, **params):
        target = str(params.get("module") or params.get("spec") or "").partition(":")[0]
        if op in HUNG_OPS and target in _hung:
            raise StudentCodeError(
                f"Not run: importing {target}.py (or building the app) did not finish in time in an earlier "
                "check. Look for an endless loop, input() or a server started at module level.",
                kind="timeout",
            )
        try:
            return super().ask(op, **params)
        except BaseException as exc:
            if op in HUNG_OPS and (_is_timeout(exc) or getattr(exc, "kind", None) == "timeout"):
                _hung.add(target)
            raise


@pytest.fixture
def student(session, exercise, submission):
    """The student's code for this exercise, run in the check's sandbox."""
    copy, shown = submission
    return Student(session, copy, exercise.app, shown_as=shown)


@pytest.fixture
def environ(session):
    """The environment of the student's code in this check: set what a check needs, e.g. FLASK_DEBUG."""
    return session.environ


@pytest.fixture
def test_config():
    """Configuration passed to a factory's ``create_app``; ``None`` for the defaults."""
    return None


@pytest.fixture
def make_app(student):
    """``make_app(arg)``: one more fresh app; a factory is called with ``arg`` (none when ``None``)."""
    return lambda arg=None: student.make_app(arg=arg)


@pytest.fixture
def app(make_app, test_config):
    """The student's Flask app, imported (or built by its factory) afresh for this check."""
    return make_app(test_config)


@pytest.fixture
def client(app):
    """A test client for the student's app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the student's ``flask`` CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def templates(session):
    """Every ``(template name, context)`` rendered by the app during the check."""
    return session.templates
