"""A package; FLASK_* read with from_prefixed_env; /healthz in a blueprint; ProxyFix for the scheme only."""
from flask import Blueprint, Flask, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix

ops = Blueprint("ops", __name__)


@ops.route("/healthz")
def healthz():
    return jsonify(status="ok")


def create_app():
    app = Flask(__name__)
    app.config["DEBUG"] = False
    app.config.from_prefixed_env()
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set FLASK_SECRET_KEY in the environment.")
    app.register_blueprint(ops)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)
    return app
