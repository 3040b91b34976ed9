"""Class-based views, jsonify and make_response."""

from flask import Flask, abort, jsonify, make_response, request
from flask.views import MethodView
from markupsafe import escape

app = Flask(__name__)


class Search(MethodView):
    def get(self):
        q = request.args.get("q")
        if q is None or q == "":
            return make_response(jsonify(error="missing q"), 400)
        return jsonify(query=q, length=len(q))


class Greet(MethodView):
    def post(self):
        if "name" not in request.form:
            abort(400)
        return "Hello, %s!" % escape(request.form["name"])


class Echo(MethodView):
    def post(self):
        payload = request.get_json(silent=True, force=False)
        message = payload.get("message") if isinstance(payload, dict) else None
        if type(message) is not str:
            return jsonify({"error": "message must be a string"}), 400
        return jsonify({"echo": message})


app.add_url_rule("/search", view_func=Search.as_view("search"))
app.add_url_rule("/greet", view_func=Greet.as_view("greet"))
app.add_url_rule("/echo", view_func=Echo.as_view("echo"))
