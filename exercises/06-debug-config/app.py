from flask import Flask, jsonify

from config import DevelopmentConfig


def create_app(config_name=None):
    # Whatever is asked for, this builds a development app.
    app = Flask(__name__)
    app.config.from_object(DevelopmentConfig)

    @app.route("/status")
    def status():
        return jsonify(debug=app.debug, testing=app.testing)

    @app.route("/crash")
    def crash():
        return str(1 / 0)

    return app


if __name__ == "__main__":
    create_app().run()
