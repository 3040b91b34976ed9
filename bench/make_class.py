"""Make a class of N student checkouts to try batch grading on.

    python bench/make_class.py 60 /tmp/class            (then: nox -s batch -- /tmp/class)
    python bench/make_class.py 60 /tmp/class --distinct (a class whose code really differs)

Each student gets, for every exercise of the course, either the reference solution or the
starter (at random, seeded: the same class every time). With ``--distinct``, as in a real class,
each exercise is one of: the reference solution; another correct style (a folder of
``tests/alternatives/``); the solution with one mistake (a mutant of ``tests/test_NN_*.py``:
``grade.mutant(ID, {file: [(old, new)]})``, read with ``ast``, never imported); a half-done
exercise (two or three of those mistakes at once); or the untouched starter; and every entry
module ends with a comment naming its student, so no two exercise folders are equal (batch grades
equal folders once). Every tenth student holds the exercise folders directly instead of in
``exercises/``. A few students are hostile: their code loops forever at import (every 20th
student, from the first) or calls ``sys.exit`` at import (every 20th, from the eleventh) in all
their exercises.

Standard library only: it runs with the Python that runs nox, right after the Quick start.
"""

from __future__ import annotations

import argparse
import ast
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


def mutants(course: Path = COURSE) -> dict[str, list[dict[str, list[tuple[str, str]]]]]:
    """Each exercise's mutants, as ``tests/test_NN_*.py`` writes them: ``grade.mutant(ID, EDITS)``
    whose EDITS is a literal ``{file: [(old, new), ...]}`` (read with ``ast``, never imported)."""
    found: dict[str, list] = {}
    ids = {e.number: e.id for e in load_course(course)}
    for test in sorted((course / "tests").glob("test_[0-9][0-9]_*.py")):
        exercise = ids.get(int(test.name[5:7]))
        for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
            if (exercise and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "mutant" and len(node.args) == 2):
                try:
                    edits = ast.literal_eval(node.args[1])
                except ValueError:  # built from variables: not a literal
                    continue
                found.setdefault(exercise, []).append(edits)
    return found


def alternatives(course: Path = COURSE) -> dict[str, list[Path]]:
    """Each exercise's other correct styles: the folders of ``tests/alternatives/<exercise>/``."""
    return {
        folder.name: sorted(p for p in folder.iterdir() if p.is_dir())
        for folder in sorted((course / "tests" / "alternatives").glob("[0-9][0-9]-*"))
    }


def mutate(target: Path, edits: dict[str, list[tuple[str, str]]]) -> bool:
    """Apply a mutant's replacements (each once) to the folder ``target``; False if one does not apply."""
    changed = {}
    for file, replacements in edits.items():
        text = changed.get(file) or (target / file).read_text(encoding="utf-8")
        for old, new in replacements:
            if old not in text:
                return False
            text = text.replace(old, new, 1)
        changed[file] = text
    for file, text in changed.items():
        (target / file).write_text(text, encoding="utf-8")
    return True


@dataclass
class Variety:
    """What a distinct class draws from: each exercise's mutants and alternatives."""

    mutants: dict[str, list]
    alternatives: dict[str, list[Path]]

    @classmethod
    def of(cls, course: Path = COURSE) -> Variety:
        return cls(mutants(course), alternatives(course))


SHARES = (("solution", 0.25), ("alternative", 0.2), ("mistake", 0.25), ("half-done", 0.15), ("starter", 0.15))


def hand_in(target: Path, exercise: Exercise, rng: random.Random, variety: Variety | None) -> str:
    """Write one student's exercise folder in ``target``; return what it is (``solution``, ``mistake``...)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    if variety is None:
        source = "solutions" if rng.random() < 0.6 else "exercises"
        shutil.copytree(COURSE / source / exercise.id, target, ignore=ignore)
        return "solution" if source == "solutions" else "starter"
    kind = rng.choices([k for k, _ in SHARES], [w for _, w in SHARES])[0]
    styles, mistakes = variety.alternatives.get(exercise.id), variety.mutants.get(exercise.id)
    if kind == "alternative" and styles:
        shutil.copytree(rng.choice(styles), target, ignore=ignore)
        return kind
    if kind == "starter":
        shutil.copytree(COURSE / "exercises" / exercise.id, target, ignore=ignore)
        return kind
    shutil.copytree(COURSE / "solutions" / exercise.id, target, ignore=ignore)
    if kind in ("mistake", "half-done") and mistakes:
        wanted = 1 if kind == "mistake" else rng.randint(2, 3)
        applied = sum(mutate(target, edits) for edits in rng.sample(mistakes, min(wanted, len(mistakes))))
        return kind if applied else "solution"
    return "solution"


def make_student(root: Path, index: int, exercises: list[Exercise], rng: random.Random,
                 variety: Variety | None = None) -> tuple[str, dict[str, int]]:
    """Write student ``index``'s checkout; return their kind and how many exercises of each sort they hand in."""
    kind = kind_of(index)
    name = f"student-{index + 1:03d}"
    home = root / name
    folders = home if index % 10 == 9 else home / "exercises"
    folders.mkdir(parents=True)
    sorts: dict[str, int] = {}
    for exercise in exercises:
        target = folders / exercise.id
        sort = hand_in(target, exercise, rng, variety)
        sorts[sort] = sorts.get(sort, 0) + 1
        module = entry_module(target, exercise)
        if module and kind in HOSTILE:
            module.write_text(HOSTILE[kind] + module.read_text(encoding="utf-8"), encoding="utf-8")
        if module and variety is not None:  # as in a real class, no two students hand in the same file
            module.write_text(module.read_text(encoding="utf-8") + f"\n# {name}\n", encoding="utf-8")
    return kind, sorts


@dataclass
class Made:
    """A class as made: how many students of each kind, how many exercise folders of each sort."""

    kinds: dict[str, int]
    sorts: dict[str, int]

    def __str__(self) -> str:
        return (", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items())) + "; exercises: "
                + ", ".join(f"{n} {k}" for k, n in sorted(self.sorts.items())))


def make_class(root: Path, students: int, exercises: list[Exercise], seed: int = 1, distinct: bool = False) -> Made:
    """Write ``students`` checkouts under ``root``. With ``distinct``, each exercise is a solution,
    another style, a mistake, half done or the starter (see the module's docstring), and each
    student's entry modules end with a comment of their own."""
    rng = random.Random(seed)
    variety = Variety.of(COURSE) if distinct else None
    made = Made({}, {})
    for index in range(students):
        kind, sorts = make_student(root, index, exercises, rng, variety)
        made.kinds[kind] = made.kinds.get(kind, 0) + 1
        for sort, n in sorts.items():
            made.sorts[sort] = made.sorts.get(sort, 0) + n
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("students", type=int, help="how many students")
    parser.add_argument("out", help="a new folder to write the class in")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--distinct", action="store_true",
                        help="code that really differs: other styles, mistakes, half-done exercises; no two files equal")
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty")
    made = make_class(out, args.students, load_course(COURSE), args.seed, args.distinct)
    print(f"{args.students} students in {out}: {made}")


if __name__ == "__main__":
    main()
