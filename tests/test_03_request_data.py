"""The 03-request-data grader: what it accepts and what it refuses."""


def test_starter_reads_the_wrong_sources(grade):
    result = grade.starter("03-request-data")
    assert result.lost == {
        "search_echoes_any_query", "search_without_query_is_400", "greet_reads_the_form",
        "greet_without_name_is_400", "echo_refuses_bad_bodies", "echo_refuses_get",
    }, result.explain()


def test_reading_the_form_for_a_query_loses_the_search_check(grade):
    result = grade.mutant("03-request-data", {"app.py": [('request.args.get("q", "")', 'request.form.get("q", "")')]})
    assert {"search_echoes_any_query"} <= result.lost
    assert "GET /search?q=" in result.check("search_echoes_any_query").message


def test_stripping_the_query_loses_the_search_check(grade):
    """A query of spaces is text too: stripping it changes the answer."""
    result = grade.mutant("03-request-data", {"app.py": [('request.args.get("q", "")', 'request.args.get("q", "").strip()')]})
    assert result.lost == {"search_echoes_any_query"}


def test_unescaped_greeting_loses_the_greet_check(grade):
    result = grade.mutant("03-request-data", {"app.py": [("{escape(name)}", "{name}")]})
    assert result.lost == {"greet_reads_the_form"}


def test_trusting_get_json_loses_the_bad_body_check(grade):
    result = grade.mutant("03-request-data", {"app.py": [("request.get_json(silent=True)", "request.get_json()")]})
    assert result.lost == {"echo_refuses_bad_bodies"}
    assert "expected 400" in result.check("echo_refuses_bad_bodies").message


def test_accepting_a_number_as_message_loses_the_bad_body_check(grade):
    result = grade.mutant("03-request-data", {"app.py": [(' or not isinstance(data.get("message"), str)', ' or "message" not in data')]})
    assert result.lost == {"echo_refuses_bad_bodies"}


def test_echo_open_to_get_loses_the_405_check(grade):
    result = grade.mutant("03-request-data", {"app.py": [('@app.post("/echo")', '@app.route("/echo", methods=["GET", "POST"])')]})
    assert result.lost == {"echo_refuses_get"}
