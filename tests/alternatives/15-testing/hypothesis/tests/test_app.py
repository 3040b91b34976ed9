"""The notes API tested with properties: Hypothesis makes up the texts."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app import create_app

texts = st.text(min_size=1, max_size=200).filter(lambda s: s.strip() and len(s.strip()) <= 200)
bad_texts = st.one_of(
    st.none(), st.integers(), st.booleans(), st.lists(st.text(), max_size=2),
    st.text(alphabet=" \t\n", max_size=5), st.text(min_size=201, max_size=300).filter(lambda s: len(s.strip()) > 200),
)


def new_client():
    return create_app({"TESTING": True}).test_client()


@pytest.fixture
def client():
    return new_client()


@settings(max_examples=10)
@given(text=texts)
@example(text=" " + "x" * 200 + " ")
def test_a_note_keeps_its_stripped_text(text):
    client = new_client()
    response = client.post("/notes", json={"text": text})
    assert response.status_code == 201
    assert response.get_json() == {"id": 1, "text": text.strip()}
    assert client.get("/notes/1").get_json() == {"id": 1, "text": text.strip()}


@settings(max_examples=10)
@given(text=bad_texts)
@example(text=" \t ")
@example(text="y" * 201)
def test_bad_texts_are_refused(text):
    response = new_client().post("/notes", json={"text": text})
    assert response.status_code == 400
    assert "error" in response.get_json()


@settings(max_examples=10)
@given(many=st.lists(texts, min_size=2, max_size=5))
def test_notes_are_kept_in_creation_order(many):
    client = new_client()
    ids = [client.post("/notes", json={"text": t}).get_json()["id"] for t in many]
    assert ids == list(range(1, len(many) + 1))
    assert [n["text"] for n in client.get("/notes").get_json()] == [t.strip() for t in many]
    for note_id, text in zip(ids, many):
        assert client.get(f"/notes/{note_id}").get_json() == {"id": note_id, "text": text.strip()}


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.text(alphabet="abcXYZ", min_size=1, max_size=3))
def test_search_finds_any_case(client, word):
    client.post("/notes", json={"text": f"<{word.upper()}>"})
    found = client.get("/notes", query_string={"q": word.lower()}).get_json()
    assert f"<{word.upper()}>" in [n["text"] for n in found]
    assert all(word.lower() in n["text"].lower() for n in found)


def test_search_leaves_out_other_notes(client):
    client.post("/notes", json={"text": "apple pie"})
    client.post("/notes", json={"text": "banana"})
    assert client.get("/notes?q=pie").get_json() == [{"id": 1, "text": "apple pie"}]


def test_unknown_ids_are_404_json(client):
    for response in (client.get("/notes/1"), client.delete("/notes/1")):
        assert response.status_code == 404
        assert "error" in response.get_json()


def test_delete(client):
    client.post("/notes", json={"text": "x"})
    response = client.delete("/notes/1")
    assert response.status_code == 204 and response.data == b""
    assert client.get("/notes").get_json() == []


def test_second_app_starts_empty():
    new_client().post("/notes", json={"text": "x"})
    assert new_client().get("/notes").get_json() == []
