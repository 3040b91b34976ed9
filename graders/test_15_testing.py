"""Grader for 15-testing: the student's tests, run against correct apps and broken ones.

The apps are the grader's own (graders/data/15-testing/): app.py as given and variants.yaml, each
variant app.py with one promise broken. The course also has private/ (left out of the students'
template): a rewrite of the app (same behaviour, different code) and held-back variants of it.
Every check is a promise: it passes when at least one test fails on each of its variants,
provided every test passes on every correct app.
"""

from pathlib import Path

import pytest
import yaml

from grading import expect
from grading.suites import run_suites

DATA = Path(__file__).resolve().parent / "data" / "15-testing"
PRIVATE = DATA / "private"
GIVEN = (DATA / "app.py").read_text(encoding="utf-8")
VARIANTS = yaml.safe_load((DATA / "variants.yaml").read_text(encoding="utf-8"))
CORRECT = {
    "given": "the given app (app.py as you got it)",
    "rewrite": "a rewrite of the given app (same behaviour, different code: test what the app "
    "answers, not how app.py is written)",
}

pytestmark = pytest.mark.timeout(100)  # the first check waits for every run of the suite


def edited(source: str, edits: list, name: str) -> str:
    for old, new in edits:
        if old not in source:
            raise RuntimeError(f"variant {name}: {old!r} is not in its app")
        source = source.replace(old, new, 1)
    return source


def apps() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every app to run the suite on (name -> source), and the broken ones each check needs caught.

    Without private/ (the students' template) that is the given app and the public variants.
    """
    sources = {"given": GIVEN}
    sources.update((name, edited(GIVEN, VARIANTS[name]["edits"], name)) for name in VARIANTS)
    catches = {name: [name] for name in VARIANTS}
    if (PRIVATE / "rewrite.py").is_file():
        sources["rewrite"] = (PRIVATE / "rewrite.py").read_text(encoding="utf-8")
        held_back = yaml.safe_load((PRIVATE / "variants.yaml").read_text(encoding="utf-8"))
        for name, variant in held_back.items():
            sources[f"{name}-rewritten"] = edited(sources["rewrite"], variant["edits"], name)
            catches[name].append(f"{name}-rewritten")
    return sources, catches


SOURCES, CATCHES = apps()


@pytest.fixture(scope="module")
def runs(student):
    """The student's suite run once against each app (the runs take a few seconds)."""
    gate = [name for name in CORRECT if name in SOURCES]
    return run_suites(student.path, SOURCES, gate=gate, time_limit=90, run_timeout=30, test_timeout=5)


def expect_caught(runs, variant: str) -> None:
    for name, what in CORRECT.items():
        problem = name in SOURCES and runs[name].problem()
        if problem:
            expect.fail(
                f"Not counted: your tests must all pass on {what}, but {problem}. A suite that "
                "fails on a correct app, or runs nothing, catches nothing."
            )
    breaks = VARIANTS[variant]["breaks"]
    for run in (runs[name] for name in CATCHES[variant]):
        if run.status != "done":
            expect.fail(f"On an app where {breaks}, {run.problem()}: expected at least one test to fail.")
        expect.that(
            run.caught,
            f"All {len(run.passed)} tests passed on an app where {breaks}: expected at least one test "
            "to fail on it, none noticed.",
        )


@pytest.mark.points(1)
def test_catches_create_answering_200(runs):
    """A test fails when POST /notes answers 200 instead of 201."""
    expect_caught(runs, "create_answering_200")


@pytest.mark.points(1)
def test_catches_text_not_stripped(runs):
    """A test fails when POST /notes keeps the spaces around the text."""
    expect_caught(runs, "text_not_stripped")


@pytest.mark.points(1)
def test_catches_ids_starting_at_0(runs):
    """A test fails when the first note gets id 0 instead of 1."""
    expect_caught(runs, "ids_starting_at_0")


@pytest.mark.points(1)
def test_catches_non_string_text_accepted(runs):
    """A test fails when POST /notes accepts a text that is not a string."""
    expect_caught(runs, "non_string_text_accepted")


@pytest.mark.points(1)
def test_catches_blank_text_accepted(runs):
    """A test fails when POST /notes accepts a text of spaces only."""
    expect_caught(runs, "blank_text_accepted")


@pytest.mark.points(1)
def test_catches_long_text_accepted(runs):
    """A test fails when POST /notes accepts a text longer than 200 characters."""
    expect_caught(runs, "long_text_accepted")


@pytest.mark.points(1)
def test_catches_text_of_200_refused(runs):
    """A test fails when POST /notes refuses a text of exactly 200 characters."""
    expect_caught(runs, "text_of_200_refused")


@pytest.mark.points(1)
def test_catches_wrong_note_shown(runs):
    """A test fails when GET /notes/<id> answers another note than the one asked for."""
    expect_caught(runs, "wrong_note_shown")


@pytest.mark.points(1)
def test_catches_unknown_note_not_json(runs):
    """A test fails when GET /notes/<unknown id> answers an HTML 404 instead of JSON."""
    expect_caught(runs, "unknown_note_not_json")


@pytest.mark.points(1)
def test_catches_newest_first(runs):
    """A test fails when GET /notes lists the newest note first."""
    expect_caught(runs, "newest_first")


@pytest.mark.points(1)
def test_catches_search_ignored(runs):
    """A test fails when GET /notes?q=word ignores q."""
    expect_caught(runs, "search_ignored")


@pytest.mark.points(1)
def test_catches_search_case_sensitive(runs):
    """A test fails when GET /notes?q=word matches case-sensitively."""
    expect_caught(runs, "search_case_sensitive")


@pytest.mark.points(1)
def test_catches_search_whole_text(runs):
    """A test fails when GET /notes?q=word keeps only notes whose whole text is word."""
    expect_caught(runs, "search_whole_text")


@pytest.mark.points(1)
def test_catches_delete_answering_200(runs):
    """A test fails when DELETE /notes/<id> answers 200 with a body instead of 204."""
    expect_caught(runs, "delete_answering_200")


@pytest.mark.points(1)
def test_catches_deleted_note_kept(runs):
    """A test fails when DELETE /notes/<id> answers 204 but the note stays."""
    expect_caught(runs, "deleted_note_kept")


@pytest.mark.points(1)
def test_catches_unknown_note_deleted(runs):
    """A test fails when DELETE /notes/<unknown id> answers 204 instead of 404."""
    expect_caught(runs, "unknown_note_deleted")


@pytest.mark.points(1)
def test_catches_store_shared_between_apps(runs):
    """A test fails when every app made by create_app() shares one store of notes."""
    expect_caught(runs, "store_shared_between_apps")
