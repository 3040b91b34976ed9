"""The 05-templates grader: what it accepts and what it refuses."""

from grading.judge.course import COURSE_DIR

ID = "05-templates"


def test_starter_with_html_in_strings_gets_zero(grade):
    assert grade.starter(ID).score == 0


def test_safe_filter_loses_the_escaping_check(grade):
    result = grade.mutant(ID, {"templates/hello.html": [("{{ name }}", "{{ name|safe }}")]})
    assert result.lost == {"hello_escapes_any_name"}
    assert "escaped as" in result.check("hello_escapes_any_name").message


def test_hand_written_stylesheet_path_loses_the_url_for_check(grade):
    result = grade.mutant(
        ID, {"templates/base.html": [("{{ url_for('static', filename='style.css') }}", "/static/style.css")]}
    )
    assert result.lost == {"pages_link_the_stylesheet_with_url_for"}
    assert "/course/static/style.css" in result.check("pages_link_the_stylesheet_with_url_for").message


def test_page_that_copies_the_frame_loses_the_inheritance_check(grade):
    copied_head = (
        '<!doctype html>\n<html><head><title>Tasks</title>\n'
        "<link rel=\"stylesheet\" href=\"{{ url_for('static', filename='style.css') }}\"></head><body>"
    )
    result = grade.mutant(ID, {"templates/tasks.html": [
        ('{% extends "base.html" %}\n{% block title %}Tasks{% endblock %}\n{% block content %}', copied_head),
        ("{% endif %}\n{% endblock %}", "{% endif %}\n<footer>Built with Flask</footer></body></html>"),
    ]})
    assert result.lost == {"every_page_extends_base_html"}
    assert "GET /tasks" in result.check("every_page_extends_base_html").message


def test_no_else_branch_loses_the_empty_list_check(grade):
    result = grade.mutant(ID, {"templates/tasks.html": [("  {% else %}\n    <p>No tasks yet</p>\n", "")]})
    assert result.lost == {"empty_task_list_says_no_tasks_yet"}


def test_wrong_title_loses_the_index_check(grade):
    result = grade.mutant(ID, {"templates/index.html": [("{% block title %}Home", "{% block title %}Welcome")]})
    assert result.lost == {"index_renders_index_html_titled_home"}
    assert "'Welcome'" in result.check("index_renders_index_html_titled_home").message


def test_name_passed_under_another_variable_loses_the_context_check(grade):
    result = grade.mutant(ID, {
        "app.py": [('render_template("hello.html", name=name)', 'render_template("hello.html", who=name)')],
        "templates/hello.html": [("{{ name }}", "{{ who }}")],
    })
    assert result.lost == {"hello_renders_hello_html_with_the_name"}


def test_tasks_not_passed_to_the_template_says_so(grade):
    result = grade.mutant("05-templates", {"app.py": [('render_template("tasks.html", tasks=TASKS)', 'render_template("tasks.html")')]})
    message = result.check("tasks_render_an_li_per_task").message
    assert "without a context variable tasks" in message and "not passed" in message, message


def test_a_misspelled_template_is_said_once_and_the_checks_it_stops_are_not_run(grade):
    result = grade.mutant("05-templates", {"app.py": [('render_template("tasks.html", tasks=TASKS)', 'render_template("task.html", tasks=TASKS)')]})
    failing = [c for c in result.result.checks if c.status != "passed"]
    assert [c.status for c in failing].count("failed") == 1 and len(failing) == 4, result.explain()
    first = failing[0]
    assert "TemplateNotFound: task.html in app.py, line 20 (tasks)" in first.message and first.hint
    assert all(c.status == "not_run" and c.message == "Not run: " + first.message and c.hint is None
               for c in failing[1:]), result.explain()


def test_placeholder_task_item_on_empty_list_loses_the_empty_list_check(grade):
    result = grade.mutant(ID, {"templates/tasks.html": [
        ("    <p>No tasks yet</p>\n", "    <ul><li>Example task</li></ul>\n    <p>No tasks yet</p>\n"),
    ]})
    assert result.lost == {"empty_task_list_says_no_tasks_yet"}
    assert "Example task" in result.check("empty_task_list_says_no_tasks_yet").message


def test_task_shown_twice_loses_the_li_per_task_check(grade):
    result = grade.mutant(ID, {"templates/tasks.html": [("<li>{{ task }}</li>", "<li>{{ task }}</li><li>{{ task }}</li>")]})
    assert result.lost == {"tasks_render_an_li_per_task"}


def test_title_written_in_base_html_loses_the_title_block_check(grade):
    result = grade.mutant(ID, {"templates/base.html": [("<title>{% block title %}{% endblock %}</title>", "<title>Home</title>")]})
    assert result.lost == {"title_is_a_block_of_base_html"}
    assert result.check("title_is_a_block_of_base_html").message == (
        "A page that extends base.html and fills one of its blocks with 'Title from the grader' has the title "
        "'Home' (blocks tried: 'content'); expected a block whose text becomes the title, as "
        "<title>{% block title %}{% endblock %}</title> in base.html makes it.")


def test_title_block_outside_the_title_loses_the_title_block_check(grade):
    result = grade.mutant(ID, {"templates/base.html": [
        ("<title>{% block title %}{% endblock %}</title>", "<title>Home</title>"),
        ("<main>", "<main><h1>{% block title %}{% endblock %}</h1>"),
    ]})
    assert result.lost == {"title_is_a_block_of_base_html"}
    assert "blocks tried: 'title', 'content'" in result.check("title_is_a_block_of_base_html").message



def test_page_built_in_python_is_said_once(grade):
    """A hello page built as an f-string: "rendered no template" once, the checks that see it again not run."""
    result = grade.mutant(ID, {"app.py": [('return render_template("hello.html", name=name)',
                                           'return f"<h1>Hello, {name}!</h1>"')]})
    assert result.lost == {"pages_link_the_stylesheet_with_url_for", "hello_renders_hello_html_with_the_name",
                           "hello_escapes_any_name", "every_page_extends_base_html"}, result.explain()
    said = "GET /hello/Ada rendered no template: build the page with render_template, not an HTML string."
    link = result.check("pages_link_the_stylesheet_with_url_for")
    assert link.message == said and link.cause == "template", result.explain()
    assert link.hint.startswith("Which template does the view render"), link.hint
    for name in ("hello_renders_hello_html_with_the_name", "every_page_extends_base_html"):
        assert result.check(name).message == f"Not run: {said}", result.explain()


def test_starter_says_each_page_without_a_template_once(grade):
    """The starter: GET / without a template and the missing base.html are each said once."""
    result = grade.starter(ID)
    assert result.check("index_renders_index_html_titled_home").message == (
        "Not run: GET / rendered no template: build the page with render_template, not an HTML string."), result.explain()
    assert result.check("every_page_extends_base_html").message == "templates/base.html was not found: put the page frame there."
    assert result.check("title_is_a_block_of_base_html").message == (
        "Not run: templates/base.html was not found: put the page frame there."), result.explain()


def test_missing_base_html_gets_the_hint_to_put_the_frame_there(grade):
    """No base.html: said once by the pages and once by the inheritance check (with where Flask looks for it)."""
    root = grade.tree(ID, COURSE_DIR / "solutions" / ID)
    (root / ID / "templates" / "base.html").unlink()
    result = grade.root(root, ID)
    check = result.check("every_page_extends_base_html")
    assert check.hint.startswith("Where is the page frame written once?"), check.hint
    assert result.check("title_is_a_block_of_base_html").status == "not_run", result.explain()
    assert result.check("pages_link_the_stylesheet_with_url_for").cause == "template", result.explain()
    said = [c.name for c in result.result.checks if c.status == "failed"]  # base.html not found, by any page: once
    assert said == ["pages_link_the_stylesheet_with_url_for", "every_page_extends_base_html"], result.explain()


def test_template_syntax_error_gets_the_hint_to_read_the_line(grade):
    """An unclosed block in base.html gets the hint to read the file and line, not the one about links."""
    result = grade.mutant(ID, {"templates/base.html": [("{% block content %}{% endblock %}", "{% block content %}")]})
    check = result.check("pages_link_the_stylesheet_with_url_for")
    assert "TemplateSyntaxError" in check.message and check.cause == "exception", result.explain()
    assert check.hint.startswith("A page crashed before its link could be looked at"), check.hint


def test_template_showing_no_name_gets_the_hint_for_the_variable(grade):
    """hello.html writing {{ username }} shows no name: the escaping check says so, with the variable hint."""
    result = grade.mutant(ID, {"templates/hello.html": [("{{ name }}", "{{ username }}")]})
    check = result.check("hello_escapes_any_name")
    assert check.message.endswith("which does not show the name at all.") and check.cause == "body", result.explain()
    assert check.hint.startswith("The page does not show the name at all"), check.hint
