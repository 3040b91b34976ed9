"""Grader for 06-debug-config: one factory, three configurations, debug only where it belongs.

Every app is built fresh by ``create_app`` in an environment holding only the variables a check
sets (``environ``: the environment of the student's code, new for every check), with the student's
modules imported again, so settings read at import time see that environment too.
"""

import importlib

import pytest

from grading import expect

SETTINGS = ("APP_ENV", "FLASK_SECRET_KEY", "FLASK_DEBUG", "FLASK_TESTING", "FLASK_COURSE_LEVEL")


@pytest.fixture
def build(make_app, environ):
    """``build(config_name, **environment)``: a fresh app, created with exactly that environment."""

    def make(config_name=None, **environment):
        for name in SETTINGS:
            environ.pop(name, None)
        environ.update(environment)
        return make_app(config_name)  # a fresh import of the student's modules, every time

    return make


def outcome_of_create_app(config_name):
    """Probe, run in the sandbox: call the student's ``create_app(config_name)``; what it raised
    (its type, message and whether it is a RuntimeError or a ValueError), or the secret key of
    the app it returned."""
    create_app = importlib.import_module("app").create_app
    try:
        made = create_app(config_name)
    except Exception as exc:  # noqa: BLE001 - the student's code may raise anything
        return {"raised": type(exc).__name__, "message": str(exc),
                "runtime_error": isinstance(exc, RuntimeError), "value_error": isinstance(exc, ValueError)}
    return {"secret_key": getattr(made, "secret_key", None)}


def called(config_name, environment=""):
    return f"create_app({config_name!r}){' with ' + environment if environment else ''}"


@pytest.mark.points(1)
def test_development_has_debug_and_template_reloading(build):
    """create_app("development") has debug on and reloads templates when they change, by its own
    setting (TEMPLATES_AUTO_RELOAD), not only because debug is on: also with FLASK_DEBUG=0."""
    app = build("development")
    expect.equal(app.debug, True, 'app.debug of create_app("development")')
    expect.equal(app.jinja_env.auto_reload, True, 'Template reloading (app.jinja_env.auto_reload) in development')
    app = build("development", FLASK_DEBUG="0")
    expect.equal(
        app.jinja_env.auto_reload, True,
        f"Template reloading (app.jinja_env.auto_reload) of {called('development', 'FLASK_DEBUG=0')}, "
        "so with debug off, where only the development configuration's own setting turns it on,",
    )


@pytest.mark.points(1)
def test_testing_has_testing_on(build):
    """create_app("testing") has TESTING on and debug off."""
    app = build("testing")
    expect.equal(app.testing, True, 'app.testing of create_app("testing")')
    expect.equal(app.debug, False, 'app.debug of create_app("testing")')


@pytest.mark.points(1)
def test_production_has_debug_off_and_the_secret_from_the_environment(build):
    """create_app("production") has debug off and takes its secret key from FLASK_SECRET_KEY."""
    app = build("production", FLASK_SECRET_KEY="s3cr3t-from-env")
    expect.equal(app.debug, False, 'app.debug of create_app("production")')
    expect.equal(app.secret_key, "s3cr3t-from-env", 'With FLASK_SECRET_KEY=s3cr3t-from-env, app.secret_key')


@pytest.mark.points(1)
def test_production_without_secret_key_is_a_clear_error(student, build):
    """create_app("production") without FLASK_SECRET_KEY raises RuntimeError naming SECRET_KEY."""
    build("development")  # clears the environment
    outcome = student.probe(outcome_of_create_app, "production")
    if outcome.get("runtime_error"):
        expect.that("SECRET_KEY" in outcome["message"], f"{called('production')} raised RuntimeError("
                    f"{outcome['message']!r}), whose message does not name SECRET_KEY.")
        return
    if "raised" in outcome:
        expect.fail(f"{called('production')} without FLASK_SECRET_KEY raised {outcome['raised']}: "
                    f"{outcome['message']}, expected RuntimeError.")
    expect.fail(f"{called('production')} without FLASK_SECRET_KEY returned an app with secret key "
                f"{outcome['secret_key']!r}, expected RuntimeError naming SECRET_KEY.")


@pytest.mark.points(1)
def test_unknown_config_name_is_a_value_error(student, build):
    """create_app("staging") raises ValueError: there is no such configuration."""
    build("development")
    outcome = student.probe(outcome_of_create_app, "staging")
    if outcome.get("value_error"):
        return
    if "raised" in outcome:
        expect.fail(f"{called('staging')} raised {outcome['raised']}: {outcome['message']}, "
                    "expected ValueError.")
    expect.fail(f"{called('staging')} returned an app, expected ValueError.")


@pytest.mark.points(1)
def test_config_name_comes_from_app_env_default_production(build):
    """create_app() reads APP_ENV (development, testing), production when it is unset."""
    app = build(None, APP_ENV="development")
    expect.equal(app.debug, True, f"app.debug of {called(None, 'APP_ENV=development')}")
    app = build(None, APP_ENV="testing")
    expect.equal(app.testing, True, f"app.testing of {called(None, 'APP_ENV=testing')}")
    app = build(None, FLASK_SECRET_KEY="x")
    expect.equal((app.debug, app.testing), (False, False),
                 f"(debug, testing) of {called(None, 'no APP_ENV')}, so production,")


@pytest.mark.points(1)
def test_flask_variables_override_the_config_class(build):
    """FLASK_* variables are applied after the class: FLASK_DEBUG=0 turns development's debug off."""
    app = build("development", FLASK_DEBUG="0", FLASK_COURSE_LEVEL="3")
    expect.equal(app.config.get("COURSE_LEVEL"), 3, f"app.config['COURSE_LEVEL'] of {called('development', 'FLASK_COURSE_LEVEL=3')}")
    expect.equal(app.debug, False, f"app.debug of {called('development', 'FLASK_DEBUG=0')}")


@pytest.mark.points(1)
def test_status_reports_debug_and_testing(build):
    """GET /status answers JSON {"debug": app.debug, "testing": app.testing} in every configuration."""
    for name, expected in (("development", True), ("testing", False), ("production", False)):
        app = build(name, FLASK_SECRET_KEY="x")
        expect.json(app.test_client().get("/status"), {"debug": expected, "testing": name == "testing"})


@pytest.mark.points(2)
def test_production_hides_tracebacks_behind_a_friendly_page(build):
    """In production GET /crash answers 500 with a page saying Something went wrong, no traceback."""
    app = build("production", FLASK_SECRET_KEY="x")
    response = app.test_client().get("/crash")
    expect.contains(response, "Something went wrong", status_code=500)
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "ZeroDivisionError", "division by zero"):
        expect.that(leak not in body, f"GET /crash in production shows {leak!r} to the visitor: "
                    "keep error details out of the page.")


@pytest.mark.points(1)
def test_development_lets_the_crash_propagate(build):
    """In development the ZeroDivisionError of GET /crash propagates, for the debugger."""
    app = build("development")
    try:
        response = app.test_client().get("/crash")
    except ZeroDivisionError:
        return
    expect.fail(f"GET /crash in development answered {response.status_code} instead of letting "
                "ZeroDivisionError propagate: do not catch every exception in development.")


@pytest.mark.points(1)
def test_running_app_py_starts_a_debug_server(student, build):
    """python app.py starts the development server with debug on."""
    build("development")  # a clean environment
    calls = student.run_as_main("app")
    expect.that(bool(calls), "python app.py started no server: end app.py with "
                'if __name__ == "__main__": create_app("development").run(debug=True)')
    expect.that(any(c.debug for c in calls), "python app.py started the server with debug off: "
                "run a development app (debug on).")
