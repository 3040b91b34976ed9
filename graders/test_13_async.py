"""Grader for 13-async: an async view that awaits two slow sources at the same time."""

import inspect
import time

import pytest

from grading import expect

TRIES = 3
FAST_ENOUGH = 0.9  # seconds: one after the other takes at least 1.0
SLEPT = 0.45  # seconds: both sources really await asyncio.sleep(0.5)


def dashboard_view(app):
    """In the sandbox: the /dashboard view's name, and whether it is an async def function (or a
    class-based view whose get or dispatch_request is); None when there is no /dashboard route."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule == "/dashboard"]
    if not rules:
        return None
    view = app.view_functions[rules[0].endpoint]
    view_class = getattr(view, "view_class", None)
    methods = [getattr(view_class, name, None) for name in ("get", "dispatch_request")] if view_class else []
    return {"name": str(getattr(view, "__name__", view)),
            "async": inspect.iscoroutinefunction(view) or any(inspect.iscoroutinefunction(m) for m in methods)}


@pytest.mark.points(1)
def test_dashboard_is_json_with_weather_and_news(client):
    """GET /dashboard answers a JSON object with weather and news."""
    data = expect.json(client.get("/dashboard"))
    expect.that(isinstance(data, dict) and {"weather", "news"} <= data.keys(),
                f"GET /dashboard returned {expect.show(data)}, expected an object with the keys weather and news.")


@pytest.mark.points(1)
def test_dashboard_view_is_async(app):
    """The /dashboard view is an async def function (or an async method of a class-based view)."""
    view = app.probe(dashboard_view)
    expect.that(view is not None, "There is no /dashboard route.")
    expect.that(
        view["async"] is True,
        f"The /dashboard view {view['name']} is a plain def: write it as async def, so it can await.",
    )


@pytest.mark.points(2)
@pytest.mark.timeout(20)
def test_sources_are_awaited_at_the_same_time(client):
    """GET /dashboard awaits both half-second sources at once: it answers in well under a second."""
    times = []
    for _ in range(TRIES):
        start = time.perf_counter()
        expect.status(client.get("/dashboard"), 200)
        times.append(time.perf_counter() - start)
        if SLEPT <= times[-1] < FAST_ENOUGH:
            return
    best = min(times)
    expect.that(best >= SLEPT, f"GET /dashboard took {best:.2f} s: each source must await asyncio.sleep(0.5), "
                "the slow call it stands for.")
    expect.fail(f"GET /dashboard took {best:.2f} s at best ({TRIES} tries), expected under {FAST_ENOUGH} s: "
                "the two sources are awaited one after the other.")
