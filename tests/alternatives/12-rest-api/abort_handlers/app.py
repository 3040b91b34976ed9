"""abort() everywhere, one JSON handler for every HTTPException; request.json with its own errors."""
import itertools

from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    todos = []
    ids = itertools.count(1)

    @app.errorhandler(HTTPException)
    def as_json(e):
        response = e.get_response()
        response.data = app.json.dumps({"error": e.description, "status": e.code})
        response.content_type = "application/json"
        return response

    def arg(name, default):
        value = request.args.get(name)
        if value is None:
            return default
        if not value.isascii() or not value.isdigit() or int(value) == 0:
            abort(400, f"{name} must be a positive integer")
        return int(value)

    def body():
        try:
            data = request.json  # raises 415 or 400 itself
        except HTTPException:
            raise
        if not isinstance(data, dict):
            abort(422, "expected a JSON object")
        return data

    def valid_title(value):
        return isinstance(value, str) and 1 <= len(value) <= 200

    def get_or_404(todo_id):
        for todo in todos:
            if todo["id"] == todo_id:
                return todo
        abort(404, f"todo {todo_id} not found")

    @app.route("/api/todos", methods=["GET", "POST"])
    def collection():
        if request.method == "GET":
            per_page = min(arg("per_page", 10), 100)
            page = arg("page", 1)
            return todos[(page - 1) * per_page:][:per_page]
        data = body()
        if not valid_title(data.get("title")):
            abort(422, "title must be 1 to 200 characters")
        if not isinstance(data.get("done", False), bool):
            abort(422, "done must be a boolean")
        todo = {"id": next(ids), "title": data["title"], "done": data.get("done", False)}
        todos.append(todo)
        return todo, 201, {"Location": f"/api/todos/{todo['id']}"}

    @app.route("/api/todos/<int:todo_id>", methods=["GET", "PATCH", "DELETE"])
    def item(todo_id):
        todo = get_or_404(todo_id)
        if request.method == "DELETE":
            todos.remove(todo)
            return "", 204
        if request.method == "PATCH":
            data = body()
            if "title" in data and not valid_title(data["title"]):
                abort(422, "title must be 1 to 200 characters")
            if "done" in data and not isinstance(data["done"], bool):
                abort(422, "done must be a boolean")
            todo.update((k, data[k]) for k in ("title", "done") if k in data)
        return todo

    return app
