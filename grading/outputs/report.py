"""A grading run's results in the JSON report (``--json``) and on the terminal."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

from grading.judge.course import RENAME_ADVICE
from grading.judge.results import CheckResult, ExerciseResult
from grading.judge.sandboxes import UNTRUSTED
from grading.outputs import safe

REPORT_VERSION = 1






def report_json(results: list[ExerciseResult]) -> dict:
    """The JSON report: every text made safe (:mod:`.safe`), so it round-trips through any reader."""
    results = safe.results(results)
    report = {
        "version": REPORT_VERSION,
        "score": float(sum(r.score for r in results)),
        "max_score": float(sum(r.max_score for r in results)),
        "exercises": [r.to_json() for r in results],
    }
    if any(r.isolation == "process" for r in results):  # no wall: say so wherever the grade goes
        report["untrusted"] = UNTRUSTED
    return report


# -- terminal -------------------------------------------------------------------------------


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


class Painter:
    CODES = {"green": "32", "red": "31", "yellow": "33", "bold": "1", "dim": "2", "cyan": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"


def fmt_points(x: float) -> str:
    return f"{x:g}"


MARKS = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "not_run": "○"}


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` first), 80 when there is no terminal."""
    return shutil.get_terminal_size((80, 24)).columns


def wrapped(text: str, indent: str, width: int, first: str = "") -> list[str]:
    """``first + text`` wrapped to ``width``, every line indented; words are never cut (URLs, code)."""
    lines = []
    for n, paragraph in enumerate(text.splitlines() or [""]):
        lead = indent + (first if n == 0 else " " * len(first))
        lines += textwrap.wrap(
            paragraph, width=max(width, len(lead) + 20), initial_indent=lead,
            subsequent_indent=indent + " " * len(first), break_long_words=False, break_on_hyphens=False,
        ) or [lead.rstrip()]
    return lines


def labelled(label: str, text: str, indent: str, width: int, paint: Painter, *styles: str) -> list[str]:
    """``label text`` wrapped under the text's first word, the label painted."""
    lines = wrapped(text, indent, width, first=f"{label} ")
    return [lines[0].replace(label, paint(label, *styles), 1), *lines[1:]]


PRINTED_LINES = 40  # lines of what a check's code printed shown under --debug


def render_details(details: dict | None, indent: str, columns: int, paint: Painter) -> list[str]:
    """``--debug``: the student's own traceback (their files only, the rest folded as "…") and
    what their code printed during the check; every byte of it is the student's, made safe first."""
    if not details:
        return []
    lines = []
    frames = [f for f in details.get("frames") or [] if isinstance(f, dict)]
    if frames:
        lines.append(paint(f"{indent}Your code, most recent call last:", "dim"))
        for frame in frames:
            if "file" not in frame:
                lines.append(f"{indent}  …")
                continue
            where = safe.name(f"{frame['file']}, line {frame.get('line')}, in {frame.get('name')}")
            lines += wrapped(where, indent + "  ", columns)
            if frame.get("source"):
                lines.append(f"{indent}    {safe.name(frame['source'])}")
    printed = (safe.text(details.get("printed"), limit=10_000) or "").rstrip()
    if printed:
        lines.append(paint(f"{indent}Your code printed:", "dim"))
        shown = printed.splitlines()
        if len(shown) > PRINTED_LINES:
            shown = [*shown[:PRINTED_LINES // 2], f"… ({len(shown) - PRINTED_LINES} more lines) …", *shown[-PRINTED_LINES // 2:]]
        width = max(columns - len(indent) - 4, 40)
        lines += [f"{indent}  | {line[:width - 1] + '…' if len(line) > width else line}" for line in shown]
    return lines


def render_exercise(result: ExerciseResult, paint: Painter, width: int = 16, columns: int | None = None,
                    debug: bool = False, brief: bool = False) -> str:
    """An exercise's score and, for each failed check, what happened and a hint. ``brief``: only
    the score and how many checks are left, with the command that shows them (a whole course's
    first grade would otherwise print hundreds of lines about exercises not started)."""
    [result] = safe.results([result])  # no escape sequence of a student's reaches the terminal
    score = f"{fmt_points(result.score)}/{fmt_points(result.max_score)}"
    colour = {"passed": "green", "missing": "dim"}.get(result.status, "red" if result.score == 0 else "yellow")
    label = {"missing": "  (not found)", "error": "  (could not be graded)"}.get(result.status, "")
    lines = [f"{paint(result.id.ljust(width), 'bold')} {score.rjust(7)}  {result.title}{paint(label, colour)}"]
    lines[0] = lines[0].replace(score.rjust(7), paint(score.rjust(7), colour), 1)
    if result.status == "missing":  # a folder that looks like it, renamed, is named; else nothing to say
        if RENAME_ADVICE in (result.error or ""):
            lines += [paint(line, "yellow") for line in wrapped(result.error, "    ", columns or terminal_width())]
        return "\n".join(lines)
    columns = columns or terminal_width()
    if brief and result.status != "passed":
        left = sum(1 for c in result.checks if c.status != "passed")
        what = f"{left} check{'s' * (left != 1)} to go" if left else "not graded"
        lines += [paint(line, "dim") for line in wrapped(f"{what}: nox -s grade -- {result.id[:2]}", "    ", columns)]
        return "\n".join(lines)
    if result.error:
        lines += [paint(line, "red") for line in wrapped(result.error, "    ", columns)]
        if debug:
            cause = next((c for c in result.checks if c.message == result.error and c.details), None)
            lines += render_details(cause.details if cause else None, "    ", columns, paint)
    said = {result.error} if result.error else set()
    not_run: dict[str, list[CheckResult]] = {}
    for check in result.checks:
        if check.status == "passed":
            continue
        if check.status == "not_run":
            not_run.setdefault((check.message or "").removeprefix("Not run: "), []).append(check)
            continue
        said.add(check.message)
        if result.error and check.message == result.error:  # the cause, said above: listed with the checks it stopped
            not_run.setdefault(result.error, []).append(check)
            continue
        mark = MARKS.get(check.status, "✗")
        title = check.doc or check.name
        points = f"({fmt_points(check.points)}/{fmt_points(check.max_points)})"
        lines += labelled(mark, f"{title} {points}", "    ", columns, paint, "red")
        if check.message:
            lines += wrapped(check.message, "      ", columns)
        if check.hint:
            lines += labelled("Hint:", check.hint, "      ", columns, paint, "cyan")
        if debug:
            lines += render_details(check.details, "      ", columns, paint)
    for cause, checks in not_run.items():  # the cause once, then the checks it kept from running
        missed = fmt_points(sum(c.max_points for c in checks))
        needed = next((c for c in result.checks if cause == f"needs {c.name} (see above)."), None)
        if needed is not None:  # a check they build on did not pass: said above, by that check
            why = f"Not run until this passes: {needed.doc or needed.name} (0/{missed}):"
            lines += labelled(MARKS["not_run"], why, "    ", columns, paint, "dim")
        elif cause in said:
            lines += labelled(MARKS["not_run"], f"Not judged, for the reason above (0/{missed}):", "    ", columns, paint, "dim")
        else:
            lines += labelled(MARKS["not_run"], f"Not run (0/{missed}): {cause}", "    ", columns, paint, "dim")
            said.add(cause)
        for check in checks:
            lines += wrapped(check.doc or check.name, "      ", columns, first="- ")
    return "\n".join(lines)


def render_summary(results: list[ExerciseResult], paint: Painter, root_label: str,
                   course: list[tuple[str, str, bool | None]] | None = None, debug: bool = False,
                   shown: list[str] | None = None) -> str:
    """The total, and what to do next. ``course``: every exercise of the course in order, as
    ``(id, title, full marks)``, full marks ``None`` when unknown (neither graded now nor cached).
    "Next" is the first exercise known to be below full marks, else the next one not graded;
    "well done" only when every exercise of the course has full marks. ``debug``: the tracebacks
    are shown already; ``shown``: the exercises whose failed checks were shown, if not all (the
    advice is about those)."""
    score = sum(r.score for r in results)
    total = sum(r.max_score for r in results)
    done = sum(1 for r in results if r.full_marks)
    lines = ["", paint(f"Total: {fmt_points(score)}/{fmt_points(total)}", "bold") + f"  ({done} of {len(results)} exercises complete)"]
    full = {ex_id: marks for ex_id, _, marks in course or []}
    full.update({r.id: r.full_marks for r in results})
    titles = {ex_id: title for ex_id, title, _ in course or []} | {r.id: r.title for r in results}
    below = next((ex_id for ex_id in full if full[ex_id] is False), None)
    order = list(full)
    after = order[order.index(results[-1].id) + 1:] if results else []
    todo = below or next((ex_id for ex_id in after if full[ex_id] is None), None)  # else the next one not graded
    if todo is not None:
        lines += wrapped(f"Next: {todo}, {titles[todo]}. Read {root_label}/{todo}/README.md", "", terminal_width())
    elif course is None or None in full.values():  # how far the others are is not known here
        lines.append(paint("Every exercise graded here has full marks.", "green"))
    else:
        last = "Full marks: that was the last exercise. " if results and results[-1].id == course[-1][0] else ""
        lines.append(paint(f"{last}Every exercise of the course has full marks. Well done!", "green"))
    crashed = next((r for r in results if (shown is None or r.id in shown) and (r.status == "error" or any(
        c.status in ("error", "timeout") or " raised " in (c.message or "") for c in r.checks))), None)
    advice = []
    if crashed and not debug:
        advice.append(f"Your traceback and what your code printed: nox -s grade -- {crashed.id[:2]} --debug")
    if below is not None:
        advice.append(f"Stuck? `nox -s hint -- {below[:2]}` gives a hint, one step at a time.")
    lines += [paint(line, "dim") for text in advice for line in wrapped(text, "", terminal_width())]
    return "\n".join(lines)
