from flask import Flask, request, url_for
from werkzeug.exceptions import HTTPException

MAX_TITLE = 200
MAX_PER_PAGE = 100


class ApiError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


def positive_int(name, default):
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdecimal() or int(value) < 1:
        raise ApiError(f"{name} must be a whole number from 1")
    return int(value)


def validated(data, partial):
    """The fields of a todo from a JSON body, checked; ``partial`` for PATCH."""
    if not isinstance(data, dict):
        raise ApiError("send a JSON object")
    fields = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not title or len(title) > MAX_TITLE:
            raise ApiError(f"title must be a non-empty string of at most {MAX_TITLE} characters", 422)
        fields["title"] = title
    if "done" in data:
        if not isinstance(data["done"], bool):
            raise ApiError("done must be true or false", 422)
        fields["done"] = data["done"]
    return fields


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.update(test_config)
    todos = {}  # this app's own store: id -> todo
    next_id = iter(range(1, 2**63))

    def find(todo_id):
        if todo_id not in todos:
            raise ApiError(f"no todo {todo_id}", 404)
        return todos[todo_id]

    @app.errorhandler(ApiError)
    def api_error(error):
        return {"error": error.message}, error.status

    @app.errorhandler(HTTPException)
    def http_error(error):
        return {"error": error.description}, error.code

    @app.get("/api/todos")
    def list_todos():
        page = positive_int("page", 1)
        per_page = min(positive_int("per_page", 10), MAX_PER_PAGE)
        start = (page - 1) * per_page
        return list(todos.values())[start:start + per_page]

    @app.post("/api/todos")
    def create_todo():
        fields = validated(request.get_json(silent=True), partial=False)
        todo = {"id": next(next_id), "title": fields["title"], "done": fields.get("done", False)}
        todos[todo["id"]] = todo
        return todo, 201, {"Location": url_for("get_todo", todo_id=todo["id"])}

    @app.get("/api/todos/<int:todo_id>")
    def get_todo(todo_id):
        return find(todo_id)

    @app.patch("/api/todos/<int:todo_id>")
    def update_todo(todo_id):
        todo = find(todo_id)
        todo.update(validated(request.get_json(silent=True), partial=True))
        return todo

    @app.delete("/api/todos/<int:todo_id>")
    def delete_todo(todo_id):
        find(todo_id)
        del todos[todo_id]
        return "", 204

    return app
