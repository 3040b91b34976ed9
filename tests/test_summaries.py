"""Honest summaries: what comes next, what a status means, and error pages by their title."""

import shutil

import flask
import pytest

from grading.judge import expect
from grading.judge.results import CheckResult, ExerciseResult
from grading.outputs.report import Painter, render_summary

COURSE = [("01-hello", "Hello", True), ("02-routing", "Routing", True), ("03-request-data", "Request data", True)]


def result(exercise_id: str, full: bool) -> ExerciseResult:
    check = CheckResult("c", 1.0 if full else 0.0, 1.0, "passed" if full else "failed", None if full else "wrong")
    return ExerciseResult(exercise_id, exercise_id[3:].title(), "passed" if full else "failed", checks=[check])


def summary(results, course) -> str:
    return " ".join(render_summary(results, Painter(False), "exercises", course=course).split())


def test_the_last_exercise_at_full_marks_is_not_well_done_while_others_are_unfinished():
    course = [COURSE[0], ("02-routing", "Routing", False), ("03-request-data", "Request data", None)]
    shown = summary([result("03-request-data", True)], course)
    assert "last exercise" not in shown and "Well done" not in shown, shown
    assert "Next: 02-routing, Routing. Read exercises/02-routing/README.md" in shown, shown


def test_next_is_the_first_exercise_below_full_marks_not_a_finished_one():
    course = [COURSE[0], COURSE[1], ("03-request-data", "Request data", False)]
    shown = summary([result("01-hello", True), result("02-routing", True)], course)
    assert "Next: 03-request-data" in shown and "Next: 02" not in shown, shown
    assert "Stuck? `nox -s hint -- 03`" in shown, shown


def test_an_exercise_never_graded_is_not_called_next_nor_finished():
    """In CI (no cache) the others are unknown: no Next, no well done."""
    course = [("01-hello", "Hello", None), COURSE[1], COURSE[2]]
    shown = summary([result("02-routing", True)], course)
    assert "Every exercise graded here has full marks." in shown, shown
    assert "Next" not in shown and "Well done" not in shown and "Stuck?" not in shown, shown
    course = [COURSE[0], ("02-routing", "Routing", None), COURSE[2]]
    shown = summary([result("01-hello", True)], course)
    assert "Next: 02-routing" in shown and "Stuck?" not in shown, "the next exercise not graded comes next"


def test_well_done_only_when_every_exercise_of_the_course_has_full_marks():
    shown = summary([result("03-request-data", True)], COURSE)
    assert "Full marks: that was the last exercise. Every exercise of the course has full marks. Well done!" in shown
    assert "Well done" not in summary([result("02-routing", True)], None), "a run of some exercises knows no course"
    assert "Every exercise graded here has full marks." in summary([result("02-routing", True)], None)


def test_grade_of_one_finished_exercise_names_the_first_unfinished_one(tmp_path, monkeypatch, capsys):
    """`nox -s grade -- 02` at full marks, with 01's unfinished starter in the cache: Next is 01."""
    from grading.commands import grade as command
    from grading.judge.course import COURSE_DIR

    root = tmp_path / "root"
    shutil.copytree(COURSE_DIR / "exercises" / "01-hello", root / "01-hello")
    shutil.copytree(COURSE_DIR / "solutions" / "02-routing", root / "02-routing")
    for name in ("CI", "GITHUB_ACTIONS", "GRADING_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRADING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "key"))
    assert command.main(["--root", str(root), "01"]) == 1
    capsys.readouterr()
    assert command.main(["--root", str(root), "02"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Next: 01-hello" in out and "Well done" not in out and "last exercise" not in out, out


def test_a_correct_405_gets_no_advice_to_accept_the_method():
    app = flask.Flask("only_get")
    app.add_url_rule("/todos", "todos", lambda: "x")
    with pytest.raises(expect.CheckFailed) as failed:
        expect.json_error(app.test_client().put("/todos"), 405)
    message = str(failed.value)
    assert "returned 405 with Content-Type 'text/html; charset=utf-8': an HTML page titled '405 Method Not Allowed'" in message
    assert "methods=[" not in message and "does not accept" not in message, message


def test_a_500_is_explained_by_the_exception_not_the_status_advice():
    app = flask.Flask("crashes")
    app.add_url_rule("/", "crash", lambda: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/")
    assert expect.explain(response, 200) == "" and expect.explain(response, 500) == ""  # no student exception here
    response.status_code = 405
    assert expect.explain(response, 405) == "" and "405 Method Not Allowed" in expect.explain(response, 200)


def test_an_html_error_page_is_shown_by_its_title_inside_any_value():
    app = flask.Flask("crashes")
    app.add_url_rule("/visit", "visit", lambda: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = app.test_client().get("/visit").get_data(as_text=True)
    with pytest.raises(expect.CheckFailed) as failed:
        expect.equal([page, "Visits: 2"], ["Visits: 1", "Visits: 2"], "Two visits")
    message = str(failed.value)
    assert message == ("Two visits is [<an HTML page titled '500 Internal Server Error'>, 'Visits: 2'], "
                       "expected ['Visits: 1', 'Visits: 2'].")


def test_a_login_that_crashes_on_an_external_next_is_not_called_an_open_redirect(grade):
    result = grade.mutant("11-auth", {"app.py": [('else url_for("dashboard"))', 'else url_for("dashboard") if not target else 1 / 0)')]})
    assert result.lost == {"external_next_is_not_followed"}, result.explain()
    message = result.check("external_next_is_not_followed").message
    assert "answered 500, expected a redirect to a page of this site. Your code raised ZeroDivisionError" in message, message
    assert "open redirect" not in message, message


def test_a_crashing_view_is_never_dumped_as_an_html_page_in_a_message(grade):
    result = grade.mutant("07-context", {"app.py": [('session["visits"] = session.get("visits", 0) + 1',
                                                     'session["visits"] = session.get("visits", "0") + 1')]})
    messages = [c.message for c in result.result.checks if c.message]
    assert "visit_counts_this_clients_visits" in result.lost and messages, result.explain()
    assert not any("<!doctype" in m.lower() or "<title>" in m.lower() for m in messages), result.explain()


def test_grading_several_exercises_shows_the_checks_of_the_one_to_work_on(tmp_path, monkeypatch, capsys):
    """01 done, 02 and 03 started: 02's failures in full, 03 in one line; `--all` shows both."""
    from grading.commands import grade as command
    from grading.judge.course import COURSE_DIR

    root = tmp_path / "root"
    shutil.copytree(COURSE_DIR / "solutions" / "01-hello", root / "01-hello")
    for exercise in ("02-routing", "03-request-data"):
        shutil.copytree(COURSE_DIR / "exercises" / exercise, root / exercise)
    monkeypatch.setenv("GRADING_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "200")

    assert command.main(["--root", str(root), "01", "02", "03"]) == 1
    out = capsys.readouterr().out
    assert "GET /post/abc returned 200, expected 404" in out, out  # 02: the one to work on
    assert "Hint:" in out.split("03-request-data")[0]
    after = out.split("03-request-data", 1)[1]
    assert after.splitlines()[1].strip() == "6 checks to go: nox -s grade -- 03", out
    assert "✗" not in after and "Hint:" not in after, out
    assert "Next: 02-routing" in out

    assert command.main(["--root", str(root), "01", "02", "03", "--all"]) == 1
    every = capsys.readouterr().out
    assert "GET /post/abc returned 200, expected 404" in every and "checks to go" not in every
    assert "Hint:" in every.split("03-request-data", 1)[1], every
