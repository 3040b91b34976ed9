"""The 04-responses grader: what it accepts and what it refuses."""


def test_starter_gets_zero(grade):
    assert grade.starter("04-responses").score == 0


def test_temporary_redirect_loses_the_redirect_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('redirect(url_for("new"), code=301)', 'redirect(url_for("new"))')]})
    assert result.lost == {"old_redirects_permanently_to_new"}
    assert result.check("old_redirects_permanently_to_new").message == "GET /old returned 302, expected 301."


def test_html_404_page_loses_the_json_404_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('return {"error": "not found", "path": request.path}, 404',
                                                       'return "<h1>Not found</h1>", 404')]})
    assert result.lost == {"unknown_path_is_json_404"}


def test_404_handler_answering_200_loses_the_404_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('"path": request.path}, 404', '"path": request.path}')]})
    assert result.lost == {"unknown_path_is_json_404"}


def test_missing_500_handler_loses_the_crash_check(grade):
    result = grade.mutant("04-responses", {"app.py": [("@app.errorhandler(500)\n", "")]})
    assert result.lost == {"crash_is_json_500"}
    assert "RuntimeError: boom" in result.check("crash_is_json_500").message


def test_html_download_loses_the_download_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('response.mimetype = "text/plain"', 'response.mimetype = "text/html"')]})
    assert result.lost == {"download_is_a_text_attachment"}


def test_accepting_any_theme_loses_the_400_check(grade):
    result = grade.mutant("04-responses", {"app.py": [("if name not in THEMES:\n        abort(400)\n    ", "")]})
    assert result.lost == {"unknown_theme_is_400"}


def test_no_default_theme_loses_the_theme_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('request.cookies.get("theme", "light")', 'request.cookies.get("theme", "")')]})
    assert result.lost == {"theme_reads_the_cookie"}


def test_theme_set_on_a_redirect_gets_full_marks(grade):
    result = grade.alternative("04-responses", "redirect_after_theme")
    assert result.full, result.explain()


def test_theme_cookie_on_an_error_loses_the_cookie_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('response.set_cookie("theme", name)\n',
                                                       'response.set_cookie("theme", name)\n    response.status_code = 403\n')]})
    assert result.lost == {"theme_cookie_is_set"}
    assert result.check("theme_cookie_is_set").message == (
        "GET /theme/set/light answered 403 and set the cookie theme=light, expected a page or a redirect "
        "(a status below 400) that sets the cookie theme=light.")


def test_theme_cookie_never_set_loses_the_cookie_check(grade):
    result = grade.mutant("04-responses", {"app.py": [('    response.set_cookie("theme", name)\n', "")]})
    assert result.lost == {"theme_cookie_is_set"}
    assert result.check("theme_cookie_is_set").message == (
        "GET /theme/set/light answered 200 and set no theme cookie, expected a page or a redirect "
        "(a status below 400) that sets the cookie theme=light.")


def test_redirect_to_a_wrong_endpoint_gets_the_hint_for_endpoints(grade):
    """url_for("new_page") for the view new gets the endpoint hint, not the one about 301."""
    result = grade.mutant("04-responses", {"app.py": [('url_for("new")', 'url_for("new_page")')]})
    check = result.check("old_redirects_permanently_to_new")
    assert result.lost == {"old_redirects_permanently_to_new"} and check.cause == "endpoint", result.explain()
    assert check.hint.startswith("url_for builds a URL from an endpoint's name"), check.hint


def test_handler_for_exception_swallowing_abort_gets_the_hint_for_handlers(grade):
    """An errorhandler(Exception) that turns abort(403) into 500 is blamed, not the view's abort(403)."""
    result = grade.mutant("04-responses", {"app.py": [("@app.errorhandler(500)\n", "@app.errorhandler(Exception)\n")]})
    check = result.check("secret_is_403")
    assert result.lost == {"secret_is_403", "unknown_theme_is_400"} and check.cause == "handler", result.explain()
    assert check.hint.startswith("Your error handler answered in place of the error"), check.hint


def test_secret_returning_403_as_a_number_gets_the_hint_for_abort(grade):
    """`return 403` gets the hint that a number is no response and abort(403) is, not the generic one."""
    result = grade.mutant("04-responses", {"app.py": [("    abort(403)\n", "    return 403\n")]})
    check = result.check("secret_is_403")
    assert result.lost == {"secret_is_403"} and check.cause == "type", result.explain()
    assert check.hint.startswith("A bare 403 is a number, not a response"), check.hint


def test_html_404_page_gets_the_hint_for_json(grade):
    """A 404 handler answering HTML gets the hint about JSON, not about registering a handler."""
    result = grade.mutant("04-responses", {"app.py": [('return {"error": "not found", "path": request.path}, 404',
                                                       'return "<h1>Not found</h1>", 404')]})
    check = result.check("unknown_path_is_json_404")
    assert check.cause == "json" and check.hint.startswith("The 404 is right, but it is HTML, not JSON"), check.hint
