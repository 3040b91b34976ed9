"""04-responses: status codes, redirects, headers, cookies and error handlers.

A view can return text, HTML, or a full response object with a status, headers and cookies.
Every view below returns *something*, but not the right thing. README.md says what each URL
must answer; `nox -s grade -- 04` tells you what is left.
"""

from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/teapot")
def teapot():
    return "I'm a teapot"


@app.route("/old")
def old():
    return redirect("/new")


@app.route("/new")
def new():
    return "The new page"


@app.route("/secret")
def secret():
    return "Forbidden"


@app.route("/boom")
def boom():
    raise RuntimeError("boom")


@app.route("/download")
def download():
    return "Quarterly report\n"


@app.route("/theme/set/<name>")
def set_theme(name):
    return f"Theme set to {name}"


@app.route("/theme")
def theme():
    return request.cookies.get("theme", "")


if __name__ == "__main__":
    app.run(debug=True)
