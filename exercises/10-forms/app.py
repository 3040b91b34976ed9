from flask import Flask, request

app = Flask(__name__)

FORM = """<!doctype html>
<title>Register</title>
<form method="post">
  <p>Username <input name="username"></p>
  <p>Email <input name="email"></p>
  <p>Password <input name="password" type="password"></p>
  <p>Repeat password <input name="confirm" type="password"></p>
  <button type="submit">Register</button>
</form>
"""


@app.route("/register", methods=["GET", "POST"])
def register():
    if request.method == "POST":
        # No validation, no CSRF protection: anything from anyone is accepted.
        return "Registered " + request.form.get("username", "")
    return FORM
