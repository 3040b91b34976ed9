"""The gradebook as Canvas's and Moodle's grade imports take it: ``canvas.csv`` and ``moodle.csv``.

``grades.csv`` is ours: its text columns and its *Points Possible* row suit a spreadsheet, not
an LMS. Batch writes these two beside it when it knows the students' identifiers (``--roster``):

- ``canvas.csv``, for Canvas's *Gradebook → Import*: the columns Canvas's importer reads first
  (``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``), a *Points Possible*
  row (Canvas reads it, and gives a new assignment those points), then a column per exercise
  (an assignment of that name, made by the import if the course has none). The roster's
  identifier goes in both SIS columns: Canvas looks a student up by SIS User ID, then by
  SIS Login ID, then by name, so a student number or a login both find their student. No total
  and no notes: Canvas would take any other column for a new assignment, and it sums totals itself.
- ``moodle.csv``, for Moodle's *Import → CSV file*: an identifier column (``Email address`` when
  every identifier is one, else ``ID number``) that the import maps to the user's email or ID
  number, the student's name, a column per exercise and the total, each mapped to a grade item
  (or ignored) on the import's preview page. No *Points Possible* row: Moodle stops the whole
  import at the first row whose identifier matches no user.

A student without an identifier (not in the roster) or without a grade (no repository) has no
row in either file: :func:`left_out` says who, for the terminal.
"""

from __future__ import annotations

from grading.outputs import safe
from grading.outputs.report import fmt_points

CANVAS, MOODLE = "canvas.csv", "moodle.csv"
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"


def _graded_rows(book) -> list:
    """The rows an LMS can take: a student with an identifier and a grade, by identifier."""
    rows = [r for r in book.rows.values() if r.identity.get("identifier") and r.results]
    return sorted(rows, key=lambda r: r.identity["identifier"])


def left_out(book) -> list[tuple[str, str]]:
    """``(student, why)`` for each row of the gradebook that has no line in the LMS files."""
    found = []
    for row in sorted(book.rows.values(), key=lambda r: r.student):
        if not row.identity.get("identifier"):
            found.append((row.student, "not in the roster, so no identifier"))
        elif not row.results:
            found.append((row.identity["identifier"], "no grade (no repository found)"))
    return found


def _score(row, exercise_id: str) -> str:
    return fmt_points(row.results[exercise_id].score) if exercise_id in row.results else ""


def _name(row) -> str:
    return safe.cell(safe.name(row.identity.get("name") or row.identity.get("github_username") or row.student))


def canvas_rows(book) -> list[list[str]]:
    """``canvas.csv``: Canvas's student columns, a Points Possible row, a column per exercise."""
    columns = book.columns()
    lines = [
        [*CANVAS_STUDENT_COLUMNS, *(e.id for e in columns)],
        [POINTS_POSSIBLE, "", "", "", "", *(fmt_points(book.possible(e.id)) for e in columns)],
    ]
    for row in _graded_rows(book):
        identifier = row.identity["identifier"]
        lines.append([_name(row), "", identifier, identifier, "", *(_score(row, e.id) for e in columns)])
    return lines


def moodle_rows(book) -> list[list[str]]:
    """``moodle.csv``: an identifier, the name, a column per exercise and the total; no other row."""
    columns = book.columns()
    rows = _graded_rows(book)
    emails = bool(rows) and all("@" in r.identity["identifier"] for r in rows)
    lines = [["Email address" if emails else "ID number", "Full name", *(e.id for e in columns), "Total"]]
    for row in rows:
        lines.append([row.identity["identifier"], _name(row), *(_score(row, e.id) for e in columns), fmt_points(row.total)])
    return lines

