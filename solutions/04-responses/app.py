from flask import Flask, abort, make_response, redirect, request, url_for

app = Flask(__name__)

THEMES = {"light", "dark"}


@app.route("/teapot")
def teapot():
    return "I'm a teapot", 418


@app.route("/old")
def old():
    return redirect(url_for("new"), code=301)


@app.route("/new")
def new():
    return "The new page"


@app.route("/secret")
def secret():
    abort(403)


@app.route("/boom")
def boom():
    raise RuntimeError("boom")


@app.route("/download")
def download():
    response = make_response("Quarterly report\n")
    response.mimetype = "text/plain"
    response.headers["Content-Disposition"] = "attachment; filename=report.txt"
    return response


@app.route("/theme/set/<name>")
def set_theme(name):
    if name not in THEMES:
        abort(400)
    response = make_response(f"Theme set to {name}")
    response.set_cookie("theme", name)
    return response


@app.route("/theme")
def theme():
    return request.cookies.get("theme", "light")


@app.errorhandler(404)
def not_found(error):
    return {"error": "not found", "path": request.path}, 404


@app.errorhandler(500)
def internal_error(error):
    return {"error": "internal server error"}, 500


if __name__ == "__main__":
    app.run(debug=True)
