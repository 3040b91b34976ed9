"""15-testing: a small notes API that works. Your job is to write its tests.

Nothing to fix here: read this file, then write tests/test_app.py (README.md says what the app
promises). The grader runs your tests against its own copy of this app, so editing this file
changes nothing.
"""

from itertools import count

from flask import Flask, request

MAX_LENGTH = 200


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.update(test_config)

    notes = {}  # id -> text, oldest first; each app has its own
    next_id = count(1)

    def error(message, status):
        return {"error": message}, status

    @app.post("/notes")
    def create_note():
        data = request.get_json(silent=True)
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            return error("text must be a string", 400)
        if not text.strip():
            return error("text must not be empty", 400)
        text = text.strip()
        if len(text) > MAX_LENGTH:
            return error(f"text must be at most {MAX_LENGTH} characters", 400)
        note_id = next(next_id)
        notes[note_id] = text
        return {"id": note_id, "text": text}, 201

    @app.get("/notes")
    def list_notes():
        word = request.args.get("q", "").lower()
        found = [{"id": i, "text": t} for i, t in notes.items() if word in t.lower()]
        return found, 200

    @app.get("/notes/<int:note_id>")
    def show_note(note_id):
        if note_id not in notes:
            return error(f"note {note_id} not found", 404)
        return {"id": note_id, "text": notes[note_id]}

    @app.delete("/notes/<int:note_id>")
    def delete_note(note_id):
        if note_id not in notes:
            return error(f"note {note_id} not found", 404)
        del notes[note_id]
        return "", 204

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
