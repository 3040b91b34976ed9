import os

from flask import Flask, jsonify

from config import CONFIGS

ERROR_PAGE = """<!doctype html>
<title>Error</title>
<h1>Something went wrong</h1>
<p>We have been told about it. Please try again later.</p>
"""


def create_app(config_name=None):
    if config_name is None:
        config_name = os.environ.get("APP_ENV", "production")
    if config_name not in CONFIGS:
        raise ValueError(f"unknown configuration {config_name!r}; use one of {', '.join(CONFIGS)}")

    app = Flask(__name__)
    app.config.from_object(CONFIGS[config_name])
    app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_DEBUG, ...

    if config_name == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: export FLASK_SECRET_KEY before starting in production")

    @app.route("/status")
    def status():
        return jsonify(debug=app.debug, testing=app.testing)

    @app.route("/crash")
    def crash():
        return str(1 / 0)

    @app.errorhandler(500)
    def internal_error(error):
        return ERROR_PAGE, 500

    return app


if __name__ == "__main__":
    create_app("development").run(debug=True)
