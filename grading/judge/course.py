"""The course: exercises found from their ``exercise.yaml`` and their graders, in order.

A student may delete or rename an exercise folder, and with it its ``exercise.yaml``: the
exercise is still the course's (its grader says so), graded as missing, out of its full points,
and a folder whose name is close to its id (``02_routing``, ``02-Routing``, ``routing``) is named
(:func:`renamed_folder`) so the student can rename it back.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

COURSE_DIR = Path(__file__).resolve().parents[2]  # grading/judge/course.py -> the course
ID_PATTERN = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
RENAME_ADVICE = "rename it back to"  # in a missing exercise's message when a folder looks like it renamed
RENAME_LIKENESS = 0.75  # how alike (difflib's ratio) a folder's name must be to an exercise's id or slug

# The hint for a cause that is rarely what a check's own hint is about (grading.judge.expect names the causes)
CAUSE_HINTS = {
    "type": [
        "What may a Flask view return? Text, a dict or a list (sent as JSON), a (body, status) tuple "
        "or a Response: an int or None is none of them. (Flask docs: Quickstart, \"About Responses\")",
        "Turn the value into text before returning it (str(value)), and make sure every path of the "
        "view ends with a return. https://flask.palletsprojects.com/en/stable/quickstart/#about-responses",
    ],
    "loop": [
        "Your code never got out of a loop (or a call that waits): which condition ends the loop on the "
        "line the message names, and does anything inside the loop change it?",
        "Print the values that condition uses, inside the loop, and grade again with --debug: it shows what "
        "your code printed, and where it was stuck.",
    ],
    "endpoint": [
        "url_for builds a URL from an endpoint's name: which endpoint did your code name, and does your app "
        "have one by that name? `nox -s flask -- <exercise number> routes` lists them. (Flask docs: Quickstart, "
        "\"URL Building\")",
        "An endpoint is named after its view function (unless you pass endpoint=...), and inside a blueprint "
        "it is \"blueprint.function\": url_for(\"new\") for def new(). "
        "https://flask.palletsprojects.com/en/stable/quickstart/#url-building",
    ],
    "handler": [
        "Your error handler answered in place of the error: which errors does it catch, and which status "
        "does it return? (Flask docs: \"Handling Application Errors\")",
        "A handler returns the whole response, status included (return {...}, 404); one registered for "
        "Exception also catches abort(403) and the like: give those back as they are "
        "(if isinstance(e, HTTPException): return e). https://flask.palletsprojects.com/en/stable/errorhandling/",
    ],
    "import": [
        "Python stopped before your app existed: which file and line does the message name? (A misspelt "
        "import, a name used before it is defined, a syntax error.)",
        "Run the app yourself (nox -s run -- <exercise number>) to see the whole traceback, fix the first line "
        "of yours it names, and grade again.",
    ],
    "template": [
        "Which template does the view render, and where does Flask look for it? (Flask docs: Quickstart, "
        "\"Rendering Templates\")",
        "render_template(\"page.html\", ...) loads templates/page.html, next to app.py (or the package): check "
        "the folder's name and the file's name, letter by letter, in render_template and in {% extends %}. "
        "https://flask.palletsprojects.com/en/stable/quickstart/#rendering-templates",
    ],
    "escaping": [
        "Which characters of the user's input reach the page as they are? What does a browser do with "
        "<script>?",
        "Escape user input: markupsafe's escape(value), or let a Jinja template do it ({{ value }}). "
        "https://flask.palletsprojects.com/en/stable/quickstart/#html-escaping",
    ],
}


class UsageError(Exception):
    """A command line that asks for something that does not exist (exit status 2)."""


class CourseError(UsageError):
    """An ``exercise.yaml`` that cannot be read: the course itself needs fixing."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its metadata from ``exercise.yaml`` and where its grader lives."""

    id: str
    title: str
    order: int
    idea: str
    app: str
    requirements: tuple[str, ...]
    hints: dict = field(hash=False, compare=False)
    time_limit: float = 60.0
    run_env: dict = field(default_factory=dict, hash=False, compare=False)  # for `nox -s run` and `nox -s flask`
    course_dir: Path = COURSE_DIR

    @property
    def number(self) -> int:
        return int(self.id[:2])

    @property
    def slug(self) -> str:
        return self.id[3:]

    @property
    def meta_dir(self) -> Path:
        return self.course_dir / "exercises" / self.id

    @property
    def grader(self) -> Path:
        return self.course_dir / "graders" / module_name_for(self.id)

    def hint(self, check: str, cause: str | None = None) -> str | None:
        """The nudge a failed check shows: the first step of the hint for its cause, never the answer."""
        steps = self.hint_steps(check, cause)
        return steps[0] if steps else None

    def hint_steps(self, check: str, cause: str | None = None) -> list[str]:
        """The steps of the hint for what went wrong in a check, from a question to the concrete idea.

        In ``exercise.yaml`` a check's hint is a list of steps (a plain string is one step), or a
        mapping from causes (see :mod:`grading.judge.expect`) to steps whose first
        entry (``any:``, by convention) is the check's own. The steps of ``cause`` come from the
        check's entry for it, else from the engine's hint for that cause, else the check's own.
        """
        hint = self.hints.get(check)
        own = hint.get(cause) if isinstance(hint, dict) and cause else None
        if own is None and cause in CAUSE_HINTS:
            own = CAUSE_HINTS[cause]
        if own is None:
            own = next(iter(hint.values()), None) if isinstance(hint, dict) else hint
        if own is None:
            return []
        return [str(step) for step in own] if isinstance(own, list) else [str(own)]


def module_name_for(exercise_id: str) -> str:
    """``02-routing`` is graded by ``graders/test_02_routing.py`` (and tested by ``tests/`` of that name)."""
    return f"test_{exercise_id.replace('-', '_')}.py"


def exercise_id_for_grader(path: str | Path) -> str:
    """``graders/test_02_routing.py`` grades ``02-routing``."""
    stem = Path(path).stem
    return stem.removeprefix("test_").replace("_", "-")


def load_exercise(meta_dir: Path, course_dir: Path = COURSE_DIR) -> Exercise:
    where = f"exercises/{meta_dir.name}/exercise.yaml"
    try:
        data = yaml.safe_load((meta_dir / "exercise.yaml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark else ""
        raise CourseError(f"{where} is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    ex_id = meta_dir.name
    if not ID_PATTERN.match(ex_id):
        raise CourseError(f"exercises/{ex_id}: exercise folders are named NN-slug, like 02-routing")
    if not isinstance(data, dict) or "title" not in data:
        raise CourseError(f"{where} needs at least a title")
    return Exercise(
        id=ex_id,
        title=str(data["title"]),
        order=int(data.get("order", ex_id[:2])),
        idea=str(data.get("idea", "")),
        app=str(data.get("app", "app:app")),
        requirements=tuple(data.get("requirements") or ()),
        hints=dict(data.get("hints") or {}),
        time_limit=float(data.get("time_limit", 60)),
        run_env={str(k): str(v) for k, v in (data.get("run_env") or {}).items()},
        course_dir=course_dir,
    )


def load_course(course_dir: Path = COURSE_DIR) -> list[Exercise]:
    """Every exercise of the course, in the order students take them.

    An exercise whose folder is gone (or renamed) is known from its grader, with the title its
    grader gives; a renamed folder is not an exercise of its own.
    """
    metas = sorted(p.parent for p in (course_dir / "exercises").glob("*/exercise.yaml"))
    graded = grader_ids(course_dir)
    lost = sorted(graded - {m.name for m in metas})
    exercises = [_from_grader(i, course_dir) for i in lost]
    for meta in metas:
        if ID_PATTERN.match(meta.name) or not renamed_to(meta.name, lost):
            exercises.append(load_exercise(meta, course_dir))
    return sorted(exercises, key=lambda e: (e.order, e.id))


def grader_ids(course_dir: Path = COURSE_DIR) -> set[str]:
    """The exercises the course grades: one per ``graders/test_NN_slug.py``."""
    ids = {exercise_id_for_grader(p) for p in (course_dir / "graders").glob("test_*.py")}
    return {i for i in ids if ID_PATTERN.match(i)}


def _from_grader(exercise_id: str, course_dir: Path) -> Exercise:
    """An exercise whose folder is gone: what its grader says (``Grader for 02-routing: URL rules.``)."""
    grader = course_dir / "graders" / module_name_for(exercise_id)
    try:
        first = grader.read_text(encoding="utf-8").lstrip().removeprefix('"""').splitlines()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        first = ""
    title = first.partition(": ")[2].strip().rstrip('".').strip() or exercise_id[3:].replace("-", " ")
    return Exercise(id=exercise_id, title=title[0].upper() + title[1:], order=int(exercise_id[:2]), idea="",
                    app="app:app", requirements=(), hints={}, course_dir=course_dir)


def _plain(name: str) -> str:
    """``02_Routing (copy)`` -> ``02-routing-copy``: what is left of a name once case and separators go."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _likeness(name: str, exercise_id: str) -> float:
    plain, slug = _plain(name), exercise_id[3:]
    if plain in (exercise_id, slug):
        return 1.0
    return max(difflib.SequenceMatcher(None, plain, target).ratio() for target in (exercise_id, slug))


def renamed_to(name: str, exercise_ids) -> str | None:
    """The exercise a folder named ``name`` looks like, renamed (``02_routing`` -> ``02-routing``), if any."""
    scores = [(_likeness(name, i), i) for i in exercise_ids if name != i]
    best = max(scores, default=(0.0, None))
    return best[1] if best[0] >= RENAME_LIKENESS else None


def renamed_folder(root: Path, exercise_id: str, course_ids=()) -> str | None:
    """The folder of ``root`` that looks like ``exercise_id``'s, renamed: ``02_routing``, ``02-Routing``,
    ``routing``. Folders named exactly as another of ``course_ids`` are that exercise's, never a rename."""
    try:
        names = sorted(e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False))
    except OSError:
        return None
    taken = set(course_ids) | {exercise_id}
    scored = [(_likeness(n, exercise_id), n) for n in names if n not in taken and not n.startswith((".", "__"))]
    scored = [(score, n) for score, n in scored if renamed_to(n, taken) == exercise_id]
    return max(scored)[1] if scored else None


def select(exercises: list[Exercise], wanted: list[str]) -> list[Exercise]:
    """Pick exercises by id (``02-routing``), number (``02`` or ``2``) or slug (``routing``)."""
    if not wanted:
        return list(exercises)
    chosen: list[Exercise] = []
    for word in wanted:
        match = [
            e
            for e in exercises
            if word in (e.id, e.slug) or (word.isdigit() and int(word) == e.number)
        ]
        if not match:
            valid = ", ".join(e.id for e in exercises)
            raise UsageError(f"unknown exercise {word!r}; valid ids: {valid}")
        chosen.extend(e for e in match if e not in chosen)
    return sorted(chosen, key=lambda e: (e.order, e.id))


def requirement_modules(exercises: list[Exercise]) -> list[str]:
    """The top-level modules of the exercises' extra requirements (``Flask-SQLAlchemy`` gives
    ``flask_sqlalchemy``), to import once before sandboxes are forked."""
    import importlib.metadata

    def norm(name: str) -> str:
        return re.split(r"[\[<>=!~; ]", name, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")

    wanted = {norm(r) for e in exercises for r in e.requirements}
    return sorted(module for module, dists in importlib.metadata.packages_distributions().items()
                  if any(norm(d) in wanted for d in dists) and module.isidentifier())


def exercise_at(folder: str | Path, exercises: list[Exercise], root: Path) -> Exercise | None:
    """The exercise whose folder under ``root`` holds ``folder`` (say, ``exercises/02-routing/templates``)."""
    try:
        parts = Path(folder).resolve().relative_to(Path(root).resolve()).parts
    except ValueError:
        return None
    return next((e for e in exercises if parts and parts[0] == e.id), None)
