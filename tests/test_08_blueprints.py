"""The 08-blueprints grader: what it accepts and what it refuses."""

ID = "08-blueprints"


def test_starter_with_one_global_app_is_well_below_full(grade):
    assert grade.starter(ID).score <= 1


def test_global_app_loses_the_new_app_check(grade):
    result = grade.mutant(ID, {"shop/__init__.py": [
        ("def create_app(test_config=None):\n    app = Flask(__name__)\n",
         "app = Flask(__name__)\n\n\ndef create_app(test_config=None):\n    if app.blueprints:\n        return app\n"),
    ]})
    assert result.lost == {"each_call_returns_a_new_independent_app"}
    assert "same app object twice" in result.check("each_call_returns_a_new_independent_app").message


def test_test_config_applied_first_loses_its_check(grade):
    result = grade.mutant(ID, {"shop/__init__.py": [
        ('    app.config.from_mapping(SECRET_KEY="dev", SHOP_NAME="Flask Shop")\n'
         "    if test_config is not None:\n        app.config.update(test_config)\n",
         "    if test_config is not None:\n        app.config.update(test_config)\n"
         '    app.config.from_mapping(SECRET_KEY="dev", SHOP_NAME="Flask Shop")\n'),
    ]})
    assert result.lost == {"test_config_is_applied_after_the_defaults"}


def test_main_blueprint_under_another_name_loses_its_check(grade):
    result = grade.mutant(ID, {"shop/main.py": [('Blueprint("main"', 'Blueprint("home"')]})
    assert result.lost == {"main_blueprint_serves_the_home_page"}
    assert "app.blueprints has api, home" in result.check("main_blueprint_serves_the_home_page").message


def test_html_404_for_unknown_product_loses_the_json_404_check(grade):
    result = grade.mutant(ID, {"shop/api.py": [
        ('    return {"error": f"no product {product_id}"}, 404', '    abort(404)'),
        ("from flask import Blueprint, jsonify", "from flask import Blueprint, abort, jsonify"),
    ]})
    assert result.lost == {"unknown_product_is_a_json_404"}


def test_prices_as_strings_lose_the_list_check(grade):
    result = grade.mutant(ID, {"shop/api.py": [('"price": 9.5}', '"price": "9.50"}')]})
    assert result.lost == {"products_list_is_json_objects_with_id_name_price"}


def test_list_view_under_another_name_loses_the_api_check(grade):
    result = grade.mutant(ID, {"shop/api.py": [("def list_products():", "def all_products():")]})
    assert result.lost == {"api_blueprint_lives_under_api"}


def test_api_without_its_prefix_loses_the_under_api_check(grade):
    result = grade.mutant(ID, {"shop/__init__.py": [('url_prefix="/api"', 'url_prefix="/apiv1"')]})
    assert "api_blueprint_lives_under_api" in result.lost
    assert "/apiv1/products" in result.check("api_blueprint_lives_under_api").message


def test_factory_returning_nothing_is_said_once(grade):
    """create_app without `return app`: one message, the other checks not run (no grader error)."""
    result = grade.mutant(ID, {"shop/__init__.py": [("    return app\n", "")]})
    said = [c for c in result.result.checks if c.status != "not_run"]
    assert [(c.name, c.status, c.message) for c in said] == [(
        "each_call_returns_a_new_independent_app", "failed", "create_app() returned NoneType, expected a Flask app.")], result.explain()
    assert said[0].hint.startswith("Where is your Flask(...) created"), said[0].hint


def test_blueprint_importing_the_app_gets_the_hint_for_a_crash(grade):
    """A blueprint that imports a module-level app crashes create_app: said once, with the hint for it."""
    result = grade.mutant(ID, {"shop/main.py": [("from flask import Blueprint, current_app",
                                                 "from flask import Blueprint\nfrom shop import app as current_app")]})
    first = result.check("each_call_returns_a_new_independent_app")
    assert first.message.startswith("create_app() raised ImportError: cannot import name 'app'"), result.explain()
    assert first.cause == "exception" and first.hint.startswith("create_app() crashed"), first.hint
    assert all(c.status == "not_run" for c in result.result.checks if c is not first), result.explain()


def test_renamed_list_view_gets_the_hint_for_its_endpoint(grade):
    """A list view not called list_products gets the endpoint hint, not the one about /api."""
    result = grade.mutant(ID, {"shop/api.py": [("def list_products():", "def all_products():")]})
    check = result.check("api_blueprint_lives_under_api")
    assert check.cause == "endpoint" and check.hint.startswith("The api blueprint is there, but"), check.hint
    assert check.message == 'url_for("api.list_products") raised BuildError: name the list view list_products in the api blueprint.'


def test_api_registered_without_its_prefix_is_said_once(grade):
    """No url_prefix: the api check says it; the product checks, which find no /api/products, are not run."""
    result = grade.mutant(ID, {"shop/__init__.py": [('app.register_blueprint(api.bp, url_prefix="/api")',
                                                     "app.register_blueprint(api.bp)")]})
    assert result.lost == {"api_blueprint_lives_under_api", "products_list_is_json_objects_with_id_name_price",
                           "product_by_id_is_json", "unknown_product_is_a_json_404"}, result.explain()
    said = result.check("api_blueprint_lives_under_api").message
    assert said.startswith("The api blueprint has rules outside /api: /products"), said
    for name in ("products_list_is_json_objects_with_id_name_price", "product_by_id_is_json", "unknown_product_is_a_json_404"):
        assert result.check(name).message == f"Not run: {said}", result.explain()


def test_list_rule_outside_the_api_gets_the_hint_for_its_url(grade):
    """The api blueprint in place but its list rule elsewhere: GET /api/products 404 gets the hint about the URL."""
    result = grade.mutant(ID, {"shop/api.py": [('@bp.route("/products")', '@bp.route("/product-list")')]})
    listed = result.check("products_list_is_json_objects_with_id_name_price")
    assert listed.message == "GET /api/products returned 404, expected 200." and listed.cause == "status", result.explain()
    assert listed.hint.startswith("Which URL does your list view answer?"), listed.hint
