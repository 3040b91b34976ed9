from flask import Blueprint, current_app

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return f"Welcome to {current_app.config['SHOP_NAME']}!"
