"""The 14-production grader: what it accepts and what it refuses, under a real Gunicorn."""

from pathlib import Path

ID = "14-production"


def test_starter_gets_zero(grade):
    assert grade.starter(ID).score == 0


def test_no_proxy_fix_loses_the_https_check(grade):
    result = grade.mutant(ID, {"app.py": [("    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)\n", "")]})
    assert result.lost == {"proxy_fix_makes_external_urls_https"}


def test_proxy_fix_around_the_app_that_ignores_the_proto_loses_the_https_check(grade):
    """ProxyFix wrapped around the whole app (app = ProxyFix(app)) is graded through; x_proto=0 trusts nothing."""
    result = grade.mutant(ID, {
        "app.py": [("    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)\n", "")],
        "wsgi.py": [("app = create_app()", "from werkzeug.middleware.proxy_fix import ProxyFix\n\napp = ProxyFix(create_app(), x_proto=0)")],
    })
    assert result.lost == {"proxy_fix_makes_external_urls_https"}


def test_debug_on_loses_the_debug_check(grade):
    result = grade.mutant(ID, {"app.py": [("DEBUG=False", "DEBUG=True")]})
    assert result.lost == {"debug_and_testing_are_off"}


def test_made_up_secret_loses_the_missing_secret_check(grade):
    result = grade.mutant(ID, {"app.py": [('os.environ.get("FLASK_SECRET_KEY")', 'os.environ.get("FLASK_SECRET_KEY", "dev")')]})
    assert result.lost == {"missing_secret_key_is_a_clear_error"}
    assert "imported fine without FLASK_SECRET_KEY (secret key 'dev')" in result.check("missing_secret_key_is_a_clear_error").message


def test_key_error_for_a_missing_secret_loses_that_check(grade):
    result = grade.mutant(ID, {"app.py": [('os.environ.get("FLASK_SECRET_KEY")', 'os.environ["FLASK_SECRET_KEY"]')]})
    assert result.lost == {"missing_secret_key_is_a_clear_error"}
    assert "KeyError" in result.check("missing_secret_key_is_a_clear_error").message


def test_text_health_check_loses_both_healthz_checks_and_gunicorn_is_not_run(grade):
    result = grade.mutant(ID, {"app.py": [('return {"status": "ok"}', 'return "ok"')]})
    assert result.lost == {"healthz_is_ok", "gunicorn_serves_healthz"}
    assert result.check("healthz_is_ok").hint.startswith("Your /healthz answers text, not JSON")
    gunicorn = result.check("gunicorn_serves_healthz")
    assert gunicorn.status == "not_run" and gunicorn.message == "Not run: needs healthz_is_ok (see above).", result.explain()


def test_a_wsgi_py_that_cannot_be_imported_is_said_once(grade):
    result = grade.mutant(ID, {"wsgi.py": [("from app import create_app\n\napp = create_app()", "from app import app")]})
    assert result.score == 0
    said = result.check("missing_secret_key_is_a_clear_error")
    assert said.message.startswith("Importing wsgi.py raised ImportError: cannot import name 'app'"), said.message
    assert "FLASK_SECRET_KEY" not in said.message, said.message
    assert all(c.status == "not_run" and c.message == f"Not run: {said.message}"
               for c in result.result.checks if c is not said), result.explain()


def test_a_wsgi_py_calling_app_run_is_named_under_gunicorn(grade):
    result = grade.mutant(ID, {"wsgi.py": [("app = create_app()", "app = create_app()\napp.run()")]})
    check = result.check("gunicorn_serves_healthz")
    assert result.lost == {check.name}, result.explain()
    assert "Importing wsgi.py calls app.run(), which starts Flask's development server" in check.message, check.message
    assert check.cause == "run" and check.hint.startswith("Gunicorn imports wsgi.py to find app"), check.hint


def test_app_that_cannot_start_under_gunicorn_is_reported_and_stopped(grade):
    """A wsgi.py that fails under Gunicorn only: the check shows Gunicorn's output, no server is left."""
    result = grade.mutant(ID, {"wsgi.py": [("app = create_app()", "import os\napp = create_app() if 'SERVER_SOFTWARE' not in os.environ else None")]})
    assert result.lost == {"gunicorn_serves_healthz"}
    assert "did not serve" in result.check("gunicorn_serves_healthz").message
    assert not [cmd for cmd in _command_lines() if b"gunicorn" in cmd and b"wsgi:app" in cmd]


def _command_lines():
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            yield path.read_bytes()
        except OSError:
            continue
