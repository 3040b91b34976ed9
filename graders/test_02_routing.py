"""Grader for 02-routing: URL rules and converters."""

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grading import expect
from grading.judge.remote import StudentError

# Any name a URL segment can carry: no "/" (it separates segments) and not "." or "..",
# which browsers and HTTP clients collapse before the request is sent.
usernames = st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s and s not in (".", ".."))


@pytest.mark.points(1)
def test_about_page(client):
    """GET /about answers 200 with a page about the site."""
    expect.contains(client.get("/about"), "About")


@pytest.mark.points(2)
@given(name=usernames)
@example(name="<img src=x onerror=alert(1)>")
@example(name="Tom & Jerry")
def test_user_page_greets_escaped_name(client, name):
    """GET /user/<name> answers "Hello, <name>!" for any name, with markup escaped."""
    expect.escaped_text(client.get("/user/" + quote(name, safe="")), f"Hello, {name}!")


@pytest.mark.points(1)
def test_user_endpoint_is_show_user(app):
    """The user page's endpoint is show_user: url_for("show_user", username="ada") is /user/ada."""
    try:
        url = app.url_for("show_user", username="ada")
    except StudentError:  # werkzeug.routing.BuildError
        expect.fail(f"url_for('show_user', username='ada') raised BuildError: no endpoint is named show_user "
                    f"(endpoints: {sorted(app.view_functions)}).")
    expect.equal(url, "/user/ada", "url_for('show_user', username='ada')")


@pytest.mark.points(1)
def test_post_with_int_id(client, app):
    """GET /post/42 answers "Post 42" from the show_post endpoint."""
    expect.text(client.get("/post/42"), "Post 42")
    try:
        url = app.url_for("show_post", post_id=42)
    except StudentError:
        expect.fail(f"url_for('show_post', post_id=42) raised BuildError: no endpoint is named show_post "
                    f"(endpoints: {sorted(app.view_functions)}).", "endpoint")
    expect.equal(url, "/post/42", "url_for('show_post', post_id=42)")


@pytest.mark.points(1)
def test_post_with_text_id_is_404(client):
    """GET /post/abc answers 404: post ids are integers."""
    expect.status(client.get("/post/abc"), 404)


@pytest.mark.points(2)
@given(a=st.integers(min_value=0, max_value=10**12), b=st.integers(min_value=0, max_value=10**12))
def test_add_returns_the_sum(client, a, b):
    """GET /add/<a>/<b> answers the decimal sum of any two non-negative integers."""
    expect.text(client.get(f"/add/{a}/{b}"), str(a + b))


@pytest.mark.points(1)
def test_projects_has_trailing_slash(client):
    """GET /projects/ answers 200 and GET /projects redirects (308) to it."""
    expect.status(client.get("/projects/"), 200)
    expect.redirect(client.get("/projects"), "/projects/", status_code=308)
