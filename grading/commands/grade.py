"""``python -m grading``: grade exercises and report, check by check (what ``nox -s grade`` runs)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from grading.commands.local import chosen_or_here, exercise_root, shown, user_path
from grading.judge.cache import ResultCache, in_ci
from grading.judge.course import COURSE_DIR, UsageError, load_course
from grading.judge.integrity import changed_files, warning
from grading.judge.sandboxes import LEVEL_NAMES
from grading.judge.worker import grade
from grading.outputs import safe
from grading.outputs.classroom import graders_note, isolation_note, write_github_output, write_step_summary
from grading.outputs.junit import write_junit
from grading.outputs.report import (
    Painter,
    render_exercise,
    render_summary,
    report_json,
    terminal_width,
    use_colour,
    wrapped,
)

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
    parser.add_argument("--jobs", type=int, default=None, help="exercises graded at once (default: CPU cores + 1)")
    parser.add_argument("--no-cache", action="store_true", help="grade again even exercises that did not change")
    parser.add_argument(
        "--debug", action="store_true",
        help="grade afresh and show, for each failed check, your code's traceback and what it printed",
    )
    parser.add_argument(
        "--all", dest="show_all", action="store_true",
        help="show the failed checks of every exercise (default: of the first one below full marks; "
        "the others get one line)",
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
    cache = None if args.no_cache or os.environ.get("GRADING_NO_CACHE") or in_ci() else ResultCache(cache_dir)
    outputs = GitHubOutputs.from_environment()  # before any student code runs

    results = {}
    todo = []
    for exercise in chosen:
        hit = cache.get(exercise, root) if cache and not args.debug else None  # --debug: details need a fresh run
        if hit is not None:
            results[exercise.id] = hit
        else:
            todo.append(exercise)
    printed = 0
    detailed = len(chosen) == 1 or args.show_all or args.debug
    focus: list[str] = []  # the first exercise below full marks: the one to work on, shown in full

    def flush_in_order():
        nonlocal printed
        while printed < len(chosen) and chosen[printed].id in results:
            result = results[chosen[printed].id]
            brief = not detailed and bool(focus) and result.status not in ("passed", "missing")
            if not result.full_marks and not focus:
                focus.append(result.id)
            print(render_exercise(result, paint, debug=args.debug, brief=brief), flush=True)
            printed += 1

    def on_result(result):
        results[result.id] = result
        if cache:
            cache.put(next(e for e in chosen if e.id == result.id), root, result)
        flush_in_order()

    flush_in_order()
    if todo:
        grade(todo, root, jobs=args.jobs, on_result=on_result)
    ordered = [results[e.id] for e in chosen]
    readmes = shown(course_dir / "exercises")  # each exercise's README.md, whatever --root grades
    print(render_summary(ordered, paint, readmes, course=standing(exercises, results, root, cache),
                         debug=args.debug, shown=None if detailed else focus), flush=True)
    level = isolation_of(ordered)
    if level:
        line = f"Your code ran in a sandbox: {LEVEL_NAMES.get(level, level)}."
        print(paint("\n".join(wrapped(line, "", terminal_width())), "dim"), flush=True)
    tampered = safe.text(warning(changed_files(course_dir)))  # file names of the student's: made safe
    if tampered:
        print(paint("\n".join(wrapped(f"Warning: {tampered}", "", terminal_width())), "yellow"), flush=True)
    if args.json_path:
        user_path(args.json_path).write_text(json.dumps(report_json(ordered), indent=2) + "\n", encoding="utf-8")
    if args.junit_path:
        write_junit(user_path(args.junit_path), ordered, tampered)
    if outputs.files["summary"]:
        notes = (graders_note(course_origin(course_dir, root)), isolation_note(level))
        outputs.notes = tuple(note for note in notes if note)
    outputs.write(ordered, tampered)  # every student process has ended by now
    return EXIT_OK if all(r.full_marks for r in ordered) else EXIT_NOT_FULL


class GitHubOutputs:
    """GitHub Actions' ``GITHUB_OUTPUT`` and step summary, written only by the judge.

    Their size is noted before grading; whatever was appended while student code ran is cut
    off before the judge appends its own outputs, after every student process has ended.
    """

    def __init__(self, output: Path | None, summary: Path | None):
        self.files = {"output": output, "summary": summary}
        self.notes: tuple[str, ...] = ()  # under the summary's title: which graders, which wall
        self.sizes = {name: _size(path) for name, path in self.files.items() if path}

    @classmethod
    def from_environment(cls) -> GitHubOutputs:
        get = lambda name: Path(os.environ[name]) if os.environ.get(name) else None  # noqa: E731
        return cls(get("GITHUB_OUTPUT"), get("GITHUB_STEP_SUMMARY"))

    def write(self, results, tampered) -> None:
        for name, path in self.files.items():
            if path is None:
                continue
            with contextlib.suppress(OSError), open(path, "r+b" if path.exists() else "wb") as f:
                f.truncate(self.sizes.get(name, 0))
        if self.files["output"]:  # one output per exercise, for Classroom's reporter
            write_github_output(self.files["output"], results)
        if self.files["summary"]:
            write_step_summary(self.files["summary"], results, tampered, self.notes)


def course_origin(course_dir: Path, root: Path) -> dict | None:
    """Where the course that graded came from, when it graded exercises outside itself (Classroom's
    checkout of the template): its GitHub repository and commit, as far as git knows them. ``None``
    when a checkout graded its own exercises (the student's copy of the graders)."""
    if Path(root).resolve().is_relative_to(Path(course_dir).resolve()):
        return None

    def git(*args: str) -> str:
        command = ["git", "-c", "safe.directory=*", "-C", str(course_dir), *args]
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    remote = re.search(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$", git("remote", "get-url", "origin"))
    return {"repository": remote.group(1) if remote else None, "commit": git("rev-parse", "HEAD") or None}


def isolation_of(results) -> str | None:
    """The weakest isolation any exercise was graded under (None if every result was cached)."""
    levels = [r.isolation for r in results if r.isolation in LEVEL_NAMES]
    return max(levels, key=list(LEVEL_NAMES).index) if levels else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def standing(exercises, results, root: Path, cache: ResultCache | None) -> list[tuple[str, str, bool | None]]:
    """Every exercise of the course with whether it has full marks: graded now, else as the cache
    last saw it (files unchanged), else ``None`` (unknown)."""
    def full(exercise):
        if exercise.id in results:
            return results[exercise.id].full_marks
        hit = cache.get(exercise, root) if cache else None
        return None if hit is None else hit.full_marks

    return [(e.id, e.title, full(e)) for e in exercises]
