"""Grader for 12-rest-api: a JSON API with validation, pagination and JSON errors, fuzzed for 500s."""

import json
from urllib.parse import quote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grading import expect

ERROR_STATUSES = (400, 422)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
todo_like = st.fixed_dictionaries({}, optional={"title": json_values, "done": json_values, "id": json_values})
valid_titles = st.text(min_size=1, max_size=200).filter(lambda t: t.strip() == t and t)
invalid_todos = st.one_of(
    st.fixed_dictionaries({"done": st.booleans()}),  # no title
    st.fixed_dictionaries({"title": json_values.filter(lambda v: not isinstance(v, str))}),
    st.just({"title": ""}),
    st.text(min_size=201, max_size=260).map(lambda t: {"title": t}),
    st.fixed_dictionaries({"title": st.just("ok"), "done": json_values.filter(lambda v: not isinstance(v, bool))}),
    json_values.filter(lambda v: not isinstance(v, dict)),
)


def is_json(body):
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


content_types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", None])
not_json = st.one_of(st.text(max_size=30), st.binary(max_size=30)).filter(lambda body: not is_json(body))
invalid_bodies = st.one_of(  # (body, Content-Type)
    st.tuples(invalid_todos.map(json.dumps), st.just("application/json")),
    st.tuples(not_json, content_types),
)


@pytest.fixture
def test_config():
    return {"TESTING": True}


@pytest.fixture
def api(app):
    """A client of an app whose crashes answer 500 (as in production) instead of raising."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def create(client, title):
    data = expect.json(client.post("/api/todos", json={"title": title}), status_code=201)
    expect.that(isinstance(data, dict) and data.get("title") == title and "id" in data,
                f"POST /api/todos with the title {title!r} returned {expect.show(data)}, expected the new todo "
                "as JSON with its id, title and done.", "body")
    return data


def items(response):
    """The todos of a list answer: a JSON list, or the list inside a JSON object (like {"items": [...]})."""
    data = expect.json(response)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), data)
    expect.that(isinstance(data, list), f"{expect.request_of(response)} returned {expect.show(data)}, "
                "expected a JSON list of todos.")
    return data


def titles(response):
    return [t.get("title") if isinstance(t, dict) else t for t in items(response)]


@pytest.mark.points(1)
def test_post_answers_201_with_the_new_todo(api):
    """POST /api/todos with {"title": "Buy milk"} answers 201 and the new todo as JSON."""
    create(api, "Buy milk")


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
@settings(max_examples=50)
@given(title=valid_titles, done=st.sampled_from([None, False, True]))
@example(title="Buy milk", done=None)
@example(title="x", done=True)
@example(title="x" * 200, done=None)
def test_new_todo_is_201_with_its_location(api, title, done):
    """POST /api/todos with any title of 1 to 200 characters answers 201, the todo (done false by
    default) and a Location that serves it."""
    body = {"title": title} if done is None else {"title": title, "done": done}
    response = api.post("/api/todos", json=body)
    shown = f"POST /api/todos with {expect.show(json.dumps(body), 120)} ({len(title)} characters of title)"
    expect.that(response.status_code == 201, f"{shown} answered {response.status_code}, expected 201"
                + (": a title of 1 to 200 characters is valid." if response.status_code in ERROR_STATUSES
                   else "." + expect.explain(response, 201)))
    data = expect.json(response, status_code=201)
    expect.equal({k: data.get(k) for k in ("title", "done")} if isinstance(data, dict) else data,
                 {"title": title, "done": bool(done)}, f"The title and done of the todo made by {shown}")
    location = expect.header(response, "Location", expected="the URL of the new todo")
    expect.json(api.get(location), data)


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
def test_list_is_oldest_first(api):
    """GET /api/todos lists the todos, oldest first."""
    made = ["first", "second", "third"]
    for title in made:
        create(api, title)
    listed = titles(api.get("/api/todos"))
    if sorted(map(str, listed)) != sorted(made):  # not an order: other todos, or none
        expect.fail(f"The titles of GET /api/todos are {expect.show(listed)}, expected the three todos just "
                    f"created, {expect.show(made)}.", "body")
    expect.equal(listed, made, "The titles of GET /api/todos")


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
def test_pages_of_ten_and_per_page(api):
    """?page= (from 1) and ?per_page= (default 10, from 1) cut the list into pages."""
    names = [f"todo {n}" for n in range(1, 26)]
    for name in names:
        create(api, name)
    for query, expected in (("", names[:10]), ("?page=2", names[10:20]), ("?page=3", names[20:]),
                            ("?page=2&per_page=5", names[5:10]), ("?page=9", []), ("?page=1", names[:10]),
                            ("?per_page=1", names[:1]), ("?page=25&per_page=1", names[24:])):
        expect.equal(titles(api.get("/api/todos" + query)), expected, f"The titles of GET /api/todos{query}")


@pytest.mark.points(1)
def test_per_page_above_100_is_capped_or_refused(api):
    """?per_page=150 either gives 100 todos or a 400 JSON error."""
    for n in range(105):
        api.post("/api/todos", json={"title": f"t{n}"})
    response = api.get("/api/todos?per_page=150")
    if response.status_code == 400:
        expect.json_error(response, 400)
    else:
        got = len(items(response))
        expect.that(got == 100, f"GET /api/todos?per_page=150 gave {got} todos, expected 100 (capped) or a 400.",
                    None if got == 105 else "body")  # all 105: no cap; another number: page 1 is cut wrong


@pytest.mark.points(1)
def test_non_integer_page_is_400(api):
    """?page= or ?per_page= that is not a whole number from 1 (abc, 1.5, 0, -1) answers 400 JSON {"error": ...}."""
    for query in ("page=abc", "per_page=ten", "page=1.5", "per_page=", "page=0", "page=-1", "per_page=0"):
        expect.json_error(api.get(f"/api/todos?{query}"), 400)


@pytest.mark.points(2)
@given(sent=invalid_bodies)
@example(sent=('{"title": "Buy milk"', "application/json"))
@example(sent=("title=Buy+milk", "application/x-www-form-urlencoded"))
def test_any_invalid_todo_is_refused_with_a_json_error(api, sent):
    """Any POST body without a title of 1-200 characters, or with a non-boolean done, gets 400/422 JSON;
    so does a body that is not JSON at all (415 too, as Flask's request.json answers it)."""
    body, content_type = sent
    statuses = ERROR_STATUSES if is_json(body) else (*ERROR_STATUSES, 415)
    response = api.post("/api/todos", data=body, content_type=content_type)
    shown = (f"the JSON body {expect.show(body, 120)}" if is_json(body) else
             f"the body {expect.show(body, 120)} (Content-Type: {content_type or 'none'}), which is not JSON,")
    expect.that(response.status_code in statuses, f"POST /api/todos with {shown} answered {response.status_code}, "
                f"expected {', '.join(map(str, statuses[:-1]))} or {statuses[-1]}." + expect.explain(response, statuses))
    expect.json_error(response, statuses)


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
def test_one_todo_can_be_read_updated_and_deleted(api):
    """GET, PATCH and DELETE /api/todos/<id> read, change (also refusing bad input) and remove a todo."""
    todo = create(api, "Write tests")
    url = f"/api/todos/{todo['id']}"
    expect.json(api.get(url), todo)
    changed = expect.json(api.patch(url, json={"done": True}))
    expect.equal({k: changed.get(k) for k in ("title", "done")} if isinstance(changed, dict) else changed,
                 {"title": "Write tests", "done": True}, f"The todo after PATCH {url} with done true")
    expect.json_error(api.patch(url, json={"title": ""}), ERROR_STATUSES)
    expect.status(api.delete(url), 204)
    expect.json_error(api.get(url), 404)


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
def test_unknown_id_is_a_json_404(api):
    """GET, PATCH or DELETE of an unknown todo answers 404 JSON {"error": ...}."""
    create(api, "only one")
    for method in ("get", "patch", "delete"):
        response = getattr(api, method)("/api/todos/424242", json={"done": True})
        expect.json_error(response, 404)


@pytest.mark.points(1)
@pytest.mark.needs("post_answers_201_with_the_new_todo")
def test_wrong_method_is_a_json_405(api):
    """A method a URL does not allow (PUT /api/todos) answers 405 JSON {"error": ...}."""
    todo = create(api, "x")
    expect.json_error(api.put("/api/todos", json={"title": "x"}), 405)
    expect.json_error(api.post(f"/api/todos/{todo['id']}", json={"title": "x"}), 405)


@pytest.mark.points(1)
def test_each_app_has_its_own_store(student):
    """Two apps from create_app() never share todos (create_app with no argument builds one too)."""
    factory = student.attribute("app:create_app")
    first, second = factory({"TESTING": True}), factory()
    first.test_client().post("/api/todos", json={"title": "only in the first app"})
    expect.equal(titles(second.test_client().get("/api/todos")), [],
                 "After a POST to one app, GET /api/todos of another app lists")


@pytest.mark.points(1)
@pytest.mark.timeout(20)
@settings(max_examples=200)
@given(
    method=st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]),
    target=st.one_of(st.just(""), st.integers(0, 5).map(str), st.integers(-5, 10**12).map(str), st.text(max_size=10)),
    query=st.dictionaries(st.sampled_from(["page", "per_page", "done", "q"]) | st.text(max_size=5), st.text(max_size=8), max_size=3),
    body=st.one_of(st.none(), todo_like.map(json.dumps), json_values.map(json.dumps), st.binary(max_size=20)),
)
def test_no_request_makes_it_crash(api, method, target, query, body):
    """No method, id, query string or body (JSON or not) makes the API answer 500."""
    if not hasattr(api, "seeded"):
        api.seeded = api.post("/api/todos", json={"title": "seed"})  # ids to hit, if POST works
    path = "/api/todos" + (f"/{quote(target, safe='')}" if target else "")
    response = api.open(path, method=method, query_string=query, data=body,
                        content_type="application/json" if body is not None else None)
    shown = f"{method} {path}{'?' + '&'.join(f'{k}={v}' for k, v in query.items()) if query else ''}"
    expect.no_server_error(response, shown + (f" with the body {body!r}" if body is not None else ""))
