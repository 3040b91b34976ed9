"""Views in a blueprint, app-wide error handlers, Response objects built by hand."""

from flask import Blueprint, Flask, Response, abort, json, redirect, request, url_for
from werkzeug.exceptions import HTTPException

pages = Blueprint("pages", __name__)


@pages.route("/teapot")
def teapot():
    return Response("I'm a teapot", status=418)


@pages.route("/old")
def old():
    return redirect(url_for("pages.new"), 301)


@pages.route("/new")
def new():
    return "new"


@pages.route("/secret")
def secret():
    abort(403)


@pages.route("/boom")
def boom():
    raise KeyError("boom")


@pages.route("/download")
def download():
    return Response("report", content_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="report.txt"'})


@pages.route("/theme/set/<any(light, dark):name>")
def set_theme(name):
    response = Response(name)
    response.set_cookie("theme", name, path="/theme")
    return response


@pages.route("/theme/set/<name>")
def bad_theme(name):
    abort(400)


@pages.route("/theme")
def theme():
    return request.cookies.get("theme", "light")


app = Flask(__name__)
app.register_blueprint(pages)


@app.errorhandler(404)
def not_found(error):
    return Response(json.dumps({"path": request.path, "error": "not found"}), 404,
                    mimetype="application/json")


@app.errorhandler(Exception)
def crashed(error):
    if isinstance(error, HTTPException):  # abort(403) and friends keep their status
        return error
    return {"error": "internal server error"}, 500
