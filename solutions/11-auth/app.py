from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-only-change-me"

login_manager = LoginManager(app)
login_manager.login_view = "login"  # where @login_required sends anonymous visitors

USERS = {}  # username -> User; a real app keeps them in a database (see 09)


class User(UserMixin):
    def __init__(self, username, password_hash):
        self.id = username
        self.username = username
        self.password_hash = password_hash


def add_user(username, password):
    user = User(username, generate_password_hash(password))
    USERS[username] = user
    return user


@login_manager.user_loader
def load_user(user_id):
    return USERS.get(user_id)


def is_local(target):
    """Only a path on this site: no scheme, no host (//evil.example is a host too)."""
    parts = urlsplit(target)
    return bool(target) and not parts.scheme and not parts.netloc and target.startswith("/")


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = USERS.get(request.form.get("username", ""))
        if user and check_password_hash(user.password_hash, request.form.get("password", "")):
            login_user(user)
            target = request.values.get("next", "")
            return redirect(target if is_local(target) else url_for("dashboard"))
        return render_template("login.html", error="Wrong username or password."), 401
    return render_template("login.html")


@app.route("/dashboard")
@login_required
def dashboard():
    return render_template("dashboard.html", username=current_user.username)


@app.route("/logout")
def logout():
    logout_user()
    return redirect(url_for("login"))
