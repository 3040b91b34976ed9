"""The notes API tested with pytest classes, one per endpoint, and parametrize."""

import pytest

from app import create_app


class NotesTest:
    @pytest.fixture(autouse=True)
    def new_app(self):
        self.client = create_app({"TESTING": True}).test_client()

    def post(self, body):
        return self.client.post("/notes", json=body)

    def add(self, *texts):
        return [self.post({"text": text}).get_json()["id"] for text in texts]


class TestCreate(NotesTest):
    def test_answers_201_and_the_stripped_note(self):
        response = self.post({"text": "\t Buy milk  "})
        assert (response.status_code, response.get_json()) == (201, {"id": 1, "text": "Buy milk"})

    def test_ids_count_up_from_1(self):
        assert self.add("a", "b", "c", "d") == [1, 2, 3, 4]

    @pytest.mark.parametrize("length, status", [(1, 201), (199, 201), (200, 201), (201, 400), (500, 400)])
    def test_length_limit(self, length, status):
        assert self.post({"text": "n" * length}).status_code == status

    @pytest.mark.parametrize("text", [None, 1, 2.5, True, ["x"], {"a": 1}, "", " ", "\n\t "])
    def test_refuses_bad_text(self, text):
        response = self.post({"text": text})
        assert response.status_code == 400
        assert isinstance(response.get_json()["error"], str)

    def test_refuses_missing_text(self):
        assert self.post({}).status_code == 400


class TestRead(NotesTest):
    def test_one_note(self):
        self.add("first", "second", "third")
        for note_id, text in [(1, "first"), (2, "second"), (3, "third")]:
            assert self.client.get(f"/notes/{note_id}").get_json() == {"id": note_id, "text": text}

    @pytest.mark.parametrize("note_id", [1, 2, 999])
    def test_unknown_note(self, note_id):
        response = self.client.get(f"/notes/{note_id}")
        assert response.status_code == 404
        assert response.is_json and "error" in response.json

    def test_list_in_creation_order(self):
        self.add("c", "a", "b")
        assert [n["text"] for n in self.client.get("/notes").json] == ["c", "a", "b"]

    @pytest.mark.parametrize(
        "q, expected",
        [("FLASK", ["Learn Flask", "flask tests"]), ("tes", ["flask tests"]), ("zzz", []), ("", ["Learn Flask", "Buy milk", "flask tests"])],
    )
    def test_search(self, q, expected):
        self.add("Learn Flask", "Buy milk", "flask tests")
        response = self.client.get("/notes", query_string={"q": q})
        assert [n["text"] for n in response.json] == expected


class TestDelete(NotesTest):
    def test_delete(self):
        self.add("a", "b")
        response = self.client.delete("/notes/2")
        assert response.status_code == 204 and not response.data
        assert self.client.get("/notes").json == [{"id": 1, "text": "a"}]
        assert self.client.get("/notes/2").status_code == 404

    def test_delete_unknown(self):
        response = self.client.delete("/notes/7")
        assert response.status_code == 404
        assert "error" in response.json


class TestIsolation:
    def test_two_apps_two_stores(self):
        one, two = create_app().test_client(), create_app().test_client()
        one.post("/notes", json={"text": "in one"})
        assert two.get("/notes").json == []
