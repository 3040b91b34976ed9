"""Attacks with no code (issue 22, a): a submission's files and links that make the judge grade
the wrong work, or no work at all. Each has an honest control: the same class or submission
without the trick gets the score the trusted engine gives.

These attack the judge's own walk of the submission, before any sandbox: they run at this
machine's best level, as the commands run by default.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import assert_finished, copy_exercise, remove_tree

HELLO = "01-hello"


@pytest.fixture(autouse=True)
def isolation(monkeypatch):
    """The judge's walk does not depend on the sandbox: the default level only."""
    monkeypatch.delenv("GRADING_ISOLATION", raising=False)
    return "best"


def clone(folder: Path, base: str, *exercise_ids: str) -> Path:
    """A student's clone: ``exercises/<id>`` copied from the course's ``base`` ("solutions" or "exercises")."""
    for exercise_id in exercise_ids:
        copy_exercise(exercise_id, base, folder / "exercises" / exercise_id)
    return folder


def commit_all(folder: Path) -> str:
    """``git init`` + commit everything; the commit's id."""
    git = ["git", "-c", "user.name=s", "-c", "user.email=s@example.com"]
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run([*git, "-C", str(folder), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(folder), "commit", "-qm", "work"], check=True)
    return subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def score(run, student: str, exercise_id: str = HELLO) -> float:
    return run.exercise(student, exercise_id)["score"]


# -- a link above the exercise folders ---------------------------------------------------------


def test_exercises_folder_linking_to_a_classmates_is_not_graded_as_the_students(attack):
    """Attack: mallory commits `exercises -> ../alice/exercises` (git recreates it on the
    instructor's clone): batch must not give mallory alice's 5/5."""
    class_dir = attack.tmp / "class"
    clone(class_dir / "alice", "solutions", HELLO)
    (class_dir / "mallory").mkdir(parents=True)
    (class_dir / "mallory" / "exercises").symlink_to("../alice/exercises")
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    fair = attack.honest(HELLO, "solutions")
    assert score(run, "alice") == fair.score
    assert score(run, "mallory") == 0, f"mallory got alice's work graded: {run.exercise('mallory', HELLO)}"


def test_control_a_students_own_exercises_folder_is_graded(attack):
    """Control: bob's own exercises/ (the starter) gets the starter's score beside alice's solution."""
    class_dir = attack.tmp / "class"
    clone(class_dir / "alice", "solutions", HELLO)
    clone(class_dir / "bob", "exercises", HELLO)
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    assert score(run, "alice") == attack.honest(HELLO, "solutions").score
    assert score(run, "bob") == attack.honest(HELLO, "exercises").score


# -- a student folder named like an exercise ----------------------------------------------------


HONEST_CLASS = {"ada": "solutions", "bob": "exercises", "cy": "solutions", "dee": "exercises"}


def _class_of_five(attack, fifth: str) -> Path:
    class_dir = attack.tmp / "class"
    for name, base in {**HONEST_CLASS, fifth: "solutions"}.items():
        clone(class_dir / name, base, HELLO)
    return class_dir


def _assert_every_honest_student_graded(attack, run) -> None:
    for name, base in HONEST_CLASS.items():
        assert name in run.rows, f"batch saw no student {name}: rows {sorted(run.rows)}\n{run.outcome.explain()}"
        assert score(run, name) == attack.honest(HELLO, base).score, name


def test_student_folder_named_like_an_exercise_does_not_hide_the_class(attack):
    """Attack: a student whose folder is named like an exercise (GitHub user `42-answers`) makes
    batch take the whole class for one checkout: four classmates go ungraded."""
    class_dir = _class_of_five(attack, "42-answers")
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    _assert_every_honest_student_graded(attack, run)


def test_control_a_class_of_five_is_five_students(attack):
    """Control: the same class, the fifth folder named `answers-42`: five students graded."""
    class_dir = _class_of_five(attack, "answers-42")
    run = attack.batch(class_dir, HELLO)
    assert_finished(run.outcome, codes=(0,))
    _assert_every_honest_student_graded(attack, run)
    assert score(run, "answers-42") == attack.honest(HELLO, "solutions").score


# -- .git as a file, with --before ---------------------------------------------------------------


def _alice_and_mallory(attack, mallory_git: str) -> tuple[Path, str]:
    class_dir = attack.tmp / "class"
    alice = clone(class_dir / "alice", "solutions", HELLO)
    alices_commit = commit_all(alice)
    mallory = clone(class_dir / "mallory", "exercises", HELLO)
    if mallory_git == "own":
        commit_all(mallory)
    else:
        (mallory / ".git").write_text(f"gitdir: {mallory_git}\n", encoding="utf-8")
    return class_dir, alices_commit


def test_git_file_pointing_at_a_classmates_repository_is_not_graded_before_the_deadline(attack):
    """Attack: mallory's `.git` is a file `gitdir: ../alice/.git`: `--before` must not grade
    alice's commit as mallory's (5/5 for mallory's starter)."""
    class_dir, alices_commit = _alice_and_mallory(attack, "../alice/.git")
    run = attack.batch(class_dir, HELLO, extra=["--before", "2099-12-31"])
    assert_finished(run.outcome, codes=(0,))
    assert score(run, "alice") == attack.honest(HELLO, "solutions").score
    assert alices_commit not in " ".join(run.rows["mallory"]), f"mallory's row names alice's commit: {run.rows}"
    assert score(run, "mallory") <= attack.honest(HELLO, "exercises").score, run.exercise("mallory", HELLO)


def test_control_a_students_own_repository_is_graded_at_its_commit(attack):
    """Control: mallory's own repository (the starter, committed) gets the starter's score and her commit."""
    class_dir, alices_commit = _alice_and_mallory(attack, "own")
    run = attack.batch(class_dir, HELLO, extra=["--before", "2099-12-31"])
    assert_finished(run.outcome, codes=(0,))
    assert score(run, "mallory") == attack.honest(HELLO, "exercises").score
    mallorys = subprocess.run(["git", "-C", str(class_dir / "mallory"), "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    assert mallorys in run.rows["mallory"] and alices_commit not in run.rows["mallory"]


# -- Gradescope: a link graph that multiplies copies, a tree too deep to walk ----------------------


@pytest.fixture
def small_tmp(attack):
    """A 32 MiB tmpfs as the grader's TMPDIR: a full temporary disk, without filling the machine's."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for TMPDIR needs root")
    folder = attack.tmp / "small-tmp"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


LEVELS_OF_LINKS = 12  # 2**13 paths to one 64 KiB file: 512 MiB if each is copied; 48 KiB submitted


def _link_graph(folder: Path, linked: bool) -> None:
    """n0 .. n12 in ``folder``; each n<i> holds two links to n<i+1> (a graph, not a cycle), the last a file."""
    for i in range(LEVELS_OF_LINKS + 1):
        (folder / f"n{i}").mkdir()
    (folder / f"n{LEVELS_OF_LINKS}" / "blob").write_bytes(os.urandom(64 * 1024))
    if linked:
        for i in range(LEVELS_OF_LINKS):
            (folder / f"n{i}" / "a").symlink_to(f"../n{i + 1}")
            (folder / f"n{i}" / "b").symlink_to(f"../n{i + 1}")


def _hello_results(attack, results, fair) -> float:
    hello = [t for t in results["tests"] if t["tags"] == [HELLO]]
    assert [t["max_score"] for t in hello] == [points for _, points in fair.plan]
    return sum(t["score"] for t in hello)


@pytest.mark.parametrize("linked", [True, False], ids=["attack", "control"])
def test_link_graph_does_not_fill_the_graders_disk(attack, bundle, small_tmp, linked):
    """Attack: 26 links forming a graph make the private copy 2**13 copies of one file: the
    grader's temporary disk fills and Gradescope writes no results.json. Control: the same folders
    without the links get the solution's score."""
    autograder = attack.autograder(bundle)
    attack.submission(HELLO, "solutions", root=autograder / "submission")
    _link_graph(autograder / "submission" / HELLO, linked)
    outcome, results = attack.run_autograder(autograder, env={"TMPDIR": str(small_tmp)})
    assert_finished(outcome, codes=(0,))
    assert results is not None, f"no results.json: {outcome.explain()}"
    fair = attack.honest(HELLO, "solutions")
    got = _hello_results(attack, results, fair)
    assert got <= fair.score
    if not linked:
        assert got == fair.score


DEPTH = 3000  # folders, one inside the other: deeper than Python's recursion limit


def _deep_tree(folder: Path, depth: int) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


@pytest.mark.parametrize("depth", [DEPTH, 20], ids=["attack", "control"])
def test_deep_folder_tree_does_not_stop_gradescope(attack, bundle, depth):
    """Attack: 3000 nested folders in an exercise folder crash a recursive walk (the private copy,
    removing it): no results.json. Control: 20 nested folders, the solution's score."""
    autograder = attack.autograder(bundle)
    attack.submission(HELLO, "solutions", root=autograder / "submission")
    _deep_tree(autograder / "submission" / HELLO, depth)
    scratch = attack.tmp / "scratch"
    scratch.mkdir()
    try:
        outcome, results = attack.run_autograder(autograder, env={"TMPDIR": str(scratch)})
        assert_finished(outcome, codes=(0,))
        assert results is not None, f"no results.json: {outcome.explain()}"
        fair = attack.honest(HELLO, "solutions")
        got = _hello_results(attack, results, fair)
        assert got <= fair.score
        if depth < 100:
            assert got == fair.score
    finally:
        remove_tree(autograder / "submission")
        remove_tree(scratch)
