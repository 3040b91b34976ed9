from flask import Blueprint, jsonify, url_for

bp = Blueprint("api", __name__)

PRODUCTS = [
    {"id": 1, "name": "Flask mug", "price": 9.5},
    {"id": 2, "name": "Jinja sticker", "price": 1.0},
    {"id": 3, "name": "Werkzeug T-shirt", "price": 18.0},
]


@bp.get("")
def index():
    """GET /api: what the API offers (a rule at the prefix itself, still under /api)."""
    return {"products": url_for("api.list_products")}


@bp.route("/products")
def list_products():
    return jsonify(PRODUCTS)


@bp.route("/products/<int:product_id>")
def get_product(product_id):
    for product in PRODUCTS:
        if product["id"] == product_id:
            return product
    return {"error": f"no product {product_id}"}, 404
