"""Everything in one file; blueprints made inside the factory, a new pair per app."""
from flask import Blueprint, Flask, abort, jsonify


def make_blueprints():
    main = Blueprint("main", __name__)
    api = Blueprint("api", __name__, url_prefix="/api")
    products = {7: {"id": 7, "name": "Lamp", "price": 30}, 8: {"id": 8, "name": "Desk", "price": 120}}

    @main.get("/")
    def home():
        return "<h1>Shop</h1>"

    @api.get("/products")
    def list_products():
        return jsonify(list(products.values()))

    @api.get("/products/<int:pid>")
    def product(pid):
        if pid not in products:
            abort(404)
        return products[pid]

    @api.errorhandler(404)
    def not_found(error):
        return jsonify(error="not found"), 404

    return main, api


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = "dev"
    app.config.from_mapping(test_config or {})
    for bp in make_blueprints():
        app.register_blueprint(bp)
    return app
