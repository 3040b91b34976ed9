def test_show(client, make_note):
    make_note("alpha")
    make_note("beta")
    assert client.get("/notes/1").json == {"id": 1, "text": "alpha"}


def test_show_unknown(client):
    response = client.get("/notes/42")
    assert response.status_code == 404
    assert "error" in response.json


def test_list(client, make_note):
    assert client.get("/notes").json == []
    make_note("alpha")
    make_note("beta")
    assert client.get("/notes").json == [{"id": 1, "text": "alpha"}, {"id": 2, "text": "beta"}]


def test_search(client, make_note):
    make_note("Flask is small")
    make_note("Django is big")
    assert client.get("/notes?q=SMALL").json == [{"id": 1, "text": "Flask is small"}]
    assert client.get("/notes?q=is").json == [{"id": 1, "text": "Flask is small"}, {"id": 2, "text": "Django is big"}]
