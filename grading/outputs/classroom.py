"""GitHub Classroom: results for its grading reporter, and a job summary.

The workflow (``.github/workflows/classroom.yml``, written by ``nox -s classroom``) runs
``nox -s grade`` once. When ``GITHUB_OUTPUT`` is set, the grade command writes one step output per
exercise (:func:`write_github_output`): base64 of the JSON that
``classroom-resources/autograding-grading-reporter@v1`` reads from ``<RUNNER ID>_RESULTS``, with
one test per check, so Classroom gives partial credit check by check. When
``GITHUB_STEP_SUMMARY`` is set it also writes a Markdown table of the scores there.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from grading.judge.course import module_name_for
from grading.judge.sandboxes import LEVEL_NAMES
from grading.judge.results import ExerciseResult
from grading.outputs import safe
from grading.outputs.report import fmt_points

MESSAGE_LIMIT = 2000  # characters of a check's message kept in a Classroom result
EXERCISE_STATUS = {"passed": "pass", "failed": "fail", "missing": "fail", "error": "error"}
CHECK_STATUS = {"passed": "pass", "failed": "fail", "error": "error", "timeout": "error", "not_run": "fail"}


def runner_id(exercise_id: str) -> str:
    """``01-hello`` -> ``ex01hello``: letters and digits only, not starting with a digit (it names
    an environment variable, and the reporter's own check of its ``runners`` input allows no more)."""
    return "ex" + "".join(ch for ch in exercise_id if ch.isalnum())


def reporter_results(result: ExerciseResult) -> dict:
    """What the grading reporter reads for one exercise: a test per check, with its points."""
    [result] = safe.results([result])
    tests = []
    for check in result.checks:
        message = check.message or ("" if check.status == "passed" else "failed")
        if check.hint and check.status != "passed":
            message = f"{message}\nHint: {check.hint}"
        tests.append(
            {
                "name": f"{result.id}: {check.doc or check.name}",
                "status": CHECK_STATUS.get(check.status, "error"),
                "score": check.points,
                "message": message[:MESSAGE_LIMIT],
                "test_code": check.name,
                "filename": f"graders/{module_name_for(result.id)}",
                "line_no": 0,
                "duration": 0,
            }
        )
    return {
        "version": 1,
        "status": EXERCISE_STATUS.get(result.status, "error"),
        "max_score": result.max_score,
        "tests": tests,
    }


def encode(results: dict) -> str:
    return base64.b64encode(json.dumps(results).encode("utf-8")).decode("ascii")


def write_github_output(path: Path, results: list[ExerciseResult]) -> None:
    """Append ``<runner id>=<base64 results>`` for each exercise to ``$GITHUB_OUTPUT``."""
    with open(path, "a", encoding="utf-8") as out:
        for result in results:
            out.write(f"{runner_id(result.id)}={encode(reporter_results(result))}\n")


def step_summary(results: list[ExerciseResult], warning: str | None = None, notes: tuple[str, ...] = ()) -> str:
    """A Markdown table of the scores, for ``$GITHUB_STEP_SUMMARY``: names on one line, ``|`` escaped;
    ``notes`` (which graders graded, how student code was walled off) come under the title."""
    results = safe.results(results)
    score = sum(r.score for r in results)
    total = sum(r.max_score for r in results)
    lines = [f"## Flask exercises: {fmt_points(score)}/{fmt_points(total)} points", ""]
    if warning:
        lines += [f"> **Warning:** {_md(warning)}", ""]
    lines += [line for note in notes for line in (note, "")]
    lines += ["| Exercise | Score | Status | Checks lost |", "| --- | ---: | --- | --- |"]
    for r in results:
        lost = _md(", ".join(c.name for c in r.checks if c.points < c.max_points) or "-")
        if r.status == "missing" and r.error:  # every check: say why once instead
            lost = _md(r.error)
        mark = {"passed": "✅ passed", "failed": "❌ failed", "error": "⚠️ error", "missing": "➖ missing"}[r.status]
        lines.append(f"| {_md(r.id)}: {_md(r.title)} | {fmt_points(r.score)}/{fmt_points(r.max_score)} | {mark} | {lost} |")
    lines.append(f"| **Total** | **{fmt_points(score)}/{fmt_points(total)}** | | |")
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    """Text for a cell of a Markdown table: one line, no ``|`` or HTML of its own."""
    return safe.html(safe.name(value)).replace("|", "\\|")


def write_step_summary(path: Path, results: list[ExerciseResult], warning: str | None = None,
                       notes: tuple[str, ...] = ()) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(step_summary(results, warning, notes))


def isolation_note(level: str | None) -> str | None:
    """What the summary says of the wall around student code: its level, and whether to trust the grade."""
    if level is None:
        return None
    if level == "process":
        return (f"**Untrusted grade:** student code ran in {LEVEL_NAMES[level]} (level `process`), which code "
                "in an exercise can get past to change its grade. Batch grading gives the grade to trust.")
    return f"Student code ran in a sandbox: {LEVEL_NAMES.get(level, level)} (level `{level}`)."


def graders_note(origin: dict | None) -> str:
    """Which graders graded: the course's, checked out from its repository at a commit, or this repository's own."""
    if origin is None:
        return ("Graded with this repository's own copy of the graders (a student can change it: batch grading "
                "gives the grade to trust).")
    repository, commit = origin.get("repository"), origin.get("commit")
    where = f"[{repository}](https://github.com/{repository})" if repository else "the course's repository"
    at = f" at commit [`{commit[:12]}`](https://github.com/{repository}/commit/{commit})" if repository and commit else (
        f" at commit `{commit[:12]}`" if commit else "")
    return f"Graded with the course's graders from {where}{at}, never the student's copies."


# -- the workflow ---------------------------------------------------------------------------------
