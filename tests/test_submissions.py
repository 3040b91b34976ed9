"""What the judge takes from a submission: where its exercises are, and a private copy of them."""

from __future__ import annotations

import os

from grading.judge.submissions import find_exercise_root, private_copy, write_atomic


def make(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_exercises_are_found_at_the_top_in_exercises_or_folders_down(tmp_path):
    ids = ["01-hello", "02-routing"]
    for layout in ("top", "clone/exercises", "zip/flask-exercises-main/exercises", "deep/a/b"):
        for ex in ids:
            make(tmp_path / layout / ex / "app.py")
    assert find_exercise_root(tmp_path / "top", ids) == tmp_path / "top"
    assert find_exercise_root(tmp_path / "clone", ids) == tmp_path / "clone" / "exercises"
    assert find_exercise_root(tmp_path / "zip", ids) == tmp_path / "zip" / "flask-exercises-main" / "exercises"
    assert find_exercise_root(tmp_path / "deep", ids) == tmp_path / "deep" / "a" / "b"
    (tmp_path / "empty").mkdir()
    assert find_exercise_root(tmp_path / "empty", ids) == tmp_path / "empty"


def test_private_copy_keeps_the_students_files_and_nothing_from_elsewhere(tmp_path):
    home = tmp_path / "student"
    make(home / "exercises" / "01-hello" / "app.py", "app = 1\n")
    make(home / "shared" / "helpers.py", "x = 1\n")
    (home / "exercises" / "01-hello" / "helpers.py").symlink_to(home / "shared" / "helpers.py")
    secret = make(tmp_path / "classmate" / "02-routing" / "app.py", "not yours\n")
    (home / "exercises" / "01-hello" / "theirs.py").symlink_to(secret)
    (home / "exercises" / "02-routing").symlink_to(secret.parent, target_is_directory=True)
    os.mkfifo(home / "exercises" / "01-hello" / "pipe")
    (home / "exercises" / "01-hello" / "loop").symlink_to(home / "exercises" / "01-hello", target_is_directory=True)

    copy = private_copy(home / "exercises", ["01-hello", "02-routing"], tmp_path / "judge")
    hello = copy / "01-hello"
    assert sorted(p.name for p in hello.iterdir()) == ["app.py", "helpers.py"]
    assert (hello / "helpers.py").read_text() == "x = 1\n" and not (hello / "helpers.py").is_symlink()
    assert not (copy / "02-routing").exists()  # a linked exercise folder is missing, not a classmate's


def test_write_atomic_replaces_the_whole_file(tmp_path):
    target = tmp_path / "out" / "results.json"
    write_atomic(target, "first\n")
    write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert [p.name for p in target.parent.iterdir()] == ["results.json"]
