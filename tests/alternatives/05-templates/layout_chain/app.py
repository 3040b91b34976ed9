"""One layout between base.html and the pages; the footer comes from an include."""
import flask

app = flask.Flask(__name__)
TASKS = ["one", "two"]


def page(template, **context):
    return flask.render_template(template, **context)


@app.get("/")
def index():
    return page("index.html")


@app.get("/hello/<string:name>")
def hello(name):
    return page("hello.html", name=name, greeting="Hello")


@app.get("/tasks")
def tasks():
    return page("tasks.html", tasks=list(TASKS))
