"""Config classes imported by dotted name; errors rendered by a handler for InternalServerError."""
import os

from flask import Flask, render_template_string
from werkzeug.exceptions import InternalServerError

NAMES = {"development", "testing", "production"}


def create_app(config_name=None):
    config_name = config_name or os.getenv("APP_ENV") or "production"
    if config_name not in NAMES:
        raise ValueError("config_name must be development, testing or production")
    app = Flask(__name__)
    app.config.from_object(f"config.{config_name.title()}Config")
    app.config.from_prefixed_env()
    if config_name == "production" and app.config.get("SECRET_KEY") is None:
        raise RuntimeError("Production needs SECRET_KEY (set FLASK_SECRET_KEY)")

    @app.get("/status")
    def status():
        return {"debug": app.debug, "testing": app.testing}

    @app.get("/crash")
    def crash():
        1 / 0

    @app.errorhandler(InternalServerError)
    def oops(e):
        return render_template_string("<p>Sorry! Something went wrong.</p>"), 500

    return app


if __name__ == "__main__":
    app = create_app("development")
    app.run(host="127.0.0.1", port=5000, debug=True)
