"""Grader for 14-production: production settings, ProxyFix, and a real Gunicorn serving /healthz."""

import json
import os
import sys

import pytest
from flask import request, url_for

from grading import expect
from grading.judge.remote import StudentCodeError
from grading.sandbox.servers import ServerFailed, serving

SECRET = "grader-secret-4f1c"


@pytest.fixture(autouse=True)
def environment(environ):
    """Every check runs with FLASK_SECRET_KEY set, as in production, and no other Flask setting."""
    environ.pop("FLASK_DEBUG", None)
    environ["FLASK_SECRET_KEY"] = SECRET
    return environ


@pytest.mark.points(1)
def test_missing_secret_key_is_a_clear_error(student, environment):
    """Importing wsgi.py without FLASK_SECRET_KEY raises RuntimeError naming FLASK_SECRET_KEY."""
    del environment["FLASK_SECRET_KEY"]
    try:
        module = student.import_module("wsgi")
    except StudentCodeError as error:
        if error.kind in ("missing", "timeout"):
            raise
        message = str(error)
        if "RuntimeError" in message and "FLASK_SECRET_KEY" in message:
            return
        environment["FLASK_SECRET_KEY"] = SECRET
        student.import_module("wsgi")  # failing with the secret set too, the cause is elsewhere: said once, as such
        expect.fail(f"Without FLASK_SECRET_KEY: {message} Expected a RuntimeError whose message names FLASK_SECRET_KEY.")
    key = student.make_app("wsgi:app").secret_key if module.names.get("app") == "flask" else None
    expect.fail(f"wsgi.py imported fine without FLASK_SECRET_KEY (secret key {key!r}): raise RuntimeError "
                "naming FLASK_SECRET_KEY instead of running with a missing or made-up secret.")


@pytest.mark.points(1)
def test_secret_key_comes_from_the_environment(app):
    """The app's secret key is the value of FLASK_SECRET_KEY."""
    expect.equal(app.secret_key, SECRET, f"With FLASK_SECRET_KEY={SECRET}, app.secret_key")


@pytest.mark.points(1)
def test_debug_and_testing_are_off(app):
    """The production app has debug and testing off."""
    expect.equal((app.debug, app.testing), (False, False), "(app.debug, app.testing) of wsgi.app")


@pytest.mark.points(1)
def test_healthz_is_ok(client):
    """GET /healthz answers 200 JSON {"status": "ok"}."""
    expect.json(client.get("/healthz"), {"status": "ok"})


def add_where_am_i(app):
    """In the sandbox: a route answering the scheme and the external URL the app sees."""

    def where_am_i():
        return {"scheme": request.scheme, "url": url_for("where_am_i", _external=True)}

    app.add_url_rule("/grader-where-am-i", "where_am_i", where_am_i)


@pytest.mark.points(1)
def test_proxy_fix_makes_external_urls_https(app):
    """Behind a proxy sending X-Forwarded-Proto: https, url_for(..., _external=True) gives https URLs."""
    app.probe(add_where_am_i)
    data = expect.json(app.test_client().get("/grader-where-am-i", headers={"X-Forwarded-Proto": "https"}))
    expect.that(data["url"].startswith("https://"), f"With X-Forwarded-Proto: https, url_for(_external=True) gave "
                f"{data['url']}: wrap the app in ProxyFix (app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)).")


def get_healthz_from_gunicorn(folder, secret):
    """In the sandbox: start `gunicorn wsgi:app` on a loopback port, GET /healthz, stop it.

    Its answer as plain data, ``{"status", "headers", "body"}``, or ``{"failed": why}`` (with
    Gunicorn's last lines) when it did not serve.
    """
    command = [sys.executable, "-m", "gunicorn", "--bind", "{address}", "--workers", "1",
               "--graceful-timeout", "2", "--chdir", folder, "wsgi:app"]
    try:
        with serving(command, cwd=folder, env={**os.environ, "FLASK_SECRET_KEY": secret},
                     ready="/healthz", timeout=25) as server:
            status, headers, body = server.get("/healthz")
    except ServerFailed as failed:
        return {"failed": str(failed)}
    return {"status": status, "headers": headers, "body": body}


@pytest.mark.points(3)
@pytest.mark.timeout(40)
@pytest.mark.needs("healthz_is_ok")
def test_gunicorn_serves_healthz(student):
    """gunicorn wsgi:app, started on a loopback port, answers GET /healthz with {"status": "ok"}."""
    student.import_module("wsgi")  # a wsgi.py that cannot be imported is said at once, not after Gunicorn's wait
    ran = student.run_calls
    answer = student.probe(get_healthz_from_gunicorn, str(student.path), SECRET)
    if "failed" in answer:
        why = (" Importing wsgi.py calls app.run(), which starts Flask's development server in Gunicorn's worker "
               "instead of letting Gunicorn serve the app." if ran else "")
        expect.fail(f"gunicorn wsgi:app did not serve:{why} {answer['failed']}", "run" if ran else None)
    status, body = answer.get("status"), answer.get("body")
    text = (body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)).strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    expect.that(status == 200 and data == {"status": "ok"},
                f"Under Gunicorn, GET /healthz answered {status} with {expect.show(text)}, expected 200 and "
                '{"status": "ok"}.')
