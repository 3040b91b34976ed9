"""Views in a blueprint, the helper in its own module."""
from flask import Flask

from views import bp

app = Flask(__name__)
app.config.from_mapping(SECRET_KEY="another-dev-key", GREETING="Hello")
app.register_blueprint(bp)
