"""The student sessions, for real: run (a served app answers HTTP), flask, watch (a saved file is
graded again), hint (one more step each time), and grading from inside an exercise folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import EXERCISES, grading_command

from grading.judge.course import COURSE_DIR, load_exercise

POSIX = hasattr(os, "killpg")


def copy(root: Path, folder: str, exercise_id: str) -> Path:
    shutil.copytree(COURSE_DIR / folder / exercise_id, root / exercise_id, ignore=shutil.ignore_patterns("__pycache__"))
    return root / exercise_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command:
    """A ``python -m grading...`` command running in its own process group; its output as it comes."""

    def __init__(self, *args: str, cwd: Path = COURSE_DIR, env: dict | None = None):
        self.output = ""
        self.process = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=cwd, env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", start_new_session=POSIX,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output += line

    def wait_for(self, pattern: str, timeout: float = 60, start: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output[start:])
            if found:
                return found
            if self.process.poll() is not None:
                time.sleep(0.2)  # the last lines
                found = re.search(pattern, self.output[start:])
                assert found, f"ended ({self.process.returncode}) without {pattern!r}:\n{self.output}"
                return found
            time.sleep(0.02)
        raise AssertionError(f"no {pattern!r} after {timeout} s:\n{self.output}")

    def stop(self) -> None:
        """End it and everything it started (Flask's reloader runs the server in a child)."""
        if self.process.poll() is None:
            if POSIX:
                os.killpg(self.process.pid, signal.SIGTERM)
            else:
                self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def commands():
    started: list[Command] = []

    def start(*args: str, **kwargs) -> Command:
        started.append(Command(*args, **kwargs))
        return started[-1]

    yield start
    for command in started:
        command.stop()


def get(url: str, timeout: float = 30) -> tuple[int, str]:
    """The first answer of a server that is starting: (status, body)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- nox -s run, nox -s flask -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "path", "expected"),
    [("01-hello", "/", "Hello, Flask!"), ("08-blueprints", "/api/products", '"price"')],
    ids=["module-app", "factory-in-a-package"],
)
def test_run_serves_the_app_in_debug_mode(tmp_path, commands, exercise_id, path, expected):
    copy(tmp_path, "solutions", exercise_id)
    port = free_port()
    server = commands("grading.commands.serve", "run", exercise_id[:2], "--root", str(tmp_path), "--port", str(port))
    status, body = get(f"http://127.0.0.1:{port}{path}")
    assert (status, expected in body) == (200, True), body
    server.wait_for(r"Debug mode: on")


def test_run_finds_the_exercise_of_the_folder_you_are_in(tmp_path, commands):
    folder = copy(tmp_path, "solutions", "02-routing")
    port = free_port()
    env = {"GRADING_INVOKED_FROM": str(folder / "templates" if (folder / "templates").is_dir() else folder)}
    commands("grading.commands.serve", "run", "--root", str(tmp_path), "--port", str(port), "--no-debug", env=env)
    assert get(f"http://127.0.0.1:{port}/add/2/3") == (200, "5")


def test_flask_runs_any_command_of_the_app_in_its_folder(tmp_path):
    folder = copy(tmp_path, "solutions", "09-database")
    done = subprocess.run(
        [sys.executable, "-m", "grading.commands.serve", "flask", "--root", str(tmp_path), "09", "init-db"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert list((folder / "instance").glob("*.db")), "init-db made no database in the instance folder"
    routes = subprocess.run(
        [sys.executable, "-m", "grading.commands.serve", "flask", "--root", str(tmp_path), "routes"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=60, env={**os.environ, "GRADING_INVOKED_FROM": str(folder)},
    )
    assert "/users" in routes.stdout, routes.stdout + routes.stderr


def test_pytest_runs_your_own_tests_in_the_exercise_folder(tmp_path):
    folder = copy(tmp_path, "solutions", "15-testing")
    done = subprocess.run(
        [sys.executable, "-m", "grading.commands.serve", "pytest", "--root", str(tmp_path), "15", "-q", "-p", "no:cacheprovider"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\d+ passed", done.stdout), done.stdout
    (folder / "tests" / "test_app.py").write_text("def test_fails():\n    assert False\n")
    done = subprocess.run(
        [sys.executable, "-m", "grading.commands.serve", "pytest", "--root", str(tmp_path), "15", "-q", "-p", "no:cacheprovider"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1 and "1 failed" in done.stdout


def test_run_without_an_exercise_outside_any_folder_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, "-m", "grading.commands.serve", "run"], cwd=COURSE_DIR, capture_output=True, text=True, timeout=60,
        env={**os.environ, "GRADING_INVOKED_FROM": str(COURSE_DIR)},
    )
    assert done.returncode == 2
    assert "which exercise?" in done.stderr


# -- grading from inside an exercise folder, and what the report says -----------------------------


def test_grading_inside_an_exercise_folder_grades_that_exercise(tmp_path):
    folder = copy(tmp_path / "root", "exercises", "02-routing")
    copy(tmp_path / "root", "solutions", "01-hello")
    done = grading_command(tmp_path / "root", workdir=tmp_path, env={"GRADING_INVOKED_FROM": str(folder / "templates")})
    assert [e["id"] for e in done.report["exercises"]] == ["02-routing"], done.out
    assert done.code == 1


def test_paths_on_the_command_line_are_read_from_where_you_are(tmp_path):
    folder = copy(tmp_path / "root", "solutions", "01-hello")
    done = subprocess.run(
        [sys.executable, "-m", "grading", "--no-cache", "--root", "..", "--json", "report.json"],
        cwd=COURSE_DIR, capture_output=True, text=True, timeout=120, env={**os.environ, "GRADING_INVOKED_FROM": str(folder)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [e["id"] for e in json.loads((folder / "report.json").read_text())["exercises"]] == ["01-hello"]


def test_full_marks_on_one_exercise_names_the_next(tmp_path):
    copy(tmp_path / "root", "solutions", "01-hello")
    done = grading_command(tmp_path / "root", "01", workdir=tmp_path)
    assert done.code == 0
    assert "Next: 02-routing, URL rules and converters." in done.out
    assert "Every exercise has full marks" not in done.out


def test_lines_wrap_to_the_terminal_width(tmp_path):
    copy(tmp_path / "root", "exercises", "02-routing")
    done = grading_command(tmp_path / "root", "02", workdir=tmp_path, env={"COLUMNS": "60", "NO_COLOR": "1"})
    long = [line for line in done.out.splitlines() if len(line) > 60 and " " in line.strip()]
    assert done.code == 1 and "✗" in done.out
    assert long == [], "\n".join(long)


def test_errors_point_to_debug_for_the_full_traceback(tmp_path):
    folder = copy(tmp_path / "root", "solutions", "01-hello")
    (folder / "app.py").write_text("import flask\nraise RuntimeError('boom')\n")
    done = grading_command(tmp_path / "root", "01", workdir=tmp_path)
    assert "--debug" in done.out


# -- through nox itself ----------------------------------------------------------------------------

NOX = shutil.which("nox")


@pytest.fixture(scope="module")
def nox_envdir(tmp_path_factory):
    if NOX is None:
        pytest.fail("nox is not on PATH: install it (python -m pip install nox) to run these tests")
    return tmp_path_factory.mktemp("nox-envs")


def nox(envdir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "NOX"))}
    return subprocess.run(
        [NOX, "--envdir", str(envdir), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        env={**env, "NO_COLOR": "1", "GRADING_NO_CACHE": "1"},
    )


def test_a_failing_grade_exits_1_without_nox_calling_it_a_failed_command(nox_envdir, tmp_path):
    copy(tmp_path, "exercises", "02-routing")
    done = nox(nox_envdir, COURSE_DIR, "-s", "grade", "--", "02", "--root", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "02-routing" in done.stdout and "Next: 02-routing" in done.stdout
    assert "failed with exit code" not in done.stdout + done.stderr


def test_nox_inside_an_exercise_folder_grades_that_exercise(nox_envdir):
    done = nox(nox_envdir, COURSE_DIR / "exercises" / "03-request-data", "-s", "grade")
    assert "Grading 1 exercise" in done.stdout and "03-request-data" in done.stdout, done.stdout + done.stderr
    assert "02-routing" not in done.stdout.split("Total:")[0]


def test_the_student_commands_share_grades_environment(tmp_path):
    """nox -s flask (like run, pytest, watch, hint) makes no environment of its own: it runs grade's, made once."""
    envdir = tmp_path / "envs"
    done = nox(envdir, COURSE_DIR, "-s", "flask", "--", "--root", str(COURSE_DIR / "solutions"), "01", "routes")
    assert done.returncode == 0 and "/" in done.stdout, done.stdout + done.stderr
    assert "Session grade was successful" in done.stdout + done.stderr, "grade's environment was made by nox"
    assert sorted(p.name for p in envdir.iterdir() if p.is_dir() and p.name != ".cache") == ["grade"]
    again = nox(envdir, COURSE_DIR, "-s", "pytest", "--", "15", "--version")
    assert again.returncode == 0 and "Session grade" not in again.stdout + again.stderr, again.stdout + again.stderr
    assert sorted(p.name for p in envdir.iterdir() if p.is_dir() and p.name != ".cache") == ["grade"]


# -- hints, in steps --------------------------------------------------------------------------------


def test_every_hint_goes_from_a_nudge_to_the_idea():
    for exercise in EXERCISES.values():
        for check, hint in exercise.hints.items():
            for cause in hint if isinstance(hint, dict) else [None]:  # a hint keyed by cause: each cause's steps
                steps = exercise.hint_steps(check, cause)
                where = f"{exercise.id} {check}" + (f" ({cause})" if cause else "")
                assert isinstance(hint, (list, dict)) and len(steps) >= 2, f"{where}: give the hint in steps"
                assert "\n" not in steps[0].strip() and len(steps[0]) <= 160, f"{where}: the nudge is one short line"
                assert exercise.hint(check, cause) == steps[0]


def test_a_plain_string_hint_is_one_step(tmp_path):
    meta = tmp_path / "exercises" / "01-hello"
    meta.mkdir(parents=True)
    (meta / "exercise.yaml").write_text("title: Hello\nhints:\n  a: Just one.\n  b: ['First?', Then this.]\n")
    exercise = load_exercise(meta, tmp_path)
    assert exercise.hint_steps("a") == ["Just one."] and exercise.hint("a") == "Just one."
    assert exercise.hint_steps("b") == ["First?", "Then this."] and exercise.hint("b") == "First?"
    assert exercise.hint_steps("c") == [] and exercise.hint("c") is None


def test_a_failed_check_shows_only_the_nudge(tmp_path):
    copy(tmp_path / "root", "exercises", "02-routing")
    done = grading_command(tmp_path / "root", "02", workdir=tmp_path, env={"COLUMNS": "1000"})
    steps = EXERCISES["02-routing"].hint_steps("post_with_text_id_is_404")
    check = done.check("02-routing", "post_with_text_id_is_404")
    assert check["hint"] == steps[0]
    assert steps[-1] not in done.out


def test_classroom_and_gradescope_show_the_nudge_only(grade):
    from grading.outputs.classroom import reporter_results
    from grading.outputs.gradescope import results_json

    result = grade.starter("02-routing").result
    steps = EXERCISES["02-routing"].hint_steps("post_with_text_id_is_404")
    classroom = next(t for t in reporter_results(result)["tests"] if "post/abc" in t["name"])
    gradescope = next(t for t in results_json([result], 1.0)["tests"] if "post/abc" in t["name"])
    for output in (classroom["message"], gradescope["output"]):
        assert f"Hint: {steps[0]}" in output and steps[1] not in output


def test_hint_shows_the_next_step_each_time_and_remembers(tmp_path):
    copy(tmp_path / "root", "exercises", "02-routing")
    env = {**os.environ, "GRADING_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "1000", "NO_COLOR": "1"}
    steps = EXERCISES["02-routing"].hint_steps("post_with_text_id_is_404")

    def hint() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "grading.commands.hints", "02", "--root", str(tmp_path / "root")],
            cwd=COURSE_DIR, capture_output=True, text=True, timeout=120, env=env,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    outputs = [hint() for _ in range(len(steps))]
    for n, output in enumerate(outputs, start=2):
        step = min(n, len(steps))
        assert f"Hint {step}/{len(steps)}:" in output and steps[step - 1] in output, output
    seen = json.loads((tmp_path / "cache" / "hints.json").read_text())
    assert seen["02-routing"]["post_with_text_id_is_404"] == len(steps)


# -- nox -s watch ---------------------------------------------------------------------------------


def test_watch_grades_again_on_save_moves_on_and_stops_on_ctrl_c(tmp_path, commands):
    root = tmp_path / "root"
    copy(root, "solutions", "01-hello")
    folder = copy(root, "exercises", "02-routing")
    copy(root, "exercises", "03-request-data")
    env = {"GRADING_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "GRADING_INVOKED_FROM": str(COURSE_DIR)}
    watch = commands("grading.commands.watch", "--root", str(root), env=env)
    watch.wait_for(r"1/15 exercises done\n02-routing +\d/9")
    watching = watch.wait_for(r"Watching\s+\S*02-routing/")
    seen = len(watch.output)

    saved = time.monotonic()
    shutil.copy(COURSE_DIR / "solutions" / "02-routing" / "app.py", folder / "app.py")
    watch.wait_for(r"grading 02-routing", start=seen)  # said while grading is under way
    watch.wait_for(r"Full marks for 02-routing! On to 03-request-data", start=seen)
    assert time.monotonic() - saved < 5, "a small exercise is graded again within a second or so of the save"
    watch.wait_for(r"2/15 exercises done\n03-request-data +\d+/11", start=seen)
    watch.wait_for(r"Watching\s+\S*03-request-data/", start=seen)
    assert watching

    if POSIX:
        watch.process.send_signal(signal.SIGINT)
        assert watch.process.wait(timeout=10) == 0
        assert "Stopped watching" in watch.output


def test_watch_watches_a_finished_exercise_it_is_given(tmp_path, commands):
    root = tmp_path / "root"
    folder = copy(root, "solutions", "01-hello")
    copy(root, "exercises", "02-routing")
    env = {"GRADING_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "GRADING_INVOKED_FROM": str(COURSE_DIR)}
    watch = commands("grading.commands.watch", "01", "--root", str(root), env=env)
    watch.wait_for(r"01-hello has full marks\. Watching\s+\S*01-hello/")
    seen = len(watch.output)
    (folder / "notes.txt").write_text("a save of a finished exercise grades it again\n")
    watch.wait_for(r"grading 01-hello", start=seen)
    watch.wait_for(r"01-hello has full marks\. Watching", start=seen)
    assert "On to 02-routing" not in watch.output[seen:], "still full marks: nothing new, it stays"


def test_watch_with_debug_shows_the_students_traceback_and_what_they_printed(tmp_path, commands):
    """The first look at every exercise is cached (no traceback): --debug grades the watched one afresh."""
    root = tmp_path / "root"
    app = copy(root, "solutions", "01-hello") / "app.py"
    app.write_text(app.read_text().replace('    return "Hello, Flask!"', '    print("about to greet")\n    return {}["hello"]'))
    env = {"GRADING_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "GRADING_INVOKED_FROM": str(COURSE_DIR),
           "COLUMNS": "200"}
    watch = commands("grading.commands.watch", "01", "--debug", "--root", str(root), env=env)
    watch.wait_for(r"KeyError: 'hello' in app\.py, line 9 \(index\)")
    watch.wait_for(r"app\.py, line 9, in index\n +return \{\}\[\"hello\"\]\n")
    watch.wait_for(r"Your code printed:\n +\| about to greet\n")


def test_hint_gives_no_hint_for_a_check_that_was_not_run(tmp_path):
    root = tmp_path / "root"
    folder = copy(root, "solutions", "09-database")
    app_py = folder / "app.py"
    app_py.write_text(app_py.read_text().replace(
        "    app = Flask(__name__, instance_relative_config=True)\n",
        "    app = Flask(__name__, instance_relative_config=True)\n    raise RuntimeError('no database today')\n", 1))
    env = {**os.environ, "GRADING_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "1000", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "grading.commands.hints", "09", "--root", str(root)],
                          cwd=COURSE_DIR, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert len(re.findall(r"Hint \d+/\d+:", done.stdout)) == 1, done.stdout
    assert done.stdout.count("no database today") == 1 and "Not run until the cause above is fixed" in done.stdout, done.stdout
