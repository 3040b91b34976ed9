"""Student-controlled text cannot break or hijack any output: terminal, JSON, JUnit, Classroom,
Gradescope, the gradebook's CSV and HTML (grading.outputs.safe)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.judge.course import load_course
from grading.judge.results import CheckResult, ExerciseResult
from grading.outputs import safe
from grading.outputs.classroom import reporter_results, step_summary, write_github_output
from grading.outputs.gradebook import Gradebook, load
from grading.outputs.gradescope import results_json
from grading.outputs.junit import junit_tree, write_junit
from grading.outputs.report import Painter, render_exercise, render_summary, report_json

HOSTILE = [
    "\x1b[2K\r01-hello  5/5",  # rewrites the score on the terminal
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # a clipboard write (OSC 52)
    "lone \udc80 surrogate",
    "nul \x00 and \x0c form feed, \ufffe",
    "\u202eevil\u202c",
    "x" * 100_000,
]
everything = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=300)


def result_with(text: str) -> ExerciseResult:
    check = CheckResult(name=f"test_x[{text}]", points=0.0, max_points=1.0, status="failed", message=text, hint=text)
    return ExerciseResult(id="01-hello", title="Hello", status="failed", error=text, checks=[check])


def no_control(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF
                   for c in text)


def test_terminal_never_gets_an_escape_sequence():
    """A message with ESC, a carriage return or OSC 52 is shown escaped, in plain sight."""
    shown = render_exercise(result_with(HOSTILE[0] + HOSTILE[1]), Painter(False), columns=80)
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert "\\x1b[2K\\x0d01-hello" in shown


@settings(max_examples=150, deadline=None)
@given(everything)
def test_any_text_gives_a_terminal_line_without_control_characters(text):
    """Whatever a message holds, what the terminal gets is printable and encodes as UTF-8."""
    shown = render_exercise(result_with(text), Painter(False), columns=80) + render_summary([result_with(text)], Painter(False), "exercises")
    assert no_control(shown)
    shown.encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(text=everything)
def test_any_text_gives_json_that_round_trips_and_well_formed_junit(text):
    """Any text gives a JSON report any reader decodes, and JUnit XML that parses."""
    report = json.dumps(report_json([result_with(text)]), ensure_ascii=False)
    assert json.loads(report.encode("utf-8").decode("utf-8"))["exercises"][0]["checks"][0]["message"] is not None
    written = io.BytesIO()
    junit_tree([result_with(text)], warning=text).write(written, encoding="utf-8", xml_declaration=True)
    ET.fromstring(written.getvalue())  # raises when not well-formed
    json.dumps(results_json([result_with(text)], 1.0, text), ensure_ascii=False).encode("utf-8")
    step_summary([result_with(text)], text).encode("utf-8")


def test_every_hostile_string_passes_every_writer(tmp_path):
    """The known hostile strings: each writer finishes and its output parses."""
    results = [result_with(text) for text in HOSTILE]
    write_junit(tmp_path / "junit.xml", results, warning=HOSTILE[2])
    ET.parse(tmp_path / "junit.xml")
    write_github_output(tmp_path / "out", results)
    for line in (tmp_path / "out").read_text(encoding="utf-8").splitlines():
        decoded = json.loads(base64.b64decode(line.partition("=")[2]))
        assert all(len(t["message"]) <= 2000 for t in decoded["tests"])
    assert "\x1b" not in json.dumps(results_json(results, 1.0), ensure_ascii=False)
    assert max(len(c["message"]) for e in report_json(results)["exercises"] for c in e["checks"]) <= safe.MESSAGE_LIMIT


def test_junit_element_tree_holds_no_xml_illegal_character():
    tree = junit_tree([result_with("a\x00b\ufffec\udc80")])
    text = ET.tostring(tree.getroot(), encoding="unicode")
    assert "\x00" not in text and "\ufffe" not in text


def test_step_summary_cell_cannot_break_the_table():
    summary = step_summary([ExerciseResult(id="01-hello", title="a | b\n| c", status="failed", checks=[])])
    row = next(line for line in summary.splitlines() if line.startswith("| 01-hello"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # four cells, whatever the title holds


def test_reporter_results_have_no_control_characters():
    tests = reporter_results(result_with(HOSTILE[0]))["tests"]
    assert all(no_control(t["message"]) and no_control(t["test_code"]) for t in tests)


def book_with(tmp_path: Path, student: str, note: str) -> Gradebook:
    exercises = load_course()[:1]
    book = Gradebook(tmp_path, exercises)
    row = book.row(student)
    row.results = {exercises[0].id: ExerciseResult(id=exercises[0].id, title="t", status="failed", checks=[
        CheckResult(name="=HYPERLINK(\"http://evil\")", points=0.0, max_points=1.0, status="failed")])}
    row.note, row.changed = note, ["graders/@evil.py"]
    return book


def test_csv_cells_never_start_a_formula(tmp_path):
    """A folder named like a formula, a note or a check name: each cell starts with ' instead."""
    book = book_with(tmp_path, "=cmd|'/c calc'!A1", "+1+1")
    for text in (book.grades_csv(), book.checks_csv()):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not any(c.startswith(("=", "+", "@", "\t", "\r")) or c.startswith("-") and not c[1:].replace(".", "").isdigit()
                       for c in cells), cells
    assert "'=cmd|'/c calc'!A1" in book.grades_csv()


def test_gradebook_reads_back_a_neutralised_name(tmp_path):
    """A name that had to be neutralised in grades.csv is the same student on the next run."""
    book = book_with(tmp_path, "-dash", "=note")
    book.write()
    again = load(tmp_path, book.exercises)
    assert set(again.rows) == {"-dash"} and again.rows["-dash"].note == "=note"
    assert again.rows["-dash"].results


def test_report_html_links_only_to_the_students_file(tmp_path):
    """A folder named javascript:... is a relative link to its own page, never a script."""
    book = book_with(tmp_path, "javascript:alert(1)", "<script>alert(2)</script>")
    book.write()
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in page and "<script>alert" not in page
    assert 'href="./javascript%3Aalert%281%29.html"' in page
    own = (tmp_path / "javascript:alert(1).html").read_text(encoding="utf-8")
    assert 'href="./javascript%3Aalert%281%29.json"' in own and "<script>alert" not in own


def test_href_allows_only_http_https_and_relative():
    assert safe.href("https://example.com/a?b=1&c") == "https://example.com/a?b=1&amp;c"
    assert safe.href("alice.json") == "alice.json"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "data:text/html,x", "//evil.example", "\\\\evil"):
        assert safe.href(bad) == "#", bad
