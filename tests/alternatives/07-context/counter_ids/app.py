"""Request ids from a locked counter; the helper takes a default argument."""
import itertools
import os
import threading

from flask import Flask, current_app, g, make_response, session

app = Flask(__name__)
app.secret_key = os.urandom(16)
_ids = itertools.count(1)
_lock = threading.Lock()


def greeting(default="Hello"):
    return current_app.config.get("GREETING", default)


@app.before_request
def number_request():
    with _lock:
        g.request_id = f"req-{next(_ids)}"


@app.after_request
def expose(response):
    response.headers["X-Request-ID"] = g.request_id
    return response


@app.route("/visit")
def visit():
    count = session.get("visits", 0) + 1
    session["visits"] = count
    response = make_response("Visits: " + str(count))
    response.mimetype = "text/plain"
    return response


@app.route("/whoami")
def whoami():
    return {"request_id": g.request_id}


@app.route("/greeting")
def greeting_page():
    return greeting()
