"""The notes API of 15-testing rewritten: the same behaviour as app.py, in other code.

The grader runs your tests against this app as well as app.py (and the course's own grading
against a rewrite of its own too): a test that checks what the app answers passes on every one;
a test that reaches into app.py (its constants, its view names, how it keeps notes) fails here.
"""

from flask import Flask, current_app, jsonify, request


class Refused(Exception):
    """A request the API answers with a JSON error: its status and reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


class NotesFlask(Flask):
    """A Flask app holding its own notes: a list, oldest first, and the last id it gave."""

    def __init__(self, import_name):
        super().__init__(import_name)
        self.notes, self.last_id = [], 0


def text_from(body):
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise Refused(400, "text must be a string")
    text = body["text"].strip()
    if not text:
        raise Refused(400, "text must not be empty")
    if len(text) > 200:
        raise Refused(400, "text must be at most 200 characters")
    return text


def find(note_id):
    for note in current_app.notes:
        if note["id"] == note_id:
            return note
    raise Refused(404, f"note {note_id} not found")


def add():
    text = text_from(request.get_json(silent=True))
    current_app.last_id += 1
    note = {"id": current_app.last_id, "text": text}
    current_app.notes.append(note)
    return jsonify(note), 201


def every():
    word = request.args.get("q", "").lower()
    return jsonify([note for note in current_app.notes if word in note["text"].lower()])


def one(note_id):
    return jsonify(find(note_id))


def remove(note_id):
    current_app.notes.remove(find(note_id))
    return "", 204


def create_app(test_config=None):
    app = NotesFlask(__name__)
    app.config.update(test_config or {})
    app.add_url_rule("/notes", "add", add, methods=["POST"])
    app.add_url_rule("/notes", "every", every, methods=["GET"])
    app.add_url_rule("/notes/<int:note_id>", "one", one, methods=["GET"])
    app.add_url_rule("/notes/<int:note_id>", "remove", remove, methods=["DELETE"])
    app.register_error_handler(Refused, lambda refused: (jsonify(error=refused.reason), refused.status))
    return app
