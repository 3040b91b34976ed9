"""02-routing: URL rules and converters.

Every route below is a little wrong. Fix the rules (and the views where needed) so that each
URL in README.md answers as described. Run `nox -s grade -- 02` to see what is still wrong.
"""

from flask import Flask

app = Flask(__name__)


@app.route("/About")
def about():
    return "About this site"


@app.route("/user/<username>")
def user(username):
    return f"Hello, {username}!"


@app.route("/post/<post_id>")
def show_post(post_id):
    return f"Post {post_id}"


@app.route("/add/<a>/<b>")
def add(a, b):
    return a + b


@app.route("/projects")
def projects():
    return "Projects"


if __name__ == "__main__":
    app.run(debug=True)
