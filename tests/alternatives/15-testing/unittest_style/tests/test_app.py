"""The notes API tested with unittest.TestCase (pytest runs these too)."""

import unittest

from app import create_app


class NotesApiTest(unittest.TestCase):
    def setUp(self):
        self.client = create_app({"TESTING": True}).test_client()

    def add(self, text):
        response = self.client.post("/notes", json={"text": text})
        self.assertEqual(response.status_code, 201)
        return response.get_json()

    def assertJsonError(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertIn("error", response.get_json())

    def test_create(self):
        self.assertEqual(self.add(" first "), {"id": 1, "text": "first"})
        self.assertEqual(self.add("second")["id"], 2)

    def test_create_refuses_bad_text(self):
        for body in ({}, {"text": 12}, {"text": " "}, {"text": "y" * 201}):
            with self.subTest(body=body):
                self.assertJsonError(self.client.post("/notes", json=body), 400)
        self.assertEqual(self.add("y" * 200)["id"], 1)

    def test_show(self):
        self.add("first")
        self.add("second")
        self.assertEqual(self.client.get("/notes/1").get_json(), {"id": 1, "text": "first"})
        self.assertJsonError(self.client.get("/notes/3"), 404)

    def test_list_and_search(self):
        for text in ("Read the Flask docs", "Write tests", "flask run"):
            self.add(text)
        texts = [n["text"] for n in self.client.get("/notes").get_json()]
        self.assertEqual(texts, ["Read the Flask docs", "Write tests", "flask run"])
        found = [n["id"] for n in self.client.get("/notes?q=fLaSk").get_json()]
        self.assertEqual(found, [1, 3])

    def test_delete(self):
        self.add("gone soon")
        response = self.client.delete("/notes/1")
        self.assertEqual((response.status_code, response.data), (204, b""))
        self.assertEqual(self.client.get("/notes").get_json(), [])
        self.assertJsonError(self.client.delete("/notes/1"), 404)

    def test_apps_do_not_share_notes(self):
        self.add("here")
        other = create_app({"TESTING": True}).test_client()
        self.assertEqual(other.get("/notes").get_json(), [])


if __name__ == "__main__":
    unittest.main()
