"""The hint for what went wrong: a failure carries its cause, and the hint shown is that cause's."""

import dataclasses

import flask
import pytest

from grading.commands import hints
from grading.judge import expect
from grading.judge.course import CAUSE_HINTS, COURSE_DIR, load_course

EXERCISES = {e.id: e for e in load_course(COURSE_DIR)}
INT_SUM = {"app.py": [("return str(a + b)", "return a + b")]}


def failure(call) -> expect.CheckFailed:
    with pytest.raises(expect.CheckFailed) as failed:
        call()
    return failed.value


def test_the_expect_helpers_say_whether_the_status_the_body_or_the_escaping_was_wrong():
    app = flask.Flask("causes")
    app.add_url_rule("/raw", "raw", lambda: flask.request.args["name"])
    app.add_url_rule("/int", "int", lambda: 5)
    app.add_url_rule("/text", "text", lambda: "plain")
    client = app.test_client()
    assert failure(lambda: expect.status(client.get("/nowhere"), 200)).cause == "status"
    assert failure(lambda: expect.text(client.get("/text"), "other")).cause == "body"
    assert failure(lambda: expect.escaped_text(client.get("/raw?name=<b>"), "<b>")).cause == "escaping"
    assert failure(lambda: expect.escaped_text(client.get("/raw?name=x"), "<b>")).cause == "body"
    assert failure(lambda: expect.json(client.get("/text"))).cause == "json"
    raised = type("Raised", (), {"type_name": "TypeError", "__str__": lambda self: "The view function did not "
                                 "return a valid response. The return type must be a string, ... but it was a int."})()
    assert expect.exception_cause(raised) == "type"
    assert client.get("/int").status_code == 500  # outside the sandbox: no exception to read the cause from


def test_a_wrong_text_is_not_called_an_escaping_mistake():
    """Only an unescaped answer is told to escape; a wrong text is told what was expected."""
    app = flask.Flask("causes")
    app.add_url_rule("/raw", "raw", lambda: flask.request.args["name"])
    client = app.test_client()
    wrong = failure(lambda: expect.escaped_text(client.get("/raw?name=x"), "<b>"))
    assert str(wrong) == "GET /raw?name=x returned 'x', expected '&lt;b&gt;'.", str(wrong)
    assert "must be HTML-escaped" in str(failure(lambda: expect.escaped_text(client.get("/raw?name=<b>"), "<b>")))


def test_url_for_naming_no_endpoint_is_the_endpoint_cause():
    """A BuildError of the student's url_for gets the hint about endpoint names."""
    raised = type("Raised", (), {"type_name": "BuildError", "__str__": lambda self: "Could not build url for endpoint 'x'."})()
    assert expect.exception_cause(raised) == "endpoint"
    assert EXERCISES["04-responses"].hint_steps("old_redirects_permanently_to_new", "endpoint") == CAUSE_HINTS["endpoint"]


def test_a_cause_with_its_own_steps_in_exercise_yaml_comes_before_the_checks_own():
    add = EXERCISES["02-routing"]
    assert add.hint("add_returns_the_sum", "type").startswith("Your sum is right, but it is a number")
    assert add.hint("add_returns_the_sum", "body") == add.hint("add_returns_the_sum") == add.hint_steps("add_returns_the_sum")[0]
    assert 'What is "2" + "3"' in add.hint("add_returns_the_sum")


def test_a_cause_without_its_own_steps_gets_the_engines_hint_for_it_else_the_checks():
    hello = EXERCISES["01-hello"]
    assert hello.hint_steps("index_says_hello", "type") == CAUSE_HINTS["type"]
    assert hello.hint("index_says_hello", "status") == hello.hint("index_says_hello")
    plain = dataclasses.replace(hello, hints={"c": "one step"})
    assert plain.hint_steps("c", "body") == ["one step"] and plain.hint_steps("nothing", "body") == []


def test_a_view_returning_an_int_gets_the_hint_for_a_number_not_for_string_addition(grade):
    result = grade.mutant("02-routing", INT_SUM)
    check = result.check("add_returns_the_sum")
    assert result.lost == {"add_returns_the_sum"} and check.cause == "type", result.explain()
    assert check.hint.startswith("Your sum is right, but it is a number"), check.hint
    assert '"2" + "3"' not in check.hint


def test_nox_hint_steps_through_the_hints_of_the_cause(grade, tmp_path, monkeypatch, capsys):
    root = grade.tree("02-routing", COURSE_DIR / "solutions" / "02-routing")
    app = root / "02-routing" / "app.py"
    app.write_text(app.read_text().replace("return str(a + b)", "return a + b"))
    for name in ("CI", "GITHUB_ACTIONS", "GRADING_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GRADING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "key"))
    shown = []
    for _ in range(2):
        assert hints.main(["02", "--root", str(root)]) == 0
        shown.append(" ".join(capsys.readouterr().out.split()))
    assert "Hint 2/2: return str(a + b)" in shown[0], shown[0]
    assert "Hint 2/2: return str(a + b)" in shown[1] and "last step" in shown[1], shown[1]
    assert not any("Hint 2/3" in out for out in shown), "the steps of the check's own hint, not the cause's"
