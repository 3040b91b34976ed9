"""The gradebook batch grading writes: ``grades.csv``, ``checks.csv``, ``report.html`` and a report per student.

- ``grades.csv``: a row per student (its folder's name, and with a roster the student's
  identifier, GitHub username and name), a column per exercise, the total, the commit graded
  (its date, the deadline applied and how many commits came after it), the grading files the
  student changed and a note; the first row after the header holds the
  points possible, the row LMS imports (Canvas's *Points Possible*) look for.
- ``checks.csv``: a row per check: exercise, check, points, how many students passed it, of how
  many graded, and the share. What the class did not get is at the bottom of the share column.
- ``report.html``: one page that needs no network: the distribution of totals, each exercise's
  average, each check's pass rate (inline SVG charts drawn from the data), and the table of
  students, each linking to their report.
- ``<student>.json``: the student's report, what ``nox -s grade -- --json`` writes.
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
import math
from dataclasses import dataclass, field
from pathlib import Path

from grading.judge.course import Exercise
from grading.judge.results import ExerciseResult
from grading.judge.submissions import write_atomic
from grading.outputs import lms, safe
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

    def columns(self) -> list[Exercise]:
        graded = {i for row in self.rows.values() for i in row.results}
        return [e for e in self.exercises if e.id in graded]

    def possible(self, exercise_id: str) -> float:
        return max((r.results[exercise_id].max_score for r in self.rows.values() if exercise_id in r.results), default=0.0)

    def row(self, student: str) -> Row:
        return self.rows.setdefault(student, Row(student))

    # -- writing ---------------------------------------------------------------------------------

    def write(self, students: list[str] | None = None) -> None:
        """Write the reports of ``students`` (default: all), then the class files (:mod:`.lms`'s too)."""
        for name in self.rows if students is None else students:
            row = self.rows[name]
            if row.results:
                ordered = [row.results[e.id] for e in self.exercises if e.id in row.results]
                write_atomic(self.out / f"{name}.json", json.dumps(report_json(ordered), indent=2) + "\n")
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
        lines = [["exercise", "check", "points", "passed", "students", "share"]]
        for exercise, check, points, passed, graded in self.check_rows():
            lines.append([safe.cell(exercise), safe.cell(safe.name(check)), fmt_points(points), passed, graded, f"{passed / graded:.2f}" if graded else ""])
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


# -- report.html -----------------------------------------------------------------------------------


def _bars(items: list[tuple[str, float, str]], width: int = 760, label_width: int = 380) -> str:
    """A horizontal bar chart: (label, share from 0 to 1, value shown) for each bar."""
    bar_height, gap = 16, 4
    height = len(items) * (bar_height + gap) + gap
    room = width - label_width - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, (label, share, shown) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = max(0.0, min(1.0, share)) * room
        colour = "#2f855a" if share >= 0.8 else "#d69e2e" if share >= 0.5 else "#c53030"
        parts += [
            f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{safe.html(label, safe.NAME_LIMIT)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{room}" height="{bar_height}" fill="#edf2f7"/>',
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}"/>',
            f'<text x="{label_width + room + 4}" y="{y + 12}">{safe.html(shown)}</text>',
        ]
    return "\n".join(parts + ["</svg>"])


def _histogram(totals: list[float], maximum: float, width: int = 640, height: int = 220) -> str:
    """Students per range of totals: about ten ranges of a whole number of points each."""
    step_points = max(1, math.ceil(maximum / 10))
    bins = max(1, math.ceil(maximum / step_points))
    counts = [0] * bins
    for total in totals:
        counts[min(bins - 1, int(total // step_points))] += 1
    top = max(counts, default=0) or 1
    left, bottom, room = 40, height - 30, width - 50
    step = room / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, count in enumerate(counts):
        h = (bottom - 24) * count / top
        x = left + i * step
        low = i * step_points
        parts += [
            f'<rect x="{x + 2:.1f}" y="{bottom - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" fill="#3182ce">'
            f"<title>{low} to {low + step_points}: {count}</title></rect>",
            f'<text x="{x + step / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle">{count or ""}</text>',
            f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle">{low}</text>',
        ]
    parts.append(f'<text x="{left + room:.1f}" y="{bottom + 15}" text-anchor="middle">{bins * step_points}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + room}" y2="{bottom}" stroke="#333"/>')
    return "\n".join(parts + ["</svg>"])


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
"""


def render_page(book: Gradebook) -> str:
    columns = book.columns()
    rows = sorted((r for r in book.rows.values() if r.results), key=lambda r: r.student)
    possible = {e.id: book.possible(e.id) for e in columns}
    maximum = sum(possible.values())
    totals = [r.total for r in rows]
    mean = sum(totals) / len(totals) if totals else 0.0
    averages = []
    for e in columns:
        scores = [r.results[e.id].score for r in rows if e.id in r.results]
        average = sum(scores) / len(scores) if scores else 0.0
        averages.append((e.id, average / possible[e.id] if possible[e.id] else 0.0, f"{average:.1f}/{fmt_points(possible[e.id])}"))
    checks = [
        (f"{exercise} {check}", passed / graded if graded else 0.0, f"{passed}/{graded}")
        for exercise, check, _, passed, graded in book.check_rows()
    ]
    esc = safe.html
    head = "".join(f"<th>{esc(e.id)}</th>" for e in columns)
    body = []
    for r in rows:
        who = esc(r.identity.get("name") or r.student, safe.NAME_LIMIT)
        cells = "".join(
            f"<td>{fmt_points(r.results[e.id].score)}</td>" if e.id in r.results else "<td></td>" for e in columns
        )
        link = f'<a href="{safe.href(safe.file_link(f"{r.student}.json"))}">{who}</a>'
        extra = esc(" ".join(p for p in (r.commit[:12], r.note) if p))
        body.append(f"<tr><td>{link}</td>{cells}<td><b>{fmt_points(r.total)}</b></td><td class=text>{extra}</td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gradebook</title><style>{STYLE}</style></head>
<body>
<h1>Gradebook</h1>
<p>{len(rows)} students graded; average total {mean:.1f} of {fmt_points(maximum)} points.</p>
<h2>Totals</h2>
{_histogram(totals, maximum)}
<h2>Average per exercise</h2>
{_bars(averages, label_width=160)}
<h2>Pass rate per check</h2>
{_bars(checks)}
<h2>Students</h2>
<table><tr><th>student</th>{head}<th>total</th><th>commit, note</th></tr>
<tr><td><i>{POINTS_POSSIBLE}</i></td>{"".join(f"<td>{fmt_points(possible[e.id])}</td>" for e in columns)}<td>{fmt_points(maximum)}</td><td></td></tr>
{chr(10).join(body)}
</table>
</body></html>
"""
