"""Grader for 03-request-data: query strings, forms, JSON and methods."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grading import expect

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
# JSON bodies that are not an object with a string "message".
bad_bodies = json_values.filter(lambda v: not (isinstance(v, dict) and isinstance(v.get("message"), str)))


def accepted(response):
    """``response``, unless its route refused the method (405): one cause every check sending
    that request shares, said once."""
    if response.status_code == 405:
        expect.precondition(f"{expect.request_of(response)} returned 405." + expect.explain_status(response), "status")
    return response


@pytest.mark.points(2)
@given(text=st.text(min_size=1, max_size=40))
@example(text="flask & jinja")
@example(text="héllo wörld ✓")
def test_search_echoes_any_query(client, text):
    """GET /search?q=<text> answers JSON {"query": text, "length": len(text)} for any Unicode text."""
    expect.json(client.get("/search", query_string={"q": text}), {"query": text, "length": len(text)})


@pytest.mark.points(1)
def test_search_without_query_is_400(client):
    """GET /search with no q, or an empty q, answers 400 JSON {"error": ...}."""
    expect.json_error(client.get("/search"), 400)
    expect.json_error(client.get("/search?q="), 400)


@pytest.mark.points(2)
@given(name=st.text(min_size=1, max_size=30))
@example(name="<b>Ada</b>")
def test_greet_reads_the_form(client, name):
    """POST /greet with form field name answers "Hello, <name>!", escaped."""
    expect.escaped_text(accepted(client.post("/greet", data={"name": name})), f"Hello, {name}!")


@pytest.mark.points(1)
def test_greet_without_name_is_400(client):
    """POST /greet without a name answers 400."""
    expect.status(accepted(client.post("/greet", data={})), 400)


@pytest.mark.points(2)
@given(message=st.text(max_size=40))
@example(message="hello")
def test_echo_returns_the_message(client, message):
    """POST /echo with JSON {"message": text} answers JSON {"echo": text}."""
    expect.json(accepted(client.post("/echo", json={"message": message})), {"echo": message})


@pytest.mark.points(2)
@given(body=bad_bodies)
@example(body={"message": 42})
@example(body=["message"])
@example(body={})
def test_echo_refuses_bad_bodies(client, body):
    """POST /echo with a body that is not JSON, or has no string message, answers 400 JSON {"error": ...}."""
    expect.json_error(accepted(client.post("/echo", data="message=hi", content_type="text/plain")), 400)
    expect.json_error(client.post("/echo", data="{not json", content_type="application/json"), 400)
    expect.json_error(client.post("/echo", json=body), 400)


@pytest.mark.points(1)
def test_echo_refuses_get(client):
    """GET /echo answers 405: /echo only accepts POST."""
    expect.status(client.get("/echo"), 405)
