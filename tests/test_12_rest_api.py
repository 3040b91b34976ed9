"""The 12-rest-api grader: what it accepts and what it refuses."""

ID = "12-rest-api"


def test_starter_gets_zero_and_its_crash_is_shown(grade):
    result = grade.starter(ID)
    assert result.score == 0
    message = result.check("no_request_makes_it_crash").message
    assert "answered 500" in message and "IndexError" in message and "app.py, line" in message


def test_module_level_store_loses_the_own_store_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("MAX_PER_PAGE = 100\n", "MAX_PER_PAGE = 100\nSHARED = {}\n"),
        ("    todos = {}  # this app's own store: id -> todo\n", "    todos = SHARED\n"),
    ]})
    assert result.lost == {"each_app_has_its_own_store"}


def test_no_title_limit_loses_the_validation_check(grade):
    result = grade.mutant(ID, {"app.py": [(" or len(title) > MAX_TITLE:", ":")]})
    assert result.lost == {"any_invalid_todo_is_refused_with_a_json_error"}
    assert "answered 201, expected 400 or 422" in result.check("any_invalid_todo_is_refused_with_a_json_error").message


def test_done_of_any_type_loses_the_validation_check(grade):
    result = grade.mutant(ID, {"app.py": [('not isinstance(data["done"], bool)', "False")]})
    assert result.lost == {"any_invalid_todo_is_refused_with_a_json_error"}


def test_uncapped_per_page_loses_its_check(grade):
    result = grade.mutant(ID, {"app.py": [('min(positive_int("per_page", 10), MAX_PER_PAGE)', 'positive_int("per_page", 10)')]})
    assert result.lost == {"per_page_above_100_is_capped_or_refused"}


def test_html_error_pages_lose_the_405_check(grade):
    result = grade.mutant(ID, {"app.py": [("    @app.errorhandler(HTTPException)\n", "")]})
    assert result.lost == {"wrong_method_is_a_json_405"}


def test_int_of_any_page_loses_the_400_check_and_crashes(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    if not value.isdecimal() or int(value) < 1:\n", "    if int(value) < 1:\n"),
    ]})
    assert result.lost == {"non_integer_page_is_400", "no_request_makes_it_crash"}
    assert "ValueError" in result.check("no_request_makes_it_crash").message


def test_no_location_header_loses_the_201_check(grade):
    result = grade.mutant(ID, {"app.py": [(', {"Location": url_for("get_todo", todo_id=todo["id"])}', "")]})
    assert result.lost == {"new_todo_is_201_with_its_location"}


def test_page_or_per_page_of_1_refused_loses_the_pages_check(grade):
    result = grade.mutant(ID, {"app.py": [("int(value) < 1:", "int(value) <= 1:")]})
    assert result.lost == {"pages_of_ten_and_per_page"}
    assert "?page=1" in result.check("pages_of_ten_and_per_page").message


def test_title_of_200_characters_refused_loses_the_201_check(grade):
    result = grade.mutant(ID, {"app.py": [(" or len(title) > MAX_TITLE:", " or len(title) >= MAX_TITLE:")]})
    assert result.lost == {"new_todo_is_201_with_its_location"}
    assert "200 characters of title" in result.check("new_todo_is_201_with_its_location").message


def test_create_app_without_argument_crashing_loses_the_own_store_check(grade):
    result = grade.mutant(ID, {"app.py": [("    if test_config is not None:\n        app.config.update(test_config)\n",
                                           "    app.config.update(test_config)\n")]})
    assert result.lost == {"each_app_has_its_own_store"}


NEED_201 = {"new_todo_is_201_with_its_location", "list_is_oldest_first", "pages_of_ten_and_per_page",
            "one_todo_can_be_read_updated_and_deleted", "unknown_id_is_a_json_404", "wrong_method_is_a_json_405"}


def test_post_answering_200_is_said_once_and_the_checks_that_need_201_are_not_run(grade):
    from grading.outputs.report import Painter, render_exercise

    result = grade.mutant(ID, {"app.py": [("return todo, 201, {", "return todo, 200, {")]})
    assert result.lost == {"post_answers_201_with_the_new_todo", *NEED_201}, result.explain()
    cause = result.check("post_answers_201_with_the_new_todo")
    assert cause.status == "failed" and cause.message == "POST /api/todos returned 200, expected 201.", result.explain()
    for name in NEED_201:
        check = result.check(name)
        assert check.status == "not_run" and check.points == 0 and check.hint is None, result.explain()
        assert check.message == "Not run: needs post_answers_201_with_the_new_todo (see above).", check.message
    shown = render_exercise(result.result, Painter(False), columns=100)
    assert shown.count("returned 200") == 1 and shown.count("Hint:") == 1, shown
    assert 'Not run until this passes: POST /api/todos with {"title": "Buy milk"} answers 201' in " ".join(shown.split()), shown


def test_page_0_answering_an_empty_page_loses_the_bad_page_check(grade):
    result = grade.mutant(ID, {"app.py": [("or int(value) < 1:", "or int(value) < 0:")]})
    assert result.lost == {"non_integer_page_is_400"}
    assert result.check("non_integer_page_is_400").message == "GET /api/todos?page=0 returned 200, expected 400."


def test_non_json_body_answered_with_an_html_error_loses_the_validation_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("fields = validated(request.get_json(silent=True), partial=False)", "fields = validated(request.json, partial=False)"),
        ("    @app.errorhandler(HTTPException)\n", "    @app.errorhandler(404)\n    @app.errorhandler(405)\n"),
    ]})
    assert result.lost == {"any_invalid_todo_is_refused_with_a_json_error"}
    message = result.check("any_invalid_todo_is_refused_with_a_json_error").message
    assert message.startswith("POST /api/todos returned 400 with Content-Type 'text/html"), message


def test_a_post_answering_a_list_gets_the_hint_for_the_body_not_the_status(grade):
    result = grade.mutant(ID, {"app.py": [("return todo, 201, {", "return list(todos.values()), 201, {")]})
    check = result.check("post_answers_201_with_the_new_todo")
    assert result.lost == {check.name, *NEED_201} and check.cause == "body", result.explain()
    assert check.hint.startswith("Your answer to the POST is not the new todo"), check.hint


def test_page_1_cut_wrong_gets_the_hint_for_pages_not_for_the_order(grade):
    result = grade.mutant(ID, {"app.py": [("start = (page - 1) * per_page", "start = page * per_page")]})
    assert result.lost == {"list_is_oldest_first", "pages_of_ten_and_per_page", "per_page_above_100_is_capped_or_refused"}
    listed = result.check("list_is_oldest_first")
    assert listed.message == ("The titles of GET /api/todos are [], expected the three todos just created, "
                              "['first', 'second', 'third']."), listed.message
    assert "In which order" not in listed.hint and "page 1" in listed.hint, listed.hint
    capped = result.check("per_page_above_100_is_capped_or_refused")
    assert "gave 5 todos" in capped.message and capped.hint.startswith("?per_page=150 gave neither"), capped.hint


def test_todos_listed_in_another_order_keep_the_hint_for_the_order(grade):
    result = grade.mutant(ID, {"app.py": [("return list(todos.values())[start:start + per_page]",
                                           "return list(reversed(todos.values()))[start:start + per_page]")]})
    listed = result.check("list_is_oldest_first")
    assert "list_is_oldest_first" in result.lost and listed.hint.startswith("In which order are your todos stored"), listed.hint


def test_html_404_pages_get_the_hint_for_json_errors(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    @app.errorhandler(HTTPException)\n    def http_error(error):\n        return {\"error\": error.description}, error.code\n", ""),
        ('            raise ApiError(f"no todo {todo_id}", 404)', "            abort(404)"),
        ("from flask import Flask,", "from flask import Flask, abort,")]})
    assert result.lost == {"one_todo_can_be_read_updated_and_deleted", "unknown_id_is_a_json_404", "wrong_method_is_a_json_405"}
    for name in ("one_todo_can_be_read_updated_and_deleted", "unknown_id_is_a_json_404"):
        assert result.check(name).hint.startswith("Your "), result.check(name).hint
        assert "HTML page, not JSON" in result.check(name).hint
