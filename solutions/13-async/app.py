import asyncio

from flask import Flask

app = Flask(__name__)


async def fetch_weather():
    await asyncio.sleep(0.5)  # stands for a slow HTTP call to a weather service
    return {"city": "Lyon", "sky": "sunny", "celsius": 21}


async def fetch_news():
    await asyncio.sleep(0.5)  # stands for a slow database query
    return ["Flask 3.1 is out", "Async views need flask[async]"]


@app.get("/dashboard")
async def dashboard():
    weather, news = await asyncio.gather(fetch_weather(), fetch_news())
    return {"weather": weather, "news": news}
