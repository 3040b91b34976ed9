"""Your app, served by Flask itself: ``nox -s run -- EX``, ``nox -s flask -- EX ARGS...``, and
your own tests: ``nox -s pytest -- EX ARGS...``.

They run Flask's own command, ``python -m flask --app APP ...`` (or pytest), in the exercise's
folder, with the app its ``exercise.yaml`` names (``app: shop:create_app``: flask calls the
factory), in the grading environment, where every exercise's requirements are installed.

    nox -s run -- 02                     flask --app app run --debug --port 5000, in exercises/02-routing
    nox -s run -- 04 --no-debug --port 8000
    nox -s flask -- 09 init-db           flask --app app init-db, in exercises/09-database
    nox -s flask -- 11 shell
    nox -s pytest -- 15 -x               python -m pytest -x, in exercises/15-testing
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grading.commands.local import exercise_root, one_exercise, shown
from grading.commands.processes import run_to_the_end
from grading.judge.course import COURSE_DIR, Exercise, UsageError, load_course, select


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nox -s run --", description="Serve an exercise's app with Flask's development server, in debug mode."
    )
    parser.add_argument("exercise", nargs="?", metavar="EXERCISE", help="id or number (default: the folder you are in)")
    parser.add_argument("--port", type=int, default=5000, help="port to serve on (default: 5000)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--no-debug", action="store_true", help="without debug mode: no reloader, no debugger")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="set an environment variable (repeat as needed)"
    )
    parser.add_argument("--root", default=None, help="folder holding the exercise folders (default: exercises/)")
    return parser


def in_folder(exercise: Exercise, root: Path, args: list[str], env: dict[str, str] | None = None) -> int:
    """``python ARGS`` in the exercise's folder; its exit status."""
    folder = root / exercise.id
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    env = {**exercise.run_env, **os.environ, **(env or {})}  # what the student sets wins
    env.pop("FLASK_APP", None)
    return run_to_the_end([sys.executable, *args], cwd=folder, env=env)


def flask(exercise: Exercise, root: Path, args: list[str], env: dict[str, str] | None = None) -> int:
    """``python -m flask --app APP ARGS`` in the exercise's folder; its exit status."""
    return in_folder(exercise, root, ["-m", "flask", "--app", exercise.app, *args], env)


def run(argv: list[str]) -> int:
    args = run_parser().parse_args(argv)
    root = exercise_root(args.root)
    exercise = one_exercise(load_course(COURSE_DIR), args.exercise, root)
    if any("=" not in pair for pair in args.env):
        raise UsageError("--env takes NAME=VALUE, like --env APP_ENV=production")
    env = dict(pair.split("=", 1) for pair in args.env)
    mode = "" if args.no_debug else ", debug mode on (it reloads when you save)"
    print(f"Serving {shown(root / exercise.id)} ({exercise.app}){mode}. Stop it with Ctrl-C.", flush=True)
    debug = [] if args.no_debug else ["--debug"]
    return flask(exercise, root, ["run", *debug, "--host", args.host, "--port", str(args.port)], env)


def in_exercise(program: str, argv: list[str]) -> int:
    """``[--root DIR] [EXERCISE] ARGS...``: without EXERCISE, the exercise whose folder you are in."""
    root_arg = None
    if argv[:1] == ["--root"] and len(argv) > 1:
        root_arg, argv = argv[1], argv[2:]
    root = exercise_root(root_arg)
    exercises = load_course(COURSE_DIR)
    try:
        exercise = select(exercises, argv[:1])[0] if argv else None
        argv = argv[1:]
    except UsageError:  # the first word is flask's: the exercise is the folder you are in
        exercise = None
    exercise = exercise or one_exercise(exercises, None, root)
    if program == "pytest":
        return in_folder(exercise, root, ["-m", "pytest", *argv])
    return flask(exercise, root, argv or ["--help"])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    program, rest = (argv[0], argv[1:]) if argv else ("", [])
    try:
        if program == "run":
            return run(rest)
        if program in ("flask", "pytest"):
            return in_exercise(program, rest)
        raise UsageError("say `run`, `flask` or `pytest` first")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
