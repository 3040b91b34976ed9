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
