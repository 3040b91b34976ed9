from flask import Flask

app = Flask(__name__)

TASKS = ["Read the Flask quickstart", "Move the HTML into templates", "Escape user input"]

# Every page repeats the same frame, and user input goes straight into the HTML.
# Try /hello/<b>hi and /hello/<img src=x onerror=alert(1)> in a browser (nox -s run -- 05),
# then move each page into a template.


@app.route("/")
def index():
    return """<!doctype html>
<html><head><title>Home</title></head>
<body><h1>Welcome</h1><footer>Built with Flask</footer></body></html>"""


@app.route("/hello/<name>")
def hello(name):
    return f"""<!doctype html>
<html><head><title>Hello</title></head>
<body><h1>Hello, {name}!</h1><footer>Built with Flask</footer></body></html>"""


@app.route("/tasks")
def tasks():
    items = "".join(f"<li>{task}</li>" for task in TASKS)
    return f"""<!doctype html>
<html><head><title>Tasks</title></head>
<body><h1>Tasks</h1><ul>{items}</ul><footer>Built with Flask</footer></body></html>"""


if __name__ == "__main__":
    app.run(debug=True)
