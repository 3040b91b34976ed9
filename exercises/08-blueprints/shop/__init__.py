from flask import Flask

# One global app, created when the package is imported: every "new" app is this same one,
# and there is no blueprint yet. See the README.
app = Flask(__name__)
app.config.from_mapping(SECRET_KEY="dev", SHOP_NAME="Flask Shop")

PRODUCTS = [
    {"id": 1, "name": "Flask mug", "price": 9.5},
    {"id": 2, "name": "Jinja sticker", "price": 1.0},
]


@app.route("/")
def index():
    return f"Welcome to {app.config['SHOP_NAME']}!"


# TODO: an `api` blueprint, under /api: GET /api/products and GET /api/products/<int:id>.


def create_app(test_config=None):
    if test_config is not None:
        app.config.update(test_config)
    return app
