"""The 10-forms grader: what it accepts and what it refuses."""

ID = "10-forms"
TEMPLATE = "templates/register.html"


def test_starter_without_flask_wtf_gets_zero(grade):
    assert grade.starter(ID).score == 0


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
