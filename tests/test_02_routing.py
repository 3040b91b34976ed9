"""The 02-routing grader: what it accepts and what it refuses."""

from conftest import EXERCISES


def test_starter_loses_each_broken_rule(grade):
    result = grade.starter("02-routing")
    assert result.lost == {
        "about_page", "user_page_greets_escaped_name", "user_endpoint_is_show_user",
        "post_with_text_id_is_404", "add_returns_the_sum", "projects_has_trailing_slash",
    }, result.explain()


def test_missing_int_converter_loses_post_404_check(grade):
    result = grade.mutant("02-routing", {"app.py": [("/post/<int:post_id>", "/post/<post_id>")]})
    assert result.lost == {"post_with_text_id_is_404"}
    assert result.check("post_with_text_id_is_404").message == "GET /post/abc returned 200, expected 404."


def test_unescaped_name_loses_the_greeting_check(grade):
    result = grade.mutant("02-routing", {"app.py": [("{escape(username)}", "{username}")]})
    assert result.lost == {"user_page_greets_escaped_name"}
    assert "&lt;" in result.check("user_page_greets_escaped_name").message


def test_string_concatenation_loses_the_sum_check(grade):
    result = grade.mutant("02-routing", {"app.py": [("/add/<int:a>/<int:b>", "/add/<a>/<b>"),
                                                    ("str(a + b)", "a + b")]})
    assert result.lost == {"add_returns_the_sum"}


def test_renamed_view_loses_the_endpoint_check(grade):
    result = grade.mutant("02-routing", {"app.py": [("def show_user(", "def user(")]})
    assert result.lost == {"user_endpoint_is_show_user"}


def test_rule_without_trailing_slash_loses_the_projects_check(grade):
    result = grade.mutant("02-routing", {"app.py": [('"/projects/"', '"/projects"')]})
    assert result.lost == {"projects_has_trailing_slash"}


def test_a_trailing_slash_is_explained_as_one(grade):
    result = grade.mutant("02-routing", {"app.py": [('@app.route("/about")', '@app.route("/about/")')]})
    assert result.lost == {"about_page"}, result.explain()
    check = result.check("about_page")
    assert "308 Permanent Redirect" in check.message and "trailing slash" in check.message, check.message
    assert "trailing slash" in " ".join(EXERCISES["02-routing"].hints["about_page"])  # not only "case included"


def test_renamed_post_view_gets_the_hint_for_its_endpoint(grade):
    """A post view not named show_post gets the endpoint hint, not the one about the int converter."""
    result = grade.mutant("02-routing", {"app.py": [("def show_post(", "def post(")]})
    check = result.check("post_with_int_id")
    assert result.lost == {"post_with_int_id"} and check.cause == "endpoint", result.explain()
    assert check.message.startswith("url_for('show_post', post_id=42) raised BuildError: no endpoint is named show_post")
    assert check.hint.startswith("GET /post/42 answers, but which endpoint name"), check.hint


def test_other_post_text_gets_the_hint_to_compare_the_text(grade):
    """"Post number 42" gets the hint about the text, not about converters."""
    result = grade.mutant("02-routing", {"app.py": [('f"Post {post_id}"', 'f"Post number {post_id}"')]})
    check = result.check("post_with_int_id")
    assert result.lost == {"post_with_int_id"} and check.cause == "body", result.explain()
    assert check.hint.startswith("Your rule matches /post/42, but the page says something else"), check.hint


def test_greeting_with_other_text_is_not_called_unescaped(grade):
    """A greeting without its comma is told the text is wrong, not that it must be escaped."""
    result = grade.mutant("02-routing", {"app.py": [('f"Hello, {escape(username)}!"', 'f"Hello {escape(username)}"')]})
    check = result.check("user_page_greets_escaped_name")
    assert result.lost == {"user_page_greets_escaped_name"} and check.cause == "body", result.explain()
    assert "must be HTML-escaped" not in check.message, check.message
    assert check.hint.startswith('Your greeting differs from "Hello, <name>!" in more than escaping'), check.hint


def test_float_converter_for_the_sum_gets_the_hint_about_the_rule(grade):
    """/add/<float:a>/<float:b> does not match /add/2/3: the hint is about the rule, not "2" + "3"."""
    result = grade.mutant("02-routing", {"app.py": [("/add/<int:a>/<int:b>", "/add/<float:a>/<float:b>")]})
    check = result.check("add_returns_the_sum")
    assert result.lost == {"add_returns_the_sum"} and check.cause == "status", result.explain()
    assert check.hint.startswith("Does your rule match /add/2/3, two whole numbers?"), check.hint
