"""The 11-auth grader: what it accepts and what it refuses."""

ID = "11-auth"


def test_starter_is_well_below_full(grade):
    assert grade.starter(ID).lost >= {
        "login_manager_is_set_up", "add_user_stores_a_password_hash", "external_next_is_not_followed",
        "dashboard_redirects_anonymous_visitors_to_login_with_next", "logout_ends_the_session",
    }


def test_add_user_returning_nothing_loses_the_hash_check(grade):
    result = grade.mutant(ID, {"app.py": [("    USERS[username] = user\n    return user", "    USERS[username] = user")]})
    assert result.lost == {"add_user_stores_a_password_hash"}
    assert "returned None" in result.check("add_user_stores_a_password_hash").message


def test_next_followed_blindly_loses_the_open_redirect_check(grade):
    result = grade.mutant(ID, {"app.py": [("redirect(target if is_local(target) else url_for", "redirect(target or url_for")]})
    assert result.lost == {"external_next_is_not_followed"}
    assert "open redirect" in result.check("external_next_is_not_followed").message


def test_netloc_not_checked_loses_the_open_redirect_check(grade):
    """A check of the scheme only lets //evil.example/ through."""
    result = grade.mutant(ID, {"app.py": [("not parts.scheme and not parts.netloc and", "not parts.scheme and")]})
    assert result.lost == {"external_next_is_not_followed"}


def test_no_login_view_loses_the_next_redirect_check(grade):
    result = grade.mutant(ID, {"app.py": [('login_manager.login_view = "login"', "")]})
    assert result.lost == {"dashboard_redirects_anonymous_visitors_to_login_with_next"}


def test_logout_without_logout_user_loses_the_logout_check(grade):
    result = grade.mutant(ID, {"app.py": [("    logout_user()\n", "")]})
    assert result.lost == {"logout_ends_the_session"}


def test_wrong_password_answering_200_loses_the_401_check(grade):
    result = grade.mutant(ID, {"app.py": [('error="Wrong username or password."), 401', 'error="Wrong username or password.")')]})
    assert result.lost == {"wrong_password_is_401_with_the_form"}


def test_get_login_answering_500_loses_the_redirect_check(grade):
    # The redirect of @login_required lands on GET /login: it must show the form (the login page's check sees it too).
    result = grade.mutant(ID, {"app.py": [('    return render_template("login.html")\n', '    return "Internal Server Error", 500\n')]})
    assert result.lost == {"dashboard_redirects_anonymous_visitors_to_login_with_next", "login_page_is_a_form_that_escapes_next"}
    assert "GET /login?next=" in result.check("dashboard_redirects_anonymous_visitors_to_login_with_next").message


def test_login_form_without_a_password_input_loses_the_form_checks(grade):
    # GET /login (twice) and a refused POST /login promise the form: each check sees the input is gone.
    result = grade.mutant(ID, {"templates/login.html": [('  <label>Password <input name="password" type="password"></label>\n', "")]})
    assert result.lost == {"dashboard_redirects_anonymous_visitors_to_login_with_next", "wrong_password_is_401_with_the_form",
                           "login_page_is_a_form_that_escapes_next"}
    assert "no input named password" in result.check("wrong_password_is_401_with_the_form").message


def test_next_shown_with_safe_loses_the_login_page_check(grade):
    result = grade.mutant(ID, {"templates/login.html": [("{{ request.args.get('next', '') }}", "{{ request.args.get('next', '')|safe }}")]})
    assert result.lost == {"login_page_is_a_form_that_escapes_next"}
    assert result.check("login_page_is_a_form_that_escapes_next").message == (
        'GET /login?next="><script>alert(1)</script> shows markup that GET /login?next=/dashboard does not '
        "(<script> </script>): the next value reached the page unescaped, expected it escaped like any user input.")


def test_login_form_without_a_submit_button_loses_the_login_page_check(grade):
    result = grade.mutant(ID, {"templates/login.html": [('  <button type="submit">Log in</button>\n', "")]})
    assert result.lost == {"login_page_is_a_form_that_escapes_next"}
    assert "no submit button" in result.check("login_page_is_a_form_that_escapes_next").message


def test_login_form_sent_with_get_loses_the_login_page_check(grade):
    result = grade.mutant(ID, {"templates/login.html": [('<form method="post">', "<form>")]})
    assert result.lost == {"login_page_is_a_form_that_escapes_next"}
    assert "method ''" in result.check("login_page_is_a_form_that_escapes_next").message


def test_plain_text_passwords_lose_the_hash_check_even_with_the_probes_check_patched(grade):
    """Attack: add_user stores the password itself and rebinds check_password_hash everywhere it can
    (Werkzeug's, and the grader module's in the sandbox): the judge checks the hash itself."""
    patch = (
        "import sys\n"
        "import werkzeug.security\n\n"
        "def _always(stored, password):\n"
        "    return not password.endswith('x')\n\n"
        "werkzeug.security.check_password_hash = _always\n\n\n"
        "def add_user(username, password):\n"
        "    for module in list(sys.modules.values()):\n"
        "        if getattr(module, 'check_password_hash', None) is not None:\n"
        "            module.check_password_hash = _always\n"
        "    user = User(username, 'pbkdf2:sha256:1$' + password)\n"
        "    USERS[username] = user\n"
        "    return user\n\n\n"
        "def _unused_add_user(username, password):\n"
    )
    result = grade.mutant(ID, {"app.py": [("def add_user(username, password):\n", patch)]})
    assert "add_user_stores_a_password_hash" in result.lost
    assert "is not a Werkzeug password hash" in result.check("add_user_stores_a_password_hash").message


def test_a_hash_of_absurd_cost_is_refused_without_being_computed(grade):
    """scrypt with n = 2**30 would cost the judge a terabyte: it is not checked, and the check says why."""
    result = grade.mutant(ID, {"app.py": [("User(username, generate_password_hash(password))",
                                           "User(username, 'scrypt:1073741824:8:1$salt$' + '0' * 128)")]})
    assert "add_user_stores_a_password_hash" in result.lost
    assert "names a cost above Werkzeug's default" in result.check("add_user_stores_a_password_hash").message


def test_a_right_password_refused_is_said_once(grade):
    result = grade.mutant(ID, {"app.py": [(
        'if user and check_password_hash(user.password_hash, request.form.get("password", "")):',
        'if user and user.password_hash == request.form.get("password", ""):')]})
    said = result.check("right_password_logs_in_to_the_dashboard")
    logging_in = {"local_next_is_followed", "external_next_is_not_followed", "logout_ends_the_session"}
    assert result.lost == {said.name, *logging_in}, result.explain()
    assert said.message == "POST /login as 'ada' with the right password answered 401, expected a redirect to the dashboard."
    assert all(result.check(name).message == f"Not run: {said.message}" for name in logging_in), result.explain()


def test_a_user_class_without_usermixin_gets_the_hint_for_the_user_class(grade):
    result = grade.mutant(ID, {"app.py": [("class User(UserMixin):", "class User:")]})
    said = result.check("right_password_logs_in_to_the_dashboard")
    assert "AttributeError: 'User' object has no attribute 'is_active'" in said.message, said.message
    assert said.hint.startswith("Logging in made your code raise") and "UserMixin" in said.hint, said.hint
    assert result.check("logout_ends_the_session").status == "not_run", result.explain()


def test_a_dashboard_without_login_required_gets_the_hint_for_login_required(grade):
    result = grade.mutant(ID, {"app.py": [('@app.route("/dashboard")\n@login_required\n', '@app.route("/dashboard")\n')]})
    check = result.check("dashboard_redirects_anonymous_visitors_to_login_with_next")
    assert result.lost == {check.name} and "AnonymousUserMixin" in check.message, result.explain()
    assert check.hint.startswith("Your code raised for a visitor who is not logged in"), check.hint


def test_no_user_loader_is_said_once(grade):
    result = grade.mutant(ID, {"app.py": [("@login_manager.user_loader\n", "")]})
    said = result.check("right_password_logs_in_to_the_dashboard")
    pages = {"wrong_password_is_401_with_the_form", "dashboard_redirects_anonymous_visitors_to_login_with_next",
             "login_page_is_a_form_that_escapes_next", "logout_ends_the_session"}
    assert result.lost == {said.name, *pages}, result.explain()
    assert said.message.startswith("app.login_manager has no user_loader, so Flask-Login raised"), said.message
    assert "user_loader" in said.hint, said.hint
    assert all(result.check(name).message == f"Not run: {said.message}" for name in pages), result.explain()
