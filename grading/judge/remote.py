"""Judge side: the student's app as graders see it, through the sandbox's answers.

Graders keep Flask's vocabulary, but every object here is a stand-in built from plain data the
sandbox sent (:mod:`grading.wire`); no student code runs in this process.

``RemoteApp``     ``app.config``, ``app.debug``, ``app.testing``, ``app.secret_key``,
                  ``app.blueprints``, ``app.url_map.iter_rules()``, ``app.view_functions``,
                  ``app.extensions``, ``app.test_client()``, ``app.test_cli_runner()``,
                  ``app.url_for(...)``, and ``app.probe(function, ...)``, which runs a
                  module-level function of the grader *inside* the sandbox with the real app.
``RemoteClient``  ``client.get/post/put/patch/delete/open(...)`` give a Flask ``Response``
                  with ``.request``, the templates rendered and the exception a view raised.
``Student``       the submission: ``import_module``, ``run_as_main``, ``attribute`` (a
                  function of the submission, called in the sandbox), ``make_app``, ``environ``.

Student code that raises reaches a grader as :class:`StudentError` (also an instance of the
built-in exception it claims to be, so ``except ValueError`` works); code that cannot run at all
as :class:`StudentCodeError`. Each :class:`Session` keeps, for ``--debug``, what the student's code
printed during the check and the student's frames of every exception it saw; code that spun until
its CPU limit is reported where it was spinning, and later requests to the same view are not
sent (:attr:`Session.loops`).
"""

from __future__ import annotations

import builtins
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import flask

from grading import wire
from grading.judge import sandboxes
from grading.judge.sandboxes import Sandbox, SandboxGone
from grading.sandbox.confine import IMPORT_CPU_SECONDS, REQUEST_CPU_SECONDS

SIGXCPU = 24  # Linux and macOS: the signal of a spent CPU-time limit
PRINTED_LIMIT = 8000  # characters of what a check's code printed, kept for --debug
WALL_MARGIN = 1.5  # seconds before the check's clock runs out that its sandbox reports where it is stuck


class StudentCodeError(Exception):
    """The student's code could not run; the message says why, for the student."""

    def __init__(self, message: str, kind: str = "import", frames: list | None = None):
        super().__init__(message)
        self.kind = kind  # import | missing | failed | timeout | gone | not_run | too_big | broken
        self.frames = frames or []  # the student's frames, as the sandbox sent them
        # the key of the hint for it ("loop": code that never finished, "import": a module that could not be imported)
        self.cause: str | None = "import" if kind == "import" else None


class StudentError(Exception):
    """Student code raised an exception (in the sandbox): its type, message and place."""

    def __init__(self, description: dict):
        Exception.__init__(self, description.get("message", ""))
        self.type_name = str(description.get("type", "Exception"))
        self.message = str(description.get("message", ""))
        self.where = str(description.get("where", ""))
        self.note = str(description.get("note") or "")
        self.frames = description.get("frames") if isinstance(description.get("frames"), list) else []
        self.handler = str(description.get("handler") or "")  # an error handler of the student's handled it
        self.handler_name = str(description.get("handler_name") or "")
        self.abort = description.get("abort") if isinstance(description.get("abort"), int) else None

    def __str__(self) -> str:
        return self.message

    def describe(self) -> str:
        """``ZeroDivisionError: division by zero in app.py, line 9 (crash)``: first line, short."""
        first = self.message.splitlines()[0][:200].rstrip(".") if self.message else ""
        said = f"{self.type_name}: {first}{self.where}" if first else f"{self.type_name}{self.where}"
        return f"{said}: {self.note}" if self.note else said

    def describe_handled(self, status: int) -> str:
        """`` Your error handler handle_error in app.py, line 30 caught abort(403) in app.py, line 12 (secret)
        and answered 500.``"""
        caught = f"abort({self.abort}){self.where}" if self.abort is not None else self.describe()
        return f" Your error handler {self.handler_name}{self.handler} caught {caught} and answered {status}."


_student_classes: dict[str, type] = {}


def student_exception(description: dict) -> StudentError:
    """A :class:`StudentError`, also of the built-in class it names (never a BaseException-only one)."""
    name = str(description.get("builtin") or "")  # the nearest built-in class the student's derives from
    builtin = getattr(builtins, name, None)
    cls = StudentError
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        if name not in _student_classes:
            try:
                _student_classes[name] = type(f"Student{name}", (StudentError, builtin), {})
            except TypeError:
                _student_classes[name] = StudentError
        cls = _student_classes[name]
    try:
        return cls(description)
    except TypeError:
        return StudentError(description)


def answer(reply: dict):
    """The value of a sandbox reply, or the exception it stands for."""
    if "ok" in reply:
        return reply["ok"]
    if "error" in reply:
        error = reply["error"] if isinstance(reply["error"], dict) else {}
        frames = error.get("frames") if isinstance(error.get("frames"), list) else []
        raise StudentCodeError(str(error.get("message", "")), kind=str(error.get("kind", "import")), frames=frames)
    if "raised" in reply and isinstance(reply["raised"], dict):
        raise student_exception(reply["raised"])
    raise RuntimeError(f"the sandbox could not do what the grader asked: {reply.get('fault', reply)!r}")


# -- the sandbox a check talks to -------------------------------------------------------------


class Session:
    """The sandbox of one check, made on first use, with the environment graders set."""

    in_flight: str | None = None  # the request being answered, for timeout messages
    importing: str | None = None  # the module being imported (or app being built), likewise
    loops: dict[str, str] = {}  # endpoint -> the request that spun in it: later requests to it are not sent

    def __init__(self, start, student_path: Path, cpu_seconds: float = 0, wall_seconds: float = 0):
        self._start = start
        self.cpu_seconds = cpu_seconds  # what the sandbox may use (its wall timeout is longer)
        # the check's clock: the sandbox gives up (saying where its code was) just before the judge would
        self.deadline = time.monotonic() + wall_seconds - WALL_MARGIN if wall_seconds > 2 * WALL_MARGIN else None
        self._sandbox: Sandbox | None = None
        self.student_path = student_path
        self.templates: list[tuple[str, dict]] = []
        self.environ: dict[str, str] = {}
        self._sent_environ: dict[str, str] = {}
        self.printed = ""  # what the student's code printed during the check (capped)
        self.failures: list[dict] = []  # every exception of student code the check saw, with its frames
        self.spun: StudentCodeError | None = None

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = self._start()
            if self.deadline is not None:  # where the judge's watchdog runs, it gives the signal itself, later
                # on a busy machine; the sandbox's own timer is then only a backstop
                later = sandboxes.WATCHDOG.MOST_ADDED if sys.platform.startswith("linux") else 0.0
                answer(self._sandbox.ask("deadline", seconds=max(0.5, self.deadline - time.monotonic()) + later))
        return self._sandbox

    @property
    def level(self) -> str | None:
        return self._sandbox.level if self._sandbox else None

    def ask(self, op: str, **params):
        reply = self._ask(op, **params) if self.spun is None else None
        if self.spun is not None:  # the sandbox is gone: every later question meets the same cause, raised here
            raise self.spun
        return answer(reply)

    def _ask(self, op: str, **params) -> dict | None:
        if self.environ != self._sent_environ:
            gone = [k for k in self._sent_environ if k not in self.environ]
            answer(self.sandbox.ask("environ", set=self.environ, unset=gone))
            self._sent_environ = dict(self.environ)
        if op in ("import", "app", "call", "run_main"):
            Session.importing = str(params.get("module") or params.get("spec") or "").partition(":")[0]
        try:
            reply = self.sandbox.ask(op, **params)
        except SandboxGone:
            raise self._why_gone() from None
        self.note_printed(reply.get("printed"))
        if isinstance(reply.get("spun"), dict):
            self.spun = self._spun(reply["spun"])
            return None
        Session.importing = None
        for kind in ("error", "raised"):
            if isinstance(reply.get(kind), dict):
                self.failures.append(reply[kind])
        return reply

    def note_printed(self, text) -> None:
        """Keep what the code printed: its beginning and its end, when there is too much of it."""
        if isinstance(text, str) and text:
            self.printed += text
            if len(self.printed) > PRINTED_LIMIT:
                half = PRINTED_LIMIT // 2
                self.printed = f"{self.printed[:half]}\n… (more) …\n{self.printed[-half:]}"

    def _spun(self, spun: dict) -> StudentCodeError:
        """The sandbox's last word before its CPU limit ended it: where the student's code was spinning."""
        self.note_printed(spun.get("printed"))
        frames = spun.get("frames") if isinstance(spun.get("frames"), list) else []
        self.failures.append({"type": "", "message": "", "frames": frames})
        where = spun.get("where") if isinstance(spun.get("where"), dict) else {}
        at = ""
        if where.get("file"):
            name = str(where.get("name") or "")
            at = f"your code was still running at {where['file']} line {where.get('line')}" + (
                f" (in {name})" if name and not name.startswith("<") else "")
        if Session.importing:
            doing = f"Importing {Session.importing}.py (or building the app)"
            Session.importing = None
            return StudentCodeError(
                f"{doing} never finished: {at or 'your code was still running'} (importing may use "
                f"{IMPORT_CPU_SECONDS:g} s of CPU time). Look for an endless loop or slow work at module level.",
                kind="timeout", frames=frames)
        doing = Session.in_flight or "This check"
        view = str(spun.get("view") or "")
        if Session.in_flight and view:
            Session.loops.setdefault(view, Session.in_flight)
        budget = bool(Session.in_flight) and spun.get("budget") is True  # the request's own budget, not the check's
        if spun.get("late"):
            spun_error = StudentCodeError(
                f"{doing} never finished: {at or 'your code was still running'} when the check's time was up. "
                "Look for an endless loop or a call that waits forever.", kind="timeout", frames=frames)
        else:
            spun_error = StudentCodeError(
                f"{doing} never finished: {at or 'your code was still running'} when it had used "
                f"{REQUEST_CPU_SECONDS if budget else self.cpu_seconds:g} s of CPU time"
                f"{' (a correct view answers in milliseconds)' if budget else ''}. "
                "Look for an endless loop.", kind="timeout", frames=frames)
        spun_error.cause = "loop"
        return spun_error

    def _why_gone(self) -> StudentCodeError:
        """What ended the sandbox, as the student needs to hear it."""
        broken = self.sandbox.broken or ""
        if wire.TOO_BIG in broken:  # announced an answer over the wire's budget: never read
            return StudentCodeError(broken[broken.index("Your app's answer"):].rstrip(")"), kind="too_big")
        ended = None
        for _ in range(25):  # the process may take a moment to be reaped
            ended = self.sandbox.ended()
            if ended is not None:
                break
            time.sleep(0.02)
        doing = Session.in_flight or (f"importing {Session.importing}.py" if Session.importing else "this check")
        if ended == 128 + SIGXCPU and Session.importing:
            return StudentCodeError(
                f"Importing {Session.importing}.py (or building the app) used more than {IMPORT_CPU_SECONDS:g} s "
                "of CPU time and was stopped: look for an endless loop or slow work at module level.",
                kind="timeout",
            )
        if ended == 128 + SIGXCPU:
            return StudentCodeError(
                f"Your code used more than {self.cpu_seconds:g} s of CPU time ({doing}) and was stopped: look "
                "for an endless loop.",
                kind="timeout",
            )
        return StudentCodeError(
            "The process running your code stopped during this check: your code ended Python "
            "(os._exit, a crash, a signal) or used more memory than allowed.",
            kind="gone",
        )

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()


# -- the app ----------------------------------------------------------------------------------


class RemoteConfig:
    """``app.config``: read from the sandbox each time, written through to it."""

    def __init__(self, app: RemoteApp):
        self._app = app

    def _data(self) -> dict:
        return self._app._facts()["config"]

    def __getitem__(self, key):
        return self._data()[key]

    def get(self, key, default=None):
        return self._data().get(key, default)

    def __contains__(self, key) -> bool:
        return key in self._data()

    def keys(self):
        return self._data().keys()

    def __setitem__(self, key, value) -> None:
        self._app._session.ask("config_set", app=self._app._handle, key=key, value=value)

    def update(self, values: dict) -> None:
        for key, value in values.items():
            self[key] = value


class RemoteApp:
    """A Flask app living in the sandbox."""

    def __init__(self, session: Session, handle: int):
        self._session = session
        self._handle = handle

    def _facts(self) -> dict:
        return self._session.ask("facts", app=self._handle)

    def __getattr__(self, name):
        facts = self._facts()
        if name in ("name", "import_name", "root_path", "template_folder", "debug", "testing", "secret_key"):
            return facts[name]
        if name == "jinja_env":
            return SimpleNamespace(auto_reload=facts["jinja_auto_reload"])
        if name == "blueprints":
            return {k: SimpleNamespace(**v) for k, v in facts["blueprints"].items()}
        if name == "url_map":
            rules = [SimpleNamespace(rule=r["rule"], endpoint=r["endpoint"], methods=set(r["methods"]))
                     for r in facts["rules"]]
            return SimpleNamespace(iter_rules=lambda: list(rules))
        if name == "view_functions":
            return {k: SimpleNamespace(__name__=v["name"], coroutine=v["coroutine"]) for k, v in facts["views"].items()}
        if name == "extensions":
            return dict.fromkeys(facts["extensions"], True)
        if name == "login_manager":
            return True if facts["login_manager"] else None
        raise AttributeError(name)

    @property
    def config(self) -> RemoteConfig:
        return RemoteConfig(self)

    def test_client(self) -> RemoteClient:
        return RemoteClient(self._session, self._session.ask("client", app=self._handle))

    def test_cli_runner(self) -> RemoteRunner:
        return RemoteRunner(self)

    def url_for(self, endpoint: str, **values) -> str:
        return self._session.ask("url_for", app=self._handle, endpoint=endpoint, values=values)

    def probe(self, function, *args, **kwargs):
        """``function(app, *args, **kwargs)`` run inside the sandbox; its plain-data result."""
        return probe(self._session, function, self._handle, *args, **kwargs)


def probe(session: Session, function, app_handle: int | None, *args, **kwargs):
    """Run a module-level function of a grader in the sandbox (with the app, when one is given)."""
    module = __import__("sys").modules[function.__module__]
    return session.ask("probe", grader=str(Path(module.__file__).resolve()), function=function.__qualname__,
                       app=app_handle, args=list(args), kwargs=kwargs)


# -- requests ---------------------------------------------------------------------------------


class RemoteClient:
    """Flask's test client, in the sandbox; cookies live there between requests."""

    def __init__(self, session: Session, handle: int):
        self._session = session
        self._handle = handle

    def open(self, *args, **kwargs) -> flask.Response:
        Session.in_flight = _describe_request(args, kwargs)
        avoid = {"avoid": sorted(Session.loops)} if Session.loops else {}
        data = self._session.ask("request", client=self._handle, args=list(args), kwargs=kwargs, **avoid)
        doing, Session.in_flight = Session.in_flight, None
        if isinstance(data, dict) and "not_run" in data:  # a view that spun in an earlier check: said once, there
            raise StudentCodeError(f"Not run: {Session.loops.get(str(data['not_run']), 'this view')} loops "
                                   "(see above).", kind="not_run")
        try:  # the answer is the sandbox's claim: one not shaped like a response fails the check, not the grader
            response = flask.Response(data["body"], status=data["status"], headers=data["headers"])
            response.request = SimpleNamespace(**data["request"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StudentCodeError(f"The answer to {doing} was not a response the grader understands "
                                   f"({type(exc).__name__}): does your code write to the grader's connection?",
                                   kind="broken") from None
        for kind in ("exception", "handled"):  # a handled one is marked: the app answered it itself
            if isinstance(data.get(kind), dict):
                self._session.failures.append({**data[kind], "handled": kind == "handled"})
        response.student_exception = StudentError(data["exception"]) if data.get("exception") else None
        response.handled_exception = StudentError(data["handled"]) if data.get("handled") else None
        response.templates = [(t[0], t[1]) for t in data.get("templates") or []]
        self._session.templates.extend(response.templates)
        return response

    def get(self, *args, **kwargs) -> flask.Response:
        return self.open(*args, **{**kwargs, "method": "GET"})

    def post(self, *args, **kwargs) -> flask.Response:
        return self.open(*args, **{**kwargs, "method": "POST"})

    def put(self, *args, **kwargs) -> flask.Response:
        return self.open(*args, **{**kwargs, "method": "PUT"})

    def patch(self, *args, **kwargs) -> flask.Response:
        return self.open(*args, **{**kwargs, "method": "PATCH"})

    def delete(self, *args, **kwargs) -> flask.Response:
        return self.open(*args, **{**kwargs, "method": "DELETE"})

    def set_cookie(self, key: str, value: str = "", **kwargs) -> None:
        self._session.ask("cookie", client=self._handle, key=key, value=value, kwargs=kwargs)


class RemoteRunner:
    """``app.test_cli_runner()``: ``invoke(args=[...])`` runs a ``flask`` command in the sandbox."""

    def __init__(self, app: RemoteApp):
        self._app = app

    def invoke(self, cli=None, args=None, **kwargs):
        data = self._app._session.ask("cli", app=self._app._handle, args=list(args or []))
        exc = data.get("exception")
        if isinstance(exc, dict):
            self._app._session.failures.append(exc)
        return SimpleNamespace(output=data["output"], exit_code=data["exit_code"],
                               exception=StudentError(exc) if exc else None)


def _describe_request(args, kwargs) -> str:
    method = kwargs.get("method", "GET")
    path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
    qs = kwargs.get("query_string")
    if isinstance(qs, dict) and qs:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(qs)}"
    return f"{method} {path}"


# -- the submission -----------------------------------------------------------------------------


class RunCall(SimpleNamespace):
    """One call of ``app.run()`` (or ``run_simple``) the sandbox intercepted: ``.debug``."""


class StudentFunction:
    """A function of the submission (``app:create_app``); calling it runs it in the sandbox."""

    def __init__(self, session: Session, spec: str):
        self._session = session
        self.spec = spec

    def __call__(self, *args, **kwargs):
        value = self._session.ask("call", spec=self.spec, args=list(args), kwargs=kwargs)
        if "app" in value:
            return RemoteApp(self._session, value["app"])
        return value["value"]


class ModuleInfo(SimpleNamespace):
    """A module of the submission as imported in the sandbox: ``names`` maps each name to a kind
    (``flask`` for a Flask app, ``function``, or the type's name)."""


class Student:
    """The code of one exercise as the student wrote it, in a private copy, run in the sandbox."""

    def __init__(self, session: Session, path: Path, spec: str, shown_as: str = ""):
        self._session = session
        self.path = Path(path)
        self.spec = spec
        self.shown_as = shown_as or self.path.name
        self.run_calls: list[RunCall] = []

    @property
    def environ(self) -> dict[str, str]:
        """The environment of the student's code in this check (graders set FLASK_* here)."""
        return self._session.environ

    def file_of(self, module: str) -> Path | None:
        base = self.path.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def import_module(self, name: str = "app") -> ModuleInfo:
        data = self._session.ask("import", module=name)
        self.run_calls = [RunCall(**c) for c in data["run_calls"]]
        return ModuleInfo(name=name, names=data["names"])

    def run_as_main(self, name: str = "app") -> list[RunCall]:
        return [RunCall(**c) for c in self._session.ask("run_main", module=name)["run_calls"]]

    def attribute(self, spec: str) -> StudentFunction:
        return StudentFunction(self._session, spec)

    def make_app(self, spec: str | None = None, arg=None) -> RemoteApp:
        return RemoteApp(self._session, self._session.ask("app", spec=spec or self.spec, arg=arg))

    def probe(self, function, *args, **kwargs):
        """``function(*args, **kwargs)`` run in the sandbox (no app): for looking at the student's modules."""
        return probe(self._session, function, None, *args, **kwargs)
