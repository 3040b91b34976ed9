import os

from flask import Flask, url_for
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app():
    app = Flask(__name__)
    secret = os.environ.get("FLASK_SECRET_KEY")
    if not secret:
        raise RuntimeError("FLASK_SECRET_KEY is not set: export it before starting the app in production")
    app.config.update(SECRET_KEY=secret, DEBUG=False)

    # Behind a proxy (nginx, a load balancer) that terminates HTTPS, trust its X-Forwarded-* headers.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    @app.get("/")
    def index():
        return {"self": url_for("index", _external=True)}

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
