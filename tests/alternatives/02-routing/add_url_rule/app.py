"""Rules declared in one table instead of decorators; views render tiny templates."""

from flask import Flask, render_template_string

app = Flask(__name__)


def about():
    return render_template_string("<h1>About us</h1>")


def greet(username):
    return render_template_string("Hello, {{ name }}!", name=username)


def post(post_id):
    return render_template_string("Post {{ n }}", n=post_id)


def add(a, b):
    return f"{a + b}\n"


def projects():
    return "projects"


for rule, endpoint, view in [
    ("/about", "about", about),
    ("/user/<username>", "show_user", greet),
    ("/post/<int:post_id>", "show_post", post),
    ("/add/<int:a>/<int:b>", "add", add),
    ("/projects/", "projects", projects),
]:
    app.add_url_rule(rule, endpoint, view)
