"""A class graded in shards (``batch --shard K/N``) and merged (``merge``) is the class graded at once.

A class of three (ada: a git repository of solutions; bob: the starters; cat: 01-hello solved,
02-routing missing) and a roster that also names dan, who has no folder. With two shards, ada
and bob fall in the first, cat and dan in the second (a hash of each name).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from grading.commands.shards import shard_of
from grading.judge.course import COURSE_DIR

IDS = ["01-hello", "02-routing"]
DEADLINE = "2026-02-01T00:00:00"
ROSTER = """identifier,github_username,github_id,name
ada@example.edu,ada,1,Ada Lovelace
bob@example.edu,bob,2,Bob Builder
cat@example.edu,cat,3,Cat Stevens
dan@example.edu,dan,4,Dan Absent
"""
SAME = ["grades.csv", "checks.csv", "canvas.csv", "moodle.csv", "report.html", "similarity.csv", "similarity.html"]


def run(module, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=COURSE_DIR, capture_output=True, text=True, timeout=timeout, check=False
    )


def batch(class_dir, out, *args):
    return run("grading.commands.batch", str(class_dir), *IDS, "--out", str(out), "--jobs", "2", *args)


def make_class(class_dir):
    for ex in IDS:
        shutil.copytree(COURSE_DIR / "solutions" / ex, class_dir / "ada" / ex)
        shutil.copytree(COURSE_DIR / "exercises" / ex, class_dir / "bob" / ex)
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", class_dir / "cat" / "01-hello")
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.edu", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.edu", "GIT_COMMITTER_DATE": "2026-01-10T12:00:00+00:00"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "solved"]):
        subprocess.run(["git", *args], cwd=class_dir / "ada", env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded at once, and in two shards merged."""
    tmp = tmp_path_factory.mktemp("shards")
    make_class(tmp / "class")
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    common = ["--roster", str(roster), "--before", DEADLINE]
    procs = {
        "one": batch(tmp / "class", tmp / "one", *common),
        "shard1": batch(tmp / "class", tmp / "shard1", *common, "--shard", "1/2"),
        "shard2": batch(tmp / "class", tmp / "shard2", *common, "--shard", "2/2"),
    }
    for proc in procs.values():
        assert proc.returncode == 0, proc.stderr
    procs["merge"] = run("grading.commands.merge", str(tmp / "merged"), str(tmp / "shard1"), str(tmp / "shard2"))
    assert procs["merge"].returncode == 0, procs["merge"].stderr
    return tmp, procs


def students(folder):
    return sorted(line.split(",")[0] for line in (folder / "grades.csv").read_text(encoding="utf-8").splitlines()[2:])


def test_each_shard_grades_its_share_of_the_class(graded):
    tmp, procs = graded
    assert students(tmp / "shard1") == ["ada", "bob"]
    assert students(tmp / "shard2") == ["cat", "dan"]  # dan has no folder: his row is in his shard only
    assert "Grading 1 student x 2 exercises" in procs["shard2"].stdout and "(shard 2/2 of a class of 3)" in procs["shard2"].stdout


def test_shards_merged_are_byte_for_byte_the_gradebook_of_one_run(graded):
    tmp, procs = graded
    assert students(tmp / "merged") == ["ada", "bob", "cat", "dan"]
    for name in SAME:
        assert (tmp / "merged" / name).read_bytes() == (tmp / "one" / name).read_bytes(), name
    assert "Merged 2 shards: 3 students graded" in procs["merge"].stdout


def test_the_merge_compares_the_code_of_the_whole_class(graded):
    """No shard can compare ada (shard 1) with cat (shard 2): the merge does, from the code each kept."""
    tmp, procs = graded
    assert not (tmp / "shard1" / "similarity.csv").exists() and (tmp / "shard1" / "code.json").is_file()
    assert "compared when the shards are merged" in procs["shard1"].stdout
    pairs = (tmp / "merged" / "similarity.csv").read_text(encoding="utf-8")
    assert "ada" in pairs and "cat" in pairs and "01-hello" in pairs, pairs
    assert "Code similarity: 1 pair of students alike" in procs["merge"].stdout, procs["merge"].stdout


def test_a_shards_kept_code_is_data_only_strings_within_the_limits(tmp_path):
    """code.json comes from a machine that ran student code: anything but strings is dropped."""
    from grading.outputs import similarity

    (tmp_path / "code.json").write_text(json.dumps({
        "ada": {"01-hello": {"app.py": "print(1)", "big.py": "x" * (similarity.FILE_LIMIT + 1), "n.py": 5}, "02": []},
        "bob": "not code", "7": {"01-hello": {"app.py": ["list"]}},
    }), encoding="utf-8")
    assert similarity.load_code(tmp_path) == {"ada": {"01-hello": {"app.py": "print(1)"}}, "7": {"01-hello": {}}}
    (tmp_path / "code.json").write_text("[1, 2]", encoding="utf-8")
    assert similarity.load_code(tmp_path) is None


def test_merging_a_student_graded_twice_is_refused(graded, tmp_path):
    tmp, _ = graded
    proc = run("grading.commands.merge", str(tmp_path / "out"), str(tmp / "shard1"), str(tmp / "one"), timeout=60)
    assert proc.returncode == 2
    assert "ada was graded in both" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_students_shard_is_the_same_on_every_machine_and_shares_are_even():
    """Shards are computed on different runners: the same name gives the same shard in any process."""
    names = [f"flask-exercises-student{i}" for i in range(400)]
    here = [shard_of(name, 4) for name in names]
    code = "import sys; from grading.commands.shards import shard_of; print([shard_of(n, 4) for n in sys.argv[1:]])"
    there = subprocess.run([sys.executable, "-c", code, *names], cwd=COURSE_DIR, capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}, check=True, timeout=60).stdout
    assert there.strip() == str(here)
    assert all(70 <= here.count(k) <= 130 for k in (1, 2, 3, 4)), [here.count(k) for k in (1, 2, 3, 4)]


def test_bad_shard_is_a_usage_error(tmp_path):
    proc = run("grading.commands.batch", str(tmp_path), "--shard", "3/2", timeout=60)
    assert proc.returncode == 2
    assert "give K/N with 1 <= K <= N" in proc.stderr
