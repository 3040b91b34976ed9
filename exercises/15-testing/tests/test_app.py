"""Tests for the notes API in app.py: write them here.

README.md lists what the app promises; write at least one test per promise. Run them with
`nox -s pytest -- 15`, grade them with `nox -s grade -- 15`.
"""

import pytest

from app import create_app


@pytest.fixture
def client():
    """A test client for a new app, with its own empty store of notes."""
    return create_app({"TESTING": True}).test_client()


# TODO POST /notes: 201 and the note; ids 1, 2, 3...; text stripped; bad text is 400 JSON.
# For example (remove the # signs and finish it):
#
# def test_create_answers_201_with_the_note(client):
#     response = client.post("/notes", json={"text": "Buy milk"})
#     assert response.status_code == 201
#     assert response.get_json() == ...

# TODO GET /notes/<id>: the note with that id; an unknown id is 404 JSON.

# TODO GET /notes: every note, oldest first; ?q=word keeps the notes containing word, any case.

# TODO DELETE /notes/<id>: 204 with an empty body, the note is gone; an unknown id is 404 JSON.

# TODO two apps made by create_app() do not share their notes.
