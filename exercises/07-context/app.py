import uuid

from flask import Flask

app = Flask(__name__)

# Module-level variables are shared by every request of every visitor, on every thread.
visits = 0
request_id = None


@app.before_request
def assign_request_id():
    global request_id
    request_id = uuid.uuid4().hex


@app.route("/visit")
def visit():
    global visits
    visits += 1
    return f"Visits: {visits}"


@app.route("/whoami")
def whoami():
    return {"request_id": request_id}


@app.route("/greeting")
def greet():
    return app.config.get("GREETING", "Hello")
