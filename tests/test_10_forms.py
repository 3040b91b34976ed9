"""The 10-forms grader: what it accepts and what it refuses."""

ID = "10-forms"
TEMPLATE = "templates/register.html"


def test_starter_without_flask_wtf_gets_zero(grade):
    result = grade.starter(ID)
    assert result.score == 0
    welcome = result.check("welcome_escapes_the_username")
    assert welcome.message.endswith("returned 404, expected 200.") and welcome.hint.startswith(
        "Is there a route for /welcome/<username>"), welcome.hint


def test_no_csrf_protect_loses_the_400_check(grade):
    result = grade.mutant(ID, {"app.py": [("csrf = CSRFProtect(app)", "csrf = None")]})
    assert result.lost == {"post_without_a_valid_csrf_token_is_400"}
    assert "returned 200, expected 400" in result.check("post_without_a_valid_csrf_token_is_400").message


def test_password_minimum_of_9_loses_the_valid_registration_check(grade):
    result = grade.mutant(ID, {"app.py": [("Length(min=8)", "Length(min=9)")]})
    assert result.lost == {"any_valid_registration_is_accepted"}
    assert "8-character password" in result.check("any_valid_registration_is_accepted").message


def test_password_minimum_of_6_loses_the_short_password_checks(grade):
    result = grade.mutant(ID, {"app.py": [("Length(min=8)", "Length(min=6)")]})
    assert result.lost == {"any_short_password_is_refused", "each_invalid_field_gets_its_own_error"}


def test_hidden_confirm_errors_lose_the_per_field_check(grade):
    result = grade.mutant(ID, {TEMPLATE: [("{% for error in field.errors %}", "{% for error in field.errors if field.name != 'confirm' %}")]})
    assert result.lost == {"each_invalid_field_gets_its_own_error"}
    assert "next to the confirm field" in result.check("each_invalid_field_gets_its_own_error").message


def test_confirm_without_equal_to_loses_the_per_field_check(grade):
    result = grade.mutant(ID, {"app.py": [('validators=[EqualTo("password", message="Passwords must match.")]', "validators=[]")]})
    assert result.lost == {"each_invalid_field_gets_its_own_error"}


def test_safe_username_loses_the_escaping_check(grade):
    result = grade.mutant(ID, {"templates/welcome.html": [("{{ username }}", "{{ username|safe }}")]})
    assert result.lost == {"welcome_escapes_the_username"}


def test_form_without_method_post_loses_the_form_check(grade):
    result = grade.mutant(ID, {"templates/register.html": [('<form method="post" novalidate>', "<form novalidate>")]})
    assert result.lost == {"register_form_has_the_fields_and_a_csrf_token"}
    assert "method" in result.check("register_form_has_the_fields_and_a_csrf_token").message


def test_form_without_a_submit_button_loses_the_form_check(grade):
    result = grade.mutant(ID, {TEMPLATE: [('  <button type="submit">Register</button>\n', "")]})
    assert result.lost == {"register_form_has_the_fields_and_a_csrf_token"}
    assert result.check("register_form_has_the_fields_and_a_csrf_token").message.startswith(
        "The form of GET /register has no submit button")


def test_plain_button_outside_the_form_loses_the_form_check(grade):
    result = grade.mutant(ID, {TEMPLATE: [('  <button type="submit">Register</button>\n</form>',
                                           '  <button type="button">Check</button>\n</form>\n<button>Register</button>')]})
    assert result.lost == {"register_form_has_the_fields_and_a_csrf_token"}


def test_no_form_element_loses_the_form_check(grade):
    result = grade.mutant(ID, {"templates/register.html": [('<form method="post" novalidate>\n', ""), ("</form>\n", "")]})
    assert result.lost == {"register_form_has_the_fields_and_a_csrf_token"}
    assert "no <form> element" in result.check("register_form_has_the_fields_and_a_csrf_token").message


def test_a_renamed_field_is_said_once_and_every_check_still_runs(grade):
    result = grade.mutant(ID, {"app.py": [("    confirm = PasswordField(", "    confirm_password = PasswordField(")],
                               TEMPLATE: [("form.confirm]", "form.confirm_password]")]})
    filling = {"valid_registration_redirects_to_welcome", "each_invalid_field_gets_its_own_error",
               "any_valid_registration_is_accepted"}
    assert result.lost == {"register_form_has_the_fields_and_a_csrf_token", *filling}, result.explain()
    assert result.check("register_form_has_the_fields_and_a_csrf_token").message == "GET /register has no input named confirm."
    assert all(result.check(name).message == "Not run: GET /register has no input named confirm." for name in filling)


def test_a_valid_form_rendered_instead_of_redirected_is_said_once(grade):
    result = grade.mutant(ID, {"app.py": [('return redirect(url_for("welcome", username=form.username.data))',
                                           'return render_template("welcome.html", username=form.username.data)')]})
    said = result.check("valid_registration_redirects_to_welcome")
    assert result.lost == {said.name, "any_valid_registration_is_accepted"}, result.explain()
    assert said.message.startswith("POST /register with a valid form answered 200 and a page without the form"), said.message
    assert result.check("any_valid_registration_is_accepted").message == f"Not run: {said.message}"


def test_a_redirect_to_an_unknown_endpoint_is_said_once_with_the_hint_for_the_endpoint(grade):
    result = grade.mutant(ID, {"app.py": [('url_for("welcome",', 'url_for("welcome_page",')]})
    said = result.check("valid_registration_redirects_to_welcome")
    assert result.lost == {said.name, "any_valid_registration_is_accepted"}, result.explain()
    assert "BuildError" in said.message and said.cause == "endpoint", said.cause
    assert said.hint.startswith("url_for builds a URL from an endpoint's name"), said.hint
    assert result.check("any_valid_registration_is_accepted").status == "not_run"


def test_no_secret_key_gets_the_hint_about_the_secret_key(grade):
    result = grade.mutant(ID, {"app.py": [('app.config["SECRET_KEY"] = "dev-only-change-me"', "")]})
    for name in ("register_form_has_the_fields_and_a_csrf_token", "post_without_a_valid_csrf_token_is_400"):
        check = result.check(name)
        assert "A secret key is required" in check.message and 'app.config["SECRET_KEY"]' in check.hint, check.hint


def test_a_form_accepted_without_validation_gets_the_hint_for_validate_on_submit(grade):
    result = grade.mutant(ID, {"app.py": [("    if form.validate_on_submit():", '    if request.method == "POST":'),
                                           ("from flask import Flask,", "from flask import Flask, request,")]})
    check = result.check("each_invalid_field_gets_its_own_error")
    assert result.lost == {check.name, "any_short_password_is_refused"}, result.explain()
    assert check.message.endswith("the view accepted invalid data."), check.message
    assert check.hint.startswith("Your view accepted invalid data: does it redirect only when form.validate_on_submit()")
