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



def test_a_source_called_without_await_is_said_once_with_the_hint_for_await(grade):
    result = grade.mutant(ID, {"app.py": [(GATHER, "weather, news = fetch_weather(), fetch_news()")]})
    said = result.check("dashboard_is_json_with_weather_and_news")
    assert result.lost == {said.name, "sources_are_awaited_at_the_same_time"}, result.explain()
    assert "Object of type coroutine is not JSON serializable" in said.message, said.message
    assert said.hint.startswith("Your view raised") and "without await" in said.hint, said.hint
    assert result.check("sources_are_awaited_at_the_same_time").message == f"Not run: {said.message}"


def test_no_dashboard_route_is_said_once(grade):
    result = grade.mutant(ID, {"app.py": [('@app.get("/dashboard")', '@app.get("/dash")')]})
    assert result.score == 0, result.explain()
    said = result.check("dashboard_is_json_with_weather_and_news")
    assert said.message == "There is no /dashboard route: GET /dashboard answered 404." and "route" in said.hint
    assert all(c.status == "not_run" and c.message == f"Not run: {said.message}"
               for c in result.result.checks if c is not said), result.explain()


def test_a_dashboard_answering_text_keeps_its_speed_points_and_gets_the_json_hint(grade):
    result = grade.mutant(ID, {"app.py": [('return {"weather": weather, "news": news}', 'return f"{weather} {news}"')]})
    assert result.lost == {"dashboard_is_json_with_weather_and_news"}, result.explain()
    assert result.check("dashboard_is_json_with_weather_and_news").hint.startswith("Your answer is text, not JSON")
