"""The 01-hello grader: what it accepts and what it refuses."""


def test_empty_starter_gets_zero(grade):
    assert grade.starter("01-hello").score == 0


def test_app_run_at_import_loses_only_the_import_check(grade):
    result = grade.mutant(
        "01-hello", {"app.py": [('if __name__ == "__main__":\n    app.run(debug=True)', "app.run(debug=True)")]}
    )
    assert result.lost == {"import_does_not_start_server"}, result.explain()


def test_catch_all_route_loses_the_404_check(grade):
    result = grade.mutant(
        "01-hello", {"app.py": [('@app.route("/")', '@app.route("/", defaults={"p": ""})\n@app.route("/<path:p>")'),
                                ("def index():", "def index(p):")]}
    )
    assert result.lost == {"unknown_path_is_404"}, result.explain()


def test_wrong_greeting_loses_the_hello_check(grade):
    result = grade.mutant("01-hello", {"app.py": [('"Hello, Flask!"', '"Hello Flask"')]})
    assert result.lost == {"index_says_hello"}
    assert "expected 'Hello, Flask!'" in result.check("index_says_hello").message


def test_starter_without_app_says_so_once(grade):
    """The starter's missing `app` is said by GET /; the other checks are not run for it."""
    result = grade.starter("01-hello")
    said = "app.py has no `app`: define it at module level."
    assert result.check("index_says_hello").message == said, result.explain()
    others = [c for c in result.result.checks if c.name != "index_says_hello"]
    assert all(c.status == "not_run" and c.message == f"Not run: {said}" for c in others), result.explain()


def test_app_that_cannot_be_imported_is_said_once(grade):
    """An import error is said once, not again by `python app.py`, with the hint for an import error."""
    result = grade.mutant("01-hello", {"app.py": [("from flask import Flask", "from flask import flask")]})
    said = [c for c in result.result.checks if c.status != "not_run"]
    assert [c.name for c in said] == ["index_says_hello"], result.explain()
    assert said[0].message.startswith("Importing app.py raised ImportError"), result.explain()
    assert said[0].cause == "import" and said[0].hint.startswith("Python stopped before your app existed"), said[0].hint


def test_other_greeting_gets_the_hint_to_compare_the_text(grade):
    """A view answering other text gets the hint about the text, not about making the app."""
    result = grade.mutant("01-hello", {"app.py": [('"Hello, Flask!"', '"<h1>Hello Flask</h1>"')]})
    check = result.check("index_says_hello")
    assert result.lost == {"index_says_hello"} and check.cause == "body", result.explain()
    assert check.hint.startswith("Your view answers GET /, but with other text"), check.hint
