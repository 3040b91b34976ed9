"""Users in a list of dataclasses with get_id; next only from a hidden form field; 303 redirects."""
from dataclasses import dataclass
from urllib.parse import urlparse

import flask
import flask_login
from werkzeug import security

app = flask.Flask(__name__)
app.secret_key = b"another secret"
manager = flask_login.LoginManager(app)
manager.login_view = "login"
manager.session_protection = "strong"

people = []


@dataclass
class Person(flask_login.UserMixin):
    username: str
    password_hash: str

    def get_id(self):
        return self.username


def add_user(username, password):
    person = Person(username, security.generate_password_hash(password))
    people.append(person)
    return person


@manager.user_loader
def find(username):
    return next((p for p in people if p.username == username), None)


def safe(target):
    parsed = urlparse(target or "")
    return target and target.startswith("/") and not parsed.netloc and not parsed.scheme


PAGE = """<form method=post><input type=hidden name=next value="{{ next }}">
<input name=username><input name=password type=password><input type=submit></form>{{ message }}"""


@app.route("/login", methods=["GET", "POST"])
def login():
    if flask.request.method == "GET":
        return flask.render_template_string(PAGE, next=flask.request.args.get("next", ""), message="")
    person = find(flask.request.form.get("username"))
    if person and security.check_password_hash(person.password_hash, flask.request.form.get("password", "")):
        flask_login.login_user(person)
        target = flask.request.form.get("next")
        return flask.redirect(target if safe(target) else flask.url_for("dashboard"), code=303)
    page = flask.render_template_string(PAGE, next=flask.request.form.get("next", ""), message="Try again.")
    return page, 401


@app.route("/dashboard")
@flask_login.login_required
def dashboard():
    return flask.render_template_string("Hello {{ user.username }}", user=flask_login.current_user)


@app.route("/logout")
def logout():
    flask_login.logout_user()
    return flask.redirect(flask.url_for("login"), code=303)
