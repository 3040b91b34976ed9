"""``nox -s watch``: grade the exercise you work on each time you save one of its files.

It starts with the exercise you name, or the one whose folder you are in, or else the first one
without full marks; grades it; then looks at the modification times of its files five times a
second (the standard library is enough for a folder of a few files) and grades it again after
every save. At full marks it goes on to the next exercise without full marks. Ctrl-C stops it.
Without a terminal (output to a file or a pipe) it prints the same, without clearing the screen.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from grading.commands.local import exercise_root, graded, invoked_from, open_cache, shown
from grading.judge.cache import SKIPPED_PARTS
from grading.judge.course import COURSE_DIR, Exercise, UsageError, exercise_at, load_course, select
from grading.judge.results import ExerciseResult
from grading.outputs.report import Painter, render_exercise, terminal_width, use_colour, wrapped

POLL_SECONDS = 0.2
CLEAR_SCREEN = "\033[2J\033[H"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of the exercise that grading reads, with its modification time and size."""
    files = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if SKIPPED_PARTS.intersection(rel.parts) or path.suffix == ".pyc":
            continue
        try:
            stat = path.stat()
        except OSError:  # deleted while we looked
            continue
        if path.is_file():
            files[str(rel)] = (stat.st_mtime_ns, stat.st_size)
    return files


def wait_for_a_save(folder: Path, before: dict, poll: float = POLL_SECONDS) -> dict:
    """Return the folder's new snapshot once a file is saved, added or removed."""
    while True:
        time.sleep(poll)
        now = snapshot(folder)
        if now != before:
            time.sleep(0.05)  # editors that write a file in several steps have finished
            return snapshot(folder)


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else width
    full, empty = ("█", "░") if _can_print("█░") else ("#", "-")
    return f"[{full * filled}{empty * (width - filled)}] {done}/{total} exercises done"


def _can_print(text: str) -> bool:
    try:
        text.encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def next_to_do(exercises: list[Exercise], results: dict[str, ExerciseResult], after: Exercise) -> Exercise | None:
    """The first exercise without full marks after ``after``, coming back round to the start."""
    start = exercises.index(after) + 1
    for exercise in exercises[start:] + exercises[:start]:
        if not results[exercise.id].full_marks:
            return exercise
    return None


class Screen:
    """What the student sees: progress, the report of the exercise, what happens next."""

    def __init__(self, exercises: list[Exercise], root: Path):
        self.exercises = exercises
        self.root = root
        self.paint = Painter(use_colour())
        self.clear = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"

    def show(self, results: dict[str, ExerciseResult], exercise: Exercise, footer: str, news: str = "") -> None:
        done = sum(1 for e in self.exercises if results[e.id].full_marks)
        lines = [CLEAR_SCREEN if self.clear else ""]
        lines += [self.paint(line, "green") for line in wrapped(news, "", terminal_width())] if news else []
        lines += [progress_bar(done, len(self.exercises))]
        lines += [render_exercise(results[exercise.id], self.paint), ""]
        lines += [self.paint(line, "dim") for line in wrapped(footer, "", terminal_width())]
        print("\n".join(lines), flush=True)

    def folder(self, exercise: Exercise) -> str:
        return shown(self.root / exercise.id)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s watch --", description="Grade the exercise you work on each time you save one of its files."
    )
    parser.add_argument(
        "exercise", nargs="?", metavar="EXERCISE",
        help="where to start (default: the folder you are in, else the first exercise without full marks)",
    )
    parser.add_argument("--root", default=None, help="folder holding the exercise folders (default: exercises/)")
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help=argparse.SUPPRESS)
    return parser


def watch(args: argparse.Namespace, course_dir: Path) -> int:
    exercises = load_course(course_dir)
    root = exercise_root(args.root, course_dir)
    chosen = select(exercises, [args.exercise]) if args.exercise else []
    cache = open_cache(course_dir)
    print("Looking at every exercise once, to see how far you are...", flush=True)
    results = {r.id: r for r in graded(exercises, root, cache)}
    screen = Screen(exercises, root)
    current = next(iter(chosen), None) or exercise_at(invoked_from(), exercises, root)
    if current is None:
        current = next((e for e in exercises if not results[e.id].full_marks), None)
    before = None  # the files of the current exercise when it was last graded
    news = ""  # what happened to the exercise before, shown above the next one
    while current is not None:
        folder = root / current.id
        if results[current.id].full_marks:
            following = next_to_do(exercises, results, current)
            news = f"Full marks for {current.id}!"
            if following is None:
                screen.show(results, current, news)
                break
            news += f" On to {following.id}: read {screen.folder(following)}/README.md"
            current, before = following, None
            continue
        screen.show(results, current, (
            f"Watching {screen.folder(current)}/: save a file to grade it again. Stuck? "
            f"`nox -s hint -- {current.id[:2]}`. Ctrl-C stops."
        ), news)
        news = ""
        before = wait_for_a_save(folder, before or snapshot(folder), args.poll)
        [results[current.id]] = graded([current], root, cache)
    print(screen.paint("Every exercise has full marks. Well done!", "green"), flush=True)
    return 0


def main(argv: list[str] | None = None, course_dir: Path = COURSE_DIR) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C stops us, even if started with it ignored
    try:
        return watch(args, course_dir)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped watching. Your files are as you saved them.", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
