"""The 07-context grader: what it accepts and what it refuses."""

ID = "07-context"


def test_starter_with_module_level_state_is_well_below_full(grade):
    assert grade.starter(ID).score <= 1


def test_module_level_counter_loses_every_visit_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ('app.config["GREETING"] = "Hello"\n', 'app.config["GREETING"] = "Hello"\nVISITS = {"n": 0}\n'),
        ('session["visits"] = session.get("visits", 0) + 1\n    return f"Visits: {session[\'visits\']}"',
         'VISITS["n"] += 1\n    return f"Visits: {VISITS[\'n\']}"'),
    ]})
    assert result.lost == {
        "visit_counts_this_clients_visits", "two_clients_count_separately",
        "visits_count_per_client_under_concurrent_requests",
    }
    assert "expected ['Visits: 1']" in result.check("visit_counts_this_clients_visits").message


def test_request_id_made_once_at_import_loses_the_fresh_id_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("def greeting():", "ONE_ID = uuid.uuid4().hex\n\n\ndef greeting():"),
        ("g.request_id = uuid.uuid4().hex", "g.request_id = ONE_ID"),
    ]})
    assert result.lost == {"request_id_is_fresh_on_every_request"}


def test_no_after_request_loses_the_header_check(grade):
    result = grade.mutant(ID, {"app.py": [("@app.after_request\n", "")]})
    assert result.lost == {"every_response_carries_x_request_id"}
    assert "has no X-Request-ID header" in result.check("every_response_carries_x_request_id").message


def test_header_with_its_own_id_loses_the_header_check(grade):
    result = grade.mutant(ID, {"app.py": [('response.headers["X-Request-ID"] = g.request_id',
                                           'response.headers["X-Request-ID"] = uuid.uuid4().hex')]})
    assert result.lost == {"every_response_carries_x_request_id"}


def test_helper_reading_the_global_app_loses_the_current_app_check(grade):
    result = grade.mutant(ID, {"app.py": [('return current_app.config.get("GREETING", "Hello")',
                                           'return app.config.get("GREETING", "Hello")')]})
    assert result.lost == {"greeting_helper_uses_current_app"}

VISIT_CHECKS = ("visit_counts_this_clients_visits", "two_clients_count_separately",
                "visits_count_per_client_under_concurrent_requests")


def test_session_without_secret_key_is_said_once(grade):
    """No SECRET_KEY: the secret check says it, the visit checks that need a session are not run."""
    result = grade.mutant(ID, {"app.py": [('app.config["SECRET_KEY"] = "dev-only-change-me"  # signs the session cookie\n', "")]})
    assert result.lost == {"secret_key_is_set", *VISIT_CHECKS}, result.explain()
    assert all(result.check(name).message == "Not run: needs secret_key_is_set (see above)." for name in VISIT_CHECKS)


def test_visit_that_crashes_is_said_once_with_the_hint_for_a_crash(grade):
    """session["visits"] on a first visit: the KeyError is said once, with the hint for a crash."""
    result = grade.mutant(ID, {"app.py": [('session.get("visits", 0) + 1', 'session["visits"] + 1')]})
    assert result.lost == set(VISIT_CHECKS), result.explain()
    first = result.check("visit_counts_this_clients_visits")
    assert first.message.startswith("GET /visit returned 500, expected 200. Your code raised KeyError: 'visits'"), first.message
    assert first.cause == "exception" and first.hint.startswith("GET /visit crashed"), first.hint
    assert all(result.check(name).message == f"Not run: {first.message}" for name in VISIT_CHECKS[1:]), result.explain()


def test_after_request_without_return_gets_the_hint_for_after_request(grade):
    """An after_request function that forgets `return response`: GET /whoami's crash gets the hint for it."""
    result = grade.mutant(ID, {"app.py": [('    response.headers["X-Request-ID"] = g.request_id\n    return response\n',
                                           '    response.headers["X-Request-ID"] = g.request_id\n')]})
    check = result.check("request_id_is_fresh_on_every_request")
    assert "an after_request function must return the response" in check.message and check.cause == "exception", result.explain()
    assert check.hint.startswith("GET /whoami crashed"), check.hint
    said = [c for c in result.result.checks if c.status == "failed"]
    assert len(said) == 2, result.explain()  # GET /visit's AttributeError and GET /whoami's TypeError


def test_request_ids_kept_as_uuid_objects_get_full_marks(grade):
    """g.request_id = uuid.uuid4(): the client sees the same text in the JSON and the header."""
    result = grade.mutant(ID, {"app.py": [("g.request_id = uuid.uuid4().hex", "g.request_id = uuid.uuid4()"),
                                           ("= g.request_id\n", "= str(g.request_id)\n")]})
    assert result.full, result.explain()
