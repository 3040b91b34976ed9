"""The production check lives in the config class; the error page only where debug is off."""
import os

import flask

import config


def create_app(config_name=None):
    name = config_name if config_name is not None else os.environ.get("APP_ENV", "production")
    try:
        settings = config.by_name[name]
    except KeyError:
        raise ValueError(name) from None
    app = flask.Flask(__name__)
    app.config.from_object(settings)
    app.config.from_prefixed_env()
    if hasattr(settings, "check"):
        settings.check(app.config)

    @app.route("/status")
    def status():
        return flask.jsonify({"debug": app.debug, "testing": app.testing})

    @app.route("/crash")
    def crash():
        return {"result": 1 // 0}

    if not app.debug:
        @app.errorhandler(500)
        def error(e):
            return flask.Response("<h1>Something went wrong</h1>", status=500, mimetype="text/html")

    return app


if __name__ == "__main__":
    os.environ.setdefault("APP_ENV", "development")
    create_app().run()
