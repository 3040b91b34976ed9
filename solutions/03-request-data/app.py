from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.get("/search")
def search():
    q = request.args.get("q", "")
    if not q:
        return {"error": "the query parameter q is required"}, 400
    return {"query": q, "length": len(q)}


@app.post("/greet")
def greet():
    name = request.form.get("name")
    if name is None:
        return "The form field name is required.", 400
    return f"Hello, {escape(name)}!"


@app.post("/echo")
def echo():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return {"error": 'send a JSON object like {"message": "..."}'}, 400
    return {"echo": data["message"]}


if __name__ == "__main__":
    app.run(debug=True)
