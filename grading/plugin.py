"""The pytest plugin every grader runs under (``-p grading.plugin``, set in ``graders/pytest.ini``).

It gives a grader module the fixtures it needs and nothing else:

``exercise``  the exercise's metadata (``exercise.yaml``)
``student``   the student's code, copied to a private folder (their files are never touched)
``test_config`` ``None``; a factory exercise's grader overrides it
``app``       the student's app, built afresh for each check
``make_app``  ``make_app(arg)`` builds one more (a second app, another configuration)
``client``    ``app.test_client()``, which remembers what a failing view raised
``runner``    ``app.test_cli_runner()``
``templates`` the ``(template name, context)`` pairs rendered during the check

Each check is a test function marked ``@pytest.mark.points(n)``. The plugin records every check's
outcome (points, status, a message for the student) as JSON lines for :mod:`grading.worker`.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import flask
import pytest

from grading.course import COURSE_DIR, exercise_id_for_grader, load_exercise
from grading.expect import CheckFailed
from grading.student import (
    GradingClient,
    Student,
    StudentCodeError,
    describe_exception,
    is_timeout,
    student_frame,
)

IGNORED_WHEN_COPYING = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".git", ".venv", "venv", "node_modules", ".pytest_cache", ".hypothesis"
)


def pytest_addoption(parser):
    group = parser.getgroup("grading")
    group.addoption("--exercise-root", default=None, help="folder holding the exercise folders to grade")
    group.addoption("--grading-results", default=None, help="write check results here as JSON lines")
    group.addoption("--grading-skip", default="", help="comma-separated checks not to run again")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): the points a check is worth")
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
    doc = (getattr(item, "function", None) and item.function.__doc__) or ""
    return doc.strip().splitlines()[0] if doc.strip() else check_name(item)


def check_points(item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid}: every check needs @pytest.mark.points(n)")
    return float(marker.args[0])


def pytest_collection_modifyitems(session, config, items):
    skip = {s for s in config.getoption("--grading-skip").split(",") if s}
    plan = [{"name": check_name(i), "doc": check_doc(i), "points": check_points(i)} for i in items]
    _emit(config, {"event": "plan", "checks": plan})
    items[:] = [i for i in items if check_name(i) not in skip]


def pytest_runtest_logstart(nodeid, location):
    pass


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _emit(item.config, {"event": "start", "name": check_name(item)})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "call" or (call.when == "setup" and report.outcome != "passed"):
        status, message = _judge(item, call, report)
        points = check_points(item) if status == "passed" else 0.0
        _emit(
            item.config,
            {"event": "result", "name": check_name(item), "status": status, "points": points, "message": message},
        )
        if status != "passed" and report.outcome == "passed":
            report.outcome = "failed"


def _judge(item, call, report) -> tuple[str, str | None]:
    if report.outcome == "passed" or call.excinfo is None:
        return "passed", None
    exc = _unwrap(call.excinfo.value)
    root = _student_root(item)
    if isinstance(exc, StudentCodeError):
        status = {"timeout": "timeout", "import": "error"}.get(exc.kind, "failed")
        return status, str(exc)
    if is_timeout(exc):
        limit = re.search(r">([\d.]+)s", str(exc))
        seconds = f"{float(limit.group(1)):g} s" if limit else "the time limit"
        doing = f" (while answering {GradingClient.in_flight})" if GradingClient.in_flight else ""
        GradingClient.in_flight = None
        return "timeout", (
            f"This check did not finish within {seconds}{doing}: look for an endless loop or a "
            "call that waits forever."
        )
    if isinstance(exc, CheckFailed):
        return "failed", str(exc)
    if isinstance(exc, AssertionError):
        return "failed", str(exc).split("\nassert ")[0].strip() or "An expectation of this check was not met."
    where = student_frame(exc, root) if root else ""
    if where or isinstance(exc, SystemExit):
        doing = GradingClient.in_flight or "Your code"
        GradingClient.in_flight = None
        return "failed", f"{doing} raised {describe_exception(exc)}{where}."
    return "error", f"The grader could not run this check ({describe_exception(exc)}); tell your instructor."


def _unwrap(exc: BaseException) -> BaseException:
    """Hypothesis may wrap the real failure in an exception group; find the first one."""
    group = getattr(builtins, "BaseExceptionGroup", ())  # Python 3.11+; Hypothesis backports it
    while group and isinstance(exc, group) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _student_root(item) -> Path | None:
    student = getattr(item, "funcargs", {}).get("student")
    if student is None:
        student = item.session.stash.get(_student_key, None)
    return student.path if student else None


_student_key = pytest.StashKey()


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exercise(request):
    """The metadata of the exercise this grader module grades."""
    grader = Path(request.module.__file__)
    course = grader.parent.parent if (grader.parent.parent / "exercises").is_dir() else COURSE_DIR
    return load_exercise(course / "exercises" / exercise_id_for_grader(grader), course)


@pytest.fixture(scope="module")
def student(request, exercise, tmp_path_factory):
    """The student's code for this exercise, in a private copy that checks may change freely."""
    root = request.config.getoption("--exercise-root") or str(exercise.course_dir / "exercises")
    source = Path(root).resolve() / exercise.id
    copy = tmp_path_factory.mktemp(exercise.slug) / exercise.id
    if source.is_dir():
        shutil.copytree(source, copy, ignore=IGNORED_WHEN_COPYING, symlinks=True)
    shown = os.path.relpath(source, Path.cwd()) if not os.path.isabs(root) else str(source)
    st = Student(copy, shown_as=shown)
    GradingClient.student_root = copy
    request.session.stash[_student_key] = st
    old_cwd = os.getcwd()
    os.chdir(copy if copy.is_dir() else copy.parent)  # relative paths land in the copy
    yield st
    os.chdir(old_cwd)
    st.forget_modules()


@pytest.fixture
def test_config():
    """Configuration passed to a factory's ``create_app``; ``None`` for the defaults."""
    return None


@pytest.fixture
def make_app(exercise, student):
    """``make_app(arg)``: one more fresh app; a factory is called with ``arg`` (none when ``None``)."""

    def make(arg=None) -> flask.Flask:
        application = student.make_app(exercise.app, arg)
        application.test_client_class = GradingClient
        return application

    return make


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
def templates(app):
    """Every ``(template name, context)`` rendered by the app during the check."""
    recorded: list[tuple[str, dict]] = []

    def record(sender, template, context, **extra):
        recorded.append((template.name, dict(context)))

    flask.template_rendered.connect(record, app)
    yield recorded
    flask.template_rendered.disconnect(record, app)
