"""Make a class of N student checkouts to try batch grading on.

    python bench/make_class.py 60 /tmp/class            (then: nox -s batch -- /tmp/class)

Each student gets, for every exercise of the course, either the reference solution or the
starter (at random, seeded: the same class every time). Every tenth student holds the exercise
folders directly instead of in ``exercises/``. A few students are hostile: their code loops
forever at import (every 20th student, from the first) or calls ``sys.exit`` at import (every
20th, from the eleventh) in all their exercises.

Standard library only: it runs with the Python that runs nox, right after the Quick start.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

COURSE = Path(__file__).resolve().parent.parent

HOSTILE = {
    "loops": "while True:  # hostile: never finishes importing\n    pass\n",
    "exits": "import sys\nsys.exit(3)  # hostile: ends Python at import\n",
}


@dataclass(frozen=True)
class Exercise:
    """What a class needs of an exercise: its id and its ``app:`` spec (``module:variable``)."""

    id: str
    app: str = "app:app"

    @property
    def number(self) -> int:
        return int(self.id[:2])


def load_course(course: Path = COURSE) -> list[Exercise]:
    """The course's exercises in order, read without PyYAML: only the top-level ``app:`` line matters."""
    found = []
    for meta in sorted(course.glob("exercises/[0-9][0-9]-*/exercise.yaml")):
        app = re.search(r"(?m)^app:\s*['\"]?([\w.]+:[\w]+)", meta.read_text(encoding="utf-8"))
        found.append(Exercise(meta.parent.name, app.group(1) if app else "app:app"))
    return found


def select(exercises: list[Exercise], wanted: list[str]) -> list[Exercise]:
    """Exercises by id (``02-routing``), number (``02``) or slug (``routing``); all when none is given."""
    if not wanted:
        return exercises
    chosen = [e for e in exercises if any(w in (e.id, e.id[3:]) or (w.isdigit() and int(w) == e.number) for w in wanted)]
    if not chosen:
        sys.exit(f"no exercise matches {' '.join(wanted)}")
    return chosen


def kind_of(index: int) -> str:
    """What student ``index`` (from 0) hands in: ``loops``, ``exits`` or ``mixed``."""
    if index % 20 == 0:
        return "loops"
    if index % 20 == 10:
        return "exits"
    return "mixed"


def entry_module(folder: Path, exercise: Exercise) -> Path | None:
    """The file the exercise's ``app:`` spec imports first (``app.py``, ``shop/__init__.py``)."""
    name = exercise.app.split(":")[0].replace(".", "/")
    for candidate in (folder / f"{name}.py", folder / name / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def make_student(root: Path, index: int, exercises: list[Exercise], rng: random.Random, distinct: bool = False) -> str:
    kind = kind_of(index)
    name = f"student-{index + 1:03d}"
    home = root / name
    folders = home if index % 10 == 9 else home / "exercises"
    folders.mkdir(parents=True)
    for exercise in exercises:
        source = "solutions" if rng.random() < 0.6 else "exercises"
        target = folders / exercise.id
        shutil.copytree(COURSE / source / exercise.id, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        module = entry_module(target, exercise)
        if module and kind in HOSTILE:
            module.write_text(HOSTILE[kind] + module.read_text(encoding="utf-8"), encoding="utf-8")
        if module and distinct:  # as in a real class, no two students hand in the same file
            module.write_text(module.read_text(encoding="utf-8") + f"\n# {name}\n", encoding="utf-8")
    return kind


def make_class(root: Path, students: int, exercises: list[Exercise], seed: int = 1,
               distinct: bool = False) -> dict[str, int]:
    """Write ``students`` checkouts under ``root``; return how many of each kind. With
    ``distinct``, each student's entry modules end with a comment of their own, so no two
    exercise folders are equal (batch grades equal folders once)."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    for index in range(students):
        kind = make_student(root, index, exercises, rng, distinct)
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("students", type=int, help="how many students")
    parser.add_argument("out", help="a new folder to write the class in")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--distinct", action="store_true", help="no two students hand in the same file")
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty")
    counts = make_class(out, args.students, load_course(COURSE), args.seed, args.distinct)
    print(f"{args.students} students in {out}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
