"""Expectations that fail with a message a stuck student can act on.

Each function raises :class:`CheckFailed` saying what was requested, what was expected and
what came back, e.g. ``GET /post/abc returned 200, expected 404.`` The hint of the check (from
``exercise.yaml``) is added by the report, so messages state facts and hints give advice.
"""

from __future__ import annotations

import contextlib
import html
import json as _json
import re
from typing import Any

from markupsafe import escape


# What went wrong in a failed check, as a key: the hint shown is the one for that cause (the
# check's exercise.yaml entry keyed by it, else grading.judge.course.CAUSE_HINTS, else the check's own).
CAUSES = {
    "status": "the wrong status code",
    "body": "the wrong text, JSON value or page",
    "type": "a view returned what Flask cannot send (an int, None)",
    "escaping": "user input not HTML-escaped",
    "exception": "the student's code raised",
    "json": "not JSON at all",
    "redirect": "a redirect elsewhere",
    "header": "a header missing or wrong",
    "config": "a setting the app did not use (a test config applied too late, say)",
    "endpoint": "url_for named an endpoint that does not exist",
    "handler": "an error handler turned an HTTP error into another status",
    "run": "app.run() called while the app is only imported (a server of its own starts)",
    "suite": "the student's own tests fail on a correct app (15-testing)",
    "template": "a page not rendered from its template (none rendered, or the file not found)",
    "import": "a module of the student's could not be imported",
}


class CheckFailed(AssertionError):
    """A check saw behaviour that breaks the exercise's contract. ``cause``: what went wrong, as a
    key hints are filed under (one of CAUSES), if known. ``student_exception``: the exception of
    the student's code behind it (a 500), if any, so that one exception failing several checks is
    said once (:mod:`grading.judge.plugin`)."""

    student_exception = None

    def __init__(self, message: str = "", cause: str | None = None):
        super().__init__(message)
        self.cause = cause


def exception_cause(exc) -> str:
    """The cause key of a student's exception: ``type`` when Flask refused what a view returned."""
    if getattr(exc, "type_name", "") == "TypeError" and "did not return a valid response" in str(exc):
        return "type"
    if getattr(exc, "type_name", "") == "BuildError":
        return "endpoint"
    if getattr(exc, "type_name", "") in ("TemplateNotFound", "TemplatesNotFound"):
        return "template"
    return "exception"


def _crashed(response, message: str, cause: str | None = None) -> CheckFailed:
    """A :class:`CheckFailed` for ``response``, remembering the student's exception behind a 500."""
    failed = CheckFailed(message, cause)
    if response.status_code == 500:
        failed.student_exception = getattr(response, "student_exception", None)
        if failed.student_exception is not None:
            failed.cause = exception_cause(failed.student_exception)
    return failed


class PreconditionFailed(CheckFailed):
    """What a check needs is missing, for a reason other checks share (the cause, said once):
    the first check it stops fails with this message, every later one is *not run*."""


def fail(message: str, cause: str | None = None) -> None:
    raise CheckFailed(message, cause)


def precondition(message: str, cause: str | None = None) -> None:
    """Fail because of a cause several checks share: said once, the later checks are not run."""
    raise PreconditionFailed(message, cause)


@contextlib.contextmanager
def shared_cause():
    """What fails inside is a cause several checks share (a helper they all call): the first
    check it stops says it, the later ones are not run."""
    try:
        yield
    except PreconditionFailed:
        raise
    except CheckFailed as failed:
        shared = PreconditionFailed(str(failed), failed.cause)
        shared.student_exception = failed.student_exception
        raise shared from None


def that(condition: bool, message: str, cause: str | None = None) -> None:
    if not condition:
        raise CheckFailed(message, cause)


class _Described:
    """A value shown by a description rather than its repr (an HTML page by its title)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _html_title(text: str) -> str | None:
    """The title of a whole HTML page (a Flask error page, say), or None if ``text`` is not one."""
    if not text.lstrip().lower().startswith(("<!doctype html", "<html")):
        return None
    title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
    return " ".join(title.group(1).split()) if title else ""


def _summarised(value: Any) -> Any:
    """``value`` with every HTML page in it replaced by its title: pages are never dumped into a message."""
    if isinstance(value, str):
        title = _html_title(value)
        return value if title is None else _Described(f"<an HTML page titled {title!r}>" if title else "<an HTML page>")
    if isinstance(value, (list, tuple)):
        return type(value)(_summarised(v) for v in value) if type(value) in (list, tuple) else value
    if isinstance(value, dict) and type(value) is dict:
        return {k: _summarised(v) for k, v in value.items()}
    return value


def show(value: Any, limit: int = 160) -> str:
    """A short, quoted rendering of a value for a message (HTML pages by their title)."""
    text = repr(_summarised(value))
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def describe_body(body: str) -> str:
    """A body as a student would recognise it: HTML pages by their title, the rest quoted."""
    title = _html_title(body)
    if title:
        return f"an HTML page titled {show(title)}"
    return show(body)


def request_of(response) -> str:
    req = getattr(response, "request", None)
    if req is None:
        return "The request"
    path = req.full_path.rstrip("?") if req.query_string else req.path
    return f"{req.method} {path}"


def body_of(response) -> str:
    return response.get_data(as_text=True).strip()


def _why_500(response) -> str:
    """Why the answer went wrong: the student's exception behind a 500, or the exception one of
    their error handlers caught (an ``errorhandler(Exception)`` that swallows ``abort(403)``)."""
    exc = getattr(response, "student_exception", None)
    if response.status_code == 500 and exc is not None:
        return f" Your code raised {exc.describe()}."
    handled = getattr(response, "handled_exception", None)
    return handled.describe_handled(response.status_code) if handled is not None else ""


def explain(response, expected: int | tuple[int, ...] | None = None) -> str:
    """Why an answer came back with an unexpected status: the student's exception behind a 500, or
    what a puzzling status means; "" when the status is the one ``expected``."""
    wanted = expected if isinstance(expected, tuple) else (expected,)
    if response.status_code in wanted:
        return ""
    return _why_500(response) + explain_status(response)


def explain_status(response) -> str:
    """What a puzzling status means, in a beginner's words (405, 415, 308 and the like); "" if plain.
    Only for a status that was not expected: a correct 405 needs no advice."""
    code = response.status_code
    req = getattr(response, "request", None)
    method = getattr(req, "method", "") or "this method"
    if code == 405:
        allowed = ", ".join(sorted(m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()))
        return (f" 405 Method Not Allowed: the URL exists but does not accept {method}"
                + (f" (only {allowed})" if allowed else "")
                + "; list the methods a route accepts with methods=[...] in @app.route, or use @app.post and the like.")
    if code == 415:
        return (" 415 Unsupported Media Type: Flask's request.json (or get_json()) refuses a body that was not sent "
                "as JSON; to answer such a request yourself, use request.get_json(silent=True) and check what "
                "came back.")
    if code == 308:
        location = response.headers.get("Location", "")
        slash = (" Flask does this when a route is declared with a trailing slash and the URL has none: declare the"
                 " route exactly as the exercise writes it.") if location.split("?")[0].endswith("/") else ""
        return " 308 Permanent Redirect: Flask sent the client elsewhere" + (f", to {show(location)}" if location else "") + "." + slash
    return ""


def status(response, expected: int | tuple[int, ...]) -> None:
    """The response has the expected status code (or one of them)."""
    wanted = expected if isinstance(expected, tuple) else (expected,)
    if response.status_code not in wanted:
        shown = " or ".join(str(w) for w in wanted)
        handled = getattr(response, "handled_exception", None)
        turned = handled is not None and getattr(handled, "abort", None) not in (None, response.status_code)
        raise _crashed(response,
            f"{request_of(response)} returned {response.status_code}, expected {shown}." + explain(response),
            "handler" if turned else "status",
        )


def no_server_error(response, request: str = "") -> None:
    """The app answered without a 5xx (``request`` describes it, if the response cannot)."""
    if response.status_code >= 500:
        raise _crashed(response,
            f"{request or request_of(response)} answered {response.status_code}: a request, however odd, "
            "must get a 4xx answer, never a crash." + _why_500(response),
            "status",
        )


def text(response, expected: str, status_code: int | None = 200) -> None:
    """The body, stripped of surrounding whitespace, is exactly ``expected``."""
    if status_code is not None:
        status(response, status_code)
    body = body_of(response)
    if body != expected:
        raise CheckFailed(
            f"{request_of(response)} returned the body {describe_body(body)}, expected {show(expected)}.", "body"
        )


def escaped_text(response, expected: str, status_code: int | None = 200) -> None:
    """The body is ``expected`` with every user-supplied character HTML-escaped.

    Any correct escaping is accepted (``&#39;`` or ``&#x27;``), but a raw ``<`` never is.
    """
    if status_code is not None:
        status(response, status_code)
    body = body_of(response)
    if html.unescape(body) != expected or "<" in body.replace("<!", ""):
        unescaped = html.unescape(body) == expected or body == expected
        raise CheckFailed(
            f"{request_of(response)} returned {describe_body(body)}, expected {show(str(escape(expected)))}"
            + (": user input must be HTML-escaped (no raw <, and & written &amp;)." if unescaped else "."),
            "escaping" if unescaped else "body",
        )


def contains(response, fragment: str, status_code: int | None = 200) -> None:
    """The body contains ``fragment``."""
    if status_code is not None:
        status(response, status_code)
    body = body_of(response)
    if fragment not in body:
        raise CheckFailed(
            f"{request_of(response)} returned {describe_body(body)}, which does not contain {show(fragment)}.", "body"
        )


def json(response, expected: Any = ..., status_code: int | tuple[int, ...] | None = 200) -> Any:
    """The response is JSON (``application/json``); return its value, or compare it to ``expected``."""
    if status_code is not None:
        status(response, status_code)
    if not response.is_json:
        raise _crashed(response,
            f"{request_of(response)} returned {response.status_code} with Content-Type "
            f"{response.content_type!r}: {describe_body(body_of(response))}, expected JSON "
            "(return a dict or use jsonify)." + explain(response, status_code),
            "json",
        )
    try:
        data = _json.loads(response.get_data(as_text=True))
    except ValueError:
        raise CheckFailed(
            f"{request_of(response)} says it is JSON but its body is not: {show(body_of(response))}.", "json"
        ) from None
    if expected is not ... and data != expected:
        raise CheckFailed(
            f"{request_of(response)} returned the JSON {show(data)}, expected {show(expected)}.", "body"
        )
    return data


def json_error(response, status_code: int | tuple[int, ...] = 400) -> Any:
    """The response is a JSON object with an ``error`` key and the given status."""
    data = json(response, status_code=status_code)
    if not isinstance(data, dict) or "error" not in data:
        raise CheckFailed(
            f"{request_of(response)} returned the JSON {show(data)}, expected an object with an "
            '"error" key, like {"error": "..."}.', "body"
        )
    return data


def redirect(response, ends_with: str, status_code: int | tuple[int, ...] = (301, 302, 303, 307, 308)) -> None:
    """The response redirects to a URL ending in ``ends_with``."""
    status(response, status_code)
    location = response.headers.get("Location", "")
    path = location.split("?", 1)[0]
    if not (path.endswith(ends_with) or location.endswith(ends_with)):
        raise CheckFailed(
            f"{request_of(response)} redirected to {show(location)}, expected a Location ending in "
            f"{show(ends_with)}.", "redirect"
        )


def header(response, name: str, predicate=None, expected: str = "") -> str:
    """The response has header ``name`` (and, if given, ``predicate(value)`` holds)."""
    value = response.headers.get(name)
    if value is None:
        raise CheckFailed(f"{request_of(response)} has no {name} header, expected {expected or 'one'}.", "header")
    if predicate is not None and not predicate(value):
        raise CheckFailed(
            f"{request_of(response)} sent {name}: {show(value)}, expected {expected or 'another value'}.", "header"
        )
    return value


def equal(actual: Any, expected: Any, what: str) -> None:
    """``what`` is ``expected``."""
    if actual != expected:
        if isinstance(actual, (list, tuple, dict, str)) and not actual:  # "is []" reads like a typo
            kind = {list: "list", tuple: "list", dict: "object", str: "text"}.get(type(actual), "value")
            raise CheckFailed(f"{what} is an empty {kind} ({show(actual)}), expected {show(expected)}.")
        raise CheckFailed(f"{what} is {show(actual)}, expected {show(expected)}.")
