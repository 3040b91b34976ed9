"""Tuples, send_file with download_name, one error handler for every HTTP error."""

import io

from flask import Flask, jsonify, request, send_file
from werkzeug.exceptions import HTTPException, InternalServerError

app = Flask(__name__)


@app.get("/teapot")
def teapot():
    return {"message": "short and stout"}, 418


@app.get("/old")
def old():
    return "", 301, {"Location": "/new"}


@app.get("/new")
def new():
    return "<h1>New</h1>"


@app.get("/secret")
def secret():
    return "You shall not pass", 403


@app.get("/boom")
def boom():
    return 1 / 0


@app.get("/download")
def download():
    return send_file(io.BytesIO(b"report"), mimetype="text/plain", as_attachment=True,
                     download_name="report.txt")


@app.get("/theme/set/<name>")
def set_theme(name):
    if name not in ("light", "dark"):
        return "unknown theme", 400
    response = jsonify(theme=name)
    response.set_cookie("theme", name, max_age=3600, samesite="Lax")
    return response


@app.get("/theme")
def theme():
    return request.cookies.get("theme") or "light"


@app.errorhandler(HTTPException)
def http_error(error):
    if error.code == 404:
        return jsonify(error="not found", path=request.path), 404
    return error


@app.errorhandler(InternalServerError)
def server_error(error):
    return jsonify(error="internal server error"), 500
