from flask import Blueprint, jsonify
from flask.views import MethodView

from .data import CATALOGUE

api = Blueprint("api", __name__)


class ProductList(MethodView):
    def get(self):
        return jsonify(CATALOGUE)


class Product(MethodView):
    def get(self, id):
        match = next((p for p in CATALOGUE if p["id"] == id), None)
        if match is None:
            return jsonify({"error": "unknown product", "id": id}), 404
        return jsonify(match)


api.add_url_rule("/products", view_func=ProductList.as_view("list_products"))
api.add_url_rule("/products/<int:id>", view_func=Product.as_view("product"))
