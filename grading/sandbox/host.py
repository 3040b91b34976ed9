"""Inside the sandbox: import the student's code and answer the judge's questions about it.

The judge sends one request at a time over :mod:`grading.wire` (``{"op": "request", ...}``) and
gets plain data back. This module is the only one that imports student code. It

- imports a module of the submission by path (afresh in every sandbox, since every check gets
  a new sandbox), with ``Flask.run`` and ``werkzeug.serving.run_simple`` replaced by recorders,
  so no server ever starts;
- builds apps (``app:app`` is a variable, ``app:create_app`` a factory), keeps them, and answers
  requests through Flask's own test client, with the templates rendered and the exception a view
  raised;
- runs a grader's *probe*: a module-level function of the grader, called with the real app,
  whose plain-data result travels back.

Every failure of student code becomes a description (type, message, file and line, and the
frames of the student's files) the judge can put in a message; nothing of it is trusted. What
the student's code prints is kept (capped) and travels back with the next answer, for
``--debug``; code that spins until the CPU limit fires sends where it was spinning before the
process ends.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import linecache
import os
import runpy
import signal
import sys
import traceback
from pathlib import Path

import flask
import flask.logging
import werkzeug.serving
from werkzeug.exceptions import HTTPException

from grading import wire
from grading.sandbox.confine import IMPORT_CPU_SECONDS, REQUEST_CPU_SECONDS, cpu_budget

BODY_LIMIT = 4 * 1024 * 1024
PRINTED_HEAD, PRINTED_TAIL = 3000, 1000  # characters of what a check's code printed that travel back
MAX_FRAMES = 40


class StudentCodeFailed(Exception):
    """Student code could not run; ``kind`` is import, missing or failed; ``frames``, the student's
    traceback (see :func:`frames_of`)."""

    def __init__(self, message: str, kind: str = "import", frames: list | None = None):
        super().__init__(message)
        self.kind = kind
        self.frames = frames or []


class Host:
    """The student's code of one exercise, and the apps, clients and modules made from it."""

    def __init__(self, root: str, shown_as: str = ""):
        self.root = Path(root)
        self.shown_as = shown_as or self.root.name
        self.objects: dict[int, object] = {}
        self.run_calls: list[dict] = []
        self.rendered: list | None = None
        self.raised: list = []
        self.handled: list = []  # (exception, error handler) pairs of the request being answered
        self.returned_none: list = []  # after_request functions that returned None in it
        self.printed = Printed()
        self.sock = None
        self.answering = False  # between a question and its answer: student code may be running
        sys.stdout = sys.stderr = self.printed
        flask.Flask.log_exception = lambda app, exc_info: None  # the judge reports it, with the student's frames
        flask.logging.default_handler.addFilter(lambda record: _inside(record.pathname, self.root))  # Flask's own logs
        original_ensure_sync = flask.Flask.ensure_sync
        flask.Flask.ensure_sync = lambda app, func: self._watched(app, func, original_ensure_sync(app, func))
        flask.template_rendered.connect(self._template, weak=False)
        flask.got_request_exception.connect(self._exception, weak=False)
        for name in ("SIGXCPU", "SIGPROF"):  # a spent CPU limit: say where the code was spinning, then end
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self._spent)
        calls = self.run_calls
        flask.Flask.run = lambda app, *args, **kwargs: calls.append(_run_call(app, args, kwargs))
        werkzeug.serving.run_simple = lambda *args, **kwargs: calls.append(
            _run_call(args[2] if len(args) > 2 else kwargs.get("application"), args, kwargs))
        fast_password_hashing()
        sys.dont_write_bytecode = True
        sys.path.insert(0, str(self.root))
        os.chdir(self.root)

    # -- the loop --------------------------------------------------------------------------

    def serve(self, sock) -> None:
        self.sock = sock
        while True:
            try:
                message = wire.receive(sock)
            except (wire.WireError, OSError):
                return
            self.answering = True
            reply = self.answer(message)
            self.answering = False
            wire.send(sock, reply)

    def answer(self, message: dict) -> dict:
        op = message.get("op", "")
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            return {"fault": f"unknown operation {op!r}"}
        try:
            reply = {"ok": handler(**message.get("params", {}))}
        except StudentCodeFailed as exc:
            reply = {"error": {"kind": exc.kind, "message": str(exc), "frames": exc.frames}}
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything, even SystemExit
            reply = {"raised": self.describe(exc)}
        printed = self.printed.take()
        if printed:
            reply["printed"] = printed
        return reply

    def _spent(self, signum, frame) -> None:
        """The CPU limit fired (SIGXCPU, or the import budget's timer): send the judge where the
        student's code was spinning, as the answer to its question, and end."""
        try:
            self._say_where(frame, budget=signum == getattr(signal, "SIGPROF", None))
        finally:
            os._exit(128 + getattr(signal, "SIGXCPU", 24))

    def _late(self, signum, frame) -> None:
        """The check's clock is nearly out while student code runs (it sleeps, waits, or spins on a
        crowded machine): say where, and end, before the judge stops waiting."""
        if self.answering:
            try:
                self._say_where(frame, late=True)
            finally:
                os._exit(128 + signal.SIGALRM)
        signal.setitimer(signal.ITIMER_REAL, 0.5)  # between questions: look again soon

    def _say_where(self, frame, late: bool = False, budget: bool = False) -> None:
        """Send where the student's code is now; ``budget``: the import's or the request's own CPU
        budget ran out (not the check's whole limit); ``late``: the check's clock did."""
        if not self.answering or self.sock is None:
            return
        self.answering = False
        frames = frames_of(traceback.StackSummary.extract(traceback.walk_stack(frame), lookup_lines=False)[::-1],
                           self.root)
        where = next(({k: f[k] for k in ("file", "line", "name")} for f in reversed(frames) if "file" in f), None)
        wire.send(self.sock, {"spun": {"frames": frames, "where": where, "view": _current_view(), "late": late, "budget": budget,
                                       "printed": self.printed.take()}})

    def op_deadline(self, seconds: float) -> None:
        """The check's clock: ``seconds`` from now, student code still running is reported (:meth:`_late`)."""
        if hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, self._late)
            signal.setitimer(signal.ITIMER_REAL, float(seconds))

    # -- keeping objects the judge refers to ----------------------------------------------------

    def keep(self, obj) -> int:
        handle = len(self.objects) + 1
        self.objects[handle] = obj
        return handle

    def app(self, handle: int) -> flask.Flask:
        return self.objects[handle]

    # -- modules -------------------------------------------------------------------------

    def file_of(self, module: str) -> Path | None:
        base = self.root.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def load(self, name: str):
        if self.file_of(name) is None:
            raise StudentCodeFailed(f"{self.shown_as}/{name.replace('.', '/')}.py was not found.", kind="missing")
        if name in sys.modules and _from(sys.modules[name], self.root):
            return sys.modules[name]
        try:
            with cpu_budget(IMPORT_CPU_SECONDS):
                self._own_cpu_timer()
                return importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001
            raise self.explain_import(name, exc) from None

    def _own_cpu_timer(self) -> None:
        """Inside :func:`cpu_budget`: its timer tells us first, so the judge hears where the code spun."""
        if hasattr(signal, "SIGPROF"):
            signal.signal(signal.SIGPROF, self._spent)

    def op_import(self, module: str) -> dict:
        before = len(self.run_calls)
        mod = self.load(module)
        return {"run_calls": self.run_calls[before:], "names": {k: _kind(v) for k, v in vars(mod).items()
                                                               if not k.startswith("__")}}

    def op_run_main(self, module: str) -> dict:
        file = self.file_of(module)
        if file is None:
            raise StudentCodeFailed(f"{self.shown_as}/{module}.py was not found.", kind="missing")
        before = len(self.run_calls)
        try:
            runpy.run_path(str(file), run_name="__main__")
        except BaseException as exc:  # noqa: BLE001
            raise self.explain_import(module, exc, running=True) from None
        return {"run_calls": self.run_calls[before:]}

    def attribute(self, spec: str):
        module_name, _, attr = spec.partition(":")
        module = self.load(module_name)
        try:
            return getattr(module, attr)
        except AttributeError:
            raise StudentCodeFailed(f"{module_name}.py has no `{attr}`: define it at module level.",
                                    kind="missing") from None

    # -- apps ----------------------------------------------------------------------------

    def forget(self) -> None:
        """Drop every module of the submission: the next import runs it afresh."""
        for name, module in list(sys.modules.items()):
            if _from(module, self.root):
                del sys.modules[name]

    def op_app(self, spec: str, arg=None) -> int:
        """A new app: ``app:app`` is a variable, ``app:create_app`` a factory (called with ``arg``
        unless it is ``None``). Its modules are imported afresh, as in a new process: two apps of
        one check share nothing but files."""
        self.forget()
        target = self.attribute(spec)
        found = flask_app_of(target)
        if found is not None:
            return self.keep(found)
        name, module = spec.split(":")[1], spec.split(":")[0]
        if callable(target):
            try:
                with cpu_budget(IMPORT_CPU_SECONDS):
                    self._own_cpu_timer()
                    made = target() if arg is None else target(arg)
            except BaseException as exc:  # noqa: BLE001
                raise StudentCodeFailed(f"{name}() raised {describe_exception(exc)}{student_frame(exc, self.root)}.",
                                        kind="failed", frames=traceback_frames(exc, self.root)) from None
            found = flask_app_of(made)
            if found is not None:
                return self.keep(found)
            raise StudentCodeFailed(f"{name}() returned {type(made).__name__}, expected a Flask app.", kind="failed")
        raise StudentCodeFailed(f"`{name}` in {module}.py is a {type(target).__name__}, expected a Flask app "
                                "(app = Flask(__name__)).", kind="failed")

    def op_call(self, spec: str, args: list, kwargs: dict):
        """Call a function of the submission; a Flask app it returns comes back as a handle."""
        result = self.attribute(spec)(*args, **kwargs)
        found = flask_app_of(result)
        if found is not None:
            return {"app": self.keep(found)}
        return {"value": plain(result)}

    def op_facts(self, app: int) -> dict:
        return facts_of(self.app(app))

    def op_config_set(self, app: int, key: str, value) -> None:
        self.app(app).config[key] = value

    def op_environ(self, set: dict, unset: list) -> None:  # noqa: A002
        for key in unset:
            os.environ.pop(key, None)
        os.environ.update({str(k): str(v) for k, v in set.items()})

    def op_url_for(self, app: int, endpoint: str, values: dict):
        application = self.app(app)
        with application.test_request_context():
            return flask.url_for(endpoint, **values)

    # -- clients and runners ----------------------------------------------------------------

    def op_client(self, app: int) -> int:
        return self.keep(self.app(app).test_client())

    def op_cookie(self, client: int, key: str, value: str, kwargs: dict) -> None:
        self.objects[client].set_cookie(key, value, **kwargs)

    def op_request(self, client: int, args: list, kwargs: dict, avoid: list | None = None) -> dict:
        """Answer one request; ``avoid`` names views known to loop: a request routed to one of them
        is not sent (``{"not_run": endpoint}``)."""
        test_client = self.objects[client]
        endpoint = _endpoint_of(test_client.application, args, kwargs) if avoid else None
        if endpoint is not None and endpoint in avoid:
            return {"not_run": endpoint}
        self.rendered, self.raised, self.handled, self.returned_none = [], [], [], []
        try:
            with cpu_budget(REQUEST_CPU_SECONDS):
                self._own_cpu_timer()
                response = test_client.open(*args, **kwargs)
                body = response.get_data()
        except BaseException as exc:  # noqa: BLE001 - Flask let it through (an after_request returning None)
            self._blame_hook(exc)
            raise
        finally:
            rendered, self.rendered = self.rendered, None
        request = response.request
        if self.raised:
            self._blame_hook(self.raised[-1])
        handled = self.handled[-1] if self.handled else None
        return {
            "status": response.status_code,
            "headers": list(response.headers.items()),
            "body": body[:BODY_LIMIT],
            "request": {"method": request.method, "path": request.path, "full_path": request.full_path,
                        "query_string": request.query_string, "url": request.url},
            "templates": rendered,
            "exception": self.describe(self.raised[-1]) if self.raised else None,
            "handled": {**self.describe(handled[0]), "handler": place_of(handled[1], self.root),
                        "handler_name": getattr(handled[1], "__name__", ""),
                        "abort": getattr(handled[0], "code", None) if isinstance(handled[0], HTTPException) else None,
                        } if handled else None,
        }

    def _blame_hook(self, exc: BaseException) -> None:
        """An after_request function that returned None breaks the request later, in Flask's code
        ("'NoneType' object is not callable") or the next hook's: name the function that did it."""
        if self.returned_none:
            hook, where = self.returned_none[0], place_of(self.returned_none[0], self.root)
            if not any(_inside(f.filename, self.root) for f in traceback.extract_tb(exc.__traceback__)):
                exc.__grading_where__ = where
                exc.__grading_frames__ = function_frames(hook, self.root)
            name = getattr(hook, "__name__", "?")
            exc.__grading_note__ = ("an after_request function must return the response, and this one returned None"
                                    if student_frame(exc, self.root) == where else
                                    f"{name}{where}, an after_request function, returned None: it must return the response")

    def _watched(self, app, func, wrapped):
        """Flask calls every function of the app through ``ensure_sync``: note the error handlers
        that handle an exception and the after_request functions that return None."""
        host = self

        def call(*args, **kwargs):
            if len(args) == 1 and isinstance(args[0], BaseException) and _is_error_handler(app, func):
                host.handled.append((args[0], func))
            result = wrapped(*args, **kwargs)
            if result is None and any(func in funcs for funcs in app.after_request_funcs.values()):
                host.returned_none.append(func)
            return result

        return call

    def op_cli(self, app: int, args: list) -> dict:
        result = self.app(app).test_cli_runner().invoke(args=args)
        exc = result.exception
        return {"output": result.output, "exit_code": result.exit_code,
                "exception": None if exc is None or isinstance(exc, SystemExit) else self.describe(exc)}

    # -- probes: a grader's own function, run here -----------------------------------------------

    def op_probe(self, grader: str, function: str, app: int | None, args: list, kwargs: dict):
        target = load_grader(grader)
        for part in function.split("."):
            target = getattr(target, part)
        given = [self.app(app)] if app is not None else []
        return plain(target(*given, *args, **kwargs), limit=100_000)

    # -- what student code did ---------------------------------------------------------------

    def _template(self, sender, template, context, **extra):
        if self.rendered is not None:
            self.rendered.append([template.name, plain(dict(context))])

    def _exception(self, sender, exception, **extra):
        if not student_frame(exception, self.root):  # raised by Flask on behalf of a view: name the view
            try:
                rule = flask.request.url_rule
                view = sender.view_functions.get(rule.endpoint) if rule is not None else None
                exception.__grading_where__ = view_place(view, self.root) if view is not None else ""
                exception.__grading_frames__ = function_frames(view, self.root) if view is not None else []
            except Exception:
                pass
        self.raised.append(exception)

    def describe(self, exc: BaseException) -> dict:
        """The exception as the judge sees it: its class, the nearest built-in class it derives from
        (``class ConfigError(RuntimeError)`` is a RuntimeError), its message and where it was raised."""
        base = next((c.__name__ for c in type(exc).__mro__ if c.__module__ == "builtins"), "Exception")
        return {"type": type(exc).__name__, "builtin": base, "message": _message(exc),
                "where": student_frame(exc, self.root), "note": str(getattr(exc, "__grading_note__", ""))[:300],
                "frames": traceback_frames(exc, self.root) or getattr(exc, "__grading_frames__", [])}

    def explain_import(self, name: str, exc: BaseException, running: bool = False) -> StudentCodeFailed:
        file = f"{name.replace('.', '/')}.py"
        doing = f"Running {file}" if running else f"Importing {file}"
        if isinstance(exc, SyntaxError):
            where = Path(exc.filename or file).name
            return StudentCodeFailed(f"{where} has a syntax error on line {exc.lineno}: {exc.msg}.")
        if isinstance(exc, SystemExit):
            return StudentCodeFailed(f"{doing} called sys.exit({exc.code!r}): a module must not end the program "
                                     "when it is imported.", frames=traceback_frames(exc, self.root))
        return StudentCodeFailed(f"{doing} raised {describe_exception(exc)}{student_frame(exc, self.root)}.",
                                 frames=traceback_frames(exc, self.root))


def fast_password_hashing() -> None:
    """Werkzeug's password hashes made cheap while grading, as Django's test settings swap in a
    fast hasher: the default costs (scrypt with n = 2**15, pbkdf2 with a million rounds) become
    small ones. A hash keeps Werkzeug's format (method and cost, salt, hash) and is checked with
    the cost it names, so checks still tell a Werkzeug hash from a plain or home-made one."""
    import werkzeug.security as security

    original = security._hash_internal

    def cheap(method: str, salt: str, password: str):
        name, *args = method.split(":")
        if name == "scrypt" and not args:
            method = "scrypt:1024:8:1"
        elif name == "pbkdf2" and len(args) < 2:
            method = f"pbkdf2:{args[0] if args else 'sha256'}:1000"
        return original(method, salt, password)

    security._hash_internal = cheap


GRADERS: dict[str, object] = {}  # path -> a grader module, for its probes (loaded once, by the zygote)


def load_grader(path: str):
    """A grader module, as probes need it (the zygote loads them all while idle, so a sandbox finds
    them ready: the graders' own imports, PyYAML for one, are then done once per run)."""
    module = GRADERS.get(path)
    if module is None:
        spec = importlib.util.spec_from_file_location(f"_grader_{Path(path).stem}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        GRADERS[path] = module
    return module


def warm_up() -> None:
    """Run Flask's lazy first-use paths once, on a throwaway app of our own (never student code):
    called in the zygote, so every sandbox forked from it starts with them done. Routing, Jinja,
    JSON, sessions, forms and the CLI runner each import or build something on first use; done
    in each sandbox, that work also copies the zygote's memory pages it touches."""
    app = flask.Flask("warm_up")
    app.config["SECRET_KEY"] = "warm-up"

    @app.route("/<int:number>", methods=["GET", "POST"])
    def page(number):
        flask.session["seen"] = number
        return flask.render_template_string("{{ n }} {{ url_for('page', number=n) }}", n=number)

    @app.post("/json")
    def json_body():
        return flask.jsonify(flask.request.get_json(silent=True), flask.request.form.to_dict())

    client = app.test_client()
    client.get("/1?q=x")
    client.post("/1", data={"field": "value"})
    client.post("/json", json={"a": [1, 2.5, None]})
    client.get("/missing")
    app.test_cli_runner().invoke(args=["routes"])
    try:
        import sqlalchemy
    except ImportError:
        return
    with sqlalchemy.create_engine("sqlite://").connect() as connection:  # imports the sqlite dialect
        connection.execute(sqlalchemy.text("select 1"))


def _run_call(app, args, kwargs) -> dict:
    if "debug" in kwargs:
        debug = kwargs["debug"]
    elif args[2:3]:
        debug = args[2]
    else:
        debug = getattr(app, "debug", None)
    return {"debug": bool(debug) if debug is not None else None}


# -- describing the app and what it did -------------------------------------------------------------


def facts_of(app: flask.Flask) -> dict:
    """What graders may ask of an app, as plain data."""
    views = {}
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        methods = [getattr(view_class, m, None) for m in ("get", "post", "dispatch_request")] if view_class else []
        views[endpoint] = {
            "name": getattr(view, "__name__", repr(view)),
            "coroutine": inspect.iscoroutinefunction(view) or any(inspect.iscoroutinefunction(m) for m in methods),
        }
    return {
        "name": app.name,
        "import_name": app.import_name,
        "root_path": app.root_path,
        "template_folder": app.template_folder,
        "debug": app.debug,
        "testing": app.testing,
        "secret_key": plain(app.secret_key),
        "config": plain(dict(app.config)),
        "blueprints": {name: {"name": bp.name, "url_prefix": bp.url_prefix, "import_name": bp.import_name}
                       for name, bp in app.blueprints.items()},
        "rules": [{"rule": r.rule, "endpoint": r.endpoint, "methods": sorted(r.methods or ())}
                  for r in app.url_map.iter_rules()],
        "views": views,
        "extensions": sorted(str(k) for k in app.extensions),
        "login_manager": getattr(app, "login_manager", None) is not None,
        "jinja_auto_reload": app.jinja_env.auto_reload,
        "templates_auto_reload": app.config.get("TEMPLATES_AUTO_RELOAD"),
    }


def plain(value, depth: int = 0, limit: int = 10_000):
    """``value`` as JSON-able data: containers kept, anything else as ``{"$repr": ..., "$type": ...}``."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)[:limit]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value[:limit])
    if depth > 8:
        return {"$repr": "...", "$type": type(value).__name__}
    if isinstance(value, dict) or (hasattr(value, "keys") and hasattr(value, "__getitem__") and not isinstance(value, type)):
        try:
            return {str(k): plain(value[k], depth + 1, limit) for k in list(value.keys())[:500]}
        except Exception:  # noqa: BLE001, S110
            pass
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, depth + 1, limit) for v in list(value)[:1000]]
    try:
        text = repr(value)[:300]
    except Exception:  # noqa: BLE001
        text = "?"
    return {"$repr": text, "$type": type(value).__name__}


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


def _kind(value) -> str:
    if flask_app_of(value) is not None:
        return "flask"
    if inspect.isfunction(value) or inspect.isbuiltin(value):
        return "function"
    return type(value).__name__


def _from(module, root: Path) -> bool:
    return (getattr(module, "__file__", None) or "").startswith(str(root) + os.sep)


def _message(exc: BaseException) -> str:
    return str(exc).strip()[:2000]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else ""


def describe_exception(exc: BaseException) -> str:
    text = _first_line(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def place(file: str, line: int, name: str = "") -> str:
    """`` in app.py, line 12 (show_post)``: where in the student's files, as messages say it."""
    shown = "" if not name or name.startswith("<") or name == "top-level template code" else f" ({name})"
    return f" in {file}, line {line}{shown}"


def _inside(filename: str, root: Path) -> bool:
    return filename.startswith(str(root) + os.sep)


def student_frame(exc: BaseException, root: Path) -> str:
    """`` in app.py, line 12 (show_post)`` for the last frame of ``exc`` in student code (or, for an
    exception Flask raised about what a view or hook did, such as a return value it rejects, theirs)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _inside(f.filename, root)]
    if not frames:
        return getattr(exc, "__grading_where__", "")
    f = frames[-1]
    return place(os.path.relpath(f.filename, root), f.lineno, f.name)


def frames_of(summary, root: Path) -> list[dict]:
    """The frames of a stack or traceback as plain data: the student's files as ``{"file", "line",
    "name", "source"}`` (file relative to the exercise), every run of other frames (the engine,
    Flask, Werkzeug, Jinja) folded into one ``{"folded": n}``."""
    frames: list[dict] = []
    for f in summary:
        if _inside(f.filename, root):
            source = linecache.getline(f.filename, f.lineno).strip()
            frames.append({"file": os.path.relpath(f.filename, root), "line": f.lineno, "name": f.name,
                           "source": source[:200]})
        elif frames and "folded" in frames[-1]:
            frames[-1]["folded"] += 1
        else:
            frames.append({"folded": 1})
    return frames[-MAX_FRAMES:] if any("file" in f for f in frames) else []


def traceback_frames(exc: BaseException, root: Path) -> list[dict]:
    """The student's frames of ``exc``'s traceback (see :func:`frames_of`)."""
    try:
        return frames_of(traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__), lookup_lines=False), root)
    except Exception:  # noqa: BLE001 - a traceback is student data too
        return []


def function_frames(function, root: Path) -> list[dict]:
    """A student's function as the one frame of a traceback: the line :func:`view_place` names."""
    where = view_place(function, root)
    try:
        file, _, rest = where.removeprefix(" in ").partition(", line ")
        line = int(rest.split(" ")[0])
        source = linecache.getline(str(root / file), line).strip()[:200]
        return [{"folded": 1}, {"file": file, "line": line, "name": getattr(function, "__name__", "?"), "source": source}]
    except (ValueError, TypeError):
        return []


def place_of(function, root: Path) -> str:
    """Where a function of the student's is: its ``return`` line if it has one, else its ``def``."""
    return view_place(function, root)


def view_place(view, root: Path) -> str:
    """`` in app.py, line 55 (get_user)``: the view's ``return`` line if it has one, else its ``def``."""
    import ast
    import textwrap

    view = inspect.unwrap(view)
    code = getattr(view, "__code__", None)
    if code is None or not _inside(code.co_filename, root):
        return ""
    line = code.co_firstlineno
    try:
        lines, first = inspect.getsourcelines(view)
        tree = ast.parse(textwrap.dedent("".join(lines)))
        returns = [n.lineno for n in ast.walk(tree.body[0]) if isinstance(n, ast.Return)]
        line = first + max(returns) - 1 if len(returns) == 1 else first + tree.body[0].lineno - 1
    except (OSError, SyntaxError, IndexError, TypeError):
        pass
    return place(os.path.relpath(code.co_filename, root), line, code.co_name)


def _is_error_handler(app, func) -> bool:
    return any(func in handlers.values() for codes in app.error_handler_spec.values() for handlers in codes.values())


def _current_view() -> str:
    """The endpoint of the request being answered, if any."""
    try:
        rule = flask.request.url_rule if flask.has_request_context() else None
        return str(rule.endpoint) if rule is not None else ""
    except Exception:  # noqa: BLE001
        return ""


def _endpoint_of(app, args: list, kwargs: dict) -> str | None:
    """The endpoint a request made by the test client with these arguments would reach."""
    from flask.testing import EnvironBuilder

    kwargs = {k: v for k, v in kwargs.items() if k not in ("buffered", "follow_redirects")}
    try:
        builder = EnvironBuilder(app, *args, **kwargs)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        return app.url_map.bind_to_environ(environ).match()[0]
    except Exception:  # noqa: BLE001 - a 404, 405 or redirect: then the request is simply sent
        return None


class Printed:
    """``sys.stdout`` and ``sys.stderr`` in the sandbox: what the student's code prints, capped at
    its first and last characters, taken by each answer."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self):
        self.head: list[str] = []
        self.size = 0
        self.tail = ""
        self.dropped = 0

    def write(self, text) -> int:
        text = str(text)
        if self.size < PRINTED_HEAD:
            part = text[:PRINTED_HEAD - self.size]
            self.head.append(part)
            self.size += len(part)
            text = text[len(part):]
        if text:
            self.tail = (self.tail + text)[-PRINTED_TAIL:]
            self.dropped += len(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self.head)
        if self.dropped > PRINTED_TAIL:
            text += f"\n… ({self.dropped - PRINTED_TAIL} more characters) …\n"
        text += self.tail
        self.head, self.size, self.tail, self.dropped = [], 0, "", 0
        return text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("fileno")


def spawned(argv: list[str]) -> None:
    """A sandbox started as a new interpreter: connect back to the judge, enter the wall, serve."""
    import json
    import socket

    from grading.sandbox.confine import Wall, enter

    port, token, wall, shown_as = int(argv[0]), argv[1], Wall(**json.loads(argv[2])), argv[3]
    sock = socket.create_connection(("127.0.0.1", port))
    wire.send(sock, token)
    enter(wall, "process")
    Host(wall.copy, shown_as).serve(sock)
