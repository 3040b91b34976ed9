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


def test_greet_refusing_post_is_said_once(grade):
    """A /greet that only accepts GET: its 405 is said by the first POST check, the other is not run."""
    result = grade.mutant("03-request-data", {"app.py": [('@app.post("/greet")', '@app.get("/greet")')]})
    assert result.lost == {"greet_reads_the_form", "greet_without_name_is_400"}, result.explain()
    said = result.check("greet_reads_the_form").message
    assert said.startswith("POST /greet returned 405. 405 Method Not Allowed") and "(only GET, HEAD, OPTIONS)" in said, said
    assert result.check("greet_without_name_is_400").message == f"Not run: {said}", result.explain()


def test_echo_refusing_post_is_said_once(grade):
    """An /echo that only accepts GET: the two POST checks say its 405 once."""
    result = grade.mutant("03-request-data", {"app.py": [('@app.post("/echo")', '@app.route("/echo")')]})
    assert result.lost == {"echo_returns_the_message", "echo_refuses_bad_bodies", "echo_refuses_get"}, result.explain()
    check = result.check("echo_returns_the_message")
    assert check.message.startswith("POST /echo returned 405.") and check.hint.startswith("Which methods does your /echo"), check
    assert result.check("echo_refuses_bad_bodies").status == "not_run", result.explain()


def test_search_answering_text_gets_the_hint_for_json(grade):
    """A search answering text gets the hint about returning a dict, not about request.args."""
    result = grade.mutant("03-request-data", {"app.py": [('return {"query": q, "length": len(q)}', 'return f"{q} {len(q)}"')]})
    check = result.check("search_echoes_any_query")
    assert result.lost == {"search_echoes_any_query"} and check.cause == "json", result.explain()
    assert check.hint.startswith("Your view answers, but with text, not JSON"), check.hint


def test_missing_q_left_to_flask_gets_the_hint_for_a_json_error(grade):
    """request.args["q"] answers Flask's HTML 400: the hint says the error must be JSON."""
    result = grade.mutant("03-request-data", {"app.py": [(
        'q = request.args.get("q", "")\n    if not q:\n        return {"error": "the query parameter q is required"}, 400',
        'q = request.args["q"]')]})
    check = result.check("search_without_query_is_400")
    assert result.lost == {"search_without_query_is_400"} and check.cause == "json", result.explain()
    assert check.hint.startswith("A 400 is right, but the answer must be JSON"), check.hint
