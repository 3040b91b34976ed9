"""Gradescope's ``results.json``: a submission's results in the format Gradescope reads."""

from __future__ import annotations

from grading.judge.course import RENAME_ADVICE
from grading.judge.results import ExerciseResult
from grading.outputs import safe
from grading.outputs.report import fmt_points


def results_json(results: list[ExerciseResult], seconds: float, note: str | None = None) -> dict:
    """``results.json`` in Gradescope's format: a test per check, with its points and message."""
    results, note = safe.results(results), safe.text(note)
    tests = []
    for number, result in enumerate(results, start=1):
        for sub, check in enumerate(result.checks, start=1):
            output = "\n".join(p for p in (check.message, check.hint and f"Hint: {check.hint}") if p)
            tests.append(
                {
                    "name": f"{result.id}: {check.doc or check.name}",
                    "number": f"{number}.{sub}",
                    "score": check.points,
                    "max_score": check.max_points,
                    "status": "passed" if check.status == "passed" else "failed",
                    "output": output,
                    "tags": [result.id],
                    "visibility": "visible",
                }
            )
    score = sum(r.score for r in results)
    total = sum(r.max_score for r in results)
    lines = [f"Total: {fmt_points(score)}/{fmt_points(total)}"]
    lines += [f"{r.id}: {fmt_points(r.score)}/{fmt_points(r.max_score)} ({r.status})" for r in results]
    if note:
        lines.insert(0, f"Warning: {note}")
    return {
        "score": score,
        "execution_time": round(seconds, 2),
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def explain_missing(result: ExerciseResult) -> ExerciseResult:
    """An exercise not in the submission: say so on each check, without hints about code not there."""
    if result.status == "missing":
        why = f"{result.id} is not in your submission: upload the exercise folders or your whole repository."
        if RENAME_ADVICE in (result.error or ""):  # a folder that looks like it renamed: the judge named it
            why = result.error
        for check in result.checks:
            check.message, check.hint = why, None
        result.error = why
    return result
