"""``nox -s hint -- EX``: the next, more concrete hint for each failed check of an exercise.

A check's hint, in its exercise's ``exercise.yaml``, is a list of steps: a question or a pointer
to Flask's documentation first, then the idea, ready-to-paste code (if ever) last. A failed check
shows only the first step, a nudge. When the check knows what went wrong (a view that returned an
int, input not escaped), the steps are those of that cause (:meth:`Exercise.hint_steps`). Each
``nox -s hint`` shows the next step of every check still failing; how far each check (and cause)
went is kept in ``.grading-cache/hints.json`` (never committed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grading.commands.local import cache_dir, exercise_root, graded, one_exercise, open_cache
from grading.judge.course import COURSE_DIR, Exercise, UsageError, load_course
from grading.judge.results import ExerciseResult
from grading.outputs.report import MARKS, Painter, fmt_points, labelled, terminal_width, use_colour, wrapped


class HintLog:
    """How many steps of each check's hint the student has seen (the nudge is step 1)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.seen = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seen = {}

    def next_step(self, exercise_id: str, check: str, steps: int) -> int:
        """The step to show now (1-based), remembered for next time; the last one stays the last."""
        checks = self.seen.setdefault(exercise_id, {})
        step = min(int(checks.get(check, 1)) + 1, steps)
        checks[check] = step
        return step

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.seen, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s hint --", description="Show the next, more concrete hint for each failed check of an exercise."
    )
    parser.add_argument("exercise", nargs="?", metavar="EXERCISE", help="id or number (default: the folder you are in)")
    parser.add_argument("--root", default=None, help="folder holding the exercise folders (default: exercises/)")
    return parser


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    args = build_parser().parse_args(argv)
    root = exercise_root(args.root, course_dir)
    try:
        exercise = one_exercise(load_course(course_dir), args.exercise, root)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    [result] = graded([exercise], root, open_cache(course_dir))
    if result.status == "missing":
        print(f"{root / exercise.id} was not found.", file=sys.stderr)
        return 2
    show_hints(exercise, result, course_dir, f"`nox -s hint -- {exercise.id[:2]}` again")
    return 0


def show_hints(exercise: Exercise, result: ExerciseResult, course_dir: Path, again: str) -> None:
    """Print the next step of the hint of every failed check of ``result``, and remember it
    (``again`` says how to ask for the step after: a command, or watch's key)."""
    paint = Painter(use_colour())
    columns = terminal_width()
    score = f"{fmt_points(result.score)}/{fmt_points(result.max_score)}"
    print(f"{paint(exercise.id, 'bold')}  {score}  {exercise.title}")
    failed = [c for c in result.checks if c.status not in ("passed", "not_run")]
    not_run = [c for c in result.checks if c.status == "not_run"]  # no hint: their cause comes first
    if result.full_marks:
        print(paint("Full marks: no hint needed.", "green"))
        return
    if result.error:  # the app could not be built: that comes first
        print("\n".join(paint(line, "red") for line in wrapped(result.error, "  ", columns)))
    log = HintLog(cache_dir(course_dir) / "hints.json")
    more = False
    for check in failed:
        base = check.name.split("[")[0]
        steps = exercise.hint_steps(base, check.cause)  # the hint for what went wrong, else the check's
        print("\n".join(labelled(MARKS.get(check.status, "✗"), check.doc or check.name, "  ", columns, paint, "red")))
        if check.message and check.message != result.error and any(c.message == f"Not run: {check.message}" for c in not_run):
            print("\n".join(wrapped(check.message, "    ", columns)))  # the cause other checks wait for
        if not steps:
            print("    (no hint for this check: ask your instructor)")
            continue
        topic = check.name if steps == exercise.hint_steps(base) else f"{check.name}:{check.cause}"
        step = log.next_step(exercise.id, topic, len(steps))
        more = more or step < len(steps)
        label = f"Hint {step}/{len(steps)}:"
        print("\n".join(labelled(label, steps[step - 1], "    ", columns, paint, "cyan")))
    if not_run:
        print("\n".join(labelled(MARKS["not_run"], "Not run until the cause above is fixed (no hint for them yet):",
                                  "  ", columns, paint, "dim")))
        for check in not_run:
            print("\n".join(wrapped(check.doc or check.name, "    ", columns, first="- ")))
    log.save()
    if more:
        print(f"\nStill stuck? {again} shows the next step.")
    else:
        print("\nThat was the last step of every hint: the README and Flask's docs say the rest.")


if __name__ == "__main__":
    sys.exit(main())
