import asyncio


async def weather():
    await asyncio.sleep(0.5)
    return "cloudy"


async def news():
    await asyncio.sleep(0.5)
    return []
