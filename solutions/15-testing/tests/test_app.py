"""Tests for the notes API in app.py: one promise of README.md per test."""

import pytest

from app import create_app


@pytest.fixture
def client():
    """A test client for a new app, with its own empty store of notes."""
    return create_app({"TESTING": True}).test_client()


def add(client, text):
    """Create a note through the API and return its JSON."""
    response = client.post("/notes", json={"text": text})
    assert response.status_code == 201
    return response.get_json()


# -- POST /notes --------------------------------------------------------------------------


def test_create_answers_201_with_the_note(client):
    response = client.post("/notes", json={"text": "Buy milk"})
    assert response.status_code == 201
    assert response.get_json() == {"id": 1, "text": "Buy milk"}


def test_ids_start_at_1_and_count_up(client):
    assert [add(client, text)["id"] for text in ("a", "b", "c")] == [1, 2, 3]


def test_text_is_stripped(client):
    assert add(client, "  Buy milk \n")["text"] == "Buy milk"
    assert client.get("/notes/1").get_json()["text"] == "Buy milk"


def test_200_characters_is_not_too_long(client):
    assert add(client, "x" * 200)["text"] == "x" * 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "Buy milk"},
        {"text": None},
        {"text": 42},
        {"text": ["Buy milk"]},
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 201},
        ["Buy milk"],
    ],
)
def test_bad_text_is_refused_with_400_json(client, body):
    response = client.post("/notes", json=body)
    assert response.status_code == 400
    assert "error" in response.get_json()
    assert client.get("/notes").get_json() == []


def test_body_that_is_not_json_is_refused(client):
    response = client.post("/notes", data="text=Buy milk")
    assert response.status_code == 400
    assert "error" in response.get_json()


# -- GET /notes/<id> ----------------------------------------------------------------------


def test_get_answers_the_note_with_that_id(client):
    add(client, "first")
    add(client, "second")
    response = client.get("/notes/1")
    assert response.status_code == 200
    assert response.get_json() == {"id": 1, "text": "first"}
    assert client.get("/notes/2").get_json() == {"id": 2, "text": "second"}


def test_get_unknown_note_is_404_json(client):
    add(client, "first")
    response = client.get("/notes/2")
    assert response.status_code == 404
    assert "error" in response.get_json()


# -- GET /notes ---------------------------------------------------------------------------


def test_new_app_has_no_notes(client):
    response = client.get("/notes")
    assert response.status_code == 200
    assert response.get_json() == []


def test_list_is_oldest_first(client):
    for text in ("one", "two", "three"):
        add(client, text)
    assert client.get("/notes").get_json() == [
        {"id": 1, "text": "one"},
        {"id": 2, "text": "two"},
        {"id": 3, "text": "three"},
    ]


def test_search_keeps_notes_containing_the_word(client):
    add(client, "Buy milk")
    add(client, "Walk the dog")
    add(client, "milkshake time")
    texts = [note["text"] for note in client.get("/notes?q=milk").get_json()]
    assert texts == ["Buy milk", "milkshake time"]


def test_search_ignores_case(client):
    add(client, "Learn Flask")
    add(client, "Buy milk")
    assert client.get("/notes?q=flask").get_json() == [{"id": 1, "text": "Learn Flask"}]
    assert client.get("/notes?q=FLASK").get_json() == [{"id": 1, "text": "Learn Flask"}]


def test_search_without_match_is_empty(client):
    add(client, "Buy milk")
    assert client.get("/notes?q=flask").get_json() == []


# -- DELETE /notes/<id> -------------------------------------------------------------------


def test_delete_answers_204_with_an_empty_body(client):
    add(client, "Buy milk")
    response = client.delete("/notes/1")
    assert response.status_code == 204
    assert response.data == b""


def test_deleted_note_is_gone(client):
    add(client, "Buy milk")
    add(client, "Walk the dog")
    client.delete("/notes/1")
    assert client.get("/notes/1").status_code == 404
    assert client.get("/notes").get_json() == [{"id": 2, "text": "Walk the dog"}]


def test_delete_unknown_note_is_404_json(client):
    response = client.delete("/notes/1")
    assert response.status_code == 404
    assert "error" in response.get_json()


# -- each app its own notes ---------------------------------------------------------------


def test_each_app_has_its_own_notes():
    first = create_app({"TESTING": True}).test_client()
    add(first, "only in the first app")
    second = create_app({"TESTING": True}).test_client()
    assert second.get("/notes").get_json() == []
    assert add(second, "Buy milk")["id"] == 1
