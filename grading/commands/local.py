"""What the student sessions share: where the student is, and grading with the result cache.

nox always runs from the folder of ``noxfile.py``; the noxfile passes the folder the student
started it from in ``GRADING_INVOKED_FROM``, so that ``nox -s grade`` inside
``exercises/02-routing/`` (whose noxfile.py loads the course's) grades 02-routing, and paths the
student types are read from there.
"""

from __future__ import annotations

import os
from pathlib import Path

from grading.judge.cache import ResultCache
from grading.judge.course import COURSE_DIR, Exercise, UsageError, exercise_at, select
from grading.judge.results import ExerciseResult

INVOKED_FROM = "GRADING_INVOKED_FROM"


def invoked_from() -> Path:
    """The folder the student ran nox (or python -m grading) from."""
    return Path(os.environ.get(INVOKED_FROM) or os.getcwd())


def shown(path: Path) -> str:
    """A path as the student best reads it: from where they are, unless it lies outside the course."""
    path = Path(path).resolve()
    for base in (invoked_from().resolve(), COURSE_DIR):
        if path.is_relative_to(base):
            return os.path.relpath(path, invoked_from()).replace(os.sep, "/")
    return str(path)


def user_path(path: str | None) -> Path | None:
    """A path as the student typed it, relative to the folder they started from."""
    return None if path is None else invoked_from() / path


def exercise_root(root: str | None, course_dir: Path = COURSE_DIR) -> Path:
    """The folder holding the exercise folders: ``--root`` if given, else ``exercises/``."""
    return user_path(root) if root else course_dir / "exercises"


def chosen_or_here(exercises: list[Exercise], words: list[str], root: Path) -> list[Exercise]:
    """The exercises named, or else the one the student is in (inside its folder), or else all."""
    if words:
        return select(exercises, words)
    here = exercise_at(invoked_from(), exercises, root)
    return [here] if here else list(exercises)


def one_exercise(exercises: list[Exercise], word: str | None, root: Path) -> Exercise:
    """The exercise named by ``word``, or the one the student is in; a usage error otherwise."""
    chosen = chosen_or_here(exercises, [word] if word else [], root)
    if len(chosen) != 1:
        raise UsageError("which exercise? Give its number, like 02, or run this inside its folder")
    return chosen[0]


def open_cache(course_dir: Path = COURSE_DIR, no_cache: bool = False) -> ResultCache | None:
    """The cache of results of unchanged exercises (``.grading-cache/``), unless turned off."""
    if no_cache or os.environ.get("GRADING_NO_CACHE"):
        return None
    return ResultCache(cache_dir(course_dir))


def cache_dir(course_dir: Path = COURSE_DIR) -> Path:
    return Path(os.environ.get("GRADING_CACHE_DIR") or course_dir / ".grading-cache")


def graded(chosen: list[Exercise], root: Path, cache: ResultCache | None, debug: bool = False) -> list[ExerciseResult]:
    """Grade ``chosen`` quietly, taking what the cache knows; results in the order of ``chosen``."""
    from grading.judge.worker import grade  # imports Flask and pytest: only when grading

    results = {}
    for exercise in chosen:
        hit = cache.get(exercise, root) if cache else None
        if hit is not None:
            results[exercise.id] = hit
    todo = [e for e in chosen if e.id not in results]
    if todo:
        for result in grade(todo, root, jobs=None, debug=debug):
            results[result.id] = result
            if cache:
                cache.put(next(e for e in todo if e.id == result.id), root, result)
    return [results[e.id] for e in chosen]
