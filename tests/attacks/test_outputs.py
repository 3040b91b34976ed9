"""Student text in the judge's outputs (issue 22, b): messages and folder names are hostile data.

A submission's app raises, on import, an exception whose message the grade repeats; a student's
folder name is a gradebook row. Each must reach every output made safe for it: no control
character on the instructor's terminal, every JSON and JUnit file written and well-formed, no
spreadsheet formula in grades.csv, no script link in report.html. Each has an honest control: the
same submission with plain text, whose text does reach the outputs.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from .conftest import assert_finished, copy_exercise

HELLO = "01-hello"
PLAIN = "plain words from the student"
TERMINAL = "\x1b[1A\x1b[2K\x1b[G01-hello 5/5 \x1b]52;c;ZWNobyBvd25lZA==\x07 \x9b2J done"  # one line for splitlines
SURROGATE = "broken \ud800 text"
XML_ILLEGAL = "bad \x01\x02\x08\x1f\ufffe\uffff chars"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # what a terminal or a report must not get


@pytest.fixture(autouse=True)
def isolation(monkeypatch):
    """What the judge writes does not depend on the sandbox: the default level only."""
    monkeypatch.delenv("GRADING_ISOLATION", raising=False)
    return "best"


def raising(attack, text: str, root=None):
    """A root holding 01-hello's solution whose import raises ValueError(text)."""
    return attack.submission(HELLO, "solutions", "hostile_text", root=root, text=text)


def strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in strings(k) + strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def assert_safe_text(where: str, text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{where} holds {found.group()!r}: {text[max(0, found.start() - 80):found.end() + 40]!r}"


def assert_json_well_formed(where: str, data) -> None:
    for text in strings(data):
        text.encode("utf-8")  # a lone surrogate cannot be: strict JSON readers refuse it
        assert_safe_text(where, text)


# -- the terminal -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [TERMINAL, PLAIN], ids=["attack", "control"])
def test_messages_reach_the_terminal_without_escape_sequences(attack, text):
    """Attack: a message that moves the cursor up, erases the real score's line, writes "5/5" and
    sets the clipboard (OSC 52), on the student's and on the instructor's (batch) terminal."""
    run = attack.grade(raising(attack, text), HELLO)
    assert_finished(run.outcome)
    assert_safe_text("the grade's output", run.outcome.out + run.outcome.err)
    class_dir = attack.tmp / "class"
    raising(attack, text, root=class_dir / "mallory" / "exercises")
    batch = attack.batch(class_dir, HELLO)
    assert_finished(batch.outcome, codes=(0,))
    assert_safe_text("batch's output", batch.outcome.out + batch.outcome.err)
    assert batch.exercise("mallory", HELLO)["score"] == 0
    if text == PLAIN:
        assert PLAIN in run.outcome.out and PLAIN in batch.outcome.out  # the path the attack takes is real


@pytest.mark.parametrize("name", ["\x1b]52;c;ZWNobyBvd25lZA==\x07\x1b[2Kalice 5", "mallory"], ids=["attack", "control"])
def test_folder_names_reach_the_terminal_without_escape_sequences(attack, name):
    """Attack: a student folder whose name is an escape sequence, printed by batch's progress line."""
    class_dir = attack.tmp / "class"
    copy_exercise(HELLO, "exercises", class_dir / name / "exercises" / HELLO)
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    assert_safe_text("batch's output", run.outcome.out + run.outcome.err)
    assert len(run.rows) == 2, run.rows  # Points Possible and the student: graded
    assert "mallory" in run.outcome.out if name == "mallory" else True


# -- the reports ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SURROGATE, XML_ILLEGAL, PLAIN], ids=["surrogate", "xml-illegal", "control"])
def test_every_report_is_written_and_well_formed(attack, text):
    """Attack: a lone surrogate in a message crashes the report writer (no JSON, no JUnit); characters
    XML forbids make the JUnit file unreadable. Every report must be written, and parse."""
    junit = attack.tmp / "junit.xml"
    run = attack.grade(raising(attack, text), HELLO, "--junit", str(junit))
    assert_finished(run.outcome)
    assert run.report is not None, f"no JSON report: {run.outcome.explain()}"
    assert_json_well_formed("report.json", run.report)
    assert run.exercise(HELLO)["score"] == 0
    assert junit.is_file(), f"no JUnit report: {run.outcome.explain()}"
    tree = ET.parse(junit)  # well-formed XML, or this raises
    assert_json_well_formed("the JUnit report", [e.text or "" for e in tree.iter()] +
                            [v for e in tree.iter() for v in e.attrib.values()])
    if text == PLAIN:
        assert PLAIN in json.dumps(run.report) and PLAIN in junit.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [SURROGATE, TERMINAL, PLAIN], ids=["surrogate", "terminal", "control"])
def test_gradescope_results_are_written_and_well_formed(attack, bundle, text):
    """Attack: hostile text in a message reaches Gradescope's results.json (shown to the student)."""
    autograder = attack.autograder(bundle)
    raising(attack, text, root=autograder / "submission")
    outcome, results = attack.run_autograder(autograder)
    assert_finished(outcome, codes=(0,))
    assert results is not None, f"no results.json: {outcome.explain()}"
    json.loads((autograder / "results" / "results.json").read_text(encoding="utf-8"))
    assert_json_well_formed("results.json", results)
    assert_safe_text("run_autograder's output", outcome.out + outcome.err)
    if text == PLAIN:
        assert PLAIN in json.dumps(results)


# -- the gradebook ---------------------------------------------------------------------------------

FORMULA = '=HYPERLINK("https:evil.example","5")'
SCRIPT = "javascript:alert(document.domain)"


def _graded_class(attack, name: str):
    class_dir = attack.tmp / "class"
    copy_exercise(HELLO, "solutions", class_dir / name / "exercises" / HELLO)
    copy_exercise(HELLO, "exercises", class_dir / "bob" / "exercises" / HELLO)
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    return run


@pytest.mark.parametrize("name", [FORMULA, "ada"], ids=["attack", "control"])
def test_folder_name_is_no_formula_in_grades_csv(attack, name):
    """Attack: a folder named `=HYPERLINK(...)` is a formula when grades.csv is opened in a spreadsheet."""
    run = _graded_class(attack, name)
    with (run.out / "grades.csv").open(newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    formulas = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not formulas, f"grades.csv holds formulas: {formulas}"
    graded = [row for student, row in run.rows.items() if name.strip("=") in student or student == name]
    assert graded and graded[0][0] == "5", f"the student is not graded: {run.rows}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value or "" for key, value in attrs if key in ("href", "src", "action", "formaction", "xlink:href")]

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("name", [SCRIPT, "ada"], ids=["attack", "control"])
def test_folder_name_is_no_script_link_in_report_html(attack, name):
    """Attack: a folder named `javascript:alert(document.domain)` becomes the link to its report in
    report.html: clicking the student's name runs the student's script in the instructor's browser."""
    run = _graded_class(attack, name)
    page = _Links()
    page.feed((run.out / "report.html").read_text(encoding="utf-8"))
    for url in page.urls:
        scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", url))
        assert scheme is None or scheme.group(1).lower() in ("http", "https"), f"report.html links to {url!r}"
    assert any(name in t for t in page.text), "the student is not on the page"
