"""The gradebook's HTML pages: ``report.html`` for the class and ``<student>.html`` for each student.

An instructor reads these in a browser, often offline and from a folder: every page stands
alone (no script, no network, inline SVG charts drawn from the data), every label is shown
whole (long labels wrap, nothing is cut off), and every byte that came from a student (folder
names, messages, the roster) goes through :mod:`grading.outputs.safe`. The pages read a
:class:`~grading.outputs.gradebook.Gradebook` and return text; the gradebook writes them.
"""

from __future__ import annotations

import math
import textwrap

from grading.judge.results import ExerciseResult
from grading.outputs import safe
from grading.outputs.report import MARKS, fmt_points

esc = safe.html
WRAP = 100  # characters per line of a chart's label: about 650 px at 12 px

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 90em; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; vertical-align: top; }
th { background: #f7fafc; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 8em; }
td.commit { font-family: monospace; font-size: 12px; overflow-wrap: anywhere; max-width: 9em; text-align: left; }
abbr { text-decoration: none; }
tr.flagged td { background: #fff5f5; }
td.flag, .warning { color: #c53030; }
.wide { overflow-x: auto; }
table.checks { width: 100%; }
table.checks td.mark { text-align: center; width: 1.5em; }
table.checks td:nth-child(2) { width: 35%; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
pre mark { background: #fefcbf; }
td.code { text-align: left; width: 50%; }
"""


def document(title: str, body: str) -> str:
    """A whole page: the gradebook's style, ``title`` escaped, ``body`` as it is."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title><style>{STYLE}</style></head>
<body>
{body}
</body></html>
"""


def student_href(student: str, suffix: str = ".html") -> str:
    """The relative link to a student's file beside the page, whatever their folder's name holds."""
    return safe.href(safe.file_link(student + suffix))


def who(row) -> str:
    """A student as the instructor knows them: the roster's name, else the folder's; one line."""
    return safe.name(row.identity.get("name") or row.student)


# -- charts ------------------------------------------------------------------------------------


def bars(items: list[tuple[str, float, str]], width: int = 760) -> str:
    """A horizontal bar chart: (label, share from 0 to 1, value shown) per bar, each label whole
    on its own lines above its bar."""
    line, bar_height, gap = 15, 14, 8
    room = width - 70
    parts, y = [], gap
    for label, share, shown in items:
        for text in textwrap.wrap(label, WRAP, break_long_words=True) or [""]:
            y += line
            parts.append(f'<text x="0" y="{y - 3}">{esc(text)}</text>')
        w = max(0.0, min(1.0, share)) * room
        colour = "#2f855a" if share >= 0.8 else "#d69e2e" if share >= 0.5 else "#c53030"
        parts += [
            f'<rect class="track" x="0" y="{y}" width="{room}" height="{bar_height}" fill="#edf2f7"/>',
            (f'<rect class="bar" x="0" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}">'
             f"<title>{esc(label)}: {esc(shown)}</title></rect>"),
            f'<text x="{room + 4}" y="{y + 11}">{esc(shown)}</text>',
        ]
        y += bar_height + gap
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" role="img">',
        *parts, "</svg>",
    ])


def histogram(totals: list[float], maximum: float, width: int = 640, height: int = 220) -> str:
    """Students per range of totals: about ten ranges of a whole number of points each."""
    step_points = max(1, math.ceil(maximum / 10))
    bins = max(1, math.ceil(maximum / step_points))
    counts = [0] * bins
    for total in totals:
        counts[min(bins - 1, int(total // step_points))] += 1
    top = max(counts, default=0) or 1
    left, bottom, room = 40, height - 30, width - 50
    step = room / bins
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" role="img">')]
    for i, count in enumerate(counts):
        h = (bottom - 24) * count / top
        x = left + i * step
        low = i * step_points
        parts += [
            (f'<rect class="bar" x="{x + 2:.1f}" y="{bottom - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
             f'fill="#3182ce"><title>{low} to {low + step_points}: {count}</title></rect>'),
            f'<text x="{x + step / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle">{count or ""}</text>',
            f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle">{low}</text>',
        ]
    parts.append(f'<text x="{left + room:.1f}" y="{bottom + 15}" text-anchor="middle">{bins * step_points}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{left + room}" y2="{bottom}" stroke="#333"/>')
    return "\n".join(parts + ["</svg>"])


# -- report.html ------------------------------------------------------------------------------------


def render_page(book) -> str:
    """The class's page: totals, exercises and checks as charts; every student, flagged or absent."""
    columns = book.columns()
    rows = sorted((r for r in book.rows.values() if r.results), key=lambda r: r.student)
    absent = sorted((r for r in book.rows.values() if not r.results), key=lambda r: r.student)
    possible = {e.id: book.possible(e.id) for e in columns}
    maximum = sum(possible.values())
    totals = [r.total for r in rows]
    mean = sum(totals) / len(totals) if totals else 0.0
    averages = []
    for e in columns:
        scores = [r.results[e.id].score for r in rows if e.id in r.results]
        average = sum(scores) / len(scores) if scores else 0.0
        share = average / possible[e.id] if possible[e.id] else 0.0
        averages.append((f"{e.id} {e.title}", share, f"{average:.1f}/{fmt_points(possible[e.id])}"))
    checks = [
        (f"{exercise} {book.describe(exercise, check)}", passed / graded if graded else 0.0, f"{passed}/{graded}")
        for exercise, check, _, passed, graded in book.check_rows()
    ]
    flagged = [r for r in rows if r.changed]
    said = [f"{len(rows)} students graded; average total {mean:.1f} of {fmt_points(maximum)} points."]
    if flagged:
        said.append(
            f'<p class="warning"><b>{len(flagged)} student{"s" * (len(flagged) != 1)} changed grading files</b> '
            f"({', '.join(esc(who(r)) for r in flagged)}): the course's own graders graded them, so their "
            "scores stand, but ask them why. Their rows are marked below.</p>"
        )
    if absent:
        said.append(f'<p class="warning">{len(absent)} student{"s" * (len(absent) != 1)} of the roster '
                    '<a href="#absent">have no repository</a>.</p>')
    return document("Gradebook", f"""<h1>Gradebook</h1>
<p>{said[0]}</p>
{chr(10).join(said[1:])}
<h2>Totals</h2>
{histogram(totals, maximum)}
<h2>Average per exercise</h2>
{bars(averages)}
<h2>Pass rate per check</h2>
{bars(checks)}
<h2>Students</h2>
{students_table(book, rows, columns, possible, maximum)}
{absent_list(book, absent)}""")


def students_table(book, rows, columns, possible, maximum) -> str:
    # each exercise by its number (its id and title when pointed at, and in the charts above): fifteen fit
    head = "".join(f'<th><abbr title="{esc(e.id)}: {esc(e.title)}">{esc(e.id[:2])}</abbr></th>' for e in columns)
    body = []
    for r in rows:
        cells = "".join(
            f"<td>{fmt_points(r.results[e.id].score)}</td>" if e.id in r.results else "<td></td>" for e in columns
        )
        link = f'<a href="{student_href(r.student)}">{esc(who(r))}</a>'
        flag = "⚠ " + "\n".join(r.changed) if r.changed else ""  # a file a line
        commit = " ".join(p for p in (r.commit, r.committed) if p)
        body.append(
            f'<tr{" class=flagged" if r.changed else ""}><td>{link}</td>{cells}<td><b>{fmt_points(r.total)}</b></td>'
            f'<td class="text flag">{esc(flag)}</td><td class=commit>{esc(commit)}</td><td class=text>{esc(r.note)}</td></tr>'
        )
    points = "".join(f"<td>{fmt_points(possible[e.id])}</td>" for e in columns)
    return f"""<div class=wide><table id="students">
<tr><th>student</th>{head}<th>total</th><th class=text>grading files changed</th><th class=text>commit graded</th><th class=text>note</th></tr>
<tr><td><i>{book.points_possible}</i></td>{points}<td>{fmt_points(maximum)}</td><td></td><td></td><td></td></tr>
{chr(10).join(body)}
</table></div>"""


def absent_list(book, absent) -> str:
    if not absent:
        return ""
    items = "".join(
        f"<tr><td>{esc(who(r))}</td><td class=text>{esc(r.identity.get('github_username', ''))}</td>"
        f"<td class=text>{esc(r.identity.get('identifier', ''))}</td><td class=text>{esc(r.note)}</td></tr>"
        for r in absent
    )
    return f"""<h2 id="absent">On the roster, without a repository</h2>
<table><tr><th>name</th><th class=text>GitHub username</th><th class=text>identifier</th><th class=text>note</th></tr>
{items}</table>"""


# -- <student>.html ----------------------------------------------------------------------------------


def render_student(book, row) -> str:
    """A student's report: each exercise, each check, what it asked and what came back."""
    ordered = [row.results[e.id] for e in book.exercises if e.id in row.results]
    score, total = sum(r.score for r in ordered), sum(r.max_score for r in ordered)
    facts = [f"Total: <b>{fmt_points(score)}/{fmt_points(total)}</b>"]
    for label, value in (("GitHub username", row.identity.get("github_username")),
                         ("identifier", row.identity.get("identifier")), ("folder", row.student),
                         ("commit graded", " ".join(p for p in (row.commit, row.committed) if p)), ("note", row.note)):
        if value:
            facts.append(f"{label}: {esc(value)}")
    warning = (f'<p class="warning">⚠ Changed grading files: {esc(" ".join(row.changed))}. The course\'s own '
               "graders graded this work.</p>") if row.changed else ""
    sections = "\n".join(exercise_section(book, r) for r in ordered)
    return document(f"{who(row)}: report", f"""<p><a href="report.html">← the class</a> ·
<a href="{student_href(row.student, '.json')}">this report as JSON</a></p>
<h1>{esc(who(row))}</h1>
<p>{'<br>'.join(facts)}</p>
{warning}
{sections}""")


def exercise_section(book, result: ExerciseResult) -> str:
    rows = []
    for check in result.checks:
        message = "\n".join(p for p in (check.message, f"Hint: {check.hint}" if check.hint else "") if p)
        rows.append(
            f'<tr class="{esc(check.status)}"><td class=mark title="{esc(check.status)}">{MARKS.get(check.status, "✗")}</td>'
            f"<td class=text>{esc(book.describe(result.id, check.name))}</td>"
            f"<td>{fmt_points(check.points)}/{fmt_points(check.max_points)}</td><td class=text>{esc(message)}</td></tr>"
        )
    error = f'<p class="warning">{esc(result.error)}</p>' if result.error else ""
    table = (f"<table class=checks><tr><th></th><th class=text>check</th><th>points</th>"
             f"<th class=text>what came back</th></tr>\n{chr(10).join(rows)}</table>") if rows else ""
    return f"""<h2 id="{esc(result.id)}">{esc(result.id)} {esc(result.title)}: {fmt_points(result.score)}/{fmt_points(result.max_score)}</h2>
{error}
{table}"""
