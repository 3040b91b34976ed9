"""The 13-async grader: what it accepts and what it refuses."""

ID = "13-async"
GATHER = "weather, news = await asyncio.gather(fetch_weather(), fetch_news())"


def test_starter_with_blocking_calls_loses_async_and_speed(grade):
    assert grade.starter(ID).lost == {"dashboard_view_is_async", "sources_are_awaited_at_the_same_time"}


def test_one_await_after_the_other_loses_the_speed_check(grade):
    result = grade.mutant(ID, {"app.py": [(GATHER, "weather = await fetch_weather()\n    news = await fetch_news()")]})
    assert result.lost == {"sources_are_awaited_at_the_same_time"}
    assert "awaited one after the other" in result.check("sources_are_awaited_at_the_same_time").message


def test_time_sleep_in_a_source_loses_the_speed_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("    await asyncio.sleep(0.5)  # stands for a slow HTTP call", "    time.sleep(0.5)  # stands for a slow HTTP call"),
        ("import asyncio\n", "import asyncio\nimport time\n"),
    ]})
    assert result.lost == {"sources_are_awaited_at_the_same_time"}


def test_sources_that_do_not_wait_lose_the_speed_check(grade):
    result = grade.mutant(ID, {"app.py": [(GATHER, 'weather, news = "sunny", []')]})
    assert result.lost == {"sources_are_awaited_at_the_same_time"}
    assert "must await asyncio.sleep(0.5)" in result.check("sources_are_awaited_at_the_same_time").message


def test_sync_view_running_its_own_loop_loses_the_async_check(grade):
    result = grade.mutant(ID, {"app.py": [
        ("async def dashboard():\n    " + GATHER,
         "def dashboard():\n    weather, news = asyncio.run(both())"),
        ('@app.get("/dashboard")', 'async def both():\n    return await asyncio.gather(fetch_weather(), fetch_news())\n\n\n@app.get("/dashboard")'),
    ]})
    assert result.lost == {"dashboard_view_is_async"}


def test_one_source_that_no_longer_sleeps_loses_the_speed_check(grade):
    # 0.5 s, as fast as two sources at once: only the recorded sleeps show one source does not wait.
    result = grade.mutant(ID, {"app.py": [("    await asyncio.sleep(0.5)  # stands for a slow database query\n", "")]})
    assert result.lost == {"sources_are_awaited_at_the_same_time"}
    assert "asyncio.sleep(0.5) 1 time(s)" in result.check("sources_are_awaited_at_the_same_time").message


def test_one_after_the_other_with_one_sleep_left_loses_the_speed_check(grade):
    result = grade.mutant(ID, {"app.py": [
        (GATHER, "weather = await fetch_weather()\n    news = await fetch_news()"),
        ("    await asyncio.sleep(0.5)  # stands for a slow HTTP call to a weather service\n", ""),
    ]})
    assert result.lost == {"sources_are_awaited_at_the_same_time"}

