"""Fixtures shared by every test module: a new app per test and a helper to add notes."""

import pytest

from app import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    with app.test_client() as client:
        yield client


@pytest.fixture
def make_note(client):
    def make(text):
        response = client.post("/notes", json={"text": text})
        assert response.status_code == 201, response.data
        return response.get_json()

    return make
