"""A student finds their own bug: every exception of their code has a file and a line wherever it
was raised, ``--debug`` shows their own traceback and what their code printed, and a view that
spins is reported where it spun, once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import EXERCISES

from grading.judge.course import COURSE_DIR

SOLUTIONS = COURSE_DIR / "solutions"


def line_of(exercise_id: str, file: str, text: str, edits: list[tuple[str, str]] = ()) -> int:
    """The line of ``text`` in a solution's file, after ``edits`` (as ``grade.mutant`` applies them)."""
    source = (SOLUTIONS / exercise_id / file).read_text(encoding="utf-8")
    for old, new in edits:
        source = source.replace(old, new, 1)
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


def failed_messages(graded) -> str:
    return "\n".join(c.message or "" for c in graded.result.checks if c.status != "passed")


# -- every student exception has a file and a line -------------------------------------------------


def test_an_exception_in_a_view_names_its_file_line_and_function(grade):
    edits = [("return str(a + b)", "return str(a + b / 0)")]
    result = grade.mutant("02-routing", {"app.py": edits})
    line = line_of("02-routing", "app.py", "a + b / 0", edits)
    assert f"ZeroDivisionError: division by zero in app.py, line {line} (add)" in result.check("add_returns_the_sum").message


def test_a_before_request_hook_that_raises_is_named(grade):
    edits = [("g.request_id = uuid.uuid4().hex", "g.request_id = uuid.uuid4().hex[100]")]
    result = grade.mutant("07-context", {"app.py": edits})
    line = line_of("07-context", "app.py", "hex[100]", edits)
    assert f"IndexError: string index out of range in app.py, line {line} (assign_request_id)" in failed_messages(result)


def test_an_after_request_hook_that_forgets_to_return_the_response_is_named(grade):
    """The failure happens later, in Flask's code: the message names the hook that returned None."""
    edits = [('    response.headers["X-Request-ID"] = g.request_id\n    return response\n',
              '    response.headers["X-Request-ID"] = g.request_id\n')]
    result = grade.mutant("07-context", {"app.py": edits})
    line = line_of("07-context", "app.py", "def add_request_id_header", edits)
    message = result.check("every_response_carries_x_request_id").message
    assert f"in app.py, line {line} (add_request_id_header)" in message, message
    assert "an after_request function must return the response, and this one returned None" in message


def test_an_error_handler_that_swallows_abort_names_the_handler_and_the_abort(grade):
    edits = [("@app.errorhandler(500)", "@app.errorhandler(Exception)")]
    result = grade.mutant("04-responses", {"app.py": edits})
    handler = line_of("04-responses", "app.py", 'return {"error": "internal server error"}, 500', edits)
    abort = line_of("04-responses", "app.py", "abort(403)", edits)
    message = result.check("secret_is_403").message
    assert "GET /secret returned 500, expected 403." in message, message
    assert (f"Your error handler internal_error in app.py, line {handler} (internal_error) caught abort(403) "
            f"in app.py, line {abort} (secret) and answered 500.") in message, message


def test_a_teardown_function_that_raises_is_named(grade):
    edits = [("@app.route(\"/visit\")", "@app.teardown_request\ndef close_up(exc):\n"
              "    raise RuntimeError(\"teardown broke\")\n\n\n@app.route(\"/visit\")")]
    result = grade.mutant("07-context", {"app.py": edits})
    line = line_of("07-context", "app.py", "teardown broke", edits)
    assert f"RuntimeError: teardown broke in app.py, line {line} (close_up)" in failed_messages(result)


TEMPLATE_HELPERS = {
    "filter": ('@app.template_filter("shout")\ndef shout(text):\n    return text.upper() + 1\n',
               "{{ name|shout }}", "text.upper() + 1", "TypeError: can only concatenate str", "shout"),
    "global": ('@app.template_global()\ndef site_name():\n    return {}["name"]\n',
               "{{ name }} {{ site_name() }}", '{}["name"]', "KeyError: 'name'", "site_name"),
}


@pytest.mark.parametrize("kind", sorted(TEMPLATE_HELPERS))
def test_a_template_filter_or_global_that_raises_is_named(grade, kind):
    helper, use, text, raised, name = TEMPLATE_HELPERS[kind]
    edits = {"app.py": [('@app.route("/")', f'{helper}\n\n@app.route("/")')],
             "templates/hello.html": [("{{ name }}", use)]}
    result = grade.mutant("05-templates", edits)
    line = line_of("05-templates", "app.py", text, edits["app.py"])
    message = result.check("hello_renders_hello_html_with_the_name").message
    assert raised in message and f"in app.py, line {line} ({name})" in message, message


def test_a_cli_command_that_raises_is_named(grade):
    edits = [("        db.create_all()\n", "        db.create_all()\n        raise RuntimeError(\"not today\")\n")]
    result = grade.mutant("09-database", {"app.py": edits})
    line = line_of("09-database", "app.py", "not today", edits)
    assert f"RuntimeError: not today in app.py, line {line} (init_db)" in failed_messages(result), failed_messages(result)


def test_a_factory_that_raises_is_named(grade):
    edits = [("app.config.update(test_config)", "app.config.update(test_config[\"EXTRA\"])")]
    result = grade.mutant("09-database", {"app.py": edits})
    line = line_of("09-database", "app.py", 'test_config["EXTRA"]', edits)
    assert f"KeyError: 'EXTRA' in app.py, line {line} (create_app)" in failed_messages(result), failed_messages(result)


# -- a view that spins ------------------------------------------------------------------------------


def test_a_spinning_view_is_stopped_where_it_spins_and_its_other_checks_are_not_run(grade):
    edits = [('    q = request.args.get("q", "")\n', '    q = request.args.get("q", "")\n    while True:\n        q += ""\n')]
    result = grade.mutant("03-request-data", {"app.py": edits})
    line = line_of("03-request-data", "app.py", 'q += ""', edits)
    search = [c for c in result.result.checks if c.name.startswith("search")]
    spun = [c for c in search if c.status == "timeout"]
    assert len(spun) == 1, [(c.name, c.status, c.message) for c in search]
    assert "never finished: your code was still running at app.py line" in spun[0].message
    assert f"app.py line {line} (in search)" in spun[0].message or f"app.py line {line - 1} (in search)" in spun[0].message
    assert spun[0].hint.startswith("Your code never got out of a loop")  # the hint for what went wrong
    request = spun[0].message.split(" never finished")[0]
    others = [c for c in search if c is not spun[0]]
    assert others and all(c.status == "not_run" and c.message == f"Not run: {request} loops (see above)."
                          for c in others), [(c.name, c.status, c.message) for c in others]
    assert {c.name for c in result.result.checks if c.status != "passed"} == {c.name for c in search}
    assert result.result.seconds < 30, result.result.seconds  # 15 s on a quiet machine: see the report


# -- --debug ----------------------------------------------------------------------------------------


def hello_that_prints_and_raises(root) -> None:
    folder = root / "01-hello"
    shutil.copytree(SOLUTIONS / "01-hello", folder)
    source = (folder / "app.py").read_text(encoding="utf-8")
    (folder / "app.py").write_text(source.replace(
        '    return "Hello, Flask!"', '    print("about to greet")\n    greeting = {}\n    return greeting["hello"]'))


def run_grading(root, *args, cache):
    env = {**os.environ, "GRADING_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "200"}
    for name in ("GRADING_NO_CACHE", "CI", "GITHUB_ACTIONS"):  # CI turns the cache off; these tests need it
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "grading", "--root", str(root), "01", *args], cwd=COURSE_DIR,
                          capture_output=True, text=True, timeout=120, env=env)


def test_debug_shows_the_students_own_traceback_and_what_they_printed(tmp_path):
    hello_that_prints_and_raises(tmp_path / "root")
    plain = run_grading(tmp_path / "root", cache=tmp_path / "cache")
    debug = run_grading(tmp_path / "root", "--debug", cache=tmp_path / "cache")

    assert "KeyError: 'hello' in app.py, line 10 (index)" in plain.stdout, plain.stdout
    assert "Your code printed" not in plain.stdout and "most recent call last" not in plain.stdout
    assert "Your code, most recent call last:" in debug.stdout, debug.stdout
    assert "  …\n        app.py, line 10, in index\n          return greeting[\"hello\"]\n" in debug.stdout
    assert "Your code printed:\n        | about to greet\n" in debug.stdout
    assert "site-packages" not in debug.stdout and "Traceback" not in debug.stdout  # Flask's frames folded
    assert "Your traceback and what your code printed: nox -s grade -- 01 --debug" in plain.stdout
    assert "--debug" not in debug.stdout  # shown already: not suggested again


def test_debug_grades_afresh_though_the_result_is_cached(tmp_path):
    hello_that_prints_and_raises(tmp_path / "root")
    run_grading(tmp_path / "root", cache=tmp_path / "cache")
    assert list((tmp_path / "cache").glob("01-hello-*.json")), "the first run should have cached its result"

    debug = run_grading(tmp_path / "root", "--debug", cache=tmp_path / "cache")

    assert "| about to greet" in debug.stdout, debug.stdout


def test_printed_output_is_capped_and_made_safe(tmp_path):
    root = tmp_path / "root"
    hello_that_prints_and_raises(root)
    app = root / "01-hello" / "app.py"
    app.write_text(app.read_text().replace(
        'print("about to greet")', 'print("\\x1b[2J" + "spam" * 100_000)\n    print("last words")'))

    debug = run_grading(root, "--debug", cache=tmp_path / "cache")

    assert "more characters" in debug.stdout and "| last words" in debug.stdout, debug.stdout[-2000:]
    assert "| \\x1b[2Jspam" in debug.stdout and "\x1b" not in debug.stdout  # no escape sequence reaches the terminal
    assert len(debug.stdout) < 20_000


def test_a_spinning_exercise_is_graded_quickly(tmp_path, grade):
    """One looping view costs one check's CPU limit, not a minute (see the spinning test above)."""
    root = tmp_path / "root"
    shutil.copytree(SOLUTIONS / "01-hello", root / "01-hello")
    app = root / "01-hello" / "app.py"
    app.write_text(app.read_text().replace('return "Hello, Flask!"', "while True:\n        pass"))
    graded = grade.root(root, "01-hello")
    check = graded.check("index_says_hello")
    assert check.status == "timeout" and "GET / never finished: your code was still running at app.py line 8 (in index)" in check.message
    assert "when it had used 2 s of CPU time (a correct view answers in milliseconds)" in check.message  # a request's budget, not the check's 5 s
    assert EXERCISES["01-hello"].time_limit > graded.result.seconds


def spinning_hello(tmp_path):
    folder = tmp_path / "01-hello"
    shutil.copytree(SOLUTIONS / "01-hello", folder)
    app = folder / "app.py"
    app.write_text(app.read_text().replace('    return "Hello, Flask!"', "    n = 0\n    while True:\n        n += 1"))
    return folder


def test_the_cpu_limit_reports_where_the_code_spun(tmp_path, monkeypatch):
    """SIGXCPU in the sandbox: its last answer says where the code was (the check's clock is not involved)."""
    from grading.judge import sandboxes
    from grading.judge.remote import Session, Student, StudentCodeError

    monkeypatch.setattr(Session, "loops", {})
    folder = spinning_hello(tmp_path)
    zygote = sandboxes.Zygote(COURSE_DIR, [])
    session = Session(lambda: zygote.sandbox(str(folder), cpu_seconds=1), folder, cpu_seconds=1)
    try:
        client = Student(session, folder, "app:app").make_app().test_client()
        with pytest.raises(StudentCodeError) as spun:
            client.get("/")
        with pytest.raises(StudentCodeError) as again:  # the sandbox is gone: the same cause, from one place
            client.get("/")
    finally:
        session.close()
        zygote.close()
    message = str(spun.value)
    assert message.startswith("GET / never finished: your code was still running at app.py line "), message
    assert "(in index) when it had used 1 s of CPU time" in message, message
    assert spun.value.kind == "timeout" and again.value is spun.value
    assert [f["file"] for f in spun.value.frames if "file" in f] == ["app.py"]
    assert Session.loops == {"index": "GET /"}


def test_the_checks_clock_reports_where_the_code_was(tmp_path, monkeypatch):
    """Code that gets too little CPU (a crowded machine) or waits: stopped just before the check's
    clock runs out, with the place."""
    from grading.judge import sandboxes
    from grading.judge.remote import Session, Student, StudentCodeError

    monkeypatch.setattr(Session, "loops", {})
    folder = spinning_hello(tmp_path)
    app = folder / "app.py"
    app.write_text(app.read_text().replace("        n += 1", "        __import__('time').sleep(1)"))
    zygote = sandboxes.Zygote(COURSE_DIR, [])
    session = Session(lambda: zygote.sandbox(str(folder), cpu_seconds=5), folder, cpu_seconds=5, wall_seconds=6)
    try:
        client = Student(session, folder, "app:app").make_app().test_client()
        with pytest.raises(StudentCodeError) as late:
            client.get("/")
    finally:
        session.close()
        zygote.close()
    assert "GET / never finished: your code was still running at app.py line 10 (in index) when the check's time was up" in str(late.value)
