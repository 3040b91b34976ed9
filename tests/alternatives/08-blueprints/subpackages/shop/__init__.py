"""Blueprints in sub-packages; the prefix given when registering; MethodView for the API."""
from flask import Flask

from .blueprints.api import api
from .blueprints.site import site


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_object("shop.settings")
    if test_config:
        app.config.from_mapping(test_config)
    app.register_blueprint(site)
    app.register_blueprint(api, url_prefix="/api")
    return app
