"""Batch grading of a class, for real: `python -m grading.commands.batch` in a subprocess.

A class of four, with a roster that also names a student who has no folder:

- ada: a git clone holding the reference solutions, committed before the deadline.
- bob: a git clone whose starters were committed before the deadline and the solutions after.
- eve: hostile code (sys.exit at import in 01-hello, an endless loop in a view of 02-routing),
  the exercise folders at the top of her folder, graders rewritten to give free points.
- carol: GitHub's *Download ZIP* layout (``flask-exercises-main/exercises/``), 01-hello solved,
  02-routing a link to ada's folder (not her work: it counts as missing).

The class is graded with ``--before`` and ``--roster``, then bob alone again without a deadline.
The gradebook must give every student exactly what the engine gives their folders on their own.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import EXERCISES

from grading.judge.course import COURSE_DIR
from grading.judge.worker import grade as run_grading

IDS = ["01-hello", "02-routing"]
DEADLINE = "2026-02-01T00:00:00"
ROSTER = """identifier,github_username,github_id,name
ada@example.edu,ada,1,Ada Lovelace
bob@example.edu,bob,2,Bob Builder
dan@example.edu,dan,4,Dan Absent
"""


def git(folder, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.edu",
           "GIT_COMMITTER_NAME": "s", "GIT_COMMITTER_EMAIL": "s@example.edu"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True).stdout


def commit(folder, message, date):
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message, date=date)
    return git(folder, "rev-parse", "HEAD").strip()


def copy_exercises(source, home):
    for ex in IDS:
        shutil.copytree(COURSE_DIR / source / ex, home / ex, dirs_exist_ok=True)


def make_eve(eve):
    copy_exercises("solutions", eve)
    shutil.copytree(COURSE_DIR / "graders", eve / "graders", ignore=shutil.ignore_patterns("__pycache__"))
    hello = eve / "01-hello" / "app.py"
    hello.write_text("import sys\nsys.exit(3)\n" + hello.read_text(encoding="utf-8"), encoding="utf-8")
    routing = eve / "02-routing" / "app.py"
    text = routing.read_text(encoding="utf-8")
    body = text.index("\n", text.index("def ", text.index("@app.route"))) + 1
    routing.write_text(text[:body] + "    while True:\n        pass\n" + text[body:], encoding="utf-8")
    for grader in (eve / "graders").glob("test_*.py"):  # free points for everything: must change nothing
        grader.write_text("def test_free_points():\n    pass\n", encoding="utf-8")


def batch(class_dir, out, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(class_dir), *IDS, "--out", str(out), "--jobs", "2", *args],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=timeout,
    )


def rows(out):
    with (out / "grades.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def by_student(out):
    return {r["student"]: r for r in rows(out)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded with --before and --roster, then bob again alone: both gradebooks."""
    class_dir = tmp_path_factory.mktemp("class")
    ada, bob = class_dir / "ada", class_dir / "bob"
    copy_exercises("solutions", ada / "exercises")
    git(ada, "init", "-q")
    ada_commit = commit(ada, "solved", "2026-01-10T12:00:00+00:00")
    copy_exercises("exercises", bob / "exercises")
    git(bob, "init", "-q")
    bob_early = commit(bob, "start", "2026-01-05T12:00:00+00:00")
    copy_exercises("solutions", bob / "exercises")
    bob_late = commit(bob, "solved late", "2026-03-01T12:00:00+00:00")
    make_eve(class_dir / "eve")
    carol = class_dir / "carol" / "flask-exercises-main" / "exercises"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", carol / "01-hello")
    (carol / "02-routing").symlink_to(ada / "exercises" / "02-routing", target_is_directory=True)
    roster = class_dir.parent / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    out = tmp_path_factory.mktemp("gradebook")
    first = batch(class_dir, out, "--before", DEADLINE, "--roster", str(roster))
    assert first.returncode == 0, first.stderr
    before = {name: (out / name).read_text(encoding="utf-8") for name in ("grades.csv", "ada.json", "eve.json")}
    first_rows = by_student(out)
    again = batch(class_dir, out, "--student", "bob")
    assert again.returncode == 0, again.stderr
    return {
        "first": first, "again": again, "out": out, "before": before, "first_rows": first_rows,
        "class": class_dir, "commits": {"ada": ada_commit, "bob_early": bob_early, "bob_late": bob_late},
    }


@pytest.fixture(scope="module")
def alone():
    """The engine's own scores and reports for the solutions and the starters, graded on their own."""
    exercises = [EXERCISES[i] for i in IDS]
    return {
        folder: {r.id: r for r in run_grading(exercises, COURSE_DIR / folder, jobs=2)}
        for folder in ("solutions", "exercises")
    }


def scores(row):
    return [float(row[i]) for i in IDS] + [float(row["total"])]


def expected(alone, folder):
    points = [alone[folder][i].score for i in IDS]
    return [*points, sum(points)]


def test_csv_has_identity_exercises_total_and_what_was_graded(graded):
    with (graded["out"] / "grades.csv").open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == [
        "student", "identifier", "github_username", "name", *IDS, "total",
        "commit", "committed", "deadline", "later_commits", "graders_changed", "note",
    ]
    assert [r["student"] for r in rows(graded["out"])] == ["Points Possible", "ada", "bob", "carol", "dan", "eve"]


def test_points_possible_row_is_what_each_exercise_is_worth(graded, alone):
    possible = rows(graded["out"])[0]
    assert possible["student"] == "Points Possible"
    assert scores(possible) == [alone["solutions"][i].max_score for i in IDS] + [
        sum(alone["solutions"][i].max_score for i in IDS)
    ]


def test_roster_names_students_and_lists_who_has_no_folder(graded):
    table = by_student(graded["out"])
    assert (table["ada"]["identifier"], table["ada"]["name"]) == ("ada@example.edu", "Ada Lovelace")
    assert table["bob"]["github_username"] == "bob"
    assert table["dan"]["note"] == "no repository found" and table["dan"]["total"] == ""
    assert "not in the roster" in table["eve"]["note"] and "not in the roster" in table["carol"]["note"]


def test_before_grades_the_last_commit_before_the_deadline_and_says_which(graded, alone):
    first, commits = graded["first_rows"], graded["commits"]
    assert scores(first["bob"]) == expected(alone, "exercises")  # the starters, not the later solutions
    assert first["bob"]["commit"] == commits["bob_early"]
    assert first["bob"]["committed"].startswith("2026-01-05T12:00:00")
    assert (first["bob"]["deadline"], first["bob"]["later_commits"]) == (DEADLINE, "1")  # solved after it
    assert (first["ada"]["deadline"], first["ada"]["later_commits"]) == (DEADLINE, "0")
    assert first["ada"]["commit"] == commits["ada"] and scores(first["ada"]) == expected(alone, "solutions")
    assert "not a git repository" in first["eve"]["note"]


def test_students_repositories_are_only_read(graded):
    bob = graded["class"] / "bob"
    assert git(bob, "rev-parse", "HEAD").strip() == graded["commits"]["bob_late"]
    assert git(bob, "status", "--porcelain") == ""
    assert git(bob, "worktree", "list").count("\n") == 1


def test_regrading_one_student_updates_their_row_and_keeps_everyone_elses(graded, alone):
    out = graded["out"]
    table, first = by_student(out), graded["first_rows"]
    assert scores(table["bob"]) == expected(alone, "solutions")  # HEAD this time, no deadline
    assert table["bob"]["commit"] == graded["commits"]["bob_late"]  # what was graded, not a blank
    assert table["bob"]["committed"].startswith("2026-03-01T12:00:00")
    assert (table["bob"]["deadline"], table["bob"]["later_commits"]) == ("", "")
    for student in ("ada", "carol", "dan", "eve"):
        assert table[student] == first[student], student
    for name in ("ada.json", "eve.json"):
        assert (out / name).read_text(encoding="utf-8") == graded["before"][name]
    assert graded["again"].stdout.startswith("Grading 1 student x 2 exercises")


def test_hostile_student_does_not_change_the_others_scores(graded, alone):
    first = graded["first_rows"]
    assert scores(first["ada"]) == expected(alone, "solutions")
    assert alone["exercises"]["01-hello"].score < alone["solutions"]["01-hello"].score  # the rows differ


def test_hostile_student_loses_exactly_what_their_code_breaks(graded, alone):
    report = json.loads(graded["before"]["eve.json"])
    hello, routing = report["exercises"]
    assert hello["score"] == 0 and hello["status"] == "error"
    assert "sys.exit" in hello["error"]
    timed_out = [c for c in routing["checks"] if c["status"] == "timeout"]
    assert len(timed_out) == 1, routing["checks"]
    assert routing["score"] == alone["solutions"]["02-routing"].score - timed_out[0]["max_points"]


def test_student_who_edited_graders_is_flagged_in_the_gradebook(graded):
    table = graded["first_rows"]
    assert table["ada"]["graders_changed"] == table["bob"]["graders_changed"] == ""
    flagged = table["eve"]["graders_changed"].split()
    assert "graders/test_01_hello.py" in flagged and "graders/test_02_routing.py" in flagged
    assert "warning: eve changed grading files" in graded["first"].stdout


def test_exercises_one_folder_down_are_found_and_a_linked_folder_is_missing(graded, alone):
    report = json.loads((graded["out"] / "carol.json").read_text(encoding="utf-8"))
    hello, routing = report["exercises"]
    assert hello["score"] == alone["solutions"]["01-hello"].score == hello["max_score"]
    assert routing["status"] == "missing" and routing["score"] == 0


def test_reports_have_the_shape_of_grade_json(graded, tmp_path):
    cli_report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "grading", "--no-cache", "--root", "solutions", "--json", str(cli_report), *IDS],
        cwd=COURSE_DIR, capture_output=True, timeout=120, check=True,
    )
    assert json.loads(graded["before"]["ada.json"]) == json.loads(cli_report.read_text(encoding="utf-8"))
    names = sorted(p.name for p in graded["out"].iterdir())
    assert names == ["ada.html", "ada.json", "bob.html", "bob.json", "canvas.csv", "carol.html", "carol.json",
                     "checks.csv", "eve.html", "eve.json", "grades.csv", "moodle.csv", "report.html",
                     "similarity.csv", "similarity.html"]


def table_of(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_canvas_csv_has_the_columns_canvas_gradebook_import_reads(graded):
    """Canvas's importer: Student, ID, SIS User ID, SIS Login ID, Section, then only assignments."""
    header, possible, *students = table_of(graded["out"] / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *IDS]  # no total, no notes
    grades = by_student(graded["out"])
    assert possible == ["Points Possible", "", "", "", "", *(grades["Points Possible"][i] for i in IDS)]
    assert students == [
        ["Ada Lovelace", "", "ada@example.edu", "ada@example.edu", "", *(grades["ada"][i] for i in IDS)],
        ["Bob Builder", "", "bob@example.edu", "bob@example.edu", "", *(grades["bob"][i] for i in IDS)],
    ]


def test_moodle_csv_has_an_identifier_on_every_row_and_no_points_possible_row(graded):
    """Moodle's import stops at a row whose identifier matches no user: only roster students graded."""
    header, *students = table_of(graded["out"] / "moodle.csv")
    assert header == ["Email address", "Full name", *IDS, "Total"]
    grades = by_student(graded["out"])
    assert students == [
        ["ada@example.edu", "Ada Lovelace", *(grades[s][i] for s in ["ada"] for i in IDS), grades["ada"]["total"]],
        ["bob@example.edu", "Bob Builder", *(grades[s][i] for s in ["bob"] for i in IDS), grades["bob"]["total"]],
    ]
    assert all(float(cell) >= 0 for row in students for cell in row[2:])


def test_students_left_out_of_the_lms_files_are_named_on_the_terminal(graded):
    out = graded["first"].stdout
    for who in ("carol", "eve"):
        assert f"note: {who} is not in canvas.csv and moodle.csv: not in the roster" in out
    assert "note: dan@example.edu is not in canvas.csv and moodle.csv: no grade" in out


def test_checks_csv_counts_who_passed_each_check(graded):
    out = graded["out"]
    reports = [json.loads((out / f"{s}.json").read_text(encoding="utf-8")) for s in ("ada", "bob", "carol", "eve")]
    with (out / "checks.csv").open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    planned = [(e["id"], c["name"]) for e in reports[0]["exercises"] for c in e["checks"]]
    assert [(r["exercise"], r["check"]) for r in table] == planned
    for row in table:
        checks = [c for r in reports for e in r["exercises"] if e["id"] == row["exercise"] for c in e["checks"]
                  if c["name"] == row["check"]]
        passed = sum(c["status"] == "passed" for c in checks)
        assert (int(row["passed"]), int(row["students"])) == (passed, 4)
        assert float(row["share"]) == pytest.approx(passed / 4, abs=0.01)
        assert float(row["points"]) == checks[0]["max_points"]
    assert {r["share"] for r in table} != {"1.00"}  # the class did not get everything


def test_report_html_is_one_page_with_charts_and_links(graded):
    page = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3  # totals, average per exercise, pass rate per check
    assert page.count("<rect") >= 10 + len(IDS)
    for student in ("ada", "bob", "carol", "eve"):
        assert f'<a href="./{student}.html">' in page
        student_page = (graded["out"] / f"{student}.html").read_text(encoding="utf-8")
        assert f'<a href="./{student}.json">' in student_page and "<script" not in student_page
    assert "Ada Lovelace" in page
    assert "Dan Absent" in page  # on the roster, without a repository
    assert "<script" not in page and "src=" not in page and 'href="http' not in page


def test_plain_progress_lines_and_summary_without_a_terminal(graded):
    out = graded["first"].stdout
    lines = out.splitlines()
    assert lines[0] == f"Grading 4 students x 2 exercises, 2 at a time, each at its last commit before {DEADLINE}"
    assert sorted(line.split("]")[0] for line in lines if line.startswith("[")) == ["[1/4", "[2/4", "[3/4", "[4/4"]
    assert "  eve 01-hello: " in out  # the exercise that could not be graded is named
    assert "Graded 4 students in " in out and "Average " in out


def test_student_not_in_the_class_and_bad_date_are_usage_errors(graded, tmp_path):
    for args in (["--student", "zed"], ["--before", "next tuesday"]):
        proc = batch(graded["class"], tmp_path / "out", *args, timeout=60)
        assert proc.returncode == 2, proc.stdout
        assert "error:" in proc.stderr


def test_extension_gives_a_student_their_own_deadline_in_the_same_run(graded, tmp_path):
    extensions = tmp_path / "extensions.csv"
    extensions.write_text("student,deadline\nBob@example.edu,2026-04-01T00:00:00\n", encoding="utf-8")
    roster = graded["class"].parent / "roster.csv"
    out = tmp_path / "out"
    proc = batch(graded["class"], out, "--before", DEADLINE, "--extensions", str(extensions), "--roster", str(roster),
                 "--student", "bob", "--student", "ada", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].endswith(f"each at its last commit before {DEADLINE}, 1 with an extension")
    table = by_student(out)
    bob, ada = table["bob"], table["ada"]
    assert (bob["commit"], bob["deadline"], bob["later_commits"]) == (
        graded["commits"]["bob_late"], "2026-04-01T00:00:00", "0")
    assert (ada["commit"], ada["deadline"]) == (graded["commits"]["ada"], DEADLINE)
    assert float(bob["total"]) == float(table["Points Possible"]["total"])  # his late solutions count


def test_regrading_some_exercises_says_which_came_from_an_earlier_commit(graded, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(graded["out"], out)  # bob graded at the deadline (bob_early), then again at HEAD
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(graded["class"]), "01-hello", "--out", str(out),
         "--student", "bob", "--before", DEADLINE],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    bob = by_student(out)["bob"]
    assert bob["commit"] == graded["commits"]["bob_early"]
    assert f"02-routing graded earlier, at {graded['commits']['bob_late'][:12]}" in bob["note"]


def test_extension_with_a_bad_date_is_a_usage_error(tmp_path):
    extensions = tmp_path / "extensions.csv"
    extensions.write_text("bob,next week\n", encoding="utf-8")
    (tmp_path / "class" / "bob").mkdir(parents=True)
    proc = batch(tmp_path / "class", tmp_path / "out", "--extensions", str(extensions), timeout=60)
    assert proc.returncode == 2
    assert "bob: 'next week': give a date like 2026-12-01" in proc.stderr


def test_missing_class_folder_is_a_usage_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "grading.commands.batch", str(tmp_path / "nowhere")],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "is not a folder" in proc.stderr


# -- a student who stops grading, and a run that crashes -----------------------------------------

NEVER_FINISHES = "import time\nwhile True:  # hostile: importing this never ends (and uses no CPU)\n    time.sleep(1)\n"


@pytest.fixture
def stalling_class(tmp_path):
    """ada (solutions) first, then zoe, whose every exercise never finishes importing."""
    class_dir = tmp_path / "class"
    copy_exercises("solutions", class_dir / "ada")
    copy_exercises("solutions", class_dir / "zoe")
    for exercise in IDS:
        app = class_dir / "zoe" / exercise / "app.py"
        app.write_text(NEVER_FINISHES + app.read_text(encoding="utf-8"), encoding="utf-8")
    return class_dir


def test_student_past_their_time_limit_keeps_what_was_graded(stalling_class, tmp_path):
    out = tmp_path / "out"
    proc = batch(stalling_class, out, "--time-limit", "8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    table = by_student(out)
    assert float(table["ada"]["total"]) == float(table["Points Possible"]["total"]) > 0
    assert table["zoe"]["total"] == "0" and "Stopped: grading this student took longer than 8 s" in table["zoe"]["note"]
    report = json.loads((out / "zoe.json").read_text(encoding="utf-8"))
    assert all(e["checks"] and e["max_score"] > 0 for e in report["exercises"])  # planned checks, at 0


def test_crash_late_in_the_run_loses_nothing_already_graded(stalling_class, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "grading.commands.batch", str(stalling_class), *IDS, "--out", str(out), "--jobs", "1"],
        cwd=COURSE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (out / "ada.json").exists():
            time.sleep(0.2)
        time.sleep(1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole batch dies while zoe is being graded
        proc.wait()
    table = by_student(out)
    assert set(table) == {"Points Possible", "ada"}
    assert float(table["ada"]["total"]) > 0
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_equal_folders_are_graded_once_and_given_the_same_result(tmp_path):
    """Two students handing in the same folder: one is graded, the other takes that result (0 s)."""
    from grading.judge.schedule import Task, grade_roots

    for name in ("ann", "ben"):
        shutil.copytree(COURSE_DIR / "solutions" / "01-hello", tmp_path / name / "01-hello")
    tasks = [Task(name, tmp_path / name, [EXERCISES["01-hello"]], private=True) for name in ("ann", "ben")]
    graded = grade_roots(tasks, jobs=2)
    ann, ben = graded["ann"][0], graded["ben"][0]
    assert ann.full_marks and ben.to_json() == ann.to_json()
    assert min(ann.seconds, ben.seconds) == 0 < max(ann.seconds, ben.seconds)  # whose copy is made first


def test_roster_matches_classroom_repository_names_to_the_longest_username():
    from grading.outputs.gradebook import match_roster

    roster = [{"identifier": "b@x", "github_username": "bob"}, {"identifier": "jb@x", "github_username": "jim-bob"},
              {"identifier": "ada@example.edu", "github_username": "ada"}]
    assert match_roster("flask-exercises-jim-bob", roster)["identifier"] == "jb@x"
    assert match_roster("flask-exercises-BOB", roster)["identifier"] == "b@x"
    assert match_roster("ada@example.edu", roster)["github_username"] == "ada"
    assert match_roster("robert", roster) is None


def test_a_folder_named_like_an_exercise_is_one_more_student(tmp_path):
    """Five folders are five students, whatever their names; a plain checkout is one student."""
    from grading.commands.batch import find_students

    for name in ("ada", "bob", "carol", "dave"):
        (tmp_path / "class" / name / "exercises" / "01-hello").mkdir(parents=True)
    (tmp_path / "class" / "01-hello").mkdir()
    (tmp_path / "class" / "exercises").mkdir()
    names = [name for name, _ in find_students(tmp_path / "class")]
    assert names == ["01-hello", "ada", "bob", "carol", "dave", "exercises"]
    (tmp_path / "checkout" / "exercises" / "01-hello").mkdir(parents=True)
    (tmp_path / "checkout" / "graders").mkdir()
    assert [folder for _, folder in find_students(tmp_path / "checkout")] == [tmp_path / "checkout"]


def repository(home, date="2026-01-15T12:00:00"):
    """A git repository in ``home`` with 01-hello's starter committed at ``date``."""
    copy_exercises_into = home / "exercises" / "01-hello"
    shutil.copytree(COURSE_DIR / "exercises" / "01-hello", copy_exercises_into)
    git(home, "init", "-q")
    return commit(home, "starter", date)


def test_a_dot_git_file_pointing_at_a_classmate_is_refused(tmp_path):
    """bob's .git is a file, `gitdir: ../ada/.git`: --before would grade ada's commit."""
    from grading.judge.checkout import checkout_before

    (tmp_path / "ada").mkdir()
    repository(tmp_path / "ada")
    bob = tmp_path / "bob"
    bob.mkdir()
    (bob / ".git").write_text(f"gitdir: {tmp_path / 'ada' / '.git'}\n")
    (tmp_path / "work").mkdir()
    folder, info = checkout_before(bob, DEADLINE, tmp_path / "work")
    assert folder is None and "not a folder" in info["note"]
    (bob / ".git").unlink()
    (bob / ".git").symlink_to(tmp_path / "ada" / ".git", target_is_directory=True)
    assert checkout_before(bob, DEADLINE, tmp_path / "work")[0] is None


def test_a_dot_git_borrowing_a_classmates_objects_or_refs_is_refused(tmp_path):
    from grading.judge.checkout import checkout_before

    (tmp_path / "ada").mkdir()
    repository(tmp_path / "ada")
    (tmp_path / "work").mkdir()
    bob = tmp_path / "bob"
    shutil.copytree(tmp_path / "ada", bob, symlinks=True)
    shutil.rmtree(bob / ".git" / "refs" / "heads")
    (bob / ".git" / "refs" / "heads").symlink_to(tmp_path / "ada" / ".git" / "refs" / "heads")
    folder, info = checkout_before(bob, DEADLINE, tmp_path / "work")
    assert folder is None and "link out of the student's folder" in info["note"]
    shutil.rmtree(bob)
    shutil.copytree(tmp_path / "ada", bob)
    (bob / ".git" / "objects" / "info" / "alternates").write_text(str(tmp_path / "ada" / ".git" / "objects") + "\n")
    folder, info = checkout_before(bob, DEADLINE, tmp_path / "work")
    assert folder is None and "alternates" in info["note"]


def test_before_runs_nothing_from_the_students_git_configuration(tmp_path):
    """core.fsmonitor and hooks in the student's own .git/config never run; the commit is graded."""
    from grading.judge.checkout import checkout_before

    home = tmp_path / "ada"
    home.mkdir()
    expected = repository(home)
    ran = tmp_path / "ran"
    for key in ("core.fsmonitor", "core.hooksPath", "core.pager"):
        git(home, "config", key, f"touch {ran}")
    hook = home / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {ran}\n")
    hook.chmod(0o755)
    (tmp_path / "work").mkdir()
    folder, info = checkout_before(home, "2026-02-01T00:00:00", tmp_path / "work")
    assert info["commit"] == expected and (folder / "exercises" / "01-hello" / "app.py").is_file()
    assert not ran.exists()
