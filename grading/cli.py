"""``python -m grading``: grade exercises and report, check by check (what ``nox -s grade`` runs)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from grading.cache import ResultCache
from grading.classroom import write_github_output, write_step_summary
from grading.course import COURSE_DIR, UsageError, load_course
from grading.integrity import changed_files, warning
from grading.junit import write_junit
from grading.local import chosen_or_here, exercise_root, shown, user_path
from grading.report import Painter, render_exercise, render_summary, report_json, terminal_width, use_colour, wrapped
from grading.worker import grade

EXIT_OK, EXIT_NOT_FULL, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s grade --",
        description="Grade the exercises and explain every failed check.",
    )
    parser.add_argument(
        "exercises", nargs="*", metavar="EXERCISE",
        help="ids or numbers to grade (default: the exercise whose folder you are in, else all)",
    )
    parser.add_argument("--root", default=None, help="folder holding the exercise folders (default: exercises/)")
    parser.add_argument("--json", dest="json_path", default=None, metavar="PATH", help="also write the report as JSON")
    parser.add_argument("--junit", dest="junit_path", default=None, metavar="PATH", help="also write JUnit XML")
    parser.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: CPU cores)")
    parser.add_argument("--no-cache", action="store_true", help="grade again even exercises that did not change")
    parser.add_argument(
        "--debug", action="store_true", help="show what graders and your code print, and full tracebacks"
    )
    return parser


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    root = exercise_root(args.root, course_dir)
    if not root.is_dir():
        print(f"error: {root} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        exercises = load_course(course_dir)
        chosen = chosen_or_here(exercises, args.exercises, root)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    paint = Painter(use_colour())
    shown_root = shown(root)
    heading = f"Grading {len(chosen)} exercise{'s' * (len(chosen) != 1)} in {shown_root}/"
    print("\n".join(wrapped(heading, "", terminal_width())), flush=True)
    cache_dir = Path(os.environ.get("GRADING_CACHE_DIR") or course_dir / ".grading-cache")
    cache = None if args.no_cache or os.environ.get("GRADING_NO_CACHE") else ResultCache(cache_dir)

    results = {}
    todo = []
    for exercise in chosen:
        hit = cache.get(exercise, root) if cache else None
        if hit is not None:
            results[exercise.id] = hit
        else:
            todo.append(exercise)
    printed = 0

    def flush_in_order():
        nonlocal printed
        while printed < len(chosen) and chosen[printed].id in results:
            print(render_exercise(results[chosen[printed].id], paint), flush=True)
            printed += 1

    def on_result(result):
        results[result.id] = result
        if cache:
            cache.put(next(e for e in chosen if e.id == result.id), root, result)
        flush_in_order()

    flush_in_order()
    if todo:
        grade(todo, root, jobs=args.jobs, on_result=on_result, debug=args.debug)
    ordered = [results[e.id] for e in chosen]
    readmes = shown(course_dir / "exercises")  # each exercise's README.md, whatever --root grades
    print(render_summary(ordered, paint, readmes, following=_after(exercises, chosen)), flush=True)
    tampered = warning(changed_files(course_dir))
    if tampered:
        print(paint("\n".join(wrapped(f"Warning: {tampered}", "", terminal_width())), "yellow"), flush=True)
    if args.json_path:
        user_path(args.json_path).write_text(json.dumps(report_json(ordered), indent=2) + "\n", encoding="utf-8")
    if args.junit_path:
        write_junit(user_path(args.junit_path), ordered, tampered)
    if os.environ.get("GITHUB_OUTPUT"):  # GitHub Actions: one output per exercise, for Classroom
        write_github_output(Path(os.environ["GITHUB_OUTPUT"]), ordered)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        write_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), ordered, tampered)
    return EXIT_OK if all(r.full_marks for r in ordered) else EXIT_NOT_FULL


def _after(exercises, chosen):
    """The exercise that comes after the last one chosen, in the course, if any."""
    later = exercises[exercises.index(chosen[-1]) + 1:] if chosen else []
    return later[0] if later else None
