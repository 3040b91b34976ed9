"""Grader for 10-forms: a Flask-WTF registration form with CSRF protection and per-field errors.

The grader fills the form as a browser would: it reads the hidden csrf_token of the rendered form
and sends it back with the fields.
"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from grading import expect

FIELDS = ("username", "email", "password", "confirm")
VALID = {"username": "ada", "email": "ada@example.com", "password": "correct horse", "confirm": "correct horse"}
INVALID = {
    "username": ({"username": "ab"}, "a username of 2 characters"),
    "email": ({"email": "not-an-email"}, "the email 'not-an-email'"),
    "password": ({"password": "short1", "confirm": "short1"}, "a password of 6 characters"),
    "confirm": ({"confirm": "something else"}, "a confirm that differs from the password"),
}
names = st.text(alphabet=st.characters(categories=("L", "N")), min_size=3, max_size=12)
passwords = st.text(alphabet=st.characters(categories=("L", "N", "P", "S")), min_size=8, max_size=40)


class Inputs(HTMLParser):
    """The ``<input>`` elements of a page: name, type, value, and where each tag starts and ends."""

    def __init__(self, page):
        super().__init__()
        self.lines = [0]
        for line in page.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.found = []
        self.buttons = []  # each <button>: its attributes and where it starts
        self.forms = []  # each <form>: its attributes, where it starts and where </form> ends it
        self.feed(page)
        self.close()
        for form in self.forms:
            form.setdefault("close", len(page))  # a browser closes an unclosed form at the end

    def position(self):
        return self.lines[self.getpos()[0] - 1] + self.getpos()[1]

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            start = self.position()
            end = start + len(self.get_starttag_text() or "")
            self.found.append({**{k: v or "" for k, v in attrs}, "start": start, "end": end})
        elif tag == "button":
            self.buttons.append({**{k: v or "" for k, v in attrs}, "start": self.position()})
        elif tag == "form":
            self.forms.append({**{k: v or "" for k, v in attrs}, "start": self.position()})

    def handle_endtag(self, tag):
        open_forms = [f for f in self.forms if "close" not in f]
        if tag == "form" and open_forms:
            open_forms[-1]["close"] = self.position()

    def named(self, name):
        return next((i for i in self.found if i.get("name") == name), None)

    def submits(self, form):
        """The controls that send ``form``: <button> (a submit button unless its type says otherwise),
        <input type="submit"> or <input type="image">."""
        controls = [b for b in self.buttons if b.get("type", "submit").lower() == "submit"]
        controls += [i for i in self.found if i.get("type", "").lower() in ("submit", "image")]
        return [c for c in controls if form["start"] < c["start"] < form["close"]]


NO_TOKEN = ("GET /register has no hidden input csrf_token with a value: render the form's {{ form.hidden_tag() }} "
            "(or {{ form.csrf_token }}).")


def no_field_named(missing):
    """Fail: the form has no input for some fields (every check that fills the form needs them: said once)."""
    expect.precondition(f"GET /register has no input named {', '.join(missing)}.")


def form_page(client):
    response = client.get("/register")
    expect.status(response, 200)
    return response.get_data(as_text=True)


def token(client):
    hidden = Inputs(form_page(client)).named("csrf_token")
    if hidden is None or not hidden.get("value"):
        expect.precondition(NO_TOKEN)  # every check that sends the form needs it: said once
    return hidden["value"]


def submit(client, data):
    return client.post("/register", data={**data, "csrf_token": token(client)})


def visible_text(html):
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def around(page, field):
    """The visible text near ``field``: from the end of the field before it to the start of the next."""
    inputs = Inputs(page)
    order = sorted((inputs.named(f) for f in FIELDS if inputs.named(f)), key=lambda i: i["start"])
    here = next(i for i, found in enumerate(order) if found["name"] == field)
    start = order[here - 1]["end"] if here else 0
    end = order[here + 1]["start"] if here + 1 < len(order) else len(page)
    return visible_text(page[start:end])


def accepted(response, username):
    """The response redirects to /welcome/<username>."""
    location = response.headers.get("Location", "")
    path = unquote(urlsplit(location).path)
    return response.status_code in (301, 302, 303, 307, 308) and path == f"/welcome/{username}"


def welcomed(client, response, username, sent):
    """The answer to a valid form (``sent`` describes it) redirects to /welcome/<username>. A crash, a page
    other than the form, or a form without all its fields is a cause the checks that send valid forms share."""
    if accepted(response, username):
        return
    if response.status_code == 500:
        try:
            expect.status(response, 302)
        except expect.CheckFailed as failed:  # its cause as expect tells it: a crash, url_for of no endpoint, ...
            expect.precondition("POST /register with a valid form answered 500." + expect.explain(response), failed.cause)
    inputs = Inputs(response.get_data(as_text=True))
    again = response.status_code == 200 and any(inputs.named(f) for f in FIELDS)
    if response.status_code == 200 and not again:
        expect.precondition("POST /register with a valid form answered 200 and a page without the form, expected a "
                            "redirect to /welcome/<username>: the view accepted the data but did not redirect.",
                            "redirect")
    missing = [f for f in FIELDS if Inputs(form_page(client)).named(f) is None]
    if missing:
        no_field_named(missing)
    location = response.headers.get("Location")
    expect.fail(f"POST /register with {sent} answered {response.status_code}{' to ' + location if location else ''}, "
                f"expected a redirect to /welcome/{username}." + expect.explain(response, (301, 302, 303, 307, 308)),
                None if again else "redirect")


@pytest.mark.points(1)
def test_register_form_has_the_fields_and_a_csrf_token(client):
    """GET /register shows a form a browser can send (method post, a submit button) with username, email,
    password, confirm and a hidden csrf_token."""
    inputs = Inputs(form_page(client))
    missing = [f for f in FIELDS if inputs.named(f) is None]
    if missing:
        no_field_named(missing)  # the checks that fill the form need every field: said once
    hidden = inputs.named("csrf_token")
    if hidden is None or hidden.get("type") != "hidden" or not hidden.get("value"):
        expect.precondition(NO_TOKEN)  # the checks that send the form need it too: said once
    holding = [f for f in inputs.forms
               if all(f["start"] < inputs.named(n)["start"] < f["close"] for n in (*FIELDS, "csrf_token"))]
    expect.that(bool(holding), "GET /register has no <form> element around the inputs: a browser sends "
                "only the inputs of a <form>.")
    method = holding[-1].get("method", "")
    expect.that(method.lower() == "post", f"The form of GET /register has method {method!r} "
                "(a browser sends it with GET when there is none), expected method=\"post\".")
    action = holding[-1].get("action", "")
    target = urlsplit(urljoin("http://localhost/register", action)).path
    expect.that(target == "/register", f"The form of GET /register has action {action!r}, so a browser sends it "
                f"to {target}, expected /register (or no action).")
    expect.that(bool(inputs.submits(holding[-1])), "The form of GET /register has no submit button, so a browser "
                "has no way to send it (pressing Enter does not send a form of several fields without one): "
                'expected a <button type="submit"> or an <input type="submit"> inside the <form>.')


@pytest.mark.points(1)
def test_post_without_a_valid_csrf_token_is_400(client):
    """POST /register without a CSRF token, or with a forged one, is refused with 400."""
    expect.status(client.post("/register", data=VALID), 400)
    expect.status(client.post("/register", data={**VALID, "csrf_token": "forged"}), 400)


@pytest.mark.points(1)
def test_valid_registration_redirects_to_welcome(client):
    """Valid data (with the form's token) redirects to /welcome/<username>, which greets the user."""
    welcomed(client, submit(client, VALID), "ada", "valid data")
    expect.contains(client.get("/welcome/ada"), "ada")


@pytest.mark.points(1)
def test_welcome_escapes_the_username(client):
    """GET /welcome/<username> greets the user with the name escaped."""
    for name in ("<script>alert(1)", "Tom & Jerry", "<b>bold"):
        response = client.get("/welcome/" + name)
        expect.contains(response, str(escape(name)))


@pytest.mark.points(2)
def test_each_invalid_field_gets_its_own_error(client):
    """Each invalid field gives the form again (200) with an error message next to that field."""
    clean = form_page(client)
    missing = [f for f in FIELDS if Inputs(clean).named(f) is None]
    if missing:
        no_field_named(missing)
    for field, (change, what) in INVALID.items():
        response = submit(client, {**VALID, **change})
        if response.status_code in (301, 302, 303, 307, 308):
            expect.fail(f"POST /register with {what} answered {response.status_code}, expected 200 and the form "
                        f"again with an error next to the {field} field: the view accepted invalid data.", "status")
        expect.status(response, 200)
        page = response.get_data(as_text=True)
        expect.that(
            around(page, field) != around(clean, field),
            f"POST /register with {what} showed the form again with no message next to the {field} field: "
            f"loop over form.{field}.errors right after {{{{ form.{field}() }}}}.",
        )


@pytest.mark.points(1)
@given(password=st.text(max_size=7))
def test_any_short_password_is_refused(client, password):
    """Any password shorter than 8 characters is refused: the form comes back, no redirect."""
    response = submit(client, {**VALID, "password": password, "confirm": password})
    expect.that(response.status_code == 200, f"POST /register with the {len(password)}-character password "
                f"{password!r} answered {response.status_code}, expected 200 and the form again."
                + expect.explain(response, 200))


@pytest.mark.points(2)
@given(username=names, password=passwords, mailbox=st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z0-9]{1,5})?", fullmatch=True))
def test_any_valid_registration_is_accepted(client, username, password, mailbox):
    """Any username of 3+ characters, email and 8+ character password is accepted."""
    response = submit(client, {"username": username, "email": f"{mailbox}@example.com",
                               "password": password, "confirm": password})
    welcomed(client, response, username, f"username {username!r}, email {mailbox}@example.com and a "
             f"{len(password)}-character password")
