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
