"""Run a student's code: import it by path, isolated, without ever starting a server.

A grader never imports student modules itself; it asks :class:`Student`, which

- imports the entry module afresh for every check (no state leaks from one check to the next),
- replaces ``Flask.run`` and ``werkzeug.serving.run_simple`` with recorders,
- turns every way student code can go wrong (syntax error, exception, ``sys.exit``, endless
  loop) into a :class:`StudentCodeError` whose message a student can act on.
"""

from __future__ import annotations

import importlib
import os
import runpy
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import flask
import werkzeug.serving
from flask.testing import FlaskClient

TIMEOUT_MARK = "Timeout (>"  # the start of pytest-timeout's failure message


class StudentCodeError(Exception):
    """The student's code could not be run; the message says why, for the student."""

    def __init__(self, message: str, kind: str = "import"):
        super().__init__(message)
        self.kind = kind  # "import" (exercise cannot be graded), "missing", "timeout"


@dataclass
class RunCall:
    """One call of ``Flask.run`` (or ``run_simple``) that was intercepted."""

    app: object
    args: tuple
    kwargs: dict

    @property
    def debug(self) -> bool | None:
        if "debug" in self.kwargs:
            return self.kwargs["debug"]
        if self.args[2:3]:  # run(host, port, debug, ...)
            return self.args[2]
        return getattr(self.app, "debug", None)


def flask_app_of(target) -> flask.Flask | None:
    """The Flask app ``target`` is, or the one inside WSGI middleware (``app = ProxyFix(app)``).

    Middleware that keeps the app it wraps in ``.app`` (Werkzeug's all do) is moved in front of
    the Flask app's ``wsgi_app``, so the test client's requests still go through it, as a
    server's would.
    """
    chain, current = [], target
    while not isinstance(current, flask.Flask) and len(chain) < 5:
        owner = getattr(current, "__self__", None)  # a chain moved in front of wsgi_app before
        if isinstance(owner, flask.Flask) and getattr(current, "__func__", None) is flask.Flask.wsgi_app:
            return owner
        inner = getattr(current, "app", None)
        if inner is None or not callable(current):
            return None
        chain.append(current)
        current = inner
    if not isinstance(current, flask.Flask):
        return None
    if chain:
        chain[-1].app = current.wsgi_app
        current.wsgi_app = target
    return current


class Student:
    """The code of one exercise as the student wrote it, in a private copy."""

    def __init__(self, path: Path, shown_as: str = ""):
        self.path = Path(path)
        self.shown_as = shown_as or self.path.name
        self.run_calls: list[RunCall] = []
        self._broken: dict[str, StudentCodeError] = {}

    # -- finding and importing modules -------------------------------------------------

    def file_of(self, module: str) -> Path | None:
        base = self.path.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def forget_modules(self) -> None:
        """Drop every module loaded from the student's folder, so the next import is fresh."""
        root = str(self.path)
        for name, mod in list(sys.modules.items()):
            file = getattr(mod, "__file__", None) or ""
            if file.startswith(root + os.sep):
                del sys.modules[name]

    def import_module(self, name: str = "app") -> ModuleType:
        """Import ``name`` from the student's folder, afresh; raise StudentCodeError on failure."""
        if name in self._broken:
            raise self._broken[name]
        if self.file_of(name) is None:
            raise StudentCodeError(
                f"{self.shown_as}/{name.replace('.', '/')}.py was not found.", kind="missing"
            )
        self.forget_modules()
        if str(self.path) not in sys.path[:1]:
            sys.path.insert(0, str(self.path))
        importlib.invalidate_caches()
        self.run_calls = []  # the servers this import tried to start
        try:
            with intercept_servers(self):
                return importlib.import_module(name)
        except StudentCodeError:
            raise
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            error = self._explain_import(name, exc)
            if error.kind == "timeout" or isinstance(exc, SyntaxError):
                self._broken[name] = error  # no point in trying again
            raise error from None

    def run_as_main(self, name: str = "app", env: dict | None = None) -> list[RunCall]:
        """Execute ``name.py`` as ``python name.py`` would; return the servers it tried to start."""
        file = self.file_of(name)
        if file is None:
            raise StudentCodeError(f"{self.shown_as}/{name}.py was not found.", kind="missing")
        if name in self._broken:
            raise self._broken[name]
        self.forget_modules()
        if str(self.path) not in sys.path[:1]:
            sys.path.insert(0, str(self.path))
        before = len(self.run_calls)
        try:
            with intercept_servers(self):
                runpy.run_path(str(file), run_name="__main__")
        except BaseException as exc:  # noqa: BLE001
            error = self._explain_import(name, exc, running=True)
            if error.kind == "timeout":
                self._broken[name] = error
            raise error from None
        return self.run_calls[before:]

    def attribute(self, spec: str = "app:app"):
        """``"app:app"`` gives the ``app`` variable of ``app.py``."""
        module_name, _, attr = spec.partition(":")
        module = self.import_module(module_name)
        try:
            return getattr(module, attr)
        except AttributeError:
            raise StudentCodeError(
                f"{module_name}.py has no `{attr}`: define it at module level.", kind="missing"
            ) from None

    def make_app(self, spec: str = "app:app", test_config: dict | None = None) -> flask.Flask:
        """The student's Flask app: ``app:app`` is a variable, ``app:create_app`` a factory."""
        target = self.attribute(spec)
        found = flask_app_of(target)
        if found is not None:
            return found
        if callable(target):
            try:
                app = target() if test_config is None else target(test_config)
            except BaseException as exc:  # noqa: BLE001
                if is_timeout(exc):
                    raise
                where = student_frame(exc, self.path)
                raise StudentCodeError(
                    f"{spec.split(':')[1]}() raised {describe_exception(exc)}{where}", kind="failed"
                ) from None
            found = flask_app_of(app)
            if found is not None:
                return found
            raise StudentCodeError(
                f"{spec.split(':')[1]}() returned {type(app).__name__}, expected a Flask app.",
                kind="failed",
            )
        raise StudentCodeError(
            f"`{spec.split(':')[1]}` in {spec.split(':')[0]}.py is a {type(target).__name__}, "
            "expected a Flask app (app = Flask(__name__)).",
            kind="failed",
        )

    # -- explaining failures -------------------------------------------------------------

    def _explain_import(self, name: str, exc: BaseException, running: bool = False) -> StudentCodeError:
        file = f"{name.replace('.', '/')}.py"
        doing = f"Running {file}" if running else f"Importing {file}"
        if is_timeout(exc):
            return StudentCodeError(
                f"{doing} did not finish in time: look for an endless loop, input() or a server "
                "started at module level.",
                kind="timeout",
            )
        if isinstance(exc, SyntaxError):
            where = Path(exc.filename or file).name
            return StudentCodeError(
                f"{where} has a syntax error on line {exc.lineno}: {exc.msg}.", kind="import"
            )
        if isinstance(exc, SystemExit):
            return StudentCodeError(
                f"{doing} called sys.exit({exc.code!r}): a module must not end the program when "
                "it is imported.",
                kind="import",
            )
        where = student_frame(exc, self.path)
        return StudentCodeError(f"{doing} raised {describe_exception(exc)}{where}", kind="import")


# -- helpers shared with the plugin ---------------------------------------------------------


def is_timeout(exc: BaseException) -> bool:
    return TIMEOUT_MARK in str(exc) or getattr(exc, "kind", None) == "timeout"


def describe_exception(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def student_frame(exc: BaseException, root: Path) -> str:
    """`` (app.py, line 12, in show_post)`` for the last frame of ``exc`` in student code."""
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(root) + os.sep)
    ]
    if not frames:
        return ""
    f = frames[-1]
    rel = os.path.relpath(f.filename, root)
    return f" ({rel}, line {f.lineno}, in {f.name})"


class _Interceptor:
    """Replaces the ways of starting a development server while student code runs."""

    def __init__(self, student: Student):
        self.student = student

    def __enter__(self):
        student = self.student
        self.saved = (flask.Flask.run, werkzeug.serving.run_simple)

        def fake_run(app, *args, **kwargs):
            student.run_calls.append(RunCall(app, args, kwargs))

        def fake_run_simple(*args, **kwargs):
            student.run_calls.append(RunCall(args[2] if len(args) > 2 else None, args, kwargs))

        flask.Flask.run = fake_run
        werkzeug.serving.run_simple = fake_run_simple
        return self

    def __exit__(self, *exc):
        flask.Flask.run, werkzeug.serving.run_simple = self.saved
        return False


def intercept_servers(student: Student) -> _Interceptor:
    return _Interceptor(student)


class GradingClient(FlaskClient):
    """Flask's test client, remembering what it was asked and what the view raised.

    ``response.student_exception`` is the exception a view raised while Flask answered 500,
    so a failed check can say *why* the page broke, not only that it did.
    """

    in_flight: str | None = None  # the request being answered, for timeout messages
    student_root: Path | None = None  # set by the plugin: where student frames live

    def open(self, *args, **kwargs):
        request = _describe_request(args, kwargs)
        GradingClient.in_flight = request
        recorded: list[BaseException] = []

        def record(sender, exception, **extra):
            recorded.append(exception)

        flask.got_request_exception.connect(record, self.application, weak=False)
        try:
            response = super().open(*args, **kwargs)
        finally:
            flask.got_request_exception.disconnect(record, self.application)
        GradingClient.in_flight = None
        response.student_exception = recorded[-1] if recorded else None
        response.student_root = GradingClient.student_root
        return response


def _describe_request(args, kwargs) -> str:
    method = kwargs.get("method", "GET")
    path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
    qs = kwargs.get("query_string")
    if isinstance(qs, dict) and qs:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(qs)}"
    return f"{method} {path}"
