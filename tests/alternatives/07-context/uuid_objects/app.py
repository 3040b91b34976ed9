"""Request ids kept as uuid.UUID objects: Flask sends them as text, in the JSON and in the header."""
import uuid

from flask import Flask, current_app, g, session

app = Flask(__name__)
app.config.from_mapping(SECRET_KEY="dev", GREETING="Hello")


def greeting():
    return current_app.config.get("GREETING", "Hello")


@app.before_request
def assign_request_id():
    g.request_id = uuid.uuid4()


@app.after_request
def add_request_id_header(response):
    response.headers["X-Request-ID"] = str(g.request_id)
    return response


@app.route("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return f"Visits: {session['visits']}"


@app.route("/whoami")
def whoami():
    return {"request_id": g.request_id}


@app.route("/greeting")
def greet():
    return greeting()
