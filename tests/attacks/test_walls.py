"""Attacks on the sandbox's walls (issue 22, c and d), at every level of ``conftest.LEVELS``.

Each runs through batch grading (the grades an instructor records) at ``user`` (root), at
``namespaces`` (as a user who is not root, made for the test), at ``uid`` (root forced to the level
for machines without namespaces) and at ``process``, where batch must refuse to grade (see
``Attack.batch``). Each class also holds an honest student, who must get the trusted engine's grade
at that level: a harness that cannot grade cannot pass for a block.

Two are the judge's side only, so they run at one level, ``user`` (CI time: the whole file took
about 15 minutes at every level, at a load average of 20 on 2 cores): what a 15-testing suite run may tell
the reports (the judge summarises it), and the password hash of 11-auth (the judge checks it
itself). Whatever the wall, the student's process says what it wants; only the judge decides.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from .conftest import ATTACK_SUCCEEDED, COURSE_DIR, assert_finished, copy_exercise

HELLO, TESTING, AUTH = "01-hello", "15-testing", "11-auth"
DATA = COURSE_DIR / "graders" / "data" / "15-testing"
# the public apps a suite is run on (the given app, the public rewrite): a suite may pass on these by name
PUBLIC_SHAS = [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(DATA.glob("*.py"))]


@pytest.fixture(autouse=True)
def isolation(level):
    """The level comes from ``conftest.level`` here, not from the suite's best/process pair."""
    return level.name


def hostile(at, class_dir: Path, student: str, exercise_id: str, base: str, attack: str, *,
            file: str = "app.py", replace: bool = False, edits=(), **settings) -> Path:
    """``class_dir/student/exercises/exercise_id``: ``base`` with ``attack`` in ``file``."""
    return at.submission(exercise_id, base, attack, root=class_dir / student / "exercises", file=file,
                         replace=replace, edits=edits, kits=("_unhooked",), **settings)


def honest_student(class_dir: Path, student: str, exercise_id: str, base: str = "solutions", edits=()) -> None:
    copy_exercise(exercise_id, base, class_dir / student / "exercises" / exercise_id, edits)


def assert_graded_honestly(at, run, student: str, exercise_id: str, base: str = "solutions", edits=()) -> None:
    fair = at.honest(exercise_id, base, edits)
    got = run.exercise(student, exercise_id)
    assert got["score"] == fair.score, f"the honest {student} got {got['score']}, not {fair.score}: {got}"


# -- c: world-writable places shared between sandboxes -------------------------------------------


def _suite(at, class_dir: Path, student: str, remember: bool) -> None:
    hostile(at, class_dir, student, TESTING, "solutions", "suite_memory", file="tests/test_app.py", replace=True,
            given=PUBLIC_SHAS, remember=remember)


def test_suite_cannot_remember_the_rewrite_between_sandboxes(at):
    """Attack: a 15-testing suite that tests nothing keeps every app it is run on in /run/lock (or
    /dev/shm, /var/tmp): on the next run it knows the held-back rewrite (the centre of the broken
    apps) and passes on it alone. It must score what it scores without its memory: 0."""
    class_dir = at.tmp / "class"
    _suite(at, class_dir, "mallory", remember=True)
    honest_student(class_dir, "ada", TESTING)
    first = at.batch(class_dir, TESTING, out=at.tmp / "first", timeout=240)
    if first.refused:
        return  # the `process` level: refusing is the defence
    assert_finished(first.outcome, codes=(0,))
    assert_graded_honestly(at, first, "ada", TESTING)
    second = at.batch(class_dir, TESTING, out=at.tmp / "second", timeout=240)
    assert_finished(second.outcome, codes=(0,))
    for run in (first, second):
        assert run.exercise("mallory", TESTING)["score"] == 0, run.exercise("mallory", TESTING)


def test_control_the_same_suite_without_memory_scores_nothing(at):
    """Control: the same suite, remembering nothing, passes on every app: it catches nothing, 0,
    beside ada's full marks."""
    class_dir = at.tmp / "class"
    _suite(at, class_dir, "mallory", remember=False)
    honest_student(class_dir, "ada", TESTING)
    run = at.batch(class_dir, TESTING, timeout=240)
    if run.refused:
        return
    assert_finished(run.outcome, codes=(0,))
    assert_graded_honestly(at, run, "ada", TESTING)
    mallory = run.exercise("mallory", TESTING)
    assert mallory["score"] == 0 and mallory["max_score"] > 0, mallory


# -- c: a test id that carries the app under test -------------------------------------------------


def private_lines() -> set[str]:
    """Lines of the held-back rewrite that no public app has: none may reach any output."""
    public = {line.strip() for p in DATA.glob("*.py") for line in p.read_text(encoding="utf-8").splitlines()}
    private = (DATA / "private" / "rewrite.py").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in private if len(line.strip()) >= 16 and line.strip() not in public}


@pytest.mark.parametrize("level", ["user"], indirect=True)  # the judge's side only
@pytest.mark.parametrize("leak", [True, False], ids=["attack", "control"])
def test_test_ids_do_not_carry_the_private_rewrite_into_the_reports(at, bundle, leak):
    """Attack: the suite's test id is the source of the app it runs on; it fails on the held-back
    rewrite and the grade quotes the id: graders/data/15-testing/private/ leaks into the student's
    report.json and Gradescope's results.json. Control: the id is `plain`, and the message shows it."""
    class_dir = at.tmp / "class"
    hostile(at, class_dir, "mallory", TESTING, "solutions", "suite_leak", file="tests/test_app.py", replace=True,
            given=PUBLIC_SHAS, leak=leak)
    run = at.batch(class_dir, TESTING, timeout=240)
    if run.refused:
        return
    assert_finished(run.outcome, codes=(0,))
    report = json.dumps(run.report("mallory"), ensure_ascii=False)
    autograder = at.autograder(bundle)
    shutil.copytree(class_dir / "mallory", autograder / "submission", dirs_exist_ok=True)
    outcome, results = at.run_autograder(autograder, timeout=240)
    assert_finished(outcome, codes=(0,))
    assert results is not None, outcome.explain()
    outputs = {"mallory.json": report, "results.json": json.dumps(results, ensure_ascii=False)}
    for where, text in outputs.items():
        leaked = [line for line in private_lines() if line in text]
        assert not leaked, f"{where} quotes the private rewrite: {leaked[:3]}"
        if not leak:
            assert "[plain]" in text, f"{where} does not show the failing test (the path the leak takes)"
    assert run.exercise("mallory", TESTING)["score"] == 0


# -- c: a grader's probe runs in the student's process ---------------------------------------------

PLAIN_TEXT = (("generate_password_hash(password)", '"plain$" + password'),
              ('check_password_hash(user.password_hash, request.form.get("password", ""))',
               'user.password_hash == "plain$" + request.form.get("password", "")'))


@pytest.mark.parametrize("level", ["user"], indirect=True)  # the judge's side only
def test_patching_the_probe_does_not_pass_the_password_hash_check(at):
    """Attack: 11-auth stores passwords as plain text, and its add_user rebinds the probe's
    check_password_hash (the caller's globals) before the probe checks the stored hash: 2 points
    for plain-text passwords. Control (bob): the same app without the patch, graded beside it."""
    class_dir = at.tmp / "class"
    hostile(at, class_dir, "mallory", AUTH, "solutions", "probe_patch", edits=PLAIN_TEXT, patch=True)
    hostile(at, class_dir, "bob", AUTH, "solutions", "probe_patch", edits=PLAIN_TEXT, patch=False)
    run = at.batch(class_dir, AUTH, timeout=240)
    if run.refused:
        return
    assert_finished(run.outcome, codes=(0,))
    fair = at.honest(AUTH, "solutions", PLAIN_TEXT)
    assert fair.score < fair.max_score  # plain text passwords lose points, honestly
    assert run.exercise("bob", AUTH)["score"] == fair.score, run.exercise("bob", AUTH)
    mallory = run.exercise("mallory", AUTH)
    assert mallory["score"] <= fair.score, f"the patched probe passed: {mallory}"


# -- d: the instructor's private files outside the hidden list -------------------------------------


@pytest.fixture
def instructors_private(at):
    """A 0700 folder of the instructor's (the user running the grading) under /opt, holding a secret."""
    if os.geteuid() != 0:
        pytest.skip("making a folder under /opt for the instructor needs root")
    folder = Path("/opt") / f"attack-private-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    secret = folder / "exam-answers.txt"
    secret.write_text(f"secret-{uuid.uuid4().hex}\n", encoding="utf-8")
    owner = at.level.account or "root"
    subprocess.run(["chown", "-R", f"{owner}:{owner}", str(folder)], check=True)
    folder.chmod(0o700)
    yield secret
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("target", ["private", "own"], ids=["attack", "control"])
def test_student_code_cannot_read_or_write_the_instructors_private_folder(at, instructors_private, target):
    """Attack: a second interpreter (no audit hook) reads a file of a 0700 folder of the instructor's
    under /opt, not on the sandbox's hidden list, and writes a file into it. Control: the same code
    reading a file of its own copy, which the report then shows."""
    class_dir = at.tmp / "class"
    hostile(at, class_dir, "mallory", HELLO, "solutions", "instructor_private",
            target=str(instructors_private) if target == "private" else "own")
    honest_student(class_dir, "ada", HELLO)
    run = at.batch(class_dir, HELLO)
    if run.refused:
        return
    assert_finished(run.outcome, codes=(0,))
    assert_graded_honestly(at, run, "ada", HELLO)
    report = json.dumps(run.report("mallory"))
    planted = list(instructors_private.parent.glob("planted-*"))
    if target == "own":
        assert f"{ATTACK_SUCCEEDED} read own-" in report, "the control could not read its own file"
        return
    assert instructors_private.read_text(encoding="utf-8").strip() not in report, "the secret is in the report"
    assert ATTACK_SUCCEEDED not in report, report
    assert not planted, f"the student wrote into the instructor's folder: {planted}"
