"""CSRFProtect via init_app, errors listed before each input by a macro, validate() by hand."""
from flask import Flask, redirect, render_template, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from markupsafe import escape
from wtforms import PasswordField, StringField, validators

csrf = CSRFProtect()
app = Flask(__name__)
app.secret_key = "x" * 32
csrf.init_app(app)


class SignUp(FlaskForm):
    username = StringField(validators=[validators.InputRequired(), validators.Length(min=3, max=64)])
    email = StringField(validators=[validators.InputRequired(), validators.Email(check_deliverability=False)])
    password = PasswordField(validators=[validators.InputRequired(), validators.Length(min=8)])
    confirm = PasswordField(validators=[validators.EqualTo("password")])


@app.route("/register", methods=("GET", "POST"))
def register():
    form = SignUp()
    if request.method == "POST" and form.validate():
        return redirect("/welcome/" + form.username.data, code=303)
    return render_template("form.html", form=form)


@app.get("/welcome/<username>")
def welcome(username):
    return f"<p>Hi {escape(username)}, welcome aboard.</p>"
