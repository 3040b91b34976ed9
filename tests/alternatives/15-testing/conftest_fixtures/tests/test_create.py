import pytest


def test_first_note(client):
    response = client.post("/notes", json={"text": "  hello  "})
    assert response.status_code == 201
    assert response.json == {"id": 1, "text": "hello"}


def test_next_ids(make_note):
    make_note("one")
    assert make_note("two")["id"] == 2


def test_exactly_200_characters(make_note):
    assert len(make_note("é" * 200)["text"]) == 200


@pytest.mark.parametrize("payload", [{"text": 3}, {"text": "    "}, {"text": "a" * 201}, {"nope": "x"}])
def test_bad_payloads(client, payload):
    response = client.post("/notes", json=payload)
    assert response.status_code == 400
    assert "error" in response.json
