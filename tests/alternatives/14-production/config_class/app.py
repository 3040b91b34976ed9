"""A config class read at import; the check in create_app; healthz with make_response."""
from flask import Flask, make_response
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(config="config.ProductionConfig"):
    app = Flask(__name__)
    app.config.from_object(config)
    if app.config["SECRET_KEY"] is None:
        raise RuntimeError("Missing secret key: FLASK_SECRET_KEY must be set")
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)

    @app.route("/healthz", methods=["GET", "HEAD"])
    def healthz():
        response = make_response({"status": "ok"})
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


if __name__ == "__main__":
    create_app().run()
