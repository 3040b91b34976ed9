"""The notes API of 15-testing written another way: same behaviour, different code.

The grader runs the student's tests against it: tests that check what the app does pass on it;
tests that check how app.py is written (names of views, private variables) fail.
"""

from dataclasses import dataclass, field

from flask import Blueprint, Flask, jsonify, request
from flask.views import MethodView


@dataclass
class NoteStore:
    notes: list = field(default_factory=list)  # [{"id": ..., "text": ...}], oldest first
    last_id: int = 0

    def add(self, text):
        self.last_id += 1
        note = {"id": self.last_id, "text": text}
        self.notes.append(note)
        return note

    def find(self, note_id):
        return next((n for n in self.notes if n["id"] == note_id), None)

    def search(self, word):
        return [n for n in self.notes if word.lower() in n["text"].lower()]


def problem(message, status):
    response = jsonify(error=message)
    response.status_code = status
    return response


def validated_text(body):
    """The note's text, or the reason the body is refused."""
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return None, "text must be a string"
    text = body["text"].strip()
    if text == "":
        return None, "text must not be empty"
    if len(text) > 200:
        return None, "text must be at most 200 characters"
    return text, None


class NoteList(MethodView):
    def get(self):
        store = current_store()
        return jsonify(store.search(request.args.get("q", "")))

    def post(self):
        text, reason = validated_text(request.get_json(silent=True))
        if reason:
            return problem(reason, 400)
        return jsonify(current_store().add(text)), 201


class NoteItem(MethodView):
    def get(self, note_id):
        note = current_store().find(note_id)
        return jsonify(note) if note else problem(f"note {note_id} not found", 404)

    def delete(self, note_id):
        store = current_store()
        note = store.find(note_id)
        if note is None:
            return problem(f"note {note_id} not found", 404)
        store.notes.remove(note)
        return "", 204


def current_store():
    from flask import current_app

    return current_app.extensions["notes"]


api = Blueprint("api", __name__)
api.add_url_rule("/notes", view_func=NoteList.as_view("notes"))
api.add_url_rule("/notes/<int:note_id>", view_func=NoteItem.as_view("note"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.extensions["notes"] = NoteStore()
    app.register_blueprint(api)
    return app
