from flask import Flask, redirect, request, session

app = Flask(__name__)
app.secret_key = "dev"

FORM = """<!doctype html>
<title>Log in</title>
<form method="post">
  <label>Username <input name="username"></label>
  <label>Password <input name="password" type="password"></label>
  <button type="submit">Log in</button>
</form>
"""

USERS = {}


class User:
    def __init__(self, username, password):
        self.username = username
        self.password_hash = password  # the password itself, in plain text!


def add_user(username, password):
    user = User(username, password)
    USERS[username] = user
    return user


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = USERS.get(request.form.get("username"))
        if user and user.password_hash == request.form.get("password"):
            session["user"] = user.username
            return redirect(request.args.get("next") or "/dashboard")  # wherever we are told
        return FORM
    return FORM


@app.route("/dashboard")
def dashboard():  # open to anyone
    return f"Dashboard of {session.get('user')}"


@app.route("/logout")
def logout():  # forgets nothing
    return redirect("/login")
