"""Class-based views; the stylesheet link carries a version query string."""
from flask import Flask, render_template
from flask.views import MethodView

app = Flask(__name__)
TASKS = []


class Page(MethodView):
    template = ""

    def context(self, **kwargs):
        return kwargs

    def get(self, **kwargs):
        return render_template(self.template, **self.context(**kwargs))


class Index(Page):
    template = "index.html"


class Hello(Page):
    template = "hello.html"


class Tasks(Page):
    template = "tasks.html"

    def context(self, **kwargs):
        return {"tasks": TASKS}


app.add_url_rule("/", view_func=Index.as_view("index"))
app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))
app.add_url_rule("/tasks", view_func=Tasks.as_view("tasks"))
