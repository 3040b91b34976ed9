import html

from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


class UserPage(MethodView):
    def get(self, username):
        return "Hello, " + html.escape(username) + "!"


class PostPage(MethodView):
    def get(self, post_id: int):
        return "Post %d" % post_id


app.add_url_rule("/user/<string:username>", view_func=UserPage.as_view("show_user"))
app.add_url_rule("/post/<int:post_id>", view_func=PostPage.as_view("show_post"))


@app.get("/about")
def about():
    return "<h1>About</h1><p>A small site.</p>"


@app.get("/add/<int:a>/<int:b>")
def add(a, b):
    return {"sum": a + b}["sum"].__str__(), 200, {"Content-Type": "text/plain"}


@app.get("/projects/")
def projects():
    return "<ul><li>flask-exercises</li></ul>"
