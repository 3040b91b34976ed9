from app import create_app


def test_delete(client, make_note):
    note = make_note("bye")
    response = client.delete(f"/notes/{note['id']}")
    assert (response.status_code, response.data) == (204, b"")
    assert client.get(f"/notes/{note['id']}").status_code == 404


def test_delete_twice(client, make_note):
    make_note("bye")
    assert client.delete("/notes/1").status_code == 204
    response = client.delete("/notes/1")
    assert response.status_code == 404
    assert "error" in response.json


def test_other_app_is_empty(make_note):
    make_note("mine")
    assert create_app({"TESTING": True}).test_client().get("/notes").json == []
