import time

from flask import Flask

app = Flask(__name__)


def fetch_weather():
    time.sleep(0.5)  # stands for a slow HTTP call to a weather service
    return {"city": "Lyon", "sky": "sunny", "celsius": 21}


def fetch_news():
    time.sleep(0.5)  # stands for a slow database query
    return ["Flask 3.1 is out", "Async views need flask[async]"]


@app.get("/dashboard")
def dashboard():
    # One after the other: the visitor waits for the sum of both.
    return {"weather": fetch_weather(), "news": fetch_news()}
