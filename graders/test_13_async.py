"""Grader for 13-async: an async view that awaits two slow sources at the same time."""

import asyncio
import inspect
import os
import sys
import time

import pytest

from grading import expect

TRIES = 3
FAST_ENOUGH = 0.9  # seconds: one after the other takes at least 1.0
SLEPT = 0.45  # seconds: both sources really await asyncio.sleep(0.5)
NO_ROUTE = "There is no /dashboard route: GET /dashboard answered 404."


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


def record_sleeps(app):
    """In the sandbox: GET /dashboard with asyncio.sleep replaced by a version that records each
    call (its delay, the task that awaited it, when it started and ended; also where the student's
    modules imported sleep by name). Sends back the status and the calls."""
    original = asyncio.sleep
    calls = []

    async def recording_sleep(delay, *args, **kwargs):
        task = asyncio.current_task()
        start = time.perf_counter()
        try:
            return await original(delay, *args, **kwargs)
        finally:
            calls.append({"delay": delay, "task": id(task), "start": start, "end": time.perf_counter()})

    root = os.path.realpath(app.root_path)
    patched = [(asyncio, "sleep"), (asyncio.tasks, "sleep")]
    for module in list(sys.modules.values()):
        where = os.path.realpath(getattr(module, "__file__", None) or "/")
        if where.startswith(root + os.sep):
            patched += [(module, name) for name, value in list(vars(module).items()) if value is original]
    for owner, name in patched:
        setattr(owner, name, recording_sleep)
    try:
        status = app.test_client().get("/dashboard").status_code
    finally:
        for owner, name in patched:
            setattr(owner, name, original)
    return {"status": status, "calls": calls}


def answered(client, app):
    """GET /dashboard, which must answer 200: no route, or a view that crashes, is the cause of
    every check that asks it, said once."""
    response = client.get("/dashboard")
    if response.status_code == 404 and app.probe(dashboard_view) is None:
        expect.precondition(NO_ROUTE, "status")
    with expect.shared_cause():
        expect.status(response, 200)
    return response


def overlapping_pair(calls):
    """Two sleeps of about half a second, in different tasks, that ran at the same time; or None."""
    slow = [c for c in calls if isinstance(c["delay"], (int, float)) and c["delay"] >= SLEPT]
    for i, first in enumerate(slow):
        for second in slow[i + 1:]:
            if first["task"] != second["task"] and first["start"] < second["end"] and second["start"] < first["end"]:
                return first, second
    return None


@pytest.mark.points(1)
def test_dashboard_is_json_with_weather_and_news(client, app):
    """GET /dashboard answers a JSON object with weather and news."""
    data = expect.json(answered(client, app))
    expect.that(isinstance(data, dict) and {"weather", "news"} <= data.keys(),
                f"GET /dashboard returned {expect.show(data)}, expected an object with the keys weather and news.")


@pytest.mark.points(1)
def test_dashboard_view_is_async(app):
    """The /dashboard view is an async def function (or an async method of a class-based view)."""
    view = app.probe(dashboard_view)
    if view is None:
        expect.precondition(NO_ROUTE, "status")
    expect.that(
        view["async"] is True,
        f"The /dashboard view {view['name']} is a plain def: write it as async def, so it can await.",
    )


@pytest.mark.points(2)
@pytest.mark.timeout(20)
def test_sources_are_awaited_at_the_same_time(client, app):
    """GET /dashboard awaits both half-second sources at once, and answers in well under a second.

    Each source's asyncio.sleep(0.5) runs in a task of its own, at the same time as the other."""
    # First what it awaits (one request, whatever the machine's speed): two sources at once?
    seen = app.probe(record_sleeps)
    if seen["status"] != 200:
        answered(client, app)  # the cause, as the first check said it
    expect.that(seen["status"] == 200, f"GET /dashboard answered {seen['status']} while the grader recorded "
                "its asyncio.sleep calls, expected 200.")
    slow = [c for c in seen["calls"] if isinstance(c["delay"], (int, float)) and c["delay"] >= SLEPT]
    expect.that(len(slow) >= 2, f"GET /dashboard awaited asyncio.sleep(0.5) {len(slow)} time(s), expected once in "
                "each of the two sources: each source must await asyncio.sleep(0.5), the slow call it stands for.")
    expect.that(overlapping_pair(seen["calls"]) is not None, "GET /dashboard's two sources were awaited one after "
                "the other (each asyncio.sleep(0.5) ended before the other began): run them concurrently, with "
                "asyncio.gather.")
    # Then how long it takes: nothing else in the view may keep the answer waiting.
    times = []
    for _ in range(TRIES):  # a busy machine may be slow once
        start = time.perf_counter()
        expect.status(client.get("/dashboard"), 200)
        times.append(time.perf_counter() - start)
        if SLEPT <= times[-1] < FAST_ENOUGH:
            return
    best = min(times)
    expect.that(best >= SLEPT, f"GET /dashboard took {best:.2f} s: each source must await asyncio.sleep(0.5), "
                "the slow call it stands for.")
    expect.fail(f"GET /dashboard took {best:.2f} s at best ({TRIES} tries), expected under {FAST_ENOUGH} s: "
                "both sources wait at the same time, so something else in the view keeps the answer waiting.")
