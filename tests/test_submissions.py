"""What the judge takes from a submission: where its exercises are, and a private copy of them."""

from __future__ import annotations

import hashlib
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


def deep(top, levels, name="d"):
    """A chain of ``levels`` folders below ``top`` (made relative to dodge the path length limit)."""
    here = os.getcwd()
    top.mkdir(parents=True, exist_ok=True)
    os.chdir(top)
    try:
        for _ in range(levels):
            os.mkdir(name)
            os.chdir(name)
        with open("bottom.py", "w") as f:
            f.write("x = 1\n")
    finally:
        os.chdir(here)


def test_exercises_linked_to_a_classmates_are_not_graded(tmp_path):
    """`exercises -> ../alice/exercises`, committed by bob: his exercise folders are real folders of
    alice's, so only the resolved path shows they are not his."""
    make(tmp_path / "alice" / "exercises" / "01-hello" / "app.py", "alice's work\n")
    bob = tmp_path / "bob"
    bob.mkdir()
    (bob / "exercises").symlink_to("../alice/exercises", target_is_directory=True)
    notes = []
    root = find_exercise_root(bob, ["01-hello"])
    copy = private_copy(root, ["01-hello"], tmp_path / "judge", home=bob, notes=notes)
    assert not (copy / "01-hello").exists()
    assert notes == ["exercises/ leads out of your folder (a link): not graded"]


def test_a_student_folder_that_is_a_link_gives_nothing(tmp_path):
    make(tmp_path / "alice" / "01-hello" / "app.py")
    (tmp_path / "bob").symlink_to(tmp_path / "alice", target_is_directory=True)
    notes = []
    copy = private_copy(tmp_path / "bob", ["01-hello"], tmp_path / "judge", home=tmp_path / "bob", notes=notes)
    assert not (copy / "01-hello").exists() and notes == ["your folder is a link: not graded"]


def test_links_forming_a_graph_copy_each_file_once(tmp_path):
    """30 folders, each linking twice to the next: 2**30 paths, 30 folders and files copied once."""
    hello = tmp_path / "student" / "01-hello"
    make(hello / "app.py")
    for n in range(30):
        make(hello / f"n{n}" / "data.txt", "x" * 1000)
        if n:
            for link in ("a", "b"):
                (hello / f"n{n - 1}" / link).symlink_to(hello / f"n{n}", target_is_directory=True)
    copy = private_copy(tmp_path / "student", ["01-hello"], tmp_path / "judge") / "01-hello"
    copied = [p for p in copy.rglob("*") if p.is_file()]
    assert len(copied) <= 31 and (copy / "app.py").is_file()


def test_a_file_linked_twice_is_copied_once_and_both_names_work(tmp_path):
    hello = tmp_path / "student" / "01-hello"
    make(hello / "templates" / "base.html", "<html>")
    (hello / "templates" / "also.html").symlink_to("base.html")
    copy = private_copy(tmp_path / "student", ["01-hello"], tmp_path / "judge") / "01-hello" / "templates"
    assert (copy / "also.html").read_text() == (copy / "base.html").read_text() == "<html>"
    assert os.stat(copy / "also.html").st_ino == os.stat(copy / "base.html").st_ino


def test_copy_budgets_leave_the_rest_out_and_say_so(tmp_path, monkeypatch):
    from grading.judge import submissions

    monkeypatch.setattr(submissions, "MAX_FILES", 5)
    monkeypatch.setattr(submissions.Budget.__dataclass_fields__["files"], "default", 5)
    monkeypatch.setattr(submissions.Budget.__init__, "__defaults__", (5, *submissions.Budget.__init__.__defaults__[1:]))
    for n in range(20):
        make(tmp_path / "student" / "01-hello" / f"f{n:02}.py")
    notes = []
    copy = submissions.private_copy(tmp_path / "student", ["01-hello"], tmp_path / "judge", notes=notes)
    assert len(list((copy / "01-hello").iterdir())) == 5
    assert notes and "more than 5 files" in notes[0]


def test_a_very_deep_tree_is_copied_to_a_bounded_depth_and_removed(tmp_path):
    from grading.judge.submissions import MAX_COPY_DEPTH
    from grading.judge.walk import Walk, remove_tree

    deep(tmp_path / "student" / "01-hello", 1200)
    notes = []
    copy = private_copy(tmp_path / "student", ["01-hello"], tmp_path / "judge", notes=notes)
    depths = [depth for _, _, depth in Walk(copy / "01-hello", max_depth=10_000)]
    assert max(depths) == MAX_COPY_DEPTH - 1 and notes == [f"folders more than {MAX_COPY_DEPTH} deep were left out"]
    walk = Walk(tmp_path / "student", max_depth=50)
    assert sum(1 for _ in walk) == 51 and walk.cut
    remove_tree(tmp_path / "student")  # shutil.rmtree: RecursionError
    assert not (tmp_path / "student").exists()


def test_integrity_and_cache_walk_a_deep_tree_without_recursion(tmp_path):
    """A deep graders/ folder is flagged as changed; the cache key of a deep exercise differs each time."""
    from grading.judge.cache import _hash_tree
    from grading.judge.integrity import changed_files
    from grading.judge.walk import remove_tree

    deep(tmp_path / "clone" / "graders", 1200)
    assert "graders/..." in changed_files(tmp_path / "clone", expected={})
    one, two = hashlib.sha256(), hashlib.sha256()
    _hash_tree(one, tmp_path / "clone" / "graders")
    _hash_tree(two, tmp_path / "clone" / "graders")
    assert one.digest() != two.digest()
    remove_tree(tmp_path / "clone")  # pytest's own clean-up would recurse


def test_integrity_reads_at_most_its_budget_of_a_students_graders(tmp_path, monkeypatch):
    """A graders/ folder of many big files: compared without reading past the budget, all flagged."""
    from grading.judge import integrity

    reads = []
    monkeypatch.setattr(integrity, "MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    monkeypatch.setattr(integrity, "_read", lambda path: reads.append(path) or b"x")
    for n in range(10):
        with open(make(tmp_path / "clone" / "graders" / f"test_{n}.py"), "wb") as f:
            f.truncate(1024 * 1024)
    expected = {f"graders/test_{n}.py": "0" * 64 for n in range(10)}
    assert len(integrity.changed_files(tmp_path / "clone", expected=expected)) == 10
    assert len(reads) == 3
