from flask import Flask, render_template

app = Flask(__name__)

TASKS = ["Read the Flask quickstart", "Move the HTML into templates", "Escape user input"]


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/hello/<name>")
def hello(name):
    return render_template("hello.html", name=name)


@app.route("/tasks")
def tasks():
    return render_template("tasks.html", tasks=TASKS)


if __name__ == "__main__":
    app.run(debug=True)
