"""Code similarity: batch names the students whose code is alike, with the matching lines.

A class graded on 12-rest-api: ann wrote her own solution (tests/alternatives' abort_handlers),
ben copied hers and renamed everything, cat wrote the reference solution, dan and eve handed in
the untouched starter (alike, but only in what the course handed out).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ALTERNATIVES

from grading.judge.course import COURSE_DIR
from grading.outputs import similarity

EXERCISE = "12-rest-api"
RENAMES = {"todos": "items", "ids": "counter", "arg": "query_int", "body": "payload", "value": "v", "data": "d",
           "as_json": "error_page", "valid_title": "title_ok"}


def copied(text: str) -> str:
    """ann's code as ben hands it in: every name of hers renamed, a comment of his own."""
    for old, new in RENAMES.items():
        text = re.sub(rf"\b{old}\b", new, text)
    return "# my REST API\n" + text


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    class_dir = tmp_path_factory.mktemp("class")
    sources = {"ann": ALTERNATIVES / EXERCISE / "abort_handlers", "ben": ALTERNATIVES / EXERCISE / "abort_handlers",
               "cat": COURSE_DIR / "solutions" / EXERCISE, "dan": COURSE_DIR / "exercises" / EXERCISE,
               "eve": COURSE_DIR / "exercises" / EXERCISE}
    for student, source in sources.items():
        shutil.copytree(source, class_dir / student / "exercises" / EXERCISE, ignore=shutil.ignore_patterns("__pycache__"))
    ben = class_dir / "ben" / "exercises" / EXERCISE / "app.py"
    ben.write_text(copied(ben.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path_factory.mktemp("gradebook")
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(class_dir), EXERCISE, "--out", str(out), "--jobs", "2"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return {"out": out, "class": class_dir, "stdout": proc.stdout}


def pairs(out):
    with (out / similarity.CSV).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_copy_is_the_only_pair_found(graded):
    found = pairs(graded["out"])
    assert [(p["exercise"], p["student"], p["other"]) for p in found] == [(EXERCISE, "ann", "ben")]
    assert float(found[0]["share"]) > 0.9 and float(found[0]["other_share"]) > 0.9
    assert "Code similarity: 1 pair of students alike" in graded["stdout"]


def test_matching_lines_are_named_and_shown(graded):
    [pair] = pairs(graded["out"])
    ann = (graded["class"] / "ann" / "exercises" / EXERCISE / "app.py").read_text(encoding="utf-8").splitlines()
    ranges = [tuple(map(int, r.split("-"))) for r in re.findall(r"app\.py (\d+-\d+)", pair["lines"])]
    matched = sum(last - first + 1 for first, last in ranges)
    assert matched > len(ann) * 0.6  # most of her file: not a line or two
    other = [tuple(map(int, r.split("-"))) for r in re.findall(r"app\.py (\d+-\d+)", pair["other_lines"])]
    assert other[0][0] > 1  # ben's first line is his own comment, not hers
    page = (graded["out"] / similarity.HTML).read_text(encoding="utf-8")
    assert 'href="./ann.html"' in page and 'href="./ben.html"' in page
    assert "def error_page(e):" in page and "def as_json(e):" in page  # both sides' lines, as they wrote them


def test_the_untouched_starter_and_another_solution_are_not_copies(graded):
    students = {s for p in pairs(graded["out"]) for s in (p["student"], p["other"])}
    assert not students & {"cat", "dan", "eve"}


def test_a_run_on_some_students_keeps_the_report(graded):
    before = (graded["out"] / similarity.HTML).read_text(encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(graded["class"]), EXERCISE, "--out", str(graded["out"]),
         "--student", "cat"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Code similarity: not compared (only part of the class was graded)" in proc.stdout
    assert (graded["out"] / similarity.HTML).read_text(encoding="utf-8") == before


def test_read_code_skips_links_big_files_and_other_files(tmp_path):
    folder = tmp_path / "copy" / EXERCISE
    (folder / "templates").mkdir(parents=True)
    (folder / "app.py").write_text("print('mine')\n", encoding="utf-8")
    (folder / "templates" / "index.html").write_text("<p>mine</p>\n", encoding="utf-8")
    (folder / "big.py").write_text("x = 1\n" * similarity.FILE_LIMIT, encoding="utf-8")
    (folder / "notes.db").write_bytes(b"\0" * 100)
    (folder / "theirs.py").symlink_to(tmp_path / "elsewhere.py")
    (tmp_path / "elsewhere.py").write_text("secret = 1\n", encoding="utf-8")
    assert similarity.read_code(tmp_path / "copy") == {
        EXERCISE: {"app.py": "print('mine')\n", "templates/index.html": "<p>mine</p>\n"}
    }


def test_a_class_of_150_is_compared_in_bounded_time():
    """150 students in three groups of 50 that share their code (each file still their own): the
    3 x 1,225 pairs within a group are found, none across, in well under a minute."""
    import time

    sources = [ALTERNATIVES / EXERCISE / "abort_handlers", ALTERNATIVES / EXERCISE / "blueprint_methodview",
               COURSE_DIR / "solutions" / EXERCISE]
    texts = [(source / "app.py").read_text(encoding="utf-8") for source in sources]
    codes = {f"s{i:03d}": {EXERCISE: {"app.py": f"# student {i}\n{texts[i % 3]}"}} for i in range(150)}
    start = time.monotonic()
    found = similarity.compare(codes, {EXERCISE: {}})
    assert time.monotonic() - start < 90  # about 5 s on an idle 2-core machine
    assert len(found) == 3 * 50 * 49 // 2
    assert all(int(p.a.student[1:]) % 3 == int(p.b.student[1:]) % 3 for p in found)


def test_a_big_class_page_lists_the_most_alike_and_the_csv_all():
    """Hundreds of pairs: the page stays readable (the most alike, their lines); the CSV has every one."""
    code = {"app.py": "x = 1\n"}
    pairs = [similarity.Pair(EXERCISE, similarity.Side(f"a{i:03d}", 1 - i / 1000, [("app.py", 1, 1)], code),
                             similarity.Side(f"b{i:03d}", 0.9, [("app.py", 1, 1)], code), 60) for i in range(400)]
    page = similarity.render(pairs, 800, {})
    assert page.count("<tr><td>12-rest-api") == similarity.SHOWN_PAIRS
    assert page.count('<h2 id="pair-') == similarity.DETAILED_PAIRS
    assert f"{400 - similarity.SHOWN_PAIRS} more pairs, less alike, are in" in page
    assert len(similarity.similarity_csv(pairs).splitlines()) == 401
