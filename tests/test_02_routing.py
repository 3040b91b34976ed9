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
