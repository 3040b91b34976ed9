"""The engine as a student runs it: `python -m grading` in a real subprocess.

Each hostile 01-hello below is graded next to the reference 02-routing, which must keep its
full marks: one exercise's misbehaviour never leaks into another's grade.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grading.judge.course import COURSE_DIR

SOLUTIONS = COURSE_DIR / "solutions"
HELLO = (SOLUTIONS / "01-hello" / "app.py").read_text(encoding="utf-8")


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def hostile_root(tmp_path):
    """A tree with the reference 02-routing and an 01-hello whose app.py is given."""

    def make(app_py: str) -> Path:
        root = tmp_path / "student"
        shutil.copytree(SOLUTIONS / "02-routing", root / "02-routing")
        (root / "01-hello").mkdir(parents=True)
        (root / "01-hello" / "app.py").write_text(app_py, encoding="utf-8")
        return root

    return make


HOSTILE = {
    "syntax_error": ("def index(:\n", "error", "syntax error on line 1"),
    "exception_at_import": ("import flask\nraise RuntimeError('kaboom')\n", "error", "kaboom"),
    "sys_exit_at_import": ("import sys\nsys.exit(3)\n", "error", "sys.exit"),
    "os_exit_at_import": ("import os\nos._exit(0)\n", "error", "stopped"),
    "endless_loop_at_import": ("while True:\n    pass\n", "error", "time"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_import_gives_zero_and_leaves_others_graded(grade_cli, hostile_root, case):
    """Each way app.py can blow up at import zeroes 01-hello with a reason, and only 01-hello."""
    source, status, reason = HOSTILE[case]
    root = hostile_root(source)
    before = _tree_digest(root)

    run = grade_cli(root, "01", "02")

    assert run.code == 1, run.out + run.err
    hello = run.exercise("01-hello")
    assert hello["status"] == status, hello
    assert hello["score"] == 0
    assert reason.lower() in (hello["error"] or "").lower(), hello["error"]
    assert reason.lower() in run.out.lower()
    assert "Traceback" not in run.out
    routing = run.exercise("02-routing")
    assert routing["status"] == "passed" and routing["score"] == routing["max_score"], routing
    assert _tree_digest(root) == before, "grading modified the student's files"
    assert run.seconds < 60


def test_endless_loop_in_a_view_times_out_that_check_only(grade_cli, hostile_root):
    root = hostile_root(HELLO.replace('return "Hello, Flask!"', "while True:\n        pass"))

    run = grade_cli(root, "01", "02")

    hello = run.exercise("01-hello")
    assert run.check("01-hello", "index_says_hello")["status"] == "timeout"
    assert "GET /" in run.check("01-hello", "index_says_hello")["message"]
    assert {c["name"] for c in hello["checks"] if c["status"] != "passed"} == {"index_says_hello"}
    assert run.exercise("02-routing")["status"] == "passed"
    assert "GET / never finished: your code was still running at app.py line 8 (in index)" in run.check(
        "01-hello", "index_says_hello")["message"]


def test_a_module_that_never_finishes_importing_costs_one_import_budget(grade_cli, hostile_root):
    """Importing a module may use 2 s of CPU (a correct one takes milliseconds): a looping module
    is stopped then, once for the whole exercise, with a message naming the import."""
    run = grade_cli(hostile_root("while True:\n    pass\n"), "01")

    hello = run.exercise("01-hello")
    timed_out = [c for c in hello["checks"] if c["status"] == "timeout"]
    assert len(timed_out) == 1, hello["checks"]
    assert "Importing app.py" in timed_out[0]["message"] and "2 s of CPU time" in timed_out[0]["message"]
    assert all(c["status"] == "not_run" for c in hello["checks"] if c is not timed_out[0]), hello["checks"]


def test_a_slow_answer_that_uses_no_cpu_is_not_a_timeout(grade_cli, hostile_root):
    """A check's limit is CPU time: a correct app on a slow or crowded machine keeps its points
    (here a view that waits 6 s, past the 5 s a check's code may compute, well within its clock)."""
    root = hostile_root(HELLO.replace('return "Hello, Flask!"', '__import__("time").sleep(6)\n    return "Hello, Flask!"'))

    run = grade_cli(root, "01")

    assert run.exercise("01-hello")["status"] == "passed", run.exercise("01-hello")


def test_megabytes_printed_do_not_reach_the_report(grade_cli, hostile_root):
    noisy = "print('x' * 10_000_000)\n" + HELLO.replace(
        'return "Hello, Flask!"', 'print("y" * 1_000_000)\n    return "Hello, Flask!"'
    )
    run = grade_cli(hostile_root(noisy), "01", "02")

    assert run.code == 0, run.out
    assert run.exercise("01-hello")["status"] == "passed"
    assert len(run.out) < 5_000


def test_server_started_at_import_never_listens(grade_cli, hostile_root):
    """app.run() at import is intercepted: the import check fails, nothing blocks."""
    source = HELLO.replace('if __name__ == "__main__":\n    app.run(debug=True)', "app.run(port=5000)")
    assert source != HELLO
    run = grade_cli(hostile_root(source), "01", "02")

    failed = {c["name"] for c in run.exercise("01-hello")["checks"] if c["status"] != "passed"}
    assert failed == {"import_does_not_start_server"}
    assert "app.run()" in run.check("01-hello", "import_does_not_start_server")["message"]


def test_solutions_get_full_marks_and_exit_zero(grade_cli):
    run = grade_cli(SOLUTIONS, "01", "02-routing")

    assert run.code == 0, run.out
    assert [e["id"] for e in run.report["exercises"]] == ["01-hello", "02-routing"]
    assert run.report["score"] == run.report["max_score"] > 0
    assert "Total:" in run.out


def test_json_report_has_exactly_the_documented_shape(grade_cli, hostile_root):
    run = grade_cli(hostile_root(HELLO.replace("Hello, Flask!", "Hi")), "01", "02")
    report = run.report

    assert set(report) >= {"version", "score", "max_score", "exercises"}
    assert report["version"] == 1
    assert report["score"] == sum(e["score"] for e in report["exercises"])
    assert report["max_score"] == sum(e["max_score"] for e in report["exercises"])
    for exercise in report["exercises"]:
        assert set(exercise) == {"id", "title", "score", "max_score", "status", "error", "isolation", "checks"}
        assert exercise["isolation"] in {"user", "namespaces", "process"}
        assert exercise["status"] in {"passed", "failed", "error", "missing"}
        assert exercise["max_score"] == sum(c["max_points"] for c in exercise["checks"])
        for check in exercise["checks"]:
            assert set(check) == {"name", "points", "max_points", "status", "message", "hint"}
            assert check["status"] in {"passed", "failed", "error", "timeout", "not_run"}
            assert isinstance(check["points"], float) and isinstance(check["max_points"], float)
            if check["status"] == "not_run":  # an earlier check's cause: no points, no hint, why in one line
                assert check["points"] == 0.0 and check["hint"] is None
                assert check["message"].startswith("Not run: ")
    failed = run.check("01-hello", "index_says_hello")
    assert failed["points"] == 0.0
    assert "Hello, Flask!" in failed["message"] and "Hi" in failed["message"]
    assert failed["hint"]


def test_absent_exercise_is_missing(grade_cli, tmp_path):
    root = tmp_path / "partial"
    shutil.copytree(SOLUTIONS / "01-hello", root / "01-hello")

    run = grade_cli(root, "01", "02")

    assert run.code == 1
    missing = run.exercise("02-routing")
    assert missing["status"] == "missing" and missing["score"] == 0 and missing["max_score"] > 0
    assert run.exercise("01-hello")["status"] == "passed"


def test_unknown_exercise_is_a_usage_error_listing_valid_ids(grade_cli):
    run = grade_cli(SOLUTIONS, "99-nope")

    assert run.code == 2
    assert "99-nope" in run.err and "01-hello" in run.err
    assert run.report is None


def test_warm_run_uses_the_cache_and_agrees(tmp_path):
    """A second run on unchanged files answers from .grading-cache with the same report."""
    root = tmp_path / "student"
    shutil.copytree(SOLUTIONS / "01-hello", root / "01-hello")
    env_cache = tmp_path / "course"
    reports = []
    for _ in range(2):
        report = tmp_path / f"report{len(reports)}.json"
        cmd = [sys.executable, "-m", "grading", "--root", str(root), "--json", str(report), "01"]
        subprocess.run(cmd, cwd=COURSE_DIR, capture_output=True, check=True, timeout=120,
                       env=_env_with_cache_dir(env_cache))
        reports.append(json.loads(report.read_text()))
    assert reports[0] == reports[1]
    assert any(env_cache.rglob("*")), "nothing was cached"


def _env_with_cache_dir(path: Path) -> dict[str, str]:
    """A local student's environment: a cache folder and a signing key of its own, not CI."""
    env = {k: v for k, v in os.environ.items() if k not in ("GRADING_NO_CACHE", "CI", "GITHUB_ACTIONS")}
    env["GRADING_CACHE_DIR"] = str(path)
    env["XDG_CACHE_HOME"] = str(path.parent / "user-cache")
    return env


def _grade_twice_with_cache(tmp_path, source: Path, env: dict, between=None) -> list[dict]:
    root = tmp_path / "student"
    shutil.copytree(source, root / "01-hello")
    reports = []
    for run in range(2):
        if run and between:
            between()
        report = tmp_path / f"report{run}.json"
        cmd = [sys.executable, "-m", "grading", "--root", str(root), "--json", str(report), "01"]
        subprocess.run(cmd, cwd=COURSE_DIR, capture_output=True, timeout=120, env=env)
        reports.append(json.loads(report.read_text()))
    return reports


def test_cache_entry_not_signed_by_this_machine_is_ignored(tmp_path):
    """A cache entry that claims full marks (committed to the repository, say) counts for nothing."""
    cache = tmp_path / "course"
    env = _env_with_cache_dir(cache)

    def forge():
        for entry in cache.glob("*.json"):
            data = json.loads(entry.read_text())
            for check in data["result"]["checks"]:
                check.update(points=check["max_points"], status="passed", message=None)
            data["result"]["status"] = "passed"
            entry.write_text(json.dumps(data))

    starter = COURSE_DIR / "exercises" / "01-hello"
    honest, second = _grade_twice_with_cache(tmp_path, starter, env, between=forge)
    assert honest["score"] < honest["max_score"]
    assert second["score"] == honest["score"]


def test_cache_is_not_used_in_ci(tmp_path):
    cache = tmp_path / "course"
    _grade_twice_with_cache(tmp_path, SOLUTIONS / "01-hello", {**_env_with_cache_dir(cache), "CI": "true"})
    assert not list(cache.glob("*.json"))


def test_spawned_sandboxes_grade_like_forked_ones(grade_cli):
    """Where there is no fork (Windows), every sandbox is a new interpreter: same grades."""
    run = grade_cli(SOLUTIONS, "01", "02", env={"GRADING_NO_FORK": "1"})
    assert run.code == 0, run.out + run.err
    assert {e["isolation"] for e in run.report["exercises"]} == {"process"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux namespaces")
def test_user_namespaces_level_grades_like_the_others(grade_cli):
    """The level of a non-root Linux user (user namespaces) gives the same grades."""
    run = grade_cli(SOLUTIONS, "01", "02", env={"GRADING_ISOLATION": "namespaces"})
    assert run.code == 0, run.out + run.err
    assert {e["isolation"] for e in run.report["exercises"]} <= {"namespaces", "process"}


def test_one_cause_is_said_once_and_the_checks_it_stops_are_not_run(grade):
    """A factory that raises: the first check says why, with the file and line; the others are not
    run (0 points, no hint, the same cause), and the terminal says the cause once then lists them."""
    from grading.outputs.report import Painter, render_exercise

    graded = grade.mutant("09-database", {"app.py": [
        ("    app = Flask(__name__, instance_relative_config=True)\n",
         "    app = Flask(__name__, instance_relative_config=True)\n    raise RuntimeError('no database today')\n"),
    ]})
    checks = graded.result.checks
    assert graded.score == 0 and graded.result.status in ("error", "failed"), graded.explain()
    first, *rest = checks
    assert first.status in ("error", "failed") and "no database today" in first.message, graded.explain()
    assert "app.py" in first.message and "line 22" in first.message, first.message
    assert rest and all(c.status == "not_run" for c in rest), graded.explain()
    assert all(c.points == 0 and c.hint is None and c.message.startswith("Not run: ") for c in rest)
    assert all("no database today" in c.message for c in rest)
    shown = render_exercise(graded.result, Painter(False), columns=100)
    assert shown.count("no database today") == 1, shown
    flat = " ".join(shown.split())
    assert "Not judged, for the reason above" in shown and all(" ".join((c.doc or c.name).split()) in flat for c in rest), shown
    assert shown.count("Hint:") <= 1, shown


def test_the_failure_output_names_debug_when_student_code_raised():
    from grading.judge.results import CheckResult, ExerciseResult
    from grading.outputs.report import Painter, render_summary

    raised = CheckResult("c", 0.0, 1.0, "failed", "GET / answered 500. Your code raised ZeroDivisionError (app.py, line 3).")
    result = ExerciseResult("01-hello", "Hello", "failed", checks=[raised])
    assert "nox -s grade -- 01 --debug" in render_summary([result], Painter(False), "exercises")


def test_a_student_exception_raised_again_by_the_grader_is_the_students():
    from grading.judge.plugin import student_cause
    from grading.judge.remote import student_exception

    raised = student_exception({"type": "KeyError", "builtin": "KeyError", "message": "'id'", "where": " (app.py, line 3, in f)"})
    try:
        try:
            raise raised
        except KeyError as exc:
            raise ValueError("the grader's own wrapping") from exc
    except ValueError as wrapped:
        assert student_cause(wrapped) is raised
    assert student_cause(ValueError("a grader bug")) is None


def test_puzzling_statuses_are_explained_in_words():
    """405, 415 and 308 say what they mean and what usually causes them."""
    import flask

    from grading.judge import expect

    app = flask.Flask("explained")
    app.add_url_rule("/only-get", "g", lambda: "x")
    app.add_url_rule("/json", "j", lambda: flask.request.json, methods=["POST"])
    app.add_url_rule("/slash/", "s", lambda: "x")
    client = app.test_client()
    cases = [
        (client.post("/only-get"), 200, ("405 Method Not Allowed", "does not accept POST", "methods=[")),
        (client.post("/json", data="a=1"), 400, ("415 Unsupported Media Type", "get_json(silent=True)")),
        (client.get("/slash"), 200, ("308 Permanent Redirect", "trailing slash")),
    ]
    for response, wanted, words in cases:
        with pytest.raises(expect.CheckFailed) as failed:
            expect.status(response, wanted)
        assert all(w in str(failed.value) for w in words), str(failed.value)


def test_a_check_may_only_need_a_check_above_it(tmp_path):
    """@pytest.mark.needs naming a check that does not run before it is the grader's mistake, said at collection."""
    grader = tmp_path / "test_99_needs.py"
    grader.write_text(
        "import pytest\n\n"
        "@pytest.mark.points(1)\n@pytest.mark.needs('second')\ndef test_first():\n    pass\n\n"
        "@pytest.mark.points(1)\ndef test_second():\n    pass\n"
    )
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "grading.judge.plugin", "-p", "no:cacheprovider",
                           str(grader)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(COURSE_DIR)})
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "needs 'second', which is not a check above it" in proc.stdout + proc.stderr
