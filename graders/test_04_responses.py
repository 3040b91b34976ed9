"""Grader for 04-responses: status codes, redirects, headers, cookies and error handlers."""

from http.cookies import SimpleCookie

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.http import parse_options_header

from grading import expect

KNOWN = ("/teapot", "/old", "/new", "/secret", "/boom", "/download", "/theme", "/static")
unknown_paths = st.from_regex(r"/[a-z0-9_-]{1,12}(/[a-z0-9_.-]{1,12}){0,2}", fullmatch=True).filter(
    lambda p: not p.startswith(KNOWN)
)


@pytest.mark.points(1)
def test_teapot_is_418(client):
    """GET /teapot answers 418 I'm a teapot."""
    expect.status(client.get("/teapot"), 418)


@pytest.mark.points(1)
def test_old_redirects_permanently_to_new(client):
    """GET /old redirects with 301 to /new, which answers 200."""
    expect.redirect(client.get("/old"), "/new", status_code=301)
    expect.status(client.get("/new"), 200)


@pytest.mark.points(1)
def test_secret_is_403(client):
    """GET /secret answers 403 Forbidden."""
    expect.status(client.get("/secret"), 403)


@pytest.mark.points(2)
@given(path=unknown_paths)
def test_unknown_path_is_json_404(client, path):
    """Any unknown path answers 404 JSON {"error": "not found", "path": <the path>}."""
    expect.json(client.get(path), {"error": "not found", "path": path}, status_code=404)


@pytest.mark.points(2)
def test_crash_is_json_500(app):
    """When a view raises (in production), the app answers 500 JSON {"error": "internal server error"}."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    expect.json(app.test_client().get("/boom"), {"error": "internal server error"}, status_code=500)


@pytest.mark.points(1)
def test_download_is_a_text_attachment(client):
    """GET /download is a text/plain attachment named report.txt."""
    response = client.get("/download")
    expect.status(response, 200)
    expect.header(response, "Content-Type", lambda v: v.startswith("text/plain"), "text/plain")
    expect.header(
        response,
        "Content-Disposition",
        lambda v: parse_options_header(v) == ("attachment", {"filename": "report.txt"}),
        "attachment; filename=report.txt",
    )


def sent_cookie(response, name):
    """The value of the cookie ``name`` that ``response`` sets, or None."""
    sent = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        sent.load(header)
    return sent[name].value if name in sent else None


@pytest.mark.points(1)
def test_theme_cookie_is_set(client):
    """GET /theme/set/light and /theme/set/dark answer a page or a redirect that sets the cookie theme=<name>."""
    for theme in ("light", "dark"):
        response = client.get(f"/theme/set/{theme}")
        expect.no_server_error(response)
        value = sent_cookie(response, "theme")
        set_what = f"set the cookie theme={value}" if value is not None else "set no theme cookie"
        expect.that(
            value == theme and response.status_code < 400,
            f"GET /theme/set/{theme} answered {response.status_code} and {set_what}, expected a page or a "
            f"redirect (a status below 400) that sets the cookie theme={theme}.",
        )


@pytest.mark.points(1)
@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).filter(
    lambda n: n not in ("light", "dark")))
def test_unknown_theme_is_400(client, name):
    """GET /theme/set/<name> answers 400 for any name other than light or dark."""
    expect.status(client.get(f"/theme/set/{name}"), 400)


@pytest.mark.points(1)
def test_theme_reads_the_cookie(client):
    """GET /theme answers light without a cookie, and the cookie's value once it is set."""
    expect.text(client.get("/theme"), "light")
    client.set_cookie("theme", "dark")
    expect.text(client.get("/theme"), "dark")
