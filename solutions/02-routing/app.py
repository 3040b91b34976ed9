from flask import Flask
from markupsafe import escape

app = Flask(__name__)


@app.route("/about")
def about():
    return "About this site"


@app.route("/user/<username>")
def show_user(username):
    return f"Hello, {escape(username)}!"


@app.route("/post/<int:post_id>")
def show_post(post_id):
    return f"Post {post_id}"


@app.route("/add/<int:a>/<int:b>")
def add(a, b):
    return str(a + b)


@app.route("/projects/")
def projects():
    return "Projects"


if __name__ == "__main__":
    app.run(debug=True)
