"""The gradebook batch grading writes: ``grades.csv``, ``checks.csv``, ``report.html`` and a report per student.

- ``grades.csv``: a row per student (its folder's name, and with a roster the student's
  identifier, GitHub username and name), a column per exercise, the total, the commit graded
  (its date, the deadline applied and how many commits came after it), the grading files the
  student changed and a note; the first row after the header holds the
  points possible, the row LMS imports (Canvas's *Points Possible*) look for.
- ``checks.csv``: a row per check: exercise, check, points, how many students passed it, of how
  many graded, the share and what the check checks. What the class did not get is at the bottom
  of the share column.
- ``report.html``: one page that needs no network: the distribution of totals, each exercise's
  average, each check's pass rate (inline SVG charts drawn from the data), the table of
  students (those who changed grading files marked), each linking to their page, and the
  roster's students without a repository (see :mod:`grading.outputs.pages`).
- ``<student>.json``: the student's report, what ``nox -s grade -- --json`` writes, and
  ``<student>.html``, the same report as a page.
- with a roster, ``canvas.csv`` and ``moodle.csv``: what Canvas's and Moodle's grade imports
  take as they are (see :mod:`grading.outputs.lms`).

The gradebook is read back (:func:`load`) before a run, so re-grading some students or some
exercises updates those cells and keeps every other one. Every file is written whole, then
moved into place, so a crash never leaves a half-written gradebook.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge.course import Exercise
from grading.judge.results import ExerciseResult
from grading.judge.submissions import write_atomic
from grading.outputs import lms, safe
from grading.outputs.pages import render_page, render_student
from grading.outputs.report import fmt_points, report_json

GRADES, CHECKS, PAGE = "grades.csv", "checks.csv", "report.html"
POINTS_POSSIBLE = "Points Possible"
NO_REPOSITORY = "no repository found"
IDENTITY = ("identifier", "github_username", "name")  # GitHub Classroom's roster columns we keep
META = ("commit", "committed", "deadline", "later_commits", "graders_changed", "note")
AUDIT = ("commit", "committed", "deadline", "later_commits")  # what was graded, kept as a run found it


@dataclass
class Row:
    """One student's line of the gradebook."""

    student: str
    results: dict[str, ExerciseResult] = field(default_factory=dict)  # exercise id -> result
    identity: dict[str, str] = field(default_factory=dict)
    commit: str = ""  # the commit graded (or the folder's HEAD, graded as it was)
    committed: str = ""
    deadline: str = ""  # the deadline applied: --before, or the student's extension
    later_commits: str = ""  # how many commits came after the one graded: work past the deadline
    changed: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> float:
        return sum(r.score for r in self.results.values())


@dataclass
class Gradebook:
    out: Path
    exercises: list[Exercise]  # the course's, in order; columns are those someone was graded on
    rows: dict[str, Row] = field(default_factory=dict)
    with_identity: bool = False
    docs: dict[tuple[str, str], str] = field(default_factory=dict)  # (exercise, check) -> what it checks
    points_possible = POINTS_POSSIBLE

    def columns(self) -> list[Exercise]:
        graded = {i for row in self.rows.values() for i in row.results}
        return [e for e in self.exercises if e.id in graded]

    def possible(self, exercise_id: str) -> float:
        return max((r.results[exercise_id].max_score for r in self.rows.values() if exercise_id in r.results), default=0.0)

    def row(self, student: str) -> Row:
        return self.rows.setdefault(student, Row(student))

    def describe(self, exercise_id: str, check: str) -> str:
        """What a check checks, in full (its docstring's, as graded), else its name."""
        return self.docs.get((exercise_id, check)) or check

    def learn_docs(self) -> None:
        """Keep what each check checks, from the results graded in this run."""
        for row in self.rows.values():
            for result in row.results.values():
                self.docs.update(((result.id, c.name), c.doc) for c in result.checks if c.doc)

    # -- writing ---------------------------------------------------------------------------------

    def write(self, students: list[str] | None = None) -> None:
        """Write the reports of ``students`` (default: all), JSON and HTML, then the class files (:mod:`.lms`'s too)."""
        self.learn_docs()
        for name in self.rows if students is None else students:
            row = self.rows[name]
            if row.results:
                ordered = [row.results[e.id] for e in self.exercises if e.id in row.results]
                write_atomic(self.out / f"{name}.json", json.dumps(report_json(ordered), indent=2) + "\n")
                write_atomic(self.out / f"{name}.html", render_student(self, row))
        write_atomic(self.out / GRADES, self.grades_csv())
        write_atomic(self.out / CHECKS, self.checks_csv())
        write_atomic(self.out / PAGE, render_page(self))
        if self.with_identity:  # the students' identifiers are known: files an LMS imports
            write_atomic(self.out / lms.CANVAS, _csv(lms.canvas_rows(self)))
            write_atomic(self.out / lms.MOODLE, _csv(lms.moodle_rows(self)))

    def header(self) -> list[str]:
        identity = list(IDENTITY) if self.with_identity else []
        return ["student", *identity, *(e.id for e in self.columns()), "total", *META]

    def grades_csv(self) -> str:
        columns = self.columns()
        identity = [""] * len(IDENTITY) if self.with_identity else []
        possible = [self.possible(e.id) for e in columns]
        lines = [self.header(), [POINTS_POSSIBLE, *identity, *map(fmt_points, possible), fmt_points(sum(possible)), *[""] * len(META)]]
        for row in sorted(self.rows.values(), key=lambda r: r.student):
            ids = [row.identity.get(k, "") for k in IDENTITY] if self.with_identity else []
            scores = [fmt_points(row.results[e.id].score) if e.id in row.results else "" for e in columns]
            total = fmt_points(row.total) if row.results else ""
            texts = [*(getattr(row, k) for k in AUDIT), " ".join(map(safe.name, row.changed)), row.note]
            lines.append([safe.cell(safe.name(row.student)), *map(safe.cell, ids), *scores, total, *map(safe.cell, texts)])
        return _csv(lines)

    def check_rows(self) -> list[tuple[str, str, float, int, int]]:
        """``(exercise, check, points, passed, graded)`` for every check of every column."""
        found = []
        for exercise in self.columns():
            graded = [r.results[exercise.id] for r in self.rows.values() if exercise.id in r.results]
            plan = max(graded, key=lambda r: len(r.checks)).checks
            for check in plan:
                passed = sum(
                    1 for r in graded for c in r.checks if c.name == check.name and c.status == "passed"
                )
                found.append((exercise.id, check.name, check.max_points, passed, len(graded)))
        return found

    def checks_csv(self) -> str:
        lines = [["exercise", "check", "points", "passed", "students", "share", "description"]]
        for exercise, check, points, passed, graded in self.check_rows():
            share = f"{passed / graded:.2f}" if graded else ""
            label = self.describe(exercise, check)
            lines.append([safe.cell(exercise), safe.cell(safe.name(check)), fmt_points(points), passed, graded, share,
                          safe.cell(safe.text(label, safe.NAME_LIMIT))])
        return _csv(lines)


def _csv(lines: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


# -- reading back -----------------------------------------------------------------------------------


def _uncell(value: str | None) -> str | None:
    """A cell as :func:`.safe.cell` had it before it was neutralised."""
    if value and value.startswith("'") and value[1:].startswith(safe.FORMULA):
        return value[1:]
    return value


def load(out: Path, exercises: list[Exercise]) -> Gradebook:
    """The gradebook already in ``out`` (empty when there is none)."""
    book = Gradebook(out, exercises)
    try:
        with (out / GRADES).open(newline="", encoding="utf-8") as f:
            records = list(csv.DictReader(f))
    except (OSError, csv.Error):
        return book
    book.with_identity = bool(records) and IDENTITY[0] in records[0]
    book.docs = read_descriptions(out / CHECKS)
    for record in records:
        record = {k: _uncell(v) for k, v in record.items()}
        name = record.get("student") or ""
        if not name or name == POINTS_POSSIBLE:
            continue
        row = book.row(name)
        row.identity = {k: record.get(k) or "" for k in IDENTITY if record.get(k)}
        for key in (*AUDIT, "note"):
            setattr(row, key, record.get(key) or "")
        row.changed = (record.get("graders_changed") or "").split()
        try:
            report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            row.results = {e["id"]: ExerciseResult.from_json(e) for e in report["exercises"]}
        except (OSError, ValueError, KeyError, TypeError):
            row.results = {}
    return book


def read_descriptions(path: Path) -> dict[tuple[str, str], str]:
    """What each check checks, as ``checks.csv`` says (a student graded in an earlier run keeps their labels)."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            return {(_uncell(r["exercise"]), _uncell(r["check"])): _uncell(r["description"])
                    for r in csv.DictReader(f) if r.get("description")}
    except (OSError, csv.Error, KeyError):
        return {}


# -- the roster ------------------------------------------------------------------------------------


def read_roster(path: Path) -> list[dict[str, str]]:
    """GitHub Classroom's roster export: ``identifier,github_username,github_id,name``."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        return [{k: (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(f)]


def match_roster(folder: str, roster: list[dict[str, str]]) -> dict[str, str] | None:
    """The roster entry of a student folder: named after the GitHub username, as Classroom names
    repositories (``assignment-username``), or after the identifier."""
    lowered = folder.lower()
    by_length = sorted(roster, key=lambda e: -len(e.get("github_username", "")))  # jim-bob before bob
    for entry in by_length:
        user = entry.get("github_username", "").lower()
        if user and (lowered == user or lowered.endswith(f"-{user}")):
            return entry
    return next((e for e in roster if e.get("identifier") and e["identifier"].lower() == lowered), None)
