"""Grader for 15-testing: the student's tests, run against correct apps and broken ones.

The apps are the grader's own (graders/data/15-testing/): app.py as given, equivalent.py (a
rewrite of it: same behaviour, different code) and variants.yaml, each variant app.py with one
promise broken. The course also has private/ (left out of the students' template): a rewrite of
its own and held-back variants of it, each breaking the same promise in code students never see.
Every check is a promise: it passes when at least one test fails on its broken app (the held-back
one where there is one), provided every test passes on every correct app: a suite that reaches
into app.py instead of testing through the client fails on a rewrite, locally as in batch. The
student's tests run only in sandboxes, one per app (see grading.judge.suites); the grader reads
its data lazily, in the judge only.
"""

import functools
import re
from pathlib import Path

import pytest
import yaml

from grading import expect
from grading.judge.suites import run_suites
from grading.sandbox.suite import run_here

DATA = Path(__file__).resolve().parent / "data" / "15-testing"
PRIVATE = DATA / "private"
CORRECT = {
    "given": "the given app (app.py as you got it)",
    "rewrite": "a rewrite of the given app (same behaviour, different code)",
    "rewrite-held-back": "a rewrite of the given app you have not seen (same behaviour, different code)",
}
THROUGH_THE_CLIENT = ("Test what the app answers, through its test client (create_app().test_client()), "
                      "not how app.py is written.")

pytestmark = pytest.mark.timeout(100)  # the first check waits for every run of the suite


def edited(source: str, edits: list, name: str) -> str:
    for old, new in edits:
        if old not in source:
            raise RuntimeError(f"variant {name}: {old!r} is not in its app")
        source = source.replace(old, new, 1)
    return source


@functools.cache
def apps() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Every app to run the suite on (name -> source), the app each check needs caught (check ->
    app name) and what each check's broken app breaks.

    Without private/ (the students' template) the broken apps are the public variants; with it,
    the held-back ones, made from the rewrite, whose source no student has seen.
    """
    given = (DATA / "app.py").read_text(encoding="utf-8")
    public = yaml.safe_load((DATA / "variants.yaml").read_text(encoding="utf-8"))
    sources, catches = {"given": given, "rewrite": (DATA / "equivalent.py").read_text(encoding="utf-8")}, {}
    breaks = {name: variant["breaks"] for name, variant in public.items()}
    if (PRIVATE / "rewrite.py").is_file():
        sources["rewrite-held-back"] = (PRIVATE / "rewrite.py").read_text(encoding="utf-8")
        held_back = yaml.safe_load((PRIVATE / "variants.yaml").read_text(encoding="utf-8"))
        for name, variant in held_back.items():
            catches[name] = f"{name}-held-back"
            sources[catches[name]] = edited(sources["rewrite-held-back"], variant["edits"], name)
    for name, variant in public.items():
        if name not in catches:
            catches[name] = name
            sources[name] = edited(given, variant["edits"], name)
    return sources, catches, breaks


def run_tests(folder, test_timeout, unicode_tables):
    """In the sandbox of one app: the student's tests against the app.py in ``folder``, with
    pytest; what they gave as plain data (:func:`grading.judge.suites.run_here`)."""
    return run_here(folder, test_timeout, unicode_tables)


@pytest.fixture(scope="module")
def runs(submission, open_session):
    """The student's suite run once against each app, each in a sandbox of its own (a few seconds)."""
    sources, _, _ = apps()
    gate = [name for name in CORRECT if name in sources]
    private = [name for name in sources if name.endswith("-held-back")]  # made from private/: never shown
    return run_suites(open_session, submission[0], sources, probe=run_tests, gate=gate, private=private,
                      folder_name="notes", time_limit=90, run_timeout=30, test_timeout=5)


def reached_into(problem: str) -> str | None:
    """The name of app.py a suite used that a rewrite has not (``from app import MAX_LENGTH``), or None."""
    found = re.search(r"cannot import name '(\w+)' from 'app'|module 'app' has no attribute '(\w+)'", problem)
    return found and (found.group(1) or found.group(2))


def expect_caught(runs, variant: str) -> None:
    for name, what in CORRECT.items():
        problem = runs[name].problem() if name in runs else None
        if problem:
            used = reached_into(problem) if name != "given" else None
            advice = "" if name == "given" else " " + THROUGH_THE_CLIENT
            if used:
                advice = (f" Your tests use {used} from app.py, which the rewrite does not have: import only "
                          f"create_app.{advice}")
            expect.precondition(
                f"Not counted: your tests must all pass on {what}, but {problem}.{advice} A suite that "
                "fails on a correct app, or runs nothing, catches nothing.",
                None if runs[name].status == "done" and not runs[name].failed and not runs[name].errors else "suite",
            )
    _, catches, breaks = apps()
    run = runs[catches[variant]]
    if run.status != "done":
        expect.fail(f"On an app where {breaks[variant]}, {run.problem()}: expected at least one test to fail.")
    counted = f"All {len(run.passed)} tests" if catches[variant] == variant else "Every test"  # held back: no count
    expect.that(
        run.caught,
        f"{counted} passed on an app where {breaks[variant]}: expected at least one test to fail on it, none noticed.",
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
def test_catches_bad_text_not_400(runs):
    """A test fails when POST /notes refuses a bad text with 422 instead of 400."""
    expect_caught(runs, "bad_text_not_400")


@pytest.mark.points(1)
def test_catches_bad_text_without_error_key(runs):
    """A test fails when POST /notes refuses a bad text with no "error" key in its JSON."""
    expect_caught(runs, "bad_text_without_error_key")


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
    """A test fails when DELETE /notes/<id> answers 200 instead of 204."""
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
def test_catches_unknown_delete_not_json(runs):
    """A test fails when DELETE /notes/<unknown id> answers an HTML 404 instead of JSON."""
    expect_caught(runs, "unknown_delete_not_json")


@pytest.mark.points(1)
def test_catches_store_shared_between_apps(runs):
    """A test fails when every app made by create_app() shares one store of notes."""
    expect_caught(runs, "store_shared_between_apps")
