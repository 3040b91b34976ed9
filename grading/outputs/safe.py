"""Student-controlled text made safe for each output, before any writer sees it.

A message, a test id, a folder or file name can come from a student's code or submission: it
may hold escape sequences (that rewrite the instructor's terminal), lone surrogates (that crash
an encoder), characters XML forbids, a CSV cell a spreadsheet runs as a formula, HTML, or a
megabyte of text. Every writer of :mod:`grading.outputs` passes such text through here:

- :func:`text`: for the terminal and JSON: control characters (but newlines and tabs), bidi
  overrides and lone surrogates shown as escapes (``\\x1b``), and at most ``limit`` characters;
- :func:`results`: a copy of results whose every text field went through :func:`text`;
- :func:`xml`: :func:`text`, with what XML 1.0 cannot hold removed;
- :func:`cell`: a CSV cell no spreadsheet reads as a formula;
- :func:`html` and :func:`href`: escaped text, and a link that can only be http(s) or relative.
"""

from __future__ import annotations

import copy
import html as _html
import re
from urllib.parse import quote, urlsplit

from grading.judge.results import ExerciseResult

MESSAGE_LIMIT = 4000  # characters of one message kept in any output
NAME_LIMIT = 200  # of a name: a check, a student's folder, a file
CUT = " […]"

# C0 but tab and newline, DEL, C1, bidi embeddings, overrides and isolates, lone surrogates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
SAFE_SCHEMES = ("http", "https")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(value, limit: int = MESSAGE_LIMIT):
    """``value`` safe for a terminal and for any JSON reader, at most ``limit`` characters
    (``None`` stays ``None``; anything else becomes its ``str``)."""
    if value is None:
        return None
    value = _UNSAFE.sub(_escape, value if isinstance(value, str) else str(value))
    if len(value) > limit:
        value = value[: max(0, limit - len(CUT))] + CUT
    return value


def name(value) -> str:
    """A name (a check's, a student's folder, a file's) on one line, at most :data:`NAME_LIMIT` characters."""
    return text("" if value is None else str(value).replace("\n", "\\n"), NAME_LIMIT)


def results(found: list[ExerciseResult]) -> list[ExerciseResult]:
    """Copies of ``found`` whose every text field is safe (:func:`text`); the scores are untouched."""
    cleaned = []
    for result in found:
        result = copy.copy(result)
        result.id, result.title = name(result.id), name(result.title)
        result.error = text(result.error)
        result.checks = [copy.copy(c) for c in result.checks]
        for check in result.checks:
            check.name, check.doc = name(check.name), text(check.doc)
            check.message, check.hint = text(check.message), text(check.hint)
        cleaned.append(result)
    return cleaned


def xml(value, limit: int = MESSAGE_LIMIT) -> str:
    """``value`` as :func:`text`, without the characters XML 1.0 cannot hold (``U+FFFE``...)."""
    return _NOT_XML.sub("", text("" if value is None else value, limit))


def cell(value) -> str:
    """A CSV cell no spreadsheet runs: a cell starting like a formula (``=``, ``+``, ``-``, ``@``,
    a tab or a line break) gets a leading ``'``, as OWASP recommends."""
    value = text("" if value is None else value)
    return "'" + value if value.startswith(FORMULA) else value


def html(value, limit: int = MESSAGE_LIMIT) -> str:
    """``value`` as :func:`text`, escaped for HTML (quotes included)."""
    return _html.escape(text("" if value is None else value, limit), quote=True)


def href(url: str) -> str:
    """``url`` for an ``href``, escaped: only http(s) or a relative link; anything else is ``#``."""
    url = text(url, MESSAGE_LIMIT)
    if any(ch <= " " or ch == "\\" for ch in url):  # browsers drop tabs and newlines: java\tscript:
        return "#"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("", *SAFE_SCHEMES) or (not parts.scheme and parts.netloc):
        return "#"
    return _html.escape(url, quote=True)


def file_link(filename: str) -> str:
    """A relative link to ``filename`` beside the page, whatever characters the name holds."""
    return "./" + quote(filename, safe="")
