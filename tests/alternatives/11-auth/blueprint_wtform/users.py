from flask_login import UserMixin
from werkzeug.security import generate_password_hash

USERS = {}


class User(UserMixin):
    def __init__(self, username, password):
        self.id = self.username = username
        self.password_hash = generate_password_hash(password, method="pbkdf2:sha256")
