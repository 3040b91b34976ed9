"""``nox -s watch``: grade the exercise you work on each time you save one of its files.

It starts with the exercise you name (``nox -s watch -- 05``, finished or not), or the one whose
folder you are in, or else the first one without full marks; grades it; then looks at the
modification times of its files five times a second (the standard library is enough for a folder
of a few files) and grades it again after every save, saying "grading ..." meanwhile. When a save
brings full marks it goes on to the next exercise without full marks.

Keys, read one at a time when the input is a terminal: ``h`` the next step of the hints, ``n``
the next exercise, ``l`` the list of exercises (then its number, ``05``, to watch it), ``q`` quits
(Ctrl-C too). Without a terminal (output to a file or a pipe) it prints the same, without
clearing the screen, and reads no keys.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from grading.commands.hints import show_hints
from grading.commands.local import exercise_root, graded, invoked_from, open_cache, shown
from grading.judge.cache import SKIPPED_PARTS
from grading.judge.course import COURSE_DIR, Exercise, UsageError, exercise_at, load_course, select
from grading.judge.results import ExerciseResult
from grading.outputs.report import Painter, fmt_points, render_exercise, terminal_width, use_colour, wrapped

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


def wait_for_a_save(folder: Path, before: dict, poll: float = POLL_SECONDS, keys=None) -> tuple[str | None, dict]:
    """Wait for a file to be saved, added or removed (``(None, new snapshot)``) or a key to be
    pressed (``(key, before)``)."""
    keys = keys or NoKeys()
    while True:
        key = keys.read(poll)  # waits up to ``poll`` seconds
        if key:
            return key, before
        now = snapshot(folder)
        if now != before:
            time.sleep(0.05)  # editors that write a file in several steps have finished
            return None, snapshot(folder)


class NoKeys:
    """No keyboard (input from a file or a pipe, or in tests): waiting is only waiting."""

    shown = False

    def read(self, timeout: float) -> str | None:
        time.sleep(timeout)
        return None


class TerminalKeys(contextlib.AbstractContextManager):
    """Single key presses from the terminal, without Enter (cbreak mode, restored on exit)."""

    shown = True

    def __init__(self, stream=None):
        self.stream = stream or sys.stdin
        self.saved = None

    def __enter__(self):
        if os.name != "nt":
            import termios
            import tty

            fd = self.stream.fileno()
            self.saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self.saved)
        return False

    def read(self, timeout: float) -> str | None:
        if os.name == "nt":
            import msvcrt

            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if msvcrt.kbhit():
                    return msvcrt.getwch()
                time.sleep(0.02)
            return None
        import select

        ready, _, _ = select.select([self.stream], [], [], timeout)
        return os.read(self.stream.fileno(), 1).decode(errors="replace") if ready else None


def keyboard():
    """The keys of the terminal, when the input is one; none otherwise."""
    return TerminalKeys() if sys.stdin is not None and sys.stdin.isatty() else contextlib.nullcontext(NoKeys())


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


KEYS = "Keys: h hint, n next exercise, l list of exercises, q quit."


class Screen:
    """What the student sees: progress, the report of the exercise, what happens next."""

    def __init__(self, exercises: list[Exercise], root: Path):
        self.exercises = exercises
        self.root = root
        self.paint = Painter(use_colour())
        self.clear = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
        self.debug = False  # --debug: each failed check with the student's traceback and what their code printed

    def show(self, results: dict[str, ExerciseResult], exercise: Exercise, footer: str, news: str = "") -> None:
        done = sum(1 for e in self.exercises if results[e.id].full_marks)
        lines = [CLEAR_SCREEN if self.clear else ""]
        lines += [self.paint(line, "green") for line in wrapped(news, "", terminal_width())] if news else []
        lines += [progress_bar(done, len(self.exercises))]
        lines += [render_exercise(results[exercise.id], self.paint, debug=self.debug), ""]
        lines += [self.paint(line, "dim") for line in wrapped(footer, "", terminal_width())]
        print("\n".join(lines), flush=True)

    def grading(self, exercise: Exercise) -> None:
        """Say that grading is under way (it may take seconds)."""
        print(self.paint(f"grading {exercise.id}…" if _can_print("…") else f"grading {exercise.id}...", "dim"), flush=True)

    def folder(self, exercise: Exercise) -> str:
        return shown(self.root / exercise.id)


class Watcher:
    """Which exercise is watched, the results of all, and what each key does."""

    def __init__(self, exercises: list[Exercise], root: Path, results: dict[str, ExerciseResult], cache=None,
                 course_dir: Path = COURSE_DIR, screen: Screen | None = None):
        self.exercises = exercises
        self.root = root
        self.results = results
        self.cache = cache
        self.course_dir = course_dir
        self.screen = screen or Screen(exercises, root)
        self.current: Exercise | None = None
        self.news = ""  # what happened before, shown above the exercise
        self.typed = ""  # the first digit of an exercise's number
        self.fresh: set[str] = set()  # exercises graded in this session (--debug grades each afresh, once)

    @property
    def debug(self) -> bool:
        return self.screen.debug

    def show(self, footer: str) -> None:
        """Show the current exercise (under --debug, graded afresh first: a cached result has no traceback)."""
        if self.debug and self.current.id not in self.fresh:
            self.screen.grading(self.current)
            [self.results[self.current.id]] = graded([self.current], self.root, None)
            self.fresh.add(self.current.id)
        self.screen.show(self.results, self.current, footer, self.news)
        self.news = ""

    def grade(self) -> None:
        """Grade the current exercise again; at full marks (newly), go on to the next one without."""
        was_full = self.results[self.current.id].full_marks
        self.screen.grading(self.current)
        [self.results[self.current.id]] = graded([self.current], self.root, None if self.debug else self.cache)
        self.fresh.add(self.current.id)
        if self.results[self.current.id].full_marks and not was_full:
            following = next_to_do(self.exercises, self.results, self.current)
            self.news = f"Full marks for {self.current.id}!"
            if following is None:
                self.news += " Every exercise has full marks. Well done!"
            else:
                self.news += f" On to {following.id}: read {self.screen.folder(following)}/README.md"
                self.current = following

    def on_key(self, key: str) -> str:
        """Do what ``key`` asks: ``"quit"``, ``"show"`` (the exercise, again or another) or ``"keep"``
        (what was printed stays on screen: hints, the list, half a number)."""
        key = key.lower()
        if key.isdigit():
            self.typed += key
            if len(self.typed) < 2:
                return "keep"
            number, self.typed = int(self.typed), ""
            chosen = next((e for e in self.exercises if e.number == number), None)
            if chosen is None:
                print(f"There is no exercise {number:02d}: l lists them.", flush=True)
                return "keep"
            self.current = chosen
            return "show"
        self.typed = ""
        if key == "q":
            return "quit"
        if key == "n":
            self.current = self.exercises[(self.exercises.index(self.current) + 1) % len(self.exercises)]
            return "show"
        if key == "l":
            print(self.listing(), flush=True)
        elif key == "h":
            print("", flush=True)
            show_hints(self.current, self.results[self.current.id], self.course_dir, "h again")
        return "keep"

    def listing(self) -> str:
        """Every exercise with its score; the watched one marked; how to pick one."""
        lines = ["", "Exercises (type a number, like 05, to watch it):"]
        for exercise in self.exercises:
            result = self.results[exercise.id]
            mark = "✓" if result.full_marks else " "
            score = "not found" if result.status == "missing" else f"{fmt_points(result.score)}/{fmt_points(result.max_score)}"
            here = "  <- watching" if exercise == self.current else ""
            lines.append(f" {mark} {exercise.id:<20} {score:>9}  {exercise.title}{here}")
        text = "\n".join(lines)
        return text if _can_print(text) else text.replace("✓", "*")

    def footer(self, keys: bool) -> str:
        watching = f"Watching {self.screen.folder(self.current)}/: save a file to grade it again."
        if self.results[self.current.id].full_marks:
            watching = f"{self.current.id} has full marks. " + watching
        return f"{watching} {KEYS}" if keys else f"{watching} Stuck? `nox -s hint -- {self.current.id[:2]}`. Ctrl-C stops."


def watch(args: argparse.Namespace, course_dir: Path) -> int:
    exercises = load_course(course_dir)
    root = exercise_root(args.root, course_dir)
    chosen = select(exercises, [args.exercise]) if args.exercise else []
    cache = open_cache(course_dir)
    print("Looking at every exercise once, to see how far you are...", flush=True)
    results = {r.id: r for r in graded(exercises, root, cache)}
    watcher = Watcher(exercises, root, results, cache, course_dir)
    watcher.screen.debug = args.debug
    watcher.current = next(iter(chosen), None) or exercise_at(invoked_from(), exercises, root)
    if watcher.current is None:
        watcher.current = next((e for e in exercises if not results[e.id].full_marks), None)
    if watcher.current is None:
        print(watcher.screen.paint("Every exercise has full marks. Well done!", "green"), flush=True)
        return 0
    with keyboard() as keys:
        before, action = None, "show"  # the files of the exercise when it was last graded
        while action != "quit":
            current = watcher.current
            if action == "show":
                watcher.show(watcher.footer(keys.shown))
            folder = root / current.id
            key, before = wait_for_a_save(folder, before or snapshot(folder), args.poll, keys)
            if key is None:
                watcher.grade()
                action = "show"
            else:
                action = watcher.on_key(key)
            if watcher.current is not current:
                before = None
    print("Stopped watching. Your files are as you saved them.", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s watch --", description="Grade the exercise you work on each time you save one of its files."
    )
    parser.add_argument(
        "exercise", nargs="?", metavar="EXERCISE",
        help="the exercise to watch, finished or not (default: the folder you are in, else the first exercise without full marks)",
    )
    parser.add_argument("--root", default=None, help="folder holding the exercise folders (default: exercises/)")
    parser.add_argument("--debug", action="store_true",
                        help="show, for each failed check, your code's traceback and what it printed")
    parser.add_argument("--poll", type=float, default=POLL_SECONDS, help=argparse.SUPPRESS)
    return parser


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
