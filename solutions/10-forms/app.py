from flask import Flask, redirect, render_template, url_for
from flask_wtf import CSRFProtect, FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-only-change-me"  # CSRF tokens are signed with it
csrf = CSRFProtect(app)  # every POST needs a valid token, or it is refused with 400

USERS = {}  # username -> email; a real app would use a database (see 09)


class RegistrationForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(min=3)])
    email = StringField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField("Repeat password", validators=[EqualTo("password", message="Passwords must match.")])


@app.route("/register", methods=["GET", "POST"])
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        USERS[form.username.data] = form.email.data
        return redirect(url_for("welcome", username=form.username.data))
    return render_template("register.html", form=form)


@app.route("/welcome/<username>")
def welcome(username):
    return render_template("welcome.html", username=username)
