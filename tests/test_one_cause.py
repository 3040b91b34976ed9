"""One cause, one message: a precondition many checks share is said by the first check it stops."""


def test_no_add_user_function_is_said_once(grade):
    result = grade.mutant("11-auth", {"app.py": [("def add_user(username, password):", "def new_user(username, password):")]})
    said = [c for c in result.result.checks if c.message == "app.py has no add_user(username, password) function."]
    not_run = [c for c in result.result.checks if c.status == "not_run"]
    assert len(said) == 1 and not_run, result.explain()
    assert all(c.message == "Not run: app.py has no add_user(username, password) function." for c in not_run)
    assert {c.name for c in [*said, *not_run]} <= result.lost


def test_a_form_without_its_csrf_token_is_said_once(grade):
    result = grade.mutant("10-forms", {"templates/register.html": [("{{ form.hidden_tag() }}", "")]})
    said = [c for c in result.result.checks if (c.message or "").startswith("GET /register has no hidden input csrf_token")]
    not_run = [c for c in result.result.checks if c.status == "not_run"]
    assert len(said) == 1 and len(not_run) >= 3, result.explain()
    assert all(c.message.startswith("Not run: GET /register has no hidden input csrf_token") for c in not_run)


def test_a_product_list_that_is_not_there_is_said_once(grade):
    result = grade.mutant("08-blueprints", {"shop/__init__.py": [('url_prefix="/api"', 'url_prefix="/shop"')]})
    api = result.check("api_blueprint_lives_under_api")
    listed = result.check("products_list_is_json_objects_with_id_name_price")
    by_id = result.check("product_by_id_is_json")
    assert api.status == "failed" and api.message.startswith("The api blueprint has rules outside /api"), result.explain()
    assert listed.status == by_id.status == "not_run" and by_id.message == f"Not run: {api.message}", result.explain()


def test_one_line_raising_for_several_values_is_said_once(grade):
    result = grade.mutant("12-rest-api", {"app.py": [("        if todo_id not in todos:\n            raise ApiError(f\"no todo {todo_id}\", 404)\n", "")]})
    said = result.check("one_todo_can_be_read_updated_and_deleted")
    assert said.status == "failed" and "KeyError: 1 in app.py" in said.message, result.explain()
    for name in ("unknown_id_is_a_json_404", "no_request_makes_it_crash"):  # KeyError: 424242, KeyError: 0, ...
        assert result.check(name).status == "not_run" and result.check(name).message == f"Not run: {said.message}"
