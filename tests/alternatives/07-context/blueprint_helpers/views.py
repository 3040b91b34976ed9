import uuid

from flask import Blueprint, g, jsonify, session

from helpers import greeting

bp = Blueprint("site", __name__)


@bp.before_app_request
def tag_request():
    g.request_id = str(uuid.uuid4())


@bp.after_app_request
def tag_response(response):
    response.headers.set("X-Request-ID", g.request_id)
    return response


@bp.get("/visit")
def visit():
    session.setdefault("visits", 0)
    session["visits"] += 1
    return "Visits: %d" % session["visits"]


@bp.get("/whoami")
def whoami():
    return jsonify(request_id=g.request_id)


@bp.get("/greeting")
def greeting_view():
    return greeting()
