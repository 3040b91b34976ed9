"""An auth blueprint with a Flask-WTF login form; the classic is_safe_url check."""
from flask import Flask
from flask_login import LoginManager

from auth import bp
from users import USERS, User

app = Flask(__name__)
app.config["SECRET_KEY"] = "blueprint-secret"
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.init_app(app)
app.register_blueprint(bp)


@login_manager.user_loader
def load(user_id):
    return USERS.get(user_id)


def add_user(username, password):
    USERS[username] = User(username, password)
    return USERS[username]
