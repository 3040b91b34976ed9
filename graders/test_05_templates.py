"""Grader for 05-templates: pages rendered from templates that inherit one base, input escaped."""

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import escape

from grading import expect

PAGES = ("/", "/hello/Ada", "/tasks")
MARKER = "<!-- added to base.html by the grader -->"
TITLE = "Title from the grader"
names = st.text(min_size=1, max_size=30).filter(lambda s: "/" not in s and s not in (".", ".."))


def rendered(templates, path):
    """The names of the templates rendered while answering ``path``. A page built without one fails
    every check that looks at it: said once, by the first."""
    seen = [name for name, _ in templates]
    if not seen:
        expect.precondition(
            f"GET {path} rendered no template: build the page with render_template, not an HTML string.", "template"
        )
    return seen


def base_html_found(found: bool) -> None:
    """The checks of base.html say once that it is missing."""
    if not found:
        expect.precondition("templates/base.html was not found: put the page frame there.", "template")


def title_of(page):
    """The text of a page's <title>, stripped, or None when it has none."""
    title = re.search(r"<title>(.*?)</title>", page, re.S | re.I)
    return title.group(1).strip() if title else None


def context_of(templates, template):
    return next(context for name, context in templates if name == template)


def replace_tasks(app, tasks):
    """Probe, run in the sandbox: put ``tasks`` in the student's module-level TASKS list, in place
    (so the view sees them). False when there is no such list."""
    found = getattr(sys.modules.get(app.import_name), "TASKS", None)
    if not isinstance(found, list):
        return False
    found[:] = tasks
    return True


def list_items(response):
    """The text of every <li> of a page, stripped."""
    return [i.strip() for i in re.findall(r"<li\b[^>]*>(.*?)</li>", response.get_data(as_text=True), re.S | re.I)]


def task_run(items, shown):
    """Where ``shown`` appears in ``items`` as one unbroken run (a slice), or None. The page frame may
    hold <li> items of its own (a menu) around it."""
    for start in range(len(items) - len(shown) + 1):
        if items[start:start + len(shown)] == shown:
            return slice(start, start + len(shown))
    return None


def set_tasks(app, tasks):
    """The student's TASKS list, changed to hold ``tasks``."""
    found = app.probe(replace_tasks, tasks)
    expect.that(found, "app.py has no module-level list TASKS: keep the tasks there.")


@pytest.mark.points(1)
def test_stylesheet_is_served(client):
    """GET /static/style.css answers 200 with a text/css stylesheet."""
    response = client.get("/static/style.css")
    expect.status(response, 200)
    expect.header(response, "Content-Type", lambda v: v.startswith("text/css"), "text/css")


@pytest.mark.points(1)
def test_pages_link_the_stylesheet_with_url_for(client, templates):
    """Every page links static/style.css with url_for, so the link works wherever the app is mounted."""
    for path in PAGES:
        templates.clear()
        response = client.get(path, base_url="http://localhost/course/")
        expect.status(response, 200)
        hrefs = re.findall(r"<link\b[^>]*\bhref=[\"']?([^\"' >]+)", response.get_data(as_text=True), re.I)
        linked = any(h.split("?")[0] == "/course/static/style.css" for h in hrefs)
        if not linked:
            rendered(templates, path)  # a page built without a template: that is the cause
        expect.that(
            linked,
            f"GET {path}, with the app mounted under /course, links {', '.join(hrefs) or 'no stylesheet'}; "
            "expected a <link> to /course/static/style.css, as url_for('static', filename='style.css') builds it.",
        )


@pytest.mark.points(1)
def test_index_renders_index_html_titled_home(client, templates):
    """GET / renders index.html, whose <title> says Home."""
    response = client.get("/")
    expect.status(response, 200)
    names = rendered(templates, "/")
    expect.that("index.html" in names, f"GET / rendered {', '.join(names)}, expected index.html.")
    title = title_of(response.get_data(as_text=True))
    expect.that(title is not None and "Home" in title, f"GET / has the title {'(no <title>)' if title is None else repr(title)}, expected Home.")


@pytest.mark.points(1)
def test_hello_renders_hello_html_with_the_name(client, templates):
    """GET /hello/Ada renders hello.html with the context variable name = "Ada"."""
    response = client.get("/hello/Ada")
    expect.contains(response, "Ada")
    names = rendered(templates, "/hello/Ada")
    expect.that("hello.html" in names, f"GET /hello/Ada rendered {', '.join(names)}, expected hello.html.")
    expect.equal(context_of(templates, "hello.html").get("name"), "Ada", "The context variable name of hello.html")


@pytest.mark.points(2)
@given(name=names)
@example(name="<script>alert('hi')")
@example(name='Tom & "Jerry"')
def test_hello_escapes_any_name(client, name):
    """GET /hello/<name> shows any name escaped: no markup from the URL reaches the page."""
    response = client.get("/hello/" + quote(name, safe=""))
    expect.status(response, 200)
    body = response.get_data(as_text=True)
    expect.that(
        str(escape(name)) in body or name in body,
        f"GET /hello/{name} returned {expect.describe_body(body)}, which does not show the name at all.",
        "body",
    )
    expect.that(
        str(escape(name)) in body,
        f"GET /hello/{name} returned {expect.describe_body(body)}, which does not show the name escaped as "
        f"{str(escape(name))!r}: let the template escape it ({{{{ name }}}}, never |safe).",
    )


@pytest.mark.points(1)
def test_tasks_render_an_li_per_task(client, templates, app):
    """GET /tasks renders tasks.html with the TASKS list as context, one <li> per task."""
    tasks = ["Write <tests>", "Ship it", "Rest"]
    set_tasks(app, tasks)
    response = client.get("/tasks")
    expect.status(response, 200)
    names = rendered(templates, "/tasks")
    expect.that("tasks.html" in names, f"GET /tasks rendered {', '.join(names)}, expected tasks.html.")
    context = context_of(templates, "tasks.html")
    expect.that("tasks" in context, "GET /tasks rendered tasks.html without a context variable tasks: it was not "
                "passed to render_template.")
    expect.equal(list(context.get("tasks") or []), tasks, "The context variable tasks")
    items = list_items(response)
    shown = [str(escape(t)) for t in tasks]
    expect.that(
        task_run(items, shown) is not None,
        f"With TASKS = {tasks!r}, GET /tasks shows the <li> items {items!r}; expected one <li> per task, "
        f"in order: {shown!r}.",
    )


@pytest.mark.points(1)
def test_empty_task_list_says_no_tasks_yet(client, templates, app):
    """With TASKS empty, GET /tasks renders tasks.html saying No tasks yet, and shows no task item.

    The message may itself be a list item (``{% for %}...{% else %}<li>No tasks yet</li>``, as in
    Jinja's documentation), and the page frame may hold <li> items of its own (a menu): a task item
    is an <li> that is neither the message nor one the page also shows around a list of tasks."""
    set_tasks(app, ["Grader task one"])
    frame = list_items(client.get("/tasks"))
    run = task_run(frame, ["Grader task one"])
    if run is not None:
        del frame[run]
    templates.clear()
    set_tasks(app, [])
    response = client.get("/tasks")
    expect.contains(response, "No tasks yet")
    names = rendered(templates, "/tasks")
    expect.that("tasks.html" in names, f"GET /tasks rendered {', '.join(names)}, expected tasks.html.")
    extra = [i for i in list_items(response) if "No tasks yet" not in i]
    for item in frame:
        if item in extra:
            extra.remove(item)
    expect.that(not extra, f"With TASKS empty, GET /tasks still shows the <li> items {extra!r}.")


def base_html(app):
    """Where the app finds templates/base.html."""
    return Path(app.root_path) / (app.template_folder or "templates") / "base.html"


def add_to_base_html(app, line):
    """Probe, run in the sandbox: append ``line`` to the app's base.html; its text before, or
    None when there is no base.html."""
    base = base_html(app)
    if not base.is_file():
        return None
    original = base.read_text(encoding="utf-8")
    base.write_text(original + line + "\n", encoding="utf-8")
    return original


def restore_base_html(app, original):
    """Probe, run in the sandbox: put back the text base.html had before."""
    base_html(app).write_text(original, encoding="utf-8")


@pytest.mark.points(1)
def test_every_page_extends_base_html(app, client, templates):
    """Every page inherits base.html (footer Built with Flask): a change to base.html shows on all."""
    original = app.probe(add_to_base_html, MARKER)
    base_html_found(original is not None)
    try:
        for path in PAGES:
            templates.clear()
            response = client.get(path)
            expect.status(response, 200)
            body = response.get_data(as_text=True)
            footer = re.search(r"<footer\b[^>]*>(.*?)</footer>", body, re.S | re.I)
            if footer is None or "Built with Flask" not in footer.group(1) or MARKER not in body:
                rendered(templates, path)  # a page built without a template: that is the cause
            expect.that(
                footer is not None and "Built with Flask" in footer.group(1),
                f"GET {path} has no <footer> saying Built with Flask: put it in base.html.",
            )
            expect.that(
                MARKER in body,
                f"GET {path}: a line the grader added to base.html did not appear on the page, so the page "
                "copies the frame instead of inheriting it: start its template with {% extends \"base.html\" %}.",
            )
    finally:
        app.probe(restore_base_html, original)


def title_with_each_block(app):
    """Probe, run in the sandbox: for each block base.html defines, the <title> of a page that
    extends base.html and fills that block alone with TITLE; {"missing": True} without base.html,
    {"error": ...} when such a page cannot be rendered."""
    from flask import render_template_string
    from jinja2 import TemplateNotFound

    try:
        blocks = list(app.jinja_env.get_template("base.html").blocks)
    except TemplateNotFound:
        return {"missing": True}
    titles = {}
    with app.test_request_context("/"):
        for block in blocks:
            page = '{% extends "base.html" %}{% block ' + block + " %}" + TITLE + "{% endblock %}"
            try:
                titles[block] = title_of(render_template_string(page))
            except Exception as exc:  # noqa: BLE001 - the student's template, said in the message
                return {"error": f"{type(exc).__name__}: {exc}", "block": block}
    return {"titles": titles}


@pytest.mark.points(1)
def test_title_is_a_block_of_base_html(app):
    """base.html's <title> is made of a block, so each page that extends it sets its own title."""
    found = app.probe(title_with_each_block)
    base_html_found(not found.get("missing"))
    expect.that(
        "error" not in found,
        f"A page that extends base.html and fills its block {found.get('block')!r} could not be rendered: "
        f"{found.get('error')}.",
    )
    titles = found["titles"]
    expect.that(bool(titles), "base.html defines no block, so a page that extends it cannot set its title: "
                "expected <title>{% block title %}{% endblock %}</title> in base.html.")
    if not any(title is not None and TITLE in title for title in titles.values()):
        kept = sorted({"(no <title>)" if title is None else repr(title) for title in titles.values()})
        expect.fail(
            f"A page that extends base.html and fills one of its blocks with {TITLE!r} has the title "
            f"{' or '.join(kept)} (blocks tried: {', '.join(map(repr, titles))}); expected a block whose text "
            "becomes the title, as <title>{% block title %}{% endblock %}</title> in base.html makes it."
        )
