from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SHOP_NAME="Flask Shop")
    if test_config is not None:
        app.config.update(test_config)

    from . import api, main

    app.register_blueprint(main.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    return app
