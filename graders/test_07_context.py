"""Grader for 07-context: sessions per client, g per request, current_app outside a view."""

import dataclasses
import inspect
import sys
import threading

import flask
import pytest

from grading import expect

THREADS, VISITS = 4, 5
REQUEST_IDS = []  # in the sandbox only: g.request_id at the end of each request (record_request_ids)


def visits(client, count):
    """The bodies of ``count`` visits of one client."""
    return [client.get("/visit").get_data(as_text=True).strip() for _ in range(count)]


def visits_answered(client, count):
    """The bodies of ``count`` visits of one client; a visit that crashed is said as the exception
    behind it (once, for every check it stops), not as a list of error pages."""
    bodies = []
    for _ in range(count):
        response = client.get("/visit")
        if response.status_code >= 500:
            expect.status(response, 200)
        bodies.append(response.get_data(as_text=True).strip())
    return bodies


def expected_visits(count):
    return [f"Visits: {n}" for n in range(1, count + 1)]


def record_request_ids(app):
    """Probe, run in the sandbox: from now on, note g.request_id at the end of every request, as a
    client sees it (a uuid.UUID as its text, the way Flask's JSON and headers send it)."""

    @app.after_request
    def record(response):
        value = flask.g.get("request_id")
        try:
            value = app.json.loads(app.json.dumps(value))
        except Exception:  # noqa: BLE001 - a value JSON cannot send: noted as it is
            pass
        REQUEST_IDS.append(value)
        return response


def request_ids_noted(app):
    """Probe, run in the sandbox: the g.request_id values noted so far, in order."""
    return REQUEST_IDS


@dataclasses.dataclass(frozen=True)
class Described:
    """A value the sandbox could only describe (a UUID object, say): shown as its repr, equal
    only to a value with the same description."""

    text: str

    def __repr__(self):
        return self.text


@pytest.fixture
def seen_request_ids(app):
    """``seen_request_ids()``: ``g.request_id`` as it stood at the end of each request, in order."""
    app.probe(record_request_ids)

    def seen():
        return [Described(v["$repr"]) if isinstance(v, dict) and "$repr" in v else v
                for v in app.probe(request_ids_noted)]

    return seen


@pytest.mark.points(1)
def test_secret_key_is_set(app):
    """The app has a SECRET_KEY: sessions are signed with it."""
    expect.that(bool(app.secret_key), "app.secret_key is not set: sessions need app.config['SECRET_KEY'].")


@pytest.mark.points(1)
@pytest.mark.needs("secret_key_is_set")  # a session without a secret key cannot be saved
def test_visit_counts_this_clients_visits(app):
    """GET /visit answers Visits: 1, 2, 3 to one client; a new client starts again at 1."""
    expect.equal(visits_answered(app.test_client(), 3), expected_visits(3), "Three visits of one client")
    expect.equal(visits_answered(app.test_client(), 1), expected_visits(1), "The first visit of a second client")


@pytest.mark.points(1)
@pytest.mark.needs("secret_key_is_set")
def test_two_clients_count_separately(app):
    """Visits of two clients, taking turns, are counted apart."""
    ada, bob = app.test_client(), app.test_client()
    got = visits_answered(ada, 1) + visits_answered(bob, 1) + visits_answered(ada, 1) + visits_answered(bob, 1)
    expect.equal(got, ["Visits: 1", "Visits: 1", "Visits: 2", "Visits: 2"], "The answers to Ada, Bob, Ada, Bob visiting in turn")


def concurrent_visits(app, clients, count):
    """Probe, run in the sandbox: ``clients`` clients visit ``count`` times each, all at once, one
    thread each; the answers each client got (None for a thread that did not finish)."""
    start = threading.Barrier(clients)
    results: dict[int, list] = {}

    def visitor(number):
        client = app.test_client()
        start.wait(timeout=5)
        try:
            results[number] = visits(client, count)
        except Exception as exc:  # noqa: BLE001 - reported by the check
            results[number] = [f"{type(exc).__name__}: {exc}"]

    threads = [threading.Thread(target=visitor, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return [results.get(number) for number in range(clients)]


@pytest.mark.points(2)
@pytest.mark.needs("secret_key_is_set")
def test_visits_count_per_client_under_concurrent_requests(app):
    """Clients visiting at the same time, from several threads, each count only their own visits."""
    results = app.probe(concurrent_visits, THREADS, VISITS)
    if results != [expected_visits(VISITS)] * THREADS:
        visits_answered(app.test_client(), 1)  # a visit that crashes: the exception, said once
    for number in range(THREADS):
        expect.equal(
            results[number], expected_visits(VISITS),
            f"The list of answers to client {number + 1}, with {THREADS} clients visiting at once,",
        )


@pytest.mark.points(1)
def test_request_id_is_fresh_on_every_request(client, seen_request_ids):
    """A before_request function sets g.request_id, a new value for every request."""
    ids = [client.get("/whoami").get_json(silent=True) for _ in range(3)]
    seen_request_ids = seen_request_ids()
    expect.that(all(seen_request_ids), f"g.request_id at the end of each request was {seen_request_ids}: "
                "set it in a @app.before_request function.")
    expect.that(len(set(seen_request_ids)) == 3, f"Three requests had the g.request_id values {seen_request_ids}: "
                "each request needs a new one.")
    expect.equal(ids, [{"request_id": i} for i in seen_request_ids], "GET /whoami, three times,")


@pytest.mark.points(1)
def test_every_response_carries_x_request_id(client, seen_request_ids):
    """Every response, a 404 included, has the header X-Request-ID = g.request_id."""
    for path in ("/whoami", "/visit", "/greeting", "/no-such-page"):
        response = client.get(path)
        sent = expect.header(response, "X-Request-ID", expected="the request's g.request_id")
        expect.equal(sent, seen_request_ids()[-1], f"The X-Request-ID header of GET {path}")


@pytest.mark.points(1)
def test_greeting_reads_the_config(app, client):
    """GET /greeting answers app.config["GREETING"], Hello by default."""
    expect.text(client.get("/greeting"), "Hello")
    app.config["GREETING"] = "Bonjour"
    expect.text(client.get("/greeting"), "Bonjour")


def answers_of_helpers(app, root, greeting):
    """Probe, run in the sandbox: call each helper of the student's modules inside the context of
    another app, whose GREETING is ``greeting``; what they returned, up to the first that answered
    ``greeting`` (helpers that raise are skipped: they need more than current_app)."""
    other = flask.Flask("probe")
    other.config["GREETING"] = greeting
    answers = []
    for function in _helpers(root, set(app.view_functions.values())):
        with other.test_request_context("/"):
            try:
                answers.append(function())
            except Exception:  # noqa: BLE001,S112 - a function that needs more than current_app
                continue
        if answers[-1:] == [greeting]:
            break
    return answers


@pytest.mark.points(1)
def test_greeting_helper_uses_current_app(app, student):
    """A helper function outside the view reads the greeting through current_app, for any app."""
    greeting = "Greetings from another app"
    expect.that(
        greeting in app.probe(answers_of_helpers, str(student.path), greeting),
        "No function outside your views returned the GREETING of the app that is running (called "
        "inside another app's context, yours answered with their own app's): read it with "
        "current_app.config['GREETING'] in a helper, and call the helper from the view.",
    )


def _helpers(root, views):
    """Module-level functions of the student's modules that take no arguments and are not views."""
    for module in list(sys.modules.values()):
        if not (getattr(module, "__file__", None) or "").startswith(root):
            continue
        for _, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or function in views:
                continue
            params = inspect.signature(function).parameters.values()
            if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
                yield function
