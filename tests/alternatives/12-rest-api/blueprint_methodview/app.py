"""A blueprint of MethodViews; the store in app.extensions; pages wrapped in an object; 400 above 100."""
from flask import Blueprint, Flask, current_app, jsonify, request, url_for
from flask.views import MethodView

api = Blueprint("api", __name__, url_prefix="/api")


class Invalid(Exception):
    pass


def store():
    return current_app.extensions["todos"]


def number(name, default):
    raw = request.args.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise Invalid(f"{name}: not an integer") from None
    if value < 1 or (name == "per_page" and value > 100):
        raise Invalid(f"{name}: out of range")
    return value


def check(body, require_title):
    if type(body) is not dict:
        raise Invalid("a JSON object is required")
    if require_title and "title" not in body:
        raise Invalid("title is required")
    if "title" in body and not (type(body["title"]) is str and 0 < len(body["title"]) <= 200):
        raise Invalid("title: 1 to 200 characters")
    if "done" in body and type(body["done"]) is not bool:
        raise Invalid("done: a boolean")
    return body


class Todos(MethodView):
    def get(self):
        page, per_page = number("page", 1), number("per_page", 10)
        todos = store()["items"]
        return {"page": page, "per_page": per_page, "items": todos[(page - 1) * per_page:page * per_page]}

    def post(self):
        body = check(request.get_json(silent=True), require_title=True)
        s = store()
        s["last"] += 1
        todo = {"id": s["last"], "title": body["title"], "done": body.get("done", False)}
        s["items"].append(todo)
        response = jsonify(todo)
        response.status_code = 201
        response.headers["Location"] = url_for("api.todo", todo_id=todo["id"], _external=True)
        return response


class Todo(MethodView):
    def find(self, todo_id):
        for todo in store()["items"]:
            if todo["id"] == todo_id:
                return todo
        return None

    def get(self, todo_id):
        todo = self.find(todo_id)
        return (todo, 200) if todo else ({"error": "not found"}, 404)

    def patch(self, todo_id):
        todo = self.find(todo_id)
        if todo is None:
            return {"error": "not found"}, 404
        body = check(request.get_json(silent=True), require_title=False)
        todo.update({k: body[k] for k in ("title", "done") if k in body})
        return todo

    def delete(self, todo_id):
        todo = self.find(todo_id)
        if todo is None:
            return {"error": "not found"}, 404
        store()["items"].remove(todo)
        return "", 204


api.add_url_rule("/todos", view_func=Todos.as_view("todos"))
api.add_url_rule("/todos/<int:todo_id>", view_func=Todo.as_view("todo"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.extensions["todos"] = {"items": [], "last": 0}
    app.register_blueprint(api)

    @app.errorhandler(Invalid)
    def invalid(error):
        return {"error": str(error)}, 400

    @app.errorhandler(404)
    def not_found(error):
        return {"error": "not found"}, 404

    @app.errorhandler(405)
    def not_allowed(error):
        return {"error": "method not allowed"}, 405

    @app.errorhandler(415)
    @app.errorhandler(400)
    def bad_request(error):
        return {"error": "bad request"}, error.code

    return app
