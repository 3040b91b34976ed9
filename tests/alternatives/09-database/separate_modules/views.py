from flask import Blueprint, abort, jsonify, request
from sqlalchemy.exc import IntegrityError

from models import User, db

bp = Blueprint("users", __name__)


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(409)
def as_json(error):
    return jsonify(error=error.description), error.code


@bp.route("/users", methods=["GET", "POST"])
def users():
    if request.method == "GET":
        return jsonify([u.as_json() for u in User.query.order_by(User.id).all()])
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, dict):
        abort(400, "expected a JSON object")
    missing = [field for field in ("name", "email") if field not in data]
    if missing:
        abort(400, f"missing: {', '.join(missing)}")
    user = User(name=data["name"], email=data["email"])
    try:
        db.session.add(user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, "name taken")
    return jsonify(user.as_json()), 201


@bp.route("/users/<int:user_id>", methods=["GET", "DELETE"])
def user(user_id):
    found = User.query.get_or_404(user_id)
    if request.method == "DELETE":
        db.session.delete(found)
        db.session.commit()
        return "", 204
    return jsonify(found.as_json())
