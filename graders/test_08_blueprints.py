"""Grader for 08-blueprints: an application factory and blueprints, wherever the student put them."""

import numbers

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading import expect
from grading.judge.remote import RemoteApp, StudentCodeError, StudentError


@pytest.fixture
def test_config():
    return {"TESTING": True}


@pytest.fixture
def factory(student, make_app, test_config):
    """The student's ``create_app``, imported once: two calls must still give two apps. A
    create_app that raises or returns no app is said in the words of every check that builds an
    app (once, for all of them)."""
    create_app = student.attribute("shop:create_app")

    def call(*args):
        try:
            made = create_app(*args)
        except StudentError:
            try:
                make_app(test_config)
            except StudentCodeError as failed:
                failed.cause = "exception"
                raise
            raise
        if not isinstance(made, RemoteApp):
            make_app(test_config)
            expect.fail(f"create_app({', '.join(map(repr, args))}) returned {type(made).__name__}, expected a Flask app.")
        return made

    return call


def identity(app):
    """Probe, run in the sandbox: which object ``app`` is (two apps alive at once never share it)."""
    return id(app)


def blueprint(app, name, home):
    """The blueprint called ``name``, or a failed check listing the ones there are."""
    found = sorted(app.blueprints)
    expect.that(
        name in app.blueprints,
        f"app.blueprints has {', '.join(found) or 'no blueprint'}; expected a blueprint named {name!r} "
        f"for {home}: Blueprint({name!r}, __name__), registered in create_app.",
    )
    return app.blueprints[name]


def rules_of(app, name):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(name + ".")]


def api_blueprint(app):
    """The blueprint api, every rule of it under /api: a missing or misplaced API is one cause for
    every check that reads it, said once."""
    with expect.shared_cause():
        blueprint(app, "api", "the JSON API")
        outside = [r.rule for r in rules_of(app, "api") if r.rule != "/api" and not r.rule.startswith("/api/")]
        expect.that(not outside, f"The api blueprint has rules outside /api: {', '.join(outside)}; register it "
                    "with url_prefix='/api'.")


def products_of(client, app):
    """The products of GET /api/products: the checks that read them share its failure, said once."""
    with expect.shared_cause():
        response = client.get("/api/products")
        if response.status_code == 404:
            api_blueprint(app)  # no API under /api: that is the cause
        data = expect.json(response)
        expect.that(isinstance(data, list), f"GET /api/products returned {expect.show(data)}, expected a JSON list.")
        expect.that(bool(data), "GET /api/products returned an empty list: the shop needs a few products.")
    return data


@pytest.mark.points(1)
def test_each_call_returns_a_new_independent_app(factory):
    """create_app() returns a new app on every call; one app's config never reaches another."""
    first = factory({"TESTING": True, "ONLY_IN_FIRST": "yes"})
    second = factory({"TESTING": True})
    expect.that(first.probe(identity) != second.probe(identity), "create_app() returned the same app object "
                "twice: create the Flask app inside create_app, not at module level.")
    expect.that("ONLY_IN_FIRST" not in second.config, "A setting passed to one create_app() call showed up in "
                "the app of the next call: each app needs its own config.")
    third = factory()
    expect.that(third.blueprints.keys() == first.blueprints.keys(),
                "create_app() with no test_config registers other blueprints than create_app({...}).")


@pytest.mark.points(1)
def test_test_config_is_applied_after_the_defaults(factory):
    """create_app(test_config) applies test_config after the defaults: its values win."""
    app = factory({"TESTING": True, "SECRET_KEY": "from-test-config"})
    expect.equal(app.config.get("SECRET_KEY"), "from-test-config", "With test_config SECRET_KEY='from-test-config', app.config['SECRET_KEY']")
    expect.equal(app.testing, True, "With test_config TESTING=True, app.testing")


@pytest.mark.points(1)
def test_main_blueprint_serves_the_home_page(app, client):
    """A blueprint named main serves GET / (200)."""
    blueprint(app, "main", "the home page")
    expect.status(client.get("/"), 200)
    home = [r.endpoint for r in app.url_map.iter_rules() if r.rule == "/"]
    expect.that(any(e.startswith("main.") for e in home),
                f"GET / is served by {', '.join(home) or 'nothing'}, expected a view of the main blueprint.")


@pytest.mark.points(1)
def test_api_blueprint_lives_under_api(app):
    """A blueprint named api has every rule under /api; url_for("api.list_products") is /api/products."""
    api_blueprint(app)
    try:
        url = app.url_for("api.list_products")
    except StudentError as exc:  # a BuildError, for a missing endpoint
        expect.fail(f'url_for("api.list_products") raised {exc.type_name}: name the list view '
                    "list_products in the api blueprint.", "endpoint")
    expect.equal(url, "/api/products", 'url_for("api.list_products")')


@pytest.mark.points(2)
def test_products_list_is_json_objects_with_id_name_price(client, app):
    """GET /api/products answers a JSON list of products, each with an int id, a name and a price."""
    for product in products_of(client, app):
        expect.that(
            isinstance(product, dict)
            and isinstance(product.get("id"), int)
            and isinstance(product.get("name"), str)
            and isinstance(product.get("price"), numbers.Real)
            and not isinstance(product.get("price"), bool),
            f"GET /api/products has the item {expect.show(product)}, expected an object like "
            '{"id": 1, "name": "Flask mug", "price": 9.5}.',
        )


@pytest.mark.points(1)
def test_product_by_id_is_json(client, app):
    """GET /api/products/<id> answers the product of that id, as JSON."""
    for product in products_of(client, app):
        if isinstance(product, dict) and "id" in product:
            expect.json(client.get(f"/api/products/{product['id']}"), product)


@pytest.mark.points(1)
@given(product_id=st.integers(min_value=0, max_value=10**9))
def test_unknown_product_is_a_json_404(client, app, product_id):
    """GET /api/products/<id> of no product answers 404 JSON; a text id answers 404."""
    known = {p.get("id") for p in client.get("/api/products").get_json(silent=True) or [] if isinstance(p, dict)}
    try:
        if product_id not in known:
            expect.json(client.get(f"/api/products/{product_id}"), status_code=404)
        expect.status(client.get("/api/products/mug"), 404)
    except expect.CheckFailed:
        if client.get("/api/products").status_code == 404:
            products_of(client, app)  # no API under /api at all: said once, by the checks above
        raise
