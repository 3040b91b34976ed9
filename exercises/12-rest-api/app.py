from flask import Flask, jsonify, request

TODOS = []  # shared by every app, and every test


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.update(test_config)

    @app.route("/api/todos", methods=["GET", "POST"])
    def todos():
        if request.method == "POST":
            data = request.get_json()
            todo = {"id": len(TODOS) + 1, "title": data["title"], "done": data.get("done", False)}
            TODOS.append(todo)
            return jsonify(todo)
        return jsonify(TODOS)

    @app.route("/api/todos/<int:todo_id>", methods=["GET", "DELETE"])
    def todo(todo_id):
        found = TODOS[todo_id - 1]
        if request.method == "DELETE":
            TODOS.remove(found)
            return jsonify({"deleted": True})
        return jsonify(found)

    return app
