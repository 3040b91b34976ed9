"""Throughput of batch grading: students per minute on a generated class, and the run's peak memory.

    python bench/batch.py                      a class of 13, every exercise (as nox -s bench)
    python bench/batch.py --students 60 01 02  a bigger class, only some exercises
    python bench/batch.py --jobs 4

Makes the class with ``bench/make_class.py`` (solutions and starters mixed at random, and
hostile students that loop forever or call sys.exit at import: in a class of 13, one of each),
then times one real ``python -m grading.commands.batch`` run over it and prints students per minute and
the peak memory of the whole run (see ``bench/memory.py``), each beside its goal. It does so
twice: on the class as made, where many exercise folders are equal (an untouched starter, the
reference solution), which batch grades once; and on a class whose code really differs
(``--distinct``: other correct styles, mistakes, half-done exercises, every file the student's
own), where every folder is graded. Where the grading
requirements are not installed (the Python that runs nox, after the Quick start) it runs
``nox -s batch`` instead, which installs them once.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path

COURSE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(COURSE))

from bench.make_class import load_course, make_class, select  # noqa: E402
from bench.memory import describe, measure  # noqa: E402
from grading.judge.cpus import available_cpus  # noqa: E402

GOAL_RATE = 60  # students per minute, on 2 cores
GOAL_MB = 768  # Gradescope's default container


def batch_command() -> list[str]:
    """``python -m grading.commands.batch`` where the grading requirements are installed, else through nox."""
    if all(importlib.util.find_spec(module) for module in ("yaml", "flask", "pytest", "copydetect")):
        return [sys.executable, "-m", "grading.commands.batch"]
    return [sys.executable, "-m", "nox", "-s", "batch", "--"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="*", help="ids or numbers (default: all)")
    parser.add_argument("--students", type=int, default=13, help="class size (default: 13, the goal's class)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to grading.commands.batch (default: its own, CPU cores + 1)")
    args = parser.parse_args()

    exercises = select(load_course(COURSE), args.exercises)
    for distinct in (False, True):
        with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
            class_dir = Path(tmp) / "class"
            made = make_class(class_dir, args.students, exercises, distinct=distinct)
            cmd = [*batch_command(), str(class_dir), *(e.id for e in exercises),
                   "--out", str(Path(tmp) / "gradebook")]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            run = measure(cmd, cwd=COURSE)
            if run.returncode:
                sys.exit(f"grading.commands.batch exited {run.returncode}:\n{run.stderr[-2000:]}")
        print(f"{args.students} students ({made}) x {len(exercises)} exercises, "
              f"{'distinct: other styles, mistakes, half done, every file their own' if distinct else 'as made (equal folders graded once)'}, "
              f"{args.jobs or available_cpus() + 1} jobs, Python {sys.version.split()[0]}")
        print(f"  {run.seconds:.1f} s: {args.students / run.seconds * 60:.1f} students per minute "
              f"(goal: {GOAL_RATE} on 2 cores), {args.students * len(exercises) / run.seconds:.1f} exercises per second")
        print(f"  {describe(run)} (goal: under {GOAL_MB} MB)")


if __name__ == "__main__":
    main()
