from flask import current_app


def greeting():
    return current_app.config["GREETING"]
