"""Grader for 11-auth: Flask-Login, hashed passwords, login_required, safe next, real logout."""

import contextlib
import sys
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.security import check_password_hash

from grading import expect

PASSWORD = "correct horse battery"
REDIRECTS = (301, 302, 303, 307, 308)
hosts = st.from_regex(r"[a-z]{1,10}\.(example|test|com|org)", fullmatch=True)
external = st.builds(
    lambda scheme, host, path: f"{scheme}{host}/{path}",
    st.sampled_from(["https://", "http://", "//", "HTTPS://", "https:/", "https:"]),
    hosts,
    st.from_regex(r"[a-z0-9/]{0,12}", fullmatch=True),
)


@pytest.fixture
def app(app):
    """The student's app, with CSRF checks off (tests may turn them off; the login is the point)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def has_add_user(app):
    """In the sandbox: whether the app's module has an add_user function."""
    return callable(getattr(sys.modules.get(app.import_name), "add_user", None))


def call_add_user(app, username, password):
    """In the sandbox: add_user(username, password) of the app's module. Sends back what it returned
    (shown for a message) and that user's password_hash: the judge checks it (see :func:`hashes`)."""
    user = sys.modules[app.import_name].add_user(username, password)
    stored = getattr(user, "password_hash", None)
    return {"shown": expect.show(user), "password_hash": stored if isinstance(stored, str) else None}


MAX_COSTS = {"scrypt": (2**15, 8, 1), "pbkdf2": 1_000_000}  # Werkzeug's defaults: a hash above is not checked


def hashes(stored: str, password: str) -> bool | None:
    """In the judge: whether ``stored`` is a Werkzeug hash of ``password`` (and not of another one).

    Checked here, not in the sandbox: the student's process could rebind its own
    check_password_hash. ``None`` when the hash names a cost above Werkzeug's defaults (checking
    it would cost the judge seconds or gigabytes)."""
    name, *costs = stored.partition("$")[0].split(":")
    try:
        if name == "scrypt":
            n, r, p = (int(c) for c in costs) if costs else MAX_COSTS["scrypt"]
            if n > MAX_COSTS["scrypt"][0] or r > MAX_COSTS["scrypt"][1] or p > MAX_COSTS["scrypt"][2]:
                return None
        elif name == "pbkdf2" and len(costs) > 1 and int(costs[1]) > MAX_COSTS["pbkdf2"]:
            return None
        return check_password_hash(stored, password) and not check_password_hash(stored, password + "x")
    except (ValueError, TypeError):
        return False


@pytest.fixture
def add_user(app):
    """The student's ``add_user`` function, from the same module as the app, called in the sandbox:
    ``add_user(username, password)`` gives what :func:`call_add_user` sends back."""
    if not app.probe(has_add_user):  # every check with a user needs it: said once
        expect.precondition("app.py has no add_user(username, password) function.")
    return lambda username, password: app.probe(call_add_user, username, password)


@pytest.fixture
def ada(add_user):
    add_user("ada", PASSWORD)
    return "ada"


def log_in(client, username="ada", password=PASSWORD, next_url=None):
    """POST /login; a next URL goes both in the query string and in the form, as forms differ."""
    data = {"username": username, "password": password}
    if next_url is None:
        return client.post("/login", data=data)
    return client.post("/login", query_string={"next": next_url}, data={**data, "next": next_url})


def logged_in(client, next_url=None):
    """POST /login as ada with the right password (and ``next_url``). A login without next that does not
    answer a redirect (a refusal, a crash) is the cause of every check that logs in: said once."""
    response = log_in(client, next_url=next_url)
    if response.status_code in REDIRECTS:
        return response
    plain = response if next_url is None else log_in(client)
    try:
        expect.status(plain, REDIRECTS)
    except expect.CheckFailed as failed:  # its cause as expect tells it: a crash, a view returning None, ...
        expect.precondition(f"POST /login as 'ada' with the right password answered {plain.status_code}, expected "
                            "a redirect to the dashboard." + expect.explain(plain, REDIRECTS), failed.cause)
    return response  # only this next goes wrong: the check says how


class FormInputs(HTMLParser):
    """The <form> elements of a page, each with its method, the names of its inputs and whether it
    has a submit button; ``names``: the inputs of every form; ``tags``: the page's markup, every
    start tag with its attribute names and every end tag."""

    def __init__(self, page):
        super().__init__()
        self.forms, self.open, self.names, self.tags = [], None, set(), []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(f"<{' '.join([tag, *sorted(name for name, _ in attrs)])}>")
        attrs = {name: value or "" for name, value in attrs}
        kind = attrs.get("type", "submit" if tag == "button" else "text").lower()
        if tag == "form":
            self.open = {"method": attrs.get("method", ""), "names": set(), "submit": False}
            self.forms.append(self.open)
        elif self.open is not None:
            if tag in ("input", "textarea"):
                self.open["names"].add(attrs.get("name", ""))
                self.names.add(attrs.get("name", ""))
            if tag == "button" and kind == "submit" or tag == "input" and kind in ("submit", "image"):
                self.open["submit"] = True

    def handle_endtag(self, tag):
        self.tags.append(f"</{tag}>")
        if tag == "form":
            self.open = None


def shows_the_login_form(response, request, status_code=200):
    """``response`` answers ``status_code`` with a form holding the inputs username and password."""
    expect.status(response, status_code)
    names = FormInputs(response.get_data(as_text=True)).names
    missing = [n for n in ("username", "password") if n not in names]
    expect.that(not missing, f"{request} answered {status_code} with no input named {' or '.join(missing)} inside "
                "a <form>: show the login form, with its username and password inputs.")


NO_USER_LOADER = ("app.login_manager has no user_loader, so Flask-Login raised \"Missing user_loader or request_loader\" "
                  "on every page that looks at current_user: decorate a function of the user id with "
                  "@login_manager.user_loader.")


def loads_users(app):
    """In the sandbox: whether the app's login manager can load a user (a user_loader or request_loader)."""
    manager = getattr(app, "login_manager", None)
    return manager is None or bool(manager.user_callback or manager.request_callback)


@contextlib.contextmanager
def loading_users(app):
    """A check that fails on a crash because the login manager has no user_loader: one cause for every
    page that looks at current_user, said once."""
    try:
        yield
    except expect.CheckFailed as failed:
        if "Missing user_loader" in str(failed) and not app.probe(loads_users):
            expect.precondition(NO_USER_LOADER, "exception")
        raise


def is_local(location):
    """A redirect that stays on this site: a path, or an absolute URL to localhost."""
    if location.startswith(("http://localhost/", "https://localhost/")):
        return True
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.points(1)
def test_login_manager_is_set_up(app):
    """Flask-Login is set up: app.login_manager exists."""
    expect.that(app.login_manager is not None, "app has no login_manager: create LoginManager(app) "
                "(or login_manager.init_app(app)).")


@pytest.mark.points(2)
def test_add_user_stores_a_password_hash(add_user):
    """add_user returns the stored user, whose password_hash is a Werkzeug hash, never the password."""
    for name, password in (("grace", PASSWORD), ("linus", "pässwörd ✓ 123")):
        user = add_user(name, password)
        stored = user["password_hash"]
        expect.that(isinstance(stored, str), f"add_user({name!r}, ...) returned {user['shown']}, whose "
                    "password_hash is missing: return the stored user object, with a password_hash attribute.")
        expect.that(stored != password, f"add_user stored the password {password!r} itself as password_hash: "
                    "store generate_password_hash(password) instead.")
        verdict = hashes(stored[:1000], password)
        expect.that(verdict is not None, f"password_hash {stored[:30]!r}… names a cost above Werkzeug's default: "
                    "use generate_password_hash(password) with its default method.")
        expect.that(verdict, f"password_hash {stored[:30]!r}… is not a Werkzeug password hash of {password!r}: "
                    "use werkzeug.security.generate_password_hash.")


@pytest.mark.points(1)
def test_right_password_logs_in_to_the_dashboard(app, client, ada):
    """POST /login with the right password redirects to /dashboard, which shows the username."""
    with loading_users(app):
        expect.redirect(logged_in(client), "/dashboard")
        expect.contains(client.get("/dashboard"), "ada")


@pytest.mark.points(1)
def test_wrong_password_is_401_with_the_form(app, client, ada):
    """POST /login with a wrong password (or an unknown user) answers 401 and the form again."""
    with loading_users(app):
        for username, password in (("ada", "wrong password"), ("nobody", PASSWORD)):
            response = log_in(client, username, password)
            shows_the_login_form(response, f"POST /login as {username!r} with a wrong password", status_code=401)
        response = client.get("/dashboard")
        expect.that(response.status_code != 200, "After a wrong password, GET /dashboard answered 200: "
                    "nobody should be logged in.")


@pytest.mark.points(1)
def test_dashboard_redirects_anonymous_visitors_to_login_with_next(app, client):
    """An anonymous GET /dashboard redirects to /login?next=... pointing back to /dashboard, where
    GET shows the login form (200, with the username and password inputs)."""
    with loading_users(app):
        response = client.get("/dashboard")
        expect.redirect(response, "/login")
        location = response.headers["Location"]
        nexts = parse_qs(urlsplit(location).query).get("next", [])
        expect.that(nexts and urlsplit(nexts[0]).path == "/dashboard", f"GET /dashboard redirected to {location}, "
                    "expected a next parameter naming /dashboard: decorate the view with @login_required and set "
                    'login_manager.login_view = "login".')
        target = urlsplit(location)
        shows_the_login_form(client.get(target.path, query_string=target.query), f"GET {target.path}?{target.query}")


@pytest.mark.points(1)
def test_local_next_is_followed(client, ada):
    """After logging in with a local next (/dashboard?tab=2), the app redirects there."""
    response = logged_in(client, next_url="/dashboard?tab=2")
    location = response.headers.get("Location", "")
    expect.that(response.status_code in (301, 302, 303, 307, 308) and location.endswith("/dashboard?tab=2"),
                f"POST /login?next=/dashboard?tab=2 answered {response.status_code} to {location or 'nowhere'}, "
                "expected a redirect to /dashboard?tab=2.")


@pytest.mark.points(1)
@pytest.mark.timeout(30)  # every example checks a password hash, slow by design
@settings(max_examples=10)
@given(target=external)
@example(target="https://evil.example/")
@example(target="//evil.example/")
def test_external_next_is_not_followed(client, ada, target):
    """After logging in, a next pointing to another site (any scheme or //host form) is ignored."""
    response = logged_in(client, next_url=target)
    location = response.headers.get("Location", "")
    redirected = response.status_code in REDIRECTS
    expect.that(redirected, f"POST /login?next={target} with the right password answered {response.status_code}, "
                "expected a redirect to a page of this site." + expect.explain(response, REDIRECTS))
    expect.that(is_local(location), f"POST /login?next={target} redirected to {location or 'nowhere'}: that is an "
                "open redirect. Follow next only when it is a path on this site.")


@pytest.mark.points(1)
@settings(max_examples=40)
@given(next_url=st.text(st.sampled_from("<>\"'&=/ ") | st.characters(exclude_categories=("Cs", "Cc")), max_size=30))
@example(next_url='"><script>alert(1)</script>')
@example(next_url="' autofocus onfocus='alert(1)")
@example(next_url="</form><form action=//evil.example/>")
def test_login_page_is_a_form_that_escapes_next(app, client, next_url):
    """GET /login shows a form a browser can send (method post, a submit button), and any next it
    is given comes back escaped: no next value adds markup to the page."""
    with loading_users(app):
        plain = client.get("/login", query_string={"next": "/dashboard"})
        shows_the_login_form(plain, "GET /login?next=/dashboard")
        page = FormInputs(plain.get_data(as_text=True))
        form = next((f for f in page.forms if {"username", "password"} <= f["names"]), None)
        expect.that(form is not None, "GET /login has no <form> that holds both the username and the password "
                    "input: a browser sends only the inputs of the form whose button was pressed.")
        expect.that(form["method"].lower() == "post", f"The login form of GET /login has method {form['method']!r} "
                    '(a browser sends it with GET when there is none), expected method="post".')
        expect.that(form["submit"], "The login form of GET /login has no submit button, so a browser has no way to "
                    'send it: expected a <button type="submit"> or an <input type="submit"> inside the <form>.')
        response = client.get("/login", query_string={"next": next_url})
        expect.status(response, 200)
        added = Counter(FormInputs(response.get_data(as_text=True)).tags) - Counter(page.tags)
        expect.that(not added, f"GET /login?next={next_url} shows markup that GET /login?next=/dashboard does not "
                    f"({' '.join(added)}): the next value reached the page unescaped, expected it escaped "
                    "like any user input.")


@pytest.mark.points(1)
def test_logout_ends_the_session(app, client, ada):
    """GET /logout redirects to /login, and the dashboard is closed again afterwards."""
    with loading_users(app):
        expect.redirect(logged_in(client), "/dashboard")
        expect.redirect(client.get("/logout"), "/login")
        response = client.get("/dashboard")
        expect.that(response.status_code != 200, "After GET /logout, GET /dashboard still answered 200: call "
                    "logout_user() in the logout view.")


