"""03-request-data: query strings, forms, JSON and methods.

Each view reads its data from the wrong place or does not check it. Fix them so that every
request in README.md gets the answer it describes. `nox -s grade -- 03` tells you what is left.
"""

from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.form["q"]
    return {"query": q, "length": len(q)}


@app.route("/greet", methods=["GET", "POST"])
def greet():
    name = request.args.get("name")
    return f"Hello, {name}!"


@app.route("/echo", methods=["GET", "POST"])
def echo():
    data = request.get_json()
    return {"echo": data["message"]}


if __name__ == "__main__":
    app.run(debug=True)
