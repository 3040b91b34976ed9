"""The gradebook's pages in a real browser: Chromium, driven by Playwright (never `playwright install`).

A class of four is graded by batch with a roster: ada (the solutions), bob (the starters, a
roster name holding markup), eve (the solutions, graders rewritten) and a student whose folder
name is an HTML attack; the roster also names dan, who has no folder. The pages must load,
draw their charts from the data, show every label whole, flag eve, list dan, and open each
student's own page from the class's.

Where no Chromium is installed the browser tests skip, saying how to get one; in CI (``CI``
set) they fail instead: `.ci/run` installs Debian's chromium.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from grading.judge.course import COURSE_DIR, load_course
from grading.judge.results import CheckResult, ExerciseResult
from grading.outputs.gradebook import Gradebook

IDS = ["01-hello", "02-routing"]
HOSTILE = 'mal"lory<img src=x onerror=alert(1)>'
ROSTER = """identifier,github_username,github_id,name
ada@example.edu,ada,1,Ada Lovelace
bob@example.edu,bob,2,Bob <b>Builder</b>
dan@example.edu,dan,4,Dan Absent
"""
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            r"C:\Program Files\Google\Chrome\Application\chrome.exe")


def find_browser() -> str | None:
    """Chromium or Chrome: ``$CHROMIUM``, else the usual names and places."""
    for candidate in (os.environ.get("CHROMIUM"), *BROWSERS):
        found = candidate and (shutil.which(candidate) or (Path(candidate).is_file() and candidate))
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """The class graded by batch with the roster: the gradebook's folder."""
    class_dir = tmp_path_factory.mktemp("class")
    for student, source in (("ada", "solutions"), ("bob", "exercises"), ("eve", "solutions"), (HOSTILE, "solutions")):
        for exercise in IDS:
            shutil.copytree(COURSE_DIR / source / exercise, class_dir / student / "exercises" / exercise)
    shutil.copytree(COURSE_DIR / "graders", class_dir / "eve" / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    (class_dir / "eve" / "graders" / "test_01_hello.py").write_text("def test_free():\n    pass\n", encoding="utf-8")
    roster = class_dir.parent / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path_factory.mktemp("gradebook")
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(class_dir), *IDS, "--out", str(out), "--jobs", "2",
         "--roster", str(roster)],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium, or a skip (a failure in CI) saying what is missing."""
    executable = find_browser()
    if executable is None:
        why = "no Chromium: install Debian's chromium (apt-get install chromium), or set CHROMIUM to a Chrome"
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI must run the browser tests (.ci/run installs it)")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, gradebook):
    """report.html in a fresh tab the size of a laptop's screen; a dialog (a script ran) fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=True)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto((gradebook / "report.html").as_uri())
    yield tab
    context.close()
    assert dialogs == [], "a student's text ran as a script"


def checks_table(gradebook: Path) -> list[dict[str, str]]:
    with (gradebook / "checks.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def bar_shares(page, chart: int) -> list[float]:
    """Each bar's drawn width over its track's, in chart number ``chart`` (0: totals)."""
    return page.evaluate(
        """n => [...document.querySelectorAll('svg')[n].querySelectorAll('rect.bar')].map(bar =>
               bar.getBoundingClientRect().width / bar.previousElementSibling.getBoundingClientRect().width)""",
        chart,
    )


def test_report_loads_and_draws_its_charts_from_the_data(page, gradebook, tmp_path):
    assert page.title() == "Gradebook"
    assert page.locator("h1").inner_text() == "Gradebook"
    assert page.locator("svg").count() == 3
    for svg in page.locator("svg").all():
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40
    histogram = page.evaluate(
        "[...document.querySelectorAll('svg')[0].querySelectorAll('rect.bar')].map(r => r.getBoundingClientRect().height)"
    )
    assert sum(1 for h in histogram if h > 0) in (2, 3)  # ada, eve and the attacker score the same; bob less
    table = checks_table(gradebook)
    shares = bar_shares(page, 2)
    assert len(shares) == len(table)
    for drawn, row in zip(shares, table):
        assert drawn == pytest.approx(int(row["passed"]) / int(row["students"]), abs=0.01), row["check"]
    averages = bar_shares(page, 1)
    assert len(averages) == len(IDS) and all(0.5 < share < 1 for share in averages)  # bob's starters pull it down
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000


def clipped_cells(page) -> list[str]:
    """The cells whose text does not fit, what a box cuts off or scrolls away, and the page's own overflow."""
    cells = page.evaluate(
        """[...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1)
               .concat([...document.querySelectorAll('body *')].filter(e => getComputedStyle(e).overflowX != 'visible'
                        && e.tagName != 'svg' && e.scrollWidth > e.clientWidth + 1))
               .map(c => c.tagName + ': ' + c.textContent.slice(0, 80))"""
    )
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    return cells + (["the page scrolls sideways"] if wide else [])


def test_a_whole_course_with_long_notes_fits_on_a_laptop_screen(browser, tmp_path):
    """Fifteen exercise columns, long notes, many changed files, long check labels: nothing is cut."""
    exercises = load_course(COURSE_DIR)
    book = Gradebook(tmp_path, exercises, with_identity=True)
    for n, student in enumerate(("ada-lovelace-the-first-programmer", "bob", "carol")):
        row = book.row(student)
        row.identity = {"name": f"Student {student} " * 3, "github_username": student, "identifier": f"{student}@example.edu"}
        row.results = {e.id: ExerciseResult(e.id, e.title, "failed", checks=[
            CheckResult("a_check", float(n % 2), 1.0, "passed" if n % 2 else "failed", "came back: " + "words " * 40,
                        doc="A check whose description is a whole paragraph, " * 4)]) for e in exercises}
        row.commit, row.committed = "0123456789abcdef" * 2 + "01234567", "2026-12-01T23:59:59+00:00"
        row.changed = [f"graders/test_{i:02d}_a_rather_long_file_name.py" for i in range(1, 16)] if n == 2 else []
        row.note = "not a git repository: graded as it is; Stopped: grading this student took longer than 960 s."
    book.write()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    for name in ("report.html", "carol.html"):
        tab.goto((tmp_path / name).as_uri())
        assert clipped_cells(tab) == [], name
    tab.goto((tmp_path / "report.html").as_uri())
    tab.screenshot(path=str(tmp_path / "whole-course.png"), full_page=True)
    assert tab.locator("#students tr").count() == 2 + 3  # header, points possible, three students
    context.close()


def test_every_label_is_whole_and_no_column_is_clipped(page, gradebook):
    chart_text = page.locator("svg").nth(2).text_content()
    for row in checks_table(gradebook):
        assert row["description"] not in ("", row["check"])  # the docstring's text, not the function's name
        words = " ".join(row["description"].split())
        assert words in " ".join(chart_text.split())
    outside = page.evaluate(
        """[...document.querySelectorAll('svg')].flatMap(svg => {
               const frame = svg.getBoundingClientRect();
               return [...svg.querySelectorAll('text')].filter(t => {
                   const box = t.getBoundingClientRect();
                   return box.left < frame.left - 1 || box.right > frame.right + 1;
               }).map(t => t.textContent);
           })"""
    )
    assert outside == []
    assert clipped_cells(page) == []
    drawn = page.evaluate("[...document.querySelectorAll('svg text')].filter(t => t.textContent.trim())"
                          ".map(t => t.getBoundingClientRect().width)")
    assert drawn and min(drawn) > 0  # glyphs were drawn: a font is there


def test_tampering_and_absent_students_are_shown(page):
    eve = page.locator("#students tr", has_text="eve")
    assert eve.get_attribute("class") == "flagged"
    assert "graders/test_01_hello.py" in eve.inner_text()
    assert "1 student changed grading files" in page.locator("p.warning").first.inner_text()
    page.click("a[href='#absent']")
    absent = page.locator("#absent + table").inner_text()
    assert "Dan Absent" in absent and "dan@example.edu" in absent and "no repository found" in absent


def test_links_open_each_students_page(page, gradebook):
    links = page.locator("#students a")
    assert links.count() == 4
    for i in range(4):
        page.goto((gradebook / "report.html").as_uri())
        link = page.locator("#students a").nth(i)
        name = link.inner_text()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(".html") and not page.url.endswith("report.html")
        student = Path(unquote(page.url.removeprefix("file://"))).stem
        assert (gradebook / f"{student}.json").is_file()
        assert page.locator("h1").inner_text() == name  # markup in a name or folder is shown as text
        headings = page.locator("h2").all_inner_texts()
        assert [h.split(" ")[0] for h in headings] == IDS
        rows = page.locator("table.checks tr").count()
        assert rows == len(checks_table(gradebook)) + len(IDS)  # every check, under each exercise's header
        page.click("text=this report as JSON")
        assert page.url.endswith(".json")
    assert page.evaluate("document.body.innerText").lstrip().startswith("{")


def test_a_students_page_says_what_came_back(page, gradebook, tmp_path):
    page.goto((gradebook / "bob.html").as_uri())
    assert page.locator("h1").inner_text() == "Bob <b>Builder</b>"
    assert page.locator("b >> text=Builder").count() == 0
    failed = page.locator("table.checks tr.failed").first.inner_text()
    assert "Hint:" in failed
    report = json.loads((gradebook / "bob.json").read_text(encoding="utf-8"))
    assert f"Total: {report['score']:g}/{report['max_score']:g}" in page.locator("body").inner_text()
    page.screenshot(path=str(tmp_path / "bob.png"), full_page=True)
    page.click("text=← the class")
    assert page.url.endswith("report.html")
