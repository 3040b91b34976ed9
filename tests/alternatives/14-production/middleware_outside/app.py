"""The app knows nothing of the proxy: wsgi.py wraps the whole app in ProxyFix."""
import os

from flask import Flask, jsonify


def create_app():
    secret = os.environ.get("FLASK_SECRET_KEY")
    if secret is None or secret == "":
        raise RuntimeError("Set FLASK_SECRET_KEY: production needs a real secret key.")
    app = Flask(__name__)
    app.secret_key = secret
    app.debug = False

    @app.route("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
