"""Sources in their own module; asyncio.wait on a set of tasks."""
import asyncio

from flask import Flask

import sources

app = Flask(__name__)


@app.route("/dashboard")
async def dashboard():
    tasks = {name: asyncio.ensure_future(getattr(sources, name)()) for name in ("weather", "news")}
    await asyncio.wait(tasks.values())
    return {name: task.result() for name, task in tasks.items()}
