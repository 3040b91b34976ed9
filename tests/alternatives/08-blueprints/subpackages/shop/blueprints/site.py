from flask import Blueprint, render_template_string

site = Blueprint("main", __name__)


@site.route("/")
def index():
    return render_template_string("<p>{{ 'Welcome' }}</p>")
