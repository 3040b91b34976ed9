"""A table layout with an error column; form.errors read in the template."""
from flask import Flask, redirect, render_template, url_for
from flask_wtf import CSRFProtect, FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

app = Flask(__name__)
app.config.update(SECRET_KEY="table-secret", WTF_CSRF_TIME_LIMIT=None)
CSRFProtect(app)
registered = []


class Register(FlaskForm):
    username = StringField("Name", [DataRequired("Choose a username."), Length(3, 64, "3 to 64 characters.")])
    email = EmailField("E-mail", [DataRequired(), Email("That is not an email address.")])
    password = PasswordField("Password", [DataRequired(), Length(min=8, message="At least 8 characters.")])
    confirm = PasswordField("Again", [EqualTo("password", "Type the same password twice.")])


@app.route("/register", methods=["GET", "POST"])
def register():
    form = Register()
    if not form.validate_on_submit():
        return render_template("register.html", form=form)
    registered.append(form.username.data)
    return redirect(url_for(".welcome", username=form.username.data))


@app.route("/welcome/<username>")
def welcome(username):
    return render_template("welcome.html", name=username)
