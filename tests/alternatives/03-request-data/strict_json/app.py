"""Parses JSON by hand and uses an error handler for 400s."""

import json

from flask import Flask, request
from werkzeug.exceptions import BadRequest

app = Flask(__name__)


class ApiError(Exception):
    pass


@app.errorhandler(ApiError)
def api_error(exc):
    return {"error": str(exc)}, 400


@app.route("/search", methods=["GET"])
def search():
    q = request.args.get("q", type=str)
    if not q:
        raise ApiError("q is required")
    return {"length": len(q), "query": q}


@app.route("/greet", methods=["POST"])
def greet():
    try:
        name = request.form["name"]
    except KeyError:
        raise BadRequest("name is required")
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"  Hello, {escaped}!\n"


@app.route("/echo", methods=["POST"])
def echo():
    try:
        data = json.loads(request.get_data(as_text=True))
    except ValueError:
        raise ApiError("body is not JSON")
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        raise ApiError('expected {"message": "..."}')
    return {"echo": data["message"]}
