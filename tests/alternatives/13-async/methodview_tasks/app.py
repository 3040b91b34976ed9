"""An async MethodView that starts two tasks, then awaits each."""
import asyncio

from flask import Flask, jsonify
from flask.views import MethodView

app = Flask(__name__)


async def slow(value):
    await asyncio.sleep(0.5)
    return value


class Dashboard(MethodView):
    async def get(self):
        weather = asyncio.create_task(slow("rain"))
        news = asyncio.create_task(slow(["headline"]))
        return jsonify(weather=await weather, news=await news)


app.add_url_rule("/dashboard", view_func=Dashboard.as_view("dashboard"))
