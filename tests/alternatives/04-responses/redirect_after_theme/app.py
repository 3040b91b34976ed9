"""Setting the theme redirects back to /theme, with the cookie on the redirect (303 See Other)."""

from flask import Flask, Response, abort, jsonify, redirect, request

app = Flask(__name__)


@app.get("/teapot")
def teapot():
    return Response("short and stout", status=418)


@app.get("/old")
def old():
    return redirect("/new", 301)


@app.get("/new")
def new():
    return Response("moved here for good")


@app.get("/secret")
def secret():
    return abort(Response("keep out", status=403))


@app.get("/boom")
def boom():
    raise ValueError("the view fails")


@app.get("/download")
def download():
    return Response("report", mimetype="text/plain",
                    headers={"Content-Disposition": 'attachment; filename="report.txt"'})


@app.get("/theme/set/<name>")
def set_theme(name):
    if name not in ("light", "dark"):
        abort(400, description=f"no theme called {name}")
    back = redirect("/theme", 303)
    back.set_cookie("theme", name, httponly=True)
    return back


@app.get("/theme")
def theme():
    return Response(request.cookies.get("theme", "light"), mimetype="text/plain")


def json_not_found(error):
    return jsonify(error="not found", path=request.path), 404


def json_crash(error):
    return jsonify(error="internal server error"), 500


app.register_error_handler(404, json_not_found)
app.register_error_handler(500, json_crash)
