"""Grader for 01-hello: the smallest Flask app."""

import pytest

from grading import expect


@pytest.mark.points(2)
def test_index_says_hello(client):
    """GET / answers 200 with "Hello, Flask!"."""
    expect.text(client.get("/"), "Hello, Flask!")


@pytest.mark.points(1)
def test_import_does_not_start_server(student):
    """Importing app.py creates the app without starting a server."""
    module = student.import_module("app")
    if module.names.get("app") != "flask":
        student.make_app()  # why there is no app: the reason GET / gave, said once
    expect.that(
        module.names.get("app") == "flask",
        "app.py has no `app` variable holding a Flask app: write `app = Flask(__name__)`.",
    )
    expect.that(
        not student.run_calls,
        f"Importing app.py called app.run() {len(student.run_calls)} time(s), expected none: "
        "a server started at import blocks every tool that imports your app.",
    )


@pytest.mark.points(1)
def test_running_as_program_starts_server(student):
    """`python app.py` starts the development server once."""
    student.import_module("app")  # an app.py that cannot be imported: said once, above
    calls = student.run_as_main("app")
    if not calls:
        student.make_app()  # no app to run: said once, above
    expect.that(
        len(calls) == 1,
        f"Running `python app.py` called app.run() {len(calls)} time(s), expected once.",
    )


@pytest.mark.points(1)
def test_unknown_path_is_404(client):
    """GET /missing answers 404: only the routes you declare exist."""
    expect.status(client.get("/missing"), 404)
